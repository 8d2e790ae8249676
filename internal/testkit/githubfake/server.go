// Package githubfake is an in-process fake of GitHub's GraphQL API
// (https://docs.github.com/en/graphql) and of the few REST endpoints that
// read a branch's files (https://docs.github.com/en/rest), for tests and
// benchmarks.
//
// A Server validates every query and mutation against GitHub's public
// schema (testdata/github-schema.graphql), applies GitHub's pagination
// limits and cost formula, and executes it generically against an
// in-memory model of repositories, pull requests and their review
// timelines, and of the repositories' git contents (commits, branches,
// files) that the REST endpoints read and the createCommitOnBranch
// mutation writes. Fields, routes and methods it does not model fail the
// test, so a client cannot come to rely on something the fake would get
// wrong.
package githubfake

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator"
)

// DefaultToken is the token a new Server accepts.
const DefaultToken = "ghp_githubfakeTestToken0000000000000000"

// DefaultRateLimit is the points an hour a new Server grants, as GitHub
// does for a user token.
const DefaultRateLimit = 5000

// DefaultRESTRateLimit is the REST requests an hour (resource "core") a
// new Server grants, as GitHub does for a user token.
const DefaultRESTRateLimit = 5000

// Server is a fake GitHub GraphQL endpoint. Its methods are safe for
// concurrent use.
type Server struct {
	tb     testing.TB
	http   *httptest.Server
	schema *ast.Schema

	mu        sync.Mutex
	model     *model
	token     string
	limit     int
	remaining int
	resetAt   time.Time
	strict    bool
	forbidden bool
	// teamAccess is what the token may see of teams.
	teamAccess TeamAccess
	fault      FaultFunc
	queries    map[string]parsedQuery // cache by query text
	stats      Stats

	git            map[string]*gitRepo // by lower-case "owner/name"
	beforeCommit   func(n int)
	commitRequests int // createCommitOnBranch requests since beforeCommit was set
	restLimit      int
	restRemaining  int
	restResetAt    time.Time
}

type parsedQuery struct {
	doc  *ast.QueryDocument
	errs gqlerror.List
}

// Stats is what clients asked of a Server.
type Stats struct {
	// Requests counts every POST to the GraphQL endpoint, including
	// rejected and fault-injected ones.
	Requests int
	// Points is the sum of the costs charged for executed queries.
	Points int
	// ByOperation splits Requests and Points by operation name (""
	// for anonymous operations and unreadable requests).
	ByOperation map[string]OperationStats
	// Calls lists every request in order.
	Calls []Call
	// Writes lists every createCommitOnBranch the server executed, in
	// order, refused ones included.
	Writes []Write

	// RESTRequests counts every request to a REST route the fake serves,
	// rejected ones included.
	RESTRequests int
	// REST splits RESTRequests by route, e.g.
	// "GET /repos/{owner}/{repo}/contents/{path}".
	REST map[string]int
	// RESTCalls lists every REST request in order.
	RESTCalls []RESTCall
	// RefUpdates counts the requests that tried to move a ref other than
	// with createCommitOnBranch or a fast-forward branch update (creating,
	// force-updating or deleting a ref, or the contents API's writes);
	// each also fails the test. It stays 0 in a passing test.
	RefUpdates int
	// GitDataUpdates counts the branches moved by the Git Data API (a ref
	// update with force: false that was a fast forward).
	GitDataUpdates int
	// BlobBytes counts the bytes uploaded as Git Data API blobs.
	BlobBytes int
}

// RESTCall is one request to a REST route.
type RESTCall struct {
	// Route is the route's pattern, e.g. "GET /repos/{owner}/{repo}".
	Route string
	// URL is the path and query as requested, below the API base.
	URL string
	// Accept is the request's Accept header.
	Accept string
	// Status is the HTTP status answered.
	Status int
}

// OperationStats is what was spent on one operation name.
type OperationStats struct {
	Requests int
	Points   int
}

// Call is one request to the GraphQL endpoint.
type Call struct {
	Operation string
	// Variables as sent, with numbers as json.Number.
	Variables map[string]any
	// Status is the HTTP status answered.
	Status int
	// Cost is the points charged (0 when the query was not executed).
	Cost int
	// Errors are the messages of the response's errors array.
	Errors []string
}

// Fault is a canned answer that replaces the normal one.
type Fault struct {
	Status int // 0 means 200
	Header http.Header
	Body   string
	// Points are deducted from the primary rate limit (and counted in
	// Stats.Points) when the fault is served: GitHub charges a request
	// that timed out extra points without saying how many ("If a timeout
	// occurs for any of your API requests, additional points will be
	// deducted from your primary rate limit for the next hour",
	// https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#timeouts;
	// changelog 2025-07-21 "Including timeouts in primary rate limits").
	// The answer carries no rate-limit headers, as GitHub's gateway
	// timeouts do not: a client sees the deduction in the next answer's
	// x-ratelimit-remaining.
	Points int
}

// FaultFunc decides, for the n-th request to the GraphQL endpoint
// (counting from 1) with operation name op, whether to answer with a
// Fault instead of serving it (nil: serve it). It runs before the token
// is checked and charges no points. It runs without the server's lock, so
// it may call the Server's methods, e.g. SetRepos to change the data
// between two requests.
type FaultFunc func(n int, op string) *Fault

// BadGateway is the answer GitHub gives when a query ran over its 10 s
// time limit.
func BadGateway() *Fault {
	return &Fault{Status: http.StatusBadGateway, Body: `{"data":null,"errors":[{"message":"Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include ` + "`FAKE:0000:000000`" + ` when reporting this issue."}]}`}
}

// GatewayTimeout is GitHub's answer to a query it gave up on after 10 s
// ("you may receive either a 502 or 504 status code", with the message
// "We couldn't respond to your request in time": GitHub's GraphQL rate
// limits page, Timeouts), charging points extra points for the timeout
// (see Fault.Points). The body is the one gh prints for such a 504 from
// https://api.github.com/graphql ("HTTP 504: We couldn't respond to your
// request in time. Sorry about that. Please try resubmitting your request
// and contact us if the problem persists.").
func GatewayTimeout(points int) *Fault {
	return &Fault{Status: http.StatusGatewayTimeout, Points: points,
		Body: `{"message":"We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists."}`}
}

// secondaryMessage is the message GitHub sends with a secondary rate
// limit, request id included (as quoted in Azure/azure-rest-api-specs#36378
// for https://api.github.com/graphql and semantic-release/github#867).
const secondaryMessage = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 9C31:8954C:60104B:C1D441:688BE22C."

// SecondaryRateLimit is GitHub's answer to a client that hit a secondary
// rate limit, asking it to wait retryAfter seconds (none when retryAfter
// is negative): HTTP 403 with the REST-style body, as GitHub answers
// POST /graphql too (octokit/plugin-throttling.js#438 quotes one, with
// retry-after: 60 in release-drafter/release-drafter#1018).
func SecondaryRateLimit(retryAfter int) *Fault {
	f := &Fault{
		Status: http.StatusForbidden,
		Header: http.Header{},
		Body:   `{"documentation_url":"https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits","message":"` + secondaryMessage + `"}`,
	}
	if retryAfter >= 0 {
		f.Header.Set("Retry-After", strconv.Itoa(retryAfter))
	}
	return f
}

// SecondaryRateLimitOK is the other form GitHub documents for a GraphQL
// secondary rate limit: "the response status will be 200 or 403, and you
// will receive an error message that indicates that you hit a secondary
// rate limit" (GitHub's GraphQL rate limits page, Exceeding the rate
// limit). No captured 200 body is public, so the message is the 403
// form's, in the GraphQL errors envelope every 200 error uses. retryAfter
// as for SecondaryRateLimit; with reset set (and no retry-after) the
// answer says x-ratelimit-remaining: 0 and x-ratelimit-reset: reset, the
// case GitHub's page says to wait for the reset.
func SecondaryRateLimitOK(retryAfter int, reset time.Time) *Fault {
	f := &Fault{Header: http.Header{},
		Body: `{"data":null,"errors":[{"message":"` + secondaryMessage + `"}]}`}
	if retryAfter >= 0 {
		f.Header.Set("Retry-After", strconv.Itoa(retryAfter))
	}
	if !reset.IsZero() {
		f.Header.Set("X-RateLimit-Remaining", "0")
		f.Header.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
		f.Header.Set("X-RateLimit-Resource", "graphql")
	}
	return f
}

// PrimaryRateLimited is GitHub's documented answer to a query once the
// primary rate limit is spent: HTTP 200, x-ratelimit-remaining: 0 and
// x-ratelimit-reset, and an error of type RATE_LIMITED (GitHub's GraphQL
// rate limits page, Exceeding the rate limit; the body as GitHub staff
// quote it in github/docs#22607 and gh prints it in cli/cli#8321).
func PrimaryRateLimited(reset time.Time) *Fault {
	return &Fault{Header: primaryHeaders(reset),
		Body: `{"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded for user ID 1."}]}`}
}

// PrimaryRateLimit is the same limit in the shape GitHub has also been
// seen to send: type RATE_LIMIT with code graphql_rate_limit, body
// verbatim from yanyongyu/githubkit#271 (2026-01) and
// octokit/plugin-throttling.js#824 (user id replaced).
func PrimaryRateLimit(reset time.Time) *Fault {
	return &Fault{Header: primaryHeaders(reset),
		Body: `{"errors":[{"type":"RATE_LIMIT","code":"graphql_rate_limit","message":"API rate limit already exceeded for user ID 1."}]}`}
}

func primaryHeaders(reset time.Time) http.Header {
	return http.Header{
		"X-Ratelimit-Limit":     {"5000"},
		"X-Ratelimit-Remaining": {"0"},
		"X-Ratelimit-Used":      {"5000"},
		"X-Ratelimit-Reset":     {strconv.FormatInt(reset.Unix(), 10)},
		"X-Ratelimit-Resource":  {"graphql"},
	}
}

// New starts a fake serving repos and registers its shutdown with
// tb.Cleanup. It serves POST /graphql (github.com) and POST /api/graphql
// (GitHub Enterprise Server), and the REST routes of rest.go under both
// APIURL and EnterpriseAPIURL; any other request fails the test. It stops
// the test when the schema cannot be loaded or the model is inconsistent
// (a repository or pull-request number given twice).
func New(tb testing.TB, repos ...Repo) *Server {
	tb.Helper()
	schema, err := LoadSchema("")
	if err != nil {
		tb.Fatalf("githubfake: %v", err)
	}
	m, err := newModel(repos)
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{
		tb:        tb,
		schema:    schema,
		model:     m,
		token:     DefaultToken,
		limit:     DefaultRateLimit,
		remaining: DefaultRateLimit,
		resetAt:   time.Now().UTC().Add(time.Hour).Truncate(time.Second),
		queries:   map[string]parsedQuery{},
		stats:     newStats(),
		git:       map[string]*gitRepo{},
		restLimit: DefaultRESTRateLimit, restRemaining: DefaultRESTRateLimit,
	}
	s.restResetAt = s.resetAt
	mux := http.NewServeMux()
	mux.HandleFunc("POST /graphql", s.serveGraphQL)
	mux.HandleFunc("POST /api/graphql", s.serveGraphQL)
	s.mountREST(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		tb.Errorf("githubfake: unexpected request %s %s", r.Method, r.URL.Path)
		writeJSON(w, http.StatusNotFound, restError{Message: "Not Found", DocumentationURL: "https://docs.github.com/rest", Status: "404"})
	})
	s.http = httptest.NewServer(mux)
	tb.Cleanup(s.http.Close)
	return s
}

// URL is the GraphQL endpoint, as GITHUB_GRAPHQL_URL would give it.
func (s *Server) URL() string { return s.http.URL + "/graphql" }

// APIURL is a github.com-style REST base (GITHUB_API_URL) whose GraphQL
// endpoint is URL.
func (s *Server) APIURL() string { return s.http.URL }

// EnterpriseAPIURL is a GitHub Enterprise Server REST base (".../api/v3")
// whose GraphQL endpoint is ".../api/graphql".
func (s *Server) EnterpriseAPIURL() string { return s.http.URL + "/api/v3" }

// Close shuts the server down; New has already arranged it at cleanup.
func (s *Server) Close() { s.http.Close() }

// SetToken sets the token the server accepts (DefaultToken at first).
func (s *Server) SetToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = token
}

// SetRateLimit sets the points an hour and the points left. A query that
// costs more than what is left is refused as GitHub does (RATE_LIMITED).
func (s *Server) SetRateLimit(limit, remaining int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit, s.remaining = limit, remaining
}

// SetStrict makes every query GitHub would reject (schema validation,
// variables, pagination limits) fail the test as well as get GitHub's
// answer. Unsupported fields fail the test in any case.
func (s *Server) SetStrict(strict bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.strict = strict
}

// SetHiddenReviewerErrors makes a hidden requested reviewer (Item.Reviewer
// nil) come with a FORBIDDEN error ("Resource not accessible by
// integration") at its path besides null, as GitHub may report a team an
// installation token cannot see.
func (s *Server) SetHiddenReviewerErrors(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forbidden = on
}

// SetFault installs (or with nil removes) a fault injector.
func (s *Server) SetFault(f FaultFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// SetRepos replaces the model, as if the repositories changed between two
// requests. The repositories' contents (commits, branches) are kept. It
// stops the test when the model is inconsistent.
func (s *Server) SetRepos(repos ...Repo) {
	s.tb.Helper()
	m, err := newModel(repos)
	if err != nil {
		s.tb.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.model = m
}

// Stats returns a copy of what clients asked so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.stats
	out.ByOperation = make(map[string]OperationStats, len(s.stats.ByOperation))
	for k, v := range s.stats.ByOperation {
		out.ByOperation[k] = v
	}
	out.Calls = append([]Call(nil), s.stats.Calls...)
	out.Writes = append([]Write(nil), s.stats.Writes...)
	out.REST = make(map[string]int, len(s.stats.REST))
	for k, v := range s.stats.REST {
		out.REST[k] = v
	}
	out.RESTCalls = append([]RESTCall(nil), s.stats.RESTCalls...)
	return out
}

// ResetStats zeroes the counters.
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = newStats()
}

func newStats() Stats {
	return Stats{ByOperation: map[string]OperationStats{}, REST: map[string]int{}}
}

type gqlRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

func (s *Server) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	var req gqlRequest
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		err = dec.Decode(&req)
	}
	s.mu.Lock()
	s.stats.Requests++
	n, fault := s.stats.Requests, s.fault
	s.mu.Unlock()

	call := Call{Operation: req.OperationName, Variables: req.Variables}
	if fault != nil {
		if f := fault(n, req.OperationName); f != nil {
			for k, v := range f.Header {
				w.Header()[k] = v
			}
			call.Status = cmp.Or(f.Status, http.StatusOK)
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(call.Status)
			_, _ = io.WriteString(w, f.Body)
			s.record(call, f.Points)
			return
		}
	}
	if err == nil {
		s.mu.Lock()
		hook := s.beforeCommit
		commit := hook != nil && s.commitsLocked(&req)
		if commit {
			s.commitRequests++
		}
		nth := s.commitRequests
		s.mu.Unlock()
		if commit {
			hook(nth)
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	// Whatever the answer, count it once it is decided.
	defer func() {
		st := s.stats.ByOperation[call.Operation]
		st.Requests++
		st.Points += call.Cost
		s.stats.ByOperation[call.Operation] = st
		s.stats.Points += call.Cost
		s.stats.Calls = append(s.stats.Calls, call)
	}()

	w.Header().Set("X-GitHub-Media-Type", "github.v4; format=json")
	w.Header().Set("X-GitHub-Request-Id", fmt.Sprintf("FAKE:%04X:%06X", n, n*7919))
	if msg, ok := s.authorize(r.Header.Get("Authorization")); !ok {
		call.Status, call.Errors = http.StatusUnauthorized, []string{msg}
		writeJSON(w, call.Status, map[string]string{"message": msg, "documentation_url": "https://docs.github.com/graphql"})
		return
	}
	if err != nil {
		call.Status, call.Errors = http.StatusBadRequest, []string{"Problems parsing JSON"}
		writeJSON(w, call.Status, map[string]string{"message": "Problems parsing JSON", "documentation_url": "https://docs.github.com/graphql"})
		return
	}
	resp := s.execute(&req, &call)
	s.rateHeaders(w.Header())
	for _, e := range resp.Errors {
		call.Errors = append(call.Errors, e.Message)
	}
	call.Status = http.StatusOK
	writeJSON(w, call.Status, resp)
}

// record counts a fault's answer, deducting its points from the rate
// limit.
func (s *Server) record(c Call, points int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if points > 0 {
		s.refreshLocked(time.Now())
		points = min(points, s.remaining)
		s.remaining -= points
		c.Cost = points
		s.stats.Points += points
	}
	st := s.stats.ByOperation[c.Operation]
	st.Requests++
	st.Points += c.Cost
	s.stats.ByOperation[c.Operation] = st
	s.stats.Calls = append(s.stats.Calls, c)
}

// refreshLocked starts a new rate-limit window when the last one ended.
// s.mu is held.
func (s *Server) refreshLocked(now time.Time) {
	if now.After(s.resetAt) {
		s.remaining, s.resetAt = s.limit, now.UTC().Add(time.Hour).Truncate(time.Second)
	}
}

// authorize checks an Authorization header ("bearer TOKEN" or "token
// TOKEN", any case) and returns GitHub's message when it fails.
func (s *Server) authorize(h string) (string, bool) {
	scheme, tok, _ := strings.Cut(strings.TrimSpace(h), " ")
	switch {
	case h == "":
		return "This endpoint requires you to be authenticated.", false
	case (!strings.EqualFold(scheme, "bearer") && !strings.EqualFold(scheme, "token")) || strings.TrimSpace(tok) != s.token:
		return "Bad credentials", false
	}
	return "", true
}

func (s *Server) rateHeaders(h http.Header) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(s.remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(s.limit-s.remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(s.resetAt.Unix(), 10))
	h.Set("X-RateLimit-Resource", "graphql")
}

type gqlResponse struct {
	Data   any         `json:"data,omitempty"`
	Errors []respError `json:"errors,omitempty"`
}

// execute validates, costs and runs a query. s.mu is held.
func (s *Server) execute(req *gqlRequest, call *Call) gqlResponse {
	reject := func(what string, errs []respError) gqlResponse {
		if s.strict {
			s.tb.Errorf("githubfake: GitHub would reject %s of operation %q: %s", what, call.Operation, messages(errs))
		}
		return gqlResponse{Errors: errs}
	}
	pq := s.parseLocked(req.Query)
	if len(pq.errs) > 0 {
		var errs []respError
		for _, e := range pq.errs {
			re := respError{Message: e.Message}
			for _, l := range e.Locations {
				re.Locations = append(re.Locations, location{Line: l.Line, Column: l.Column})
			}
			errs = append(errs, re)
		}
		return reject("the query", errs)
	}
	op := pq.doc.Operations.ForName(req.OperationName)
	if op == nil && req.OperationName == "" && len(pq.doc.Operations) == 1 {
		op = pq.doc.Operations[0]
	}
	if op == nil {
		return reject("the operation name", []respError{{Message: fmt.Sprintf("No operation named %q", req.OperationName)}})
	}
	if call.Operation == "" {
		call.Operation = op.Name
	}
	var root object
	switch op.Operation {
	case ast.Query:
		root = queryObj{}
	case ast.Mutation:
		root = mutationObj{}
	default:
		s.tb.Errorf("githubfake: %s operations are not supported", op.Operation)
		return gqlResponse{Errors: []respError{{Type: "GITHUBFAKE_UNSUPPORTED", Message: "githubfake supports queries and mutations only"}}}
	}
	vars, err := validator.VariableValues(s.schema, op, req.Variables)
	if err != nil {
		re := respError{Message: err.Error()}
		var ge *gqlerror.Error
		if errors.As(err, &ge) {
			re.Message = ge.Message
		}
		return reject("the variables", []respError{re})
	}
	if s.teamAccess == TeamsNoScope {
		if f := teamField(pq.doc, op.SelectionSet); f != nil {
			return gqlResponse{Data: json.RawMessage("null"), Errors: []respError{insufficientScopes(f)}}
		}
	}
	ex := &executor{m: s.model, schema: s.schema, doc: pq.doc, vars: vars, forbidHidden: s.forbidden, teamAccess: s.teamAccess,
		git: s.git, writes: &s.stats.Writes}
	ex.analyze(op.SelectionSet, 1, nil)
	if len(ex.errs) > 0 {
		return reject("the pagination arguments", ex.errs)
	}
	s.refreshLocked(time.Now())
	c := cost(ex.requests)
	if c > s.remaining {
		// As PrimaryRateLimited; GitHub refuses a query that costs more
		// than is left even while x-ratelimit-remaining is not 0
		// (octokit/plugin-throttling.js#632).
		return gqlResponse{Errors: []respError{{Type: "RATE_LIMITED", Message: "API rate limit exceeded for user ID 1."}}}
	}
	s.remaining -= c
	call.Cost = c
	ex.rate = rateLimitObj{cost: c, remaining: s.remaining, limit: s.limit, used: s.limit - s.remaining,
		nodeCount: int(ex.nodes), resetAt: s.resetAt}
	data, ok := ex.selectObject(root, op.SelectionSet, nil)
	if len(ex.unsupported) > 0 {
		s.tb.Errorf("githubfake: operation %q uses what the fake does not model: %s", call.Operation, strings.Join(ex.unsupported, "; "))
	}
	resp := gqlResponse{Errors: ex.errs}
	if ok {
		resp.Data = data
	} else {
		resp.Data = json.RawMessage("null")
	}
	return resp
}

// parseLocked parses and validates a query, once per query text. s.mu is
// held.
func (s *Server) parseLocked(query string) parsedQuery {
	pq, ok := s.queries[query]
	if !ok {
		pq.doc, pq.errs = ValidateQuery(s.schema, query)
		s.queries[query] = pq
	}
	return pq
}

// commitsLocked reports whether req is a valid mutation that calls
// createCommitOnBranch. s.mu is held.
func (s *Server) commitsLocked(req *gqlRequest) bool {
	pq := s.parseLocked(req.Query)
	if len(pq.errs) > 0 {
		return false
	}
	op := pq.doc.Operations.ForName(req.OperationName)
	if op == nil && req.OperationName == "" && len(pq.doc.Operations) == 1 {
		op = pq.doc.Operations[0]
	}
	if op == nil || op.Operation != ast.Mutation {
		return false
	}
	for _, sel := range op.SelectionSet {
		if f, ok := sel.(*ast.Field); ok && f.Name == "createCommitOnBranch" {
			return true
		}
	}
	return false
}

func messages(errs []respError) string {
	var b strings.Builder
	for i, e := range errs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Message)
		for _, l := range e.Locations {
			fmt.Fprintf(&b, " (%d:%d)", l.Line, l.Column)
		}
	}
	return b.String()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"message":"githubfake: `+err.Error()+`"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
