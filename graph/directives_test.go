package graph

import (
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

// TestAFieldWithoutAuthorizationFailsInsteadOfRunning: should a root field
// ever lose its authorization directive, the server answers an internal
// error for it (and logs it) rather than run it unguarded.
func TestAFieldWithoutAuthorizationFailsInsteadOfRunning(t *testing.T) {
	field := schema().Query.Fields.ForName("auditCategories")
	saved := field.Directives
	field.Directives = ast.DirectiveList{}
	defer func() { field.Directives = saved }()

	srv := serve(t, &Resolver{})
	res := post(t, srv, `{ auditCategories { category } }`)
	if len(res.Errors) == 0 || res.Errors[0].Extensions["code"] != "INTERNAL" || res.Errors[0].Message != "internal error" {
		t.Fatalf("got %+v (data %s), want an internal error", res.Errors, res.Data)
	}
	if string(res.Data) != "null" {
		t.Fatalf("data %s, want null: the field ran", res.Data)
	}
}
