package scim

import (
	"encoding/json"
	"strings"
	"testing"
)

// sampleUser is a normalized User doc as the store holds it.
func sampleUser(t testing.TB) doc {
	t.Helper()
	d, err := normalizeResource(userResource, decode(t, `{
		"userName": "grace@contoso.example",
		"active": true,
		"name": {"givenName": "Grace", "familyName": "Hopper"},
		"emails": [{"value": "grace@acme.example", "type": "work", "primary": true}, {"value": "g@home.example", "type": "home"}],
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Navy"}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestApplyPatch(t *testing.T) {
	tests := []struct {
		name, ops string
		want      string // a JSON object of attributes the result must have (null: absent)
	}{
		{"Entra capitalized replace of a sub-attribute", `[{"op":"Replace","path":"name.familyName","value":"Murray"}]`,
			`{"name":{"familyName":"Murray","givenName":"Grace"}}`},
		{"Entra string boolean", `[{"op":"Replace","path":"active","value":"False"}]`, `{"active":false}`},
		{"Entra value path on a sub-attribute", `[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"gh@acme.example"}]`,
			`{"emails":[{"primary":true,"type":"work","value":"gh@acme.example"},{"type":"home","value":"g@home.example"}]}`},
		{"Entra Add creates the value a filter describes", `[{"op":"Add","path":"phoneNumbers[type eq \"mobile\"].value","value":"+1 555"}]`,
			`{"phoneNumbers":[{"type":"mobile","value":"+1 555"}]}`},
		{"Entra manager as a plain id", `[{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"26118915-6090-4610-87e4-49d8ca9f808d"}]`,
			`{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Navy","manager":{"value":"26118915-6090-4610-87e4-49d8ca9f808d"}}}`},
		{"Entra path-less replace with dotted and URN keys", `[{"op":"replace","value":{"name.givenName":"G","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Fleet","displayName":"GH","active":"True","unknownThing":1}}]`,
			`{"name":{"familyName":"Hopper","givenName":"G"},"displayName":"GH","active":true,"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Fleet"}}`},
		{"Entra remove of an extension attribute", `[{"op":"Remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"}]`,
			`{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":null}`},
		{"Okta deactivation", `[{"op":"replace","value":{"active":false}}]`, `{"active":false}`},
		{"Okta password is accepted and dropped", `[{"op":"replace","value":{"password":"secret"}},{"op":"replace","path":"password","value":"x"}]`,
			`{"password":null,"active":true}`},
		{"Okta id and meta in a path-less value are ignored", `[{"op":"replace","value":{"id":"x","meta":{},"displayName":"D"}}]`, `{"displayName":"D"}`},
		{"remove by value filter", `[{"op":"remove","path":"emails[type eq \"home\"]"}]`,
			`{"emails":[{"primary":true,"type":"work","value":"grace@acme.example"}]}`},
		{"remove a sub-attribute of filtered values", `[{"op":"remove","path":"emails[type eq \"work\"].primary"}]`,
			`{"emails":[{"type":"work","value":"grace@acme.example"},{"type":"home","value":"g@home.example"}]}`},
		{"remove values given by value", `[{"op":"remove","path":"emails","value":[{"value":"G@HOME.example"}]}]`,
			`{"emails":[{"primary":true,"type":"work","value":"grace@acme.example"}]}`},
		{"add appends and a new primary wins", `[{"op":"add","path":"emails","value":[{"value":"new@acme.example","primary":true}]}]`,
			`{"emails":[{"primary":false,"type":"work","value":"grace@acme.example"},{"type":"home","value":"g@home.example"},{"primary":true,"value":"new@acme.example"}]}`},
		{"adding an existing value changes nothing", `[{"op":"add","path":"emails","value":{"value":"g@home.example","type":"home"}}]`,
			`{"emails":[{"primary":true,"type":"work","value":"grace@acme.example"},{"type":"home","value":"g@home.example"}]}`},
		{"replace a whole multi-valued attribute", `[{"op":"replace","path":"emails","value":[{"value":"only@acme.example"}]}]`,
			`{"emails":[{"value":"only@acme.example"}]}`},
		{"replace of a complex attribute merges", `[{"op":"replace","path":"name","value":{"middleName":"B"}}]`,
			`{"name":{"familyName":"Hopper","givenName":"Grace","middleName":"B"}}`},
		{"null unassigns", `[{"op":"replace","path":"name.givenName","value":null},{"op":"replace","path":"title","value":""}]`,
			`{"name":{"familyName":"Hopper"},"title":null}`},
		{"attribute names are case-insensitive", `[{"op":"replace","path":"NAME.FAMILYNAME","value":"H"},{"op":"add","path":"URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:Division","value":"X"}]`,
			`{"name":{"familyName":"H","givenName":"Grace"},"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Navy","division":"X"}}`},
		{"a whole extension", `[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","value":{"costCenter":"42"}}]`,
			`{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"costCenter":"42","department":"Navy"}}`},
		{"core URN prefix", `[{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:nickName","value":"Amazing"}]`, `{"nickName":"Amazing"}`},
		{"sub-attribute of every value", `[{"op":"replace","path":"emails.display","value":"mail"}]`,
			`{"emails":[{"display":"mail","primary":true,"type":"work","value":"grace@acme.example"},{"display":"mail","type":"home","value":"g@home.example"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sampleUser(t)
			ops, err := decodePatch(decode(t, `{"Operations":`+tt.ops+`}`))
			if err != nil {
				t.Fatal(err)
			}
			if err := applyPatch(userResource, d, ops); err != nil {
				t.Fatal(err)
			}
			for k, want := range decode(t, tt.want) {
				if got := asJSON(d[k]); got != asJSON(want) {
					t.Errorf("%s = %s, want %s", k, got, asJSON(want))
				}
			}
		})
	}
}

func TestApplyPatchToGroupMembers(t *testing.T) {
	a, b, c := "0193c6a2-0000-7000-8000-00000000000a", "0193c6a2-0000-7000-8000-00000000000b", "0193c6a2-0000-7000-8000-00000000000c"
	members := func(ids ...string) string {
		var parts []string
		for _, id := range ids {
			parts = append(parts, `{"value":"`+id+`"}`)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	tests := []struct{ ops, want string }{
		{`[{"op":"add","path":"members","value":` + members(c) + `}]`, members(a, b, c)},
		{`[{"op":"Remove","path":"members","value":` + members(b) + `}]`, members(a)},
		{`[{"op":"remove","path":"members[value eq \"` + a + `\"]"}]`, members(b)},
		{`[{"op":"remove","path":"members[value eq \"` + a + `\" or value eq \"` + b + `\"]"}]`, "null"},
		{`[{"op":"remove","path":"members"}]`, "null"},
		{`[{"op":"replace","path":"members","value":` + members(c) + `}]`, members(c)},
		{`[{"op":"remove","path":"members[value eq \"` + c + `\"]"}]`, members(a, b)},
		{`[{"op":"add","path":"members","value":[{"value":"` + a + `","display":"ignored","$ref":"x"}]}]`, `[{"value":"` + a + `"},{"value":"` + b + `"},{"$ref":"x","value":"` + a + `"}]`},
	}
	for _, tt := range tests {
		d, err := normalizeResource(groupResource, decode(t, `{"displayName":"G","members":`+members(a, b)+`}`))
		if err != nil {
			t.Fatal(err)
		}
		ops, err := decodePatch(decode(t, `{"Operations":`+tt.ops+`}`))
		if err != nil {
			t.Fatal(err)
		}
		if err := applyPatch(groupResource, d, ops); err != nil {
			t.Fatalf("%s: %v", tt.ops, err)
		}
		if got := asJSON(d["members"]); got != asJSON(decode(t, `{"m":`+tt.want+`}`)["m"]) {
			t.Errorf("%s: members %s, want %s", tt.ops, got, tt.want)
		}
	}
}

func TestPatchErrorsHaveTheirScimType(t *testing.T) {
	tests := []struct{ ops, scimType string }{
		{`[{"op":"remove"}]`, typeNoTarget},
		{`[{"op":"replace","path":"nope","value":1}]`, typeInvalidPath},
		{`[{"op":"replace","path":"id","value":"x"}]`, typeMutability},
		{`[{"op":"replace","path":"groups","value":[]}]`, typeMutability},
		{`[{"op":"replace","path":"emails[type eq \"work\" or type eq \"x\"].value","value":"a@b.c"},{"op":"replace","path":"addresses[type pr].country","value":"x"}]`, typeNoTarget},
		{`[{"op":"replace","path":"emails[nope eq \"x\"]","value":{}}]`, typeInvalidFilter},
		{`[{"op":"replace","path":"name","value":"x"}]`, typeInvalidValue},
		{`[{"op":"replace","path":"active","value":2}]`, typeInvalidValue},
		{`[{"op":"replace","path":"title","value":{"a":1}}]`, typeInvalidValue},
	}
	for _, tt := range tests {
		ops, err := decodePatch(decode(t, `{"Operations":`+tt.ops+`}`))
		if err == nil {
			err = applyPatch(userResource, sampleUser(t), ops)
		}
		e, ok := err.(*Error)
		if !ok || e.Status != 400 || e.ScimType != tt.scimType {
			t.Errorf("%s: %v, want 400 %s", tt.ops, err, tt.scimType)
		}
	}
}

func jsonUnmarshalNumber(s string, v any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	return dec.Decode(v)
}
