package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// Baseline reads pull requests the way peer actions do, with GitHub's REST
// API and one request per page per pull request:
//
//   - GET /repos/{o}/{r}/pulls?state=all&sort=updated&direction=desc&per_page=100
//     (https://docs.github.com/rest/pulls/pulls#list-pull-requests), every
//     page, following the Link header's rel="next": a REST client cannot
//     find old open pull requests otherwise;
//   - for each pull request updated in the window, or open, its timeline,
//     GET /repos/{o}/{r}/issues/{n}/timeline?per_page=100
//     (https://docs.github.com/rest/issues/timeline#list-timeline-events-for-an-issue),
//   - and its reviews, GET /repos/{o}/{r}/pulls/{n}/reviews?per_page=100
//     (https://docs.github.com/rest/pulls/reviews#list-reviews-for-a-pull-request),
//     each paged to the end.
//
// It sends one request at a time, as a Retrier transport allows. REST does
// not say on behalf of which team a review was made, so its reviews carry
// no OnBehalfOf. It implements action.PullRequestSource.
type Baseline struct {
	// APIURL is the REST base, e.g. https://api.github.com.
	APIURL string
	Token  string
	// HTTP sends the requests; it should have a timeout.
	HTTP      *http.Client
	UserAgent string
	// Requests counts the requests sent.
	Requests int
}

// Peer actions ask for the largest page GitHub serves.
const restPerPage = 100

type restUser struct {
	Login string `json:"login"`
	Type  string `json:"type"`
}

type restTeam struct {
	Slug    string `json:"slug"`
	HTMLURL string `json:"html_url"`
}

type restPull struct {
	Number    int       `json:"number"`
	Title     string    `json:"title"`
	HTMLURL   string    `json:"html_url"`
	State     string    `json:"state"`
	Draft     bool      `json:"draft"`
	User      *restUser `json:"user"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Labels    []struct {
		Name string `json:"name"`
	} `json:"labels"`
}

type restEvent struct {
	ID                int64      `json:"id"`
	Event             string     `json:"event"`
	CreatedAt         time.Time  `json:"created_at"`
	SubmittedAt       *time.Time `json:"submitted_at"`
	State             string     `json:"state"`
	User              *restUser  `json:"user"`
	RequestedReviewer *restUser  `json:"requested_reviewer"`
	RequestedTeam     *restTeam  `json:"requested_team"`
}

type restReview struct {
	ID          int64      `json:"id"`
	State       string     `json:"state"`
	User        *restUser  `json:"user"`
	SubmittedAt *time.Time `json:"submitted_at"`
}

// PullRequests returns every pull request of repo ("owner/name") updated
// at or after since, and every open one, with their timelines. It fails on
// any request that does not answer 200.
func (c *Baseline) PullRequests(ctx context.Context, repo string, since time.Time) ([]kpi.PullRequest, error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok {
		return nil, fmt.Errorf("repository %q is not owner/name", repo)
	}
	base := strings.TrimSuffix(c.APIURL, "/") + "/repos/" + url.PathEscape(owner) + "/" + url.PathEscape(name)
	var pulls []restPull
	err := c.pages(ctx, base+"/pulls?state=all&sort=updated&direction=desc&per_page=100", func(raw json.RawMessage) error {
		var page []restPull
		if err := json.Unmarshal(raw, &page); err != nil {
			return err
		}
		for _, p := range page {
			if !p.UpdatedAt.Before(since) || p.State == "open" {
				pulls = append(pulls, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list pull requests of %s: %w", repo, err)
	}
	out := make([]kpi.PullRequest, 0, len(pulls))
	for _, p := range pulls {
		pr, err := c.pullRequest(ctx, base, owner, repo, p)
		if err != nil {
			return nil, fmt.Errorf("%s#%d: %w", repo, p.Number, err)
		}
		out = append(out, pr)
	}
	return out, nil
}

// pullRequest fetches one pull request's timeline and reviews.
func (c *Baseline) pullRequest(ctx context.Context, base, owner, repo string, p restPull) (kpi.PullRequest, error) {
	pr := kpi.PullRequest{Repository: repo, Number: p.Number, Title: p.Title, URL: p.HTMLURL,
		Author: actor(p.User), IsDraft: p.Draft, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	for _, l := range p.Labels {
		pr.Labels = append(pr.Labels, l.Name)
	}
	var events []restEvent
	err := c.pages(ctx, fmt.Sprintf("%s/issues/%d/timeline?per_page=%d", base, p.Number, restPerPage), func(raw json.RawMessage) error {
		var page []restEvent
		err := json.Unmarshal(raw, &page)
		events = append(events, page...)
		return err
	})
	if err != nil {
		return pr, fmt.Errorf("timeline: %w", err)
	}
	reviews := map[int64]restReview{}
	err = c.pages(ctx, fmt.Sprintf("%s/pulls/%d/reviews?per_page=%d", base, p.Number, restPerPage), func(raw json.RawMessage) error {
		var page []restReview
		err := json.Unmarshal(raw, &page)
		for _, r := range page {
			reviews[r.ID] = r
		}
		return err
	})
	if err != nil {
		return pr, fmt.Errorf("reviews: %w", err)
	}
	pr.Events = make([]kpi.Event, 0, len(events))
	for _, e := range events {
		ev := kpi.Event{At: e.CreatedAt}
		switch e.Event {
		case "review_requested", "review_request_removed":
			ev.Kind = kpi.ReviewRequested
			if e.Event == "review_request_removed" {
				ev.Kind = kpi.ReviewRequestRemoved
			}
			switch {
			case e.RequestedReviewer != nil:
				a := actor(e.RequestedReviewer)
				ev.Reviewer = &a
			case e.RequestedTeam != nil:
				a := kpi.Actor{Login: teamOrg(e.RequestedTeam, owner) + "/" + e.RequestedTeam.Slug, Team: true}
				ev.Reviewer = &a
			}
		case "reviewed":
			// The reviews list is what peer actions read reviews from.
			r, ok := reviews[e.ID]
			if !ok || r.SubmittedAt == nil || r.State == "PENDING" {
				continue
			}
			a := actor(r.User)
			ev.Kind, ev.At, ev.Author, ev.ReviewState = kpi.Reviewed, *r.SubmittedAt, &a, r.State
		case "ready_for_review":
			ev.Kind = kpi.ReadyForReview
		case "convert_to_draft":
			ev.Kind = kpi.ConvertedToDraft
		case "closed":
			ev.Kind = kpi.Closed
		case "reopened":
			ev.Kind = kpi.Reopened
		case "merged":
			ev.Kind = kpi.Merged
		default:
			continue
		}
		pr.Events = append(pr.Events, ev)
	}
	return pr, nil
}

var teamURLRE = regexp.MustCompile(`/orgs/([^/]+)/teams/`)

// teamOrg is the organisation of a team, from its html_url; def when the
// URL does not say.
func teamOrg(t *restTeam, def string) string {
	if m := teamURLRE.FindStringSubmatch(t.HTMLURL); m != nil {
		return m[1]
	}
	return def
}

// actor maps a REST user to a kpi.Actor as the GraphQL client names it: a
// bot without REST's "[bot]" suffix, a deleted account as "ghost".
func actor(u *restUser) kpi.Actor {
	if u == nil {
		return kpi.Actor{Login: "ghost"}
	}
	if u.Type == "Bot" {
		return kpi.Actor{Login: strings.TrimSuffix(u.Login, "[bot]"), Bot: true}
	}
	return kpi.Actor{Login: u.Login}
}

// pages GETs u and every page its Link header's rel="next" leads to,
// handing each body to page.
func (c *Baseline) pages(ctx context.Context, u string, page func(json.RawMessage) error) error {
	for u != "" {
		next, err := c.get(ctx, u, page)
		if err != nil {
			return err
		}
		u = next
	}
	return nil
}

// get sends one request and returns the next page's URL ("" on the last).
func (c *Baseline) get(ctx context.Context, u string, page func(json.RawMessage) error) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	c.Requests++
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return "", fmt.Errorf("read %s: %w", req.URL.Path, err)
	}
	if resp.StatusCode != http.StatusOK {
		var msg struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(raw, &msg)
		return "", fmt.Errorf("GET %s answered %d: %s", req.URL.Path, resp.StatusCode, msg.Message)
	}
	if err := page(raw); err != nil {
		return "", fmt.Errorf("decode %s: %w", req.URL.Path, err)
	}
	return nextLink(resp.Header.Get("Link")), nil
}

var nextRE = regexp.MustCompile(`<([^>]+)>;\s*rel="next"`)

// nextLink finds rel="next" in a Link header.
func nextLink(h string) string {
	if m := nextRE.FindStringSubmatch(h); m != nil {
		return m[1]
	}
	return ""
}
