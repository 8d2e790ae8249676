package githubapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// since is the FetchOptions.Since of these tests.
var since = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func at(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2026, month, day, hour, minute, 0, 0, time.UTC)
}

func newClient(endpoint, token string) *Client {
	return &Client{
		Endpoint:  endpoint,
		Token:     token,
		HTTP:      &http.Client{Timeout: 10 * time.Second},
		UserAgent: "engineering-kpis-test",
	}
}

// fixture is a hand-built repository "acme/app":
//
//	#1 closed before Since          not fetched
//	#2 open, untouched since May    fetched by the open pass
//	#3 open draft, untouched        fetched by the open pass
//	#4 team reviews, merged         onBehalfOf, a pending and a bot review
//	#5 250 timeline items           3 timeline pages; team request on page 3
//	#6 deleted author               hidden reviewer, mannequin
//	#7 bot author                   draft, close, reopen, merge
//	#8 merged before Since          not fetched
//	#9 closed exactly at Since      fetched (Since is inclusive)
func fixture() githubfake.Repo {
	long := make([]githubfake.Item, 0, 250)
	for k := range 124 {
		t := at(11, 3, 0, 0).Add(time.Duration(k) * time.Hour)
		long = append(long,
			githubfake.Requested(t, githubfake.User("dave")),
			githubfake.Review(t.Add(30*time.Minute), githubfake.User("dave"), "COMMENTED"))
	}
	long = append(long,
		githubfake.Requested(at(11, 9, 10, 0), githubfake.Team("acme/platform")),
		githubfake.Review(at(11, 9, 12, 0), githubfake.User("heidi"), "APPROVED", "acme/platform"))

	return githubfake.Repo{Owner: "acme", Name: "app", PullRequests: []githubfake.PullRequest{
		{Number: 1, Author: githubfake.User("alice"), CreatedAt: at(9, 1, 9, 0),
			Items: []githubfake.Item{githubfake.Closed(at(9, 2, 9, 0))}},
		{Number: 2, Author: githubfake.User("grace"), CreatedAt: at(5, 1, 9, 0),
			Items: []githubfake.Item{githubfake.Requested(at(5, 1, 10, 0), githubfake.User("alice"))}},
		{Number: 3, Author: githubfake.User("heidi"), CreatedAt: at(6, 1, 9, 0), IsDraft: true},
		{Number: 4, Title: "Add team reviews", Author: githubfake.User("alice"), CreatedAt: at(11, 10, 9, 0), Labels: []string{"feature"},
			Items: []githubfake.Item{
				githubfake.Requested(at(11, 10, 10, 0), githubfake.Team("acme/backend")),
				githubfake.Requested(at(11, 10, 10, 0), githubfake.Bot("copilot-pull-request-reviewer")),
				githubfake.Requested(at(11, 10, 10, 5), githubfake.User("carol")),
				githubfake.Review(at(11, 10, 10, 7), githubfake.Bot("copilot-pull-request-reviewer"), "COMMENTED"),
				githubfake.PendingReview(at(11, 10, 11, 0), githubfake.User("carol")),
				githubfake.Review(at(11, 11, 15, 0), githubfake.User("bob"), "CHANGES_REQUESTED", "acme/backend"),
				githubfake.Requested(at(11, 12, 9, 0), githubfake.Team("acme/backend")),
				githubfake.Review(at(11, 12, 13, 30), githubfake.User("dave"), "APPROVED", "acme/backend", "acme/platform"),
				githubfake.Review(at(11, 12, 16, 0), githubfake.User("carol"), "APPROVED"),
				githubfake.Merged(at(11, 12, 17, 0)),
				githubfake.Closed(at(11, 12, 17, 0)),
			}},
		{Number: 5, Author: githubfake.User("erin"), CreatedAt: at(11, 2, 8, 0), Items: long},
		{Number: 6, Author: nil, CreatedAt: at(11, 5, 9, 0),
			Items: []githubfake.Item{
				githubfake.Requested(at(11, 5, 10, 0), nil),
				githubfake.Requested(at(11, 5, 10, 0), githubfake.Mannequin("olduser")),
				githubfake.RequestRemoved(at(11, 6, 10, 0), githubfake.Mannequin("olduser")),
			}},
		{Number: 7, Author: githubfake.Bot("dependabot"), CreatedAt: at(11, 14, 9, 0), Labels: []string{"dependencies"},
			Items: []githubfake.Item{
				githubfake.Draft(at(11, 14, 10, 0)),
				githubfake.Ready(at(11, 14, 12, 0)),
				githubfake.Requested(at(11, 14, 12, 1), githubfake.User("frank")),
				githubfake.Closed(at(11, 15, 9, 0)),
				githubfake.Reopened(at(11, 16, 9, 0)),
				githubfake.Review(at(11, 17, 9, 0), githubfake.User("frank"), "APPROVED"),
				githubfake.Merged(at(11, 17, 10, 0)),
				githubfake.Closed(at(11, 17, 10, 0)),
			}},
		{Number: 8, Author: githubfake.User("bob"), CreatedAt: at(10, 1, 9, 0),
			Items: []githubfake.Item{githubfake.Merged(at(10, 2, 9, 0)), githubfake.Closed(at(10, 2, 9, 0))}},
		{Number: 9, Author: githubfake.User("bob"), CreatedAt: at(10, 20, 9, 0),
			Items: []githubfake.Item{githubfake.Closed(since)}},
	}}
}

func byNumber(prs []kpi.PullRequest) map[int]kpi.PullRequest {
	m := map[int]kpi.PullRequest{}
	for _, pr := range prs {
		m[pr.Number] = pr
	}
	return m
}

func TestFetchPullRequests(t *testing.T) {
	fake := githubfake.New(t, fixture())
	fake.SetStrict(true)
	c := newClient(fake.URL(), githubfake.DefaultToken)
	prs, err := c.FetchPullRequests(context.Background(), "acme/app", FetchOptions{Since: since})
	if err != nil {
		t.Fatal(err)
	}
	got := byNumber(prs)
	var numbers []int
	for n := range got {
		numbers = append(numbers, n)
	}
	slices.Sort(numbers)
	if diff := cmp.Diff([]int{2, 3, 4, 5, 6, 7, 9}, numbers); diff != "" {
		t.Errorf("pull requests fetched (-want +got):\n%s", diff)
	}
	if len(prs) != len(got) {
		t.Errorf("%d pull requests returned for %d numbers: duplicates", len(prs), len(got))
	}

	user := func(login string) *kpi.Actor { return &kpi.Actor{Login: login} }
	team := func(slug string) *kpi.Actor { return &kpi.Actor{Login: slug, Team: true} }
	want4 := kpi.PullRequest{
		Repository: "acme/app", Number: 4, Title: "Add team reviews", URL: "https://github.com/acme/app/pull/4",
		Author: kpi.Actor{Login: "alice"}, CreatedAt: at(11, 10, 9, 0), UpdatedAt: at(11, 12, 17, 0),
		Events: []kpi.Event{
			{Kind: kpi.ReviewRequested, At: at(11, 10, 10, 0), Reviewer: team("acme/backend")},
			{Kind: kpi.ReviewRequested, At: at(11, 10, 10, 0), Reviewer: &kpi.Actor{Login: "copilot-pull-request-reviewer", Bot: true}},
			{Kind: kpi.ReviewRequested, At: at(11, 10, 10, 5), Reviewer: user("carol")},
			// A bot's review: its teams are never asked for.
			{Kind: kpi.Reviewed, At: at(11, 10, 10, 7), Author: &kpi.Actor{Login: "copilot-pull-request-reviewer", Bot: true}, ReviewState: "COMMENTED"},
			// carol's pending review is left out; reviews are at submittedAt,
			// not createdAt (ReviewDraftTime earlier).
			{Kind: kpi.Reviewed, At: at(11, 11, 15, 0), Author: user("bob"), ReviewState: "CHANGES_REQUESTED", OnBehalfOf: []string{"acme/backend"}},
			{Kind: kpi.ReviewRequested, At: at(11, 12, 9, 0), Reviewer: team("acme/backend")},
			{Kind: kpi.Reviewed, At: at(11, 12, 13, 30), Author: user("dave"), ReviewState: "APPROVED", OnBehalfOf: []string{"acme/backend", "acme/platform"}},
			{Kind: kpi.Reviewed, At: at(11, 12, 16, 0), Author: user("carol"), ReviewState: "APPROVED"},
			{Kind: kpi.Merged, At: at(11, 12, 17, 0)},
			{Kind: kpi.Closed, At: at(11, 12, 17, 0)},
		},
	}
	want6 := kpi.PullRequest{
		Repository: "acme/app", Number: 6, Title: "Pull request 6", URL: "https://github.com/acme/app/pull/6",
		Author: kpi.Actor{Login: "ghost"}, CreatedAt: at(11, 5, 9, 0), UpdatedAt: at(11, 6, 10, 0),
		Events: []kpi.Event{
			{Kind: kpi.ReviewRequested, At: at(11, 5, 10, 0)}, // reviewer hidden
			{Kind: kpi.ReviewRequested, At: at(11, 5, 10, 0), Reviewer: user("olduser")},
			{Kind: kpi.ReviewRequestRemoved, At: at(11, 6, 10, 0), Reviewer: user("olduser")},
		},
	}
	want7 := kpi.PullRequest{
		Repository: "acme/app", Number: 7, Title: "Pull request 7", URL: "https://github.com/acme/app/pull/7",
		Author: kpi.Actor{Login: "dependabot", Bot: true}, CreatedAt: at(11, 14, 9, 0), UpdatedAt: at(11, 17, 10, 0),
		Events: []kpi.Event{
			{Kind: kpi.ConvertedToDraft, At: at(11, 14, 10, 0)},
			{Kind: kpi.ReadyForReview, At: at(11, 14, 12, 0)},
			{Kind: kpi.ReviewRequested, At: at(11, 14, 12, 1), Reviewer: user("frank")},
			{Kind: kpi.Closed, At: at(11, 15, 9, 0)},
			{Kind: kpi.Reopened, At: at(11, 16, 9, 0)},
			{Kind: kpi.Reviewed, At: at(11, 17, 9, 0), Author: user("frank"), ReviewState: "APPROVED"},
			{Kind: kpi.Merged, At: at(11, 17, 10, 0)},
			{Kind: kpi.Closed, At: at(11, 17, 10, 0)},
		},
	}
	want3 := kpi.PullRequest{
		Repository: "acme/app", Number: 3, Title: "Pull request 3", URL: "https://github.com/acme/app/pull/3",
		Author: kpi.Actor{Login: "heidi"}, IsDraft: true, CreatedAt: at(6, 1, 9, 0), UpdatedAt: at(6, 1, 9, 0),
		Events: []kpi.Event{},
	}
	for _, want := range []kpi.PullRequest{want3, want4, want6, want7} {
		if diff := cmp.Diff(want, got[want.Number]); diff != "" {
			t.Errorf("#%d (-want +got):\n%s", want.Number, diff)
		}
	}

	// #5: every one of its 250 items, over three timeline pages.
	long := got[5].Events
	counts := map[kpi.EventKind]int{}
	for _, e := range long {
		counts[e.Kind]++
	}
	if diff := cmp.Diff(map[kpi.EventKind]int{kpi.ReviewRequested: 125, kpi.Reviewed: 125}, counts); diff != "" {
		t.Errorf("#5 event counts (-want +got):\n%s", diff)
	}
	if len(long) == 250 {
		checks := []struct {
			i    int
			want kpi.Event
		}{
			{0, kpi.Event{Kind: kpi.ReviewRequested, At: at(11, 3, 0, 0), Reviewer: user("dave")}},
			{1, kpi.Event{Kind: kpi.Reviewed, At: at(11, 3, 0, 30), Author: user("dave"), ReviewState: "COMMENTED"}},
			{100, kpi.Event{Kind: kpi.ReviewRequested, At: at(11, 5, 2, 0), Reviewer: user("dave")}},
			{247, kpi.Event{Kind: kpi.Reviewed, At: at(11, 8, 3, 30), Author: user("dave"), ReviewState: "COMMENTED"}},
			{248, kpi.Event{Kind: kpi.ReviewRequested, At: at(11, 9, 10, 0), Reviewer: team("acme/platform")}},
			{249, kpi.Event{Kind: kpi.Reviewed, At: at(11, 9, 12, 0), Author: user("heidi"), ReviewState: "APPROVED", OnBehalfOf: []string{"acme/platform"}}},
		}
		for _, c := range checks {
			if diff := cmp.Diff(c.want, long[c.i]); diff != "" {
				t.Errorf("#5 event %d (-want +got):\n%s", c.i, diff)
			}
		}
	}
	if got[2].Events[0].Reviewer.Login != "alice" || got[9].Events[0].Kind != kpi.Closed {
		t.Errorf("#2 or #9 events wrong: %+v %+v", got[2].Events, got[9].Events)
	}

	// Two pull-request passes (updated since, then old open ones), two more
	// timeline pages of #5, and onBehalfOf of the reviews that may answer a
	// team request: #4's bob, dave and carol (the team request is open from
	// 11-10 10:00 until the merge; the bot's and the pending review never
	// answer) and #5's heidi (dave's 124 reviews come before the team
	// request): 4 reviews, one batch. Five requests of one point each (a
	// page of 100 pull requests with 100 timeline items each is 1 + 100
	// requests to fill, 1.01 points, rounded to 1).
	wantOps := map[string]githubfake.OperationStats{
		"PullRequests": {Requests: 2, Points: 2},
		"Timelines":    {Requests: 2, Points: 2},
		"ReviewTeams":  {Requests: 1, Points: 1},
	}
	st := fake.Stats()
	if diff := cmp.Diff(wantOps, st.ByOperation); diff != "" {
		t.Errorf("requests by operation (-want +got):\n%s", diff)
	}
	if c.Stats.Requests != 5 || c.Stats.Points != 5 || c.Stats.Remaining != githubfake.DefaultRateLimit-5 {
		t.Errorf("client stats = %+v, want 5 requests, 5 points, %d remaining", c.Stats, githubfake.DefaultRateLimit-5)
	}
	var asked []any
	for _, call := range st.Calls {
		if call.Operation == "ReviewTeams" {
			asked = call.Variables["ids0"].([]any)
		}
	}
	if len(asked) != 4 {
		t.Errorf("onBehalfOf asked for %d reviews, want 4", len(asked))
	}
}

func TestFetchPullRequestsLabels(t *testing.T) {
	fake := githubfake.New(t, fixture())
	fake.SetStrict(true)
	// A GitHub Enterprise Server URL: .../api/v3 → .../api/graphql.
	c := newClient(GraphQLEndpoint(fake.EnterpriseAPIURL(), ""), githubfake.DefaultToken)
	prs, err := c.FetchPullRequests(context.Background(), "acme/app", FetchOptions{Since: since, WithLabels: true})
	if err != nil {
		t.Fatal(err)
	}
	got := byNumber(prs)
	if diff := cmp.Diff([]string{"dependencies"}, got[7].Labels); diff != "" {
		t.Errorf("#7 labels (-want +got):\n%s", diff)
	}
	if got[5].Labels != nil {
		t.Errorf("#5 labels = %q, want none", got[5].Labels)
	}
	// labels(first: 100) under 100 pull requests adds 100 requests: a
	// PullRequests page is 201 requests, 2 points.
	if diff := cmp.Diff(githubfake.OperationStats{Requests: 2, Points: 4}, fake.Stats().ByOperation["PullRequestsWithLabels"]); diff != "" {
		t.Errorf("PullRequests spend (-want +got):\n%s", diff)
	}
}

// TestFetchPullRequestsCost checks what a large repository costs: 250 pull
// requests updated since Since, each with a one-page timeline and no team
// request.
func TestFetchPullRequestsCost(t *testing.T) {
	const n = 250
	repo := githubfake.Repo{Owner: "acme", Name: "big"}
	for i := range n {
		created := since.Add(time.Duration(i) * time.Hour)
		items := []githubfake.Item{
			githubfake.Requested(created.Add(time.Minute), githubfake.User("bob")),
			githubfake.Review(created.Add(time.Hour), githubfake.User("bob"), "APPROVED"),
		}
		if i%2 == 0 {
			items = append(items, githubfake.Merged(created.Add(2*time.Hour)), githubfake.Closed(created.Add(2*time.Hour)))
		}
		repo.PullRequests = append(repo.PullRequests, githubfake.PullRequest{
			Author: githubfake.User("alice"), CreatedAt: created, Items: items,
		})
	}
	fake := githubfake.New(t, repo)
	fake.SetStrict(true)
	c := newClient(fake.URL(), githubfake.DefaultToken)
	prs, err := c.FetchPullRequests(context.Background(), "acme/big", FetchOptions{Since: since})
	if err != nil {
		t.Fatal(err)
	}
	if len(prs) != n {
		t.Errorf("got %d pull requests, want %d", len(prs), n)
	}
	events := 0
	for _, pr := range prs {
		events += len(pr.Events)
	}
	if events != 250*2+125*2 {
		t.Errorf("got %d events, want %d", events, 250*2+125*2)
	}
	// Pages of 100, 100 and 50 pull requests, then one page of the open
	// pass, which stops at its first pull request (updated since Since):
	// 4 requests of 1 point. The budget is ceil(250/50)+2 = 7.
	wantOps := map[string]githubfake.OperationStats{"PullRequests": {Requests: 4, Points: 4}}
	if diff := cmp.Diff(wantOps, fake.Stats().ByOperation); diff != "" {
		t.Errorf("requests by operation (-want +got):\n%s", diff)
	}
	if c.Stats.Requests != 4 || c.Stats.Points != 4 {
		t.Errorf("client stats = %+v, want 4 requests and 4 points", c.Stats)
	}
}

// TestFetchPullRequestsSynthetic fetches a synthetic repository and checks
// that every item the KPIs read arrives.
func TestFetchPullRequestsSynthetic(t *testing.T) {
	const n = 500
	prs := githubfake.Synthetic(n, 42)
	fake := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "synthetic", PullRequests: prs})
	fake.SetStrict(true)
	c := newClient(fake.URL(), githubfake.DefaultToken)
	got, err := c.FetchPullRequests(context.Background(), "acme/synthetic", FetchOptions{Since: time.Time{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("got %d pull requests, want %d", len(got), n)
	}
	want := map[int]int{} // number → events expected (pending reviews dropped)
	for _, pr := range prs {
		for _, it := range pr.Items {
			if it.State != "PENDING" {
				want[pr.Number]++
			}
		}
	}
	for _, pr := range got {
		if len(pr.Events) != want[pr.Number] {
			t.Errorf("#%d: %d events, want %d", pr.Number, len(pr.Events), want[pr.Number])
		}
	}
	st := fake.Stats()
	t.Logf("Synthetic(%d, 42): %d requests, %d points: %+v", n, st.Requests, st.Points, st.ByOperation)
}

func TestFetchPullRequestsErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("unknown repository", func(t *testing.T) {
		fake := githubfake.New(t, fixture())
		c := newClient(fake.URL(), githubfake.DefaultToken)
		_, err := c.FetchPullRequests(ctx, "acme/nope", FetchOptions{Since: since})
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.Type != "NOT_FOUND" {
			t.Fatalf("err = %v, want a NOT_FOUND *Error", err)
		}
		if !strings.Contains(err.Error(), "acme/nope") {
			t.Errorf("err = %q, want it to name acme/nope", err)
		}
	})
	t.Run("bad credentials", func(t *testing.T) {
		fake := githubfake.New(t, fixture())
		const token = "ghp_wrongTokenThatMustNotLeak0000000000"
		c := newClient(fake.URL(), token)
		_, err := c.FetchPullRequests(ctx, "acme/app", FetchOptions{Since: since})
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnauthorized || apiErr.Message != "Bad credentials" {
			t.Fatalf("err = %v, want a 401 Bad credentials *Error", err)
		}
		if strings.Contains(err.Error(), token) || strings.Contains(fmt.Sprintf("%#v", apiErr), token) {
			t.Errorf("err %q shows the token", err)
		}
		if !strings.Contains(err.Error(), "Bad credentials") {
			t.Errorf("err = %q, want it to say Bad credentials", err)
		}
	})
	t.Run("errors with partial data", func(t *testing.T) {
		fake := githubfake.New(t, fixture())
		fake.SetFault(func(n int, op string) *githubfake.Fault {
			return &githubfake.Fault{Body: `{"data":{"rateLimit":{"cost":1,"remaining":4999,"resetAt":"2026-11-25T13:00:00Z"},` +
				`"repository":{"pullRequests":{"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]}}},` +
				`"errors":[{"type":"FORBIDDEN","path":["repository","pullRequests"],"message":"Resource not accessible by integration"}]}`}
		})
		c := newClient(fake.URL(), githubfake.DefaultToken)
		prs, err := c.FetchPullRequests(ctx, "acme/app", FetchOptions{Since: since})
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.Type != "FORBIDDEN" || prs != nil {
			t.Fatalf("got %d pull requests, err = %v; want a FORBIDDEN *Error", len(prs), err)
		}
	})
	t.Run("pull request gone while paging its timeline", func(t *testing.T) {
		fake := githubfake.New(t, fixture())
		fake.SetFault(func(n int, op string) *githubfake.Fault {
			if op == "Timelines" {
				repo := fixture()
				repo.PullRequests = slices.DeleteFunc(repo.PullRequests, func(pr githubfake.PullRequest) bool { return pr.Number == 5 })
				fake.SetRepos(repo)
			}
			return nil
		})
		c := newClient(fake.URL(), githubfake.DefaultToken)
		_, err := c.FetchPullRequests(ctx, "acme/app", FetchOptions{Since: since})
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.Type != "NOT_FOUND" || !strings.Contains(err.Error(), "acme/app") {
			t.Fatalf("err = %v, want a NOT_FOUND *Error about acme/app#5", err)
		}
	})
}

func BenchmarkFetchPullRequests(b *testing.B) {
	fake := githubfake.New(b, githubfake.Repo{Owner: "acme", Name: "synthetic", PullRequests: githubfake.Synthetic(1000, 1)})
	fake.SetRateLimit(1<<40, 1<<40)
	c := newClient(fake.URL(), githubfake.DefaultToken)
	for b.Loop() {
		if _, err := c.FetchPullRequests(context.Background(), "acme/synthetic", FetchOptions{Since: since}); err != nil {
			b.Fatal(err)
		}
	}
}
