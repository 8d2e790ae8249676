package bench

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/action"
	"github.com/engineering-kpis/engineering-kpis/internal/publish"
)

var table = flag.Bool("table", false, "print the README's benchmark table (go test ./internal/bench -run TestPrintTable -v -args -table)")

// TestPrintTable prints the README table from one run: for each N, a cold
// run reading through our client and one reading through the REST
// baseline, then compute and render alone for the largest N.
func TestPrintTable(t *testing.T) {
	if !*table {
		t.Skip("prints the README table with -args -table")
	}
	printTable(t, os.Stdout, sizes())
}

func printTable(t *testing.T, w io.Writer, ns []int) {
	ctx := context.Background()
	fmt.Fprintf(w, "\nSynthetic repository (githubfake.Synthetic(N, %d)), cold run (28-day window, 90-day backfill, PNG chart), measured %s with %s on %s, %d CPUs.\n\n",
		Seed, time.Now().UTC().Format("2006-01-02"), runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH, runtime.NumCPU())
	fmt.Fprintln(w, "| N | pull requests fetched | our GraphQL requests | points | REST baseline requests | ours / baseline | our wall time | baseline wall time | baseline hours of `GITHUB_TOKEN` quota |")
	fmt.Fprintln(w, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, n := range ns {
		fake := Fake(t, n)
		cfg, err := Config(fake)
		if err != nil {
			t.Fatal(err)
		}
		Prepare(fake)
		ours, err := Run(ctx, fake, cfg, Ours(cfg))
		if err != nil {
			t.Fatal(err)
		}
		Prepare(fake)
		theirs, err := Run(ctx, fake, cfg, Theirs(cfg))
		if err != nil {
			t.Fatal(err)
		}
		// Let the fake's model go before the next, larger one.
		fake.SetRepos()
		fake.ResetStats()
		if ours.PRs != theirs.PRs {
			t.Errorf("N=%d: we fetched %d pull requests, the baseline %d", n, ours.PRs, theirs.PRs)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | 1/%.0f | %s | %s | %.1f |\n",
			thousands(n), thousands(ours.PRs), thousands(ours.GraphQLRequests), thousands(ours.Points), thousands(theirs.RESTRequests),
			float64(theirs.Requests())/float64(ours.Requests()), seconds(ours.Wall), seconds(theirs.Wall),
			float64(theirs.RESTRequests)/1000)
	}
	n := ns[len(ns)-1]
	prs, cfg := prefetch(t, n)
	history := ColdFiles(t, cfg, prs)
	fmt.Fprintf(w, "\nCompute and render alone, %s pull requests in memory:\n\n", thousands(len(prs)))
	fmt.Fprintln(w, "| run | CPU | wall time | peak heap |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: |")
	for _, tc := range []struct {
		name  string
		files publish.Files
	}{{"cold (today and 90 backfilled days, chart, summary)", nil}, {"daily (today on the cold run's history, 91-day chart, summary)", history}} {
		runtime.GC()
		var err error
		peak, wall, cpu := Measure(func() {
			_, err = action.Run(ctx, cfg, Deps(Static(prs), tc.files))
		})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", tc.name, seconds(cpu), seconds(wall), MiB(peak))
	}
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

// thousands writes n with thousands separators: 10,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
