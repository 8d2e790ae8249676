package githubapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// scripted answers request n (from 1) with step(n); afterwards 200 "ok".
func scripted(t *testing.T, steps ...func(w http.ResponseWriter)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method == http.MethodPost && string(body) != "payload" {
			t.Errorf("request %d body = %q: the body was not replayed", n.Load()+1, body)
		}
		i := int(n.Add(1))
		if i <= len(steps) {
			steps[i-1](w)
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func status(code int, headers ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(code)
		io.WriteString(w, `{"message":"x"}`)
	}
}

func TestRetrier(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	reset := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
	secondary := func(w http.ResponseWriter) {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}`)
	}
	cases := []struct {
		name     string
		steps    []func(http.ResponseWriter)
		maxWait  time.Duration
		requests int32
		waits    []time.Duration
		errLike  string
		status   int
	}{
		{name: "ok at once", requests: 1, status: 200},
		{name: "502 then ok", steps: []func(http.ResponseWriter){status(502)}, requests: 2, waits: []time.Duration{time.Second}, status: 200},
		{name: "500 503 504 then ok: exponential", steps: []func(http.ResponseWriter){status(500), status(503), status(504)}, requests: 4,
			waits: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, status: 200},
		{name: "secondary with retry-after", steps: []func(http.ResponseWriter){status(403, "Retry-After", "30")}, requests: 2, waits: []time.Duration{30 * time.Second}, status: 200},
		{name: "429 with retry-after", steps: []func(http.ResponseWriter){status(429, "Retry-After", "5")}, requests: 2, waits: []time.Duration{5 * time.Second}, status: 200},
		{name: "secondary by message backs off from a minute", steps: []func(http.ResponseWriter){secondary, secondary}, requests: 3,
			waits: []time.Duration{time.Minute, 2 * time.Minute}, status: 200},
		{name: "primary within budget waits for reset", steps: []func(http.ResponseWriter){status(403, "X-Ratelimit-Remaining", "0", "X-Ratelimit-Reset", reset(90*time.Second))},
			requests: 2, waits: []time.Duration{91 * time.Second}, status: 200},
		{name: "primary beyond budget fails naming the reset", steps: []func(http.ResponseWriter){status(403, "X-Ratelimit-Remaining", "0", "X-Ratelimit-Reset", reset(time.Hour))},
			requests: 1, errLike: "2026-11-25T13:00:00Z"},
		{name: "plain 403 is not retried", steps: []func(http.ResponseWriter){status(403)}, requests: 1, status: 403},
		{name: "404 is not retried", steps: []func(http.ResponseWriter){status(404)}, requests: 1, status: 404},
		{name: "retries are bounded", steps: []func(http.ResponseWriter){status(500), status(500), status(500), status(500), status(500), status(500), status(500), status(500)},
			maxWait: time.Hour, requests: 7, waits: []time.Duration{1, 2, 4, 8, 16, 32}, status: 500},
		{name: "wait budget is bounded", steps: []func(http.ResponseWriter){status(403, "Retry-After", "400"), status(403, "Retry-After", "400")},
			requests: 2, waits: []time.Duration{400 * time.Second}, errLike: "max-wait"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, n := scripted(t, tc.steps...)
			var waits []time.Duration
			r := &Retrier{
				Now:     func() time.Time { return now },
				MaxWait: tc.maxWait,
				Sleep: func(_ context.Context, d time.Duration) error {
					waits = append(waits, d)
					return nil
				},
			}
			if tc.name == "retries are bounded" {
				for i := range tc.waits {
					tc.waits[i] *= time.Second
				}
			}
			req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("payload"))
			resp, err := (&http.Client{Transport: r}).Do(req)
			if tc.errLike != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errLike) {
					t.Fatalf("err = %v, want one saying %q", err, tc.errLike)
				}
			} else if err != nil {
				t.Fatal(err)
			} else {
				resp.Body.Close()
				if resp.StatusCode != tc.status {
					t.Errorf("status %d, want %d", resp.StatusCode, tc.status)
				}
			}
			if got := n.Load(); got != tc.requests {
				t.Errorf("%d requests, want %d", got, tc.requests)
			}
			if fmt.Sprint(waits) != fmt.Sprint(tc.waits) {
				t.Errorf("waits %v, want %v", waits, tc.waits)
			}
		})
	}
}

func TestRetrierOneRequestInFlight(t *testing.T) {
	var inFlight, most atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := inFlight.Add(1)
		for {
			m := most.Load()
			if c <= m || most.CompareAndSwap(m, c) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		inFlight.Add(-1)
	}))
	defer srv.Close()
	hc := &http.Client{Transport: &Retrier{}}
	done := make(chan struct{})
	for i := 0; i < 8; i++ {
		go func() {
			defer func() { done <- struct{}{} }()
			resp, err := hc.Get(srv.URL)
			if err == nil {
				resp.Body.Close()
			}
		}()
	}
	for i := 0; i < 8; i++ {
		<-done
	}
	if most.Load() != 1 {
		t.Errorf("%d requests were in flight at once", most.Load())
	}
}

func TestRetrierStopsWithContext(t *testing.T) {
	srv, _ := scripted(t, status(503))
	ctx, cancel := context.WithCancel(context.Background())
	r := &Retrier{Sleep: func(ctx context.Context, d time.Duration) error {
		cancel()
		return ctx.Err()
	}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	_, err := (&http.Client{Transport: r}).Do(req)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

type transportFunc func(*http.Request) (*http.Response, error)

func (f transportFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestRetrierKeepsTheNetworkCause: when back-off runs out of budget on a
// network failure, the error still says what failed.
func TestRetrierKeepsTheNetworkCause(t *testing.T) {
	cause := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	r := &Retrier{
		Next:    transportFunc(func(*http.Request) (*http.Response, error) { return nil, cause }),
		Now:     time.Now,
		MaxWait: 2 * time.Second,
		Sleep:   func(context.Context, time.Duration) error { return nil },
	}
	req, _ := http.NewRequest(http.MethodGet, "http://github.invalid/graphql", nil)
	_, err := (&http.Client{Transport: r}).Do(req)
	var op *net.OpError
	if !errors.As(err, &op) || !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), "max-wait") {
		t.Errorf("err = %v, want the budget and the network cause", err)
	}
}
