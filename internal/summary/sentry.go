package summary

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// Sentry is what the summary shows of the Sentry KPI.
type Sentry struct {
	Org string
	// Now and Previous are the window and the one before it.
	Now, Previous kpi.SentryWindow
	// Yesterday is the last complete day; nil when Sentry did not report it.
	Yesterday *kpi.ErrorDay
	// UsersFrom says where U came from.
	UsersFrom string
	// Unresolved is the old KPI: unresolved issues seen in IssuesWindow.
	Unresolved   int
	IssuesWindow string
	// ChartURL links the committed chart.
	ChartURL string
	// HeldFrom is the first day Sentry still held in full (zero when not
	// known); NotHeld counts the window's days before it that no history
	// has either: they have no data and are left out of the figures.
	HeldFrom time.Time
	NotHeld  int
}

func ratio(v *float64) string {
	if v == nil {
		return "–"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// writeSentry renders the Sentry section.
func writeSentry(b *strings.Builder, s *Sentry) {
	fmt.Fprintf(b, "## Sentry error events per active user per day — %s\n\n", Text(s.Org))
	last := s.Now.To.AddDate(0, 0, -1)
	fmt.Fprintf(b, "Complete UTC days %s to %s (%d with both figures) · active users from %s\n\n",
		s.Now.From.Format(time.DateOnly), last.Format(time.DateOnly), s.Now.Days, s.UsersFrom)
	b.WriteString("| Figure | Value |\n|---|---:|\n")
	fmt.Fprintf(b, "| **Events per user-day (ΣE/ΣU, window)** | **%s** |\n", ratio(s.Now.PerUserDay))
	fmt.Fprintf(b, "| Error events E (%d days) | %d |\n", s.Now.EventDays, s.Now.Events)
	if s.Now.UserDays > 0 {
		fmt.Fprintf(b, "| Active user-days U (%d days) | %d |\n", s.Now.UserDays, s.Now.Users)
	} else {
		b.WriteString("| Active user-days U | none recorded: set the active-users input |\n")
	}
	fmt.Fprintf(b, "| Previous window | %s |\n", ratio(s.Previous.PerUserDay))
	if s.Now.PerUserDay != nil && s.Previous.PerUserDay != nil {
		m, _ := kpi.LookupMetric(kpi.SentryEventsPerUserDay)
		fmt.Fprintf(b, "| Change vs previous window | %s |\n", change(m, s.Now.PerUserDay, kpi.Values{m.Name: s.Previous.PerUserDay}))
	}
	switch y := s.Yesterday; {
	case y == nil:
		b.WriteString("| Yesterday | not reported by Sentry |\n")
	case y.Users != nil && *y.Users == 0:
		fmt.Fprintf(b, "| Yesterday (%s) | no active users recorded (E = %s) |\n", y.Date, count(y.Events))
	default:
		fmt.Fprintf(b, "| Yesterday (%s) | %s (E = %s, U = %s) |\n", y.Date, ratio(y.PerUser()), count(y.Events), count(y.Users))
	}
	if s.Now.ZeroUsers > 0 {
		fmt.Fprintf(b, "| Days with no active users recorded | %d |\n", s.Now.ZeroUsers)
	}
	if s.NotHeld > 0 {
		fmt.Fprintf(b, "| Days before %s, which Sentry no longer keeps | no data (%d days, left out) |\n", s.HeldFrom.Format(time.DateOnly), s.NotHeld)
	}
	if n := s.Now.Missing - s.NotHeld; n > 0 {
		fmt.Fprintf(b, "| Days Sentry did not report | %d |\n", n)
	}
	if s.Unresolved >= 0 {
		fmt.Fprintf(b, "| Unresolved issues (the old KPI this one replaces; issues seen in the last %s) | %d |\n\n", s.IssuesWindow, s.Unresolved)
	} else {
		b.WriteString("| Unresolved issues (the old KPI this one replaces) | could not be counted |\n\n")
	}
	if u := URL(s.ChartURL); u != "" {
		fmt.Fprintf(b, "Committed: [chart](%s).\n\n", u)
	}
}

func count(v *int64) string {
	if v == nil {
		return "?"
	}
	return strconv.FormatInt(*v, 10)
}
