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

// reviewerFields selects a requested reviewer (a union); without teams it
// leaves out the Team fields, which a token without read:org may not ask
// for (GitHub then rejects the whole query with INSUFFICIENT_SCOPES).
func reviewerFields(teams bool) string {
	team := ""
	if teams {
		team = ` ... on Team { combinedSlug }`
	}
	return `{ __typename ... on User { login } ... on Bot { login } ... on Mannequin { login }` + team + ` }`
}

// timelineItemFields selects the timeline items the KPI reads. Inline
// fragments only, no named fragments or directives: the documents stay as
// plain as GraphQL allows.
func timelineItemFields(teams bool) string {
	return `{
          __typename
          ... on ReviewRequestedEvent { createdAt requestedReviewer ` + reviewerFields(teams) + ` }
          ... on ReviewRequestRemovedEvent { createdAt requestedReviewer ` + reviewerFields(teams) + ` }
          ... on PullRequestReview { id state createdAt submittedAt author { __typename login } }
          ... on ReadyForReviewEvent { createdAt }
          ... on ConvertToDraftEvent { createdAt }
          ... on ClosedEvent { createdAt }
          ... on ReopenedEvent { createdAt }
          ... on MergedEvent { createdAt }
        }`
}

// withoutTeams is the suffix of the operation names of the documents that
// ask for no Team field.
const withoutTeams = "WithoutTeams"

// pullRequestsDoc pages through a repository's pull requests ordered by
// update time, each with its first page of timeline items; labels are
// asked for only when the run excludes by label (they add a connection per
// pull request to the cost).
func pullRequestsDoc(withLabels, teams bool) string {
	labels, op := "", "PullRequests"
	if withLabels {
		labels, op = "\n        labels(first: 100) { nodes { name } }", "PullRequestsWithLabels"
	}
	if !teams {
		op += withoutTeams
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
          nodes ` + timelineItemFields(teams) + `
        }
      }
    }
  }
}
`
}

// pullRequestsQueries are the four variants, by [withLabels][teams].
var pullRequestsQueries = [2][2]string{
	{pullRequestsDoc(false, false), pullRequestsDoc(false, true)},
	{pullRequestsDoc(true, false), pullRequestsDoc(true, true)},
}

// pullRequestsQuery returns the variant for withLabels and teams.
func pullRequestsQuery(withLabels, teams bool) (op, doc string) {
	l, t := 0, 0
	if withLabels {
		l = 1
	}
	if teams {
		t = 1
	}
	doc = pullRequestsQueries[l][t]
	op = strings.TrimPrefix(strings.SplitN(doc, "(", 2)[0], "query ")
	return op, doc
}

// timelinesQuery fetches a further page of the timelines of n pull
// requests at once, one aliased node per pull request.
func timelinesQuery(n int, teams bool) (op, doc string) {
	var vars, fields strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&vars, ", $id%d: ID!, $after%d: String", i, i)
		fmt.Fprintf(&fields, `
  pr%d: node(id: $id%d) {
    ... on PullRequest {
      timelineItems(first: $first, after: $after%d, itemTypes: `+timelineItemTypes+`) {
        pageInfo { hasNextPage endCursor }
        nodes `+timelineItemFields(teams)+`
      }
    }
  }`, i, i, i)
	}
	op = "Timelines"
	if !teams {
		op += withoutTeams
	}
	return op, "query " + op + "($first: Int!" + vars.String() + ") {\n  rateLimit { cost remaining resetAt }" + fields.String() + "\n}\n"
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
var allQueries = func() map[string]string {
	m := map[string]string{}
	for _, labels := range []bool{false, true} {
		for _, teams := range []bool{false, true} {
			op, doc := pullRequestsQuery(labels, teams)
			m[op] = doc
		}
	}
	for _, teams := range []bool{false, true} {
		op, doc := timelinesQuery(timelineBatch, teams)
		m[op] = doc
	}
	for k, v := range map[string]string{
		"ReviewTeams":     reviewTeamsQuery(reviewTeamsLists),
		"OrgRepositories": orgRepositoriesQuery,
		"Commit":          commitMutation,
	} {
		m[k] = v
	}
	return m
}()
