package sentryapi

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/testkit/sentryfake"
)

// now is the tests' clock: a Thursday morning, well after the days asked.
var now = time.Date(2026, 8, 20, 6, 0, 0, 0, time.UTC)

// utc is midnight UTC of 2026-08-dd.
func utc(dd int) time.Time { return time.Date(2026, 8, dd, 0, 0, 0, 0, time.UTC) }

// sleeper records the waits asked of it and never sleeps.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return ctx.Err()
}

func (s *sleeper) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// setup starts a fake Sentry with two projects and a client for it.
func setup(t *testing.T) (*sentryfake.Server, *Client, *sleeper) {
	t.Helper()
	s := sentryfake.New(t)
	s.SetNow(now)
	s.SetProjects(
		sentryfake.Project{ID: 11, Slug: "web"},
		sentryfake.Project{ID: 12, Slug: "api"},
	)
	sl := &sleeper{}
	c := &Client{
		BaseURL: s.URL(),
		Token:   sentryfake.DefaultToken,
		HTTP:    s.Client(),
		Sleep:   sl.Sleep,
		Now:     func() time.Time { return now },
	}
	return s, c, sl
}

// days builds expected Days from date, value pairs; a nil value is a
// day Sentry did not report.
func days(vals ...any) []Day {
	var out []Day
	for i := 0; i < len(vals); i += 2 {
		d := Day{Date: vals[i].(string)}
		if v, ok := vals[i+1].(int); ok {
			d.Value, d.Present = int64(v), true
		}
		out = append(out, d)
	}
	return out
}

func asError(err error, target **Error) bool { return errors.As(err, target) }

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
