package demo

import (
	"context"
	"math"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/activeusers"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// SentryOrg is the demo's Sentry organization.
const SentryOrg = "acme"

// Errors is the demo's Sentry data: a deterministic series of daily error
// events and active users for 2026-06-01 onwards. Users grow from about
// 800 to 1,400 a day (fewer at weekends); the error rate per user falls
// from about 0.12 to 0.05, with a spike after a bad release on 2026-10-14
// and 2026-10-15. A *Errors satisfies action.ErrorSource and
// action.UsersOverride: like a real run's, its users give way to the
// active-users input.
type Errors struct {
	// Users, when set, gives U(D) instead of the sample's sessions.
	Users *activeusers.Source
}

// SetUsers makes u supply U(D) instead of the sample's sessions.
func (e *Errors) SetUsers(u *activeusers.Source) { e.Users = u }

// Days returns the series for the complete days in [from, to).
func (e *Errors) Days(_ context.Context, from, to time.Time) ([]kpi.ErrorDay, string, error) {
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var out []kpi.ErrorDay
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		day := kpi.ErrorDay{Date: d.Format(time.DateOnly)}
		if !d.Before(start) && d.Before(Now().Truncate(24*time.Hour)) {
			n := d.Sub(start).Hours() / 24
			users := 800 + 3.3*n
			if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
				users *= 0.6
			}
			rate := 0.12 - 0.07*n/177 + 0.01*math.Sin(n/3)
			if s := d.Format(time.DateOnly); s == "2026-10-14" || s == "2026-10-15" {
				rate *= 4
			}
			u := int64(math.Round(users))
			events := int64(math.Round(users * rate))
			day.Users, day.Events = &u, &events
			if e.Users != nil {
				day.Users = nil
				if u, ok := e.Users.Users(day.Date); ok {
					day.Users = &u
				}
			}
		}
		out = append(out, day)
	}
	if e.Users != nil {
		return out, e.Users.String(), nil
	}
	return out, "Sentry release-health sessions (demo data)", nil
}

// Unresolved is the demo's count of unresolved issues: the old KPI, which
// kept growing while the error rate fell.
func (*Errors) Unresolved(context.Context) (int, string, error) { return 342, "14d", nil }
