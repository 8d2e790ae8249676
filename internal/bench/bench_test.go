package bench

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/action"
	"github.com/engineering-kpis/engineering-kpis/internal/config"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/publish"
)

// sizes are the synthetic repositories measured; -short leaves out the
// largest.
func sizes() []int {
	if testing.Short() {
		return []int{100, 1000}
	}
	return []int{100, 1000, 10000}
}

// BenchmarkRun is a cold run of the action on a synthetic repository of N
// pull requests: our GraphQL fetch (githubapi.Client against the fake over
// HTTP), today's report and 90 backfilled days, the chart, the summary.
func BenchmarkRun(b *testing.B) {
	for _, n := range sizes() {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			benchRun(b, n, func(cfg *config.Config) action.PullRequestSource { return Ours(cfg) })
		})
	}
}

// BenchmarkRESTBaseline is the same run reading through the per-pull-
// request REST baseline instead.
func BenchmarkRESTBaseline(b *testing.B) {
	for _, n := range sizes() {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			benchRun(b, n, func(cfg *config.Config) action.PullRequestSource { return Theirs(cfg) })
		})
	}
}

// BenchmarkComputeRender is a run without the fetch: the pull requests of
// a synthetic repository of 10,000 are already in memory (fetched once,
// outside the measurement, and the fake emptied). "cold" is a first run:
// today's report and 90 backfilled days, the chart, the summary. "daily"
// is the next run on the history the cold one wrote: today's report, the
// 91-day chart, the summary. Targets: under 1 s of CPU (cpu-ms/op) and
// 200 MB of heap (peak-heap-MB).
func BenchmarkComputeRender(b *testing.B) {
	if testing.Short() {
		b.Skip("N=10,000 is left out in -short mode")
	}
	const n = 10000
	prs, cfg := prefetch(b, n)
	history := ColdFiles(b, cfg, prs)
	for _, tc := range []struct {
		name  string
		files publish.Files
	}{{"cold", nil}, {"daily", history}} {
		b.Run(fmt.Sprintf("N=%d/%s", n, tc.name), func(b *testing.B) {
			var agg aggregate
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				runtime.GC()
				b.StartTimer()
				var err error
				peak, wall, cpu := Measure(func() {
					_, err = action.Run(context.Background(), cfg, Deps(Static(prs), tc.files))
				})
				if err != nil {
					b.Fatal(err)
				}
				agg.add(Result{N: n, PRs: len(prs), PeakHeap: peak, Wall: wall, CPU: cpu})
			}
			agg.report(b)
		})
	}
}

// ColdFiles are the files a cold run on prs writes.
func ColdFiles(tb testing.TB, cfg *config.Config, prs []kpi.PullRequest) publish.Files {
	tb.Helper()
	d := Deps(Static(prs), nil)
	if _, err := action.Run(context.Background(), cfg, d); err != nil {
		tb.Fatal(err)
	}
	return d.Store.(*publish.Mem).Files
}

// prefetch fetches Synthetic(n) with our client, then empties the fake so
// that its model no longer weighs on the heap.
func prefetch(tb testing.TB, n int) ([]kpi.PullRequest, *config.Config) {
	tb.Helper()
	fake := Fake(tb, n)
	cfg, err := Config(fake)
	if err != nil {
		tb.Fatal(err)
	}
	prs, err := Ours(cfg).PullRequests(context.Background(), Repo, Since(cfg))
	if err != nil {
		tb.Fatal(err)
	}
	fake.SetRepos()
	fake.ResetStats()
	return prs, cfg
}

func benchRun(b *testing.B, n int, source func(*config.Config) action.PullRequestSource) {
	fake := Fake(b, n)
	cfg, err := Config(fake)
	if err != nil {
		b.Fatal(err)
	}
	agg := aggregate{fetched: true}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		Prepare(fake)
		src := source(cfg)
		b.StartTimer()
		res, err := Run(context.Background(), fake, cfg, src)
		if err != nil {
			b.Fatal(err)
		}
		res.N = n
		agg.add(res)
	}
	agg.report(b)
}

// aggregate sums the results of a benchmark's iterations; fetched says
// whether they fetched from the fake (else no request metric is reported).
type aggregate struct {
	fetched                    bool
	ops                        int
	prs, graphql, points, rest int
	cpu                        time.Duration
	peak                       uint64
}

func (a *aggregate) add(r Result) {
	a.ops++
	a.prs += r.PRs
	a.graphql += r.GraphQLRequests
	a.points += r.Points
	a.rest += r.RESTRequests
	a.cpu += r.CPU
	a.peak = max(a.peak, r.PeakHeap)
}

// report adds the per-op figures to the benchmark's line.
func (a *aggregate) report(b *testing.B) {
	ops := float64(a.ops)
	b.ReportMetric(float64(a.prs)/ops, "prs/op")
	if a.fetched {
		b.ReportMetric(float64(a.graphql)/ops, "graphql-requests/op")
		b.ReportMetric(float64(a.points)/ops, "points/op")
		b.ReportMetric(float64(a.rest)/ops, "rest-requests/op")
		b.ReportMetric(float64(a.graphql+a.rest)/float64(max(1, a.prs)), "requests/PR")
	}
	b.ReportMetric(float64(a.cpu.Milliseconds())/ops, "cpu-ms/op")
	b.ReportMetric(float64(a.peak)/1e6, "peak-heap-MB")
}
