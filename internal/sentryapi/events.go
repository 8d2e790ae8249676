package sentryapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"
)

const dayMillis = 24 * 60 * 60 * 1000

// DailyErrorEvents returns E(D), the number of error events of each UTC
// day D in [start, end) (both UTC midnights) for q's organization,
// projects, environment and search query: one Day per day, in order.
//
// It asks events-timeseries
// (https://docs.sentry.io/api/explore/query-explore-events-in-timeseries-format/,
// needs org:read) for count() on the errors dataset with a 1-day
// interval. An older self-hosted server that lacks that endpoint (404,
// or 400 refusing the errors dataset) is asked its predecessor, the
// experimental events-stats, instead; once that works the client
// remembers the fallback. Several series (groups) are summed. A
// day Sentry does not report, or reports as incomplete or null, is not
// Present.
//
// A server that refuses to count several projects in one query (400 "You
// cannot view events from multiple projects.", older self-hosted Sentry
// without the organizations:global-views feature) is asked once per
// project and the counts are added up; a day is Present only when every
// project reported it. The client remembers that too.
//
// Sentry quietly moves a start older than the organization's retention
// to the retention limit and reports the days before as zeros (see
// Source, which never asks for them); a range that ends before the limit
// is refused with 400 "Invalid date range. Please try a more recent date
// range.", and then no day is Present.
func (c *Client) DailyErrorEvents(ctx context.Context, q Query, start, end time.Time) ([]Day, error) {
	days, err := dayRange(start, end)
	if err != nil {
		return nil, err
	}
	out, err := c.dailyErrorEvents(ctx, q, start, end, days)
	if outsideRetention(err) {
		return fill(days, nil), nil
	}
	return out, c.redact(err)
}

// dailyErrorEvents is DailyErrorEvents with Sentry's refusal of a range
// outside retention left as an error.
func (c *Client) dailyErrorEvents(ctx context.Context, q Query, start, end time.Time, days []string) ([]Day, error) {
	if c.perProject && len(q.Projects) != 1 {
		return c.eachProject(ctx, q, start, end, days)
	}
	out, err := c.errorEvents(ctx, q, start, end, days)
	if !multiProjectRefused(err) || len(q.Projects) == 1 {
		return out, err
	}
	out, err = c.eachProject(ctx, q, start, end, days)
	if err == nil {
		c.perProject = true
	}
	return out, err
}

// eachProject asks for the error events of q's projects (every project
// of the organization when q names none) one project at a time and adds
// them up.
func (c *Client) eachProject(ctx context.Context, q Query, start, end time.Time, days []string) ([]Day, error) {
	ids := q.Projects
	if len(ids) == 0 {
		bySlug, slugs, err := c.listProjects(ctx, q.Org)
		if err != nil {
			return nil, err
		}
		for _, s := range slugs {
			ids = append(ids, bySlug[strings.ToLower(s)])
		}
		if len(ids) == 0 {
			return nil, fmt.Errorf("sentry: organization %s has no project this token can see: set sentry-projects, or give the token access to the projects", q.Org)
		}
	}
	sum := fill(days, map[string]int64{})
	for i := range sum {
		sum[i].Present = true
	}
	for _, id := range ids {
		one := q
		one.Projects = []int64{id}
		got, err := c.errorEvents(ctx, one, start, end, days)
		if err != nil {
			return nil, err
		}
		for i, d := range got {
			sum[i].Value += d.Value
			sum[i].Present = sum[i].Present && d.Present
		}
	}
	for i := range sum {
		if !sum[i].Present {
			sum[i].Value = 0
		}
	}
	return sum, nil
}

// errorEvents asks one query of events-timeseries, or of events-stats on
// a server that lacks it.
func (c *Client) errorEvents(ctx context.Context, q Query, start, end time.Time, days []string) ([]Day, error) {
	if c.noTimeseries {
		return c.eventsStats(ctx, q, start, end, days)
	}
	out, err := c.eventsTimeseries(ctx, q, start, end, days)
	if !lacksTimeseries(err) {
		return out, err
	}
	out, err = c.eventsStats(ctx, q, start, end, days)
	if err == nil {
		// Remembered only once events-stats worked: a 404 for an
		// unknown organization must not switch a later query over.
		c.noTimeseries = true
	}
	return out, err
}

// outsideRetention tells Sentry's refusal of a range that ends before the
// organization's retention limit: QueryOutsideRetentionError, which
// handle_query_errors answers as 400 with this detail and no code
// (src/sentry/search/events/builder/base.py, src/sentry/api/utils.py).
func outsideRetention(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == 400 && strings.Contains(e.Detail, "Please try a more recent date range")
}

// multiProjectRefused tells the refusal of a query over several projects
// by an organization without the organizations:global-views feature
// (OrganizationEventsEndpointBase.get_snuba_params in
// src/sentry/api/bases/organization_events.py): 400 "You cannot view
// events from multiple projects."
func multiProjectRefused(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == 400 && strings.Contains(e.Detail, "cannot view events from multiple projects")
}

// lacksTimeseries tells the answers of a server without a usable
// events-timeseries: 404 (the endpoint is newer than the server), or 400
// refusing the errors dataset (early versions served only a few
// datasets there).
func lacksTimeseries(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Status == 404 || e.Status == 400 && strings.Contains(strings.ToLower(e.Detail), "dataset")
}

// dailyParams are the parameters every daily series shares: one-day
// buckets from start to end, the projects and the environment.
func dailyParams(q Query, start, end time.Time) url.Values {
	v := url.Values{
		"interval": {"1d"},
		"start":    {sentryTime(start)},
		"end":      {sentryTime(end)},
	}
	projectParams(v, q.Projects)
	if q.Environment != "" {
		v.Set("environment", q.Environment)
	}
	return v
}

func eventsParams(q Query, start, end time.Time) url.Values {
	v := dailyParams(q, start, end)
	v.Set("dataset", "errors")
	v.Set("yAxis", "count()")
	if q.Query != "" {
		v.Set("query", q.Query)
	}
	return v
}

type timeseriesAnswer struct {
	TimeSeries *[]struct {
		Values []struct {
			Timestamp  float64  `json:"timestamp"`
			Value      *float64 `json:"value"`
			Incomplete bool     `json:"incomplete"`
		} `json:"values"`
		Meta struct {
			Interval float64 `json:"interval"`
		} `json:"meta"`
	} `json:"timeSeries"`
}

// eventsCall is the request for the daily error events of q from one of
// the two events endpoints.
func eventsCall(q Query, start, end time.Time, endpoint, note string) call {
	return call{
		op:       fmt.Sprintf("count the error events of organization %q%s", q.Org, note),
		path:     orgPath(q.Org, endpoint),
		query:    eventsParams(q, start, end),
		org:      q.Org,
		scope:    ScopeOrgRead,
		projects: q.Projects,
	}
}

func (c *Client) eventsTimeseries(ctx context.Context, q Query, start, end time.Time, days []string) ([]Day, error) {
	cl := eventsCall(q, start, end, "events-timeseries", "")
	body, _, err := c.get(ctx, cl)
	if err != nil {
		return nil, err
	}
	var a timeseriesAnswer
	if err := c.decode(cl, body, &a); err != nil {
		return nil, err
	}
	if a.TimeSeries == nil {
		return nil, fmt.Errorf("sentry: %s: the answer has no timeSeries", cl.op)
	}
	sums := map[string]int64{}
	bad := map[string]bool{}
	for _, s := range *a.TimeSeries {
		// meta.interval is the bucket size: milliseconds in Sentry's
		// source, seconds in its OpenAPI example. Anything but a day
		// means the server did not honour interval=1d.
		if iv := s.Meta.Interval; iv != 0 && iv != dayMillis && iv != dayMillis/1000 {
			return nil, fmt.Errorf("sentry: %s: Sentry answered with buckets of %v, not of one day", cl.op, iv)
		}
		for _, v := range s.Values {
			date, err := bucketDate(int64(math.Round(v.Timestamp)), time.Millisecond)
			if err != nil {
				return nil, fmt.Errorf("sentry: %s: %w", cl.op, err)
			}
			if v.Value == nil || v.Incomplete {
				bad[date] = true
				continue
			}
			sums[date] += int64(math.Round(*v.Value))
		}
	}
	for d := range bad {
		delete(sums, d)
	}
	return fill(days, sums), nil
}

// bucketDate is the UTC date of a bucket that starts at ts (in unit),
// which must be a UTC midnight.
func bucketDate(ts int64, unit time.Duration) (string, error) {
	t := time.Unix(0, 0).Add(time.Duration(ts) * unit).UTC()
	if !t.Equal(t.Truncate(24 * time.Hour)) {
		return "", fmt.Errorf("a bucket starts at %s, not at a UTC midnight", t.Format(time.RFC3339))
	}
	return t.Format(time.DateOnly), nil
}

func (c *Client) eventsStats(ctx context.Context, q Query, start, end time.Time, days []string) ([]Day, error) {
	cl := eventsCall(q, start, end, "events-stats", " (events-stats)")
	body, _, err := c.get(ctx, cl)
	if err != nil {
		return nil, err
	}
	var a struct {
		Data *[][2]json.RawMessage `json:"data"`
	}
	if err := c.decode(cl, body, &a); err != nil {
		return nil, err
	}
	if a.Data == nil {
		return nil, fmt.Errorf("sentry: %s: the answer has no data", cl.op)
	}
	sums := map[string]int64{}
	bad := map[string]bool{}
	for _, pt := range *a.Data {
		var ts float64
		var bucket []struct {
			Count *float64 `json:"count"`
		}
		if err := c.decode(cl, pt[0], &ts); err != nil {
			return nil, err
		}
		if err := c.decode(cl, pt[1], &bucket); err != nil {
			return nil, err
		}
		date, err := bucketDate(int64(math.Round(ts)), time.Second)
		if err != nil {
			return nil, fmt.Errorf("sentry: %s: %w", cl.op, err)
		}
		// An empty bucket ([]) is a day with no rows: zero events.
		if _, ok := sums[date]; !ok {
			sums[date] = 0
		}
		for _, b := range bucket {
			if b.Count == nil {
				bad[date] = true
				continue
			}
			sums[date] += int64(math.Round(*b.Count))
		}
	}
	for d := range bad {
		delete(sums, d)
	}
	return fill(days, sums), nil
}
