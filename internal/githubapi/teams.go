package githubapi

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
)

// Team fields need more than the default GITHUB_TOKEN or a classic token
// without read:org may have
// (https://docs.github.com/en/graphql/guides/forming-calls-with-graphql#authenticating-with-a-personal-access-token-classic).
// GitHub answers in two ways, both with HTTP 200:
//
//   - per field: the team comes back null with an error at its path
//     ({"type":"FORBIDDEN","path":[..., "requestedReviewer"],"message":
//     "Resource not accessible by integration"}): the request is hidden;
//   - for the whole query: {"data":null,"errors":[{"type":
//     "INSUFFICIENT_SCOPES","message":"Your token has not been granted the
//     required scopes to execute this query. The 'combinedSlug' field
//     requires one of the following scopes: ['read:org'], but your token
//     has only been granted the: ['repo'] scopes. ..."}]}: the client asks
//     again without Team fields, and every team request is hidden.

// hiddenTeamError reports whether e only withholds a team at its path: a
// requested reviewer, one of its fields, or a review's onBehalfOf.
func hiddenTeamError(e gqlError) bool {
	switch e.Type {
	case "FORBIDDEN", "INSUFFICIENT_SCOPES", "NOT_FOUND":
	default:
		return false
	}
	return slices.Contains(e.Path, any("requestedReviewer")) || slices.Contains(e.Path, any("onBehalfOf"))
}

// teamFieldError reports whether err is GitHub refusing a whole query for
// the token's scopes or for a Team field: asking again without Team
// fields may succeed.
func teamFieldError(err error) bool {
	var ge *Error
	if !errors.As(err, &ge) || ge.Status != 200 {
		return false
	}
	if ge.Type == "INSUFFICIENT_SCOPES" {
		return true
	}
	m := strings.ToLower(ge.Message)
	return (ge.Type == "FORBIDDEN" || ge.Type == "UNAUTHORIZED") &&
		(strings.Contains(m, "combinedslug") || strings.Contains(m, "onbehalfof") || strings.Contains(m, "team") || strings.Contains(m, "read:org"))
}

// scopesRE finds the scopes GitHub names in an INSUFFICIENT_SCOPES message.
var scopesRE = regexp.MustCompile(`requires one of the following scopes: \[([^\]]*)\]`)

// withheldScope names what would let the token see teams: the scopes
// err's message names, else read:org.
func withheldScope(err error) string {
	if m := scopesRE.FindStringSubmatch(err.Error()); m != nil {
		s := strings.NewReplacer("'", "", `"`, "", " ", "").Replace(m[1])
		if s != "" {
			return strings.ReplaceAll(s, ",", " or ")
		}
	}
	return "read:org"
}

// withholdTeams records, once, that the client asks without Team fields
// from now on.
func (c *Client) withholdTeams(err error) {
	if c.Stats.TeamsWithheld != "" {
		return
	}
	c.Stats.TeamsWithheld = withheldScope(err)
	if c.Log != nil {
		c.Log("GitHub refused the team fields of the query (%v): asking without them, so requests for teams count as hidden; a token with %s would attribute them", err, c.Stats.TeamsWithheld)
	}
}

// withTeams sends a query with Team fields unless GitHub has refused them
// before; when GitHub refuses them now, it records that and sends the
// query again without them. A query refused without Team fields too fails
// with that error: the scopes it lacks are not about teams.
func (c *Client) withTeams(ctx context.Context, send func(teams bool) error) error {
	if c.Stats.TeamsWithheld != "" {
		return send(false)
	}
	err := send(true)
	if err == nil || !teamFieldError(err) || ctx.Err() != nil {
		return err
	}
	again := send(false)
	if again != nil && teamFieldError(again) {
		return again
	}
	c.withholdTeams(err)
	return again
}

// TeamsWithheld implements action.TeamAccess: the scope that would let the
// token see teams, when GitHub refused the team fields; "" otherwise.
func (c *Client) TeamsWithheld() string { return c.Stats.TeamsWithheld }
