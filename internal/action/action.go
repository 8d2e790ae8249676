// Package action runs one KPI job: fetch → compute → render → report. It
// depends on small interfaces that speak kpi types, so it runs alike in the
// Actions runner, the CLI and the demo.
package action

import (
	"context"
	"strconv"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/config"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/summary"
)

// PullRequestSource fetches pull requests with their review timelines.
type PullRequestSource interface {
	// PullRequests returns every pull request of repo updated at or after
	// since, and every open one whatever its age, with complete timelines.
	// It fails rather than return incomplete data.
	PullRequests(ctx context.Context, repo string, since time.Time) ([]kpi.PullRequest, error)
}

// Logger is where progress goes (the Actions log or stderr).
type Logger interface {
	Infof(format string, args ...any)
}

// Deps are the run's collaborators.
type Deps struct {
	Source PullRequestSource
	// Now is the clock; the run measures as of Now() unless the config
	// sets AsOf.
	Now func() time.Time
	Log Logger
}

// Result is what a run produced.
type Result struct {
	AsOf time.Time
	// Reports has one report per repository.
	Reports []kpi.Report
	// Total pools every repository; it feeds the step outputs.
	Total kpi.Report
	// Summary is the Markdown job summary.
	Summary string
	// Outputs are the step outputs, by name.
	Outputs map[string]string
}

// ClockCalendar is the name of the calendar wait clock.
const ClockCalendar = "calendar"

// Run computes the KPIs described by cfg.
func Run(ctx context.Context, cfg *config.Config, deps Deps) (*Result, error) {
	asOf := cfg.AsOf
	if asOf.IsZero() {
		asOf = deps.Now().UTC().Truncate(time.Second)
	}
	filter := kpi.Filter{
		ExcludeReviewers: cfg.ExcludeReviewers,
		ExcludeAuthors:   cfg.ExcludeAuthors,
		ExcludeLabels:    cfg.ExcludeLabels,
	}
	since := asOf.Add(-cfg.Window)
	res := &Result{AsOf: asOf}
	var all []kpi.PullRequest
	for _, repo := range cfg.Repositories {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		deps.Log.Infof("Fetching pull requests of %s updated since %s, and every open one", repo, since.Format(time.RFC3339))
		prs, err := deps.Source.PullRequests(ctx, repo, since)
		if err != nil {
			return nil, err
		}
		deps.Log.Infof("Fetched %d pull requests of %s", len(prs), repo)
		res.Reports = append(res.Reports, kpi.ReviewReport(repo, prs, asOf, cfg.Window, cfg.SLA, filter, kpi.CalendarClock{}, ClockCalendar))
		all = append(all, prs...)
	}
	res.Total = kpi.ReviewReport("", all, asOf, cfg.Window, cfg.SLA, filter, kpi.CalendarClock{}, ClockCalendar)
	res.Summary = summary.Markdown(summary.Input{Reports: res.Reports, AsOf: asOf, Clock: ClockCalendar, Demo: cfg.Demo})
	res.Outputs = Outputs(res.Total.Snapshot)
	return res, nil
}

// Outputs maps a snapshot to step outputs: every metric it holds under its
// output name, numbers with at most 2 decimals (ratios 4), empty when the
// metric has no sample.
func Outputs(s kpi.Snapshot) map[string]string {
	out := map[string]string{}
	for _, m := range kpi.Metrics() {
		v, ok := s.Metrics[m.Name]
		if !ok {
			continue
		}
		out[m.Output()] = FormatValue(v)
	}
	return out
}

// FormatValue writes a metric value for an output: "" for no sample.
func FormatValue(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
