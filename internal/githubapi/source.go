package githubapi

import (
	"context"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// PullRequests implements action.PullRequestSource: every pull request of
// repo updated at or after since, and every open one.
func (c *Client) PullRequests(ctx context.Context, repo string, since time.Time) ([]kpi.PullRequest, error) {
	return c.FetchPullRequests(ctx, repo, FetchOptions{Since: since, WithLabels: c.FetchLabels})
}

// ChangedPullRequests implements action.ChangedSource: the pull requests of
// repo updated at or after since, and no others.
func (c *Client) ChangedPullRequests(ctx context.Context, repo string, since time.Time) ([]kpi.PullRequest, error) {
	return c.FetchPullRequests(ctx, repo, FetchOptions{Since: since, WithLabels: c.FetchLabels, ChangedOnly: true})
}
