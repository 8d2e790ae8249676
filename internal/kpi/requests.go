package kpi

import (
	"slices"
	"sort"
	"strings"
	"time"
)

// Outcome is how a review request ended, or that it has not ended yet.
type Outcome string

// The outcomes of a review request as of a moment.
const (
	Waiting   Outcome = "waiting"
	Answered  Outcome = "answered"
	Withdrawn Outcome = "withdrawn"
)

// Interval is a span of time during which a request's clock ran.
type Interval struct {
	Start time.Time
	End   time.Time
}

// Request is one review request of one reviewer on one pull request, as of
// a moment of measurement.
type Request struct {
	Repository string
	Number     int
	Title      string
	URL        string
	// Reviewer is the requested user or team; the zero Actor when
	// Unattributed.
	Reviewer Actor
	// Unattributed is true when GitHub did not reveal the reviewer. Such
	// requests are counted apart and never enter the wait distribution.
	Unattributed bool
	// Estimated is true for a request whose reviewer GitHub did not
	// reveal, measured by the rule "Hidden teams, estimated" (Filter.
	// InferHiddenTeams): it enters the distribution, labelled estimated.
	// Its Reviewer is HiddenTeam.
	Estimated bool
	// RequestedAt is when the request was made (or restarted at a reopen).
	RequestedAt time.Time
	// ReRequest is true when the reviewer had reviewed the pull request
	// before this request.
	ReRequest bool
	Outcome   Outcome
	// EndedAt is the answer or withdrawal time; zero while waiting.
	EndedAt time.Time
	// Active holds the spans during which the clock ran (the pull request
	// was ready for review), closed at EndedAt or at the moment of
	// measurement.
	Active []Interval
	// Running is true for a waiting request whose clock runs at the
	// moment of measurement (its last span ends there only for now).
	Running bool
}

// Wait is the request's waiting time measured with clock: the sum of its
// active spans.
func (r Request) Wait(clock Clock) time.Duration {
	var d time.Duration
	for _, iv := range r.Active {
		d += clock.Between(iv.Start, iv.End)
	}
	return d
}

// Clock measures how much waiting time lies between two moments.
type Clock interface {
	// Between returns the waiting time in [start, end); zero when end is
	// not after start.
	Between(start, end time.Time) time.Duration
}

// CalendarClock counts every second.
type CalendarClock struct{}

// Between returns end − start, or zero when end is before start.
func (CalendarClock) Between(start, end time.Time) time.Duration {
	if !end.After(start) {
		return 0
	}
	return end.Sub(start)
}

// Filter says which accounts and pull requests the KPI leaves out.
type Filter struct {
	// ExcludeReviewers are logins (users, bots) or "org/slug" team names
	// whose requests and reviews count for nothing; case-insensitive.
	ExcludeReviewers []string
	// ExcludeAuthors are pull-request authors whose pull requests are
	// skipped entirely.
	ExcludeAuthors []string
	// ExcludeLabels skips pull requests carrying any of these labels.
	ExcludeLabels []string
	// InferHiddenTeams measures requests whose reviewer GitHub hides (a
	// team the token cannot see) by the rule "Hidden teams, estimated"
	// instead of leaving them unattributed.
	InferHiddenTeams bool
}

// HiddenTeam is the reviewer of an estimated request: a team GitHub did
// not reveal.
var HiddenTeam = Actor{Login: "hidden team", Team: true}

// Skips reports whether the filter leaves pr out entirely.
func (f Filter) Skips(pr PullRequest) bool {
	if containsFold(f.ExcludeAuthors, pr.Author.Login) {
		return true
	}
	for _, l := range pr.Labels {
		if containsFold(f.ExcludeLabels, l) {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// IsBot reports whether a is a bot account: GraphQL says so, or its login
// carries REST's "[bot]" suffix.
func (a Actor) IsBot() bool {
	return a.Bot || strings.HasSuffix(strings.ToLower(a.Login), "[bot]")
}

// Deleted reports whether a is GitHub's placeholder for a deleted
// account ("ghost", a login GitHub reserves).
func (a Actor) Deleted() bool {
	return !a.Team && !a.Bot && strings.EqualFold(a.Login, "ghost")
}

// key identifies a reviewer within one pull request.
func (a Actor) key() string {
	if a.Team {
		return "team:" + strings.ToLower(a.Login)
	}
	return "user:" + strings.ToLower(a.Login)
}

// open is a request whose outcome is not known yet.
type open struct {
	req     Request
	running bool
}

// Requests replays pr's timeline up to and including asOf and returns every
// review request it holds, in the order they were made, with the outcome
// each had at asOf. The rules are those of docs/definitions.md ("Review request wait").
func Requests(pr PullRequest, asOf time.Time, f Filter) []Request {
	if f.Skips(pr) {
		return nil
	}
	events := make([]Event, 0, len(pr.Events))
	for _, e := range pr.Events {
		if !e.At.After(asOf) {
			events = append(events, e)
		}
	}
	// Events with equal timestamps stay in timeline order.
	sort.SliceStable(events, func(i, j int) bool { return events[i].At.Before(events[j].At) })

	ignored := func(a Actor) bool {
		if a.IsBot() || containsFold(f.ExcludeReviewers, a.Login) {
			return true
		}
		return !a.Team && strings.EqualFold(a.Login, pr.Author.Login)
	}

	// namedAt: where in the timeline each login was first requested by
	// name on this pull request. A team request is answered by a review
	// without a team only if its author was not requested by name earlier
	// in the timeline: with equal timestamps, timeline order decides.
	namedAt := map[string]int{}
	for i, e := range events {
		if e.Kind == ReviewRequested && e.Reviewer != nil && !e.Reviewer.Team {
			l := strings.ToLower(e.Reviewer.Login)
			if _, ok := namedAt[l]; !ok {
				namedAt[l] = i
			}
		}
	}
	draft := initialDraft(pr)
	closed := false
	var (
		all          []*open // every request, in the order made
		pending      []*open // open requests, in request order
		byKey        = map[string]*open{}
		closedByPR   []Request // requests the last close withdrew
		reviewedKeys = map[string]bool{}
	)
	start := func(r Request, at time.Time) {
		o := &open{req: r}
		all = append(all, o)
		if !draft {
			o.running = true
			o.req.Active = append(o.req.Active, Interval{Start: at})
		}
		pending = append(pending, o)
		if !r.Estimated {
			byKey[r.Reviewer.key()] = o
		}
	}
	finish := func(o *open, outcome Outcome, at time.Time) Request {
		if o.running {
			o.req.Active[len(o.req.Active)-1].End = at
			o.running = false
		}
		o.req.Outcome = outcome
		o.req.EndedAt = at
		if !o.req.Estimated {
			delete(byKey, o.req.Reviewer.key())
		}
		for i, p := range pending {
			if p == o {
				pending = append(pending[:i], pending[i+1:]...)
				break
			}
		}
		return o.req
	}
	base := Request{Repository: pr.Repository, Number: pr.Number, Title: pr.Title, URL: pr.URL}

	for i, e := range events {
		switch e.Kind {
		case ReviewRequested:
			if closed {
				continue
			}
			if e.Reviewer == nil {
				r := base
				r.RequestedAt = e.At
				if f.InferHiddenTeams {
					// Each hidden request is its own: a nudge cannot be
					// told apart from a request for another team.
					r.Reviewer, r.Estimated = HiddenTeam, true
					start(r, e.At)
					continue
				}
				r.Unattributed = true
				r.Outcome = Waiting
				all = append(all, &open{req: r})
				continue
			}
			rv := *e.Reviewer
			if ignored(rv) {
				continue
			}
			if _, nudge := byKey[rv.key()]; nudge {
				continue
			}
			r := base
			r.Reviewer = rv
			r.RequestedAt = e.At
			r.ReRequest = reviewedKeys[rv.key()]
			start(r, e.At)
		case ReviewRequestRemoved:
			if e.Reviewer == nil {
				if !f.InferHiddenTeams {
					continue
				}
				// A hidden removal withdraws the earliest open hidden
				// request; while closed, it keeps the earliest one the
				// close withdrew from starting again at the reopen.
				if j := slices.IndexFunc(pending, func(o *open) bool { return o.req.Estimated }); j >= 0 {
					finish(pending[j], Withdrawn, e.At)
				} else if j := slices.IndexFunc(closedByPR, func(r Request) bool { return r.Estimated }); j >= 0 {
					closedByPR = slices.Delete(closedByPR, j, j+1)
				}
				continue
			}
			if o, ok := byKey[e.Reviewer.key()]; ok {
				finish(o, Withdrawn, e.At)
			}
			// Removed while closed: the reopen does not restart it.
			closedByPR = slices.DeleteFunc(closedByPR, func(r Request) bool { return !r.Estimated && r.Reviewer.key() == e.Reviewer.key() })
		case Reviewed:
			// A deleted account's review answers nothing: it cannot be
			// told apart from a reviewer requested by name.
			if e.Author == nil || e.Author.Deleted() || strings.EqualFold(e.ReviewState, "PENDING") || ignored(*e.Author) {
				continue
			}
			author := *e.Author
			j, named := namedAt[strings.ToLower(author.Login)]
			named = named && j < i
			answers := func(r Request) bool {
				rv := r.Reviewer
				switch {
				case r.Estimated:
					return !named
				case !rv.Team:
					return strings.EqualFold(rv.Login, author.Login)
				case len(e.OnBehalfOf) > 0:
					return containsFold(e.OnBehalfOf, rv.Login)
				default:
					return !named
				}
			}
			for _, o := range append([]*open(nil), pending...) {
				if answers(o.req) {
					finish(o, Answered, e.At)
					if !o.req.Estimated {
						reviewedKeys[o.req.Reviewer.key()] = true
					}
				}
			}
			// A review while closed answers what the close withdrew: it
			// does not start again at the reopen, and a later request for
			// the same reviewer is a re-request.
			closedByPR = slices.DeleteFunc(closedByPR, func(r Request) bool {
				if !answers(r) {
					return false
				}
				if !r.Estimated {
					reviewedKeys[r.Reviewer.key()] = true
				}
				return true
			})
			reviewedKeys[author.key()] = true
			for _, t := range e.OnBehalfOf {
				reviewedKeys[Actor{Login: t, Team: true}.key()] = true
			}
		case ConvertedToDraft:
			if draft {
				continue
			}
			draft = true
			for _, o := range pending {
				if o.running {
					o.req.Active[len(o.req.Active)-1].End = e.At
					o.running = false
				}
			}
		case ReadyForReview:
			if !draft {
				continue
			}
			draft = false
			if closed {
				continue
			}
			for _, o := range pending {
				o.running = true
				o.req.Active = append(o.req.Active, Interval{Start: e.At})
			}
		case Closed, Merged:
			if closed {
				continue
			}
			closed = true
			closedByPR = closedByPR[:0]
			for _, o := range append([]*open(nil), pending...) {
				closedByPR = append(closedByPR, finish(o, Withdrawn, e.At))
			}
			if e.Kind == Merged {
				closedByPR = nil
			}
		case Reopened:
			if !closed {
				continue
			}
			closed = false
			for _, w := range closedByPR {
				r := base
				r.Reviewer, r.Estimated = w.Reviewer, w.Estimated
				r.RequestedAt = e.At
				r.ReRequest = w.ReRequest || (!w.Estimated && reviewedKeys[w.Reviewer.key()])
				start(r, e.At)
			}
			closedByPR = nil
		}
	}
	for _, o := range pending {
		if o.running {
			o.req.Active[len(o.req.Active)-1].End = asOf
			o.req.Running = true
		}
		o.req.Outcome = Waiting
	}
	out := make([]Request, len(all))
	for i, o := range all {
		out[i] = o.req
	}
	return out
}

// initialDraft is the draft state of pr before its first timeline event:
// the opposite of its first draft/ready event, or its current state when it
// has none.
func initialDraft(pr PullRequest) bool {
	for _, e := range pr.Events {
		switch e.Kind {
		case ReadyForReview:
			return true
		case ConvertedToDraft:
			return false
		}
	}
	return pr.IsDraft
}

// At returns r as it stood at t ≤ the moment r was measured at, and false
// when r did not exist yet. The state machine is causal (nothing after t
// changes what happened up to t), so this equals replaying the timeline up
// to t — which TestAtEqualsReplay checks — at a fraction of the cost: a
// backfill of 90 days measures each pull request once.
func (r Request) At(t time.Time) (Request, bool) {
	if r.RequestedAt.After(t) {
		return Request{}, false
	}
	if r.Unattributed || (r.Outcome != Waiting && !r.EndedAt.After(t)) {
		return r, true
	}
	out := r
	out.Outcome, out.EndedAt, out.Running = Waiting, time.Time{}, false
	out.Active = nil
	for _, iv := range r.Active {
		if iv.Start.After(t) {
			break
		}
		if iv.End.After(t) {
			out.Active = append(out.Active, Interval{Start: iv.Start, End: t})
			out.Running = true
			break
		}
		out.Active = append(out.Active, iv)
	}
	if r.Outcome == Waiting && r.Running && len(out.Active) == len(r.Active) && len(r.Active) > 0 && !r.Active[len(r.Active)-1].End.After(t) {
		// A running span measured exactly at t still runs at t.
		out.Running = true
	}
	return out, true
}
