package githubapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/publish"
	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// budgeted is hardened with a max-wait budget.
func budgeted(fake *githubfake.Server, waits *[]time.Duration, budget time.Duration) *Client {
	c := hardened(fake, waits)
	c.Retrier.MaxWait = budget
	return c
}

// TestPrimaryRateLimitForms: both shapes GitHub sends for the primary
// limit (HTTP 200) wait for x-ratelimit-reset, also when
// x-ratelimit-remaining is not 0.
func TestPrimaryRateLimitForms(t *testing.T) {
	forms := map[string]func(time.Time) *githubfake.Fault{
		"RATE_LIMITED":                  githubfake.PrimaryRateLimited,
		"RATE_LIMIT graphql_rate_limit": githubfake.PrimaryRateLimit,
		"remaining not 0": func(reset time.Time) *githubfake.Fault {
			f := githubfake.PrimaryRateLimit(reset)
			f.Header.Set("X-Ratelimit-Remaining", "3")
			return f
		},
	}
	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			fake := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "synthetic", PullRequests: githubfake.Synthetic(10, 7)})
			reset := time.Now().Add(2 * time.Minute)
			fake.SetFault(func(n int, op string) *githubfake.Fault {
				if n == 1 {
					return form(reset)
				}
				return nil
			})
			var waits []time.Duration
			prs, err := hardened(fake, &waits).FetchPullRequests(context.Background(), "acme/synthetic", FetchOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(prs) != 10 {
				t.Errorf("got %d pull requests", len(prs))
			}
			if len(waits) != 1 || waits[0] < 110*time.Second || waits[0] > 122*time.Second {
				t.Errorf("waits %v, want one of about 2 minutes", waits)
			}
		})
	}
}

func TestPrimaryRateLimitBeyondBudget(t *testing.T) {
	for _, form := range []func(time.Time) *githubfake.Fault{githubfake.PrimaryRateLimited, githubfake.PrimaryRateLimit} {
		fake := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "synthetic", PullRequests: githubfake.Synthetic(3, 7)})
		reset := time.Now().Add(2 * time.Hour).Truncate(time.Second)
		fake.SetFault(func(int, string) *githubfake.Fault { return form(reset) })
		var waits []time.Duration
		_, err := hardened(fake, &waits).FetchPullRequests(context.Background(), "acme/synthetic", FetchOptions{})
		var rl *RateLimitError
		if !errors.As(err, &rl) || !strings.Contains(err.Error(), "exhausted until "+reset.UTC().Format(time.RFC3339)+", beyond the max-wait budget") {
			t.Errorf("err = %v, want a RateLimitError naming the reset", err)
		}
		if len(waits) != 0 || fake.Stats().Requests != 1 {
			t.Errorf("waits %v after %d requests, want none after 1", waits, fake.Stats().Requests)
		}
	}
}

// TestSecondaryRateLimitForms: GitHub answers a GraphQL secondary limit
// with HTTP 200 or 403; both are waited out as the REST one is.
func TestSecondaryRateLimitForms(t *testing.T) {
	reset := time.Now().Add(3 * time.Minute)
	cases := []struct {
		name    string
		faults  []*githubfake.Fault
		budget  time.Duration
		waits   []time.Duration // rounded to the minute when over one
		errLike string
	}{
		{name: "200 with retry-after", faults: []*githubfake.Fault{githubfake.SecondaryRateLimitOK(30, time.Time{})}, waits: []time.Duration{30 * time.Second}},
		{name: "403 with retry-after", faults: []*githubfake.Fault{githubfake.SecondaryRateLimit(30)}, waits: []time.Duration{30 * time.Second}},
		{name: "200 without retry-after backs off from a minute", faults: []*githubfake.Fault{githubfake.SecondaryRateLimitOK(-1, time.Time{}), githubfake.SecondaryRateLimitOK(-1, time.Time{})},
			waits: []time.Duration{time.Minute, 2 * time.Minute}},
		{name: "403 without retry-after backs off from a minute", faults: []*githubfake.Fault{githubfake.SecondaryRateLimit(-1), githubfake.SecondaryRateLimit(-1)},
			waits: []time.Duration{time.Minute, 2 * time.Minute}},
		{name: "200 with remaining 0 waits for the reset", faults: []*githubfake.Fault{githubfake.SecondaryRateLimitOK(-1, reset)}, waits: []time.Duration{3 * time.Minute}},
		{name: "200 retries are bounded", faults: repeat(githubfake.SecondaryRateLimitOK(-1, time.Time{}), 10), budget: 2 * time.Hour,
			waits: []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute}, errLike: "secondary rate limit (You have exceeded a secondary rate limit."},
		// After the Retrier's last retry, the 403 is a rate limit, not a
		// missing permission.
		{name: "403 retries are bounded", faults: repeat(githubfake.SecondaryRateLimit(-1), 10), budget: 2 * time.Hour,
			waits: []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute}, errLike: "GitHub's secondary rate limit persisted after every retry"},
		{name: "200 within max-wait", faults: repeat(githubfake.SecondaryRateLimitOK(-1, time.Time{}), 10), budget: 5 * time.Minute,
			waits: []time.Duration{time.Minute, 2 * time.Minute}, errLike: "waiting 4m0s more would exceed the max-wait budget"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "synthetic", PullRequests: githubfake.Synthetic(10, 7)})
			fake.SetFault(func(n int, op string) *githubfake.Fault {
				if n <= len(tc.faults) {
					return tc.faults[n-1]
				}
				return nil
			})
			var waits []time.Duration
			c := budgeted(fake, &waits, tc.budget)
			prs, err := c.FetchPullRequests(context.Background(), "acme/synthetic", FetchOptions{})
			if tc.errLike != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errLike) {
					t.Fatalf("err = %v, want one saying %q", err, tc.errLike)
				}
			} else if err != nil || len(prs) != 10 {
				t.Fatalf("%d pull requests, err %v; want all 10", len(prs), err)
			}
			for i := range waits {
				if waits[i] > time.Minute {
					waits[i] = waits[i].Round(time.Minute)
				}
			}
			if fmt.Sprint(waits) != fmt.Sprint(tc.waits) {
				t.Errorf("waits %v, want %v", waits, tc.waits)
			}
		})
	}
}

func repeat(f *githubfake.Fault, n int) []*githubfake.Fault {
	out := make([]*githubfake.Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// TestTimeoutPoints: GitHub charges a timed-out request extra points it
// does not report; the client measures them from x-ratelimit-remaining,
// so that its Points equal what GitHub charged.
func TestTimeoutPoints(t *testing.T) {
	cases := []struct {
		name string
		// timeout says which request times out: the nth of operation op.
		op         string
		nth        int
		unmeasured int
		ok200      bool
	}{
		// The page is asked again, smaller (shrink on timeout).
		{name: "shrunk page", op: "PullRequests", nth: 2},
		// The Retrier asks again after a back-off.
		{name: "retried query", op: "ReviewTeams", nth: 1},
		// Nothing was answered before it: the charge cannot be measured.
		{name: "first request", op: "PullRequests", nth: 1, unmeasured: 1},
		// A timeout told in an HTTP 200 errors array: the page shrinks,
		// and the charge is measured the same way.
		{name: "timeout in HTTP 200", op: "PullRequests", nth: 2, ok200: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "synthetic", PullRequests: githubfake.Synthetic(150, 7)})
			seen := 0
			fake.SetFault(func(n int, op string) *githubfake.Fault {
				if op == tc.op {
					if seen++; seen == tc.nth {
						if tc.ok200 {
							return &githubfake.Fault{Points: 7, Body: `{"data":null,"errors":[{"message":"We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists."}]}`}
						}
						return githubfake.GatewayTimeout(7)
					}
				}
				return nil
			})
			var waits []time.Duration
			c := hardened(fake, &waits)
			if _, err := c.FetchPullRequests(context.Background(), "acme/synthetic", FetchOptions{}); err != nil {
				t.Fatal(err)
			}
			st := fake.Stats()
			got := c.Stats
			if got.Timeouts != 1 || got.Unmeasured != tc.unmeasured || got.Remaining != githubfake.DefaultRateLimit-st.Points {
				t.Errorf("stats %+v: want 1 timeout, %d unmeasured, %d remaining", got, tc.unmeasured, githubfake.DefaultRateLimit-st.Points)
			}
			if tc.unmeasured == 0 && (got.Points != st.Points || got.TimeoutPoints != 7) {
				t.Errorf("client counts %d points (%d for the timeout), GitHub charged %d (7 for the timeout)", got.Points, got.TimeoutPoints, st.Points)
			}
			if tc.unmeasured > 0 && (got.Points != st.Points-7 || !strings.Contains(got.String(), "at least")) {
				t.Errorf("client counts %q, GitHub charged %d with 7 unmeasured: want a lower bound", got, st.Points)
			}
		})
	}
}

// TestCommitPoints: a mutation cannot ask for rateLimit; its charge is
// measured from x-ratelimit-remaining.
func TestCommitPoints(t *testing.T) {
	s := githubfake.New(t, app())
	s.SetFile("acme", "app", "", "team.txt", []byte("alice\n"))
	b := newBranch(t, s, s.APIURL(), "main")
	// One query first, so that the mutation's answer can be compared.
	if _, err := b.GraphQL.FetchPullRequests(context.Background(), "acme/app", FetchOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := publish.Publish(t.Context(), b, []string{"team.txt"}, nil, unionLines("team.txt", "dave"), "Add dave", publish.Retry{}); err != nil {
		t.Fatal(err)
	}
	if got, want := b.GraphQL.Stats.Points, s.Stats().Points; got != want || want < 2 {
		t.Errorf("client counts %d points, GitHub charged %d", got, want)
	}
}

func TestStatsString(t *testing.T) {
	cases := []struct {
		in  Stats
		exp string
	}{
		{Stats{Requests: 3, Points: 3, Remaining: 997}, "3 GraphQL requests, 3 points spent, 997 remaining"},
		{Stats{Requests: 4, Points: 10, Timeouts: 2, TimeoutPoints: 6, Remaining: 990}, "4 GraphQL requests, 10 points spent (6 of them for 2 timed-out requests), 990 remaining"},
		{Stats{Requests: 4, Points: 4, Timeouts: 1, Unmeasured: 1, Remaining: 990}, "4 GraphQL requests, at least 4 points spent (1 timed-out request cost extra points GitHub did not let us measure), 990 remaining"},
	}
	for _, tc := range cases {
		if got := tc.in.String(); got != tc.exp {
			t.Errorf("%+v: got %q, want %q", tc.in, got, tc.exp)
		}
	}
}
