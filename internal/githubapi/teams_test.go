package githubapi

import (
	"context"
	"strings"
	"testing"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// insufficientScopesBody is GitHub's answer to a classic token lacking a
// scope a field needs: HTTP 200, data null (as quoted in
// mntnr/name-your-contributors#72 and antfu-collective/sponsorkit#6).
func insufficientScopesBody(field, scope string) string {
	return `{"data":null,"errors":[{"type":"INSUFFICIENT_SCOPES","locations":[{"line":3,"column":7}],"message":"Your token has not been granted the required scopes to execute this query. The '` +
		field + `' field requires one of the following scopes: ['` + scope + `'], but your token has only been granted the: ['repo'] scopes. Please modify your token's scopes at: https://github.com/settings/tokens."}]}`
}

// TestTeamsWithheld fetches the fixture (team requests on #4, twice, and
// on the third timeline page of #5) with tokens that see teams to various
// degrees.
func TestTeamsWithheld(t *testing.T) {
	cases := []struct {
		name   string
		access githubfake.TeamAccess
		fault  githubfake.FaultFunc
		// wantTeams is how many team requests stay visible; wantScope
		// the scope reported withheld.
		wantTeams, wantHidden int
		wantScope             string
		wantErr               string
		// onlyWithoutTeams: every query after the first refusal asks
		// for no Team field.
		onlyWithoutTeams bool
	}{
		{name: "teams visible", access: githubfake.TeamsVisible, wantTeams: 3, wantHidden: 1},
		{name: "GITHUB_TOKEN: null with FORBIDDEN", access: githubfake.TeamsForbidden, wantHidden: 4},
		{name: "classic token without read:org", access: githubfake.TeamsNoScope, wantHidden: 4, wantScope: "read:org", onlyWithoutTeams: true},
		{
			name: "onBehalfOf refused", access: githubfake.TeamsVisible, wantHidden: 4, wantScope: "read:org",
			fault: func(_ int, op string) *githubfake.Fault {
				if op == "ReviewTeams" {
					return &githubfake.Fault{Body: insufficientScopesBody("onBehalfOf", "read:org")}
				}
				return nil
			},
		},
		{
			name: "a scope that is not about teams", access: githubfake.TeamsVisible, wantErr: "INSUFFICIENT_SCOPES",
			fault: func(_ int, op string) *githubfake.Fault {
				return &githubfake.Fault{Body: insufficientScopesBody("pullRequests", "repo")}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := githubfake.New(t, fixture())
			fake.SetTeamAccess(tc.access)
			fake.SetFault(tc.fault)
			c := newClient(fake.URL(), githubfake.DefaultToken)
			var logged []string
			c.Log = func(format string, args ...any) { logged = append(logged, format) }
			prs, err := c.FetchPullRequests(context.Background(), "acme/app", FetchOptions{Since: since})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %s", err, tc.wantErr)
				}
				if c.TeamsWithheld() != "" {
					t.Errorf("TeamsWithheld = %q after a refusal not about teams", c.TeamsWithheld())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			teams, hidden := 0, 0
			for _, pr := range prs {
				for _, e := range pr.Events {
					if e.Kind != kpi.ReviewRequested {
						continue
					}
					switch {
					case e.Reviewer == nil:
						hidden++
					case e.Reviewer.Team:
						teams++
					}
				}
			}
			// #6 has one reviewer hidden whatever the token.
			if teams != tc.wantTeams || hidden != tc.wantHidden {
				t.Errorf("team requests %d, hidden %d; want %d, %d", teams, hidden, tc.wantTeams, tc.wantHidden)
			}
			if got := c.TeamsWithheld(); got != tc.wantScope {
				t.Errorf("TeamsWithheld = %q, want %q", got, tc.wantScope)
			}
			if want := btoi(tc.wantScope != ""); len(logged) != want {
				t.Errorf("logged %d times, want %d: %q", len(logged), want, logged)
			}
			if tc.onlyWithoutTeams {
				calls := fake.Stats().Calls
				for i, call := range calls {
					if i == 0 {
						if len(call.Errors) == 0 {
							t.Errorf("first call %s was not refused", call.Operation)
						}
						continue
					}
					if !strings.HasSuffix(call.Operation, withoutTeams) {
						t.Errorf("call %d: %s asks for team fields after GitHub refused them", i+1, call.Operation)
					}
				}
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestQueriesWithoutTeams checks that the variants sent after a refusal
// ask for no Team field at all.
func TestQueriesWithoutTeams(t *testing.T) {
	n := 0
	for op, doc := range allQueries {
		if !strings.HasSuffix(op, withoutTeams) {
			continue
		}
		n++
		for _, field := range []string{"on Team", "combinedSlug", "onBehalfOf"} {
			if strings.Contains(doc, field) {
				t.Errorf("%s asks for %s", op, field)
			}
		}
	}
	if n != 3 {
		t.Errorf("%d documents without teams, want 3 (two PullRequests variants and Timelines)", n)
	}
}

func TestWithheldScope(t *testing.T) {
	cases := []struct{ msg, want string }{
		{"The 'combinedSlug' field requires one of the following scopes: ['read:org'], but your token has only been granted the: ['repo'] scopes.", "read:org"},
		{"The 'slug' field requires one of the following scopes: ['read:org', 'admin:org'], but ...", "read:org or admin:org"},
		{"Resource not accessible by integration", "read:org"},
	}
	for _, tc := range cases {
		if got := withheldScope(&Error{Status: 200, Type: "INSUFFICIENT_SCOPES", Message: tc.msg}); got != tc.want {
			t.Errorf("withheldScope(%q) = %q, want %q", tc.msg, got, tc.want)
		}
	}
}
