package githubapi

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/publish"
	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// newBranch is a Branch of acme/app on the fake, through the REST base
// apiURL (the fake's APIURL or EnterpriseAPIURL) and the GraphQL endpoint
// derived from it, as the action derives it.
func newBranch(t *testing.T, s *githubfake.Server, apiURL, branch string) *Branch {
	t.Helper()
	hc := &http.Client{Timeout: 10 * time.Second}
	rest, err := NewREST(hc, apiURL, githubfake.DefaultToken, "engineering-kpis-test")
	if err != nil {
		t.Fatal(err)
	}
	return &Branch{REST: rest, GraphQL: newClient(GraphQLEndpoint(apiURL, ""), githubfake.DefaultToken),
		Owner: "acme", Name: "app", Branch: branch}
}

func app() githubfake.Repo { return githubfake.Repo{Owner: "acme", Name: "app"} }

// unionLines is a toy merging update: path holds one name a line, and the
// update adds names to whatever is there, sorted.
func unionLines(path string, names ...string) publish.Update {
	return func(cur publish.Snapshot) (publish.Files, error) {
		lines := strings.Fields(string(cur.Files[path]))
		for _, n := range names {
			if !slices.Contains(lines, n) {
				lines = append(lines, n)
			}
		}
		slices.Sort(lines)
		return publish.Files{path: []byte(strings.Join(lines, "\n") + "\n")}, nil
	}
}

func TestBranchRead(t *testing.T) {
	large := bytes.Repeat([]byte("0123456789abcdef"), githubfake.LargeFileSize/16+100)
	for _, api := range []string{"github.com", "GHES"} {
		t.Run(api, func(t *testing.T) {
			s := githubfake.New(t, app())
			s.SetStrict(true)
			head := s.CommitFiles("acme", "app", "", "Seed", map[string][]byte{
				"kpi/history.json": []byte(`{"version":1}` + "\n"),
				"kpi/large.bin":    large,
				"kpi/charts/a.svg": []byte("<svg/>"),
				"README.md":        []byte("# app\n"),
			})
			apiURL := s.APIURL()
			if api == "GHES" {
				apiURL = s.EnterpriseAPIURL()
			}
			b := newBranch(t, s, apiURL, "main")

			snap, err := b.Read(t.Context(), []string{"kpi/history.json", "kpi/large.bin", "kpi/missing.json", "README.md"})
			if err != nil {
				t.Fatal(err)
			}
			if got := snap.Files["kpi/large.bin"]; !bytes.Equal(got, large) {
				t.Errorf("kpi/large.bin: %d bytes read, want the %d written", len(got), len(large))
			}
			delete(snap.Files, "kpi/large.bin") // cmp.Diff is slow on a megabyte
			want := publish.Snapshot{Version: head, Files: publish.Files{
				"kpi/history.json": []byte(`{"version":1}` + "\n"), "README.md": []byte("# app\n"),
			}}
			if diff := cmp.Diff(want, snap); diff != "" {
				t.Errorf("snapshot (-want +got):\n%s", diff)
			}
			st := s.Stats()
			wantREST := map[string]int{
				"GET /repos/{owner}/{repo}/git/ref/{ref}":   1,
				"GET /repos/{owner}/{repo}/contents/{path}": 4,
				"GET /repos/{owner}/{repo}/git/blobs/{sha}": 1,
			}
			if diff := cmp.Diff(wantREST, st.REST); diff != "" || st.Requests != 0 {
				t.Errorf("%d GraphQL requests; REST by route (-want +got):\n%s", st.Requests, diff)
			}
			for _, c := range st.RESTCalls {
				if strings.Contains(c.Route, "contents") && !strings.HasSuffix(c.URL, "?ref="+head) {
					t.Errorf("contents read at %s, want at the head commit", c.URL)
				}
				if strings.Contains(c.Route, "blobs") && c.Accept != "application/vnd.github.v3.raw" {
					t.Errorf("blob read as %q, want raw", c.Accept)
				}
			}

			_, err = b.Read(t.Context(), []string{"kpi/charts"})
			if err == nil || !strings.Contains(err.Error(), "read kpi/charts from acme/app: it is a directory, not a file") {
				t.Errorf("reading a directory: %v", err)
			}
		})
	}
}

func TestBranchDefaultBranch(t *testing.T) {
	s := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "app", DefaultBranch: "trunk"})
	b := newBranch(t, s, s.APIURL(), "")
	got, err := b.DefaultBranch(t.Context())
	if err != nil || got != "trunk" {
		t.Errorf("DefaultBranch = %q, %v; want trunk", got, err)
	}
	b.Name = "nope"
	if _, err := b.DefaultBranch(t.Context()); err == nil || !strings.Contains(err.Error(), "read repository acme/nope") || !strings.Contains(err.Error(), "404 Not Found") {
		t.Errorf("DefaultBranch of an unknown repository: %v", err)
	}
}

func TestBranchHeadOfMissingBranch(t *testing.T) {
	s := githubfake.New(t, app())
	s.SetFile("acme", "app", "", "README.md", []byte("# app\n"))
	b := newBranch(t, s, s.APIURL(), "kpis")
	_, err := b.Head(t.Context())
	if err == nil || !strings.Contains(err.Error(), `branch "kpis" does not exist in acme/app, or the token cannot see the repository: create the branch, or set the branch input`) {
		t.Errorf("Head of a missing branch: %v", err)
	}
	if _, err := b.Read(t.Context(), []string{"README.md"}); err == nil {
		t.Error("Read of a missing branch succeeded")
	}
}

func TestBranchWrite(t *testing.T) {
	s := githubfake.New(t, app())
	s.SetStrict(true)
	base := s.CommitFiles("acme", "app", "", "Seed", map[string][]byte{"kpi/history.json": []byte("{}\n"), "README.md": []byte("# app\n")})
	b := newBranch(t, s, s.APIURL(), "main")
	files := publish.Files{"kpi/history.json": []byte(`{"version":1}` + "\n"), "kpi/charts/app.svg": []byte("<svg/>")}
	oid, err := b.Write(t.Context(), base, files, "Update engineering KPIs [skip ci]\n\nWritten by a test.\n")
	if err != nil {
		t.Fatal(err)
	}
	if head := s.Head("acme", "app", "main"); oid != head {
		t.Errorf("Write returned %s, the branch is at %s", oid, head)
	}
	commits := s.Commits("acme", "app", "main")
	want := githubfake.Commit{OID: oid, Parent: base, Headline: "Update engineering KPIs [skip ci]", Body: "Written by a test.",
		Files: map[string][]byte{
			"kpi/history.json": []byte(`{"version":1}` + "\n"), "kpi/charts/app.svg": []byte("<svg/>"), "README.md": []byte("# app\n"),
		},
		Changed: []string{"kpi/charts/app.svg", "kpi/history.json"}}
	if diff := cmp.Diff(want, commits[0]); diff != "" || len(commits) != 2 {
		t.Errorf("%d commits; the written one (-want +got):\n%s", len(commits), diff)
	}
	st := s.Stats()
	if len(st.Writes) != 1 || !cmp.Equal(map[string][]byte(files), st.Writes[0].Additions) || len(st.Writes[0].Deletions) != 0 {
		t.Errorf("writes = %+v, want exactly the files given", st.Writes)
	}
	if st.Points != 1 || st.RESTRequests != 0 || st.RefUpdates != 0 {
		t.Errorf("stats: %d points, %d REST requests, %d ref updates; want 1, 0, 0", st.Points, st.RESTRequests, st.RefUpdates)
	}

	// Writing on the old head again is a conflict.
	_, err = b.Write(t.Context(), base, files, "Again")
	if !errors.Is(err, publish.ErrConflict) {
		t.Errorf("Write on a stale head: %v, want ErrConflict", err)
	}
}

// TestPublishOnce measures what one publish costs, run as the action runs
// it: resolve the default branch, read the files, update, commit.
func TestPublishOnce(t *testing.T) {
	s := githubfake.New(t, app())
	s.SetStrict(true)
	s.CommitFiles("acme", "app", "", "Seed", map[string][]byte{"kpi/history.json": []byte("alice\n"), "README.md": []byte("# app\n")})
	b := newBranch(t, s, s.APIURL(), "")
	var err error
	if b.Branch, err = b.DefaultBranch(t.Context()); err != nil {
		t.Fatal(err)
	}
	paths := []string{"kpi/history.json", "kpi/app.svg", "kpi/app.png", "README.md"}
	first, err := b.Read(t.Context(), paths)
	if err != nil {
		t.Fatal(err)
	}
	res, err := publish.Publish(t.Context(), b, paths, &first, unionLines("kpi/history.json", "bob"), "Update KPIs", publish.Retry{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Attempts != 1 || res.Version != s.Head("acme", "app", "") || !slices.Equal(res.Changed, []string{"kpi/history.json"}) {
		t.Errorf("result = %+v", res)
	}
	st := s.Stats()
	wantREST := map[string]int{
		"GET /repos/{owner}/{repo}":                 1,
		"GET /repos/{owner}/{repo}/git/ref/{ref}":   1,
		"GET /repos/{owner}/{repo}/contents/{path}": len(paths),
	}
	if diff := cmp.Diff(wantREST, st.REST); diff != "" {
		t.Errorf("REST by route (-want +got):\n%s", diff)
	}
	if st.Requests != 1 || st.Points != 1 || st.RefUpdates != 0 {
		t.Errorf("GraphQL: %d requests, %d points, %d ref updates; want 1, 1, 0", st.Requests, st.Points, st.RefUpdates)
	}
	t.Logf("one publish of %d paths: %d REST requests %v, %d GraphQL request(s), %d point(s)", len(paths), st.RESTRequests, st.REST, st.Requests, st.Points)
}

func TestPublishMergesConcurrentCommit(t *testing.T) {
	s := githubfake.New(t, app())
	s.SetStrict(true)
	seed := s.SetFile("acme", "app", "", "team.txt", []byte("alice\nbob\n"))
	var other string
	s.OnBeforeCommit(func(n int) {
		if n == 1 { // another run commits between our read and our write
			other = s.SetFile("acme", "app", "", "team.txt", []byte("alice\nbob\ncarol\n"))
		}
	})
	b := newBranch(t, s, s.APIURL(), "main")
	res, err := publish.Publish(t.Context(), b, []string{"team.txt"}, nil, unionLines("team.txt", "dave"), "Add dave", publish.Retry{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Attempts != 2 || !slices.Equal(res.Changed, []string{"team.txt"}) || res.Version != s.Head("acme", "app", "") {
		t.Errorf("result = %+v", res)
	}
	if got := string(s.Files("acme", "app", "")["team.txt"]); got != "alice\nbob\ncarol\ndave\n" {
		t.Errorf("team.txt = %q, want both writers' lines", got)
	}
	var history []string
	for _, c := range s.Commits("acme", "app", "") {
		history = append(history, c.Headline)
	}
	if diff := cmp.Diff([]string{"Add dave", "Update team.txt", "Update team.txt"}, history); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	st := s.Stats()
	if len(st.Writes) != 2 || st.Writes[0].Error != "STALE_DATA" || st.Writes[0].ExpectedHeadOID != seed ||
		st.Writes[1].Error != "" || st.Writes[1].ExpectedHeadOID != other {
		t.Errorf("writes = %+v, want a stale one on the seed, then one on the other writer's commit", st.Writes)
	}
	if st.REST["GET /repos/{owner}/{repo}/git/ref/{ref}"] != 2 || st.REST["GET /repos/{owner}/{repo}/contents/{path}"] != 2 || st.RefUpdates != 0 {
		t.Errorf("REST: %v, %d ref updates; want a fresh read per attempt and no ref update", st.REST, st.RefUpdates)
	}
	t.Logf("publish with one conflict: %d REST requests %v, %d GraphQL requests, %d points", st.RESTRequests, st.REST, st.Requests, st.Points)
}

func TestPublishGivesUpWhenTheBranchKeepsMoving(t *testing.T) {
	s := githubfake.New(t, app())
	s.SetFile("acme", "app", "", "team.txt", []byte("alice\n"))
	s.OnBeforeCommit(func(n int) {
		s.SetFile("acme", "app", "", "team.txt", []byte(fmt.Sprintf("alice\nother%d\n", n)))
	})
	b := newBranch(t, s, s.APIURL(), "main")
	res, err := publish.Publish(t.Context(), b, []string{"team.txt"}, nil, unionLines("team.txt", "dave"), "Add dave", publish.Retry{})
	if !errors.Is(err, publish.ErrConflict) || !strings.Contains(err.Error(), fmt.Sprintf("gave up after %d attempts", publish.MaxAttempts)) {
		t.Fatalf("error = %v, want one wrapping ErrConflict after %d attempts", err, publish.MaxAttempts)
	}
	if res.Attempts != publish.MaxAttempts {
		t.Errorf("attempts = %d, want %d", res.Attempts, publish.MaxAttempts)
	}
	st := s.Stats()
	if len(st.Writes) != publish.MaxAttempts || slices.ContainsFunc(st.Writes, func(w githubfake.Write) bool { return w.Error != "STALE_DATA" }) {
		t.Errorf("writes = %+v, want %d stale ones", st.Writes, publish.MaxAttempts)
	}
	if got := string(s.Files("acme", "app", "")["team.txt"]); strings.Contains(got, "dave") {
		t.Errorf("team.txt = %q: written although every attempt conflicted", got)
	}
	if st.RefUpdates != 0 {
		t.Errorf("%d ref updates, want none", st.RefUpdates)
	}
}

func TestPublishToProtectedBranch(t *testing.T) {
	cases := []struct {
		name       string
		protection *githubfake.Protection
		exp        []string
	}{
		{"ruleset", githubfake.RulesetProtection(),
			[]string{"commit to main of acme/app was refused by a repository ruleset (Repository rule violations found Changes must be made through a pull request.)",
				"on the ruleset's bypass list", "point the branch input at a data branch that no ruleset targets"}},
		{"ruleset refusal of another type", &githubfake.Protection{Type: "FORBIDDEN", Message: githubfake.RulesetProtection().Message},
			[]string{"refused by a repository ruleset", "bypass list"}},
		{"branch protection", githubfake.BranchProtection(),
			[]string{"commit to main of acme/app was refused by branch protection (Changes must be made through a pull request.)",
				"bypass the branch protection rules", "point the branch input at an unprotected data branch"}},
		{"read-only token", githubfake.ReadOnlyToken(),
			[]string{"commit to main of acme/app was refused (Resource not accessible by integration)", "permissions: contents: write"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := githubfake.New(t, app())
			head := s.SetFile("acme", "app", "", "team.txt", []byte("alice\n"))
			s.ProtectBranch("acme", "app", "main", tc.protection)
			b := newBranch(t, s, s.APIURL(), "main")
			res, err := publish.Publish(t.Context(), b, []string{"team.txt"}, nil, unionLines("team.txt", "dave"), "Add dave", publish.Retry{})
			if err == nil || errors.Is(err, publish.ErrConflict) {
				t.Fatalf("error = %v, want a refusal that is not a conflict", err)
			}
			for _, e := range tc.exp {
				if !strings.Contains(err.Error(), e) {
					t.Errorf("error %q does not say %q", err, e)
				}
			}
			if res.Attempts != 1 || s.Head("acme", "app", "") != head || len(s.Stats().Writes) != 1 {
				t.Errorf("attempts %d, %d writes; the branch moved: %v", res.Attempts, len(s.Stats().Writes), s.Head("acme", "app", "") != head)
			}
		})
	}
}

func TestPublishNothingChanged(t *testing.T) {
	s := githubfake.New(t, app())
	s.SetFile("acme", "app", "", "team.txt", []byte("alice\nbob\n"))
	b := newBranch(t, s, s.APIURL(), "main")
	res, err := publish.Publish(t.Context(), b, []string{"team.txt"}, nil, unionLines("team.txt", "bob"), "Nothing", publish.Retry{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != "" || len(res.Changed) != 0 || res.Attempts != 0 {
		t.Errorf("result = %+v, want nothing written", res)
	}
	if st := s.Stats(); st.Requests != 0 || len(st.Writes) != 0 || len(s.Commits("acme", "app", "")) != 1 {
		t.Errorf("%d GraphQL requests, %d writes, %d commits; want 0, 0, 1", st.Requests, len(st.Writes), len(s.Commits("acme", "app", "")))
	}
}
