package okr

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// The expected figures below are worked out by hand. The period is 2026-Q4:
// 2026-10-01 to 2026-12-31, 92 days. On 2026-11-16, 46 days after the
// start, f = 46/92 = 0.5; on 2026-10-10 f = 9/92 ≈ 0.0978.
func TestEvaluate(t *testing.T) {
	t.Parallel()
	median := metric(t, kpi.ReviewWaitMedianHours)       // lower is better
	ratio := metric(t, kpi.ReviewAnsweredWithinSLARatio) // higher is better
	sentry := metric(t, kpi.SentryEventsPerUserDay)      // lower is better
	start, end, mid := day("2026-10-01"), day("2026-12-31"), day("2026-11-16")
	wait := func(b *float64) KeyResult { return KeyResult{Metric: median, Target: 24, Baseline: b} }

	cases := []struct {
		name        string
		kr          KeyResult
		baseline    *float64
		fromHistory bool
		current     *float64
		start, end  time.Time
		today       time.Time
		exp         Result
	}{
		{
			name: "lower is better, on track exactly on the path",
			// p = (40-32)/(40-24) = 0.5 = f; expected 40 + (24-40)*0.5 = 32.
			kr: wait(num(40)), current: num(32), start: start, end: end, today: mid,
			exp: Result{Baseline: num(40), Current: num(32), Target: num(24), Expected: num(32), Progress: num(0.5), Elapsed: 0.5, Status: StatusOnTrack},
		},
		{
			name: "lower is better, ahead of the path",
			// p = 12/16 = 0.75.
			kr: wait(num(40)), current: num(28), start: start, end: end, today: mid,
			exp: Result{Baseline: num(40), Current: num(28), Target: num(24), Expected: num(32), Progress: num(0.75), Elapsed: 0.5, Status: StatusOnTrack},
		},
		{
			name: "lower is better, at risk",
			// p = 6/16 = 0.375: below f = 0.5, at least f - 0.25 = 0.25.
			kr: wait(num(40)), current: num(34), start: start, end: end, today: mid,
			exp: Result{Baseline: num(40), Current: num(34), Target: num(24), Expected: num(32), Progress: num(0.375), Elapsed: 0.5, Status: StatusAtRisk},
		},
		{
			name: "lower is better, at risk on the boundary",
			// p = 4/16 = 0.25 = f - 0.25.
			kr: wait(num(40)), current: num(36), start: start, end: end, today: mid,
			exp: Result{Baseline: num(40), Current: num(36), Target: num(24), Expected: num(32), Progress: num(0.25), Elapsed: 0.5, Status: StatusAtRisk},
		},
		{
			name: "lower is better, off track",
			// p = 2/16 = 0.125 < 0.25.
			kr: wait(num(40)), current: num(38), start: start, end: end, today: mid,
			exp: Result{Baseline: num(40), Current: num(38), Target: num(24), Expected: num(32), Progress: num(0.125), Elapsed: 0.5, Status: StatusOffTrack},
		},
		{
			name: "target met exactly",
			kr:   wait(num(40)), current: num(24), start: start, end: end, today: mid,
			exp: Result{Baseline: num(40), Current: num(24), Target: num(24), Expected: num(32), Progress: num(1), Elapsed: 0.5, Status: StatusOnTrack, TargetMet: true},
		},
		{
			name: "target beaten: progress above 100%",
			// p = 20/16 = 1.25.
			kr: wait(num(40)), current: num(20), start: start, end: end, today: mid,
			exp: Result{Baseline: num(40), Current: num(20), Target: num(24), Expected: num(32), Progress: num(1.25), Elapsed: 0.5, Status: StatusOnTrack, TargetMet: true},
		},
		{
			name: "worse than the baseline mid-quarter: negative progress, off track",
			// p = (40-48)/16 = -0.5.
			kr: wait(num(40)), current: num(48), start: start, end: end, today: mid,
			exp: Result{Baseline: num(40), Current: num(48), Target: num(24), Expected: num(32), Progress: num(-0.5), Elapsed: 0.5, Status: StatusOffTrack},
		},
		{
			name: "worse than the baseline early: still at risk",
			// f = 9/92 ≈ 0.0978; p = -2/16 = -0.125 ≥ f - 0.25 ≈ -0.1522;
			// expected = 40 - 16*9/92 = 40 - 144/92 ≈ 38.4348.
			kr: wait(num(40)), current: num(42), start: start, end: end, today: day("2026-10-10"),
			exp: Result{Baseline: num(40), Current: num(42), Target: num(24), Expected: num(40 - 144.0/92), Progress: num(-0.125), Elapsed: 9.0 / 92, Status: StatusAtRisk},
		},
		{
			name: "start day: f = 0, at the baseline is on track",
			kr:   wait(num(40)), current: num(40), start: start, end: end, today: start,
			exp: Result{Baseline: num(40), Current: num(40), Target: num(24), Expected: num(40), Progress: num(0), Elapsed: 0, Status: StatusOnTrack},
		},
		{
			name: "start day: slightly worse than the baseline is at risk",
			// p = -1/16 = -0.0625 ≥ -0.25.
			kr: wait(num(40)), current: num(41), start: start, end: end, today: start,
			exp: Result{Baseline: num(40), Current: num(41), Target: num(24), Expected: num(40), Progress: num(-0.0625), Elapsed: 0, Status: StatusAtRisk},
		},
		{
			name: "before the start: f clamped to 0",
			kr:   wait(num(40)), current: num(40), start: start, end: end, today: day("2026-09-15"),
			exp: Result{Baseline: num(40), Current: num(40), Target: num(24), Expected: num(40), Progress: num(0), Elapsed: 0, Status: StatusOnTrack},
		},
		{
			name: "last day: f = 91/92",
			// p = 15/16 = 0.9375 ≥ 91/92 - 0.25 ≈ 0.7391: at risk;
			// expected = 40 - 16*91/92 ≈ 24.1739.
			kr: wait(num(40)), current: num(25), start: start, end: end, today: end,
			exp: Result{Baseline: num(40), Current: num(25), Target: num(24), Expected: num(40 - 16*91.0/92), Progress: num(0.9375), Elapsed: 91.0 / 92, Status: StatusAtRisk},
		},
		{
			name: "finished quarter, 94% of the way: at risk",
			kr:   wait(num(40)), current: num(25), start: start, end: end, today: day("2027-01-01"),
			exp: Result{Baseline: num(40), Current: num(25), Target: num(24), Expected: num(24), Progress: num(0.9375), Elapsed: 1, Status: StatusAtRisk},
		},
		{
			name: "finished quarter, 62.5% of the way: off track",
			// p = 10/16 = 0.625 < 0.75.
			kr: wait(num(40)), current: num(30), start: start, end: end, today: day("2027-02-15"),
			exp: Result{Baseline: num(40), Current: num(30), Target: num(24), Expected: num(24), Progress: num(0.625), Elapsed: 1, Status: StatusOffTrack},
		},
		{
			name: "finished quarter, target met",
			kr:   wait(num(40)), current: num(23.5), start: start, end: end, today: day("2027-01-01"),
			exp: Result{Baseline: num(40), Current: num(23.5), Target: num(24), Expected: num(24), Progress: num(1.03125), Elapsed: 1, Status: StatusOnTrack, TargetMet: true},
		},
		{
			name: "zero-length period (end before start) counts as finished",
			kr:   wait(num(40)), current: num(30), start: start, end: day("2026-09-30"), today: start,
			exp: Result{Baseline: num(40), Current: num(30), Target: num(24), Expected: num(24), Progress: num(0.625), Elapsed: 1, Status: StatusOffTrack},
		},
		{
			name: "one-day period on its day: f = 0",
			kr:   wait(num(40)), current: num(40), start: start, end: start, today: start,
			exp: Result{Baseline: num(40), Current: num(40), Target: num(24), Expected: num(40), Progress: num(0), Elapsed: 0, Status: StatusOnTrack},
		},
		{
			name: "higher is better, on track",
			// p = (0.75-0.6)/(0.9-0.6) = 0.5 = f (within floating-point error).
			kr: KeyResult{Metric: ratio, Target: 0.9}, baseline: num(0.6), fromHistory: true, current: num(0.75), start: start, end: end, today: mid,
			exp: Result{Baseline: num(0.6), Current: num(0.75), Target: num(0.9), Expected: num(0.75), Progress: num(0.5), Elapsed: 0.5, Status: StatusOnTrack, BaselineFromHistory: true},
		},
		{
			name: "higher is better, at risk",
			// p = 0.1/0.3 = 1/3.
			kr: KeyResult{Metric: ratio, Target: 0.9}, baseline: num(0.6), fromHistory: true, current: num(0.7), start: start, end: end, today: mid,
			exp: Result{Baseline: num(0.6), Current: num(0.7), Target: num(0.9), Expected: num(0.75), Progress: num(1.0 / 3), Elapsed: 0.5, Status: StatusAtRisk, BaselineFromHistory: true},
		},
		{
			name: "higher is better, worse than the baseline: off track",
			// p = -0.1/0.3 = -1/3.
			kr: KeyResult{Metric: ratio, Target: 0.9}, baseline: num(0.6), fromHistory: true, current: num(0.5), start: start, end: end, today: mid,
			exp: Result{Baseline: num(0.6), Current: num(0.5), Target: num(0.9), Expected: num(0.75), Progress: num(-1.0 / 3), Elapsed: 0.5, Status: StatusOffTrack, BaselineFromHistory: true},
		},
		{
			name: "higher is better, target met",
			// p = 0.35/0.3 = 7/6.
			kr: KeyResult{Metric: ratio, Target: 0.9}, baseline: num(0.6), fromHistory: true, current: num(0.95), start: start, end: end, today: mid,
			exp: Result{Baseline: num(0.6), Current: num(0.95), Target: num(0.9), Expected: num(0.75), Progress: num(7.0 / 6), Elapsed: 0.5, Status: StatusOnTrack, TargetMet: true, BaselineFromHistory: true},
		},
		{
			name: "the issue's Sentry example halfway",
			// p = (0.12-0.085)/(0.12-0.05) = 0.035/0.07 = 0.5; expected 0.085.
			kr: KeyResult{Metric: sentry, Target: 0.05, Baseline: num(0.12)}, current: num(0.085), start: start, end: end, today: mid,
			exp: Result{Baseline: num(0.12), Current: num(0.085), Target: num(0.05), Expected: num(0.085), Progress: num(0.5), Elapsed: 0.5, Status: StatusOnTrack},
		},
		{
			name: "the file's baseline wins over the history's",
			kr:   wait(num(40)), baseline: num(50), fromHistory: true, current: num(32), start: start, end: end, today: mid,
			exp: Result{Baseline: num(40), Current: num(32), Target: num(24), Expected: num(32), Progress: num(0.5), Elapsed: 0.5, Status: StatusOnTrack},
		},
		{
			name: "baseline equals target, held",
			kr:   wait(num(24)), current: num(24), start: start, end: end, today: mid,
			exp: Result{Baseline: num(24), Current: num(24), Target: num(24), Expected: num(24), Elapsed: 0.5, Status: StatusOnTrack, TargetMet: true},
		},
		{
			name: "baseline equals target, not held: off track even on day one",
			kr:   wait(num(24)), current: num(25), start: start, end: end, today: start,
			exp: Result{Baseline: num(24), Current: num(25), Target: num(24), Expected: num(24), Elapsed: 0, Status: StatusOffTrack},
		},
		{
			name: "target worse than the baseline (a line to hold), held",
			// expected = 20 + (24-20)*0.5 = 22.
			kr: wait(num(20)), current: num(23), start: start, end: end, today: mid,
			exp: Result{Baseline: num(20), Current: num(23), Target: num(24), Expected: num(22), Elapsed: 0.5, Status: StatusOnTrack, TargetMet: true},
		},
		{
			name: "target worse than the baseline, not held",
			kr:   wait(num(20)), current: num(26), start: start, end: end, today: mid,
			exp: Result{Baseline: num(20), Current: num(26), Target: num(24), Expected: num(22), Elapsed: 0.5, Status: StatusOffTrack},
		},
		{
			name: "missing current value: no data",
			kr:   wait(num(40)), start: start, end: end, today: mid,
			exp: Result{Baseline: num(40), Target: num(24), Expected: num(32), Elapsed: 0.5, Status: StatusNoData},
		},
		{
			name: "NaN current value: no data",
			kr:   wait(num(40)), current: num(math.NaN()), start: start, end: end, today: mid,
			exp: Result{Baseline: num(40), Target: num(24), Expected: num(32), Elapsed: 0.5, Status: StatusNoData},
		},
		{
			name: "missing baseline, target not met: no data",
			kr:   wait(nil), fromHistory: true, current: num(30), start: start, end: end, today: mid,
			exp: Result{Current: num(30), Target: num(24), Elapsed: 0.5, Status: StatusNoData},
		},
		{
			name: "missing baseline, target met: on track",
			kr:   wait(nil), current: num(20), start: start, end: end, today: mid,
			exp: Result{Current: num(20), Target: num(24), Elapsed: 0.5, Status: StatusOnTrack, TargetMet: true},
		},
		{
			name: "only the UTC date of today counts",
			// 2026-11-17 01:00 at +02:00 is 2026-11-16 23:00 UTC: f = 0.5.
			kr: wait(num(40)), current: num(32), start: start, end: end,
			today: time.Date(2026, 11, 17, 1, 0, 0, 0, time.FixedZone("EET", 2*3600)),
			exp:   Result{Baseline: num(40), Current: num(32), Target: num(24), Expected: num(32), Progress: num(0.5), Elapsed: 0.5, Status: StatusOnTrack},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Evaluate(tc.kr, tc.baseline, tc.fromHistory, tc.current, tc.start, tc.end, tc.today)
			if diff := cmp.Diff(tc.exp, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("Evaluate (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEvaluateCopiesInputs(t *testing.T) {
	t.Parallel()
	b, c := num(40), num(32)
	r := Evaluate(KeyResult{Metric: metric(t, kpi.ReviewWaitMedianHours), Target: 24}, b, true, c, day("2026-10-01"), day("2026-12-31"), day("2026-11-16"))
	*b, *c = 0, 0
	if *r.Baseline != 40 || *r.Current != 32 {
		t.Errorf("Result shares the caller's values: baseline %v, current %v", *r.Baseline, *r.Current)
	}
}

func TestElapsedAndDays(t *testing.T) {
	t.Parallel()
	q4s, q4e := day("2026-10-01"), day("2026-12-31")
	cases := []struct {
		name  string
		today time.Time
		exp   float64
	}{
		{"before the start", day("2026-01-01"), 0},
		{"start", q4s, 0},
		{"second day", day("2026-10-02"), 1.0 / 92},
		{"halfway", day("2026-11-16"), 0.5},
		{"last day", q4e, 91.0 / 92},
		{"day after the end", day("2027-01-01"), 1},
		{"long after", day("2030-01-01"), 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Elapsed(q4s, q4e, tc.today); math.Abs(got-tc.exp) > 1e-12 {
				t.Errorf("Elapsed(%s) = %v, want %v", tc.today.Format("2006-01-02"), got, tc.exp)
			}
		})
	}
	if got := Days(q4s, q4e); got != 92 {
		t.Errorf("Days(2026-Q4) = %d, want 92", got)
	}
	if got := Days(q4s, q4s); got != 1 {
		t.Errorf("Days(one day) = %d, want 1", got)
	}
	if got := Elapsed(q4s, day("2026-09-01"), q4s); got != 1 {
		t.Errorf("Elapsed(end before start) = %v, want 1", got)
	}
}

func TestWorst(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   []Status
		exp  Status
	}{
		{"none", nil, ""},
		{"only no data", []Status{StatusNoData, StatusNoData}, ""},
		{"all on track", []Status{StatusOnTrack, StatusOnTrack}, StatusOnTrack},
		{"no data is ignored", []Status{StatusNoData, StatusOnTrack}, StatusOnTrack},
		{"at risk beats on track", []Status{StatusOnTrack, StatusAtRisk, StatusNoData}, StatusAtRisk},
		{"off track beats all", []Status{StatusAtRisk, StatusOffTrack, StatusOnTrack, StatusNoData}, StatusOffTrack},
		{"order does not matter", []Status{StatusOffTrack, StatusAtRisk}, StatusOffTrack},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Worst(tc.in...); got != tc.exp {
				t.Errorf("Worst(%v) = %q, want %q", tc.in, got, tc.exp)
			}
		})
	}
}

func TestStatusLabel(t *testing.T) {
	t.Parallel()
	for s, exp := range map[Status]string{StatusOnTrack: "on track", StatusAtRisk: "at risk", StatusOffTrack: "off track", StatusNoData: "no data", "": ""} {
		if got := s.Label(); got != exp {
			t.Errorf("%q.Label() = %q, want %q", s, got, exp)
		}
	}
}

func TestBaselineFrom(t *testing.T) {
	t.Parallel()
	start, end := day("2026-10-01"), day("2026-12-31")
	cases := []struct {
		name     string
		in       []Point
		today    time.Time
		exp      *float64
		expDate  string
		startArg time.Time
	}{
		{
			name:  "first snapshot on the start date",
			in:    []Point{{"2026-09-30", num(50)}, {"2026-10-01", num(40)}, {"2026-10-02", num(39)}},
			today: day("2026-11-16"), exp: num(40), expDate: "2026-10-01",
		},
		{
			name:  "first snapshot after the start with a value",
			in:    []Point{{"2026-09-30", num(50)}, {"2026-10-01", nil}, {"2026-10-03", num(38)}, {"2026-10-05", num(37)}},
			today: day("2026-11-16"), exp: num(38), expDate: "2026-10-03",
		},
		{
			name:  "points in any order",
			in:    []Point{{"2026-10-05", num(37)}, {"2026-10-03", num(38)}, {"2026-09-30", num(50)}},
			today: day("2026-11-16"), exp: num(38), expDate: "2026-10-03",
		},
		{
			name:  "zero is a value",
			in:    []Point{{"2026-10-02", num(0)}, {"2026-10-03", num(1)}},
			today: day("2026-11-16"), exp: num(0), expDate: "2026-10-02",
		},
		{
			name:  "malformed dates and NaN are skipped",
			in:    []Point{{"2026-10-1", num(1)}, {"2026-10-02", num(math.NaN())}, {"2026-10-04", num(4)}},
			today: day("2026-11-16"), exp: num(4), expDate: "2026-10-04",
		},
		{
			name:  "today's snapshot counts",
			in:    []Point{{"2026-10-01", nil}, {"2026-11-16", num(30)}},
			today: day("2026-11-16"), exp: num(30), expDate: "2026-11-16",
		},
		{
			name:  "nothing after today (a past report is reproducible)",
			in:    []Point{{"2026-09-30", num(50)}, {"2026-11-17", num(30)}},
			today: day("2026-11-16"),
		},
		{
			name:  "nothing after the end",
			in:    []Point{{"2027-01-01", num(30)}},
			today: day("2027-01-15"),
		},
		{
			name:  "only values before the start",
			in:    []Point{{"2026-09-29", num(50)}, {"2026-09-30", num(49)}},
			today: day("2026-11-16"),
		},
		{
			name:  "no points",
			today: day("2026-11-16"),
		},
		{
			name:     "a start with a time of day counts by its date",
			in:       []Point{{"2026-10-01", num(40)}},
			startArg: time.Date(2026, 10, 1, 15, 0, 0, 0, time.UTC),
			today:    day("2026-11-16"), exp: num(40), expDate: "2026-10-01",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := start
			if !tc.startArg.IsZero() {
				s = tc.startArg
			}
			got, date := BaselineFrom(tc.in, s, end, tc.today)
			if diff := cmp.Diff(tc.exp, got); diff != "" || date != tc.expDate {
				t.Errorf("BaselineFrom = %v, %q; want %v, %q (-want +got):\n%s", got, date, tc.exp, tc.expDate, diff)
			}
		})
	}
}
