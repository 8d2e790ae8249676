package githubfake

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// The Git Data API (https://docs.github.com/rest/git): blobs, trees and
// commits are created without moving anything; a branch moves only by a
// ref update with force: false, which GitHub refuses with 422 "Update is
// not a fast forward" when the new commit does not descend from the
// branch head (the branch moved since the writer read it). A forced
// update is refused and fails the test (see unlessForced).

var gitDataRoutes = []restRoute{
	{"POST /repos/{owner}/{repo}/git/blobs", "POST /repos/{owner}/{repo}/git/blobs",
		"https://docs.github.com/rest/git/blobs#create-a-blob", (*Server).createBlob},
	{"POST /repos/{owner}/{repo}/git/trees", "POST /repos/{owner}/{repo}/git/trees",
		"https://docs.github.com/rest/git/trees#create-a-tree", (*Server).createTree},
	{"GET /repos/{owner}/{repo}/git/commits/{sha}", "GET /repos/{owner}/{repo}/git/commits/{sha}",
		"https://docs.github.com/rest/git/commits#get-a-commit-object", (*Server).getCommit},
	{"POST /repos/{owner}/{repo}/git/commits", "POST /repos/{owner}/{repo}/git/commits",
		"https://docs.github.com/rest/git/commits#create-a-commit", (*Server).createCommit},
	{"PATCH /repos/{owner}/{repo}/git/refs/heads/{branch...}", "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
		"https://docs.github.com/rest/git/refs#update-a-reference", (*Server).updateRef},
}

func (rc *restCtx) body(v any) bool {
	raw, err := io.ReadAll(io.LimitReader(rc.r.Body, 200<<20))
	if err == nil {
		err = json.Unmarshal(raw, v)
	}
	if err != nil {
		rc.fail(http.StatusBadRequest, "Problems parsing JSON")
		return false
	}
	return true
}

type restSHA struct {
	SHA string `json:"sha"`
	URL string `json:"url"`
}

func (s *Server) createBlob(rc *restCtx) {
	var in struct {
		Content  *string `json:"content"`
		Encoding string  `json:"encoding"`
	}
	if !rc.body(&in) {
		return
	}
	if in.Content == nil {
		rc.fail(http.StatusUnprocessableEntity, "Invalid request.\n\n\"content\" wasn't supplied.")
		return
	}
	data := []byte(*in.Content)
	switch in.Encoding {
	case "base64":
		var err error
		if data, err = base64.StdEncoding.DecodeString(strings.ReplaceAll(*in.Content, "\n", "")); err != nil {
			rc.fail(http.StatusUnprocessableEntity, "Invalid request.\n\ncontent is not valid Base64.")
			return
		}
	case "", "utf-8":
	default:
		rc.fail(http.StatusUnprocessableEntity, "Invalid request.\n\nencoding must be utf-8 or base64.")
		return
	}
	sha := blobSHA(data)
	rc.g.blobs[sha] = data
	s.stats.BlobBytes += len(data)
	rc.json(http.StatusCreated, restSHA{SHA: sha, URL: rc.api + "/git/blobs/" + sha})
}

// treeFiles returns the files of a tree made by a commit or by createTree.
func (g *gitRepo) treeFiles(sha string) (map[string]string, bool) {
	if t, ok := g.trees[sha]; ok {
		return t, true
	}
	for _, c := range g.commits {
		if c.tree == sha {
			return c.files, true
		}
	}
	return nil, false
}

func (s *Server) createTree(rc *restCtx) {
	var in struct {
		BaseTree string `json:"base_tree"`
		Tree     []struct {
			Path    string  `json:"path"`
			Mode    string  `json:"mode"`
			Type    string  `json:"type"`
			SHA     *string `json:"sha"`
			Content *string `json:"content"`
		} `json:"tree"`
	}
	if !rc.body(&in) {
		return
	}
	tree := map[string]string{}
	if in.BaseTree != "" {
		base, ok := rc.g.treeFiles(in.BaseTree)
		if !ok {
			rc.fail(http.StatusUnprocessableEntity, "Invalid tree info")
			return
		}
		tree = maps.Clone(base)
	}
	for _, e := range in.Tree {
		if err := checkPath(e.Path); err != nil || e.Mode != "100644" || e.Type != "blob" {
			rc.fail(http.StatusUnprocessableEntity, "GitRPC::BadObjectState")
			return
		}
		switch {
		case e.Content != nil:
			data := []byte(*e.Content)
			sha := blobSHA(data)
			rc.g.blobs[sha] = data
			tree[e.Path] = sha
		case e.SHA == nil:
			delete(tree, e.Path)
		default:
			if _, ok := rc.g.blobs[*e.SHA]; !ok {
				rc.fail(http.StatusUnprocessableEntity, "Invalid tree info")
				return
			}
			tree[e.Path] = *e.SHA
		}
	}
	if err := checkTree(tree); err != nil {
		rc.fail(http.StatusUnprocessableEntity, "GitRPC::BadObjectState")
		return
	}
	sha := treeSHA(tree, "")
	rc.g.trees[sha] = tree
	rc.json(http.StatusCreated, restSHA{SHA: sha, URL: rc.api + "/git/trees/" + sha})
}

type restGitCommit struct {
	SHA     string    `json:"sha"`
	URL     string    `json:"url"`
	Message string    `json:"message"`
	Tree    restSHA   `json:"tree"`
	Parents []restSHA `json:"parents"`
}

func (rc *restCtx) gitCommit(c *commitData) restGitCommit {
	out := restGitCommit{SHA: c.oid, URL: rc.api + "/git/commits/" + c.oid, Message: c.message(),
		Tree: restSHA{SHA: c.tree, URL: rc.api + "/git/trees/" + c.tree}, Parents: []restSHA{}}
	if c.parent != "" {
		out.Parents = append(out.Parents, restSHA{SHA: c.parent, URL: rc.api + "/git/commits/" + c.parent})
	}
	return out
}

func (s *Server) getCommit(rc *restCtx) {
	c := rc.g.commits[rc.r.PathValue("sha")]
	if c == nil {
		rc.fail(http.StatusNotFound, "Not Found")
		return
	}
	rc.json(http.StatusOK, rc.gitCommit(c))
}

func (s *Server) createCommit(rc *restCtx) {
	var in struct {
		Message string   `json:"message"`
		Tree    string   `json:"tree"`
		Parents []string `json:"parents"`
	}
	if !rc.body(&in) {
		return
	}
	tree, ok := rc.g.treeFiles(in.Tree)
	if !ok {
		rc.fail(http.StatusUnprocessableEntity, "Tree SHA does not exist")
		return
	}
	if len(in.Parents) > 1 {
		rc.fail(http.StatusUnprocessableEntity, "githubfake: merge commits are not modelled")
		return
	}
	parent := ""
	if len(in.Parents) == 1 {
		if rc.g.commits[in.Parents[0]] == nil {
			rc.fail(http.StatusUnprocessableEntity, "Parent SHA does not exist or is not a commit object")
			return
		}
		parent = in.Parents[0]
	}
	old := rc.g.tree(parent)
	var changed []string
	for p, sha := range tree {
		if old[p] != sha {
			changed = append(changed, p)
		}
	}
	for p := range old {
		if _, ok := tree[p]; !ok {
			changed = append(changed, p)
		}
	}
	slices.Sort(changed)
	headline, body, _ := strings.Cut(in.Message, "\n")
	c := rc.g.newCommit(parent, maps.Clone(tree), changed, headline, strings.TrimSpace(body))
	rc.json(http.StatusCreated, rc.gitCommit(c))
}

func (s *Server) updateRef(rc *restCtx) {
	var in struct {
		SHA string `json:"sha"`
	}
	if !rc.body(&in) {
		return
	}
	branch := rc.r.PathValue("branch")
	head, ok := rc.g.branches[branch]
	if !ok {
		rc.fail(http.StatusUnprocessableEntity, "Reference does not exist")
		return
	}
	if p, ok := rc.g.protect[branch]; ok {
		switch p.Type {
		case "FORBIDDEN":
			rc.fail(http.StatusForbidden, p.Message)
		case "BRANCH_PROTECTION_RULE_VIOLATION":
			// REST has no error type: classic protection refuses a ref
			// update with the message git pushes show (GH006).
			rc.fail(http.StatusUnprocessableEntity, "Protected branch update failed for refs/heads/"+branch+".")
		default:
			rc.fail(http.StatusUnprocessableEntity, p.Message)
		}
		return
	}
	if rc.g.commits[in.SHA] == nil {
		rc.fail(http.StatusUnprocessableEntity, "Object does not exist")
		return
	}
	descends := false
	for oid := in.SHA; oid != ""; oid = rc.g.commits[oid].parent {
		if oid == head {
			descends = true
			break
		}
	}
	if !descends {
		rc.fail(http.StatusUnprocessableEntity, "Update is not a fast forward")
		return
	}
	rc.g.branches[branch] = in.SHA
	s.stats.GitDataUpdates++
	rc.json(http.StatusOK, restRef{
		Ref:    "refs/heads/" + branch,
		NodeID: nodeID("REF", rc.rd.owner+"/"+rc.rd.name+":refs/heads/"+branch),
		URL:    rc.api + "/git/refs/heads/" + branch,
		Object: restRefObject{SHA: in.SHA, Type: "commit", URL: rc.api + "/git/commits/" + in.SHA},
	})
}
