package githubfake_test

import (
	"bytes"
	"cmp"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

func emptyRepo() githubfake.Repo { return githubfake.Repo{Owner: "acme", Name: "app"} }

func TestContentModel(t *testing.T) {
	s := githubfake.New(t, emptyRepo())
	if got := s.Head("acme", "app", ""); got != "" {
		t.Errorf("head of an empty repository = %q, want none", got)
	}
	first := s.SetFile("acme", "app", "", "docs/a.txt", []byte("a\n"))
	second := s.CommitFiles("acme", "app", "main", "Add b, drop a\n\nThe body.\n",
		map[string][]byte{"b.txt": []byte("b\n"), "docs/c.txt": []byte("c\n")}, "docs/a.txt")
	feature := s.SetFile("acme", "app", "feature/x", "f.txt", []byte("f\n"))

	if got := s.Head("acme", "app", "main"); got != second || len(second) != 40 {
		t.Errorf("head = %q, want the second commit %q (40 hex digits)", got, second)
	}
	if diff := gocmp.Diff(map[string][]byte{"b.txt": []byte("b\n"), "docs/c.txt": []byte("c\n")}, s.Files("acme", "app", "")); diff != "" {
		t.Errorf("files of main (-want +got):\n%s", diff)
	}
	want := []githubfake.Commit{
		{OID: second, Parent: first, Headline: "Add b, drop a", Body: "The body.",
			Files:   map[string][]byte{"b.txt": []byte("b\n"), "docs/c.txt": []byte("c\n")},
			Changed: []string{"b.txt", "docs/a.txt", "docs/c.txt"}},
		{OID: first, Headline: "Update docs/a.txt", Files: map[string][]byte{"docs/a.txt": []byte("a\n")}, Changed: []string{"docs/a.txt"}},
	}
	if diff := gocmp.Diff(want, s.Commits("ACME", "App", "main")); diff != "" {
		t.Errorf("commits of main (-want +got):\n%s", diff)
	}
	// A new branch starts at the default branch's head.
	if got := s.Commits("acme", "app", "feature/x"); len(got) != 3 || got[0].OID != feature || got[1].OID != second {
		t.Errorf("commits of feature/x = %+v, want on top of main", got)
	}
	if s.Files("acme", "app", "nope") != nil || s.Commits("acme", "app", "nope") != nil || s.Head("acme", "app", "nope") != "" {
		t.Error("a missing branch has files, commits or a head")
	}

	// The same commits give the same ids.
	again := githubfake.New(t, emptyRepo())
	again.SetFile("acme", "app", "", "docs/a.txt", []byte("a\n"))
	if got := again.Head("acme", "app", ""); got != first {
		t.Errorf("same commit on another server: %s, want %s", got, first)
	}

	t.Run("refused", func(t *testing.T) {
		cases := []struct {
			name string
			do   func(s *githubfake.Server) string
			exp  string
		}{
			{"unknown repository", func(s *githubfake.Server) string {
				return s.SetFile("acme", "nope", "", "a", nil)
			}, "no repository acme/nope"},
			{"bad path", func(s *githubfake.Server) string {
				return s.SetFile("acme", "app", "", "a/../b", nil)
			}, `invalid path "a/../b"`},
			{"deleting a missing file", func(s *githubfake.Server) string {
				return s.CommitFiles("acme", "app", "", "x", nil, "missing")
			}, "A path was requested for deletion which does not exist"},
			{"file over a directory", func(s *githubfake.Server) string {
				return s.SetFile("acme", "app", "", "docs", nil)
			}, `"docs" cannot be both a file and the directory of "docs/c.txt"`},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				rec := &recorder{TB: t}
				s := githubfake.New(rec, emptyRepo())
				s.SetFile("acme", "app", "", "docs/c.txt", nil)
				before := s.Head("acme", "app", "")
				if oid := tc.do(s); oid != "" {
					t.Errorf("got commit %s, want none", oid)
				}
				if got := rec.failures(); len(got) != 1 || !strings.Contains(got[0], tc.exp) {
					t.Errorf("test failures = %q, want one containing %q", got, tc.exp)
				}
				if s.Head("acme", "app", "") != before {
					t.Error("the branch moved")
				}
			})
		}
	})
}

// apiError is the documented body of a REST error.
func apiError(status int, message, docs string) string {
	return fmt.Sprintf(`{"message":%q,"documentation_url":%q,"status":"%d"}`, message, docs, status)
}

func TestRESTRepository(t *testing.T) {
	s := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "app", DefaultBranch: "trunk"})
	for _, base := range []string{s.APIURL(), s.EnterpriseAPIURL()} {
		status, h, body := get(t, base+"/repos/ACME/app", githubfake.DefaultToken, "")
		var repo struct {
			FullName      string `json:"full_name"`
			DefaultBranch string `json:"default_branch"`
			URL           string `json:"url"`
			Owner         struct {
				Login string `json:"login"`
			} `json:"owner"`
		}
		if err := json.Unmarshal([]byte(body), &repo); err != nil || status != http.StatusOK {
			t.Fatalf("GET %s/repos/ACME/app: %d %s (%v)", base, status, body, err)
		}
		if repo.FullName != "acme/app" || repo.DefaultBranch != "trunk" || repo.Owner.Login != "acme" || repo.URL != base+"/repos/acme/app" {
			t.Errorf("repository = %+v", repo)
		}
		if h.Get("Content-Type") != "application/json; charset=utf-8" || h.Get("X-Ratelimit-Resource") != "core" {
			t.Errorf("headers = %v", h)
		}
	}
	status, _, body := get(t, s.APIURL()+"/repos/acme/nope", githubfake.DefaultToken, "")
	if exp := apiError(404, "Not Found", "https://docs.github.com/rest/repos/repos#get-a-repository"); status != 404 || body != exp {
		t.Errorf("unknown repository: %d %s, want 404 %s", status, body, exp)
	}
}

func TestRESTRef(t *testing.T) {
	s := githubfake.New(t, emptyRepo())
	const docs = "https://docs.github.com/rest/git/refs#get-a-reference"
	status, _, body := get(t, s.APIURL()+"/repos/acme/app/git/ref/heads/main", githubfake.DefaultToken, "")
	if exp := apiError(409, "Git Repository is empty.", docs); status != 409 || body != exp {
		t.Errorf("empty repository: %d %s, want 409 %s", status, body, exp)
	}
	head := s.SetFile("acme", "app", "release/v1", "a", []byte("a"))
	status, _, body = get(t, s.APIURL()+"/repos/acme/app/git/ref/heads/release/v1", githubfake.DefaultToken, "")
	api := s.APIURL() + "/repos/acme/app"
	exp := `{"ref":"refs/heads/release/v1","node_id":"REF_kwYWNtZS9hcHA6cmVmcy9oZWFkcy9yZWxlYXNlL3Yx","url":"` + api + `/git/refs/heads/release/v1",` +
		`"object":{"sha":"` + head + `","type":"commit","url":"` + api + `/git/commits/` + head + `"}}`
	if status != 200 || body != exp {
		t.Errorf("got %d %s\nwant 200 %s", status, body, exp)
	}
	for _, ref := range []string{"heads/main", "tags/v1", "heads/release"} {
		status, _, body = get(t, s.APIURL()+"/repos/acme/app/git/ref/"+ref, githubfake.DefaultToken, "")
		if exp := apiError(404, "Not Found", docs); status != 404 || body != exp {
			t.Errorf("%s: %d %s, want 404 %s", ref, status, body, exp)
		}
	}
}

type content struct {
	Type        string  `json:"type"`
	Encoding    string  `json:"encoding"`
	Size        int     `json:"size"`
	Name        string  `json:"name"`
	Path        string  `json:"path"`
	Content     *string `json:"content"`
	SHA         string  `json:"sha"`
	URL         string  `json:"url"`
	DownloadURL *string `json:"download_url"`
}

func TestRESTContents(t *testing.T) {
	s := githubfake.New(t, emptyRepo())
	const docs = "https://docs.github.com/rest/repos/contents#get-repository-content"
	status, _, body := get(t, s.APIURL()+"/repos/acme/app/contents/a.txt", githubfake.DefaultToken, "")
	if exp := apiError(404, "This repository is empty.", docs); status != 404 || body != exp {
		t.Errorf("empty repository: %d %s, want 404 %s", status, body, exp)
	}

	text := bytes.Repeat([]byte("0123456789"), 10) // 100 bytes: 136 base64 characters
	large := bytes.Repeat([]byte("x"), githubfake.LargeFileSize+1)
	first := s.CommitFiles("acme", "app", "", "Seed", map[string][]byte{
		"kpi/history.json": text, "kpi/large.bin": large, "kpi/sub/deep.txt": []byte("deep"), "README.md": []byte("# app\n"),
	})
	s.SetFile("acme", "app", "", "kpi/history.json", []byte("newer"))
	contents := s.APIURL() + "/repos/acme/app/contents/"

	// A file at an older commit, by sha.
	status, _, body = get(t, contents+"kpi/history.json?ref="+first, githubfake.DefaultToken, "")
	var c content
	if err := json.Unmarshal([]byte(body), &c); err != nil || status != 200 {
		t.Fatalf("file: %d %s", status, body)
	}
	enc := base64.StdEncoding.EncodeToString(text)
	wantContent := enc[:60] + "\n" + enc[60:120] + "\n" + enc[120:] + "\n"
	dl := "https://raw.githubusercontent.com/acme/app/" + first + "/kpi/history.json"
	want := content{Type: "file", Encoding: "base64", Size: 100, Name: "history.json", Path: "kpi/history.json",
		Content: &wantContent, SHA: gitBlobSHA(text),
		URL: contents + "kpi/history.json?ref=" + first, DownloadURL: &dl}
	if diff := gocmp.Diff(want, c); diff != "" {
		t.Errorf("file (-want +got):\n%s", diff)
	}

	// The default branch, by name and by default.
	for _, q := range []string{"", "?ref=main", "?ref=refs/heads/main"} {
		status, _, body = get(t, contents+"kpi/history.json"+q, githubfake.DefaultToken, "")
		if !strings.Contains(body, `"content":"bmV3ZXI=\n"`) || status != 200 {
			t.Errorf("%q: %d %s, want the newer contents", q, status, body)
		}
	}

	// Over 1 MB: no content; the raw media type gives it all.
	status, _, body = get(t, contents+"kpi/large.bin", githubfake.DefaultToken, "application/vnd.github+json")
	c = content{}
	if err := json.Unmarshal([]byte(body), &c); err != nil || status != 200 || c.Encoding != "none" || c.Content == nil || *c.Content != "" || c.Size != len(large) {
		t.Errorf("large file: %d %.300s", status, body)
	}
	status, h, body := get(t, contents+"kpi/large.bin", githubfake.DefaultToken, "application/vnd.github.raw+json")
	if status != 200 || body != string(large) || h.Get("X-Github-Media-Type") != "github.v3; param=raw" {
		t.Errorf("raw large file: %d, %d bytes, headers %v", status, len(body), h)
	}

	// Directories list their entries, directories first by name order.
	status, _, body = get(t, contents+"kpi", githubfake.DefaultToken, "")
	var list []content
	if err := json.Unmarshal([]byte(body), &list); err != nil || status != 200 {
		t.Fatalf("directory: %d %s", status, body)
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Type+" "+e.Path)
		if (e.Type == "dir") != (e.DownloadURL == nil) || e.Content != nil {
			t.Errorf("entry %+v", e)
		}
	}
	if diff := gocmp.Diff([]string{"file kpi/history.json", "file kpi/large.bin", "dir kpi/sub"}, got); diff != "" {
		t.Errorf("directory (-want +got):\n%s", diff)
	}
	for _, root := range []string{s.APIURL() + "/repos/acme/app/contents", contents} {
		status, _, body = get(t, root, githubfake.DefaultToken, "")
		if status != 200 || !strings.HasPrefix(body, `[{"type":"file","size":6,"name":"README.md"`) {
			t.Errorf("root %s: %d %.200s", root, status, body)
		}
	}

	for _, tc := range []struct{ path, message string }{
		{"missing.txt", "Not Found"},
		{"README.md/x", "Not Found"},
		{"kpi/history.json?ref=nope", "No commit found for the ref nope"},
		{"kpi/history.json?ref=" + strings.Repeat("0", 40), "No commit found for the ref " + strings.Repeat("0", 40)},
	} {
		status, _, body = get(t, contents+tc.path, githubfake.DefaultToken, "")
		if exp := apiError(404, tc.message, docs); status != 404 || body != exp {
			t.Errorf("%s: %d %s, want 404 %s", tc.path, status, body, exp)
		}
	}
}

// gitBlobSHA is what `git hash-object` gives for data.
func gitBlobSHA(data []byte) string {
	return fmt.Sprintf("%x", sha1.Sum(append([]byte(fmt.Sprintf("blob %d\x00", len(data))), data...)))
}

func TestRESTBlob(t *testing.T) {
	s := githubfake.New(t, emptyRepo())
	s.SetFile("acme", "app", "", "hello.txt", []byte("hello\n"))
	const sha = "ce013625030ba8dba906f756967f9e9ca394464a" // git hash-object of "hello\n"
	url := s.APIURL() + "/repos/acme/app/git/blobs/" + sha
	status, _, body := get(t, url, githubfake.DefaultToken, "")
	exp := `{"content":"aGVsbG8K\n","encoding":"base64","url":"` + url + `","sha":"` + sha + `","size":6,"node_id":"B_kwYWNtZS9hcHA6Y2UwMTM2MjUwMzBiYThkYmE5MDZmNzU2OTY3ZjllOWNhMzk0NDY0YQ"}`
	if status != 200 || body != exp {
		t.Errorf("JSON blob: %d %s\nwant %s", status, body, exp)
	}
	for _, accept := range []string{"application/vnd.github.raw", "application/vnd.github.raw+json", "application/vnd.github.v3.raw"} {
		status, h, body := get(t, url, githubfake.DefaultToken, accept)
		if status != 200 || body != "hello\n" || h.Get("Content-Type") != "application/vnd.github.raw" {
			t.Errorf("Accept %s: %d %q %v", accept, status, body, h)
		}
	}
	status, _, body = get(t, s.APIURL()+"/repos/acme/app/git/blobs/"+strings.Repeat("1", 40), githubfake.DefaultToken, "")
	if exp := apiError(404, "Not Found", "https://docs.github.com/rest/git/blobs#get-a-blob"); status != 404 || body != exp {
		t.Errorf("unknown blob: %d %s, want 404 %s", status, body, exp)
	}
}

func TestRESTAuthLimitsAndStats(t *testing.T) {
	s := githubfake.New(t, emptyRepo())
	s.SetToken("ghs_installation")
	repo := s.APIURL() + "/repos/acme/app"
	for _, tc := range []struct{ token, message string }{
		{"", "Requires authentication"},
		{"ghp_wrong", "Bad credentials"},
		{githubfake.DefaultToken, "Bad credentials"},
	} {
		status, _, body := get(t, repo, tc.token, "")
		if exp := apiError(401, tc.message, "https://docs.github.com/rest"); status != 401 || body != exp {
			t.Errorf("token %q: %d %s, want 401 %s", tc.token, status, body, exp)
		}
	}
	s.SetRESTRateLimit(1000, 2)
	_, h, _ := get(t, repo, "ghs_installation", "")
	got := map[string]string{}
	for _, k := range []string{"X-Ratelimit-Limit", "X-Ratelimit-Remaining", "X-Ratelimit-Used", "X-Ratelimit-Resource"} {
		got[k] = h.Get(k)
	}
	if diff := gocmp.Diff(map[string]string{"X-Ratelimit-Limit": "1000", "X-Ratelimit-Remaining": "1",
		"X-Ratelimit-Used": "999", "X-Ratelimit-Resource": "core"}, got); diff != "" {
		t.Errorf("rate headers (-want +got):\n%s", diff)
	}
	get(t, repo+"/git/ref/heads/main", "ghs_installation", "")
	status, h, body := get(t, repo, "ghs_installation", "")
	if status != 403 || h.Get("X-Ratelimit-Remaining") != "0" || !strings.Contains(body, `"message":"API rate limit exceeded for `) {
		t.Errorf("no requests left: %d %v %s", status, h, body)
	}

	st := s.Stats()
	wantREST := map[string]int{"GET /repos/{owner}/{repo}": 5, "GET /repos/{owner}/{repo}/git/ref/{ref}": 1}
	if st.RESTRequests != 6 || st.Requests != 0 || st.RefUpdates != 0 {
		t.Errorf("stats: %d REST, %d GraphQL requests, %d ref updates; want 6, 0, 0", st.RESTRequests, st.Requests, st.RefUpdates)
	}
	if diff := gocmp.Diff(wantREST, st.REST); diff != "" {
		t.Errorf("REST by route (-want +got):\n%s", diff)
	}
	var statuses []int
	for _, c := range st.RESTCalls {
		statuses = append(statuses, c.Status)
	}
	if diff := gocmp.Diff([]int{401, 401, 401, 200, 409, 403}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if c := st.RESTCalls[4]; c.URL != "/repos/acme/app/git/ref/heads/main" {
		t.Errorf("call = %+v", c)
	}
	s.ResetStats()
	if st := s.Stats(); st.RESTRequests != 0 || len(st.REST) != 0 || len(st.RESTCalls) != 0 {
		t.Errorf("after ResetStats: %+v", st)
	}
}

// send sends one request with the default token.
func send(t *testing.T, method, url, body string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+githubfake.DefaultToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestRESTFailsTheTest(t *testing.T) {
	cases := []struct {
		name, method, path, body string
		exp                      string
		refUpdate                bool
	}{
		{"unknown route", "GET", "/repos/acme/app/branches", "", "unexpected request GET /repos/acme/app/branches", false},
		{"wrong method", "POST", "/repos/acme/app/git/ref/heads/main", "", "unexpected request POST /repos/acme/app/git/ref/heads/main", false},
		{"force update", "PATCH", "/repos/acme/app/git/refs/heads/main", `{"sha":"abc","force":true}`, "PATCH /repos/acme/app/git/refs/heads/main tried to move a ref (force: true)", true},
		{"create ref on GHES", "POST", "/api/v3/repos/acme/app/git/refs", `{"ref":"refs/heads/x","sha":"abc"}`, "tried to move a ref (force: false)", true},
		{"contents write", "PUT", "/repos/acme/app/contents/a.txt", `{}`, "PUT /repos/acme/app/contents/a.txt tried to move a ref", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			s := githubfake.New(rec, emptyRepo())
			status := send(t, tc.method, s.APIURL()+tc.path, tc.body)
			if status < 400 {
				t.Errorf("status %d, want an error", status)
			}
			if got := rec.failures(); len(got) != 1 || !strings.Contains(got[0], tc.exp) {
				t.Errorf("test failures = %q, want one containing %q", got, tc.exp)
			}
			if st := s.Stats(); (st.RefUpdates == 1) != tc.refUpdate || st.RESTRequests != 0 {
				t.Errorf("stats: %d ref updates, %d REST requests", st.RefUpdates, st.RESTRequests)
			}
		})
	}
}

const commitMutation = `mutation Commit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) {
    commit { oid url messageHeadline messageBody }
    ref { name prefix target { oid } }
  }
}`

func commitInput(branch, expected string, additions map[string]string, deletions ...string) map[string]any {
	var adds, dels []any
	for _, p := range slices.Sorted(maps.Keys(additions)) {
		adds = append(adds, map[string]any{"path": p, "contents": base64.StdEncoding.EncodeToString([]byte(additions[p]))})
	}
	for _, p := range deletions {
		dels = append(dels, map[string]any{"path": p})
	}
	return map[string]any{"input": map[string]any{
		"branch":          map[string]any{"repositoryNameWithOwner": "acme/app", "branchName": branch},
		"expectedHeadOid": expected,
		"message":         map[string]any{"headline": "Update KPIs", "body": "Two files."},
		"fileChanges":     map[string]any{"additions": adds, "deletions": dels},
	}}
}

func TestCreateCommitOnBranch(t *testing.T) {
	s := githubfake.New(t, emptyRepo())
	s.SetStrict(true)
	base := s.CommitFiles("acme", "app", "", "Seed", map[string][]byte{"old.txt": []byte("old"), "keep.txt": []byte("keep")})

	body := query(t, s, commitMutation, commitInput("main", base, map[string]string{"kpi/a.json": "{}\n", "keep.txt": "kept"}, "old.txt"))
	head := s.Head("acme", "app", "")
	exp := `{"data":{"createCommitOnBranch":{"commit":{"oid":"` + head + `","url":"https://github.com/acme/app/commit/` + head + `",` +
		`"messageHeadline":"Update KPIs","messageBody":"Two files."},"ref":{"name":"main","prefix":"refs/heads/","target":{"oid":"` + head + `"}}}}}`
	if body != exp {
		t.Errorf("got  %s\nwant %s", body, exp)
	}
	commits := s.Commits("acme", "app", "")
	wantTop := githubfake.Commit{OID: head, Parent: base, Headline: "Update KPIs", Body: "Two files.",
		Files:   map[string][]byte{"kpi/a.json": []byte("{}\n"), "keep.txt": []byte("kept")},
		Changed: []string{"keep.txt", "kpi/a.json", "old.txt"}}
	if diff := gocmp.Diff(wantTop, commits[0]); diff != "" || len(commits) != 2 {
		t.Errorf("%d commits; the new one (-want +got):\n%s", len(commits), diff)
	}

	// The same expectedHeadOid again: the branch moved.
	body = query(t, s, commitMutation, commitInput("main", base, map[string]string{"x": "x"}))
	exp = `{"data":{"createCommitOnBranch":null},"errors":[{"type":"STALE_DATA","path":["createCommitOnBranch"],` +
		`"locations":[{"line":2,"column":3}],"message":"Expected branch to point to \"` + base + `\" but it did not. Pull and try again."}]}`
	if body != exp {
		t.Errorf("stale: got  %s\nwant %s", body, exp)
	}

	refusals := []struct {
		name string
		vars map[string]any
		typ  string
		msg  string
	}{
		{"unknown branch", commitInput("nope", head, nil), "NOT_FOUND", "Could not resolve to a ref named 'refs/heads/nope'."},
		{"unknown repository", func() map[string]any {
			v := commitInput("main", head, nil)
			v["input"].(map[string]any)["branch"].(map[string]any)["repositoryNameWithOwner"] = "acme/nope"
			return v
		}(), "NOT_FOUND", "Could not resolve to a Repository with the name 'acme/nope'."},
		{"deleting a missing file", commitInput("main", head, nil, "missing"), "UNPROCESSABLE",
			"A path was requested for deletion which does not exist as of commit oid `" + head + "`"},
	}
	for _, tc := range refusals {
		body := query(t, s, commitMutation, tc.vars)
		var resp struct {
			Data   map[string]any
			Errors []struct{ Type, Message string }
		}
		if err := json.Unmarshal([]byte(body), &resp); err != nil {
			t.Fatal(err)
		}
		if len(resp.Errors) != 1 || resp.Errors[0].Type != tc.typ || resp.Errors[0].Message != tc.msg || resp.Data["createCommitOnBranch"] != nil {
			t.Errorf("%s: got %s, want %s %q", tc.name, body, tc.typ, tc.msg)
		}
	}

	for _, p := range []*githubfake.Protection{githubfake.RulesetProtection(), githubfake.BranchProtection(), githubfake.ReadOnlyToken()} {
		s.ProtectBranch("acme", "app", "main", p)
		body := query(t, s, commitMutation, commitInput("main", head, map[string]string{"x": "x"}))
		if !strings.Contains(body, `"type":"`+p.Type+`"`) || !strings.Contains(body, `"createCommitOnBranch":null`) {
			t.Errorf("protected by %s: %s", p.Type, body)
		}
	}
	s.ProtectBranch("acme", "app", "", nil)
	query(t, s, commitMutation, commitInput("main", head, map[string]string{"x": "x"}))
	if s.Head("acme", "app", "") == head {
		t.Error("no commit once the protection was lifted")
	}

	st := s.Stats()
	var outcomes []string
	for _, w := range st.Writes {
		outcomes = append(outcomes, cmp.Or(w.Error, "ok"))
	}
	if diff := gocmp.Diff([]string{"ok", "STALE_DATA", "NOT_FOUND", "NOT_FOUND", "UNPROCESSABLE", "UNPROCESSABLE", "BRANCH_PROTECTION_RULE_VIOLATION", "FORBIDDEN", "ok"}, outcomes); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	w := st.Writes[0]
	if w.OID != head || w.ExpectedHeadOID != base || string(w.Additions["keep.txt"]) != "kept" || !slices.Equal(w.Deletions, []string{"old.txt"}) {
		t.Errorf("first write = %+v", w)
	}
	if st.Requests != 9 || st.Points != 9 || st.ByOperation["Commit"] != (githubfake.OperationStats{Requests: 9, Points: 9}) {
		t.Errorf("stats: %d requests, %d points, %+v; want 9 at 1 point each", st.Requests, st.Points, st.ByOperation)
	}
}

func TestMutationFailsTheTest(t *testing.T) {
	cases := []struct {
		name, query string
		strict      bool
		exp         string
	}{
		{"invalid input when strict", `mutation { createCommitOnBranch(input: {branch: {branchName: "main"}, message: {headline: "x"}}) { commit { oid } } }`,
			true, "GitHub would reject the query"},
		{"unmodelled field", `mutation M { createCommitOnBranch(input: {branch: {repositoryNameWithOwner: "acme/app", branchName: "main"}, expectedHeadOid: "HEAD", message: {headline: "x"}}) { commit { tarballUrl } } }`,
			false, "field Commit.tarballUrl"},
		{"unmodelled mutation", `mutation { addStar(input: {starrableId: "x"}) { clientMutationId } }`,
			false, "field Mutation.addStar"},
		{"branch by id", `mutation { createCommitOnBranch(input: {branch: {id: "REF_x"}, expectedHeadOid: "0", message: {headline: "x"}}) { commit { oid } } }`,
			false, "createCommitOnBranch with branch.id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			s := githubfake.New(rec, emptyRepo())
			s.SetFile("acme", "app", "", "a", nil)
			s.SetStrict(tc.strict)
			query(t, s, strings.ReplaceAll(tc.query, "HEAD", s.Head("acme", "app", "")), nil)
			if got := rec.failures(); len(got) != 1 || !strings.Contains(got[0], tc.exp) {
				t.Errorf("test failures = %q, want one containing %q", got, tc.exp)
			}
		})
	}
}

func TestOnBeforeCommit(t *testing.T) {
	s := githubfake.New(t, emptyRepo())
	s.SetFile("acme", "app", "", "a.txt", []byte("a"))
	var calls []int
	s.OnBeforeCommit(func(n int) {
		calls = append(calls, n)
		if n <= 2 {
			s.SetFile("acme", "app", "", "other.txt", []byte(fmt.Sprint("other ", n)))
		}
	})
	query(t, s, `{ rateLimit { cost } }`, nil) // not a commit: no hook
	for range 2 {
		if body := query(t, s, commitMutation, commitInput("main", s.Head("acme", "app", ""), map[string]string{"mine.txt": "mine"})); !strings.Contains(body, "STALE_DATA") {
			t.Errorf("with a concurrent commit: %s", body)
		}
	}
	if body := query(t, s, commitMutation, commitInput("main", s.Head("acme", "app", ""), map[string]string{"mine.txt": "mine"})); strings.Contains(body, "errors") {
		t.Errorf("third attempt: %s", body)
	}
	if !slices.Equal(calls, []int{1, 2, 3}) {
		t.Errorf("hook calls = %v, want 1 2 3", calls)
	}
	files := s.Files("acme", "app", "")
	if string(files["other.txt"]) != "other 2" || string(files["mine.txt"]) != "mine" || len(s.Commits("acme", "app", "")) != 4 {
		t.Errorf("files = %q", files)
	}
	s.OnBeforeCommit(nil)
	query(t, s, commitMutation, commitInput("main", s.Head("acme", "app", ""), map[string]string{"mine.txt": "again"}))
	if len(calls) != 3 {
		t.Errorf("hook ran after removal: %v", calls)
	}
}
