package action

import (
	"testing"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// TestSentryPointsGap: days a history lacks (Sentry no longer held them)
// are gaps in the chart, not zeros.
func TestSentryPointsGap(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	days := []kpi.ErrorDay{
		{Date: "2026-11-01", Events: n(10), Users: n(5)},
		// 11-02 and 11-03 are absent.
		{Date: "2026-11-04", Events: n(30), Users: n(10)},
	}
	daily, rolling := sentryPoints(days, time.Date(2026, 11, 5, 12, 0, 0, 0, time.UTC))
	// By hand: 11-01 10/5 = 2, 11-02 and 11-03 gaps, 11-04 30/10 = 3. No
	// rolling value before a day has six days before it in the history.
	want := []any{2.0, nil, nil, 3.0}
	if len(daily) != len(want) || len(rolling) != len(want) {
		t.Fatalf("%d daily and %d rolling points, want %d", len(daily), len(rolling), len(want))
	}
	for i, p := range daily {
		got := any(nil)
		if p.Value != nil {
			got = *p.Value
		}
		if got != want[i] {
			t.Errorf("point %s = %v, want %v", p.Date.Format("2006-01-02"), got, want[i])
		}
		if rolling[i].Value != nil {
			t.Errorf("rolling point %s = %v, want none", p.Date.Format("2006-01-02"), *rolling[i].Value)
		}
	}
}
