package sentryapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
)

// IssuesWindow is the window UnresolvedIssues counts over: the issues
// list only sees issues with events in its date window.
const IssuesWindow = "14d"

// UnresolvedIssues counts the unresolved issues of q's organization,
// projects and environment (narrowed by q.Query) that had events in the
// last IssuesWindow, and returns that window: the old KPI, shown for
// contrast.
//
// It lists the issues
// (https://docs.sentry.io/api/events/list-an-organizations-issues/, needs
// event:read) 100 at a time and counts them, following the Link header's
// rel="next" while results="true"; X-Hits is not used because Sentry
// may estimate it.
func (c *Client) UnresolvedIssues(ctx context.Context, q Query) (count int, window string, err error) {
	n, err := c.unresolvedIssues(ctx, q)
	if err != nil {
		return 0, "", c.redact(err)
	}
	return n, IssuesWindow, nil
}

func (c *Client) unresolvedIssues(ctx context.Context, q Query) (int, error) {
	query := "is:unresolved"
	if q.Query != "" {
		query += " " + q.Query
	}
	cl := call{
		op:       fmt.Sprintf("list the unresolved issues of organization %q", q.Org),
		path:     orgPath(q.Org, "issues"),
		org:      q.Org,
		scope:    ScopeEventRead,
		projects: q.Projects,
	}
	count := 0
	cursor := ""
	for page := 0; ; page++ {
		if page >= maxPages {
			return 0, fmt.Errorf("sentry: %s: more than %d issues; narrow sentry-query or sentry-projects", cl.op, maxPages*100)
		}
		v := url.Values{
			"query":       {query},
			"statsPeriod": {IssuesWindow},
			"limit":       {"100"},
			// Leave out what we do not read, to keep pages small.
			"collapse": {"stats", "lifetime", "filtered", "unhandled"},
		}
		projectParams(v, q.Projects)
		if q.Environment != "" {
			v.Set("environment", q.Environment)
		}
		if cursor != "" {
			v.Set("cursor", cursor)
		}
		cl.query = v
		body, h, err := c.get(ctx, cl)
		if err != nil {
			return 0, err
		}
		var items []json.RawMessage
		if err := c.decode(cl, body, &items); err != nil {
			return 0, err
		}
		count += len(items)
		next, ok := nextCursor(h)
		if !ok || next == cursor {
			return count, nil
		}
		cursor = next
	}
}
