package githubapi

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/google/go-github/v60/github"

	"github.com/engineering-kpis/engineering-kpis/internal/publish"
)

// NewREST returns a go-github client for the REST API at apiURL
// (GITHUB_API_URL; https://api.github.com when empty).
func NewREST(hc *http.Client, apiURL, token, userAgent string) (*github.Client, error) {
	c := github.NewClient(hc)
	if token != "" {
		c = c.WithAuthToken(token)
	}
	if apiURL != "" {
		u, err := url.Parse(strings.TrimSuffix(apiURL, "/") + "/")
		if err != nil {
			return nil, fmt.Errorf("GITHUB_API_URL %q: %w", apiURL, err)
		}
		c.BaseURL = u
	}
	if userAgent != "" {
		c.UserAgent = userAgent
	}
	return c, nil
}

// Branch is a publish.Store over one branch of a repository: files are read
// at the branch head with the REST contents API
// (https://docs.github.com/en/rest/repos/contents), and written as one
// commit with the GraphQL mutation createCommitOnBranch
// (https://docs.github.com/en/graphql/reference/mutations#createcommitonbranch),
// whose expectedHeadOid makes the write a compare-and-swap: it fails,
// rather than overwrite, when the branch moved. Files too large for one
// mutation go through the Git Data API instead
// (https://docs.github.com/en/rest/git): blobs, a tree on the head's tree,
// a commit, and a ref update with force: false, which GitHub refuses (422
// "Update is not a fast forward") when the branch moved: the same
// compare-and-swap.
type Branch struct {
	REST    *github.Client
	GraphQL *Client
	Owner   string
	Name    string
	// Branch is the branch name; resolve an empty one with DefaultBranch.
	Branch string
	// MaxMutationBytes is the most file bytes one createCommitOnBranch
	// carries; more go through the Git Data API. 0 means
	// DefaultMaxMutationBytes.
	MaxMutationBytes int
	// TreeBatchBytes is the most file bytes one Git Data tree request
	// carries inline; zero means treeBatchBytes.
	TreeBatchBytes int
}

// DefaultMaxMutationBytes keeps a createCommitOnBranch request (contents
// in base64, a third larger) well under the roughly 40 MB GitHub accepts.
const DefaultMaxMutationBytes = 24 << 20

var _ publish.Store = (*Branch)(nil)

// DefaultBranch returns the repository's default branch.
func (b *Branch) DefaultBranch(ctx context.Context) (string, error) {
	repo, _, err := b.REST.Repositories.Get(ctx, b.Owner, b.Name)
	if err != nil {
		return "", fmt.Errorf("read repository %s/%s: %w", b.Owner, b.Name, restError(err))
	}
	if repo.GetDefaultBranch() == "" {
		return "", fmt.Errorf("repository %s/%s has no default branch (is it empty?): set the branch input", b.Owner, b.Name)
	}
	return repo.GetDefaultBranch(), nil
}

// Head returns the commit the branch points at.
func (b *Branch) Head(ctx context.Context) (string, error) {
	ref, resp, err := b.REST.Git.GetRef(ctx, b.Owner, b.Name, "heads/"+b.Branch)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return "", fmt.Errorf("branch %q does not exist in %s/%s, or the token cannot see the repository: create the branch, or set the branch input to an existing one", b.Branch, b.Owner, b.Name)
		}
		if resp != nil && resp.StatusCode == http.StatusConflict {
			return "", fmt.Errorf("repository %s/%s is empty: push a first commit (a commit through the API needs an existing branch), or set commit: false", b.Owner, b.Name)
		}
		return "", fmt.Errorf("read branch %s of %s/%s: %w", b.Branch, b.Owner, b.Name, restError(err))
	}
	return ref.GetObject().GetSHA(), nil
}

// Read returns the files at the branch head.
func (b *Branch) Read(ctx context.Context, paths []string) (publish.Snapshot, error) {
	head, err := b.Head(ctx)
	if err != nil {
		return publish.Snapshot{}, err
	}
	snap := publish.Snapshot{Version: head, Files: publish.Files{}}
	for _, p := range paths {
		data, ok, err := b.readFile(ctx, head, p)
		if err != nil {
			return snap, err
		}
		if ok {
			snap.Files[p] = data
		}
	}
	return snap, nil
}

// ReadAt returns the files at commit version.
func (b *Branch) ReadAt(ctx context.Context, version string, paths []string) (publish.Files, error) {
	files := publish.Files{}
	for _, p := range paths {
		data, ok, err := b.readFile(ctx, version, p)
		if err != nil {
			return nil, err
		}
		if ok {
			files[p] = data
		}
	}
	return files, nil
}

func (b *Branch) readFile(ctx context.Context, ref, path string) ([]byte, bool, error) {
	fc, dir, resp, err := b.REST.Repositories.GetContents(ctx, b.Owner, b.Name, path, &github.RepositoryContentGetOptions{Ref: ref})
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("read %s from %s/%s: %w", path, b.Owner, b.Name, restError(err))
	}
	if fc == nil || dir != nil {
		return nil, false, fmt.Errorf("read %s from %s/%s: it is a directory, not a file", path, b.Owner, b.Name)
	}
	if fc.GetEncoding() == "none" || (fc.Content == nil && fc.GetSize() > 0) {
		// Files over 1 MB come without content: fetch the blob.
		data, _, err := b.REST.Git.GetBlobRaw(ctx, b.Owner, b.Name, fc.GetSHA())
		if err != nil {
			return nil, false, fmt.Errorf("read %s from %s/%s: %w", path, b.Owner, b.Name, restError(err))
		}
		return data, true, nil
	}
	s, err := fc.GetContent()
	if err != nil {
		return nil, false, fmt.Errorf("decode %s from %s/%s: %w", path, b.Owner, b.Name, err)
	}
	return []byte(s), true, nil
}

const commitMutation = `mutation Commit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) {
    commit { oid url }
  }
}
`

// Write commits files on top of version. A message's first line is the
// headline, the rest its body.
func (b *Branch) Write(ctx context.Context, version string, files publish.Files, message string) (string, error) {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	additions := make([]map[string]string, 0, len(paths))
	for _, p := range paths {
		additions = append(additions, map[string]string{"path": p, "contents": base64.StdEncoding.EncodeToString(files[p])})
	}
	if version == "" {
		return "", fmt.Errorf("commit to %s of %s/%s: no head commit to build on", b.Branch, b.Owner, b.Name)
	}
	size := 0
	for _, data := range files {
		size += len(data)
	}
	if limit := cmp.Or(b.MaxMutationBytes, DefaultMaxMutationBytes); size > limit {
		return b.writeGitData(ctx, version, paths, files, message)
	}
	headline, body, _ := strings.Cut(message, "\n")
	input := map[string]any{
		"branch":          map[string]string{"repositoryNameWithOwner": b.Owner + "/" + b.Name, "branchName": b.Branch},
		"expectedHeadOid": version,
		"message":         map[string]string{"headline": headline, "body": strings.TrimSpace(body)},
		"fileChanges":     map[string]any{"additions": additions},
	}
	var data struct {
		CreateCommitOnBranch *struct {
			Commit struct {
				OID string `json:"oid"`
				URL string `json:"url"`
			} `json:"commit"`
		} `json:"createCommitOnBranch"`
	}
	err := b.GraphQL.do(ctx, "Commit", commitMutation, map[string]any{"input": input}, &data)
	var ge *Error
	var refusal error
	if errors.As(err, &ge) {
		refusal = b.refused(ge)
	}
	switch {
	case err == nil && data.CreateCommitOnBranch != nil:
		return data.CreateCommitOnBranch.Commit.OID, nil
	case err == nil:
		return "", fmt.Errorf("commit to %s/%s: GitHub returned no commit", b.Owner, b.Name)
	case errors.As(err, &ge) && isStale(ge):
		return "", fmt.Errorf("commit to %s of %s/%s: %w", b.Branch, b.Owner, b.Name, publish.ErrConflict)
	case errors.As(err, &ge) && (ge.Status == http.StatusForbidden || ge.Status == http.StatusTooManyRequests) &&
		strings.Contains(strings.ToLower(ge.Message), "rate limit"):
		return "", fmt.Errorf("commit to %s of %s/%s: %w (wait and re-run)", b.Branch, b.Owner, b.Name, err)
	case refusal != nil:
		return "", refusal
	case errors.As(err, &ge) && (ge.Status == http.StatusForbidden || ge.Type == "FORBIDDEN"):
		return "", fmt.Errorf("commit to %s of %s/%s was refused (%s): give the workflow `permissions: contents: write`, or set the branch input to a branch without protection rules that block it, or set commit: false", b.Branch, b.Owner, b.Name, oneLine(ge.Message))
	case errors.As(err, &ge) && ge.Type == "UNPROCESSABLE":
		return "", fmt.Errorf("commit to %s of %s/%s was refused: %s (a protected branch needs a bypass for this token; or set the branch input to another branch, or commit: false)", b.Branch, b.Owner, b.Name, oneLine(ge.Message))
	default:
		return "", fmt.Errorf("commit to %s of %s/%s: %w", b.Branch, b.Owner, b.Name, err)
	}
}

// refused is the error, saying what to change, for a commit a ruleset or
// branch protection refused; nil for any other error. Both commit paths
// (createCommitOnBranch and the Git Data API's ref update) use it.
func (b *Branch) refused(ge *Error) error {
	switch {
	case isRuleset(ge):
		return fmt.Errorf("commit to %s of %s/%s was refused by a repository ruleset (%s): let this token bypass the ruleset (run with a token whose GitHub App or role is on the ruleset's bypass list), or point the branch input at a data branch that no ruleset targets (e.g. branch: kpi-data), or set commit: false", b.Branch, b.Owner, b.Name, oneLine(ge.Message))
	case isBranchProtection(ge):
		return fmt.Errorf("commit to %s of %s/%s was refused by branch protection (%s): let this token bypass the branch protection rules (run with a token whose GitHub App or role may bypass them), or point the branch input at an unprotected data branch (e.g. branch: kpi-data), or set commit: false", b.Branch, b.Owner, b.Name, oneLine(ge.Message))
	}
	return nil
}

// isRuleset reports whether a createCommitOnBranch error is a repository
// ruleset's refusal. Its type is not classic protection's
// BRANCH_PROTECTION_RULE_VIOLATION and no source pins it down, so it is
// told by GitHub's message ("Repository rule violations found ...", the
// GH013 text), whatever the type (as keystatic does since
// Thinkmill/keystatic#1598).
func isRuleset(e *Error) bool {
	return strings.Contains(strings.ToLower(e.Message), "repository rule violation")
}

// isBranchProtection reports whether a createCommitOnBranch error is
// classic branch protection's refusal.
func isBranchProtection(e *Error) bool {
	return e.Type == "BRANCH_PROTECTION_RULE_VIOLATION" || strings.Contains(strings.ToLower(e.Message), "protected branch")
}

// treeBatchBytes bounds the file contents one CreateTree request carries
// inline, so that no request grows with the history.
const treeBatchBytes = 16 << 20

// writeGitData commits files on top of version through the Git Data API:
// trees on version's tree that carry the text files inline (GitHub writes
// their blobs; one request per treeBatchBytes, each on the tree before it)
// and a blob upload for each binary file (a PNG chart), a commit, and the
// branch moved to it with force: false, so that a branch that moved
// meanwhile refuses it. Few requests, so that a large first run or a
// migration stays clear of GitHub's secondary limits on content creation.
func (b *Branch) writeGitData(ctx context.Context, version string, paths []string, files publish.Files, message string) (string, error) {
	fail := func(step string, err error) (string, error) {
		return "", fmt.Errorf("commit to %s of %s/%s (%s): %w", b.Branch, b.Owner, b.Name, step, restError(err))
	}
	head, _, err := b.REST.Git.GetCommit(ctx, b.Owner, b.Name, version)
	if err != nil {
		return fail("read the head commit", err)
	}
	base := head.GetTree().GetSHA()
	var entries []*github.TreeEntry
	size := 0
	flush := func() error {
		if len(entries) == 0 {
			return nil
		}
		tree, _, err := b.REST.Git.CreateTree(ctx, b.Owner, b.Name, base, entries)
		if err != nil {
			return err
		}
		base, entries, size = tree.GetSHA(), nil, 0
		return nil
	}
	for _, p := range paths {
		entry := &github.TreeEntry{Path: github.String(p), Mode: github.String("100644"), Type: github.String("blob")}
		if data := files[p]; utf8.Valid(data) {
			entry.Content = github.String(string(data))
			size += len(data)
		} else {
			blob, _, err := b.REST.Git.CreateBlob(ctx, b.Owner, b.Name, &github.Blob{
				Content: github.String(base64.StdEncoding.EncodeToString(data)), Encoding: github.String("base64")})
			if err != nil {
				return fail("upload "+p, err)
			}
			entry.SHA = blob.SHA
		}
		entries = append(entries, entry)
		if size >= cmp.Or(b.TreeBatchBytes, treeBatchBytes) {
			if err := flush(); err != nil {
				return fail("create the tree", err)
			}
		}
	}
	if err := flush(); err != nil {
		return fail("create the tree", err)
	}
	tree := &github.Tree{SHA: github.String(base)}
	commit, _, err := b.REST.Git.CreateCommit(ctx, b.Owner, b.Name, &github.Commit{
		Message: github.String(message), Tree: tree, Parents: []*github.Commit{{SHA: github.String(version)}}}, nil)
	if err != nil {
		return fail("create the commit", err)
	}
	_, resp, err := b.REST.Git.UpdateRef(ctx, b.Owner, b.Name, &github.Reference{
		Ref: github.String("refs/heads/" + b.Branch), Object: &github.GitObject{SHA: commit.SHA}}, false)
	if err != nil {
		var er *github.ErrorResponse
		if resp != nil && errors.As(err, &er) {
			// A branch that moved meanwhile: 422 "Update is not a fast
			// forward", or 409 when GitHub saw the race itself.
			if (resp.StatusCode == http.StatusUnprocessableEntity && strings.Contains(strings.ToLower(er.Message), "fast forward")) || resp.StatusCode == http.StatusConflict {
				return "", fmt.Errorf("commit to %s of %s/%s: %w", b.Branch, b.Owner, b.Name, publish.ErrConflict)
			}
			if r := b.refused(&Error{Status: resp.StatusCode, Message: er.Message}); r != nil {
				return "", r
			}
		}
		return fail("move the branch", err)
	}
	return commit.GetSHA(), nil
}

// isStale reports whether a createCommitOnBranch error says the branch
// head is no longer expectedHeadOid.
func isStale(e *Error) bool {
	if e.Type != "" {
		return e.Type == "STALE_DATA"
	}
	return strings.Contains(strings.ToLower(e.Message), "expected branch to point to")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// restError keeps go-github's message (method, URL, status, GitHub's
// message) and adds what to do for the common statuses.
func restError(err error) error {
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		switch er.Response.StatusCode {
		case http.StatusUnauthorized:
			return fmt.Errorf("GitHub rejected the token (401 %s): check the github-token input", er.Message)
		case http.StatusForbidden:
			return fmt.Errorf("GitHub refused access (403 %s): the token needs contents: read (and contents: write to commit)", er.Message)
		}
	}
	return err
}
