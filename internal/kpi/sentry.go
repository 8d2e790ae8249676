package kpi

import (
	"math"
	"slices"
	"strings"
	"time"
)

// ErrorDay is one complete UTC day of Sentry figures: E(D) error events
// and U(D) active users. A nil field was not reported for that day.
type ErrorDay struct {
	Date   string `json:"date"`
	Events *int64 `json:"events"`
	Users  *int64 `json:"users"`
}

// PerUser is E(D)/U(D), or nil when either is unknown or U(D) is 0 (a day
// with no active users recorded is never divided by zero).
func (d ErrorDay) PerUser() *float64 {
	if d.Events == nil || d.Users == nil || *d.Users == 0 {
		return nil
	}
	return ptr(Round6(float64(*d.Events) / float64(*d.Users)))
}

// SentryWindow is the Sentry KPI over one window.
type SentryWindow struct {
	// From and To bound the complete days of the window: [From, To).
	From, To time.Time
	// Events and Users are ΣE and ΣU over the days with both figures; when
	// no day has a user count, Events is ΣE over the days Sentry reported
	// and Users stays 0 with UserDays 0.
	Events, Users int64
	// EventDays and UserDays count those days.
	EventDays, UserDays int
	// Days counts the days with both figures, over which PerUserDay is
	// taken; Missing the complete days lacking either; ZeroUsers the days
	// with U(D) = 0.
	Days, Missing, ZeroUsers int
	// PerUserDay is ΣE/ΣU over the days with both figures; nil when their
	// ΣU is 0.
	PerUserDay *float64
}

// WindowDays returns the complete UTC days of the window ending at asOf:
// every day D that the window (asOf − window, asOf] reaches, with D+1 00:00
// ≤ asOf, so a 28-day window always spans 28 days, and today's partial
// day is never among them.
func WindowDays(asOf time.Time, window time.Duration) (from, to time.Time) {
	day := 24 * time.Hour
	to = asOf.UTC().Truncate(day)
	from = asOf.UTC().Add(-window).Truncate(day)
	return from, to
}

// SummarizeSentry computes the window value from daily figures (in any
// order; days outside the window are ignored).
func SummarizeSentry(days []ErrorDay, asOf time.Time, window time.Duration) SentryWindow {
	from, to := WindowDays(asOf, window)
	w := SentryWindow{From: from, To: to}
	seen := map[string]bool{}
	var pairE, pairU int64
	for _, d := range days {
		t, err := time.Parse(time.DateOnly, d.Date)
		if err != nil || t.Before(from) || !t.Before(to) || seen[d.Date] {
			continue
		}
		seen[d.Date] = true
		if d.Events != nil {
			w.Events += *d.Events
			w.EventDays++
		}
		if d.Users != nil {
			w.Users += *d.Users
			w.UserDays++
			if *d.Users == 0 {
				w.ZeroUsers++
			}
		}
		if d.Events == nil || d.Users == nil {
			w.Missing++
			continue
		}
		w.Days++
		pairE += *d.Events
		pairU += *d.Users
	}
	if n := int(to.Sub(from) / (24 * time.Hour)); n > len(seen) {
		w.Missing += n - len(seen)
	}
	if w.Days > 0 {
		// The three window values agree: ΣE and ΣU over the same days.
		w.Events, w.Users, w.EventDays, w.UserDays = pairE, pairU, w.Days, w.Days
	}
	if pairU > 0 {
		w.PerUserDay = ptr(Round6(float64(pairE) / float64(pairU)))
	}
	return w
}

// Round6 rounds a ratio to 6 decimals.
func Round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// Values returns the window's figures under their metric names.
func (w SentryWindow) Values() (Values, Samples) {
	v := Values{SentryEventsPerUserDay: w.PerUserDay, SentryEvents: nil, SentryActiveUsers: nil}
	s := Samples{SentryEvents: w.EventDays, SentryActiveUsers: w.UserDays, SentryEventsPerUserDay: w.Days}
	if w.EventDays > 0 {
		v[SentryEvents] = ptr(float64(w.Events))
	}
	if w.UserDays > 0 {
		v[SentryActiveUsers] = ptr(float64(w.Users))
	}
	return v, s
}

// MergeDays overlays fresh days on stored ones, by date: a fresh day
// replaces the stored one of its date. The result is ascending by date;
// nil when both are empty.
func MergeDays(stored, fresh []ErrorDay) []ErrorDay {
	byDate := make(map[string]ErrorDay, len(stored)+len(fresh))
	for _, d := range stored {
		byDate[d.Date] = d
	}
	for _, d := range fresh {
		byDate[d.Date] = d
	}
	if len(byDate) == 0 {
		return nil
	}
	out := make([]ErrorDay, 0, len(byDate))
	for _, d := range byDate {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b ErrorDay) int { return strings.Compare(a.Date, b.Date) })
	return out
}
