// Package sentryapi is our small, typed client of Sentry's Web API
// (https://docs.sentry.io/api/): the few organization endpoints the
// "Sentry events per active user per day" KPI reads. There is no official
// Go client for the Web API; this one speaks only what we need, with
// errors that say what to change (a token, a scope, sentry-org,
// sentry-url) and waits for rate limits through an injected sleeper.
//
// Authentication is a bearer token (https://docs.sentry.io/api/auth/);
// pagination follows the Link header's rel="next" while results="true"
// (https://docs.sentry.io/api/pagination/); rate limits are reported in
// X-Sentry-Rate-Limit-* headers, and a 429 carries no Retry-After
// (https://docs.sentry.io/api/ratelimits/).
package sentryapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/wait"
)

// DefaultBaseURL is Sentry's SaaS host. Regional hosts
// (https://us.sentry.io, https://de.sentry.io) and self-hosted servers
// work as well.
const DefaultBaseURL = "https://sentry.io"

// maxAttempts bounds the tries of one request (the first and the retries).
const maxAttempts = 5

// firstBackoff is the first back-off after a 5xx or a query timeout; it
// doubles on each retry.
const firstBackoff = 2 * time.Second

// maxPages bounds how many pages one listing follows.
const maxPages = 100

// maxBody bounds how much of one response is read.
const maxBody = 32 << 20

// Client calls Sentry's Web API. The zero value is not usable: set
// Token. A Client makes one request at a time and is not safe for
// concurrent use.
type Client struct {
	// BaseURL is the Sentry host, e.g. https://sentry.io, a regional host
	// such as https://us.sentry.io, or a self-hosted server (possibly
	// below a path). Empty means DefaultBaseURL.
	BaseURL string
	// Token is a Sentry auth token (organization token or personal
	// token). It is sent as "Authorization: Bearer" and never appears in
	// an error.
	Token string
	// HTTP sends the requests; nil means a client with a one-minute
	// timeout.
	HTTP *http.Client
	// Sleep waits d or until ctx ends; nil means a real sleep honouring
	// ctx. Injected so that tests never sleep.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock that X-Sentry-Rate-Limit-Reset is compared with;
	// nil means time.Now.
	Now func() time.Time
	// Budget is the run's wait allowance (max-wait), shared with the
	// other API clients. Nil: a budget of MaxWait, or of wait.DefaultMax
	// when MaxWait is zero, with Sleep.
	Budget *wait.Budget
	// MaxWait bounds the total time this Client spends waiting for rate
	// limits and back-off when Budget is nil.
	MaxWait time.Duration
	// Requests counts the HTTP requests sent, retries included.
	Requests int

	noTimeseries bool // the server lacks events-timeseries (older self-hosted)
	perProject   bool // the server counts one project a query (no global views)
}

// Query selects the data of one KPI: an organization, its projects, and
// optional filters.
type Query struct {
	// Org is the organization slug.
	Org string
	// Projects are numeric project ids (see ResolveProjects); empty means
	// every project the token can see.
	Projects []int64
	// Environment filters by environment name; empty means all.
	Environment string
	// Query is a Sentry search query that narrows the error events (and
	// the unresolved issues), e.g. "level:error"; empty means none.
	Query string
}

// Day is one UTC day's value of a daily series.
type Day struct {
	// Date is the UTC day, YYYY-MM-DD.
	Date string
	// Value is the day's count; 0 when Present is false.
	Value int64
	// Present says whether Sentry reported the day. A missing day is not
	// a zero: the caller decides what an unknown day means.
	Present bool
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: time.Minute}
}

func (c *Client) base() string {
	b := strings.TrimRight(strings.TrimSpace(c.BaseURL), "/")
	if b == "" {
		return DefaultBaseURL
	}
	return b
}

// budget is the wait allowance the Client draws on.
func (c *Client) budget() *wait.Budget {
	if c.Budget == nil {
		c.Budget = wait.Own(c.MaxWait, c.Sleep)
	}
	return c.Budget
}

// orgPath is the path of an organization endpoint, e.g.
// orgPath("acme", "sessions") = "/api/0/organizations/acme/sessions/".
func orgPath(org, endpoint string) string {
	return "/api/0/organizations/" + url.PathEscape(org) + "/" + endpoint + "/"
}

// call describes one logical request, for the request and its errors.
type call struct {
	op       string // what we were doing, for errors
	path     string // below the base URL
	query    url.Values
	org      string
	scope    string // the scope the endpoint needs
	projects []int64
}

// get sends c's request, retrying 5xx answers, query timeouts and rate
// limits as the package comment says, and returns the body of a 200.
func (c *Client) get(ctx context.Context, cl call) ([]byte, http.Header, error) {
	u := c.base() + cl.path
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	backoff := wait.Backoff{First: firstBackoff}
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("sentry: %s: %w", cl.op, err)
		}
		req.Header.Set("Authorization", "Bearer "+c.Token)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", "engineering-kpis")
		c.Requests++
		resp, err := c.httpClient().Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, fmt.Errorf("sentry: %s: %w", cl.op, ctx.Err())
			}
			if attempt < maxAttempts {
				if werr := c.budget().Wait(ctx, backoff.Next()); werr == nil {
					continue
				}
			}
			return nil, nil, fmt.Errorf("sentry: %s: %w", cl.op, err)
		}
		body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		resp.Body.Close()
		if rerr != nil {
			if attempt < maxAttempts && ctx.Err() == nil {
				if werr := c.budget().Wait(ctx, backoff.Next()); werr == nil {
					continue
				}
			}
			return nil, nil, fmt.Errorf("sentry: %s: read the response: %w", cl.op, rerr)
		}
		if resp.StatusCode == http.StatusOK {
			return body, resp.Header, nil
		}
		e := c.newError(cl, resp, body)
		e.Attempts = attempt
		var pause time.Duration
		switch {
		case resp.StatusCode == http.StatusTooManyRequests:
			reset, ok := parseReset(resp.Header.Get("X-Sentry-Rate-Limit-Reset"))
			if ok {
				e.Reset = reset
				pause = reset.Sub(c.now())
				if pause < time.Second {
					pause = time.Second
				}
			} else {
				pause = backoff.Next()
			}
		case resp.StatusCode >= 500, resp.StatusCode == http.StatusBadRequest && isTimeout(e.Detail):
			pause = backoff.Next()
		default:
			return nil, nil, e
		}
		if attempt >= maxAttempts {
			return nil, nil, e
		}
		if !c.budget().Allows(pause) {
			e.Budget = c.budget().Max
			return nil, nil, e
		}
		if err := c.budget().Wait(ctx, pause); err != nil {
			return nil, nil, fmt.Errorf("sentry: %s: %w", cl.op, err)
		}
	}
}

// parseReset reads X-Sentry-Rate-Limit-Reset: epoch seconds, possibly
// with a fraction.
func parseReset(v string) (time.Time, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f <= 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
}

// isTimeout tells Sentry's query-timeout answers ("Query timeout. Please
// try again. ...", sent as 400 or 429) from other rejections.
func isTimeout(detail string) bool {
	return strings.Contains(strings.ToLower(detail), "timeout")
}

// newError builds the typed error for a non-200 answer.
func (c *Client) newError(cl call, resp *http.Response, body []byte) *Error {
	return &Error{
		Status:   resp.StatusCode,
		Detail:   c.redactString(detailOf(body)),
		Op:       cl.op,
		Org:      cl.org,
		Scope:    cl.scope,
		Projects: cl.projects,
		BaseURL:  c.base(),
	}
}

// detailOf extracts Sentry's error message: {"detail": "..."}, or
// {"detail": {"message": "..."}}, or a short, single-line excerpt of a
// body that is not JSON.
func detailOf(body []byte) string {
	var v struct {
		Detail json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &v) == nil && len(v.Detail) > 0 {
		var s string
		if json.Unmarshal(v.Detail, &s) == nil {
			return oneLine(s)
		}
		var m struct {
			Message string `json:"message"`
			Code    string `json:"code"`
		}
		if json.Unmarshal(v.Detail, &m) == nil && (m.Message != "" || m.Code != "") {
			return oneLine(strings.TrimSpace(m.Code + " " + m.Message))
		}
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] == '<' {
		return "" // empty, or an HTML error page: nothing worth quoting
	}
	return oneLine(string(trimmed))
}

// oneLine makes s safe and short to print: one line, no control
// characters, at most 200 runes.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

// decode parses a 200's body into v, with a clear error when it is not
// the JSON we expect.
func (c *Client) decode(cl call, body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("sentry: %s: the answer is not the JSON Sentry sends (%v); check that sentry-url (%s) is a Sentry server", cl.op, err, c.base())
	}
	return nil
}

// redact removes the token from err's message; every exported method
// returns its errors through it.
func (c *Client) redact(err error) error {
	if err == nil || c.Token == "" || !strings.Contains(err.Error(), c.Token) {
		return err
	}
	var e *Error
	if errors.As(err, &e) && err == e {
		cp := *e
		cp.Detail = c.redactString(cp.Detail)
		cp.Op = c.redactString(cp.Op)
		cp.Org = c.redactString(cp.Org)
		if !strings.Contains(cp.Error(), c.Token) {
			return &cp
		}
	}
	return redactedError{msg: c.redactString(err.Error())}
}

func (c *Client) redactString(s string) string {
	if c.Token == "" {
		return s
	}
	return strings.ReplaceAll(s, c.Token, "[sentry-token]")
}

// redactedError is an error whose message had the token removed. It does
// not unwrap, so the original (with the token) cannot be reached.
type redactedError struct{ msg string }

func (e redactedError) Error() string { return e.msg }

// nextCursor reads the Link header's rel="next" entry and returns its
// cursor when results="true".
//
// The cursor is sent again to our own BaseURL rather than following the
// link's URL: Sentry builds that URL from its configured url-prefix,
// which on self-hosted servers behind a proxy may not be the address we
// reach it at, and a bearer token must not follow a link to another host.
func nextCursor(h http.Header) (string, bool) {
	for _, l := range parseLinks(strings.Join(h.Values("Link"), ", ")) {
		if l.params["rel"] != "next" {
			continue
		}
		if l.params["results"] != "true" {
			return "", false
		}
		if cur := l.params["cursor"]; cur != "" {
			return cur, true
		}
		if u, err := url.Parse(l.url); err == nil {
			if cur := u.Query().Get("cursor"); cur != "" {
				return cur, true
			}
		}
		return "", false
	}
	return "", false
}

type link struct {
	url    string
	params map[string]string
}

// parseLinks parses an RFC 8288 Link header as Sentry writes it:
// <url>; rel="next"; results="true"; cursor="0:100:0", <url>; ...
func parseLinks(h string) []link {
	var out []link
	i := 0
	for i < len(h) {
		lt := strings.IndexByte(h[i:], '<')
		if lt < 0 {
			break
		}
		i += lt + 1
		gt := strings.IndexByte(h[i:], '>')
		if gt < 0 {
			break
		}
		l := link{url: h[i : i+gt], params: map[string]string{}}
		i += gt + 1
		// Parameters up to the next top-level comma.
		for i < len(h) {
			for i < len(h) && (h[i] == ' ' || h[i] == '\t') {
				i++
			}
			if i >= len(h) {
				break
			}
			if h[i] == ',' {
				i++
				break
			}
			if h[i] != ';' {
				i++
				continue
			}
			i++
			for i < len(h) && (h[i] == ' ' || h[i] == '\t') {
				i++
			}
			start := i
			for i < len(h) && h[i] != '=' && h[i] != ';' && h[i] != ',' {
				i++
			}
			key := strings.ToLower(strings.TrimSpace(h[start:i]))
			val := ""
			if i < len(h) && h[i] == '=' {
				i++
				if i < len(h) && h[i] == '"' {
					i++
					end := strings.IndexByte(h[i:], '"')
					if end < 0 {
						end = len(h) - i
					}
					val = h[i : i+end]
					i += end
					if i < len(h) {
						i++
					}
				} else {
					start := i
					for i < len(h) && h[i] != ';' && h[i] != ',' {
						i++
					}
					val = strings.TrimSpace(h[start:i])
				}
			}
			if key != "" {
				l.params[key] = val
			}
		}
		out = append(out, l)
	}
	return out
}

// projectParams adds project=ID for each id, or project=-1 (every
// accessible project) when there are none.
func projectParams(v url.Values, ids []int64) {
	if len(ids) == 0 {
		v.Add("project", "-1")
		return
	}
	for _, id := range ids {
		v.Add("project", strconv.FormatInt(id, 10))
	}
}

// dayRange checks that start and end are UTC midnights with start before
// end, and returns the days of [start, end).
func dayRange(start, end time.Time) ([]string, error) {
	if !isMidnightUTC(start) || !isMidnightUTC(end) {
		return nil, fmt.Errorf("sentry: start %s and end %s must be UTC midnights", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	if !start.Before(end) {
		return nil, fmt.Errorf("sentry: start %s is not before end %s", start.Format(time.DateOnly), end.Format(time.DateOnly))
	}
	var days []string
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		days = append(days, d.Format(time.DateOnly))
	}
	return days, nil
}

func isMidnightUTC(t time.Time) bool {
	_, off := t.Zone()
	return off == 0 && t.Equal(t.Truncate(24*time.Hour))
}

// sentryTime formats a UTC instant for start and end: RFC 3339 with the
// explicit Z, which Sentry reads as UTC (as it does a time with no zone)
// and which every ISO 8601 parser takes.
func sentryTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// fill turns per-day values into one Day for each of days; a day absent
// from values is not Present.
func fill(days []string, values map[string]int64) []Day {
	out := make([]Day, len(days))
	for i, d := range days {
		v, ok := values[d]
		out[i] = Day{Date: d, Value: v, Present: ok}
	}
	return out
}
