package app

import (
	"fmt"
	"testing"
)

const (
	createRole = `mutation($name: String!, $perms: [String!]) {
		createRole(input: {name: $name, description: "Reads things", permissions: $perms}) { role { id name permissions } } }`
	createServiceAccount = `mutation($name: String!) {
		createServiceAccount(input: {name: $name}) { serviceAccount { id name } } }`
	createAPIKey = `mutation($sa: ID!) {
		createApiKey(input: {serviceAccountId: $sa, name: "deploy"}) { key apiKey { id prefix status } } }`
	revokeAPIKey = `mutation($id: ID!) { revokeApiKey(input: {id: $id}) { apiKey { id status revokedAt } } }`
	rotateAPIKey = `mutation($id: ID!) { rotateApiKey(input: {id: $id}) { key apiKey { id } previousApiKeyId } }`
	assignRole   = `mutation($role: ID!, $user: ID, $sa: ID) {
		assignRole(input: {roleId: $role, userId: $user, serviceAccountId: $sa}) { role { id } } }`
	unassignRole = `mutation($role: ID!, $user: ID, $sa: ID) {
		unassignRole(input: {roleId: $role, userId: $user, serviceAccountId: $sa}) { role { id } } }`
	listRoles = `{ roles { id name builtIn builtInRole permissions } }`
)

type roleData struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	BuiltIn     bool     `json:"builtIn"`
	BuiltInRole string   `json:"builtInRole"`
	Permissions []string `json:"permissions"`
}

func (r *rig) createRole(key, name string, perms ...string) roleData {
	r.t.Helper()
	var out struct{ CreateRole struct{ Role roleData } }
	r.ok(key, createRole, map[string]any{"name": name, "perms": perms}, &out)
	return out.CreateRole.Role
}

func (r *rig) createServiceAccount(key, name string) string {
	r.t.Helper()
	var out struct {
		CreateServiceAccount struct{ ServiceAccount struct{ ID string } }
	}
	r.ok(key, createServiceAccount, map[string]any{"name": name}, &out)
	return out.CreateServiceAccount.ServiceAccount.ID
}

type newKey struct {
	Key    string
	APIKey struct{ ID, Prefix, Status string }
}

func (r *rig) createAPIKey(key, sa string) newKey {
	r.t.Helper()
	var out struct{ CreateAPIKey newKey }
	r.ok(key, createAPIKey, map[string]any{"sa": sa}, &out)
	return out.CreateAPIKey
}

// TestEveryRBACMutationRecordsExactlyOneEvent runs each mutation once and
// checks the one event it adds: action, actor, resource, details.
func TestEveryRBACMutationRecordsExactlyOneEvent(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	before := len(r.events(acme.OrgID))

	var role roleData
	var sa string
	var key newKey
	steps := []struct {
		action, resourceType string
		run                  func() (resourceID string)
		check                func(t *testing.T, e storedEvent)
	}{
		{"CREATED_ROLE", "role", func() string {
			role = r.createRole(acme.Key, "Log reader", "audit_log:read")
			return role.ID
		}, func(t *testing.T, e storedEvent) {
			if e.ResourceName != "Log reader" || fmt.Sprint(e.Details["permissions"]) != "[audit_log:read]" {
				t.Errorf("event %+v", e)
			}
		}},
		{"UPDATED_ROLE", "role", func() string {
			r.ok(acme.Key, `mutation($id: ID!) { updateRole(input: {id: $id, name: "Log readers", description: "Reads things"}) { role { name } } }`,
				map[string]any{"id": role.ID}, nil)
			return role.ID
		}, func(t *testing.T, e storedEvent) {
			changes, _ := e.Details["changes"].(map[string]any)
			if fmt.Sprint(changes) != "map[name:map[from:Log reader to:Log readers]]" {
				t.Errorf("changes = %v, want only the name from Log reader to Log readers", changes)
			}
		}},
		{"GRANTED_PERMISSION", "role", func() string {
			r.ok(acme.Key, `mutation($id: ID!) { grantPermission(input: {roleId: $id, permission: "members:read"}) { role { permissions } } }`,
				map[string]any{"id": role.ID}, nil)
			return role.ID
		}, func(t *testing.T, e storedEvent) {
			if e.Details["permission"] != "members:read" {
				t.Errorf("details = %v", e.Details)
			}
		}},
		{"REVOKED_PERMISSION", "role", func() string {
			r.ok(acme.Key, `mutation($id: ID!) { revokePermission(input: {roleId: $id, permission: "members:read"}) { role { permissions } } }`,
				map[string]any{"id": role.ID}, nil)
			return role.ID
		}, nil},
		{"ASSIGNED_ROLE", "role", func() string {
			r.ok(acme.Key, assignRole, map[string]any{"role": role.ID, "user": acme.AdminID}, nil)
			return role.ID
		}, func(t *testing.T, e storedEvent) {
			if e.Details["assigneeEmail"] != "admin@acme.example" || e.Details["assigneeId"] != acme.AdminID {
				t.Errorf("details = %v", e.Details)
			}
		}},
		{"UNASSIGNED_ROLE", "role", func() string {
			r.ok(acme.Key, unassignRole, map[string]any{"role": role.ID, "user": acme.AdminID}, nil)
			return role.ID
		}, nil},
		{"CREATED_SERVICE_ACCOUNT", "service_account", func() string {
			sa = r.createServiceAccount(acme.Key, "ci-bot")
			return sa
		}, nil},
		{"CREATED_API_KEY", "api_key", func() string {
			key = r.createAPIKey(acme.Key, sa)
			return key.APIKey.ID
		}, func(t *testing.T, e storedEvent) {
			if e.Details["prefix"] != key.APIKey.Prefix || e.Details["serviceAccountName"] != "ci-bot" {
				t.Errorf("details = %v", e.Details)
			}
		}},
		{"ROTATED_API_KEY", "api_key", func() string {
			var out struct{ RotateAPIKey newKey }
			r.ok(acme.Key, rotateAPIKey, map[string]any{"id": key.APIKey.ID}, &out)
			old := key.APIKey.ID
			key = out.RotateAPIKey
			return key.APIKey.ID + "|" + old
		}, nil},
		{"REVOKED_API_KEY", "api_key", func() string {
			r.ok(acme.Key, revokeAPIKey, map[string]any{"id": key.APIKey.ID}, nil)
			return key.APIKey.ID
		}, nil},
		{"DELETED_SERVICE_ACCOUNT", "service_account", func() string {
			r.ok(acme.Key, `mutation($id: ID!) { deleteServiceAccount(input: {id: $id}) { deletedServiceAccountId } }`,
				map[string]any{"id": sa}, nil)
			return sa
		}, nil},
		{"DELETED_ROLE", "role", func() string {
			r.ok(acme.Key, `mutation($id: ID!) { deleteRole(input: {id: $id}) { deletedRoleId } }`, map[string]any{"id": role.ID}, nil)
			return role.ID
		}, func(t *testing.T, e storedEvent) {
			if e.ResourceName != "Log readers" {
				t.Errorf("deleted role event names %q, want the name it had", e.ResourceName)
			}
		}},
	}
	for i, step := range steps {
		id := step.run()
		events := r.events(acme.OrgID)
		if got := len(events) - before; got != i+1 {
			t.Fatalf("after %s: %d new events, want %d", step.action, got, i+1)
		}
		e := events[len(events)-1]
		if e.Action != step.action || e.ResourceType != step.resourceType {
			t.Fatalf("event %d = %s on %s, want %s on %s", i, e.Action, e.ResourceType, step.action, step.resourceType)
		}
		if want, _, _ := cut(id); e.ResourceID != want {
			t.Errorf("%s: resource id %s, want %s", step.action, e.ResourceID, want)
		}
		if e.ActorType != "API_KEY" || e.ActorName != "Bootstrap admin key" {
			t.Errorf("%s: actor %s %q, want the admin API access key", step.action, e.ActorType, e.ActorName)
		}
		if e.UserAgent != "orgtrail-test/1.0" || e.RequestID == "" || e.IP.String != "127.0.0.1" {
			t.Errorf("%s: request metadata ua=%q id=%q ip=%q", step.action, e.UserAgent, e.RequestID, e.IP.String)
		}
		if step.check != nil {
			step.check(t, e)
		}
	}

	// Reads write nothing.
	n := len(r.events(acme.OrgID))
	r.ok(acme.Key, listRoles, nil, nil)
	r.ok(acme.Key, `{ members { user { email } roles { name } } serviceAccounts { id apiKeys { id } } }`, nil, nil)
	if got := len(r.events(acme.OrgID)); got != n {
		t.Fatalf("queries wrote %d events", got-n)
	}
}

func cut(s string) (string, string, bool) {
	for i := range s {
		if s[i] == '|' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// TestNoOpUpdateRecordsNothing: an update that changes nothing is not an event.
func TestNoOpUpdateRecordsNothing(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	role := r.createRole(acme.Key, "Readers")
	n := len(r.events(acme.OrgID))
	r.ok(acme.Key, `mutation($id: ID!) { updateRole(input: {id: $id, name: "Readers"}) { role { name } } }`, map[string]any{"id": role.ID}, nil)
	if got := len(r.events(acme.OrgID)); got != n {
		t.Fatalf("no-op update wrote %d events", got-n)
	}
}

// TestFailingAuditWriteRollsBackTheChange makes the audit insert fail in the
// database and checks that the change it accompanied did not happen.
func TestFailingAuditWriteRollsBackTheChange(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	sa := r.createServiceAccount(acme.Key, "ci-bot")
	key := r.createAPIKey(acme.Key, sa)
	_, err := r.sql.Exec(`
		CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'injected audit failure'; END $$;
		CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail_audit();`)
	if err != nil {
		t.Fatal(err)
	}
	roles, events := r.count(`SELECT count(*) FROM roles`), len(r.events(acme.OrgID))

	res := r.fails("INTERNAL", acme.Key, createRole, map[string]any{"name": "Log reader"})
	if res.Errors[0].Message != "internal error" {
		t.Errorf("message %q leaks internals", res.Errors[0].Message)
	}
	if got := r.count(`SELECT count(*) FROM roles`); got != roles {
		t.Fatalf("role count %d → %d although its audit write failed", roles, got)
	}
	r.fails("INTERNAL", acme.Key, revokeAPIKey, map[string]any{"id": key.APIKey.ID})
	if n := r.count(`SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL`); n != 0 {
		t.Fatalf("key revoked although its audit write failed")
	}
	if got := len(r.events(acme.OrgID)); got != events {
		t.Fatalf("events %d → %d", events, got)
	}
	if !r.logsContain("injected audit failure") {
		t.Error("the server log does not explain the failure")
	}
}

// TestAnotherOrganizationsIDsAreNotFound: every id-taking mutation and query
// answers NOT_FOUND for another tenant's ids and changes nothing.
func TestAnotherOrganizationsIDsAreNotFound(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	role := r.createRole(acme.Key, "Log reader", "audit_log:read")
	sa := r.createServiceAccount(acme.Key, "ci-bot")
	key := r.createAPIKey(acme.Key, sa)
	acmeEvents := len(r.events(acme.OrgID))
	globexEvents := len(r.events(globex.OrgID))

	for name, c := range map[string]struct {
		query string
		vars  map[string]any
	}{
		"role":             {`query($id: ID!) { role(id: $id) { id } }`, map[string]any{"id": role.ID}},
		"serviceAccount":   {`query($id: ID!) { serviceAccount(id: $id) { id } }`, map[string]any{"id": sa}},
		"updateRole":       {`mutation($id: ID!) { updateRole(input: {id: $id, name: "x"}) { role { id } } }`, map[string]any{"id": role.ID}},
		"deleteRole":       {`mutation($id: ID!) { deleteRole(input: {id: $id}) { deletedRoleId } }`, map[string]any{"id": role.ID}},
		"grantPermission":  {`mutation($id: ID!) { grantPermission(input: {roleId: $id, permission: "roles:read"}) { role { id } } }`, map[string]any{"id": role.ID}},
		"assignToOwnAdmin": {assignRole, map[string]any{"role": role.ID, "user": globex.AdminID}},
		"assignOtherUser":  {assignRole, map[string]any{"role": r.globexRole(globex), "user": acme.AdminID}},
		"assignOtherSA":    {assignRole, map[string]any{"role": r.globexRole(globex), "sa": sa}},
		"deleteSA":         {`mutation($id: ID!) { deleteServiceAccount(input: {id: $id}) { deletedServiceAccountId } }`, map[string]any{"id": sa}},
		"createApiKey":     {createAPIKey, map[string]any{"sa": sa}},
		"revokeApiKey":     {revokeAPIKey, map[string]any{"id": key.APIKey.ID}},
		"rotateApiKey":     {rotateAPIKey, map[string]any{"id": key.APIKey.ID}},
	} {
		t.Run(name, func(t *testing.T) {
			r.fails("NOT_FOUND", globex.Key, c.query, c.vars)
		})
	}
	var roles struct{ Roles []roleData }
	r.ok(globex.Key, listRoles, nil, &roles)
	for _, ro := range roles.Roles {
		if ro.ID == role.ID {
			t.Fatal("Globex lists Acme's role")
		}
	}
	if len(r.events(acme.OrgID)) != acmeEvents {
		t.Fatal("Acme's log changed")
	}
	if got := len(r.events(globex.OrgID)); got != globexEvents+1 { // the role r.globexRole created
		t.Fatalf("Globex's log has %d new events, want 1", got-globexEvents)
	}
}

func (r *rig) globexRole(globex tenant) string {
	r.t.Helper()
	var out struct{ Roles []roleData }
	r.ok(globex.Key, listRoles, nil, &out)
	for _, ro := range out.Roles {
		if ro.Name == "Globex helper" {
			return ro.ID
		}
	}
	return r.createRole(globex.Key, "Globex helper").ID
}

// TestKeysAuthenticateUntilRevokedRotatedOrExpired covers service account keys.
func TestKeysAuthenticateUntilRevokedRotatedOrExpired(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	role := r.createRole(acme.Key, "Role reader", "roles:read")
	sa := r.createServiceAccount(acme.Key, "ci-bot")
	r.ok(acme.Key, assignRole, map[string]any{"role": role.ID, "sa": sa}, nil)

	key := r.createAPIKey(acme.Key, sa)
	r.ok(key.Key, listRoles, nil, nil)
	// Its permissions bound it: roles:read but not roles:write.
	r.fails("FORBIDDEN", key.Key, createRole, map[string]any{"name": "Sneaky"})

	// An event by the service account names it as the actor.
	var out struct{ RotateAPIKey newKey }
	r.ok(acme.Key, rotateAPIKey, map[string]any{"id": key.APIKey.ID}, &out)
	r.fails("UNAUTHENTICATED", key.Key, listRoles, nil)
	rotated := out.RotateAPIKey
	r.ok(rotated.Key, listRoles, nil, nil)

	r.ok(acme.Key, revokeAPIKey, map[string]any{"id": rotated.APIKey.ID}, nil)
	r.fails("UNAUTHENTICATED", rotated.Key, listRoles, nil)
	r.fails("CONFLICT", acme.Key, revokeAPIKey, map[string]any{"id": rotated.APIKey.ID})

	expiring := r.createAPIKey(acme.Key, sa)
	if _, err := r.sql.Exec(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, expiring.APIKey.ID); err != nil {
		t.Fatal(err)
	}
	r.fails("UNAUTHENTICATED", expiring.Key, listRoles, nil)

	// Deleting the service account ends its keys.
	live := r.createAPIKey(acme.Key, sa)
	r.ok(live.Key, listRoles, nil, nil)
	r.ok(acme.Key, `mutation($id: ID!) { deleteServiceAccount(input: {id: $id}) { deletedServiceAccountId } }`, map[string]any{"id": sa}, nil)
	r.fails("UNAUTHENTICATED", live.Key, listRoles, nil)
}

func TestAnonymousAndMalformedCredentialsAreRefused(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	r.fails("UNAUTHENTICATED", "", listRoles, nil)
	r.fails("UNAUTHENTICATED", "", createRole, map[string]any{"name": "x"})
	res := r.fails("UNAUTHENTICATED", "not-a-key", listRoles, nil)
	if res.Status != 401 {
		t.Errorf("status %d, want 401", res.Status)
	}
	// A well-formed key that was never issued.
	forged := acme.Key[:len(acme.Key)-4] + "AAAA"
	r.fails("UNAUTHENTICATED", forged, listRoles, nil)
}

func TestBadInputIsRefusedAndChangesNothing(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	role := r.createRole(acme.Key, "Log reader")
	n := len(r.events(acme.OrgID))
	for name, c := range map[string]struct {
		code, query string
		vars        map[string]any
	}{
		"empty name":         {"BAD_USER_INPUT", createRole, map[string]any{"name": "  "}},
		"long name":          {"BAD_USER_INPUT", createRole, map[string]any{"name": string(make([]byte, 65))}},
		"unknown permission": {"BAD_USER_INPUT", createRole, map[string]any{"name": "X", "perms": []string{"root:everything"}}},
		"duplicate name":     {"CONFLICT", createRole, map[string]any{"name": "auditor"}},
		"admin name":         {"CONFLICT", createRole, map[string]any{"name": "Admin"}},
		"malformed id":       {"BAD_USER_INPUT", `mutation { deleteRole(input: {id: "nope"}) { deletedRoleId } }`, nil},
		"unknown id":         {"NOT_FOUND", `mutation { deleteRole(input: {id: "00000000-0000-7000-8000-000000000000"}) { deletedRoleId } }`, nil},
		"two holders":        {"BAD_USER_INPUT", assignRole, map[string]any{"role": role.ID, "user": acme.AdminID, "sa": acme.AdminID}},
		"no holder":          {"BAD_USER_INPUT", assignRole, map[string]any{"role": role.ID}},
		"unknown member":     {"NOT_FOUND", assignRole, map[string]any{"role": role.ID, "user": "00000000-0000-7000-8000-000000000000"}},
		"revoke missing":     {"NOT_FOUND", `mutation($id: ID!) { revokePermission(input: {roleId: $id, permission: "roles:read"}) { role { id } } }`, map[string]any{"id": role.ID}},
		"past expiry":        {"BAD_USER_INPUT", `mutation($sa: ID!) { createApiKey(input: {serviceAccountId: $sa, name: "k", expiresAt: "2020-01-01T00:00:00Z"}) { key } }`, map[string]any{"sa": r.createServiceAccount(acme.Key, "bot")}},
		"syntax error":       {"BAD_USER_INPUT", `mutation { createRole(input: {name: }) { role { id } } }`, nil},
		"unknown field":      {"BAD_USER_INPUT", `{ roles { id secretHash } }`, nil},
	} {
		t.Run(name, func(t *testing.T) { r.fails(c.code, acme.Key, c.query, c.vars) })
	}
	if got := len(r.events(acme.OrgID)); got != n+1 { // the service account created for "past expiry"
		t.Fatalf("bad input wrote %d events", got-n-1)
	}
}

// TestBuiltInAdminRoleIsProtected: it cannot be changed or deleted, and the
// last administrator keeps it.
func TestBuiltInAdminRoleIsProtected(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	var roles struct{ Roles []roleData }
	r.ok(acme.Key, listRoles, nil, &roles)
	admin := roles.Roles[0]
	if !admin.BuiltIn || admin.Name != "Admin" || len(admin.Permissions) < 10 {
		t.Fatalf("first role %+v, want the built-in Admin with every permission", admin)
	}
	r.fails("BAD_USER_INPUT", acme.Key, `mutation($id: ID!) { deleteRole(input: {id: $id}) { deletedRoleId } }`, map[string]any{"id": admin.ID})
	r.fails("BAD_USER_INPUT", acme.Key, `mutation($id: ID!) { revokePermission(input: {roleId: $id, permission: "roles:read"}) { role { id } } }`, map[string]any{"id": admin.ID})
	r.fails("CONFLICT", acme.Key, unassignRole, map[string]any{"role": admin.ID, "user": acme.AdminID})

	// With a second admin, the first can lose the role.
	second := r.tenant("Acme", "second@acme.example")
	r.ok(acme.Key, unassignRole, map[string]any{"role": admin.ID, "user": acme.AdminID}, nil)
	// The first admin's key holds no more than its creator now does: nothing.
	r.fails("FORBIDDEN", acme.Key, listRoles, nil)
	r.fails("CONFLICT", second.Key, unassignRole, map[string]any{"role": admin.ID, "user": second.AdminID})
}

func TestMembersListsRoles(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	var out struct {
		Members []struct {
			User   struct{ Email string }
			Status string
			Roles  []struct{ Name string }
		}
	}
	r.ok(acme.Key, `{ members { user { email } status roles { name } } }`, nil, &out)
	if len(out.Members) != 1 || out.Members[0].User.Email != "admin@acme.example" ||
		out.Members[0].Status != "ACTIVE" || len(out.Members[0].Roles) != 1 || out.Members[0].Roles[0].Name != "Admin" {
		t.Fatalf("members = %+v", out.Members)
	}
}

func TestMalformedScalarArgumentsAreBadInput(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	sa := r.createServiceAccount(acme.Key, "bot")
	n := len(r.events(acme.OrgID))
	r.fails("BAD_USER_INPUT", acme.Key, `mutation($sa: ID!) { createApiKey(input: {serviceAccountId: $sa, name: "k", expiresAt: "tomorrow"}) { key } }`, map[string]any{"sa": sa})
	r.fails("BAD_USER_INPUT", acme.Key, `query { auditEvents(filter: {from: "yesterday"}) { edges { cursor } } }`, nil)
	if got := len(r.events(acme.OrgID)); got != n {
		t.Fatalf("bad input wrote %d events", got-n)
	}
}
