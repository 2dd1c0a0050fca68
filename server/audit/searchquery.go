package audit

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/orgtrail/orgtrail/server/apperr"
)

// The search query language of the Audit Log, GitHub-style: free words and
// key:value qualifiers, each negated by a leading "-".
//
//	query     = { space } [ clause { space { space } clause } ] { space }
//	clause    = [ "-" ] ( qualifier | word )
//	qualifier = key ":" value
//	key       = "actor" | "action" | "category" | "resource" | "ip"
//	          | "request" | "before" | "after" | "changed"
//	value     = quoted | bare
//	word      = quoted | bare
//	quoted    = '"' { character but '"' and '\', or '\"', or '\\' } '"'
//	bare      = { character but space and '"' }, at least one
//
// A bare token whose text before its first colon is made of ASCII letters
// only is a qualifier: an unknown key is an error (quote the token to search
// for it as text), so that a mistyped qualifier never silently becomes a
// search for its own text. Text before a colon with other characters (an
// IPv6 address, a URL's scheme with "//") is a word.
//
// Meaning: a word is today's search, a case-insensitive substring of what an
// event shows (actor, action and category labels, resource type, id and
// name, details); words must all match. Qualifiers with the same key are
// alternatives (any of them), different keys must all match, and a negated
// clause must not match. The rules that decide what each value may be live
// in parseQualifier; ParseQuery is the only parser: the SPA asks the server
// (Query.auditQueryCheck) instead of keeping a second one.
//
// Positions in errors count Unicode code points from 0, which is how the SPA
// (Array.from on a string) indexes the text it shows.

// Query keys.
const (
	KeyActor    = "actor"
	KeyAction   = "action"
	KeyCategory = "category"
	KeyResource = "resource"
	KeyIP       = "ip"
	KeyRequest  = "request"
	KeyBefore   = "before"
	KeyAfter    = "after"
	KeyChanged  = "changed"
)

// QueryKeys are the qualifiers in the order help text lists them.
var QueryKeys = []string{KeyActor, KeyAction, KeyCategory, KeyResource, KeyIP, KeyRequest, KeyBefore, KeyAfter, KeyChanged}

// Query limits: a query is at most MaxQueryLength characters and
// MaxQueryClauses clauses; each word or value at most MaxSearchLength.
const (
	MaxQueryLength  = 1000
	MaxQueryClauses = 20
)

// Clause is one parsed clause of a query.
type Clause struct {
	// Key is one of the Key constants, or "" for a word.
	Key     string
	Negated bool
	// Value is the word or the qualifier's value, unquoted.
	Value string
	// Start and End are the clause's position in the query, in code points
	// (End exclusive), "-" and quotes included.
	Start, End int

	// What the value means, set by the parser for the keys that need it.
	Actions []Action // action, category
	// Prefix is an ip: value (a single address is a /32 or /128).
	Prefix netip.Prefix
	// ResourceType and ResourceID are a resource: value (ID may be "").
	ResourceType, ResourceID string
	// Time is a before: or after: value.
	Time time.Time
	// Field and FieldValue are a changed: value, FieldValue "" when only the
	// field is asked for.
	Field, FieldValue string
	// HasFieldValue tells "changed:f=" (an empty new value) from "changed:f".
	HasFieldValue bool
}

// Query is a parsed search query.
type Query struct {
	Text    string
	Clauses []Clause
}

// QueryError is a query the grammar refuses: what is wrong, and where.
type QueryError struct {
	Message string
	// Token is the query's text at fault; Start and End its position in code
	// points (End exclusive).
	Token      string
	Start, End int
}

func (e *QueryError) Error() string { return e.Message }

// AsInput is the error as the API answers it: BAD_USER_INPUT on field, with
// the token and its position in extensions (token, start, end), so a client
// can point at it.
func (e *QueryError) AsInput(field string) *apperr.Error {
	err := apperr.Invalid(field, "%s", e.Message)
	err.Extensions = map[string]any{"token": e.Token, "start": e.Start, "end": e.End}
	return err
}

// CheckQueryText parses text as a filter's query would be, dates read in the
// time zone named zone (argument timeZone; UTC when ""). A refused query is
// a *QueryError; a bad zone, BAD_USER_INPUT on timeZone.
func CheckQueryText(text, zone string) (Query, error) {
	loc, err := timeZone(zone, "timeZone")
	if err != nil {
		return Query{}, err
	}
	return ParseQuery(text, loc)
}

// fieldName is what a changed: field may be: the keys of details.changes
// are identifiers.
var fieldName = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// ParseQuery parses text as the query language above. Dates without a zone
// (before:2026-11-03, after:2026-11-03T09:00) are read in loc. The error, if
// any, is a *QueryError.
func ParseQuery(text string, loc *time.Location) (Query, error) {
	q := Query{Text: text}
	if !utf8.ValidString(text) {
		return q, &QueryError{Message: "the search must be text", Token: text, Start: 0, End: utf8.RuneCountInString(text)}
	}
	runes := []rune(text)
	if len(runes) > MaxQueryLength {
		return q, &QueryError{Message: fmt.Sprintf("the search must be at most %d characters", MaxQueryLength),
			Token: string(runes[MaxQueryLength:]), Start: MaxQueryLength, End: len(runes)}
	}
	seenTime := map[string]bool{}
	for i := 0; ; {
		for i < len(runes) && unicode.IsSpace(runes[i]) {
			i++
		}
		if i >= len(runes) {
			break
		}
		c, next, err := scanClause(runes, i)
		if err != nil {
			return q, err
		}
		if len(q.Clauses) == MaxQueryClauses {
			return q, c.fail(runes, "a search has at most %d terms", MaxQueryClauses)
		}
		if c.Key == KeyBefore || c.Key == KeyAfter {
			if seenTime[c.Key] {
				return q, c.fail(runes, "%s: is given twice; give one %s: date", c.Key, c.Key)
			}
			seenTime[c.Key] = true
		}
		if err := c.interpret(runes, loc); err != nil {
			return q, err
		}
		q.Clauses = append(q.Clauses, c)
		i = next
	}
	return q, nil
}

// scanClause reads the clause starting at runes[i] and returns it with the
// position after it.
func scanClause(runes []rune, i int) (Clause, int, error) {
	c := Clause{Start: i}
	if runes[i] == '-' && i+1 < len(runes) && !unicode.IsSpace(runes[i+1]) {
		c.Negated = true
		i++
	}
	// A qualifier's key: ASCII letters, then a colon.
	j := i
	for j < len(runes) && (runes[j] >= 'a' && runes[j] <= 'z' || runes[j] >= 'A' && runes[j] <= 'Z') {
		j++
	}
	if j > i && j < len(runes) && runes[j] == ':' {
		key := strings.ToLower(string(runes[i:j]))
		if !isQueryKey(key) {
			end := tokenEnd(runes, j+1)
			return c, 0, &QueryError{
				Message: fmt.Sprintf("%q is not a qualifier; use one of %s, or put the term in quotes to search for it as text",
					string(runes[i:j+1]), qualifierList()),
				Token: string(runes[c.Start:end]), Start: c.Start, End: end,
			}
		}
		c.Key = key
		i = j + 1
		if i >= len(runes) || unicode.IsSpace(runes[i]) {
			c.End = i
			return c, 0, c.fail(runes, "%s: needs a value, e.g. %s", key, queryExample(key))
		}
	}
	value, next, err := scanValue(runes, i, c)
	if err != nil {
		return c, 0, err
	}
	c.Value, c.End = value, next
	if c.Key == "" && c.Value == "" {
		return c, 0, c.fail(runes, "empty quotes search for nothing; remove them")
	}
	return c, next, nil
}

// scanValue reads a quoted or bare value at runes[i].
func scanValue(runes []rune, i int, c Clause) (string, int, error) {
	if runes[i] != '"' {
		j := i
		for j < len(runes) && !unicode.IsSpace(runes[j]) && runes[j] != '"' {
			j++
		}
		if j < len(runes) && runes[j] == '"' {
			// changed:field="a value" quotes the value after the field.
			if c.Key == KeyChanged && j > i && runes[j-1] == '=' && !strings.ContainsRune(string(runes[i:j-1]), '=') {
				quoted, next, err := scanValue(runes, j, c)
				return string(runes[i:j]) + quoted, next, err
			}
			c.End = tokenEnd(runes, j)
			return "", 0, c.fail(runes, "a quote must start a term or a value, e.g. \"two words\"")
		}
		return string(runes[i:j]), j, nil
	}
	var b strings.Builder
	for j := i + 1; j < len(runes); j++ {
		switch runes[j] {
		case '\\':
			if j+1 < len(runes) && (runes[j+1] == '"' || runes[j+1] == '\\') {
				b.WriteRune(runes[j+1])
				j++
				continue
			}
			b.WriteRune('\\')
		case '"':
			if j+1 < len(runes) && !unicode.IsSpace(runes[j+1]) {
				c.End = tokenEnd(runes, j+1)
				return "", 0, c.fail(runes, "put a space after the closing quote")
			}
			return b.String(), j + 1, nil
		default:
			b.WriteRune(runes[j])
		}
	}
	c.End = len(runes)
	return "", 0, c.fail(runes, "this quote is never closed; end the term with \"")
}

// tokenEnd is where the token that goes on at runes[i] ends.
func tokenEnd(runes []rune, i int) int {
	for i < len(runes) && !unicode.IsSpace(runes[i]) {
		i++
	}
	return i
}

func (c Clause) fail(runes []rune, format string, args ...any) *QueryError {
	end := c.End
	if end <= c.Start {
		end = tokenEnd(runes, c.Start)
	}
	return &QueryError{Message: fmt.Sprintf(format, args...), Token: string(runes[c.Start:end]), Start: c.Start, End: end}
}

func isQueryKey(key string) bool {
	for _, k := range QueryKeys {
		if k == key {
			return true
		}
	}
	return false
}

func qualifierList() string {
	names := make([]string, len(QueryKeys))
	for i, k := range QueryKeys {
		names[i] = k + ":"
	}
	return strings.Join(names, " ")
}

func queryExample(key string) string {
	switch key {
	case KeyActor:
		return "actor:alice@example.com"
	case KeyAction:
		return "action:created_role"
	case KeyCategory:
		return "category:rbac"
	case KeyResource:
		return "resource:role or resource:role/<id>"
	case KeyIP:
		return "ip:203.0.113.7 or ip:10.0.0.0/8"
	case KeyRequest:
		return "request:<request id>"
	case KeyBefore, KeyAfter:
		return key + ":2026-11-03"
	default:
		return "changed:signInMethods or changed:permissions=secrets:write"
	}
}

// interpret checks a clause's value and reads what it means.
func (c *Clause) interpret(runes []rune, loc *time.Location) error {
	v := c.Value
	if utf8.RuneCountInString(v) > MaxSearchLength {
		return c.fail(runes, "a term must be at most %d characters", MaxSearchLength)
	}
	if strings.IndexFunc(v, unicode.IsControl) >= 0 {
		return c.fail(runes, "a term must be printable text")
	}
	switch c.Key {
	case "":
		if !hasWordRun(v, MinSearchRun) {
			return c.fail(runes, "%q needs at least %d letters or digits in a row to be searched", v, MinSearchRun)
		}
	case KeyActor, KeyRequest:
		if strings.TrimSpace(v) == "" {
			return c.fail(runes, "%s: needs a value, e.g. %s", c.Key, queryExample(c.Key))
		}
	case KeyAction:
		a, ok := actionNamed(v)
		if !ok {
			return c.fail(runes, "%q is not an action; use an action's name such as CREATED_ROLE, or its label in quotes", v)
		}
		c.Actions = []Action{a}
	case KeyCategory:
		info, ok := categoryNamed(v)
		if !ok {
			return c.fail(runes, "%q is not a category; use a name such as AUTHENTICATION or a short label such as rbac", v)
		}
		for _, a := range info.Actions {
			c.Actions = append(c.Actions, a.Action)
		}
	case KeyResource:
		typ, id, _ := strings.Cut(v, "/")
		if typ == "" {
			return c.fail(runes, "resource: needs a type, e.g. %s", queryExample(KeyResource))
		}
		c.ResourceType, c.ResourceID = typ, id
	case KeyIP:
		p, err := parseIP(v)
		if err != nil {
			return c.fail(runes, "%q is not an IP address or a network such as 10.0.0.0/8", v)
		}
		c.Prefix = p
	case KeyBefore, KeyAfter:
		if c.Negated {
			other := KeyAfter
			if c.Key == KeyAfter {
				other = KeyBefore
			}
			return c.fail(runes, "-%s: cannot be negated; use %s: instead", c.Key, other)
		}
		t, ok := parseQueryTime(v, loc)
		if !ok {
			return c.fail(runes, "%q is not a date; use 2026-11-03, 2026-11-03T09:30 or a time with its offset", v)
		}
		c.Time = t
	case KeyChanged:
		field, value, hasValue := strings.Cut(v, "=")
		if !fieldName.MatchString(field) || !hasWordRun(field, MinSearchRun) {
			return c.fail(runes, "changed: needs a field name with at least %d letters or digits in a row, e.g. %s",
				MinSearchRun, queryExample(KeyChanged))
		}
		c.Field, c.FieldValue, c.HasFieldValue = field, value, hasValue
	}
	return nil
}

// actionNamed finds an action by its name in any case (created_role), or by
// its label ("Created role").
func actionNamed(v string) (Action, bool) {
	if a := Action(strings.ToUpper(v)); a.Valid() {
		return a, true
	}
	for _, c := range catalog {
		for _, a := range c.Actions {
			if strings.EqualFold(a.Label, v) {
				return a.Action, true
			}
		}
	}
	return "", false
}

// categoryNamed finds a category by its name in any case
// (roles_and_permissions), its label or its short label (rbac).
func categoryNamed(v string) (CategoryInfo, bool) {
	for _, c := range catalog {
		if strings.EqualFold(string(c.Category), v) || strings.EqualFold(c.Label, v) || strings.EqualFold(c.ShortLabel, v) {
			return c, true
		}
	}
	return CategoryInfo{}, false
}

// parseIP reads an address or a network (CIDR), masked to its network.
func parseIP(v string) (netip.Prefix, error) {
	if strings.Contains(v, "/") {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return netip.Prefix{}, err
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// queryTimeLayouts are the forms of a before:/after: value without a zone.
var queryTimeLayouts = []string{"2006-01-02", "2006-01-02T15:04", "2006-01-02T15:04:05"}

// parseQueryTime reads a date or a time: with an offset as given, without
// one in loc.
func parseQueryTime(v string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, true
	}
	for _, layout := range queryTimeLayouts {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
