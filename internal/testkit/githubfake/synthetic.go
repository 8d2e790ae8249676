package githubfake

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// SyntheticNow is the moment Synthetic's data ends: no item is later.
func SyntheticNow() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }

// The people of the synthetic organisation "acme".
var (
	synthTeams = map[string][]string{
		"acme/backend":  {"alice", "bob", "carol", "dave"},
		"acme/frontend": {"erin", "frank", "grace"},
		"acme/platform": {"heidi", "ivan", "judy", "alice"},
	}
	synthTeamNames = []string{"acme/backend", "acme/frontend", "acme/platform"}
	synthUsers     = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar"}
	synthLabels    = []string{"bug", "feature", "dependencies", "docs", "refactor"}
)

// Synthetic returns n pull requests with realistic review timelines,
// numbered 1..n in creation order; the same n and seed give the same data.
// They are created over the 120 days before SyntheticNow, except about one
// in twelve which is an old open pull request (created 150–365 days
// before, untouched for months, with a request still waiting). Timelines
// hold at most 30 items (fewer when the pull request is recent), except for every pull request whose number is 25
// modulo 50, which goes through many review rounds and holds 101–260
// items, so that its timeline needs more than one page of 100. About a
// quarter of the review requests are for a team, answered by a member on
// behalf of the team (sometimes of two teams); there are drafts, re-
// requests after changes are requested, withdrawn requests, pending
// reviews, a few hidden reviewers, bot authors and reviewers, and deleted
// authors.
func Synthetic(n int, seed uint64) []PullRequest {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	now := SyntheticNow()
	type plan struct {
		created time.Time
		oldOpen bool
	}
	plans := make([]plan, n)
	for i := range plans {
		p := plan{oldOpen: rng.IntN(12) == 0}
		if p.oldOpen {
			p.created = now.Add(-time.Duration(150+rng.IntN(216)) * 24 * time.Hour)
		} else {
			p.created = now.Add(-time.Duration(rng.Int64N(int64(120 * 24 * time.Hour))))
		}
		p.created = p.created.Truncate(time.Second)
		plans[i] = p
	}
	slices.SortStableFunc(plans, func(a, b plan) int { return a.created.Compare(b.created) })
	out := make([]PullRequest, n)
	for i, p := range plans {
		g := synthPR{rng: rng, now: now, t: p.created, pace: 1}
		number := i + 1
		pr := PullRequest{Number: number, Title: fmt.Sprintf("Synthetic change %d", number), CreatedAt: p.created}
		switch r := rng.IntN(100); {
		case r < 5:
			pr.Author = Bot([]string{"dependabot", "renovate"}[rng.IntN(2)])
			pr.Labels = []string{"dependencies"}
		case r < 6:
			pr.Author = nil // a deleted account
		default:
			pr.Author = User(synthUsers[rng.IntN(len(synthUsers))])
		}
		if rng.IntN(3) == 0 {
			pr.Labels = append(pr.Labels, synthLabels[rng.IntN(len(synthLabels))])
		}
		switch {
		case number%50 == 25:
			g.limit = 101 + rng.IntN(160)
			g.deadline = now
			// About 30 hours an item on average at pace 1.
			g.pace = min(1, now.Sub(p.created).Hours()/(30*float64(g.limit)))
			pr.IsDraft = g.build(pr.Author, true)
		case p.oldOpen:
			g.limit = 1 + rng.IntN(4)
			g.deadline = p.created.Add(10 * 24 * time.Hour)
			pr.IsDraft = g.build(pr.Author, false)
		default:
			g.limit = 1 + rng.IntN(30)
			g.deadline = now
			pr.IsDraft = g.build(pr.Author, true)
		}
		pr.Items = g.items
		out[i] = pr
	}
	return out
}

// synthPR builds one timeline: items in time order, at most limit of
// them, none after deadline.
type synthPR struct {
	rng      *rand.Rand
	now      time.Time
	t        time.Time
	deadline time.Time
	limit    int
	// pace scales every gap between items: below 1 it squeezes a long
	// timeline into the time the pull request has had.
	pace  float64
	items []Item
}

// add appends an item after advancing the clock by d; it reports false
// when the timeline is full or past its deadline.
func (g *synthPR) add(d time.Duration, it func(at time.Time) Item) bool {
	at := g.t.Add(d).Truncate(time.Second)
	if len(g.items) >= g.limit || at.After(g.deadline) {
		return false
	}
	g.t = at
	g.items = append(g.items, it(at))
	return true
}

// hours returns a random duration between lo and hi hours, times pace.
func (g *synthPR) hours(lo, hi float64) time.Duration {
	return time.Duration(g.pace * (lo + g.rng.Float64()*(hi-lo)) * float64(time.Hour))
}

// reviewer picks a requested reviewer other than the author.
func (g *synthPR) reviewer(author *Actor) *Actor {
	switch r := g.rng.IntN(100); {
	case r < 25:
		return Team(synthTeamNames[g.rng.IntN(len(synthTeamNames))])
	case r < 27:
		return Bot("copilot-pull-request-reviewer")
	case r < 29:
		return nil // a team the token cannot see
	}
	for {
		u := synthUsers[g.rng.IntN(len(synthUsers))]
		if author == nil || u != author.Login {
			return User(u)
		}
	}
}

// review makes requested's review: a team's by one of its members on its
// behalf (sometimes also on behalf of another team the member is in).
func (g *synthPR) review(requested *Actor, at time.Time) Item {
	state := []string{"APPROVED", "APPROVED", "APPROVED", "CHANGES_REQUESTED", "COMMENTED"}[g.rng.IntN(5)]
	if requested.Type != "Team" {
		if requested.Type == "Bot" {
			state = "COMMENTED"
		}
		return Review(at, requested, state)
	}
	members := synthTeams[requested.Login]
	member := members[g.rng.IntN(len(members))]
	teams := []string{requested.Login}
	for _, other := range synthTeamNames {
		if other != requested.Login && slices.Contains(synthTeams[other], member) && g.rng.IntN(2) == 0 {
			teams = append(teams, other)
		}
	}
	return Review(at, User(member), state, teams...)
}

// build writes the timeline and returns the pull request's final draft
// state. finish lets it merge or close the pull request.
func (g *synthPR) build(author *Actor, finish bool) (isDraft bool) {
	draft := g.rng.IntN(100) < 15
	isDraft = draft
	var open []*Actor // requested, not yet answered or withdrawn
	request := func(r *Actor) bool {
		if !g.add(g.hours(0, 2), func(at time.Time) Item { return Requested(at, r) }) {
			return false
		}
		if r != nil {
			open = append(open, r)
		}
		return true
	}
	if draft && g.rng.IntN(3) == 0 {
		request(g.reviewer(author)) // requested while still a draft
	}
	if draft && g.add(g.hours(1, 48), Ready) {
		isDraft = false
	}
	for range 1 + g.rng.IntN(3) {
		request(g.reviewer(author))
	}
	for len(open) > 0 {
		r := open[0]
		open = open[1:]
		switch x := g.rng.IntN(100); {
		case x < 70:
			if !g.add(g.hours(0.1, 96), func(at time.Time) Item { return g.review(r, at) }) {
				return isDraft
			}
			if g.items[len(g.items)-1].State == "CHANGES_REQUESTED" || g.limit > 100 {
				request(r) // re-request after the fixes
			}
		case x < 78:
			if !g.add(g.hours(1, 72), func(at time.Time) Item { return RequestRemoved(at, r) }) {
				return isDraft
			}
		case x < 81:
			if !g.add(g.hours(0.1, 24), func(at time.Time) Item { return PendingReview(at, g.review(r, at).Actor) }) {
				return isDraft
			}
			open = append(open, r)
		case x < 84 && !isDraft:
			if !g.add(g.hours(1, 24), Draft) {
				return isDraft
			}
			isDraft = true
			if !g.add(g.hours(1, 48), Ready) {
				return isDraft
			}
			isDraft = false
			open = append(open, r)
		default:
			// never answered: still waiting, unless the pull request
			// is closed below
		}
		for g.limit > 100 && len(open) == 0 && len(g.items) < g.limit-1 {
			if !request(g.reviewer(author)) {
				break
			}
		}
	}
	if !finish {
		return isDraft
	}
	switch x := g.rng.IntN(100); {
	case x < 65 && !isDraft:
		if g.add(g.hours(0.5, 48), Merged) {
			g.add(0, Closed)
		}
	case x < 75:
		g.add(g.hours(1, 200), Closed)
	}
	return isDraft
}
