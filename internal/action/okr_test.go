package action

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/demo"
	"github.com/engineering-kpis/engineering-kpis/internal/history"
	"github.com/engineering-kpis/engineering-kpis/internal/publish"
)

const q4 = `objective: Faster reviews
quarter: 2026-Q4
key-results:
  - metric: review_wait_median_hours
    target: 1
  - metric: review_wait_p90_hours
    target: 24
    baseline: 70
`

const q1 = `objective: Faster reviews, again
quarter: 2027-Q1
key-results:
  - metric: review_wait_p90_hours
    target: 12
`

// TestOKRAcrossQuarters: the new quarter's file replaces the old one, the
// history keeps every snapshot, and the old quarter's report is reproduced
// from the history with as-of.
func TestOKRAcrossQuarters(t *testing.T) {
	prs, err := demo.PullRequests()
	if err != nil {
		t.Fatal(err)
	}
	src := &evolving{full: prs}
	store := &publish.Mem{Files: publish.Files{".github/kpis.yml": []byte(q4)}}
	run := func(asOf time.Time) *Result {
		t.Helper()
		src.at = asOf
		cfg := testConfig(asOf)
		cfg.OKRFile, cfg.Backfill = ".github/kpis.yml", 60*24*time.Hour
		res, err := Run(context.Background(), cfg, Deps{Source: src, Changed: src, Store: store, Now: func() time.Time { return asOf }, Log: quietLog{}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	nov := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	first := run(nov)
	if first.OKR == nil || first.OKR.Quarter != "2026-Q4" || len(first.OKR.KeyResults) != 2 {
		t.Fatalf("Q4 report: %+v", first.OKR)
	}
	// The median key result takes its baseline from the snapshot of the
	// quarter's first day, which the backfill wrote.
	if kr := first.OKR.KeyResults[0]; kr.BaselineSource != "history" || kr.BaselineDate != "2026-10-01" {
		t.Errorf("median baseline from %q %q, want history 2026-10-01", kr.BaselineSource, kr.BaselineDate)
	}
	before := countSnapshots(t, store)

	store.Files[".github/kpis.yml"] = []byte(q1)
	jan := time.Date(2027, 1, 5, 12, 0, 0, 0, time.UTC)
	second := run(jan)
	if second.OKR == nil || second.OKR.Quarter != "2027-Q1" || len(second.OKR.KeyResults) != 1 {
		t.Fatalf("Q1 report: %+v", second.OKR)
	}
	if after := countSnapshots(t, store); after != before+1 {
		t.Errorf("%d snapshots after the new quarter's run, want %d: none may be lost", after, before+1)
	}

	store.Files[".github/kpis.yml"] = []byte(q4)
	again := run(nov)
	if diff := cmp.Diff(first.OKR, again.OKR); diff != "" {
		t.Errorf("the Q4 report is not reproducible from the history (-first +again):\n%s", diff)
	}
	if !strings.Contains(again.Summary, "## OKR: Faster reviews") {
		t.Error("the summary lacks the OKR table")
	}
}

func countSnapshots(t *testing.T, store *publish.Mem) int {
	t.Helper()
	h, err := history.OpenTree(store.Files["kpis/history.json"])
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, p := range h.AllPaths() {
		parts[p] = store.Files["kpis/"+p]
	}
	if err := h.Load(parts); err != nil {
		t.Fatal(err)
	}
	return len(h.Snapshots())
}
