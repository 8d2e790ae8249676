package githubapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

func TestOrgRepositories(t *testing.T) {
	schema, err := githubfake.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	pages := []string{
		`{"data":{"rateLimit":{"cost":1,"remaining":4999,"resetAt":"2026-11-25T13:00:00Z"},"organization":{"repositories":{"pageInfo":{"hasNextPage":true,"endCursor":"Y3Vyc29yOjE="},"nodes":[{"nameWithOwner":"acme/api"},{"nameWithOwner":"acme/web"}]}}}}`,
		`{"data":{"rateLimit":{"cost":1,"remaining":4998,"resetAt":"2026-11-25T13:00:00Z"},"organization":{"repositories":{"pageInfo":{"hasNextPage":false,"endCursor":"Y3Vyc29yOjI="},"nodes":[{"nameWithOwner":"acme/worker"}]}}}}`,
	}
	var afters []any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req gqlRequest
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &req); err != nil {
			t.Fatal(err)
		}
		if _, errs := githubfake.ValidateQuery(schema, req.Query); len(errs) > 0 {
			t.Fatalf("GitHub would reject the query: %v", errs)
		}
		if req.Variables["login"] != "acme" {
			t.Errorf("login = %v", req.Variables["login"])
		}
		afters = append(afters, req.Variables["after"])
		io.WriteString(w, pages[len(afters)-1])
	}))
	defer srv.Close()
	c := &Client{Endpoint: srv.URL, HTTP: srv.Client()}
	got, err := c.OrgRepositories(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"acme/api", "acme/web", "acme/worker"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{nil, "Y3Vyc29yOjE="}, afters); diff != "" {
		t.Errorf("cursors (-want +got):\n%s", diff)
	}
}

func TestOrgRepositoriesUnknown(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"data":{"organization":null},"errors":[{"type":"NOT_FOUND","path":["organization"],"message":"Could not resolve to an Organization with the login of 'nope'."}]}`)
	}))
	defer srv.Close()
	c := &Client{Endpoint: srv.URL, HTTP: srv.Client()}
	_, err := c.OrgRepositories(context.Background(), "nope")
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("err = %v", err)
	}
}
