// Package action runs one KPI job: fetch → compute → merge into the history
// → render charts and summary → publish. It depends on small interfaces that
// speak kpi types, so it runs alike in the Actions runner, the CLI and the
// demo.
package action

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/activeusers"
	"github.com/engineering-kpis/engineering-kpis/internal/config"
	"github.com/engineering-kpis/engineering-kpis/internal/history"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/okr"
	"github.com/engineering-kpis/engineering-kpis/internal/plot"
	"github.com/engineering-kpis/engineering-kpis/internal/publish"
	"github.com/engineering-kpis/engineering-kpis/internal/summary"
)

// PullRequestSource fetches pull requests with their review timelines.
type PullRequestSource interface {
	// PullRequests returns every pull request of repo updated at or after
	// since, and every open one whatever its age, with complete timelines.
	// It fails rather than return incomplete data.
	PullRequests(ctx context.Context, repo string, since time.Time) ([]kpi.PullRequest, error)
}

// TeamAccess is a PullRequestSource that may have had to ask GitHub
// without team fields.
type TeamAccess interface {
	// TeamsWithheld returns what the token lacks to see teams ("read:org")
	// when GitHub refused the team fields, else "".
	TeamsWithheld() string
}

// Logger is where progress goes (the Actions log or stderr).
type Logger interface {
	Infof(format string, args ...any)
	Warningf(format string, args ...any)
}

// Deps are the run's collaborators.
type Deps struct {
	Source PullRequestSource
	// Errors gives the Sentry KPI its figures; nil without Sentry.
	Errors ErrorSource
	// Store holds the history, charts and README; nil keeps nothing (a CLI
	// run that only prints).
	Store publish.Store
	// Now is the clock; the run measures as of Now() unless the config
	// sets AsOf.
	Now func() time.Time
	Log Logger
	// FileURL, when set, links a committed file: FileURL(version, path).
	FileURL func(version, path string) string
	// Ephemeral marks a Store that keeps nothing (the demo without --out):
	// the summary does not list files as written.
	Ephemeral bool
	// Inputs, when not nil, holds the run's input files (the OKR file, an
	// active-users file) that the CLI read from the local disk, under the
	// paths the config names them with. They are then never read from the
	// Store, and a path missing here is a missing file.
	Inputs publish.Files
	// Sleep waits between commit attempts after a conflict; nil does not
	// wait.
	Sleep func(ctx context.Context, d time.Duration) error
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
	// Published says what was written.
	Published publish.Result
	// Backfilled counts the past snapshots computed.
	Backfilled int
	// OKR is the evaluation of the OKR file; nil without one.
	OKR *okr.Report
	// OKRReport is the okr-report.json written (nil without OKR).
	OKRReport []byte
	// Problems says what is incomplete, one line per repository.
	Problems []string
	// Primary is the repository the Sentry figures and OKR belong to.
	Primary string
	// TeamsWithheld is what the token lacks to see teams, when GitHub
	// refused the team fields; "" otherwise.
	TeamsWithheld string
	// settingsKey is the history's key of the run's settings: only
	// figures of comparable settings are compared with the run's.
	settingsKey string
}

// TotalRepository is the repository name of the snapshot that pools every
// repository of a run that measures several.
const TotalRepository = "*"

// HistoryFile is the history's file name inside the output directory.
const HistoryFile = "history.json"

// RepoLister lists an organisation's repositories (for org:NAME).
type RepoLister interface {
	// OrgRepositories returns "owner/name" of every non-archived
	// repository of org the token can see.
	OrgRepositories(ctx context.Context, org string) ([]string, error)
}

// expandRepositories replaces every org:NAME with the organisation's
// repositories, keeping the order and dropping repeats.
func expandRepositories(ctx context.Context, repos []string, src PullRequestSource) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(r string) {
		if k := strings.ToLower(r); !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	for _, r := range repos {
		org, ok := strings.CutPrefix(r, "org:")
		if !ok {
			add(r)
			continue
		}
		lister, ok := src.(RepoLister)
		if !ok {
			return nil, fmt.Errorf("repositories: org:%s cannot be listed here", org)
		}
		list, err := lister.OrgRepositories(ctx, org)
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, fmt.Errorf("repositories: organisation %s has no repository the token can see", org)
		}
		for _, r := range list {
			add(r)
		}
	}
	return out, nil
}

// Run computes the KPIs described by cfg and publishes them.
func Run(ctx context.Context, cfg *config.Config, deps Deps) (*Result, error) {
	if slices.ContainsFunc(cfg.Repositories, func(r string) bool { return strings.HasPrefix(r, "org:") }) {
		repos, err := expandRepositories(ctx, cfg.Repositories, deps.Source)
		if err != nil {
			return nil, err
		}
		expanded := *cfg
		expanded.Repositories = repos
		cfg = &expanded
	}
	primaryIndex := slices.IndexFunc(cfg.Repositories, func(r string) bool { return strings.EqualFold(r, cfg.Primary) })
	if primaryIndex < 0 {
		primaryIndex = 0
	}
	primary := cfg.Repositories[primaryIndex]
	asOf := cfg.AsOf
	if asOf.IsZero() {
		asOf = deps.Now().UTC().Truncate(time.Second)
	}
	computedAt := deps.Now().UTC().Format(time.RFC3339)
	opts := kpi.ReviewOptions{
		Window: cfg.Window,
		SLA:    cfg.SLA,
		Filter: kpi.Filter{
			ExcludeReviewers: cfg.ExcludeReviewers,
			ExcludeAuthors:   cfg.ExcludeAuthors,
			ExcludeLabels:    cfg.ExcludeLabels,
			InferHiddenTeams: cfg.HiddenTeams == config.HiddenInfer,
		},
		Clock:       cfg.Clock(),
		ClockName:   cfg.WaitClock,
		PerReviewer: cfg.PerReviewer,
	}
	settings := SettingsOf(cfg, opts)
	settingsKey := settings.Key()
	histPath := path.Join(cfg.OutputDir, HistoryFile)
	paths := []string{histPath}
	if cfg.Readme != "" {
		paths = append(paths, cfg.Readme)
	}
	if cfg.OKRFile != "" && deps.Inputs == nil {
		paths = append(paths, cfg.OKRFile)
	}
	if cfg.Sentry != nil && cfg.Sentry.ActiveUsers != "" && !activeusers.IsNumber(cfg.Sentry.ActiveUsers) && deps.Inputs == nil {
		paths = append(paths, cfg.Sentry.ActiveUsers)
	}
	okrPath := path.Join(cfg.OutputDir, OKRReportFile)
	paths = append(paths, okrPath)
	paths = append(paths, dashboardPaths(cfg)...)
	// Charts are read too, so that an unchanged chart is not rewritten.
	for _, repo := range cfg.Repositories {
		for _, f := range cfg.ChartFormats {
			paths = append(paths, path.Join(cfg.OutputDir, ChartName(repo, len(cfg.Repositories) > 1)+"."+f))
		}
	}
	if cfg.Sentry != nil {
		for _, f := range cfg.ChartFormats {
			paths = append(paths, path.Join(cfg.OutputDir, SentryChartName+"."+f))
		}
	}

	// Read what is there first: a corrupt history stops the run before any
	// API quota is spent, and an empty one asks for a backfill.
	hist := history.NewTree()
	var first *publish.Snapshot
	// need says which parts of the history the run reads: the dates
	// charted, compared and baselined, and the days it writes.
	var need func(h *history.Tree) (from, to string, dates []string)
	if deps.Store != nil {
		snap, err := deps.Store.Read(ctx, paths)
		if err != nil {
			return nil, err
		}
		if hist, err = openHistory(snap, histPath); err != nil {
			return nil, err
		}
		if hist.Migrated() {
			deps.Log.Infof("%s is in the schema-1 format: this run splits it into parts (schema %d), keeping every value", histPath, history.SchemaVersion)
		}
		first = &snap
	}
	inputs := deps.Inputs
	if inputs == nil && first != nil {
		inputs = first.Files
	}
	okrFile, err := readOKR(inputs, cfg.OKRFile)
	if err != nil {
		return nil, err
	}
	if first != nil {
		need = func(h *history.Tree) (string, string, []string) {
			return historyNeeds(h, cfg, okrFile, asOf, settingsKey, primary)
		}
		if err := loadParts(ctx, deps.Store, *first, cfg.OutputDir, hist, need); err != nil {
			return nil, err
		}
	}
	if cfg.Sentry != nil && deps.Errors != nil {
		users, err := activeUsers(cfg.Sentry.ActiveUsers, cfg.Name(config.InActiveUsers), inputs)
		if err != nil {
			return nil, err
		}
		if o, ok := deps.Errors.(UsersOverride); ok && users != nil {
			o.SetUsers(users)
		}
	}

	res := &Result{AsOf: asOf, Primary: primary, settingsKey: settingsKey}
	type computed struct {
		today kpi.Snapshot
		past  []kpi.Snapshot
	}
	var snaps []computed
	states := loadStates(hist)
	newStates := map[string]repoState{}
	filterKey := opts.Filter.FilterKey()
	var all []kpi.Request
	allBackfilled := true
	for _, repo := range cfg.Repositories {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var backfill []time.Time
		if deps.Store != nil && !hist.Has(repo, settingsKey) {
			backfill = kpi.BackfillMoments(asOf, cfg.Backfill)
		}
		since := kpi.FetchSince(asOf, cfg.Window, backfill)
		st, hasState := states[repo]
		changedSrc, canResume := deps.Source.(ChangedSource)
		incremental := canResume && deps.Store != nil && len(backfill) == 0 && resumable(st, hasState, asOf, cfg.Window, filterKey)
		var prs []kpi.PullRequest
		var err error
		if incremental {
			since = st.AsOf.Add(-stateMargin)
			deps.Log.Infof("Fetching pull requests of %s updated since the last run (%s)", repo, since.Format(time.RFC3339))
			prs, err = changedSrc.ChangedPullRequests(ctx, repo, since)
			if err == nil && holdsHidden(st) && seesTeams(prs) {
				// The records hold requests as hidden that this token
				// would see: measure everything again.
				incremental, since = false, asOf.Add(-cfg.Window)
				deps.Log.Infof("The token now sees teams the last run could not: fetching every pull request of %s updated since %s, and every open one", repo, since.Format(time.RFC3339))
				prs, err = deps.Source.PullRequests(ctx, repo, since)
			}
		} else {
			deps.Log.Infof("Fetching pull requests of %s updated since %s, and every open one", repo, since.Format(time.RFC3339))
			prs, err = deps.Source.PullRequests(ctx, repo, since)
		}
		incomplete := false
		if err != nil {
			var inc interface{ Incomplete() []kpi.PullRequest }
			if !errors.As(err, &inc) {
				return nil, err
			}
			// GitHub failed part-way: the figures are computed from what
			// came, marked incomplete, and never recorded as if complete.
			prs, incomplete = inc.Incomplete(), true
			res.Problems = append(res.Problems, fmt.Sprintf("%s: %v", repo, err))
			deps.Log.Warningf("The pull requests of %s are incomplete: %v", repo, err)
		}
		deps.Log.Infof("Fetched %d pull requests of %s", len(prs), repo)
		var reqs []kpi.Request
		if incremental {
			reqs = resume(repo, st, prs, asOf, opts.Filter)
		} else {
			reqs = kpi.RequestsOf(prs, asOf, opts.Filter)
		}
		report := kpi.ReviewReportOf(repo, reqs, asOf, opts)
		if incomplete {
			report.Snapshot.MarkReviewIncomplete()
		}
		if !incomplete && (!hasState || !asOf.Before(st.AsOf)) {
			newStates[repo] = newState(reqs, asOf, cfg.Window, filterKey)
		}
		res.Reports = append(res.Reports, report)
		c := computed{today: report.Snapshot}
		c.past = kpi.PastSnapshots(repo, reqs, backfill, opts, incomplete)
		allBackfilled = allBackfilled && len(backfill) > 0
		if len(c.past) > 0 {
			deps.Log.Infof("Backfilled %d daily snapshots of %s (%s to %s)", len(c.past), repo, c.past[0].Date, c.past[len(c.past)-1].Date)
		}
		res.Backfilled += len(c.past)
		snaps = append(snaps, c)
		all = append(all, reqs...)
	}
	if len(res.Reports) == 1 {
		// One repository: its report is the total.
		res.Total = res.Reports[0]
	} else {
		res.Total = kpi.ReviewReportOf("", all, asOf, opts)
	}
	if len(cfg.Repositories) > 1 {
		// The pooled figures of every repository, kept in the history too,
		// and backfilled like them when every repository was fetched in
		// full for its backfill (kept records cannot tell the past).
		res.Total.Repository, res.Total.Snapshot.Repository = TotalRepository, TotalRepository
		c := computed{today: res.Total.Snapshot}
		if deps.Store != nil && allBackfilled && !hist.Has(TotalRepository, settingsKey) {
			c.past = kpi.PastSnapshots(TotalRepository, all, kpi.BackfillMoments(asOf, cfg.Backfill), opts, len(res.Problems) > 0)
		}
		snaps = append(snaps, c)
	}
	var sentry *sentryRun
	if deps.Errors != nil && cfg.Sentry != nil && len(snaps) > 0 {
		var err error
		if sentry, err = fetchSentry(ctx, deps.Errors, cfg, hist, primary, asOf, deps.Log); err != nil {
			return nil, err
		}
		// The Sentry KPI is recorded with the first repository's snapshot.
		sentry.addTo(&snaps[primaryIndex].today)
		sentry.addTo(&res.Total.Snapshot)
	}
	if len(res.Problems) > 0 {
		res.Total.Snapshot.MarkReviewIncomplete()
	}
	if ta, ok := deps.Source.(TeamAccess); ok {
		res.TeamsWithheld = ta.TeamsWithheld()
	}
	res.Outputs = Outputs(res.Total.Snapshot)
	res.Outputs["review-requests-unattributed"] = strconv.Itoa(res.Total.ReviewWait.Unattributed)
	res.Outputs["review-requests-estimated"] = strconv.Itoa(res.Total.ReviewWait.Estimated.Total())
	if rw := res.Total.ReviewWait; rw.Unattributed > 0 {
		deps.Log.Warningf("GitHub hid the reviewer of %d of %d review requests (teams the token cannot see, or deleted accounts): they are left out of the wait figures; use a token that can read the organisation's teams, or hidden-team-requests: infer", rw.Unattributed, rw.Requests())
	} else if n := rw.Estimated.Total(); n > 0 {
		deps.Log.Warningf("GitHub hid the reviewer of %d of %d review requests (teams the token cannot see, or deleted accounts): their waits are estimated (hidden-team-requests: infer)", n, rw.Requests())
	}
	if len(res.Problems) > 0 && !cfg.AllowPartial {
		// Say so in the summary, write nothing, fail.
		in := summaryInput(cfg, res, nil, nil, nil)
		in.Problems, in.Partial = res.Problems, true
		res.Summary = summary.Markdown(in)
		return res, fmt.Errorf("the data is incomplete (%s): nothing was written; set allow-partial: true to record it marked as incomplete", strings.Join(res.Problems, "; "))
	}

	// merge folds this run's snapshots into a history as read.
	merge := func(h *history.Tree) error {
		for _, c := range snaps {
			for _, s := range c.past {
				if err := h.FillWith(s, settings, computedAt); err != nil {
					return err
				}
			}
		}
		if sentry != nil {
			if err := h.SetDaily(sentry.days); err != nil {
				return err
			}
			for _, s := range sentry.past {
				if err := h.FillWith(s, settings, computedAt); err != nil {
					return err
				}
			}
		}
		for _, c := range snaps {
			if err := h.UpsertWith(c.today, settings, computedAt); err != nil {
				return err
			}
		}
		if len(newStates) > 0 {
			states := loadStates(h)
			for repo, st := range newStates {
				if old, ok := states[repo]; !ok || !st.AsOf.Before(old.AsOf) {
					states[repo] = st
				}
			}
			if err := saveStates(h, pruneStates(states, asOf)); err != nil {
				deps.Log.Warningf("could not keep the incremental state: %v", err)
			}
		}
		return nil
	}
	if deps.Store == nil {
		if err := merge(hist); err != nil {
			return nil, err
		}
		in := summaryInput(cfg, res, hist, nil, nil)
		if sentry != nil {
			in.Sentry = sentry.summary(cfg, asOf)
		}
		res.Summary = summary.Markdown(in)
		return res, nil
	}

	var final *history.Tree
	var charts []Chart
	update := func(cur publish.Snapshot) (publish.Files, error) {
		h := hist
		if first == nil || cur.Version != first.Version {
			var err error
			if h, err = openHistory(cur, histPath); err != nil {
				return nil, err
			}
			if err := loadParts(ctx, deps.Store, cur, cfg.OutputDir, h, need); err != nil {
				return nil, err
			}
		}
		if err := merge(h); err != nil {
			return nil, err
		}
		files := publish.Files{}
		parts, err := h.Files(HistoryFile)
		if err != nil {
			return nil, fmt.Errorf("encode the history: %w", err)
		}
		for p, data := range parts {
			files[path.Join(cfg.OutputDir, p)] = data
		}
		res.OKR = nil
		if okrFile != nil {
			rep := okrReport(okrFile, h, primary, asOf, settingsKey)
			res.OKR = &rep
			if files[okrPath], err = okr.MarshalReport(rep); err != nil {
				return nil, fmt.Errorf("encode %s: %w", okrPath, err)
			}
		}
		charts, err = RenderCharts(h, cfg, asOf, res.OKR, primary, settingsKey)
		if err != nil {
			return nil, err
		}
		if sentry != nil {
			var goals okrGoals
			if res.OKR != nil {
				goals = func(c *plot.Chart, metric, line string) { okrOverlay(c, *res.OKR, metric, line) }
			}
			sf, image, err := sentryChart(h, cfg, asOf, goals)
			if err != nil {
				return nil, err
			}
			charts = append(charts, Chart{Repository: primary, Title: "Sentry error events per active user per day", Files: sf, Image: image, Sentry: true})
		}
		for _, ch := range charts {
			for f, b := range ch.Files {
				files[f] = b
			}
		}
		if err := addDashboard(files, cfg, res, asOf); err != nil {
			return nil, err
		}
		if cfg.Readme != "" {
			if err := updateReadme(cur, files, cfg, h, charts, deps.Log, res); err != nil {
				return nil, err
			}
		}
		final = h
		return files, nil
	}
	msg := fmt.Sprintf("Update engineering KPIs for %s [skip ci]\n\nSnapshot of %s as of %s, written by the Engineering KPIs action.",
		kpi.DateOf(asOf), joinRepos(cfg.Repositories), asOf.Format(time.RFC3339))
	pub, err := publish.Publish(ctx, deps.Store, paths, first, update, msg, publish.Retry{Sleep: deps.Sleep})
	if err != nil {
		return nil, err
	}
	res.Published = pub
	if len(pub.Changed) == 0 {
		deps.Log.Infof("No file changed: nothing to write")
	} else if pub.Version != "" {
		deps.Log.Infof("Committed %d files as %s (attempt %d)", len(pub.Changed), pub.Version, pub.Attempts)
	}
	res.Outputs["history-file"] = histPath
	res.Outputs["commit-sha"] = pub.Version
	res.Outputs["okr-status"] = ""
	res.Outputs["okr-report"] = ""
	if res.OKR != nil {
		res.Outputs["okr-status"] = string(res.OKR.Status)
		res.Outputs["okr-report"] = okrPath
		res.OKRReport = pub.Files[okrPath]
	}
	in := summaryInput(cfg, res, final, charts, deps.FileURL)
	in.Problems = res.Problems
	if deps.Ephemeral {
		in.Files = nil
	}
	if sentry != nil {
		in.Sentry = sentry.summary(cfg, asOf)
		for _, c := range charts {
			if c.Sentry && deps.FileURL != nil && pub.Version != "" {
				in.Sentry.ChartURL = deps.FileURL(pub.Version, c.Image)
			}
		}
	}
	res.Summary = summary.Markdown(in)
	return res, nil
}

func joinRepos(repos []string) string {
	if len(repos) == 1 {
		return repos[0]
	}
	return fmt.Sprintf("%d repositories", len(repos))
}

// openHistory decodes the history index of snap; a missing file is an
// empty history, an unreadable one an error that stops the run.
func openHistory(snap publish.Snapshot, p string) (*history.Tree, error) {
	data, ok := snap.Files[p]
	if !ok {
		return history.NewTree(), nil
	}
	h, err := history.OpenTree(data)
	if err != nil {
		if errors.Is(err, history.ErrNewerSchema) {
			// The file is fine: only this version is too old to read it.
			return nil, fmt.Errorf("%s: %w; it will not be overwritten", p, err)
		}
		return nil, fmt.Errorf("%s is not a valid history file, and will not be overwritten: %w (fix or remove it)", p, err)
	}
	return h, nil
}

// loadParts reads the parts of h that need names, at the version snap was
// read at, into h and into snap.Files (so that parts left unchanged are
// not written again).
func loadParts(ctx context.Context, store publish.Store, snap publish.Snapshot, dir string, h *history.Tree, need func(*history.Tree) (string, string, []string)) error {
	from, to, dates := need(h)
	rel := h.Paths(from, to, dates...)
	if len(rel) == 0 {
		return nil
	}
	full := make([]string, len(rel))
	for i, p := range rel {
		full[i] = path.Join(dir, p)
	}
	files, err := store.ReadAt(ctx, snap.Version, full)
	if err != nil {
		return err
	}
	parts := map[string][]byte{}
	for i, p := range rel {
		data, ok := files[full[i]]
		if !ok {
			return fmt.Errorf("%s lists %s, which is missing: the history is incomplete and will not be overwritten (restore the file, or remove the history)", path.Join(dir, HistoryFile), full[i])
		}
		parts[p] = data
		snap.Files[full[i]] = data
	}
	if err := h.Load(parts); err != nil {
		return fmt.Errorf("%s is not a valid history part, and will not be overwritten: %w (fix or remove it)", dir, err)
	}
	return nil
}

// historyNeeds is the span of dates a run reads (charts, the changes of 7
// and 28 days, the Sentry windows, the OKR quarter, the backfill) and the
// days it writes (today's, and the backfill's when it backfills).
func historyNeeds(h *history.Tree, cfg *config.Config, okrFile *okr.File, asOf time.Time, key, primary string) (string, string, []string) {
	today := kpi.DateOf(asOf)
	from := asOf.AddDate(0, 0, -chartDays)
	if t := asOf.Add(-2*cfg.Window - 48*time.Hour); t.Before(from) {
		from = t
	}
	if okrFile != nil && okrFile.Start.Before(from) {
		from = okrFile.Start
	}
	dates := []string{today}
	backfill := slices.ContainsFunc(cfg.Repositories, func(r string) bool { return !h.Has(r, key) }) ||
		(len(cfg.Repositories) > 1 && !h.Has(TotalRepository, key)) ||
		(cfg.Sentry != nil && !h.HasMetric(primary, kpi.SentryEventsPerUserDay))
	if backfill && cfg.Backfill > 0 {
		moments := kpi.BackfillMoments(asOf, cfg.Backfill)
		for _, m := range moments {
			dates = append(dates, kpi.DateOf(m))
		}
		if t := moments[0].Add(-cfg.Window - 48*time.Hour); t.Before(from) {
			from = t
		}
	}
	return kpi.DateOf(from), today, dates
}

// SettingsOf is what the run's figures are computed with, as the history
// records it beside each snapshot.
func SettingsOf(cfg *config.Config, opts kpi.ReviewOptions) *history.Settings {
	st := &history.Settings{Window: span(cfg.Window, true), SLA: span(cfg.SLA, false), Clock: "calendar"}
	if cfg.WaitClock != "" && cfg.WaitClock != "calendar" {
		st.Clock = cfg.WaitClock
		st.BusinessHours = cfg.Hours.String()
		if cfg.Location != nil {
			st.Timezone = cfg.Location.String()
		}
		st.Holidays = cfg.Holidays.String()
	}
	if f := opts.Filter.FilterKey(); f != (kpi.Filter{}).FilterKey() {
		st.Filter = f
	}
	if s := cfg.Sentry; s != nil {
		parts := []string{s.Org}
		for _, p := range [][2]string{{"projects", strings.Join(s.Projects, ",")}, {"environment", s.Environment}, {"query", s.Query}} {
			if p[1] != "" {
				parts = append(parts, p[0]+"="+p[1])
			}
		}
		st.Sentry = strings.Join(parts, ";")
	}
	return st
}

// span writes a duration as the inputs do: "28d" (in days when days is
// set), "24h" or "90m".
func span(d time.Duration, days bool) string {
	switch {
	case days && d%(24*time.Hour) == 0:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	case d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	default:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	}
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
