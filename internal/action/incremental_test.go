package action

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/config"
	"github.com/engineering-kpis/engineering-kpis/internal/demo"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/publish"
)

// evolving serves the demo repository as it was at a moment: each pull
// request with the events up to then, its draft state then, and its last
// update then, the way GitHub would have answered.
type evolving struct {
	full    []kpi.PullRequest
	at      time.Time
	changed int // ChangedPullRequests calls
	cold    int // PullRequests calls
}

func (e *evolving) snapshot(since time.Time, changedOnly bool) []kpi.PullRequest {
	var out []kpi.PullRequest
	for _, pr := range e.full {
		if pr.CreatedAt.After(e.at) {
			continue
		}
		draft := initialDraftOf(pr)
		cut := pr
		cut.Events = nil
		cut.UpdatedAt = pr.CreatedAt
		open := true
		for _, ev := range pr.Events {
			if ev.At.After(e.at) {
				continue
			}
			cut.Events = append(cut.Events, ev)
			if ev.At.After(cut.UpdatedAt) {
				cut.UpdatedAt = ev.At
			}
			switch ev.Kind {
			case kpi.ReadyForReview:
				draft = false
			case kpi.ConvertedToDraft:
				draft = true
			case kpi.Closed, kpi.Merged:
				open = false
			case kpi.Reopened:
				open = true
			}
		}
		cut.IsDraft = draft
		if !cut.UpdatedAt.Before(since) || (open && !changedOnly) {
			out = append(out, cut)
		}
	}
	return out
}

func initialDraftOf(pr kpi.PullRequest) bool {
	for _, e := range pr.Events {
		switch e.Kind {
		case kpi.ReadyForReview:
			return true
		case kpi.ConvertedToDraft:
			return false
		}
	}
	return pr.IsDraft
}

func (e *evolving) PullRequests(_ context.Context, _ string, since time.Time) ([]kpi.PullRequest, error) {
	e.cold++
	return e.snapshot(since, false), nil
}

func (e *evolving) ChangedPullRequests(_ context.Context, _ string, since time.Time) ([]kpi.PullRequest, error) {
	e.changed++
	return e.snapshot(since, true), nil
}

type quietLog struct{}

func (quietLog) Infof(string, ...any)    {}
func (quietLog) Warningf(string, ...any) {}

func testConfig(asOf time.Time) *config.Config {
	return &config.Config{
		Repositories: []string{demo.Repository}, Window: 28 * 24 * time.Hour, SLA: 24 * time.Hour,
		ChartFormats: []string{"svg"}, OutputDir: "kpis", AsOf: asOf, WaitClock: "calendar", PerReviewer: true,
	}
}

// TestIncrementalEqualsCold runs the job daily for six days, each run
// fetching only what changed since the one before, and checks that the
// last report equals a cold run's that fetched everything.
func TestIncrementalEqualsCold(t *testing.T) {
	prs, err := demo.PullRequests()
	if err != nil {
		t.Fatal(err)
	}
	src := &evolving{full: prs}
	store := &publish.Mem{}
	start := time.Date(2026, 11, 19, 7, 30, 0, 0, time.UTC)
	var last *Result
	for day := 0; day < 6; day++ {
		asOf := start.Add(time.Duration(day) * 24 * time.Hour)
		src.at = asOf
		cfg := testConfig(asOf)
		cfg.Backfill = 0
		res, err := Run(context.Background(), cfg, Deps{Source: src, Changed: src, Store: store, Now: func() time.Time { return asOf }, Log: quietLog{}})
		if err != nil {
			t.Fatal(err)
		}
		last = res
	}
	if src.cold != 1 || src.changed != 5 {
		t.Fatalf("%d full and %d incremental fetches, want 1 and 5", src.cold, src.changed)
	}

	coldSrc := &evolving{full: prs, at: src.at}
	cfg := testConfig(src.at)
	cold, err := Run(context.Background(), cfg, Deps{Source: coldSrc, Changed: coldSrc, Store: &publish.Mem{}, Now: func() time.Time { return src.at }, Log: quietLog{}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cold.Reports[0].Snapshot.Metrics, last.Reports[0].Snapshot.Metrics); diff != "" {
		t.Errorf("metrics of the incremental run differ from the cold run (-cold +incremental):\n%s", diff)
	}
	if diff := cmp.Diff(cold.Reports[0].Snapshot.Breakdown, last.Reports[0].Snapshot.Breakdown, cmp.AllowUnexported(kpi.Group{})); diff != "" {
		t.Errorf("breakdown differs (-cold +incremental):\n%s", diff)
	}
	key := func(w []kpi.WaitingRequest) []string {
		var out []string
		for _, r := range w {
			out = append(out, r.Reviewer.Login+" "+r.Title+" "+r.Age.String())
		}
		sort.Strings(out)
		return out
	}
	if diff := cmp.Diff(key(cold.Reports[0].ReviewWait.Longest), key(last.Reports[0].ReviewWait.Longest)); diff != "" {
		t.Errorf("longest-waiting requests differ (-cold +incremental):\n%s", diff)
	}
	if *last.Reports[0].Snapshot.Metrics[kpi.ReviewRequestsAnswered] == 0 {
		t.Error("the comparison is empty: nothing answered in the window")
	}
}

// TestIncrementalFallsBackToCold: a changed filter, or an as-of before the
// state, fetches everything again.
func TestIncrementalFallsBackToCold(t *testing.T) {
	prs, _ := demo.PullRequests()
	src := &evolving{full: prs, at: time.Date(2026, 11, 20, 7, 0, 0, 0, time.UTC)}
	store := &publish.Mem{}
	run := func(cfg *config.Config) {
		t.Helper()
		if _, err := Run(context.Background(), cfg, Deps{Source: src, Changed: src, Store: store, Now: func() time.Time { return cfg.AsOf }, Log: quietLog{}}); err != nil {
			t.Fatal(err)
		}
	}
	run(testConfig(src.at))
	cfg := testConfig(src.at.Add(24 * time.Hour))
	cfg.ExcludeReviewers = []string{"dmitri-v"}
	run(cfg)
	run(testConfig(src.at.Add(-24 * time.Hour)))
	if src.cold != 3 || src.changed != 0 {
		t.Errorf("%d full and %d incremental fetches, want 3 and 0", src.cold, src.changed)
	}
}

// TestKeptWindowReadsBothForms: the window is written as the input is
// ("28d"); a state written by an older version ("672h0m0s") still resumes.
func TestKeptWindowReadsBothForms(t *testing.T) {
	for _, s := range []string{"28d", "672h0m0s"} {
		d, err := keptWindow(s)
		if err != nil || d != 28*24*time.Hour {
			t.Errorf("keptWindow(%q) = %v, %v", s, d, err)
		}
	}
	if st := newState(nil, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), 14*24*time.Hour, ""); st.Window != "14d" {
		t.Errorf("window written as %q, want 14d", st.Window)
	}
}

// hiding serves e's pull requests with every requested team hidden while
// hide is set, as the default GITHUB_TOKEN sees them.
type hiding struct {
	*evolving
	hide bool
}

func (h *hiding) strip(prs []kpi.PullRequest) []kpi.PullRequest {
	if !h.hide {
		return prs
	}
	out := make([]kpi.PullRequest, len(prs))
	for i, pr := range prs {
		pr.Events = append([]kpi.Event(nil), pr.Events...)
		for j, e := range pr.Events {
			if e.Reviewer != nil && e.Reviewer.Team {
				pr.Events[j].Reviewer = nil
			}
		}
		out[i] = pr
	}
	return out
}

func (h *hiding) PullRequests(ctx context.Context, repo string, since time.Time) ([]kpi.PullRequest, error) {
	prs, err := h.evolving.PullRequests(ctx, repo, since)
	return h.strip(prs), err
}

func (h *hiding) ChangedPullRequests(ctx context.Context, repo string, since time.Time) ([]kpi.PullRequest, error) {
	prs, err := h.evolving.ChangedPullRequests(ctx, repo, since)
	return h.strip(prs), err
}

// TestIncrementalAfterTheTokenSeesTeams: a run with a token that sees no
// team, then runs with one that does. The first run that sees a team
// fetches everything again instead of keeping the hidden records, and the
// figures equal a cold run's.
func TestIncrementalAfterTheTokenSeesTeams(t *testing.T) {
	prs, err := demo.PullRequests()
	if err != nil {
		t.Fatal(err)
	}
	src := &hiding{evolving: &evolving{full: prs}, hide: true}
	store := &publish.Mem{}
	start := time.Date(2026, 11, 19, 7, 30, 0, 0, time.UTC)
	var last *Result
	for day := 0; day < 3; day++ {
		asOf := start.Add(time.Duration(day) * 24 * time.Hour)
		src.at, src.hide = asOf, day == 0
		cfg := testConfig(asOf)
		cfg.Backfill = 0
		if last, err = Run(context.Background(), cfg, Deps{Source: src, Changed: src, Store: store, Now: func() time.Time { return asOf }, Log: quietLog{}}); err != nil {
			t.Fatal(err)
		}
		if day == 0 && last.Total.ReviewWait.Unattributed == 0 {
			t.Fatal("the first run saw no hidden request")
		}
	}
	// Day 0 cold; day 1 incremental, then cold again on seeing teams;
	// day 2 incremental.
	if src.cold != 2 || src.changed != 2 {
		t.Fatalf("%d full and %d incremental fetches, want 2 and 2", src.cold, src.changed)
	}
	cold, err := Run(context.Background(), testConfig(src.at), Deps{Source: &evolving{full: prs, at: src.at}, Store: &publish.Mem{}, Now: func() time.Time { return src.at }, Log: quietLog{}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cold.Reports[0].Snapshot.Metrics, last.Reports[0].Snapshot.Metrics); diff != "" {
		t.Errorf("metrics differ from a cold run (-cold +incremental):\n%s", diff)
	}
	if got, want := last.Total.ReviewWait.Unattributed, cold.Total.ReviewWait.Unattributed; got != want {
		t.Errorf("%d unattributed requests kept, a cold run has %d", got, want)
	}
}
