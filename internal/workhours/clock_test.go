package workhours

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// mustClock builds a clock from the three inputs or fails the test.
func mustClock(tb testing.TB, hours, tz, holidays string) *Clock {
	tb.Helper()
	h, err := ParseHours(hours)
	if err != nil {
		tb.Fatalf("ParseHours(%q): %v", hours, err)
	}
	loc, err := LoadLocation(tz)
	if err != nil {
		tb.Fatalf("LoadLocation(%q): %v", tz, err)
	}
	hol, err := ParseHolidays(holidays)
	if err != nil {
		tb.Fatalf("ParseHolidays(%q): %v", holidays, err)
	}
	return New(h, loc, hol)
}

// moment parses "2006-01-02 15:04" as wall time in loc, or
// "2006-01-02 15:04Z" as UTC.
func moment(tb testing.TB, loc *time.Location, s string) time.Time {
	tb.Helper()
	if strings.HasSuffix(s, "Z") {
		loc = time.UTC
		s = strings.TrimSuffix(s, "Z")
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

const h = time.Hour

// Dates used below (2026): Mon 11-16, Tue 11-17, Wed 11-18, Fri 11-20,
// Sat 11-21, Sun 11-22, Mon 11-23; Thanksgiving Thu 11-26; Independence
// Day Sat 07-04, observed Fri 07-03. DST: Europe/Berlin forward Sun 03-29
// at 02:00 CET (01:00Z), back Sun 10-25 at 03:00 CEST (01:00Z);
// America/New_York forward Sun 03-08 at 02:00 EST (07:00Z), back Sun 11-01
// at 02:00 EDT (06:00Z).
func TestBetween(t *testing.T) {
	cases := []struct {
		name     string
		hours    string // "" = Mon-Fri 09:00-17:00
		tz       string // "" = UTC
		holidays string
		start    string // wall time in tz, or UTC with a Z suffix
		end      string
		want     time.Duration
	}{
		// Default week, UTC.
		{name: "same day inside hours", start: "2026-11-17 10:00", end: "2026-11-17 15:30",
			want: 5*h + 30*time.Minute}, // 15:30 − 10:00
		{name: "start before opening", start: "2026-11-17 07:00", end: "2026-11-17 11:00",
			want: 2 * h}, // 09:00 → 11:00
		{name: "end after closing", start: "2026-11-17 15:00", end: "2026-11-17 20:00",
			want: 2 * h}, // 15:00 → 17:00
		{name: "before opening to after closing", start: "2026-11-17 06:00", end: "2026-11-17 22:00",
			want: 8 * h}, // 09:00 → 17:00
		{name: "both before opening", start: "2026-11-17 06:00", end: "2026-11-17 08:59",
			want: 0},
		{name: "midnight to midnight", start: "2026-11-17 00:00", end: "2026-11-18 00:00",
			want: 8 * h}, // one working day
		{name: "overnight", start: "2026-11-17 16:00", end: "2026-11-18 10:00",
			want: 2 * h}, // Tue 16–17 (1h) + Wed 09–10 (1h)
		{name: "overnight outside hours", start: "2026-11-17 18:00", end: "2026-11-18 08:00",
			want: 0},
		{name: "Friday evening to Monday morning", start: "2026-11-20 16:00", end: "2026-11-23 10:00",
			want: 2 * h}, // Fri 16–17 (1h) + Mon 09–10 (1h); 66h on the calendar
		{name: "Friday after closing to Monday before opening", start: "2026-11-20 18:00", end: "2026-11-23 08:00",
			want: 0},
		{name: "weekend only", start: "2026-11-21 08:00", end: "2026-11-22 20:00",
			want: 0},
		{name: "empty span", start: "2026-11-17 10:00", end: "2026-11-17 10:00",
			want: 0},
		{name: "end before start", start: "2026-11-17 15:00", end: "2026-11-17 10:00",
			want: 0},

		// Holidays.
		{name: "across Thanksgiving", holidays: "US", start: "2026-11-25 16:00", end: "2026-11-27 10:00",
			want: 2 * h}, // Wed 16–17 (1h) + Thu holiday (0) + Fri 09–10 (1h)
		{name: "same span without holidays", start: "2026-11-25 16:00", end: "2026-11-27 10:00",
			want: 10 * h}, // 1h + Thu 8h + 1h
		{name: "observed Independence Day", holidays: "US", start: "2026-07-02 16:00", end: "2026-07-06 10:00",
			want: 2 * h}, // Thu 16–17 (1h) + Fri 07-03 observed (0) + Mon 09–10 (1h)
		{name: "inside a holiday", holidays: "US", start: "2026-11-26 09:00", end: "2026-11-26 17:00",
			want: 0},
		{name: "extra dates", holidays: "2026-12-24, 2026-12-31", start: "2026-12-23 16:00", end: "2026-12-25 10:00",
			want: 2 * h}, // Wed 16–17 (1h) + Thu 24 extra (0) + Fri 25 09–10 (1h): no code, Christmas is a working day
		{name: "code and extra date", holidays: "US\n2026-12-24", start: "2026-12-23 16:00", end: "2026-12-25 10:00",
			want: 1 * h}, // Wed 16–17 (1h) + Thu 24 extra (0) + Fri 25 Christmas (0)

		// Long spans.
		{name: "four weeks", start: "2026-11-02 00:00", end: "2026-11-30 00:00",
			want: 160 * h}, // 4 weeks × 5 days × 8h
		{name: "four weeks with US holidays", holidays: "US", start: "2026-11-02 00:00", end: "2026-11-30 00:00",
			want: 144 * h}, // (20 days − Veterans Day Wed 11-11 − Thanksgiving Thu 11-26) × 8h = 18 × 8h
		{name: "four weeks, ragged ends", start: "2026-11-04 12:00", end: "2026-12-01 10:00",
			want: 150 * h}, // Wed 12–17 (5h) + Thu, Fri (16h) + 3 weeks 11-09…11-27 (120h) + Mon 11-30 (8h) + Tue 09–10 (1h)
		{name: "a year in Berlin with German holidays", tz: "Europe/Berlin", holidays: "DE", start: "2026-01-01 00:00", end: "2027-01-01 00:00",
			want: 2032 * h}, // 2026 has 261 weekdays (52 weeks + Thu 01-01); 7 holidays on weekdays (01-01, 04-03, 04-06, 05-01, 05-14, 05-25, 12-25) → 254 × 8h
		{name: "a year in New York with US holidays", tz: "America/New_York", holidays: "US", start: "2026-01-01 00:00", end: "2027-01-01 00:00",
			want: 2000 * h}, // 261 weekdays − 11 federal holidays, all on weekdays in 2026 (07-04 observed Fri 07-03) → 250 × 8h

		// Other weeks.
		{name: "short Friday", hours: "Mon-Thu 09:00-17:00, Fri 09:00-13:00", start: "2026-11-20 12:00", end: "2026-11-23 10:00",
			want: 2 * h}, // Fri 12–13 (1h) + Mon 09–10 (1h)
		{name: "short Friday, whole day", hours: "Mon-Thu 09:00-17:00, Fri 09:00-13:00", start: "2026-11-20 08:00", end: "2026-11-20 18:00",
			want: 4 * h}, // 09:00 → 13:00
		{name: "lunch break", hours: "Mon-Fri 09:00-12:00 13:00-17:00", start: "2026-11-17 11:00", end: "2026-11-17 14:00",
			want: 2 * h}, // 11–12 (1h) + 13–14 (1h)
		{name: "night shift across midnight", hours: "Mon-Fri 22:00-24:00, Tue-Sat 00:00-06:00", start: "2026-11-16 23:00", end: "2026-11-17 02:00",
			want: 3 * h}, // Mon 23–24 (1h) + Tue 00–02 (2h)
		{name: "Sun-Thu week, Thursday to Sunday", hours: "Sun-Thu 09:00-17:00", tz: "Asia/Dubai", start: "2026-11-19 16:00", end: "2026-11-22 10:00",
			want: 2 * h}, // Thu 16–17 (1h) + Fri, Sat off + Sun 09–10 (1h)
		{name: "Sun-Thu week, Friday and Saturday", hours: "Sun-Thu 09:00-17:00", tz: "Asia/Dubai", start: "2026-11-20 09:00", end: "2026-11-21 17:00",
			want: 0},
		{name: "Sun-Thu week, whole week", hours: "Sun-Thu 09:00-17:00", tz: "Asia/Dubai", start: "2026-11-22 00:00", end: "2026-11-29 00:00",
			want: 40 * h}, // 5 days × 8h

		// Half-hour offset: Asia/Kolkata is UTC+05:30; times given in UTC.
		{name: "Kolkata whole day", tz: "Asia/Kolkata", start: "2026-11-17 03:00Z", end: "2026-11-17 12:00Z",
			want: 8 * h}, // 08:30 → 17:30 IST covers 09:00 → 17:00
		{name: "Kolkata inside hours", tz: "Asia/Kolkata", start: "2026-11-17 04:00Z", end: "2026-11-17 10:00Z",
			want: 6 * h}, // 09:30 → 15:30 IST
		{name: "Kolkata Friday to Monday", tz: "Asia/Kolkata", start: "2026-11-20 11:00Z", end: "2026-11-23 04:00Z",
			want: 1 * h}, // Fri 16:30–17:00 IST (30m) + Mon 09:00–09:30 IST (30m)
		{name: "Kolkata local date differs from UTC date", tz: "Asia/Kolkata", start: "2026-11-16 20:00Z", end: "2026-11-17 04:30Z",
			want: 1 * h}, // Tue 01:30 → 10:00 IST: 09:00–10:00; Mon 20:00Z is already Tuesday in Kolkata

		// DST in Europe/Berlin.
		{name: "Berlin spring forward, 24h day", hours: "Sun 00:00-24:00", tz: "Europe/Berlin", start: "2026-03-28 12:00", end: "2026-03-30 12:00",
			want: 23 * h}, // Sun 00:00 CET (Sat 23:00Z) → Mon 00:00 CEST (Sun 22:00Z)
		{name: "Berlin fall back, 24h day", hours: "Sun 00:00-24:00", tz: "Europe/Berlin", start: "2026-10-24 12:00", end: "2026-10-26 12:00",
			want: 25 * h}, // Sun 00:00 CEST (Sat 22:00Z) → Mon 00:00 CET (Sun 23:00Z)
		{name: "Berlin spring forward, 09-17", hours: "Sun 09:00-17:00", tz: "Europe/Berlin", start: "2026-03-29 00:00", end: "2026-03-30 00:00",
			want: 8 * h}, // the change at 02:00 is outside 09:00 → 17:00
		{name: "Berlin fall back, 09-17", hours: "Sun 09:00-17:00", tz: "Europe/Berlin", start: "2026-10-25 00:00", end: "2026-10-26 00:00",
			want: 8 * h},
		{name: "Berlin spring forward inside hours", hours: "Sun 01:00-04:00", tz: "Europe/Berlin", start: "2026-03-29 00:00", end: "2026-03-30 00:00",
			want: 2 * h}, // 01:00–02:00 CET (1h) + 03:00–04:00 CEST (1h); 02:00–03:00 never shows
		{name: "Berlin fall back inside hours", hours: "Sun 01:00-04:00", tz: "Europe/Berlin", start: "2026-10-25 00:00", end: "2026-10-26 00:00",
			want: 4 * h}, // 01:00–03:00 CEST (2h) + 02:00–04:00 CET (2h)
		{name: "Berlin skipped hour", hours: "Sun 02:00-03:00", tz: "Europe/Berlin", start: "2026-03-28 00:00", end: "2026-03-30 00:00",
			want: 0},
		{name: "Berlin repeated hour", hours: "Sun 02:00-03:00", tz: "Europe/Berlin", start: "2026-10-24 00:00", end: "2026-10-26 00:00",
			want: 2 * h}, // 02:00–03:00 CEST (00:00–01:00Z) + 02:00–03:00 CET (01:00–02:00Z)
		{name: "Berlin start and end in the repeated hour", hours: "Sun 00:00-24:00", tz: "Europe/Berlin", start: "2026-10-25 00:30Z", end: "2026-10-25 01:30Z",
			want: 1 * h}, // 02:30 CEST → 02:30 CET
		{name: "Berlin round the clock equals calendar time", hours: "Mon-Sun 00:00-24:00", tz: "Europe/Berlin", start: "2026-03-28 10:00", end: "2026-03-30 10:00",
			want: 47 * h}, // Sat 10:00 CET (09:00Z) → Mon 10:00 CEST (08:00Z)

		// DST in America/New_York.
		{name: "New York spring forward, 24h day", hours: "Sun 00:00-24:00", tz: "America/New_York", start: "2026-03-07 12:00", end: "2026-03-09 12:00",
			want: 23 * h}, // Sun 00:00 EST (05:00Z) → Mon 00:00 EDT (Mon 04:00Z)
		{name: "New York fall back, 24h day", hours: "Sun 00:00-24:00", tz: "America/New_York", start: "2026-10-31 12:00", end: "2026-11-02 12:00",
			want: 25 * h}, // Sun 00:00 EDT (04:00Z) → Mon 00:00 EST (Mon 05:00Z)
		{name: "New York spring forward, 09-17", hours: "Sun 09:00-17:00", tz: "America/New_York", start: "2026-03-08 00:00", end: "2026-03-09 00:00",
			want: 8 * h},
		{name: "New York fall back, 09-17", hours: "Sun 09:00-17:00", tz: "America/New_York", start: "2026-11-01 00:00", end: "2026-11-02 00:00",
			want: 8 * h},
		{name: "New York hours start in the skipped hour", hours: "Sun 02:30-05:00", tz: "America/New_York", start: "2026-03-08 00:00", end: "2026-03-09 00:00",
			want: 2 * h}, // the clock jumps from 02:00 EST to 03:00 EDT: 03:00–05:00 EDT
		{name: "New York hours start in the repeated hour", hours: "Sun 01:30-03:00", tz: "America/New_York", start: "2026-11-01 00:00", end: "2026-11-02 00:00",
			want: 2 * h}, // 01:30–02:00 EDT (05:30–06:00Z, 30m) + 01:30–03:00 EST (06:30–08:00Z, 1h30m)
		{name: "New York weekend with the change", tz: "America/New_York", start: "2026-03-06 16:00", end: "2026-03-09 10:00",
			want: 2 * h}, // Fri 16–17 EST (1h) + Mon 09–10 EDT (1h); 65h on the calendar
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustClock(t, tc.hours, tc.tz, tc.holidays)
			start, end := moment(t, c.loc, tc.start), moment(t, c.loc, tc.end)
			if got := c.Between(start, end); got != tc.want {
				t.Errorf("Between(%s, %s) = %v, want %v", start, end, got, tc.want)
			}
		})
	}
}

func TestBetweenZeroValues(t *testing.T) {
	start := time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC)
	end := start.Add(48 * h)
	if got := New(Hours{}, nil, Holidays{}).Between(start, end); got != 0 {
		t.Errorf("zero Hours: Between = %v, want 0", got)
	}
	if got := (&Clock{hours: mustHours(t, "")}).Between(start, end); got != 16*h {
		t.Errorf("Clock without location: Between = %v, want 16h (two UTC working days)", got)
	}
}

// TestBetweenMonotonicReadings checks that readings from time.Now, which
// carry a monotonic clock reading, are measured by their wall time.
func TestBetweenMonotonicReadings(t *testing.T) {
	c := mustClock(t, "Mon-Sun 00:00-24:00", "", "")
	now := time.Now()
	later := now.Add(90 * time.Minute)
	if got := c.Between(now, later); got != 90*time.Minute {
		t.Errorf("Between(now, now+90m) = %v, want 1h30m", got)
	}
}

func TestClockString(t *testing.T) {
	c := mustClock(t, "Mon-Thu 09:00-17:00, Fri 09:00-13:00", "Europe/Berlin", "de-by, 2026-12-24")
	want := "Mon-Thu 09:00-17:00, Fri 09:00-13:00 Europe/Berlin, holidays DE-BY, 2026-12-24"
	if got := c.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got, want := mustClock(t, "", "", "").String(), "Mon-Fri 09:00-17:00 UTC"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func mustHours(tb testing.TB, s string) Hours {
	tb.Helper()
	h, err := ParseHours(s)
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

func ExampleClock_Between() {
	hours, _ := ParseHours("Mon-Fri 09:00-17:00")
	loc, _ := LoadLocation("Europe/Berlin")
	holidays, _ := ParseHolidays("DE")
	clock := New(hours, loc, holidays)

	requested := time.Date(2026, 11, 20, 16, 0, 0, 0, loc) // Friday
	answered := time.Date(2026, 11, 23, 10, 0, 0, 0, loc)  // Monday
	fmt.Println(clock.Between(requested, answered), "of", answered.Sub(requested))
	// Output: 2h0m0s of 66h0m0s
}

func BenchmarkBetweenYear(b *testing.B) {
	c := mustClock(b, "Mon-Thu 09:00-17:00, Fri 09:00-13:00", "Europe/Berlin", "DE-BY, 2026-12-24")
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, c.loc)
	end := start.AddDate(1, 0, 0)
	for b.Loop() {
		c.Between(start, end)
	}
}

func BenchmarkBetweenDay(b *testing.B) {
	c := mustClock(b, "", "America/New_York", "US")
	start := time.Date(2026, 11, 20, 16, 0, 0, 0, c.loc)
	end := start.Add(66 * h)
	for b.Loop() {
		c.Between(start, end)
	}
}
