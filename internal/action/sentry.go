package action

import (
	"context"
	"errors"
	"fmt"
	"path"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/activeusers"
	"github.com/engineering-kpis/engineering-kpis/internal/config"
	"github.com/engineering-kpis/engineering-kpis/internal/history"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/plot"
	"github.com/engineering-kpis/engineering-kpis/internal/summary"
)

// ErrorSource gives the Sentry KPI its figures.
type ErrorSource interface {
	// Days returns E(D) and U(D) for the complete UTC days in [from, to)
	// and says where U came from.
	Days(ctx context.Context, from, to time.Time) ([]kpi.ErrorDay, string, error)
	// Unresolved counts unresolved issues and names the window it covers.
	Unresolved(ctx context.Context) (int, string, error)
}

// Retention is implemented by an ErrorSource that knows the first day
// Sentry still held in full at its last Days: the days before are not
// returned, because Sentry reports them as zeros.
type Retention interface {
	HeldFrom() time.Time
}

// UsersOverride is implemented by an ErrorSource that can take U(D) from
// the active-users input instead of Sentry.
type UsersOverride interface {
	SetUsers(*activeusers.Source)
}

// activeUsers parses the active-users input, which errors call name: a
// number, or a file read with the run's other files.
func activeUsers(value, name string, files map[string][]byte) (*activeusers.Source, error) {
	if value == "" {
		return nil, nil
	}
	src, err := activeusers.Parse(value, func(p string) ([]byte, error) {
		data, ok := files[p]
		if !ok {
			return nil, errors.New("no such file")
		}
		return data, nil
	})
	if err != nil {
		return nil, fmt.Errorf("input %s: %w", name, err)
	}
	return &src, nil
}

// SentryChartName is the file name (without extension) of the Sentry chart.
const SentryChartName = "sentry-events-per-user"

// sentryRun is what the Sentry part of a run fetched and computed.
type sentryRun struct {
	days       []kpi.ErrorDay
	heldFrom   time.Time // first day Sentry held; zero: unknown
	usersFrom  string
	unresolved int
	issuesWin  string
	now        kpi.SentryWindow
	previous   kpi.SentryWindow
	past       []kpi.Snapshot
	all        []kpi.ErrorDay // stored and fresh days
}

// fetchSentry fetches the daily figures the run needs: two windows (now
// and the one before, for the change), or on the first run the backfill
// period too, within what Sentry keeps.
func fetchSentry(ctx context.Context, src ErrorSource, held Retention, cfg *config.Config, hist *history.Tree, repo string, asOf time.Time, log Logger) (*sentryRun, error) {
	_, to := kpi.WindowDays(asOf, cfg.Window)
	from, _ := kpi.WindowDays(asOf, 2*cfg.Window)
	var backfill []time.Time
	if cfg.Backfill > 0 && !hist.HasMetric(repo, kpi.SentryEventsPerUserDay) {
		backfill = kpi.BackfillMoments(asOf, cfg.Backfill)
		if f, _ := kpi.WindowDays(backfill[0], cfg.Window); f.Before(from) {
			from = f
		}
	}
	log.Infof("Fetching Sentry error events and active users from %s to %s", from.Format(time.DateOnly), to.Add(-24*time.Hour).Format(time.DateOnly))
	days, usersFrom, err := src.Days(ctx, from, to)
	if err != nil {
		return nil, err
	}
	s := &sentryRun{days: days, usersFrom: usersFrom, unresolved: -1}
	if held != nil {
		s.heldFrom = held.HeldFrom()
		if s.heldFrom.After(from) {
			log.Infof("Sentry no longer keeps the days before %s: they are left out (no data), not counted as zero", s.heldFrom.Format(time.DateOnly))
		}
	}
	// The unresolved-issues count is the old KPI, shown for contrast: when
	// it cannot be had, say so and carry on.
	if n, win, err := src.Unresolved(ctx); err != nil {
		log.Warningf("Sentry unresolved issues left out: %v", err)
	} else {
		s.unresolved, s.issuesWin = n, win
	}
	// Days before heldFrom that an earlier version stored as zeros (Sentry
	// reports a day it no longer keeps as zero) become days without
	// events: no data, never counted.
	stale := unheldZeros(hist.Daily(), s.heldFrom)
	s.days = append(s.days, stale...)
	all := kpi.MergeDays(hist.Daily(), s.days)
	s.all = all
	s.now = kpi.SummarizeSentry(all, asOf, cfg.Window)
	s.previous = kpi.SummarizeSentry(all, asOf.Add(-cfg.Window), cfg.Window)
	for _, at := range backfill {
		w := kpi.SummarizeSentry(all, at, cfg.Window)
		v, smp := w.Values()
		s.past = append(s.past, kpi.Snapshot{Date: kpi.DateOf(at), Repository: repo, Clock: cfg.WaitClock, Metrics: v, Samples: smp, Incomplete: []string{}})
	}
	return s, nil
}

// unheldZeros returns, without their events, the stored days before
// heldFrom (when known) whose events are 0. A true zero recorded while
// Sentry held the day is lost with them: no data is the honest reading
// of a zero Sentry can no longer confirm.
func unheldZeros(stored []kpi.ErrorDay, heldFrom time.Time) []kpi.ErrorDay {
	if heldFrom.IsZero() {
		return nil
	}
	limit := heldFrom.UTC().Format(time.DateOnly)
	var out []kpi.ErrorDay
	for _, d := range stored {
		if d.Date < limit && d.Events != nil && *d.Events == 0 {
			d.Events = nil
			out = append(out, d)
		}
	}
	return out
}

// addTo puts the Sentry figures into today's snapshot.
func (s *sentryRun) addTo(snap *kpi.Snapshot) {
	v, smp := s.now.Values()
	for k, x := range v {
		snap.Metrics[k] = x
	}
	for k, n := range smp {
		snap.Samples[k] = n
	}
	if s.unresolved >= 0 {
		u := float64(s.unresolved)
		snap.Metrics[kpi.SentryUnresolvedIssues] = &u
		snap.Samples[kpi.SentryUnresolvedIssues] = s.unresolved
	}
}

// sentryPoints are the chart's daily E/U and 7-day ΣE/ΣU, one point a day
// from the first day stored to the last (within chartDays of asOf), so
// that a day the history lacks (one Sentry no longer held) is a gap, as
// is a day without both figures.
func sentryPoints(days []kpi.ErrorDay, asOf time.Time) (daily, rolling []plot.Point) {
	first := asOf.AddDate(0, 0, -chartDays).UTC().Truncate(24 * time.Hour)
	if len(days) == 0 {
		return nil, nil
	}
	start, _ := time.Parse(time.DateOnly, days[0].Date)
	last, _ := time.Parse(time.DateOnly, days[len(days)-1].Date)
	byDate := map[string]kpi.ErrorDay{}
	for _, d := range days {
		byDate[d.Date] = d
	}
	for t := start; !t.After(last); t = t.Add(24 * time.Hour) {
		if t.Before(first) {
			continue
		}
		p := plot.Point{Date: t}
		if d, ok := byDate[t.Format(time.DateOnly)]; ok {
			p.Value = d.PerUser()
		}
		daily = append(daily, p)
		r := plot.Point{Date: t}
		if !t.Before(start.AddDate(0, 0, 6)) {
			r.Value = kpi.SummarizeSentry(days, t.Add(24*time.Hour), 7*24*time.Hour).PerUserDay
		}
		rolling = append(rolling, r)
	}
	return daily, rolling
}

// sentryChart draws the daily E/U and its 7-day rolling ΣE/ΣU.
func sentryChart(h *history.Tree, cfg *config.Config, asOf time.Time, goals okrGoals) (map[string][]byte, string, error) {
	daily, rolling := sentryPoints(h.Daily(), asOf)
	c := plot.Chart{
		Title:  "Sentry error events per active user per day",
		YLabel: "events per user-day",
		Lines:  []plot.Line{{Name: "daily E/U", Points: daily}, {Name: "7-day ΣE/ΣU", Points: rolling}},
		Width:  800, Height: 300,
	}
	if goals != nil {
		goals(&c, kpi.SentryEventsPerUserDay, "events per user-day")
	}
	files := map[string][]byte{}
	image := ""
	for _, f := range cfg.ChartFormats {
		data, err := plot.Render(c, plot.Format(f))
		if err != nil {
			return nil, "", fmt.Errorf("draw the Sentry chart: %w", err)
		}
		p := path.Join(cfg.OutputDir, SentryChartName+"."+f)
		files[p] = data
		if image == "" || f == "png" {
			image = p
		}
	}
	return files, image, nil
}

// notHeld counts the days of the current window that Sentry no longer
// holds and the history does not have either.
func (s *sentryRun) notHeld() int {
	have := map[string]bool{}
	for _, d := range s.all {
		have[d.Date] = true
	}
	n := 0
	for t := s.now.From; t.Before(s.now.To) && t.Before(s.heldFrom); t = t.Add(24 * time.Hour) {
		if !have[t.Format(time.DateOnly)] {
			n++
		}
	}
	return n
}

// okrGoals draws key results of a metric on a chart; nil without OKRs.
type okrGoals func(c *plot.Chart, metric, line string)

// sentrySummary is what the summary shows of the Sentry KPI.
func (s *sentryRun) summary(cfg *config.Config, asOf time.Time) *summary.Sentry {
	out := &summary.Sentry{
		Org: cfg.Sentry.Org, Now: s.now, Previous: s.previous, UsersFrom: s.usersFrom,
		Unresolved: s.unresolved, IssuesWindow: s.issuesWin,
		HeldFrom: s.heldFrom, NotHeld: s.notHeld(),
	}
	_, to := kpi.WindowDays(asOf, cfg.Window)
	yesterday := to.Add(-24 * time.Hour).Format(time.DateOnly)
	for _, d := range s.days {
		if d.Date == yesterday {
			d := d
			out.Yesterday = &d
		}
	}
	return out
}
