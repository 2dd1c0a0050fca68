package graph

import (
	"context"
	"encoding/json"
	"math"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/orgtrail/orgtrail/server/apperr"
)

// Every request has a bounded cost (issue 10, path 7): 300 aliased searches
// in one query once passed a complexity limit that weighed every field 1 and
// ran at once on the shared pool, stalling every tenant. Three bounds now
// hold, all before or around execution, none in a resolver:
//
//   - the cost of an operation (operationCost) is at most MaxCost;
//   - an operation selects at most MaxRootFields root fields, aliases
//     included, so one request cannot multiply even a cheap field;
//   - the root fields of one request run one at a time (rootFieldsAtOnce).
const (
	// MaxCost bounds an operation's cost. The SPA's heaviest request, a
	// 50-event Audit Log page with every column and a search, costs about
	// 5,200; an API client's 200-event page with a search about 8,800; two
	// searches in one request fit only with small pages, three never.
	MaxCost = 10_000
	// MaxRootFields bounds the root fields of one operation. The SPA's
	// largest page (SCIM) asks for six.
	MaxRootFields = 10
	// unpaginatedListSize is what a list without `first` is assumed to hold
	// when its elements are weighed (roles, members, keys of an
	// organization: tens, rarely more).
	unpaginatedListSize = 10
	// rootFieldsAtOnce is how many root fields of one request may run at
	// once. gqlgen resolves a query's root fields concurrently, each on its
	// own pool connection; one at a time, a request holds at most one of
	// the pool's connections (server/database: 20) however many fields it
	// asks for, so the pool serves twenty requests at once instead of one
	// request with twenty fields.
	rootFieldsAtOnce = 1
)

// operationCost is what an operation asks the server to do, in units of
// one field of one object:
//
//   - every field costs 1, plus the weight its schema definition declares
//     with @cost, plus the @cost weight of each argument or input field the
//     caller gives (a search: graph/schema/audit.graphqls);
//   - a field with a `first` argument is a page: its selection is counted
//     `first` times, and the lists of the object it returns (a connection's
//     edges) are that page, not counted again;
//   - any other list of objects is counted unpaginatedListSize times;
//   - introspection costs its shape only: it reads no database.
//
// It also returns the number of root fields, aliases included.
func operationCost(schema *ast.Schema, oc *graphql.OperationContext) (cost, roots int) {
	c := coster{schema: schema, oc: oc}
	root := schema.Query
	if oc.Operation.Operation == ast.Mutation {
		root = schema.Mutation
	}
	if root == nil {
		return 0, 0
	}
	fields := graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{root.Name})
	for _, f := range fields {
		cost = add(cost, c.field(f, false))
	}
	return cost, len(fields)
}

type coster struct {
	schema *ast.Schema
	oc     *graphql.OperationContext
}

// field is the cost of one selected field; inPage is set for the fields of
// the object a page returns.
func (c coster) field(f graphql.CollectedField, inPage bool) int {
	def := f.Definition
	if def == nil {
		return 1
	}
	args := f.ArgumentMap(c.oc.Variables)
	cost := add(1, costWeight(def.Directives))
	for _, a := range def.Arguments {
		cost = add(cost, c.given(a.Type, a.Directives, args[a.Name]))
	}
	if len(f.Selections) == 0 {
		return cost
	}
	typ := def.Type.Name()
	times := 1
	page, paginated := pageSize(def, args)
	switch {
	case paginated:
		times = page
	case def.Type.Elem != nil && !inPage && !strings.HasPrefix(typ, "__"):
		times = unpaginatedListSize
	}
	children := 0
	for _, child := range graphql.CollectFields(c.oc, f.Selections, []string{typ}) {
		children = add(children, c.field(child, paginated))
	}
	return add(cost, mul(times, children))
}

// given is the @cost weight of an argument or input field holding v, and of
// the input fields v gives when it is an input object (or a list of them).
func (c coster) given(t *ast.Type, directives ast.DirectiveList, v any) int {
	if v == nil {
		return 0
	}
	w := costWeight(directives)
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			w = add(w, c.given(t.Elem, nil, e))
		}
	case map[string]any:
		def := c.schema.Types[t.Name()]
		if def == nil || def.Kind != ast.InputObject {
			return w
		}
		for _, fd := range def.Fields {
			w = add(w, c.given(fd.Type, fd.Directives, v[fd.Name]))
		}
	}
	return w
}

// costWeight is the weight a @cost directive in directives declares.
func costWeight(directives ast.DirectiveList) int {
	d := directives.ForName("cost")
	if d == nil {
		return 0
	}
	if a := d.Arguments.ForName("weight"); a != nil {
		v, _ := a.Value.Value(nil)
		if n, ok := intValue(v); ok && n > 0 {
			return n
		}
	}
	return 0
}

// pageSize is the `first` argument of a paginated field (its default when
// not given).
func pageSize(def *ast.FieldDefinition, args map[string]any) (int, bool) {
	a := def.Arguments.ForName("first")
	if a == nil || a.Type.Name() != "Int" {
		return 0, false
	}
	v := args["first"]
	if v == nil && a.DefaultValue != nil {
		v, _ = a.DefaultValue.Value(nil)
	}
	n, _ := intValue(v)
	return max(n, 0), true
}

// intValue reads an Int however it arrived: a literal, or a JSON variable.
func intValue(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int32:
		return int(n), true
	case int64:
		return int(min(max(n, math.MinInt32), math.MaxInt32)), true
	case float64:
		return int(min(max(n, math.MinInt32), math.MaxInt32)), true
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return intValue(i)
		}
		if f, err := n.Float64(); err == nil {
			return intValue(f)
		}
	}
	return 0, false
}

// add and mul saturate, so that no request can overflow its way under the
// limit.
func add(a, b int) int {
	if a > math.MaxInt32-b {
		return math.MaxInt32
	}
	return a + b
}

func mul(a, b int) int {
	if a != 0 && b > math.MaxInt32/a {
		return math.MaxInt32
	}
	return a * b
}

// costLimit is the gqlgen extension that refuses, before anything runs, an
// operation over MaxCost or MaxRootFields.
type costLimit struct {
	schema *ast.Schema
}

var (
	_ graphql.HandlerExtension        = &costLimit{}
	_ graphql.OperationContextMutator = &costLimit{}
)

func (*costLimit) ExtensionName() string { return "CostLimit" }

func (l *costLimit) Validate(es graphql.ExecutableSchema) error {
	l.schema = es.Schema()
	return nil
}

// MutateOperationContext refuses an operation over a limit with
// BAD_USER_INPUT and a message naming the limit.
func (l *costLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	cost, roots := operationCost(l.schema, oc)
	var refusal *apperr.Error
	switch {
	case roots > MaxRootFields:
		refusal = apperr.Invalid("", "the operation selects %d root fields, more than the limit of %d: send fewer fields or aliases per request", roots, MaxRootFields)
	case cost > MaxCost:
		refusal = apperr.Invalid("", "the operation costs %d, more than the limit of %d: ask for smaller pages (first), fewer fields or fewer searches per request", cost, MaxCost)
	default:
		return nil
	}
	return &gqlerror.Error{Message: refusal.Message, Err: refusal}
}

// rootFieldSlotsKey carries a request's slots for running root fields.
type rootFieldSlotsKey struct{}

// withRootFieldSlots gives each operation its own rootFieldsAtOnce slots.
func withRootFieldSlots(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	return next(context.WithValue(ctx, rootFieldSlotsKey{}, make(chan struct{}, rootFieldsAtOnce)))
}

// oneRootFieldAtATime runs a root field once one of its request's slots is
// free, so a request's fields queue behind each other instead of taking a
// pool connection each. A canceled request still waits its turn: the field
// ahead, canceled too, ends at once, and the resolver then reports the
// cancellation where the field's error belongs.
func oneRootFieldAtATime(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	slots, _ := ctx.Value(rootFieldSlotsKey{}).(chan struct{})
	if slots == nil {
		return next(ctx)
	}
	slots <- struct{}{}
	defer func() { <-slots }()
	return next(ctx)
}
