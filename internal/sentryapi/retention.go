package sentryapi

import (
	"context"
	"sort"
	"time"
)

// DefaultRetention is the shortest event retention of Sentry's plans (the
// free Developer plan keeps 30 days; Team, Business and a self-hosted
// server's default, system.event-retention-days, keep 90).
const DefaultRetention = 30 * 24 * time.Hour

const day = 24 * time.Hour

// RetentionStart is the first UTC day of which Sentry, keeping retention
// at the moment now, still holds every event: the first midnight at or
// after now − retention. Sentry moves a query's start to now − retention
// (outside_retention_with_modified_start in src/sentry/utils/dates.py),
// so the day that moment falls in is only partly counted and every day
// before it is reported as zero: neither is a day Sentry holds.
func RetentionStart(now time.Time, retention time.Duration) time.Time {
	limit := now.UTC().Add(-retention)
	start := limit.Truncate(day)
	if start.Before(limit) {
		start = start.Add(day)
	}
	return start
}

// keepsDay reports whether Sentry still holds every error event of the
// UTC day that starts at d, by asking for the day before it: Sentry
// refuses a range whose end is older than its retention limit
// (QueryOutsideRetentionError, "Invalid date range. Please try a more
// recent date range.") and answers any other, so [d − 1 day, d) is
// answered exactly when the limit is at or before d.
func (c *Client) keepsDay(ctx context.Context, q Query, d time.Time) (bool, error) {
	from := d.Add(-day)
	_, err := c.dailyErrorEvents(ctx, q, from, d, []string{from.Format(time.DateOnly)})
	switch {
	case err == nil:
		return true, nil
	case outsideRetention(err):
		return false, nil
	default:
		return false, err
	}
}

// heldFrom returns the first day in [from, to] from which Sentry holds
// every error event, asking Sentry when from is not held: one request
// when it is, and a binary search of about log2(to − from) one-day
// requests when the organization keeps less than the retention the
// caller assumed. It returns to when no day before to is held.
func (c *Client) heldFrom(ctx context.Context, q Query, from, to time.Time) (time.Time, error) {
	if !from.Before(to) {
		return to, nil
	}
	ok, err := c.keepsDay(ctx, q, from)
	if err != nil || ok {
		return from, err
	}
	// from is not held; find the first of from+1 … to that is.
	n := int(to.Sub(from) / day)
	var searchErr error
	i := sort.Search(n, func(i int) bool {
		if searchErr != nil {
			return true
		}
		ok, err := c.keepsDay(ctx, q, from.Add(time.Duration(i+1)*day))
		if err != nil {
			searchErr = err
		}
		return ok
	})
	if searchErr != nil {
		return time.Time{}, searchErr
	}
	if i == n {
		return to, nil
	}
	return from.Add(time.Duration(i+1) * day), nil
}
