package workhours

import (
	"strings"
	"testing"
)

func TestParseHours(t *testing.T) {
	cases := []struct {
		name string
		in   string
		exp  string // Hours.String()
	}{
		{name: "empty is the default", in: "", exp: "Mon-Fri 09:00-17:00"},
		{name: "blank is the default", in: " \n ", exp: "Mon-Fri 09:00-17:00"},
		{name: "default", in: "Mon-Fri 09:00-17:00", exp: "Mon-Fri 09:00-17:00"},
		{name: "list", in: "Mon-Thu 09:00-17:00, Fri 09:00-13:00", exp: "Mon-Thu 09:00-17:00, Fri 09:00-13:00"},
		{name: "newlines", in: "Mon-Thu 09:00-17:00\nFri 09:00-13:00\n", exp: "Mon-Thu 09:00-17:00, Fri 09:00-13:00"},
		{name: "single day", in: "Sat 10:00-14:00", exp: "Sat 10:00-14:00"},
		{name: "range wraps round the week", in: "Sun-Thu 09:00-17:00", exp: "Sun-Thu 09:00-17:00"},
		{name: "weekend range", in: "Fri-Mon 08:00-12:00", exp: "Fri-Mon 08:00-12:00"},
		{name: "whole week", in: "Mon-Sun 00:00-24:00", exp: "Mon-Sun 00:00-24:00"},
		{name: "loose spelling", in: "mon – FRI 9:00 - 17:30", exp: "Mon-Fri 09:00-17:30"},
		{name: "full day names", in: "Monday-Friday 09:00-17:00", exp: "Mon-Fri 09:00-17:00"},
		{name: "several ranges", in: "Mon-Fri 13:00-17:00 09:00-12:00", exp: "Mon-Fri 09:00-12:00 13:00-17:00"},
		{name: "touching ranges join", in: "Mon-Fri 09:00-12:00, Mon-Fri 12:00-17:00", exp: "Mon-Fri 09:00-17:00"},
		{name: "one day apart", in: "Mon-Fri 09:00-17:00, Wed 18:00-19:00", exp: "Mon-Tue 09:00-17:00, Wed 09:00-17:00 18:00-19:00, Thu-Fri 09:00-17:00"},
		{name: "night shift", in: "Mon-Fri 22:00-24:00, Tue-Sat 00:00-06:00", exp: "Mon 22:00-24:00, Tue-Fri 00:00-06:00 22:00-24:00, Sat 00:00-06:00"},
		{name: "trailing comma", in: "Mon-Fri 09:00-17:00,", exp: "Mon-Fri 09:00-17:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, err := ParseHours(tc.in)
			if err != nil {
				t.Fatalf("ParseHours(%q): %v", tc.in, err)
			}
			if got := h.String(); got != tc.exp {
				t.Errorf("ParseHours(%q).String() = %q, want %q", tc.in, got, tc.exp)
			}
			// String is read back as the same schedule.
			again, err := ParseHours(h.String())
			if err != nil || again.String() != tc.exp {
				t.Errorf("ParseHours(%q) = %q, %v; want %q", h.String(), again.String(), err, tc.exp)
			}
		})
	}
}

func TestParseHoursErrors(t *testing.T) {
	cases := []struct {
		name string
		in   string
		exp  string // part of the error
	}{
		{name: "bad day", in: "Mon-Fro 09:00-17:00", exp: `entry "Mon-Fro 09:00-17:00": unknown day "Fro"; expected Mon, Tue, Wed, Thu, Fri, Sat or Sun`},
		{name: "bad first day", in: "Mo-Fr 09:00-17:00", exp: `unknown day "Mo"`},
		{name: "missing day", in: "-Fri 09:00-17:00", exp: `missing day; expected Mon`},
		{name: "same day range", in: "Mon-Mon 09:00-17:00", exp: `starts and ends on the same day; write Mon for one day or Mon-Sun for the whole week`},
		{name: "no time", in: "Mon-Fri", exp: `entry "Mon-Fri": expected entries like "Mon-Fri 09:00-17:00"`},
		{name: "no days", in: "09:00-17:00", exp: `entry "09:00-17:00": expected entries like "Mon-Fri 09:00-17:00"`},
		{name: "end before start", in: "Mon-Fri 17:00-09:00", exp: `time range "17:00-09:00": the end must be after the start`},
		{name: "end equals start", in: "Mon 09:00-09:00", exp: `the end must be after the start`},
		{name: "start at 24:00", in: "Mon 24:00-24:00", exp: `time "24:00": expected HH:MM from 00:00 to 23:59`},
		{name: "end past 24:00", in: "Mon 09:00-24:30", exp: `time "24:30": expected HH:MM from 00:01 to 24:00`},
		{name: "hour 25", in: "Mon 09:00-25:00", exp: `time "25:00"`},
		{name: "minute 60", in: "Mon 09:60-17:00", exp: `time "09:60"`},
		{name: "no minutes", in: "Mon-Fri 9-17", exp: `time "9": expected HH:MM`},
		{name: "no colon", in: "Mon-Fri 0900-1700", exp: `time "0900": expected HH:MM`},
		{name: "am pm", in: "Mon-Fri 9:00am-5:00pm", exp: `time "9:00am"`},
		{name: "single time", in: "Mon-Fri 09:00", exp: `time range "09:00": expected HH:MM-HH:MM`},
		{name: "three times", in: "Mon 09:00-12:00-17:00", exp: `time "12:00-17:00"`},
		{name: "overlap", in: "Mon-Fri 09:00-17:00, Wed 12:00-13:00", exp: `entry "Wed 12:00-13:00": Wed 12:00-13:00 overlaps Wed 09:00-17:00 given earlier`},
		{name: "overlap in one entry", in: "Mon 09:00-12:00 11:00-13:00", exp: `Mon 11:00-13:00 overlaps Mon 09:00-12:00`},
		{name: "only separators", in: ", ,", exp: `no working hours in ", ,"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, err := ParseHours(tc.in)
			if err == nil {
				t.Fatalf("ParseHours(%q) = %q, want an error", tc.in, h)
			}
			if !strings.Contains(err.Error(), tc.exp) {
				t.Errorf("ParseHours(%q) error %q, want it to contain %q", tc.in, err, tc.exp)
			}
		})
	}
}
