package githubapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// Page sizes. A pull-request page of 100 with 100 timeline items each costs
// GitHub one point (1 + 100 requests, /100, rounded). When GitHub times out
// on a page, the page is asked again at half the size, down to
// minPageSize, and the smaller size is kept for the rest of the run.
const (
	prPageSize       = 100
	timelinePageSize = 100
	nodesPageSize    = 100
	minPageSize      = 5
	// timeoutRetries bounds the retries of a page at the smallest size.
	timeoutRetries = 3
)

// adaptive runs query with page sizes from *size down, halving *size on
// each timeout; at minPageSize it lets a few more timeouts be retried.
func (c *Client) adaptive(ctx context.Context, size *int, query func(ctx context.Context, size int) error) error {
	floorTries := 0
	for {
		err := query(WithShrinkOnTimeout(ctx), *size)
		var ge *Error
		if err == nil || !errors.As(err, &ge) || !ge.Timeout {
			return err
		}
		if *size > minPageSize {
			*size = max(minPageSize, *size/2)
			c.Stats.Shrinks++
			continue
		}
		if floorTries++; floorTries > timeoutRetries {
			return err
		}
		if c.Retrier != nil {
			if werr := c.Retrier.waitFor(ctx, time.Duration(floorTries)*2*time.Second, "GitHub timed out"); werr != nil {
				return err
			}
		}
	}
}

// FetchOptions says which pull requests to fetch.
type FetchOptions struct {
	// Since: every pull request updated at or after it is fetched, plus
	// every open one whatever its age.
	Since time.Time
	// WithLabels fetches labels (needed only to exclude by label).
	WithLabels bool
	// ChangedOnly skips the open pull requests not updated since Since
	// (an incremental run keeps what it knows of them).
	ChangedOnly bool
}

type pageInfo struct {
	HasNextPage bool   `json:"hasNextPage"`
	EndCursor   string `json:"endCursor"`
}

type actorJSON struct {
	Typename     string `json:"__typename"`
	Login        string `json:"login"`
	CombinedSlug string `json:"combinedSlug"`
}

type timelineItemJSON struct {
	Typename          string     `json:"__typename"`
	CreatedAt         time.Time  `json:"createdAt"`
	RequestedReviewer *actorJSON `json:"requestedReviewer"`
	ID                string     `json:"id"`
	State             string     `json:"state"`
	SubmittedAt       *time.Time `json:"submittedAt"`
	Author            *actorJSON `json:"author"`
}

type timelineJSON struct {
	PageInfo pageInfo           `json:"pageInfo"`
	Nodes    []timelineItemJSON `json:"nodes"`
}

type pullRequestJSON struct {
	ID        string     `json:"id"`
	Number    int        `json:"number"`
	Title     string     `json:"title"`
	URL       string     `json:"url"`
	IsDraft   bool       `json:"isDraft"`
	CreatedAt time.Time  `json:"createdAt"`
	UpdatedAt time.Time  `json:"updatedAt"`
	Author    *actorJSON `json:"author"`
	Labels    *struct {
		Nodes []struct {
			Name string `json:"name"`
		} `json:"nodes"`
	} `json:"labels"`
	TimelineItems timelineJSON `json:"timelineItems"`
}

// FetchPullRequests returns the pull requests of repo ("owner/name") updated
// at or after opts.Since, and every open pull request, each with its whole
// review timeline. It fails on any GraphQL error rather than return
// incomplete data.
func (c *Client) FetchPullRequests(ctx context.Context, repo string, opts FetchOptions) ([]kpi.PullRequest, error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok {
		return nil, fmt.Errorf("repository %q is not owner/name", repo)
	}
	var raw []pullRequestJSON
	seen := map[string]bool{}
	add := func(pr pullRequestJSON) {
		if !seen[pr.ID] {
			seen[pr.ID] = true
			raw = append(raw, pr)
		}
	}
	// Newest updates first, until one older than Since.
	err := c.pagePullRequests(ctx, owner, name, nil, "DESC", opts.WithLabels, func(pr pullRequestJSON) bool {
		if pr.UpdatedAt.Before(opts.Since) {
			return false
		}
		add(pr)
		return true
	})
	if err != nil {
		return partial(repo, raw, nil, fmt.Errorf("list pull requests of %s: %w", repo, err))
	}
	// Open pull requests not updated since: oldest first, until the
	// first one the pass above has already seen.
	if !opts.ChangedOnly {
		err = c.pagePullRequests(ctx, owner, name, []string{"OPEN"}, "ASC", opts.WithLabels, func(pr pullRequestJSON) bool {
			if !pr.UpdatedAt.Before(opts.Since) {
				return false
			}
			add(pr)
			return true
		})
		if err != nil {
			return partial(repo, raw, nil, fmt.Errorf("list open pull requests of %s: %w", repo, err))
		}
	}
	if err := c.completeTimelines(ctx, raw); err != nil {
		return partial(repo, raw, nil, fmt.Errorf("timelines of %s: %w", repo, err))
	}
	teams, err := c.reviewTeams(ctx, raw)
	if err != nil && teamFieldError(err) {
		// The token may see requested teams but not the teams reviews
		// were made for: count every team request as hidden, as if the
		// team fields had been refused from the start.
		c.withholdTeams(err)
		hideTeams(raw)
		teams, err = nil, nil
	}
	if err != nil {
		return partial(repo, raw, teams, fmt.Errorf("review teams of %s: %w", repo, err))
	}
	out := make([]kpi.PullRequest, 0, len(raw))
	for _, pr := range raw {
		out = append(out, convert(repo, pr, teams))
	}
	return out, nil
}

// pagePullRequests pages through pull requests, calling keep for each until
// it returns false or the connection ends.
func (c *Client) pagePullRequests(ctx context.Context, owner, name string, states []string, direction string, withLabels bool, keep func(pullRequestJSON) bool) error {
	var after any
	if c.prPage == 0 {
		c.prPage = prPageSize
	}
	for {
		var data struct {
			Repository *struct {
				PullRequests struct {
					PageInfo pageInfo          `json:"pageInfo"`
					Nodes    []pullRequestJSON `json:"nodes"`
				} `json:"pullRequests"`
			} `json:"repository"`
		}
		err := c.adaptive(ctx, &c.prPage, func(ctx context.Context, size int) error {
			vars := map[string]any{
				"owner": owner, "name": name, "first": size, "after": after,
				"direction": direction, "timelineFirst": timelinePageSize, "states": nil,
			}
			if states != nil {
				vars["states"] = states
			}
			return c.withTeams(ctx, func(teams bool) error {
				op, doc := pullRequestsQuery(withLabels, teams)
				data.Repository = nil
				return c.do(ctx, op, doc, vars, &data)
			})
		})
		if err != nil {
			return err
		}
		if data.Repository == nil {
			return &Error{Status: 200, Type: "NOT_FOUND", Message: fmt.Sprintf("could not resolve to a repository with the name '%s/%s'", owner, name)}
		}
		conn := data.Repository.PullRequests
		for _, pr := range conn.Nodes {
			if !keep(pr) {
				return nil
			}
		}
		if !conn.PageInfo.HasNextPage {
			return nil
		}
		after = conn.PageInfo.EndCursor
	}
}

// reviewTeamsLists is how many lists of 100 review ids one ReviewTeams
// query carries.
const reviewTeamsLists = 5

// timelineBatch is how many pull requests' timelines one Timelines query
// pages at once.
const timelineBatch = 10

// completeTimelines fetches the further pages of every timeline that has
// them, timelineBatch pull requests per query.
func (c *Client) completeTimelines(ctx context.Context, prs []pullRequestJSON) error {
	if c.timelinePage == 0 {
		c.timelinePage = timelinePageSize
	}
	for {
		var batch []*pullRequestJSON
		for i := range prs {
			if prs[i].TimelineItems.PageInfo.HasNextPage && len(batch) < timelineBatch {
				batch = append(batch, &prs[i])
			}
		}
		if len(batch) == 0 {
			return nil
		}
		var data map[string]*struct {
			TimelineItems timelineJSON `json:"timelineItems"`
		}
		err := c.adaptive(ctx, &c.timelinePage, func(ctx context.Context, size int) error {
			vars := map[string]any{"first": size}
			for i, pr := range batch {
				vars[fmt.Sprintf("id%d", i)] = pr.ID
				vars[fmt.Sprintf("after%d", i)] = pr.TimelineItems.PageInfo.EndCursor
			}
			return c.withTeams(ctx, func(teams bool) error {
				op, doc := timelinesQuery(len(batch), teams)
				data = nil
				return c.do(ctx, op, doc, vars, &data)
			})
		})
		if err != nil {
			return err
		}
		for i, pr := range batch {
			node := data[fmt.Sprintf("pr%d", i)]
			if node == nil {
				return fmt.Errorf("pull request #%d disappeared while paging its timeline", pr.Number)
			}
			pr.TimelineItems.Nodes = append(pr.TimelineItems.Nodes, node.TimelineItems.Nodes...)
			pr.TimelineItems.PageInfo = node.TimelineItems.PageInfo
		}
	}
}

// reviewTeams fetches onBehalfOf for the reviews that could answer a team
// request: submitted reviews, by neither the author nor a bot, made while
// a team review request may be open (requested, and not yet removed or
// withdrawn by a close or merge). Only those can answer one.
func (c *Client) reviewTeams(ctx context.Context, prs []pullRequestJSON) (map[string][]string, error) {
	if c.Stats.TeamsWithheld != "" {
		// No team is visible: no review can answer a team request by
		// its onBehalfOf.
		return nil, nil
	}
	var ids []string
	for _, pr := range prs {
		ids = append(ids, reviewsNeedingTeams(pr)...)
	}
	teams := map[string][]string{}
	for len(ids) > 0 {
		vars := map[string]any{}
		lists := 0
		for ; lists < reviewTeamsLists && len(ids) > 0; lists++ {
			n := min(len(ids), nodesPageSize)
			vars[fmt.Sprintf("ids%d", lists)] = ids[:n]
			ids = ids[n:]
		}
		var data map[string]json.RawMessage
		if err := c.do(ctx, "ReviewTeams", reviewTeamsQuery(lists), vars, &data); err != nil {
			return nil, err
		}
		for i := 0; i < lists; i++ {
			var nodes []*struct {
				ID         string `json:"id"`
				OnBehalfOf struct {
					Nodes []struct {
						CombinedSlug string `json:"combinedSlug"`
					} `json:"nodes"`
				} `json:"onBehalfOf"`
			}
			if err := json.Unmarshal(data[fmt.Sprintf("r%d", i)], &nodes); err != nil {
				return nil, fmt.Errorf("ReviewTeams: decode r%d: %w", i, err)
			}
			for _, n := range nodes {
				if n == nil {
					continue
				}
				for _, t := range n.OnBehalfOf.Nodes {
					teams[n.ID] = append(teams[n.ID], t.CombinedSlug)
				}
			}
		}
	}
	return teams, nil
}

func toActor(a *actorJSON) kpi.Actor {
	if a == nil {
		// A deleted account: GitHub shows it as "ghost".
		return kpi.Actor{Login: "ghost"}
	}
	if a.Typename == "Team" {
		return kpi.Actor{Login: a.CombinedSlug, Team: true}
	}
	return kpi.Actor{Login: a.Login, Bot: a.Typename == "Bot"}
}

var eventKinds = map[string]kpi.EventKind{
	"ReviewRequestedEvent":      kpi.ReviewRequested,
	"ReviewRequestRemovedEvent": kpi.ReviewRequestRemoved,
	"PullRequestReview":         kpi.Reviewed,
	"ReadyForReviewEvent":       kpi.ReadyForReview,
	"ConvertToDraftEvent":       kpi.ConvertedToDraft,
	"ClosedEvent":               kpi.Closed,
	"ReopenedEvent":             kpi.Reopened,
	"MergedEvent":               kpi.Merged,
}

func convert(repo string, pr pullRequestJSON, teams map[string][]string) kpi.PullRequest {
	out := kpi.PullRequest{
		Repository: repo,
		Number:     pr.Number,
		Title:      pr.Title,
		URL:        pr.URL,
		Author:     toActor(pr.Author),
		IsDraft:    pr.IsDraft,
		CreatedAt:  pr.CreatedAt,
		UpdatedAt:  pr.UpdatedAt,
		Events:     make([]kpi.Event, 0, len(pr.TimelineItems.Nodes)),
	}
	if pr.Labels != nil {
		for _, l := range pr.Labels.Nodes {
			out.Labels = append(out.Labels, l.Name)
		}
	}
	for _, it := range pr.TimelineItems.Nodes {
		kind, ok := eventKinds[it.Typename]
		if !ok {
			continue
		}
		e := kpi.Event{Kind: kind, At: it.CreatedAt}
		switch kind {
		case kpi.ReviewRequested, kpi.ReviewRequestRemoved:
			if !hiddenReviewer(it.RequestedReviewer) {
				a := toActor(it.RequestedReviewer)
				e.Reviewer = &a
			}
		case kpi.Reviewed:
			if it.SubmittedAt == nil || it.State == "PENDING" {
				continue
			}
			e.At = *it.SubmittedAt
			if it.Author != nil {
				// A deleted account's review (author null) answers
				// nothing: nobody can tell whom it was for.
				a := toActor(it.Author)
				e.Author = &a
			}
			e.ReviewState = it.State
			e.OnBehalfOf = teams[it.ID]
		}
		out.Events = append(out.Events, e)
	}
	return out
}

// IncompleteError is a fetch that failed part-way for a reason on
// GitHub's side; PullRequests holds what was fetched.
type IncompleteError struct {
	Err          error
	PullRequests []kpi.PullRequest
}

func (e *IncompleteError) Error() string { return e.Err.Error() }
func (e *IncompleteError) Unwrap() error { return e.Err }

// Incomplete marks the error as one allow-partial may accept.
func (e *IncompleteError) Incomplete() []kpi.PullRequest { return e.PullRequests }

// partial returns err, as an IncompleteError carrying what was fetched when
// the failure was GitHub's and not the request's.
func partial(repo string, raw []pullRequestJSON, teams map[string][]string, err error) ([]kpi.PullRequest, error) {
	var ge *Error
	if !errors.As(err, &ge) || !ge.Partial() {
		var rl *RateLimitError
		if !errors.As(err, &rl) {
			return nil, err
		}
	}
	out := make([]kpi.PullRequest, 0, len(raw))
	for _, pr := range raw {
		out = append(out, convert(repo, pr, teams))
	}
	return nil, &IncompleteError{Err: err, PullRequests: out}
}

// reviewsNeedingTeams returns the ids of pr's reviews that may answer a
// team request (see reviewTeams), replaying the timeline in the order the
// KPI does: events by time, reviews by submission time.
func reviewsNeedingTeams(pr pullRequestJSON) []string {
	type step struct {
		at time.Time
		it *timelineItemJSON
	}
	var steps []step
	hasTeam := false
	for i := range pr.TimelineItems.Nodes {
		it := &pr.TimelineItems.Nodes[i]
		at := it.CreatedAt
		if it.Typename == "PullRequestReview" {
			if it.SubmittedAt == nil || it.State == "PENDING" {
				continue
			}
			at = *it.SubmittedAt
		}
		if it.Typename == "ReviewRequestedEvent" && it.RequestedReviewer != nil && it.RequestedReviewer.Typename == "Team" {
			hasTeam = true
		}
		steps = append(steps, step{at, it})
	}
	if !hasTeam {
		return nil
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].at.Before(steps[j].at) })
	author := ""
	if pr.Author != nil {
		author = strings.ToLower(pr.Author.Login)
	}
	open := map[string]bool{}
	var ids []string
	for _, s := range steps {
		it := s.it
		team := ""
		if it.RequestedReviewer != nil && it.RequestedReviewer.Typename == "Team" {
			team = strings.ToLower(it.RequestedReviewer.CombinedSlug)
		}
		switch it.Typename {
		case "ReviewRequestedEvent":
			if team != "" {
				open[team] = true
			}
		case "ReviewRequestRemovedEvent":
			delete(open, team)
		case "MergedEvent":
			// A merged pull request is never reopened: later reviews
			// cannot matter to a request.
			open = map[string]bool{}
		case "ClosedEvent", "ReopenedEvent":
			// Team requests stay pending on a closed pull request, and a
			// review made then still marks its team as having reviewed
			// (a later request is a re-request): keep them open.
		case "PullRequestReview":
			if len(open) == 0 || it.Author == nil || it.Author.Typename == "Bot" || strings.HasSuffix(it.Author.Login, "[bot]") || strings.EqualFold(it.Author.Login, author) {
				continue
			}
			ids = append(ids, it.ID)
		}
	}
	return ids
}

// hiddenReviewer reports whether GitHub withheld a requested reviewer: null
// (a team the token cannot see, or a deleted account), or a team asked for
// without its fields or with them refused.
func hiddenReviewer(a *actorJSON) bool {
	return a == nil || (a.Typename == "Team" && a.CombinedSlug == "")
}

// hideTeams turns every requested team of prs into a hidden reviewer.
func hideTeams(prs []pullRequestJSON) {
	for i := range prs {
		for j := range prs[i].TimelineItems.Nodes {
			it := &prs[i].TimelineItems.Nodes[j]
			if it.RequestedReviewer != nil && it.RequestedReviewer.Typename == "Team" {
				it.RequestedReviewer = nil
			}
		}
	}
}
