package scim

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/scim/scimfilter"
)

// column is something a filter compares, as SQL.
type column struct {
	sql       string
	kind      attrType // typeString, typeBoolean or typeDateTime
	caseExact bool
	isUUID    bool // a uuid column: eq uses the index, other operators compare text
}

// multiSource is a multi-valued attribute as SQL: EXISTS over its values.
type multiSource struct {
	// exists is "EXISTS (SELECT 1 FROM ... WHERE ... AND %s)"; %s is the
	// condition on one value.
	exists string
	// sub returns the column of a sub-attribute of one value.
	sub func(name string) (column, bool)
}

// sqlMapping says where a resource type's attributes live in SQL.
type sqlMapping struct {
	rt *resourceType
	// column returns the column of a single-valued attribute (sub "" for
	// simple ones, else the sub-attribute of a complex one). ok false means
	// the attribute cannot be filtered on.
	column func(ref attrRef, sub string) (column, bool)
	// multi returns the SQL of a multi-valued attribute.
	multi func(ref attrRef) (multiSource, bool)
	// present is the SQL of "attr pr" for a complex single-valued attribute.
	present func(ref attrRef) (string, bool)
}

// where translates a filter into an SQL condition with ? placeholders.
func (m sqlMapping) where(e scimfilter.Expr) (string, []any, error) {
	b := &sqlBuilder{m: m}
	sql, err := b.expr(e)
	return sql, b.args, err
}

type sqlBuilder struct {
	m    sqlMapping
	args []any
}

func (b *sqlBuilder) expr(e scimfilter.Expr) (string, error) {
	switch n := e.(type) {
	case *scimfilter.And:
		return b.binary(n.Left, n.Right, "AND")
	case *scimfilter.Or:
		return b.binary(n.Left, n.Right, "OR")
	case *scimfilter.Not:
		x, err := b.expr(n.X)
		if err != nil {
			return "", err
		}
		return "(NOT COALESCE(" + x + ", false))", nil
	case *scimfilter.Compare:
		return b.compare(n)
	case *scimfilter.ValuePath:
		ref, ok := b.m.rt.resolve(n.Attr.URN, n.Attr.Name)
		if !ok || n.Attr.Sub != "" || ref.Attr == nil || !ref.Attr.MultiValued {
			return "", badRequest(typeInvalidFilter, "%s is not a multi-valued attribute", n.Attr)
		}
		src, ok := b.m.multi(ref)
		if !ok {
			return "", badRequest(typeInvalidFilter, "%s cannot be filtered on", n.Attr)
		}
		inner, err := b.element(src, ref.Attr, n.Filter)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf(src.exists, inner), nil
	}
	return "", badRequest(typeInvalidFilter, "unsupported filter")
}

func (b *sqlBuilder) binary(l, r scimfilter.Expr, op string) (string, error) {
	left, err := b.expr(l)
	if err != nil {
		return "", err
	}
	right, err := b.expr(r)
	if err != nil {
		return "", err
	}
	return "(" + left + " " + op + " " + right + ")", nil
}

// element translates a value filter over the values of a multi-valued attribute.
func (b *sqlBuilder) element(src multiSource, a *attribute, e scimfilter.Expr) (string, error) {
	switch n := e.(type) {
	case *scimfilter.And:
		l, err := b.element(src, a, n.Left)
		if err != nil {
			return "", err
		}
		r, err := b.element(src, a, n.Right)
		if err != nil {
			return "", err
		}
		return "(" + l + " AND " + r + ")", nil
	case *scimfilter.Or:
		l, err := b.element(src, a, n.Left)
		if err != nil {
			return "", err
		}
		r, err := b.element(src, a, n.Right)
		if err != nil {
			return "", err
		}
		return "(" + l + " OR " + r + ")", nil
	case *scimfilter.Not:
		x, err := b.element(src, a, n.X)
		if err != nil {
			return "", err
		}
		return "(NOT COALESCE(" + x + ", false))", nil
	case *scimfilter.Compare:
		if n.Attr.URN != "" || n.Attr.Sub != "" {
			return "", badRequest(typeInvalidFilter, "%s is not a sub-attribute of %s", n.Attr, a.Name)
		}
		sub := a.sub(n.Attr.Name)
		if sub == nil {
			return "", badRequest(typeInvalidFilter, "%s is not a sub-attribute of %s", n.Attr.Name, a.Name)
		}
		col, ok := src.sub(sub.Name)
		if !ok {
			return "", badRequest(typeInvalidFilter, "%s.%s cannot be filtered on", a.Name, sub.Name)
		}
		return b.leaf(col, n)
	}
	return "", badRequest(typeInvalidFilter, "value filters cannot be nested")
}

func (b *sqlBuilder) compare(c *scimfilter.Compare) (string, error) {
	ref, ok := b.m.rt.resolve(c.Attr.URN, c.Attr.Name)
	if !ok {
		return "", badRequest(typeInvalidFilter, "%s is not an attribute of %s", c.Attr, b.m.rt.Name)
	}
	if ref.Attr == nil {
		return "", badRequest(typeInvalidFilter, "%s is an extension, not an attribute", c.Attr)
	}
	a := ref.Attr
	if a.Returned == returnedNever {
		return "", badRequest(typeInvalidFilter, "%s cannot be filtered on", a.Name)
	}
	if a.MultiValued {
		src, ok := b.m.multi(ref)
		if !ok {
			return "", badRequest(typeInvalidFilter, "%s cannot be filtered on", a.Name)
		}
		subName := c.Attr.Sub
		if subName == "" {
			if c.Op == scimfilter.Pr {
				return fmt.Sprintf(src.exists, "true"), nil
			}
			subName = "value" // "emails co x" compares the values' value
		}
		inner := &scimfilter.Compare{Attr: scimfilter.AttrPath{Name: subName}, Op: c.Op, Value: c.Value}
		cond, err := b.element(src, a, inner)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf(src.exists, cond), nil
	}
	sub := ""
	if c.Attr.Sub != "" {
		s := a.sub(c.Attr.Sub)
		if s == nil {
			return "", badRequest(typeInvalidFilter, "%s is not an attribute of %s", c.Attr, b.m.rt.Name)
		}
		sub = s.Name
	} else if a.Type == typeComplex {
		if c.Op != scimfilter.Pr {
			return "", badRequest(typeInvalidFilter, "%s is complex: compare one of its sub-attributes", a.Name)
		}
		sql, ok := b.m.present(ref)
		if !ok {
			return "", badRequest(typeInvalidFilter, "%s cannot be filtered on", a.Name)
		}
		return sql, nil
	}
	col, ok := b.m.column(ref, sub)
	if !ok {
		return "", badRequest(typeInvalidFilter, "%s cannot be filtered on", c.Attr)
	}
	return b.leaf(col, c)
}

func (b *sqlBuilder) arg(v any) string {
	b.args = append(b.args, v)
	return "?"
}

// leaf translates one comparison. Its result may be NULL when the attribute
// is unassigned; NOT wraps its operand in COALESCE(…, false), so that
// unassigned compares as false everywhere, and plain comparisons stay bare
// so that indexes (lower(user_name), external_id) serve them.
func (b *sqlBuilder) leaf(col column, c *scimfilter.Compare) (string, error) {
	present := col.sql + " IS NOT NULL"
	if col.kind == typeString && !col.isUUID {
		present = "(" + col.sql + " IS NOT NULL AND " + col.sql + " <> '')"
	}
	if c.Op == scimfilter.Pr {
		return present, nil
	}
	if c.Value == nil { // eq null: unassigned
		switch c.Op {
		case scimfilter.Eq:
			return "NOT " + present, nil
		case scimfilter.Ne:
			return present, nil
		}
		return "", badRequest(typeInvalidFilter, "null can only be compared with eq or ne")
	}
	switch col.kind {
	case typeBoolean:
		v, err := parseBool(c.Value, c.Attr.String())
		if err != nil {
			return "", badRequest(typeInvalidFilter, "%s is compared with true or false", c.Attr)
		}
		switch c.Op {
		case scimfilter.Eq:
			return col.sql + " = " + b.arg(v), nil
		case scimfilter.Ne:
			return col.sql + " <> " + b.arg(v), nil
		}
		return "", badRequest(typeInvalidFilter, "%s is a boolean: only eq, ne and pr apply", c.Attr)
	case typeDateTime:
		s, ok := c.Value.(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if !ok || err != nil {
			return "", badRequest(typeInvalidFilter, "%s is compared with an RFC 3339 date-time", c.Attr)
		}
		op, ok := orderingOps[c.Op]
		if !ok {
			return "", badRequest(typeInvalidFilter, "%s is a date-time: co, sw and ew do not apply", c.Attr)
		}
		return col.sql + " " + op + " " + b.arg(t.UTC()), nil
	}
	s, ok := c.Value.(string)
	if !ok {
		if n, isNum := c.Value.(json.Number); isNum {
			s = n.String()
		} else {
			return "", badRequest(typeInvalidFilter, "%s is a string: compare it with a string", c.Attr)
		}
	}
	if col.isUUID && (c.Op == scimfilter.Eq || c.Op == scimfilter.Ne) {
		id, err := uuid.Parse(s)
		if err != nil {
			if c.Op == scimfilter.Eq {
				return "false", nil // no id looks like that
			}
			return col.sql + " IS NOT NULL", nil
		}
		if c.Op == scimfilter.Eq {
			return col.sql + " = " + b.arg(id), nil
		}
		return col.sql + " <> " + b.arg(id), nil
	}
	lhs, rhs := col.sql, "?"
	if col.isUUID {
		lhs = col.sql + "::text"
	}
	if !col.caseExact || col.isUUID {
		lhs, rhs = "lower("+lhs+")", "lower(?)"
	}
	switch c.Op {
	case scimfilter.Eq:
		b.args = append(b.args, s)
		return lhs + " = " + rhs, nil
	case scimfilter.Ne:
		b.args = append(b.args, s)
		return "NOT COALESCE(" + lhs + " = " + rhs + ", false)", nil
	case scimfilter.Co, scimfilter.Sw, scimfilter.Ew:
		pattern := escapeLike(s)
		switch c.Op {
		case scimfilter.Co:
			pattern = "%" + pattern + "%"
		case scimfilter.Sw:
			pattern += "%"
		case scimfilter.Ew:
			pattern = "%" + pattern
		}
		b.args = append(b.args, pattern)
		return lhs + " LIKE " + rhs + ` ESCAPE '\'`, nil
	}
	op, ok := orderingOps[c.Op]
	if !ok {
		return "", badRequest(typeInvalidFilter, "unknown operator %q", c.Op)
	}
	b.args = append(b.args, s)
	return lhs + " " + op + " " + rhs, nil
}

var orderingOps = map[scimfilter.Operator]string{
	scimfilter.Eq: "=", scimfilter.Ne: "<>", scimfilter.Gt: ">", scimfilter.Ge: ">=", scimfilter.Lt: "<", scimfilter.Le: "<=",
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// jsonText is the SQL of a string inside a JSON column: base->'k1'->>'k2'.
// Keys come from the schema, never from a client.
func jsonText(base string, keys ...string) string {
	s := base
	for i, k := range keys {
		if i == len(keys)-1 {
			s += "->>'" + k + "'"
		} else {
			s += "->'" + k + "'"
		}
	}
	return s
}

func jsonBool(base string, keys ...string) string {
	s := base
	for _, k := range keys {
		s += "->'" + k + "'"
	}
	return "(" + s + " = 'true'::jsonb)"
}

// elementColumn is the column of a sub-attribute of one value "e.v" of a
// multi-valued attribute held in JSON.
func elementColumn(a *attribute) func(string) (column, bool) {
	return func(name string) (column, bool) {
		sub := a.sub(name)
		if sub == nil {
			return column{}, false
		}
		if sub.Type == typeBoolean {
			return column{sql: "COALESCE(" + jsonBool("e.v", sub.Name) + ", false)", kind: typeBoolean}, true
		}
		return column{sql: jsonText("e.v", sub.Name), kind: typeString, caseExact: sub.CaseExact}, true
	}
}

// userSQL maps User attributes to "su" (scim_users), "m" (memberships).
var userSQL = sqlMapping{
	rt: userResource,
	column: func(ref attrRef, sub string) (column, bool) {
		a := ref.Attr
		if ref.Ext != nil {
			if sub != "" {
				return column{sql: jsonText("su.attributes", ref.Ext.ID, a.Name, sub), kind: typeString}, true
			}
			return column{sql: jsonText("su.attributes", ref.Ext.ID, a.Name), kind: typeString}, true
		}
		switch a {
		case idAttr:
			return column{sql: "su.id", kind: typeString, isUUID: true}, true
		case externalIDAttr:
			return column{sql: "su.external_id", kind: typeString, caseExact: true}, true
		case userSchema.attr("userName"):
			return column{sql: "su.user_name", kind: typeString}, true
		case userSchema.attr("active"):
			return column{sql: "(m.status = 'ACTIVE')", kind: typeBoolean}, true
		case metaAttr:
			return metaColumn("su", "User", sub)
		}
		if a.Type == typeComplex {
			s := a.sub(sub)
			if s == nil || s.Mutability == readOnly {
				return column{}, false
			}
			return column{sql: jsonText("su.attributes", a.Name, s.Name), kind: typeString, caseExact: s.CaseExact}, true
		}
		if a.Type == typeBoolean || a.Returned == returnedNever {
			return column{}, false
		}
		return column{sql: jsonText("su.attributes", a.Name), kind: typeString, caseExact: a.CaseExact}, true
	},
	multi: func(ref attrRef) (multiSource, bool) {
		a := ref.Attr
		if a.Name == "groups" {
			return multiSource{
				exists: "EXISTS (SELECT 1 FROM scim_group_members gm JOIN scim_groups g ON g.id = gm.group_id WHERE gm.member_id = su.id AND %s)",
				sub: func(name string) (column, bool) {
					switch name {
					case "value":
						return column{sql: "gm.group_id", kind: typeString, isUUID: true}, true
					case "display":
						return column{sql: "g.display_name", kind: typeString}, true
					case "type":
						return column{sql: "'direct'", kind: typeString}, true
					}
					return column{}, false
				},
			}, true
		}
		return multiSource{
			exists: "EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(su.attributes->'" + a.Name + "', '[]'::jsonb)) AS e(v) WHERE %s)",
			sub:    elementColumn(a),
		}, true
	},
	present: func(ref attrRef) (string, bool) {
		if ref.Attr == metaAttr {
			return "true", true
		}
		if ref.Ext != nil {
			return "(su.attributes->'" + ref.Ext.ID + "'->'" + ref.Attr.Name + "' IS NOT NULL)", true
		}
		return "(su.attributes->'" + ref.Attr.Name + "' IS NOT NULL)", true
	},
}

// groupSQL maps Group attributes to "sg" (scim_groups).
var groupSQL = sqlMapping{
	rt: groupResource,
	column: func(ref attrRef, sub string) (column, bool) {
		switch ref.Attr {
		case idAttr:
			return column{sql: "sg.id", kind: typeString, isUUID: true}, true
		case externalIDAttr:
			return column{sql: "sg.external_id", kind: typeString, caseExact: true}, true
		case groupSchema.attr("displayName"):
			return column{sql: "sg.display_name", kind: typeString}, true
		case metaAttr:
			return metaColumn("sg", "Group", sub)
		}
		return column{}, false
	},
	multi: func(ref attrRef) (multiSource, bool) {
		if ref.Attr.Name != "members" {
			return multiSource{}, false
		}
		return multiSource{
			exists: "EXISTS (SELECT 1 FROM scim_group_members gm JOIN scim_users mu ON mu.id = gm.member_id WHERE gm.group_id = sg.id AND %s)",
			sub: func(name string) (column, bool) {
				switch name {
				case "value":
					return column{sql: "gm.member_id", kind: typeString, isUUID: true}, true
				case "display":
					return column{sql: "COALESCE(mu.attributes->>'displayName', mu.user_name)", kind: typeString}, true
				case "type":
					return column{sql: "'User'", kind: typeString, caseExact: true}, true
				}
				return column{}, false
			},
		}, true
	},
	present: func(ref attrRef) (string, bool) { return "true", ref.Attr == metaAttr },
}

func metaColumn(alias, resourceType, sub string) (column, bool) {
	switch sub {
	case "created":
		return column{sql: alias + ".created_at", kind: typeDateTime}, true
	case "lastModified":
		return column{sql: alias + ".updated_at", kind: typeDateTime}, true
	case "resourceType":
		return column{sql: "'" + resourceType + "'", kind: typeString, caseExact: true}, true
	}
	return column{}, false
}
