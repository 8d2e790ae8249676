package kpi

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestAtEqualsReplay checks Request.At against a replay of the timeline
// up to each moment, over every pull request of the demo sample and many
// moments, including ones that fall exactly on events.
func TestAtEqualsReplay(t *testing.T) {
	data, err := os.ReadFile("../demo/sample.json")
	if err != nil {
		t.Fatal(err)
	}
	var prs []PullRequest
	if err := json.Unmarshal(data, &prs); err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	// The demo's reviews as they are, and with every team request hidden
	// and estimated (hidden-team-requests: infer, with the default token).
	hidden := make([]PullRequest, len(prs))
	for i, pr := range prs {
		pr.Events = slices.Clone(pr.Events)
		for j, e := range pr.Events {
			if e.Reviewer != nil && e.Reviewer.Team {
				pr.Events[j].Reviewer = nil
			}
		}
		hidden[i] = pr
	}
	checked := 0
	for _, run := range []struct {
		prs []PullRequest
		f   Filter
	}{
		{prs, Filter{ExcludeReviewers: []string{"dmitri-v"}}},
		{hidden, Filter{ExcludeReviewers: []string{"dmitri-v"}, InferHiddenTeams: true}},
	} {
		f := run.f
		for _, pr := range run.prs {
			final := Requests(pr, end, f)
			moments := []time.Time{end.Add(-24 * time.Hour), end.Add(-240 * time.Hour), end.Add(-1000 * time.Hour)}
			for _, e := range pr.Events {
				moments = append(moments, e.At, e.At.Add(-time.Second), e.At.Add(time.Second))
			}
			for _, m := range moments {
				if m.After(end) {
					continue
				}
				var got []Request
				for _, r := range final {
					if a, ok := r.At(m); ok {
						got = append(got, a)
					}
				}
				want := Requests(pr, m, f)
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("#%d as of %s (-replay +At):\n%s", pr.Number, m, diff)
				}
				checked++
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d cases checked", checked)
	}
}

// TestSelectPercentileEqualsSorted checks the selection against sorting,
// over samples with many repeats and every size up to 60.
func TestSelectPercentileEqualsSorted(t *testing.T) {
	for n := 0; n <= 60; n++ {
		for seed := 0; seed < 20; seed++ {
			d := make([]time.Duration, n)
			for i := range d {
				d[i] = time.Duration((i*7919+seed*104729)%(n/2+3)) * time.Minute
			}
			for _, p := range []float64{0.5, 0.75, 0.9, 1} {
				sorted := append([]time.Duration(nil), d...)
				sortDurations(sorted)
				want, wok := Percentile(sorted, p)
				got, gok := selectPercentile(append([]time.Duration(nil), d...), p)
				if want != got || wok != gok {
					t.Fatalf("n=%d seed=%d p=%v: select %v, sort %v", n, seed, p, got, want)
				}
			}
		}
	}
}
