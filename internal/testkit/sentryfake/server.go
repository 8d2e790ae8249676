// Package sentryfake is an in-process fake of the few Sentry Web API
// endpoints the action reads (https://docs.sentry.io/api/), for tests:
//
//	GET /api/0/organizations/{org}/projects/
//	GET /api/0/organizations/{org}/events-timeseries/
//	GET /api/0/organizations/{org}/events-stats/
//	GET /api/0/organizations/{org}/sessions/
//	GET /api/0/organizations/{org}/issues/
//
// It answers with the response shapes Sentry sends (see
// testdata/sentry/README.md), pages with Sentry's Link header
// (`<url>; rel="next"; results="true"; cursor="0:100:0"`), checks the
// bearer token and the token's scopes, and zero-fills daily series as
// Sentry does. It is mounted below a path (Prefix), as a self-hosted
// Sentry may be, so that a client that drops its base URL's path fails.
// Any other path, a method other than GET, a missing required parameter
// or one the fake does not know fails the test.
package sentryfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultToken is the token a new Server accepts.
const DefaultToken = "sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"

// DefaultOrg is the organization slug a new Server knows.
const DefaultOrg = "acme"

// Prefix is the path the API is mounted below.
const Prefix = "/sentry"

// Route names one endpoint of the fake.
type Route string

// The routes the fake serves.
const (
	RouteProjects         Route = "projects"
	RouteEventsTimeseries Route = "events-timeseries"
	RouteEventsStats      Route = "events-stats"
	RouteSessions         Route = "sessions"
	RouteIssues           Route = "issues"
)

// scopeOf is the scope each route needs for GET, as Sentry's permission
// classes say (OrganizationPermission: org:read; OrganizationEventPermission,
// used by the issues list: event:read).
var scopeOf = map[Route]string{
	RouteProjects:         "org:read",
	RouteEventsTimeseries: "org:read",
	RouteEventsStats:      "org:read",
	RouteSessions:         "org:read",
	RouteIssues:           "event:read",
}

// Project is one project of the organization.
type Project struct {
	ID   int64
	Slug string
	Name string // defaults to Slug
}

// Issue is one issue (group) of the organization.
type Issue struct {
	ID        int64
	ProjectID int64
	// Status is "unresolved", "resolved" or "ignored"; empty means
	// unresolved.
	Status string
	// Environment is where its events were seen; empty matches only a
	// request without an environment filter.
	Environment string
	// LastSeen is its last event; zero means the fake's now.
	LastSeen time.Time
	Title    string
}

// Fault is a canned answer that replaces the normal one.
type Fault struct {
	Status int // 0 means 200
	Header http.Header
	Body   string
}

// RateLimited is Sentry's answer to a client over its rate limit: 429
// with no Retry-After, and X-Sentry-Rate-Limit-Reset (epoch seconds)
// saying when the window resets.
func RateLimited(reset time.Time) Fault {
	return Fault{
		Status: http.StatusTooManyRequests,
		Header: http.Header{
			"X-Sentry-Rate-Limit-Limit":               {"40"},
			"X-Sentry-Rate-Limit-Remaining":           {"0"},
			"X-Sentry-Rate-Limit-Reset":               {strconv.FormatInt(reset.Unix(), 10)},
			"X-Sentry-Rate-Limit-Concurrentlimit":     {"25"},
			"X-Sentry-Rate-Limit-Concurrentremaining": {"24"},
		},
		Body: `{"detail":"You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds"}`,
	}
}

// ServerError is Sentry's answer when something broke on its side.
func ServerError() Fault {
	return Fault{Status: http.StatusInternalServerError, Body: `{"detail":"Internal Error","errorId":"0123456789abcdef0123456789abcdef"}`}
}

// QueryTimeout is Sentry's answer when a Snuba query ran out of time
// (handle_query_errors turns it into a ParseError: 400).
func QueryTimeout() Fault {
	return Fault{Status: http.StatusBadRequest, Body: `{"detail":"\nQuery timeout. Please try again. If the problem persists try a smaller date range or fewer projects. Also consider a\nfilter on the transaction field if you're filtering performance data.\n"}`}
}

// MalformedJSON is a 200 whose body is cut short.
func MalformedJSON() Fault {
	return Fault{Body: `{"timeSeries":[{"values":[{"timestamp":17`}
}

// Call is one request the fake received.
type Call struct {
	Route Route // "" for a path the fake does not serve
	// Path is the request's path, below Prefix.
	Path  string
	Query url.Values
	// Status is the HTTP status answered.
	Status int
}

// Server is a fake Sentry. Its methods are safe for concurrent use.
type Server struct {
	tb   testing.TB
	http *httptest.Server

	mu              sync.Mutex
	token           string
	scopes          map[string]bool
	org             string
	projects        []Project
	events          map[int64]map[string]map[string]int64 // project → environment → date → count
	users           map[string]int64
	omit            map[string]bool
	issues          []Issue
	now             time.Time
	pageSize        int
	noTimeseries    bool
	seriesPerProj   bool
	emptyBuckets    bool
	retention       time.Duration // of error events
	sessionsKept    time.Duration // of release-health sessions
	noGlobalViews   bool
	faults          map[Route][]Fault
	calls           []Call
	requestsByRoute map[Route]int
}

// New starts a fake for organization DefaultOrg accepting DefaultToken
// with the scopes org:read, event:read and project:read, and registers
// its shutdown with tb.Cleanup.
func New(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{
		tb:              tb,
		token:           DefaultToken,
		scopes:          map[string]bool{"org:read": true, "event:read": true, "project:read": true},
		org:             DefaultOrg,
		events:          map[int64]map[string]map[string]int64{},
		users:           map[string]int64{},
		omit:            map[string]bool{},
		pageSize:        100,
		retention:       DefaultRetention,
		sessionsKept:    DefaultRetention,
		faults:          map[Route][]Fault{},
		requestsByRoute: map[Route]int{},
	}
	mux := http.NewServeMux()
	for _, r := range []Route{RouteProjects, RouteEventsTimeseries, RouteEventsStats, RouteSessions, RouteIssues} {
		mux.HandleFunc(Prefix+"/api/0/organizations/{org}/"+string(r)+"/{$}", func(w http.ResponseWriter, req *http.Request) {
			s.serve(w, req, r)
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, req *http.Request) {
		tb.Errorf("sentryfake: unexpected request %s %s", req.Method, req.URL.Path)
		s.record(Call{Path: strings.TrimPrefix(req.URL.Path, Prefix), Query: req.URL.Query(), Status: http.StatusNotFound})
		writeJSON(w, http.StatusNotFound, map[string]string{"detail": "The requested resource does not exist"})
	})
	s.http = httptest.NewServer(mux)
	tb.Cleanup(s.http.Close)
	return s
}

// URL is the base URL a client should use (sentry-url): the server's
// address and Prefix.
func (s *Server) URL() string { return s.http.URL + Prefix }

// Client is an *http.Client for the fake, with a timeout.
func (s *Server) Client() *http.Client {
	c := *s.http.Client()
	c.Timeout = 10 * time.Second
	return &c
}

// SetToken sets the token the server accepts.
func (s *Server) SetToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = token
}

// SetScopes sets the scopes the accepted token has.
func (s *Server) SetScopes(scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scopes = map[string]bool{}
	for _, sc := range scopes {
		s.scopes[sc] = true
	}
}

// SetOrg sets the organization slug the server knows.
func (s *Server) SetOrg(slug string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.org = slug
}

// SetProjects sets the organization's projects, in listing order.
func (s *Server) SetProjects(projects ...Project) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.projects = slices.Clone(projects)
}

// SetEvents sets the error events of project in environment (""
// for events without one) per UTC day ("YYYY-MM-DD" → count). Days not
// given have none.
func (s *Server) SetEvents(project int64, environment string, perDay map[string]int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.events[project] == nil {
		s.events[project] = map[string]map[string]int64{}
	}
	s.events[project][environment] = cloneMap(perDay)
}

// SetUsers sets the distinct users with sessions per UTC day, for the
// whole organization. An empty map means the app sends no sessions:
// Sentry then answers "groups": []. Days not given have sessions without
// user ids (0).
func (s *Server) SetUsers(perDay map[string]int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users = cloneMap(perDay)
}

// OmitDays leaves the given UTC days out of every daily series
// (timeSeries values, events-stats data, sessions intervals), as if
// Sentry had no bucket for them.
func (s *Server) OmitDays(dates ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range dates {
		s.omit[d] = true
	}
}

// SetIssues sets the organization's issues, in listing order.
func (s *Server) SetIssues(issues ...Issue) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issues = slices.Clone(issues)
}

// SetNow sets the fake's clock (time.Now when unset): the end of the
// issues list's statsPeriod, and what makes a bucket incomplete.
func (s *Server) SetNow(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = t
}

// SetPageSize caps the items of one page of projects or issues (100 at
// first, Sentry's maximum).
func (s *Server) SetPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageSize = n
}

// SetOldSelfHosted makes events-timeseries answer 404, as a self-hosted
// Sentry older than that endpoint does; events-stats still works.
func (s *Server) SetOldSelfHosted(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noTimeseries = on
}

// SetSeriesPerProject makes events-timeseries answer one series per
// project (with groupBy), and events-stats likewise split each bucket
// into one entry per project, so that a client must add them up.
func (s *Server) SetSeriesPerProject(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seriesPerProj = on
}

// SetEmptyBuckets makes events-stats answer a day without events with an
// empty bucket ([]) instead of [{"count":0}].
func (s *Server) SetEmptyBuckets(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emptyBuckets = on
}

// DefaultRetention is the retention of a new Server: self-hosted Sentry's
// default (SENTRY_EVENT_RETENTION_DAYS, system.event-retention-days) and
// that of SaaS Team and Business plans.
const DefaultRetention = 90 * day

// SetRetention sets how long the organization's error events and its
// release-health sessions are kept (zero: forever), counted back from
// the fake's now. As Sentry does (outside_retention_with_modified_start
// in src/sentry/utils/dates.py, zerofill in src/sentry/snuba/errors.py),
// the events endpoints move a query's start to now − events, count only
// what follows, and still answer a bucket for every day asked: the days
// before are zeros and the day the limit falls in is counted in part
// (here: its events times the share of the day after the limit, rounded
// down); a range that ends before the limit is refused with 400 "Invalid
// date range. Please try a more recent date range." Sessions are not
// refused: their days before now − sessions are zeros (the metrics
// behind them are gone, and run_sessions_query in
// src/sentry/release_health/metrics_sessions_v2.py fills count_unique
// with 0), the day of the limit in part.
func (s *Server) SetRetention(events, sessions time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retention, s.sessionsKept = events, sessions
}

// SetGlobalViews turns the organizations:global-views feature on (as at
// first) or off. Without it, as on older self-hosted servers, the events
// endpoints refuse a query over more than one project (project=-1 with
// several projects included) with 400 "You cannot view events from
// multiple projects." (OrganizationEventsEndpointBase.get_snuba_params in
// src/sentry/api/bases/organization_events.py).
func (s *Server) SetGlobalViews(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noGlobalViews = !on
}

// Fail queues faults on route: each answers one request to it, in
// order, in place of the normal answer (before the token is checked).
func (s *Server) Fail(route Route, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[route] = append(s.faults[route], faults...)
}

// Requests counts every request received, faults and refusals included.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

// RequestsTo counts the requests to route.
func (s *Server) RequestsTo(route Route) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requestsByRoute[route]
}

// Calls lists every request received, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	if c.Route != "" {
		s.requestsByRoute[c.Route]++
	}
}

func (s *Server) clock() time.Time {
	if s.now.IsZero() {
		return time.Now().UTC()
	}
	return s.now.UTC()
}

// serve answers one request to route: fault, method, token, organization,
// scope, parameters, then the route's handler.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, route Route) {
	call := Call{Route: route, Path: strings.TrimPrefix(r.URL.Path, Prefix), Query: r.URL.Query()}
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	s.answer(sw, r, route)
	call.Status = sw.status
	s.record(call)
}

func (s *Server) answer(w http.ResponseWriter, r *http.Request, route Route) int {
	s.mu.Lock()
	var fault *Fault
	if q := s.faults[route]; len(q) > 0 {
		fault = &q[0]
		s.faults[route] = q[1:]
	}
	token, scopes, org, noTimeseries := s.token, s.scopes, s.org, s.noTimeseries
	s.mu.Unlock()

	if fault != nil {
		for k, vs := range fault.Header {
			w.Header()[k] = vs
		}
		status := fault.Status
		if status == 0 {
			status = http.StatusOK
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, fault.Body)
		return status
	}
	if r.Method != http.MethodGet {
		s.tb.Errorf("sentryfake: %s %s: only GET is served", r.Method, r.URL.Path)
		return writeDetail(w, http.StatusMethodNotAllowed, `Method "`+r.Method+`" not allowed.`)
	}
	if route == RouteEventsTimeseries && noTimeseries {
		// An older self-hosted Sentry has no such route: its catch-all
		// answers 404 with an empty body.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		return http.StatusNotFound
	}
	auth := r.Header.Get("Authorization")
	switch {
	case auth == "":
		return writeDetail(w, http.StatusUnauthorized, "Authentication credentials were not provided.")
	case !strings.HasPrefix(auth, "Bearer "):
		s.tb.Errorf("sentryfake: %s: Authorization is not a bearer token", r.URL.Path)
		return writeDetail(w, http.StatusUnauthorized, "Invalid token header. No credentials provided.")
	case strings.TrimPrefix(auth, "Bearer ") != token:
		return writeDetail(w, http.StatusUnauthorized, "Invalid token")
	}
	if r.PathValue("org") != org {
		return writeDetail(w, http.StatusNotFound, "The requested resource does not exist")
	}
	if !scopes[scopeOf[route]] {
		return writeDetail(w, http.StatusForbidden, "You do not have permission to perform this action.")
	}
	s.setRateLimitHeaders(w)
	switch route {
	case RouteProjects:
		return s.serveProjects(w, r)
	case RouteEventsTimeseries:
		return s.serveTimeseries(w, r)
	case RouteEventsStats:
		return s.serveEventsStats(w, r)
	case RouteSessions:
		return s.serveSessions(w, r)
	case RouteIssues:
		return s.serveIssues(w, r)
	}
	return http.StatusInternalServerError
}

// setRateLimitHeaders adds the headers Sentry's rate-limit middleware
// puts on every answer.
func (s *Server) setRateLimitHeaders(w http.ResponseWriter) {
	s.mu.Lock()
	now := s.clock()
	s.mu.Unlock()
	h := w.Header()
	h.Set("X-Sentry-Rate-Limit-Limit", "40")
	h.Set("X-Sentry-Rate-Limit-Remaining", "39")
	h.Set("X-Sentry-Rate-Limit-Reset", strconv.FormatInt(now.Unix()+1, 10))
	h.Set("X-Sentry-Rate-Limit-Concurrentlimit", "25")
	h.Set("X-Sentry-Rate-Limit-Concurrentremaining", "24")
}

func writeDetail(w http.ResponseWriter, status int, detail string) int {
	writeJSON(w, status, map[string]string{"detail": detail})
	return status
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func cloneMap(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
