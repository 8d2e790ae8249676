package githubfake

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Repo is a repository of the fake, with its pull requests. Its files
// and branches are seeded with Server.SetFile and Server.CommitFiles; a
// repository without commits is empty, as a new GitHub repository is.
type Repo struct {
	Owner string
	Name  string
	// DefaultBranch is the default branch's name; "main" when empty.
	DefaultBranch string
	// Archived leaves the repository out of its organisation's
	// non-archived repositories.
	Archived bool
	// PullRequests in any order.
	PullRequests []PullRequest
}

// PullRequest is a pull request of the fake. Zero fields are derived when
// the server loads the model: Number from the position (1, 2, ...), ID,
// URL (https://github.com/OWNER/NAME/pull/NUMBER), Title ("Pull request
// NUMBER"), State from the items (MERGED after a merged event, else CLOSED
// or OPEN by the last closed or reopened one), and UpdatedAt as the
// latest of CreatedAt and every item's times.
type PullRequest struct {
	ID     string
	Number int
	Title  string
	URL    string
	// State is OPEN, CLOSED or MERGED.
	State     string
	IsDraft   bool
	CreatedAt time.Time
	UpdatedAt time.Time
	// Author is nil for a deleted account (GitHub answers null).
	Author *Actor
	Labels []string
	// Items is the timeline, oldest first.
	Items []Item
}

// Actor is a user, bot, mannequin, organization or team.
type Actor struct {
	// Type is the GraphQL type: "User", "Bot", "Mannequin", "Organization"
	// or "Team".
	Type string
	// Login is the account's login (a bot's without the "[bot]" suffix
	// REST adds), or a team's combined slug "org/slug".
	Login string
}

// User returns a user.
func User(login string) *Actor { return &Actor{Type: "User", Login: login} }

// Bot returns a bot account; GraphQL spells its login without "[bot]".
func Bot(login string) *Actor { return &Actor{Type: "Bot", Login: login} }

// Mannequin returns a mannequin (an imported account placeholder).
func Mannequin(login string) *Actor { return &Actor{Type: "Mannequin", Login: login} }

// Team returns a team from its combined slug "org/slug".
func Team(combinedSlug string) *Actor { return &Actor{Type: "Team", Login: combinedSlug} }

// ItemType is the GraphQL type of a timeline item.
type ItemType string

// The timeline item types the fake models.
const (
	ReviewRequestedEvent      ItemType = "ReviewRequestedEvent"
	ReviewRequestRemovedEvent ItemType = "ReviewRequestRemovedEvent"
	PullRequestReview         ItemType = "PullRequestReview"
	ReadyForReviewEvent       ItemType = "ReadyForReviewEvent"
	ConvertToDraftEvent       ItemType = "ConvertToDraftEvent"
	ClosedEvent               ItemType = "ClosedEvent"
	ReopenedEvent             ItemType = "ReopenedEvent"
	MergedEvent               ItemType = "MergedEvent"
)

var itemTypes = []ItemType{
	ReviewRequestedEvent, ReviewRequestRemovedEvent, PullRequestReview, ReadyForReviewEvent,
	ConvertToDraftEvent, ClosedEvent, ReopenedEvent, MergedEvent,
}

// Item is one timeline item of a pull request.
type Item struct {
	Type ItemType
	// ID is the item's node ID; derived when empty.
	ID string
	// At is the item's createdAt. For a review that is when it was
	// started, which can be long before it was submitted.
	At time.Time
	// Actor is the review's author, or the event's actor; nil is null.
	Actor *Actor
	// Reviewer is the requested reviewer of a review-request event; nil
	// when GitHub does not reveal it (a team the token cannot see).
	Reviewer *Actor
	// State of a review: APPROVED, CHANGES_REQUESTED, COMMENTED,
	// DISMISSED or PENDING.
	State string
	// SubmittedAt of a review; zero (null) for a pending one.
	SubmittedAt time.Time
	// OnBehalfOf lists the teams ("org/slug") a review was made for.
	OnBehalfOf []string
}

// ReviewDraftTime is how long before submission Review says a review was
// started (its createdAt), so that createdAt and submittedAt differ.
const ReviewDraftTime = 10 * time.Minute

// Requested returns a ReviewRequestedEvent for reviewer (nil: hidden).
func Requested(at time.Time, reviewer *Actor) Item {
	return Item{Type: ReviewRequestedEvent, At: at, Reviewer: reviewer}
}

// RequestRemoved returns a ReviewRequestRemovedEvent for reviewer.
func RequestRemoved(at time.Time, reviewer *Actor) Item {
	return Item{Type: ReviewRequestRemovedEvent, At: at, Reviewer: reviewer}
}

// Review returns a review by author submitted at submitted (and created
// ReviewDraftTime earlier) in state (APPROVED, CHANGES_REQUESTED,
// COMMENTED or DISMISSED), made on behalf of the teams given as "org/slug".
func Review(submitted time.Time, author *Actor, state string, onBehalfOf ...string) Item {
	return Item{Type: PullRequestReview, At: submitted.Add(-ReviewDraftTime), SubmittedAt: submitted,
		Actor: author, State: state, OnBehalfOf: onBehalfOf}
}

// PendingReview returns a review started at created and not submitted.
func PendingReview(created time.Time, author *Actor) Item {
	return Item{Type: PullRequestReview, At: created, Actor: author, State: "PENDING"}
}

// Ready returns a ReadyForReviewEvent.
func Ready(at time.Time) Item { return Item{Type: ReadyForReviewEvent, At: at} }

// Draft returns a ConvertToDraftEvent.
func Draft(at time.Time) Item { return Item{Type: ConvertToDraftEvent, At: at} }

// Closed returns a ClosedEvent.
func Closed(at time.Time) Item { return Item{Type: ClosedEvent, At: at} }

// Reopened returns a ReopenedEvent.
func Reopened(at time.Time) Item { return Item{Type: ReopenedEvent, At: at} }

// Merged returns a MergedEvent.
func Merged(at time.Time) Item { return Item{Type: MergedEvent, At: at} }

// model is the loaded, normalised data the server answers from.
type model struct {
	repos map[string]*repoData // by lower-case "owner/name"
	nodes map[string]object    // by node ID
}

type repoData struct {
	owner, name   string
	defaultBranch string
	archived      bool
	prs           []*prData
}

type prData struct {
	repo *repoData
	PullRequest
}

// newModel copies repos, fills in derived fields and indexes node IDs.
func newModel(repos []Repo) (*model, error) {
	m := &model{repos: map[string]*repoData{}, nodes: map[string]object{}}
	for _, r := range repos {
		key := strings.ToLower(r.Owner + "/" + r.Name)
		if r.Owner == "" || r.Name == "" || m.repos[key] != nil {
			return nil, fmt.Errorf("githubfake: repository %q is empty or given twice", r.Owner+"/"+r.Name)
		}
		rd := &repoData{owner: r.Owner, name: r.Name, defaultBranch: r.DefaultBranch, archived: r.Archived}
		if rd.defaultBranch == "" {
			rd.defaultBranch = "main"
		}
		m.repos[key] = rd
		numbers := map[int]bool{}
		for i, pr := range r.PullRequests {
			pd := &prData{repo: rd, PullRequest: pr}
			pd.Items = slices.Clone(pr.Items)
			if err := pd.normalise(i); err != nil {
				return nil, fmt.Errorf("githubfake: %s/%s: %w", r.Owner, r.Name, err)
			}
			if numbers[pd.Number] {
				return nil, fmt.Errorf("githubfake: %s/%s: pull request number %d given twice", r.Owner, r.Name, pd.Number)
			}
			numbers[pd.Number] = true
			rd.prs = append(rd.prs, pd)
			if err := m.addNode(pd.ID, prObj{pd}); err != nil {
				return nil, err
			}
			for j := range pd.Items {
				if err := m.addNode(pd.Items[j].ID, itemObj{pd, j}); err != nil {
					return nil, err
				}
			}
		}
	}
	return m, nil
}

func (m *model) addNode(id string, o object) error {
	if m.nodes[id] != nil {
		return fmt.Errorf("githubfake: node ID %q given twice", id)
	}
	m.nodes[id] = o
	return nil
}

func (pd *prData) normalise(index int) error {
	if pd.Number == 0 {
		pd.Number = index + 1
	}
	slug := fmt.Sprintf("%s/%s", pd.repo.owner, pd.repo.name)
	if pd.ID == "" {
		pd.ID = nodeID("PR", fmt.Sprintf("%s#%d", slug, pd.Number))
	}
	if pd.URL == "" {
		pd.URL = fmt.Sprintf("https://github.com/%s/pull/%d", slug, pd.Number)
	}
	if pd.Title == "" {
		pd.Title = fmt.Sprintf("Pull request %d", pd.Number)
	}
	derivedState := "OPEN"
	updated := pd.CreatedAt
	for j := range pd.Items {
		it := &pd.Items[j]
		if !slices.Contains(itemTypes, it.Type) {
			return fmt.Errorf("pull request %d: item %d has unknown type %q", pd.Number, j, it.Type)
		}
		if it.ID == "" {
			it.ID = nodeID(initials(string(it.Type)), fmt.Sprintf("%s#%d/%d", slug, pd.Number, j))
		}
		switch it.Type {
		case ClosedEvent:
			// GitHub's timeline has a MergedEvent and a ClosedEvent
			// for a merge; a merged pull request stays MERGED.
			if derivedState != "MERGED" {
				derivedState = "CLOSED"
			}
		case ReopenedEvent:
			derivedState = "OPEN"
		case MergedEvent:
			derivedState = "MERGED"
		case PullRequestReview:
			if it.State == "" {
				return fmt.Errorf("pull request %d: review %d has no state", pd.Number, j)
			}
			if it.State == "PENDING" {
				it.SubmittedAt = time.Time{}
			}
		}
		updated = latest(updated, it.At, it.SubmittedAt)
	}
	if pd.State == "" {
		pd.State = derivedState
	}
	if pd.UpdatedAt.IsZero() {
		pd.UpdatedAt = updated
	}
	return nil
}

func latest(ts ...time.Time) time.Time {
	var m time.Time
	for _, t := range ts {
		if t.After(m) {
			m = t
		}
	}
	return m
}

// nodeID makes an opaque GitHub-style node ID such as "PR_kwDO...".
func nodeID(prefix, key string) string {
	return prefix + "_kw" + base64.RawURLEncoding.EncodeToString([]byte(key))
}

// initials abbreviates a type name the way GitHub prefixes node IDs:
// ReviewRequestedEvent → RRE.
func initials(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsUpper(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
