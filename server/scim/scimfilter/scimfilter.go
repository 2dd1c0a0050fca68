// Package scimfilter parses SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths
// (§3.5.2) into a small syntax tree, on top of
// github.com/scim2/filter-parser/v2. It adds what that parser leaves out and
// what identity providers send:
//
//   - string values are unescaped (JSON escapes, \u with either case of hex);
//   - a value filter may be any filter over sub-attributes (parentheses,
//     several terms), not only one or two comparisons;
//   - a value path may be followed by a sub-attribute and a comparison, as
//     Microsoft Entra ID sends: emails[type eq "work"].value eq "a@b.c",
//     which means emails[type eq "work" and value eq "a@b.c"];
//   - input longer than MaxLength, nested deeper than MaxDepth or with more
//     than MaxTerms comparisons is refused, so that parsing and the SQL built
//     from the tree stay small and fast.
//
// Attribute names are returned as written; resolving them (case-insensitively)
// against a schema is the caller's business.
package scimfilter

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	filter "github.com/scim2/filter-parser/v2"

	"github.com/orgtrail/orgtrail/server/pgtext"
)

// MaxLength is the longest filter or path accepted, in bytes. Identity
// providers send filters of well under a hundred bytes.
const MaxLength = 1024

// MaxDepth is the deepest nesting of parentheses accepted. The underlying
// parser backtracks, so its time grows with depth faster than linearly.
const MaxDepth = 10

// MaxTerms is the most comparisons one filter may hold.
const MaxTerms = 50

// Error is a filter or path that cannot be parsed. Its message is safe to
// show to the client.
type Error struct {
	Msg string
}

func (e *Error) Error() string { return e.Msg }

func errorf(format string, args ...any) *Error { return &Error{Msg: fmt.Sprintf(format, args...)} }

// Expr is a node of a filter: *And, *Or, *Not, *Compare or *ValuePath.
type Expr interface{ node() }

// And holds when both sides hold.
type And struct{ Left, Right Expr }

// Or holds when either side holds.
type Or struct{ Left, Right Expr }

// Not negates X.
type Not struct{ X Expr }

// Operator is a comparison operator, lower-case ("eq", "pr", ...).
type Operator string

// The comparison operators of RFC 7644.
const (
	Eq Operator = "eq"
	Ne Operator = "ne"
	Co Operator = "co"
	Sw Operator = "sw"
	Ew Operator = "ew"
	Gt Operator = "gt"
	Ge Operator = "ge"
	Lt Operator = "lt"
	Le Operator = "le"
	Pr Operator = "pr"
)

// Compare is "attr op value" or "attr pr". Value is a string (unescaped), a
// bool, a json.Number or nil (null, and always for pr).
type Compare struct {
	Attr  AttrPath
	Op    Operator
	Value any
}

// ValuePath is attr[filter]: it holds when one value of the multi-valued
// attribute Attr satisfies Filter, whose attribute names are Attr's
// sub-attributes.
type ValuePath struct {
	Attr   AttrPath
	Filter Expr
}

func (*And) node()       {}
func (*Or) node()        {}
func (*Not) node()       {}
func (*Compare) node()   {}
func (*ValuePath) node() {}

// AttrPath is [URN ":"] Name ["." Sub], as written.
type AttrPath struct {
	URN  string
	Name string
	Sub  string
}

// String returns the path in SCIM syntax.
func (p AttrPath) String() string {
	s := p.Name
	if p.URN != "" {
		s = p.URN + ":" + s
	}
	if p.Sub != "" {
		s += "." + p.Sub
	}
	return s
}

// Path is the target of a PATCH operation: attr, attr.sub, attr[filter] or
// attr[filter].sub. Filter is nil when there is none.
type Path struct {
	Attr   AttrPath
	Filter Expr
	Sub    string
}

// String returns the path in SCIM syntax (string values re-quoted).
func (p Path) String() string {
	s := p.Attr.String()
	if p.Filter != nil {
		s += "[" + Format(p.Filter) + "]"
	}
	if p.Sub != "" {
		s += "." + p.Sub
	}
	return s
}

// Parse parses a filter.
func Parse(s string) (Expr, error) {
	lx, err := lexStrings(s)
	if err != nil {
		return nil, err
	}
	p := &parser{strings: lx.values}
	e, err := p.filter(lx.text)
	if err != nil {
		return nil, err
	}
	if p.terms > MaxTerms {
		return nil, errorf("the filter has more than %d comparisons", MaxTerms)
	}
	return e, nil
}

// ParsePath parses a PATCH operation's path.
func ParsePath(s string) (Path, error) {
	lx, err := lexStrings(s)
	if err != nil {
		return Path{}, err
	}
	p := &parser{strings: lx.values}
	text := lx.text
	open := strings.IndexByte(text, '[')
	if open < 0 {
		if strings.ContainsAny(text, `]"`) {
			return Path{}, errorf("%q is not an attribute path", s)
		}
		attr, err := p.attrPath(text)
		return Path{Attr: attr}, err
	}
	closing := strings.IndexByte(text, ']')
	if closing < open {
		return Path{}, errorf("%q is not an attribute path: unbalanced brackets", s)
	}
	attr, err := p.attrPath(strings.TrimRight(text[:open], " "))
	if err != nil {
		return Path{}, err
	}
	if attr.Sub != "" {
		return Path{}, errorf("%q is not an attribute path: a value filter applies to an attribute, not a sub-attribute", s)
	}
	inner, err := p.filter(text[open+1 : closing])
	if err != nil {
		return Path{}, err
	}
	path := Path{Attr: attr, Filter: inner}
	if rest := text[closing+1:]; rest != "" {
		sub, ok := strings.CutPrefix(rest, ".")
		if !ok || !isAttrName(sub) {
			return Path{}, errorf("%q is not an attribute path: unexpected %q after ]", s, rest)
		}
		path.Sub = sub
	}
	if p.terms > MaxTerms {
		return Path{}, errorf("the path has more than %d comparisons", MaxTerms)
	}
	return path, nil
}

// lexed is a filter whose string literals have been taken out: each is
// replaced by "N", N indexing values, so that what remains has no escapes,
// no brackets inside strings and nothing the underlying parser mis-reads.
type lexed struct {
	text   string
	values []string
}

func lexStrings(s string) (lexed, error) {
	if len(s) > MaxLength {
		return lexed{}, errorf("longer than %d bytes", MaxLength)
	}
	if !utf8.ValidString(s) {
		return lexed{}, errorf("not valid UTF-8")
	}
	if strings.TrimSpace(s) == "" {
		return lexed{}, errorf("empty")
	}
	var b strings.Builder
	var values []string
	depth := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '(':
			if depth++; depth > MaxDepth {
				return lexed{}, errorf("parentheses nested deeper than %d", MaxDepth)
			}
		case ')':
			depth--
		}
		if c == '$' && strings.HasPrefix(s[i:], placeholderPrefix) {
			return lexed{}, errorf("unexpected %q", placeholderPrefix)
		}
		if c != '"' {
			b.WriteByte(c)
			i++
			continue
		}
		end := i + 1
		for end < len(s) && s[end] != '"' {
			if s[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(s) {
			return lexed{}, errorf("unterminated string starting at offset %d", i)
		}
		var v string
		if err := json.Unmarshal([]byte(s[i:end+1]), &v); err != nil {
			return lexed{}, errorf("invalid string %s", s[i:end+1])
		}
		if err := pgtext.Check(v); err != nil { // a \u0000 escape
			return lexed{}, errorf("string %s %v", s[i:end+1], err)
		}
		b.WriteString(`"` + strconv.Itoa(len(values)) + `"`)
		values = append(values, v)
		i = end + 1
	}
	return lexed{text: b.String(), values: values}, nil
}

// placeholderPrefix names the attribute a value path is replaced by before
// the rest of the filter goes to the underlying parser. No attribute of a
// client's filter may start with it.
const placeholderPrefix = "$vp"

type parser struct {
	strings    []string
	valuePaths []*ValuePath
	terms      int
}

// filter parses lexed filter text: value paths are cut out and parsed on
// their own, the rest goes to the underlying parser.
func (p *parser) filter(text string) (e Expr, err error) {
	defer func() {
		if r := recover(); r != nil { // the underlying parser is not ours; never let it take the server down
			e, err = nil, errorf("invalid filter")
		}
	}()
	rewritten, err := p.cutValuePaths(text)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(rewritten) == "" {
		return nil, errorf("empty filter")
	}
	ast, err := filter.ParseFilterNumber([]byte(rewritten))
	if err != nil {
		return nil, errorf("invalid filter: %s", describe(rewritten, p.strings))
	}
	return p.convert(ast, 0)
}

// cutValuePaths replaces each attr[...] (optionally followed by .sub op
// value) with a placeholder comparison the underlying parser accepts.
func (p *parser) cutValuePaths(text string) (string, error) {
	var out strings.Builder
	rest := text
	for {
		open := strings.IndexByte(rest, '[')
		if open < 0 {
			if strings.IndexByte(rest, ']') >= 0 {
				return "", errorf("unbalanced brackets")
			}
			out.WriteString(rest)
			return out.String(), nil
		}
		closing := strings.IndexByte(rest, ']')
		if closing < open {
			return "", errorf("unbalanced brackets")
		}
		if strings.IndexByte(rest[open+1:closing], '[') >= 0 {
			return "", errorf("value filters cannot be nested")
		}
		// The attribute path before "[" (spaces allowed between them).
		head := strings.TrimRight(rest[:open], " ")
		start := len(head)
		for start > 0 && isPathByte(head[start-1]) {
			start--
		}
		attr, err := p.attrPath(head[start:])
		if err != nil {
			return "", err
		}
		if attr.Sub != "" {
			return "", errorf("a value filter applies to an attribute, not to %s", attr)
		}
		inner, err := p.filter(rest[open+1 : closing])
		if err != nil {
			return "", err
		}
		vp := &ValuePath{Attr: attr, Filter: inner}
		after := rest[closing+1:]
		// Entra's form: attr[filter].sub op value.
		if sub, ok := strings.CutPrefix(after, "."); ok {
			n := 0
			for n < len(sub) && isNameByte(sub[n]) {
				n++
			}
			if !isAttrName(sub[:n]) {
				return "", errorf("expected a sub-attribute after ].")
			}
			cmpText, remaining, err := cutComparison(sub)
			if err != nil {
				return "", err
			}
			cmp, err := p.compare(cmpText)
			if err != nil {
				return "", err
			}
			vp.Filter = &And{Left: vp.Filter, Right: cmp}
			after = remaining
		}
		out.WriteString(head[:start])
		out.WriteString(placeholderPrefix + strconv.Itoa(len(p.valuePaths)) + " pr")
		p.valuePaths = append(p.valuePaths, vp)
		rest = after
	}
}

// cutComparison splits "sub op value rest" (or "sub pr rest"), which
// follows a value path in Entra's form, into the comparison and the rest of
// the filter. Lexed values have no spaces, so tokens end at a space or ")".
func cutComparison(s string) (cmp, rest string, err error) {
	var tokens []string
	i := 0
	for len(tokens) < 3 {
		if len(tokens) > 0 {
			j := i
			for j < len(s) && s[j] == ' ' {
				j++
			}
			if j == i {
				break
			}
			i = j
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != ')' {
			j++
		}
		if j == i {
			break
		}
		tokens = append(tokens, s[i:j])
		i = j
		if len(tokens) == 2 && strings.EqualFold(tokens[1], "pr") {
			break
		}
	}
	pr := len(tokens) == 2 && strings.EqualFold(tokens[1], "pr")
	if len(tokens) != 3 && !pr {
		return "", "", errorf("expected a comparison after the value path's sub-attribute")
	}
	return strings.Join(tokens, " "), s[i:], nil
}

func (p *parser) compare(text string) (e *Compare, err error) {
	defer func() {
		if r := recover(); r != nil {
			e, err = nil, errorf("invalid comparison")
		}
	}()
	ae, err := filter.ParseAttrExpNumber([]byte(text))
	if err != nil {
		return nil, errorf("invalid comparison: %s", describe(text, p.strings))
	}
	return p.convertCompare(ae)
}

func (p *parser) attrPath(text string) (a AttrPath, err error) {
	defer func() {
		if r := recover(); r != nil {
			a, err = AttrPath{}, errorf("invalid attribute path")
		}
	}()
	if text == "" {
		return AttrPath{}, errorf("missing attribute name")
	}
	ap, err := filter.ParseAttrPath([]byte(text))
	if err != nil {
		return AttrPath{}, errorf("%q is not an attribute path", text)
	}
	return AttrPath{URN: ap.URI(), Name: ap.AttributeName, Sub: ap.SubAttributeName()}, nil
}

func (p *parser) convert(e filter.Expression, depth int) (Expr, error) {
	if depth > MaxTerms {
		return nil, errorf("the filter is nested too deeply")
	}
	switch n := e.(type) {
	case *filter.LogicalExpression:
		left, err := p.convert(n.Left, depth+1)
		if err != nil {
			return nil, err
		}
		right, err := p.convert(n.Right, depth+1)
		if err != nil {
			return nil, err
		}
		if n.Operator == filter.AND {
			return &And{Left: left, Right: right}, nil
		}
		return &Or{Left: left, Right: right}, nil
	case *filter.NotExpression:
		x, err := p.convert(n.Expression, depth+1)
		if err != nil {
			return nil, err
		}
		return &Not{X: x}, nil
	case *filter.AttributeExpression:
		if n.AttributePath.URIPrefix == nil && n.AttributePath.SubAttribute == nil {
			if idx, ok := strings.CutPrefix(n.AttributePath.AttributeName, placeholderPrefix); ok {
				i, err := strconv.Atoi(idx)
				if err != nil || i < 0 || i >= len(p.valuePaths) {
					return nil, errorf("invalid filter")
				}
				return p.valuePaths[i], nil
			}
		}
		return p.convertCompare(*n)
	case *filter.ValuePath:
		// Not produced (value paths are cut out first), kept for completeness.
		inner, err := p.convert(n.ValueFilter, depth+1)
		if err != nil {
			return nil, err
		}
		ap := n.AttributePath
		return &ValuePath{Attr: AttrPath{URN: ap.URI(), Name: ap.AttributeName, Sub: ap.SubAttributeName()}, Filter: inner}, nil
	}
	return nil, errorf("invalid filter")
}

func (p *parser) convertCompare(n filter.AttributeExpression) (*Compare, error) {
	p.terms++
	ap := n.AttributePath
	if strings.HasPrefix(ap.AttributeName, "$") && !strings.EqualFold(ap.AttributeName, "$ref") {
		return nil, errorf("unknown attribute %q", ap.AttributeName)
	}
	c := &Compare{Attr: AttrPath{URN: ap.URI(), Name: ap.AttributeName, Sub: ap.SubAttributeName()},
		Op: Operator(strings.ToLower(string(n.Operator)))}
	switch v := n.CompareValue.(type) {
	case string:
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 || i >= len(p.strings) {
			return nil, errorf("invalid string value")
		}
		c.Value = p.strings[i]
	case json.Number, bool, nil:
		c.Value = v
	default:
		return nil, errorf("invalid value")
	}
	if c.Op == Pr {
		c.Value = nil
	}
	return c, nil
}

// describe puts the string values back into lexed text, for error messages.
func describe(text string, values []string) string {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] != '"' {
			b.WriteByte(text[i])
			continue
		}
		end := strings.IndexByte(text[i+1:], '"')
		if end < 0 {
			b.WriteString(text[i:])
			break
		}
		if n, err := strconv.Atoi(text[i+1 : i+1+end]); err == nil && n >= 0 && n < len(values) {
			b.WriteString(strconv.Quote(values[n]))
		}
		i += end + 1
	}
	return b.String()
}

func isNameByte(c byte) bool {
	return c == '-' || c == '_' || c == '$' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isPathByte(c byte) bool { return isNameByte(c) || c == ':' || c == '.' }

func isAttrName(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '$' {
		s = s[1:]
	}
	if s == "" || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isNameByte(s[i]) || s[i] == '$' {
			return false
		}
	}
	return true
}

// Format writes e back in SCIM syntax, with canonical spacing and quoting.
func Format(e Expr) string {
	switch n := e.(type) {
	case *And:
		return "(" + Format(n.Left) + " and " + Format(n.Right) + ")"
	case *Or:
		return "(" + Format(n.Left) + " or " + Format(n.Right) + ")"
	case *Not:
		return "not (" + Format(n.X) + ")"
	case *ValuePath:
		return n.Attr.String() + "[" + Format(n.Filter) + "]"
	case *Compare:
		if n.Op == Pr {
			return n.Attr.String() + " pr"
		}
		var v string
		switch val := n.Value.(type) {
		case string:
			b, _ := json.Marshal(val)
			v = string(b)
		case nil:
			v = "null"
		default:
			v = fmt.Sprint(val)
		}
		return n.Attr.String() + " " + string(n.Op) + " " + v
	}
	return ""
}
