package history

import (
	"strings"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// Settings is what a snapshot was computed with: everything that changes
// its figures. Two snapshots of one date and repository with different
// settings are kept apart, and only snapshots of comparable settings are
// charted or compared together.
type Settings struct {
	// Window and SLA are written as the inputs are ("28d", "24h").
	Window string `json:"window"`
	SLA    string `json:"sla"`
	// Clock is "calendar" or "business"; the business clock's hours,
	// timezone and holiday calendar follow.
	Clock         string `json:"clock"`
	BusinessHours string `json:"business_hours,omitempty"`
	Timezone      string `json:"timezone,omitempty"`
	Holidays      string `json:"holidays,omitempty"`
	// Filter says which requests count (excluded reviewers, authors and
	// labels, hidden-team estimate), as kpi.Filter.FilterKey writes it;
	// empty for the defaults.
	Filter string `json:"filter,omitempty"`
	// Sentry says which events count (organisation, projects,
	// environment, query); empty without Sentry.
	Sentry string `json:"sentry,omitempty"`
}

// Key is the identity of the review figures' settings, readable:
// "window=28d sla=24h clock=calendar", followed by the other fields that
// are set. The Sentry settings are recorded but not part of it: they do
// not change the review figures, and a snapshot's Sentry figures are
// filled in beside them (configuring Sentry, or changing its projects,
// does not start another series of every figure).
func (s *Settings) Key() string {
	if s == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("window=" + s.Window + " sla=" + s.SLA + " clock=" + s.Clock)
	for _, f := range []struct{ name, v string }{
		{"business_hours", s.BusinessHours}, {"timezone", s.Timezone}, {"holidays", s.Holidays},
		{"filter", s.Filter},
	} {
		if f.v != "" {
			b.WriteString(" " + f.name + "=" + f.v)
		}
	}
	return b.String()
}

// KeyOf is the settings key of a snapshot: st's key, or for a snapshot
// that recorded only its clock (schema 1) "clock=" and the clock.
func KeyOf(st *Settings, clock string) string {
	if st != nil {
		return st.Key()
	}
	if clock == "" {
		clock = kpi.ClockCalendar
	}
	return "clock=" + clock
}

// Comparable reports whether figures computed with settings keys a and b
// can be charted and compared together: the same settings, or one of them
// recorded only its clock (a schema-1 snapshot), which is then taken to be
// computed like the other when the clocks agree.
func Comparable(a, b string) bool {
	if a == b {
		return true
	}
	clockOf := func(k string) (string, bool) {
		if c, ok := strings.CutPrefix(k, "clock="); ok {
			return c, true
		}
		i := strings.Index(k, " clock=")
		if i < 0 {
			return "", false
		}
		c, _, _ := strings.Cut(k[i+len(" clock="):], " ")
		return c, false
	}
	ca, partialA := clockOf(a)
	cb, partialB := clockOf(b)
	return (partialA || partialB) && ca == cb && ca != ""
}

func sameSettings(a, b *Settings) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
