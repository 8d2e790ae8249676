package cli

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// TestMatrixJobsCommitAtOnce runs the README's matrix recipe without
// max-parallel: 20 jobs, one repository each, each with its own
// output-dir, all committing to one branch at the same time. Every job
// must land its history, and nothing may be forced.
func TestMatrixJobsCommitAtOnce(t *testing.T) {
	const jobs = 20
	repos := []githubfake.Repo{{Owner: "acme", Name: "synthetic"}}
	for i := range jobs {
		repos = append(repos, githubfake.Repo{Owner: "acme", Name: fmt.Sprintf("r%02d", i), PullRequests: githubfake.Synthetic(8, uint64(i+1))})
	}
	srv := githubfake.New(t, repos...)
	srv.SetFile("acme", "synthetic", "", "README.md", []byte("# s\n"))
	var mu sync.Mutex
	var waits []time.Duration
	errs := make([]error, jobs)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range jobs {
		repo := fmt.Sprintf("acme/r%02d", i)
		env, _, _ := actionEnv(t, srv, map[string]string{"repositories": repo, "output-dir": ".github/kpis/" + repo, "backfill": "3d"})
		// Back-off waits a thousandth of its time: enough for the jobs
		// to interleave, short enough for a test.
		env.Sleep = func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			waits = append(waits, d)
			mu.Unlock()
			time.Sleep(d / 1000)
			return nil
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = Main(context.Background(), env)
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("job %d: %v", i, err)
		}
	}
	files := srv.Files("acme", "synthetic", "main")
	for i := range jobs {
		dir := fmt.Sprintf(".github/kpis/acme/r%02d", i)
		if _, ok := files[dir+"/history.json"]; !ok {
			t.Errorf("job %d's history was lost", i)
			continue
		}
		hist := wholeHistory(t, files, dir)
		if strings.Count(hist, `"date": "2026-11-2`) != 4 {
			t.Errorf("job %d's history lacks snapshots:\n%.400s", i, hist)
		}
	}
	if n := len(srv.Commits("acme", "synthetic", "main")); n != jobs+1 {
		t.Errorf("%d commits, want the seed and one a job", n)
	}
	st := srv.Stats()
	if st.RefUpdates != 0 {
		t.Error("a ref was forced")
	}
	stale := 0
	for _, w := range st.Writes {
		if w.Error == "STALE_DATA" {
			stale++
		}
	}
	t.Logf("%d commits refused as stale, %d back-off waits", stale, len(waits))
	if stale == 0 || len(waits) != stale {
		t.Errorf("%d stale commits and %d waits: every conflict must back off once", stale, len(waits))
	}
}
