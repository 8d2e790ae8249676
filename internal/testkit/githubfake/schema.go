package githubfake

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// SchemaFile is the path of GitHub's schema relative to the module root.
const SchemaFile = "testdata/github-schema.graphql"

// SchemaPath finds SchemaFile by walking up from the working directory to
// the directory holding go.mod. It fails when no go.mod is found or the
// schema is missing there.
func SchemaPath() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find %s: %w", SchemaFile, err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, filepath.FromSlash(SchemaFile))
			if _, err := os.Stat(p); err != nil {
				return "", fmt.Errorf("find %s: %w", SchemaFile, err)
			}
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("find %s: no go.mod above the working directory", SchemaFile)
		}
		dir = parent
	}
}

// schemaCache holds parsed schemas by path: parsing GitHub's 1.2 MB schema
// takes tens of milliseconds, and every test server needs it. Loaded
// schemas are never modified.
var schemaCache sync.Map // path → *schemaEntry

type schemaEntry struct {
	once   sync.Once
	schema *ast.Schema
	err    error
}

// LoadSchema parses and validates the GraphQL schema (SDL) at path, or at
// SchemaPath() when path is "". The result is cached and shared: do not
// modify it.
//
// GitHub's published schema defines a few fields twice (see
// testdata/README.md); the second definition of a field is dropped so that
// a strict parser accepts the file.
func LoadSchema(path string) (*ast.Schema, error) {
	if path == "" {
		p, err := SchemaPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	e, _ := schemaCache.LoadOrStore(path, &schemaEntry{})
	entry := e.(*schemaEntry)
	entry.once.Do(func() {
		entry.schema, entry.err = loadSchema(path)
	})
	return entry.schema, entry.err
}

func loadSchema(path string) (*ast.Schema, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load schema: %w", err)
	}
	doc, err := parser.ParseSchemas(validator.Prelude, &ast.Source{Name: filepath.Base(path), Input: string(src)})
	if err != nil {
		return nil, fmt.Errorf("parse schema %s: %w", path, err)
	}
	for _, list := range []ast.DefinitionList{doc.Definitions, doc.Extensions} {
		for _, def := range list {
			def.Fields = dedupeFields(def.Fields)
		}
	}
	schema, err := validator.ValidateSchemaDocument(doc)
	if err != nil {
		return nil, fmt.Errorf("validate schema %s: %w", path, err)
	}
	return schema, nil
}

// dedupeFields drops every field whose name an earlier field already has.
func dedupeFields(fields ast.FieldList) ast.FieldList {
	seen := make(map[string]bool, len(fields))
	out := fields[:0]
	for _, f := range fields {
		if !seen[f.Name] {
			seen[f.Name] = true
			out = append(out, f)
		}
	}
	return out
}

// ValidateQuery parses query and validates it against schema with the
// standard GraphQL validation rules, as GitHub does before running a query.
// It returns the parsed document, or every error found.
func ValidateQuery(schema *ast.Schema, query string) (*ast.QueryDocument, gqlerror.List) {
	doc, err := parser.ParseQuery(&ast.Source{Name: "query", Input: query})
	if err != nil {
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) {
			return nil, gqlerror.List{gqlErr}
		}
		return nil, gqlerror.List{gqlerror.Wrap(err)}
	}
	if errs := validator.ValidateWithRules(schema, doc, rules.NewDefaultRules()); len(errs) > 0 {
		return nil, errs
	}
	return doc, nil
}
