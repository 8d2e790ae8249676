package githubapi

import (
	"strings"
	"testing"

	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// TestQueriesValidate checks every document the client sends against
// GitHub's public schema, so a query GitHub would reject never ships.
func TestQueriesValidate(t *testing.T) {
	schema, err := githubfake.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	if len(allQueries) == 0 {
		t.Fatal("allQueries is empty")
	}
	for name, query := range allQueries {
		t.Run(name, func(t *testing.T) {
			doc, errs := githubfake.ValidateQuery(schema, query)
			if len(errs) > 0 {
				t.Fatalf("GitHub would reject %s: %v", name, errs)
			}
			// The client sends the map key as operationName.
			if len(doc.Operations) != 1 || doc.Operations[0].Name != name {
				t.Errorf("%s: want exactly one operation named %s", name, name)
			}
		})
	}
}

// TestValidatorRejects shows that the validation above can fail.
func TestValidatorRejects(t *testing.T) {
	schema, err := githubfake.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, query, want string
	}{
		{
			name:  "unknown field",
			query: `query Q { repository(owner: "o", name: "n") { pullRequestz(first: 1) { totalCount } } }`,
			want:  `Cannot query field "pullRequestz" on type "Repository"`,
		},
		{
			name:  "variable without type",
			query: `query Q($first) { repository(owner: "o", name: "n") { pullRequests(first: $first) { totalCount } } }`,
			want:  `Expected :`,
		},
		{
			name:  "variable of the wrong type",
			query: `query Q($first: String!) { repository(owner: "o", name: "n") { pullRequests(first: $first) { totalCount } } }`,
			want:  `Variable "$first" of type "String!" used in position expecting type "Int"`,
		},
		{
			name:  "unknown item type",
			query: `query Q { node(id: "x") { ... on PullRequest { timelineItems(first: 1, itemTypes: [REVIEWED_EVENT]) { totalCount } } } }`,
			want:  `REVIEWED_EVENT`,
		},
		{
			name:  "field of a union member without fragment",
			query: `query Q { node(id: "x") { ... on ReviewRequestedEvent { requestedReviewer { login } } } }`,
			want:  `Cannot query field "login" on type "RequestedReviewer"`,
		},
		{
			name:  "missing required argument",
			query: `query Q { repository(owner: "o") { id } }`,
			want:  `argument "name" of type "String!" is required`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := githubfake.ValidateQuery(schema, tc.query)
			if len(errs) == 0 {
				t.Fatal("query accepted, want it rejected")
			}
			if got := errs.Error(); !strings.Contains(got, tc.want) {
				t.Errorf("errors = %q, want one containing %q", got, tc.want)
			}
		})
	}
}

// TestTimelinesQueryEverySize validates the batched timeline document for
// every batch size the client sends.
func TestTimelinesQueryEverySize(t *testing.T) {
	schema, err := githubfake.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= timelineBatch; n++ {
		for _, teams := range []bool{true, false} {
			op, doc := timelinesQuery(n, teams)
			if _, errs := githubfake.ValidateQuery(schema, doc); len(errs) > 0 {
				t.Errorf("%s(%d): %v", op, n, errs)
			}
		}
	}
}
