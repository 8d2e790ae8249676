package githubapi

import (
	"fmt"
	"strings"
)

// The GraphQL documents this package sends. Each is validated against
// GitHub's public schema in queries_test.go, so a query GitHub would reject
// never ships.
//
// Cost (https://docs.github.com/en/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api):
// a page of pullRequestsQuery asks for prFirst pull requests with up to
// timelineFirst timeline items each, i.e. 1 + prFirst requests, which
// GitHub bills as one point for prFirst = 100. onBehalfOf is not nested
// under the timeline (it would multiply that by 100); reviewTeamsQuery asks
// for it for just the reviews that need it.

// timelineItemTypes are the timeline events the review-wait KPI reads.
const timelineItemTypes = `[REVIEW_REQUESTED_EVENT, REVIEW_REQUEST_REMOVED_EVENT, PULL_REQUEST_REVIEW, READY_FOR_REVIEW_EVENT, CONVERT_TO_DRAFT_EVENT, CLOSED_EVENT, REOPENED_EVENT, MERGED_EVENT]`

// reviewerFields selects a requested reviewer (a union).
const reviewerFields = `{ __typename ... on User { login } ... on Bot { login } ... on Mannequin { login } ... on Team { combinedSlug } }`

// timelineItemFields selects the timeline items the KPI reads. Inline
// fragments only, no named fragments or directives: the documents stay as
// plain as GraphQL allows.
const timelineItemFields = `{
          __typename
          ... on ReviewRequestedEvent { createdAt requestedReviewer ` + reviewerFields + ` }
          ... on ReviewRequestRemovedEvent { createdAt requestedReviewer ` + reviewerFields + ` }
          ... on PullRequestReview { id state createdAt submittedAt author { __typename login } }
          ... on ReadyForReviewEvent { createdAt }
          ... on ConvertToDraftEvent { createdAt }
          ... on ClosedEvent { createdAt }
          ... on ReopenedEvent { createdAt }
          ... on MergedEvent { createdAt }
        }`

// pullRequestsDoc pages through a repository's pull requests ordered by
// update time, each with its first page of timeline items; labels are
// asked for only when the run excludes by label (they add a connection per
// pull request to the cost).
func pullRequestsDoc(withLabels bool) string {
	labels, op := "", "PullRequests"
	if withLabels {
		labels, op = "\n        labels(first: 100) { nodes { name } }", "PullRequestsWithLabels"
	}
	return `query ` + op + `($owner: String!, $name: String!, $first: Int!, $after: String, $states: [PullRequestState!], $direction: OrderDirection!, $timelineFirst: Int!) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    pullRequests(first: $first, after: $after, states: $states, orderBy: {field: UPDATED_AT, direction: $direction}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        number
        title
        url
        isDraft
        createdAt
        updatedAt
        author { __typename login }` + labels + `
        timelineItems(first: $timelineFirst, itemTypes: ` + timelineItemTypes + `) {
          pageInfo { hasNextPage endCursor }
          nodes ` + timelineItemFields + `
        }
      }
    }
  }
}
`
}

// pullRequestsQuery and pullRequestsWithLabelsQuery are the two variants.
var (
	pullRequestsQuery           = pullRequestsDoc(false)
	pullRequestsWithLabelsQuery = pullRequestsDoc(true)
)

// timelinesQuery fetches a further page of the timelines of n pull
// requests at once, one aliased node per pull request.
func timelinesQuery(n int) string {
	var vars, fields strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&vars, ", $id%d: ID!, $after%d: String", i, i)
		fmt.Fprintf(&fields, `
  pr%d: node(id: $id%d) {
    ... on PullRequest {
      timelineItems(first: $first, after: $after%d, itemTypes: `+timelineItemTypes+`) {
        pageInfo { hasNextPage endCursor }
        nodes `+timelineItemFields+`
      }
    }
  }`, i, i, i)
	}
	return "query Timelines($first: Int!" + vars.String() + ") {\n  rateLimit { cost remaining resetAt }" + fields.String() + "\n}\n"
}

// reviewTeamsQuery fetches the teams reviews were made on behalf of, for
// up to n lists of 100 review ids in one request (nodes(ids:) takes 100 at
// most). Each list costs one point: 100 reviews with one onBehalfOf
// connection each.
func reviewTeamsQuery(n int) string {
	var vars, fields strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			vars.WriteString(", ")
		}
		fmt.Fprintf(&vars, "$ids%d: [ID!]!", i)
		fmt.Fprintf(&fields, `
  r%d: nodes(ids: $ids%d) {
    ... on PullRequestReview {
      id
      onBehalfOf(first: 25) { nodes { combinedSlug } }
    }
  }`, i, i)
	}
	return "query ReviewTeams(" + vars.String() + ") {\n  rateLimit { cost remaining resetAt }" + fields.String() + "\n}\n"
}

// allQueries lists every document sent, for the schema test.
var allQueries = map[string]string{
	"PullRequests":           pullRequestsQuery,
	"PullRequestsWithLabels": pullRequestsWithLabelsQuery,
	"Timelines":              timelinesQuery(timelineBatch),
	"ReviewTeams":            reviewTeamsQuery(reviewTeamsLists),
	"OrgRepositories":        orgRepositoriesQuery,
	"Commit":                 commitMutation,
}
