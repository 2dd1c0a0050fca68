package app

import (
	"strings"
	"testing"
)

// TestAuditSearchRulesAreTheOnesEnforced checks that auditSearchRules tells
// exactly where the search starts to accept a term, so the Audit Log can hold
// back a term the server would refuse instead of replacing its results with
// an error (issue 16, item 9).
func TestAuditSearchRulesAreTheOnesEnforced(t *testing.T) {
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	var rules struct {
		AuditSearchRules struct{ MinLettersInARow, MaxLength int }
	}
	r.ok(acme.Key, `{ auditSearchRules { minLettersInARow maxLength } }`, nil, &rules)
	n, max := rules.AuditSearchRules.MinLettersInARow, rules.AuditSearchRules.MaxLength
	if n < 1 || max < n {
		t.Fatalf("rules %+v", rules.AuditSearchRules)
	}
	search := func(term string) map[string]any {
		return map[string]any{"filter": map[string]any{"search": term}}
	}

	short := strings.Repeat("a", n-1) + " " + strings.Repeat("b", n-1)
	res := r.fails("BAD_USER_INPUT", acme.Key, auditEventsQuery, search(short))
	if res.Errors[0].Extensions["field"] != "filter.search" {
		t.Errorf("a short term's error names %v", res.Errors[0].Extensions["field"])
	}
	r.ok(acme.Key, auditEventsQuery, search("a "+strings.Repeat("b", n)), nil)
	r.ok(acme.Key, auditEventsQuery, search(strings.Repeat("c", max)), nil)
	r.fails("BAD_USER_INPUT", acme.Key, auditEventsQuery, search(strings.Repeat("c", max+1)))
}
