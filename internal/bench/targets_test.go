package bench

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// fetch reads acme/synthetic from fake with source's client, as a cold run
// would, and returns what the fake counted.
func fetch(t *testing.T, fake *githubfake.Server, theirs bool) ([]kpi.PullRequest, githubfake.Stats) {
	t.Helper()
	cfg, err := Config(fake)
	if err != nil {
		t.Fatal(err)
	}
	fake.ResetStats()
	var prs []kpi.PullRequest
	if theirs {
		prs, err = Theirs(cfg).PullRequests(t.Context(), Repo, Since(cfg))
	} else {
		prs, err = Ours(cfg).PullRequests(t.Context(), Repo, Since(cfg))
	}
	if err != nil {
		t.Fatal(err)
	}
	return prs, fake.Stats()
}

// restPages is what the baseline must ask of the fake for data: every
// page of the list, then for each pull request fetched its timeline and
// reviews pages (an empty list is one page).
func restPages(data []githubfake.PullRequest, fetched []kpi.PullRequest) map[string]int {
	pages := func(n int) int { return max(1, (n+99)/100) }
	byNumber := map[int]githubfake.PullRequest{}
	for _, pr := range data {
		byNumber[pr.Number] = pr
	}
	want := map[string]int{"GET /repos/{owner}/{repo}/pulls": pages(len(data))}
	for _, pr := range fetched {
		visible, reviews := 0, 0
		for _, it := range byNumber[pr.Number].Items {
			if it.Type == githubfake.PullRequestReview && it.State == "PENDING" {
				continue // only its author sees a pending review
			}
			visible++
			if it.Type == githubfake.PullRequestReview {
				reviews++
			}
		}
		want["GET /repos/{owner}/{repo}/issues/{issue_number}/timeline"] += pages(visible)
		want["GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews"] += pages(reviews)
	}
	return want
}

// TestBaselineReadsWhatWeRead checks the baseline against our client on
// the same synthetic repository (two of whose timelines need several
// pages): the same pull requests and events, for exactly the REST
// requests the data implies.
func TestBaselineReadsWhatWeRead(t *testing.T) {
	const n = 100
	data := githubfake.Synthetic(n, Seed)
	fake := FakeOf(t, data)
	ours, _ := fetch(t, fake, false)
	theirs, st := fetch(t, fake, true)
	if st.Requests != 0 {
		t.Errorf("the baseline sent %d GraphQL requests", st.Requests)
	}
	if diff := cmp.Diff(restPages(data, theirs), st.REST); diff != "" {
		t.Errorf("REST requests by route (-want +got):\n%s", diff)
	}
	// REST does not say on behalf of which team a review was made, and
	// our client reads labels only when a run excludes by label.
	normalise := func(prs []kpi.PullRequest) []kpi.PullRequest {
		out := slices.Clone(prs)
		for i := range out {
			out[i].Labels = nil
			out[i].Events = slices.Clone(out[i].Events)
			for j := range out[i].Events {
				out[i].Events[j].OnBehalfOf = nil
			}
		}
		slices.SortFunc(out, func(a, b kpi.PullRequest) int { return a.Number - b.Number })
		return out
	}
	if len(ours) < n*9/10 {
		t.Fatalf("our client fetched %d of %d pull requests", len(ours), n)
	}
	if diff := cmp.Diff(normalise(ours), normalise(theirs)); diff != "" {
		t.Errorf("pull requests (-ours +baseline):\n%s", diff)
	}
}

// TestRequestTargets checks the request targets of issue 8 on synthetic
// repositories whose timelines fit one page: at most 1.5·ceil(N/100)+2
// GraphQL requests costing as many points, and at N = 1,000 at most 1/100
// of the baseline's requests.
func TestRequestTargets(t *testing.T) {
	for _, n := range []int{100, 1000} {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			data := OnePage(githubfake.Synthetic(n, Seed))
			fake := FakeOf(t, data)
			ours, st := fetch(t, fake, false)
			theirs, rst := fetch(t, fake, true)
			if len(ours) != len(theirs) {
				t.Errorf("we fetched %d pull requests, the baseline %d", len(ours), len(theirs))
			}
			if diff := cmp.Diff(restPages(data, theirs), rst.REST); diff != "" {
				t.Errorf("baseline REST requests by route (-want +got):\n%s", diff)
			}
			if st.RESTRequests != 0 {
				t.Errorf("we sent %d REST requests", st.RESTRequests)
			}
			requests, points := st.Requests, st.Points
			budget := int(math.Floor(1.5*math.Ceil(float64(n)/100) + 2))
			if points != requests {
				t.Errorf("%d requests cost %d points; want one point each", requests, points)
			}
			ops := st.ByOperation
			t.Logf("N=%d: ours %d GraphQL requests, %d points %v; baseline %d REST requests %v",
				n, requests, points, ops, rst.RESTRequests, rst.REST)

			// The pull-request pages alone (the part of the budget
			// page sizes decide) must fit in any case.
			listing := requests - ops["ReviewTeams"].Requests
			if listing > budget {
				t.Errorf("%d requests before ReviewTeams, over the budget of %d: %v", listing, budget, ops)
			}
			t.Run("total", func(t *testing.T) {
				var misses []string
				if requests > budget {
					misses = append(misses, fmt.Sprintf("%d GraphQL requests, budget 1.5·ceil(%d/100)+2 = %d", requests, n, budget))
				}
				if n == 1000 && 100*requests > rst.RESTRequests {
					misses = append(misses, fmt.Sprintf("%d requests against the baseline's %d: 1/%.0f, target 1/100",
						requests, rst.RESTRequests, float64(rst.RESTRequests)/float64(requests)))
				}
				if len(misses) == 0 {
					return
				}
				t.Errorf("targets missed: %s", strings.Join(misses, "; "))
			})
		})
	}
}
