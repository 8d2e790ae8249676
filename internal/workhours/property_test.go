package workhours

import (
	"math/rand/v2"
	"testing"
	"time"
)

// Zones with ordinary DST, half- and quarter-hour offsets, a 30-minute DST
// shift (Lord Howe), DST changes at midnight (Havana) and a skipped day
// (Apia, 2011-12-30).
var propertyZones = []string{
	"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata",
	"Australia/Lord_Howe", "America/Havana", "Pacific/Apia", "Pacific/Chatham",
}

var propertyHours = []string{
	"",
	"Mon-Thu 09:00-17:00, Fri 09:00-13:00",
	"Sun-Thu 08:30-16:30",
	"Mon-Fri 09:00-12:00 13:00-17:00",
	"Mon-Fri 22:00-24:00, Tue-Sat 00:00-06:00",
	"Sun 00:30-01:15 01:45-02:45 23:00-24:00, Wed 00:00-24:00",
}

var propertyHolidays = []string{"", "US", "DE-BY, 2026-12-24", "AU-NSW"}

// randomClock picks a clock from the lists above.
func randomClock(t *testing.T, r *rand.Rand) (*Clock, string) {
	hours := propertyHours[r.IntN(len(propertyHours))]
	tz := propertyZones[r.IntN(len(propertyZones))]
	hol := propertyHolidays[r.IntN(len(propertyHolidays))]
	return mustClock(t, hours, tz, hol), hours + " | " + tz + " | " + hol
}

// randomMoment returns a moment between 2010 and 2031, often close to a
// change of UTC offset in loc, with a random number of nanoseconds.
func randomMoment(r *rand.Rand, loc *time.Location) time.Time {
	t := time.Unix(time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC).Unix()+r.Int64N(21*365*86400), r.Int64N(1e9)).In(loc)
	if r.IntN(2) == 0 {
		if _, end := t.ZoneBounds(); !end.IsZero() {
			t = end.Add(time.Duration(r.Int64N(int64(96*time.Hour))) - 48*time.Hour)
		}
	}
	return t
}

// TestBetweenProperties checks, over random clocks and spans of up to 90
// days: working time is never negative nor more than calendar time; it is
// additive over a split; a reversed span is zero.
func TestBetweenProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 2026))
	for i := range 2000 {
		c, desc := randomClock(t, r)
		a := randomMoment(r, c.loc)
		cEnd := a.Add(time.Duration(r.Int64N(int64(90 * 24 * time.Hour))))
		b := a.Add(time.Duration(r.Int64N(int64(cEnd.Sub(a)) + 1)))

		ac, ab, bc := c.Between(a, cEnd), c.Between(a, b), c.Between(b, cEnd)
		if ac < 0 || ac > cEnd.Sub(a) {
			t.Fatalf("#%d %s: Between(%v, %v) = %v, outside [0, %v]", i, desc, a, cEnd, ac, cEnd.Sub(a))
		}
		if ab+bc != ac {
			t.Fatalf("#%d %s: Between(a, b) + Between(b, c) = %v + %v ≠ Between(a, c) = %v (a=%v b=%v c=%v)", i, desc, ab, bc, ac, a, b, cEnd)
		}
		if a.Before(cEnd) {
			if got := c.Between(cEnd, a); got != 0 {
				t.Fatalf("#%d %s: reversed Between = %v, want 0", i, desc, got)
			}
		}
	}
}

// TestBetweenRoundTheClock checks that a week without any time off
// counts exactly calendar time, whatever the time zone does.
func TestBetweenRoundTheClock(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 2026))
	for i := range 1000 {
		tz := propertyZones[r.IntN(len(propertyZones))]
		c := mustClock(t, "Mon-Sun 00:00-24:00", tz, "")
		a := randomMoment(r, c.loc)
		b := a.Add(time.Duration(r.Int64N(int64(60 * 24 * time.Hour))))
		if got := c.Between(a, b); got != b.Sub(a) {
			t.Fatalf("#%d %s: Between(%v, %v) = %v, want calendar time %v", i, tz, a, b, got, b.Sub(a))
		}
	}
	// Apia skipped Friday 2011-12-30: the local clock went from Thursday
	// 23:59:59 (UTC−10) to Saturday 00:00 (UTC+14), so a Friday-only week
	// had no working time that year.
	c := mustClock(t, "Fri 00:00-24:00", "Pacific/Apia", "")
	a := time.Date(2011, 12, 28, 0, 0, 0, 0, time.UTC)
	if got := c.Between(a, a.AddDate(0, 0, 7)); got != 0 {
		t.Errorf("Apia Friday 2011-12-30: Between = %v, want 0", got)
	}
}

// TestBetweenMatchesMinuteCount compares Between with the definition,
// counted minute by minute: a minute is working time when the local clock
// shows a working time of a working day that is not a holiday. Spans are
// minute-aligned and up to three days long, often across a change of UTC
// offset.
func TestBetweenMatchesMinuteCount(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 2026))
	for i := range 300 {
		c, desc := randomClock(t, r)
		a := randomMoment(r, c.loc).Truncate(time.Minute)
		b := a.Add(time.Duration(r.IntN(3*24*60)) * time.Minute)
		var want time.Duration
		holiday := map[civil]bool{}
		for m := a; m.Before(b); m = m.Add(time.Minute) {
			local := m.In(c.loc)
			d := dateOf(local)
			hol, ok := holiday[d]
			if !ok {
				hol = c.holidays.Contains(d.year, d.month, d.day)
				holiday[d] = hol
			}
			if hol {
				continue
			}
			minute := local.Hour()*60 + local.Minute()
			for _, s := range c.hours.days[local.Weekday()] {
				if s.from <= minute && minute < s.to {
					want += time.Minute
				}
			}
		}
		if got := c.Between(a, b); got != want {
			t.Fatalf("#%d %s: Between(%v, %v) = %v, minute count %v", i, desc, a, b, got, want)
		}
	}
}
