package okr

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

var update = flag.Bool("update", false, "update golden files")

// goldenFile is the OKR file behind testdata/report.golden.json. On
// 2026-11-16 (f = 0.5) its key results are, worked out by hand:
//   - median wait: baseline 40 from the history (2026-10-02, the first
//     value on or after the start), current 32: p = 8/16 = 0.5, on track;
//   - p90 wait: baseline 120 from the file, current 100: p = 20/48 ≈
//     0.4167, at risk; expected 120 - 48/2 = 96;
//   - Sentry: baseline 0.12 from the file, current 0.11: p = 0.01/0.07 ≈
//     0.1429, off track; expected 0.085;
//   - answered within the SLA: no baseline in the history, current 0.8 below
//     the target 0.9: no data;
//   - requests waiting: baseline 7 from the history (2026-10-01), no current
//     value: no data; expected 7 - 7/2 = 3.5;
//   - Sentry events: target 100 met by 90: on track, p = 60/50 = 1.2.
//
// Overall: off track.
const goldenFile = `objective: Faster & more reliable — <no> waiting
quarter: 2026-Q4
key-results:
  - metric: review_wait_median_hours
    target: 24
  - metric: review_wait_p90_hours
    target: 72
    baseline: 120
  - metric: sentry_events_per_user_day
    target: 0.05
    baseline: 0.12
  - metric: review_answered_within_sla_ratio
    target: 0.9
  - metric: review_requests_waiting
    target: 0
  - metric: sentry_events
    target: 100
    baseline: 150
`

func goldenReport(t *testing.T) Report {
	t.Helper()
	f, err := Parse(okrFile, []byte(goldenFile))
	if err != nil {
		t.Fatal(err)
	}
	history := map[string][]Point{
		kpi.ReviewWaitMedianHours: {
			{"2026-09-30", num(50)},
			{"2026-10-01", nil},
			{"2026-10-02", num(40)},
			{"2026-11-15", num(33)},
		},
		kpi.ReviewWaitP90Hours:           {{"2026-10-01", num(130)}}, // the file's baseline wins
		kpi.ReviewAnsweredWithinSLARatio: {{"2026-09-30", num(0.7)}},
		kpi.ReviewRequestsWaiting:        {{"2026-10-01", num(7)}},
	}
	current := kpi.Values{
		kpi.ReviewWaitMedianHours:        num(32),
		kpi.ReviewWaitP90Hours:           num(100),
		kpi.SentryEventsPerUserDay:       num(0.11),
		kpi.ReviewAnsweredWithinSLARatio: num(0.8),
		kpi.ReviewRequestsWaiting:        nil,
		kpi.SentryEvents:                 num(90),
	}
	return NewReport(f, history, current, day("2026-11-16"))
}

func TestReportGolden(t *testing.T) {
	t.Parallel()
	got, err := MarshalReport(goldenReport(t))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "report.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/okr -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("report differs from %s (-want +got):\n%s", path, diff)
	}
}

func TestReportFigures(t *testing.T) {
	t.Parallel()
	r := goldenReport(t)
	if r.Status != StatusOffTrack || r.Elapsed != 0.5 || r.Quarter != "2026-Q4" || r.Start != "2026-10-01" || r.End != "2026-12-31" || r.Today != "2026-11-16" {
		t.Errorf("report header = %+v", r)
	}
	type row struct {
		Metric           string
		Source, Date     string
		Baseline         *float64
		Expected         *float64
		Progress         *float64
		Status           Status
		TargetMet, Lower bool
	}
	var got []row
	for _, k := range r.KeyResults {
		got = append(got, row{k.Metric, k.BaselineSource, k.BaselineDate, k.Baseline, k.Expected, k.Progress, k.Status, k.TargetMet, k.LowerIsBetter})
	}
	exp := []row{
		{kpi.ReviewWaitMedianHours, "history", "2026-10-02", num(40), num(32), num(0.5), StatusOnTrack, false, true},
		{kpi.ReviewWaitP90Hours, "file", "", num(120), num(96), num(0.4167), StatusAtRisk, false, true},
		{kpi.SentryEventsPerUserDay, "file", "", num(0.12), num(0.085), num(0.1429), StatusOffTrack, false, true},
		{kpi.ReviewAnsweredWithinSLARatio, "", "", nil, nil, nil, StatusNoData, false, false},
		{kpi.ReviewRequestsWaiting, "history", "2026-10-01", num(7), num(3.5), nil, StatusNoData, false, true},
		{kpi.SentryEvents, "file", "", num(150), num(125), num(1.2), StatusOnTrack, true, true},
	}
	if diff := cmp.Diff(exp, got); diff != "" {
		t.Errorf("key results (-want +got):\n%s", diff)
	}
}

func TestReportWithoutData(t *testing.T) {
	t.Parallel()
	f, err := Parse(okrFile, []byte("objective: x\nstart: 2026-11-01\nend: 2026-11-30\nkey-results:\n  - {metric: sentry_events, target: 1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := NewReport(f, nil, nil, day("2026-11-11"))
	if r.Status != "" || r.Quarter != "" || r.Elapsed != 0.3333 || len(r.KeyResults) != 1 || r.KeyResults[0].Status != StatusNoData {
		t.Errorf("NewReport = %+v", r)
	}
	b, err := MarshalReport(r)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back["status"] != "" || back["quarter"] != "" {
		t.Errorf("status and quarter must be present and empty: %s", b)
	}
}

func TestMarshalReportFormat(t *testing.T) {
	t.Parallel()
	b, err := MarshalReport(Report{Objective: "a & <b>", KeyResults: []ReportKeyResult{}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(b, []byte("}\n")) || bytes.HasSuffix(b, []byte("\n\n")) {
		t.Errorf("want one trailing newline: %q", b)
	}
	if !bytes.Contains(b, []byte(`"objective": "a & <b>"`)) {
		t.Errorf("objective escaped or not indented: %s", b)
	}
	if !bytes.Contains(b, []byte("\n  \"key_results\": []\n")) {
		t.Errorf("want 2-space indent and an empty list, never null: %s", b)
	}
}
