package action

import (
	"context"
	"testing"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/config"
	"github.com/engineering-kpis/engineering-kpis/internal/history"
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

// heldSource is a Sentry source that holds the days from held on: it
// returns 20 events and 10 users for each of them, and none before.
type heldSource struct{ held time.Time }

func (h heldSource) Days(_ context.Context, from, to time.Time) ([]kpi.ErrorDay, string, error) {
	var out []kpi.ErrorDay
	for d := from; d.Before(to); d = d.Add(24 * time.Hour) {
		if d.Before(h.held) {
			continue
		}
		e, u := int64(20), int64(10)
		out = append(out, kpi.ErrorDay{Date: d.Format(time.DateOnly), Events: &e, Users: &u})
	}
	return out, "sessions", nil
}

func (heldSource) Unresolved(context.Context) (int, string, error) { return 0, "", nil }
func (h heldSource) HeldFrom() time.Time                           { return h.held }

// TestStoredZerosBeforeRetention: a history written before retention was
// known holds zeros for the days Sentry no longer kept (it reported them
// as zeros). They become days without events, out of ΣE/ΣU.
func TestStoredZerosBeforeRetention(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	hist := history.NewTree()
	if err := hist.SetDaily([]kpi.ErrorDay{
		{Date: "2026-11-01", Events: n(0), Users: n(10)},
		{Date: "2026-11-02", Events: n(0), Users: n(10)},
		{Date: "2026-11-03", Events: n(0), Users: n(10)},
	}); err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2026, 11, 8, 12, 0, 0, 0, time.UTC)
	cfg := &config.Config{Window: 7 * 24 * time.Hour, WaitClock: "calendar"}
	src := heldSource{held: time.Date(2026, 11, 4, 0, 0, 0, 0, time.UTC)}
	s, err := fetchSentry(context.Background(), src, src, cfg, hist, "acme/app", asOf, quietLog{})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: the window's complete days are 11-01 to 11-07; only 11-04
	// to 11-07 are held: ΣE = 4 × 20 = 80, ΣU = 4 × 10 = 40, E/U = 2.
	// Counting the stored zeros would give 80 / 70 = 1.142857.
	if s.now.PerUserDay == nil || *s.now.PerUserDay != 2 || s.now.Days != 4 || s.now.Missing != 3 {
		t.Errorf("window: E/U %v over %d days (%d missing), want 2 over 4 (3 missing)", s.now.PerUserDay, s.now.Days, s.now.Missing)
	}
	// The stored zeros are rewritten as days without events.
	for _, d := range s.days {
		if d.Date < "2026-11-04" && d.Events != nil {
			t.Errorf("%s keeps %d events", d.Date, *d.Events)
		}
	}
}
