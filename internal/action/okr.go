package action

import (
	"fmt"
	"slices"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/history"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/okr"
	"github.com/engineering-kpis/engineering-kpis/internal/plot"
)

// OKRReportFile is the OKR report's file name inside the output directory.
const OKRReportFile = "okr-report.json"

// readOKR parses the OKR file when there is one; a mistake in it stops the
// run before anything is fetched or written.
func readOKR(files map[string][]byte, p string) (*okr.File, error) {
	data, ok := files[p]
	if !ok || p == "" {
		return nil, nil
	}
	f, err := okr.Parse(p, data)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// okrReport evaluates the key results of f against repo's history as of
// asOf (the snapshot of asOf's date holds the current values); baselines
// missing from the file come from the history.
func okrReport(f *okr.File, h *history.Tree, repo string, asOf time.Time, key string) okr.Report {
	points := map[string][]okr.Point{}
	for _, e := range h.SeriesWith(repo, key) {
		for _, kr := range f.KeyResults {
			points[kr.Metric.Name] = append(points[kr.Metric.Name], okr.Point{Date: e.Date, Value: complete(e.Snapshot, kr.Metric.Name)})
		}
	}
	date := kpi.DateOf(asOf)
	current := kpi.Values{}
	if e, ok := h.FindWith(date, repo, key); ok {
		for name := range e.Metrics {
			current[name] = complete(e.Snapshot, name)
		}
	}
	return okr.NewReport(f, points, current, dateAt(date))
}

// okrOverlay draws a key result on a chart of its metric: the target as a
// line, the expected path from baseline to target, the quarter's bounds.
func okrOverlay(c *plot.Chart, r okr.Report, metric, line string) {
	for _, kr := range r.KeyResults {
		if kr.Metric != metric {
			continue
		}
		start, end := dateAt(r.Start), dateAt(r.End).AddDate(0, 0, 1)
		c.HLines = append(c.HLines, plot.HLine{Name: fmt.Sprintf("%s target %s", line, trim(kr.Target)), Value: kr.Target})
		if kr.Baseline != nil {
			b, t := *kr.Baseline, kr.Target
			c.Segments = append(c.Segments, plot.Segment{Name: line + " expected path", From: plot.Point{Date: start, Value: &b}, To: plot.Point{Date: end, Value: &t}})
		}
		label := r.Quarter
		if label == "" {
			label = "OKR"
		}
		for _, v := range []plot.VLine{{Name: label + " start", Date: start}, {Name: label + " end", Date: end}} {
			if !slices.Contains(c.VLines, v) {
				c.VLines = append(c.VLines, v)
			}
		}
	}
}

func trim(v float64) string { return fmt.Sprintf("%g", v) }

func dateAt(d string) time.Time {
	t, _ := time.Parse(time.DateOnly, d)
	return t
}
