package sentryapi

import (
	"context"
	"fmt"
	"math"
	"time"
)

const usersField = "count_unique(user)"

// DailyActiveUsers returns U(D), the distinct users of each UTC day D in
// [start, end) (both UTC midnights) by Sentry's release-health sessions,
// for q's organization, projects and environment (q.Query, a search on
// error events, does not apply to sessions): one Day per day, in order.
//
// It asks the sessions endpoint
// (https://docs.sentry.io/api/releases/retrieve-release-health-session-statistics/,
// needs org:read) for count_unique(user) with a 1-day interval. Sessions
// count only the users the app identifies. When the app sends no
// sessions at all, Sentry answers "groups": [] and no day is Present; a
// day with sessions but no user ids is Present with Value 0.
func (c *Client) DailyActiveUsers(ctx context.Context, q Query, start, end time.Time) ([]Day, error) {
	out, err := c.dailyActiveUsers(ctx, q, start, end)
	return out, c.redact(err)
}

func (c *Client) dailyActiveUsers(ctx context.Context, q Query, start, end time.Time) ([]Day, error) {
	days, err := dayRange(start, end)
	if err != nil {
		return nil, err
	}
	v := dailyParams(q, start, end)
	v.Set("field", usersField)
	cl := call{
		op:       fmt.Sprintf("count the active users (sessions) of organization %q", q.Org),
		path:     orgPath(q.Org, "sessions"),
		query:    v,
		org:      q.Org,
		scope:    ScopeOrgRead,
		projects: q.Projects,
	}
	body, _, err := c.get(ctx, cl)
	if err != nil {
		return nil, err
	}
	var a struct {
		Intervals *[]string `json:"intervals"`
		Groups    []struct {
			Series map[string][]*float64 `json:"series"`
		} `json:"groups"`
	}
	if err := c.decode(cl, body, &a); err != nil {
		return nil, err
	}
	if a.Intervals == nil {
		return nil, fmt.Errorf("sentry: %s: the answer has no intervals", cl.op)
	}
	switch len(a.Groups) {
	case 0:
		return fill(days, nil), nil // no sessions at all
	case 1:
	default:
		// Unique users of several groups cannot be added up.
		return nil, fmt.Errorf("sentry: %s: Sentry answered %d groups, expected one", cl.op, len(a.Groups))
	}
	series, ok := a.Groups[0].Series[usersField]
	if !ok {
		return nil, fmt.Errorf("sentry: %s: the answer has no %s series", cl.op, usersField)
	}
	if len(series) != len(*a.Intervals) {
		return nil, fmt.Errorf("sentry: %s: %d intervals but %d values", cl.op, len(*a.Intervals), len(series))
	}
	values := map[string]int64{}
	for i, iv := range *a.Intervals {
		t, err := time.Parse(time.RFC3339, iv)
		if err != nil {
			return nil, fmt.Errorf("sentry: %s: interval %q is not a time: %w", cl.op, iv, err)
		}
		t = t.UTC()
		if !t.Equal(t.Truncate(24 * time.Hour)) {
			return nil, fmt.Errorf("sentry: %s: an interval starts at %s, not at a UTC midnight", cl.op, iv)
		}
		if series[i] == nil {
			continue
		}
		values[t.Format(time.DateOnly)] = int64(math.Round(*series[i]))
	}
	return fill(days, values), nil
}
