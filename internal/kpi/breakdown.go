package kpi

import (
	"sort"
	"strings"
	"time"
)

// Group is the review-wait figures of one slice of the requests of a
// window: first requests, re-requests, user or team requests, or one
// reviewer's.
type Group struct {
	// Requests counts the group's requests in the window: answered,
	// withdrawn and waiting.
	Requests  int      `json:"requests"`
	Answered  int      `json:"answered"`
	Waiting   int      `json:"waiting"`
	WithinSLA int      `json:"within_sla"`
	Median    *float64 `json:"median_hours"`
	P90       *float64 `json:"p90_hours"`

	waits []time.Duration
}

// The fixed breakdown keys; per-reviewer keys are "reviewer:LOGIN" and
// "team:ORG/SLUG".
const (
	GroupFirst     = "first_request"
	GroupReRequest = "re_request"
	GroupUser      = "user_request"
	GroupTeam      = "team_request"
)

// breakdown splits requests the way summarize counts them: first
// requests vs re-requests, user vs team requests and, when perReviewer is
// set, per reviewer and team; ws holds each request's measured wait.
func breakdown(requests []Request, ws []time.Duration, asOf time.Time, window, sla time.Duration, perReviewer bool) map[string]*Group {
	from := asOf.Add(-window)
	in := func(t time.Time) bool { return t.After(from) && !t.After(asOf) }
	groups := map[string]*Group{GroupFirst: {}, GroupReRequest: {}, GroupUser: {}, GroupTeam: {}}
	get := func(k string) *Group {
		g, ok := groups[k]
		if !ok {
			g = &Group{}
			groups[k] = g
		}
		return g
	}
	for i, r := range requests {
		if r.Unattributed {
			continue
		}
		var buf [3]string
		keys := append(buf[:0], GroupFirst, GroupUser)
		if r.ReRequest {
			keys[0] = GroupReRequest
		}
		if r.Reviewer.Team {
			keys[1] = GroupTeam
		}
		if perReviewer && !r.Estimated {
			if r.Reviewer.Team {
				keys = append(keys, "team:"+strings.ToLower(r.Reviewer.Login))
			} else {
				keys = append(keys, "reviewer:"+strings.ToLower(r.Reviewer.Login))
			}
		}
		for _, k := range keys {
			g := get(k)
			switch r.Outcome {
			case Answered:
				if !in(r.EndedAt) {
					continue
				}
				w := ws[i]
				g.Requests++
				g.Answered++
				g.waits = append(g.waits, w)
				if w <= sla {
					g.WithinSLA++
				}
			case Withdrawn:
				if in(r.EndedAt) {
					g.Requests++
				}
			case Waiting:
				g.Requests++
				g.Waiting++
			}
		}
	}
	for k, g := range groups {
		if g.Requests == 0 && strings.Contains(k, ":") {
			delete(groups, k)
			continue
		}
		if d, ok := selectPercentile(g.waits, 0.5); ok {
			g.Median = ptr(Hours(d))
		}
		if d, ok := selectPercentile(g.waits, 0.9); ok {
			g.P90 = ptr(Hours(d))
		}
	}
	return groups
}

// GroupKeys returns the keys of groups in report order: the fixed groups,
// then teams and reviewers alphabetically.
func GroupKeys(groups map[string]*Group) []string {
	fixed := []string{GroupFirst, GroupReRequest, GroupUser, GroupTeam}
	var rest []string
	for k := range groups {
		if strings.Contains(k, ":") {
			rest = append(rest, k)
		}
	}
	sort.Slice(rest, func(i, j int) bool {
		ti, tj := strings.HasPrefix(rest[i], "team:"), strings.HasPrefix(rest[j], "team:")
		if ti != tj {
			return ti
		}
		return rest[i] < rest[j]
	})
	var out []string
	for _, k := range fixed {
		if _, ok := groups[k]; ok {
			out = append(out, k)
		}
	}
	return append(out, rest...)
}
