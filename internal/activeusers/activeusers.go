// Package activeusers reads the active-users input: the daily active
// users U(D) a team supplies when its app sends Sentry no sessions. The
// input is either a positive whole number (the same users every day) or
// the path of a file of daily counts exported from their analytics: CSV
// (`date,users`, with an optional header line) or JSON
// (`{"2026-08-14": 120}`), dates as UTC YYYY-MM-DD, counts non-negative
// whole numbers.
package activeusers

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Kind says where a Source's numbers come from.
type Kind int

const (
	// Fixed is one number of users for every day.
	Fixed Kind = iota + 1
	// Daily is a count per day from a file.
	Daily
)

// Source gives the active users of a day.
type Source struct {
	// Kind says whether the users are Fixed or Daily.
	Kind Kind
	// Path is the file the Daily counts came from, as given.
	Path string
	// Fixed is the users of every day, for Kind Fixed.
	Fixed int64
	// Daily are the users per UTC date (YYYY-MM-DD), for Kind Daily.
	Daily map[string]int64
}

// Users returns the active users of date (YYYY-MM-DD), and whether the
// source knows them: a Fixed source knows every day, a Daily one only
// the days its file lists.
func (s Source) Users(date string) (users int64, known bool) {
	switch s.Kind {
	case Fixed:
		return s.Fixed, true
	case Daily:
		n, ok := s.Daily[date]
		return n, ok
	}
	return 0, false
}

// String says where the users come from, for the summary.
func (s Source) String() string {
	switch s.Kind {
	case Fixed:
		return fmt.Sprintf("a fixed %d users a day (active-users)", s.Fixed)
	case Daily:
		return fmt.Sprintf("daily counts from %s (active-users)", s.Path)
	}
	return "no active-users"
}

var number = regexp.MustCompile(`^[0-9]+$`)

// IsNumber reports whether an active-users value is a fixed number of
// users a day (digits only) rather than the path of a file of daily
// counts: the one rule config, the run and Parse all follow.
func IsNumber(value string) bool { return number.MatchString(strings.TrimSpace(value)) }

// Parse reads the active-users input value. A value of digits only is a
// fixed number of users a day, which must be positive; any other value
// is the path of a .csv or .json file, read with read. Errors name the
// file and the line; the caller names the input.
func Parse(value string, read func(path string) ([]byte, error)) (Source, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return Source{}, errors.New("empty; give a number of users a day, or the path of a .csv or .json file of daily counts")
	}
	if IsNumber(value) {
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return Source{}, fmt.Errorf("%q is too large", value)
		}
		if n <= 0 {
			return Source{}, fmt.Errorf("%q must be a positive number of users a day", value)
		}
		return Source{Kind: Fixed, Fixed: n}, nil
	}
	ext := strings.ToLower(path.Ext(value))
	if ext != ".csv" && ext != ".json" {
		return Source{}, fmt.Errorf("%q is neither a number of users a day nor the path of a .csv or .json file", value)
	}
	if read == nil {
		return Source{}, fmt.Errorf("cannot read %s", value)
	}
	data, err := read(value)
	if err != nil {
		return Source{}, fmt.Errorf("read %s: %w", value, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 BOM, as spreadsheets write
	var daily map[string]int64
	if ext == ".csv" {
		daily, err = parseCSV(data)
	} else {
		daily, err = parseJSON(data)
	}
	if err != nil {
		return Source{}, fmt.Errorf("%s %w", value, err)
	}
	if len(daily) == 0 {
		return Source{}, fmt.Errorf("%s has no daily counts", value)
	}
	return Source{Kind: Daily, Path: value, Daily: daily}, nil
}

// lineError is an error at one line of a file; Parse prefixes the file.
func lineError(line int, format string, args ...any) error {
	return fmt.Errorf("line %d: "+format, append([]any{line}, args...)...)
}

// parseCSV reads `date,users` records; the first record is a header when
// it holds neither a date nor a number.
func parseCSV(data []byte) (map[string]int64, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	out := map[string]int64{}
	firstLine := map[string]int{}
	for i := 0; ; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, lineError(pe.Line, "%v", pe.Err)
			}
			return nil, fmt.Errorf("cannot be read as CSV: %w", err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) != 2 {
			return nil, lineError(line, "%d fields, expected 2 (date,users)", len(rec))
		}
		date, users := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		if i == 0 && !isDate(date) && !number.MatchString(users) {
			continue // header
		}
		if err := checkDate(date); err != nil {
			return nil, lineError(line, "%v", err)
		}
		n, err := parseUsers(users)
		if err != nil {
			return nil, lineError(line, "%v", err)
		}
		if first, dup := firstLine[date]; dup {
			return nil, lineError(line, "%s is given twice (first on line %d)", date, first)
		}
		firstLine[date] = line
		out[date] = n
	}
}

// parseJSON reads one object of "YYYY-MM-DD": users members, reporting
// the line of each bad member.
func parseJSON(data []byte) (map[string]int64, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	lineAt := func(offset int64) int {
		return 1 + bytes.Count(data[:min(int(offset), len(data))], []byte("\n"))
	}
	syntax := func(err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return lineError(lineAt(se.Offset), "not valid JSON: %v", err)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return lineError(lineAt(int64(len(data))), "not valid JSON: unexpected end of the file")
		}
		return fmt.Errorf("is not valid JSON: %w", err)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, syntax(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, lineError(lineAt(dec.InputOffset()), `expected an object such as {"2026-08-14": 120}`)
	}
	out := map[string]int64{}
	firstLine := map[string]int{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntax(err)
		}
		line := lineAt(dec.InputOffset())
		date, _ := tok.(string)
		if err := checkDate(date); err != nil {
			return nil, lineError(line, "%v", err)
		}
		val, err := dec.Token()
		if err != nil {
			return nil, syntax(err)
		}
		var n int64
		switch v := val.(type) {
		case json.Number:
			if n, err = parseUsers(v.String()); err != nil {
				return nil, lineError(line, "%v", err)
			}
		case json.Delim:
			return nil, lineError(line, "the users of %s are not a number", date)
		case string:
			return nil, lineError(line, "%q is not a number", v)
		case nil:
			return nil, lineError(line, "null is not a number")
		default:
			return nil, lineError(line, "%v is not a number", v)
		}
		if first, dup := firstLine[date]; dup {
			return nil, lineError(line, "%s is given twice (first on line %d)", date, first)
		}
		firstLine[date] = line
		out[date] = n
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntax(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, lineError(lineAt(dec.InputOffset()), "unexpected data after the object")
	}
	return out, nil
}

func isDate(s string) bool { return checkDate(s) == nil }

func checkDate(s string) error {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	return nil
}

// parseUsers reads a non-negative whole number of users.
func parseUsers(s string) (int64, error) {
	if !number.MatchString(s) {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			if f < 0 {
				return 0, fmt.Errorf("%q is negative", s)
			}
			return 0, fmt.Errorf("%q is not a whole number", s)
		}
		return 0, fmt.Errorf("%q is not a number", s)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return n, nil
}
