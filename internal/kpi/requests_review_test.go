package kpi

import (
	"testing"
	"time"
)

// Cases found in review, each worked out by hand from docs/definitions.md.
func TestRequestsReviewFindings(t *testing.T) {
	asOf := at("2026-11-10T00:00")
	cases := []struct {
		name string
		pr   PullRequest
		// want maps reviewer login to outcome, or "absent".
		want map[string]Outcome
	}{
		{
			// Bob is requested by name at 12:00, the moment he reviews with
			// no team attached; the timeline lists the review first. Equal
			// timestamps follow timeline order: he was not requested by
			// name before that review, so it answers the team request.
			name: "named at the review's own time",
			pr: PullRequest{Number: 1, Author: Actor{Login: "alice"}, Events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evReview("2026-11-02T12:00", usr("bob"), "COMMENTED"),
				evRequest("2026-11-02T12:00", usr("bob")),
			)},
			want: map[string]Outcome{"acme/core": Answered, "bob": Waiting},
		},
		{
			// Bob's request is withdrawn by the close and removed while the
			// pull request is closed: the reopen does not restart it.
			name: "removed while closed is not restarted",
			pr: PullRequest{Number: 2, Author: Actor{Login: "alice"}, Events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evRequest("2026-11-02T09:00", usr("carol")),
				evClose("2026-11-03T09:00"),
				evRemove("2026-11-03T10:00", usr("bob")),
				evReopen("2026-11-04T09:00"),
			)},
			// bob: one withdrawn request; carol: withdrawn, then waiting.
			want: map[string]Outcome{"bob": Withdrawn, "carol": Waiting},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			last := map[string]Outcome{}
			count := map[string]int{}
			for _, r := range Requests(tc.pr, asOf, Filter{}) {
				last[r.Reviewer.Login] = r.Outcome
				count[r.Reviewer.Login]++
			}
			for who, want := range tc.want {
				if last[who] != want {
					t.Errorf("%s: %s, want %s", who, last[who], want)
				}
			}
			if tc.name == "removed while closed is not restarted" && (count["bob"] != 1 || count["carol"] != 2) {
				t.Errorf("requests per reviewer %v, want bob 1 and carol 2", count)
			}
		})
	}
}

func TestHoursRoundsHalfUp(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want float64
	}{
		{time.Hour + 18*time.Second, 1.01}, // 1.005 h
		{8*time.Minute + 42*time.Second, 0.15},
		{17*time.Minute + 6*time.Second, 0.29},
		{time.Hour + 17*time.Second, 1},
		{0, 0},
		{90 * time.Minute, 1.5},
	}
	for _, tc := range cases {
		if got := Hours(tc.d); got != tc.want {
			t.Errorf("Hours(%v) = %v, want %v", tc.d, got, tc.want)
		}
	}
	for _, c := range []struct {
		k, n int
		want float64
	}{{1, 6, 0.1667}, {2, 3, 0.6667}, {1, 8, 0.125}, {1, 20000, 0.0001}, {1, 40000, 0}, {0, 5, 0}, {5, 5, 1}} {
		if got := Ratio(c.k, c.n); got != c.want {
			t.Errorf("Ratio(%d, %d) = %v, want %v", c.k, c.n, got, c.want)
		}
	}
}
