package githubfake

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The REST routes a per-pull-request client reads, as peer actions do: the
// pull-request list, then each pull request's issue timeline and reviews.
// They are served like the routes of rest.go (token, x-ratelimit-* of
// resource "core", counted in Stats), and page as GitHub does: per_page
// (default 30, at most 100) and page (from 1), with a Link header whose
// rel="next" and rel="last" (and, past the first page, rel="first" and
// rel="prev") URLs repeat the request's query with another page. A page
// past the end is an empty array.
//
// Pending reviews are visible only to their author, who is never the
// fake's token holder: neither the timeline nor the reviews list shows
// them.
var restPullRoutes = []restRoute{
	{"GET /repos/{owner}/{repo}/pulls", "GET /repos/{owner}/{repo}/pulls",
		"https://docs.github.com/rest/pulls/pulls#list-pull-requests", (*Server).listPulls},
	{"GET /repos/{owner}/{repo}/issues/{number}/timeline", "GET /repos/{owner}/{repo}/issues/{issue_number}/timeline",
		"https://docs.github.com/rest/issues/timeline#list-timeline-events-for-an-issue", (*Server).listTimeline},
	{"GET /repos/{owner}/{repo}/pulls/{number}/reviews", "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
		"https://docs.github.com/rest/pulls/reviews#list-reviews-for-a-pull-request", (*Server).listReviews},
}

// REST paging defaults (https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api).
const (
	restDefaultPerPage = 30
	restMaxPerPage     = 100
)

// ghostID is the id of GitHub's "ghost" user, who stands in for deleted
// accounts in REST answers (GraphQL answers null).
const ghostID = 10137

// restUser is GitHub's simple-user.
type restUser struct {
	Login             string `json:"login"`
	ID                int64  `json:"id"`
	NodeID            string `json:"node_id"`
	AvatarURL         string `json:"avatar_url"`
	GravatarID        string `json:"gravatar_id"`
	URL               string `json:"url"`
	HTMLURL           string `json:"html_url"`
	FollowersURL      string `json:"followers_url"`
	FollowingURL      string `json:"following_url"`
	GistsURL          string `json:"gists_url"`
	StarredURL        string `json:"starred_url"`
	SubscriptionsURL  string `json:"subscriptions_url"`
	OrganizationsURL  string `json:"organizations_url"`
	ReposURL          string `json:"repos_url"`
	EventsURL         string `json:"events_url"`
	ReceivedEventsURL string `json:"received_events_url"`
	Type              string `json:"type"`
	SiteAdmin         bool   `json:"site_admin"`
}

// restTeam is GitHub's team (as a requested team).
type restTeam struct {
	ID                  int64   `json:"id"`
	NodeID              string  `json:"node_id"`
	URL                 string  `json:"url"`
	HTMLURL             string  `json:"html_url"`
	Name                string  `json:"name"`
	Slug                string  `json:"slug"`
	Description         *string `json:"description"`
	Privacy             string  `json:"privacy"`
	NotificationSetting string  `json:"notification_setting"`
	Permission          string  `json:"permission"`
	MembersURL          string  `json:"members_url"`
	RepositoriesURL     string  `json:"repositories_url"`
	Parent              *string `json:"parent"`
}

type restLabel struct {
	ID          int64   `json:"id"`
	NodeID      string  `json:"node_id"`
	URL         string  `json:"url"`
	Name        string  `json:"name"`
	Color       string  `json:"color"`
	Default     bool    `json:"default"`
	Description *string `json:"description"`
}

type restHref struct {
	Href string `json:"href"`
}

// restPull is GitHub's pull-request-simple, trimmed of the head and base
// branches and the URL templates nobody here follows.
type restPull struct {
	URL                string      `json:"url"`
	ID                 int64       `json:"id"`
	NodeID             string      `json:"node_id"`
	HTMLURL            string      `json:"html_url"`
	IssueURL           string      `json:"issue_url"`
	Number             int         `json:"number"`
	State              string      `json:"state"`
	Locked             bool        `json:"locked"`
	Title              string      `json:"title"`
	User               restUser    `json:"user"`
	Body               *string     `json:"body"`
	Labels             []restLabel `json:"labels"`
	CreatedAt          time.Time   `json:"created_at"`
	UpdatedAt          time.Time   `json:"updated_at"`
	ClosedAt           *time.Time  `json:"closed_at"`
	MergedAt           *time.Time  `json:"merged_at"`
	RequestedReviewers []restUser  `json:"requested_reviewers"`
	RequestedTeams     []restTeam  `json:"requested_teams"`
	AuthorAssociation  string      `json:"author_association"`
	Draft              bool        `json:"draft"`
	Links              struct {
		Self     restHref `json:"self"`
		HTML     restHref `json:"html"`
		Issue    restHref `json:"issue"`
		Comments restHref `json:"comments"`
	} `json:"_links"`
}

// restIssueEvent is a timeline event of the issue-event family
// (review_requested, review_request_removed, ready_for_review,
// convert_to_draft, closed, reopened, merged).
type restIssueEvent struct {
	ID                    int64     `json:"id"`
	NodeID                string    `json:"node_id"`
	URL                   string    `json:"url"`
	Actor                 restUser  `json:"actor"`
	Event                 string    `json:"event"`
	CommitID              *string   `json:"commit_id"`
	CommitURL             *string   `json:"commit_url"`
	CreatedAt             time.Time `json:"created_at"`
	PerformedViaGitHubApp *string   `json:"performed_via_github_app"`
	// Review-request events only; a hidden reviewer has neither
	// requested_reviewer nor requested_team.
	ReviewRequester   *restUser `json:"review_requester,omitempty"`
	RequestedReviewer *restUser `json:"requested_reviewer,omitempty"`
	RequestedTeam     *restTeam `json:"requested_team,omitempty"`
}

type restReviewLinks struct {
	HTML        restHref `json:"html"`
	PullRequest restHref `json:"pull_request"`
}

// restReview is a pull-request review as GET .../pulls/{n}/reviews lists
// it; the timeline's "reviewed" event has the same fields plus event, and
// spells state in lower case.
type restReview struct {
	ID                int64           `json:"id"`
	NodeID            string          `json:"node_id"`
	User              restUser        `json:"user"`
	Body              string          `json:"body"`
	State             string          `json:"state"`
	HTMLURL           string          `json:"html_url"`
	PullRequestURL    string          `json:"pull_request_url"`
	Links             restReviewLinks `json:"_links"`
	SubmittedAt       time.Time       `json:"submitted_at"`
	CommitID          string          `json:"commit_id"`
	AuthorAssociation string          `json:"author_association"`
	Event             string          `json:"event,omitempty"`
}

// restEvents names the REST timeline event of each item type.
var restEvents = map[ItemType]string{
	ReviewRequestedEvent:      "review_requested",
	ReviewRequestRemovedEvent: "review_request_removed",
	PullRequestReview:         "reviewed",
	ReadyForReviewEvent:       "ready_for_review",
	ConvertToDraftEvent:       "convert_to_draft",
	ClosedEvent:               "closed",
	ReopenedEvent:             "reopened",
	MergedEvent:               "merged",
}

// apiBase is the REST base (APIURL or EnterpriseAPIURL) a request came to.
func (rc *restCtx) apiBase() string {
	return strings.TrimSuffix(rc.api, "/repos/"+rc.rd.owner+"/"+rc.rd.name)
}

// user renders an actor as a simple-user: a deleted account (nil) is
// "ghost", a bot's login gets REST's "[bot]" suffix.
func (rc *restCtx) user(a *Actor) restUser {
	base := rc.apiBase()
	login, typ, id, html := "ghost", "User", int64(ghostID), "https://github.com/ghost"
	if a != nil {
		login, typ, id, html = a.Login, a.Type, restID("user:"+a.Login), "https://github.com/"+a.Login
		if a.Type == "Bot" {
			login, html = a.Login+"[bot]", "https://github.com/apps/"+a.Login
		}
	}
	u := base + "/users/" + login
	return restUser{
		Login: login, ID: id, NodeID: nodeID(initials(typ), login),
		AvatarURL: "https://avatars.githubusercontent.com/u/" + strconv.FormatInt(id, 10) + "?v=4",
		URL:       u, HTMLURL: html,
		FollowersURL: u + "/followers", FollowingURL: u + "/following{/other_user}", GistsURL: u + "/gists{/gist_id}",
		StarredURL: u + "/starred{/owner}{/repo}", SubscriptionsURL: u + "/subscriptions",
		OrganizationsURL: u + "/orgs", ReposURL: u + "/repos", EventsURL: u + "/events{/privacy}",
		ReceivedEventsURL: u + "/received_events", Type: typ,
	}
}

// team renders a team given by its combined slug "org/slug".
func (rc *restCtx) team(combined string) restTeam {
	org, slug, ok := strings.Cut(combined, "/")
	if !ok {
		org, slug = rc.rd.owner, combined
	}
	base := rc.apiBase()
	orgID, id := restID("org:"+org), restID("team:"+combined)
	u := fmt.Sprintf("%s/organizations/%d/team/%d", base, orgID, id)
	return restTeam{
		ID: id, NodeID: nodeID("T", combined), URL: u, HTMLURL: "https://github.com/orgs/" + org + "/teams/" + slug,
		Name: slug, Slug: slug, Privacy: "closed", NotificationSetting: "notifications_enabled", Permission: "pull",
		MembersURL: u + "/members{/member}", RepositoriesURL: u + "/repos",
	}
}

// paging reads per_page and page as GitHub does: per_page defaults to 30
// and is capped at 100; page counts from 1.
func (rc *restCtx) paging() (perPage, pageNo int) {
	q := rc.r.URL.Query()
	perPage, pageNo = restDefaultPerPage, 1
	if n, err := strconv.Atoi(q.Get("per_page")); err == nil && n > 0 {
		perPage = min(n, restMaxPerPage)
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 0 {
		pageNo = n
	}
	return perPage, pageNo
}

// onlyParams fails the test when the query has a parameter the fake does
// not model, so no client comes to rely on it.
func (s *Server) onlyParams(rc *restCtx, names ...string) bool {
	for k := range rc.r.URL.Query() {
		if !slices.Contains(names, k) {
			s.tb.Errorf("githubfake: %s %s: query parameter %q is not modelled", rc.r.Method, rc.r.URL.Path, k)
			rc.fail(http.StatusUnprocessableEntity, "githubfake: query parameter "+k+" is not modelled")
			return false
		}
	}
	return true
}

// pageOf answers page pageNo (of perPage items) of n items with a Link
// header, and returns the index range to serve.
func (rc *restCtx) pageOf(n, perPage, pageNo int) (lo, hi int) {
	last := max(1, (n+perPage-1)/perPage)
	link := func(p int, rel string) string {
		q := rc.r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		u := url.URL{Scheme: "http", Host: rc.r.Host, Path: rc.r.URL.Path, RawQuery: q.Encode()}
		return fmt.Sprintf("<%s>; rel=%q", u.String(), rel)
	}
	var links []string
	if pageNo > 1 {
		links = append(links, link(min(pageNo-1, last), "prev"))
	}
	if pageNo < last {
		links = append(links, link(pageNo+1, "next"), link(last, "last"))
	}
	if pageNo > 1 {
		links = append(links, link(1, "first"))
	}
	if len(links) > 0 {
		rc.w.Header().Set("Link", strings.Join(links, ", "))
	}
	lo = min(n, (pageNo-1)*perPage)
	return lo, min(n, lo+perPage)
}

// pull finds the pull request the path's {number} names, or answers 404.
func (rc *restCtx) pull() *prData {
	n, err := strconv.Atoi(rc.r.PathValue("number"))
	if err == nil {
		for _, pd := range rc.rd.prs {
			if pd.Number == n {
				return pd
			}
		}
	}
	rc.fail(http.StatusNotFound, "Not Found")
	return nil
}

func (s *Server) listPulls(rc *restCtx) {
	if !s.onlyParams(rc, "state", "sort", "direction", "per_page", "page") {
		return
	}
	q := rc.r.URL.Query()
	state := cmp.Or(q.Get("state"), "open")
	sort := cmp.Or(q.Get("sort"), "created")
	direction := q.Get("direction")
	if direction == "" {
		// GitHub: desc when sorting by created (the default), else asc.
		direction = "asc"
		if sort == "created" {
			direction = "desc"
		}
	}
	if !slices.Contains([]string{"open", "closed", "all"}, state) || !slices.Contains([]string{"created", "updated"}, sort) ||
		!slices.Contains([]string{"asc", "desc"}, direction) {
		s.tb.Errorf("githubfake: GET pulls with state=%q sort=%q direction=%q is not modelled", state, sort, direction)
		rc.fail(http.StatusUnprocessableEntity, "Validation Failed")
		return
	}
	var prs []*prData
	for _, pd := range rc.rd.prs {
		if state == "all" || (state == "open") == (pd.State == "OPEN") {
			prs = append(prs, pd)
		}
	}
	// Ties are broken by number, as the GraphQL connection does.
	slices.SortFunc(prs, func(a, b *prData) int {
		ta, tb := a.CreatedAt, b.CreatedAt
		if sort == "updated" {
			ta, tb = a.UpdatedAt, b.UpdatedAt
		}
		return cmp.Or(ta.Compare(tb), cmp.Compare(a.Number, b.Number))
	})
	if direction == "desc" {
		slices.Reverse(prs)
	}
	perPage, pageNo := rc.paging()
	lo, hi := rc.pageOf(len(prs), perPage, pageNo)
	out := make([]restPull, 0, hi-lo)
	for _, pd := range prs[lo:hi] {
		out = append(out, rc.pullJSON(pd))
	}
	rc.json(http.StatusOK, out)
}

func (rc *restCtx) pullJSON(pd *prData) restPull {
	self := rc.api + "/pulls/" + strconv.Itoa(pd.Number)
	issue := rc.api + "/issues/" + strconv.Itoa(pd.Number)
	p := restPull{
		URL: self, ID: restID(pd.ID), NodeID: pd.ID, HTMLURL: pd.URL, IssueURL: issue,
		Number: pd.Number, State: "open", Title: pd.Title, User: rc.user(pd.Author),
		Labels: []restLabel{}, CreatedAt: pd.CreatedAt, UpdatedAt: pd.UpdatedAt,
		RequestedReviewers: []restUser{}, RequestedTeams: []restTeam{},
		AuthorAssociation: "MEMBER", Draft: pd.IsDraft,
	}
	if pd.Author == nil {
		p.AuthorAssociation = "NONE"
	}
	p.Links.Self.Href, p.Links.HTML.Href, p.Links.Issue.Href, p.Links.Comments.Href = self, pd.URL, issue, issue+"/comments"
	for _, l := range pd.Labels {
		p.Labels = append(p.Labels, restLabel{ID: restID("label:" + l), NodeID: nodeID("LA", rc.rd.owner+"/"+rc.rd.name+":"+l),
			URL: rc.api + "/labels/" + url.PathEscape(l), Name: l, Color: "ededed"})
	}
	var closedAt, mergedAt time.Time
	for _, it := range pd.Items {
		switch it.Type {
		case ClosedEvent:
			closedAt = it.At
		case MergedEvent:
			mergedAt = it.At
		}
	}
	if pd.State != "OPEN" {
		p.State = "closed"
		if !closedAt.IsZero() {
			p.ClosedAt = &closedAt
		}
		if pd.State == "MERGED" && !mergedAt.IsZero() {
			p.MergedAt = &mergedAt
		}
	}
	users, teams := pendingRequests(pd)
	for _, u := range users {
		p.RequestedReviewers = append(p.RequestedReviewers, rc.user(u))
	}
	for _, t := range teams {
		p.RequestedTeams = append(p.RequestedTeams, rc.team(t))
	}
	return p
}

// pendingRequests replays a timeline into the reviewers still requested:
// a user's request ends with their submitted review or its removal, a
// team's with a review on its behalf or its removal.
func pendingRequests(pd *prData) (users []*Actor, teams []string) {
	for _, it := range pd.Items {
		switch it.Type {
		case ReviewRequestedEvent, ReviewRequestRemovedEvent:
			r := it.Reviewer
			if r == nil {
				continue
			}
			if r.Type == "Team" {
				teams = slices.DeleteFunc(teams, func(t string) bool { return strings.EqualFold(t, r.Login) })
				if it.Type == ReviewRequestedEvent {
					teams = append(teams, r.Login)
				}
				continue
			}
			users = slices.DeleteFunc(users, func(u *Actor) bool { return strings.EqualFold(u.Login, r.Login) })
			if it.Type == ReviewRequestedEvent {
				users = append(users, r)
			}
		case PullRequestReview:
			if it.State == "PENDING" || it.Actor == nil {
				continue
			}
			users = slices.DeleteFunc(users, func(u *Actor) bool { return strings.EqualFold(u.Login, it.Actor.Login) })
			teams = slices.DeleteFunc(teams, func(t string) bool {
				return slices.ContainsFunc(it.OnBehalfOf, func(o string) bool { return strings.EqualFold(o, t) })
			})
		}
	}
	return users, teams
}

// visibleItems are the timeline items the token can see: all but pending
// reviews.
func visibleItems(pd *prData) []*Item {
	out := make([]*Item, 0, len(pd.Items))
	for i := range pd.Items {
		if it := &pd.Items[i]; it.Type != PullRequestReview || it.State != "PENDING" {
			out = append(out, it)
		}
	}
	return out
}

func (s *Server) listTimeline(rc *restCtx) {
	if !s.onlyParams(rc, "per_page", "page") {
		return
	}
	pd := rc.pull()
	if pd == nil {
		return
	}
	items := visibleItems(pd)
	perPage, pageNo := rc.paging()
	lo, hi := rc.pageOf(len(items), perPage, pageNo)
	out := make([]any, 0, hi-lo)
	for _, it := range items[lo:hi] {
		out = append(out, rc.timelineEvent(pd, it))
	}
	rc.json(http.StatusOK, out)
}

func (rc *restCtx) timelineEvent(pd *prData, it *Item) any {
	if it.Type == PullRequestReview {
		r := rc.review(pd, it)
		r.State, r.Event = strings.ToLower(r.State), "reviewed"
		return r
	}
	id := restID(it.ID)
	actor := it.Actor
	if actor == nil {
		// The synthetic data names no actor for events: the author acted.
		actor = pd.Author
	}
	e := restIssueEvent{ID: id, NodeID: it.ID, URL: rc.api + "/issues/events/" + strconv.FormatInt(id, 10),
		Actor: rc.user(actor), Event: restEvents[it.Type], CreatedAt: it.At}
	switch it.Type {
	case MergedEvent:
		sha := fakeSHA(it.ID)
		curl := rc.api + "/commits/" + sha
		e.CommitID, e.CommitURL = &sha, &curl
	case ReviewRequestedEvent, ReviewRequestRemovedEvent:
		requester := e.Actor
		e.ReviewRequester = &requester
		switch r := it.Reviewer; {
		case r == nil:
			// hidden: neither field
		case r.Type == "Team":
			t := rc.team(r.Login)
			e.RequestedTeam = &t
		default:
			u := rc.user(r)
			e.RequestedReviewer = &u
		}
	}
	return e
}

func (rc *restCtx) review(pd *prData, it *Item) restReview {
	id := restID(it.ID)
	pull := rc.api + "/pulls/" + strconv.Itoa(pd.Number)
	html := fmt.Sprintf("%s#pullrequestreview-%d", pd.URL, id)
	return restReview{ID: id, NodeID: it.ID, User: rc.user(it.Actor), State: it.State,
		HTMLURL: html, PullRequestURL: pull, Links: restReviewLinks{HTML: restHref{html}, PullRequest: restHref{pull}},
		SubmittedAt: it.SubmittedAt, CommitID: fakeSHA(pd.ID), AuthorAssociation: "MEMBER"}
}

// fakeSHA is a stable 40-hex-digit commit id for a key.
func fakeSHA(key string) string { return hashObject("commit", []byte(key)) }

func (s *Server) listReviews(rc *restCtx) {
	if !s.onlyParams(rc, "per_page", "page") {
		return
	}
	pd := rc.pull()
	if pd == nil {
		return
	}
	var reviews []*Item
	for _, it := range visibleItems(pd) {
		if it.Type == PullRequestReview {
			reviews = append(reviews, it)
		}
	}
	perPage, pageNo := rc.paging()
	lo, hi := rc.pageOf(len(reviews), perPage, pageNo)
	out := make([]restReview, 0, hi-lo)
	for _, it := range reviews[lo:hi] {
		out = append(out, rc.review(pd, it))
	}
	rc.json(http.StatusOK, out)
}
