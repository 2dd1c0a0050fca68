package app

import (
	"net/http"
	"strings"
	"testing"
)

// These tests replay provisioning sessions shaped like those of Okta and
// Microsoft Entra ID, request by request, over HTTP. The responses and the
// audit events they record are compared with golden files under
// testdata/scim (refresh them with -update after checking the diff).

const patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

func patch(ops ...map[string]any) map[string]any {
	list := make([]any, len(ops))
	for i, op := range ops {
		list[i] = op
	}
	return map[string]any{"schemas": []string{patchOp}, "Operations": list}
}

func op(name, path string, value any) map[string]any {
	m := map[string]any{"op": name}
	if path != "" {
		m["path"] = path
	}
	if value != nil {
		m["value"] = value
	}
	return m
}

// mapGroup maps a SCIM group to a role through GraphQL, as an admin does.
func (r *rig) mapGroup(key, group, role string) {
	r.t.Helper()
	r.ok(key, `mutation($g: ID!, $r: ID!) { mapScimGroupToRole(input: {groupId: $g, roleId: $r}) { group { id roles { name } } } }`,
		map[string]any{"g": group, "r": role}, nil)
}

// rolesOf returns the names of the roles a member holds, sorted.
func (r *rig) rolesOf(key, email string) string {
	r.t.Helper()
	var out struct {
		Members []struct {
			User  struct{ Email string }
			Roles []struct{ Name string }
		}
	}
	r.ok(key, `{ members { user { email } roles { name } } }`, nil, &out)
	for _, m := range out.Members {
		if m.User.Email == email {
			var names []string
			for _, role := range m.Roles {
				names = append(names, role.Name)
			}
			return strings.Join(names, ",")
		}
	}
	return "<not a member>"
}

func TestOktaProvisioningSession(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	engineer := r.createRole(acme.Key, "Engineer", "audit_log:read")
	tok := r.scimToken(acme.Key, "Okta")
	okta := r.idp(tok.Token, "Okta SCIM Client 1.0.0")
	n := newNormalizer()
	n.name(engineer.ID, "role:Engineer")
	n.name(tok.ScimToken.ID, "token:Okta")
	skip := len(r.events(acme.OrgID))

	// Import: is Dorothy there already?
	res := okta.must(http.StatusOK, "GET", filterPath("Users", `userName eq "dorothy@acme.example"`, "startIndex=1", "count=100"), nil)
	if res.num("totalResults") != 0 {
		t.Fatalf("empty directory: %s", res.Raw)
	}
	// Create, with a password and the groups Okta always sends.
	res = okta.must(http.StatusCreated, "POST", "/Users", map[string]any{
		"schemas":     []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
		"userName":    "dorothy@acme.example",
		"name":        map[string]any{"givenName": "Dorothy", "familyName": "Gale"},
		"emails":      []any{map[string]any{"primary": true, "value": "dorothy@acme.example", "type": "work"}},
		"displayName": "Dorothy Gale",
		"locale":      "en-US",
		"externalId":  "00ujl29u0le5T6Aj10h7",
		"groups":      []any{},
		"password":    "1mz050nq",
		"active":      true,
	})
	dorothy := res.str("id")
	n.name(dorothy, "user:dorothy")
	okta.must(http.StatusOK, "GET", "/Users/"+dorothy, nil)

	// Profile push: a full PUT, read-modify-write, with id, meta, groups and
	// an attribute Orgtrail does not know.
	full := okta.must(http.StatusOK, "GET", "/Users/"+dorothy, nil).Body
	full["name"] = map[string]any{"givenName": "Dorothy", "familyName": "Gale-Smith"}
	full["title"] = "Farm Manager"
	full["groups"] = []any{}
	full["urn:okta:acme:1.0:user:custom"] = map[string]any{"shoeColor": "ruby"}
	okta.must(http.StatusOK, "PUT", "/Users/"+dorothy, full)
	// The same PUT again changes nothing and records nothing.
	before := len(r.events(acme.OrgID))
	okta.must(http.StatusOK, "PUT", "/Users/"+dorothy, full)
	if len(r.events(acme.OrgID)) != before {
		t.Fatal("a PUT that changes nothing was recorded")
	}

	// Password sync: accepted, never stored.
	okta.must(http.StatusOK, "PATCH", "/Users/"+dorothy, patch(op("replace", "", map[string]any{"password": "t1meMa$heen"})))

	// Deactivation, then the user is still there, inactive.
	b := r.browser()
	b.signIn("dorothy@acme.example")
	if b.viewer().Viewer == nil {
		t.Fatal("Dorothy could not sign in")
	}
	res = okta.must(http.StatusOK, "PATCH", "/Users/"+dorothy, patch(op("replace", "", map[string]any{"active": false})))
	if res.Body["active"] != false {
		t.Fatalf("deactivated: %s", res.Raw)
	}
	if g := b.gql(viewerQuery, nil); g.code() != "UNAUTHENTICATED" {
		t.Fatalf("a deprovisioned user's session still works: %+v", g)
	}
	if status, _ := r.browser().post("/auth/magic-link", map[string]string{"email": "dorothy@acme.example"}, false); status != 200 {
		t.Fatal("magic link request failed")
	}
	// The request is answered off the request path: let the worker answer it
	// while she is deactivated (no link), before she is reactivated.
	r.waitForMail()
	res = okta.must(http.StatusOK, "GET", filterPath("Users", `userName eq "dorothy@acme.example"`), nil)
	if res.num("totalResults") != 1 || res.resources()[0]["active"] != false {
		t.Fatalf("inactive users are still listed: %s", res.Raw)
	}
	// Reactivation: Dorothy can sign in again.
	okta.must(http.StatusOK, "PATCH", "/Users/"+dorothy, patch(op("replace", "", map[string]any{"active": true})))
	b = r.browser()
	b.signIn("dorothy@acme.example")
	if b.viewer().Viewer == nil {
		t.Fatal("a reactivated user cannot sign in")
	}

	toto := okta.must(http.StatusCreated, "POST", "/Users", map[string]any{
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": "toto@acme.example",
		"name":   map[string]any{"givenName": "Toto", "familyName": "Gale"},
		"emails": []any{map[string]any{"primary": true, "value": "toto@acme.example", "type": "work"}},
		"active": true, "groups": []any{},
	}).str("id")
	n.name(toto, "user:toto")

	// Group push: the group first, then (after the admin maps it to a role)
	// its members.
	group := okta.must(http.StatusCreated, "POST", "/Groups", map[string]any{
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:Group"}, "displayName": "Engineering", "members": []any{},
	}).str("id")
	n.name(group, "group:Engineering")
	r.mapGroup(acme.Key, group, engineer.ID)
	okta.must(http.StatusOK, "PATCH", "/Groups/"+group, patch(op("add", "members", []any{
		map[string]any{"value": dorothy, "display": "dorothy@acme.example"},
		map[string]any{"value": toto, "display": "toto@acme.example"},
	})))
	if got := r.rolesOf(acme.Key, "dorothy@acme.example"); got != "Engineer" {
		t.Fatalf("Dorothy's roles %q, want Engineer from the group", got)
	}
	okta.must(http.StatusOK, "GET", "/Groups/"+group, nil)
	// Rename: Okta sends the id along.
	okta.must(http.StatusOK, "PATCH", "/Groups/"+group, patch(op("replace", "", map[string]any{"id": group, "displayName": "Engineering Team"})))
	// Remove one member by a value path.
	okta.must(http.StatusOK, "PATCH", "/Groups/"+group, patch(op("remove", `members[value eq "`+toto+`"]`, nil)))
	if got := r.rolesOf(acme.Key, "toto@acme.example"); got != "" {
		t.Fatalf("Toto's roles %q after leaving the group", got)
	}
	// Full replace of the members.
	okta.must(http.StatusOK, "PATCH", "/Groups/"+group, patch(op("replace", "members", []any{map[string]any{"value": toto}})))
	if a, b := r.rolesOf(acme.Key, "dorothy@acme.example"), r.rolesOf(acme.Key, "toto@acme.example"); a != "" || b != "Engineer" {
		t.Fatalf("roles after replacing the members: Dorothy %q, Toto %q", a, b)
	}
	res = okta.must(http.StatusOK, "GET", "/Users/"+toto, nil)
	if groups, _ := res.Body["groups"].([]any); len(groups) != 1 {
		t.Fatalf("Toto's groups: %s", res.Raw)
	}
	// Deprovisioning, Okta style: deactivate, never DELETE.
	okta.must(http.StatusOK, "PATCH", "/Users/"+dorothy, patch(op("replace", "", map[string]any{"active": false})))

	events := r.eventViews(acme.OrgID, skip)
	want := "PROVISIONED_USER,UPDATED_USER,GENERATED_MAGIC_LINK,LOGGED_IN,DEPROVISIONED_USER," +
		"PROVISIONED_USER,GENERATED_MAGIC_LINK,LOGGED_IN,PROVISIONED_USER," +
		"CREATED_GROUP,UPDATED_ROLE,UPDATED_GROUP,ASSIGNED_ROLE,ASSIGNED_ROLE,UPDATED_GROUP,UPDATED_GROUP,UNASSIGNED_ROLE," +
		"UPDATED_GROUP,ASSIGNED_ROLE,UNASSIGNED_ROLE,DEPROVISIONED_USER"
	if got := actions(events); got != want {
		t.Errorf("events\n got %s\nwant %s", got, want)
	}
	for _, e := range events {
		if e.Action == "LOGGED_IN" || e.Action == "GENERATED_MAGIC_LINK" || e.Action == "UPDATED_ROLE" {
			continue
		}
		if e.Actor != "SCIM Okta (your identity provider)" {
			t.Errorf("%s by %q, want the Okta token", e.Action, e.Actor)
		}
	}
	golden(t, n, "okta_session", session{Exchanges: okta.transcript, Audit: events})
}

func TestEntraProvisioningSession(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	sales := r.createRole(acme.Key, "Sales", "members:read")
	tok := r.scimToken(acme.Key, "Microsoft Entra ID")
	entra := r.idp(tok.Token, "Microsoft Azure Provisioning")
	n := newNormalizer()
	n.name(sales.ID, "role:Sales")
	skip := len(r.events(acme.OrgID))
	const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

	// Test connection: a filter on a random value answers 200 with nothing.
	res := entra.must(http.StatusOK, "GET", filterPath("Users", `userName eq "ce4b6a2f-05cc-4fd5-9b0b-1f4a0a3a1e6a"`), nil)
	if res.num("totalResults") != 0 || len(res.resources()) != 0 {
		t.Fatalf("test connection: %s", res.Raw)
	}
	entra.must(http.StatusOK, "GET", filterPath("Users", `userName eq "grace@contoso.onmicrosoft.com"`), nil)

	// Create: userName is the UPN; the sign-in address is the work email.
	grace := entra.must(http.StatusCreated, "POST", "/Users", map[string]any{
		"schemas":    []string{"urn:ietf:params:scim:schemas:core:2.0:User", enterprise},
		"externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
		"userName":   "grace@contoso.onmicrosoft.com",
		"active":     true,
		"emails":     []any{map[string]any{"primary": true, "type": "work", "value": "grace.hopper@acme.example"}},
		"meta":       map[string]any{"resourceType": "User"},
		"name":       map[string]any{"formatted": "Grace Hopper", "familyName": "Hopper", "givenName": "Grace"},
		"roles":      []any{},
		"title":      "Rear Admiral",
		enterprise:   map[string]any{"employeeNumber": "1906", "department": "Navy"},
	}).str("id")
	n.name(grace, "user:grace")
	manager := entra.must(http.StatusCreated, "POST", "/Users", map[string]any{
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}, "externalId": "5f2e1d5c-0000-4000-8000-000000000001",
		"userName": "ada@contoso.onmicrosoft.com", "active": true,
		"emails": []any{map[string]any{"primary": true, "type": "work", "value": "ada@acme.example"}},
		"name":   map[string]any{"formatted": "Ada Lovelace", "familyName": "Lovelace", "givenName": "Ada"},
	}).str("id")
	n.name(manager, "user:ada")
	entra.must(http.StatusOK, "GET", filterPath("Users", `externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"`), nil)

	// Update: capitalized ops, a value-path email, a sub-attribute, enterprise
	// URN paths, the manager as a plain id.
	res = entra.must(http.StatusOK, "PATCH", "/Users/"+grace, patch(
		op("Replace", `emails[type eq "work"].value`, "grace@acme.example"),
		op("Replace", "name.familyName", "Hopper-Murray"),
		op("Add", enterprise+":manager", manager),
		op("Replace", enterprise+":department", "Computing"),
	))
	if res.str(enterprise, "manager", "value") != manager || res.str("name", "familyName") != "Hopper-Murray" {
		t.Fatalf("patched: %s", res.Raw)
	}
	if got := entra.must(http.StatusOK, "GET", filterPath("Users", `emails[type eq "work"].value eq "grace@acme.example"`), nil); got.num("totalResults") != 1 {
		t.Fatalf("Entra's value-path filter: %s", got.Raw)
	}
	// A path-less replace whose keys are dotted and URN paths.
	entra.must(http.StatusOK, "PATCH", "/Users/"+grace, patch(op("replace", "", map[string]any{
		"displayName":            "Amazing Grace",
		"name.givenName":         "Grace Brewster",
		enterprise + ":division": "Fleet",
		"urn:ietf:params:scim:schemas:core:2.0:User:title": "Commodore",
	})))
	// Disable with a string boolean; the user is still found, inactive.
	res = entra.must(http.StatusOK, "PATCH", "/Users/"+grace, patch(op("Replace", "active", "False")))
	if res.Body["active"] != false {
		t.Fatalf("disabled: %s", res.Raw)
	}
	if got := entra.must(http.StatusOK, "GET", filterPath("Users", `active eq false`), nil); got.num("totalResults") != 1 {
		t.Fatalf("inactive users by filter: %s", got.Raw)
	}
	entra.must(http.StatusOK, "PATCH", "/Users/"+grace, patch(op("Replace", "active", "True")))

	// Groups: looked up without members, created without members.
	entra.must(http.StatusOK, "GET", filterPath("Groups", `displayName eq "Sales Team"`, "excludedAttributes=members"), nil)
	group := entra.must(http.StatusCreated, "POST", "/Groups", map[string]any{
		"schemas":     []string{"urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group"},
		"externalId":  "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
		"displayName": "Sales Team",
		"meta":        map[string]any{"resourceType": "Group"},
	}).str("id")
	n.name(group, "group:sales")
	r.mapGroup(acme.Key, group, sales.ID)
	entra.must(http.StatusOK, "PATCH", "/Groups/"+group, patch(op("Add", "members", []any{
		map[string]any{"value": grace}, map[string]any{"value": manager},
	})))
	res = entra.must(http.StatusOK, "GET", "/Groups/"+group+"?excludedAttributes=members", nil)
	if _, ok := res.Body["members"]; ok {
		t.Fatalf("excludedAttributes=members: %s", res.Raw)
	}
	res = entra.must(http.StatusOK, "GET", filterPath("Groups", `id eq "`+group+`" and members eq "`+grace+`"`, "excludedAttributes=members"), nil)
	if res.num("totalResults") != 1 {
		t.Fatalf("membership check: %s", res.Raw)
	}
	entra.must(http.StatusOK, "PATCH", "/Groups/"+group, patch(op("Replace", "displayName", "Sales & Marketing")))
	// Remove with a value list removes only those members.
	res = entra.must(http.StatusOK, "PATCH", "/Groups/"+group, patch(op("Remove", "members", []any{map[string]any{"value": manager}})))
	if members, _ := res.Body["members"].([]any); len(members) != 1 {
		t.Fatalf("after removing one member: %s", res.Raw)
	}
	if a, g := r.rolesOf(acme.Key, "ada@acme.example"), r.rolesOf(acme.Key, "grace@acme.example"); a != "" || g != "Sales" {
		t.Fatalf("roles: Ada %q, Grace %q", a, g)
	}
	entra.must(http.StatusNoContent, "DELETE", "/Groups/"+group, nil)
	if g := r.rolesOf(acme.Key, "grace@acme.example"); g != "" {
		t.Fatalf("Grace keeps %q after the group went", g)
	}
	entra.must(http.StatusNoContent, "DELETE", "/Users/"+manager, nil)
	scimError(t, entra.do("GET", "/Users/"+manager, nil), http.StatusNotFound, "")
	if got := r.rolesOf(acme.Key, "ada@acme.example"); got != "" {
		t.Fatalf("a deleted user's membership: roles %q", got)
	}

	events := r.eventViews(acme.OrgID, skip)
	want := "PROVISIONED_USER,PROVISIONED_USER,UPDATED_USER,UPDATED_USER,DEPROVISIONED_USER,PROVISIONED_USER," +
		"CREATED_GROUP,UPDATED_ROLE,UPDATED_GROUP,ASSIGNED_ROLE,ASSIGNED_ROLE,UPDATED_GROUP,UPDATED_GROUP,UNASSIGNED_ROLE," +
		"DELETED_GROUP,UNASSIGNED_ROLE,DEPROVISIONED_USER"
	if got := actions(events); got != want {
		t.Errorf("events\n got %s\nwant %s", got, want)
	}
	golden(t, n, "entra_session", session{Exchanges: entra.transcript, Audit: events})
}
