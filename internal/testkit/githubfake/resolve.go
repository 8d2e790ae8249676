package githubfake

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/vektah/gqlparser/v2/ast"
)

// The objects the fake serves, one per GraphQL type it models. Each
// resolves the fields it supports and fails loudly on any other.

// onlyArgs fails when f has an argument other than names.
func onlyArgs(f *ast.Field, names ...string) error {
	for _, a := range f.Arguments {
		if !slices.Contains(names, a.Name) {
			return unsupported("argument %s of %s.%s", a.Name, f.ObjectDefinition.Name, f.Name)
		}
	}
	return nil
}

func noField(o object, f *ast.Field) error {
	return unsupported("field %s.%s", o.typeName(), f.Name)
}

// actor returns a as an object, or an untyped nil.
func actor(a *Actor) any {
	if a == nil {
		return nil
	}
	return actorObj{a}
}

// queryObj is the root Query type.
type queryObj struct{}

func (queryObj) typeName() string { return "Query" }

func (q queryObj) resolve(ex *executor, f *ast.Field) (any, error) {
	args := f.ArgumentMap(ex.vars)
	switch f.Name {
	case "repository":
		if err := onlyArgs(f, "owner", "name", "followRenames"); err != nil {
			return nil, err
		}
		owner, _ := args["owner"].(string)
		name, _ := args["name"].(string)
		if rd := ex.m.repos[strings.ToLower(owner+"/"+name)]; rd != nil {
			return repoObj{rd}, nil
		}
		return nil, &fieldError{"NOT_FOUND", fmt.Sprintf("Could not resolve to a Repository with the name '%s/%s'.", owner, name)}
	case "node":
		id, _ := args["id"].(string)
		if o := ex.m.nodes[id]; o != nil {
			return o, nil
		}
		return nil, &fieldError{"NOT_FOUND", fmt.Sprintf("Could not resolve to a node with the global id of '%s'", id)}
	case "nodes":
		ids, _ := args["ids"].([]any)
		out := make([]any, len(ids))
		for i, id := range ids {
			s, _ := id.(string)
			if o := ex.m.nodes[s]; o != nil {
				out[i] = o
				continue
			}
			ex.errs = append(ex.errs, respError{Type: "NOT_FOUND", Path: append(slices.Clone(ex.path), i),
				Locations: locationOf(f.Position), Message: fmt.Sprintf("Could not resolve to a node with the global id of '%s'", s)})
		}
		return out, nil
	case "rateLimit":
		if err := onlyArgs(f); err != nil {
			return nil, err
		}
		return ex.rate, nil
	case "organization":
		return q.organization(ex, f)
	}
	return nil, noField(q, f)
}

// rateLimitObj is the RateLimit type, filled in before execution.
type rateLimitObj struct {
	cost, remaining, limit, used, nodeCount int
	resetAt                                 time.Time
}

func (rateLimitObj) typeName() string { return "RateLimit" }

func (r rateLimitObj) resolve(_ *executor, f *ast.Field) (any, error) {
	switch f.Name {
	case "cost":
		return r.cost, nil
	case "remaining":
		return r.remaining, nil
	case "limit":
		return r.limit, nil
	case "used":
		return r.used, nil
	case "nodeCount":
		return r.nodeCount, nil
	case "resetAt":
		return r.resetAt, nil
	}
	return nil, noField(r, f)
}

type repoObj struct{ *repoData }

func (repoObj) typeName() string { return "Repository" }

func (r repoObj) resolve(ex *executor, f *ast.Field) (any, error) {
	switch f.Name {
	case "id":
		return nodeID("R", r.owner+"/"+r.name), nil
	case "name":
		return r.name, nil
	case "nameWithOwner":
		return r.owner + "/" + r.name, nil
	case "url":
		return "https://github.com/" + r.owner + "/" + r.name, nil
	case "pullRequests":
		return r.pullRequests(ex, f)
	}
	return nil, noField(r, f)
}

// pullRequests pages through the pull requests with the given states in
// the given order; ties are broken by number.
func (r repoObj) pullRequests(ex *executor, f *ast.Field) (any, error) {
	if err := onlyArgs(f, "first", "after", "states", "orderBy"); err != nil {
		return nil, err
	}
	args := f.ArgumentMap(ex.vars)
	field, dir := "CREATED_AT", "ASC"
	if ob, ok := args["orderBy"].(map[string]any); ok {
		field, _ = ob["field"].(string)
		dir, _ = ob["direction"].(string)
	}
	if field != "CREATED_AT" && field != "UPDATED_AT" {
		return nil, unsupported("pullRequests ordered by %s", field)
	}
	states, _ := args["states"].([]any)
	var items []connItem
	for _, pr := range r.prs {
		if len(states) > 0 && !slices.Contains(states, any(pr.State)) {
			continue
		}
		t := pr.CreatedAt
		if field == "UPDATED_AT" {
			t = pr.UpdatedAt
		}
		items = append(items, connItem{key: cursorKey{t.UnixNano(), int64(pr.Number)}, node: prObj{pr}})
	}
	slices.SortFunc(items, func(a, b connItem) int { return a.key.compare(b.key) })
	desc := dir == "DESC"
	if desc {
		slices.Reverse(items)
	}
	return page("PullRequestConnection", items, desc, args)
}

type prObj struct{ *prData }

func (prObj) typeName() string { return "PullRequest" }

func (p prObj) resolve(ex *executor, f *ast.Field) (any, error) {
	switch f.Name {
	case "id":
		return p.ID, nil
	case "number":
		return p.Number, nil
	case "title":
		return p.Title, nil
	case "url":
		return p.URL, nil
	case "state":
		return p.State, nil
	case "closed":
		return p.State != "OPEN", nil
	case "merged":
		return p.State == "MERGED", nil
	case "isDraft":
		return p.IsDraft, nil
	case "createdAt":
		return p.CreatedAt, nil
	case "updatedAt":
		return p.UpdatedAt, nil
	case "author":
		return actor(p.Author), nil
	case "labels":
		if err := onlyArgs(f, "first", "after"); err != nil {
			return nil, err
		}
		items := make([]connItem, len(p.Labels))
		for i, l := range p.Labels {
			items[i] = connItem{key: cursorKey{int64(i)}, node: labelObj(l)}
		}
		return page("LabelConnection", items, false, f.ArgumentMap(ex.vars))
	case "timelineItems":
		return p.timelineItems(ex, f)
	}
	return nil, noField(p, f)
}

func (p prObj) timelineItems(ex *executor, f *ast.Field) (any, error) {
	if err := onlyArgs(f, "first", "after", "itemTypes"); err != nil {
		return nil, err
	}
	args := f.ArgumentMap(ex.vars)
	var want []ItemType
	if types, ok := args["itemTypes"].([]any); ok {
		for _, t := range types {
			s, _ := t.(string)
			want = append(want, itemTypeOf(s))
		}
	}
	var items []connItem
	for j, it := range p.Items {
		if want == nil || slices.Contains(want, it.Type) {
			items = append(items, connItem{key: cursorKey{int64(j)}, node: itemObj{p.prData, j}})
		}
	}
	return page("PullRequestTimelineItemsConnection", items, false, args)
}

// itemTypeOf maps an itemTypes enum value to a type name:
// REVIEW_REQUESTED_EVENT → ReviewRequestedEvent.
func itemTypeOf(enum string) ItemType {
	var b strings.Builder
	for _, w := range strings.Split(strings.ToLower(enum), "_") {
		if w != "" {
			b.WriteRune(unicode.ToUpper(rune(w[0])))
			b.WriteString(w[1:])
		}
	}
	return ItemType(b.String())
}

// itemObj is one timeline item; its type is the item's.
type itemObj struct {
	pr    *prData
	index int
}

func (o itemObj) item() *Item      { return &o.pr.Items[o.index] }
func (o itemObj) typeName() string { return string(o.item().Type) }

func (o itemObj) resolve(ex *executor, f *ast.Field) (any, error) {
	it := o.item()
	switch f.Name {
	case "id":
		return it.ID, nil
	case "createdAt":
		return it.At, nil
	case "pullRequest":
		return prObj{o.pr}, nil
	case "actor", "author":
		// The validator allows actor on events and author on reviews.
		return actor(it.Actor), nil
	case "requestedReviewer":
		if it.Reviewer == nil && ex.forbidHidden {
			return nil, forbiddenTeam
		}
		if it.Reviewer != nil && it.Reviewer.Type == "Team" && ex.teamAccess == TeamsForbidden {
			return nil, forbiddenTeam
		}
		return actor(it.Reviewer), nil
	case "state":
		return it.State, nil
	case "submittedAt":
		if it.SubmittedAt.IsZero() {
			return nil, nil
		}
		return it.SubmittedAt, nil
	case "onBehalfOf":
		if err := onlyArgs(f, "first", "after"); err != nil {
			return nil, err
		}
		teams := it.OnBehalfOf
		if ex.teamAccess == TeamsForbidden {
			// Connections leave out what the token cannot see.
			teams = nil
		}
		items := make([]connItem, len(teams))
		for i, slug := range teams {
			items[i] = connItem{key: cursorKey{int64(i)}, node: actorObj{Team(slug)}}
		}
		return page("TeamConnection", items, false, f.ArgumentMap(ex.vars))
	}
	return nil, noField(o, f)
}

// actorObj is a User, Bot, Mannequin, Organization or Team.
type actorObj struct{ *Actor }

func (a actorObj) typeName() string { return a.Type }

func (a actorObj) resolve(_ *executor, f *ast.Field) (any, error) {
	team := a.Type == "Team"
	switch {
	case f.Name == "id":
		return nodeID(initials(a.Type), a.Login), nil
	case f.Name == "login" && !team:
		return a.Login, nil
	case f.Name == "combinedSlug" && team:
		return a.Login, nil
	case f.Name == "slug" && team:
		_, slug, _ := strings.Cut(a.Login, "/")
		return slug, nil
	}
	return nil, noField(a, f)
}

type labelObj string

func (labelObj) typeName() string { return "Label" }

func (l labelObj) resolve(_ *executor, f *ast.Field) (any, error) {
	if f.Name == "name" {
		return string(l), nil
	}
	return nil, noField(l, f)
}

// Connections and cursors.

// cursorKey is an item's position in its connection's ascending order
// (sort value, tie-breaker). A cursor carries it, so that paging resumes
// after the item's position even when the list changed in between, as
// GitHub's cursors do.
type cursorKey [2]int64

func (k cursorKey) compare(o cursorKey) int {
	if c := cmpInt(k[0], o[0]); c != 0 {
		return c
	}
	return cmpInt(k[1], o[1])
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

const cursorPrefix = "cursor:v2:"

func (k cursorKey) String() string {
	return base64.StdEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatInt(k[0], 10) + "," + strconv.FormatInt(k[1], 10)))
}

func parseCursor(s string) (cursorKey, bool) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return cursorKey{}, false
	}
	a, b, ok := strings.Cut(strings.TrimPrefix(string(raw), cursorPrefix), ",")
	x, err1 := strconv.ParseInt(a, 10, 64)
	y, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || !strings.HasPrefix(string(raw), cursorPrefix) || err1 != nil || err2 != nil {
		return cursorKey{}, false
	}
	return cursorKey{x, y}, true
}

type connItem struct {
	key  cursorKey
	node object
}

// connObj is one page of a connection.
type connObj struct {
	typ              string
	items            []connItem
	hasNext, hasPrev bool
	total            int
}

// page cuts the page that first and after select from items, which are
// in the connection's order (descending keys when desc).
func page(typ string, items []connItem, desc bool, args map[string]any) (any, error) {
	first, _ := toInt(args["first"]) // analyze checked it
	start := 0
	if after, ok := args["after"].(string); ok {
		k, ok := parseCursor(after)
		if !ok {
			return nil, &fieldError{"INVALID_CURSOR_ARGUMENTS", fmt.Sprintf("`%s` does not appear to be a valid cursor.", after)}
		}
		start = len(items)
		for i, it := range items {
			if c := k.compare(it.key); (c < 0 && !desc) || (c > 0 && desc) {
				start = i
				break
			}
		}
	}
	end := min(start+int(first), len(items))
	return connObj{typ: typ, items: items[start:end], hasNext: end < len(items), hasPrev: start > 0, total: len(items)}, nil
}

func (c connObj) typeName() string { return c.typ }

func (c connObj) resolve(_ *executor, f *ast.Field) (any, error) {
	switch f.Name {
	case "totalCount":
		return c.total, nil
	case "pageInfo":
		return pageInfo{c}, nil
	case "nodes", "edges":
		out := make([]any, len(c.items))
		for i, it := range c.items {
			if f.Name == "nodes" {
				out[i] = it.node
			} else {
				out[i] = edgeObj{strings.TrimSuffix(c.typ, "Connection") + "Edge", it}
			}
		}
		return out, nil
	}
	return nil, noField(c, f)
}

// pageInfo is the PageInfo of a connection page.
type pageInfo struct{ connObj }

func (pageInfo) typeName() string { return "PageInfo" }

func (p pageInfo) resolve(_ *executor, f *ast.Field) (any, error) {
	cursor := func(i int) any {
		if len(p.items) == 0 {
			return nil
		}
		return p.items[i].key.String()
	}
	switch f.Name {
	case "hasNextPage":
		return p.hasNext, nil
	case "hasPreviousPage":
		return p.hasPrev, nil
	case "startCursor":
		return cursor(0), nil
	case "endCursor":
		return cursor(len(p.items) - 1), nil
	}
	return nil, noField(p, f)
}

type edgeObj struct {
	typ string
	connItem
}

func (e edgeObj) typeName() string { return e.typ }

func (e edgeObj) resolve(_ *executor, f *ast.Field) (any, error) {
	switch f.Name {
	case "cursor":
		return e.key.String(), nil
	case "node":
		return e.node, nil
	}
	return nil, noField(e, f)
}
