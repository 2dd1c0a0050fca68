package app

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/orgtrail/orgtrail/server/oidc/oidctest"
)

// Tests of the rule "an organization trusts only the sign-in it chose"
// (issue 10, path 1): a session carries how it was authenticated, and enters
// only organizations that accept that method and, for OIDC, that provider.

const switchOrganization = `mutation($o: ID!) { switchOrganization(input: {organizationId: $o}) { viewer { organization { id } } } }`

// setSignInMethods sets the sign-in methods of the key's organization.
func (r *rig) setSignInMethods(key string, methods ...string) {
	r.t.Helper()
	r.ok(key, `mutation($m: [SignInMethod!]) { updateOrganizationSettings(input: {signInMethods: $m}) { organization { id } } }`,
		map[string]any{"m": methods}, nil)
}

// signInOptionsFor is what the sign-in page offers for org ("" for none).
func (r *rig) signInOptionsFor(org string) signInOptionsData {
	r.t.Helper()
	var vars map[string]any
	if org != "" {
		vars = map[string]any{"o": org}
	}
	var out signInOptionsData
	r.ok("", signInOptions, vars, &out)
	return out
}

// mustRefuseSwitch switches b to org, which must refuse: FORBIDDEN, with the
// sign-in page that org wants as extensions.signInUrl.
func (b *browser) mustRefuseSwitch(org string) gqlError {
	b.r.t.Helper()
	res := b.gql(switchOrganization, map[string]any{"o": org})
	if res.code() != "FORBIDDEN" {
		b.r.t.Fatalf("switch to %s: %s %+v, want FORBIDDEN", org, res.Data, res.Errors)
	}
	e := res.Errors[0]
	want := "/sign-in?" + url.Values{"organization": {org}, "next": {"/settings"}}.Encode()
	if e.Extensions["reason"] != "SIGN_IN_REQUIRED" || e.Extensions["signInUrl"] != want {
		b.r.t.Fatalf("refused switch extensions %v, want reason SIGN_IN_REQUIRED and signInUrl %s", e.Extensions, want)
	}
	return e
}

// lastEvent returns the organization's newest audit row.
func (r *rig) lastEvent(org string) storedEvent {
	r.t.Helper()
	events := r.events(org)
	if len(events) == 0 {
		r.t.Fatalf("no events in %s", org)
	}
	return events[len(events)-1]
}

// victimAndEvil sets up path 1: Victim Corp allows OIDC sign-in only, through
// its own provider; Evil, another account, has a provider of its own, whose
// IdP its admin controls.
type victimAndEvil struct {
	victim, evil         tenant
	victimIdP, evilIdP   *oidctest.Provider
	victimSSO, evilSSO   oidcProviderData
	ceo                  oidctest.Identity
	victimEventsBeforeIt int
}

func pathOne(t *testing.T, r *rig, victimMethods ...string) victimAndEvil {
	t.Helper()
	s := victimAndEvil{victim: r.tenant("Victim Corp", "ceo@victim.example"), evil: r.tenant("Evil", "admin@evil.example"),
		victimIdP: oidctest.New(t, "victim-client", "victim-secret"), evilIdP: oidctest.New(t, "evil-client", "evil-secret"),
		ceo: oidctest.Identity{Subject: "ceo", Email: "ceo@victim.example", EmailVerified: true}}
	s.victimSSO = r.createOIDCProvider(s.victim.Key, s.victimIdP, "Victim SSO")
	r.linkOIDCProvider(s.victim.Key, s.victimSSO.ID)
	r.setSignInMethods(s.victim.Key, victimMethods...)
	s.evilSSO = r.createOIDCProvider(s.evil.Key, s.evilIdP, "Evil SSO")
	r.linkOIDCProvider(s.evil.Key, s.evilSSO.ID)
	s.victimEventsBeforeIt = len(r.events(s.victim.OrgID))
	return s
}

// attack signs in through Evil's IdP as Victim's CEO and tries to switch into
// Victim: the session is in Evil, the switch is refused and recorded in
// Victim's log, and the session still works in Evil.
func (s victimAndEvil) attack(t *testing.T, r *rig) *browser {
	t.Helper()
	s.evilIdP.SignInAs(s.ceo)
	b := r.browser()
	mustLocation(t, b.oidcSignIn(s.evilSSO.ID, "/settings", nil).Callback, "/settings")
	v := b.viewer()
	if v.Viewer.User.Email != "ceo@victim.example" || v.Viewer.Organization.ID != s.evil.OrgID {
		t.Fatalf("Evil's IdP signed in %+v", v.Viewer)
	}
	if len(v.Viewer.Organizations) != 2 {
		t.Fatalf("the CEO's organizations: %+v", v.Viewer.Organizations)
	}

	refusal := b.mustRefuseSwitch(s.victim.OrgID)
	if refusal.Message != "Victim Corp does not accept sign-in through Evil SSO: sign in the way it asks to enter it" {
		t.Errorf("message %q", refusal.Message)
	}
	if got := actionsSince(r.events(s.victim.OrgID), s.victimEventsBeforeIt); got != "LOGIN_FAILED" {
		t.Fatalf("Victim's log after the attempt: %s", got)
	}
	e := r.lastEvent(s.victim.OrgID)
	from, _ := e.Details["from"].(map[string]any)
	if e.ActorType != "USER" || e.ActorID != s.victim.AdminID || e.ResourceType != "user" || e.ResourceName != "ceo@victim.example" ||
		e.Details["reason"] != "provider_not_linked" || e.Details["method"] != "OIDC" || e.Details["providerId"] != s.evilSSO.ID ||
		e.Details["providerName"] != "Evil SSO" || from["id"] != s.evil.OrgID || from["name"] != "Evil" {
		t.Fatalf("Login failed in Victim: %+v", e)
	}
	// Nothing moved: the session is still in Evil, and still works there.
	if v := b.viewer(); v.Viewer.Organization.ID != s.evil.OrgID {
		t.Fatalf("after the refused switch the session is in %s", v.Viewer.Organization.Name)
	}
	if n := r.count(`SELECT count(*) FROM audit_events WHERE organization_id = $1 AND action = 'SWITCHED_ORGANIZATION'`, s.victim.OrgID); n != 0 {
		t.Fatalf("%d switches into Victim recorded", n)
	}
	// Asking to land in Victim through Evil's IdP lands in Evil all the same.
	mustLocation(t, r.browser().oidcSignInAt("/auth/oidc/"+s.evilSSO.ID+"/login?organization="+s.victim.OrgID, nil).Callback, "/")
	if got := r.count(`SELECT count(*) FROM sessions WHERE organization_id = $1 AND provider_id = $2`, s.victim.OrgID, s.evilSSO.ID); got != 0 {
		t.Fatalf("%d sessions through Evil's IdP in Victim", got)
	}
	return b
}

// TestForeignIdPCannotEnterAnOrganizationThroughAnInvitation is issue 10's
// path 1 as reported: Evil invites Victim's CEO, its IdP asserts the CEO's
// verified address, and the session may not switch into Victim Corp, which
// allows OIDC sign-in only through its own provider.
func TestForeignIdPCannotEnterAnOrganizationThroughAnInvitation(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	s := pathOne(t, r, "OIDC")
	r.ok(s.evil.Key, `mutation { inviteMember(input: {email: "ceo@victim.example"}) { invitation { id } } }`, nil, nil)
	s.attack(t, r)

	// Victim's sign-in page offers its own provider only, landing in Victim.
	opts := r.signInOptionsFor(s.victim.OrgID).SignInOptions
	if opts.MagicLink || len(opts.Providers) != 1 || opts.Providers[0].Name != "Victim SSO" ||
		opts.Providers[0].LoginURL != "/auth/oidc/"+s.victimSSO.ID+"/login?organization="+s.victim.OrgID {
		t.Fatalf("Victim's sign-in options %+v", opts)
	}
	// Signing in there, the real CEO lands in Victim.
	s.victimIdP.SignInAs(s.ceo)
	b := r.browser()
	mustLocation(t, b.oidcSignInAt(opts.Providers[0].LoginURL+"&next=%2Fsettings", nil).Callback, "/settings")
	if v := b.viewer(); v.Viewer.Organization.ID != s.victim.OrgID {
		t.Fatalf("Victim's own IdP landed in %s", v.Viewer.Organization.Name)
	}
}

// TestForeignIdPCannotEnterAnOrganizationThroughSCIM is path 1 with the
// membership created by Evil's SCIM token, which mails nobody.
func TestForeignIdPCannotEnterAnOrganizationThroughSCIM(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	s := pathOne(t, r, "OIDC")
	scim := r.idp(r.scimToken(s.evil.Key, "Evil directory").Token, "Evil SCIM")
	scim.must(http.StatusCreated, "POST", "/Users", map[string]any{
		"schemas":  []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
		"userName": "ceo@victim.example", "active": true,
		"emails": []any{map[string]any{"primary": true, "value": "ceo@victim.example"}},
	})
	s.attack(t, r)
}

// TestForeignIdPSessionMustSignInByMagicLinkToEnter is path 1 where Victim
// Corp also allows magic links: a session through Evil's IdP still cannot
// enter Victim; signing in by magic link, asked for Victim, works and lands
// there.
func TestForeignIdPSessionMustSignInByMagicLinkToEnter(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	s := pathOne(t, r, "MAGIC_LINK", "OIDC")
	r.ok(s.evil.Key, `mutation { inviteMember(input: {email: "ceo@victim.example"}) { invitation { id } } }`, nil, nil)
	b := s.attack(t, r)

	opts := r.signInOptionsFor(s.victim.OrgID).SignInOptions
	if !opts.MagicLink || len(opts.Providers) != 1 || opts.Providers[0].Name != "Victim SSO" {
		t.Fatalf("Victim's sign-in options %+v", opts)
	}
	// A magic link asked for Victim lands there, though the CEO's latest
	// session is in Evil (where a link asked for nowhere lands).
	if status, body := b.post("/auth/magic-link", map[string]string{"email": "ceo@victim.example", "next": "/settings",
		"organization": s.victim.OrgID}, false); status != http.StatusOK {
		t.Fatalf("magic link request: %d %s", status, body)
	}
	mustLocation(t, b.get(rebase(r.mailedLink("ceo@victim.example"), r.srv.URL)), "/settings")
	v := b.viewer()
	if v.Viewer.Organization.ID != s.victim.OrgID || !contains(v.Viewer.Permissions, "organization:write") {
		t.Fatalf("after the magic link %+v", v.Viewer)
	}
	e := r.lastEvent(s.victim.OrgID)
	if e.Action != "LOGGED_IN" || e.Details["method"] != "MAGIC_LINK" {
		t.Fatalf("Victim's last event %+v", e)
	}
	// That session may go back to Evil, which accepts magic links too.
	if res := b.gql(switchOrganization, map[string]any{"o": s.evil.OrgID}); len(res.Errors) > 0 {
		t.Fatalf("switch back to Evil: %+v", res.Errors)
	}
}

// TestSwitchAsksForTheSignInTheOrganizationAcceptsThenLandsThere: the
// step-up. Acme EU accepts OIDC only; a person signed in by magic link in
// Acme is refused there with where to sign in, and signing in there through
// the provider (linked to both) lands in Acme EU, not in Acme.
func TestSwitchAsksForTheSignInTheOrganizationAcceptsThenLandsThere(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	b := r.browser()
	b.signIn("admin@acme.example")
	var sib struct {
		CreateSiblingOrganization struct{ Organization struct{ ID string } }
	}
	mustJSON(t, b.gql(`mutation { createSiblingOrganization(input: {name: "Acme EU"}) { organization { id } } }`, nil).Data, &sib)
	eu := sib.CreateSiblingOrganization.Organization.ID
	idp := oidctest.New(t, "acme-client", "acme-secret")
	p := r.createOIDCProvider(acme.Key, idp, "Acme SSO")
	r.linkOIDCProvider(acme.Key, p.ID)
	if res := b.gql(addOIDCProvider, map[string]any{"p": p.ID, "o": eu}); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	if res := b.gql(switchOrganization, map[string]any{"o": eu}); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	if res := b.gql(`mutation { updateOrganizationSettings(input: {signInMethods: [OIDC]}) { organization { id } } }`, nil); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	// The session that made the change signed in by magic link: Acme EU no
	// longer accepts it.
	if res := b.gql(viewerQuery, nil); res.code() != "UNAUTHENTICATED" {
		t.Fatalf("a magic-link session in an OIDC-only organization: %s %+v", res.Data, res.Errors)
	}

	b = r.browser()
	mustLocation(t, b.signIn("admin@acme.example"), "/")
	if v := b.viewer(); v.Viewer.Organization.ID != acme.OrgID || len(v.Viewer.Organizations) != 2 {
		t.Fatalf("magic link landed %+v", v.Viewer)
	}
	mark := len(r.events(eu))
	if msg := b.mustRefuseSwitch(eu).Message; msg != "Acme EU does not accept sign-in with an email link: sign in the way it asks to enter it" {
		t.Errorf("message %q", msg)
	}
	e := r.lastEvent(eu)
	if actionsSince(r.events(eu), mark) != "LOGIN_FAILED" || e.Details["reason"] != "method_not_allowed" ||
		e.Details["method"] != "MAGIC_LINK" || e.Details["providerId"] != nil || e.Details["from"].(map[string]any)["id"] != acme.OrgID {
		t.Fatalf("Acme EU's log: %+v", e)
	}

	opts := r.signInOptionsFor(eu).SignInOptions
	if opts.MagicLink || len(opts.Providers) != 1 || opts.Providers[0].LoginURL != "/auth/oidc/"+p.ID+"/login?organization="+eu {
		t.Fatalf("Acme EU's sign-in options %+v", opts)
	}
	idp.SignInAs(oidctest.Identity{Subject: "admin", Email: "admin@acme.example", EmailVerified: true})
	mustLocation(t, b.oidcSignInAt(opts.Providers[0].LoginURL+"&next=%2Fsettings", nil).Callback, "/settings")
	if v := b.viewer(); v.Viewer.Organization.ID != eu {
		t.Fatalf("the step-up landed in %s", v.Viewer.Organization.Name)
	}
	// Through the same provider, without asking, the latest session wins (Acme).
	c := r.browser()
	mustLocation(t, c.oidcSignIn(p.ID, "/", nil).Callback, "/")
	// Acme accepts that provider too: the OIDC session may switch there.
	if res := c.gql(switchOrganization, map[string]any{"o": acme.OrgID}); len(res.Errors) > 0 {
		t.Fatalf("switch to Acme through its linked provider: %+v", res.Errors)
	}

	// Unknown and malformed organizations on the public field.
	r.fails("NOT_FOUND", "", signInOptions, map[string]any{"o": "0190e6d2-8f5c-7a4e-9b1d-3c2a1f0e9d8c"})
	r.fails("BAD_USER_INPUT", "", signInOptions, map[string]any{"o": "not-an-id"})
}

// TestSessionIsRefusedOnceItsOrganizationStopsAcceptingItsSignIn: a session
// whose organization no longer allows its method, or no longer has its
// provider (unlinked, deleted), is refused and ended; allowing the method
// again does not bring it back.
func TestSessionIsRefusedOnceItsOrganizationStopsAcceptingItsSignIn(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	idp := oidctest.New(t, "acme-client", "acme-secret")
	p := r.createOIDCProvider(acme.Key, idp, "Acme SSO")
	r.linkOIDCProvider(acme.Key, p.ID)
	idp.SignInAs(oidctest.Identity{Subject: "admin", Email: "admin@acme.example", EmailVerified: true})

	byLink := r.browser()
	byLink.signIn("admin@acme.example")
	byOIDC := r.browser()
	byOIDC.oidcSignIn(p.ID, "/", nil)
	r.setSignInMethods(acme.Key, "OIDC")
	if res := byLink.gql(viewerQuery, nil); res.code() != "UNAUTHENTICATED" {
		t.Fatalf("magic-link session after magic links were disallowed: %s %+v", res.Data, res.Errors)
	}
	if byOIDC.viewer().Viewer == nil {
		t.Fatal("the OIDC session was refused")
	}
	r.setSignInMethods(acme.Key, "MAGIC_LINK", "OIDC")
	if res := byLink.gql(viewerQuery, nil); res.code() != "UNAUTHENTICATED" {
		t.Fatalf("the refused session came back: %s %+v", res.Data, res.Errors)
	}

	r.ok(acme.Key, removeOIDCProvider, map[string]any{"p": p.ID}, nil)
	if res := byOIDC.gql(viewerQuery, nil); res.code() != "UNAUTHENTICATED" {
		t.Fatalf("OIDC session after its provider was unlinked: %s %+v", res.Data, res.Errors)
	}

	r.linkOIDCProvider(acme.Key, p.ID)
	again := r.browser()
	mustLocation(t, again.oidcSignIn(p.ID, "/", nil).Callback, "/")
	r.ok(acme.Key, deleteOIDCProvider, map[string]any{"id": p.ID}, nil)
	if res := again.gql(viewerQuery, nil); res.code() != "UNAUTHENTICATED" {
		t.Fatalf("OIDC session after its provider was deleted: %s %+v", res.Data, res.Errors)
	}
	if n := r.count(`SELECT count(*) FROM sessions WHERE ended_at IS NULL AND method = 'OIDC'`); n != 0 {
		t.Fatalf("%d OIDC sessions still live", n)
	}
}

// TestMembershipFromAnInvitationOrSCIMIsEnteredOnlyThroughATrustedSignIn:
// invitations and SCIM create memberships, but signing in accepts an
// invitation only where the sign-in is accepted, and a SCIM-made membership
// is not a way around the organization's sign-in either.
func TestMembershipFromAnInvitationOrSCIMIsEnteredOnlyThroughATrustedSignIn(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	globex := r.tenant("Globex", "admin@globex.example")
	victim := r.tenant("Victim Corp", "ceo@victim.example")
	idp := oidctest.New(t, "victim-client", "victim-secret")
	p := r.createOIDCProvider(victim.Key, idp, "Victim SSO")
	r.linkOIDCProvider(victim.Key, p.ID)
	r.setSignInMethods(victim.Key, "OIDC")
	invite := `mutation($e: String!) { inviteMember(input: {email: $e}) { invitation { id } } }`

	// Bob is invited by Globex, then by Victim; his magic link accepts only
	// Globex's invitation, though Victim's is newer.
	r.ok(globex.Key, invite, map[string]any{"e": "bob@example.com"}, nil)
	r.ok(victim.Key, invite, map[string]any{"e": "bob@example.com"}, nil)
	bob := r.browser()
	mustLocation(t, bob.signIn("bob@example.com"), "/")
	if v := bob.viewer(); v.Viewer.Organization.ID != globex.OrgID || len(v.Viewer.Organizations) != 1 {
		t.Fatalf("Bob's magic link landed %+v", v.Viewer)
	}
	if n := r.count(`SELECT count(*) FROM invitations WHERE organization_id = $1 AND accepted_at IS NULL`, victim.OrgID); n != 1 {
		t.Fatal("a magic link accepted an invitation into an OIDC-only organization")
	}
	// Victim's own IdP accepts it.
	idp.SignInAs(oidctest.Identity{Subject: "bob", Email: "bob@example.com", EmailVerified: true})
	viaIdP := r.browser()
	mustLocation(t, viaIdP.oidcSignIn(p.ID, "/", nil).Callback, "/")
	if v := viaIdP.viewer(); v.Viewer.Organization.ID != victim.OrgID {
		t.Fatalf("Victim's IdP landed Bob in %s", v.Viewer.Organization.Name)
	}
	// Bob's magic-link session now sees Victim, and may not enter it.
	bob.mustRefuseSwitch(victim.OrgID)

	// Carol is provisioned into Victim by its SCIM client, and invited by
	// Globex: her magic link lands in Globex and cannot switch into Victim.
	scim := r.idp(r.scimToken(victim.Key, "Victim directory").Token, "Victim SCIM")
	scim.must(http.StatusCreated, "POST", "/Users", map[string]any{
		"schemas":  []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
		"userName": "carol@example.com", "active": true,
	})
	r.ok(globex.Key, invite, map[string]any{"e": "carol@example.com"}, nil)
	carol := r.browser()
	mustLocation(t, carol.signIn("carol@example.com"), "/")
	if v := carol.viewer(); v.Viewer.Organization.ID != globex.OrgID {
		t.Fatalf("Carol's magic link landed in %s", v.Viewer.Organization.Name)
	}
	carol.mustRefuseSwitch(victim.OrgID)
}
