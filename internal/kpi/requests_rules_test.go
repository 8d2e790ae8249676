package kpi

import (
	"testing"
	"time"
)

// TestRequestsClarifiedRules pins the rules docs/definitions.md clarified: equal
// timestamps follow timeline order everywhere, a review while the pull
// request is closed keeps the reopen from restarting that request, a
// deleted account's review answers nothing, and the estimate of hidden
// team requests (Filter.InferHiddenTeams). Every figure is worked out by
// hand; the PR is alice's, ready, measured as of 2026-11-10T00:00 (from
// 2026-11-02T09:00 that is 183h, from 11:00 181h, from 12:00 180h, from
// 2026-11-04T09:00 135h).
func TestRequestsClarifiedRules(t *testing.T) {
	ghost := &Actor{Login: "ghost"}
	hidden := "team:hidden team"
	infer := Filter{InferHiddenTeams: true}
	runRequestCases(t, []requestCase{
		{
			// The review at 12:00 comes before the by-name request of the
			// same second: bob was not named earlier, so his review answers
			// the team (3h); his own request, made after he reviewed, is a
			// re-request and waits from 12:00 (180h).
			name: "tie: named after the review answers the team",
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evReview("2026-11-02T12:00", usr("bob"), "COMMENTED"),
				evRequest("2026-11-02T12:00", usr("bob")),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: 3 * time.Hour},
				{Reviewer: "bob", RequestedAt: at("2026-11-02T12:00"), ReRequest: true, Outcome: Waiting, Wait: 180 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waiting: 1, OverSLA: 1, Waits: durs(3 * time.Hour)},
		},
		{
			// The by-name request comes first in the same second: the
			// review answers bob (0) and not the team, which waits 183h.
			name: "tie: named before the review keeps the team waiting",
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evRequest("2026-11-02T12:00", usr("bob")),
				evReview("2026-11-02T12:00", usr("bob"), "COMMENTED"),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting, Wait: 183 * time.Hour},
				{Reviewer: "bob", RequestedAt: at("2026-11-02T12:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00")},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waiting: 1, OverSLA: 1, Waits: durs(0)},
		},
		{
			// Close, a request and the reopen in one second: the request
			// is made while closed and not counted; bob's restarts at the
			// reopen (181h).
			name: "tie: a request between close and reopen of the same second",
			events: evs(
				evRequest("2026-11-02T10:00", usr("bob")),
				evClose("2026-11-02T11:00"),
				evRequest("2026-11-02T11:00", usr("carol")),
				evReopen("2026-11-02T11:00"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T10:00"), Outcome: Withdrawn, EndedAt: at("2026-11-02T11:00"), Wait: time.Hour},
				{Reviewer: "bob", RequestedAt: at("2026-11-02T11:00"), Outcome: Waiting, Wait: 181 * time.Hour},
			},
			sum: sumView{Withdrawn: 1, Waiting: 1, OverSLA: 1},
		},
		{
			// Both requests are withdrawn by the close (24h each). Bob
			// reviews while closed: he has answered, so only carol's
			// request starts again at the reopen (135h).
			name: "review while closed: not restarted at the reopen",
			events: evs(
				evRequest("2026-11-02T09:00", usr("bob")),
				evRequest("2026-11-02T09:00", usr("carol")),
				evClose("2026-11-03T09:00"),
				evReview("2026-11-03T10:00", usr("bob"), "APPROVED"),
				evReopen("2026-11-04T09:00"),
			),
			want: []reqView{
				{Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-03T09:00"), Wait: 24 * time.Hour},
				{Reviewer: "carol", RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-03T09:00"), Wait: 24 * time.Hour},
				{Reviewer: "carol", RequestedAt: at("2026-11-04T09:00"), Outcome: Waiting, Wait: 135 * time.Hour},
			},
			sum: sumView{Withdrawn: 2, Waiting: 1, OverSLA: 1},
		},
		{
			// Dave reviews on behalf of acme/core while closed: that team
			// request is not restarted, acme/web's is (135h).
			name: "review while closed on behalf of one team",
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evRequest("2026-11-02T09:00", team("acme/web")),
				evClose("2026-11-03T09:00"),
				evReview("2026-11-03T10:00", usr("dave"), "COMMENTED", "acme/core"),
				evReopen("2026-11-04T09:00"),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-03T09:00"), Wait: 24 * time.Hour},
				{Reviewer: "team:acme/web", RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-03T09:00"), Wait: 24 * time.Hour},
				{Reviewer: "team:acme/web", RequestedAt: at("2026-11-04T09:00"), Outcome: Waiting, Wait: 135 * time.Hour},
			},
			sum: sumView{Withdrawn: 2, Waiting: 1, OverSLA: 1},
		},
		{
			// Bob reviews while closed with no team attached: that answers
			// acme/core, which is not restarted at the reopen; the team's
			// next request is a re-request, waiting from 13:00 (179h).
			name: "review while closed by a team member, then a re-request",
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evClose("2026-11-02T10:00"),
				evReview("2026-11-02T11:00", usr("bob"), "COMMENTED"),
				evReopen("2026-11-02T12:00"),
				evRequest("2026-11-02T13:00", team("acme/core")),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-02T10:00"), Wait: time.Hour},
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T13:00"), ReRequest: true, Outcome: Waiting, Wait: 179 * time.Hour},
			},
			sum: sumView{Withdrawn: 1, Waiting: 1, OverSLA: 1},
		},
		{
			// Reviews by a deleted account (GraphQL's null author, REST's
			// "ghost") answer nothing; bob's at 12:00 answers the team (3h).
			name: "deleted reviewer answers nothing",
			events: evs(
				evRequest("2026-11-02T09:00", team("acme/core")),
				evReview("2026-11-02T10:00", nil, "APPROVED"),
				evReview("2026-11-02T11:00", ghost, "APPROVED"),
				evReview("2026-11-02T12:00", usr("bob"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: "team:acme/core", RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: 3 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waits: durs(3 * time.Hour)},
		},
		{
			// Exclude (the default): the hidden request is unattributed,
			// counted apart, never in the distribution.
			name: "hidden team excluded",
			events: evs(
				evRequest("2026-11-02T09:00", nil),
				evRequest("2026-11-02T11:00", usr("bob")),
				evReview("2026-11-02T12:00", usr("bob"), "APPROVED"),
				evReview("2026-11-02T13:00", usr("carol"), "COMMENTED"),
			),
			want: []reqView{
				{Unattributed: true, RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting},
				{Reviewer: "bob", RequestedAt: at("2026-11-02T11:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Unattributed: 1, Waits: durs(time.Hour)},
		},
		{
			// Infer: alice (the author) and bob (named at 11:00, earlier
			// in the timeline) cannot answer the hidden request; carol's
			// review at 13:00 does (4h). Bob's own request: 1h.
			name:   "hidden team estimated: first review by someone not named",
			filter: infer,
			events: evs(
				evRequest("2026-11-02T09:00", nil),
				evReview("2026-11-02T10:00", &Actor{Login: "alice"}, "COMMENTED"),
				evReview("2026-11-02T10:30", bot("ci"), "COMMENTED"),
				evRequest("2026-11-02T11:00", usr("bob")),
				evReview("2026-11-02T12:00", usr("bob"), "APPROVED"),
				evReview("2026-11-02T13:00", usr("carol"), "COMMENTED"),
			),
			want: []reqView{
				{Reviewer: hidden, Estimated: true, RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T13:00"), Wait: 4 * time.Hour},
				{Reviewer: "bob", RequestedAt: at("2026-11-02T11:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: time.Hour},
			},
			sum: sumView{Answered: 2, WithinSLA: 2, Estimated: Estimate{Answered: 1}, Waits: durs(time.Hour, 4*time.Hour)},
		},
		{
			// Three hidden requests, no nudges: the hidden removal at 11:30
			// withdraws the earliest (2h30m); carol's review at 12:00
			// answers both others (2h and 1h).
			name:   "hidden team estimated: one review answers all, removal withdraws the earliest",
			filter: infer,
			events: evs(
				evRequest("2026-11-02T09:00", nil),
				evRequest("2026-11-02T10:00", nil),
				evRequest("2026-11-02T11:00", nil),
				evRemove("2026-11-02T11:30", nil),
				evReview("2026-11-02T12:00", usr("carol"), "APPROVED"),
			),
			want: []reqView{
				{Reviewer: hidden, Estimated: true, RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-02T11:30"), Wait: 2*time.Hour + 30*time.Minute},
				{Reviewer: hidden, Estimated: true, RequestedAt: at("2026-11-02T10:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: 2 * time.Hour},
				{Reviewer: hidden, Estimated: true, RequestedAt: at("2026-11-02T11:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: time.Hour},
			},
			sum: sumView{Answered: 2, WithinSLA: 2, Withdrawn: 1, Estimated: Estimate{Answered: 2, Withdrawn: 1}, Waits: durs(time.Hour, 2*time.Hour)},
		},
		{
			// Close withdraws the hidden request (24h), the reopen starts
			// it again (135h, waiting).
			name:   "hidden team estimated: close and reopen",
			filter: infer,
			events: evs(
				evRequest("2026-11-02T09:00", nil),
				evClose("2026-11-03T09:00"),
				evReopen("2026-11-04T09:00"),
			),
			want: []reqView{
				{Reviewer: hidden, Estimated: true, RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-03T09:00"), Wait: 24 * time.Hour},
				{Reviewer: hidden, Estimated: true, RequestedAt: at("2026-11-04T09:00"), Outcome: Waiting, Wait: 135 * time.Hour},
			},
			sum: sumView{Withdrawn: 1, Waiting: 1, OverSLA: 1, Estimated: Estimate{Withdrawn: 1, Waiting: 1}},
		},
		{
			// A hidden removal while closed keeps the reopen from starting
			// the hidden request again; a review while closed does the same
			// for the second one.
			name:   "hidden team estimated: removed or reviewed while closed",
			filter: infer,
			events: evs(
				evRequest("2026-11-02T09:00", nil),
				evRequest("2026-11-02T10:00", nil),
				evClose("2026-11-03T09:00"),
				evRemove("2026-11-03T10:00", nil),
				evReview("2026-11-03T11:00", usr("carol"), "COMMENTED"),
				evReopen("2026-11-04T09:00"),
			),
			want: []reqView{
				{Reviewer: hidden, Estimated: true, RequestedAt: at("2026-11-02T09:00"), Outcome: Withdrawn, EndedAt: at("2026-11-03T09:00"), Wait: 24 * time.Hour},
				{Reviewer: hidden, Estimated: true, RequestedAt: at("2026-11-02T10:00"), Outcome: Withdrawn, EndedAt: at("2026-11-03T09:00"), Wait: 23 * time.Hour},
			},
			sum: sumView{Withdrawn: 2, Estimated: Estimate{Withdrawn: 2}},
		},
		{
			// Timeline order in the estimate too: bob's review precedes his
			// by-name request of the same second, so it answers the hidden
			// request (3h); his own request waits (180h).
			name:   "hidden team estimated: tie follows timeline order",
			filter: infer,
			events: evs(
				evRequest("2026-11-02T09:00", nil),
				evReview("2026-11-02T12:00", usr("bob"), "COMMENTED"),
				evRequest("2026-11-02T12:00", usr("bob")),
			),
			want: []reqView{
				{Reviewer: hidden, Estimated: true, RequestedAt: at("2026-11-02T09:00"), Outcome: Answered, EndedAt: at("2026-11-02T12:00"), Wait: 3 * time.Hour},
				{Reviewer: "bob", RequestedAt: at("2026-11-02T12:00"), ReRequest: true, Outcome: Waiting, Wait: 180 * time.Hour},
			},
			sum: sumView{Answered: 1, WithinSLA: 1, Waiting: 1, OverSLA: 1, Estimated: Estimate{Answered: 1}, Waits: durs(3 * time.Hour)},
		},
		{
			// A deleted account's review answers no hidden request either.
			name:   "hidden team estimated: deleted reviewer answers nothing",
			filter: infer,
			events: evs(
				evRequest("2026-11-02T09:00", nil),
				evReview("2026-11-02T10:00", ghost, "APPROVED"),
			),
			want: []reqView{
				{Reviewer: hidden, Estimated: true, RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting, Wait: 183 * time.Hour},
			},
			sum: sumView{Waiting: 1, OverSLA: 1, Estimated: Estimate{Waiting: 1}},
		},
	})
}
