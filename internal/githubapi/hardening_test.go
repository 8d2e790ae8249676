package githubapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// hardened is a client whose transport is a Retrier that records waits.
func hardened(fake *githubfake.Server, waits *[]time.Duration) *Client {
	r := &Retrier{Sleep: func(_ context.Context, d time.Duration) error {
		*waits = append(*waits, d)
		return nil
	}}
	return &Client{Endpoint: fake.URL(), Token: githubfake.DefaultToken, HTTP: &http.Client{Transport: r}, Retrier: r}
}

func TestFetchShrinksPageOnTimeout(t *testing.T) {
	fake := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "synthetic", PullRequests: githubfake.Synthetic(120, 7)})
	// The first two PullRequests queries time out (502), as GitHub does
	// past 10 s; then the smaller pages go through.
	timeouts := 0
	fake.SetFault(func(n int, op string) *githubfake.Fault {
		if op == "PullRequests" && timeouts < 2 {
			timeouts++
			return githubfake.BadGateway()
		}
		return nil
	})
	var waits []time.Duration
	c := hardened(fake, &waits)
	prs, err := c.FetchPullRequests(context.Background(), "acme/synthetic", FetchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(prs) != 120 {
		t.Errorf("got %d pull requests, want all 120", len(prs))
	}
	var firsts []int
	for _, call := range fake.Stats().Calls {
		if call.Operation == "PullRequests" {
			f, _ := strconv.Atoi(jsonNumber(call.Variables["first"]))
			firsts = append(firsts, f)
		}
	}
	// 100 (timeout) → 50 (timeout) → 25 and stays 25: 120 PRs need 5
	// pages of 25, then one query for old open PRs.
	want := []int{100, 50, 25, 25, 25, 25, 25, 25}
	if len(firsts) != len(want) {
		t.Fatalf("page sizes %v, want %v", firsts, want)
	}
	for i := range want {
		if firsts[i] != want[i] {
			t.Fatalf("page sizes %v, want %v", firsts, want)
		}
	}
	if c.Stats.Shrinks != 2 {
		t.Errorf("%d shrinks, want 2", c.Stats.Shrinks)
	}
	if len(waits) != 0 {
		t.Errorf("timeouts were waited on (%v) instead of shrinking", waits)
	}
}

const partialBody = `{"data":{"rateLimit":{"cost":1,"remaining":4999,"resetAt":"2026-11-25T13:00:00Z"},"repository":{"pullRequests":{"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]}}},"errors":[{"type":"SERVICE_UNAVAILABLE","message":"Something went wrong","path":["repository","pullRequests"]}]}`

func TestFetchPartialDataIsRetried(t *testing.T) {
	fake := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "synthetic", PullRequests: githubfake.Synthetic(10, 7)})
	fake.SetFault(func(n int, op string) *githubfake.Fault {
		if n == 1 {
			return &githubfake.Fault{Status: 200, Body: partialBody}
		}
		return nil
	})
	var waits []time.Duration
	prs, err := hardened(fake, &waits).FetchPullRequests(context.Background(), "acme/synthetic", FetchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(prs) != 10 || len(waits) != 1 {
		t.Errorf("got %d pull requests after %d waits, want all 10 after 1", len(prs), len(waits))
	}
}

func TestFetchPartialDataFails(t *testing.T) {
	fake := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "synthetic", PullRequests: githubfake.Synthetic(150, 7)})
	// The first page goes through; every later PullRequests query keeps
	// answering with partial data.
	fake.SetFault(func(n int, op string) *githubfake.Fault {
		if op == "PullRequests" && n > 1 {
			return &githubfake.Fault{Status: 200, Body: partialBody}
		}
		return nil
	})
	var waits []time.Duration
	_, err := hardened(fake, &waits).FetchPullRequests(context.Background(), "acme/synthetic", FetchOptions{})
	var ge *Error
	if !errors.As(err, &ge) || ge.Type != "SERVICE_UNAVAILABLE" {
		t.Fatalf("err = %v, want the GraphQL error: partial data must never pass as complete", err)
	}
	var ie *IncompleteError
	if !errors.As(err, &ie) || len(ie.PullRequests) != 100 {
		t.Fatalf("err = %v, want an IncompleteError holding the first page's 100 pull requests", err)
	}
	if len(waits) != graphQLRetries {
		t.Errorf("%d retries, want %d", len(waits), graphQLRetries)
	}
}

func TestFetchNotFoundIsNotPartial(t *testing.T) {
	fake := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "synthetic", PullRequests: githubfake.Synthetic(3, 7)})
	var waits []time.Duration
	_, err := hardened(fake, &waits).FetchPullRequests(context.Background(), "acme/nope", FetchOptions{})
	var ie *IncompleteError
	if err == nil || errors.As(err, &ie) || len(waits) != 0 {
		t.Fatalf("err = %v (waits %v): a missing repository is a plain error, never retried", err, waits)
	}
}

func jsonNumber(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	default:
		return fmt.Sprint(x)
	}
}

// TestChangedOnlyCost: an incremental run asks only for what changed — one
// page for fewer than 100 changed pull requests, whatever the repository's
// size — plus at most one query for review teams.
func TestChangedOnlyCost(t *testing.T) {
	prs := githubfake.Synthetic(600, 11)
	// Timelines that fit one page (the target's premise): the synthetic
	// repository's few very long timelines are cut to 60 items.
	for i := range prs {
		if len(prs[i].Items) > 60 {
			prs[i].Items = prs[i].Items[:60]
		}
	}
	fake := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "big", PullRequests: prs})
	now := githubfake.SyntheticNow()
	since := now.Add(-24 * time.Hour)
	var waits []time.Duration
	c := hardened(fake, &waits)
	got, err := c.FetchPullRequests(context.Background(), "acme/big", FetchOptions{Since: since, ChangedOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) >= 100 {
		t.Skipf("the synthetic repository changed %d pull requests in a day; the case needs fewer than 100", len(got))
	}
	st := fake.Stats()
	if st.Requests > 3 {
		t.Errorf("%d GraphQL requests for %d changed pull requests of 600, want at most 3: %+v", st.Requests, len(got), st.ByOperation)
	}
	for _, pr := range got {
		if pr.UpdatedAt.Before(since) {
			t.Errorf("#%d was not updated since %s", pr.Number, since)
		}
	}
}
