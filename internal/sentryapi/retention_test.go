package sentryapi

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/testkit/sentryfake"
)

func TestRetentionStart(t *testing.T) {
	cases := []struct {
		name      string
		now       time.Time
		retention time.Duration
		exp       time.Time
	}{
		// 2026-08-20 06:00 − 30 days = 2026-07-21 06:00: 07-21 is held only
		// in part, so the first day held in full is 07-22.
		{"mid-day", now, 30 * day, time.Date(2026, 7, 22, 0, 0, 0, 0, time.UTC)},
		// At midnight the limit is a midnight and that day is held whole.
		{"midnight", utc(20), 30 * day, time.Date(2026, 7, 21, 0, 0, 0, 0, time.UTC)},
		{"90 days", now, 90 * day, time.Date(2026, 5, 23, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := RetentionStart(tc.now, tc.retention); !got.Equal(tc.exp) {
				t.Errorf("RetentionStart = %s, want %s", got, tc.exp)
			}
		})
	}
}

// TestSourceRetention: the fake keeps events for 30 days, so at now
// (2026-08-20 06:00) it holds 08-22 − 30 = 07-22 onwards in full (see
// TestRetentionStart). Every day has 10 events and 4 users.
func TestSourceRetention(t *testing.T) {
	cases := []struct {
		name      string
		retention time.Duration // the sentry-retention input
		from      time.Time
		held      time.Time
		requests  int // to events-timeseries
	}{
		// The input is right: the range starts at 07-22, whose probe
		// (07-21 … 07-22) is answered; then one query.
		{"input right", 30 * day, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 22, 0, 0, 0, 0, time.UTC), 2},
		// The input is too long: the range starts at 05-23 (see
		// TestRetentionStart), whose probe is refused. The binary search
		// over the 89 days 05-24 … 08-20 (index i is 05-24 + i; 07-22 is
		// i = 59) probes i = 44 (refused), 67 (held), 56 (refused), 62,
		// 59 (held) and 58 (refused): 6 probes. Then the days held are
		// asked in one query: 1 + 6 + 1.
		{"input too long", 90 * day, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 22, 0, 0, 0, 0, time.UTC), 8},
		// The range starts well inside retention: one probe, one query.
		{"recent range", 30 * day, utc(10), utc(10), 2},
		// Nothing is held: the range 05-01 … 05-31 ends before the limit.
		// The probe of 05-01 is refused, then the search over 05-02 …
		// 06-01 (31 days) probes i = 15, 23, 27, 29 and 30, all refused:
		// 1 + 5 requests and no query.
		{"all too old", 400 * day, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), 6},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, c, _ := setup(t)
			s.SetRetention(30*day, 30*day)
			events, users := map[string]int64{}, map[string]int64{}
			for d := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC); d.Before(utc(20)); d = d.Add(day) {
				events[d.Format(time.DateOnly)], users[d.Format(time.DateOnly)] = 10, 4
			}
			s.SetEvents(11, "", events)
			s.SetUsers(users)
			src := &Source{Client: c, Org: sentryfake.DefaultOrg, Projects: []string{"11"}, Retention: tc.retention}
			to := utc(20)
			if tc.name == "all too old" {
				to = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
			}
			got, _, err := src.Days(context.Background(), tc.from, to)
			if err != nil {
				t.Fatal(err)
			}
			if !src.HeldFrom().Equal(tc.held) {
				t.Errorf("HeldFrom = %s, want %s", src.HeldFrom().Format(time.DateOnly), tc.held.Format(time.DateOnly))
			}
			var want []kpi.ErrorDay
			for d := tc.held; d.Before(to); d = d.Add(day) {
				e, u := int64(10), int64(4)
				want = append(want, kpi.ErrorDay{Date: d.Format(time.DateOnly), Events: &e, Users: &u})
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("days (-want +got):\n%s", diff)
			}
			if n := s.RequestsTo(sentryfake.RouteEventsTimeseries); n != tc.requests {
				t.Errorf("%d events-timeseries requests, want %d", n, tc.requests)
			}
		})
	}
}

// TestDailyErrorEventsOutsideRetention: a range that ends before the
// limit is refused by Sentry; the client reports no day rather than fail.
func TestDailyErrorEventsOutsideRetention(t *testing.T) {
	s, c, _ := setup(t)
	s.SetRetention(30*day, 30*day)
	s.SetEvents(11, "", map[string]int64{"2026-06-01": 5})
	q := Query{Org: sentryfake.DefaultOrg, Projects: []int64{11}}
	from := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	got, err := c.DailyErrorEvents(context.Background(), q, from, from.Add(2*day))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(days("2026-06-01", nil, "2026-06-02", nil), got); diff != "" {
		t.Errorf("days (-want +got):\n%s", diff)
	}
	if calls := s.Calls(); len(calls) != 1 || calls[0].Status != 400 {
		t.Errorf("calls %+v, want one refused", calls)
	}
}

// TestDailyErrorEventsPerProject: without global views Sentry refuses a
// query over two projects; the client asks one project at a time, adds
// them up, and remembers.
func TestDailyErrorEventsPerProject(t *testing.T) {
	cases := []struct {
		name     string
		projects []int64
		// routes is the requests of the first call, in order.
		routes []sentryfake.Route
	}{
		// Refused, then web and api.
		{"two projects", []int64{11, 12}, []sentryfake.Route{sentryfake.RouteEventsTimeseries, sentryfake.RouteEventsTimeseries, sentryfake.RouteEventsTimeseries}},
		// project=-1 covers both, and is refused too: the projects are
		// listed, then each asked.
		{"all projects", nil, []sentryfake.Route{sentryfake.RouteEventsTimeseries, sentryfake.RouteProjects, sentryfake.RouteEventsTimeseries, sentryfake.RouteEventsTimeseries}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, c, _ := setup(t)
			s.SetGlobalViews(false)
			s.SetEvents(11, "", map[string]int64{"2026-08-17": 3, "2026-08-18": 4})
			s.SetEvents(12, "", map[string]int64{"2026-08-18": 40})
			q := Query{Org: sentryfake.DefaultOrg, Projects: tc.projects}
			// By hand: 08-17: 3 + 0 = 3; 08-18: 4 + 40 = 44.
			want := days("2026-08-17", 3, "2026-08-18", 44)
			got, err := c.DailyErrorEvents(context.Background(), q, utc(17), utc(19))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("days (-want +got):\n%s", diff)
			}
			var routes []sentryfake.Route
			for _, call := range s.Calls() {
				routes = append(routes, call.Route)
			}
			if diff := cmp.Diff(tc.routes, routes); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			// A second call goes straight to one query a project.
			before := s.RequestsTo(sentryfake.RouteEventsTimeseries)
			if _, err := c.DailyErrorEvents(context.Background(), Query{Org: sentryfake.DefaultOrg, Projects: []int64{11, 12}}, utc(17), utc(19)); err != nil {
				t.Fatal(err)
			}
			if n := s.RequestsTo(sentryfake.RouteEventsTimeseries) - before; n != 2 {
				t.Errorf("second call: %d events-timeseries requests, want 2", n)
			}
		})
	}
}
