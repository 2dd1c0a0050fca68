package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/orgtrail/orgtrail/graph/generated"
	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/auth"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// Authorization is declared once, in the schema: every Query and Mutation
// field carries exactly one of these directives
// (graph/schema/authorization.graphqls), and the implementations below
// answer before the field's resolver runs. Resolvers then take the caller
// from caller(ctx) and check nothing themselves.
var authorizationDirectives = []string{"public", "signedIn", "person", "requires"}

// directives returns the implementations of the authorization directives.
func directives() generated.DirectiveRoot {
	return generated.DirectiveRoot{
		Public: func(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
			return next(ctx)
		},
		SignedIn: func(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
			if err := authorize(ctx, nil, false); err != nil {
				return nil, err
			}
			return next(ctx)
		},
		Person: func(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
			if err := authorize(ctx, nil, true); err != nil {
				return nil, err
			}
			return next(ctx)
		},
		Requires: func(ctx context.Context, _ any, next graphql.Resolver, permissions []rbac.Permission, person bool) (any, error) {
			if err := authorize(ctx, permissions, person); err != nil {
				return nil, err
			}
			return next(ctx)
		},
	}
}

// errNotAPerson answers a key calling a field only people may call.
var errNotAPerson = apperr.Forbiddenf("this needs a signed-in person, not an API key")

// authorize admits an authenticated caller holding every one of permissions
// (auth.Require's answers: UNAUTHENTICATED, then FORBIDDEN naming the first
// permission missing) and, when person is set, only a signed-in person.
func authorize(ctx context.Context, permissions []rbac.Permission, person bool) error {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return apperr.ErrUnauthenticated
	}
	for _, perm := range permissions {
		if _, err := auth.Require(ctx, perm); err != nil {
			return err
		}
	}
	if person && p.UserID == uuid.Nil {
		return errNotAPerson
	}
	return nil
}

// caller returns the principal a field's directive admitted. Only @public
// fields run without one; such a resolver calling caller is a bug, which
// the recover function reports as an internal error.
func caller(ctx context.Context) auth.Principal {
	p, ok := auth.FromContext(ctx)
	if !ok {
		panic("graph: caller() in a field no directive admitted a caller to")
	}
	return p
}

// declaresAuthorization reports whether a root field carries exactly one
// authorization directive.
func declaresAuthorization(def *ast.FieldDefinition) bool {
	n := 0
	for _, name := range authorizationDirectives {
		if def.Directives.ForName(name) != nil {
			n++
		}
	}
	return n == 1
}

// undeclaredFieldsRefused is the net under the directives: a root field
// added without an authorization directive fails (as an internal error,
// logged) instead of running unguarded. Introspection is left alone.
func undeclaredFieldsRefused(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	rc := graphql.GetRootFieldContext(ctx)
	if rc == nil || rc.Field.Definition == nil || strings.HasPrefix(rc.Field.Name, "__") {
		return next(ctx)
	}
	if !declaresAuthorization(rc.Field.Definition) {
		// The error belongs to the field: a field context of its own gives
		// it its path (this middleware runs outside the field's).
		fc := &graphql.FieldContext{Parent: graphql.GetFieldContext(ctx), Object: rc.Field.ObjectDefinition.Name,
			Field: rc.Field, Args: map[string]any{}}
		graphql.AddError(graphql.WithFieldContext(ctx, fc),
			fmt.Errorf("graph: root field %s declares no single authorization directive", rc.Field.Name))
		return graphql.Null
	}
	return next(ctx)
}
