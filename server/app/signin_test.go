package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const viewerQuery = `{ viewer { user { email } organization { id name } organizations { name } permissions } }`

type viewerData struct {
	Viewer *struct {
		User          *struct{ Email string }
		Organization  struct{ ID, Name string }
		Organizations []struct{ Name string }
		Permissions   []string
	}
}

func (b *browser) viewer() viewerData {
	b.r.t.Helper()
	res := b.gql(viewerQuery, nil)
	if len(res.Errors) > 0 {
		b.r.t.Fatalf("viewer: %+v", res.Errors)
	}
	var v viewerData
	mustJSON(b.r.t, res.Data, &v)
	return v
}

func TestMagicLinkSignsInOnceAndLogoutEndsTheSession(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	b := r.browser()

	status, body := b.post("/auth/magic-link", map[string]string{"email": "Admin@Acme.example", "next": "/settings/audit-log?category=SECRETS"}, false)
	if status != 200 || !strings.Contains(body, `"ok":true`) {
		t.Fatalf("request: %d %s", status, body)
	}
	link := r.mailedLink("admin@acme.example")
	resp := b.get(rebase(link, r.srv.URL))
	mustLocation(t, resp, "/settings/audit-log?category=SECRETS")
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "orgtrail_session" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v, want HttpOnly SameSite=Lax", cookie)
	}

	v := b.viewer()
	if v.Viewer == nil || v.Viewer.User.Email != "admin@acme.example" || v.Viewer.Organization.ID != acme.OrgID {
		t.Fatalf("viewer = %+v", v.Viewer)
	}
	// The link is single-use.
	mustLocation(t, r.browser().get(rebase(link, r.srv.URL)), "/sign-in?error=used")

	events := r.events(acme.OrgID)
	actions := []string{}
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); !strings.HasSuffix(got, ",GENERATED_MAGIC_LINK,LOGGED_IN,LOGIN_FAILED") {
		t.Fatalf("actions %s", got)
	}
	if sent := events[len(events)-3]; sent.ResourceType != "user" || sent.ResourceID != acme.AdminID || sent.ResourceName != "admin@acme.example" {
		t.Errorf("Generated magic link event names %s %s (%s), want the user", sent.ResourceType, sent.ResourceID, sent.ResourceName)
	}
	login := events[len(events)-2]
	if login.ActorType != "USER" || login.ResourceName != "admin@acme.example" || login.Details["method"] != "MAGIC_LINK" {
		t.Errorf("Logged in event %+v", login)
	}
	if failed := events[len(events)-1]; failed.Details["reason"] != "used" {
		t.Errorf("Login failed event %+v", failed)
	}

	// Without the CSRF header a cookie request cannot change anything.
	status, _ = b.post("/graphql", map[string]any{"query": `mutation { createRole(input: {name: "X"}) { role { id } } }`}, false)
	if status != http.StatusForbidden {
		t.Fatalf("mutation without CSRF header: %d, want 403", status)
	}
	if status, _ := b.post("/auth/logout", nil, false); status != http.StatusForbidden {
		t.Fatalf("logout without CSRF header: %d", status)
	}

	if status, _ := b.post("/auth/logout", nil, true); status != http.StatusNoContent {
		t.Fatalf("logout: %d", status)
	}
	if got := r.events(acme.OrgID); got[len(got)-1].Action != "LOGGED_OUT" {
		t.Fatalf("last event %s, want LOGGED_OUT", got[len(got)-1].Action)
	}
	// The old cookie is dead even if a browser replays it.
	replay := r.browser()
	replay.client.Jar.SetCookies(mustURL(r.srv.URL), []*http.Cookie{{Name: "orgtrail_session", Value: cookie.Value}})
	if res := replay.gql(viewerQuery, nil); res.code() != "UNAUTHENTICATED" {
		t.Fatalf("replayed cookie: %+v", res)
	}
}

func TestMagicLinkAnswersTheSameForUnknownAddresses(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	b := r.browser()
	known, knownBody := b.post("/auth/magic-link", map[string]string{"email": "admin@acme.example"}, false)
	unknown, unknownBody := b.post("/auth/magic-link", map[string]string{"email": "nobody@acme.example"}, false)
	if known != unknown || knownBody != unknownBody {
		t.Fatalf("known %d %s, unknown %d %s", known, knownBody, unknown, unknownBody)
	}
	if r.mailedLink("nobody@acme.example") != "" {
		t.Fatal("a link was sent to an unknown address")
	}
	if status, _ := b.post("/auth/magic-link", map[string]string{"email": "not an email"}, false); status != 400 {
		t.Fatalf("malformed email: %d", status)
	}
	// Expired links are refused and recorded.
	if _, err := r.sql.Exec(`UPDATE magic_links SET expires_at = now() - interval '1 minute'`); err != nil {
		t.Fatal(err)
	}
	mustLocation(t, b.get(rebase(r.mailedLink("admin@acme.example"), r.srv.URL)), "/sign-in?error=expired")
	mustLocation(t, b.get(r.srv.URL+"/auth/magic-link/verify?token=forged"), "/sign-in?error=invalid")
	if e := r.events(acme.OrgID); e[len(e)-1].Action != "LOGIN_FAILED" || e[len(e)-1].Details["reason"] != "expired" {
		t.Fatalf("last event %+v", e[len(e)-1])
	}
}

func TestMagicLinkRequestsAreRateLimitedPerAddress(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.tenant("Acme", "admin@acme.example")
	b := r.browser()
	limited := false
	for i := 0; i < 8; i++ {
		if status, _ := b.post("/auth/magic-link", map[string]string{"email": "admin@acme.example"}, false); status == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Fatal("8 requests in a row for one address were all accepted")
	}
}

// TestMagicLinkRateLimitIsSharedByEveryInstance: two servers on one database
// draw on one budget per address (5 at once, then one every 3 minutes), and a
// refused request takes nothing from it.
func TestMagicLinkRateLimitIsSharedByEveryInstance(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.tenant("Acme", "admin@acme.example")
	second := httptest.NewServer(r.rotationApp(r.app.Config.SecretKey).Handler())
	t.Cleanup(second.Close)
	request := func(base string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+"/auth/magic-link", strings.NewReader(`{"email":"admin@acme.example"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", base)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	var statuses []int
	for i := range 7 {
		statuses = append(statuses, request([]string{r.srv.URL, second.URL}[i%2]))
	}
	if got := fmt.Sprint(statuses); got != "[200 200 200 200 200 429 429]" {
		t.Fatalf("statuses %s, want five accepted across both servers, then refused", got)
	}
	// Three minutes later the address has earned one more request, and only one.
	if _, err := r.sql.Exec(`UPDATE rate_limit_buckets SET updated_at = updated_at - interval '3 minutes 1 second'
		WHERE key = 'email:admin@acme.example'`); err != nil {
		t.Fatal(err)
	}
	if got := []int{request(second.URL), request(r.srv.URL)}; got[0] != 200 || got[1] != 429 {
		t.Fatalf("after 3 minutes: %v, want one accepted then refused", got)
	}
}

func TestCrossSiteSignInRequestIsRefused(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.tenant("Acme", "admin@acme.example")
	req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/auth/magic-link", strings.NewReader(`{"email":"admin@acme.example"}`))
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site request: %d", resp.StatusCode)
	}
}

func TestInvitationFlow(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	role := r.createRole(acme.Key, "Log reader", "audit_log:read")
	n := len(r.events(acme.OrgID))

	var inv struct {
		InviteMember struct{ Invitation struct{ ID, Email string } }
	}
	r.ok(acme.Key, `mutation($roles: [ID!]) { inviteMember(input: {email: "New@Acme.example", roleIds: $roles}) { invitation { id email roles { name } } } }`,
		map[string]any{"roles": []string{role.ID}}, &inv)
	if inv.InviteMember.Invitation.Email != "new@acme.example" {
		t.Fatalf("invitation %+v", inv)
	}
	r.fails("CONFLICT", acme.Key, `mutation { inviteMember(input: {email: "new@acme.example"}) { invitation { id } } }`, nil)
	r.fails("CONFLICT", acme.Key, `mutation { inviteMember(input: {email: "admin@acme.example"}) { invitation { id } } }`, nil)
	r.fails("BAD_USER_INPUT", acme.Key, `mutation { inviteMember(input: {email: "nope"}) { invitation { id } } }`, nil)

	// The invitee signs in with a magic link: that accepts the invitation.
	b := r.browser()
	if resp := b.signIn("new@acme.example"); resp.Header.Get("Location") != "/" {
		t.Log(r.log.String())
		t.Fatalf("sign-in landed on %s", resp.Header.Get("Location"))
	}
	v := b.viewer()
	if v.Viewer.Organization.ID != acme.OrgID || !contains(v.Viewer.Permissions, "audit_log:read") {
		t.Fatalf("viewer %+v", v.Viewer)
	}
	actions := actionsSince(r.events(acme.OrgID), n)
	if actions != "INVITED_MEMBER,GENERATED_MAGIC_LINK,MEMBER_JOINED,LOGGED_IN" {
		t.Fatalf("actions %s", actions)
	}
	// The accept link cannot be used again.
	token := tokenFrom(r.mailedLinkWith("new@acme.example", "/invitations/accept"))
	b.gql(`mutation($t: String!) { acceptInvitation(input: {token: $t}) { organization { id } } }`, map[string]any{"t": token})
	if res := b.gql(`mutation($t: String!) { acceptInvitation(input: {token: $t}) { organization { id } } }`, map[string]any{"t": token}); res.code() != "CONFLICT" {
		t.Fatalf("second accept: %+v", res)
	}
}

// TestWithdrawnInvitationStopsWorking: withdrawing is audited as "Removed
// member" on the invitation, the invitee can no longer get in through it,
// and only the inviting organization, with members:write, may withdraw.
func TestWithdrawnInvitationStopsWorking(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	const withdraw = `mutation($id: ID!) { withdrawInvitation(input: {id: $id}) { withdrawnInvitationId } }`
	var inv struct {
		InviteMember struct{ Invitation struct{ ID string } }
	}
	r.ok(acme.Key, `mutation { inviteMember(input: {email: "late@acme.example"}) { invitation { id } } }`, nil, &inv)
	id := inv.InviteMember.Invitation.ID

	r.fails("NOT_FOUND", globex.Key, withdraw, map[string]any{"id": id})
	reader := r.createRole(acme.Key, "Member reader", "members:read")
	sa := r.createServiceAccount(acme.Key, "directory sync")
	r.ok(acme.Key, assignRole, map[string]any{"role": reader.ID, "sa": sa}, nil)
	r.fails("FORBIDDEN", r.createAPIKey(acme.Key, sa).Key, withdraw, map[string]any{"id": id})
	n := len(r.events(acme.OrgID))

	r.ok(acme.Key, withdraw, map[string]any{"id": id}, nil)
	e := r.events(acme.OrgID)
	if actionsSince(e, n) != "REMOVED_MEMBER" || e[n].ResourceType != "invitation" || e[n].ResourceID != id ||
		e[n].ResourceName != "late@acme.example" || e[n].Details["withdrawn"] != true {
		t.Fatalf("events %+v", e[n:])
	}
	var list struct{ Invitations []struct{ ID string } }
	r.ok(acme.Key, `{ invitations { id } }`, nil, &list)
	if len(list.Invitations) != 0 {
		t.Fatalf("withdrawn invitation still listed: %+v", list)
	}
	r.fails("NOT_FOUND", acme.Key, withdraw, map[string]any{"id": id})

	// The invitee is no longer someone a sign-in link is sent to.
	b := r.browser()
	if status, body := b.post("/auth/magic-link", map[string]string{"email": "late@acme.example"}, false); status != 200 {
		t.Fatalf("magic link request: %d %s", status, body)
	}
	r.waitForMail() // the request is answered off the request path
	if got := actionsSince(r.events(acme.OrgID), n); got != "REMOVED_MEMBER" {
		t.Fatalf("after withdrawal: %s", got)
	}
}

func TestRemovedMemberLosesAccessAndTheLastAdminStays(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	second, err := r.app.Bootstrap(context.Background(), BootstrapInput{OrganizationName: "Acme", AdminEmail: "second@acme.example"})
	if err != nil {
		t.Fatal(err)
	}
	b := r.browser()
	b.signIn("second@acme.example")
	if b.viewer().Viewer == nil {
		t.Fatal("second admin is not signed in")
	}
	n := len(r.events(acme.OrgID))
	r.ok(acme.Key, `mutation($u: ID!) { removeMember(input: {userId: $u}) { removedUserId } }`, map[string]any{"u": second.UserID}, nil)
	if res := b.gql(viewerQuery, nil); res.code() != "UNAUTHENTICATED" {
		t.Fatalf("removed member's session still works: %+v", res)
	}
	e := r.events(acme.OrgID)
	if actionsSince(e, n) != "REMOVED_MEMBER" || e[n].ResourceName != "second@acme.example" {
		t.Fatalf("events %+v", e[n:])
	}
	r.fails("CONFLICT", acme.Key, `mutation($u: ID!) { removeMember(input: {userId: $u}) { removedUserId } }`, map[string]any{"u": acme.AdminID})
	r.fails("NOT_FOUND", acme.Key, `mutation($u: ID!) { removeMember(input: {userId: $u}) { removedUserId } }`, map[string]any{"u": second.UserID})
}

func TestOrganizationSettingsSiblingsSwitchAndDelete(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	b := r.browser()
	b.signIn("admin@acme.example")
	n := len(r.events(acme.OrgID))

	res := b.gql(`mutation { updateOrganizationSettings(input: {name: "Acme Corp", sessionIdleMinutes: 60, signInMethods: [MAGIC_LINK]}) {
		organization { name settings { sessionIdleMinutes signInMethods } } } }`, nil)
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	e := r.events(acme.OrgID)
	if actionsSince(e, n) != "UPDATED_ORG_SETTINGS" {
		t.Fatalf("actions %s", actionsSince(e, n))
	}
	changes := e[n].Details["changes"].(map[string]any)
	if len(changes) != 3 || changes["name"].(map[string]any)["to"] != "Acme Corp" {
		t.Fatalf("changes %v", changes)
	}
	if res := b.gql(`mutation { updateOrganizationSettings(input: {sessionIdleMinutes: 1}) { organization { id } } }`, nil); res.code() != "BAD_USER_INPUT" {
		t.Fatalf("idle 1 minute: %+v", res)
	}

	res = b.gql(`mutation { createSiblingOrganization(input: {name: "Acme EU"}) { organization { id name } } }`, nil)
	var sib struct {
		CreateSiblingOrganization struct{ Organization struct{ ID string } }
	}
	mustJSON(t, res.Data, &sib)
	siblingID := sib.CreateSiblingOrganization.Organization.ID
	if siblingID == "" {
		t.Fatal(res.Errors)
	}
	if got := b.viewer().Viewer.Organizations; len(got) != 2 {
		t.Fatalf("organizations %+v", got)
	}
	// Another account's organization is not a place to switch to.
	if res := b.gql(`mutation($o: ID!) { switchOrganization(input: {organizationId: $o}) { viewer { organization { id } } } }`, map[string]any{"o": globex.OrgID}); res.code() != "NOT_FOUND" {
		t.Fatalf("switch to Globex: %+v", res)
	}
	if res := b.gql(`mutation($o: ID!) { switchOrganization(input: {organizationId: $o}) { viewer { organization { id } permissions } } }`, map[string]any{"o": siblingID}); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	if v := b.viewer(); v.Viewer.Organization.ID != siblingID || !contains(v.Viewer.Permissions, "organization:write") {
		t.Fatalf("after switch %+v", v.Viewer)
	}
	if got := actionsSince(r.events(acme.OrgID), n); got != "UPDATED_ORG_SETTINGS,CREATED_SIBLING_ORGANIZATION" {
		t.Fatalf("Acme actions %s", got)
	}
	if got := actionsSince(r.events(siblingID), 0); got != "SWITCHED_ORGANIZATION" {
		t.Fatalf("sibling actions %s", got)
	}

	// Delete Acme (by switching back), with the name typed to confirm.
	b.gql(`mutation($o: ID!) { switchOrganization(input: {organizationId: $o}) { viewer { organization { id } } } }`, map[string]any{"o": acme.OrgID})
	if res := b.gql(`mutation { deleteOrganization(input: {confirmName: "Acme"}) { deletedOrganizationId } }`, nil); res.code() != "BAD_USER_INPUT" {
		t.Fatalf("wrong confirmation: %+v", res)
	}
	if res := b.gql(`mutation { deleteOrganization(input: {confirmName: "Acme Corp"}) { deletedOrganizationId } }`, nil); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	// The deleter is still an admin of Acme EU: their session moved there
	// (issue 16, item 2); the deleted organization's keys stop working.
	if v := b.viewer(); v.Viewer == nil || v.Viewer.Organization.ID != siblingID {
		t.Fatalf("the deleter's session after the deletion: %+v", v.Viewer)
	}
	r.fails("UNAUTHENTICATED", acme.Key, listRoles, nil)
	if e := r.events(acme.OrgID); e[len(e)-1].Action != "DELETED_ORGANIZATION" {
		t.Fatalf("the deleted organization's log lost its last event: %s", e[len(e)-1].Action)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func actionsSince(events []storedEvent, n int) string {
	var out []string
	for _, e := range events[n:] {
		out = append(out, e.Action)
	}
	return strings.Join(out, ",")
}
