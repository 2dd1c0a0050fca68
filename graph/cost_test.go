package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/orgtrail/orgtrail/graph/generated"
	"github.com/orgtrail/orgtrail/server/auth"
	"github.com/orgtrail/orgtrail/server/rbac"
)

func schema() *ast.Schema { return generated.NewExecutableSchema(generated.Config{}).Schema() }

// costOf validates query against the schema and returns its cost and root
// field count with vars.
func costOf(t *testing.T, s *ast.Schema, query string, vars map[string]any) (int, int) {
	t.Helper()
	doc, errs := gqlparser.LoadQueryWithRules(s, query, nil)
	if errs != nil {
		t.Fatalf("%v\n%s", errs, query)
	}
	op := doc.Operations[0]
	coerced, err := validator.VariableValues(s, op, vars)
	if err != nil {
		t.Fatalf("variables: %v", err)
	}
	return operationCost(s, &graphql.OperationContext{Doc: doc, Operation: op, Variables: coerced})
}

// spaDocuments returns every operation the SPA sends, each with the
// fragments it uses, from graphql-codegen's output.
func spaDocuments(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile("../frontend/src/gql/gql.ts")
	if err != nil {
		t.Fatal(err)
	}
	keys := regexp.MustCompile(`(?m)^\s+("(?:[^"\\]|\\.)*"): typeof types\.`).FindAllStringSubmatch(string(raw), -1)
	fragments := map[string]string{}
	var operations []string
	for _, k := range keys {
		text, err := strconv.Unquote(k[1])
		if err != nil {
			t.Fatalf("%v: %s", err, k[1])
		}
		doc, perr := parser.ParseQuery(&ast.Source{Input: text})
		if perr != nil {
			t.Fatalf("%v: %s", perr, text)
		}
		for _, f := range doc.Fragments {
			fragments[f.Name] = text
		}
		if len(doc.Operations) > 0 {
			operations = append(operations, text)
		}
	}
	if len(operations) < 10 {
		t.Fatalf("found %d SPA operations in gql.ts; has its format changed?", len(operations))
	}
	spread := regexp.MustCompile(`\.\.\.\s*([A-Za-z_]\w*)`)
	out := map[string]string{}
	for _, op := range operations {
		text, used := op, map[string]bool{}
		for pending := []string{op}; len(pending) > 0; {
			src := pending[0]
			pending = pending[1:]
			for _, m := range spread.FindAllStringSubmatch(src, -1) {
				if f, ok := fragments[m[1]]; ok && !used[m[1]] {
					used[m[1]] = true
					text += f
					pending = append(pending, f)
				}
			}
		}
		doc, _ := parser.ParseQuery(&ast.Source{Input: op})
		out[doc.Operations[0].Name] = text
	}
	return out
}

// spaBatchSize is the Audit Log tab's page size, read from the SPA.
func spaBatchSize(t *testing.T) int {
	t.Helper()
	raw, err := os.ReadFile("../frontend/src/settings/audit-log/AuditEventBatch.tsx")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`export const batchSize = (\d+)`).FindSubmatch(raw)
	if m == nil {
		t.Fatal("batchSize not found in AuditEventBatch.tsx")
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// heaviestValue is a value of t that costs the most: every input field
// given, lists of one, `first` as the SPA sends it.
func heaviestValue(s *ast.Schema, name string, t *ast.Type, first int) any {
	if t.Elem != nil {
		return []any{heaviestValue(s, name, t.Elem, first)}
	}
	def := s.Types[t.Name()]
	switch {
	case def.Kind == ast.Enum:
		return def.EnumValues[0].Name
	case def.Kind == ast.InputObject:
		m := map[string]any{}
		for _, f := range def.Fields {
			m[f.Name] = heaviestValue(s, f.Name, f.Type, first)
		}
		return m
	}
	switch t.Name() {
	case "Int":
		if name == "first" {
			return first
		}
		return 1
	case "Boolean":
		return true
	case "ID":
		return uuid.NewString()
	case "Time":
		return "2026-01-01T00:00:00Z"
	case "JSON":
		return map[string]any{}
	}
	return "a search term"
}

// TestEverySPARequestIsUnderTheCostLimit: the limits refuse nothing the
// Settings app sends, even with every filter set (a search included) and
// every optional part asked for. (Issue 10, path 7.)
func TestEverySPARequestIsUnderTheCostLimit(t *testing.T) {
	s := schema()
	first := spaBatchSize(t)
	docs := spaDocuments(t)
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		doc, errs := gqlparser.LoadQueryWithRules(s, docs[name], nil)
		if errs != nil {
			t.Fatalf("%s: %v", name, errs)
		}
		vars := map[string]any{}
		for _, v := range doc.Operations[0].VariableDefinitions {
			vars[v.Variable] = heaviestValue(s, v.Variable, v.Type, first)
		}
		cost, roots := costOf(t, s, docs[name], vars)
		t.Logf("%-40s cost %5d, %d root fields", name, cost, roots)
		if cost > MaxCost || roots > MaxRootFields {
			t.Errorf("%s costs %d with %d root fields; the limits are %d and %d", name, cost, roots, MaxCost, MaxRootFields)
		}
	}
}

// auditPage is one page of the audit log with every column.
const auditPage = `auditEvents(filter: $filter, first: $first) {
	edges { cursor node { id occurredAt category action actionLabel
		actor { type id email name } resource { type id name } details ipAddress userAgent requestId } }
	pageInfo { hasNextPage endCursor } }`

func TestCostWeighsPagesSearchesAndLists(t *testing.T) {
	s := schema()
	page := func(first int, search bool) map[string]any {
		filter := map[string]any{"category": "SECRETS"}
		if search {
			filter["search"] = "role"
		}
		return map[string]any{"first": first, "filter": filter}
	}
	query := `query($filter: AuditEventFilter, $first: Int) { ` + auditPage + ` }`
	plain, _ := costOf(t, s, query, page(50, false))
	searched, _ := costOf(t, s, query, page(50, true))
	large, _ := costOf(t, s, query, page(200, true))
	t.Logf("50-event page %d, with a search %d, 200 events with a search %d", plain, searched, large)
	if searched-plain != 4000 {
		t.Errorf("a search adds %d, want its declared weight 4000", searched-plain)
	}
	if plain < 50*20 || plain > 50*30 {
		t.Errorf("a 50-event page with 20 columns costs %d, want 50 × its row", plain)
	}
	if large > MaxCost {
		t.Errorf("the largest page the API allows, with a search, costs %d > %d", large, MaxCost)
	}
	two, _ := costOf(t, s, `query($filter: AuditEventFilter, $first: Int) { a: `+auditPage+` b: `+auditPage+` }`, page(50, true))
	if two <= MaxCost {
		t.Errorf("two searched 50-event pages cost %d, under the limit %d", two, MaxCost)
	}
	// The default page size counts when first is left out.
	def, _ := costOf(t, s, `{ auditEvents { edges { node { id } } } }`, nil)
	if def < 50 {
		t.Errorf("auditEvents without first costs %d, want its default 50 pages counted", def)
	}
	// Unpaginated lists of objects count as unpaginatedListSize elements.
	roles, _ := costOf(t, s, `{ roles { id name } }`, nil)
	if roles != 1+unpaginatedListSize*2 {
		t.Errorf("roles { id name } costs %d, want %d", roles, 1+unpaginatedListSize*2)
	}
	// A first big enough to overflow saturates instead.
	huge, _ := costOf(t, s, query, map[string]any{"first": 2147483647})
	if huge <= MaxCost {
		t.Errorf("first: MaxInt32 costs %d", huge)
	}
	// Introspection is shape only.
	intro, _ := costOf(t, s, `{ __schema { types { name fields { name args { name } } } } }`, nil)
	if intro > 10 {
		t.Errorf("introspection costs %d", intro)
	}
}

// serve runs the real GraphQL handler, with empty services, for a caller
// holding every permission: any resolver that runs panics on a nil
// service, so an answer without an internal error ran none of them.
func serve(t *testing.T, r *Resolver) *httptest.Server {
	t.Helper()
	h := NewHandler(r, slog.New(slog.NewTextHandler(io.Discard, nil)))
	mux := http.NewServeMux()
	p := auth.Principal{OrganizationID: uuid.New(), Permissions: rbac.AllPermissions()}
	mux.Handle("/graphql", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h.ServeHTTP(w, req.WithContext(auth.WithPrincipal(req.Context(), p)))
	}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

type response struct {
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

func post(t *testing.T, srv *httptest.Server, query string) response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out response
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func aliases(n int, field string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: %s", i, field)
	}
	return b.String() + " }"
}

// TestThreeHundredAliasedSearchesAreRefusedBeforeAnyResolverRuns: the
// request that stalled every tenant (issue 10, path 7) is refused with
// BAD_USER_INPUT naming the limit, and no resolver (so no database work)
// runs: the services here are nil and would panic.
func TestThreeHundredAliasedSearchesAreRefusedBeforeAnyResolverRuns(t *testing.T) {
	srv := serve(t, &Resolver{})
	for _, query := range []string{
		aliases(300, `auditEvents(filter: {search: "zzqxv"}, first: 1) { edges { cursor } }`),
		aliases(MaxRootFields+1, `scimBaseUrl`),
		aliases(3, `auditEvents(filter: {search: "zzqxv"}, first: 200) { edges { cursor node { id details } } }`),
	} {
		res := post(t, srv, query)
		if len(res.Errors) != 1 || res.Errors[0].Extensions["code"] != "BAD_USER_INPUT" ||
			!strings.Contains(res.Errors[0].Message, "limit of") {
			t.Fatalf("got %+v, want one BAD_USER_INPUT naming the limit\nquery: %.200s", res.Errors, query)
		}
		if string(res.Data) != "" && string(res.Data) != "null" {
			t.Fatalf("data %s", res.Data)
		}
	}
	// A request within the limits runs (auditCategories needs no service).
	if res := post(t, srv, aliases(MaxRootFields, `auditCategories { category label }`)); len(res.Errors) > 0 {
		t.Fatalf("ordinary request refused: %+v", res.Errors)
	}
}

// TestRootFieldsOfOneRequestRunOneAtATime: gqlgen resolves a query's root
// fields concurrently; the per-request bound makes them queue, so one
// request holds at most one pool connection. (Issue 10, path 7.)
func TestRootFieldsOfOneRequestRunOneAtATime(t *testing.T) {
	h := NewHandler(&Resolver{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var running, most atomic.Int32
	var mu sync.Mutex
	h.AroundRootFields(func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		n := running.Add(1)
		mu.Lock()
		most.Store(max(most.Load(), n))
		mu.Unlock()
		time.Sleep(5 * time.Millisecond) // gives other fields every chance to overlap
		defer running.Add(-1)
		return next(ctx)
	})
	p := auth.Principal{OrganizationID: uuid.New(), Permissions: rbac.AllPermissions()}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h.ServeHTTP(w, req.WithContext(auth.WithPrincipal(req.Context(), p)))
	}))
	defer srv.Close()
	res := post(t, srv, aliases(MaxRootFields, `auditCategories { category }`))
	if len(res.Errors) > 0 {
		t.Fatalf("%+v", res.Errors)
	}
	if most.Load() != rootFieldsAtOnce {
		t.Fatalf("%d root fields of one request ran at once, want %d", most.Load(), rootFieldsAtOnce)
	}
}

// TestEveryRootFieldDeclaresItsAuthorization: every Query and Mutation field
// carries exactly one of @public, @signedIn, @person and @requires; the
// HTTP test in server/app proves what each one answers.
func TestEveryRootFieldDeclaresItsAuthorization(t *testing.T) {
	s := schema()
	for _, root := range []*ast.Definition{s.Query, s.Mutation} {
		for _, f := range root.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if !declaresAuthorization(f) {
				t.Errorf("%s.%s must carry exactly one of @%s", root.Name, f.Name, strings.Join(authorizationDirectives, ", @"))
			}
		}
	}
}

// TestPermissionEnumIsTheCatalog: the schema's Permission enum holds exactly
// the catalog's permissions, AUDIT_LOG_READ for audit_log:read.
func TestPermissionEnumIsTheCatalog(t *testing.T) {
	enum := schema().Types["Permission"]
	var got, want []string
	for _, v := range enum.EnumValues {
		got = append(got, v.Name)
	}
	for _, p := range rbac.Catalog() {
		want = append(want, strings.ToUpper(strings.ReplaceAll(string(p.Permission), ":", "_")))
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("enum Permission is %v, the catalog %v", got, want)
	}
}
