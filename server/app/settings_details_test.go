package app

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/orgtrail/orgtrail/server/rbac"
)

// Issue 16, item 10: built-in Viewer and Auditor roles, renaming service
// accounts, who holds a role, and what SCIM did for a member.

// builtInRoles returns the key's organization's built-in roles by kind.
func (r *rig) builtInRoles(key string) map[string]roleData {
	r.t.Helper()
	var out struct{ Roles []roleData }
	r.ok(key, listRoles, nil, &out)
	byKind := map[string]roleData{}
	for _, role := range out.Roles {
		if role.BuiltIn {
			byKind[role.BuiltInRole] = role
		}
	}
	return byKind
}

// readPermissions are the catalog's *:read permissions, as the catalog says.
func readPermissions() []string {
	var out []string
	for _, p := range rbac.Catalog() {
		if strings.HasSuffix(string(p.Permission), ":read") {
			out = append(out, string(p.Permission))
		}
	}
	slices.Sort(out)
	return out
}

// Every organization, bootstrapped or made as a sibling, has the read-only
// Viewer (every *:read permission) and Auditor (audit_log:read) roles, which
// nobody can change, delete or imitate.
func TestViewerAndAuditorComeWithEveryOrganization(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	roles := r.builtInRoles(acme.Key)
	if len(roles) != 3 || roles["ADMIN"].Name != "Admin" || roles["VIEWER"].Name != "Viewer" || roles["AUDITOR"].Name != "Auditor" {
		t.Fatalf("built-in roles %+v", roles)
	}
	if got := roles["VIEWER"].Permissions; !slices.Equal(got, readPermissions()) {
		t.Errorf("Viewer holds %v, want every read permission %v", got, readPermissions())
	}
	if got := roles["AUDITOR"].Permissions; !slices.Equal(got, []string{"audit_log:read"}) {
		t.Errorf("Auditor holds %v", got)
	}

	before := len(r.events(acme.OrgID))
	for _, kind := range []string{"VIEWER", "AUDITOR"} {
		id := roles[kind].ID
		r.fails("BAD_USER_INPUT", acme.Key, `mutation($id: ID!) { deleteRole(input: {id: $id}) { deletedRoleId } }`, map[string]any{"id": id})
		r.fails("BAD_USER_INPUT", acme.Key, `mutation($id: ID!) { updateRole(input: {id: $id, name: "Mine"}) { role { id } } }`, map[string]any{"id": id})
		r.fails("BAD_USER_INPUT", acme.Key, grantPermission, map[string]any{"role": id, "perm": "secrets:write"})
		r.fails("BAD_USER_INPUT", acme.Key, `mutation($id: ID!) { revokePermission(input: {roleId: $id, permission: "audit_log:read"}) { role { id } } }`, map[string]any{"id": id})
	}
	r.fails("CONFLICT", acme.Key, createRole, map[string]any{"name": "viewer"})
	r.fails("CONFLICT", acme.Key, createRole, map[string]any{"name": "AUDITOR"})
	if n := len(r.events(acme.OrgID)); n != before {
		t.Fatalf("refused changes recorded %d events", n-before)
	}

	admin := r.browser()
	admin.signIn("admin@acme.example")
	res := admin.gql(`mutation { createSiblingOrganization(input: {name: "Acme EU"}) { organization { id } } }`, nil)
	if len(res.Errors) > 0 {
		t.Fatalf("sibling: %+v", res.Errors)
	}
	var sibling struct {
		CreateSiblingOrganization struct{ Organization struct{ ID string } }
	}
	mustJSON(t, res.Data, &sibling)
	org := sibling.CreateSiblingOrganization.Organization.ID
	if n := r.count(`SELECT count(*) FROM roles WHERE organization_id = $1 AND built_in_role IN ('VIEWER', 'AUDITOR')`, org); n != 2 {
		t.Fatalf("the sibling has %d of Viewer and Auditor", n)
	}
}

// A member holding Viewer reads every tab and changes nothing.
func TestAViewerReadsEverythingAndChangesNothing(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	viewer := r.builtInRoles(acme.Key)["VIEWER"]
	r.member(acme.OrgID, "val@acme.example", viewer.ID)
	b := r.browser()
	b.signIn("val@acme.example")
	if got := b.viewer().Viewer.Permissions; !slices.Equal(got, readPermissions()) {
		t.Fatalf("a Viewer holds %v", got)
	}
	for _, q := range []string{`{ roles { id } }`, `{ members { user { email } } }`, `{ serviceAccounts { id } }`,
		`{ secrets { id } }`, `{ connectors { id } }`, `{ oidcProviders { id } }`, `{ scimTokens { id } }`,
		`{ apiAccessKeys { id } }`, `{ auditEvents(first: 1) { edges { cursor } } }`} {
		if res := b.gql(q, nil); len(res.Errors) > 0 {
			t.Errorf("a Viewer cannot read %s: %+v", q, res.Errors)
		}
	}
	before := r.state()
	for _, m := range []string{`mutation { createRole(input: {name: "Mine"}) { role { id } } }`,
		`mutation { createServiceAccount(input: {name: "bot"}) { serviceAccount { id } } }`,
		`mutation { createSecret(input: {name: "X", value: "y"}) { secret { id } } }`,
		`mutation { inviteMember(input: {email: "eve@acme.example"}) { invitation { id } } }`,
		`mutation { updateOrganizationSettings(input: {sessionLifetimeHours: 1}) { organization { id } } }`} {
		if res := b.gql(m, nil); res.code() != "FORBIDDEN" {
			t.Errorf("a Viewer ran %s: %s %+v", m, res.Data, res.Errors)
		}
	}
	r.unchanged(t, "a Viewer's writes", before)
}

// Giving Viewer follows the grant rule with its real permissions: one who
// holds roles:write but not every read permission cannot give it; Auditor,
// which they hold, they can. Holding Viewer makes nobody an administrator.
func TestGivingViewerFollowsTheGrantRule(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	roles := r.builtInRoles(acme.Key)
	user := r.member(acme.OrgID, "dan@acme.example")
	w := r.watch()
	delegate := w.createAccessKey(acme.Key, "delegate", "roles:write", "roles:read", "audit_log:read")
	inviter := w.createAccessKey(acme.Key, "inviter", "members:write", "members:read", "roles:read")

	before := r.state()
	res := r.fails("FORBIDDEN", delegate, assignRole, map[string]any{"role": roles["VIEWER"].ID, "user": user.String()})
	if msg := res.Errors[0].Message; !strings.Contains(msg, "secrets:read") || strings.Contains(msg, "roles:read") {
		t.Errorf("the refusal should name what the delegate lacks, and only that: %q", msg)
	}
	r.fails("FORBIDDEN", inviter, inviteMember, map[string]any{"email": "eve@acme.example", "roles": []string{roles["VIEWER"].ID}})
	r.unchanged(t, "refused grants of Viewer", before)
	r.ok(delegate, assignRole, map[string]any{"role": roles["AUDITOR"].ID, "user": user.String()}, nil)

	// The admin gives Viewer; its holder is still no administrator: the only
	// Admin keeps the Admin role.
	r.ok(acme.Key, assignRole, map[string]any{"role": roles["VIEWER"].ID, "user": user.String()}, nil)
	r.fails("CONFLICT", acme.Key, unassignRole, map[string]any{"role": roles["ADMIN"].ID, "user": acme.AdminID})
	r.ok(acme.Key, unassignRole, map[string]any{"role": roles["VIEWER"].ID, "user": user.String()}, nil)
}

const updateServiceAccount = `mutation($id: ID!, $name: String, $description: String) {
	updateServiceAccount(input: {id: $id, name: $name, description: $description}) { serviceAccount { id name description } } }`

// A service account is renamed, recorded as "Updated service account" in the
// Service Accounts category after the spec's 8, with what changed.
func TestAServiceAccountIsRenamedAndTheChangeRecorded(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	sa := r.createServiceAccount(acme.Key, "ci-bot")
	r.createServiceAccount(acme.Key, "exporter")
	theirs := r.createServiceAccount(globex.Key, "their-bot")

	var out struct {
		UpdateServiceAccount struct {
			ServiceAccount struct{ ID, Name, Description string }
		}
	}
	r.ok(acme.Key, updateServiceAccount, map[string]any{"id": sa, "name": " Deploy bot ", "description": "Deploys"}, &out)
	if got := out.UpdateServiceAccount.ServiceAccount; got.Name != "Deploy bot" || got.Description != "Deploys" {
		t.Fatalf("updated %+v", got)
	}
	e := r.lastEvent(acme.OrgID)
	if e.Action != "UPDATED_SERVICE_ACCOUNT" || e.ResourceType != "service_account" || e.ResourceID != sa || e.ResourceName != "Deploy bot" ||
		fmt.Sprint(e.Details["changes"]) != "map[description:map[from: to:Deploys] name:map[from:ci-bot to:Deploy bot]]" {
		t.Fatalf("event %+v", e)
	}
	var found struct {
		AuditEvents struct {
			Edges []struct {
				Node struct{ Action, Category string }
			}
		}
	}
	r.ok(acme.Key, `{ auditEvents(filter: {category: SERVICE_ACCOUNTS}) { edges { node { action category } } } }`, nil, &found)
	if len(found.AuditEvents.Edges) != 1 || found.AuditEvents.Edges[0].Node.Action != "UPDATED_SERVICE_ACCOUNT" {
		t.Fatalf("the category filter finds %+v", found.AuditEvents.Edges)
	}

	n := len(r.events(acme.OrgID))
	r.ok(acme.Key, updateServiceAccount, map[string]any{"id": sa, "name": "Deploy bot"}, nil) // no change
	r.fails("CONFLICT", acme.Key, updateServiceAccount, map[string]any{"id": sa, "name": "EXPORTER"})
	res := r.fails("BAD_USER_INPUT", acme.Key, updateServiceAccount, map[string]any{"id": sa, "name": " "})
	if res.Errors[0].Extensions["field"] != "name" {
		t.Errorf("the refusal names no field: %+v", res.Errors[0])
	}
	r.fails("NOT_FOUND", acme.Key, updateServiceAccount, map[string]any{"id": theirs, "name": "mine"})
	if got := len(r.events(acme.OrgID)); got != n {
		t.Fatalf("no-op and refused updates recorded %d events", got-n)
	}
	if r.count(`SELECT count(*) FROM service_accounts WHERE name = 'their-bot'`) != 1 {
		t.Fatal("another organization's service account changed")
	}
}

// Who holds a role is listed before it is deleted: members by address, then
// service accounts by name; another organization's role is NOT_FOUND.
func TestARolesHoldersAreListed(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	support := r.createRole(acme.Key, "Support", "members:read")
	r.member(acme.OrgID, "zoe@acme.example", support.ID)
	r.member(acme.OrgID, "bea@acme.example", support.ID)
	r.member(acme.OrgID, "nobody@acme.example")
	sa := r.createServiceAccount(acme.Key, "helpdesk-bot")
	r.ok(acme.Key, assignRole, map[string]any{"role": support.ID, "sa": sa}, nil)

	const holders = `query($id: ID!) { role(id: $id) { holders { kind id name } } }`
	var out struct {
		Role struct {
			Holders []struct{ Kind, ID, Name string }
		}
	}
	r.ok(acme.Key, holders, map[string]any{"id": support.ID}, &out)
	var got []string
	for _, h := range out.Role.Holders {
		got = append(got, h.Kind+" "+h.Name)
	}
	if strings.Join(got, ", ") != "MEMBER bea@acme.example, MEMBER zoe@acme.example, SERVICE_ACCOUNT helpdesk-bot" ||
		out.Role.Holders[2].ID != sa {
		t.Fatalf("holders %+v", out.Role.Holders)
	}
	r.fails("NOT_FOUND", globex.Key, holders, map[string]any{"id": support.ID})
}

// Members the identity provider provisioned through SCIM are marked, and so
// are the roles its groups gave them (with the groups), not those an admin
// gave by hand.
func TestMembersShowWhatTheIdentityProviderProvisioned(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	c := r.idp(r.scimToken(acme.Key, "IdP").Token, "test")
	support := r.createRole(acme.Key, "Support", "members:read")
	billing := r.createRole(acme.Key, "Billing", "audit_log:read")
	ids := c.provision(t, "alice")
	group := c.must(http.StatusCreated, "POST", "/Groups", map[string]any{"displayName": "Helpdesk",
		"members": []any{map[string]any{"value": ids[0]}}}).str("id")
	r.mapGroup(acme.Key, group, support.ID)
	var members struct {
		Members []struct {
			User              struct{ ID, Email string }
			ProvisionedByScim bool
			ScimRoleGrants    []struct {
				RoleID string
				Groups []string
			}
		}
	}
	const query = `{ members { user { id email } provisionedByScim scimRoleGrants { roleId groups } } }`
	r.ok(acme.Key, query, nil, &members)
	var alice string
	for _, m := range members.Members {
		if m.User.Email == "alice@acme.example" {
			alice = m.User.ID
		}
	}
	r.ok(acme.Key, assignRole, map[string]any{"role": billing.ID, "user": alice}, nil) // by hand
	r.ok(acme.Key, query, nil, &members)
	for _, m := range members.Members {
		switch m.User.Email {
		case "alice@acme.example":
			if !m.ProvisionedByScim || len(m.ScimRoleGrants) != 1 || m.ScimRoleGrants[0].RoleID != support.ID ||
				!slices.Equal(m.ScimRoleGrants[0].Groups, []string{"Helpdesk"}) {
				t.Errorf("alice: %+v", m)
			}
		case "admin@acme.example":
			if m.ProvisionedByScim || len(m.ScimRoleGrants) != 0 {
				t.Errorf("the admin, invited by hand: %+v", m)
			}
		}
	}
}
