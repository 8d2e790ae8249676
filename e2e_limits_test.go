package main

// End-to-end tests of the limits and refusals GitHub really sends
// (README "Limits and failure modes"): the binary against the fake, whose
// canned answers quote GitHub's bodies (see internal/githubfake). The
// waits are real but short: resets and retry-after of about a second.

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// limited is widgets on a fake whose GraphQL request n (from 1) gets
// fault(), with a README so that the branch exists.
func limited(t *testing.T, n int, fault func() *githubfake.Fault) *githubfake.Server {
	t.Helper()
	srv := githubfake.New(t, widgets())
	srv.SetFile("acme", "widgets", "", "README.md", []byte("# w\n"))
	srv.SetFault(func(i int, op string) *githubfake.Fault {
		if i == n {
			return fault()
		}
		return nil
	})
	return srv
}

var limitInputs = map[string]string{"as-of": "2026-11-25T12:00:00Z", "backfill": "0d"}

func TestActionWaitsForPrimaryRateLimit(t *testing.T) {
	// Reset now: the Retrier waits the second it adds to every reset.
	cases := map[string]func(time.Time) *githubfake.Fault{
		"type RATE_LIMITED":                       githubfake.PrimaryRateLimited,
		"type RATE_LIMIT code graphql_rate_limit": githubfake.PrimaryRateLimit,
	}
	for name, form := range cases {
		t.Run(name, func(t *testing.T) {
			srv := limited(t, 1, func() *githubfake.Fault { return form(time.Now()) })
			r := runAction(t, srv, limitInputs)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stdout.String())
			}
			if !strings.Contains(r.stdout.String(), "GitHub: GraphQL rate limit, waiting 1s before retrying") {
				t.Errorf("the wait for the reset is not logged:\n%s", r.stdout.String())
			}
			if n := len(srv.Commits("acme", "widgets", "main")); n != 2 {
				t.Errorf("%d commits, want the seed and the run's", n)
			}
		})
	}
	t.Run("max-wait 0m waits not at all", func(t *testing.T) {
		// One second to the reset is within 10 minutes but not within 0:
		// max-wait: 0m used to mean the 10-minute default.
		srv := limited(t, 1, func() *githubfake.Fault { return githubfake.PrimaryRateLimited(time.Now()) })
		inputs := map[string]string{"max-wait": "0m"}
		for k, v := range limitInputs {
			if k != "max-wait" {
				inputs[k] = v
			}
		}
		r := runAction(t, srv, inputs)
		if r.code != 1 || !strings.Contains(r.stdout.String(), "beyond the max-wait budget") || strings.Contains(r.stdout.String(), "waiting 1s") {
			t.Errorf("exit %d, want 1 without any wait:\n%s", r.code, r.stdout.String())
		}
	})
	t.Run("beyond max-wait", func(t *testing.T) {
		reset := time.Now().Add(2 * time.Hour).Truncate(time.Second)
		srv := limited(t, 1, func() *githubfake.Fault { return githubfake.PrimaryRateLimit(reset) })
		head := srv.Head("acme", "widgets", "main")
		r := runAction(t, srv, limitInputs)
		want := "rate limit is exhausted until " + reset.UTC().Format(time.RFC3339) + ", beyond the max-wait budget"
		if r.code != 1 || !strings.Contains(r.stdout.String(), want) {
			t.Errorf("exit %d, want 1 and an error saying %q:\n%s", r.code, want, r.stdout.String())
		}
		if srv.Head("acme", "widgets", "main") != head {
			t.Error("a commit was made")
		}
	})
}

func TestActionWaitsForSecondaryRateLimit(t *testing.T) {
	cases := []struct {
		name  string
		fault func() *githubfake.Fault
		log   string
	}{
		{"HTTP 200 with retry-after", func() *githubfake.Fault { return githubfake.SecondaryRateLimitOK(1, time.Time{}) },
			"GitHub: secondary rate limit (retry-after), waiting 1s before retrying"},
		{"HTTP 403 with retry-after", func() *githubfake.Fault { return githubfake.SecondaryRateLimit(1) },
			"GitHub: secondary rate limit (retry-after), waiting 1s before retrying"},
		{"HTTP 200 with x-ratelimit-remaining 0", func() *githubfake.Fault { return githubfake.SecondaryRateLimitOK(-1, time.Now()) },
			"GitHub: secondary rate limit (until x-ratelimit-reset), waiting 1s before retrying"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := limited(t, 1, tc.fault)
			r := runAction(t, srv, limitInputs)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stdout.String())
			}
			if !strings.Contains(r.stdout.String(), tc.log) {
				t.Errorf("log lacks %q:\n%s", tc.log, r.stdout.String())
			}
			if n := len(srv.Commits("acme", "widgets", "main")); n != 2 {
				t.Errorf("%d commits, want the seed and the run's", n)
			}
		})
	}
}

func TestActionRefusedByRuleset(t *testing.T) {
	cases := []struct {
		name       string
		protection *githubfake.Protection
		want       []string
	}{
		{"ruleset", githubfake.RulesetProtection(), []string{
			"commit to main of acme/widgets was refused by a repository ruleset (Repository rule violations found Changes must be made through a pull request.)",
			"on the ruleset's bypass list", "point the branch input at a data branch that no ruleset targets"}},
		{"branch protection", githubfake.BranchProtection(), []string{
			"commit to main of acme/widgets was refused by branch protection (Changes must be made through a pull request.)",
			"bypass the branch protection rules", "point the branch input at an unprotected data branch"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := githubfake.New(t, widgets())
			head := srv.SetFile("acme", "widgets", "", "README.md", []byte("# w\n"))
			srv.ProtectBranch("acme", "widgets", "main", tc.protection)
			r := runAction(t, srv, limitInputs)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1\n%s", r.code, r.stdout.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stdout.String(), "::error::") || !strings.Contains(r.stdout.String(), w) {
					t.Errorf("the error does not say %q:\n%s", w, r.stdout.String())
				}
			}
			if srv.Head("acme", "widgets", "main") != head || len(srv.Stats().Writes) != 1 {
				t.Errorf("the branch moved, or the refused commit was tried again (%d writes)", len(srv.Stats().Writes))
			}
		})
	}
}

// TestActionCountsTimeoutPoints: GitHub charges a timed-out query extra
// points it does not report; the log's figure is still what was charged.
func TestActionCountsTimeoutPoints(t *testing.T) {
	srv := limited(t, 2, func() *githubfake.Fault { return githubfake.GatewayTimeout(7) })
	r := runAction(t, srv, limitInputs)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stdout.String())
	}
	m := regexp.MustCompile(`GitHub API: (\d+) GraphQL requests, (\d+) points spent \((\d+) of them for 1 timed-out request\), (\d+) remaining`).FindStringSubmatch(r.stdout.String())
	if m == nil {
		t.Fatalf("no API line counting the timeout:\n%s", r.stdout.String())
	}
	charged := srv.Stats().Points
	points, _ := strconv.Atoi(m[2])
	extra, _ := strconv.Atoi(m[3])
	remaining, _ := strconv.Atoi(m[4])
	if points != charged || extra != 7 || remaining != githubfake.DefaultRateLimit-charged {
		t.Errorf("log says %s points (%s for the timeout), %s remaining; GitHub charged %d (7 for the timeout)", m[2], m[3], m[4], charged)
	}
}
