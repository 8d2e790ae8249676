// Package summary renders KPI reports as Markdown: the job summary
// (GITHUB_STEP_SUMMARY) and the CLI's output. All untrusted text goes
// through Text and URL.
package summary

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/okr"
)

// Input is what a summary shows.
type Input struct {
	// Reports are one per repository.
	Reports []kpi.Report
	AsOf    time.Time
	// Clock names the wait clock ("calendar").
	Clock string
	// Demo marks a run on the embedded sample.
	Demo bool
	// Extras holds, by repository, what the history adds.
	Extras map[string]Extras
	// Commit is the commit that recorded the run ("" when none).
	Commit string
	// CommitURL links Commit.
	CommitURL string
	// Files lists the files written (no commit), for the reader.
	Files []string
	// OKR is the OKR evaluation; nil without an OKR file.
	OKR *okr.Report
	// Sentry is the Sentry KPI; nil when Sentry is not configured.
	Sentry *Sentry
	// Total pools every repository of a run that measures several.
	Total *kpi.Report
	// Problems says what data is incomplete; Partial that nothing was
	// recorded because of it.
	Problems []string
	Partial  bool
	// Teams says what the token hid of the teams requests went to; nil
	// says nothing.
	Teams *TeamNotice
}

// Extras is what the history adds to a repository's section.
type Extras struct {
	// Trend is the daily median and p90, oldest first.
	Trend []TrendPoint
	// Ago7 and Ago28 are the snapshot values 7 and 28 days before; nil
	// when the history has no snapshot then.
	Ago7, Ago28 kpi.Values
	// ChartURL and HistoryURL link the committed files.
	ChartURL, HistoryURL string
	// ChartPath is the chart's repository path, for the README block.
	ChartPath string
	// Goals are the OKR key results of this repository, by metric.
	Goals map[string]okr.ReportKeyResult
}

// TrendPoint is one day of the trend.
type TrendPoint struct {
	Date        string
	Median, P90 *float64
}

// Markdown renders the job summary.
func Markdown(in Input) string {
	var b strings.Builder
	b.WriteString("# Engineering KPIs\n\n")
	writeTeamNotice(&b, in.Teams)
	if in.Demo {
		b.WriteString("> [!NOTE]\n> Demo run on the embedded sample data set: no GitHub API was called.\n\n")
	}
	if len(in.Problems) > 0 {
		b.WriteString("> [!WARNING]\n> **Incomplete data.** GitHub failed part-way, so the review-wait figures below are computed from part of the pull requests")
		if in.Partial {
			b.WriteString(" and were **not recorded**: nothing was committed. Re-run the job, or set `allow-partial: true` to record them marked as incomplete.\n")
		} else {
			b.WriteString(" and are recorded marked as incomplete (`allow-partial: true`).\n")
		}
		for _, p := range in.Problems {
			fmt.Fprintf(&b, "> - %s\n", Text(p))
		}
		b.WriteString("\n")
	}
	switch {
	case in.Commit != "" && URL(in.CommitURL) != "":
		fmt.Fprintf(&b, "History and charts committed in [%s](%s).\n\n", short(in.Commit), URL(in.CommitURL))
	case in.Commit != "":
		fmt.Fprintf(&b, "History and charts committed in %s.\n\n", short(in.Commit))
	case len(in.Files) > 0:
		fmt.Fprintf(&b, "Files written: %s.\n\n", codeList(in.Files))
	}
	if in.OKR != nil {
		b.WriteString(OKRTable(*in.OKR))
	}
	if in.Total != nil {
		fmt.Fprintf(&b, "## Review request wait — all %d repositories\n\n", len(in.Reports))
		b.WriteString(HeadlineTable(*in.Total, in.Extras[in.Total.Repository]))
		b.WriteString("\n")
	}
	for _, r := range in.Reports {
		writeReport(&b, r, in)
	}
	b.WriteString("<sub>Waits count from each review request to the reviewer's first submitted review; time while the pull request is a draft does not count. ")
	b.WriteString("Percentiles are nearest-rank (the ⌈p·n⌉-th smallest wait). ")
	b.WriteString("Withdrawn: the request was removed, or the pull request closed or merged, before a review.</sub>\n")
	if in.Sentry != nil {
		b.WriteString("\n")
		writeSentry(&b, in.Sentry)
	}
	return b.String()
}

func writeReport(b *strings.Builder, r kpi.Report, in Input) {
	rw := r.ReviewWait
	fmt.Fprintf(b, "## Review request wait — %s\n\n", Text(r.Repository))
	from := rw.AsOf.Add(-r.Window)
	fmt.Fprintf(b, "As of %s · window %s (%s → %s) · SLA %s · %s clock\n\n",
		stamp(rw.AsOf), WindowSpan(r.Window), stamp(from), stamp(rw.AsOf), Span(r.SLA)+workingSuffix(in.Clock), in.Clock)

	x := in.Extras[r.Repository]
	if rw.Answered > 0 {
		fmt.Fprintf(b, "**%s of requests answered within %s%s** (%d of %d).\n\n", percent(float64(rw.WithinSLA)/float64(rw.Answered)), Span(r.SLA), workingSuffix(in.Clock), rw.WithinSLA, rw.Answered)
	}
	writeEstimated(b, rw)
	writeHeadline(b, r, x)
	writeTrend(b, x.Trend, in.Clock)
	if x.ChartURL != "" || x.HistoryURL != "" {
		var parts []string
		if x.ChartURL != "" {
			parts = append(parts, fmt.Sprintf("[chart](%s)", URL(x.ChartURL)))
		}
		if x.HistoryURL != "" {
			parts = append(parts, fmt.Sprintf("[history](%s)", URL(x.HistoryURL)))
		}
		fmt.Fprintf(b, "Committed: %s.\n\n", strings.Join(parts, " · "))
	}

	v := r.Snapshot.Metrics
	b.WriteString("<details><summary>All review-wait figures</summary>\n\n")
	b.WriteString("| Figure | Value |\n|---|---:|\n")
	fmt.Fprintf(b, "| Requests answered | %d |\n", rw.Answered)
	for _, row := range []struct {
		label, metric string
		p             float64
	}{
		{"Median wait", kpi.ReviewWaitMedianHours, 0.5},
		{"p75 wait", kpi.ReviewWaitP75Hours, 0.75},
		{"p90 wait", kpi.ReviewWaitP90Hours, 0.9},
		{"Mean wait", kpi.ReviewWaitMeanHours, -1},
		{"Longest answered wait", kpi.ReviewWaitMaxHours, 1},
	} {
		cell := hoursCell(v[row.metric])
		if in.Clock == kpi.ClockBusiness && v[row.metric] != nil {
			// The calendar value beside the working-hours one, so nobody
			// is misled; working hours are never written as days.
			cell = fmt.Sprintf("%s working · %s calendar", workingHoursCell(v[row.metric]), hoursCell(calendarHours(rw, row.p)))
		}
		fmt.Fprintf(b, "| %s | %s |\n", row.label, cell)
	}
	if ratio := v[kpi.ReviewAnsweredWithinSLARatio]; ratio != nil {
		fmt.Fprintf(b, "| Answered within the SLA (%s%s) | %s (%d of %d) |\n", Span(r.SLA), workingSuffix(in.Clock), percent(*ratio), rw.WithinSLA, rw.Answered)
	} else {
		fmt.Fprintf(b, "| Answered within the SLA (%s%s) | – |\n", Span(r.SLA), workingSuffix(in.Clock))
	}
	fmt.Fprintf(b, "| Requests withdrawn | %d |\n", rw.Withdrawn)
	fmt.Fprintf(b, "| Waiting now | %d |\n", rw.Waiting)
	fmt.Fprintf(b, "| Waiting longer than the SLA (%s%s) | %d |\n", Span(r.SLA), workingSuffix(in.Clock), rw.OverSLA)
	if rw.Unattributed > 0 {
		fmt.Fprintf(b, "| Unattributed requests (reviewer hidden from the token) | %d |\n", rw.Unattributed)
	}
	if e := rw.Estimated; e.Total() > 0 {
		fmt.Fprintf(b, "| Estimated requests (reviewer hidden): answered · withdrawn · waiting | %d · %d · %d |\n", e.Answered, e.Withdrawn, e.Waiting)
	}
	b.WriteString("\n</details>\n\n")
	writeBreakdown(b, r.Snapshot.Breakdown, r.CalendarBreakdown)

	if len(rw.Longest) == 0 {
		b.WriteString("No review request is waiting.\n\n")
		return
	}
	fmt.Fprintf(b, "### Longest-waiting review requests\n\n")
	b.WriteString("| Pull request | Reviewer | Waiting for |\n|---|---|---:|\n")
	for _, w := range rw.Longest {
		fmt.Fprintf(b, "| %s | %s | %s |\n", prLink(w.Request), reviewer(w.Reviewer), waitingFor(w, in.Clock))
	}
	if rw.Waiting > len(rw.Longest) {
		fmt.Fprintf(b, "\n…and %d more.\n", rw.Waiting-len(rw.Longest))
	}
	b.WriteString("\n")
}

func prLink(r kpi.Request) string {
	text := fmt.Sprintf("#%d %s", r.Number, Text(r.Title))
	if u := URL(r.URL); u != "" {
		return fmt.Sprintf("[%s](%s)", text, u)
	}
	return text
}

func reviewer(a kpi.Actor) string {
	if a == kpi.HiddenTeam {
		return "hidden team (estimated)"
	}
	if a.Team {
		return "team " + Text(a.Login)
	}
	return Text(a.Login)
}

// waitingFor writes how long an open request has waited: under the
// business clock in working hours with the calendar age beside it; a
// request on a draft (whose clock is paused) says so.
func waitingFor(w kpi.WaitingRequest, clock string) string {
	age := Age(w.Age)
	if clock == kpi.ClockBusiness {
		age = WorkingAge(w.Age) + " working · " + Age(w.Wait(kpi.CalendarClock{})) + " calendar"
	}
	switch {
	case w.Running:
		return age
	case w.Age == 0:
		return "draft: not started"
	default:
		return age + " (draft: paused)"
	}
}

// calendarHours is the calendar-time figure of the answered waits that a
// row of the figures table shows: percentile p, or the mean when p < 0.
func calendarHours(rw kpi.ReviewWait, p float64) *float64 {
	d, ok := kpi.Mean(rw.CalendarWaits)
	if p > 0 {
		d, ok = kpi.Percentile(rw.CalendarWaits, p)
	}
	if !ok {
		return nil
	}
	h := kpi.Hours(d)
	return &h
}

// workingHoursCell writes working hours: "25.37 h (25h 22m)", never as
// days, which would read as calendar days.
func workingHoursCell(h *float64) string {
	if h == nil {
		return "–"
	}
	d := time.Duration(math.Round(*h*60)) * time.Minute
	return fmt.Sprintf("%s h (%s)", strconv.FormatFloat(*h, 'f', -1, 64), WorkingAge(d))
}

// WorkingAge writes working time in hours and minutes, never days:
// "362h", "25h 22m", "45m".
func WorkingAge(d time.Duration) string {
	h, m := d/time.Hour, (d%time.Hour)/time.Minute
	switch {
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh %dm", h, m)
}

func hoursCell(h *float64) string {
	if h == nil {
		return "–"
	}
	d := time.Duration(math.Round(*h*60)) * time.Minute
	return fmt.Sprintf("%s h (%s)", strconv.FormatFloat(*h, 'f', -1, 64), Long(d))
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// Age writes a waiting time the way people say it: "3d 4h", "3d", "5h",
// "45m". Longer units drop the smaller remainder.
func Age(d time.Duration) string {
	switch {
	case d >= 24*time.Hour:
		days, hours := d/(24*time.Hour), (d%(24*time.Hour))/time.Hour
		if hours == 0 {
			return fmt.Sprintf("%dd", days)
		}
		return fmt.Sprintf("%dd %dh", days, hours)
	case d >= time.Hour:
		return fmt.Sprintf("%dh", d/time.Hour)
	default:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
}

// Long writes a duration to the minute: "4d 16h", "2h 46m", "48m".
func Long(d time.Duration) string {
	if d >= 24*time.Hour {
		return Age(d)
	}
	if d >= time.Hour {
		h, m := d/time.Hour, (d%time.Hour)/time.Minute
		if m == 0 {
			return fmt.Sprintf("%dh", h)
		}
		return fmt.Sprintf("%dh %dm", h, m)
	}
	return Age(d)
}

// Span writes a configured duration: "28 days", "24h".
func Span(d time.Duration) string {
	if d%(24*time.Hour) == 0 && d >= 48*time.Hour {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return fmt.Sprintf("%dm", d/time.Minute)
}

// WindowSpan writes a report window the same way whatever its length:
// "1 day", "14 days", "36h".
func WindowSpan(d time.Duration) string {
	switch {
	case d == 24*time.Hour:
		return "1 day"
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return Span(d)
}

func workingSuffix(clock string) string {
	if clock == kpi.ClockBusiness {
		return " working hours"
	}
	return ""
}

// percent writes a ratio as a percentage with at most 2 decimals.
func percent(r float64) string {
	return strconv.FormatFloat(math.Round(r*10000)/100, 'f', -1, 64) + "%"
}

var groupLabels = map[string]string{
	kpi.GroupFirst:     "First requests",
	kpi.GroupReRequest: "Re-requests (after a review)",
	kpi.GroupUser:      "Requests for a person",
	kpi.GroupTeam:      "Requests for a team",
}

// writeBreakdown renders the review wait split into groups; with calendar
// groups (the business clock) each wait is labelled working and the
// calendar value is shown beside it.
func writeBreakdown(b *strings.Builder, groups, calendar map[string]*kpi.Group) {
	if len(groups) == 0 {
		return
	}
	b.WriteString("<details><summary>Breakdown</summary>\n\n")
	b.WriteString("| Requests | In window | Answered | Median | p90 | Within SLA | Waiting now |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, k := range kpi.GroupKeys(groups) {
		g := groups[k]
		label, ok := groupLabels[k]
		if !ok {
			kind, name, _ := strings.Cut(k, ":")
			label = Text(name)
			if kind == "team" {
				label = "team " + label
			}
		}
		within := "–"
		if g.Answered > 0 {
			within = percent(float64(g.WithinSLA) / float64(g.Answered))
		}
		median, p90 := shortHours(g.Median), shortHours(g.P90)
		if c, ok := calendar[k]; ok {
			median, p90 = working(g.Median, c.Median), working(g.P90, c.P90)
		}
		fmt.Fprintf(b, "| %s | %d | %d | %s | %s | %s | %d |\n", label, g.Requests, g.Answered, median, p90, within, g.Waiting)
	}
	b.WriteString("\n</details>\n\n")
}

// working writes a working-hours figure with its calendar value beside.
func working(h, calendar *float64) string {
	if h == nil {
		return "–"
	}
	return shortHours(h) + " working · " + shortHours(calendar) + " calendar"
}

func shortHours(h *float64) string {
	if h == nil {
		return "–"
	}
	return strconv.FormatFloat(*h, 'f', -1, 64) + " h"
}
