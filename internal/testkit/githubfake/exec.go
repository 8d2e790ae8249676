package githubfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
)

// This file executes validated queries generically: it walks the query's
// AST (fields, aliases, fragments, @skip/@include) and asks an object
// (resolve.go) for each field's value, completing it by the schema's type.
// Before execution, analyze applies GitHub's pagination rules and computes
// the query's cost.

// object is a value of a GraphQL object type.
type object interface {
	typeName() string
	// resolve returns the value of field f: nil, a scalar (string, bool,
	// int, time.Time), an object, or a []any of those. It returns a
	// *fieldError for an error GitHub would report, and an
	// *unsupportedError for what the fake does not model.
	resolve(ex *executor, f *ast.Field) (any, error)
}

// fieldError is an error GitHub reports for one field, such as NOT_FOUND.
type fieldError struct{ typ, msg string }

func (e *fieldError) Error() string { return e.msg }

// unsupportedError is a field or argument the fake does not model. It
// fails the test: the client must not rely on what the fake fakes wrong.
type unsupportedError struct{ what string }

func (e *unsupportedError) Error() string {
	return "githubfake does not support " + e.what + " (extend internal/githubfake)"
}

func unsupported(format string, args ...any) error {
	return &unsupportedError{what: fmt.Sprintf(format, args...)}
}

// respError is one entry of a response's errors array, shaped as GitHub's.
type respError struct {
	Type      string     `json:"type,omitempty"`
	Code      string     `json:"code,omitempty"`
	Path      []any      `json:"path,omitempty"`
	Locations []location `json:"locations,omitempty"`
	Message   string     `json:"message"`
}

type location struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

func locationOf(p *ast.Position) []location {
	if p == nil {
		return nil
	}
	return []location{{Line: p.Line, Column: p.Column}}
}

// orderedMap is a JSON object that keeps the query's field order.
type orderedMap struct {
	keys []string
	vals []any
}

func (m *orderedMap) add(k string, v any) { m.keys = append(m.keys, k); m.vals = append(m.vals, v) }

func (m *orderedMap) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	err := encode(&b, m)
	return b.Bytes(), err
}

// encode writes v as JSON, walking maps and lists itself so that nested
// orderedMaps are not marshalled (and re-validated) once per level.
func encode(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case *orderedMap:
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encode(b, k); err != nil {
				return err
			}
			b.WriteByte(':')
			if err := encode(b, v.vals[i]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, el := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encode(b, el); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	default:
		j, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b.Write(j)
	}
	return nil
}

// executor runs one operation.
type executor struct {
	m      *model
	schema *ast.Schema
	doc    *ast.QueryDocument
	vars   map[string]any
	rate   rateLimitObj
	// forbidHidden reports hidden reviewers with a FORBIDDEN error.
	forbidHidden bool
	// teamAccess is what the token may see of teams.
	teamAccess TeamAccess
	// git holds the repositories' contents that mutations change, and
	// writes records each createCommitOnBranch.
	git    map[string]*gitRepo
	writes *[]Write

	path        []any // of the field being resolved
	errs        []respError
	unsupported []string

	// Cost analysis.
	requests, nodes int64
}

func (ex *executor) addError(err error, f *ast.Field, path []any) {
	e := respError{Path: path, Locations: locationOf(f.Position), Message: err.Error()}
	switch err := err.(type) {
	case *fieldError:
		e.Type = err.typ
	case *unsupportedError:
		e.Type = "GITHUBFAKE_UNSUPPORTED"
		ex.unsupported = append(ex.unsupported, err.what)
	}
	ex.errs = append(ex.errs, e)
}

// included applies @skip and @include.
func (ex *executor) included(dirs ast.DirectiveList) bool {
	for _, d := range dirs {
		arg := d.Arguments.ForName("if")
		if arg == nil {
			continue
		}
		v, _ := arg.Value.Value(ex.vars)
		if (d.Name == "skip" && v == true) || (d.Name == "include" && v == false) {
			return false
		}
	}
	return true
}

// applies reports whether a fragment on typeCondition applies to an object
// of type typeName.
func (ex *executor) applies(typeCondition, typeName string) bool {
	if typeCondition == "" || typeCondition == typeName {
		return true
	}
	return slices.ContainsFunc(ex.schema.PossibleTypes[typeCondition], func(d *ast.Definition) bool {
		return d.Name == typeName
	})
}

type fieldGroup struct {
	key    string
	fields []*ast.Field
}

// collect gathers the fields of set that apply to an object of type
// typeName, grouped by response key (GraphQL's CollectFields).
func (ex *executor) collect(typeName string, set ast.SelectionSet, groups []fieldGroup, visited map[string]bool) []fieldGroup {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if !ex.included(sel.Directives) {
				continue
			}
			i := slices.IndexFunc(groups, func(g fieldGroup) bool { return g.key == sel.Alias })
			if i < 0 {
				groups = append(groups, fieldGroup{key: sel.Alias})
				i = len(groups) - 1
			}
			groups[i].fields = append(groups[i].fields, sel)
		case *ast.InlineFragment:
			if ex.included(sel.Directives) && ex.applies(sel.TypeCondition, typeName) {
				groups = ex.collect(typeName, sel.SelectionSet, groups, visited)
			}
		case *ast.FragmentSpread:
			if !ex.included(sel.Directives) || visited[sel.Name] {
				continue
			}
			visited[sel.Name] = true
			if frag := ex.doc.Fragments.ForName(sel.Name); frag != nil && ex.applies(frag.TypeCondition, typeName) {
				groups = ex.collect(typeName, frag.SelectionSet, groups, visited)
			}
		}
	}
	return groups
}

// selectObject resolves the fields of set on obj. It returns false when a
// non-null field is null, which makes obj itself null.
func (ex *executor) selectObject(obj object, set ast.SelectionSet, path []any) (*orderedMap, bool) {
	out := &orderedMap{}
	for _, g := range ex.collect(obj.typeName(), set, nil, map[string]bool{}) {
		f := g.fields[0]
		fpath := append(slices.Clone(path), any(g.key))
		if f.Name == "__typename" {
			out.add(g.key, obj.typeName())
			continue
		}
		if f.Definition == nil {
			ex.addError(unsupported("field %s.%s without definition", obj.typeName(), f.Name), f, fpath)
			return nil, false
		}
		ex.path = fpath
		v, err := obj.resolve(ex, f)
		if err != nil {
			ex.addError(err, f, fpath)
			v = nil
		}
		var sub ast.SelectionSet
		for _, ff := range g.fields {
			sub = append(sub, ff.SelectionSet...)
		}
		cv, ok := ex.complete(f.Definition.Type, v, err != nil, sub, fpath, f)
		if !ok {
			return nil, false
		}
		out.add(g.key, cv)
	}
	return out, true
}

// complete turns a resolved value into JSON by the field's type.
func (ex *executor) complete(t *ast.Type, v any, errored bool, sub ast.SelectionSet, path []any, f *ast.Field) (any, bool) {
	if v == nil {
		if t.NonNull && !errored {
			ex.errs = append(ex.errs, respError{Path: path, Locations: locationOf(f.Position),
				Message: fmt.Sprintf("Cannot return null for non-nullable field %s.%s", f.ObjectDefinition.Name, f.Name)})
		}
		return nil, !t.NonNull
	}
	if t.Elem != nil {
		list, ok := v.([]any)
		if !ok {
			panic(fmt.Sprintf("githubfake: %s resolved to %T, not a list", f.Name, v))
		}
		out := make([]any, len(list))
		for i, el := range list {
			cv, ok := ex.complete(t.Elem, el, false, sub, append(slices.Clone(path), i), f)
			if !ok {
				return nil, !t.NonNull
			}
			out[i] = cv
		}
		return out, true
	}
	switch v := v.(type) {
	case object:
		m, ok := ex.selectObject(v, sub, path)
		if !ok {
			return nil, !t.NonNull
		}
		return m, true
	case time.Time:
		return v.UTC().Format(time.RFC3339), true
	default:
		return v, true
	}
}

// Cost and pagination limits, from
// https://docs.github.com/en/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api
const (
	maxPageSize = 100
	maxNodes    = 500_000
)

// analyze walks the operation as GitHub does before running it: every
// connection needs first or last within 1..100; it counts the requests
// needed to fill each connection (the product of the page sizes of the
// connections above it) and the nodes requested. Fragments are counted
// whatever type they apply to, as the analysis cannot know the types.
func (ex *executor) analyze(set ast.SelectionSet, mult int64, path []any) {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if !ex.included(sel.Directives) {
				continue
			}
			fpath := append(slices.Clone(path), any(sel.Alias))
			m := mult
			if isConnection(sel.Definition) {
				n, ok := ex.pageSize(sel, fpath)
				if !ok {
					continue
				}
				ex.requests += mult
				m = mult * n
				before := ex.nodes
				ex.nodes += m
				if before <= maxNodes && ex.nodes > maxNodes {
					ex.errs = append(ex.errs, respError{Type: "MAX_NODE_LIMIT_EXCEEDED", Path: fpath, Locations: locationOf(sel.Position),
						Message: fmt.Sprintf("By the time this query traverses to the %s connection, it is requesting up to %s possible nodes which exceeds the maximum limit of 500,000.", sel.Name, thousands(ex.nodes))})
				}
			}
			ex.analyze(sel.SelectionSet, m, fpath)
		case *ast.InlineFragment:
			if ex.included(sel.Directives) {
				ex.analyze(sel.SelectionSet, mult, path)
			}
		case *ast.FragmentSpread:
			if frag := ex.doc.Fragments.ForName(sel.Name); frag != nil && ex.included(sel.Directives) {
				ex.analyze(frag.SelectionSet, mult, path)
			}
		}
	}
}

// isConnection reports whether a field is a paginated connection.
func isConnection(def *ast.FieldDefinition) bool {
	return def != nil && strings.HasSuffix(def.Type.Name(), "Connection") && def.Arguments.ForName("first") != nil
}

// pageSize checks a connection's first/last and returns the page size.
func (ex *executor) pageSize(f *ast.Field, path []any) (int64, bool) {
	args := f.ArgumentMap(ex.vars)
	name, n, ok := "first", int64(0), false
	if n, ok = toInt(args["first"]); !ok {
		name = "last"
		n, ok = toInt(args["last"])
	}
	fail := func(typ, msg string) (int64, bool) {
		ex.errs = append(ex.errs, respError{Type: typ, Path: path, Locations: locationOf(f.Position), Message: msg})
		return 0, false
	}
	switch {
	case !ok:
		return fail("MISSING_PAGINATION_BOUNDARIES",
			fmt.Sprintf("You must provide a `first` or `last` value to properly paginate the `%s` connection.", f.Name))
	case n > maxPageSize:
		return fail("EXCESSIVE_PAGINATION",
			fmt.Sprintf("Requesting %d records on the `%s` connection exceeds the `%s` limit of %d records.", n, f.Name, name, maxPageSize))
	case n < 1:
		return fail("EXCESSIVE_PAGINATION",
			fmt.Sprintf("Requesting %d records on the `%s` connection is below the `%s` minimum of 1 record.", n, f.Name, name))
	}
	return n, true
}

// cost is GitHub's point cost: requests / 100, rounded, at least 1.
func cost(requests int64) int {
	return max(1, int(math.Round(float64(requests)/100)))
}

func toInt(v any) (int64, bool) {
	switch v := v.(type) {
	case int64:
		return v, true
	case int:
		return int64(v), true
	case float64:
		return int64(v), true
	case json.Number:
		n, err := v.Int64()
		return n, err == nil
	}
	return 0, false
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
