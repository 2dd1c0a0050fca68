package pgtext

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/orgtrail/orgtrail/server/apperr"
)

// GraphQL is the gqlgen extension applying Check to an operation: its text,
// name and variables before parsing, and its string literals after (the
// language's \u0000 escape hides a NUL from any check of the raw text). A
// refusal is BAD_USER_INPUT, naming the variable or argument at fault.
type GraphQL struct{}

var (
	_ graphql.HandlerExtension          = GraphQL{}
	_ graphql.OperationParameterMutator = GraphQL{}
	_ graphql.OperationContextMutator   = GraphQL{}
)

// ExtensionName implements graphql.HandlerExtension.
func (GraphQL) ExtensionName() string { return "PostgreSQLText" }

// Validate implements graphql.HandlerExtension.
func (GraphQL) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters checks the request before it is parsed.
func (GraphQL) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	if err := Check(p.Query); err != nil {
		return refused("", "the query "+err.Error())
	}
	if err := Check(p.OperationName); err != nil {
		return refused("", "the operation name "+err.Error())
	}
	for name, v := range p.Variables {
		if at, err := checkValueAt(v); err != nil {
			return refused(fieldPath(name, at), "variable $"+safe(name)+" "+err.Error())
		}
	}
	if err := CheckValue(map[string]any(p.Extensions)); err != nil {
		return refused("", "the request's extensions "+err.Error())
	}
	return nil
}

// MutateOperationContext checks the literals of the parsed document.
func (GraphQL) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Doc == nil {
		return nil
	}
	for _, op := range rc.Doc.Operations {
		for _, v := range op.VariableDefinitions {
			if at, err := checkLiteral(v.DefaultValue); err != nil {
				return refused(fieldPath(v.Variable, at), "the default of $"+v.Variable+" "+err.Error())
			}
			if e := checkDirectives(v.Directives); e != nil {
				return e
			}
		}
		if e := checkDirectives(op.Directives); e != nil {
			return e
		}
		if e := checkSelections(op.SelectionSet); e != nil {
			return e
		}
	}
	for _, f := range rc.Doc.Fragments {
		if e := checkDirectives(f.Directives); e != nil {
			return e
		}
		if e := checkSelections(f.SelectionSet); e != nil {
			return e
		}
	}
	return nil
}

func checkSelections(set ast.SelectionSet) *gqlerror.Error {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if e := checkArguments(sel.Name, sel.Arguments); e != nil {
				return e
			}
			if e := checkDirectives(sel.Directives); e != nil {
				return e
			}
			if e := checkSelections(sel.SelectionSet); e != nil {
				return e
			}
		case *ast.InlineFragment:
			if e := checkDirectives(sel.Directives); e != nil {
				return e
			}
			if e := checkSelections(sel.SelectionSet); e != nil {
				return e
			}
		case *ast.FragmentSpread:
			if e := checkDirectives(sel.Directives); e != nil {
				return e
			}
		}
	}
	return nil
}

func checkDirectives(ds ast.DirectiveList) *gqlerror.Error {
	for _, d := range ds {
		if e := checkArguments("@"+d.Name, d.Arguments); e != nil {
			return e
		}
	}
	return nil
}

func checkArguments(owner string, args ast.ArgumentList) *gqlerror.Error {
	for _, a := range args {
		if at, err := checkLiteral(a.Value); err != nil {
			return refused(fieldPath(a.Name, at), "argument "+a.Name+" of "+owner+" "+err.Error())
		}
	}
	return nil
}

// checkLiteral checks a value written in the document (a variable's value
// is checked with the variables), returning the path of input fields to the
// one at fault.
func checkLiteral(v *ast.Value) ([]string, error) {
	if v == nil || v.Kind == ast.Variable {
		return nil, nil
	}
	if err := Check(v.Raw); err != nil {
		return nil, err
	}
	for _, c := range v.Children {
		if err := Check(c.Name); err != nil {
			return nil, err
		}
		if at, err := checkLiteral(c.Value); err != nil {
			if v.Kind == ast.ObjectValue {
				at = append([]string{c.Name}, at...)
			}
			return at, err
		}
	}
	return nil, nil
}

// checkValueAt is CheckValue returning the path of object keys to the
// string at fault.
func checkValueAt(v any) ([]string, error) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if err := Check(k); err != nil {
				return nil, err
			}
			if at, err := checkValueAt(x); err != nil {
				return append([]string{k}, at...), err
			}
		}
	case []any:
		for _, x := range v {
			if at, err := checkValueAt(x); err != nil {
				return at, err
			}
		}
	default:
		return nil, CheckValue(v)
	}
	return nil, nil
}

// fieldPath names the input at fault as the error presenter's field does
// for domain errors: "name" within a mutation's input, "filter.search"
// within another argument.
func fieldPath(arg string, at []string) string {
	if arg == "input" && len(at) > 0 {
		return strings.Join(at, ".")
	}
	return strings.Join(append([]string{arg}, at...), ".")
}

// refused is a BAD_USER_INPUT error; the error presenter adds the code and
// the field from the apperr.Error it wraps.
func refused(field, msg string) *gqlerror.Error {
	if Check(field) != nil {
		field = ""
	}
	return &gqlerror.Error{Message: msg, Err: apperr.Invalid(field, "%s", msg)}
}

// safe keeps a name fit to echo in a message.
func safe(name string) string {
	if Check(name) != nil {
		return "(unprintable)"
	}
	return name
}
