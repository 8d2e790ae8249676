package githubfake

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The REST routes the fake serves, each as GitHub answers it (JSON shapes
// from the REST docs, trimmed; go-github's field names), under APIURL and
// under EnterpriseAPIURL's /api/v3. Every route needs the token, answers
// with x-ratelimit-* headers (resource "core") and is counted in Stats.
var restRoutes = []restRoute{
	{"GET /repos/{owner}/{repo}", "GET /repos/{owner}/{repo}",
		"https://docs.github.com/rest/repos/repos#get-a-repository", (*Server).getRepo},
	{"GET /repos/{owner}/{repo}/git/ref/{ref...}", "GET /repos/{owner}/{repo}/git/ref/{ref}",
		"https://docs.github.com/rest/git/refs#get-a-reference", (*Server).getRef},
	{"GET /repos/{owner}/{repo}/contents/{path...}", "GET /repos/{owner}/{repo}/contents/{path}",
		"https://docs.github.com/rest/repos/contents#get-repository-content", (*Server).getContents},
	{"GET /repos/{owner}/{repo}/contents", "GET /repos/{owner}/{repo}/contents/{path}",
		"https://docs.github.com/rest/repos/contents#get-repository-content", (*Server).getContents},
	{"GET /repos/{owner}/{repo}/git/blobs/{sha}", "GET /repos/{owner}/{repo}/git/blobs/{sha}",
		"https://docs.github.com/rest/git/blobs#get-a-blob", (*Server).getBlob},
}

// refWrites are the REST routes that move a ref other than by
// createCommitOnBranch or a branch update with force: false (see
// gitdata.go). None may be used: each request is counted in
// Stats.RefUpdates and fails the test.
var refWrites = []string{
	"POST /repos/{owner}/{repo}/git/refs",
	"PATCH /repos/{owner}/{repo}/git/refs/tags/{ref...}",
	"DELETE /repos/{owner}/{repo}/git/refs/{ref...}",
	"PUT /repos/{owner}/{repo}/contents/{path...}",
	"DELETE /repos/{owner}/{repo}/contents/{path...}",
	"POST /repos/{owner}/{repo}/merges",
}

type restRoute struct {
	pattern string // for the ServeMux
	name    string // in Stats
	docs    string // GitHub's documentation_url for errors
	serve   func(*Server, *restCtx)
}

// restCtx is one REST request being served.
type restCtx struct {
	w      http.ResponseWriter
	r      *http.Request
	api    string // the repository's API URL, e.g. http://HOST/api/v3/repos/OWNER/NAME
	docs   string
	rd     *repoData
	g      *gitRepo
	status int
}

// restError is the body of a REST error, as GitHub words it.
type restError struct {
	Message          string `json:"message"`
	DocumentationURL string `json:"documentation_url"`
	Status           string `json:"status"`
}

func (rc *restCtx) json(status int, v any) {
	rc.status = status
	rc.w.Header().Set("X-GitHub-Media-Type", "github.v3; format=json")
	writeJSON(rc.w, status, v)
}

func (rc *restCtx) fail(status int, msg string) {
	rc.json(status, restError{Message: msg, DocumentationURL: rc.docs, Status: strconv.Itoa(status)})
}

func (rc *restCtx) raw(data []byte) {
	rc.status = http.StatusOK
	h := rc.w.Header()
	h.Set("X-GitHub-Media-Type", "github.v3; param=raw")
	h.Set("Content-Type", "application/vnd.github.raw")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	rc.w.WriteHeader(http.StatusOK)
	_, _ = rc.w.Write(data)
}

// wantsRaw reports whether an Accept header asks for the raw media type
// (application/vnd.github.raw, its +json form, or go-github's v3 spelling).
func (rc *restCtx) wantsRaw() bool {
	for _, part := range strings.Split(rc.r.Header.Get("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "application/vnd.github.raw", "application/vnd.github.raw+json",
			"application/vnd.github.v3.raw", "application/vnd.github.v3.raw+json":
			return true
		}
	}
	return false
}

// SetRESTRateLimit sets the REST requests an hour and the requests left.
// A request when none is left is refused as GitHub does (403, "API rate
// limit exceeded", x-ratelimit-remaining: 0).
func (s *Server) SetRESTRateLimit(limit, remaining int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.restLimit, s.restRemaining = limit, remaining
}

func (s *Server) mountREST(mux *http.ServeMux) {
	for _, prefix := range []string{"", "/api/v3"} {
		for _, rt := range slices.Concat(restRoutes, restPullRoutes) {
			method, path, _ := strings.Cut(rt.pattern, " ")
			mux.HandleFunc(method+" "+prefix+path, s.restHandler(rt, prefix))
		}
		for _, rt := range gitDataRoutes {
			method, path, _ := strings.Cut(rt.pattern, " ")
			h := s.restHandler(rt, prefix)
			if method == http.MethodPatch {
				h = s.unlessForced(h)
			}
			mux.HandleFunc(method+" "+prefix+path, h)
		}
		for _, pattern := range refWrites {
			method, path, _ := strings.Cut(pattern, " ")
			mux.HandleFunc(method+" "+prefix+path, s.refWrite)
		}
	}
}

// restHandler checks the token and the rate limit, finds the repository
// and serves rt, counting the request.
func (s *Server) restHandler(rt restRoute, prefix string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		rc := &restCtx{w: w, r: r, docs: rt.docs}
		s.stats.RESTRequests++
		s.stats.REST[rt.name]++
		n := s.stats.RESTRequests
		defer func() {
			s.stats.RESTCalls = append(s.stats.RESTCalls, RESTCall{Route: rt.name,
				URL: strings.TrimPrefix(r.URL.RequestURI(), prefix), Accept: r.Header.Get("Accept"), Status: rc.status})
		}()
		h := w.Header()
		h.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
		h.Set("X-GitHub-Request-Id", fmt.Sprintf("FAKE:REST:%06X", n))
		if msg, ok := s.authorize(r.Header.Get("Authorization")); !ok {
			if r.Header.Get("Authorization") == "" {
				msg = "Requires authentication"
			}
			rc.docs = "https://docs.github.com/rest"
			rc.fail(http.StatusUnauthorized, msg)
			return
		}
		if now := time.Now(); now.After(s.restResetAt) {
			s.restRemaining, s.restResetAt = s.restLimit, now.UTC().Add(time.Hour).Truncate(time.Second)
		}
		if s.restRemaining <= 0 {
			s.restHeaders(h)
			rc.docs = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
			rc.fail(http.StatusForbidden, "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID "+h.Get("X-GitHub-Request-Id")+".")
			return
		}
		s.restRemaining--
		s.restHeaders(h)
		rd, g, err := s.repoLocked(r.PathValue("owner"), r.PathValue("repo"))
		if err != nil {
			rc.fail(http.StatusNotFound, "Not Found")
			return
		}
		rc.rd, rc.g = rd, g
		rc.api = "http://" + r.Host + prefix + "/repos/" + rd.owner + "/" + rd.name
		rt.serve(s, rc)
	}
}

func (s *Server) restHeaders(h http.Header) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.restLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(s.restRemaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(s.restLimit-s.restRemaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(s.restResetAt.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

// unlessForced serves a ref update with next, or refuses it as refWrite
// does when it asks for force: true.
func (s *Server) unlessForced(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
		var in struct {
			Force bool `json:"force"`
		}
		_ = json.Unmarshal(raw, &in)
		r.Body = io.NopCloser(bytes.NewReader(raw))
		if in.Force {
			s.refWrite(w, r)
			return
		}
		next(w, r)
	}
}

// refWrite records and refuses a request that would move a ref outside
// createCommitOnBranch, and fails the test.
func (s *Server) refWrite(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Force bool `json:"force"`
	}
	raw, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	_ = json.Unmarshal(raw, &in)
	s.mu.Lock()
	s.stats.RefUpdates++
	s.mu.Unlock()
	s.tb.Errorf("githubfake: %s %s tried to move a ref (force: %v); branches may move only by createCommitOnBranch", r.Method, r.URL.Path, in.Force)
	writeJSON(w, http.StatusForbidden, restError{Message: "githubfake: branches move only by createCommitOnBranch",
		DocumentationURL: "https://docs.github.com/graphql/reference/mutations#createcommitonbranch", Status: "403"})
}

// Repository.

type restOwner struct {
	Login     string `json:"login"`
	ID        int64  `json:"id"`
	NodeID    string `json:"node_id"`
	AvatarURL string `json:"avatar_url"`
	URL       string `json:"url"`
	HTMLURL   string `json:"html_url"`
	Type      string `json:"type"`
	SiteAdmin bool   `json:"site_admin"`
}

type restPermissions struct {
	Admin    bool `json:"admin"`
	Maintain bool `json:"maintain"`
	Push     bool `json:"push"`
	Triage   bool `json:"triage"`
	Pull     bool `json:"pull"`
}

type restRepo struct {
	ID            int64           `json:"id"`
	NodeID        string          `json:"node_id"`
	Name          string          `json:"name"`
	FullName      string          `json:"full_name"`
	Private       bool            `json:"private"`
	Owner         restOwner       `json:"owner"`
	HTMLURL       string          `json:"html_url"`
	Description   *string         `json:"description"`
	Fork          bool            `json:"fork"`
	URL           string          `json:"url"`
	GitRefsURL    string          `json:"git_refs_url"`
	ContentsURL   string          `json:"contents_url"`
	BlobsURL      string          `json:"blobs_url"`
	CreatedAt     time.Time       `json:"created_at"`
	UpdatedAt     time.Time       `json:"updated_at"`
	PushedAt      time.Time       `json:"pushed_at"`
	Size          int             `json:"size"`
	Visibility    string          `json:"visibility"`
	Archived      bool            `json:"archived"`
	Disabled      bool            `json:"disabled"`
	DefaultBranch string          `json:"default_branch"`
	Permissions   restPermissions `json:"permissions"`
}

// restID is a stable numeric id for a key.
func restID(key string) int64 {
	h := fnv.New32a()
	_, _ = io.WriteString(h, strings.ToLower(key))
	return int64(h.Sum32()>>1) + 1
}

func (s *Server) getRepo(rc *restCtx) {
	rd, g := rc.rd, rc.g
	slug := rd.owner + "/" + rd.name
	base := strings.TrimSuffix(rc.api, "/repos/"+slug)
	created := commitEpoch.Add(-24 * time.Hour)
	pushed := created
	size := 0
	for _, c := range g.commits {
		pushed = latest(pushed, c.at)
	}
	for _, b := range g.blobs {
		size += len(b)
	}
	rc.json(http.StatusOK, restRepo{
		ID: restID(slug), NodeID: nodeID("R", slug), Name: rd.name, FullName: slug,
		Owner: restOwner{Login: rd.owner, ID: restID(rd.owner), NodeID: nodeID("O", rd.owner),
			AvatarURL: "https://avatars.githubusercontent.com/u/" + strconv.FormatInt(restID(rd.owner), 10) + "?v=4",
			URL:       base + "/users/" + rd.owner, HTMLURL: "https://github.com/" + rd.owner, Type: "Organization"},
		HTMLURL: "https://github.com/" + slug, URL: rc.api,
		GitRefsURL: rc.api + "/git/refs{/sha}", ContentsURL: rc.api + "/contents/{+path}", BlobsURL: rc.api + "/git/blobs{/sha}",
		CreatedAt: created, UpdatedAt: pushed, PushedAt: pushed, Size: (size + 1023) / 1024,
		Visibility: "public", DefaultBranch: rd.defaultBranch,
		Permissions: restPermissions{Push: true, Triage: true, Pull: true},
	})
}

// References.

type restRef struct {
	Ref    string        `json:"ref"`
	NodeID string        `json:"node_id"`
	URL    string        `json:"url"`
	Object restRefObject `json:"object"`
}

type restRefObject struct {
	SHA  string `json:"sha"`
	Type string `json:"type"`
	URL  string `json:"url"`
}

func (s *Server) getRef(rc *restCtx) {
	if rc.g.empty() {
		rc.fail(http.StatusConflict, "Git Repository is empty.")
		return
	}
	branch, ok := strings.CutPrefix(rc.r.PathValue("ref"), "heads/")
	oid := rc.g.branches[branch]
	if !ok || oid == "" {
		rc.fail(http.StatusNotFound, "Not Found")
		return
	}
	rc.json(http.StatusOK, restRef{
		Ref:    "refs/heads/" + branch,
		NodeID: nodeID("REF", rc.rd.owner+"/"+rc.rd.name+":refs/heads/"+branch),
		URL:    rc.api + "/git/refs/heads/" + branch,
		Object: restRefObject{SHA: oid, Type: "commit", URL: rc.api + "/git/commits/" + oid},
	})
}

// Contents.

// LargeFileSize is the size above which the contents API answers a file
// without its content (encoding "none"): read it as a blob instead.
const LargeFileSize = 1 << 20

type restLinks struct {
	Self string `json:"self"`
	Git  string `json:"git"`
	HTML string `json:"html"`
}

type restContent struct {
	Type        string    `json:"type"`
	Encoding    string    `json:"encoding,omitempty"`
	Size        int       `json:"size"`
	Name        string    `json:"name"`
	Path        string    `json:"path"`
	Content     *string   `json:"content,omitempty"`
	SHA         string    `json:"sha"`
	URL         string    `json:"url"`
	GitURL      string    `json:"git_url"`
	HTMLURL     string    `json:"html_url"`
	DownloadURL *string   `json:"download_url"`
	Links       restLinks `json:"_links"`
}

var hex40 = regexp.MustCompile(`^[0-9a-f]{40}$`)

// resolveRef finds the commit a ref names: a branch (bare, "heads/" or
// "refs/heads/"), or a commit's full oid; "" is the default branch.
func (rc *restCtx) resolveRef(ref string) (oid, name string, ok bool) {
	name = cmp.Or(ref, rc.rd.defaultBranch)
	branch := strings.TrimPrefix(strings.TrimPrefix(name, "refs/"), "heads/")
	if oid, ok := rc.g.branches[branch]; ok {
		return oid, name, true
	}
	if hex40.MatchString(name) && rc.g.commits[name] != nil {
		return name, name, true
	}
	return "", name, false
}

func (s *Server) getContents(rc *restCtx) {
	if rc.g.empty() {
		rc.fail(http.StatusNotFound, "This repository is empty.")
		return
	}
	oid, ref, ok := rc.resolveRef(rc.r.URL.Query().Get("ref"))
	if !ok {
		rc.fail(http.StatusNotFound, "No commit found for the ref "+ref)
		return
	}
	tree := rc.g.commits[oid].files
	path := strings.Trim(rc.r.PathValue("path"), "/")
	if sha, ok := tree[path]; ok {
		data := rc.g.blobs[sha]
		if rc.wantsRaw() {
			rc.raw(data)
			return
		}
		c := rc.content(ref, path, sha, false, len(data))
		if len(data) > LargeFileSize {
			c.Encoding, c.Content = "none", new(string)
		} else {
			enc := wrap64(data)
			c.Encoding, c.Content = "base64", &enc
		}
		rc.json(http.StatusOK, c)
		return
	}
	names, isDir, ok := dirEntries(tree, path)
	if !ok {
		rc.fail(http.StatusNotFound, "Not Found")
		return
	}
	list := make([]restContent, 0, len(names))
	for _, name := range names {
		p := name
		if path != "" {
			p = path + "/" + name
		}
		if isDir[name] {
			list = append(list, rc.content(ref, p, treeSHA(tree, p), true, 0))
		} else {
			list = append(list, rc.content(ref, p, tree[p], false, len(rc.g.blobs[tree[p]])))
		}
	}
	rc.json(http.StatusOK, list)
}

// content describes a file or directory without its content.
func (rc *restCtx) content(ref, path, sha string, dir bool, size int) restContent {
	slug := rc.rd.owner + "/" + rc.rd.name
	escaped := (&url.URL{Path: path}).EscapedPath()
	c := restContent{Type: "file", Size: size, Name: path[strings.LastIndexByte(path, '/')+1:], Path: path, SHA: sha,
		URL:     rc.api + "/contents/" + escaped + "?ref=" + url.QueryEscape(ref),
		GitURL:  rc.api + "/git/blobs/" + sha,
		HTMLURL: "https://github.com/" + slug + "/blob/" + ref + "/" + escaped}
	if dir {
		c.Type, c.GitURL, c.HTMLURL = "dir", rc.api+"/git/trees/"+sha, "https://github.com/"+slug+"/tree/"+ref+"/"+escaped
	} else {
		dl := "https://raw.githubusercontent.com/" + slug + "/" + ref + "/" + escaped
		c.DownloadURL = &dl
	}
	c.Links = restLinks{Self: c.URL, Git: c.GitURL, HTML: c.HTMLURL}
	return c
}

// wrap64 encodes data in base64 with a line break after every 60
// characters and at the end, as GitHub sends file contents.
func wrap64(data []byte) string {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(enc) > 60 {
		b.WriteString(enc[:60])
		b.WriteByte('\n')
		enc = enc[60:]
	}
	if enc != "" {
		b.WriteString(enc)
		b.WriteByte('\n')
	}
	return b.String()
}

// Blobs.

type restBlob struct {
	Content  string `json:"content"`
	Encoding string `json:"encoding"`
	URL      string `json:"url"`
	SHA      string `json:"sha"`
	Size     int    `json:"size"`
	NodeID   string `json:"node_id"`
}

func (s *Server) getBlob(rc *restCtx) {
	sha := rc.r.PathValue("sha")
	data, ok := rc.g.blobs[sha]
	if !ok {
		rc.fail(http.StatusNotFound, "Not Found")
		return
	}
	if rc.wantsRaw() {
		rc.raw(data)
		return
	}
	rc.json(http.StatusOK, restBlob{Content: wrap64(data), Encoding: "base64", URL: rc.api + "/git/blobs/" + sha,
		SHA: sha, Size: len(data), NodeID: nodeID("B", rc.rd.owner+"/"+rc.rd.name+":"+sha)})
}
