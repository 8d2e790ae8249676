package action

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/config"
	"github.com/engineering-kpis/engineering-kpis/internal/history"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/okr"
	"github.com/engineering-kpis/engineering-kpis/internal/plot"
	"github.com/engineering-kpis/engineering-kpis/internal/summary"
)

// Chart is one rendered KPI chart of one repository.
type Chart struct {
	Repository string
	Title      string
	// Files maps repository paths to the rendered bytes, one per format.
	Files map[string][]byte
	// Image is the path of the chart to show in Markdown (the PNG when
	// there is one).
	Image string
	// Sentry marks the Sentry chart.
	Sentry bool
}

// chartDays is how much history a chart shows.
const chartDays = 180

// ChartName is the file name (without extension) of the review-wait chart
// of repo: "review-wait", with the repository appended when a run measures
// several.
func ChartName(repo string, several bool) string {
	if !several {
		return "review-wait"
	}
	return "review-wait-" + strings.ToLower(strings.ReplaceAll(repo, "/", "-"))
}

// RenderCharts draws the review-wait chart of every repository from h;
// the OKR goals go on the primary repository's chart.
//
// Only the figures computed with settings comparable to key are drawn.
func RenderCharts(h *history.Tree, cfg *config.Config, asOf time.Time, goals *okr.Report, primary, key string) ([]Chart, error) {
	var out []Chart
	from := asOf.AddDate(0, 0, -chartDays)
	for _, repo := range cfg.Repositories {
		var median, p90 []plot.Point
		for _, e := range h.SeriesWith(repo, key) {
			d, err := time.Parse(time.DateOnly, e.Date)
			if err != nil || d.Before(from) {
				continue
			}
			median = append(median, plot.Point{Date: d, Value: complete(e.Snapshot, kpi.ReviewWaitMedianHours)})
			p90 = append(p90, plot.Point{Date: d, Value: complete(e.Snapshot, kpi.ReviewWaitP90Hours)})
		}
		title := "Review request wait"
		if len(cfg.Repositories) > 1 {
			title += " — " + repo
		}
		// Two panels on one x axis: the p90 with the SLA, and below it the
		// median on its own scale, which under the p90's would lie flat.
		// A target is dotted in its line's colour; the legend says when it
		// lies on the SLA.
		p90Panel := plot.Chart{
			Title:  title + ": p90",
			YLabel: "hours",
			Lines:  []plot.Line{{Name: "p90", Points: p90, Color: p90Color}},
			HLines: []plot.HLine{{Name: "SLA " + summary.Span(cfg.SLA), Value: cfg.SLA.Hours()}},
			Width:  800,
			Height: 300,
		}
		medianPanel := plot.Chart{
			Title:  title + ": median",
			YLabel: "hours",
			Lines:  []plot.Line{{Name: "median", Points: median, Color: medianColor}},
			Width:  800,
			Height: 220,
		}
		if goals != nil && repo == primary {
			okrOverlay(&p90Panel, *goals, kpi.ReviewWaitP90Hours, "p90")
			okrOverlay(&medianPanel, *goals, kpi.ReviewWaitMedianHours, "median")
			colourTargets(&p90Panel, p90Color)
			colourTargets(&medianPanel, medianColor)
		}
		c := []plot.Chart{p90Panel, medianPanel}
		ch := Chart{Repository: repo, Title: title, Files: map[string][]byte{}}
		name := ChartName(repo, len(cfg.Repositories) > 1)
		for _, f := range cfg.ChartFormats {
			data, err := plot.RenderStack(c, plot.Format(f))
			if err != nil {
				return nil, fmt.Errorf("draw the review-wait chart of %s: %w", repo, err)
			}
			p := path.Join(cfg.OutputDir, name+"."+f)
			ch.Files[p] = data
			if ch.Image == "" || f == "png" {
				ch.Image = p
			}
		}
		out = append(out, ch)
	}
	return out, nil
}

// The review-wait chart's line colours: the median blue, the p90 orange.
const (
	medianColor = "1f77b4"
	p90Color    = "ff7f0e"
)

// colourTargets draws a panel's OKR targets dotted in its line's colour,
// so they are not taken for the SLA.
func colourTargets(c *plot.Chart, color string) {
	for i := range c.HLines {
		if strings.Contains(c.HLines[i].Name, " target ") {
			c.HLines[i].Color = color
		}
	}
}

// complete is the value of metric in s, or nil when s marks it incomplete:
// charts and OKR status never take an incomplete figure as right.
func complete(s kpi.Snapshot, metric string) *float64 {
	if slices.Contains(s.Incomplete, metric) {
		return nil
	}
	return s.Metrics[metric]
}
