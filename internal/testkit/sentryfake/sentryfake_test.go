package sentryfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var now = time.Date(2026, 8, 20, 6, 0, 0, 0, time.UTC)

// recorder is a testing.TB that records Errorf instead of failing, to
// test that the fake fails the test when it should.
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

func (r *recorder) Helper() {}

func (r *recorder) Errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

func newServer(tb testing.TB) *Server {
	s := New(tb)
	s.SetNow(now)
	s.SetProjects(Project{ID: 11, Slug: "web"}, Project{ID: 12, Slug: "api"}, Project{ID: 13, Slug: "worker"})
	s.SetEvents(11, "production", map[string]int64{"2026-08-14": 412, "2026-08-16": 389})
	s.SetEvents(12, "production", map[string]int64{"2026-08-14": 8})
	s.SetUsers(map[string]int64{"2026-08-14": 120, "2026-08-15": 6})
	s.SetIssues(Issue{ID: 1, ProjectID: 11}, Issue{ID: 2, ProjectID: 12, Status: "resolved"}, Issue{ID: 3, ProjectID: 12})
	return s
}

// get sends a GET below s.URL() with token (none when "").
func get(t *testing.T, s *Server, path, token string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

const (
	eventsQuery   = "dataset=errors&yAxis=count()&interval=1d&start=2026-08-14T00:00:00&end=2026-08-17T00:00:00&project=11&project=12"
	sessionsQuery = "field=count_unique(user)&interval=1d&start=2026-08-14T00:00:00&end=2026-08-16T00:00:00"
	issuesQuery   = "query=is:unresolved&statsPeriod=14d"
	orgPath       = "/api/0/organizations/acme/"
)

// TestShapes checks that every answer of the fake uses only the keys
// of the reference examples in testdata/sentry, with the same JSON types.
func TestShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		setup func(s *Server)
		path  string
		ref   string
	}{
		{name: "events-timeseries", path: "events-timeseries/?" + eventsQuery, ref: "events-timeseries.openapi-example.json"},
		{name: "events-timeseries per project", setup: func(s *Server) { s.SetSeriesPerProject(true) }, path: "events-timeseries/?" + eventsQuery, ref: "events-timeseries.openapi-example.json"},
		{name: "events-stats", path: "events-stats/?" + eventsQuery, ref: "events-stats.SYNTHETIC-from-source.json"},
		{name: "events-stats per project", setup: func(s *Server) { s.SetSeriesPerProject(true) }, path: "events-stats/?" + eventsQuery, ref: "events-stats.SYNTHETIC-from-source.json"},
		{name: "sessions", path: "sessions/?" + sessionsQuery, ref: "sessions-count_unique-user-1d.SYNTHETIC-from-tests.json"},
		{name: "sessions without data", setup: func(s *Server) { s.SetUsers(nil) }, path: "sessions/?" + sessionsQuery, ref: "sessions-no-data.SYNTHETIC-from-tests.json"},
		{name: "issues", path: "issues/?" + issuesQuery, ref: "organization-issues.openapi-example.json"},
		{name: "projects", path: "projects/", ref: "organization-projects.openapi-example.json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			if tc.setup != nil {
				tc.setup(s)
			}
			status, _, body := get(t, s, orgPath+tc.path, DefaultToken)
			if status != 200 {
				t.Fatalf("status %d: %s", status, body)
			}
			var got, ref any
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "sentry", tc.ref))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &ref); err != nil {
				t.Fatal(err)
			}
			for _, p := range shapeDiff("$", ref, got) {
				t.Errorf("%s: not as in %s", p, tc.ref)
			}
		})
	}
}

// shapeDiff lists where got has a key ref lacks, or a value of another
// JSON type. null matches anything (Sentry's fields are nullable); an
// array's elements are compared position by position, the extra ones
// with ref's last element.
func shapeDiff(path string, ref, got any) []string {
	if ref == nil || got == nil {
		return nil
	}
	switch g := got.(type) {
	case map[string]any:
		r, ok := ref.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s is an object, want %T", path, ref)}
		}
		var out []string
		for k, v := range g {
			rv, ok := r[k]
			if !ok {
				out = append(out, fmt.Sprintf("%s.%s is not a key Sentry sends", path, k))
				continue
			}
			out = append(out, shapeDiff(path+"."+k, rv, v)...)
		}
		return out
	case []any:
		r, ok := ref.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s is an array, want %T", path, ref)}
		}
		var out []string
		for i, v := range g {
			if len(r) == 0 {
				break
			}
			out = append(out, shapeDiff(fmt.Sprintf("%s[%d]", path, i), r[min(i, len(r)-1)], v)...)
		}
		return out
	default:
		if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", ref) {
			return []string{fmt.Sprintf("%s is %T, want %T", path, got, ref)}
		}
		return nil
	}
}

func TestDailySeries(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.OmitDays("2026-08-15")
	_, _, body := get(t, s, orgPath+"events-timeseries/?"+eventsQuery, DefaultToken)
	var ts struct {
		TimeSeries []struct {
			Values []struct {
				Timestamp  int64
				Value      int64
				Incomplete bool
			}
			Meta struct{ Interval int64 }
		}
	}
	if err := json.Unmarshal(body, &ts); err != nil {
		t.Fatal(err)
	}
	want := `[{[{1786665600000 420 false} {1786838400000 389 false}] {86400000}}]`
	if got := fmt.Sprint(ts.TimeSeries); got != want {
		t.Errorf("timeSeries %s, want %s", got, want)
	}

	s.SetEmptyBuckets(true)
	_, _, body = get(t, s, orgPath+"events-stats/?"+strings.Replace(eventsQuery, "end=2026-08-17", "end=2026-08-18", 1), DefaultToken)
	var stats struct{ Data []any }
	if err := json.Unmarshal(body, &stats); err != nil {
		t.Fatal(err)
	}
	want = `[[1.7866656e+09 [map[count:420]]] [1.7868384e+09 [map[count:389]]] [1.7869248e+09 []]]`
	if got := fmt.Sprint(stats.Data); got != want {
		t.Errorf("events-stats data %s, want %s", got, want)
	}

	_, _, body = get(t, s, orgPath+"sessions/?"+strings.Replace(sessionsQuery, "end=2026-08-16", "end=2026-08-17", 1), DefaultToken)
	want = `{"end":"2026-08-17T00:00:00Z","groups":[{"by":{},"series":{"count_unique(user)":[120,0]},"totals":{"count_unique(user)":120}}],"intervals":["2026-08-14T00:00:00Z","2026-08-16T00:00:00Z"],"query":"","start":"2026-08-14T00:00:00Z"}`
	if got := string(body); got != want {
		t.Errorf("sessions\n got %s\nwant %s", got, want)
	}
}

func TestPaging(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.SetProjects(Project{ID: 11, Slug: "web"}, Project{ID: 12, Slug: "api"}, Project{ID: 13, Slug: "worker"}, Project{ID: 14, Slug: "billing"}, Project{ID: 15, Slug: "mobile"})
	s.SetPageSize(2)
	var slugs []string
	path := orgPath + "projects/"
	for page := 1; ; page++ {
		status, h, body := get(t, s, path, DefaultToken)
		if status != 200 {
			t.Fatalf("page %d: status %d", page, status)
		}
		var items []struct{ ID, Slug string }
		if err := json.Unmarshal(body, &items); err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			slugs = append(slugs, it.ID+":"+it.Slug)
		}
		link := h.Get("Link")
		base := s.http.URL + Prefix + orgPath + "projects/?"
		switch page {
		case 1:
			want := `<` + base + `&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", <` + base + `&cursor=0:2:0>; rel="next"; results="true"; cursor="0:2:0"`
			if link != want {
				t.Errorf("page 1 Link\n got %s\nwant %s", link, want)
			}
			path = orgPath + "projects/?cursor=0:2:0"
		case 2:
			path = orgPath + "projects/?cursor=0:4:0"
			if !strings.Contains(link, `rel="next"; results="true"; cursor="0:4:0"`) {
				t.Errorf("page 2 Link %s", link)
			}
		case 3:
			if !strings.Contains(link, `rel="previous"; results="true"; cursor="0:4:1"`) || !strings.Contains(link, `rel="next"; results="false"; cursor="0:6:0"`) {
				t.Errorf("page 3 Link %s", link)
			}
		}
		if page == 3 {
			break
		}
	}
	if diff := cmp.Diff([]string{"11:web", "12:api", "13:worker", "14:billing", "15:mobile"}, slugs); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	_, h, _ := get(t, s, orgPath+"issues/?"+issuesQuery+"&limit=100", DefaultToken)
	if got := h.Get("X-Hits"); got != "2" {
		t.Errorf("X-Hits %q, want 2 unresolved issues", got)
	}
}

func TestRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		setup  func(s *Server)
		path   string
		token  string
		status int
		body   string
	}{
		{name: "no token", path: "sessions/?" + sessionsQuery, token: "-", status: 401, body: `{"detail":"Authentication credentials were not provided."}`},
		{name: "wrong token", path: "sessions/?" + sessionsQuery, token: "nope", status: 401, body: `{"detail":"Invalid token"}`},
		{name: "unknown org", path: "sessions/?" + sessionsQuery, setup: func(s *Server) { s.SetOrg("other") }, status: 404, body: `{"detail":"The requested resource does not exist"}`},
		{name: "missing scope", path: "issues/?" + issuesQuery, setup: func(s *Server) { s.SetScopes("org:read") }, status: 403, body: `{"detail":"You do not have permission to perform this action."}`},
		{name: "unknown project", path: "sessions/?" + sessionsQuery + "&project=99", status: 403, body: `{"detail":"You do not have permission to perform this action."}`},
		{name: "old self-hosted", path: "events-timeseries/?" + eventsQuery, setup: func(s *Server) { s.SetOldSelfHosted(true) }, status: 404},
		{name: "new token", path: "sessions/?" + sessionsQuery, token: "other", setup: func(s *Server) { s.SetToken("other") }, status: 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			if tc.setup != nil {
				tc.setup(s)
			}
			token := tc.token
			switch token {
			case "":
				token = DefaultToken
			case "-":
				token = ""
			}
			status, _, body := get(t, s, orgPath+tc.path, token)
			if status != tc.status {
				t.Errorf("status %d, want %d", status, tc.status)
			}
			if tc.body != "" && string(body) != tc.body {
				t.Errorf("body %s, want %s", body, tc.body)
			}
			if calls := s.Calls(); len(calls) != 1 || calls[0].Status != tc.status {
				t.Errorf("calls %+v", calls)
			}
		})
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	reset := now.Add(30 * time.Second)
	s.Fail(RouteSessions, RateLimited(reset), ServerError(), QueryTimeout(), MalformedJSON())
	want := []struct {
		status int
		body   string
	}{
		{429, `{"detail":"You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds"}`},
		{500, `{"detail":"Internal Error","errorId":"0123456789abcdef0123456789abcdef"}`},
		{400, "Query timeout"},
		{200, `{"timeSeries":[{"values":[{"timestamp":17`},
		{200, `"intervals"`},
	}
	for i, w := range want {
		status, h, body := get(t, s, orgPath+"sessions/?"+sessionsQuery, DefaultToken)
		if status != w.status || !strings.Contains(string(body), w.body) {
			t.Errorf("request %d: %d %s, want %d with %s", i+1, status, body, w.status, w.body)
		}
		if i == 0 {
			if got := h.Get("X-Sentry-Rate-Limit-Reset"); got != "1787205630" {
				t.Errorf("X-Sentry-Rate-Limit-Reset %q", got)
			}
			if h.Get("Retry-After") != "" {
				t.Error("Sentry sends no Retry-After")
			}
		}
	}
	if s.Requests() != 5 || s.RequestsTo(RouteSessions) != 5 || s.RequestsTo(RouteIssues) != 0 {
		t.Errorf("requests %d, to sessions %d", s.Requests(), s.RequestsTo(RouteSessions))
	}
}

// TestStrict checks that the fake fails the test on requests a correct
// client never sends.
func TestStrict(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		path string
		err  string
	}{
		{name: "unknown path", path: "/api/0/organizations/acme/events/", err: "sentryfake: unexpected request GET " + Prefix + "/api/0/organizations/acme/events/"},
		{name: "path without the prefix", path: "/../api/0/organizations/acme/sessions/", err: "sentryfake: unexpected request GET /api/0/organizations/acme/sessions/"},
		{name: "missing interval", path: orgPath + "sessions/?field=count_unique(user)&start=2026-08-14T00:00:00&end=2026-08-16T00:00:00", err: `required parameter "interval" missing`},
		{name: "other field", path: orgPath + "sessions/?field=sum(session)&interval=1d&start=2026-08-14T00:00:00&end=2026-08-16T00:00:00", err: `parameter field=["sum(session)"], the fake serves only field="count_unique(user)"`},
		{name: "unknown parameter", path: orgPath + "events-timeseries/?" + eventsQuery + "&topEvents=5", err: `unexpected parameter "topEvents"`},
		{name: "statsPeriod", path: orgPath + "events-stats/?dataset=errors&yAxis=count()&interval=1d&start=2026-08-14T00:00:00&end=2026-08-17T00:00:00&statsPeriod=3d", err: `unexpected parameter "statsPeriod"`},
		{name: "not midnight", path: orgPath + "events-stats/?dataset=errors&yAxis=count()&interval=1d&start=2026-08-14T06:00:00&end=2026-08-17T00:00:00", err: "are not UTC midnights"},
		{name: "slug", path: orgPath + "events-timeseries/?" + eventsQuery + "&project=web", err: `project="web" is not a numeric id; resolve slugs first`},
		{name: "issues without statsPeriod", path: orgPath + "issues/?query=is:unresolved", err: `required parameter "statsPeriod" missing`},
		{name: "foreign cursor", path: orgPath + "issues/?" + issuesQuery + "&cursor=1722470400000:100:0", err: `cursor "1722470400000:100:0" is not one the fake gave`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{TB: t}
			s := newServer(rec)
			status, _, _ := get(t, s, tc.path, DefaultToken)
			if status < 400 {
				t.Errorf("status %d", status)
			}
			errs := rec.Errors()
			if len(errs) != 1 || !strings.Contains(errs[0], tc.err) {
				t.Errorf("test errors %q, want one with %q", errs, tc.err)
			}
		})
	}
}

// TestRetention: with 5 days of events kept at now (2026-08-20 06:00) the
// limit is 08-15 06:00. Asked for 08-14 … 08-16, events-timeseries
// answers all three buckets: 08-14 (412 + 8 events) is wholly before the
// limit, 0; 08-15 has none anyway; 08-16 is after it, 389. Asked for
// 08-13 … 08-15 (08-15 00:00 is before the limit) it refuses. Sessions,
// kept 5.5 days (limit 08-14 18:00), count a quarter of 08-14's 120
// users (the 6 hours after the limit): 30, and 6 on 08-15.
func TestRetention(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.SetRetention(5*day, 5*day+12*time.Hour)
	_, _, body := get(t, s, orgPath+"events-timeseries/?"+eventsQuery, DefaultToken)
	var ts struct {
		TimeSeries []struct{ Values []struct{ Value int64 } }
	}
	if err := json.Unmarshal(body, &ts); err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(ts.TimeSeries), "[{[{0} {0} {389}]}]"; got != want {
		t.Errorf("timeSeries %s, want %s", got, want)
	}
	old := strings.NewReplacer("start=2026-08-14", "start=2026-08-13", "end=2026-08-17", "end=2026-08-15").Replace(eventsQuery)
	for _, route := range []string{"events-timeseries", "events-stats"} {
		status, _, body := get(t, s, orgPath+route+"/?"+old, DefaultToken)
		if want := `{"detail":"Invalid date range. Please try a more recent date range."}`; status != 400 || string(body) != want {
			t.Errorf("%s outside retention: %d %s, want 400 %s", route, status, body, want)
		}
	}
	_, _, body = get(t, s, orgPath+"sessions/?"+sessionsQuery, DefaultToken)
	if !strings.Contains(string(body), `"series":{"count_unique(user)":[30,6]}`) {
		t.Errorf("sessions %s", body)
	}
	// A partly kept day of events: limit 08-16 12:00 (3.75 days before
	// now) leaves half of 08-16's 389 events, rounded down: 194.
	s.SetRetention(3*day+18*time.Hour, 0)
	_, _, body = get(t, s, orgPath+"events-timeseries/?"+strings.Replace(eventsQuery, "start=2026-08-14", "start=2026-08-16", 1), DefaultToken)
	if !strings.Contains(string(body), `"value":194`) {
		t.Errorf("partly kept day: %s", body)
	}
}

// TestGlobalViews: without the feature, a query over two projects, or
// over all (three) projects, is refused with Sentry's words; one project
// is answered.
func TestGlobalViews(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.SetGlobalViews(false)
	one := strings.Replace(eventsQuery, "&project=12", "", 1)
	all := strings.Replace(one, "project=11", "project=-1", 1)
	for _, route := range []string{"events-timeseries", "events-stats"} {
		for q, want := range map[string]int{eventsQuery: 400, all: 400, one: 200} {
			status, _, body := get(t, s, orgPath+route+"/?"+q, DefaultToken)
			if status != want {
				t.Errorf("%s?%s: %d, want %d", route, q, status, want)
			}
			if status == 400 && string(body) != `{"detail":"You cannot view events from multiple projects."}` {
				t.Errorf("%s: body %s", route, body)
			}
		}
	}
}
