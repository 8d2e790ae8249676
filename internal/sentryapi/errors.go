package sentryapi

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Scopes Sentry's endpoints require of a token for GET, from Sentry's
// permission classes (OrganizationPermission: org:read;
// OrganizationEventPermission: event:read) and its OpenAPI description.
const (
	// ScopeOrgRead is needed by the projects list, events-timeseries,
	// events-stats and sessions endpoints.
	ScopeOrgRead = "org:read"
	// ScopeEventRead is needed by the issues list.
	ScopeEventRead = "event:read"
)

// Error is Sentry's refusal of a request (any answer but 200), after the
// retries that apply. Its message says what to change.
type Error struct {
	// Status is the HTTP status Sentry answered.
	Status int
	// Detail is Sentry's own message ("detail"), if any.
	Detail string
	// Op is what the client was doing, e.g. `list the projects of
	// organization "acme"`.
	Op string
	// Org is the organization slug asked for.
	Org string
	// Scope is the token scope the endpoint needs.
	Scope string
	// Projects are the project ids asked for (none: all projects).
	Projects []int64
	// BaseURL is the Sentry host asked.
	BaseURL string
	// Reset is, for a 429, when Sentry's rate-limit window resets
	// (X-Sentry-Rate-Limit-Reset); zero when Sentry did not say.
	Reset time.Time
	// Budget is set when the client gave up because waiting longer would
	// exceed its wait budget.
	Budget time.Duration
	// Attempts is how many times the request was sent.
	Attempts int
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sentry: %s: ", e.Op)
	switch {
	case e.Status == 401:
		b.WriteString("the sentry-token is invalid or expired (Sentry answered 401); create a new auth token with the org:read and event:read scopes")
	case e.Status == 403:
		fmt.Fprintf(&b, "the sentry-token may not do this (Sentry answered 403): it needs the %s scope", e.Scope)
		if len(e.Projects) > 0 {
			fmt.Fprintf(&b, " and access to project ids %s", joinIDs(e.Projects))
		}
		fmt.Fprintf(&b, " in organization %q; the action needs a token with org:read and event:read", e.Org)
	case e.Status == 404:
		fmt.Fprintf(&b, "organization %q was not found at %s (Sentry answered 404); check sentry-org (the organization slug) and sentry-url (self-hosted or regional host)", e.Org, e.BaseURL)
	case e.Status == 429 && !e.Reset.IsZero():
		fmt.Fprintf(&b, "Sentry's rate limit is exhausted until %s", e.Reset.UTC().Format(time.RFC3339))
		if e.Budget > 0 {
			fmt.Fprintf(&b, ", beyond the wait budget of %s; run later or raise max-wait", e.Budget)
		}
	case e.Status == 429:
		b.WriteString("Sentry answered 429 (too many requests)")
	case e.Status >= 500:
		fmt.Fprintf(&b, "Sentry answered %d (server error)", e.Status)
	default:
		fmt.Fprintf(&b, "Sentry rejected the request (%d)", e.Status)
	}
	if e.Detail != "" {
		fmt.Fprintf(&b, "; Sentry said: %q", e.Detail)
	}
	switch {
	case e.Budget > 0 && e.Status != 429:
		fmt.Fprintf(&b, " (after %d attempts; waiting to retry would exceed the wait budget of %s)", e.Attempts, e.Budget)
	case e.Attempts > 1:
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}
