package summary

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// headlineMetrics are the figures of the headline table, in order.
var headlineMetrics = []string{
	kpi.ReviewWaitMedianHours,
	kpi.ReviewWaitP90Hours,
	kpi.ReviewAnsweredWithinSLARatio,
	kpi.ReviewRequestsAnswered,
	kpi.ReviewRequestsWaiting,
	kpi.ReviewRequestsOverSLA,
}

func writeHeadline(b *strings.Builder, r kpi.Report, x Extras) {
	b.WriteString(HeadlineTable(r, x))
	b.WriteString("\n")
}

// HeadlineTable is the table of the main figures now and their change
// against 7 and 28 days before and, with OKR key results, each one's target
// and status (key-result metrics outside the usual rows are added).
func HeadlineTable(r kpi.Report, x Extras) string {
	var b strings.Builder
	metrics := append([]string(nil), headlineMetrics...)
	goals := len(x.Goals) > 0
	if goals {
		b.WriteString("| KPI | Now | vs 7 days ago | vs 28 days ago | Target | Status |\n|---|---:|---:|---:|---:|---|\n")
		for _, m := range kpi.Metrics() {
			if _, ok := x.Goals[m.Name]; ok && !slices.Contains(metrics, m.Name) {
				metrics = append(metrics, m.Name)
			}
		}
	} else {
		b.WriteString("| KPI | Now | vs 7 days ago | vs 28 days ago |\n|---|---:|---:|---:|\n")
	}
	for _, name := range metrics {
		m, _ := kpi.LookupMetric(name)
		now := r.Snapshot.Metrics[name]
		cell := Value(m, now)
		if p, ok := calendarRow[name]; ok && r.Snapshot.Clock == kpi.ClockBusiness && now != nil {
			// The row is in working hours; the calendar value beside.
			cell += " · " + Value(m, calendarHours(r.ReviewWait, p)) + " calendar"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |", label(m, r), cell, change(m, now, x.Ago7), change(m, now, x.Ago28))
		if goals {
			if g, ok := x.Goals[name]; ok {
				t := g.Target
				fmt.Fprintf(&b, " %s | %s |", Value(m, &t), statusMark[g.Status])
			} else {
				b.WriteString(" – | |")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// calendarRow maps the hour metrics of the headline table to the
// percentile of the calendar waits shown beside them (mean: -1).
var calendarRow = map[string]float64{
	kpi.ReviewWaitMedianHours: 0.5, kpi.ReviewWaitP75Hours: 0.75, kpi.ReviewWaitP90Hours: 0.9,
	kpi.ReviewWaitMeanHours: -1, kpi.ReviewWaitMaxHours: 1,
}

func label(m kpi.Metric, r kpi.Report) string {
	suffix := ""
	if r.Snapshot.Clock == kpi.ClockBusiness {
		suffix = " working hours"
	}
	switch {
	case m.Name == kpi.ReviewAnsweredWithinSLARatio:
		return fmt.Sprintf("Answered within %s%s", Span(r.SLA), suffix)
	case m.Name == kpi.ReviewRequestsOverSLA:
		return fmt.Sprintf("Waiting over %s%s", Span(r.SLA), suffix)
	case m.Unit == kpi.UnitHours && suffix != "":
		return m.Title + " (working hours)"
	}
	return m.Title
}

// Value writes a metric value with its unit: "5.25 h", "82%", "12";
// "–" for no sample.
func Value(m kpi.Metric, v *float64) string {
	if v == nil {
		return "–"
	}
	switch m.Unit {
	case kpi.UnitHours:
		return strconv.FormatFloat(math.Round(*v*100)/100, 'f', -1, 64) + " h"
	case kpi.UnitRatio:
		if strings.HasPrefix(m.Name, "review_") {
			return strconv.FormatFloat(math.Round(*v*1000)/10, 'f', -1, 64) + "%"
		}
		return strconv.FormatFloat(math.Round(*v*10000)/10000, 'f', -1, 64)
	}
	return strconv.FormatFloat(math.Round(*v*100)/100, 'f', -1, 64)
}

// change writes the difference now − then and whether it is better or
// worse, which the metric's direction decides.
func change(m kpi.Metric, now *float64, then kpi.Values) string {
	if then == nil {
		return "–"
	}
	old := then[m.Name]
	if now == nil || old == nil {
		return "–"
	}
	d := *now - *old
	rel := ""
	switch {
	case m.Unit == kpi.UnitRatio && strings.HasPrefix(m.Name, "review_"):
		d = math.Round(d*1000) / 10
	case m.Unit == kpi.UnitRatio:
		if *old != 0 {
			rel = fmt.Sprintf("%+g%%, ", math.Round(d / *old * 1000)/10)
			rel = strings.Replace(rel, "-", "−", 1)
		}
		d = math.Round(d*10000) / 10000
	default:
		d = math.Round(d*100) / 100
	}
	if d == 0 {
		return "±0"
	}
	sign := "+"
	if d < 0 {
		sign = "−"
	}
	unit := ""
	switch {
	case m.Unit == kpi.UnitHours:
		unit = " h"
	case m.Unit == kpi.UnitRatio && strings.HasPrefix(m.Name, "review_"):
		unit = " pp"
	}
	better := (d < 0) == m.LowerIsBetter
	verdict := "worse"
	if better {
		verdict = "better"
	}
	return fmt.Sprintf("%s%s%s (%s%s)", sign, strconv.FormatFloat(math.Abs(d), 'f', -1, 64), unit, rel, verdict)
}

// writeTrend draws the daily median and p90 as a Mermaid xychart, which
// GitHub renders in job summaries (a PNG of a private repository would not
// show there).
func writeTrend(b *strings.Builder, trend []TrendPoint, clock string) {
	var labels, med, p90 []string
	top := 0.0
	for _, t := range trend {
		if t.Median == nil || t.P90 == nil {
			continue
		}
		labels = append(labels, strconv.Quote(t.Date[5:]))
		med = append(med, strconv.FormatFloat(*t.Median, 'f', -1, 64))
		p90 = append(p90, strconv.FormatFloat(*t.P90, 'f', -1, 64))
		top = math.Max(top, *t.P90)
	}
	if len(labels) < 2 {
		return
	}
	unit := "hours"
	if clock == kpi.ClockBusiness {
		unit = "working hours"
	}
	fmt.Fprintf(b, "```mermaid\nxychart-beta\n  title \"Review wait, %s: p90 (upper) and median, %s to %s\"\n", unit, trend[0].Date, trend[len(trend)-1].Date)
	fmt.Fprintf(b, "  x-axis [%s]\n", strings.Join(labels, ", "))
	fmt.Fprintf(b, "  y-axis \"hours\" 0 --> %s\n", strconv.FormatFloat(math.Ceil(top*1.1+0.01), 'f', -1, 64))
	fmt.Fprintf(b, "  line [%s]\n  line [%s]\n```\n\n", strings.Join(p90, ", "), strings.Join(med, ", "))
}

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

func codeList(files []string) string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = "`" + strings.ReplaceAll(f, "`", "") + "`"
	}
	return strings.Join(out, ", ")
}

// ReadmeBlock is the Markdown the action puts between the README markers:
// each repository's chart (paths relative to the README) and headline
// table.
func ReadmeBlock(reports []kpi.Report, extras map[string]Extras, images map[string]string) string {
	var b strings.Builder
	b.WriteString("<!-- Written by the Engineering KPIs action; edits between the markers are replaced on each run. -->\n")
	for _, r := range reports {
		x := extras[r.Repository]
		fmt.Fprintf(&b, "\n#### Review request wait — %s\n\n", Text(r.Repository))
		if img := images[r.Repository]; img != "" {
			fmt.Fprintf(&b, "![Review request wait: daily median and p90](%s)\n\n", strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29").Replace(img))
		}
		b.WriteString(HeadlineTable(r, x))
		fmt.Fprintf(&b, "\n<sub>As of %s · window %s · updated daily.</sub>\n", stamp(r.ReviewWait.AsOf), WindowSpan(r.Window))
	}
	return b.String()
}
