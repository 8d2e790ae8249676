package githubfake

import (
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
)

// TeamAccess is what a token may see of organisation teams.
type TeamAccess int

// The kinds of team access GitHub's tokens have.
const (
	// TeamsVisible: a token that can read the organisation's teams (a
	// GitHub App with Members: read, a classic token with read:org).
	TeamsVisible TeamAccess = iota
	// TeamsForbidden: the default GITHUB_TOKEN. A requested team, and the
	// teams a review was made for, come back null with a FORBIDDEN error
	// at their path; the rest of the query is answered.
	TeamsForbidden
	// TeamsNoScope: a classic token without read:org. GitHub rejects the
	// whole query if it selects any field of a Team (or onBehalfOf).
	TeamsNoScope
)

// SetTeamAccess makes the server answer as GitHub answers a token with
// access a; requested teams of the model stay teams.
func (s *Server) SetTeamAccess(a TeamAccess) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.teamAccess = a
}

// forbiddenTeam is GitHub's answer for a team the token cannot see, as
// GitHub sends it for the default GITHUB_TOKEN
// ({"type":"FORBIDDEN","path":[...],"message":"Resource not accessible by
// integration"}).
var forbiddenTeam = &fieldError{"FORBIDDEN", "Resource not accessible by integration"}

// insufficientScopes is GitHub's answer to a query selecting a Team field
// with a classic token that lacks read:org: HTTP 200, data null, one error
// (message as GitHub words it, e.g. in mntnr/name-your-contributors#72 and
// antfu-collective/sponsorkit#6).
func insufficientScopes(f *ast.Field) respError {
	return respError{
		Type:      "INSUFFICIENT_SCOPES",
		Locations: locationOf(f.Position),
		Message: fmt.Sprintf("Your token has not been granted the required scopes to execute this query. The '%s' field requires one of the following scopes: ['read:org'], but your token has only been granted the: ['repo'] scopes. Please modify your token's scopes at: https://github.com/settings/tokens.",
			f.Name),
	}
}

// teamField returns the first field of set (and of its fragments) that
// reads a Team or the teams of a review, or nil.
func teamField(doc *ast.QueryDocument, set ast.SelectionSet) *ast.Field {
	for _, sel := range set {
		var sub ast.SelectionSet
		switch sel := sel.(type) {
		case *ast.Field:
			if sel.Name == "onBehalfOf" || (sel.ObjectDefinition != nil && sel.ObjectDefinition.Name == "Team" && sel.Name != "__typename") {
				return sel
			}
			sub = sel.SelectionSet
		case *ast.InlineFragment:
			sub = sel.SelectionSet
		case *ast.FragmentSpread:
			if def := doc.Fragments.ForName(sel.Name); def != nil {
				sub = def.SelectionSet
			}
		}
		if f := teamField(doc, sub); f != nil {
			return f
		}
	}
	return nil
}
