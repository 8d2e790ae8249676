package githubfake_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// recorder is a testing.TB that records Errorf instead of failing, to
// check when the fake fails the test.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) failures() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

var opNameRE = regexp.MustCompile(`^query (\w+)`)

// post sends one GraphQL request and returns the status, headers and body.
func post(t *testing.T, url, token, query string, vars map[string]any) (int, http.Header, string) {
	t.Helper()
	req := map[string]any{"query": query, "variables": vars}
	if m := opNameRE.FindStringSubmatch(query); m != nil {
		req["operationName"] = m[1]
	}
	body, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	hreq, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		hreq.Header.Set("Authorization", "bearer "+token)
	}
	resp, err := http.DefaultClient.Do(hreq)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(raw)
}

// query posts with the default token and expects HTTP 200.
func query(t *testing.T, s *githubfake.Server, q string, vars map[string]any) string {
	t.Helper()
	status, _, body := post(t, s.URL(), githubfake.DefaultToken, q, vars)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	return body
}

func day(d, h int) time.Time { return time.Date(2026, 1, d, h, 0, 0, 0, time.UTC) }

func small() githubfake.Repo {
	return githubfake.Repo{Owner: "acme", Name: "app", PullRequests: []githubfake.PullRequest{
		{Author: githubfake.User("alice"), CreatedAt: day(1, 0), Labels: []string{"bug", "ui"},
			Items: []githubfake.Item{
				githubfake.Requested(day(2, 0), githubfake.Team("acme/web")),
				githubfake.Review(day(3, 0), githubfake.User("bob"), "APPROVED", "acme/web"),
			}},
		{Author: githubfake.Bot("renovate"), CreatedAt: day(5, 0), IsDraft: true},
	}}
}

var cursorRE = regexp.MustCompile(`"(cursor|endCursor)":"([^"]+)"`)

func TestExecute(t *testing.T) {
	s := githubfake.New(t, small())
	s.SetStrict(true)
	const q = `query Q($withLabels: Boolean!, $skipTitle: Boolean!) {
  repo: repository(owner: "ACME", name: "App") {
    nameWithOwner
    pullRequests(first: 2, orderBy: {field: CREATED_AT, direction: ASC}) {
      totalCount
      edges {
        cursor
        node {
          __typename
          number
          title @skip(if: $skipTitle)
          draft: isDraft
          state
          author { __typename login ...A }
          labels(first: 1) @include(if: $withLabels) { totalCount nodes { name } pageInfo { hasNextPage } }
          timelineItems(first: 5, itemTypes: [PULL_REQUEST_REVIEW]) { nodes { ...Item } }
        }
      }
    }
  }
}
fragment A on Actor { login }
fragment Item on PullRequestTimelineItems {
  __typename
  ... on PullRequestReview { state createdAt submittedAt author { login } onBehalfOf(first: 5) { nodes { combinedSlug } } }
}`
	body := query(t, s, q, map[string]any{"withLabels": true, "skipTitle": true})
	var cursors []string
	body = cursorRE.ReplaceAllStringFunc(body, func(m string) string {
		cursors = append(cursors, cursorRE.FindStringSubmatch(m)[2])
		return `"` + cursorRE.FindStringSubmatch(m)[1] + `":"C"`
	})
	want := `{"data":{"repo":{"nameWithOwner":"acme/app","pullRequests":{"totalCount":2,"edges":[` +
		`{"cursor":"C","node":{"__typename":"PullRequest","number":1,"draft":false,"state":"OPEN",` +
		`"author":{"__typename":"User","login":"alice"},` +
		`"labels":{"totalCount":2,"nodes":[{"name":"bug"}],"pageInfo":{"hasNextPage":true}},` +
		`"timelineItems":{"nodes":[{"__typename":"PullRequestReview","state":"APPROVED",` +
		`"createdAt":"2026-01-02T23:50:00Z","submittedAt":"2026-01-03T00:00:00Z","author":{"login":"bob"},` +
		`"onBehalfOf":{"nodes":[{"combinedSlug":"acme/web"}]}}]}}},` +
		`{"cursor":"C","node":{"__typename":"PullRequest","number":2,"draft":true,"state":"OPEN",` +
		`"author":{"__typename":"Bot","login":"renovate"},` +
		`"labels":{"totalCount":0,"nodes":[],"pageInfo":{"hasNextPage":false}},` +
		`"timelineItems":{"nodes":[]}}}]}}}}`
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	if len(cursors) != 2 || cursors[0] == cursors[1] {
		t.Errorf("cursors = %q, want two distinct", cursors)
	}
	for _, c := range cursors {
		if _, err := base64.StdEncoding.DecodeString(c); err != nil {
			t.Errorf("cursor %q is not base64: %v", c, err)
		}
	}
}

// TestPaging pages through pull requests in each order and checks that
// every page continues where the last one ended.
func TestPaging(t *testing.T) {
	repo := githubfake.Repo{Owner: "o", Name: "r"}
	// Created in order 1..7; updated in the order 3, 1, 7, 5, 2, 6, 4.
	updated := map[int]int{3: 10, 1: 11, 7: 12, 5: 13, 2: 14, 6: 15, 4: 16}
	for n := 1; n <= 7; n++ {
		pr := githubfake.PullRequest{Number: n, CreatedAt: day(n, 0), UpdatedAt: day(updated[n], 0)}
		if n%3 == 0 {
			pr.State = "CLOSED"
		}
		repo.PullRequests = append(repo.PullRequests, pr)
	}
	s := githubfake.New(t, repo)
	s.SetStrict(true)
	const q = `query P($after: String, $states: [PullRequestState!], $field: IssueOrderField!, $dir: OrderDirection!) {
  repository(owner: "o", name: "r") {
    pullRequests(first: 3, after: $after, states: $states, orderBy: {field: $field, direction: $dir}) {
      pageInfo { hasNextPage endCursor }
      nodes { number }
    }
  }
}`
	cases := []struct {
		name   string
		vars   map[string]any
		want   []int
		npages int
	}{
		{"created asc", map[string]any{"field": "CREATED_AT", "dir": "ASC"}, []int{1, 2, 3, 4, 5, 6, 7}, 3},
		{"updated desc", map[string]any{"field": "UPDATED_AT", "dir": "DESC"}, []int{4, 6, 2, 5, 7, 1, 3}, 3},
		{"open updated asc", map[string]any{"field": "UPDATED_AT", "dir": "ASC", "states": []string{"OPEN"}}, []int{1, 7, 5, 2, 4}, 2},
		{"closed", map[string]any{"field": "CREATED_AT", "dir": "DESC", "states": []string{"CLOSED"}}, []int{6, 3}, 1},
		{"merged", map[string]any{"field": "CREATED_AT", "dir": "DESC", "states": []string{"MERGED"}}, nil, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []int
			pages := 0
			var after any
			for {
				tc.vars["after"] = after
				var resp struct {
					Data struct {
						Repository struct {
							PullRequests struct {
								PageInfo struct {
									HasNextPage bool    `json:"hasNextPage"`
									EndCursor   *string `json:"endCursor"`
								} `json:"pageInfo"`
								Nodes []struct{ Number int } `json:"nodes"`
							} `json:"pullRequests"`
						} `json:"repository"`
					} `json:"data"`
				}
				if err := json.Unmarshal([]byte(query(t, s, q, tc.vars)), &resp); err != nil {
					t.Fatal(err)
				}
				pages++
				conn := resp.Data.Repository.PullRequests
				for _, n := range conn.Nodes {
					got = append(got, n.Number)
				}
				if (conn.PageInfo.EndCursor == nil) != (len(conn.Nodes) == 0) {
					t.Errorf("endCursor %v for %d nodes", conn.PageInfo.EndCursor, len(conn.Nodes))
				}
				if !conn.PageInfo.HasNextPage || pages > 10 {
					break
				}
				after = *conn.PageInfo.EndCursor
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("numbers (-want +got):\n%s", diff)
			}
			if pages != tc.npages {
				t.Errorf("%d pages, want %d", pages, tc.npages)
			}
		})
	}
}

// TestCost checks GitHub's cost formula: the requests needed to fill each
// connection given the page sizes above it, / 100, rounded, at least 1.
func TestCost(t *testing.T) {
	s := githubfake.New(t, small())
	s.SetStrict(true)
	cases := []struct {
		name            string
		selection       string
		cost, nodeCount int
	}{
		{"no connection", ``, 1, 0},
		{"pull requests with timelines", `pullRequests(first: 100) { nodes { timelineItems(first: 100) { totalCount } } }`, 1, 10100},
		{"and labels", `pullRequests(first: 100) { nodes { labels(first: 20) { totalCount } timelineItems(first: 100) { totalCount } } }`, 2, 12100},
		{"labels skipped", `pullRequests(first: 100) { nodes { labels(first: 20) @include(if: false) { totalCount } timelineItems(first: 100) { totalCount } } }`, 1, 10100},
		{"half pages", `pullRequests(first: 50) { nodes { timelineItems(first: 50) { totalCount } } }`, 1, 2550},
		// 1 + 100 + 100×100 = 10,101 requests: onBehalfOf nested under
		// every timeline item costs a hundred times as much.
		{"nested onBehalfOf", `pullRequests(first: 100) { nodes { timelineItems(first: 100) { nodes { ... on PullRequestReview { onBehalfOf(first: 4) { totalCount } } } } } }`, 101, 50100},
		// 1 + 100 + 100 + 49 = 250 requests: 2.5 points rounds to 3.
		{"rounding", `pullRequests(first: 100) { nodes { a: labels(first: 1) { totalCount } b: labels(first: 1) { totalCount } } } issues: pullRequests(first: 49) { nodes { labels(first: 1) { totalCount } } }`, 3, 100 + 100 + 100 + 49 + 49},
	}
	spent := 0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := `{ rateLimit { cost nodeCount remaining } repository(owner: "acme", name: "app") { id ` + tc.selection + ` } }`
			var resp struct {
				Data struct {
					RateLimit struct{ Cost, NodeCount, Remaining int } `json:"rateLimit"`
				} `json:"data"`
			}
			if err := json.Unmarshal([]byte(query(t, s, q, nil)), &resp); err != nil {
				t.Fatal(err)
			}
			spent += tc.cost
			want := struct{ Cost, NodeCount, Remaining int }{tc.cost, tc.nodeCount, githubfake.DefaultRateLimit - spent}
			if diff := cmp.Diff(want, resp.Data.RateLimit); diff != "" {
				t.Errorf("rateLimit (-want +got):\n%s", diff)
			}
		})
	}
	if st := s.Stats(); st.Points != spent || st.Requests != len(cases) {
		t.Errorf("stats = %d requests, %d points; want %d, %d", st.Requests, st.Points, len(cases), spent)
	}
}

func TestErrorsLikeGitHub(t *testing.T) {
	cases := []struct {
		name, query string
		vars        map[string]any
		want        string
	}{
		{
			name:  "unknown repository",
			query: `{ repository(owner: "o", name: "n") { id } }`,
			want:  `{"data":{"repository":null},"errors":[{"type":"NOT_FOUND","path":["repository"],"locations":[{"line":1,"column":3}],"message":"Could not resolve to a Repository with the name 'o/n'."}]}`,
		},
		{
			name:  "first over 100",
			query: `{ repository(owner: "acme", name: "app") { pullRequests(first: 101) { totalCount } } }`,
			want:  `{"errors":[{"type":"EXCESSIVE_PAGINATION","path":["repository","pullRequests"],"locations":[{"line":1,"column":44}],"message":"Requesting 101 records on the ` + "`pullRequests`" + ` connection exceeds the ` + "`first`" + ` limit of 100 records."}]}`,
		},
		{
			name:  "no first",
			query: `query N($n: Int) { repository(owner: "acme", name: "app") { pullRequests(first: $n) { totalCount } } }`,
			want:  `{"errors":[{"type":"MISSING_PAGINATION_BOUNDARIES","path":["repository","pullRequests"],"locations":[{"line":1,"column":61}],"message":"You must provide a ` + "`first` or `last`" + ` value to properly paginate the ` + "`pullRequests`" + ` connection."}]}`,
		},
		{
			name:  "first zero",
			query: `{ repository(owner: "acme", name: "app") { pullRequests(first: 0) { totalCount } } }`,
			want:  `EXCESSIVE_PAGINATION`,
		},
		{
			name:  "over the node limit",
			query: `{ repository(owner: "acme", name: "app") { pullRequests(first: 100) { nodes { timelineItems(first: 100) { nodes { ... on PullRequestReview { onBehalfOf(first: 100) { totalCount } } } } } } } }`,
			want:  `"type":"MAX_NODE_LIMIT_EXCEEDED"`,
		},
		{
			name:  "invalid query",
			query: `{ repository(owner: "acme", name: "app") { pullRequestz(first: 1) { totalCount } } }`,
			want:  `{"errors":[{"locations":[{"line":1,"column":44}],"message":"Cannot query field \"pullRequestz\" on type \"Repository\". Did you mean \"pullRequest\" or \"pullRequests\"?"}]}`,
		},
		{
			name:  "bad variable",
			query: `query V($n: Int!) { repository(owner: "acme", name: "app") { pullRequests(first: $n) { totalCount } } }`,
			vars:  map[string]any{"n": "ten"},
			want:  `{"errors":[{"message":"cannot use string as Int"}]}`,
		},
		{
			name:  "bad cursor",
			query: `{ repository(owner: "acme", name: "app") { pullRequests(first: 1, after: "bm9wZQ==") { totalCount } } }`,
			want:  `"type":"INVALID_CURSOR_ARGUMENTS"`,
		},
		{
			name:  "unknown node",
			query: `{ nodes(ids: ["nope"]) { id } node(id: "nope") { id } }`,
			want:  `{"data":{"nodes":[null],"node":null},"errors":[{"type":"NOT_FOUND","path":["nodes",0],"locations":[{"line":1,"column":3}],"message":"Could not resolve to a node with the global id of 'nope'"},{"type":"NOT_FOUND","path":["node"],"locations":[{"line":1,"column":31}],"message":"Could not resolve to a node with the global id of 'nope'"}]}`,
		},
	}
	s := githubfake.New(t, small())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := query(t, s, tc.query, tc.vars)
			if strings.HasPrefix(tc.want, "{") {
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("response (-want +got):\n%s", diff)
				}
			} else if !strings.Contains(got, tc.want) {
				t.Errorf("response %s, want it to contain %s", got, tc.want)
			}
		})
	}
	// Only the three executed queries (unknown repository, bad cursor,
	// unknown node) are charged.
	if st := s.Stats(); st.Points != 3 {
		t.Errorf("%d points charged, want 3", st.Points)
	}
}

// TestFailsTheTest checks the cases where the fake fails the test.
func TestFailsTheTest(t *testing.T) {
	cases := []struct {
		name   string
		strict bool
		do     func(t *testing.T, s *githubfake.Server)
		want   string
	}{
		{"invalid query when strict", true, func(t *testing.T, s *githubfake.Server) {
			query(t, s, `{ viewer { loginz } }`, nil)
		}, `GitHub would reject the query of operation "": Cannot query field "loginz"`},
		{"pagination when strict", true, func(t *testing.T, s *githubfake.Server) {
			query(t, s, `{ repository(owner: "acme", name: "app") { pullRequests(first: 101) { totalCount } } }`, nil)
		}, `GitHub would reject the pagination arguments`},
		{"unsupported field", false, func(t *testing.T, s *githubfake.Server) {
			query(t, s, `query U { repository(owner: "acme", name: "app") { pullRequests(first: 1) { nodes { body } } } }`, nil)
		}, `operation "U" uses what the fake does not model: field PullRequest.body`},
		{"unsupported argument", false, func(t *testing.T, s *githubfake.Server) {
			query(t, s, `{ repository(owner: "acme", name: "app") { pullRequests(first: 1, labels: ["x"]) { totalCount } } }`, nil)
		}, `argument labels of Repository.pullRequests`},
		{"unexpected path", false, func(t *testing.T, s *githubfake.Server) {
			status, _, _ := post(t, s.APIURL()+"/repos/acme/app/pulls", githubfake.DefaultToken, `{}`, nil)
			if status != http.StatusNotFound {
				t.Errorf("status %d, want 404", status)
			}
		}, `unexpected request POST /repos/acme/app/pulls`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			s := githubfake.New(rec, small())
			s.SetStrict(tc.strict)
			tc.do(t, s)
			got := rec.failures()
			if len(got) != 1 || !strings.Contains(got[0], tc.want) {
				t.Errorf("test failures = %q, want one containing %q", got, tc.want)
			}
		})
	}
	t.Run("invalid query when not strict", func(t *testing.T) {
		rec := &recorder{TB: t}
		s := githubfake.New(rec, small())
		query(t, s, `{ viewer { loginz } }`, nil)
		if got := rec.failures(); len(got) != 0 {
			t.Errorf("test failures = %q, want none", got)
		}
	})
}

func TestAuthAndHeaders(t *testing.T) {
	s := githubfake.New(t, small())
	const q = `{ rateLimit { cost } }`
	for _, tc := range []struct{ name, token, message string }{
		{"no token", "", "This endpoint requires you to be authenticated."},
		{"wrong token", "ghp_wrong", "Bad credentials"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := post(t, s.URL(), tc.token, q, nil)
			want := `{"documentation_url":"https://docs.github.com/graphql","message":"` + tc.message + `"}`
			if status != http.StatusUnauthorized || body != want {
				t.Errorf("got %d %s, want 401 %s", status, body, want)
			}
		})
	}

	s.SetToken("ghs_installation")
	for range 2 {
		post(t, s.EnterpriseAPIURL()[:len(s.EnterpriseAPIURL())-len("/v3")]+"/graphql", "ghs_installation", q, nil)
	}
	status, h, _ := post(t, s.URL(), "ghs_installation", q, nil)
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	got := map[string]string{}
	for _, k := range []string{"X-Ratelimit-Limit", "X-Ratelimit-Remaining", "X-Ratelimit-Used", "X-Ratelimit-Resource", "Content-Type"} {
		got[k] = h.Get(k)
	}
	want := map[string]string{
		"X-Ratelimit-Limit": "5000", "X-Ratelimit-Remaining": "4997", "X-Ratelimit-Used": "3",
		"X-Ratelimit-Resource": "graphql", "Content-Type": "application/json; charset=utf-8",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
	reset, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64)
	if err != nil || time.Unix(reset, 0).Before(time.Now()) {
		t.Errorf("X-Ratelimit-Reset = %q, want epoch seconds in the future", h.Get("X-Ratelimit-Reset"))
	}

	s.SetRateLimit(5000, 0)
	if _, _, body := post(t, s.URL(), "ghs_installation", q, nil); !strings.Contains(body, `"type":"RATE_LIMITED"`) {
		t.Errorf("with no points left got %s, want RATE_LIMITED", body)
	}
}

func TestStatsAndFaults(t *testing.T) {
	s := githubfake.New(t, small())
	s.SetFault(func(n int, op string) *githubfake.Fault {
		switch {
		case n == 1:
			return githubfake.BadGateway()
		case n == 2:
			return githubfake.SecondaryRateLimit(30)
		}
		return nil
	})
	const q = `query Limit { rateLimit { cost } }`
	status, _, body := post(t, s.URL(), githubfake.DefaultToken, q, nil)
	if status != http.StatusBadGateway || !strings.Contains(body, "Something went wrong") {
		t.Errorf("request 1: %d %s, want a 502", status, body)
	}
	status, h, _ := post(t, s.URL(), githubfake.DefaultToken, q, nil)
	if status != http.StatusForbidden || h.Get("Retry-After") != "30" {
		t.Errorf("request 2: %d, Retry-After %q; want 403 and 30", status, h.Get("Retry-After"))
	}
	query(t, s, q, nil)
	// 1 + 100 + 100 requests: 2 points.
	query(t, s, `{ repository(owner: "acme", name: "app") { pullRequests(first: 100) { nodes { labels(first: 100) { totalCount } timelineItems(first: 100) { totalCount } } } } }`, nil)

	st := s.Stats()
	if st.Requests != 4 || st.Points != 3 {
		t.Errorf("stats: %d requests, %d points; want 4, 3", st.Requests, st.Points)
	}
	wantOps := map[string]githubfake.OperationStats{"Limit": {Requests: 3, Points: 1}, "": {Requests: 1, Points: 2}}
	if diff := cmp.Diff(wantOps, st.ByOperation); diff != "" {
		t.Errorf("by operation (-want +got):\n%s", diff)
	}
	var statuses []int
	for _, c := range st.Calls {
		statuses = append(statuses, c.Status)
	}
	if diff := cmp.Diff([]int{502, 403, 200, 200}, statuses); diff != "" {
		t.Errorf("call statuses (-want +got):\n%s", diff)
	}
	s.ResetStats()
	if st := s.Stats(); st.Requests != 0 || len(st.Calls) != 0 {
		t.Errorf("after ResetStats: %+v", st)
	}
}

func TestHiddenReviewer(t *testing.T) {
	repo := githubfake.Repo{Owner: "acme", Name: "app", PullRequests: []githubfake.PullRequest{
		{CreatedAt: day(1, 0), Items: []githubfake.Item{githubfake.Requested(day(1, 1), nil)}},
	}}
	s := githubfake.New(t, repo)
	const q = `{ repository(owner: "acme", name: "app") { pullRequests(first: 1) { nodes { timelineItems(first: 1) { nodes { ... on ReviewRequestedEvent { requestedReviewer { __typename } } } } } } } }`
	const data = `{"data":{"repository":{"pullRequests":{"nodes":[{"timelineItems":{"nodes":[{"requestedReviewer":null}]}}]}}}}`
	if got := query(t, s, q, nil); got != data {
		t.Errorf("got %s, want %s", got, data)
	}
	s.SetHiddenReviewerErrors(true)
	want := data[:len(data)-1] + `,"errors":[{"type":"FORBIDDEN","path":["repository","pullRequests","nodes",0,"timelineItems","nodes",0,"requestedReviewer"],"locations":[{"line":1,"column":141}],"message":"Resource not accessible by integration"}]}`
	if got := query(t, s, q, nil); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestSynthetic(t *testing.T) {
	// reflect.DeepEqual: cmp is slow on this much data under -race.
	a, b := githubfake.Synthetic(300, 7), githubfake.Synthetic(300, 7)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("Synthetic is not deterministic (-first +second):\n%s", cmp.Diff(a, b))
	}
	if reflect.DeepEqual(a, githubfake.Synthetic(300, 8)) {
		t.Error("seeds 7 and 8 give the same data")
	}
	var long, teamReviews, oldOpen, pending, bots, deleted int
	for i, pr := range a {
		if pr.Number != i+1 || (i > 0 && pr.CreatedAt.Before(a[i-1].CreatedAt)) {
			t.Errorf("pull request %d: number %d, created %v: not in creation order", i, pr.Number, pr.CreatedAt)
		}
		n := len(pr.Items)
		switch {
		case n > 100:
			long++
		case n > 30:
			t.Errorf("#%d has %d items", pr.Number, n)
		}
		if pr.CreatedAt.Before(githubfake.SyntheticNow().AddDate(0, 0, -140)) {
			oldOpen++
		}
		if pr.Author == nil {
			deleted++
		} else if pr.Author.Type == "Bot" {
			bots++
		}
		for j, it := range pr.Items {
			if it.At.After(githubfake.SyntheticNow()) || (j > 0 && it.At.Before(pr.Items[j-1].At) && it.Type != githubfake.PullRequestReview) {
				t.Errorf("#%d item %d at %v: out of order", pr.Number, j, it.At)
			}
			if len(it.OnBehalfOf) > 0 {
				teamReviews++
			}
			if it.State == "PENDING" {
				pending++
			}
		}
	}
	t.Logf("Synthetic(300, 7): %d long timelines, %d team reviews, %d old open, %d pending reviews, %d bot and %d deleted authors",
		long, teamReviews, oldOpen, pending, bots, deleted)
	if long != 6 || teamReviews == 0 || oldOpen == 0 || pending == 0 || bots == 0 || deleted == 0 {
		t.Error("Synthetic lacks some of the cases it promises")
	}

	// Served and fetched page by page, every item comes back.
	s := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "synthetic", PullRequests: a})
	s.SetStrict(true)
	body := query(t, s, `{ repository(owner: "acme", name: "synthetic") { pullRequests(first: 100, states: [OPEN]) { totalCount } } }`, nil)
	if !regexp.MustCompile(`"totalCount":\d+`).MatchString(body) {
		t.Errorf("got %s", body)
	}
}

// TestFaultPoints: a timed-out answer charges its points (GitHub's
// undisclosed extra charge for timeouts) and shows no rate-limit headers;
// the next answer's x-ratelimit-remaining shows the deduction.
func TestFaultPoints(t *testing.T) {
	s := githubfake.New(t, small())
	s.SetFault(func(n int, op string) *githubfake.Fault {
		if n == 1 {
			return githubfake.GatewayTimeout(7)
		}
		return nil
	})
	const q = `query Limit { rateLimit { cost } }`
	status, h, body := post(t, s.URL(), githubfake.DefaultToken, q, nil)
	if status != http.StatusGatewayTimeout || !strings.Contains(body, "We couldn't respond to your request in time") || h.Get("X-Ratelimit-Remaining") != "" {
		t.Errorf("request 1: %d %s (remaining %q), want a 504 without rate-limit headers", status, body, h.Get("X-Ratelimit-Remaining"))
	}
	_, h, _ = post(t, s.URL(), githubfake.DefaultToken, q, nil)
	if got, want := h.Get("X-Ratelimit-Remaining"), strconv.Itoa(githubfake.DefaultRateLimit-7-1); got != want {
		t.Errorf("remaining after the timeout and one query = %s, want %s", got, want)
	}
	st := s.Stats()
	if st.Points != 8 || st.Calls[0].Cost != 7 || st.ByOperation["Limit"].Points != 8 {
		t.Errorf("stats: %d points, first call cost %d, by operation %+v; want 8, 7, 8", st.Points, st.Calls[0].Cost, st.ByOperation)
	}
}

// TestRateLimitFaults: the canned rate-limit answers are GitHub's shapes.
func TestRateLimitFaults(t *testing.T) {
	reset := time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		fault   *githubfake.Fault
		status  int
		body    string
		headers map[string]string
	}{
		{"primary RATE_LIMITED", githubfake.PrimaryRateLimited(reset), 200, `"type":"RATE_LIMITED"`,
			map[string]string{"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "1795611600", "Retry-After": ""}},
		{"primary RATE_LIMIT", githubfake.PrimaryRateLimit(reset), 200, `"type":"RATE_LIMIT","code":"graphql_rate_limit"`,
			map[string]string{"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "1795611600"}},
		{"secondary 200", githubfake.SecondaryRateLimitOK(60, time.Time{}), 200, `{"data":null,"errors":[{"message":"You have exceeded a secondary rate limit.`,
			map[string]string{"Retry-After": "60", "X-Ratelimit-Remaining": ""}},
		{"secondary 200 until reset", githubfake.SecondaryRateLimitOK(-1, reset), 200, `secondary rate limit`,
			map[string]string{"Retry-After": "", "X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "1795611600"}},
		{"secondary 403 without retry-after", githubfake.SecondaryRateLimit(-1), 403, `"message":"You have exceeded a secondary rate limit.`,
			map[string]string{"Retry-After": ""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := githubfake.New(t, small())
			s.SetFault(func(int, string) *githubfake.Fault { return tc.fault })
			status, h, body := post(t, s.URL(), githubfake.DefaultToken, `{ rateLimit { cost } }`, nil)
			if status != tc.status || !strings.Contains(body, tc.body) {
				t.Errorf("got %d %s, want %d with %s", status, body, tc.status, tc.body)
			}
			for k, v := range tc.headers {
				if h.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, h.Get(k), v)
				}
			}
			if st := s.Stats(); st.Points != 0 {
				t.Errorf("%d points charged for a refusal", st.Points)
			}
		})
	}
}
