package workhours

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultHours is the working week used when the business-hours input is
// empty.
const DefaultHours = "Mon-Fri 09:00-17:00"

// span is a working interval of one day, [from, to) in minutes after local
// midnight (wall-clock time), 0 ≤ from < to ≤ 1440.
type span struct {
	from, to int
}

// Hours is a weekly working schedule in local wall-clock time: for each
// weekday, the working intervals of that day. The zero Hours has no
// working time at all.
type Hours struct {
	days [7][]span // indexed by time.Weekday; sorted, disjoint, not touching
}

var dayNames = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

// dayByName accepts three-letter abbreviations and full English names,
// in any case.
var dayByName = func() map[string]time.Weekday {
	m := make(map[string]time.Weekday, 14)
	for d := time.Sunday; d <= time.Saturday; d++ {
		m[strings.ToLower(dayNames[d])] = d
		m[strings.ToLower(d.String())] = d
	}
	return m
}()

// dashes matches a hyphen or an en dash with any space around it, so that
// "Mon – Fri 09:00 - 17:00" reads as "Mon-Fri 09:00-17:00".
var dashes = regexp.MustCompile(`\s*[-–]\s*`)

const hoursSyntax = `expected entries like "Mon-Fri 09:00-17:00", separated by commas or newlines`

// ParseHours parses the business-hours input: entries separated by commas
// or newlines, each a day or a range of days (Mon…Sun, or full names; a
// range may wrap around the week, as in Sun-Thu) followed by one or more
// time ranges HH:MM-HH:MM in 24-hour local time, for example
//
//	Mon-Thu 09:00-17:00, Fri 09:00-13:00
//	Mon-Fri 09:00-12:00 13:00-17:00
//
// 24:00 is allowed as an end. A range must end after it starts, so hours
// that run past midnight are written as two entries ("Mon 22:00-24:00, Tue
// 00:00-02:00"). Ranges of the same day must not overlap; ranges that
// touch are joined. An empty s means DefaultHours.
//
// The error says which entry is wrong and what was expected.
func ParseHours(s string) (Hours, error) {
	if strings.TrimSpace(s) == "" {
		s = DefaultHours
	}
	var h Hours
	for _, entry := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		if err := h.addEntry(entry); err != nil {
			return Hours{}, fmt.Errorf("entry %q: %w", entry, err)
		}
	}
	if h.IsZero() {
		return Hours{}, fmt.Errorf("no working hours in %q; %s", s, hoursSyntax)
	}
	for d := range h.days {
		h.days[d] = join(h.days[d])
	}
	return h, nil
}

// addEntry adds one "days range…" entry to h.
func (h *Hours) addEntry(entry string) error {
	fields := strings.Fields(dashes.ReplaceAllString(entry, "-"))
	if len(fields) < 2 {
		return errors.New(hoursSyntax)
	}
	days, err := parseDays(fields[0])
	if err != nil {
		return err
	}
	for _, f := range fields[1:] {
		sp, err := parseSpan(f)
		if err != nil {
			return err
		}
		for _, d := range days {
			for _, o := range h.days[d] {
				if sp.from < o.to && o.from < sp.to {
					return fmt.Errorf("%s %s overlaps %s %s given earlier", dayNames[d], sp, dayNames[d], o)
				}
			}
			h.days[d] = append(h.days[d], sp)
		}
	}
	return nil
}

// parseDays parses "Mon" or "Mon-Fri" (wrapping around the week when the
// first day comes after the last, as in "Sun-Thu" or "Fri-Mon").
func parseDays(s string) ([]time.Weekday, error) {
	first, last, isRange := strings.Cut(s, "-")
	a, err := parseDay(first)
	if err != nil {
		return nil, err
	}
	if !isRange {
		return []time.Weekday{a}, nil
	}
	b, err := parseDay(last)
	if err != nil {
		return nil, err
	}
	if a == b {
		return nil, fmt.Errorf("day range %q starts and ends on the same day; write %s for one day or %s-%s for the whole week",
			s, dayNames[a], dayNames[a], dayNames[(a+6)%7])
	}
	var days []time.Weekday
	for d := a; ; d = (d + 1) % 7 {
		days = append(days, d)
		if d == b {
			return days, nil
		}
	}
}

func parseDay(s string) (time.Weekday, error) {
	if d, ok := dayByName[strings.ToLower(s)]; ok {
		return d, nil
	}
	if s == "" {
		return 0, errors.New("missing day; expected Mon, Tue, Wed, Thu, Fri, Sat or Sun")
	}
	return 0, fmt.Errorf("unknown day %q; expected Mon, Tue, Wed, Thu, Fri, Sat or Sun", s)
}

// parseSpan parses "HH:MM-HH:MM".
func parseSpan(s string) (span, error) {
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return span{}, fmt.Errorf("time range %q: expected HH:MM-HH:MM, like 09:00-17:00", s)
	}
	a, err := parseClock(from, false)
	if err != nil {
		return span{}, err
	}
	b, err := parseClock(to, true)
	if err != nil {
		return span{}, err
	}
	if b <= a {
		return span{}, fmt.Errorf("time range %q: the end must be after the start (hours past midnight are two entries, like \"Mon 22:00-24:00, Tue 00:00-02:00\")", s)
	}
	return span{from: a, to: b}, nil
}

// parseClock parses "HH:MM" (or "H:MM") into minutes after midnight; 24:00
// only when end is true.
func parseClock(s string, end bool) (int, error) {
	expected := "expected HH:MM from 00:00 to 23:59"
	if end {
		expected = "expected HH:MM from 00:01 to 24:00"
	}
	hh, mm, ok := strings.Cut(s, ":")
	if !ok || len(hh) < 1 || len(hh) > 2 || len(mm) != 2 || !digits(hh) || !digits(mm) {
		return 0, fmt.Errorf("time %q: %s", s, expected)
	}
	h, _ := strconv.Atoi(hh)
	m, _ := strconv.Atoi(mm)
	switch {
	case m > 59, h > 24, h == 24 && (m != 0 || !end):
		return 0, fmt.Errorf("time %q: %s", s, expected)
	}
	return h*60 + m, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// join sorts spans and merges those that touch.
func join(spans []span) []span {
	slices.SortFunc(spans, func(a, b span) int { return a.from - b.from })
	var out []span
	for _, s := range spans {
		if n := len(out); n > 0 && out[n-1].to == s.from {
			out[n-1].to = s.to
			continue
		}
		out = append(out, s)
	}
	return out
}

// IsZero reports whether h has no working time.
func (h Hours) IsZero() bool {
	for _, d := range h.days {
		if len(d) > 0 {
			return false
		}
	}
	return true
}

// String returns h in the syntax ParseHours reads, days grouped into
// ranges, for example "Mon-Thu 09:00-17:00, Fri 09:00-13:00". It is empty
// for the zero Hours.
func (h Hours) String() string {
	if h.IsZero() {
		return ""
	}
	same := func(a, b time.Weekday) bool { return slices.Equal(h.days[a], h.days[b]) }
	// Start at the first day (from Monday) that begins a run, so that a
	// week like Sun-Thu is written as one range.
	start := time.Monday
	for i := range 7 {
		d := (time.Monday + time.Weekday(i)) % 7
		if !same(d, (d+6)%7) {
			start = d
			break
		}
	}
	var entries []string
	for i := 0; i < 7; {
		first := (start + time.Weekday(i)) % 7
		n := 1
		for i+n < 7 && same(first, (first+time.Weekday(n))%7) {
			n++
		}
		i += n
		if len(h.days[first]) == 0 {
			continue
		}
		days := dayNames[first]
		if n > 1 {
			days += "-" + dayNames[(first+time.Weekday(n-1))%7]
		}
		parts := []string{days}
		for _, s := range h.days[first] {
			parts = append(parts, s.String())
		}
		entries = append(entries, strings.Join(parts, " "))
	}
	return strings.Join(entries, ", ")
}

func (s span) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", s.from/60, s.from%60, s.to/60, s.to%60)
}
