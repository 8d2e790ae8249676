package workhours

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseHolidays(t *testing.T) {
	cases := []struct {
		name string
		in   string
		exp  string // Holidays.String()
	}{
		{name: "empty", in: "", exp: ""},
		{name: "country", in: "US", exp: "US"},
		{name: "lower case region", in: "de-by", exp: "DE-BY"},
		{name: "alias", in: "UK", exp: "GB"},
		{name: "extra dates only", in: "2026-12-24, 2026-12-31", exp: "2026-12-24, 2026-12-31"},
		{name: "code and dates on lines", in: "NL\n2026-12-24\n2026-12-31\n", exp: "NL, 2026-12-24, 2026-12-31"},
		{name: "duplicates dropped", in: "US, us, 2026-12-24, 2026-12-24", exp: "US, 2026-12-24"},
		{name: "two calendars", in: "DE-BY, AT", exp: "DE-BY, AT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, err := ParseHolidays(tc.in)
			if err != nil {
				t.Fatalf("ParseHolidays(%q): %v", tc.in, err)
			}
			if got := h.String(); got != tc.exp {
				t.Errorf("ParseHolidays(%q).String() = %q, want %q", tc.in, got, tc.exp)
			}
		})
	}
}

func TestHolidaysContains(t *testing.T) {
	cases := []struct {
		spec string
		date string
		exp  bool
	}{
		{"US", "2026-11-26", true},  // Thanksgiving
		{"US", "2026-11-27", false}, // the Friday after is not a federal holiday
		{"US", "2026-07-03", true},  // Independence Day (Sat 07-04) observed on Friday
		{"US", "2026-07-04", false}, // ... and only then
		{"US", "2027-12-31", true},  // New Year's Day 2028 (Saturday) observed the Friday before
		{"GB", "2026-12-28", true},  // Boxing Day (Sat 12-26) moved to Monday
		{"GB", "2026-08-31", true},  // Summer bank holiday, England and Wales
		{"DE", "2026-10-03", true},  // Tag der Deutschen Einheit
		{"DE", "2026-06-04", false}, // Fronleichnam is regional
		{"DE-BY", "2026-06-04", true},
		{"FR", "2026-07-14", true},
		{"NL", "2026-04-27", true}, // Koningsdag
		{"CA", "2026-07-01", true}, // Canada Day
		{"AU", "2026-01-26", true}, // Australia Day
		{"AU", "2026-03-09", false},
		{"AU-VIC", "2026-03-09", true}, // Labour Day in Victoria
		{"SE", "2026-06-19", true},     // Midsommarafton
		{"US, 2026-12-24", "2026-12-24", true},
		{"2026-12-24", "2025-12-24", false},
		{"", "2026-12-25", false},
	}
	for _, tc := range cases {
		h, err := ParseHolidays(tc.spec)
		if err != nil {
			t.Fatalf("ParseHolidays(%q): %v", tc.spec, err)
		}
		d, _ := time.Parse(time.DateOnly, tc.date)
		if got := h.Contains(d.Date()); got != tc.exp {
			t.Errorf("ParseHolidays(%q).Contains(%s) = %v, want %v", tc.spec, tc.date, got, tc.exp)
		}
	}
}

func TestHolidayCodes(t *testing.T) {
	codes := HolidayCodes()
	for _, c := range []string{"US", "GB", "UK", "DE", "FR", "NL", "CA", "AU", "SE", "DE-BY", "AU-NSW", "CH-ZH"} {
		if !slices.Contains(codes, c) {
			t.Errorf("HolidayCodes() lacks %s", c)
		}
	}
	if !slices.IsSorted(codes) {
		t.Errorf("HolidayCodes() not sorted: %v", codes)
	}
	// Every code gives at least one holiday in 2026.
	for _, c := range codes {
		h, err := ParseHolidays(c)
		if err != nil {
			t.Errorf("ParseHolidays(%q): %v", c, err)
			continue
		}
		if len(h.year(2026)) == 0 {
			t.Errorf("%s has no holiday in 2026", c)
		}
	}
}

func TestParseHolidaysErrors(t *testing.T) {
	cases := []struct {
		name, in, exp string
	}{
		{name: "unknown country", in: "XX", exp: `unknown holiday calendar "XX"; expected a country code (AR, AT, AU, BE,`},
		{name: "names the regions", in: "Germany", exp: `a region code (AU-NSW, CH-ZH, DE-BY and the other states of AU, CH and DE) or a date YYYY-MM-DD`},
		{name: "region of a country without regions", in: "US-CA", exp: `holiday calendar "US-CA": the holiday library has no regional calendars for US; use "US" and add the regional holidays as extra dates`},
		{name: "unknown region", in: "DE-XX", exp: `holiday calendar "DE-XX": unknown region of DE; expected DE-BB, DE-BE, DE-BW, DE-BY,`},
		{name: "unknown code after a good one", in: "US, ZZ", exp: `unknown holiday calendar "ZZ"`},
		{name: "impossible date", in: "2026-02-30", exp: `date "2026-02-30": expected a real date in YYYY-MM-DD form, like 2026-12-24`},
		{name: "month 13", in: "US, 2026-13-01", exp: `date "2026-13-01"`},
		{name: "short year", in: "26-12-24", exp: `date "26-12-24"`},
		{name: "day first", in: "24.12.2026", exp: `date "24.12.2026"`},
		{name: "semicolons", in: "US;DE", exp: `unknown holiday calendar "US;DE"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, err := ParseHolidays(tc.in)
			if err == nil {
				t.Fatalf("ParseHolidays(%q) = %q, want an error", tc.in, h)
			}
			if !strings.Contains(err.Error(), tc.exp) {
				t.Errorf("ParseHolidays(%q) error %q, want it to contain %q", tc.in, err, tc.exp)
			}
		})
	}
}
