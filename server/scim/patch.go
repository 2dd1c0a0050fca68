package scim

import (
	"encoding/json"
	"reflect"
	"strings"

	"github.com/orgtrail/orgtrail/server/scim/scimfilter"
)

// maxOperations bounds one PATCH request.
const maxOperations = 1000

// patchOp is one operation of a PATCH request (RFC 7644 §3.5.2).
type patchOp struct {
	Op       string // "add", "replace" or "remove"
	Path     *scimfilter.Path
	Value    any
	HasValue bool
}

// decodePatch reads a PatchOp request body. Operation names are matched
// case-insensitively (Entra sends "Replace"), as are the body's keys.
func decodePatch(body map[string]any) ([]patchOp, error) {
	var raw any
	for k, v := range body {
		if strings.EqualFold(k, "Operations") {
			raw = v
		}
	}
	list, ok := raw.([]any)
	if !ok || len(list) == 0 {
		return nil, badRequest(typeInvalidSyntax, "a PATCH request needs a non-empty Operations list")
	}
	if len(list) > maxOperations {
		return nil, badRequest(typeInvalidSyntax, "a PATCH request holds at most %d operations", maxOperations)
	}
	ops := make([]patchOp, 0, len(list))
	for i, item := range list {
		obj, ok := item.(map[string]any)
		if !ok {
			return nil, badRequest(typeInvalidSyntax, "operation %d is not an object", i+1)
		}
		var op patchOp
		var name, path any
		for k, v := range obj {
			switch strings.ToLower(k) {
			case "op":
				name = v
			case "path":
				path = v
			case "value":
				op.Value, op.HasValue = v, true
			}
		}
		s, _ := name.(string)
		op.Op = strings.ToLower(strings.TrimSpace(s))
		if op.Op != "add" && op.Op != "replace" && op.Op != "remove" {
			return nil, badRequest(typeInvalidSyntax, "operation %d: op must be add, replace or remove", i+1)
		}
		if path != nil {
			ps, ok := path.(string)
			if !ok {
				return nil, badRequest(typeInvalidPath, "operation %d: path must be a string", i+1)
			}
			if strings.TrimSpace(ps) != "" {
				p, err := scimfilter.ParsePath(strings.TrimSpace(ps))
				if err != nil {
					return nil, badRequest(typeInvalidPath, "operation %d: invalid path: %s", i+1, err)
				}
				op.Path = &p
			}
		}
		if op.Op != "remove" && !op.HasValue {
			return nil, badRequest(typeInvalidSyntax, "operation %d: %s needs a value", i+1, op.Op)
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// applyPatch applies ops in order to d, a normalized doc of resource type rt.
// Either every operation applies or d must be discarded.
func applyPatch(rt *resourceType, d doc, ops []patchOp) error {
	for _, op := range ops {
		if err := applyOp(rt, d, op); err != nil {
			return err
		}
	}
	return nil
}

func applyOp(rt *resourceType, d doc, op patchOp) error {
	if op.Path == nil {
		if op.Op == "remove" {
			return badRequest(typeNoTarget, "remove needs a path")
		}
		obj, ok := op.Value.(map[string]any)
		if !ok {
			return badRequest(typeInvalidValue, "%s without a path needs an object of attributes as its value", op.Op)
		}
		// Each key names an attribute: a plain name, a dotted sub-attribute
		// ("name.givenName") or a URN-qualified one, as Entra sends them.
		// Unknown and read-only keys are ignored, as in a PUT body.
		for key, v := range obj {
			if strings.EqualFold(key, "schemas") {
				continue
			}
			p, err := scimfilter.ParsePath(key)
			if err != nil {
				continue
			}
			t, err := resolveTarget(rt, p)
			if err != nil || t.readOnly() {
				continue
			}
			if err := applyTarget(t, d, op.Op, v, true); err != nil {
				return err
			}
		}
		return nil
	}
	t, err := resolveTarget(rt, *op.Path)
	if err != nil {
		return err
	}
	if t.readOnly() {
		return badRequest(typeMutability, "%s is read-only", op.Path)
	}
	return applyTarget(t, d, op.Op, op.Value, op.HasValue)
}

// target is a resolved PATCH path.
type target struct {
	ref    attrRef
	sub    *attribute // sub-attribute, or nil
	filter scimfilter.Expr
	path   string
}

func (t target) readOnly() bool {
	if t.ref.Attr != nil && (t.ref.Attr.Mutability == readOnly) {
		return true
	}
	return t.sub != nil && t.sub.Mutability == readOnly
}

func (t target) writeOnly() bool { return t.ref.Attr != nil && t.ref.Attr.Mutability == writeOnly }

func resolveTarget(rt *resourceType, p scimfilter.Path) (target, error) {
	t := target{filter: p.Filter, path: p.String()}
	ref, ok := rt.resolve(p.Attr.URN, p.Attr.Name)
	if !ok {
		return t, badRequest(typeInvalidPath, "%s is not an attribute of %s", p.Attr, rt.Name)
	}
	t.ref = ref
	subName := p.Attr.Sub
	if subName == "" {
		subName = p.Sub
	}
	if ref.Attr == nil {
		if subName != "" || p.Filter != nil {
			return t, badRequest(typeInvalidPath, "%s: an extension is addressed as a whole or by its attributes", t.path)
		}
		return t, nil
	}
	if p.Filter != nil {
		if !ref.Attr.MultiValued {
			return t, badRequest(typeInvalidPath, "%s: a value filter needs a multi-valued attribute", t.path)
		}
		if err := checkElementFilter(ref.Attr, p.Filter); err != nil {
			return t, err
		}
	}
	if subName != "" {
		if ref.Attr.Type != typeComplex {
			return t, badRequest(typeInvalidPath, "%s has no sub-attributes", ref.Attr.Name)
		}
		if t.sub = ref.Attr.sub(subName); t.sub == nil {
			return t, badRequest(typeInvalidPath, "%s is not a sub-attribute of %s", subName, ref.Attr.Name)
		}
	}
	return t, nil
}

// checkElementFilter checks that a value filter only names sub-attributes of a.
func checkElementFilter(a *attribute, e scimfilter.Expr) error {
	switch n := e.(type) {
	case *scimfilter.And:
		if err := checkElementFilter(a, n.Left); err != nil {
			return err
		}
		return checkElementFilter(a, n.Right)
	case *scimfilter.Or:
		if err := checkElementFilter(a, n.Left); err != nil {
			return err
		}
		return checkElementFilter(a, n.Right)
	case *scimfilter.Not:
		return checkElementFilter(a, n.X)
	case *scimfilter.Compare:
		if n.Attr.URN != "" || n.Attr.Sub != "" || a.sub(n.Attr.Name) == nil {
			return badRequest(typeInvalidFilter, "%s is not a sub-attribute of %s", n.Attr, a.Name)
		}
		return nil
	}
	return badRequest(typeInvalidFilter, "value filters cannot be nested")
}

// applyTarget performs one operation on one resolved target; hasValue tells
// a remove with a value (remove these values) from one without.
func applyTarget(t target, d doc, op string, value any, hasValue bool) error {
	if t.writeOnly() {
		return nil // password: accepted, never stored
	}
	if t.ref.Attr == nil { // a whole extension
		ext := t.ref.Ext
		if op == "remove" {
			setAttr(d, t.ref, nil)
			return nil
		}
		obj, ok := value.(map[string]any)
		if !ok {
			return badRequest(typeInvalidValue, "%s must be an object", ext.ID)
		}
		for k, v := range obj {
			a := ext.attr(k)
			if a == nil || a.Mutability == readOnly {
				continue
			}
			if err := applyTarget(target{ref: attrRef{Attr: a, Ext: ext}, path: a.Name}, d, "replace", v, true); err != nil {
				return err
			}
		}
		return nil
	}
	a := t.ref.Attr
	if !a.MultiValued {
		return applySingle(t, d, op, value)
	}
	return applyMulti(t, d, op, value, hasValue)
}

// applySingle handles a single-valued attribute or one of its sub-attributes.
// Add and replace are the same there; on a complex attribute both merge the
// given sub-attributes (RFC 7644 §3.5.2.1, §3.5.2.3).
func applySingle(t target, d doc, op string, value any) error {
	a := t.ref.Attr
	if op == "remove" {
		if t.sub == nil {
			setAttr(d, t.ref, nil)
			return nil
		}
		cur, _ := getAttr(d, t.ref).(doc)
		if cur != nil {
			cur = cloneDoc(cur)
			delete(cur, t.sub.Name)
			if len(cur) == 0 {
				cur = nil
			}
		}
		setAttr(d, t.ref, nilIfEmpty(cur))
		return nil
	}
	if t.sub != nil {
		nv, err := normalizeSingle(t.sub, value, t.path)
		if err != nil {
			return err
		}
		cur, _ := getAttr(d, t.ref).(doc)
		next := doc{}
		for k, v := range cur {
			next[k] = v
		}
		if nv == nil {
			delete(next, t.sub.Name)
		} else {
			next[t.sub.Name] = nv
		}
		setAttr(d, t.ref, nilIfEmpty(next))
		return nil
	}
	nv, err := normalizeSingle(a, value, t.path)
	if err != nil {
		return err
	}
	if a.Type == typeComplex && nv != nil {
		cur, _ := getAttr(d, t.ref).(doc)
		merged := doc{}
		for k, v := range cur {
			merged[k] = v
		}
		for k, v := range nv.(doc) {
			merged[k] = v
		}
		nv = merged
	}
	setAttr(d, t.ref, nv)
	return nil
}

func nilIfEmpty(d doc) any {
	if len(d) == 0 {
		return nil
	}
	return d
}

// applyMulti handles a multi-valued attribute: the whole list, the values a
// filter selects, or a sub-attribute of those values.
func applyMulti(t target, d doc, op string, value any, hasValue bool) error {
	a := t.ref.Attr
	cur, _ := getAttr(d, t.ref).([]any)
	items := make([]any, len(cur))
	for i, v := range cur {
		items[i] = cloneValue(v)
	}
	var matches []int
	if t.filter != nil {
		for i, item := range items {
			if m, ok := item.(doc); ok && matchElement(a, m, t.filter) {
				matches = append(matches, i)
			}
		}
	}
	switch {
	case op == "remove" && t.filter == nil && t.sub == nil:
		if !hasValue || value == nil {
			items = nil
			break
		}
		// Remove only the given values (Entra: {"op":"Remove","path":"members",
		// "value":[{"value":"id"}]}).
		given, err := normalizeValue(a, value, t.path)
		if err != nil {
			return err
		}
		list, _ := given.([]any)
		items = removeValues(items, list)
	case op == "remove" && t.filter == nil:
		for _, item := range items {
			if m, ok := item.(doc); ok {
				delete(m, t.sub.Name)
			}
		}
	case op == "remove":
		if t.sub == nil {
			items = removeIndexes(items, matches)
			break
		}
		for _, i := range matches {
			delete(items[i].(doc), t.sub.Name)
		}
	case t.filter == nil && t.sub == nil:
		nv, err := normalizeValue(a, value, t.path)
		if err != nil {
			return err
		}
		list, _ := nv.([]any)
		if op == "replace" {
			items = list
		} else {
			items = append(items, list...)
		}
	case t.filter == nil: // emails.value: set on every value, or on a new one
		nv, err := normalizeSingle(t.sub, value, t.path)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			items = []any{doc{}}
		}
		for _, item := range items {
			setSub(item.(doc), t.sub.Name, nv)
		}
	default: // a value filter, with or without a sub-attribute
		if len(matches) == 0 {
			// Nothing selected: a filter of equalities describes the value to
			// create (Entra adds emails[type eq "work"].value that way).
			seed, ok := equalitySeed(a, t.filter)
			if !ok {
				return badRequest(typeNoTarget, "%s matches no value", t.path)
			}
			items = append(items, seed)
			matches = []int{len(items) - 1}
		}
		for _, i := range matches {
			m := items[i].(doc)
			if t.sub != nil {
				nv, err := normalizeSingle(t.sub, value, t.path)
				if err != nil {
					return err
				}
				setSub(m, t.sub.Name, nv)
				continue
			}
			nv, err := normalizeSingle(a, value, t.path)
			if err != nil {
				return err
			}
			if nv == nil {
				items[i] = doc{}
				continue
			}
			if op == "replace" {
				items[i] = nv
			} else {
				for k, v := range nv.(doc) {
					m[k] = v
				}
			}
		}
	}
	var kept []any
	for _, item := range items {
		if m, ok := item.(doc); ok && len(m) == 0 {
			continue
		}
		kept = append(kept, item)
	}
	limit := maxValues
	if a == groupSchema.attr("members") {
		limit = maxMembers
	}
	if len(kept) > limit {
		return badRequest(typeInvalidValue, "%s holds more than %d values", t.ref.Attr.Name, limit)
	}
	setAttr(d, t.ref, tidyMulti(kept))
	return nil
}

func setSub(m doc, name string, v any) {
	if v == nil {
		delete(m, name)
	} else {
		m[name] = v
	}
}

// removeValues removes the values equal to one of given: by their "value"
// sub-attribute when the given value has one, else by the whole value.
func removeValues(items, given []any) []any {
	var out []any
	for _, item := range items {
		m, _ := item.(doc)
		drop := false
		for _, g := range given {
			gm, _ := g.(doc)
			if gv, ok := gm["value"].(string); ok && m != nil {
				if iv, ok := m["value"].(string); ok && strings.EqualFold(iv, gv) {
					drop = true
				}
			} else if reflect.DeepEqual(item, g) {
				drop = true
			}
		}
		if !drop {
			out = append(out, item)
		}
	}
	return out
}

func removeIndexes(items []any, idx []int) []any {
	drop := map[int]bool{}
	for _, i := range idx {
		drop[i] = true
	}
	var out []any
	for i, item := range items {
		if !drop[i] {
			out = append(out, item)
		}
	}
	return out
}

// equalitySeed returns the value a filter made only of "sub eq value"
// comparisons joined by "and" describes.
func equalitySeed(a *attribute, e scimfilter.Expr) (doc, bool) {
	out := doc{}
	var walk func(scimfilter.Expr) bool
	walk = func(e scimfilter.Expr) bool {
		switch n := e.(type) {
		case *scimfilter.And:
			return walk(n.Left) && walk(n.Right)
		case *scimfilter.Compare:
			sub := a.sub(n.Attr.Name)
			if n.Op != scimfilter.Eq || sub == nil || sub.Mutability == readOnly {
				return false
			}
			v, err := normalizeSingle(sub, n.Value, a.Name+"."+sub.Name)
			if err != nil || v == nil {
				return false
			}
			out[sub.Name] = v
			return true
		}
		return false
	}
	return out, walk(e)
}

// matchElement evaluates a value filter against one value of a.
func matchElement(a *attribute, m doc, e scimfilter.Expr) bool {
	switch n := e.(type) {
	case *scimfilter.And:
		return matchElement(a, m, n.Left) && matchElement(a, m, n.Right)
	case *scimfilter.Or:
		return matchElement(a, m, n.Left) || matchElement(a, m, n.Right)
	case *scimfilter.Not:
		return !matchElement(a, m, n.X)
	case *scimfilter.Compare:
		sub := a.sub(n.Attr.Name)
		if sub == nil {
			return false
		}
		return compareValue(sub, m[sub.Name], n.Op, n.Value)
	}
	return false
}

// compareValue evaluates "have op want" for an attribute of type a.Type.
func compareValue(a *attribute, have any, op scimfilter.Operator, want any) bool {
	if op == scimfilter.Pr {
		return have != nil
	}
	if want == nil {
		switch op {
		case scimfilter.Eq:
			return have == nil
		case scimfilter.Ne:
			return have != nil
		}
		return false
	}
	if a.Type == typeBoolean {
		hb, _ := have.(bool)
		wb, err := parseBool(want, a.Name)
		if err != nil {
			return false
		}
		switch op {
		case scimfilter.Eq:
			return hb == wb
		case scimfilter.Ne:
			return hb != wb
		}
		return false
	}
	hs, hok := have.(string)
	ws, wok := want.(string)
	if n, isNum := want.(json.Number); isNum {
		ws, wok = n.String(), true
	}
	if !wok {
		return false
	}
	if !hok {
		return op == scimfilter.Ne
	}
	if !a.CaseExact {
		hs, ws = strings.ToLower(hs), strings.ToLower(ws)
	}
	switch op {
	case scimfilter.Eq:
		return hs == ws
	case scimfilter.Ne:
		return hs != ws
	case scimfilter.Co:
		return strings.Contains(hs, ws)
	case scimfilter.Sw:
		return strings.HasPrefix(hs, ws)
	case scimfilter.Ew:
		return strings.HasSuffix(hs, ws)
	case scimfilter.Gt:
		return hs > ws
	case scimfilter.Ge:
		return hs >= ws
	case scimfilter.Lt:
		return hs < ws
	case scimfilter.Le:
		return hs <= ws
	}
	return false
}
