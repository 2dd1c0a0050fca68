package app

import (
	"fmt"
	"strings"
	"testing"

	"github.com/orgtrail/orgtrail/graph"
)

// fullAuditPage is the Audit Log tab's page: every column of every event.
const fullAuditPage = `auditEvents(filter: $filter, first: $first) {
	edges { cursor node { id occurredAt category action actionLabel
		actor { type id email name } resource { type id name } details ipAddress userAgent requestId } }
	pageInfo { hasNextPage endCursor } }`

func aliased(n int, field string) string {
	var b strings.Builder
	if strings.Contains(field, "$") {
		b.WriteString("query($filter: AuditEventFilter, $first: Int)")
	}
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: %s", i, field)
	}
	return b.String() + " }"
}

// TestAliasedSearchesAreRefusedWithTheLimitNamed: 300 aliased searches in
// one query once passed the complexity limit and stalled every tenant
// (issue 10, path 7). Now an operation over a limit is refused as a whole,
// with BAD_USER_INPUT naming the limit and no data: one error, not one per
// field, so no resolver ran and no search reached the database.
func TestAliasedSearchesAreRefusedWithTheLimitNamed(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	search := map[string]any{"filter": map[string]any{"search": "admin"}, "first": 50}

	refused := []struct {
		name, query, limit string
	}{
		{"300 aliased searches", aliased(300, `auditEvents(filter: {search: "admin"}, first: 1) { edges { cursor } }`),
			fmt.Sprintf("limit of %d", graph.MaxRootFields)},
		{"too many root fields", aliased(graph.MaxRootFields+1, `organization { id }`),
			fmt.Sprintf("limit of %d", graph.MaxRootFields)},
		{"two searches of full pages", aliased(2, fullAuditPage), fmt.Sprintf("limit of %d", graph.MaxCost)},
	}
	for _, c := range refused {
		var vars map[string]any
		if strings.Contains(c.query, "$") {
			vars = search
		}
		res := r.do(acme.Key, c.query, vars)
		if len(res.Errors) != 1 || res.code() != "BAD_USER_INPUT" || !strings.Contains(res.Errors[0].Message, c.limit) {
			t.Fatalf("%s: got %+v, want one BAD_USER_INPUT naming the %s", c.name, res.Errors, c.limit)
		}
		if d := string(res.Data); d != "" && d != "null" {
			t.Fatalf("%s: data %s", c.name, d)
		}
	}

	// What the SPA and ordinary clients send passes: a searched page, the
	// largest page the API allows, several cheap fields at once.
	for _, vars := range []map[string]any{search, {"filter": map[string]any{"search": "admin"}, "first": 200}, {"first": 200}} {
		r.ok(acme.Key, aliased(1, fullAuditPage), vars, nil)
	}
	r.ok(acme.Key, `{ organization { id } roles { id name permissions } members { user { email } roles { name } }
		serviceAccounts { id roles { name } apiKeys { prefix } } secrets { id name } connectors { id }
		auditCategories { category actions { action label } } viewer { permissions } permissions { name } }`, nil, nil)
}
