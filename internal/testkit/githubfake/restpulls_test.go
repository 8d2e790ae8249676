package githubfake_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// reviewRepo has one pull request with every timeline item type, a team
// request, a hidden reviewer, a pending review and a bot, and 124 plain
// ones numbered 2..125 updated an hour apart.
func reviewRepo() githubfake.Repo {
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	repo := githubfake.Repo{Owner: "acme", Name: "app", PullRequests: []githubfake.PullRequest{{
		Number: 1, Title: "Everything", Author: githubfake.User("alice"), CreatedAt: at(0), Labels: []string{"bug"},
		Items: []githubfake.Item{
			githubfake.Draft(at(1)),
			githubfake.Ready(at(2)),
			githubfake.Requested(at(3), githubfake.User("bob")),
			githubfake.Requested(at(3), githubfake.Team("acme/backend")),
			githubfake.Requested(at(3), nil),
			githubfake.Requested(at(3), githubfake.Bot("copilot")),
			githubfake.PendingReview(at(4), githubfake.User("carol")),
			githubfake.Review(at(5), githubfake.User("dave"), "CHANGES_REQUESTED", "acme/backend"),
			githubfake.RequestRemoved(at(6), githubfake.User("bob")),
			githubfake.Review(at(7), githubfake.Bot("copilot"), "COMMENTED"),
			githubfake.Closed(at(8)),
			githubfake.Reopened(at(9)),
			githubfake.Merged(at(10)),
			githubfake.Closed(at(10)),
		},
	}}}
	for n := 2; n <= 125; n++ {
		repo.PullRequests = append(repo.PullRequests, githubfake.PullRequest{Number: n, Author: nil, CreatedAt: at(100 + n)})
	}
	return repo
}

// getJSON GETs url with the default token and decodes a 200 answer.
func getJSON(t *testing.T, url string, out any) http.Header {
	t.Helper()
	status, h, body := get(t, url, githubfake.DefaultToken, "application/vnd.github+json")
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, status, body)
	}
	if err := json.Unmarshal([]byte(body), out); err != nil {
		t.Fatalf("GET %s: %v in %s", url, err, body)
	}
	return h
}

func TestRESTListPulls(t *testing.T) {
	s := githubfake.New(t, reviewRepo())
	base := s.APIURL() + "/repos/acme/app/pulls"
	type pull struct {
		Number   int        `json:"number"`
		State    string     `json:"state"`
		Updated  time.Time  `json:"updated_at"`
		MergedAt *time.Time `json:"merged_at"`
		ClosedAt *time.Time `json:"closed_at"`
		User     struct {
			Login string `json:"login"`
			ID    int    `json:"id"`
			Type  string `json:"type"`
		} `json:"user"`
		Labels []struct {
			Name string `json:"name"`
		} `json:"labels"`
		RequestedReviewers []struct {
			Login string `json:"login"`
			Type  string `json:"type"`
		} `json:"requested_reviewers"`
		RequestedTeams []struct {
			Slug string `json:"slug"`
		} `json:"requested_teams"`
		HTMLURL string `json:"html_url"`
		Draft   bool   `json:"draft"`
	}
	numbers := func(ps []pull) []int {
		var out []int
		for _, p := range ps {
			out = append(out, p.Number)
		}
		return out
	}

	// Newest update first, 100 a page, Link to the next and last pages.
	var page1 []pull
	h := getJSON(t, base+"?state=all&sort=updated&direction=desc&per_page=100", &page1)
	q := "direction=desc&page=%d&per_page=100&sort=updated&state=all"
	link := func(p int, rel string) string {
		return fmt.Sprintf("<%s?%s>; rel=%q", base, fmt.Sprintf(q, p), rel)
	}
	if got, exp := h.Get("Link"), link(2, "next")+", "+link(2, "last"); got != exp {
		t.Errorf("Link = %s, want %s", got, exp)
	}
	if len(page1) != 100 || page1[0].Number != 125 || page1[99].Number != 26 {
		t.Fatalf("page 1 = %v", numbers(page1))
	}
	var page2 []pull
	h = getJSON(t, base+"?state=all&sort=updated&direction=desc&per_page=100&page=2", &page2)
	if got, exp := h.Get("Link"), link(1, "prev")+", "+link(1, "first"); got != exp {
		t.Errorf("last page Link = %s, want %s", got, exp)
	}
	if diff := gocmp.Diff([]int{25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, numbers(page2)); diff != "" {
		t.Errorf("page 2 (-want +got):\n%s", diff)
	}
	var past []pull
	if getJSON(t, base+"?state=all&sort=updated&direction=desc&per_page=100&page=3", &past); len(past) != 0 {
		t.Errorf("page past the end = %v, want []", numbers(past))
	}

	pr := page2[len(page2)-1]
	merged := t0.Add(10 * time.Hour)
	if pr.State != "closed" || pr.MergedAt == nil || !pr.MergedAt.Equal(merged) || pr.ClosedAt == nil || !pr.ClosedAt.Equal(merged) ||
		!pr.Updated.Equal(merged) || pr.User.Login != "alice" || pr.User.Type != "User" || pr.Draft ||
		pr.HTMLURL != "https://github.com/acme/app/pull/1" || len(pr.Labels) != 1 || pr.Labels[0].Name != "bug" {
		t.Errorf("#1 = %+v", pr)
	}
	// bob was withdrawn, the team answered by dave on its behalf; the
	// bot's review answered its request.
	if len(pr.RequestedReviewers) != 0 || len(pr.RequestedTeams) != 0 {
		t.Errorf("#1 still requests %+v and teams %+v", pr.RequestedReviewers, pr.RequestedTeams)
	}
	if u := page1[0].User; u.Login != "ghost" || u.ID != 10137 || page1[0].State != "open" {
		t.Errorf("a deleted author's pull request = %+v, want the ghost user", page1[0])
	}

	// GitHub's defaults: open ones, newest first, 30 a page.
	var open []pull
	h = getJSON(t, base, &open)
	if len(open) != 30 || open[0].Number != 125 || !strings.Contains(h.Get("Link"), `page=5>; rel="last"`) {
		t.Errorf("defaults: %v, Link %s", numbers(open), h.Get("Link"))
	}
	// per_page is capped at 100; oldest update first.
	var asc []pull
	getJSON(t, s.EnterpriseAPIURL()+"/repos/acme/app/pulls?state=closed&sort=updated&direction=asc&per_page=500", &asc)
	if diff := gocmp.Diff([]int{1}, numbers(asc)); diff != "" {
		t.Errorf("closed (-want +got):\n%s", diff)
	}
	if st := s.Stats(); st.RESTRequests != 5 || st.REST["GET /repos/{owner}/{repo}/pulls"] != 5 {
		t.Errorf("stats: %d REST requests, %v", st.RESTRequests, st.REST)
	}
}

func TestRESTTimelineAndReviews(t *testing.T) {
	s := githubfake.New(t, reviewRepo())
	api := s.APIURL()
	var events []map[string]any
	h := getJSON(t, api+"/repos/acme/app/issues/1/timeline?per_page=100", &events)
	if h.Get("Link") != "" {
		t.Errorf("one page has Link %s", h.Get("Link"))
	}
	var got []string
	for _, e := range events {
		s := e["event"].(string)
		switch {
		case e["requested_reviewer"] != nil:
			s += " " + e["requested_reviewer"].(map[string]any)["login"].(string)
		case e["requested_team"] != nil:
			s += " team " + e["requested_team"].(map[string]any)["slug"].(string)
		case e["event"] == "reviewed":
			s += " " + e["user"].(map[string]any)["login"].(string) + " " + e["state"].(string) + " " + e["submitted_at"].(string)
		}
		if e["event"] != "reviewed" {
			s += " " + e["created_at"].(string)
		}
		got = append(got, s)
	}
	exp := []string{
		"convert_to_draft 2026-03-02T10:00:00Z",
		"ready_for_review 2026-03-02T11:00:00Z",
		"review_requested bob 2026-03-02T12:00:00Z",
		"review_requested team backend 2026-03-02T12:00:00Z",
		"review_requested 2026-03-02T12:00:00Z", // hidden reviewer
		"review_requested copilot[bot] 2026-03-02T12:00:00Z",
		// carol's pending review is not shown
		"reviewed dave changes_requested 2026-03-02T14:00:00Z",
		"review_request_removed bob 2026-03-02T15:00:00Z",
		"reviewed copilot[bot] commented 2026-03-02T16:00:00Z",
		"closed 2026-03-02T17:00:00Z",
		"reopened 2026-03-02T18:00:00Z",
		"merged 2026-03-02T19:00:00Z",
		"closed 2026-03-02T19:00:00Z",
	}
	if diff := gocmp.Diff(exp, got); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	// Shapes: an issue event, a review request, a review.
	keys := func(m map[string]any) string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return strings.Join(ks, " ")
	}
	for i, exp := range map[int]string{
		0:  "actor commit_id commit_url created_at event id node_id performed_via_github_app url",
		3:  "actor commit_id commit_url created_at event id node_id performed_via_github_app requested_team review_requester url",
		6:  "_links author_association body commit_id event html_url id node_id pull_request_url state submitted_at user",
		11: "actor commit_id commit_url created_at event id node_id performed_via_github_app url",
	} {
		if got := keys(events[i]); got != exp {
			t.Errorf("event %d (%s) has fields %s, want %s", i, events[i]["event"], got, exp)
		}
	}
	if events[11]["commit_id"] == nil || events[0]["commit_id"] != nil {
		t.Errorf("commit_id: merged %v, convert_to_draft %v", events[11]["commit_id"], events[0]["commit_id"])
	}

	// Pages of 5: Link to the next and the last.
	h = getJSON(t, api+"/repos/acme/app/issues/1/timeline?per_page=5&page=2", &events)
	if len(events) != 5 || events[0]["event"] != "review_requested" ||
		!strings.Contains(h.Get("Link"), `page=3&per_page=5>; rel="next"`) || !strings.Contains(h.Get("Link"), `page=3&per_page=5>; rel="last"`) {
		t.Errorf("page 2 of 5: %d events, Link %s", len(events), h.Get("Link"))
	}

	var reviews []struct {
		ID          int64     `json:"id"`
		State       string    `json:"state"`
		SubmittedAt time.Time `json:"submitted_at"`
		User        struct {
			Login string `json:"login"`
			Type  string `json:"type"`
		} `json:"user"`
		PullRequestURL string `json:"pull_request_url"`
	}
	getJSON(t, api+"/repos/acme/app/pulls/1/reviews?per_page=100", &reviews)
	if len(reviews) != 2 || reviews[0].State != "CHANGES_REQUESTED" || reviews[0].User.Login != "dave" ||
		reviews[1].User.Login != "copilot[bot]" || reviews[1].User.Type != "Bot" || reviews[1].State != "COMMENTED" ||
		!reviews[0].SubmittedAt.Equal(t0.Add(5*time.Hour)) || reviews[0].PullRequestURL != api+"/repos/acme/app/pulls/1" {
		t.Errorf("reviews = %+v", reviews)
	}
	// The timeline's reviewed event and the review share their id.
	getJSON(t, api+"/repos/acme/app/issues/1/timeline", &events)
	if id := events[6]["id"].(float64); int64(id) != reviews[0].ID {
		t.Errorf("reviewed event id %v, review id %d", id, reviews[0].ID)
	}

	var none []any
	if getJSON(t, api+"/repos/acme/app/pulls/2/reviews", &none); len(none) != 0 {
		t.Errorf("no reviews: %v", none)
	}
	if status, _, _ := get(t, api+"/repos/acme/app/issues/999/timeline", githubfake.DefaultToken, ""); status != http.StatusNotFound {
		t.Errorf("unknown pull request: %d", status)
	}
	st := s.Stats()
	if diff := gocmp.Diff(map[string]int{
		"GET /repos/{owner}/{repo}/issues/{issue_number}/timeline": 4,
		"GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews":    2,
	}, st.REST); diff != "" {
		t.Errorf("REST by route (-want +got):\n%s", diff)
	}
}

func TestRESTPullsFailTheTest(t *testing.T) {
	for _, path := range []string{
		"/repos/acme/app/pulls?head=acme:main",
		"/repos/acme/app/pulls?sort=popularity",
		"/repos/acme/app/issues/1/timeline?since=2026-01-01",
	} {
		rec := &recorder{TB: t}
		s := githubfake.New(rec, reviewRepo())
		status, _, _ := get(t, s.APIURL()+path, githubfake.DefaultToken, "")
		if got := rec.failures(); status != http.StatusUnprocessableEntity || len(got) != 1 || !strings.Contains(got[0], "not modelled") {
			t.Errorf("GET %s: %d, test failures %q; want 422 and one failure", path, status, got)
		}
	}
}

// TestRESTSyntheticPages checks that a synthetic repository's REST
// pages hold what the model holds: every pull request once, every
// visible item, on the pages the item counts imply.
func TestRESTSyntheticPages(t *testing.T) {
	prs := githubfake.Synthetic(60, 3)
	s := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "synthetic", PullRequests: prs})
	api := s.APIURL() + "/repos/acme/synthetic"
	for _, pr := range prs {
		visible, reviews := 0, 0
		for _, it := range pr.Items {
			if it.Type == githubfake.PullRequestReview && it.State == "PENDING" {
				continue
			}
			visible++
			if it.Type == githubfake.PullRequestReview {
				reviews++
			}
		}
		var events, page []json.RawMessage
		for p := 1; ; p++ {
			h := getJSON(t, fmt.Sprintf("%s/issues/%d/timeline?per_page=100&page=%d", api, pr.Number, p), &page)
			events = append(events, page...)
			if !strings.Contains(h.Get("Link"), `rel="next"`) {
				break
			}
		}
		if len(events) != visible {
			t.Errorf("#%d: %d timeline events, want %d", pr.Number, len(events), visible)
		}
		var rs []json.RawMessage
		getJSON(t, fmt.Sprintf("%s/pulls/%d/reviews?per_page=100", api, pr.Number), &rs)
		if len(rs) != reviews {
			t.Errorf("#%d: %d reviews, want %d", pr.Number, len(rs), reviews)
		}
	}
}
