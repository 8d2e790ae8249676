package sentryapi

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// serveFiles answers each path below /api/0/organizations/acme/ with a
// file of testdata/sentry (or 404 for ""), and fails the test on any
// other path.
func serveFiles(t *testing.T, files map[string]string) *Client {
	t.Helper()
	mux := http.NewServeMux()
	for endpoint, file := range files {
		mux.HandleFunc("GET /api/0/organizations/acme/"+endpoint+"/{$}", func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer t0ken" {
				t.Errorf("%s: Authorization %q", r.URL.Path, r.Header.Get("Authorization"))
			}
			if file == "" {
				http.NotFound(w, r)
				return
			}
			b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "sentry", file))
			if err != nil {
				t.Error(err)
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write(b)
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &Client{BaseURL: srv.URL, Token: "t0ken", HTTP: srv.Client(), Sleep: (&sleeper{}).Sleep, Now: func() time.Time { return now }}
}

func day2025(dd int) time.Time { return time.Date(2025, 8, dd, 0, 0, 0, 0, time.UTC) }

func TestReferenceResponses(t *testing.T) {
	t.Parallel()
	q := Query{Org: "acme", Projects: []int64{1}}

	t.Run("events-stats", func(t *testing.T) {
		t.Parallel()
		// 1754956800 is 2025-08-12; the file's 412, 0, 389 are E of the
		// 12th, 13th and 14th. The 15th is not in it.
		c := serveFiles(t, map[string]string{"events-timeseries": "", "events-stats": "events-stats.SYNTHETIC-from-source.json"})
		got, err := c.DailyErrorEvents(t.Context(), q, day2025(12), day2025(16))
		if err != nil {
			t.Fatal(err)
		}
		exp := []Day{{"2025-08-12", 412, true}, {"2025-08-13", 0, true}, {"2025-08-14", 389, true}, {"2025-08-15", 0, false}}
		if diff := cmp.Diff(exp, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("events-timeseries example is hourly", func(t *testing.T) {
		t.Parallel()
		c := serveFiles(t, map[string]string{"events-timeseries": "events-timeseries.openapi-example.json"})
		_, err := c.DailyErrorEvents(t.Context(), q, day2025(12), day2025(13))
		want := `sentry: count the error events of organization "acme": Sentry answered with buckets of 3600, not of one day`
		if err == nil || err.Error() != want {
			t.Errorf("error %v, want %s", err, want)
		}
	})
	t.Run("sessions count_unique(user)", func(t *testing.T) {
		t.Parallel()
		c := serveFiles(t, map[string]string{"sessions": "sessions-count_unique-user-1d.SYNTHETIC-from-tests.json"})
		got, err := c.DailyActiveUsers(t.Context(), q, utc(14), utc(16))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]Day{{"2026-08-14", 0, true}, {"2026-08-15", 6, true}}, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("sessions without data", func(t *testing.T) {
		t.Parallel()
		c := serveFiles(t, map[string]string{"sessions": "sessions-no-data.SYNTHETIC-from-tests.json"})
		got, err := c.DailyActiveUsers(t.Context(), q, utc(14), utc(16))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]Day{{"2026-08-14", 0, false}, {"2026-08-15", 0, false}}, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("issues", func(t *testing.T) {
		t.Parallel()
		c := serveFiles(t, map[string]string{"issues": "organization-issues.openapi-example.json"})
		n, window, err := c.UnresolvedIssues(t.Context(), q)
		if err != nil || n != 1 || window != "14d" {
			t.Errorf("UnresolvedIssues = %d, %q, %v; want 1, \"14d\", nil", n, window, err)
		}
	})
	t.Run("projects", func(t *testing.T) {
		t.Parallel()
		c := serveFiles(t, map[string]string{"projects": "organization-projects.openapi-example.json"})
		ids, err := c.ResolveProjects(t.Context(), "acme", []string{"prime-mover"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{3}, ids); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("wrong shapes", func(t *testing.T) {
		t.Parallel()
		// A sessions answer where events are expected, and the reverse.
		c := serveFiles(t, map[string]string{
			"events-timeseries": "sessions-no-data.SYNTHETIC-from-tests.json",
			"sessions":          "events-stats.SYNTHETIC-from-source.json",
		})
		_, err := c.DailyErrorEvents(t.Context(), q, utc(14), utc(15))
		if err == nil || !strings.HasSuffix(err.Error(), "the answer has no timeSeries") {
			t.Errorf("events error %v", err)
		}
		_, err = c.DailyActiveUsers(t.Context(), q, utc(14), utc(15))
		if err == nil || !strings.HasSuffix(err.Error(), "the answer has no intervals") {
			t.Errorf("sessions error %v", err)
		}
	})
}
