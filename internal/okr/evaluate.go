package okr

import (
	"math"
	"time"
)

// Status is how a key result (or the whole objective) stands.
type Status string

// The statuses. Worst orders them off-track > at-risk > on-track and leaves
// no-data out.
const (
	StatusOnTrack  Status = "on-track"
	StatusAtRisk   Status = "at-risk"
	StatusOffTrack Status = "off-track"
	StatusNoData   Status = "no-data"
)

// Label is the status for people: "on track", "at risk", "off track" or
// "no data".
func (s Status) Label() string {
	switch s {
	case StatusOnTrack:
		return "on track"
	case StatusAtRisk:
		return "at risk"
	case StatusOffTrack:
		return "off track"
	case StatusNoData:
		return "no data"
	}
	return string(s)
}

// AtRiskMargin is how far progress may lag the elapsed share of the period
// and still be "at risk" rather than "off track".
const AtRiskMargin = 0.25

// tolerance absorbs floating-point error when progress is compared with the
// elapsed share (0.035/0.07 must count as 0.5).
const tolerance = 1e-9

// Result is a key result evaluated on one day. Figures that cannot be
// computed are nil.
type Result struct {
	// Baseline is the file's baseline or, without one, the history's value
	// at the start of the period.
	Baseline *float64
	// Current is the metric's value on the evaluation day.
	Current *float64
	Target  *float64
	// Expected is the value expected on the evaluation day on the straight
	// path from Baseline to Target.
	Expected *float64
	// Progress is the share of the way from Baseline to Target covered so
	// far: 0 at the baseline, 1 at the target, negative when worse than
	// the baseline, above 1 beyond the target. Never clamped.
	Progress *float64
	// Elapsed is the share of the period gone, 0 to 1.
	Elapsed float64
	Status  Status
	// TargetMet is true when Current is at or better than Target.
	TargetMet bool
	// BaselineFromHistory is true when Baseline came from the history
	// rather than from the file.
	BaselineFromHistory bool
}

// Evaluate evaluates key result kr on day today of the period start..end
// (End inclusive; only the UTC dates count). baseline is the value from the
// history (see BaselineFrom) and is used only when the file gives none;
// baselineFromHistory says whether it came from there. current is the
// metric's value today (nil: no sample).
//
// The rules, for baseline b, target t, current value c:
//
//   - Progress p = (b − c) / (b − t) when lower is better and
//     p = (c − b) / (t − b) when higher is better: the share of the way
//     from baseline to target covered so far, the same number in both
//     directions. It is not clamped: it is negative when the value is worse
//     than the baseline and above 1 (100%) past the target.
//   - Elapsed share f = days from the start to today ÷ days in the period,
//     the end day included (2026-Q4 has 92 days), clamped to [0, 1]: f = 0
//     on the start date (and before it), 91/92 on 2026-12-31, 1 from the
//     day after the end. A period whose end is before its start counts as
//     finished (f = 1).
//   - Expected value today e = b + (t − b)·f: the straight path from the
//     baseline at the start of the first day to the target at the end of
//     the last day.
//   - Target met: c ≤ t when lower is better, c ≥ t when higher is better.
//   - Status, in this order:
//     no current value → no-data (Worst ignores it);
//     target met → on-track (whatever the progress or the date);
//     no baseline → no-data (progress cannot be measured; the target is not
//     yet met);
//     target not better than the baseline (b = t, or a target that allows
//     the metric to get worse) → off-track: such a key result is a line to
//     hold, and it is not held; progress is left empty;
//     p ≥ f → on-track; p ≥ f − 0.25 → at-risk; otherwise off-track
//     (compared with a tolerance of 1e-9).
//   - A finished period (f = 1) is thus on-track only when the target is
//     met, at-risk when at least 75% of the way was covered, off-track
//     otherwise.
func Evaluate(kr KeyResult, baseline *float64, baselineFromHistory bool, current *float64, start, end, today time.Time) Result {
	t := kr.Target
	r := Result{Target: &t, Elapsed: Elapsed(start, end, today)}
	switch {
	case kr.Baseline != nil:
		r.Baseline = copyOf(kr.Baseline)
	case finite(baseline):
		r.Baseline = copyOf(baseline)
		r.BaselineFromHistory = baselineFromHistory
	}
	if finite(current) {
		r.Current = copyOf(current)
	}
	lower := kr.Metric.LowerIsBetter
	if r.Baseline != nil {
		b := *r.Baseline
		e := b + (t-b)*r.Elapsed
		r.Expected = &e
		if better(t, b, lower) {
			if r.Current != nil {
				p := (*r.Current - b) / (t - b)
				r.Progress = &p
			}
		}
	}
	if r.Current != nil {
		r.TargetMet = !better(t, *r.Current, lower)
	}
	switch {
	case r.Current == nil:
		r.Status = StatusNoData
	case r.TargetMet:
		r.Status = StatusOnTrack
	case r.Baseline == nil:
		r.Status = StatusNoData
	case r.Progress == nil:
		r.Status = StatusOffTrack
	case *r.Progress >= r.Elapsed-tolerance:
		r.Status = StatusOnTrack
	case *r.Progress >= r.Elapsed-AtRiskMargin-tolerance:
		r.Status = StatusAtRisk
	default:
		r.Status = StatusOffTrack
	}
	return r
}

// better reports whether a is strictly better than b.
func better(a, b float64, lowerIsBetter bool) bool {
	if lowerIsBetter {
		return a < b
	}
	return a > b
}

// Elapsed is the share of the period start..end (end inclusive) gone on
// day today: days from start to today ÷ days in the period, clamped to
// [0, 1]; 1 for a period that ends before it starts. Only UTC dates count.
func Elapsed(start, end, today time.Time) float64 {
	n := Days(start, end)
	if n <= 0 {
		return 1
	}
	f := float64(daysBetween(start, today)) / float64(n)
	return math.Min(1, math.Max(0, f))
}

// Days is the number of days from start to end, both included; 0 or less
// when end is before start. Only UTC dates count.
func Days(start, end time.Time) int { return daysBetween(start, end) + 1 }

// daysBetween is the number of days from a's UTC date to b's.
func daysBetween(a, b time.Time) int {
	return int(math.Round(dateOf(b).Sub(dateOf(a)).Hours() / 24))
}

// dateOf is t's UTC date at midnight.
func dateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Worst is the overall status for the okr-status output: off-track if any
// key result is off track, else at-risk if any is at risk, else on-track.
// no-data is left out; with no other status Worst is empty.
func Worst(statuses ...Status) Status {
	rank := map[Status]int{StatusOnTrack: 1, StatusAtRisk: 2, StatusOffTrack: 3}
	var worst Status
	for _, s := range statuses {
		if rank[s] > rank[worst] {
			worst = s
		}
	}
	return worst
}

// Point is one value of a metric's history.
type Point struct {
	// Date is the snapshot's UTC date (time.DateOnly).
	Date string
	// Value is nil when the snapshot has no sample for the metric.
	Value *float64
}

// BaselineFrom is the baseline the history gives: the value of the earliest
// point dated on or after start, and on or before both end and today, that
// has a value; with its date. Points may come in any order; points with a
// malformed date are skipped. Nil and "" when there is none. Bounding by
// today makes a past report (--as-of) reproducible; bounding by end keeps a
// later quarter's values out.
func BaselineFrom(points []Point, start, end, today time.Time) (*float64, string) {
	from := dateOf(start)
	until := dateOf(end)
	if t := dateOf(today); t.Before(until) {
		until = t
	}
	var best *Point
	var bestDate time.Time
	for i := range points {
		pt := &points[i]
		if !finite(pt.Value) {
			continue
		}
		d, err := time.Parse(dateLayout, pt.Date)
		if err != nil || d.Before(from) || d.After(until) {
			continue
		}
		if best == nil || d.Before(bestDate) {
			best, bestDate = pt, d
		}
	}
	if best == nil {
		return nil, ""
	}
	return copyOf(best.Value), best.Date
}

func finite(f *float64) bool { return f != nil && !math.IsNaN(*f) && !math.IsInf(*f, 0) }

func copyOf(f *float64) *float64 {
	v := *f
	return &v
}
