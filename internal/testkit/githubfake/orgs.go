package githubfake

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// orgObj is an Organization: every owner of a repository of the model is
// one. It serves repositories, in name order; archived repositories are
// those whose Repo.Archived is set.
type orgObj struct {
	login string
	m     *model
}

func (orgObj) typeName() string { return "Organization" }

func (o orgObj) resolve(ex *executor, f *ast.Field) (any, error) {
	switch f.Name {
	case "login":
		return o.login, nil
	case "repositories":
		if err := onlyArgs(f, "first", "after", "isArchived", "orderBy"); err != nil {
			return nil, err
		}
		args := f.ArgumentMap(ex.vars)
		if ob, ok := args["orderBy"].(map[string]any); ok && ob["field"] != "NAME" {
			return nil, unsupported("repositories ordered by %v", ob["field"])
		}
		var names []string
		for key, rd := range o.m.repos {
			if !strings.EqualFold(rd.owner, o.login) {
				continue
			}
			if archived, ok := args["isArchived"].(bool); ok && archived != rd.archived {
				continue
			}
			names = append(names, key)
		}
		slices.Sort(names)
		items := make([]connItem, len(names))
		for i, key := range names {
			items[i] = connItem{key: cursorKey{int64(i), int64(i)}, node: repoObj{o.m.repos[key]}}
		}
		return page("RepositoryConnection", items, false, args)
	}
	return nil, noField(o, f)
}

// organization resolves Query.organization.
func (q queryObj) organization(ex *executor, f *ast.Field) (any, error) {
	if err := onlyArgs(f, "login"); err != nil {
		return nil, err
	}
	login, _ := f.ArgumentMap(ex.vars)["login"].(string)
	for _, rd := range ex.m.repos {
		if strings.EqualFold(rd.owner, login) {
			return orgObj{login: rd.owner, m: ex.m}, nil
		}
	}
	return nil, &fieldError{"NOT_FOUND", fmt.Sprintf("Could not resolve to an Organization with the login of '%s'.", login)}
}
