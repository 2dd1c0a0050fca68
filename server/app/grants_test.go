package app

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/oidc/oidctest"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// The tests of this file try, as an attacker holding one permission that
// manages power, to turn it into more (issue 10 paths 2, 3, 4 and 6, and the
// same rule for identity providers and SCIM clients). Each refusal must
// change nothing: no row, no audit event.

const (
	inviteMember = `mutation($email: String!, $roles: [ID!]) {
		inviteMember(input: {email: $email, roleIds: $roles}) { invitation { id email roles { name } } } }`
	grantPermission = `mutation($role: ID!, $perm: String!) {
		grantPermission(input: {roleId: $role, permission: $perm}) { role { id permissions } } }`
)

// adminRoleID returns the id of the organization's built-in Admin role.
func (r *rig) adminRoleID(key string) string {
	r.t.Helper()
	var out struct{ Roles []roleData }
	r.ok(key, listRoles, nil, &out)
	for _, role := range out.Roles {
		if role.BuiltInRole == "ADMIN" {
			return role.ID
		}
	}
	r.t.Fatal("no Admin role")
	return ""
}

// member makes email an active member of org holding the roles, directly
// through the services (as an earlier invitation would have).
func (r *rig) member(org, email string, roles ...string) uuid.UUID {
	r.t.Helper()
	ctx := systemContext(org)
	user, err := r.app.Orgs.EnsureUser(ctx, email, "")
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.app.Orgs.AddMember(ctx, uuid.MustParse(org), user.ID); err != nil {
		r.t.Fatal(err)
	}
	for _, role := range roles {
		if err := r.app.Roles.EnsureAssigned(ctx, uuid.MustParse(org), uuid.MustParse(role), rbac.Holder{UserID: user.ID}); err != nil {
			r.t.Fatal(err)
		}
	}
	return user.ID
}

// Path 2: members:write (with roles:read to find the role) invited someone
// as Admin, and the invitee signed in as Admin.
func TestAnInvitationGrantsOnlyWhatTheInviterHolds(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	inviter := w.createAccessKey(acme.Key, "inviter", "members:write", "members:read", "roles:read")
	admin := r.adminRoleID(acme.Key)
	reader := r.createRole(acme.Key, "Member reader", "members:read")
	auditor := r.createRole(acme.Key, "Log reader", "audit_log:read")

	before := r.state()
	res := r.fails("FORBIDDEN", inviter, inviteMember, map[string]any{"email": "mallory@evil.example", "roles": []string{admin}})
	if !strings.Contains(res.Errors[0].Message, "roles:write") {
		t.Errorf("the refusal should name what the inviter lacks: %q", res.Errors[0].Message)
	}
	r.fails("FORBIDDEN", inviter, inviteMember, map[string]any{"email": "mallory@evil.example", "roles": []string{reader.ID, auditor.ID}})
	r.unchanged(t, "a refused invitation", before)

	// Within what the inviter holds, an invitation works, and the invitee
	// joins with exactly that.
	var out struct {
		InviteMember struct {
			Invitation struct{ Roles []struct{ Name string } }
		}
	}
	r.ok(inviter, inviteMember, map[string]any{"email": "bob@acme.example", "roles": []string{reader.ID}}, &out)
	b := r.browser()
	b.signIn("bob@acme.example")
	v := b.viewer()
	if v.Viewer == nil || strings.Join(v.Viewer.Permissions, ",") != "members:read" {
		t.Fatalf("the invitee holds %+v", v.Viewer)
	}
}

// Path 3: service_accounts:write minted a key for a service account holding
// the Admin role, and acted as Admin with it.
func TestAServiceAccountKeyIsMintedOnlyByWhoHoldsWhatTheAccountHolds(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	manager := w.createAccessKey(acme.Key, "sa manager", "service_accounts:write", "service_accounts:read")
	robot := r.createServiceAccount(acme.Key, "robot")
	r.ok(acme.Key, assignRole, map[string]any{"role": r.adminRoleID(acme.Key), "sa": robot}, nil)
	existing := r.createAPIKey(acme.Key, robot)

	before := r.state()
	r.fails("FORBIDDEN", manager, createAPIKey, map[string]any{"sa": robot})
	r.fails("FORBIDDEN", manager, rotateAPIKey, map[string]any{"id": existing.APIKey.ID})
	r.unchanged(t, "a refused key", before)

	// A service account whose roles the caller holds is theirs to key.
	lesser := r.createServiceAccount(manager, "lesser")
	sa := r.createRole(acme.Key, "SA reader", "service_accounts:read")
	r.ok(acme.Key, assignRole, map[string]any{"role": sa.ID, "sa": lesser}, nil)
	key := r.createAPIKey(manager, lesser)
	r.ok(manager, rotateAPIKey, map[string]any{"id": key.APIKey.ID}, nil)
	// And a key of one the caller cannot key still works for who made it.
	r.ok(existing.Key, `{ roles { id } }`, nil, nil)
}

// roles:write gave anything to anyone, itself included: a role with every
// permission, a permission added to a role the caller holds, the Admin role.
func TestRolesGrantOnlyWhatTheirAuthorHolds(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	roleAdmin := w.createAccessKey(acme.Key, "role admin", "roles:write", "roles:read", "members:read")
	admin := r.adminRoleID(acme.Key)
	own := r.createRole(roleAdmin, "Role managers", "roles:write", "roles:read")
	bob := r.member(acme.OrgID, "bob@acme.example", own.ID)

	before := r.state()
	r.fails("FORBIDDEN", roleAdmin, createRole, map[string]any{"name": "Everything", "perms": []string{"roles:write", "secrets:write"}})
	r.fails("FORBIDDEN", roleAdmin, grantPermission, map[string]any{"role": own.ID, "perm": "secrets:write"})
	r.fails("FORBIDDEN", roleAdmin, assignRole, map[string]any{"role": admin, "user": bob.String()})
	r.unchanged(t, "a refused grant", before)

	r.ok(roleAdmin, grantPermission, map[string]any{"role": own.ID, "perm": "members:read"}, nil)
	readers := r.createRole(roleAdmin, "Readers", "members:read")
	r.ok(roleAdmin, assignRole, map[string]any{"role": readers.ID, "user": bob.String()}, nil)
}

// Path 4: a person's access key K1 created K2 (no creator recorded); after
// the person was removed, K1 was refused but K2 kept its permissions.
func TestAKeyMadeByAKeyBelongsToThePersonAtTheRootOfTheChain(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	keys := r.createRole(acme.Key, "Key makers", "api_access_keys:write", "api_access_keys:read", "secrets:read")
	dave := r.member(acme.OrgID, "dave@acme.example", keys.ID)

	b := r.browser()
	b.signIn("dave@acme.example")
	var k1 struct{ CreateAPIAccessKey newAccessKey }
	if res := b.gql(createAccessKey, map[string]any{"name": "k1", "perms": []string{"api_access_keys:write", "secrets:read"}}); len(res.Errors) > 0 {
		t.Fatalf("k1: %+v", res.Errors)
	} else {
		mustJSON(t, res.Data, &k1)
	}
	w.rememberKey("k1", k1.CreateAPIAccessKey.Key)
	k2 := w.createAccessKeyData(k1.CreateAPIAccessKey.Key, "k2", nil, "api_access_keys:write", "secrets:read")
	k3 := w.createAccessKeyData(k2.Key, "k3", nil, "secrets:read")
	for _, k := range []newAccessKey{k2, k3} {
		if k.APIAccessKey.CreatedBy == nil || k.APIAccessKey.CreatedBy.ID != dave.String() {
			t.Fatalf("%s belongs to %+v, not to the person at the root", k.APIAccessKey.Name, k.APIAccessKey.CreatedBy)
		}
		w.ok(k.Key, `{ secrets { id } }`, nil, nil)
	}

	// The owner loses a permission: every key of the chain loses it.
	r.ok(acme.Key, `mutation($r: ID!) { revokePermission(input: {roleId: $r, permission: "secrets:read"}) { role { id } } }`,
		map[string]any{"r": keys.ID}, nil)
	w.fails("FORBIDDEN", k3.Key, `{ secrets { id } }`, nil)

	// The owner is removed: no key of the chain works any more.
	r.ok(acme.Key, `mutation($u: ID!) { removeMember(input: {userId: $u}) { removedUserId } }`, map[string]any{"u": dave.String()}, nil)
	for _, k := range []string{k1.CreateAPIAccessKey.Key, k2.Key, k3.Key} {
		w.fails("UNAUTHENTICATED", k, `{ apiAccessKeys { id } }`, nil)
	}
}

// A key made with a service account's key belongs to the service account:
// it holds at most what the account holds now, and dies with it. A key with
// no owner at all (made by a key before owners were recorded) is refused.
func TestAKeyMadeByAServiceAccountBelongsToIt(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	robot := r.createServiceAccount(acme.Key, "robot")
	role := r.createRole(acme.Key, "Robot", "api_access_keys:write", "api_access_keys:read", "roles:read")
	r.ok(acme.Key, assignRole, map[string]any{"role": role.ID, "sa": robot}, nil)
	saKey := r.createAPIKey(acme.Key, robot)
	made := w.createAccessKeyData(saKey.Key, "made by robot", nil, "roles:read")
	if made.APIAccessKey.CreatedBy != nil {
		t.Fatalf("a service account's key names a person: %+v", made.APIAccessKey.CreatedBy)
	}
	if n := r.count(`SELECT count(*) FROM api_access_keys WHERE id = $1 AND created_by_service_account_id = $2`, made.APIAccessKey.ID, robot); n != 1 {
		t.Fatal("the key does not record the service account that owns it")
	}
	w.ok(made.Key, `{ roles { id } }`, nil, nil)

	r.ok(acme.Key, `mutation($id: ID!) { deleteServiceAccount(input: {id: $id}) { deletedServiceAccountId } }`, map[string]any{"id": robot}, nil)
	w.fails("UNAUTHENTICATED", made.Key, `{ roles { id } }`, nil)

	orphan := w.createAccessKeyData(acme.Key, "orphan", nil, "roles:read")
	if _, err := r.sql.Exec(`UPDATE api_access_keys SET created_by_user_id = NULL WHERE id = $1`, orphan.APIAccessKey.ID); err != nil {
		t.Fatal(err)
	}
	w.fails("UNAUTHENTICATED", orphan.Key, `{ roles { id } }`, nil)
}

// Path 6: identity_providers:write in Acme (refused when linking a provider
// to sibling Acme EU) could still update a provider linked only to Acme EU —
// new issuer, its own client — then sign in as Acme EU's admin; the change
// was logged in Acme's log only.
func TestASharedProviderChangesOnlyWithRightsWhereItIsLinked(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	idp := oidctest.New(t, "acme-eu-client", "secret-of-acme-eu")
	evil := oidctest.New(t, "evil-client", "")

	b := r.browser()
	b.signIn("admin@acme.example")
	var sib struct {
		CreateSiblingOrganization struct{ Organization struct{ ID string } }
	}
	mustJSON(t, b.gql(`mutation { createSiblingOrganization(input: {name: "Acme EU"}) { organization { id } } }`, nil).Data, &sib)
	eu := sib.CreateSiblingOrganization.Organization.ID
	p := r.createOIDCProvider(acme.Key, idp, "Acme EU SSO")
	if res := b.gql(addOIDCProvider, map[string]any{"p": p.ID, "o": eu}); len(res.Errors) > 0 {
		t.Fatalf("link to Acme EU: %+v", res.Errors)
	}

	w := r.watch()
	sso := w.createAccessKey(acme.Key, "sso manager", "identity_providers:write", "identity_providers:read")
	before := r.state()
	for _, input := range []map[string]any{
		{"id": p.ID, "issuer": evil.URL, "clientId": evil.ClientID, "clientSecret": ""},
		{"id": p.ID, "clientId": "another-client"},
		{"id": p.ID, "name": "Renamed"},
	} {
		r.fails("FORBIDDEN", sso, updateOIDCProvider, map[string]any{"input": input})
	}
	r.fails("FORBIDDEN", sso, deleteOIDCProvider, map[string]any{"id": p.ID})
	r.unchanged(t, "a refused change to a shared provider", before)

	// The sign-in through the untouched provider still lands in Acme EU as
	// its admin; Acme EU's admin, who holds the right there, may change it,
	// and both organizations' logs say so.
	idp.SignInAs(oidctest.Identity{Subject: "1", Email: "admin@acme.example", EmailVerified: true})
	mustLocation(t, r.browser().oidcSignIn(p.ID, "/", nil).Callback, "/")
	acmeMark, euMark := len(r.events(acme.OrgID)), len(r.events(eu))
	if res := b.gql(updateOIDCProvider, map[string]any{"input": map[string]any{"id": p.ID, "name": "Acme Europe SSO"}}); len(res.Errors) > 0 {
		t.Fatalf("update by an admin of both: %+v", res.Errors)
	}
	if got := actionsSince(r.events(acme.OrgID), acmeMark); got != "UPDATED_OIDC_PROVIDER" {
		t.Fatalf("Acme's log: %s", got)
	}
	euEvents := r.events(eu)
	if got := actionsSince(euEvents, euMark); got != "UPDATED_OIDC_PROVIDER" {
		t.Fatalf("Acme EU's log: %s", got)
	}
	if e := euEvents[len(euEvents)-1]; e.Details["actingOrganizationId"] != acme.OrgID || e.ResourceName != "Acme Europe SSO" {
		t.Fatalf("Acme EU's event %+v", e)
	}
}

// identity_providers:write linked a provider whose IdP the caller controls
// and signed in through it as any member, the Admin included: a provider
// vouches for everyone in the organizations it is linked to, so linking one
// (or changing a linked one's issuer or client) needs what they hold.
func TestLinkingAProviderNeedsWhatTheMembersHold(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	sso := w.createAccessKey(acme.Key, "sso manager", "identity_providers:write", "identity_providers:read")
	evil := oidctest.New(t, "evil-client", "")
	p := r.createOIDCProvider(sso, evil, "Totally legit SSO")

	before := r.state()
	res := r.fails("FORBIDDEN", sso, addOIDCProvider, map[string]any{"p": p.ID})
	if !strings.Contains(res.Errors[0].Message, "any of its members") {
		t.Errorf("the refusal should say why: %q", res.Errors[0].Message)
	}
	r.unchanged(t, "a refused link", before)
	evil.SignInAs(oidctest.Identity{Subject: "x", Email: "admin@acme.example", EmailVerified: true})
	mustLocation(t, r.browser().get(r.srv.URL+"/auth/oidc/"+p.ID+"/login"), "/sign-in?error=provider_not_linked")

	// Linked by the admin, it cannot be pointed elsewhere by the manager.
	r.linkOIDCProvider(acme.Key, p.ID)
	other := oidctest.New(t, "other-client", "")
	before = r.state()
	r.fails("FORBIDDEN", sso, updateOIDCProvider, map[string]any{"input": map[string]any{"id": p.ID, "issuer": other.URL, "clientId": other.ClientID}})
	r.unchanged(t, "a refused re-pointing", before)
	// Renaming it hands nothing out.
	r.ok(sso, updateOIDCProvider, map[string]any{"input": map[string]any{"id": p.ID, "name": "Acme SSO"}}, nil)
}

// scim:write created a SCIM token; a SCIM client adopts an existing member
// (the Admin) and changes the address they sign in with to one the attacker
// reads. A SCIM credential can become any member, so it needs what they
// hold; mapping a group to a role needs the role.
func TestSCIMCredentialsAndMappingsGrantOnlyWhatTheirAuthorHolds(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	scimAdmin := w.createAccessKey(acme.Key, "scim manager", "scim:write", "scim:read", "roles:write", "roles:read")

	before := r.state()
	r.fails("FORBIDDEN", scimAdmin, createScimToken, map[string]any{"name": "okta"})
	r.fails("FORBIDDEN", scimAdmin, createScimOAuthClient, map[string]any{"name": "entra"})
	r.unchanged(t, "a refused SCIM credential", before)

	token := r.scimToken(acme.Key, "okta")
	idp := r.idp(token.Token, "Okta SCIM Client 1.0")
	group := idp.must(201, "POST", "/Groups", map[string]any{
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:Group"}, "displayName": "Engineering"}).str("id")
	before = r.state()
	r.fails("FORBIDDEN", scimAdmin, `mutation($g: ID!, $r: ID!) { mapScimGroupToRole(input: {groupId: $g, roleId: $r}) { group { id } } }`,
		map[string]any{"g": group, "r": r.adminRoleID(acme.Key)})
	r.unchanged(t, "a refused mapping", before)
	r.mapGroup(acme.Key, group, r.adminRoleID(acme.Key))
}
