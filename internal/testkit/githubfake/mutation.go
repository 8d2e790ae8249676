package githubfake

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// The root Mutation type: createCommitOnBranch
// (https://docs.github.com/en/graphql/reference/mutations#createcommitonbranch),
// a compare-and-swap of a branch head.

type mutationObj struct{}

func (mutationObj) typeName() string { return "Mutation" }

func (m mutationObj) resolve(ex *executor, f *ast.Field) (any, error) {
	if f.Name == "createCommitOnBranch" {
		return ex.createCommitOnBranch(f)
	}
	return nil, noField(m, f)
}

// createCommitOnBranch commits the input's file changes on top of the
// branch head when that is expectedHeadOid. Every call is recorded as a
// Write.
func (ex *executor) createCommitOnBranch(f *ast.Field) (any, error) {
	in, _ := f.ArgumentMap(ex.vars)["input"].(map[string]any)
	branch, _ := in["branch"].(map[string]any)
	if branch["id"] != nil {
		return nil, unsupported("createCommitOnBranch with branch.id (give repositoryNameWithOwner and branchName)")
	}
	w := Write{Additions: map[string][]byte{}}
	w.Repository, _ = branch["repositoryNameWithOwner"].(string)
	w.Branch, _ = branch["branchName"].(string)
	w.ExpectedHeadOID, _ = in["expectedHeadOid"].(string)
	msg, _ := in["message"].(map[string]any)
	w.Headline, _ = msg["headline"].(string)
	w.Body, _ = msg["body"].(string)
	changes, _ := in["fileChanges"].(map[string]any)
	var decodeErr error
	adds, _ := changes["additions"].([]any)
	for _, a := range adds {
		a, _ := a.(map[string]any)
		path, _ := a["path"].(string)
		contents, _ := a["contents"].(string)
		data, err := base64.StdEncoding.DecodeString(contents)
		if err != nil && decodeErr == nil {
			decodeErr = fmt.Errorf("githubfake: contents of %q are not valid base64: %v", path, err)
		}
		w.Additions[path] = data
	}
	dels, _ := changes["deletions"].([]any)
	for _, d := range dels {
		d, _ := d.(map[string]any)
		path, _ := d["path"].(string)
		w.Deletions = append(w.Deletions, path)
	}
	fail := func(typ, msg string) (any, error) {
		w.Error = typ
		*ex.writes = append(*ex.writes, w)
		return nil, &fieldError{typ, msg}
	}

	if w.Branch == "" || w.Repository == "" {
		return fail("UNPROCESSABLE", "A branch must be given by repositoryNameWithOwner and branchName")
	}
	rd := ex.m.repos[strings.ToLower(w.Repository)]
	if rd == nil {
		return fail("NOT_FOUND", fmt.Sprintf("Could not resolve to a Repository with the name '%s'.", w.Repository))
	}
	g := ex.git[strings.ToLower(w.Repository)]
	if g == nil {
		g = newGitRepo()
		ex.git[strings.ToLower(w.Repository)] = g
	}
	head, ok := g.branches[w.Branch]
	if !ok {
		return fail("NOT_FOUND", fmt.Sprintf("Could not resolve to a ref named 'refs/heads/%s'.", w.Branch))
	}
	if p, ok := g.protect[w.Branch]; ok {
		return fail(p.Type, p.Message)
	}
	if head != w.ExpectedHeadOID {
		return fail("STALE_DATA", fmt.Sprintf("Expected branch to point to %q but it did not. Pull and try again.", w.ExpectedHeadOID))
	}
	if decodeErr != nil {
		return fail("UNPROCESSABLE", decodeErr.Error())
	}
	c, err := g.commit(head, w.Additions, w.Deletions, w.Headline, w.Body)
	if err != nil {
		return fail("UNPROCESSABLE", err.Error())
	}
	g.branches[w.Branch] = c.oid
	w.OID = c.oid
	*ex.writes = append(*ex.writes, w)
	return commitPayloadObj{rd: rd, c: c, branch: w.Branch, clientMutationID: in["clientMutationId"]}, nil
}

// commitPayloadObj is a CreateCommitOnBranchPayload.
type commitPayloadObj struct {
	rd               *repoData
	c                *commitData
	branch           string
	clientMutationID any
}

func (commitPayloadObj) typeName() string { return "CreateCommitOnBranchPayload" }

func (p commitPayloadObj) resolve(_ *executor, f *ast.Field) (any, error) {
	switch f.Name {
	case "clientMutationId":
		return p.clientMutationID, nil
	case "commit":
		return commitObj{p.rd, p.c}, nil
	case "ref":
		return refObj{p.rd, p.branch, p.c}, nil
	}
	return nil, noField(p, f)
}

// commitObj is a Commit.
type commitObj struct {
	rd *repoData
	c  *commitData
}

func (commitObj) typeName() string { return "Commit" }

func (o commitObj) resolve(_ *executor, f *ast.Field) (any, error) {
	slug := o.rd.owner + "/" + o.rd.name
	switch f.Name {
	case "id":
		return nodeID("C", slug+"@"+o.c.oid), nil
	case "oid":
		return o.c.oid, nil
	case "abbreviatedOid":
		return o.c.oid[:7], nil
	case "url", "commitUrl":
		return "https://github.com/" + slug + "/commit/" + o.c.oid, nil
	case "message":
		return o.c.message(), nil
	case "messageHeadline":
		return o.c.headline, nil
	case "messageBody":
		return o.c.body, nil
	case "committedDate", "authoredDate":
		return o.c.at, nil
	}
	return nil, noField(o, f)
}

// refObj is the Ref of a branch.
type refObj struct {
	rd     *repoData
	branch string
	c      *commitData
}

func (refObj) typeName() string { return "Ref" }

func (r refObj) resolve(_ *executor, f *ast.Field) (any, error) {
	switch f.Name {
	case "id":
		return nodeID("REF", r.rd.owner+"/"+r.rd.name+":refs/heads/"+r.branch), nil
	case "name":
		return r.branch, nil
	case "prefix":
		return "refs/heads/", nil
	case "target":
		return commitObj{r.rd, r.c}, nil
	}
	return nil, noField(r, f)
}
