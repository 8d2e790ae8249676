package sentryapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/testkit/sentryfake"
	"github.com/google/go-cmp/cmp"
)

// missing marks a day Sentry did not report, in days(...).
var missing any = nil

func TestDailyErrorEvents(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// setup configures the fake beyond the common events.
		setup   func(s *sentryfake.Server)
		q       Query
		start   time.Time
		end     time.Time
		exp     []Day
		routes  []sentryfake.Route // requests sent, in order
		project []string           // project parameters sent
	}{
		{
			// web: 412 + 8 on the 14th (staging's 1000 filtered out),
			// nothing on the 15th, 389 + 11 on the 16th.
			name:    "two projects in production",
			q:       Query{Org: "acme", Projects: []int64{11, 12}, Environment: "production", Query: "level:error"},
			start:   utc(14),
			end:     utc(17),
			exp:     days("2026-08-14", 420, "2026-08-15", 0, "2026-08-16", 400),
			routes:  []sentryfake.Route{sentryfake.RouteEventsTimeseries},
			project: []string{"11", "12"},
		},
		{
			name:    "one project, every environment",
			q:       Query{Org: "acme", Projects: []int64{11}},
			start:   utc(14),
			end:     utc(16),
			exp:     days("2026-08-14", 1412, "2026-08-15", 0),
			routes:  []sentryfake.Route{sentryfake.RouteEventsTimeseries},
			project: []string{"11"},
		},
		{
			// 1412 + 8 on the 14th; 389 + 11 + 2 (web, no environment) on the 16th.
			name:    "all projects",
			q:       Query{Org: "acme"},
			start:   utc(14),
			end:     utc(17),
			exp:     days("2026-08-14", 1420, "2026-08-15", 0, "2026-08-16", 402),
			routes:  []sentryfake.Route{sentryfake.RouteEventsTimeseries},
			project: []string{"-1"},
		},
		{
			name:    "a day missing from the series",
			setup:   func(s *sentryfake.Server) { s.OmitDays("2026-08-15") },
			q:       Query{Org: "acme", Projects: []int64{11, 12}, Environment: "production"},
			start:   utc(14),
			end:     utc(17),
			exp:     days("2026-08-14", 420, "2026-08-15", missing, "2026-08-16", 400),
			routes:  []sentryfake.Route{sentryfake.RouteEventsTimeseries},
			project: []string{"11", "12"},
		},
		{
			name:    "one series per project, summed",
			setup:   func(s *sentryfake.Server) { s.SetSeriesPerProject(true) },
			q:       Query{Org: "acme", Projects: []int64{11, 12}, Environment: "production"},
			start:   utc(14),
			end:     utc(17),
			exp:     days("2026-08-14", 420, "2026-08-15", 0, "2026-08-16", 400),
			routes:  []sentryfake.Route{sentryfake.RouteEventsTimeseries},
			project: []string{"11", "12"},
		},
		{
			// The run happens 30 s after midnight: Sentry still calls
			// the 16th's bucket incomplete.
			name:    "incomplete bucket",
			setup:   func(s *sentryfake.Server) { s.SetNow(utc(17).Add(30 * time.Second)) },
			q:       Query{Org: "acme", Projects: []int64{11, 12}, Environment: "production"},
			start:   utc(14),
			end:     utc(17),
			exp:     days("2026-08-14", 420, "2026-08-15", 0, "2026-08-16", missing),
			routes:  []sentryfake.Route{sentryfake.RouteEventsTimeseries},
			project: []string{"11", "12"},
		},
		{
			name:    "old self-hosted: events-stats",
			setup:   func(s *sentryfake.Server) { s.SetOldSelfHosted(true) },
			q:       Query{Org: "acme", Projects: []int64{11, 12}, Environment: "production"},
			start:   utc(14),
			end:     utc(17),
			exp:     days("2026-08-14", 420, "2026-08-15", 0, "2026-08-16", 400),
			routes:  []sentryfake.Route{sentryfake.RouteEventsTimeseries, sentryfake.RouteEventsStats},
			project: []string{"11", "12", "11", "12"},
		},
		{
			name: "old self-hosted: empty buckets are zero, split buckets summed",
			setup: func(s *sentryfake.Server) {
				s.SetOldSelfHosted(true)
				s.SetEmptyBuckets(true)
				s.SetSeriesPerProject(true)
			},
			q:       Query{Org: "acme", Projects: []int64{11, 12}, Environment: "production"},
			start:   utc(14),
			end:     utc(17),
			exp:     days("2026-08-14", 420, "2026-08-15", 0, "2026-08-16", 400),
			routes:  []sentryfake.Route{sentryfake.RouteEventsTimeseries, sentryfake.RouteEventsStats},
			project: []string{"11", "12", "11", "12"},
		},
		{
			name: "events-timeseries without the errors dataset: events-stats",
			setup: func(s *sentryfake.Server) {
				s.Fail(sentryfake.RouteEventsTimeseries, sentryfake.Fault{Status: 400, Body: `{"detail":"dataset must be one of: logs, profile_functions, spans, uptime_results"}`})
			},
			q:       Query{Org: "acme", Projects: []int64{11, 12}, Environment: "production"},
			start:   utc(14),
			end:     utc(17),
			exp:     days("2026-08-14", 420, "2026-08-15", 0, "2026-08-16", 400),
			routes:  []sentryfake.Route{sentryfake.RouteEventsTimeseries, sentryfake.RouteEventsStats},
			project: []string{"11", "12", "11", "12"},
		},
		{
			name: "old self-hosted: a day missing",
			setup: func(s *sentryfake.Server) {
				s.SetOldSelfHosted(true)
				s.OmitDays("2026-08-16")
			},
			q:       Query{Org: "acme", Projects: []int64{12}, Environment: "production"},
			start:   utc(14),
			end:     utc(17),
			exp:     days("2026-08-14", 8, "2026-08-15", 0, "2026-08-16", missing),
			routes:  []sentryfake.Route{sentryfake.RouteEventsTimeseries, sentryfake.RouteEventsStats},
			project: []string{"12", "12"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, c, sl := setup(t)
			s.SetEvents(11, "production", map[string]int64{"2026-08-14": 412, "2026-08-16": 389})
			s.SetEvents(11, "staging", map[string]int64{"2026-08-14": 1000})
			s.SetEvents(11, "", map[string]int64{"2026-08-16": 2})
			s.SetEvents(12, "production", map[string]int64{"2026-08-14": 8, "2026-08-16": 11})
			if tc.setup != nil {
				tc.setup(s)
			}
			got, err := c.DailyErrorEvents(t.Context(), tc.q, tc.start, tc.end)
			if err != nil {
				t.Fatalf("DailyErrorEvents: %v", err)
			}
			if diff := cmp.Diff(tc.exp, got); diff != "" {
				t.Errorf("DailyErrorEvents (-want +got):\n%s", diff)
			}
			var routes []sentryfake.Route
			var projects []string
			for _, call := range s.Calls() {
				routes = append(routes, call.Route)
				projects = append(projects, call.Query["project"]...)
				if call.Route == sentryfake.RouteEventsStats && call.Status != 200 {
					t.Errorf("events-stats answered %d", call.Status)
				}
				want := url.Values{
					"dataset": {"errors"}, "yAxis": {"count()"}, "interval": {"1d"},
					"start": {tc.start.Format("2006-01-02T15:04:05Z")}, "end": {tc.end.Format("2006-01-02T15:04:05Z")},
				}
				if tc.q.Environment != "" {
					want["environment"] = []string{tc.q.Environment}
				}
				if tc.q.Query != "" {
					want["query"] = []string{tc.q.Query}
				}
				gotQ := call.Query
				delete(gotQ, "project")
				if diff := cmp.Diff(want, gotQ); diff != "" {
					t.Errorf("%s parameters (-want +got):\n%s", call.Route, diff)
				}
			}
			if diff := cmp.Diff(tc.routes, routes); diff != "" {
				t.Errorf("routes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.project, projects); diff != "" {
				t.Errorf("project parameters (-want +got):\n%s", diff)
			}
			if c.Requests != len(tc.routes) {
				t.Errorf("client counted %d requests, want %d", c.Requests, len(tc.routes))
			}
			if w := sl.Waits(); len(w) != 0 {
				t.Errorf("waited %v", w)
			}
		})
	}
}

func TestDailyErrorEventsRemembersFallback(t *testing.T) {
	t.Parallel()
	s, c, _ := setup(t)
	s.SetOldSelfHosted(true)
	s.SetEvents(12, "", map[string]int64{"2026-08-14": 5})
	q := Query{Org: "acme", Projects: []int64{12}}
	for range 2 {
		got, err := c.DailyErrorEvents(t.Context(), q, utc(14), utc(15))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(days("2026-08-14", 5), got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
	if got, want := s.RequestsTo(sentryfake.RouteEventsTimeseries), 1; got != want {
		t.Errorf("events-timeseries asked %d times, want %d", got, want)
	}
	if got, want := s.RequestsTo(sentryfake.RouteEventsStats), 2; got != want {
		t.Errorf("events-stats asked %d times, want %d", got, want)
	}
}

func TestDailyErrorEventsNoFallbackAfterUnknownOrg(t *testing.T) {
	t.Parallel()
	s, c, _ := setup(t)
	s.SetEvents(12, "", map[string]int64{"2026-08-14": 5})
	if _, err := c.DailyErrorEvents(t.Context(), Query{Org: "typo"}, utc(14), utc(15)); err == nil {
		t.Fatal("no error for an unknown organization")
	}
	got, err := c.DailyErrorEvents(t.Context(), Query{Org: "acme", Projects: []int64{12}}, utc(14), utc(15))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(days("2026-08-14", 5), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var routes []sentryfake.Route
	for _, call := range s.Calls() {
		routes = append(routes, call.Route)
	}
	want := []sentryfake.Route{sentryfake.RouteEventsTimeseries, sentryfake.RouteEventsStats, sentryfake.RouteEventsTimeseries}
	if diff := cmp.Diff(want, routes); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
}

func TestDailyActiveUsers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		users map[string]int64
		omit  []string
		q     Query
		exp   []Day
	}{
		{
			name:  "several days, a zero and an unlisted day",
			users: map[string]int64{"2026-08-14": 120, "2026-08-15": 0, "2026-08-17": 95},
			q:     Query{Org: "acme", Projects: []int64{11, 12}, Environment: "production", Query: "level:error"},
			exp:   days("2026-08-14", 120, "2026-08-15", 0, "2026-08-16", 0, "2026-08-17", 95),
		},
		{
			name:  "a day missing from the intervals",
			users: map[string]int64{"2026-08-14": 120, "2026-08-15": 7, "2026-08-16": 130, "2026-08-17": 95},
			omit:  []string{"2026-08-15"},
			q:     Query{Org: "acme"},
			exp:   days("2026-08-14", 120, "2026-08-15", missing, "2026-08-16", 130, "2026-08-17", 95),
		},
		{
			name:  "no sessions at all: groups []",
			users: nil,
			q:     Query{Org: "acme", Projects: []int64{11}},
			exp:   days("2026-08-14", missing, "2026-08-15", missing, "2026-08-16", missing, "2026-08-17", missing),
		},
		{
			name:  "sessions without user ids: zeros",
			users: map[string]int64{"2026-08-01": 3},
			q:     Query{Org: "acme", Projects: []int64{11}},
			exp:   days("2026-08-14", 0, "2026-08-15", 0, "2026-08-16", 0, "2026-08-17", 0),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, c, _ := setup(t)
			s.SetUsers(tc.users)
			s.OmitDays(tc.omit...)
			got, err := c.DailyActiveUsers(t.Context(), tc.q, utc(14), utc(18))
			if err != nil {
				t.Fatalf("DailyActiveUsers: %v", err)
			}
			if diff := cmp.Diff(tc.exp, got); diff != "" {
				t.Errorf("DailyActiveUsers (-want +got):\n%s", diff)
			}
			calls := s.Calls()
			if len(calls) != 1 {
				t.Fatalf("%d requests, want 1", len(calls))
			}
			want := url.Values{
				"field": {"count_unique(user)"}, "interval": {"1d"},
				"start": {"2026-08-14T00:00:00Z"}, "end": {"2026-08-18T00:00:00Z"},
			}
			if len(tc.q.Projects) == 0 {
				want["project"] = []string{"-1"}
			}
			for _, p := range tc.q.Projects {
				want["project"] = append(want["project"], fmt.Sprint(p))
			}
			if tc.q.Environment != "" {
				want["environment"] = []string{tc.q.Environment}
			}
			// q.Query searches error events; sessions do not take it.
			if diff := cmp.Diff(want, calls[0].Query); diff != "" {
				t.Errorf("sessions parameters (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolveProjects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		in       []string
		exp      []int64
		err      string
		requests int
	}{
		{name: "ids pass through without a request", in: []string{"42", "7", "42"}, exp: []int64{42, 7}, requests: 0},
		{name: "slugs on several pages", in: []string{"mobile", "web", "Billing"}, exp: []int64{15, 11, 14}, requests: 3},
		{name: "mixed, listed once", in: []string{"api", "99", " web ", ""}, exp: []int64{12, 99, 11}, requests: 3},
		{name: "none", in: nil, exp: nil, requests: 0},
		{
			name:     "unknown slug",
			in:       []string{"web", "frontend"},
			err:      `sentry-projects: project "frontend" was not found in Sentry organization "acme" (the sentry-token can see web, api, worker, billing, mobile)`,
			requests: 3,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, c, _ := setup(t)
			s.SetProjects(
				sentryfake.Project{ID: 11, Slug: "web"},
				sentryfake.Project{ID: 12, Slug: "api"},
				sentryfake.Project{ID: 13, Slug: "worker"},
				sentryfake.Project{ID: 14, Slug: "billing"},
				sentryfake.Project{ID: 15, Slug: "mobile"},
			)
			s.SetPageSize(2)
			got, err := c.ResolveProjects(t.Context(), "acme", tc.in)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("ResolveProjects error:\n got %v\nwant %s", err, tc.err)
				}
			} else if err != nil {
				t.Fatalf("ResolveProjects: %v", err)
			}
			if diff := cmp.Diff(tc.exp, got); diff != "" {
				t.Errorf("ResolveProjects (-want +got):\n%s", diff)
			}
			if s.Requests() != tc.requests || c.Requests != tc.requests {
				t.Errorf("requests: fake %d, client %d; want %d", s.Requests(), c.Requests, tc.requests)
			}
			for i, call := range s.Calls() {
				if got, want := call.Query.Get("per_page"), "100"; got != want {
					t.Errorf("request %d: per_page=%q, want %q", i, got, want)
				}
				if wantCursor := map[int]string{0: "", 1: "0:2:0", 2: "0:4:0"}[i]; call.Query.Get("cursor") != wantCursor {
					t.Errorf("request %d: cursor=%q, want %q", i, call.Query.Get("cursor"), wantCursor)
				}
			}
		})
	}
}

func TestUnresolvedIssues(t *testing.T) {
	t.Parallel()
	s, c, _ := setup(t)
	var issues []sentryfake.Issue
	// 250 unresolved issues with recent events in web and api: counted.
	for i := range 250 {
		issues = append(issues, sentryfake.Issue{ID: int64(1000 + i), ProjectID: []int64{11, 12}[i%2], Environment: "production", LastSeen: now.Add(-time.Duration(i) * time.Hour)})
	}
	// Not counted: resolved, ignored, seen before the 14-day window,
	// in another environment, in a project not asked.
	issues = append(issues,
		sentryfake.Issue{ID: 1, ProjectID: 11, Status: "resolved", Environment: "production"},
		sentryfake.Issue{ID: 2, ProjectID: 11, Status: "ignored", Environment: "production"},
		sentryfake.Issue{ID: 3, ProjectID: 12, Environment: "production", LastSeen: now.AddDate(0, 0, -15)},
		sentryfake.Issue{ID: 4, ProjectID: 12, Environment: "staging"},
		sentryfake.Issue{ID: 5, ProjectID: 13, Environment: "production"},
	)
	s.SetProjects(
		sentryfake.Project{ID: 11, Slug: "web"},
		sentryfake.Project{ID: 12, Slug: "api"},
		sentryfake.Project{ID: 13, Slug: "worker"},
	)
	s.SetIssues(issues...)
	n, window, err := c.UnresolvedIssues(t.Context(), Query{Org: "acme", Projects: []int64{11, 12}, Environment: "production", Query: "level:error"})
	if err != nil {
		t.Fatalf("UnresolvedIssues: %v", err)
	}
	if n != 250 || window != "14d" {
		t.Errorf("UnresolvedIssues = %d, %q; want 250, \"14d\"", n, window)
	}
	calls := s.Calls()
	if len(calls) != 3 {
		t.Fatalf("%d requests, want 3 pages", len(calls))
	}
	for i, call := range calls {
		want := url.Values{
			"query": {"is:unresolved level:error"}, "statsPeriod": {"14d"}, "limit": {"100"},
			"project": {"11", "12"}, "environment": {"production"},
			"collapse": {"stats", "lifetime", "filtered", "unhandled"},
		}
		if i > 0 {
			want["cursor"] = []string{fmt.Sprintf("0:%d:0", 100*i)}
		}
		if diff := cmp.Diff(want, call.Query); diff != "" {
			t.Errorf("page %d parameters (-want +got):\n%s", i+1, diff)
		}
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		faults []sentryfake.Fault
		waits  []time.Duration
	}{
		{name: "429 then success waits until the reset", faults: []sentryfake.Fault{sentryfake.RateLimited(now.Add(30 * time.Second))}, waits: []time.Duration{30 * time.Second}},
		{name: "429 with a reset already past waits a second", faults: []sentryfake.Fault{sentryfake.RateLimited(now.Add(-5 * time.Second))}, waits: []time.Duration{time.Second}},
		{name: "500 then success", faults: []sentryfake.Fault{sentryfake.ServerError()}, waits: []time.Duration{2 * time.Second}},
		{name: "query timeout then success", faults: []sentryfake.Fault{sentryfake.QueryTimeout()}, waits: []time.Duration{2 * time.Second}},
		{name: "backing off doubles", faults: []sentryfake.Fault{sentryfake.ServerError(), {Status: 502}, sentryfake.QueryTimeout()}, waits: []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second}},
		{name: "429 without reset backs off", faults: []sentryfake.Fault{{Status: 429, Body: `{"detail":"Query timeout. Please try again."}`}}, waits: []time.Duration{2 * time.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, c, sl := setup(t)
			s.SetUsers(map[string]int64{"2026-08-14": 120})
			s.Fail(sentryfake.RouteSessions, tc.faults...)
			start := time.Now()
			got, err := c.DailyActiveUsers(t.Context(), Query{Org: "acme", Projects: []int64{11}}, utc(14), utc(15))
			if err != nil {
				t.Fatalf("DailyActiveUsers: %v", err)
			}
			if diff := cmp.Diff(days("2026-08-14", 120), got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.waits, sl.Waits()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if want := len(tc.faults) + 1; s.Requests() != want || c.Requests != want {
				t.Errorf("requests: fake %d, client %d; want %d", s.Requests(), c.Requests, want)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s: the client slept for real", d)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	const wrongToken = "sntryu_wrong_0000000000000000000000000000000000000000000000000000"
	q := Query{Org: "acme", Projects: []int64{11}}
	events := func(c *Client) error {
		_, err := c.DailyErrorEvents(context.Background(), q, utc(14), utc(15))
		return err
	}
	sessions := func(c *Client) error {
		_, err := c.DailyActiveUsers(context.Background(), q, utc(14), utc(15))
		return err
	}
	issues := func(c *Client) error {
		_, _, err := c.UnresolvedIssues(context.Background(), q)
		return err
	}
	projects := func(c *Client) error {
		_, err := c.ResolveProjects(context.Background(), "acme", []string{"web"})
		return err
	}
	cases := []struct {
		name     string
		setup    func(s *sentryfake.Server, c *Client)
		do       func(c *Client) error
		status   int // 0: not an *Error
		exp      string
		requests int
	}{
		{
			name:     "bad token",
			setup:    func(s *sentryfake.Server, c *Client) { c.Token = wrongToken },
			do:       sessions,
			status:   401,
			exp:      `sentry: count the active users (sessions) of organization "acme": the sentry-token is invalid or expired (Sentry answered 401); create a new auth token with the org:read and event:read scopes; Sentry said: "Invalid token"`,
			requests: 1,
		},
		{
			name:     "missing event:read for the issues list",
			setup:    func(s *sentryfake.Server, c *Client) { s.SetScopes("org:read") },
			do:       issues,
			status:   403,
			exp:      `sentry: list the unresolved issues of organization "acme": the sentry-token may not do this (Sentry answered 403): it needs the event:read scope and access to project ids 11 in organization "acme"; the action needs a token with org:read and event:read; Sentry said: "You do not have permission to perform this action."`,
			requests: 1,
		},
		{
			name:     "missing org:read for events",
			setup:    func(s *sentryfake.Server, c *Client) { s.SetScopes("event:read") },
			do:       events,
			status:   403,
			exp:      `sentry: count the error events of organization "acme": the sentry-token may not do this (Sentry answered 403): it needs the org:read scope and access to project ids 11 in organization "acme"; the action needs a token with org:read and event:read; Sentry said: "You do not have permission to perform this action."`,
			requests: 1,
		},
		{
			name:     "missing org:read for projects",
			setup:    func(s *sentryfake.Server, c *Client) { s.SetScopes("event:read") },
			do:       projects,
			status:   403,
			exp:      `sentry: list the projects of organization "acme": the sentry-token may not do this (Sentry answered 403): it needs the org:read scope in organization "acme"; the action needs a token with org:read and event:read; Sentry said: "You do not have permission to perform this action."`,
			requests: 1,
		},
		{
			name:     "unknown organization",
			setup:    func(s *sentryfake.Server, c *Client) { s.SetOrg("acme-corp") },
			do:       sessions,
			status:   404,
			exp:      `sentry: count the active users (sessions) of organization "acme": organization "acme" was not found at BASE (Sentry answered 404); check sentry-org (the organization slug) and sentry-url (self-hosted or regional host); Sentry said: "The requested resource does not exist"`,
			requests: 1,
		},
		{
			// events-timeseries 404s, and so does the events-stats fallback.
			name:     "unknown organization, events",
			setup:    func(s *sentryfake.Server, c *Client) { s.SetOrg("acme-corp") },
			do:       events,
			status:   404,
			exp:      `sentry: count the error events of organization "acme" (events-stats): organization "acme" was not found at BASE (Sentry answered 404); check sentry-org (the organization slug) and sentry-url (self-hosted or regional host); Sentry said: "The requested resource does not exist"`,
			requests: 2,
		},
		{
			name: "unknown project id",
			setup: func(s *sentryfake.Server, c *Client) {
				s.SetProjects(sentryfake.Project{ID: 12, Slug: "api"})
			},
			do:       sessions,
			status:   403,
			exp:      `sentry: count the active users (sessions) of organization "acme": the sentry-token may not do this (Sentry answered 403): it needs the org:read scope and access to project ids 11 in organization "acme"; the action needs a token with org:read and event:read; Sentry said: "You do not have permission to perform this action."`,
			requests: 1,
		},
		{
			name: "rate limited beyond the wait budget",
			setup: func(s *sentryfake.Server, c *Client) {
				s.Fail(sentryfake.RouteSessions, sentryfake.RateLimited(now.Add(11*time.Minute)))
			},
			do:       sessions,
			status:   429,
			exp:      `sentry: count the active users (sessions) of organization "acme": Sentry's rate limit is exhausted until 2026-08-20T06:11:00Z, beyond the wait budget of 10m0s; run later or raise max-wait; Sentry said: "You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds"`,
			requests: 1,
		},
		{
			name: "server errors until the attempts run out",
			setup: func(s *sentryfake.Server, c *Client) {
				for range 5 {
					s.Fail(sentryfake.RouteIssues, sentryfake.ServerError())
				}
			},
			do:       issues,
			status:   500,
			exp:      `sentry: list the unresolved issues of organization "acme": Sentry answered 500 (server error); Sentry said: "Internal Error" (after 5 attempts)`,
			requests: 5,
		},
		{
			name: "server errors beyond the wait budget",
			setup: func(s *sentryfake.Server, c *Client) {
				c.MaxWait = 5 * time.Second // 2 s, then 4 s would exceed it
				s.Fail(sentryfake.RouteIssues, sentryfake.ServerError(), sentryfake.ServerError())
			},
			do:       issues,
			status:   500,
			exp:      `sentry: list the unresolved issues of organization "acme": Sentry answered 500 (server error); Sentry said: "Internal Error" (after 2 attempts; waiting to retry would exceed the wait budget of 5s)`,
			requests: 2,
		},
		{
			name: "bad request is not retried",
			setup: func(s *sentryfake.Server, c *Client) {
				s.Fail(sentryfake.RouteIssues, sentryfake.Fault{Status: 400, Body: `{"detail":"Error parsing search query: Invalid value"}`})
			},
			do:       issues,
			status:   400,
			exp:      `sentry: list the unresolved issues of organization "acme": Sentry rejected the request (400); Sentry said: "Error parsing search query: Invalid value"`,
			requests: 1,
		},
		{
			name: "malformed JSON",
			setup: func(s *sentryfake.Server, c *Client) {
				s.Fail(sentryfake.RouteEventsTimeseries, sentryfake.MalformedJSON())
			},
			do:       events,
			exp:      `sentry: count the error events of organization "acme": the answer is not the JSON Sentry sends (unexpected end of JSON input); check that sentry-url (BASE) is a Sentry server`,
			requests: 1,
		},
		{
			name: "an HTML page",
			setup: func(s *sentryfake.Server, c *Client) {
				s.Fail(sentryfake.RouteSessions, sentryfake.Fault{Body: "<!doctype html><title>Login</title>"})
			},
			do:       sessions,
			exp:      `sentry: count the active users (sessions) of organization "acme": the answer is not the JSON Sentry sends (invalid character '<' looking for beginning of value); check that sentry-url (BASE) is a Sentry server`,
			requests: 1,
		},
		{
			name: "a server that echoes the token",
			setup: func(s *sentryfake.Server, c *Client) {
				s.Fail(sentryfake.RouteSessions, sentryfake.Fault{Status: 400, Body: `{"detail":"bad header Bearer ` + sentryfake.DefaultToken + `"}`})
			},
			do:       sessions,
			status:   400,
			exp:      `sentry: count the active users (sessions) of organization "acme": Sentry rejected the request (400); Sentry said: "bad header Bearer [sentry-token]"`,
			requests: 1,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, c, _ := setup(t)
			tc.setup(s, c)
			token := c.Token
			err := tc.do(c)
			if err == nil {
				t.Fatal("no error")
			}
			exp := strings.ReplaceAll(tc.exp, "BASE", s.URL())
			if err.Error() != exp {
				t.Errorf("error:\n got %s\nwant %s", err, exp)
			}
			if strings.Contains(err.Error(), token) || strings.Contains(fmt.Sprintf("%+v", err), token) {
				t.Errorf("the token appears in the error: %s", err)
			}
			var e *Error
			if ok := asError(err, &e); ok != (tc.status != 0) || (ok && e.Status != tc.status) {
				t.Errorf("error %T %v: want *Error with status %d", err, err, tc.status)
			}
			if s.Requests() != tc.requests || c.Requests != tc.requests {
				t.Errorf("requests: fake %d, client %d; want %d", s.Requests(), c.Requests, tc.requests)
			}
		})
	}
}

// TestTokenNeverInTransportErrors makes sure a transport error that
// quotes the request (as a proxy or a custom RoundTripper might) does not
// leak the token.
func TestTokenNeverInTransportErrors(t *testing.T) {
	t.Parallel()
	const token = "sntryu_secret_value_0000000000000000000000000000000000000000000000"
	sl := &sleeper{}
	c := &Client{
		BaseURL: "https://sentry.example",
		Token:   token,
		HTTP: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return nil, fmt.Errorf("proxy refused request with %s", r.Header.Get("Authorization"))
		})},
		Sleep: sl.Sleep,
		Now:   func() time.Time { return now },
	}
	_, err := c.DailyActiveUsers(t.Context(), Query{Org: "acme"}, utc(14), utc(15))
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), token) {
		t.Errorf("the token appears in the error: %s", err)
	}
	if !strings.Contains(err.Error(), "proxy refused request with Bearer [sentry-token]") {
		t.Errorf("error %q lost its cause", err)
	}
	// Network errors are retried like 5xx answers.
	if diff := cmp.Diff([]time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second}, sl.Waits()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestBadRange(t *testing.T) {
	t.Parallel()
	s, c, _ := setup(t)
	cases := []struct {
		name       string
		start, end time.Time
		exp        string
	}{
		{"not midnight", utc(14).Add(time.Hour), utc(15), "sentry: start 2026-08-14T01:00:00Z and end 2026-08-15T00:00:00Z must be UTC midnights"},
		{"not UTC", time.Date(2026, 8, 14, 0, 0, 0, 0, time.FixedZone("CEST", 2*3600)), utc(15), "sentry: start 2026-08-14T00:00:00+02:00 and end 2026-08-15T00:00:00Z must be UTC midnights"},
		{"empty", utc(15), utc(15), "sentry: start 2026-08-15 is not before end 2026-08-15"},
	}
	for _, tc := range cases {
		_, err := c.DailyErrorEvents(t.Context(), Query{Org: "acme"}, tc.start, tc.end)
		if err == nil || err.Error() != tc.exp {
			t.Errorf("%s: DailyErrorEvents error %v, want %s", tc.name, err, tc.exp)
		}
		_, err = c.DailyActiveUsers(t.Context(), Query{Org: "acme"}, tc.start, tc.end)
		if err == nil || err.Error() != tc.exp {
			t.Errorf("%s: DailyActiveUsers error %v, want %s", tc.name, err, tc.exp)
		}
	}
	if s.Requests() != 0 {
		t.Errorf("%d requests sent for bad ranges", s.Requests())
	}
}

func TestNextCursor(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		link   []string
		cursor string
		ok     bool
	}{
		{
			name:   "Sentry's header, more results",
			link:   []string{`<https://sentry.io/api/0/organizations/acme/issues/?query=is%3Aunresolved&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", <https://sentry.io/api/0/organizations/acme/issues/?query=is%3Aunresolved&cursor=1722470400000:100:0>; rel="next"; results="true"; cursor="1722470400000:100:0"`},
			cursor: "1722470400000:100:0", ok: true,
		},
		{
			name: "last page",
			link: []string{`<https://sentry.io/x/?cursor=0:0:1>; rel="previous"; results="true"; cursor="0:0:1", <https://sentry.io/x/?cursor=0:200:0>; rel="next"; results="false"; cursor="0:200:0"`},
			ok:   false,
		},
		{
			name:   "cursor only in the URL, a comma in it",
			link:   []string{`<https://sentry.io/x/?a=1,2&cursor=0%3A100%3A0>; rel="next"; results="true"`},
			cursor: "0:100:0", ok: true,
		},
		{
			name:   "two header lines, unquoted values",
			link:   []string{`<https://sentry.io/x/?cursor=0:0:1>; rel=previous; results=false`, `<https://sentry.io/x/?cursor=0:5:0>; rel=next; results=true; cursor=0:5:0`},
			cursor: "0:5:0", ok: true,
		},
		{name: "no header", ok: false},
		{name: "garbage", link: []string{`next please`}, ok: false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			for _, l := range tc.link {
				h.Add("Link", l)
			}
			cursor, ok := nextCursor(h)
			if cursor != tc.cursor || ok != tc.ok {
				t.Errorf("nextCursor = %q, %t; want %q, %t", cursor, ok, tc.cursor, tc.ok)
			}
		})
	}
}

func TestBaseURL(t *testing.T) {
	t.Parallel()
	// A trailing slash and spaces are tolerated; the path below the host
	// is kept (the fake lives below sentryfake.Prefix).
	s, c, _ := setup(t)
	c.BaseURL = " " + s.URL() + "/ "
	s.SetUsers(map[string]int64{"2026-08-14": 3})
	if _, err := c.DailyActiveUsers(t.Context(), Query{Org: "acme"}, utc(14), utc(15)); err != nil {
		t.Fatal(err)
	}
	if got := s.Calls()[0].Path; got != "/api/0/organizations/acme/sessions/" {
		t.Errorf("path %q", got)
	}
	if got := (&Client{}).base(); got != "https://sentry.io" {
		t.Errorf("default base %q", got)
	}
	if !slices.Equal(strings.Split(orgPath("a/b c", "issues"), "/"), []string{"", "api", "0", "organizations", "a%2Fb%20c", "issues", ""}) {
		t.Errorf("orgPath does not escape: %s", orgPath("a/b c", "issues"))
	}
}
