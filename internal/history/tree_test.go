package history

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// roundTrip writes t's files and reads them back whole, as the next run
// (or a script) would.
func roundTrip(t *testing.T, tr *Tree) (*Tree, map[string][]byte) {
	t.Helper()
	files, err := tr.Files("history.json")
	if err != nil {
		t.Fatal(err)
	}
	back, err := ReadAll(files["history.json"], func(p string) ([]byte, error) {
		data, ok := files[p]
		if !ok {
			return nil, os.ErrNotExist
		}
		return data, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return back, files
}

// TestMigrateRealSchema1 migrates a history written by the last version
// of schema 1 and checks that every value is still there: each snapshot
// field for field, unknown fields, each Sentry day and the state.
func TestMigrateRealSchema1(t *testing.T) {
	data, err := os.ReadFile("testdata/schema1/demo-history.json")
	if err != nil {
		t.Fatal(err)
	}
	old, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if old.Schema != 1 || len(old.Snapshots) != 91 || len(old.Daily) == 0 {
		t.Fatalf("testdata is not the schema-1 demo history: schema %d, %d snapshots, %d days", old.Schema, len(old.Snapshots), len(old.Daily))
	}
	tr, err := OpenTree(data)
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Migrated() {
		t.Error("a schema-1 file was not seen as one to migrate")
	}
	back, files := roundTrip(t, tr)
	if diff := cmp.Diff(old.Snapshots, back.Snapshots(), cmpOpts, cmpopts.IgnoreUnexported(kpi.Group{})); diff != "" {
		t.Errorf("snapshots changed by the migration (-schema 1 +schema 2):\n%s", diff)
	}
	if diff := cmp.Diff(old.Daily, back.Daily(), cmpOpts); diff != "" {
		t.Errorf("Sentry days changed by the migration (-schema 1 +schema 2):\n%s", diff)
	}
	wantState, _ := old.Section("review_state")
	gotState, ok := back.Section("review_state")
	if !ok || compact(wantState) != compact(gotState) {
		t.Error("the incremental state was not kept in the index")
	}
	// One part a date, one a month of Sentry days, and the index.
	days, months := 0, 0
	for p := range files {
		switch {
		case strings.HasSuffix(p, "sentry-days.json"):
			months++
		case strings.HasPrefix(p, "history/"):
			days++
		}
	}
	if days != 91 || months != 5 {
		t.Errorf("%d day parts and %d Sentry months, want 91 and 5", days, months)
	}
	// The recent figures of the index are the snapshots' metrics.
	last := old.Snapshots[len(old.Snapshots)-1]
	tr2, err := OpenTree(files["history.json"])
	if err != nil {
		t.Fatal(err)
	}
	got, ok := tr2.FindWith(last.Date, last.Repository, "window=28d sla=24h clock=calendar")
	if !ok || !cmp.Equal(last.Metrics, got.Metrics) {
		t.Errorf("index figures of %s: %v, want %v", last.Date, got.Metrics, last.Metrics)
	}
	// Migrating twice gives the same bytes.
	tr3, _ := OpenTree(data)
	again, _ := tr3.Files("history.json")
	if !cmp.Equal(files, again) {
		t.Error("two migrations of one file differ")
	}
}

// TestSettingsKeptApart: a run with other settings for a day that has a
// snapshot keeps both; the charted series holds only comparable points,
// and a schema-1 snapshot (clock only) counts as comparable.
func TestSettingsKeptApart(t *testing.T) {
	w28 := &Settings{Window: "28d", SLA: "24h", Clock: "calendar"}
	w14 := &Settings{Window: "14d", SLA: "24h", Clock: "calendar"}
	tr := NewTree()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	old := snap("2026-11-23", "acme/api", kpi.Values{kpi.ReviewWaitMedianHours: num(1)}, kpi.Samples{})
	must(tr.UpsertWith(old, nil, "2026-11-23T06:00:00Z"))
	must(tr.UpsertWith(snap("2026-11-24", "acme/api", kpi.Values{kpi.ReviewWaitMedianHours: num(2)}, kpi.Samples{}), w28, "2026-11-24T06:00:00Z"))
	must(tr.UpsertWith(snap("2026-11-24", "acme/api", kpi.Values{kpi.ReviewWaitMedianHours: num(9)}, kpi.Samples{}), w14, "2026-11-24T07:00:00Z"))
	back, _ := roundTrip(t, tr)
	if n := len(back.Snapshots()); n != 3 {
		t.Fatalf("%d snapshots, want 3: the 14-day one replaced the 28-day one", n)
	}
	series := func(st *Settings) string {
		var out []string
		for _, e := range back.SeriesWith("acme/api", st.Key()) {
			out = append(out, fmt.Sprintf("%s=%v", e.Date, *e.Metrics[kpi.ReviewWaitMedianHours]))
		}
		return strings.Join(out, " ")
	}
	if got := series(w28); got != "2026-11-23=1 2026-11-24=2" {
		t.Errorf("28-day series %q", got)
	}
	if got := series(w14); got != "2026-11-23=1 2026-11-24=9" {
		t.Errorf("14-day series %q", got)
	}
	if got := series(&Settings{Window: "28d", SLA: "24h", Clock: "business"}); got != "" {
		t.Errorf("business-clock series %q: figures of another clock are not comparable", got)
	}
	// The same settings again replace their own snapshot only.
	must(back.UpsertWith(snap("2026-11-24", "acme/api", kpi.Values{kpi.ReviewWaitMedianHours: num(3)}, kpi.Samples{}), w28, "2026-11-24T08:00:00Z"))
	if got := len(back.Snapshots()); got != 3 {
		t.Errorf("%d snapshots after a same-settings re-run, want 3", got)
	}
	if !back.Has("acme/api", w28.Key()) || back.Has("acme/api", (&Settings{Window: "7d", SLA: "1h", Clock: "business"}).Key()) {
		t.Error("Has does not tell the settings apart")
	}
}

// TestDailyRunTouchesOnePart: a run on a long history loads only the
// parts it needs and leaves the others byte for byte; changing a part it
// did not load is refused rather than overwriting it.
func TestDailyRunTouchesOnePart(t *testing.T) {
	st := &Settings{Window: "28d", SLA: "24h", Clock: "calendar"}
	tr := NewTree()
	for d := 0; d < 400; d++ {
		date := dayAfter("2025-01-01", d)
		if err := tr.UpsertWith(snap(date, "acme/api", kpi.Values{kpi.ReviewWaitMedianHours: num(float64(d))}, kpi.Samples{}), st, "2026-01-01T00:00:00Z"); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.SetDaily([]kpi.ErrorDay{{Date: "2025-01-05"}}); err != nil {
		t.Fatal(err)
	}
	files, err := tr.Files("history.json")
	if err != nil {
		t.Fatal(err)
	}
	next, err := OpenTree(files["history.json"])
	if err != nil {
		t.Fatal(err)
	}
	today := dayAfter("2025-01-01", 400)
	paths := next.Paths(dayAfter(today, -180), dayAfter(today, -180), today, today)
	if len(paths) != 0 {
		t.Errorf("a daily run needs %v; the index's recent figures cover the charts", paths)
	}
	if got := len(next.SeriesWith("acme/api", st.Key())); got != RecentDays {
		t.Errorf("%d recent figures, want %d", got, RecentDays)
	}
	if err := next.UpsertWith(snap(today, "acme/api", kpi.Values{}, kpi.Samples{}), st, "2026-02-05T00:00:00Z"); err != nil {
		t.Fatal(err)
	}
	out, err := next.Files("history.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[DayPath(today)] == nil {
		t.Errorf("a daily run writes %d files, want the index and %s", len(out), DayPath(today))
	}
	// A day with a part not loaded cannot be changed.
	past := dayAfter("2025-01-01", 10)
	if err := next.FillWith(snap(past, "acme/api", kpi.Values{}, kpi.Samples{}), st, ""); err == nil {
		t.Error("a change to a part not loaded was accepted")
	}
	if err := next.SetDaily([]kpi.ErrorDay{{Date: "2025-01-06"}}); err == nil {
		t.Error("a change to a Sentry month not loaded was accepted")
	}
	// Outside the recent figures, Paths names the parts to read.
	if got := next.Paths(past, past, past); len(got) != 2 || got[0] != DayPath(past) || got[1] != SentryPath("2025-01") {
		t.Errorf("Paths of an old date = %v", got)
	}
}

func dayAfter(date string, n int) string {
	d, _ := parseDate(date)
	return d.AddDate(0, 0, n).Format("2006-01-02")
}

// TestCorruptIndexAndParts: a part that is not what the index says fails
// with its path.
func TestCorruptIndexAndParts(t *testing.T) {
	cases := []struct{ name, index, part, want string }{
		{"bad days", `{"schema":2,"days":{"2026-02":[30]}}`, "", "has no day 30"},
		{"snapshots in the index", `{"schema":2,"snapshots":[{"date":"2026-01-01"}]}`, "", "holds no snapshots"},
		{"part of another date", `{"schema":2,"days":{"2026-01":[1]}}`, `{"schema":2,"snapshots":[{"date":"2026-01-02","repository":"a/b"}]}`, "not of that date"},
		{"corrupt part", `{"schema":2,"days":{"2026-01":[1]}}`, `{"schema":2,"snapshots":[`, "history/2026-01/2026-01-01.json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadAll([]byte(tc.index), func(string) ([]byte, error) { return []byte(tc.part), nil })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one saying %q", err, tc.want)
			}
		})
	}
}
