package action

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/config"
	"github.com/engineering-kpis/engineering-kpis/internal/demo"
	"github.com/engineering-kpis/engineering-kpis/internal/history"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/publish"
)

// Fakes of the run's collaborators as structs of function fields.

type fakeSource struct {
	PullRequestsFn func(ctx context.Context, repo string, since time.Time) ([]kpi.PullRequest, error)
}

func (f fakeSource) PullRequests(ctx context.Context, repo string, since time.Time) ([]kpi.PullRequest, error) {
	return f.PullRequestsFn(ctx, repo, since)
}

type fakeChanged struct {
	ChangedPullRequestsFn func(ctx context.Context, repo string, since time.Time) ([]kpi.PullRequest, error)
}

func (f fakeChanged) ChangedPullRequests(ctx context.Context, repo string, since time.Time) ([]kpi.PullRequest, error) {
	return f.ChangedPullRequestsFn(ctx, repo, since)
}

type fakeLister struct {
	OrgRepositoriesFn func(ctx context.Context, org string) ([]string, error)
}

func (f fakeLister) OrgRepositories(ctx context.Context, org string) ([]string, error) {
	return f.OrgRepositoriesFn(ctx, org)
}

var (
	_ PullRequestSource = fakeSource{}
	_ ChangedSource     = fakeChanged{}
	_ RepoLister        = fakeLister{}
)

// incompleteErr is a fetch GitHub broke off part-way.
type incompleteErr struct{ prs []kpi.PullRequest }

func (e incompleteErr) Error() string                 { return "GitHub answered 502" }
func (e incompleteErr) Incomplete() []kpi.PullRequest { return e.prs }

var stepAsOf = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func stepConfig(repos ...string) *config.Config {
	cfg := testConfig(stepAsOf)
	cfg.Repositories = repos
	return cfg
}

func TestPlanExpandsOrganisations(t *testing.T) {
	cases := []struct {
		name    string
		repos   []string
		lister  RepoLister
		want    []string
		wantErr string
	}{
		{name: "plain", repos: []string{"acme/web"}, want: []string{"acme/web"}},
		{
			name: "org listed, repeats dropped", repos: []string{"acme/web", "org:acme"},
			lister: fakeLister{OrgRepositoriesFn: func(_ context.Context, org string) ([]string, error) {
				return []string{"acme/api", "ACME/web"}, nil
			}},
			want: []string{"acme/web", "acme/api"},
		},
		{name: "org without a lister", repos: []string{"org:acme"}, wantErr: "org:acme cannot be listed here"},
		{
			name: "empty organisation", repos: []string{"org:acme"}, wantErr: "has no repository the token can see",
			lister: fakeLister{OrgRepositoriesFn: func(context.Context, string) ([]string, error) { return nil, nil }},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := stepConfig(tc.repos...)
			j, err := plan(context.Background(), cfg, Deps{Lister: tc.lister, Now: func() time.Time { return stepAsOf }})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(j.cfg.Repositories, tc.want) {
				t.Errorf("repositories %v, want %v", j.cfg.Repositories, tc.want)
			}
			if !slices.Equal(cfg.Repositories, tc.repos) {
				t.Errorf("plan changed the caller's config: %v", cfg.Repositories)
			}
		})
	}
}

// TestFetchChoosesHowMuch: with records to resume, only the changed pull
// requests are asked for, since the last run less the margin; without,
// or without a ChangedSource, everything since the window's start.
func TestFetchChoosesHowMuch(t *testing.T) {
	last := stepAsOf.Add(-24 * time.Hour)
	state := repoState{Rules: stateRules, AsOf: last, Filter: kpi.Filter{}.FilterKey(), Window: "28d"}
	cases := []struct {
		name        string
		states      map[string]repoState
		changed     bool
		wantSince   time.Time
		incremental bool
	}{
		{name: "resumable", states: map[string]repoState{"acme/web": state}, changed: true, wantSince: last.Add(-stateMargin), incremental: true},
		{name: "no records", states: map[string]repoState{}, changed: true, wantSince: stepAsOf.Add(-28 * 24 * time.Hour)},
		{name: "no ChangedSource", states: map[string]repoState{"acme/web": state}, wantSince: stepAsOf.Add(-28 * 24 * time.Hour)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var asked time.Time
			var how string
			record := func(kind string) func(context.Context, string, time.Time) ([]kpi.PullRequest, error) {
				return func(_ context.Context, _ string, since time.Time) ([]kpi.PullRequest, error) {
					asked, how = since, kind
					return nil, nil
				}
			}
			deps := Deps{Source: fakeSource{PullRequestsFn: record("full")}, Store: &publish.Mem{}, Log: quietLog{}, Now: func() time.Time { return stepAsOf }}
			if tc.changed {
				deps.Changed = fakeChanged{ChangedPullRequestsFn: record("changed")}
			}
			cfg := stepConfig("acme/web")
			cfg.Backfill = 0
			j, err := plan(context.Background(), cfg, deps)
			if err != nil {
				t.Fatal(err)
			}
			j.hist, j.states = history.NewTree(), tc.states
			rr, err := j.fetch(context.Background(), "acme/web")
			if err != nil {
				t.Fatal(err)
			}
			if !asked.Equal(tc.wantSince) || rr.incremental != tc.incremental || (how == "changed") != tc.incremental {
				t.Errorf("asked %s since %s (incremental %v), want since %s (incremental %v)", how, asked, rr.incremental, tc.wantSince, tc.incremental)
			}
		})
	}
}

// TestFetchIncomplete: a fetch GitHub broke off keeps what came, names
// the repository among the problems and marks the measure incomplete.
func TestFetchIncomplete(t *testing.T) {
	prs, err := (&evolving{at: stepAsOf}).PullRequests(context.Background(), "", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	src := fakeSource{PullRequestsFn: func(context.Context, string, time.Time) ([]kpi.PullRequest, error) {
		return nil, incompleteErr{prs: prs}
	}}
	j, err := plan(context.Background(), stepConfig("acme/web"), Deps{Source: src, Log: quietLog{}, Now: func() time.Time { return stepAsOf }})
	if err != nil {
		t.Fatal(err)
	}
	j.hist, j.states = history.NewTree(), map[string]repoState{}
	rr, err := j.fetch(context.Background(), "acme/web")
	if err != nil {
		t.Fatal(err)
	}
	if !rr.incomplete || len(j.res.Problems) != 1 || !strings.HasPrefix(j.res.Problems[0], "acme/web: ") {
		t.Fatalf("incomplete %v, problems %q", rr.incomplete, j.res.Problems)
	}
	j.measure(rr)
	if len(j.newStates) != 0 {
		t.Error("records of an incomplete fetch were kept for the next run")
	}
	if inc := j.res.Reports[0].Snapshot.Incomplete; !slices.Contains(inc, kpi.ReviewWaitMedianHours) {
		t.Errorf("snapshot incomplete = %v, want the review figures", inc)
	}
	// A failure that is not GitHub's stops the run.
	src.PullRequestsFn = func(context.Context, string, time.Time) ([]kpi.PullRequest, error) {
		return nil, errors.New("bad token")
	}
	j.deps.Source = src
	if _, err := j.fetch(context.Background(), "acme/web"); err == nil {
		t.Error("a failed fetch was taken as incomplete data")
	}
}

// TestRecordKeepsTheNewerState: records of a run measured before the
// stored ones never replace them.
func TestRecordKeepsTheNewerState(t *testing.T) {
	j, err := plan(context.Background(), stepConfig("acme/web"), Deps{Log: quietLog{}, Now: func() time.Time { return stepAsOf }})
	if err != nil {
		t.Fatal(err)
	}
	h := history.NewTree()
	newer := repoState{Rules: stateRules, AsOf: stepAsOf.Add(time.Hour), Window: "28d"}
	if err := saveStates(h, map[string]repoState{"acme/web": newer}); err != nil {
		t.Fatal(err)
	}
	j.newStates["acme/web"] = repoState{Rules: stateRules, AsOf: stepAsOf, Window: "28d"}
	if err := j.record(h); err != nil {
		t.Fatal(err)
	}
	if got := loadStates(h)["acme/web"].AsOf; !got.Equal(newer.AsOf) {
		t.Errorf("state as of %s, want the newer %s", got, newer.AsOf)
	}
}

// TestSentryJoinsTheSeries: configuring Sentry on a later run fills its
// figures in beside the review figures instead of starting another
// series of every figure (and a second backfill).
func TestSentryJoinsTheSeries(t *testing.T) {
	prs, err := demo.PullRequests()
	if err != nil {
		t.Fatal(err)
	}
	store := &publish.Mem{}
	run := func(asOf time.Time, sentry bool) *Result {
		t.Helper()
		cfg := testConfig(asOf)
		cfg.Backfill = 10 * 24 * time.Hour
		deps := Deps{Source: &evolving{full: prs, at: asOf}, Store: store, Now: func() time.Time { return asOf }, Log: quietLog{}}
		if sentry {
			cfg.Sentry = &config.Sentry{Org: "acme", Projects: []string{"web"}}
			src := heldSource{held: asOf.Add(-60 * 24 * time.Hour)}
			deps.Errors, deps.Held = src, src
		}
		res, err := Run(context.Background(), cfg, deps)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := time.Date(2026, 11, 20, 7, 0, 0, 0, time.UTC)
	if res := run(first, false); res.Backfilled != 10 {
		t.Fatalf("first run backfilled %d days, want 10", res.Backfilled)
	}
	res := run(first.Add(24*time.Hour), true)
	if res.Backfilled != 0 {
		t.Errorf("configuring Sentry backfilled %d review snapshots again", res.Backfilled)
	}
	if v := res.Total.Snapshot.Metrics[kpi.SentryEventsPerUserDay]; v == nil || *v != 2 {
		t.Errorf("Sentry E/U = %v, want 2 (20 events, 10 users a day)", v)
	}
	h, err := history.ReadFiles(store.Files, "kpis")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, s := range h.Snapshots() {
		keys[history.KeyOf(s.Settings, s.Clock)] = true
	}
	if len(keys) != 1 {
		t.Errorf("the history holds %d series, want one: %v", len(keys), keys)
	}
}

// TestHistoryNeeds: a long window reads old Sentry months, never old day
// parts; the OKR quarter's start reads its day.
func TestHistoryNeeds(t *testing.T) {
	h := history.NewTree()
	cfg := stepConfig("acme/web")
	cfg.Window, cfg.Backfill = 365*24*time.Hour, 0
	dayFrom, monthFrom, to, dates := historyNeeds(h, cfg, nil, stepAsOf, "k", "acme/web")
	if dayFrom != "2026-05-29" || monthFrom != "2024-11-23" || to != "2026-11-25" || !slices.Equal(dates, []string{"2026-11-25"}) {
		t.Errorf("needs %s, %s, %s, %v; want days from 2026-05-29 (180 days), months from 2024-11-23 (730 days and 48 hours before 11-25 12:00), to 2026-11-25", dayFrom, monthFrom, to, dates)
	}
}
