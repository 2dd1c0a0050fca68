package scim

import (
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/orgtrail/orgtrail/server/scim/scimfilter"
)

// doc is a SCIM resource's attributes as a JSON object with canonical
// attribute names: core attributes at the top, extension attributes in an
// object keyed by the extension's URN. Values are string, bool, doc
// (complex) or []any of those (multi-valued). A normalized doc holds no
// null, empty string, empty object or empty array: unassigned attributes
// are absent, as RFC 7643 §2.5 makes them equivalent.
type doc = map[string]any

// Limits on what a client may store.
const (
	maxStringBytes = 1024
	maxValues      = 100 // per multi-valued attribute (members excepted)
	maxMembers     = 10000
)

// normalizeResource turns a client's JSON object (POST or PUT body) into a
// doc of the attributes rt defines. Unknown attributes are ignored, as are
// read-only ones (id, meta, groups: Okta sends them back on PUT) and the
// write-only password, which is never stored.
func normalizeResource(rt *resourceType, in map[string]any) (doc, error) {
	out := doc{}
	for key, v := range in {
		if strings.EqualFold(key, "schemas") {
			continue
		}
		ref, ok := resolveKey(rt, key)
		if !ok || (ref.Attr != nil && (ref.Attr.Mutability == readOnly || ref.Attr.Mutability == writeOnly)) {
			continue
		}
		if ref.Attr == nil { // a whole extension
			obj, ok := v.(map[string]any)
			if v == nil {
				continue
			}
			if !ok {
				return nil, badRequest(typeInvalidValue, "%s must be an object", ref.Ext.ID)
			}
			ext := doc{}
			for k, sv := range obj {
				a := ref.Ext.attr(k)
				if a == nil || a.Mutability == readOnly {
					continue
				}
				nv, err := normalizeValue(a, sv, a.Name)
				if err != nil {
					return nil, err
				}
				if nv != nil {
					ext[a.Name] = nv
				}
			}
			if len(ext) > 0 {
				out[ref.Ext.ID] = ext
			}
			continue
		}
		nv, err := normalizeValue(ref.Attr, v, ref.Attr.Name)
		if err != nil {
			return nil, err
		}
		setAttr(out, ref, nv)
	}
	return out, nil
}

// resolveKey resolves a JSON key of a resource: a name, or a URN-qualified
// name ("urn:...:User:department").
func resolveKey(rt *resourceType, key string) (attrRef, bool) {
	if i := strings.LastIndexByte(key, ':'); i > 0 {
		return rt.resolve(key[:i], key[i+1:])
	}
	return rt.resolve("", key)
}

// getAttr returns the value of a resolved attribute in d (nil if unassigned).
func getAttr(d doc, ref attrRef) any {
	if ref.Attr == nil {
		return d[ref.Ext.ID]
	}
	if ref.Ext != nil {
		ext, _ := d[ref.Ext.ID].(doc)
		return ext[ref.Attr.Name]
	}
	return d[ref.Attr.Name]
}

// setAttr sets (or, for nil, removes) a resolved attribute in d.
func setAttr(d doc, ref attrRef, v any) {
	if ref.Attr == nil {
		if v == nil {
			delete(d, ref.Ext.ID)
		} else {
			d[ref.Ext.ID] = v
		}
		return
	}
	if ref.Ext == nil {
		if v == nil {
			delete(d, ref.Attr.Name)
		} else {
			d[ref.Attr.Name] = v
		}
		return
	}
	ext, _ := d[ref.Ext.ID].(doc)
	if ext == nil {
		if v == nil {
			return
		}
		ext = doc{}
		d[ref.Ext.ID] = ext
	}
	if v == nil {
		delete(ext, ref.Attr.Name)
		if len(ext) == 0 {
			delete(d, ref.Ext.ID)
		}
		return
	}
	ext[ref.Attr.Name] = v
}

// normalizeValue checks and canonicalizes a value of attribute a. It
// returns nil for an unassigned value.
func normalizeValue(a *attribute, v any, path string) (any, error) {
	if v == nil {
		return nil, nil
	}
	if !a.MultiValued {
		return normalizeSingle(a, v, path)
	}
	items, ok := v.([]any)
	if !ok {
		items = []any{v} // a single value where a list is expected
	}
	limit := maxValues
	if a == groupSchema.attr("members") {
		limit = maxMembers
	}
	if len(items) > limit {
		return nil, badRequest(typeInvalidValue, "%s holds more than %d values", path, limit)
	}
	out := make([]any, 0, len(items))
	for _, item := range items {
		nv, err := normalizeSingle(a, item, path)
		if err != nil {
			return nil, err
		}
		if nv != nil {
			out = append(out, nv)
		}
	}
	return tidyMulti(out), nil
}

// tidyMulti removes duplicate values and keeps at most one primary (the
// last one set, per RFC 7644 §3.5.2); an empty list is unassigned.
func tidyMulti(items []any) any {
	var out []any
	for _, item := range items {
		dup := false
		for _, seen := range out {
			if reflect.DeepEqual(seen, item) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, item)
		}
	}
	primary := -1
	for i, item := range out {
		if m, ok := item.(doc); ok && m["primary"] == true {
			primary = i
		}
	}
	for i, item := range out {
		if m, ok := item.(doc); ok && i != primary && m["primary"] == true {
			m["primary"] = false
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func normalizeSingle(a *attribute, v any, path string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch a.Type {
	case typeComplex:
		obj, ok := v.(map[string]any)
		if !ok {
			// A bare string where a complex value with a "value" is expected:
			// Entra sends manager that way, some clients send members so.
			if s, isString := v.(string); isString && a.sub("value") != nil {
				obj = map[string]any{"value": s}
			} else {
				return nil, badRequest(typeInvalidValue, "%s must be an object", path)
			}
		}
		out := doc{}
		for k, sv := range obj {
			sub := a.sub(k)
			if sub == nil || sub.Mutability == readOnly {
				continue
			}
			nv, err := normalizeSingle(sub, sv, path+"."+sub.Name)
			if err != nil {
				return nil, err
			}
			if nv != nil {
				out[sub.Name] = nv
			}
		}
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	case typeBoolean:
		return parseBool(v, path)
	default:
		s, ok := v.(string)
		if !ok {
			return nil, badRequest(typeInvalidValue, "%s must be a string", path)
		}
		if len(s) > maxStringBytes {
			return nil, badRequest(typeInvalidValue, "%s is longer than %d bytes", path, maxStringBytes)
		}
		if !utf8.ValidString(s) {
			return nil, badRequest(typeInvalidValue, "%s is not valid UTF-8", path)
		}
		if strings.TrimSpace(s) == "" {
			return nil, nil
		}
		return s, nil
	}
}

// parseBool accepts a JSON boolean or, as Microsoft Entra ID sends it, the
// strings "True" and "False" in any case.
func parseBool(v any, path string) (any, error) {
	switch b := v.(type) {
	case bool:
		return b, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(b)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return nil, badRequest(typeInvalidValue, "%s must be true or false", path)
}

// cloneDoc deep-copies a doc so a change can be compared with the original.
func cloneDoc(d doc) doc {
	out := make(doc, len(d))
	for k, v := range d {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch t := v.(type) {
	case doc:
		return cloneDoc(t)
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = cloneValue(x)
		}
		return out
	}
	return v
}

// projection is the attributes/excludedAttributes of a request (RFC 7644
// §3.4.2.5), resolved against the resource type.
type projection struct {
	include []projected
	exclude []projected
}

type projected struct {
	ref attrRef
	sub string // canonical sub-attribute name, or ""
}

// parseProjection reads the comma-separated attribute lists. Unknown
// attributes are ignored: they are simply never returned.
func parseProjection(rt *resourceType, attributes, excluded string) projection {
	var p projection
	p.include = projectedList(rt, attributes)
	if len(p.include) == 0 {
		p.exclude = projectedList(rt, excluded)
	}
	return p
}

func projectedList(rt *resourceType, list string) []projected {
	var out []projected
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		path, err := scimfilter.ParsePath(item)
		if err != nil || path.Filter != nil {
			continue
		}
		ref, ok := rt.resolve(path.Attr.URN, path.Attr.Name)
		if !ok {
			continue
		}
		pr := projected{ref: ref}
		if path.Attr.Sub != "" {
			if ref.Attr == nil {
				continue
			}
			sub := ref.Attr.sub(path.Attr.Sub)
			if sub == nil {
				continue
			}
			pr.sub = sub.Name
		}
		out = append(out, pr)
	}
	return out
}

// wants reports whether the response should carry attribute name (a core
// attribute of rt), so that costly ones (group members) are loaded only
// when asked for.
func (p projection) wants(name string) bool {
	if len(p.include) > 0 {
		for _, in := range p.include {
			if in.ref.Attr != nil && in.ref.Ext == nil && in.ref.Attr.Name == name {
				return true
			}
		}
		return false
	}
	for _, ex := range p.exclude {
		if ex.ref.Attr != nil && ex.ref.Ext == nil && ex.ref.Attr.Name == name && ex.sub == "" {
			return false
		}
	}
	return true
}

// apply filters a rendered resource. schemas and id are always returned.
func (p projection) apply(r doc) doc {
	if len(p.include) == 0 && len(p.exclude) == 0 {
		return r
	}
	if len(p.include) > 0 {
		out := doc{"schemas": r["schemas"], "id": r["id"]}
		for _, in := range p.include {
			v := getAttr(r, in.ref)
			if v == nil {
				continue
			}
			if in.sub != "" {
				v = pickSub(v, in.sub)
				if v == nil {
					continue
				}
				if prev := getAttr(out, in.ref); prev != nil {
					v = mergeSubs(prev, v)
				}
			}
			setAttr(out, in.ref, v)
		}
		return out
	}
	out := cloneShallow(r)
	for _, ex := range p.exclude {
		if ex.ref.Attr == idAttr {
			continue
		}
		if ex.sub == "" {
			setAttr(out, ex.ref, nil)
			continue
		}
		if v := getAttr(out, ex.ref); v != nil {
			setAttr(out, ex.ref, dropSub(v, ex.sub))
		}
	}
	return out
}

func cloneShallow(r doc) doc {
	out := make(doc, len(r))
	for k, v := range r {
		if ext, ok := v.(doc); ok {
			v = cloneShallow(ext)
		}
		out[k] = v
	}
	return out
}

// pickSub keeps only sub-attribute sub of a complex value or of each value
// of a multi-valued one.
func pickSub(v any, sub string) any {
	switch t := v.(type) {
	case doc:
		if x, ok := t[sub]; ok {
			return doc{sub: x}
		}
		return nil
	case []any:
		var out []any
		for _, item := range t {
			if m, ok := item.(doc); ok {
				if x, ok := m[sub]; ok {
					out = append(out, doc{sub: x})
				}
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	return nil
}

// mergeSubs merges two picked sub-attribute selections of the same attribute.
func mergeSubs(a, b any) any {
	switch x := a.(type) {
	case doc:
		if y, ok := b.(doc); ok {
			out := doc{}
			for k, v := range x {
				out[k] = v
			}
			for k, v := range y {
				out[k] = v
			}
			return out
		}
	case []any:
		if y, ok := b.([]any); ok && len(x) == len(y) {
			out := make([]any, len(x))
			for i := range x {
				out[i] = mergeSubs(x[i], y[i])
			}
			return out
		}
	}
	return b
}

func dropSub(v any, sub string) any {
	switch t := v.(type) {
	case doc:
		out := doc{}
		for k, x := range t {
			if k != sub {
				out[k] = x
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case []any:
		out := make([]any, 0, len(t))
		for _, item := range t {
			if d := dropSub(item, sub); d != nil {
				out = append(out, d)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	return v
}
