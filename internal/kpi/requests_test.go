package kpi

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// These tests pin the "Review request wait" rules of docs/definitions.md. Every
// expected duration, hour figure and count below is worked out by hand from
// the timeline in the case and written as a literal; none is computed by
// the code under test.

// at parses a UTC minute, "2026-11-02T09:00".
func at(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// atSec parses a UTC second, "2026-11-02T09:00:01".
func atSec(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04:05", s)
	if err != nil {
		panic(err)
	}
	return t
}

func usr(login string) *Actor { return &Actor{Login: login} }
func bot(login string) *Actor { return &Actor{Login: login, Bot: true} }
func team(slug string) *Actor { return &Actor{Login: slug, Team: true} }

func evRequest(t string, r *Actor) Event {
	return Event{Kind: ReviewRequested, At: at(t), Reviewer: r}
}

func evRemove(t string, r *Actor) Event {
	return Event{Kind: ReviewRequestRemoved, At: at(t), Reviewer: r}
}

func evReview(t string, author *Actor, state string, onBehalfOf ...string) Event {
	return Event{Kind: Reviewed, At: at(t), Author: author, ReviewState: state, OnBehalfOf: onBehalfOf}
}

func evReady(t string) Event                  { return Event{Kind: ReadyForReview, At: at(t)} }
func evDraft(t string) Event                  { return Event{Kind: ConvertedToDraft, At: at(t)} }
func evClose(t string) Event                  { return Event{Kind: Closed, At: at(t)} }
func evReopen(t string) Event                 { return Event{Kind: Reopened, At: at(t)} }
func evMerge(t string) Event                  { return Event{Kind: Merged, At: at(t)} }
func evs(e ...Event) []Event                  { return e }
func hrs(h float64) *float64                  { return &h }
func durs(d ...time.Duration) []time.Duration { return d }

// reqView is the part of a Request the rules decide, with its wait under
// the calendar clock.
type reqView struct {
	Reviewer     string // login, "team:org/slug", or "" when unattributed
	Unattributed bool
	Estimated    bool
	RequestedAt  time.Time
	ReRequest    bool
	Outcome      Outcome
	EndedAt      time.Time
	Wait         time.Duration
}

func viewRequests(rs []Request) []reqView {
	var out []reqView
	for _, r := range rs {
		name := r.Reviewer.Login
		if r.Reviewer.Team {
			name = "team:" + name
		}
		out = append(out, reqView{
			Reviewer:     name,
			Unattributed: r.Unattributed,
			Estimated:    r.Estimated,
			RequestedAt:  r.RequestedAt,
			ReRequest:    r.ReRequest,
			Outcome:      r.Outcome,
			EndedAt:      r.EndedAt,
			Wait:         r.Wait(CalendarClock{}),
		})
	}
	return out
}

// sumView is the part of a ReviewWait the rules decide.
type sumView struct {
	Answered     int
	WithinSLA    int
	Withdrawn    int
	Unattributed int
	Waiting      int
	OverSLA      int
	Estimated    Estimate
	Waits        []time.Duration
}

func viewSummary(rw ReviewWait) sumView {
	return sumView{
		Answered:     rw.Answered,
		WithinSLA:    rw.WithinSLA,
		Withdrawn:    rw.Withdrawn,
		Unattributed: rw.Unattributed,
		Waiting:      rw.Waiting,
		OverSLA:      rw.OverSLA,
		Estimated:    rw.Estimated,
		Waits:        rw.Waits,
	}
}

// docs/definitions.md does not order Requests' result, so the comparison ignores
// order; ties are broken so that the expected lists below are written in
// (RequestedAt, reviewer, EndedAt) order.
var sortViews = cmpopts.SortSlices(func(a, b reqView) bool {
	if !a.RequestedAt.Equal(b.RequestedAt) {
		return a.RequestedAt.Before(b.RequestedAt)
	}
	if a.Reviewer != b.Reviewer {
		return a.Reviewer < b.Reviewer
	}
	return a.EndedAt.Before(b.EndedAt)
})

const (
	day      = 24 * time.Hour
	window28 = 28 * day
	sla24    = 24 * time.Hour
)

func TestRequestsAndSummary(t *testing.T) {
	// Unless a case says otherwise: the PR is by alice, ready (IsDraft
	// false), measured as of 2026-11-10T00:00 with a 28-day window (so every
	// event of early November is inside it) and a 24 h SLA.
	// From 2026-11-02T09:00 to the default as-of is 7d15h = 183h; from
	// 10:00 182h, from 11:00 181h, from 12:00 180h.

	tests := []requestCase{
		{
			name: "ready PR: request answered by an approval",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evReview("2026-11-02T15:30", usr("bob"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T15:30"), Wait: 6*time.Hour + 30*time.Minute},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(6*time.Hour + 30*time.Minute)},
		},
		{
			name: "only R's first submitted review answers",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evReview("2026-11-02T10:00", usr("bob"), "COMMENTED"),
				evReview("2026-11-02T12:00", usr("bob"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T10:00"), Wait: time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(time.Hour)},
		},
		{
			name: "a user's review answers only that user's request",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evRequest("2026-11-02T09:00", usr("carol")),
				evReview("2026-11-02T10:00", usr("bob"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T10:00"), Wait: time.Hour},
				{Reviewer: "carol", RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting, Wait: 183 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waiting: 1, OverSLA: 1, Waits: durs(time.Hour)},
		},
		{
			name: "dismissed review answers",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evReview("2026-11-02T10:30", usr("bob"), "DISMISSED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T10:30"), Wait: 90 * time.Minute},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(90 * time.Minute)},
		},
		// --- draft ---
		{
			name: "request on a draft starts its clock at ready-for-review; first event ready means draft before it (IsDraft=false ignored)",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evReady("2026-11-03T10:00"),
				evReview("2026-11-03T12:00", usr("bob"), "COMMENTED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-03T12:00"), Wait: 2 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(2 * time.Hour)},
		},
		{
			name:    "first event converted-to-draft means ready before it (IsDraft=true ignored)",
			isDraft: true,
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evDraft("2026-11-02T12:00"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting, Wait: 3 * time.Hour},
			},
			sum: sumView{Waiting: 1},
		},
		{
			name:    "no draft/ready event and IsDraft=true: draft throughout, waiting with age 0",
			isDraft: true,
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting, Wait: 0},
			},
			sum: sumView{Waiting: 1},
		},
		{
			name: "no draft/ready event and IsDraft=false: ready throughout, still waiting at as-of with age up to as-of",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting, Wait: 183 * time.Hour},
			},
			sum: sumView{Waiting: 1, OverSLA: 1},
		},
		{
			name: "convert to draft pauses, ready resumes: active time accumulates",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evDraft("2026-11-02T11:00"),                          // 09:00–11:00 = 2h
				evReady("2026-11-03T09:00"),                          //
				evDraft("2026-11-03T10:30"),                          // 09:00–10:30 = 1h30m
				evReady("2026-11-04T08:00"),                          //
				evReview("2026-11-04T08:45", usr("bob"), "APPROVED"), // 08:00–08:45 = 45m
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-04T08:45"), Wait: 4*time.Hour + 15*time.Minute},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(4*time.Hour + 15*time.Minute)},
		},
		{
			name: "request made on a draft and answered while still a draft waited 0",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evReview("2026-11-02T13:00", usr("bob"), "CHANGES_REQUESTED"),
				evReady("2026-11-03T09:00"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T13:00"), Wait: 0},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(0)},
		},
		{
			// Reading: "answered while still a draft waited 0" is about a
			// request made on a draft. A request that ran while the PR was
			// ready and was answered after a convert-to-draft keeps the
			// active time it had before the pause.
			name: "request paused by convert-to-draft and answered while draft keeps its earlier active time",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evDraft("2026-11-02T10:00"),
				evReview("2026-11-02T12:00", usr("bob"), "COMMENTED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(time.Hour)},
		},
		{
			name: "waiting request with a draft pause counts only ready time up to as-of",
			asOf: "2026-11-05T09:00",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evDraft("2026-11-03T09:00"), // 24h
				evReady("2026-11-04T09:00"), // + 24h to as-of
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting, Wait: 48 * time.Hour},
			},
			sum: sumView{Waiting: 1, OverSLA: 1},
		},
		// --- teams ---
		{
			name: "team request answered by a review on behalf of that team",
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evReview("2026-11-02T13:00", usr("dave"), "APPROVED", "acme/core"),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T13:00"), Wait: 4 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(4 * time.Hour)},
		},
		{
			name: "review on behalf of a team answers it even from a reviewer requested by name, and answers the named request too",
			events: evs(
				evRequest("2026-11-02T08:00", usr("dave")),
				evRequest("2026-11-02T09:00", team("acme/core")),
				evReview("2026-11-02T13:00", usr("dave"), "APPROVED", "acme/core"),
			),
			want: []reqView{
				{Reviewer: "dave", RequestedAt: at("2026-11-02T08:00"), Outcome: Answered, EndedAt: at("2026-11-02T13:00"), Wait: 5 * time.Hour},
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T13:00"), Wait: 4 * time.Hour},
			},
			sum: sumView{Answered: 2, WithinSLA: 2, Waits: durs(4*time.Hour, 5*time.Hour)},
		},
		{
			name: "team request answered by a review with no team from someone never requested by name",
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evReview("2026-11-02T11:00", usr("erin"), "COMMENTED"),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T11:00"), Wait: 2 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(2 * time.Hour)},
		},
		{
			name: "team request NOT answered by a review with no team from someone requested by name before it",
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evRequest("2026-11-02T10:00", usr("bob")),
				evReview("2026-11-02T12:00", usr("bob"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting, Wait: 183 * time.Hour},
				{Reviewer: "bob", RequestedAt: at("2026-11-02T10:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: 2 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waiting: 1, OverSLA: 1, Waits: durs(2 * time.Hour)},
		},
		{
			name: "requested by name at the review's own timestamp (earlier in the timeline) counts as at-or-before",
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evRequest("2026-11-02T12:00", usr("bob")),
				evReview("2026-11-02T12:00", usr("bob"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting, Wait: 183 * time.Hour},
				{Reviewer: "bob", RequestedAt: at("2026-11-02T12:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: 0},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waiting: 1, OverSLA: 1, Waits: durs(0)},
		},
		{
			// bob's later request comes after bob reviewed, so it is a
			// re-request (Request.ReRequest: "the reviewer had reviewed the
			// pull request before this request").
			name: "requested by name only after the review: the review still answers the team",
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evReview("2026-11-02T11:00", usr("bob"), "COMMENTED"),
				evRequest("2026-11-02T12:00", usr("bob")),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T11:00"), Wait: 2 * time.Hour},
				{Reviewer: "bob", RequestedAt: at("2026-11-02T12:00"), ReRequest: true, Outcome: Waiting, Wait: 180 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waiting: 1, OverSLA: 1, Waits: durs(2 * time.Hour)},
		},
		{
			name: "team request NOT answered by a review on behalf of another team",
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evReview("2026-11-02T10:00", usr("dave"), "APPROVED", "acme/web"),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting, Wait: 183 * time.Hour},
			},
			sum: sumView{Waiting: 1, OverSLA: 1},
		},
		{
			name: "one review on behalf of two teams answers both",
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evRequest("2026-11-02T10:00", team("acme/web")),
				evReview("2026-11-02T12:00", usr("dave"), "APPROVED", "acme/core", "acme/web"),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: 3 * time.Hour},
				{Reviewer: "team:acme/web", RequestedAt: at("2026-11-02T10:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: 2 * time.Hour},
			},
			sum: sumView{Answered: 2, WithinSLA: 2, Waits: durs(2*time.Hour, 3*time.Hour)},
		},
		{
			name: "team re-requested after the team answered is a new re-request",
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evReview("2026-11-02T10:00", usr("dave"), "CHANGES_REQUESTED", "acme/core"),
				evRequest("2026-11-02T11:00", team("acme/core")),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T10:00"), Wait: time.Hour},
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T11:00"), ReRequest: true, Outcome: Waiting, Wait: 181 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waiting: 1, OverSLA: 1, Waits: durs(time.Hour)},
		},
		// --- nudges and re-requests ---
		{
			name: "repeated request while open is a nudge: the original clock keeps running",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evRequest("2026-11-02T11:00", usr("bob")),
				evReview("2026-11-02T14:00", usr("bob"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T14:00"), Wait: 5 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(5 * time.Hour)},
		},
		{
			name: "request after R's review is a new request with ReRequest=true",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evReview("2026-11-02T10:00", usr("bob"), "CHANGES_REQUESTED"),
				evRequest("2026-11-03T09:00", usr("bob")),
				evReview("2026-11-03T09:20", usr("bob"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T10:00"), Wait: time.Hour},
				{Reviewer: "bob", RequestedAt: at("2026-11-03T09:00"), ReRequest: true, Outcome: Answered, EndedAt: at("2026-11-03T09:20"), Wait: 20 * time.Minute},
			},
			sum: sumView{Answered: 2, WithinSLA: 2, Waits: durs(20*time.Minute, time.Hour)},
		},
		// --- withdrawal ---
		{
			name: "removal withdraws at removal time; a later review answers nothing",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evRequest("2026-11-02T09:00", team("acme/core")),
				evRemove("2026-11-02T11:00", usr("bob")),
				evRemove("2026-11-02T11:30", team("acme/core")),
				evReview("2026-11-02T12:00", usr("bob"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-02T11:00"), Wait: 2 * time.Hour},
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-02T11:30"), Wait: 150 * time.Minute},
			},
			sum: sumView{Withdrawn: 2},
		},
		{
			name: "removal of a reviewer with no open request changes nothing",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evRemove("2026-11-02T10:00", usr("carol")),
				evReview("2026-11-02T11:00", usr("bob"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T11:00"), Wait: 2 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(2 * time.Hour)},
		},
		{
			name: "close before answer withdraws; reopen restarts it as a new request at the reopen",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evClose("2026-11-02T12:00"),
				evReopen("2026-11-03T09:00"),
				evReview("2026-11-03T11:00", usr("bob"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-02T12:00"), Wait: 3 * time.Hour},
				{Reviewer: "bob", RequestedAt: at("2026-11-03T09:00"), Outcome: Answered, EndedAt: at("2026-11-03T11:00"), Wait: 2 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Withdrawn: 1, Waits: durs(2 * time.Hour)},
		},
		{
			// Reading: the restarted request is made at the reopen
			// (RequestedAt) and, the PR being a draft, its clock starts at
			// the next ready-for-review, as for any request made on a draft.
			name: "reopen of a draft restarts the clock at the next ready-for-review",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evDraft("2026-11-02T09:30"), // ran 30m
				evClose("2026-11-02T10:00"),
				evReopen("2026-11-03T09:00"),
				evReady("2026-11-03T13:00"),
				evReview("2026-11-03T14:00", usr("bob"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-02T10:00"), Wait: 30 * time.Minute},
				{Reviewer: "bob", RequestedAt: at("2026-11-03T09:00"), Outcome: Answered, EndedAt: at("2026-11-03T14:00"), Wait: time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Withdrawn: 1, Waits: durs(time.Hour)},
		},
		{
			name: "reopen restarts only the requests the close withdrew",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evRequest("2026-11-02T09:00", usr("carol")),
				evRemove("2026-11-02T10:00", usr("carol")),
				evClose("2026-11-02T11:00"),
				evReopen("2026-11-02T12:00"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-02T11:00"), Wait: 2 * time.Hour},
				{Reviewer: "carol", RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-02T10:00"), Wait: time.Hour},
				{Reviewer: "bob", RequestedAt: at("2026-11-02T12:00"), Outcome: Waiting, Wait: 180 * time.Hour},
			},
			sum: sumView{Withdrawn: 2, Waiting: 1, OverSLA: 1},
		},
		{
			name: "a second close/reopen restarts nothing already answered",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evClose("2026-11-02T10:00"),
				evReopen("2026-11-02T11:00"),
				evReview("2026-11-02T12:00", usr("bob"), "APPROVED"),
				evClose("2026-11-02T13:00"),
				evReopen("2026-11-02T14:00"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-02T10:00"), Wait: time.Hour},
				{Reviewer: "bob", RequestedAt: at("2026-11-02T11:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Withdrawn: 1, Waits: durs(time.Hour)},
		},
		{
			name: "merge before answer withdraws",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evMerge("2026-11-02T15:00"),
				evClose("2026-11-02T15:00"),
				evReview("2026-11-02T16:00", usr("bob"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-02T15:00"), Wait: 6 * time.Hour},
			},
			sum: sumView{Withdrawn: 1},
		},
		{
			name: "request made while the PR is closed is not counted (named or unattributed)",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evClose("2026-11-02T10:00"),
				evRequest("2026-11-02T11:00", usr("carol")),
				evRequest("2026-11-02T11:00", nil),
				evReopen("2026-11-02T12:00"),
				evReview("2026-11-02T13:00", usr("carol"), "APPROVED"),
				evReview("2026-11-02T14:00", usr("bob"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-02T10:00"), Wait: time.Hour},
				{Reviewer: "bob", RequestedAt: at("2026-11-02T12:00"), Outcome: Answered, EndedAt: at("2026-11-02T14:00"), Wait: 2 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Withdrawn: 1, Waits: durs(2 * time.Hour)},
		},
		// --- who can answer ---
		{
			name: "PR author's review answers nothing (login compared case-insensitively)",
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evReview("2026-11-02T10:00", usr("Alice"), "COMMENTED"),
				evReview("2026-11-02T12:00", usr("erin"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: 3 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(3 * time.Hour)},
		},
		{
			name: "bot's review answers nothing (GraphQL Bot, login without [bot])",
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evReview("2026-11-02T10:00", bot("copilot-pull-request-reviewer"), "COMMENTED", "acme/core"),
				evReview("2026-11-02T12:00", usr("erin"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: 3 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(3 * time.Hour)},
		},
		{
			name: "bot's review answers nothing (REST login with [bot] suffix)",
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evReview("2026-11-02T10:00", usr("dependabot[bot]"), "COMMENTED"),
				evReview("2026-11-02T12:00", usr("erin"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: 3 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(3 * time.Hour)},
		},
		{
			name:   "excluded reviewer's review answers nothing (case-insensitive)",
			filter: Filter{ExcludeReviewers: []string{"Erin"}},
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evReview("2026-11-02T10:00", usr("erin"), "APPROVED", "acme/core"),
				evReview("2026-11-02T12:00", usr("frank"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: 3 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(3 * time.Hour)},
		},
		{
			name:   "requests for the author, bots and excluded reviewers/teams are not counted",
			filter: Filter{ExcludeReviewers: []string{"ERIN", "Acme/Robots"}},
			events: evs(
				evRequest("2026-11-02T09:00", usr("alice")),
				evRequest("2026-11-02T09:00", usr("renovate[bot]")),
				evRequest("2026-11-02T09:00", bot("Copilot")),
				evRequest("2026-11-02T09:00", usr("erin")),
				evRequest("2026-11-02T09:00", team("acme/robots")),
			),
			want: nil,
			sum:  sumView{},
		},
		{
			name: "pending review answers nothing",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evReview("2026-11-02T10:00", usr("bob"), "PENDING"),
				evReview("2026-11-02T11:00", usr("bob"), "COMMENTED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T11:00"), Wait: 2 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(2 * time.Hour)},
		},
		{
			// Reading: bob had reviewed before the request, so it counts as
			// a re-request (docs/definitions.md: "re-requests (after R's review)").
			name: "review submitted before the request does not answer it",
			events: evs(
				evReview("2026-11-02T08:00", usr("bob"), "COMMENTED"),
				evRequest("2026-11-02T09:00", usr("bob")),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), ReRequest: true, Outcome: Waiting, Wait: 183 * time.Hour},
			},
			sum: sumView{Waiting: 1, OverSLA: 1},
		},
		// --- equal timestamps: timeline order ---
		{
			name: "equal timestamps: review listed before the request does not answer it",
			events: evs(
				evReview("2026-11-02T10:00", usr("bob"), "COMMENTED"),
				evRequest("2026-11-02T10:00", usr("bob")),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T10:00"), ReRequest: true, Outcome: Waiting, Wait: 182 * time.Hour},
			},
			sum: sumView{Waiting: 1, OverSLA: 1},
		},
		{
			name: "equal timestamps: review listed after the request answers it with wait 0",
			events: evs(
				evRequest("2026-11-02T10:00", usr("bob")),
				evReview("2026-11-02T10:00", usr("bob"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T10:00"), Outcome: Answered, EndedAt: at("2026-11-02T10:00"), Wait: 0},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(0)},
		},
		{
			name: "equal timestamps: review before the close answers, review after the close is too late",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evRequest("2026-11-02T09:00", usr("carol")),
				evReview("2026-11-02T12:00", usr("bob"), "APPROVED"),
				evClose("2026-11-02T12:00"),
				evReview("2026-11-02T12:00", usr("carol"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: 3 * time.Hour},
				{Reviewer: "carol", RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-02T12:00"), Wait: 3 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Withdrawn: 1, Waits: durs(3 * time.Hour)},
		},
		{
			name: "request at the same moment as ready/draft events: made on a draft waits from ready, made when ready waits from the request",
			events: evs(
				evReady("2026-11-02T09:00"),
				evRequest("2026-11-02T09:00", usr("bob")),
				evDraft("2026-11-02T11:00"),
				evRequest("2026-11-02T11:00", usr("carol")),
				evReady("2026-11-02T12:00"),
				evReview("2026-11-02T12:30", usr("bob"), "APPROVED"),
				evReview("2026-11-02T12:30", usr("carol"), "APPROVED"),
			),
			want: []reqView{
				// 09:00–11:00 + 12:00–12:30
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:30"), Wait: 150 * time.Minute},
				// made on the draft: 12:00–12:30
				{Reviewer: "carol", RequestedAt: at("2026-11-02T11:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:30"), Wait: 30 * time.Minute},
			},
			sum: sumView{Answered: 2, WithinSLA: 2, Waits: durs(30*time.Minute, 150*time.Minute)},
		},
		// --- unattributed ---
		{
			// docs/definitions.md gives an unattributed request no outcome; the
			// implementation reports it as waiting with no clock. What the
			// rules fix is that it is counted apart: not among answered,
			// withdrawn or waiting, never in the distribution.
			name: "unattributed (nil reviewer) request counted apart",
			events: evs(
				evRequest("2026-11-02T09:00", nil),
				evRequest("2026-11-02T09:00", usr("bob")),
				evReview("2026-11-02T10:00", usr("bob"), "APPROVED"),
				evRemove("2026-11-02T10:30", nil),
			),
			want: []reqView{
				{Reviewer: "", Unattributed: true, RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting, Wait: 0},
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T10:00"), Wait: time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Unattributed: 1, Waits: durs(time.Hour)},
		},
		// --- as-of ---
		{
			name: "events after as-of are ignored: answered/removed/merged after as-of is still waiting",
			asOf: "2026-11-05T09:00",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evRequest("2026-11-02T09:00", usr("carol")),
				evReview("2026-11-05T10:00", usr("bob"), "APPROVED"),
				evRemove("2026-11-06T09:00", usr("carol")),
				evMerge("2026-11-07T09:00"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting, Wait: 72 * time.Hour},
				{Reviewer: "carol", RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting, Wait: 72 * time.Hour},
			},
			sum: sumView{Waiting: 2, OverSLA: 2},
		},
		{
			name: "an answer exactly at as-of is included",
			asOf: "2026-11-05T09:00",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evReview("2026-11-05T09:00", usr("bob"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-05T09:00"), Wait: 72 * time.Hour},
			},
			sum: sumView{Answered: 1, Waits: durs(72 * time.Hour)},
		},
		{
			name: "ready-for-review after as-of: the PR was a draft until as-of, age 0",
			asOf: "2026-11-05T09:00",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evReady("2026-11-06T09:00"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting, Wait: 0},
			},
			sum: sumView{Waiting: 1},
		},
		// --- filter ---
		{
			name:   "Filter.ExcludeAuthors skips the PR (case-insensitive)",
			filter: Filter{ExcludeAuthors: []string{"ALICE"}},
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evRequest("2026-11-02T09:00", nil),
			),
			want: nil,
			sum:  sumView{},
		},
		{
			name:   "Filter.ExcludeLabels skips a PR carrying the label",
			labels: []string{"backend", "wip"},
			filter: Filter{ExcludeLabels: []string{"wip"}},
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
			),
			want: nil,
			sum:  sumView{},
		},
		{
			name:   "Filter.ExcludeLabels keeps a PR without the label",
			labels: []string{"backend"},
			filter: Filter{ExcludeLabels: []string{"wip"}, ExcludeAuthors: []string{"mallory"}},
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting, Wait: 183 * time.Hour},
			},
			sum: sumView{Waiting: 1, OverSLA: 1},
		},
	}
	runRequestCases(t, tests)
}

// requestCase is one timeline of pull request acme/web#7 by alice (unless
// author is set), with the requests and window summary worked out by hand.
type requestCase struct {
	name    string
	isDraft bool
	author  *Actor
	labels  []string
	filter  Filter
	asOf    string // default "2026-11-10T00:00"
	events  []Event
	want    []reqView
	sum     sumView
}

// runRequestCases checks each case's requests and its 28-day summary with
// a 24-hour SLA.
func runRequestCases(t *testing.T, tests []requestCase) {
	t.Helper()
	defaultAsOf := at("2026-11-10T00:00")
	alice := Actor{Login: "alice"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			asOf := defaultAsOf
			if tc.asOf != "" {
				asOf = at(tc.asOf)
			}
			author := alice
			if tc.author != nil {
				author = *tc.author
			}
			pr := PullRequest{
				Repository: "acme/web",
				Number:     7,
				Title:      "Add things",
				URL:        "https://github.com/acme/web/pull/7",
				Author:     author,
				IsDraft:    tc.isDraft,
				CreatedAt:  at("2026-11-01T08:00"),
				UpdatedAt:  at("2026-11-03T08:00"),
				Labels:     tc.labels,
				Events:     tc.events,
			}
			rs := Requests(pr, asOf, tc.filter)
			for _, r := range rs {
				if r.Repository != "acme/web" || r.Number != 7 || r.URL != "https://github.com/acme/web/pull/7" || r.Title != "Add things" {
					t.Errorf("request lost its pull request: %+v", r)
				}
			}
			if diff := cmp.Diff(tc.want, viewRequests(rs), sortViews, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Requests() mismatch (-want +got):\n%s", diff)
			}
			rw := summarizeReviewWait(rs, asOf, window28, sla24, CalendarClock{})
			if diff := cmp.Diff(tc.sum, viewSummary(rw), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("summarizeReviewWait() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRequestsActiveIntervals checks the spans the clock ran, which the
// business-hours clock relies on.
func TestRequestsActiveIntervals(t *testing.T) {
	tests := []struct {
		name    string
		isDraft bool
		asOf    string
		events  []Event
		want    [][]Interval // per request, in request order
	}{
		{
			name: "pause and resume",
			asOf: "2026-11-10T00:00",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evDraft("2026-11-02T11:00"),
				evReady("2026-11-03T09:00"),
				evDraft("2026-11-03T10:30"),
				evReady("2026-11-04T08:00"),
				evReview("2026-11-04T08:45", usr("bob"), "APPROVED"),
			),
			want: [][]Interval{{
				{Start: at("2026-11-02T09:00"), End: at("2026-11-02T11:00")},
				{Start: at("2026-11-03T09:00"), End: at("2026-11-03T10:30")},
				{Start: at("2026-11-04T08:00"), End: at("2026-11-04T08:45")},
			}},
		},
		{
			name: "waiting request's last span ends at as-of",
			asOf: "2026-11-05T09:00",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evDraft("2026-11-03T09:00"),
				evReady("2026-11-04T09:00"),
				evReview("2026-11-05T12:00", usr("bob"), "APPROVED"), // after as-of
			),
			want: [][]Interval{{
				{Start: at("2026-11-02T09:00"), End: at("2026-11-03T09:00")},
				{Start: at("2026-11-04T09:00"), End: at("2026-11-05T09:00")},
			}},
		},
		{
			name: "request on a draft answered while draft has no span",
			asOf: "2026-11-10T00:00",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evReview("2026-11-02T13:00", usr("bob"), "APPROVED"),
				evReady("2026-11-03T09:00"),
			),
			want: [][]Interval{nil},
		},
		{
			name: "reopened as a draft: the new request's span starts at ready",
			asOf: "2026-11-10T00:00",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evDraft("2026-11-02T09:30"),
				evClose("2026-11-02T10:00"),
				evReopen("2026-11-03T09:00"),
				evReady("2026-11-03T13:00"),
				evReview("2026-11-03T14:00", usr("bob"), "APPROVED"),
			),
			want: [][]Interval{
				{{Start: at("2026-11-02T09:00"), End: at("2026-11-02T09:30")}},
				{{Start: at("2026-11-03T13:00"), End: at("2026-11-03T14:00")}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pr := PullRequest{Repository: "acme/web", Number: 1, Author: Actor{Login: "alice"}, IsDraft: tc.isDraft, Events: tc.events}
			var got [][]Interval
			for _, r := range Requests(pr, at(tc.asOf), Filter{}) {
				got = append(got, r.Active)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Active mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// answeredReq is an answered request whose clock ran from start to end.
func answeredReq(start, end time.Time) Request {
	return Request{Reviewer: Actor{Login: "bob"}, RequestedAt: start, Outcome: Answered, EndedAt: end,
		Active: []Interval{{Start: start, End: end}}}
}

func withdrawnReq(start, end time.Time) Request {
	return Request{Reviewer: Actor{Login: "carol"}, RequestedAt: start, Outcome: Withdrawn, EndedAt: end,
		Active: []Interval{{Start: start, End: end}}}
}

// waitingReq is a request open at asOf whose clock has run since start.
func waitingReq(number int, requestedAt, start, asOf time.Time) Request {
	return Request{Repository: "acme/web", Number: number, Reviewer: Actor{Login: "dave"}, RequestedAt: requestedAt,
		Outcome: Waiting, Active: []Interval{{Start: start, End: asOf}}}
}

func unattributedReq(requestedAt time.Time) Request {
	return Request{Unattributed: true, RequestedAt: requestedAt, Outcome: Waiting}
}

func TestSummarizeReviewWaitWindow(t *testing.T) {
	// 28 days before 2026-11-29T00:00 is 2026-11-01T00:00: the window is
	// (2026-11-01T00:00, 2026-11-29T00:00].
	asOf := at("2026-11-29T00:00")
	reqs := []Request{
		answeredReq(at("2026-10-31T20:00"), at("2026-11-01T00:00")),  // 4h, answered exactly at the start: out
		answeredReq(at("2026-10-31T23:01"), at("2026-11-01T00:01")),  // 1h, in
		answeredReq(at("2026-11-28T12:00"), at("2026-11-29T00:00")),  // 12h, answered exactly at as-of: in
		answeredReq(at("2026-10-10T00:00"), at("2026-10-15T00:00")),  // long before: out
		withdrawnReq(at("2026-10-31T00:00"), at("2026-11-01T00:00")), // out
		withdrawnReq(at("2026-11-28T00:00"), at("2026-11-29T00:00")), // in
		withdrawnReq(at("2026-11-15T09:00"), at("2026-11-15T10:00")), // in
		// Waiting since 2026-06-01T09:00 (months before the window): still
		// counted. Age: 2026-06-01T00:00 → 2026-11-29T00:00 is
		// 30+31+31+30+31+28 = 181 days = 4344h, minus 9h = 4335h.
		waitingReq(3, at("2026-06-01T09:00"), at("2026-06-01T09:00"), asOf),
		// Reading: docs/definitions.md does not say by which time a window holds an
		// unattributed request; the request time is the only one it has.
		unattributedReq(at("2026-11-01T00:00")), // out
		unattributedReq(at("2026-11-29T00:00")), // in
	}
	rw := summarizeReviewWait(reqs, asOf, window28, sla24, CalendarClock{})
	want := sumView{Answered: 2, WithinSLA: 2, Withdrawn: 2, Unattributed: 1, Waiting: 1, OverSLA: 1,
		Waits: durs(time.Hour, 12*time.Hour)}
	if diff := cmp.Diff(want, viewSummary(rw)); diff != "" {
		t.Errorf("summary mismatch (-want +got):\n%s", diff)
	}
	if len(rw.Longest) != 1 || rw.Longest[0].Number != 3 || rw.Longest[0].Age != 4335*time.Hour {
		t.Errorf("Longest = %+v, want PR #3 aged 4335h", rw.Longest)
	}
	if !rw.AsOf.Equal(asOf) || rw.Window != window28 || rw.SLA != sla24 {
		t.Errorf("AsOf/Window/SLA = %v/%v/%v", rw.AsOf, rw.Window, rw.SLA)
	}
}

func TestSummarizeReviewWaitWindowOneDay(t *testing.T) {
	// A past date D = 2026-11-14 is measured as of D+1 00:00 UTC; a 1-day
	// window holds (2026-11-14T00:00, 2026-11-15T00:00].
	asOf := at("2026-11-15T00:00")
	reqs := []Request{
		answeredReq(at("2026-11-13T22:00"), at("2026-11-14T00:00")), // out
		answeredReq(at("2026-11-14T08:00"), at("2026-11-14T10:30")), // 2h30m in
		answeredReq(at("2026-11-14T20:00"), at("2026-11-15T00:00")), // 4h in
	}
	rw := summarizeReviewWait(reqs, asOf, day, sla24, CalendarClock{})
	want := sumView{Answered: 2, WithinSLA: 2, Waits: durs(150*time.Minute, 4*time.Hour)}
	if diff := cmp.Diff(want, viewSummary(rw), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("summary mismatch (-want +got):\n%s", diff)
	}
}

func TestSummarizeReviewWaitSLA(t *testing.T) {
	asOf := at("2026-11-20T00:00")
	end := at("2026-11-19T00:00")
	reqs := []Request{
		answeredReq(at("2026-11-18T23:00"), end),                            // 1h: within
		answeredReq(at("2026-11-18T00:00"), end),                            // 24h exactly: within (≤)
		answeredReq(atSec("2026-11-17T23:59:59"), end),                      // 24h0m1s: not within
		answeredReq(at("2026-11-17T18:00"), end),                            // 30h: not within
		waitingReq(1, at("2026-11-19T00:00"), at("2026-11-19T00:00"), asOf), // 24h exactly: not over (strictly greater)
		waitingReq(2, at("2026-11-18T23:59"), at("2026-11-18T23:59"), asOf), // 24h1m: over
		waitingReq(3, at("2026-11-19T22:00"), at("2026-11-19T22:00"), asOf), // 2h
	}
	rw := summarizeReviewWait(reqs, asOf, window28, sla24, CalendarClock{})
	want := sumView{Answered: 4, WithinSLA: 2, Waiting: 3, OverSLA: 1,
		Waits: durs(time.Hour, 24*time.Hour, 24*time.Hour+time.Second, 30*time.Hour)}
	if diff := cmp.Diff(want, viewSummary(rw)); diff != "" {
		t.Errorf("summary mismatch (-want +got):\n%s", diff)
	}
	v, _ := rw.Values()
	if got := v[ReviewAnsweredWithinSLARatio]; got == nil || *got != 0.5 {
		t.Errorf("%s = %v, want 0.5", ReviewAnsweredWithinSLARatio, deref(got))
	}
	if got := v[ReviewRequestsOverSLA]; got == nil || *got != 1 {
		t.Errorf("%s = %v, want 1", ReviewRequestsOverSLA, deref(got))
	}
}

// halfClock counts half of every calendar second, standing in for a
// working-hours clock.
type halfClock struct{}

func (halfClock) Between(start, end time.Time) time.Duration {
	return CalendarClock{}.Between(start, end) / 2
}

func TestSummarizeReviewWaitOtherClock(t *testing.T) {
	// Under wait-clock business the waits and the SLA are in working time;
	// the calendar waits are kept beside them.
	asOf := at("2026-11-20T00:00")
	reqs := []Request{
		answeredReq(at("2026-11-17T08:00"), at("2026-11-19T00:00")),         // 40h calendar, 20h clock: within 24h
		answeredReq(at("2026-11-16T00:00"), at("2026-11-19T00:00")),         // 72h calendar, 36h clock: not within
		waitingReq(1, at("2026-11-18T18:00"), at("2026-11-18T18:00"), asOf), // 30h calendar, 15h clock: not over
		waitingReq(2, at("2026-11-17T00:00"), at("2026-11-17T00:00"), asOf), // 72h calendar, 36h clock: over
	}
	rw := summarizeReviewWait(reqs, asOf, window28, sla24, halfClock{})
	want := sumView{Answered: 2, WithinSLA: 1, Waiting: 2, OverSLA: 1, Waits: durs(20*time.Hour, 36*time.Hour)}
	if diff := cmp.Diff(want, viewSummary(rw)); diff != "" {
		t.Errorf("summary mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(durs(40*time.Hour, 72*time.Hour), rw.CalendarWaits); diff != "" {
		t.Errorf("CalendarWaits mismatch (-want +got):\n%s", diff)
	}
	var ages []time.Duration
	for _, w := range rw.Longest {
		ages = append(ages, w.Age)
	}
	if diff := cmp.Diff(durs(36*time.Hour, 15*time.Hour), ages); diff != "" {
		t.Errorf("Longest ages mismatch (-want +got):\n%s", diff)
	}
}

func TestSummarizeReviewWaitLongest(t *testing.T) {
	asOf := at("2026-11-20T00:00")
	var reqs []Request
	// PR number → hours its clock has run (all distinct).
	ages := []struct {
		number int
		hours  int
	}{
		{1, 5}, {2, 50}, {3, 3}, {4, 200}, {5, 7}, {6, 120}, {7, 1},
		{8, 90}, {9, 30}, {10, 10}, {11, 400}, {12, 2},
	}
	for _, a := range ages {
		start := asOf.Add(-time.Duration(a.hours) * time.Hour)
		reqs = append(reqs, waitingReq(a.number, start, start, asOf))
	}
	// #13 was requested 30 days ago but its clock ran only 4h (draft the
	// rest of the time): its age is 4h.
	reqs = append(reqs, waitingReq(13, at("2026-10-21T00:00"), at("2026-11-19T20:00"), asOf))
	// Answered and withdrawn requests are never in the list.
	reqs = append(reqs, answeredReq(at("2026-09-01T00:00"), at("2026-11-19T00:00")))
	reqs = append(reqs, withdrawnReq(at("2026-09-01T00:00"), at("2026-11-19T00:00")))

	rw := summarizeReviewWait(reqs, asOf, window28, sla24, CalendarClock{})
	type row struct {
		Number int
		Age    time.Duration
	}
	var got []row
	for _, w := range rw.Longest {
		got = append(got, row{w.Number, w.Age})
	}
	want := []row{
		{11, 400 * time.Hour}, {4, 200 * time.Hour}, {6, 120 * time.Hour}, {8, 90 * time.Hour},
		{2, 50 * time.Hour}, {9, 30 * time.Hour}, {10, 10 * time.Hour}, {5, 7 * time.Hour},
		{1, 5 * time.Hour}, {13, 4 * time.Hour},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Longest mismatch (-want +got):\n%s", diff)
	}
	// All 13 are waiting (the list is capped, the count is not); over 24h:
	// 400, 200, 120, 90, 50, 30.
	if rw.Waiting != 13 || rw.OverSLA != 6 {
		t.Errorf("Waiting, OverSLA = %d, %d; want 13, 6", rw.Waiting, rw.OverSLA)
	}
}

func TestPercentileNearestRank(t *testing.T) {
	h := time.Hour
	ten := durs(1*h, 2*h, 3*h, 4*h, 5*h, 6*h, 7*h, 8*h, 9*h, 10*h)
	four := durs(1*h, 2*h, 3*h, 4*h)
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
		ok     bool
	}{
		{"n=10 p90 is the 9th", ten, 0.9, 9 * h, true},
		{"n=10 p75 is the 8th (⌈7.5⌉)", ten, 0.75, 8 * h, true},
		{"n=10 median is the 5th", ten, 0.5, 5 * h, true},
		{"n=10 max is the 10th", ten, 1, 10 * h, true},
		{"n=4 median is the 2nd", four, 0.5, 2 * h, true},
		{"n=4 p75 is the 3rd", four, 0.75, 3 * h, true},
		{"n=4 p90 is the 4th (⌈3.6⌉)", four, 0.9, 4 * h, true},
		{"n=1", durs(7 * h), 0.5, 7 * h, true},
		{"empty has no value", nil, 0.5, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Percentile(tc.sorted, tc.p)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Percentile(%v, %v) = %v, %v; want %v, %v", tc.sorted, tc.p, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestReviewWaitValues(t *testing.T) {
	asOf := at("2026-11-20T00:00")
	end := at("2026-11-19T12:00")
	// answered builds answered requests with the given waits, all answered
	// inside the window.
	answered := func(waits ...time.Duration) []Request {
		var rs []Request
		for _, w := range waits {
			rs = append(rs, answeredReq(end.Add(-w), end))
		}
		return rs
	}
	h, m := time.Hour, time.Minute
	tests := []struct {
		name     string
		reqs     []Request
		want     Values // everything but the ratio
		ratio    *float64
		answered int // the sample behind the hour metrics and the ratio
	}{
		{
			name: "n=10 (unsorted input): median 5th, p75 8th, p90 9th, mean 5.5, max 10th",
			reqs: answered(7*h, 3*h, 10*h, 1*h, 9*h, 5*h, 2*h, 8*h, 6*h, 4*h),
			want: Values{
				ReviewWaitMedianHours: hrs(5), ReviewWaitP75Hours: hrs(8), ReviewWaitP90Hours: hrs(9),
				ReviewWaitMeanHours: hrs(5.5), ReviewWaitMaxHours: hrs(10),
				ReviewRequestsAnswered: hrs(10), ReviewRequestsWithdrawn: hrs(0), ReviewRequestsWaiting: hrs(0), ReviewRequestsOverSLA: hrs(0),
			},
			ratio:    hrs(1),
			answered: 10,
		},
		{
			name: "n=4: median 2nd, p75 3rd, p90 4th, mean 2.5",
			reqs: answered(4*h, 1*h, 3*h, 2*h),
			want: Values{
				ReviewWaitMedianHours: hrs(2), ReviewWaitP75Hours: hrs(3), ReviewWaitP90Hours: hrs(4),
				ReviewWaitMeanHours: hrs(2.5), ReviewWaitMaxHours: hrs(4),
				ReviewRequestsAnswered: hrs(4), ReviewRequestsWithdrawn: hrs(0), ReviewRequestsWaiting: hrs(0), ReviewRequestsOverSLA: hrs(0),
			},
			ratio:    hrs(1),
			answered: 4,
		},
		{
			name: "n=3: median 2nd (⌈1.5⌉), p75 3rd (⌈2.25⌉), p90 3rd (⌈2.7⌉)",
			reqs: answered(3*h, 1*h, 2*h),
			want: Values{
				ReviewWaitMedianHours: hrs(2), ReviewWaitP75Hours: hrs(3), ReviewWaitP90Hours: hrs(3),
				ReviewWaitMeanHours: hrs(2), ReviewWaitMaxHours: hrs(3),
				ReviewRequestsAnswered: hrs(3), ReviewRequestsWithdrawn: hrs(0), ReviewRequestsWaiting: hrs(0), ReviewRequestsOverSLA: hrs(0),
			},
			ratio:    hrs(1),
			answered: 3,
		},
		{
			name: "n=20: median 10th, p75 15th, p90 18th, mean 10.5",
			reqs: answered(20*h, 19*h, 18*h, 17*h, 16*h, 15*h, 14*h, 13*h, 12*h, 11*h,
				10*h, 9*h, 8*h, 7*h, 6*h, 5*h, 4*h, 3*h, 2*h, 1*h),
			want: Values{
				ReviewWaitMedianHours: hrs(10), ReviewWaitP75Hours: hrs(15), ReviewWaitP90Hours: hrs(18),
				ReviewWaitMeanHours: hrs(10.5), ReviewWaitMaxHours: hrs(20),
				ReviewRequestsAnswered: hrs(20), ReviewRequestsWithdrawn: hrs(0), ReviewRequestsWaiting: hrs(0), ReviewRequestsOverSLA: hrs(0),
			},
			ratio:    hrs(1),
			answered: 20,
		},
		{
			// 1m, 20m (0.333h), 80m (1.333h), 170m (2.833h);
			// mean 271m/4 = 67.75m = 1.12917h.
			name: "hours rounded to 2 decimals",
			reqs: answered(170*m, 1*m, 80*m, 20*m),
			want: Values{
				ReviewWaitMedianHours: hrs(0.33), ReviewWaitP75Hours: hrs(1.33), ReviewWaitP90Hours: hrs(2.83),
				ReviewWaitMeanHours: hrs(1.13), ReviewWaitMaxHours: hrs(2.83),
				ReviewRequestsAnswered: hrs(4), ReviewRequestsWithdrawn: hrs(0), ReviewRequestsWaiting: hrs(0), ReviewRequestsOverSLA: hrs(0),
			},
			ratio:    hrs(1),
			answered: 4,
		},
		{
			// 2h59m50s = 2.99722h rounds up to 3.
			name: "hours rounded up to a whole number",
			reqs: answered(2*h + 59*m + 50*time.Second),
			want: Values{
				ReviewWaitMedianHours: hrs(3), ReviewWaitP75Hours: hrs(3), ReviewWaitP90Hours: hrs(3),
				ReviewWaitMeanHours: hrs(3), ReviewWaitMaxHours: hrs(3),
				ReviewRequestsAnswered: hrs(1), ReviewRequestsWithdrawn: hrs(0), ReviewRequestsWaiting: hrs(0), ReviewRequestsOverSLA: hrs(0),
			},
			ratio:    hrs(1),
			answered: 1,
		},
		{
			// Waits 1h, 2h, 25h; SLA 24h: 2 of 3 within. Mean 28h/3 = 9.333h.
			name: "within-SLA ratio 2/3",
			reqs: answered(25*h, 1*h, 2*h),
			want: Values{
				ReviewWaitMedianHours: hrs(2), ReviewWaitP75Hours: hrs(25), ReviewWaitP90Hours: hrs(25),
				ReviewWaitMeanHours: hrs(9.33), ReviewWaitMaxHours: hrs(25),
				ReviewRequestsAnswered: hrs(3), ReviewRequestsWithdrawn: hrs(0), ReviewRequestsWaiting: hrs(0), ReviewRequestsOverSLA: hrs(0),
			},
			ratio:    hrs(0.6667),
			answered: 3,
		},
		{
			name: "a wait of 0 is a sample, not an empty figure",
			reqs: answered(0),
			want: Values{
				ReviewWaitMedianHours: hrs(0), ReviewWaitP75Hours: hrs(0), ReviewWaitP90Hours: hrs(0),
				ReviewWaitMeanHours: hrs(0), ReviewWaitMaxHours: hrs(0),
				ReviewRequestsAnswered: hrs(1), ReviewRequestsWithdrawn: hrs(0), ReviewRequestsWaiting: hrs(0), ReviewRequestsOverSLA: hrs(0),
			},
			ratio:    hrs(1),
			answered: 1,
		},
		{
			name: "nothing answered: hour figures and ratio empty (nil), counts still numbers",
			reqs: []Request{
				withdrawnReq(at("2026-11-18T00:00"), at("2026-11-18T05:00")),
				waitingReq(1, at("2026-11-18T18:00"), at("2026-11-18T18:00"), asOf), // 30h: over
				waitingReq(2, at("2026-11-19T18:00"), at("2026-11-19T18:00"), asOf), // 6h
			},
			want: Values{
				ReviewWaitMedianHours: nil, ReviewWaitP75Hours: nil, ReviewWaitP90Hours: nil,
				ReviewWaitMeanHours: nil, ReviewWaitMaxHours: nil,
				ReviewRequestsAnswered: hrs(0), ReviewRequestsWithdrawn: hrs(1), ReviewRequestsWaiting: hrs(2), ReviewRequestsOverSLA: hrs(1),
			},
			ratio:    nil,
			answered: 0,
		},
		{
			name: "no requests at all: counts 0, every other figure empty",
			reqs: nil,
			want: Values{
				ReviewWaitMedianHours: nil, ReviewWaitP75Hours: nil, ReviewWaitP90Hours: nil,
				ReviewWaitMeanHours: nil, ReviewWaitMaxHours: nil,
				ReviewRequestsAnswered: hrs(0), ReviewRequestsWithdrawn: hrs(0), ReviewRequestsWaiting: hrs(0), ReviewRequestsOverSLA: hrs(0),
			},
			ratio:    nil,
			answered: 0,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rw := summarizeReviewWait(tc.reqs, asOf, window28, sla24, CalendarClock{})
			v, s := rw.Values()
			got := Values{}
			for k, x := range v {
				got[k] = x
			}
			gotRatio, hasRatio := got[ReviewAnsweredWithinSLARatio]
			delete(got, ReviewAnsweredWithinSLARatio)
			// Every hour and count figure must be present as a key (nil
			// meaning empty), so compare the key sets too.
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Values() mismatch (-want +got):\n%s", diff)
			}
			if !hasRatio {
				t.Errorf("Values() lacks %s", ReviewAnsweredWithinSLARatio)
			}
			// docs/definitions.md fixes rounding for hours only; the ratio is
			// compared to 4 decimals.
			switch {
			case tc.ratio == nil && gotRatio != nil:
				t.Errorf("%s = %v, want empty (nil)", ReviewAnsweredWithinSLARatio, *gotRatio)
			case tc.ratio != nil && (gotRatio == nil || math.Abs(*gotRatio-*tc.ratio) > 0.00005):
				t.Errorf("%s = %v, want %v", ReviewAnsweredWithinSLARatio, deref(gotRatio), *tc.ratio)
			}
			for _, name := range []string{ReviewWaitMedianHours, ReviewWaitP90Hours, ReviewWaitMaxHours, ReviewAnsweredWithinSLARatio} {
				if s[name] != tc.answered {
					t.Errorf("sample of %s = %d, want %d", name, s[name], tc.answered)
				}
			}
			// Each review-wait metric of the list has a value entry.
			for _, m := range Metrics() {
				if strings.HasPrefix(m.Name, "review_") {
					if _, ok := v[m.Name]; !ok {
						t.Errorf("Values() lacks %s", m.Name)
					}
				}
			}
		})
	}
}

// summarizeReviewWait aggregates requests measured as of asOf into the KPI
// for the window (asOf − window, asOf], as ReviewReportOf does.
func summarizeReviewWait(requests []Request, asOf time.Time, window, sla time.Duration, clock Clock) ReviewWait {
	return summarize(requests, waits(requests, clock, asOf.Add(-window)), asOf, window, sla, clock)
}
