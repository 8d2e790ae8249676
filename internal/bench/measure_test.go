// Package bench measures what a run costs — GitHub requests, GraphQL
// points, wall and CPU time, heap — against an in-process fake GitHub
// (githubfake) serving a synthetic repository, for our GraphQL path and for
// a per-pull-request REST baseline (Baseline) that reads the same data the
// way peer actions do. The benchmarks and the README table live in its
// tests:
//
//	go test ./internal/bench -run xxx -bench . -benchtime 1x
//	go test ./internal/bench -run TestPrintTable -v -args -table
//
// Per op, the benchmarks report the requests the fake counted
// (graphql-requests, rest-requests, requests/PR) and the points it charged
// by GitHub's formula (points); cpu-ms, the process's CPU time (user and
// system, every thread, getrusage); peak-heap-MB, the largest HeapInuse
// sampled every millisecond (see PeakHeapSampler). ns/op, B/op and
// allocs/op are the testing package's. The fake runs in the same process:
// in a run that fetches, every figure but the request counts includes its
// serving (building and encoding the answers), which GitHub would do
// instead, and the heap includes its model. The fetch goes over loopback,
// so wall time leaves out the network latency GitHub adds to every request.
package bench

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/action"
	"github.com/engineering-kpis/engineering-kpis/internal/config"
	"github.com/engineering-kpis/engineering-kpis/internal/githubapi"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/publish"
	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// The synthetic repository every measurement reads.
const (
	Owner = "acme"
	Name  = "synthetic"
	Repo  = Owner + "/" + Name
	// Seed makes the synthetic data the same in every run.
	Seed = 1
)

// Fake starts a fake GitHub serving Synthetic(n, Seed) as acme/synthetic,
// with rate limits high enough for any N. It stops with tb.
func Fake(tb testing.TB, n int) *githubfake.Server {
	tb.Helper()
	return FakeOf(tb, githubfake.Synthetic(n, Seed))
}

// FakeOf starts a fake GitHub serving prs as acme/synthetic.
func FakeOf(tb testing.TB, prs []githubfake.PullRequest) *githubfake.Server {
	tb.Helper()
	fake := githubfake.New(tb, githubfake.Repo{Owner: Owner, Name: Name, PullRequests: prs})
	fake.SetStrict(true)
	fake.SetRateLimit(1<<40, 1<<40)
	fake.SetRESTRateLimit(1<<40, 1<<40)
	return fake
}

// OnePage returns prs with every timeline cut to the 100 items one page
// holds, pending reviews not counted (GraphQL's first page holds them,
// REST's does not show them; cutting at 100 items of either keeps both on
// one page).
func OnePage(prs []githubfake.PullRequest) []githubfake.PullRequest {
	out := make([]githubfake.PullRequest, len(prs))
	for i, pr := range prs {
		if len(pr.Items) > 100 {
			pr.Items = pr.Items[:100]
			// The cut timeline may end without a merge: let the
			// fake derive state and update time again.
			pr.State, pr.UpdatedAt = "", time.Time{}
		}
		out[i] = pr
	}
	return out
}

// Config is a cold run's configuration against fake, with the action's
// defaults (28-day window, 90-day backfill, PNG chart) as of
// githubfake.SyntheticNow.
func Config(fake *githubfake.Server) (*config.Config, error) {
	env := map[string]string{
		"GITHUB_API_URL":     fake.APIURL(),
		"GITHUB_GRAPHQL_URL": fake.URL(),
		"GITHUB_REPOSITORY":  Repo,
	}
	raw := config.Raw{Values: map[string]string{
		config.InRepositories: Repo,
		config.InGitHubToken:  githubfake.DefaultToken,
		config.InAsOf:         githubfake.SyntheticNow().Format(time.RFC3339),
	}}
	return config.Validate(raw, func(k string) string { return env[k] }, false)
}

// Ours is the action's GraphQL client for cfg, wired as the CLI wires it
// (a Retrier transport that never sleeps).
func Ours(cfg *config.Config) *githubapi.Client {
	r := retrier()
	return &githubapi.Client{
		Endpoint: githubapi.GraphQLEndpoint(cfg.APIURL, cfg.GraphQLURL), Token: cfg.Token,
		HTTP: &http.Client{Transport: r}, Retrier: r, UserAgent: "engineering-kpis/bench",
	}
}

// Theirs is the REST baseline for cfg, with the same transport.
func Theirs(cfg *config.Config) *Baseline {
	return &Baseline{APIURL: cfg.APIURL, Token: cfg.Token, HTTP: &http.Client{Transport: retrier()}, UserAgent: "peer-action/bench"}
}

func retrier() *githubapi.Retrier {
	return &githubapi.Retrier{MaxWait: time.Minute, Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}
}

// Since is the start of what a cold run fetches: the 90 backfilled days and
// the 28-day window before the first of them.
func Since(cfg *config.Config) time.Time {
	return kpi.FetchSince(cfg.AsOf, cfg.Window, kpi.BackfillMoments(cfg.AsOf, cfg.Backfill))
}

// Result is what one run cost.
type Result struct {
	// N is the synthetic repository's size; PRs how many were fetched.
	N, PRs int
	// GraphQLRequests and Points are what the fake counted and charged.
	GraphQLRequests, Points int
	// RESTRequests is what the fake served on REST routes.
	RESTRequests int
	Wall, CPU    time.Duration
	// PeakHeap is the largest HeapInuse sampled during the run (see
	// PeakHeap); it includes the in-process fake and its model.
	PeakHeap uint64
	// Summary is the run's Markdown job summary.
	Summary string
}

// Requests is every request the run sent to GitHub.
func (r Result) Requests() int { return r.GraphQLRequests + r.RESTRequests }

// Prepare resets the fake's counters and collects garbage, so that a Run
// starts from what is live.
func Prepare(fake *githubfake.Server) {
	fake.ResetStats()
	runtime.GC()
}

// Deps are a run's collaborators around source: an in-memory store
// holding a copy of files, the synthetic clock, no log. With no files the
// run is a cold one: it backfills 90 days and renders everything a real
// run would, then keeps it in memory. With the files a cold run wrote, it
// is a daily run: the history is there, only today is computed.
func Deps(source action.PullRequestSource, files publish.Files) action.Deps {
	d := action.Deps{Source: source, Store: &publish.Mem{Files: maps.Clone(files)}, Now: githubfake.SyntheticNow, Log: quiet{}}
	if c, ok := source.(action.ChangedSource); ok {
		d.Changed = c
	}
	return d
}

// Run is one cold run of the action (action.Run with Deps(source): fetch,
// compute today's report and 90 backfilled days, merge into an empty
// history, render the chart, write the summary) against fake, which
// counts the requests since its last reset (see Prepare).
func Run(ctx context.Context, fake *githubfake.Server, cfg *config.Config, source action.PullRequestSource) (Result, error) {
	var res Result
	var err error
	var out *action.Result
	res.PeakHeap, res.Wall, res.CPU = Measure(func() {
		out, err = action.Run(ctx, cfg, Deps(&counting{next: source, prs: &res.PRs}, nil))
	})
	if err != nil {
		return res, err
	}
	st := fake.Stats()
	res.GraphQLRequests, res.Points, res.RESTRequests, res.Summary = st.Requests, st.Points, st.RESTRequests, out.Summary
	return res, nil
}

// Measure runs f and returns the peak heap sampled meanwhile, the wall
// time and the process CPU time (user and system, every thread) it took.
func Measure(f func()) (peak uint64, wall, cpu time.Duration) {
	sampler := StartPeakHeap(time.Millisecond)
	cpu0, start := CPUTime()
	f()
	wall = time.Since(start)
	cpu1, _ := CPUTime()
	return sampler.Stop(), wall, cpu1 - cpu0
}

// counting is a PullRequestSource that counts what it returns.
type counting struct {
	next action.PullRequestSource
	prs  *int
}

func (c *counting) PullRequests(ctx context.Context, repo string, since time.Time) ([]kpi.PullRequest, error) {
	prs, err := c.next.PullRequests(ctx, repo, since)
	*c.prs += len(prs)
	return prs, err
}

// Static is a PullRequestSource holding pull requests already fetched.
type Static []kpi.PullRequest

// PullRequests returns the pull requests held, whatever is asked.
func (s Static) PullRequests(context.Context, string, time.Time) ([]kpi.PullRequest, error) {
	return s, nil
}

type quiet struct{}

func (quiet) Infof(string, ...any)    {}
func (quiet) Warningf(string, ...any) {}

// MiB writes a byte count in mebibytes.
func MiB(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
