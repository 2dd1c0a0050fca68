package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"
)

// The read measurements send the query the Audit Log tab sends, read from
// the frontend's sources when the benchmark starts, so that the figures
// follow whatever selection the SPA makes: a copy here would drift. The
// light selection (id occurredAt action) is measured beside it, to show what
// the row's other fields cost.

// spaOperation names the SPA's operation that lists audit events, when
// several select auditEvents (BENCH_SPA_OPERATION overrides it).
const spaOperation = "AuditEventBatch"

// graphqlLiteral is a graphql(`...`) document in a TypeScript source.
var graphqlLiteral = regexp.MustCompile("graphql\\(\\s*`([^`]*)`")

// spaAuditEventsQuery returns the document the SPA sends for one page of
// the Audit Log: the operation selecting auditEvents with every fragment it
// spreads, transitively, as printed by gqlparser. dir is frontend/src.
func spaAuditEventsQuery(dir, operation string) (string, error) {
	var docs []*ast.QueryDocument
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "gql" || d.Name() == "test" {
				return filepath.SkipDir // generated code and test helpers
			}
			return nil
		}
		name := d.Name()
		if !(strings.HasSuffix(name, ".ts") || strings.HasSuffix(name, ".tsx")) || strings.Contains(name, ".spec.") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range graphqlLiteral.FindAllSubmatch(src, -1) {
			doc, perr := parser.ParseQuery(&ast.Source{Name: path, Input: string(m[1])})
			if perr != nil {
				return fmt.Errorf("%s: %v", path, perr)
			}
			docs = append(docs, doc)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("read the SPA's GraphQL documents: %w", err)
	}
	fragments := map[string]*ast.FragmentDefinition{}
	var candidates []*ast.OperationDefinition
	for _, doc := range docs {
		for _, f := range doc.Fragments {
			fragments[f.Name] = f
		}
		for _, op := range doc.Operations {
			if op.Operation == ast.Query && selectsField(op.SelectionSet, "auditEvents") {
				candidates = append(candidates, op)
			}
		}
	}
	var op *ast.OperationDefinition
	var names []string
	for _, c := range candidates {
		names = append(names, c.Name)
		if c.Name == operation || len(candidates) == 1 && operation == spaOperation {
			op = c
		}
	}
	if op == nil {
		return "", fmt.Errorf("no query named %q selects auditEvents in %s (found: %s); set BENCH_SPA_OPERATION", operation, dir, strings.Join(names, ", "))
	}
	out := &ast.QueryDocument{Operations: ast.OperationList{op}}
	seen := map[string]bool{}
	var visit func(ast.SelectionSet) error
	visit = func(set ast.SelectionSet) error {
		for _, s := range set {
			switch s := s.(type) {
			case *ast.Field:
				if err := visit(s.SelectionSet); err != nil {
					return err
				}
			case *ast.InlineFragment:
				if err := visit(s.SelectionSet); err != nil {
					return err
				}
			case *ast.FragmentSpread:
				if seen[s.Name] {
					continue
				}
				f, ok := fragments[s.Name]
				if !ok {
					return fmt.Errorf("fragment %s, spread in %s, is not in %s", s.Name, op.Name, dir)
				}
				seen[s.Name] = true
				out.Fragments = append(out.Fragments, f)
				if err := visit(f.SelectionSet); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := visit(op.SelectionSet); err != nil {
		return "", err
	}
	sort.Slice(out.Fragments, func(i, j int) bool { return out.Fragments[i].Name < out.Fragments[j].Name })
	var buf bytes.Buffer
	formatter.NewFormatter(&buf).FormatQueryDocument(out)
	return buf.String(), nil
}

func selectsField(set ast.SelectionSet, name string) bool {
	return slices.ContainsFunc(set, func(s ast.Selection) bool {
		f, ok := s.(*ast.Field)
		return ok && f.Name == name
	})
}

// frontendSources finds frontend/src from the working directory or one of
// its parents (make runs the benchmark from the repository's root).
func frontendSources() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(dir, "frontend", "src")
		if st, err := os.Stat(candidate); err == nil && st.IsDir() {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("frontend/src not found above the working directory: run the benchmark from the repository")
		}
		dir = parent
	}
}

// loadSPAQuery sets spaQueryText from the frontend's sources.
func loadSPAQuery() error {
	dir, err := frontendSources()
	if err != nil {
		return err
	}
	spaQueryText, err = spaAuditEventsQuery(dir, envString("BENCH_SPA_OPERATION", spaOperation))
	if err != nil {
		return err
	}
	progress("the SPA's page query:\n%s", spaQueryText)
	return nil
}
