package activeusers

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// files is a map-backed reader: tests never touch the disk.
func files(m map[string]string) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		s, ok := m[p]
		if !ok {
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
		}
		return []byte(s), nil
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	read := files(map[string]string{
		"users.csv":          "date,users\n2026-08-14,120\n2026-08-15,0\n",
		"noheader.csv":       "2026-08-14,120\r\n\r\n2026-08-16, 95\r\n",
		"bom.csv":            "\xef\xbb\xbfday,active users\n2026-08-14,7\n",
		"bad-number.csv":     "date,users\n2026-08-14,120\nx\n",
		"abc.csv":            "date,users\n2026-08-14,120\n2026-08-15,abc\n",
		"negative.csv":       "2026-08-14,-5\n",
		"fraction.csv":       "2026-08-14,12.5\n",
		"bad-date.csv":       "date,users\n2026-8-14,3\n",
		"feb30.csv":          "2026-02-30,3\n",
		"dup.csv":            "2026-08-14,1\n2026-08-15,2\n2026-08-14,3\n",
		"three.csv":          "2026-08-14,1,2\n",
		"header-only.csv":    "date,users\n",
		"quote.csv":          "2026-08-14,\"12\n",
		"users.json":         "{\n  \"2026-08-14\": 120,\n  \"2026-08-15\": 0\n}\n",
		"UPPER.JSON":         `{"2026-08-14": 3}`,
		"string.json":        "{\n  \"2026-08-14\": 120,\n  \"2026-08-15\": \"abc\"\n}",
		"null.json":          "{\n\"2026-08-14\": null}",
		"float.json":         "{\"2026-08-14\": 1.5}",
		"neg.json":           "{\n\n\"2026-08-14\": -2}",
		"nested.json":        "{\"2026-08-14\": {\"users\": 2}}",
		"baddate.json":       "{\n\"14/08/2026\": 2}",
		"dup.json":           "{\n\"2026-08-14\": 2,\n\"2026-08-14\": 3}",
		"array.json":         "[1, 2]",
		"syntax.json":        "{\n\"2026-08-14\": 2,\n,}",
		"truncated.json":     "{\n\"2026-08-14\": 2,\n",
		"trailing.json":      "{\"2026-08-14\": 2}\n{}",
		"empty.json":         "{}",
		"dir/big-users.json": `{"2026-08-14": 99999999999999999999}`,
	})
	cases := []struct {
		name  string
		value string
		exp   Source
		err   string
	}{
		{name: "fixed number", value: "120", exp: Source{Kind: Fixed, Fixed: 120}},
		{name: "fixed number with spaces", value: " 7 ", exp: Source{Kind: Fixed, Fixed: 7}},
		{name: "zero is not positive", value: "0", err: `"0" must be a positive number of users a day`},
		{name: "leading zeros", value: "007", exp: Source{Kind: Fixed, Fixed: 7}},
		{name: "too large", value: "99999999999999999999", err: `"99999999999999999999" is too large`},
		{name: "negative is a path, not a number", value: "-3", err: `"-3" is neither a number of users a day nor the path of a .csv or .json file`},
		{name: "decimal", value: "1.5", err: `"1.5" is neither a number of users a day nor the path of a .csv or .json file`},
		{name: "other extension", value: "users.txt", err: `"users.txt" is neither a number of users a day nor the path of a .csv or .json file`},
		{name: "empty", value: "", err: "empty; give a number of users a day, or the path of a .csv or .json file of daily counts"},
		{name: "missing file", value: "gone.csv", err: "read gone.csv: open gone.csv: file does not exist"},

		{name: "csv with header", value: "users.csv", exp: Source{Kind: Daily, Path: "users.csv", Daily: map[string]int64{"2026-08-14": 120, "2026-08-15": 0}}},
		{name: "csv without header, CRLF, blank line, space", value: "noheader.csv", exp: Source{Kind: Daily, Path: "noheader.csv", Daily: map[string]int64{"2026-08-14": 120, "2026-08-16": 95}}},
		{name: "csv with BOM and other header", value: "bom.csv", exp: Source{Kind: Daily, Path: "bom.csv", Daily: map[string]int64{"2026-08-14": 7}}},
		{name: "csv not a number", value: "abc.csv", err: `abc.csv line 3: "abc" is not a number`},
		{name: "csv one field", value: "bad-number.csv", err: "bad-number.csv line 3: 1 fields, expected 2 (date,users)"},
		{name: "csv three fields", value: "three.csv", err: "three.csv line 1: 3 fields, expected 2 (date,users)"},
		{name: "csv negative", value: "negative.csv", err: `negative.csv line 1: "-5" is negative`},
		{name: "csv fraction", value: "fraction.csv", err: `fraction.csv line 1: "12.5" is not a whole number`},
		{name: "csv bad date", value: "bad-date.csv", err: `bad-date.csv line 2: "2026-8-14" is not a date (YYYY-MM-DD)`},
		{name: "csv impossible date", value: "feb30.csv", err: `feb30.csv line 1: "2026-02-30" is not a date (YYYY-MM-DD)`},
		{name: "csv duplicate date", value: "dup.csv", err: "dup.csv line 3: 2026-08-14 is given twice (first on line 1)"},
		{name: "csv header only", value: "header-only.csv", err: "header-only.csv has no daily counts"},
		{name: "csv bad quoting", value: "quote.csv", err: "quote.csv line 1: extraneous or missing \" in quoted-field"},

		{name: "json", value: "users.json", exp: Source{Kind: Daily, Path: "users.json", Daily: map[string]int64{"2026-08-14": 120, "2026-08-15": 0}}},
		{name: "json upper-case extension", value: "UPPER.JSON", exp: Source{Kind: Daily, Path: "UPPER.JSON", Daily: map[string]int64{"2026-08-14": 3}}},
		{name: "json string value", value: "string.json", err: `string.json line 3: "abc" is not a number`},
		{name: "json null", value: "null.json", err: "null.json line 2: null is not a number"},
		{name: "json fraction", value: "float.json", err: `float.json line 1: "1.5" is not a whole number`},
		{name: "json negative", value: "neg.json", err: `neg.json line 3: "-2" is negative`},
		{name: "json nested", value: "nested.json", err: "nested.json line 1: the users of 2026-08-14 are not a number"},
		{name: "json bad date", value: "baddate.json", err: `baddate.json line 2: "14/08/2026" is not a date (YYYY-MM-DD)`},
		{name: "json duplicate date", value: "dup.json", err: "dup.json line 3: 2026-08-14 is given twice (first on line 2)"},
		{name: "json array", value: "array.json", err: `array.json line 1: expected an object such as {"2026-08-14": 120}`},
		{name: "json syntax", value: "syntax.json", err: "syntax.json line 3: not valid JSON: invalid character ',' looking for beginning of object key string"},
		{name: "json truncated", value: "truncated.json", err: "truncated.json line 3: not valid JSON: unexpected end of the file"},
		{name: "json trailing data", value: "trailing.json", err: "trailing.json line 2: unexpected data after the object"},
		{name: "json empty object", value: "empty.json", err: "empty.json has no daily counts"},
		{name: "json too large", value: "dir/big-users.json", err: `dir/big-users.json line 1: "99999999999999999999" is too large`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.value, read)
			if tc.err != "" {
				if err == nil {
					t.Fatalf("Parse(%q) = %+v, want error %q", tc.value, got, tc.err)
				}
				if err.Error() != tc.err {
					t.Fatalf("Parse(%q) error:\n got %q\nwant %q", tc.value, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.value, err)
			}
			if diff := cmp.Diff(tc.exp, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tc.value, diff)
			}
		})
	}
}

func TestParseReadErrorIsWrapped(t *testing.T) {
	t.Parallel()
	_, err := Parse("users.csv", files(nil))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Parse error %v does not wrap fs.ErrNotExist", err)
	}
}

func TestSourceUsers(t *testing.T) {
	t.Parallel()
	fixed := Source{Kind: Fixed, Fixed: 40}
	daily := Source{Kind: Daily, Path: "u.csv", Daily: map[string]int64{"2026-08-14": 120, "2026-08-15": 0}}
	cases := []struct {
		name  string
		src   Source
		date  string
		users int64
		known bool
	}{
		{"fixed any day", fixed, "2030-01-01", 40, true},
		{"daily listed", daily, "2026-08-14", 120, true},
		{"daily listed zero", daily, "2026-08-15", 0, true},
		{"daily unlisted", daily, "2026-08-16", 0, false},
		{"zero source", Source{}, "2026-08-14", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			users, known := tc.src.Users(tc.date)
			if users != tc.users || known != tc.known {
				t.Errorf("Users(%s) = %d, %t; want %d, %t", tc.date, users, known, tc.users, tc.known)
			}
		})
	}
	if got, want := fixed.String(), "a fixed 40 users a day (active-users)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got, want := daily.String(), "daily counts from u.csv (active-users)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
