package sentryapi

import (
	"context"
	"fmt"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/activeusers"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// Source gives the Sentry KPI its daily figures: E(D) from the error
// events, U(D) from release-health sessions or, when set (it always wins),
// from a user-supplied series.
type Source struct {
	Client   *Client
	Org      string
	Projects []string
	Env      string
	Query    string
	// Users, when set, supplies U(D) instead of sessions.
	Users *activeusers.Source
	// Retention is how long Sentry keeps the organization's events (the
	// sentry-retention input); zero means DefaultRetention. Days older
	// than that are never asked for.
	Retention time.Duration

	resolved []int64
	done     bool
	held     time.Time
}

func (s *Source) query(ctx context.Context) (Query, error) {
	if !s.done {
		ids, err := s.Client.ResolveProjects(ctx, s.Org, s.Projects)
		if err != nil {
			return Query{}, err
		}
		s.resolved, s.done = ids, true
	}
	return Query{Org: s.Org, Projects: s.resolved, Environment: s.Env, Query: s.Query}, nil
}

// Days returns E(D) and U(D) for the complete UTC days in [from, to)
// that Sentry holds, and where U came from. A day older than Retention,
// or older than what Sentry answers for (it is asked when the first day
// might not be held: see heldFrom), is left out, not reported as zero:
// Sentry would report it as zero. HeldFrom tells the first day held.
func (s *Source) Days(ctx context.Context, from, to time.Time) ([]kpi.ErrorDay, string, error) {
	q, err := s.query(ctx)
	if err != nil {
		return nil, "", err
	}
	retention := s.Retention
	if retention <= 0 {
		retention = DefaultRetention
	}
	if limit := RetentionStart(s.Client.now(), retention); limit.After(from) {
		from = limit
	}
	if from.After(to) {
		from = to
	}
	if from, err = s.Client.heldFrom(ctx, q, from, to); err != nil {
		return nil, "", fmt.Errorf("sentry error events: %w", s.Client.redact(err))
	}
	s.held = from
	if !from.Before(to) {
		source := "Sentry release-health sessions"
		if s.Users != nil {
			source = s.Users.String()
		}
		return nil, source, nil
	}
	events, err := s.Client.DailyErrorEvents(ctx, q, from, to)
	if err != nil {
		return nil, "", fmt.Errorf("sentry error events: %w", err)
	}
	out := make([]kpi.ErrorDay, len(events))
	for i, d := range events {
		out[i].Date = d.Date
		if d.Present {
			v := d.Value
			out[i].Events = &v
		}
	}
	if s.Users != nil {
		for i := range out {
			if u, ok := s.Users.Users(out[i].Date); ok {
				out[i].Users = &u
			}
		}
		return out, s.Users.String(), nil
	}
	users, err := s.Client.DailyActiveUsers(ctx, q, from, to)
	if err != nil {
		return nil, "", fmt.Errorf("sentry active users: %w", err)
	}
	byDate := map[string]Day{}
	for _, d := range users {
		byDate[d.Date] = d
	}
	any := false
	for i := range out {
		if d, ok := byDate[out[i].Date]; ok && d.Present {
			v := d.Value
			out[i].Users = &v
			any = any || v > 0
		}
	}
	source := "Sentry release-health sessions (count_unique(user): only users the app identifies)"
	if !any {
		source = "Sentry release-health sessions, which recorded no users: set the active-users input"
	}
	return out, source, nil
}

// Unresolved counts the unresolved issues with events in the last
// IssuesWindow, the figure the new KPI replaces.
func (s *Source) Unresolved(ctx context.Context) (int, string, error) {
	q, err := s.query(ctx)
	if err != nil {
		return 0, "", err
	}
	n, window, err := s.Client.UnresolvedIssues(ctx, q)
	if err != nil {
		return 0, "", fmt.Errorf("sentry unresolved issues: %w", err)
	}
	return n, window, nil
}

// HeldFrom is the first UTC day of which Sentry held every event at the
// last call of Days; zero before.
func (s *Source) HeldFrom() time.Time { return s.held }

// SetUsers makes u supply U(D) instead of sessions.
func (s *Source) SetUsers(u *activeusers.Source) { s.Users = u }
