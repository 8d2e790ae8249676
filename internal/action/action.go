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

// Deps are the run's collaborators. Source and Log are required; the
// others are optional capabilities, nil when absent.
type Deps struct {
	Source PullRequestSource
	// Changed fetches only the pull requests changed since a moment,
	// for incremental runs; nil fetches in full every time.
	Changed ChangedSource
	// Lister lists an organisation's repositories, for org:NAME.
	Lister RepoLister
	// Teams says whether GitHub refused the team fields.
	Teams TeamAccess
	// Errors gives the Sentry KPI its figures; nil without Sentry.
	Errors ErrorSource
	// Users takes U(D) from the active-users input instead of Sentry.
	Users UsersOverride
	// Held knows the first day Sentry still holds.
	Held Retention
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
func expandRepositories(ctx context.Context, repos []string, lister RepoLister) ([]string, error) {
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
		if lister == nil {
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

// Run computes the KPIs described by cfg and publishes them, as a pipeline
// of named steps over one job: plan → read → fetch and measure each
// repository → pool → Sentry → conclude → record, render and publish →
// summarise.
func Run(ctx context.Context, cfg *config.Config, deps Deps) (*Result, error) {
	j, err := plan(ctx, cfg, deps)
	if err != nil {
		return nil, err
	}
	if err := j.read(ctx); err != nil {
		return nil, err
	}
	for _, repo := range j.cfg.Repositories {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rr, err := j.fetch(ctx, repo)
		if err != nil {
			return nil, err
		}
		j.measure(rr)
	}
	j.pool()
	if err := j.addSentry(ctx); err != nil {
		return nil, err
	}
	j.conclude()
	if len(j.res.Problems) > 0 && !j.cfg.AllowPartial {
		return j.res, j.refuseIncomplete()
	}
	if j.deps.Store == nil {
		return j.res, j.printOnly()
	}
	if err := j.publish(ctx); err != nil {
		return nil, err
	}
	return j.res, nil
}

// job is one run as it moves through the pipeline: what it was asked
// (plan), what it read, what each repository measured, and what it
// produced (res).
type job struct {
	cfg  *config.Config
	deps Deps

	// Set by plan.
	asOf         time.Time
	computedAt   string
	opts         kpi.ReviewOptions
	settings     *history.Settings
	settingsKey  string
	primary      string
	primaryIndex int
	histPath     string
	okrPath      string
	paths        []string // read, and written when they change

	// Set by read.
	hist    *history.Tree
	first   *publish.Snapshot // the store as read; nil without a store
	inputs  publish.Files
	okrFile *okr.File
	states  map[string]repoState

	// Set by measure and pool.
	snaps         []computed // per repository, then the pooled one
	newStates     map[string]repoState
	all           []kpi.Request
	allBackfilled bool

	sentry *sentryRun

	// Set by publish.
	final  *history.Tree
	charts []Chart

	res *Result
}

// computed is what a run records for one repository (or the pool).
type computed struct {
	today kpi.Snapshot
	past  []kpi.Snapshot
}

// repoRun is one repository's pull requests as fetched.
type repoRun struct {
	repo        string
	backfill    []time.Time
	state       repoState
	hasState    bool
	incremental bool
	incomplete  bool
	prs         []kpi.PullRequest
}

// plan settles what the run measures and which files it reads: the
// repositories (org:NAME expanded), the as-of moment, the options and
// settings, and the paths.
func plan(ctx context.Context, cfg *config.Config, deps Deps) (*job, error) {
	if slices.ContainsFunc(cfg.Repositories, func(r string) bool { return strings.HasPrefix(r, "org:") }) {
		repos, err := expandRepositories(ctx, cfg.Repositories, deps.Lister)
		if err != nil {
			return nil, err
		}
		expanded := *cfg
		expanded.Repositories = repos
		cfg = &expanded
	}
	j := &job{cfg: cfg, deps: deps, newStates: map[string]repoState{}, allBackfilled: true}
	j.primaryIndex = max(0, slices.IndexFunc(cfg.Repositories, func(r string) bool { return strings.EqualFold(r, cfg.Primary) }))
	j.primary = cfg.Repositories[j.primaryIndex]
	j.asOf = cfg.AsOf
	if j.asOf.IsZero() {
		j.asOf = deps.Now().UTC().Truncate(time.Second)
	}
	j.computedAt = deps.Now().UTC().Format(time.RFC3339)
	j.opts = kpi.ReviewOptions{
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
	j.settings = SettingsOf(cfg, j.opts)
	j.settingsKey = j.settings.Key()
	j.res = &Result{AsOf: j.asOf, Primary: j.primary, settingsKey: j.settingsKey}
	j.histPath = path.Join(cfg.OutputDir, HistoryFile)
	j.okrPath = path.Join(cfg.OutputDir, OKRReportFile)
	j.paths = filePaths(cfg, deps.Inputs != nil, j.histPath, j.okrPath)
	return j, nil
}

// filePaths lists the files a run reads and may write: the history index,
// the README, the OKR file and an active-users file (unless the CLI read
// them from the local disk), the OKR report, the dashboard, and the
// charts, which are read too so that an unchanged chart is not rewritten.
func filePaths(cfg *config.Config, localInputs bool, histPath, okrPath string) []string {
	paths := []string{histPath}
	if cfg.Readme != "" {
		paths = append(paths, cfg.Readme)
	}
	if cfg.OKRFile != "" && !localInputs {
		paths = append(paths, cfg.OKRFile)
	}
	if cfg.Sentry != nil && cfg.Sentry.ActiveUsers != "" && !activeusers.IsNumber(cfg.Sentry.ActiveUsers) && !localInputs {
		paths = append(paths, cfg.Sentry.ActiveUsers)
	}
	paths = append(paths, okrPath)
	paths = append(paths, dashboardPaths(cfg)...)
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
	return paths
}

// read reads what is there before any API call: a corrupt history stops
// the run before any quota is spent, and an empty one asks for a
// backfill. It also reads the OKR file and the active-users input.
func (j *job) read(ctx context.Context) error {
	j.hist = history.NewTree()
	if j.deps.Store != nil {
		snap, err := j.deps.Store.Read(ctx, j.paths)
		if err != nil {
			return err
		}
		if j.hist, err = openHistory(snap, j.histPath); err != nil {
			return err
		}
		if j.hist.Migrated() {
			j.deps.Log.Infof("%s is in the schema-1 format: this run splits it into parts (schema %d), keeping every value", j.histPath, history.SchemaVersion)
		}
		j.first = &snap
	}
	j.inputs = j.deps.Inputs
	if j.inputs == nil && j.first != nil {
		j.inputs = j.first.Files
	}
	var err error
	if j.okrFile, err = readOKR(j.inputs, j.cfg.OKRFile); err != nil {
		return err
	}
	if j.first != nil {
		if err := loadParts(ctx, j.deps.Store, *j.first, j.cfg.OutputDir, j.hist, j.needs); err != nil {
			return err
		}
	}
	if j.cfg.Sentry != nil && j.deps.Errors != nil {
		users, err := activeUsers(j.cfg.Sentry.ActiveUsers, j.cfg.Name(config.InActiveUsers), j.inputs)
		if err != nil {
			return err
		}
		if j.deps.Users != nil && users != nil {
			j.deps.Users.SetUsers(users)
		}
	}
	j.states = loadStates(j.hist)
	return nil
}

// needs says which parts of the history h the run reads: the dates
// charted, compared and baselined, and the days it writes — its own
// backfilled days too, once measured, even when h (read again after a
// concurrent run) already holds them.
func (j *job) needs(h *history.Tree) (dayFrom, monthFrom, to string, dates []string) {
	dayFrom, monthFrom, to, dates = historyNeeds(h, j.cfg, j.okrFile, j.asOf, j.settingsKey, j.primary)
	for _, c := range j.snaps {
		for _, s := range c.past {
			dates = append(dates, s.Date)
		}
	}
	if j.sentry != nil {
		for _, s := range j.sentry.past {
			dates = append(dates, s.Date)
		}
	}
	return dayFrom, monthFrom, to, dates
}

// fetch fetches one repository's pull requests: only those changed since
// the last run when its records can be resumed, else every one updated in
// the window (and the backfill) and every open one. A failure GitHub
// caused part-way leaves what came, marked incomplete.
func (j *job) fetch(ctx context.Context, repo string) (*repoRun, error) {
	rr := &repoRun{repo: repo}
	if j.deps.Store != nil && !j.hist.Has(repo, j.settingsKey) {
		rr.backfill = kpi.BackfillMoments(j.asOf, j.cfg.Backfill)
	}
	since := kpi.FetchSince(j.asOf, j.cfg.Window, rr.backfill)
	rr.state, rr.hasState = j.states[repo]
	rr.incremental = j.deps.Changed != nil && j.deps.Store != nil && len(rr.backfill) == 0 &&
		resumable(rr.state, rr.hasState, j.asOf, j.cfg.Window, j.opts.Filter.FilterKey())
	log := j.deps.Log
	var err error
	if rr.incremental {
		since = rr.state.AsOf.Add(-stateMargin)
		log.Infof("Fetching pull requests of %s updated since the last run (%s)", repo, since.Format(time.RFC3339))
		rr.prs, err = j.deps.Changed.ChangedPullRequests(ctx, repo, since)
		if err == nil && kpi.HiddenOnly(rr.state.Requests) && kpi.NamesTeam(rr.prs) {
			// The records hold requests as hidden that this token
			// would see: measure everything again.
			rr.incremental, since = false, j.asOf.Add(-j.cfg.Window)
			log.Infof("The token now sees teams the last run could not: fetching every pull request of %s updated since %s, and every open one", repo, since.Format(time.RFC3339))
			rr.prs, err = j.deps.Source.PullRequests(ctx, repo, since)
		}
	} else {
		log.Infof("Fetching pull requests of %s updated since %s, and every open one", repo, since.Format(time.RFC3339))
		rr.prs, err = j.deps.Source.PullRequests(ctx, repo, since)
	}
	if err != nil {
		var inc interface{ Incomplete() []kpi.PullRequest }
		if !errors.As(err, &inc) {
			return nil, err
		}
		// GitHub failed part-way: the figures are computed from what
		// came, marked incomplete, and never recorded as if complete.
		rr.prs, rr.incomplete = inc.Incomplete(), true
		j.res.Problems = append(j.res.Problems, fmt.Sprintf("%s: %v", repo, err))
		log.Warningf("The pull requests of %s are incomplete: %v", repo, err)
	}
	log.Infof("Fetched %d pull requests of %s", len(rr.prs), repo)
	return rr, nil
}

// measure turns one repository's pull requests into its report, today's
// snapshot, the backfilled ones and the records the next run resumes.
func (j *job) measure(rr *repoRun) {
	var reqs []kpi.Request
	if rr.incremental {
		reqs = kpi.Resume(rr.repo, rr.state.Requests, rr.prs, j.asOf, j.opts.Filter)
	} else {
		reqs = kpi.RequestsOf(rr.prs, j.asOf, j.opts.Filter)
	}
	report := kpi.ReviewReportOf(rr.repo, reqs, j.asOf, j.opts)
	if rr.incomplete {
		report.Snapshot.MarkReviewIncomplete()
	}
	if !rr.incomplete && (!rr.hasState || !j.asOf.Before(rr.state.AsOf)) {
		j.newStates[rr.repo] = newState(reqs, j.asOf, j.cfg.Window, j.opts.Filter.FilterKey())
	}
	j.res.Reports = append(j.res.Reports, report)
	c := computed{today: report.Snapshot, past: kpi.PastSnapshots(rr.repo, reqs, rr.backfill, j.opts, rr.incomplete)}
	j.allBackfilled = j.allBackfilled && len(rr.backfill) > 0
	if len(c.past) > 0 {
		j.deps.Log.Infof("Backfilled %d daily snapshots of %s (%s to %s)", len(c.past), rr.repo, c.past[0].Date, c.past[len(c.past)-1].Date)
	}
	j.res.Backfilled += len(c.past)
	j.snaps = append(j.snaps, c)
	j.all = append(j.all, reqs...)
}

// pool makes the run's total: one repository's report, or the pooled
// figures of several, kept in the history under TotalRepository and
// backfilled like them when every repository was fetched in full for its
// backfill (kept records cannot tell the past).
func (j *job) pool() {
	if len(j.res.Reports) == 1 {
		j.res.Total = j.res.Reports[0]
		return
	}
	j.res.Total = kpi.ReviewReportOf("", j.all, j.asOf, j.opts)
	j.res.Total.Repository, j.res.Total.Snapshot.Repository = TotalRepository, TotalRepository
	c := computed{today: j.res.Total.Snapshot}
	if j.deps.Store != nil && j.allBackfilled && !j.hist.Has(TotalRepository, j.settingsKey) {
		c.past = kpi.PastSnapshots(TotalRepository, j.all, kpi.BackfillMoments(j.asOf, j.cfg.Backfill), j.opts, len(j.res.Problems) > 0)
	}
	j.snaps = append(j.snaps, c)
}

// addSentry fetches the Sentry KPI, recorded with the primary
// repository's snapshot and the total.
func (j *job) addSentry(ctx context.Context) error {
	if j.deps.Errors == nil || j.cfg.Sentry == nil || len(j.snaps) == 0 {
		return nil
	}
	var err error
	if j.sentry, err = fetchSentry(ctx, j.deps.Errors, j.deps.Held, j.cfg, j.hist, j.primary, j.asOf, j.deps.Log); err != nil {
		return err
	}
	j.sentry.addTo(&j.snaps[j.primaryIndex].today)
	j.sentry.addTo(&j.res.Total.Snapshot)
	return nil
}

// conclude sets the outputs and warns about hidden reviewers.
func (j *job) conclude() {
	res := j.res
	if len(res.Problems) > 0 {
		res.Total.Snapshot.MarkReviewIncomplete()
	}
	if j.deps.Teams != nil {
		res.TeamsWithheld = j.deps.Teams.TeamsWithheld()
	}
	res.Outputs = Outputs(res.Total.Snapshot)
	res.Outputs["review-requests-unattributed"] = strconv.Itoa(res.Total.ReviewWait.Unattributed)
	res.Outputs["review-requests-estimated"] = strconv.Itoa(res.Total.ReviewWait.Estimated.Total())
	switch n := summary.TeamNoticeOf(res.Total.ReviewWait, j.cfg.HiddenTeams == config.HiddenInfer, res.TeamsWithheld); {
	case n.Hidden == 0:
	case n.Infer:
		j.deps.Log.Warningf("GitHub hid the reviewer of %d of %d review requests (teams the token cannot see, or deleted accounts): their waits are estimated (hidden-team-requests: infer)", n.Hidden, n.Requests)
	default:
		j.deps.Log.Warningf("GitHub hid the reviewer of %d of %d review requests (teams the token cannot see, or deleted accounts): they are left out of the wait figures; use a token that can read the organisation's teams, or hidden-team-requests: infer", n.Hidden, n.Requests)
	}
}

// refuseIncomplete says in the summary what is missing and fails: nothing
// is written.
func (j *job) refuseIncomplete() error {
	in := summaryInput(j.cfg, j.res, nil, nil, nil)
	in.Problems, in.Partial = j.res.Problems, true
	j.res.Summary = summary.Markdown(in)
	return fmt.Errorf("the data is incomplete (%s): nothing was written; set allow-partial: true to record it marked as incomplete", strings.Join(j.res.Problems, "; "))
}

// printOnly records the run in the history as read (a run that keeps
// nothing) and writes the summary.
func (j *job) printOnly() error {
	if err := j.record(j.hist); err != nil {
		return err
	}
	in := summaryInput(j.cfg, j.res, j.hist, nil, nil)
	if j.sentry != nil {
		in.Sentry = j.sentry.summary(j.cfg, j.asOf)
	}
	j.res.Summary = summary.Markdown(in)
	return nil
}

// record folds the run's snapshots, Sentry days and records into h.
func (j *job) record(h *history.Tree) error {
	for _, c := range j.snaps {
		for _, s := range c.past {
			if err := h.FillWith(s, j.settings, j.computedAt); err != nil {
				return err
			}
		}
	}
	if j.sentry != nil {
		if err := h.SetDaily(j.sentry.days); err != nil {
			return err
		}
		for _, s := range j.sentry.past {
			if err := h.FillWith(s, j.settings, j.computedAt); err != nil {
				return err
			}
		}
	}
	for _, c := range j.snaps {
		if err := h.UpsertWith(c.today, j.settings, j.computedAt); err != nil {
			return err
		}
	}
	if len(j.newStates) > 0 {
		states := loadStates(h)
		for repo, st := range j.newStates {
			if old, ok := states[repo]; !ok || !st.AsOf.Before(old.AsOf) {
				states[repo] = st
			}
		}
		if err := saveStates(h, pruneStates(states, j.asOf)); err != nil {
			j.deps.Log.Warningf("could not keep the incremental state: %v", err)
		}
	}
	return nil
}

// render writes every file of the run from h as recorded: the history's
// parts, the OKR report, the charts, the dashboard and the README block.
func (j *job) render(cur publish.Snapshot, h *history.Tree) (publish.Files, error) {
	cfg, res := j.cfg, j.res
	files := publish.Files{}
	parts, err := h.Files(HistoryFile)
	if err != nil {
		return nil, fmt.Errorf("encode the history: %w", err)
	}
	for p, data := range parts {
		files[path.Join(cfg.OutputDir, p)] = data
	}
	res.OKR = nil
	if j.okrFile != nil {
		rep := okrReport(j.okrFile, h, j.primary, j.asOf, j.settingsKey)
		res.OKR = &rep
		if files[j.okrPath], err = okr.MarshalReport(rep); err != nil {
			return nil, fmt.Errorf("encode %s: %w", j.okrPath, err)
		}
	}
	j.charts, err = RenderCharts(h, cfg, j.asOf, res.OKR, j.primary, j.settingsKey)
	if err != nil {
		return nil, err
	}
	if j.sentry != nil {
		var goals okrGoals
		if res.OKR != nil {
			goals = func(c *plot.Chart, metric, line string) { okrOverlay(c, *res.OKR, metric, line) }
		}
		sf, image, err := sentryChart(h, cfg, j.asOf, goals)
		if err != nil {
			return nil, err
		}
		j.charts = append(j.charts, Chart{Repository: j.primary, Title: "Sentry error events per active user per day", Files: sf, Image: image, Sentry: true})
	}
	for _, ch := range j.charts {
		for f, b := range ch.Files {
			files[f] = b
		}
	}
	if err := addDashboard(files, cfg, res, j.asOf); err != nil {
		return nil, err
	}
	if cfg.Readme != "" {
		if err := updateReadme(cur, files, cfg, h, j.charts, j.deps.Log, res); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// update is publish's step for one attempt: the history as it stands at
// cur (read again after a concurrent commit), with the run recorded into
// it, rendered.
func (j *job) update(ctx context.Context, cur publish.Snapshot) (publish.Files, error) {
	h := j.hist
	if j.first == nil || cur.Version != j.first.Version {
		var err error
		if h, err = openHistory(cur, j.histPath); err != nil {
			return nil, err
		}
		if err := loadParts(ctx, j.deps.Store, cur, j.cfg.OutputDir, h, j.needs); err != nil {
			return nil, err
		}
	}
	if err := j.record(h); err != nil {
		return nil, err
	}
	files, err := j.render(cur, h)
	if err != nil {
		return nil, err
	}
	j.final = h
	return files, nil
}

// publish commits (or writes) the changed files in one go, retried on a
// concurrent update, then sets the file outputs and the summary.
func (j *job) publish(ctx context.Context) error {
	cfg, res := j.cfg, j.res
	msg := fmt.Sprintf("Update engineering KPIs for %s [skip ci]\n\nSnapshot of %s as of %s, written by the Engineering KPIs action.",
		kpi.DateOf(j.asOf), joinRepos(cfg.Repositories), j.asOf.Format(time.RFC3339))
	update := func(cur publish.Snapshot) (publish.Files, error) { return j.update(ctx, cur) }
	pub, err := publish.Publish(ctx, j.deps.Store, j.paths, j.first, update, msg, publish.Retry{Sleep: j.deps.Sleep})
	if err != nil {
		return err
	}
	res.Published = pub
	if len(pub.Changed) == 0 {
		j.deps.Log.Infof("No file changed: nothing to write")
	} else if pub.Version != "" {
		j.deps.Log.Infof("Committed %d files as %s (attempt %d)", len(pub.Changed), pub.Version, pub.Attempts)
	}
	res.Outputs["history-file"] = j.histPath
	res.Outputs["commit-sha"] = pub.Version
	res.Outputs["okr-status"] = ""
	res.Outputs["okr-report"] = ""
	if res.OKR != nil {
		res.Outputs["okr-status"] = string(res.OKR.Status)
		res.Outputs["okr-report"] = j.okrPath
		res.OKRReport = pub.Files[j.okrPath]
	}
	j.summarise()
	return nil
}

// summarise writes the job summary of a published run.
func (j *job) summarise() {
	res, pub := j.res, j.res.Published
	in := summaryInput(j.cfg, res, j.final, j.charts, j.deps.FileURL)
	in.Problems = res.Problems
	if j.deps.Ephemeral {
		in.Files = nil
	}
	if j.sentry != nil {
		in.Sentry = j.sentry.summary(j.cfg, j.asOf)
		for _, c := range j.charts {
			if c.Sentry && j.deps.FileURL != nil && pub.Version != "" {
				in.Sentry.ChartURL = j.deps.FileURL(pub.Version, c.Image)
			}
		}
	}
	res.Summary = summary.Markdown(in)
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
func loadParts(ctx context.Context, store publish.Store, snap publish.Snapshot, dir string, h *history.Tree, need func(*history.Tree) (string, string, string, []string)) error {
	dayFrom, monthFrom, to, dates := need(h)
	rel := h.Paths(dayFrom, monthFrom, to, dates...)
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

// historyNeeds is what a run reads of the history: the day parts from
// dayFrom (the charts, the OKR quarter; the 7- and 28-day changes are in
// the index), the Sentry months from monthFrom (the two Sentry windows
// and the backfill's), and the days it writes (today's, and the
// backfill's when it backfills).
func historyNeeds(h *history.Tree, cfg *config.Config, okrFile *okr.File, asOf time.Time, key, primary string) (dayFrom, monthFrom, to string, dates []string) {
	today := kpi.DateOf(asOf)
	days := asOf.AddDate(0, 0, -chartDays)
	if okrFile != nil && okrFile.Start.Before(days) {
		days = okrFile.Start
	}
	months := days
	if t := asOf.Add(-2*cfg.Window - 48*time.Hour); t.Before(months) {
		months = t
	}
	dates = []string{today}
	backfill := slices.ContainsFunc(cfg.Repositories, func(r string) bool { return !h.Has(r, key) }) ||
		(len(cfg.Repositories) > 1 && !h.Has(TotalRepository, key)) ||
		(cfg.Sentry != nil && !h.HasMetric(primary, kpi.SentryEventsPerUserDay))
	if backfill && cfg.Backfill > 0 {
		moments := kpi.BackfillMoments(asOf, cfg.Backfill)
		for _, m := range moments {
			dates = append(dates, kpi.DateOf(m))
		}
		if t := moments[0].Add(-cfg.Window - 48*time.Hour); t.Before(months) {
			months = t
		}
	}
	return kpi.DateOf(days), kpi.DateOf(months), today, dates
}

// SettingsOf is what the run's figures are computed with, as the history
// records it beside each snapshot.
func SettingsOf(cfg *config.Config, opts kpi.ReviewOptions) *history.Settings {
	st := &history.Settings{Window: config.FormatDuration(cfg.Window), SLA: hoursSpan(cfg.SLA), Clock: kpi.ClockCalendar}
	if cfg.WaitClock != "" && cfg.WaitClock != kpi.ClockCalendar {
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

// hoursSpan writes the SLA as the input usually is: "24h" (never "1d"),
// or "90m".
func hoursSpan(d time.Duration) string {
	if d%time.Hour == 0 {
		return strconv.Itoa(int(d/time.Hour)) + "h"
	}
	return strconv.Itoa(int(d/time.Minute)) + "m"
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
