package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestSPAQueryIsTheAuditLogTabsAndValid: the benchmark reads the Audit Log
// tab's page query from frontend/src; what it reads is valid against the
// server's schema and selects the whole row the tab shows.
func TestSPAQueryIsTheAuditLogTabsAndValid(t *testing.T) {
	dir, err := frontendSources()
	if err != nil {
		t.Fatal(err)
	}
	query, err := spaAuditEventsQuery(dir, spaOperation)
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "..", "..", "graph", "schema", "*.graphqls"))
	if err != nil || len(files) == 0 {
		t.Fatalf("schema files: %v %v", files, err)
	}
	var sources []*ast.Source
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, &ast.Source{Name: f, Input: string(b)})
	}
	schema, gerr := gqlparser.LoadSchema(sources...)
	if gerr != nil {
		t.Fatal(gerr)
	}
	if _, errs := gqlparser.LoadQueryWithRules(schema, query, nil); len(errs) > 0 {
		t.Fatalf("the SPA's query is not valid: %v\n%s", errs, query)
	}
	for _, field := range []string{"auditEvents", "actor", "resource", "details", "ipAddress", "userAgent", "requestId", "endCursor"} {
		if !strings.Contains(query, field) {
			t.Errorf("the SPA's query does not select %s:\n%s", field, query)
		}
	}
	if _, err := spaAuditEventsQuery(dir, "NoSuchOperation"); err == nil {
		t.Error("an operation that is not in the sources was found")
	}
}
