package main

import (
	"testing"

	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// TestClarifiedRulesThroughTheBinary runs docs/definitions.md's clarified rules
// through the binary: equal timestamps in timeline order, a review while
// the pull request is closed, and a deleted account's review.
func TestClarifiedRulesThroughTheBinary(t *testing.T) {
	u := githubfake.User
	repo := githubfake.Repo{Owner: "acme", Name: "widgets", PullRequests: []githubfake.PullRequest{
		// Bob's review comes before his by-name request of the same
		// second: it answers acme/core (3h); his request, made after his
		// review, waits from 11-20 12:00 (120h at the as-of).
		{Number: 1, Title: "Tie", Author: u("alice"), CreatedAt: at("2026-11-20T08:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-11-20T09:00"), githubfake.Team("acme/core")),
			githubfake.Review(at("2026-11-20T12:00"), u("bob"), "COMMENTED"),
			githubfake.Requested(at("2026-11-20T12:00"), u("bob")),
		}},
		// The close withdraws dave's and erin's requests (two withdrawn);
		// dave reviews while closed, so only erin's starts again at the
		// reopen and waits from 11-23 09:00 (51h).
		{Number: 2, Title: "Closed review", Author: u("carol"), CreatedAt: at("2026-11-21T08:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-11-21T09:00"), u("dave")),
			githubfake.Requested(at("2026-11-21T09:00"), u("erin")),
			githubfake.Closed(at("2026-11-22T09:00")),
			githubfake.Review(at("2026-11-22T10:00"), u("dave"), "APPROVED"),
			githubfake.Reopened(at("2026-11-23T09:00")),
		}},
		// The deleted account's review at 10:00 answers nothing; grace's
		// at 11:00 answers acme/core (2h).
		{Number: 3, Title: "Deleted reviewer", Author: u("frank"), CreatedAt: at("2026-11-24T08:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-11-24T09:00"), githubfake.Team("acme/core")),
			githubfake.Review(at("2026-11-24T10:00"), nil, "APPROVED"),
			githubfake.Review(at("2026-11-24T11:00"), u("grace"), "COMMENTED"),
		}},
	}}
	srv := githubfake.New(t, repo)
	srv.SetStrict(true)
	r := runAction(t, srv, map[string]string{"as-of": "2026-11-25T12:00:00Z", "commit": "false", "backfill": "0d"})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout.String(), r.stderr.String())
	}
	// Answered 2h and 3h: median (1st) 2, p90 (⌈1.8⌉ = 2nd) 3, mean 2.5,
	// both within 24h. Withdrawn 2; waiting bob 120h and erin 51h, both
	// over the SLA.
	want := map[string]string{
		"review-wait-median-hours": "2", "review-wait-p90-hours": "3", "review-wait-mean-hours": "2.5",
		"review-wait-max-hours": "3", "review-requests-answered": "2", "review-answered-within-sla-ratio": "1",
		"review-requests-withdrawn": "2", "review-requests-waiting": "2", "review-requests-over-sla": "2",
	}
	out := outputsOf(t, r.outputs)
	for k, v := range want {
		if out[k] != v {
			t.Errorf("output %s = %q, want %q", k, out[k], v)
		}
	}
}
