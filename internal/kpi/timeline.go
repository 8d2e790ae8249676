// Package kpi holds the domain types of Engineering KPIs (pull-request
// timelines, review requests, snapshots) and the pure arithmetic over them.
// It imports nothing of ours and performs no I/O.
package kpi

import "time"

// EventKind names a pull-request timeline event that matters to review waits.
type EventKind string

// The timeline events the review-wait KPI reads.
const (
	ReviewRequested      EventKind = "review_requested"
	ReviewRequestRemoved EventKind = "review_request_removed"
	Reviewed             EventKind = "reviewed"
	ReadyForReview       EventKind = "ready_for_review"
	ConvertedToDraft     EventKind = "converted_to_draft"
	Closed               EventKind = "closed"
	Reopened             EventKind = "reopened"
	Merged               EventKind = "merged"
)

// Actor is a GitHub account or team as a timeline names it.
type Actor struct {
	// Login is a user's or bot's login, or a team's "org/slug".
	Login string `json:"login"`
	// Team is true when the actor is a team.
	Team bool `json:"team,omitempty"`
	// Bot is true when GitHub reports the account as a bot (GraphQL
	// __typename Bot). Logins ending in "[bot]" are bots whatever this says.
	Bot bool `json:"bot,omitempty"`
}

// Event is one timeline item of a pull request.
type Event struct {
	Kind EventKind `json:"kind"`
	// At is when the event happened; for a review, its submission time.
	At time.Time `json:"at"`
	// Reviewer is the requested reviewer of a ReviewRequested or
	// ReviewRequestRemoved event; nil when GitHub does not reveal it.
	Reviewer *Actor `json:"reviewer,omitempty"`
	// Author is the author of a review.
	Author *Actor `json:"author,omitempty"`
	// OnBehalfOf lists the teams ("org/slug") a review was made for.
	OnBehalfOf []string `json:"on_behalf_of,omitempty"`
	// ReviewState is the state of a review (APPROVED, CHANGES_REQUESTED,
	// COMMENTED, DISMISSED or PENDING).
	ReviewState string `json:"review_state,omitempty"`
}

// PullRequest is a pull request with the timeline events the KPIs need, in
// timeline order.
type PullRequest struct {
	Repository string    `json:"repository"`
	Number     int       `json:"number"`
	Title      string    `json:"title"`
	URL        string    `json:"url"`
	Author     Actor     `json:"author"`
	IsDraft    bool      `json:"is_draft"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Labels     []string  `json:"labels,omitempty"`
	Events     []Event   `json:"events"`
}
