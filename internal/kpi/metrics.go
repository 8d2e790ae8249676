package kpi

import (
	"strings"
	"time"
)

// Unit is what a metric's number counts.
type Unit string

// The units of the metrics.
const (
	UnitHours Unit = "hours"
	UnitCount Unit = "count"
	UnitRatio Unit = "ratio"
)

// Metric describes one KPI figure: its name (the same in history.json, the
// OKR file, the README and, with '-' for '_', the step outputs), unit and
// direction.
type Metric struct {
	Name  string
	Title string
	Unit  Unit
	// LowerIsBetter is true when a falling value is an improvement.
	LowerIsBetter bool
}

// Output is the step-output name of the metric.
func (m Metric) Output() string { return strings.ReplaceAll(m.Name, "_", "-") }

// The metric names. New metrics are appended; none is ever renamed.
const (
	ReviewWaitMedianHours        = "review_wait_median_hours"
	ReviewWaitP75Hours           = "review_wait_p75_hours"
	ReviewWaitP90Hours           = "review_wait_p90_hours"
	ReviewWaitMeanHours          = "review_wait_mean_hours"
	ReviewWaitMaxHours           = "review_wait_max_hours"
	ReviewRequestsAnswered       = "review_requests_answered"
	ReviewRequestsWithdrawn      = "review_requests_withdrawn"
	ReviewRequestsWaiting        = "review_requests_waiting"
	ReviewRequestsOverSLA        = "review_requests_over_sla"
	ReviewAnsweredWithinSLARatio = "review_answered_within_sla_ratio"
	SentryEvents                 = "sentry_events"
	SentryActiveUsers            = "sentry_active_users"
	SentryEventsPerUserDay       = "sentry_events_per_user_day"
	SentryUnresolvedIssues       = "sentry_unresolved_issues"
)

// Metrics returns every metric, in the order reports list them.
func Metrics() []Metric {
	return []Metric{
		{ReviewWaitMedianHours, "Review wait, median", UnitHours, true},
		{ReviewWaitP75Hours, "Review wait, p75", UnitHours, true},
		{ReviewWaitP90Hours, "Review wait, p90", UnitHours, true},
		{ReviewWaitMeanHours, "Review wait, mean", UnitHours, true},
		{ReviewWaitMaxHours, "Review wait, max", UnitHours, true},
		{ReviewRequestsAnswered, "Review requests answered", UnitCount, false},
		{ReviewRequestsWithdrawn, "Review requests withdrawn", UnitCount, true},
		{ReviewRequestsWaiting, "Review requests waiting now", UnitCount, true},
		{ReviewRequestsOverSLA, "Review requests waiting over the SLA", UnitCount, true},
		{ReviewAnsweredWithinSLARatio, "Review requests answered within the SLA", UnitRatio, false},
		{SentryEvents, "Sentry error events", UnitCount, true},
		{SentryActiveUsers, "Sentry active users (user-days)", UnitCount, false},
		{SentryEventsPerUserDay, "Sentry error events per active user per day", UnitRatio, true},
		{SentryUnresolvedIssues, "Unresolved Sentry issues (old KPI)", UnitCount, true},
	}
}

// LookupMetric returns the metric called name.
func LookupMetric(name string) (Metric, bool) {
	for _, m := range Metrics() {
		if m.Name == name {
			return m, true
		}
	}
	return Metric{}, false
}

// Values maps metric names to values; nil means "no sample" (null in the
// history, an empty step output).
type Values map[string]*float64

// Samples maps metric names to the number of observations behind them.
type Samples map[string]int

func ptr(f float64) *float64 { return &f }

// Values returns the review-wait figures under their metric names, with the
// sample size behind each.
func (rw ReviewWait) Values() (Values, Samples) {
	v := Values{
		ReviewRequestsAnswered:  ptr(float64(rw.Answered)),
		ReviewRequestsWithdrawn: ptr(float64(rw.Withdrawn)),
		ReviewRequestsWaiting:   ptr(float64(rw.Waiting)),
		ReviewRequestsOverSLA:   ptr(float64(rw.OverSLA)),
	}
	s := Samples{
		ReviewRequestsAnswered:  rw.Answered,
		ReviewRequestsWithdrawn: rw.Withdrawn,
		ReviewRequestsWaiting:   rw.Waiting,
		ReviewRequestsOverSLA:   rw.Waiting,
	}
	put := func(name string, d time.Duration, ok bool) {
		s[name] = rw.Answered
		v[name] = nil
		if ok {
			v[name] = ptr(Hours(d))
		}
	}
	d, ok := Percentile(rw.Waits, 0.5)
	put(ReviewWaitMedianHours, d, ok)
	d, ok = Percentile(rw.Waits, 0.75)
	put(ReviewWaitP75Hours, d, ok)
	d, ok = Percentile(rw.Waits, 0.9)
	put(ReviewWaitP90Hours, d, ok)
	d, ok = Mean(rw.Waits)
	put(ReviewWaitMeanHours, d, ok)
	d, ok = Percentile(rw.Waits, 1)
	put(ReviewWaitMaxHours, d, ok)
	s[ReviewAnsweredWithinSLARatio] = rw.Answered
	if rw.Answered > 0 {
		v[ReviewAnsweredWithinSLARatio] = ptr(Ratio(rw.WithinSLA, rw.Answered))
	} else {
		v[ReviewAnsweredWithinSLARatio] = nil
	}
	return v, s
}
