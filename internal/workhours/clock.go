// Package workhours measures waiting time in working hours: a weekly
// schedule in a time zone's wall-clock time, minus public holidays and
// extra days off. It reads the business-hours, timezone and holidays
// inputs and provides a kpi.Clock for wait-clock: business.
//
// Working time is the time during which the local clock in the time zone
// shows a time inside a working interval of a working day that is not a
// holiday. It is measured in elapsed time, so across a daylight-saving
// change:
//
//   - a 09:00-17:00 day is 8 hours, as the change happens outside it;
//   - a 00:00-24:00 day is 23 hours on the day the clocks go forward and 25
//     hours on the day they go back;
//   - an interval that contains the change is shortened or lengthened by
//     it (01:00-04:00 is 2 hours in spring and 4 in autumn in Europe), and
//     a wall time skipped by the change counts nothing while one repeated
//     by it counts twice.
//
// So working time never exceeds calendar time, and it is additive:
// Between(a, c) = Between(a, b) + Between(b, c) for a ≤ b ≤ c.
package workhours

import (
	"strings"
	"sync"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

var _ kpi.Clock = (*Clock)(nil)

// Clock counts working time. It is safe for concurrent use. Make one with
// New.
type Clock struct {
	hours    Hours
	loc      *time.Location
	holidays Holidays

	mu    sync.Mutex
	years map[int]map[civil]struct{} // holiday dates by year, computed on demand
}

// maxCachedYears bounds the holiday dates a Clock keeps.
const maxCachedYears = 64

// New returns a clock that counts the working hours h of the time zone loc
// (UTC when nil), skipping holidays.
func New(h Hours, loc *time.Location, holidays Holidays) *Clock {
	if loc == nil {
		loc = time.UTC
	}
	return &Clock{hours: h, loc: loc, holidays: holidays}
}

// String describes the clock, for example
// "Mon-Fri 09:00-17:00 Europe/Berlin, holidays DE-BY, 2026-12-24".
func (c *Clock) String() string {
	var b strings.Builder
	b.WriteString(c.hours.String())
	b.WriteString(" ")
	b.WriteString(c.location().String())
	if !c.holidays.IsZero() {
		b.WriteString(", holidays ")
		b.WriteString(c.holidays.String())
	}
	return b.String()
}

func (c *Clock) location() *time.Location {
	if c.loc == nil {
		return time.UTC
	}
	return c.loc
}

// Between returns the working time in [start, end); zero when end is not
// after start. It takes time proportional to the number of days in the
// span (plus one step per daylight-saving change), whatever its length in
// minutes.
func (c *Clock) Between(start, end time.Time) time.Duration {
	// Compare and subtract wall-clock readings, never monotonic ones.
	start, end = start.Round(0), end.Round(0)
	if !end.After(start) || c.hours.IsZero() {
		return 0
	}
	loc := c.location()
	var total time.Duration
	// Walk the stretches of constant UTC offset; within one, the local
	// clock reads the instant plus the offset.
	for t := start; t.Before(end); {
		local := t.In(loc)
		_, offset := local.Zone()
		next := end
		if _, zoneEnd := local.ZoneBounds(); !zoneEnd.IsZero() && zoneEnd.After(t) && zoneEnd.Before(end) {
			next = zoneEnd
		}
		shift := time.Duration(offset) * time.Second
		total += c.wallTime(t.UTC().Add(shift), next.UTC().Add(shift))
		t = next
	}
	return total
}

// wallTime returns the working time between two readings of the local
// clock, a before b, written as UTC times.
func (c *Clock) wallTime(a, b time.Time) time.Duration {
	var (
		total    time.Duration
		year     int
		holidays map[civil]struct{} // of year
	)
	y, m, d := a.Date()
	for day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC); day.Before(b); day = day.Add(24 * time.Hour) {
		spans := c.hours.days[day.Weekday()]
		if len(spans) == 0 {
			continue
		}
		if !c.holidays.IsZero() {
			date := dateOf(day)
			if holidays == nil || date.year != year {
				year, holidays = date.year, c.holidaysOf(date.year)
			}
			if _, off := holidays[date]; off {
				continue
			}
		}
		for _, s := range spans {
			from := day.Add(time.Duration(s.from) * time.Minute)
			to := day.Add(time.Duration(s.to) * time.Minute)
			if from.Before(a) {
				from = a
			}
			if to.After(b) {
				to = b
			}
			if to.After(from) {
				total += to.Sub(from)
			}
		}
	}
	return total
}

// holidaysOf returns the holiday dates of year, computing them once.
func (c *Clock) holidaysOf(year int) map[civil]struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	dates, ok := c.years[year]
	if !ok {
		if c.years == nil || len(c.years) >= maxCachedYears {
			c.years = map[int]map[civil]struct{}{}
		}
		dates = c.holidays.year(year)
		c.years[year] = dates
	}
	return dates
}
