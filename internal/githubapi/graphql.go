// Package githubapi reads pull requests and their review timelines from
// GitHub's GraphQL API (https://docs.github.com/en/graphql) and turns them
// into kpi types. It is the only package that speaks GitHub's wire format.
package githubapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/wait"
)

// Client is a GitHub GraphQL client. It sends one request at a time.
type Client struct {
	// Endpoint is the GraphQL URL, e.g. https://api.github.com/graphql.
	Endpoint string
	// Token is sent as a bearer token. It never appears in errors.
	Token string
	// HTTP is the client used for requests; it should have a timeout.
	HTTP *http.Client
	// UserAgent identifies the action to GitHub.
	UserAgent string
	// FetchLabels makes PullRequests fetch labels (to exclude by label).
	FetchLabels bool

	// Retrier, when set, is the transport of HTTP; do uses its wait
	// budget for GraphQL rate limits answered with HTTP 200 (primary,
	// and secondary) and counts the attempts that time out.
	Retrier *Retrier

	// Stats counts what the client spent.
	Stats Stats

	// Log, when set, is told once when GitHub refuses the team fields.
	Log func(format string, args ...any)

	// Current page sizes, shrunk after timeouts.
	prPage, timelinePage int

	// timeouts counts the attempts GitHub (or the attempt timeout) cut
	// short; seen is the rate limit as the last answer reported it.
	timeouts, unmeasured int
	seen                 observation
}

// observation is the primary rate limit as one answer reported it.
type observation struct {
	known     bool
	remaining int
	reset     int64
	timeouts  int // Client.timeouts when it was seen
}

// Stats is what a client spent on GitHub's API.
type Stats struct {
	// Shrinks counts the page-size halvings after timeouts.
	Shrinks  int
	Requests int
	// Points is what GitHub charged the primary rate limit: each query's
	// rateLimit.cost, a mutation's measured charge (at least 1, GitHub's
	// minimum), and the extra points GitHub deducts for a request that
	// timed out, measured as the fall of x-ratelimit-remaining beyond
	// the next answer's own cost.
	Points int
	// Timeouts counts the GraphQL attempts that timed out; TimeoutPoints
	// is the part of Points charged for them.
	Timeouts, TimeoutPoints int
	// Unmeasured counts the timeouts whose charge could not be measured
	// (no earlier answer in the same rate-limit window to compare with):
	// Points is then a lower bound.
	Unmeasured int
	Remaining  int
	ResetAt    time.Time
	// TeamsWithheld is the scope or permission GitHub named when it
	// refused the Team fields of a query ("read:org"); the client then
	// asks without them and every team request is hidden. Empty while
	// teams are asked for.
	TeamsWithheld string
}

// String is the run's log line about the API, e.g. "12 GraphQL requests,
// 19 points spent (7 of them for 1 timed-out request), 4981 remaining".
func (s Stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d GraphQL requests, ", s.Requests)
	if s.Unmeasured > 0 {
		b.WriteString("at least ")
	}
	fmt.Fprintf(&b, "%d points spent", s.Points)
	switch plural := func(n int) string {
		if n == 1 {
			return "1 timed-out request"
		}
		return fmt.Sprintf("%d timed-out requests", n)
	}; {
	case s.Unmeasured > 0:
		fmt.Fprintf(&b, " (%s cost extra points GitHub did not let us measure)", plural(s.Timeouts))
	case s.Timeouts > 0:
		fmt.Fprintf(&b, " (%d of them for %s)", s.TimeoutPoints, plural(s.Timeouts))
	}
	fmt.Fprintf(&b, ", %d remaining", s.Remaining)
	return b.String()
}

// GraphQLEndpoint derives the GraphQL URL: graphqlURL when set
// (GITHUB_GRAPHQL_URL), else from the REST base apiURL (GITHUB_API_URL):
// https://api.github.com → https://api.github.com/graphql, and GitHub
// Enterprise Server's https://HOST/api/v3 → https://HOST/api/graphql.
func GraphQLEndpoint(apiURL, graphqlURL string) string {
	if graphqlURL != "" {
		return graphqlURL
	}
	if apiURL == "" {
		apiURL = "https://api.github.com"
	}
	apiURL = strings.TrimSuffix(apiURL, "/")
	if strings.HasSuffix(apiURL, "/v3") {
		return strings.TrimSuffix(apiURL, "/v3") + "/graphql"
	}
	return apiURL + "/graphql"
}

// Error is a failed GitHub API call.
type Error struct {
	// Status is the HTTP status, or 200 for GraphQL errors.
	Status int
	// Timeout is true when GitHub gave up computing the answer (502/504,
	// "couldn't respond in time", RESOURCE_LIMITS_EXCEEDED): asking for
	// less at once may succeed.
	Timeout bool
	// Type is the first GraphQL error's type (NOT_FOUND, RATE_LIMITED, ...).
	Type    string
	Message string
}

func (e *Error) Error() string {
	switch {
	case e.Status == http.StatusUnauthorized:
		return fmt.Sprintf("GitHub rejected the token (401 %s): check the github-token input or GITHUB_TOKEN", e.Message)
	case (e.Status == http.StatusForbidden || e.Status == http.StatusTooManyRequests) && isSecondaryLimit(e.Message):
		// The Retrier gave up on it: retries or max-wait ran out.
		return fmt.Sprintf("GitHub's secondary rate limit persisted after every retry the max-wait budget allowed (%d %s): run later, raise max-wait, or lower the load (fewer repositories or a shorter backfill)", e.Status, oneLine(e.Message))
	case e.Status == http.StatusForbidden:
		return fmt.Sprintf("GitHub refused access (403): %s; the token needs pull-requests: read on the repository", e.Message)
	case e.Type == "NOT_FOUND":
		return fmt.Sprintf("GitHub: %s (is the repository name right, and can the token see it?)", e.Message)
	case e.Type != "":
		return fmt.Sprintf("GitHub GraphQL error %s: %s", e.Type, e.Message)
	default:
		return fmt.Sprintf("GitHub API answered %d: %s", e.Status, e.Message)
	}
}

type gqlRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName,omitempty"`
	Variables     map[string]any `json:"variables"`
}

type gqlError struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Path    []any  `json:"path"`
}

// isPrimaryLimit reports whether e is GitHub's primary rate limit, which
// comes as type RATE_LIMITED (documented) and also as type RATE_LIMIT with
// code graphql_rate_limit (yanyongyu/githubkit#271,
// octokit/plugin-throttling.js#824), both with HTTP 200.
func (e gqlError) isPrimaryLimit() bool {
	return e.Type == "RATE_LIMITED" || e.Type == "RATE_LIMIT" || e.Code == "graphql_rate_limit"
}

// SecondaryLimitError is a GraphQL secondary rate limit that GitHub
// answered with HTTP 200 (its GraphQL rate limits page: "the response
// status will be 200 or 403"); the 403 form is the Retrier's.
type SecondaryLimitError struct {
	Message string
	header  http.Header
}

func (e *SecondaryLimitError) Error() string {
	return fmt.Sprintf("GitHub's secondary rate limit (%s): run later, or lower the load (fewer repositories or a shorter backfill)", oneLine(e.Message))
}

type rateLimit struct {
	Cost      int       `json:"cost"`
	Remaining int       `json:"remaining"`
	ResetAt   time.Time `json:"resetAt"`
}

// rateLimited turns a GraphQL primary rate-limit error into a
// RateLimitError naming the reset (x-ratelimit-reset, which GitHub sends
// whatever x-ratelimit-remaining says: octokit/plugin-throttling.js#632).
func (c *Client) rateLimited(e gqlError, h http.Header) error {
	reset, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64)
	if err != nil {
		return &Error{Status: http.StatusOK, Type: e.Type, Message: "GitHub's GraphQL rate limit is exhausted: " + e.Message}
	}
	return &RateLimitError{Reset: time.Unix(reset, 0)}
}

// do sends one GraphQL request, retrying once the primary rate limit
// resets when that fits the wait budget, and after a secondary rate limit
// answered with HTTP 200 as the Retrier does after the 403 form
// (retry-after; else the reset when x-ratelimit-remaining is 0; else
// back-off from one minute; at most MaxRetries times, within max-wait).
// Transient GraphQL errors (data with errors, GitHub-side failures) are
// retried a few times with back-off before the call fails.
func (c *Client) do(ctx context.Context, op, query string, vars map[string]any, out any) error {
	transient, secondary := 0, 0
	backoff := wait.Backoff{First: time.Minute}
	for attempt := 0; ; attempt++ {
		err := c.doOnce(ctx, op, query, vars, out)
		var rl *RateLimitError
		var sl *SecondaryLimitError
		var ge *Error
		switch {
		case err == nil:
			return nil
		case errors.As(err, &rl):
			if c.Retrier == nil || attempt >= 2 {
				return err
			}
			if werr := c.Retrier.waitUntil(ctx, rl.Reset, "GraphQL rate limit"); werr != nil {
				return err
			}
		case errors.As(err, &sl):
			secondary++
			if c.Retrier == nil || secondary > c.Retrier.maxRetries() {
				return err
			}
			var werr error
			if d, ok := retryAfter(sl.header); ok {
				werr = c.Retrier.waitFor(ctx, d, "secondary rate limit (retry-after)")
			} else if reset, perr := strconv.ParseInt(sl.header.Get("X-Ratelimit-Reset"), 10, 64); perr == nil && sl.header.Get("X-Ratelimit-Remaining") == "0" {
				werr = c.Retrier.waitUntil(ctx, time.Unix(reset, 0), "secondary rate limit (until x-ratelimit-reset)")
			} else {
				werr = c.Retrier.waitFor(ctx, backoff.AtLeast(time.Minute), "secondary rate limit")
			}
			if werr != nil {
				return fmt.Errorf("%w (%v)", err, werr)
			}
		case errors.As(err, &ge) && ge.Status == http.StatusOK && !ge.Timeout && ge.Partial() && !strings.HasPrefix(strings.TrimSpace(query), "mutation"):
			transient++
			if c.Retrier == nil || transient > graphQLRetries {
				return err
			}
			if werr := c.Retrier.waitFor(ctx, time.Duration(transient)*2*time.Second, "GitHub answered with errors"); werr != nil {
				return err
			}
		default:
			return err
		}
	}
}

// graphQLRetries bounds the retries of a GraphQL error that may pass.
const graphQLRetries = 3

// Partial reports whether the error leaves the data incomplete for a
// reason on GitHub's side (a failure, a timeout, partial data), as opposed
// to a mistake in the request or the token (NOT_FOUND, FORBIDDEN, 401) that
// no retry or allow-partial can make right.
func (e *Error) Partial() bool {
	if e.Status >= 500 || e.Timeout || isSecondaryLimit(e.Message) {
		return true
	}
	if e.Status != http.StatusOK {
		return false
	}
	switch e.Type {
	case "SERVICE_UNAVAILABLE", "INTERNAL", "INTERNAL_ERROR", "INTERNAL_SERVER_ERROR":
		return true
	case "":
		// Untyped errors are GitHub's "Something went wrong", unless they
		// report a query GitHub could not parse or validate.
		m := strings.ToLower(e.Message)
		return !strings.Contains(m, "parse") && !strings.Contains(m, "doesn't exist on type") && !strings.Contains(m, "argument")
	}
	return false
}

// doOnce sends one GraphQL request and decodes its data into out. Any entry in
// the response's errors array fails the call: partial data is never used
// as if complete.
func (c *Client) doOnce(ctx context.Context, op, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(gqlRequest{Query: query, OperationName: op, Variables: vars})
	if err != nil {
		return fmt.Errorf("encode %s query: %w", op, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build %s request: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "bearer "+c.Token)
	}
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	c.Stats.Requests++
	if c.Retrier != nil {
		// The Retrier counts the attempts that time out, retried or not.
		req = req.WithContext(context.WithValue(req.Context(), timeoutCounter{}, &c.timeouts))
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.observe(nil, 0) // timeouts before giving up
		// url.Error names the endpoint, never the token.
		return fmt.Errorf("%s: %w", op, err)
	}
	defer resp.Body.Close()
	if c.Retrier == nil && (resp.StatusCode == http.StatusBadGateway || resp.StatusCode == http.StatusGatewayTimeout) {
		c.timeouts++
	}
	// cost is the answer's rateLimit.cost; -1 (unknown) for an answer
	// that cannot report it (a mutation); 0 for an answer refused whole.
	cost := 0
	defer func() { c.observe(resp.Header, cost) }()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("%s: read response: %w", op, err)
	}
	if resp.StatusCode != http.StatusOK {
		var msg struct {
			Message string     `json:"message"`
			Errors  []gqlError `json:"errors"`
		}
		if json.Unmarshal(raw, &msg) != nil || msg.Message == "" {
			msg.Message = http.StatusText(resp.StatusCode)
			if len(msg.Errors) > 0 {
				msg.Message = msg.Errors[0].Message
			}
		}
		timeout := resp.StatusCode == http.StatusBadGateway || resp.StatusCode == http.StatusGatewayTimeout
		return fmt.Errorf("%s: %w", op, &Error{Status: resp.StatusCode, Message: msg.Message, Timeout: timeout})
	}
	var envelope struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.Unmarshal(raw, &envelope); err != nil {
		return fmt.Errorf("%s: decode response: %w", op, err)
	}
	// A reviewer the token may not see comes back as null with a FORBIDDEN
	// error at its path; docs/definitions.md counts such requests as unattributed.
	errs := envelope.Errors[:0]
	for _, e := range envelope.Errors {
		if hiddenTeamError(e) {
			// A team the token cannot see: null, so the request is
			// unattributed, or the review answers no visible team.
			continue
		}
		errs = append(errs, e)
	}
	for _, e := range errs {
		// A secondary limit first: it may come with a rate-limit type.
		if isSecondaryLimit(e.Message) {
			return fmt.Errorf("%s: %w", op, &SecondaryLimitError{Message: e.Message, header: resp.Header})
		}
		if e.isPrimaryLimit() {
			return fmt.Errorf("%s: %w", op, c.rateLimited(e, resp.Header))
		}
	}
	var rl struct {
		RateLimit *rateLimit `json:"rateLimit"`
	}
	if len(envelope.Data) > 0 && json.Unmarshal(envelope.Data, &rl) == nil && rl.RateLimit != nil {
		cost = rl.RateLimit.Cost
		c.Stats.Remaining = rl.RateLimit.Remaining
		c.Stats.ResetAt = rl.RateLimit.ResetAt
	} else if len(errs) == 0 {
		// A mutation: rateLimit is a Query field.
		cost = -1
	}
	if len(errs) > 0 {
		e := errs[0]
		ge := &Error{Status: http.StatusOK, Type: e.Type, Message: e.Message}
		m := strings.ToLower(e.Message)
		ge.Timeout = e.Type == "RESOURCE_LIMITS_EXCEEDED" || strings.Contains(m, "couldn't respond to your request in time") || strings.Contains(m, "timeout") || strings.Contains(m, "timed out")
		if ge.Timeout {
			// A timeout told in an HTTP 200 costs extra points too; the
			// deferred observe measures them.
			c.timeouts++
		}
		return fmt.Errorf("%s: %w", op, ge)
	}
	if len(envelope.Data) == 0 || string(envelope.Data) == "null" {
		return fmt.Errorf("%s: %w", op, errors.New("response has no data"))
	}
	if err := json.Unmarshal(envelope.Data, out); err != nil {
		return fmt.Errorf("%s: decode data: %w", op, err)
	}
	return nil
}

// observe accounts for one answer's rate-limit headers. GitHub documents
// that "if a timeout occurs for any of your API requests, additional
// points will be deducted from your primary rate limit for the next hour"
// (https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#timeouts)
// but not how many, and a timed-out answer reports none: after a timeout
// the charge is what x-ratelimit-remaining fell since the last answer in
// the same window beyond this answer's own cost. An answer whose cost is
// unknown (-1: a mutation) is charged the fall, or 1, GitHub's minimum,
// when the fall cannot be measured. Falls with no timeout in between are
// not counted: they are other clients sharing the quota.
func (c *Client) observe(h http.Header, cost int) {
	rem, err := strconv.Atoi(h.Get("X-Ratelimit-Remaining"))
	reset, rerr := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64)
	reported := err == nil && rerr == nil
	measurable := reported && c.seen.known && c.seen.reset == reset
	fall := 0
	if measurable {
		fall = c.seen.remaining - rem
	}
	switch {
	case cost >= 0:
		c.Stats.Points += cost
	case measurable && fall > 0:
		cost = fall
		c.Stats.Points += fall
	default:
		cost = 1
		c.Stats.Points++
	}
	if reported {
		if pending := c.timeouts - c.seen.timeouts; pending > 0 && measurable {
			extra := max(fall-cost, 0)
			c.Stats.Points += extra
			c.Stats.TimeoutPoints += extra
		} else if pending > 0 {
			c.unmeasured += pending
		}
		c.Stats.Remaining = rem
		c.seen = observation{known: true, remaining: rem, reset: reset, timeouts: c.timeouts}
	}
	// Timeouts not yet followed by an answer are unmeasured so far.
	c.Stats.Timeouts = c.timeouts
	c.Stats.Unmeasured = c.unmeasured + c.timeouts - c.seen.timeouts
}
