package scim

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/orgtrail/orgtrail/server/scim/scimfilter"
)

func translate(m sqlMapping, filter string) (string, []any, error) {
	e, err := scimfilter.Parse(filter)
	if err != nil {
		return "", nil, badRequest(typeInvalidFilter, "%v", err)
	}
	return m.where(e)
}

func TestFilterTranslation(t *testing.T) {
	tests := []struct{ filter, sql, args string }{
		// Plain comparisons stay bare, so the lower(user_name) index serves them.
		{`userName eq "Bjensen"`, `lower(su.user_name) = lower(?)`, `[Bjensen]`},
		{`externalId eq "X"`, `su.external_id = ?`, `[X]`},
		{`userName co "a%b_c\\"`, `lower(su.user_name) LIKE lower(?) ESCAPE '\'`, `[%a\%b\_c\\%]`},
		{`active eq false`, `(m.status = 'ACTIVE') = ?`, `[false]`},
		{`id eq "0193c6a2-0000-7000-8000-00000000000a"`, `su.id = ?`, `[0193c6a2-0000-7000-8000-00000000000a]`},
		{`id eq "nope"`, `false`, `[]`},
		{`name.givenName sw "G"`, `lower(su.attributes->'name'->>'givenName') LIKE lower(?) ESCAPE '\'`, `[G%]`},
		{`title pr`, `(su.attributes->>'title' IS NOT NULL AND su.attributes->>'title' <> '')`, `[]`},
		{`emails[type eq "work"].value eq "a@b.c"`,
			`EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(su.attributes->'emails', '[]'::jsonb)) AS e(v) WHERE (lower(e.v->>'type') = lower(?) AND lower(e.v->>'value') = lower(?)))`,
			`[work a@b.c]`},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m"`,
			`lower(su.attributes->'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'->'manager'->>'value') = lower(?)`, `[m]`},
		// Under NOT (and in ne) an unassigned attribute compares as false.
		{`not (userName eq "a") or title ne "b"`,
			`((NOT COALESCE(lower(su.user_name) = lower(?), false)) OR NOT COALESCE(lower(su.attributes->>'title') = lower(?), false))`, `[a b]`},
		{`not (title eq "a" and nickName pr)`,
			`(NOT COALESCE((lower(su.attributes->>'title') = lower(?) AND (su.attributes->>'nickName' IS NOT NULL AND su.attributes->>'nickName' <> '')), false))`, `[a]`},
	}
	for _, tt := range tests {
		sql, args, err := translate(userSQL, tt.filter)
		if err != nil {
			t.Errorf("%s: %v", tt.filter, err)
			continue
		}
		if sql != tt.sql || fmt.Sprint(args) != tt.args {
			t.Errorf("%s:\n got %s %v\nwant %s %s", tt.filter, sql, args, tt.sql, tt.args)
		}
	}
}

func TestFilterTranslationRefusesWhatItCannotAnswer(t *testing.T) {
	for _, filter := range []string{
		`nope eq "x"`, `password eq "x"`, `name eq "x"`, `userName eq true`, `active co "t"`, `meta.created sw "2020"`,
		`meta.created gt "not a date"`, `emails[nope eq "x"]`, `emails[value.x eq "x"]`, `userName[x eq "y"]`,
		`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User eq "x"`, `urn:nope:x eq "y"`, `title gt null`,
	} {
		_, _, err := translate(userSQL, filter)
		var e *Error
		if !errors.As(err, &e) || e.Status != 400 || e.ScimType != typeInvalidFilter {
			t.Errorf("%s: %v, want 400 invalidFilter", filter, err)
		}
	}
}

// checkClientError fails unless err is nil or a SCIM client error: what the
// HTTP layer would answer with a 4xx, never a 500.
func checkClientError(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	e, ok := asError(err)
	if !ok || e.Status >= 500 {
		t.Fatalf("%s: %v would be a %d", what, err, e.Status)
	}
}

func FuzzFilter(f *testing.F) {
	for _, seed := range []string{
		`userName eq "bjensen"`, `emails[type eq "work"].value eq "a@b.c"`, `not (title pr) or active eq "False"`,
		`members[value eq "0193c6a2-0000-7000-8000-00000000000a"]`, `meta.created ge "2020-01-01T00:00:00Z"`,
		`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "x"`, `groups.display co "Eng"`,
		`displayName eq "x" and externalId eq "y"`, `id eq "x" and members eq "y"`, `userName co "%_\\"`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, filter string) {
		start := time.Now()
		e, err := scimfilter.Parse(filter)
		if err != nil {
			return // answered 400 invalidFilter by the handler
		}
		for _, m := range []sqlMapping{userSQL, groupSQL} {
			sql, args, err := m.where(e)
			checkClientError(t, filter, err)
			if err == nil && strings.Count(sql, "?") != len(args) {
				t.Fatalf("%s: %d placeholders for %d arguments in %s", filter, strings.Count(sql, "?"), len(args), sql)
			}
		}
		if d := time.Since(start); d > time.Second {
			t.Fatalf("%q took %s", filter, d)
		}
	})
}

func FuzzPatch(f *testing.F) {
	for _, seed := range []struct{ op, path, value string }{
		{"Replace", `emails[type eq "work"].value`, `"x@y.z"`},
		{"add", `members[value eq "0193c6a2-0000-7000-8000-00000000000a"]`, `[{"value":"x"}]`},
		{"remove", `members`, `[{"value":"0193c6a2-0000-7000-8000-00000000000a"}]`},
		{"replace", ``, `{"active":"False","name.givenName":"A","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"D"}`},
		{"Add", `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`, `"id"`},
		{"replace", `name`, `{"givenName":null}`},
		{"remove", `emails[type eq "home" or primary eq true].display`, `null`},
		{"replace", `phoneNumbers[type eq "mobile"]`, `{"value":"1"}`},
	} {
		f.Add(seed.op, seed.path, seed.value)
	}
	f.Fuzz(func(t *testing.T, name, path, value string) {
		start := time.Now()
		body := map[string]any{"op": name, "path": path}
		if value != "" {
			var v any
			if err := jsonUnmarshalNumber(value, &v); err != nil {
				return
			}
			body["value"] = v
		}
		ops, err := decodePatch(map[string]any{"Operations": []any{body}})
		checkClientError(t, "decode", err)
		if err != nil {
			return
		}
		for _, rt := range []*resourceType{userResource, groupResource} {
			var d doc
			if rt == userResource {
				d = sampleUser(t)
			} else {
				d = doc{"displayName": "G", "members": []any{doc{"value": "0193c6a2-0000-7000-8000-00000000000a"}}}
			}
			err := applyPatch(rt, d, ops)
			checkClientError(t, path, err)
			if err != nil {
				continue
			}
			// What a PATCH leaves is a doc the store accepts or refuses cleanly.
			if rt == userResource {
				_, _, _, _, err = splitUser(d)
				checkClientError(t, path, err)
				if err == nil {
					_, err = signInEmail(d)
					checkClientError(t, path, err)
				}
			} else {
				_, _, _, err = splitGroup(d)
				checkClientError(t, path, err)
			}
		}
		if d := time.Since(start); d > time.Second {
			t.Fatalf("%s %q took %s", name, path, d)
		}
	})
}
