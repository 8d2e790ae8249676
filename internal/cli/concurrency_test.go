package cli

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/engineering-kpis/engineering-kpis/internal/history"
	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// interleave is a transport that lets another run commit its snapshot
// just before request number at of this run goes out.
// wholeHistory reads the history under dir of files, every part of it, as
// one document.
func wholeHistory(t *testing.T, files map[string][]byte, dir string) string {
	t.Helper()
	h, err := history.ReadFiles(files, dir)
	if err != nil {
		t.Fatalf("history: %v", err)
	}
	doc, err := h.Document().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return string(doc)
}

type interleave struct {
	next  http.RoundTripper
	at    int32
	n     atomic.Int32
	other func()
}

func (t *interleave) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.n.Add(1) == t.at {
		t.other()
	}
	return t.next.RoundTrip(r)
}

const otherRun = `{
  "schema": 1,
  "snapshots": [
    {
      "date": "2026-11-24",
      "repository": "acme/synthetic",
      "clock": "calendar",
      "computed_at": "2026-11-24T23:00:00Z",
      "metrics": {"review_requests_waiting": 9},
      "samples": {},
      "incomplete": [],
      "note": "the other run"
    }
  ]
}
`

// TestConcurrentRunAtEveryStep lets a concurrent run commit its own
// snapshot before each request of this run in turn — before the branch is
// read, between the reads, before the commit — and checks that both runs'
// snapshots always end up on the branch, with no force update.
func TestConcurrentRunAtEveryStep(t *testing.T) {
	// Count the requests of an undisturbed run first.
	srv := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "synthetic", PullRequests: githubfake.Synthetic(30, 9)})
	srv.SetFile("acme", "synthetic", "", "README.md", []byte("# s\n"))
	counter := &interleave{next: http.DefaultTransport, at: -1, other: func() {}}
	env, _, _ := actionEnv(t, srv, nil)
	env.HTTP = &http.Client{Transport: counter}
	if err := Main(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	steps := int(counter.n.Load())
	t.Logf("an undisturbed run makes %d requests", steps)
	if steps < 5 {
		t.Fatalf("an undisturbed run made only %d requests", steps)
	}
	for at := 1; at <= steps; at++ {
		srv := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "synthetic", PullRequests: githubfake.Synthetic(30, 9)})
		srv.SetFile("acme", "synthetic", "", "README.md", []byte("# s\n"))
		tr := &interleave{next: http.DefaultTransport, at: int32(at), other: func() {
			srv.CommitFiles("acme", "synthetic", "main", "other run", map[string][]byte{".github/kpis/history.json": []byte(otherRun)})
		}}
		env, _, _ := actionEnv(t, srv, nil)
		env.HTTP = &http.Client{Transport: tr}
		if err := Main(context.Background(), env); err != nil {
			t.Fatalf("other run before request %d: %v", at, err)
		}
		hist := wholeHistory(t, srv.Files("acme", "synthetic", "main"), ".github/kpis")
		if !strings.Contains(hist, `"note": "the other run"`) || !strings.Contains(hist, `"date": "2026-11-25"`) {
			t.Errorf("other run before request %d of %d: a snapshot was lost:\n%.600s", at, steps, hist)
		}
		if srv.Stats().RefUpdates != 0 {
			t.Errorf("other run before request %d: a ref was force-updated", at)
		}
	}
}
