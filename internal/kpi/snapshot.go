package kpi

import "time"

// Snapshot is every KPI value of one repository as of one UTC date: one
// entry of history.json.
type Snapshot struct {
	// Date is the UTC date, "2006-01-02" (time.DateOnly).
	Date       string `json:"date"`
	Repository string `json:"repository"`
	// Clock is the review-wait clock: "calendar" or "business".
	Clock   string  `json:"clock"`
	Metrics Values  `json:"metrics"`
	Samples Samples `json:"samples"`
	// Incomplete lists metrics whose data could not be fetched in full.
	Incomplete []string `json:"incomplete"`
	// Estimated, when set, counts the requests whose reviewer GitHub hid
	// and whose waits were estimated (hidden-team-requests: infer): the
	// answered ones are in every review_wait_* figure and the SLA ratio,
	// the waiting ones in review_requests_waiting and _over_sla.
	Estimated *Estimate `json:"estimated,omitempty"`
	// Breakdown splits the review wait (see Breakdown); nil when not
	// computed.
	Breakdown map[string]*Group `json:"breakdown,omitempty"`
}

// Report is the outcome of one run for one repository (or, with an empty
// Repository, for all of them together): the snapshot to store and the
// detail behind it that only the summary shows.
type Report struct {
	Repository string
	Window     time.Duration
	SLA        time.Duration
	ReviewWait ReviewWait
	Snapshot   Snapshot
	// CalendarBreakdown is the breakdown in calendar time, for the summary
	// to show beside the working-hours one; nil under the calendar clock.
	CalendarBreakdown map[string]*Group
}

// DateOf is the UTC date a snapshot taken at asOf belongs to. The end of a
// day (midnight) belongs to the day before it.
func DateOf(asOf time.Time) string {
	t := asOf.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		t = t.Add(-time.Nanosecond)
	}
	return t.Format(time.DateOnly)
}

// The names of the wait clocks, as the wait-clock input and the history
// write them.
const (
	ClockCalendar = "calendar"
	ClockBusiness = "business"
)

// ReviewOptions says how review waits are measured.
type ReviewOptions struct {
	Window, SLA time.Duration
	Filter      Filter
	Clock       Clock
	// ClockName is "calendar" or "business".
	ClockName string
	// PerReviewer adds per-reviewer and per-team groups to the breakdown.
	PerReviewer bool
}

// RequestsOf measures the requests of every pull request of prs as of
// asOf, into one slice of the exact size.
func RequestsOf(prs []PullRequest, asOf time.Time, f Filter) []Request {
	per := make([][]Request, len(prs))
	n := 0
	for i, pr := range prs {
		per[i] = Requests(pr, asOf, f)
		n += len(per[i])
	}
	out := make([]Request, 0, n)
	for _, r := range per {
		out = append(out, r...)
	}
	return out
}

// ReviewReportOf computes the review-wait report of requests measured as
// of asOf.
func ReviewReportOf(repository string, reqs []Request, asOf time.Time, o ReviewOptions) Report {
	window, sla, clock, clockName := o.Window, o.SLA, o.Clock, o.ClockName
	if clock == nil {
		clock, clockName = CalendarClock{}, ClockCalendar
	}
	ws := waits(reqs, clock, asOf.Add(-window))
	rw := summarize(reqs, ws, asOf, window, sla, clock)
	v, s := rw.Values()
	var est *Estimate
	if o.Filter.InferHiddenTeams && rw.Estimated.Total() > 0 {
		est = &rw.Estimated
	}
	var calendar map[string]*Group
	if _, ok := clock.(CalendarClock); !ok {
		calendar = breakdown(reqs, waits(reqs, CalendarClock{}, asOf.Add(-window)), asOf, window, sla, o.PerReviewer)
	}
	return Report{
		CalendarBreakdown: calendar,
		Repository:        repository,
		Window:            window,
		SLA:               sla,
		ReviewWait:        rw,
		Snapshot: Snapshot{
			Date:       DateOf(asOf),
			Repository: repository,
			Clock:      clockName,
			Metrics:    v,
			Samples:    s,
			Incomplete: []string{},
			Estimated:  est,
			Breakdown:  breakdown(reqs, ws, asOf, window, sla, o.PerReviewer),
		},
	}
}
