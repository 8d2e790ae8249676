package githubapi

import (
	"context"
	"fmt"
)

// orgRepositoriesQuery lists an organisation's repositories that are not
// archived, in name order.
const orgRepositoriesQuery = `query OrgRepositories($login: String!, $after: String) {
  rateLimit { cost remaining resetAt }
  organization(login: $login) {
    repositories(first: 100, after: $after, isArchived: false, orderBy: {field: NAME, direction: ASC}) {
      pageInfo { hasNextPage endCursor }
      nodes { nameWithOwner }
    }
  }
}
`

// OrgRepositories returns "owner/name" of every non-archived repository of
// org that the token can see.
func (c *Client) OrgRepositories(ctx context.Context, org string) ([]string, error) {
	var out []string
	var after any
	for {
		var data struct {
			Organization *struct {
				Repositories struct {
					PageInfo pageInfo `json:"pageInfo"`
					Nodes    []struct {
						NameWithOwner string `json:"nameWithOwner"`
					} `json:"nodes"`
				} `json:"repositories"`
			} `json:"organization"`
		}
		if err := c.do(ctx, "OrgRepositories", orgRepositoriesQuery, map[string]any{"login": org, "after": after}, &data); err != nil {
			return nil, fmt.Errorf("list the repositories of organisation %s: %w", org, err)
		}
		if data.Organization == nil {
			return nil, fmt.Errorf("organisation %s was not found, or the token cannot see it", org)
		}
		for _, n := range data.Organization.Repositories.Nodes {
			out = append(out, n.NameWithOwner)
		}
		if !data.Organization.Repositories.PageInfo.HasNextPage {
			return out, nil
		}
		after = data.Organization.Repositories.PageInfo.EndCursor
	}
}
