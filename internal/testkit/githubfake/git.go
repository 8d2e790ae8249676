package githubfake

import (
	"cmp"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file holds the repositories' contents: a small git object model
// (blobs, trees, commits and branches) whose object ids are real git SHA-1
// ids, so that a blob's sha is what `git hash-object` gives and commit ids
// look and behave like GitHub's (40 hex digits, deterministic).

// Commit is a commit of a repository in the fake.
type Commit struct {
	OID string
	// Parent is the parent commit's oid; "" for a repository's first
	// commit.
	Parent   string
	Headline string
	Body     string
	// Files is the commit's tree: every file's path and contents.
	Files map[string][]byte
	// Changed lists the paths added, modified or deleted relative to the
	// parent, sorted.
	Changed []string
}

// Write is one createCommitOnBranch mutation the fake executed, refused or
// not.
type Write struct {
	// Repository and Branch are the input's repositoryNameWithOwner and
	// branchName.
	Repository string
	Branch     string
	// ExpectedHeadOID is the input's expectedHeadOid.
	ExpectedHeadOID string
	Headline        string
	Body            string
	// Additions are the files added or changed, decoded; Deletions the
	// paths deleted.
	Additions map[string][]byte
	Deletions []string
	// OID is the commit made; "" when refused.
	OID string
	// Error is the GraphQL error type of a refusal (STALE_DATA,
	// NOT_FOUND, UNPROCESSABLE, FORBIDDEN, ...); "" on success.
	Error string
}

// Protection is how a protected branch refuses createCommitOnBranch: with
// a GraphQL error of Type and Message, and createCommitOnBranch null.
type Protection struct {
	Type    string
	Message string
}

// RulesetProtection is GitHub's refusal of a commit that a repository
// ruleset forbids (a rule requiring pull requests). Its error type is not
// the one classic branch protection uses (Thinkmill/keystatic#1598 and
// #1559: "repository rulesets ... raise a different type for the same
// situation"; keystatic's fix, commit 4dca0cac, matches the message
// /repository rule violations/i rather than a type). The message is the
// ruleset's GH013 text as git push prints it ("Repository rule violations
// found for refs/heads/main." / "- Changes must be made through a pull
// request."); the type is GitHub's generic UNPROCESSABLE, which no source
// pins down, so clients must key on the message.
func RulesetProtection() *Protection {
	return &Protection{Type: "UNPROCESSABLE",
		Message: "Repository rule violations found\n\nChanges must be made through a pull request.\n\n"}
}

// BranchProtection is GitHub's refusal of a commit that classic branch
// protection forbids: type BRANCH_PROTECTION_RULE_VIOLATION (the type
// keystatic's updating.tsx matches, and that a recording of
// createCommitOnBranch against a protected branch shows together with
// "Changes must be made through a pull request", dhslegen/skillsync
// tests/fixtures/github-write/NOTES.md, case 09). The message is the part
// of it that recording quotes.
func BranchProtection() *Protection {
	return &Protection{Type: "BRANCH_PROTECTION_RULE_VIOLATION",
		Message: "Changes must be made through a pull request."}
}

// ReadOnlyToken is GitHub's refusal of a commit by a GITHUB_TOKEN without
// contents: write.
func ReadOnlyToken() *Protection {
	return &Protection{Type: "FORBIDDEN", Message: "Resource not accessible by integration"}
}

// commitEpoch is the time of a repository's first commit; each further
// commit is a minute later, so that ids are deterministic.
var commitEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

const gitIdent = "githubfake <githubfake@users.noreply.github.com>"

// gitRepo is the contents of one repository.
type gitRepo struct {
	blobs    map[string][]byte            // by blob sha
	commits  map[string]*commitData       // by oid
	branches map[string]string            // branch name → head oid
	protect  map[string]Protection        // by branch name
	trees    map[string]map[string]string // trees made by the Git Data API: sha → path → blob sha
	seq      int                          // commits made
}

type commitData struct {
	oid, parent, tree string
	headline, body    string
	at                time.Time
	files             map[string]string // path → blob sha: the whole tree
	changed           []string
}

func newGitRepo() *gitRepo {
	return &gitRepo{blobs: map[string][]byte{}, commits: map[string]*commitData{},
		branches: map[string]string{}, protect: map[string]Protection{}, trees: map[string]map[string]string{}}
}

// empty reports whether the repository has no commit at all.
func (g *gitRepo) empty() bool { return len(g.commits) == 0 }

// tree returns the files of commit oid ("" or unknown: none).
func (g *gitRepo) tree(oid string) map[string]string {
	if c := g.commits[oid]; c != nil {
		return c.files
	}
	return map[string]string{}
}

// commit records a commit of files (path → contents to write) and
// deletions on top of parent and returns it. It fails, changing nothing,
// when a path is malformed, a deleted path does not exist, or a file
// would take the place of a directory or the other way round.
func (g *gitRepo) commit(parent string, files map[string][]byte, deletions []string, headline, body string) (*commitData, error) {
	tree := maps.Clone(g.tree(parent))
	var changed []string
	for _, p := range deletions {
		if _, ok := tree[p]; !ok {
			//lint:ignore ST1005 GitHub's own message, which the fake answers with
			return nil, fmt.Errorf("A path was requested for deletion which does not exist as of commit oid `%s`", parent)
		}
		delete(tree, p)
		changed = append(changed, p)
	}
	newBlobs := map[string][]byte{}
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if err := checkPath(p); err != nil {
			return nil, err
		}
		sha := blobSHA(files[p])
		newBlobs[sha] = files[p]
		if tree[p] != sha {
			changed = append(changed, p)
		}
		tree[p] = sha
	}
	if err := checkTree(tree); err != nil {
		return nil, err
	}
	maps.Copy(g.blobs, newBlobs)
	slices.Sort(changed)
	return g.newCommit(parent, tree, slices.Compact(changed), headline, body), nil
}

// newCommit records a commit of tree (path → blob sha, the blobs stored)
// on top of parent, without moving any branch.
func (g *gitRepo) newCommit(parent string, tree map[string]string, changed []string, headline, body string) *commitData {
	g.seq++
	c := &commitData{parent: parent, tree: treeSHA(tree, ""), headline: headline, body: body,
		at: commitEpoch.Add(time.Duration(g.seq) * time.Minute), files: tree, changed: changed}
	var b strings.Builder
	fmt.Fprintf(&b, "tree %s\n", c.tree)
	if parent != "" {
		fmt.Fprintf(&b, "parent %s\n", parent)
	}
	ts := strconv.FormatInt(c.at.Unix(), 10) + " +0000"
	fmt.Fprintf(&b, "author %s %s\ncommitter %s %s\n\n%s\n", gitIdent, ts, gitIdent, ts, c.message())
	c.oid = hashObject("commit", []byte(b.String()))
	g.commits[c.oid] = c
	return c
}

func (c *commitData) message() string {
	if c.body == "" {
		return c.headline
	}
	return c.headline + "\n\n" + c.body
}

// export copies a commit for a test.
func (g *gitRepo) export(c *commitData) Commit {
	out := Commit{OID: c.oid, Parent: c.parent, Headline: c.headline, Body: c.body,
		Files: make(map[string][]byte, len(c.files)), Changed: slices.Clone(c.changed)}
	for p, sha := range c.files {
		out.Files[p] = slices.Clone(g.blobs[sha])
	}
	return out
}

// checkPath accepts a "/"-separated relative path without empty, "." or
// ".." segments, as git stores them.
func checkPath(p string) error {
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." || strings.ContainsRune(seg, 0) {
			return fmt.Errorf("githubfake: invalid path %q (paths are relative, \"/\"-separated, without empty, \".\" or \"..\" parts)", p)
		}
	}
	return nil
}

// checkTree fails when a path is both a file and a directory.
func checkTree(tree map[string]string) error {
	for p := range tree {
		for dir := p; ; {
			i := strings.LastIndexByte(dir, '/')
			if i < 0 {
				break
			}
			dir = dir[:i]
			if _, ok := tree[dir]; ok {
				return fmt.Errorf("githubfake: %q cannot be both a file and the directory of %q", dir, p)
			}
		}
	}
	return nil
}

// hashObject is git's object id: SHA-1 of "TYPE SIZE\x00DATA".
func hashObject(kind string, data []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", kind, len(data))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// blobSHA is the id `git hash-object` gives a file's contents.
func blobSHA(data []byte) string { return hashObject("blob", data) }

// treeSHA is the git tree id of directory dir ("" for the root) of a
// tree given as path → blob sha.
func treeSHA(tree map[string]string, dir string) string {
	type entry struct {
		name, mode, sha string
		dir             bool
	}
	prefix := ""
	if dir != "" {
		prefix = dir + "/"
	}
	var entries []entry
	seen := map[string]bool{}
	for p, sha := range tree {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		name, _, isDir := strings.Cut(rest, "/")
		if seen[name] {
			continue
		}
		seen[name] = true
		if isDir {
			entries = append(entries, entry{name: name, mode: "40000", sha: treeSHA(tree, prefix+name), dir: true})
		} else {
			entries = append(entries, entry{name: name, mode: "100644", sha: sha})
		}
	}
	// git orders entries by name, a directory's name as if it ended in "/".
	key := func(e entry) string {
		if e.dir {
			return e.name + "/"
		}
		return e.name
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(key(a), key(b)) })
	var body []byte
	for _, e := range entries {
		raw, _ := hex.DecodeString(e.sha)
		body = append(body, e.mode+" "+e.name+"\x00"...)
		body = append(body, raw...)
	}
	return hashObject("tree", body)
}

// dirEntries lists directory dir ("" for the root) of tree: each entry's
// name and whether it is a directory, sorted by name. ok is false when
// dir is not a directory.
func dirEntries(tree map[string]string, dir string) (names []string, isDir map[string]bool, ok bool) {
	prefix := ""
	if dir != "" {
		prefix = dir + "/"
	}
	isDir = map[string]bool{}
	for p := range tree {
		rest, found := strings.CutPrefix(p, prefix)
		if !found {
			continue
		}
		name, _, sub := strings.Cut(rest, "/")
		if _, dup := isDir[name]; !dup {
			names = append(names, name)
		}
		isDir[name] = isDir[name] || sub
	}
	slices.Sort(names)
	return names, isDir, len(names) > 0 || dir == ""
}

// Seeding and inspecting repository contents.

// repoLocked finds a repository of the model and its contents, creating
// empty contents on first use. s.mu is held.
func (s *Server) repoLocked(owner, name string) (*repoData, *gitRepo, error) {
	key := strings.ToLower(owner + "/" + name)
	rd := s.model.repos[key]
	if rd == nil {
		return nil, nil, fmt.Errorf("githubfake: no repository %s/%s (give it to New or SetRepos)", owner, name)
	}
	g := s.git[key]
	if g == nil {
		g = newGitRepo()
		s.git[key] = g
	}
	return rd, g, nil
}

// SetFile commits data at path on branch ("" for the default branch) and
// returns the new commit's oid, as another writer pushing to the branch
// would. See CommitFiles.
func (s *Server) SetFile(owner, name, branch, path string, data []byte) string {
	s.tb.Helper()
	return s.CommitFiles(owner, name, branch, "Update "+path, map[string][]byte{path: data})
}

// CommitFiles commits files (path → contents) and deletions on branch ("" for
// the default branch) with message (headline, a blank line, body) and
// returns the new commit's oid. A branch that does not exist yet starts
// at the default branch's head, or as the repository's first commit. It
// fails the test (and returns "") for an unknown repository, a malformed
// path, or the deletion of a missing file. It may be called from an
// OnBeforeCommit hook or a FaultFunc.
func (s *Server) CommitFiles(owner, name, branch, message string, files map[string][]byte, deletions ...string) string {
	s.tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	rd, g, err := s.repoLocked(owner, name)
	if err != nil {
		s.tb.Errorf("%v", err)
		return ""
	}
	if branch == "" {
		branch = rd.defaultBranch
	}
	parent, ok := g.branches[branch]
	if !ok {
		parent = g.branches[rd.defaultBranch]
	}
	headline, body, _ := strings.Cut(message, "\n")
	c, err := g.commit(parent, files, deletions, headline, strings.TrimSpace(body))
	if err != nil {
		s.tb.Errorf("githubfake: commit to %s of %s/%s: %v", branch, owner, name, err)
		return ""
	}
	g.branches[branch] = c.oid
	return c.oid
}

// Head returns the oid branch ("" for the default branch) points at, or ""
// when it does not exist.
func (s *Server) Head(owner, name, branch string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	rd, g, err := s.repoLocked(owner, name)
	if err != nil {
		return ""
	}
	return g.branches[cmp.Or(branch, rd.defaultBranch)]
}

// Files returns every file at the head of branch ("" for the default
// branch); nil when the repository or branch does not exist.
func (s *Server) Files(owner, name, branch string) map[string][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	rd, g, err := s.repoLocked(owner, name)
	if err != nil {
		return nil
	}
	head, ok := g.branches[cmp.Or(branch, rd.defaultBranch)]
	if !ok {
		return nil
	}
	return g.export(g.commits[head]).Files
}

// Commits returns the history of branch ("" for the default branch), newest
// first; nil when the repository or branch does not exist.
func (s *Server) Commits(owner, name, branch string) []Commit {
	s.mu.Lock()
	defer s.mu.Unlock()
	rd, g, err := s.repoLocked(owner, name)
	if err != nil {
		return nil
	}
	var out []Commit
	for oid := g.branches[cmp.Or(branch, rd.defaultBranch)]; oid != ""; {
		c := g.commits[oid]
		out = append(out, g.export(c))
		oid = c.parent
	}
	return out
}

// ProtectBranch makes createCommitOnBranch on branch ("" for the default
// branch) fail with p (e.g. RulesetProtection()); nil lifts the
// protection. It fails the test for an unknown repository.
func (s *Server) ProtectBranch(owner, name, branch string, p *Protection) {
	s.tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	rd, g, err := s.repoLocked(owner, name)
	if err != nil {
		s.tb.Errorf("%v", err)
		return
	}
	branch = cmp.Or(branch, rd.defaultBranch)
	if p == nil {
		delete(g.protect, branch)
		return
	}
	g.protect[branch] = *p
}

// OnBeforeCommit installs (or with nil removes) a hook that runs before
// the server serves the n-th createCommitOnBranch request (counting from 1
// since the hook was installed), after any FaultFunc and before the token
// is checked, without the server's lock: it may call CommitFiles or
// SetFile to move the branch between a client's read and its write, as a
// concurrent writer would.
func (s *Server) OnBeforeCommit(hook func(n int)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.beforeCommit, s.commitRequests = hook, 0
}
