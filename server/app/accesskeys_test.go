package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/audit"
)

const (
	createAccessKey = `mutation($name: String!, $perms: [String!]!, $expiresAt: Time) {
		createApiAccessKey(input: {name: $name, permissions: $perms, expiresAt: $expiresAt}) {
			key apiAccessKey { id name prefix permissions status expiresAt createdBy { id email } } } }`
	updateAccessKey = `mutation($input: UpdateApiAccessKeyInput!) {
		updateApiAccessKey(input: $input) { apiAccessKey { id name permissions status expiresAt updatedAt } } }`
	deleteAccessKey = `mutation($id: ID!) { deleteApiAccessKey(input: {id: $id}) { deletedApiAccessKeyId } }`
	listAccessKeys  = `{ apiAccessKeys { id name prefix permissions status expiresAt lastUsedAt createdBy { email } } }`
)

type accessKeyData struct {
	ID, Name, Prefix, Status string
	Permissions              []string
	ExpiresAt                *time.Time
	LastUsedAt               *time.Time
	CreatedBy                *struct{ ID, Email string }
}

type newAccessKey struct {
	Key          string
	APIAccessKey accessKeyData
}

// createAccessKey creates a key with perms through the API and returns the
// full key, remembered by the watch as a value that may appear only in the
// payload that shows it once.
func (w *watch) createAccessKey(key, name string, perms ...string) string {
	w.r.t.Helper()
	return w.createAccessKeyData(key, name, nil, perms...).Key
}

func (w *watch) createAccessKeyData(key, name string, expiresAt *time.Time, perms ...string) newAccessKey {
	w.r.t.Helper()
	var out struct{ CreateAPIAccessKey newAccessKey }
	vars := map[string]any{"name": name, "perms": perms}
	if expiresAt != nil {
		vars["expiresAt"] = expiresAt.Format(time.RFC3339)
	}
	w.ok(key, createAccessKey, vars, &out)
	k := out.CreateAPIAccessKey
	if !strings.HasPrefix(k.Key, "otak_"+k.APIAccessKey.Prefix+"_") {
		w.r.t.Fatalf("key %q does not start with its prefix %q", k.Key, k.APIAccessKey.Prefix)
	}
	w.allowLast(k.Key)
	w.allowLast(k.Key[len(k.Key)-43:])
	w.rememberKey("access key "+name, k.Key)
	return k
}

// systemContext is a context acting as the system in org, for calling
// services directly.
func systemContext(org string) context.Context {
	return audit.WithActor(context.Background(), audit.System(uuid.MustParse(org)))
}

// TestAPIAccessKeyLifecycleIsAudited creates, lists, updates and deletes a
// key and checks each event; the full key is in the create payload only.
func TestAPIAccessKeyLifecycleIsAudited(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	w.rememberKey("the bootstrap admin key", acme.Key)
	n := len(r.events(acme.OrgID))

	expires := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	k := w.createAccessKeyData(acme.Key, "ci", &expires, "secrets:read", "audit_log:read", "secrets:read")
	if got := fmt.Sprint(k.APIAccessKey.Permissions); got != "[audit_log:read secrets:read]" || k.APIAccessKey.Status != "ACTIVE" {
		t.Fatalf("created %+v", k.APIAccessKey)
	}
	w.ok(k.Key, listSecrets, nil, nil) // it works

	var list struct{ APIAccessKeys []accessKeyData }
	w.ok(acme.Key, listAccessKeys, nil, &list)
	if len(list.APIAccessKeys) != 2 || list.APIAccessKeys[0].ID != k.APIAccessKey.ID || list.APIAccessKeys[0].LastUsedAt == nil {
		t.Fatalf("list = %+v; want the new key first, used", list.APIAccessKeys)
	}

	// No-op, then one change of each field.
	w.ok(acme.Key, updateAccessKey, map[string]any{"input": map[string]any{"id": k.APIAccessKey.ID, "name": "ci",
		"permissions": []string{"secrets:read", "audit_log:read"}}}, nil)
	w.ok(acme.Key, updateAccessKey, map[string]any{"input": map[string]any{"id": k.APIAccessKey.ID, "name": "deploy",
		"permissions": []string{"secrets:read"}, "expiresAt": nil}}, nil)
	w.ok(acme.Key, deleteAccessKey, map[string]any{"id": k.APIAccessKey.ID}, nil)
	w.fails("UNAUTHENTICATED", k.Key, listSecrets, nil)

	events := r.eventsSince(acme.OrgID, n)
	if got := actionList(events); got != "CREATED_API_ACCESS_KEY UPDATED_API_ACCESS_KEY DELETED_API_ACCESS_KEY" {
		t.Fatalf("events %s", got)
	}
	for _, e := range events {
		if e.ResourceType != "api_access_key" || e.ResourceID != k.APIAccessKey.ID || e.Details["prefix"] != k.APIAccessKey.Prefix {
			t.Errorf("%s: resource %s %s details %v", e.Action, e.ResourceType, e.ResourceID, e.Details)
		}
	}
	if events[0].Details["expiresAt"] != expires.Format(time.RFC3339) {
		t.Errorf("created details %v", events[0].Details)
	}
	changes := changesOf(t, events[1])
	want := fmt.Sprintf("map[expiresAt:map[from:%s to:<nil>] name:map[from:ci to:deploy] permissions:map[from:[audit_log:read secrets:read] to:[secrets:read]]]",
		expires.Format(time.RFC3339))
	if got := fmt.Sprint(changes); got != want {
		t.Errorf("changes = %s\nwant      %s", got, want)
	}
	if events[2].ResourceName != "deploy" {
		t.Errorf("deleted event names %q", events[2].ResourceName)
	}
	w.assertNoLeaks()
}

// TestAccessKeyCannotHoldMoreThanItsCreator: a caller can neither create nor
// widen a key beyond its own permissions, nor change a key stronger than
// itself; refused attempts change nothing.
func TestAccessKeyCannotHoldMoreThanItsCreator(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	manager := w.createAccessKey(acme.Key, "key manager", "api_access_keys:read", "api_access_keys:write", "secrets:read")
	strong := w.createAccessKeyData(acme.Key, "strong", nil, "secrets:write", "secrets:read")
	n, keys := len(r.events(acme.OrgID)), r.count(`SELECT count(*) FROM api_access_keys`)

	w.fails("FORBIDDEN", manager, createAccessKey, map[string]any{"name": "escalate", "perms": []string{"secrets:write"}})
	w.fails("FORBIDDEN", manager, createAccessKey, map[string]any{"name": "escalate", "perms": []string{"secrets:read", "roles:write"}})
	w.fails("FORBIDDEN", manager, updateAccessKey, map[string]any{"input": map[string]any{"id": strong.APIAccessKey.ID, "name": "mine now"}})
	w.fails("FORBIDDEN", manager, updateAccessKey, map[string]any{"input": map[string]any{"id": strong.APIAccessKey.ID, "expiresAt": nil}})
	if got := len(r.events(acme.OrgID)); got != n || r.count(`SELECT count(*) FROM api_access_keys`) != keys {
		t.Fatalf("refused requests wrote %d events", got-n)
	}

	// Within its own permissions it may create and change keys...
	weak := w.createAccessKeyData(manager, "weak", nil, "secrets:read")
	if weak.APIAccessKey.CreatedBy == nil || weak.APIAccessKey.CreatedBy.Email != "admin@acme.example" {
		t.Errorf("a key created by a key belongs to the person at the root of the chain, not %+v", weak.APIAccessKey.CreatedBy)
	}
	w.fails("FORBIDDEN", manager, updateAccessKey, map[string]any{"input": map[string]any{"id": weak.APIAccessKey.ID,
		"permissions": []string{"secrets:read", "secrets:write"}}})
	w.ok(manager, updateAccessKey, map[string]any{"input": map[string]any{"id": weak.APIAccessKey.ID, "name": "weaker"}}, nil)
	// ...and not widen itself.
	var self struct{ APIAccessKeys []accessKeyData }
	w.ok(manager, listAccessKeys, nil, &self)
	var managerID string
	for _, k := range self.APIAccessKeys {
		if k.Name == "key manager" {
			managerID = k.ID
		}
	}
	w.fails("FORBIDDEN", manager, updateAccessKey, map[string]any{"input": map[string]any{"id": managerID,
		"permissions": []string{"api_access_keys:write", "secrets:write"}}})
	w.assertNoLeaks()
}

// TestAccessKeyCreatedByAPersonNamesThem: a signed-in admin's key records
// who created it.
func TestAccessKeyCreatedByAPersonNamesThem(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	b := r.browser()
	b.signIn("admin@acme.example")
	res := b.gql(createAccessKey, map[string]any{"name": "laptop", "perms": []string{"roles:read"}})
	if len(res.Errors) > 0 {
		t.Fatalf("errors %+v", res.Errors)
	}
	var out struct{ CreateAPIAccessKey newAccessKey }
	mustJSON(t, res.Data, &out)
	if cb := out.CreateAPIAccessKey.APIAccessKey.CreatedBy; cb == nil || cb.Email != "admin@acme.example" || cb.ID != acme.AdminID {
		t.Fatalf("createdBy = %+v", cb)
	}
	e := r.events(acme.OrgID)
	last := e[len(e)-1]
	if last.Action != "CREATED_API_ACCESS_KEY" || last.ActorType != "USER" || last.ActorID != acme.AdminID {
		t.Fatalf("event %+v", last)
	}
}

// TestAccessKeyPermissionsBoundWhatItCanDo, including after they change: the
// next request sees the new permissions.
func TestAccessKeyPermissionsBoundWhatItCanDo(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	k := w.createAccessKeyData(acme.Key, "reader", nil, "secrets:read", "connectors:read")
	w.ok(k.Key, listSecrets, nil, nil)
	w.ok(k.Key, `{ connectors { id } }`, nil, nil)
	w.fails("FORBIDDEN", k.Key, createSecret, map[string]any{"name": "NOPE", "value": w.secret("nope")})
	w.fails("FORBIDDEN", k.Key, listAccessKeys, nil)
	w.fails("FORBIDDEN", k.Key, listRoles, nil)
	w.fails("FORBIDDEN", k.Key, createAccessKey, map[string]any{"name": "child", "perms": []string{"secrets:read"}})

	w.ok(acme.Key, updateAccessKey, map[string]any{"input": map[string]any{"id": k.APIAccessKey.ID,
		"permissions": []string{"connectors:read"}}}, nil)
	w.fails("FORBIDDEN", k.Key, listSecrets, nil)
	w.ok(k.Key, `{ connectors { id } }`, nil, nil)
	w.assertNoLeaks()
}

// TestAccessKeyNeverOutlastsWhatItsCreatorHolds: a person's key does what
// the key allows and its creator still holds; a removed creator's keys stop.
func TestAccessKeyNeverOutlastsWhatItsCreatorHolds(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	second := r.tenant("Acme", "second@acme.example") // a second admin of Acme
	b := r.browser()
	b.signIn("second@acme.example")
	res := b.gql(createAccessKey, map[string]any{"name": "script", "perms": []string{"secrets:read", "roles:read"}})
	var out struct{ CreateAPIAccessKey newAccessKey }
	mustJSON(t, res.Data, &out)
	key := out.CreateAPIAccessKey.Key
	if key == "" {
		t.Fatalf("createApiAccessKey: %+v", res)
	}
	r.ok(key, listSecrets, nil, nil)
	r.ok(key, listRoles, nil, nil)

	// The creator goes from Admin to a role with secrets:read only.
	var roles struct{ Roles []roleData }
	r.ok(acme.Key, listRoles, nil, &roles)
	reader := r.createRole(acme.Key, "Secret reader", "secrets:read")
	r.ok(acme.Key, assignRole, map[string]any{"role": reader.ID, "user": second.AdminID}, nil)
	for _, role := range roles.Roles {
		if role.BuiltInRole == "ADMIN" {
			r.ok(acme.Key, unassignRole, map[string]any{"role": role.ID, "user": second.AdminID}, nil)
		}
	}
	r.ok(key, listSecrets, nil, nil)
	r.fails("FORBIDDEN", key, listRoles, nil)

	r.ok(acme.Key, `mutation($u: ID!) { removeMember(input: {userId: $u}) { removedUserId } }`, map[string]any{"u": second.AdminID}, nil)
	r.fails("UNAUTHENTICATED", key, listSecrets, nil)
	// The key is still listed, for an admin to see and delete.
	var keys struct{ APIAccessKeys []accessKeyData }
	r.ok(acme.Key, listAccessKeys, nil, &keys)
	if !slices.ContainsFunc(keys.APIAccessKeys, func(k accessKeyData) bool { return k.Name == "script" }) {
		t.Fatalf("keys %+v", keys.APIAccessKeys)
	}
}

// TestExpiredOrDeletedAccessKeyIsRefusedAtOnce.
func TestExpiredOrDeletedAccessKeyIsRefusedAtOnce(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	expiring := w.createAccessKeyData(acme.Key, "expiring", nil, "secrets:read")
	deleted := w.createAccessKeyData(acme.Key, "deleted", nil, "secrets:read")
	w.ok(expiring.Key, listSecrets, nil, nil)
	w.ok(deleted.Key, listSecrets, nil, nil)

	soon := time.Now().Add(time.Hour)
	w.ok(acme.Key, updateAccessKey, map[string]any{"input": map[string]any{"id": expiring.APIAccessKey.ID,
		"expiresAt": soon.Format(time.RFC3339)}}, nil)
	w.ok(expiring.Key, listSecrets, nil, nil)
	if _, err := r.sql.Exec(`UPDATE api_access_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, expiring.APIAccessKey.ID); err != nil {
		t.Fatal(err)
	}
	res := w.fails("UNAUTHENTICATED", expiring.Key, listSecrets, nil)
	if res.Status != 401 {
		t.Errorf("status %d, want 401", res.Status)
	}
	var list struct{ APIAccessKeys []accessKeyData }
	w.ok(acme.Key, listAccessKeys, nil, &list)
	for _, k := range list.APIAccessKeys {
		if k.ID == expiring.APIAccessKey.ID && k.Status != "EXPIRED" {
			t.Errorf("expired key has status %s", k.Status)
		}
	}

	w.ok(acme.Key, deleteAccessKey, map[string]any{"id": deleted.APIAccessKey.ID}, nil)
	w.fails("UNAUTHENTICATED", deleted.Key, listSecrets, nil)
	w.fails("NOT_FOUND", acme.Key, deleteAccessKey, map[string]any{"id": deleted.APIAccessKey.ID})

	// A key may delete itself; its next request is refused.
	self := w.createAccessKeyData(acme.Key, "self", nil, "api_access_keys:write")
	w.ok(self.Key, deleteAccessKey, map[string]any{"id": self.APIAccessKey.ID}, nil)
	w.fails("UNAUTHENTICATED", self.Key, deleteAccessKey, map[string]any{"id": self.APIAccessKey.ID})
	w.assertNoLeaks()
}

func TestAccessKeysOfAnotherOrganizationAreNotFound(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	w := r.watch()
	k := w.createAccessKeyData(acme.Key, "acme only", nil, "secrets:read")
	acmeEvents, globexEvents := len(r.events(acme.OrgID)), len(r.events(globex.OrgID))

	w.fails("NOT_FOUND", globex.Key, updateAccessKey, map[string]any{"input": map[string]any{"id": k.APIAccessKey.ID, "name": "stolen"}})
	w.fails("NOT_FOUND", globex.Key, deleteAccessKey, map[string]any{"id": k.APIAccessKey.ID})
	var list struct{ APIAccessKeys []accessKeyData }
	w.ok(globex.Key, listAccessKeys, nil, &list)
	for _, got := range list.APIAccessKeys {
		if got.ID == k.APIAccessKey.ID {
			t.Fatal("Globex lists Acme's key")
		}
	}
	w.ok(k.Key, listSecrets, nil, nil)
	if len(r.events(acme.OrgID)) != acmeEvents || len(r.events(globex.OrgID)) != globexEvents {
		t.Fatal("refused requests wrote events")
	}
	w.assertNoLeaks()
}

func TestBadAccessKeyInputIsRefusedAndChangesNothing(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	k := w.createAccessKeyData(acme.Key, "kept", nil, "secrets:read")
	n, keys := len(r.events(acme.OrgID)), r.count(`SELECT count(*) FROM api_access_keys`)
	update := func(fields map[string]any) map[string]any {
		fields["id"] = k.APIAccessKey.ID
		return map[string]any{"input": fields}
	}
	for name, c := range map[string]struct {
		code, query string
		vars        map[string]any
	}{
		"empty name":         {"BAD_USER_INPUT", createAccessKey, map[string]any{"name": " ", "perms": []string{"secrets:read"}}},
		"long name":          {"BAD_USER_INPUT", createAccessKey, map[string]any{"name": strings.Repeat("n", 65), "perms": []string{"secrets:read"}}},
		"no permissions":     {"BAD_USER_INPUT", createAccessKey, map[string]any{"name": "x", "perms": []string{}}},
		"unknown permission": {"BAD_USER_INPUT", createAccessKey, map[string]any{"name": "x", "perms": []string{"root:all"}}},
		"past expiry":        {"BAD_USER_INPUT", createAccessKey, map[string]any{"name": "x", "perms": []string{"secrets:read"}, "expiresAt": "2020-01-01T00:00:00Z"}},
		"update empty name":  {"BAD_USER_INPUT", updateAccessKey, update(map[string]any{"name": ""})},
		"update no perms":    {"BAD_USER_INPUT", updateAccessKey, update(map[string]any{"permissions": []string{}})},
		"update past expiry": {"BAD_USER_INPUT", updateAccessKey, update(map[string]any{"expiresAt": "2020-01-01T00:00:00Z"})},
		"update unknown":     {"BAD_USER_INPUT", updateAccessKey, update(map[string]any{"permissions": []string{"secrets:read", "nope"}})},
		"malformed id":       {"BAD_USER_INPUT", deleteAccessKey, map[string]any{"id": "nope"}},
		"unknown id":         {"NOT_FOUND", deleteAccessKey, map[string]any{"id": uuid.NewString()}},
		"no key field":       {"BAD_USER_INPUT", `{ apiAccessKeys { id key } }`, nil},
		"no hash field":      {"BAD_USER_INPUT", `{ apiAccessKeys { id secretHash } }`, nil},
	} {
		t.Run(name, func(t *testing.T) { w.fails(c.code, acme.Key, c.query, c.vars) })
	}
	if got := len(r.events(acme.OrgID)); got != n {
		t.Fatalf("bad input wrote %d events", got-n)
	}
	if got := r.count(`SELECT count(*) FROM api_access_keys`); got != keys {
		t.Fatalf("bad input changed the key count %d → %d", keys, got)
	}
	var list struct{ APIAccessKeys []accessKeyData }
	w.ok(acme.Key, listAccessKeys, nil, &list)
	if list.APIAccessKeys[0].Name != "kept" || fmt.Sprint(list.APIAccessKeys[0].Permissions) != "[secrets:read]" {
		t.Fatalf("the key changed: %+v", list.APIAccessKeys[0])
	}
	w.assertNoLeaks()
}
