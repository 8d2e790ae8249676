package kpi

import (
	"slices"
	"strings"
	"time"
)

// RequestRecord is the compact form of a review request that an
// incremental run keeps between runs: what the window arithmetic needs,
// never the API response it came from.
type RequestRecord struct {
	Number       int       `json:"pr"`
	Title        string    `json:"title,omitempty"`
	URL          string    `json:"url,omitempty"`
	Reviewer     string    `json:"reviewer,omitempty"`
	Team         bool      `json:"team,omitempty"`
	Unattributed bool      `json:"unattributed,omitempty"`
	Estimated    bool      `json:"estimated,omitempty"`
	RequestedAt  time.Time `json:"requested_at"`
	ReRequest    bool      `json:"re_request,omitempty"`
	Outcome      Outcome   `json:"outcome"`
	EndedAt      time.Time `json:"ended_at,omitzero"`
	// Active holds the clock's spans as [start, end] pairs; a running
	// span's end is null.
	Active [][2]*time.Time `json:"active,omitempty"`
}

// Record turns r into its compact form. The title and URL are kept only
// while the request waits (the longest-waiting table needs them).
func Record(r Request) RequestRecord {
	rec := RequestRecord{
		Number: r.Number, Reviewer: r.Reviewer.Login, Team: r.Reviewer.Team, Unattributed: r.Unattributed,
		Estimated:   r.Estimated,
		RequestedAt: r.RequestedAt.UTC(), ReRequest: r.ReRequest, Outcome: r.Outcome, EndedAt: r.EndedAt.UTC(),
	}
	if r.EndedAt.IsZero() {
		rec.EndedAt = time.Time{}
	}
	if r.Outcome == Waiting {
		rec.Title, rec.URL = r.Title, r.URL
	}
	for i, iv := range r.Active {
		start, end := iv.Start.UTC(), iv.End.UTC()
		span := [2]*time.Time{&start, &end}
		if r.Running && i == len(r.Active)-1 {
			span[1] = nil
		}
		rec.Active = append(rec.Active, span)
	}
	return rec
}

// Request turns a record of repository back into a request measured as
// of asOf: a running span runs until asOf.
func (rec RequestRecord) Request(repository string, asOf time.Time) Request {
	r := Request{
		Repository: repository, Number: rec.Number, Title: rec.Title, URL: rec.URL,
		Reviewer:     Actor{Login: rec.Reviewer, Team: rec.Team},
		Unattributed: rec.Unattributed, Estimated: rec.Estimated, RequestedAt: rec.RequestedAt, ReRequest: rec.ReRequest,
		Outcome: rec.Outcome, EndedAt: rec.EndedAt,
	}
	for _, a := range rec.Active {
		if a[0] == nil {
			continue
		}
		iv := Interval{Start: *a[0], End: asOf}
		if a[1] != nil {
			iv.End = *a[1]
		} else {
			r.Running = true
		}
		r.Active = append(r.Active, iv)
	}
	if rec.Unattributed {
		r.Reviewer = Actor{}
	}
	return r
}

// Matters reports whether a record can still count in a window ending at
// asOf or later: it waits, or it ended inside the window.
func (rec RequestRecord) Matters(asOf time.Time, window time.Duration) bool {
	switch {
	case rec.Unattributed:
		return rec.RequestedAt.After(asOf.Add(-window))
	case rec.Outcome == Waiting:
		return true
	default:
		return rec.EndedAt.After(asOf.Add(-window))
	}
}

// FilterKey identifies what a filter leaves out, so that records made
// under another filter are never reused.
func (f Filter) FilterKey() string {
	// Lists are compared as sets: order, case and repeats do not change
	// what a filter leaves out.
	norm := func(l []string) string {
		out := make([]string, len(l))
		for i, s := range l {
			out[i] = strings.ToLower(s)
		}
		slices.Sort(out)
		return strings.Join(slices.Compact(out), ",")
	}
	key := "reviewers=" + norm(f.ExcludeReviewers) + ";authors=" + norm(f.ExcludeAuthors) + ";labels=" + norm(f.ExcludeLabels)
	if f.InferHiddenTeams {
		key += ";hidden-teams=infer"
	}
	return key
}

// Resume measures as of asOf from the records an earlier run kept and the
// pull requests changed since: a changed pull request is measured again
// from its timeline and its records are dropped; the others' records
// stand.
func Resume(repo string, records []RequestRecord, changed []PullRequest, asOf time.Time, f Filter) []Request {
	fresh := map[int]bool{}
	for _, pr := range changed {
		fresh[pr.Number] = true
	}
	var reqs []Request
	for _, rec := range records {
		if !fresh[rec.Number] {
			reqs = append(reqs, rec.Request(repo, asOf))
		}
	}
	for _, pr := range changed {
		reqs = append(reqs, Requests(pr, asOf, f)...)
	}
	return reqs
}

// Keep returns the records of the requests that can still count in a
// window ending at asOf or later.
func Keep(reqs []Request, asOf time.Time, window time.Duration) []RequestRecord {
	out := []RequestRecord{}
	for _, r := range reqs {
		if rec := Record(r); rec.Matters(asOf, window) {
			out = append(out, rec)
		}
	}
	return out
}

// CanResume reports whether records kept as of keptAt for a window of
// kept serve a run as of asOf with window: the run is not earlier, the
// kept window is as long, and no more than a window has passed (so every
// request the run counts was kept or changed since).
func CanResume(keptAt time.Time, kept time.Duration, asOf time.Time, window time.Duration) bool {
	return kept >= window && !asOf.Before(keptAt) && asOf.Sub(keptAt) <= window
}

// HiddenOnly reports whether records were made by a token that saw no
// team: they hold requests whose reviewer GitHub hid (unattributed or
// estimated) and none for a visible team. If a later run's token sees
// teams, such records are stale.
func HiddenOnly(records []RequestRecord) bool {
	hidden := false
	for _, r := range records {
		switch {
		case r.Unattributed || r.Estimated:
			hidden = true
		case r.Team:
			return false
		}
	}
	return hidden
}

// NamesTeam reports whether prs name a requested team: the token that
// fetched them can see teams.
func NamesTeam(prs []PullRequest) bool {
	for _, pr := range prs {
		for _, e := range pr.Events {
			if e.Reviewer != nil && e.Reviewer.Team {
				return true
			}
		}
	}
	return false
}
