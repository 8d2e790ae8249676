package githubapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/wait"
)

// Retrier is an http.RoundTripper that makes GitHub's limits and faults
// survivable (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api,
// https://docs.github.com/en/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api):
//
//   - a primary rate limit (403/429 with x-ratelimit-remaining: 0) waits
//     until x-ratelimit-reset when that is within the wait budget, else
//     fails naming the reset time;
//   - a secondary rate limit (403/429 with retry-after, or GitHub's
//     "secondary rate limit" message) waits retry-after, else backs off
//     exponentially from one minute (the same limit answered with HTTP
//     200, as GraphQL may, is the Client's to handle: see Client.do);
//   - 500, 502, 503, 504, timeouts and connection resets back off
//     exponentially from one second;
//
// within a bounded number of retries and a total wait budget. It lets one
// request through at a time, so the run never has two in flight.
type Retrier struct {
	Next http.RoundTripper
	// Sleep waits d or until ctx ends; injected so tests never sleep.
	Sleep func(ctx context.Context, d time.Duration) error
	Now   func() time.Time
	// Budget is the run's wait allowance (max-wait), shared with the
	// other API clients. Nil: a budget of MaxWait, or of wait.DefaultMax
	// when MaxWait is zero, with Sleep.
	Budget *wait.Budget
	// MaxWait bounds the total time spent waiting when Budget is nil.
	MaxWait time.Duration
	// MaxRetries bounds the retries of one request.
	MaxRetries int
	// AttemptTimeout bounds one attempt (default 60s); waits between
	// attempts do not count against it.
	AttemptTimeout time.Duration
	// Log, when set, is told about every wait.
	Log func(format string, args ...any)

	mu sync.Mutex
	// Waits counts the waits taken, for tests and the run's log.
	Waits int
}

// RateLimitError is a primary rate limit whose reset lies beyond the wait
// budget.
type RateLimitError struct {
	Reset time.Time
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("GitHub's API rate limit is exhausted until %s, beyond the max-wait budget: run later, raise max-wait, or use a token with a larger quota", e.Reset.UTC().Format(time.RFC3339))
}

func (r *Retrier) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// RoundTrip sends req, retrying as the type's comment says.
func (r *Retrier) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	next := r.Next
	if next == nil {
		next = http.DefaultTransport
	}
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
	}
	backoff := wait.Backoff{First: time.Second}
	for attempt := 0; ; attempt++ {
		if body != nil {
			req.Body = io.NopCloser(bytes.NewReader(body))
		}
		resp, err := r.attempt(next, req)
		wait, why, retry, ferr := r.classify(req, resp, err, &backoff)
		if ferr != nil {
			return nil, ferr
		}
		if !retry {
			return resp, err
		}
		if attempt >= r.maxRetries() {
			if err != nil {
				return nil, fmt.Errorf("gave up after %d retries: %w", attempt, err)
			}
			return resp, nil
		}
		if resp != nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
		}
		if werr := r.wait(req.Context(), wait, why); werr != nil {
			if err != nil {
				// Keep the cause: the network failure, not only the budget.
				return nil, fmt.Errorf("%w; the last attempt failed: %w", werr, err)
			}
			return nil, werr
		}
	}
}

func (r *Retrier) maxRetries() int {
	if r.MaxRetries > 0 {
		return r.MaxRetries
	}
	return 6
}

// classify decides what to do with one answer: retry after wait, or not.
func (r *Retrier) classify(req *http.Request, resp *http.Response, err error, backoff *wait.Backoff) (d time.Duration, why string, retry bool, fatal error) {
	next := backoff.Next
	if err != nil {
		if req.Context().Err() != nil {
			return 0, "", false, nil
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			countTimeout(req)
		}
		if errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || strings.Contains(err.Error(), "connection reset") {
			return next(), "network error", true, nil
		}
		return 0, "", false, nil
	}
	switch resp.StatusCode {
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		countTimeout(req)
		if req.Context().Value(shrinkOnTimeout{}) != nil {
			// The caller asks for less instead of asking again.
			return 0, "", false, nil
		}
		return next(), fmt.Sprintf("GitHub answered %d", resp.StatusCode), true, nil
	case http.StatusInternalServerError, http.StatusServiceUnavailable:
		return next(), fmt.Sprintf("GitHub answered %d", resp.StatusCode), true, nil
	case http.StatusForbidden, http.StatusTooManyRequests:
	default:
		return 0, "", false, nil
	}
	if d, ok := retryAfter(resp.Header); ok {
		return d, "secondary rate limit (retry-after)", true, nil
	}
	if resp.Header.Get("X-Ratelimit-Remaining") == "0" {
		reset, err := strconv.ParseInt(resp.Header.Get("X-Ratelimit-Reset"), 10, 64)
		if err != nil {
			return next(), "rate limit", true, nil
		}
		until := time.Unix(reset, 0).Sub(r.now()) + time.Second
		if until < 0 {
			until = time.Second
		}
		if !r.canWait(until) {
			return 0, "", false, &RateLimitError{Reset: time.Unix(reset, 0)}
		}
		return until, "primary rate limit", true, nil
	}
	// Secondary limits without retry-after are told apart by their message.
	peek, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(peek))
	if isSecondaryLimit(string(peek)) {
		return backoff.AtLeast(time.Minute), "secondary rate limit", true, nil
	}
	return 0, "", false, nil
}

// retryAfter is the wait a retry-after header asks for.
func retryAfter(h http.Header) (time.Duration, bool) {
	s, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After")))
	if err != nil || s < 0 {
		return 0, false
	}
	return time.Duration(s) * time.Second, true
}

// isSecondaryLimit reports whether GitHub's message says a secondary rate
// limit was hit ("You have exceeded a secondary rate limit. ...").
func isSecondaryLimit(msg string) bool {
	return strings.Contains(strings.ToLower(msg), "secondary rate limit")
}

// timeoutCounter is a context key whose value, an *int, counts the
// attempts of a request that timed out: GitHub charges a GraphQL request
// that timed out extra points (see Client.observe).
type timeoutCounter struct{}

func countTimeout(req *http.Request) {
	if n, ok := req.Context().Value(timeoutCounter{}).(*int); ok {
		*n++
	}
}

// budget is the wait allowance the Retrier draws on.
func (r *Retrier) budget() *wait.Budget {
	if r.Budget == nil {
		r.Budget = wait.Own(r.MaxWait, r.Sleep)
	}
	return r.Budget
}

func (r *Retrier) canWait(d time.Duration) bool { return r.budget().Allows(d) }

func (r *Retrier) wait(ctx context.Context, d time.Duration, why string) error {
	b := r.budget()
	if !b.Allows(d) {
		return fmt.Errorf("%s: waiting %s more would exceed the max-wait budget (%s spent)", why, d, b.Spent())
	}
	r.Waits++
	if r.Log != nil {
		r.Log("GitHub: %s, waiting %s before retrying", why, d.Round(time.Second))
	}
	return b.Wait(ctx, d)
}

// waitUntil waits until t (plus a second) when that fits the budget.
func (r *Retrier) waitUntil(ctx context.Context, t time.Time, why string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	d := t.Sub(r.now()) + time.Second
	if d < time.Second {
		d = time.Second
	}
	return r.wait(ctx, d, why)
}

// shrinkOnTimeout marks a request whose caller halves its page size on a
// gateway timeout rather than have it retried as it is.
type shrinkOnTimeout struct{}

// WithShrinkOnTimeout returns a context whose requests are not retried on
// 502/504: the caller retries with a smaller page.
func WithShrinkOnTimeout(ctx context.Context) context.Context {
	return context.WithValue(ctx, shrinkOnTimeout{}, true)
}

// waitFor waits d when that fits the budget.
func (r *Retrier) waitFor(ctx context.Context, d time.Duration, why string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.wait(ctx, d, why)
}

// attempt sends req once under AttemptTimeout; the timeout's context lives
// until the response body is closed.
func (r *Retrier) attempt(next http.RoundTripper, req *http.Request) (*http.Response, error) {
	limit := r.AttemptTimeout
	if limit <= 0 {
		limit = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(req.Context(), limit)
	resp, err := next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
