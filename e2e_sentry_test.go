package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
	"github.com/engineering-kpis/engineering-kpis/internal/testkit/sentryfake"
)

func sentryServer(t *testing.T) *sentryfake.Server {
	s := sentryfake.New(t)
	s.SetNow(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	s.SetProjects(sentryfake.Project{ID: 11, Slug: "web", Name: "Web"}, sentryfake.Project{ID: 12, Slug: "api", Name: "API"})
	s.SetEvents(11, "production", map[string]int64{
		"2026-11-12": 10, "2026-11-13": 10, "2026-11-14": 10, "2026-11-15": 10, "2026-11-16": 10, "2026-11-17": 10,
		"2026-11-19": 100, "2026-11-20": 120, "2026-11-21": 80, "2026-11-22": 60, "2026-11-23": 90, "2026-11-24": 150,
		// Today's partial day is never counted.
		"2026-11-25": 999,
	})
	// Another environment and another project are filtered out.
	s.SetEvents(11, "staging", map[string]int64{"2026-11-20": 5000})
	s.SetEvents(12, "production", map[string]int64{"2026-11-20": 7000})
	s.SetUsers(map[string]int64{
		"2026-11-12": 20, "2026-11-13": 20, "2026-11-14": 20, "2026-11-15": 20, "2026-11-16": 20, "2026-11-17": 20,
		"2026-11-19": 50, "2026-11-20": 60, "2026-11-21": 40, "2026-11-22": 0, "2026-11-23": 30, "2026-11-24": 70,
	})
	seen := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	s.SetIssues(
		sentryfake.Issue{ID: 1, ProjectID: 11, Status: "unresolved", Environment: "production", LastSeen: seen, Title: "TypeError"},
		sentryfake.Issue{ID: 2, ProjectID: 11, Status: "unresolved", Environment: "production", LastSeen: seen, Title: "KeyError"},
		sentryfake.Issue{ID: 3, ProjectID: 11, Status: "unresolved", Environment: "production", LastSeen: seen, Title: "Timeout"},
		sentryfake.Issue{ID: 4, ProjectID: 11, Status: "resolved", Environment: "production", LastSeen: seen, Title: "Fixed"},
	)
	return s
}

func TestActionSentry(t *testing.T) {
	gh := githubfake.New(t, widgets())
	se := sentryServer(t)
	r := runAction(t, gh, map[string]string{
		"as-of": "2026-11-25T12:00:00Z", "commit": "false", "backfill": "0d", "window": "7d",
		"sentry-token": sentryfake.DefaultToken, "sentry-org": "acme", "sentry-projects": "web",
		"sentry-environment": "production", "sentry-url": se.URL(),
	})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout.String(), r.stderr.String())
	}
	// By hand: the 7-day window ending 2026-11-25 12:00 reaches back to
	// 11-18 12:00, so it spans the complete days 11-18 … 11-24 (11-18 has
	// no events and no users). ΣE = 0+100+120+80+60+90+150 = 600, ΣU =
	// 0+50+60+40+0+30+70 = 250, ΣE/ΣU = 2.4. The window before (11-11 …
	// 11-17): 60/120 = 0.5. Yesterday: 150/70 = 2.142857. 11-18 and 11-22
	// have no active users. Unresolved issues: 3.
	out := outputsOf(t, r.outputs)
	for k, want := range map[string]string{
		"sentry-events": "600", "sentry-active-users": "250",
		"sentry-events-per-user-day": "2.4", "sentry-unresolved-issues": "3",
	} {
		if out[k] != want {
			t.Errorf("output %s = %q, want %q", k, out[k], want)
		}
	}
	summary, _ := os.ReadFile(r.summary)
	for _, s := range []string{
		"| **Events per user-day (ΣE/ΣU, window)** | **2.4** |",
		"| Previous window | 0.5 |",
		"| Change vs previous window | +1.9 (+380%, worse) |",
		"| Yesterday (2026-11-24) | 2.142857 (E = 150, U = 70) |",
		"| Days with no active users recorded | 2 |",
		"the old KPI this one replaces",
	} {
		if !strings.Contains(string(summary), s) {
			t.Errorf("summary lacks %q", s)
		}
	}
	hist, _ := wholeHistory(r.workspace)
	for _, s := range []string{`"sentry_days": [`, `{"date":"2026-11-22","events":60,"users":0}`, `"sentry_events_per_user_day": 2.4`} {
		if !strings.Contains(string(hist), s) {
			t.Errorf("history lacks %s", s)
		}
	}
	if _, err := os.Stat(filepath.Join(r.workspace, ".github/kpis/sentry-events-per-user.png")); err != nil {
		t.Error(err)
	}
	for name, data := range map[string][]byte{"stdout": r.stdout.Bytes(), "stderr": r.stderr.Bytes(), "summary": summary, "history": hist} {
		if name == "stdout" {
			data = []byte(strings.Replace(string(data), "::add-mask::"+sentryfake.DefaultToken, "", 1))
		}
		if strings.Contains(string(data), sentryfake.DefaultToken) {
			t.Errorf("the Sentry token appears in %s", name)
		}
	}
}

func TestActionSentryActiveUsersFile(t *testing.T) {
	gh := githubfake.New(t, widgets())
	gh.SetFile("acme", "widgets", "", "analytics/users.csv", []byte("date,users\n2026-11-19,100\n2026-11-20,100\n2026-11-21,100\n2026-11-22,100\n2026-11-23,100\n2026-11-24,100\n"))
	se := sentryServer(t)
	se.SetUsers(map[string]int64{}) // the app sends no sessions
	r := runAction(t, gh, map[string]string{
		"as-of": "2026-11-25T12:00:00Z", "backfill": "0d", "window": "7d",
		"sentry-token": sentryfake.DefaultToken, "sentry-org": "acme", "sentry-projects": "11",
		"sentry-environment": "production", "sentry-url": se.URL(), "active-users": "analytics/users.csv",
	})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout.String(), r.stderr.String())
	}
	// ΣE = 600 as above, ΣU = 6 × 100 = 600 from the file read from the
	// branch (there is no checkout): 1.
	out := outputsOf(t, r.outputs)
	if out["sentry-events-per-user-day"] != "1" || out["sentry-active-users"] != "600" {
		t.Errorf("outputs %v", out)
	}
	summary, _ := os.ReadFile(r.summary)
	if !strings.Contains(string(summary), "users.csv") {
		t.Errorf("summary does not say where U came from:\n%s", summary)
	}
}

func TestActionWithoutSentryHasNoSentrySection(t *testing.T) {
	gh := githubfake.New(t, widgets())
	r := runAction(t, gh, map[string]string{"as-of": "2026-11-25T12:00:00Z", "commit": "false", "backfill": "0d"})
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	summary, _ := os.ReadFile(r.summary)
	if strings.Contains(string(summary), "Sentry") {
		t.Error("summary has a Sentry section without Sentry inputs")
	}
	if _, ok := outputsOf(t, r.outputs)["sentry-events-per-user-day"]; ok {
		t.Error("Sentry output set without Sentry inputs")
	}
}

func TestActionSentryBadToken(t *testing.T) {
	gh := githubfake.New(t, widgets())
	se := sentryServer(t)
	r := runAction(t, gh, map[string]string{
		"as-of": "2026-11-25T12:00:00Z", "commit": "false", "backfill": "0d",
		"sentry-token": "sntryu_wrong", "sentry-org": "acme", "sentry-url": se.URL(),
	})
	if r.code != 1 || !strings.Contains(r.stdout.String(), "sentry-token") {
		t.Errorf("exit %d:\n%s", r.code, r.stdout.String())
	}
	if entries, _ := os.ReadDir(filepath.Join(r.workspace, ".github")); len(entries) != 0 {
		t.Error("files written on failure")
	}
}

// TestActionSentryRetention runs the binary against a fake Sentry that,
// like the real one, keeps 30 days of events: it moves an older start to
// now − 30 days and reports the days before as zeros. The run is told
// sentry-retention: 90d (too long), so it must find the real limit by
// asking Sentry, and leave the days Sentry no longer holds out.
func TestActionSentryRetention(t *testing.T) {
	now := time.Now().UTC()
	if next := now.Truncate(24 * time.Hour).Add(24 * time.Hour); next.Sub(now) < 30*time.Second {
		// The binary reads its own clock: keep both on the same UTC day.
		time.Sleep(next.Sub(now) + time.Second)
		now = time.Now().UTC()
	}
	today := now.Truncate(24 * time.Hour)
	day := func(k int) string { return today.AddDate(0, 0, -k).Format("2006-01-02") }
	gh := githubfake.New(t, widgets())
	se := sentryfake.New(t)
	se.SetNow(now)
	se.SetRetention(30*24*time.Hour, 90*24*time.Hour)
	se.SetProjects(sentryfake.Project{ID: 11, Slug: "web"})
	events, users := map[string]int64{}, map[string]int64{}
	for k := 1; k <= 120; k++ {
		events[day(k)], users[day(k)] = 10, 5
	}
	se.SetEvents(11, "production", events)
	se.SetUsers(users)
	r := runAction(t, gh, map[string]string{
		"commit": "false", "backfill": "40d", "window": "35d",
		"sentry-token": sentryfake.DefaultToken, "sentry-org": "acme", "sentry-projects": "web",
		"sentry-environment": "production", "sentry-url": se.URL(), "sentry-retention": "90d",
	})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout.String(), r.stderr.String())
	}
	// By hand, with T today: every day has 10 events and 5 users, 2 events
	// per user. Sentry's limit, now − 30 days, falls inside day T−30, so
	// it holds T−29 … T−1 in full (29 days). The 35-day window spans
	// T−35 … T−1: ΣE = 29 × 10 = 290, ΣU = 29 × 5 = 145, ΣE/ΣU = 2. Had the
	// zeros been taken as real days, ΣE would be at most 290 plus part of
	// T−30 while ΣU = 35 × 5 = 175 (sessions are kept 90 days): about 1.7.
	out := outputsOf(t, r.outputs)
	for k, want := range map[string]string{"sentry-events": "290", "sentry-active-users": "145", "sentry-events-per-user-day": "2"} {
		if out[k] != want {
			t.Errorf("output %s = %q, want %q", k, out[k], want)
		}
	}
	// The probe of T−89 is refused ("Please try a more recent date
	// range"), so a binary search over T−88 … T finds T−29: at most 1 +
	// ⌈log2 89⌉ = 8 one-day probes, then one query for the days held.
	if n := se.RequestsTo(sentryfake.RouteEventsTimeseries); n < 3 || n > 9 {
		t.Errorf("%d events-timeseries requests, want 3 to 9", n)
	}
	summary, _ := os.ReadFile(r.summary)
	// The window's 6 days T−35 … T−30 have no data; the previous window
	// (T−70 … T−36) has none at all, so its value is empty.
	for _, s := range []string{
		"| **Events per user-day (ΣE/ΣU, window)** | **2** |",
		"| Days before " + day(29) + ", which Sentry no longer keeps | no data (6 days, left out) |",
		"| Previous window | – |",
	} {
		if !strings.Contains(string(summary), s) {
			t.Errorf("summary lacks %q:\n%s", s, summary)
		}
	}
	if strings.Contains(string(summary), "Days Sentry did not report") {
		t.Error("days beyond retention are counted as days Sentry did not report")
	}
	raw, _ := wholeHistory(r.workspace)
	var hist struct {
		Snapshots []struct {
			Date    string              `json:"date"`
			Metrics map[string]*float64 `json:"metrics"`
		} `json:"snapshots"`
		Days []struct {
			Date   string `json:"date"`
			Events *int64 `json:"events"`
		} `json:"sentry_days"`
	}
	if err := json.Unmarshal(raw, &hist); err != nil {
		t.Fatal(err)
	}
	// Only the 29 days held are kept, from T−29; T−30 (counted in part)
	// and the days before are absent, not zero.
	if len(hist.Days) != 29 || hist.Days[0].Date != day(29) || *hist.Days[0].Events != 10 {
		t.Errorf("sentry_days: %d days from %v, want 29 from %s", len(hist.Days), hist.Days[0], day(29))
	}
	// Backfilled snapshot of date D covers D−34 … D: for D = T−30 no day
	// is held, so the figures are null; for D = T−29 one day is: 10/5 = 2.
	want := map[string]*float64{day(30): nil, day(35): nil, day(29): ptrTo(2)}
	for _, s := range hist.Snapshots {
		w, ok := want[s.Date]
		if !ok {
			continue
		}
		delete(want, s.Date)
		got, present := s.Metrics["sentry_events_per_user_day"]
		if !present || (got == nil) != (w == nil) || (got != nil && *got != *w) {
			t.Errorf("snapshot %s: sentry_events_per_user_day = %v (present %t), want %v", s.Date, deref(got), present, deref(w))
		}
		if w == nil && s.Metrics["sentry_events"] != nil {
			t.Errorf("snapshot %s: sentry_events = %v with no day held", s.Date, *s.Metrics["sentry_events"])
		}
	}
	if len(want) > 0 {
		t.Errorf("no snapshots for %v", want)
	}
}

// TestActionSentryWithoutGlobalViews runs the binary against a fake of an
// older self-hosted Sentry without the organizations:global-views
// feature, which refuses to count two projects in one query.
func TestActionSentryWithoutGlobalViews(t *testing.T) {
	gh := githubfake.New(t, widgets())
	se := sentryServer(t)
	se.SetGlobalViews(false)
	r := runAction(t, gh, map[string]string{
		"as-of": "2026-11-25T12:00:00Z", "commit": "false", "backfill": "0d", "window": "7d",
		"sentry-token": sentryfake.DefaultToken, "sentry-org": "acme", "sentry-projects": "web,api",
		"sentry-environment": "production", "sentry-url": se.URL(),
	})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout.String(), r.stderr.String())
	}
	// By hand: web has ΣE = 600 over 11-18 … 11-24 (see TestActionSentry)
	// and api 7000 on 11-20, so ΣE = 7600 and ΣU = 250: 30.4.
	out := outputsOf(t, r.outputs)
	if out["sentry-events"] != "7600" || out["sentry-events-per-user-day"] != "30.4" {
		t.Errorf("outputs %v", out)
	}
	// The first two-project query was refused; every later one asked one
	// project at a time.
	refused := 0
	for _, c := range se.Calls() {
		if c.Route != sentryfake.RouteEventsTimeseries {
			continue
		}
		if c.Status == 400 {
			refused++
		} else if len(c.Query["project"]) != 1 {
			t.Errorf("answered query over projects %v", c.Query["project"])
		}
	}
	if refused != 1 {
		t.Errorf("%d refused queries, want 1", refused)
	}
}

func ptrTo(v float64) *float64 { return &v }

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
