package app

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/orgtrail/orgtrail/server/oidc/oidctest"
)

// Tests of issue 16's server rules: settings an admin can trust with their
// organization (no lock-outs, a deletion that does not strand its deleter,
// names that tell organizations apart, a retention cut that says what it
// hides, connector tests that say what to check).

const (
	setMethods   = `mutation($m: [SignInMethod!]) { updateOrganizationSettings(input: {signInMethods: $m}) { organization { id } } }`
	settingsOf   = `{ organization { name settings { signInMethods auditRetentionDays } } }`
	createSister = `mutation($n: String!) { createSiblingOrganization(input: {name: $n}) { organization { id name } } }`
	renameOrg    = `mutation($n: String) { updateOrganizationSettings(input: {name: $n}) { organization { id name } } }`
	deleteOrg    = `mutation($n: String!) { deleteOrganization(input: {confirmName: $n}) {
		deletedOrganizationId signInUrl viewer { organization { id name } signIn { method } } } }`
	hiddenBy = `query($d: Int!) { auditEventsHiddenByRetention(retentionDays: $d) }`
)

// mustRefuseLockout checks that res is the lock-out rule's refusal on field.
func mustRefuseLockout(t *testing.T, res gqlResponse, field string) {
	t.Helper()
	if res.code() != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != field ||
		!strings.Contains(res.Errors[0].Message, "would be left with no way to sign in") {
		t.Fatalf("got %s %+v, want the lock-out refusal on %s", res.Data, res.Errors, field)
	}
}

func (r *rig) methodsOf(key string) string {
	r.t.Helper()
	var out struct {
		Organization struct {
			Settings struct{ SignInMethods []string }
		}
	}
	r.ok(key, settingsOf, nil, &out)
	return strings.Join(out.Organization.Settings.SignInMethods, " ")
}

// TestSignInMethodsThatLockEveryoneOutAreRefused (issue 16, item 1): with no
// identity provider linked, turning the email link off would leave nobody a
// way in; it is refused on signInMethods, changes nothing and records
// nothing. Once a provider is linked, OIDC alone is a way in.
func TestSignInMethodsThatLockEveryoneOutAreRefused(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	n := len(r.events(acme.OrgID))

	mustRefuseLockout(t, r.do(acme.Key, setMethods, map[string]any{"m": []string{"OIDC"}}), "signInMethods")
	if got := r.methodsOf(acme.Key); got != "MAGIC_LINK OIDC" {
		t.Fatalf("methods after the refusal: %s", got)
	}
	if got := actionsSince(r.events(acme.OrgID), n); got != "" {
		t.Fatalf("a refused change was recorded: %s", got)
	}
	// The refusal is the whole mutation's: a name given with it is not kept.
	res := r.do(acme.Key, `mutation { updateOrganizationSettings(input: {name: "Acme Corp", signInMethods: [OIDC]}) { organization { id } } }`, nil)
	mustRefuseLockout(t, res, "signInMethods")
	if n := r.count(`SELECT count(*) FROM organizations WHERE name = 'Acme Corp'`); n != 0 {
		t.Fatal("the name given with a refused change was kept")
	}

	idp := oidctest.New(t, "acme-client", "acme-secret")
	p := r.createOIDCProvider(acme.Key, idp, "Acme SSO")
	r.linkOIDCProvider(acme.Key, p.ID)
	r.ok(acme.Key, setMethods, map[string]any{"m": []string{"OIDC"}}, nil)
	if got := r.methodsOf(acme.Key); got != "OIDC" {
		t.Fatalf("methods: %s", got)
	}
}

// TestUnlinkingTheLastProviderOfAnOIDCOnlyOrganizationIsRefused (issue 16,
// item 1): the same rule on removeOidcProviderFromOrganization, reported on
// providerId; another linked provider keeps a way in.
func TestUnlinkingTheLastProviderOfAnOIDCOnlyOrganizationIsRefused(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	sso := r.createOIDCProvider(acme.Key, oidctest.New(t, "sso-client", "sso-secret"), "Acme SSO")
	backup := r.createOIDCProvider(acme.Key, oidctest.New(t, "backup-client", "backup-secret"), "Backup SSO")
	r.linkOIDCProvider(acme.Key, sso.ID)
	r.linkOIDCProvider(acme.Key, backup.ID)
	r.setSignInMethods(acme.Key, "OIDC")

	r.ok(acme.Key, removeOIDCProvider, map[string]any{"p": backup.ID}, nil)
	n := len(r.events(acme.OrgID))
	mustRefuseLockout(t, r.do(acme.Key, removeOIDCProvider, map[string]any{"p": sso.ID}), "providerId")
	if got := actionsSince(r.events(acme.OrgID), n); got != "" {
		t.Fatalf("a refused unlink was recorded: %s", got)
	}
	if n := r.count(`SELECT count(*) FROM oidc_provider_links WHERE provider_id = $1`, sso.ID); n != 1 {
		t.Fatal("the refused unlink removed the link")
	}
	// With the email link allowed again, the provider may go.
	r.setSignInMethods(acme.Key, "MAGIC_LINK", "OIDC")
	r.ok(acme.Key, removeOIDCProvider, map[string]any{"p": sso.ID}, nil)
}

// TestDeletingTheLastProviderOfAnOIDCOnlyOrganizationIsRefused (issue 16,
// item 1): the same rule on deleteOidcProvider, for every organization the
// provider is linked to (here a sibling that accepts only OIDC), reported on
// id; the provider, its links and the logs stay as they were.
func TestDeletingTheLastProviderOfAnOIDCOnlyOrganizationIsRefused(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	idp := oidctest.New(t, "acme-client", "acme-secret")
	p := r.createOIDCProvider(acme.Key, idp, "Acme SSO")
	r.linkOIDCProvider(acme.Key, p.ID)

	b := r.browser()
	b.signIn("admin@acme.example")
	var sib struct {
		CreateSiblingOrganization struct{ Organization struct{ ID string } }
	}
	mustJSON(t, b.gql(createSister, map[string]any{"n": "Acme EU"}).Data, &sib)
	eu := sib.CreateSiblingOrganization.Organization.ID
	if res := b.gql(addOIDCProvider, map[string]any{"p": p.ID, "o": eu}); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	if res := b.gql(switchOrganization, map[string]any{"o": eu}); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	if res := b.gql(setMethods, map[string]any{"m": []string{"OIDC"}}); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}

	// That session signed in by email link, which Acme EU no longer accepts;
	// a new one lands in Acme. Deleting a provider linked to Acme EU needs a
	// person who may configure providers there too.
	b = r.browser()
	b.signIn("admin@acme.example")
	inAcme, inEU := len(r.events(acme.OrgID)), len(r.events(eu))
	res := b.gql(deleteOIDCProvider, map[string]any{"id": p.ID})
	mustRefuseLockout(t, res, "id")
	if !strings.HasPrefix(res.Errors[0].Message, "Acme EU would be left") {
		t.Errorf("the refusal does not name the organization: %q", res.Errors[0].Message)
	}
	if got := actionsSince(r.events(acme.OrgID), inAcme) + actionsSince(r.events(eu), inEU); got != "" {
		t.Fatalf("a refused deletion was recorded: %s", got)
	}
	if n := r.count(`SELECT count(*) FROM oidc_provider_links WHERE provider_id = $1`, p.ID); n != 2 {
		t.Fatalf("%d links left after a refused deletion", n)
	}
}

// TestViewerSaysHowTheSessionSignedIn (issue 16, item 1): the form warns a
// person whose change would end their own session, so the viewer says how
// it signed in; a key has no sign-in.
func TestViewerSaysHowTheSessionSignedIn(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	idp := oidctest.New(t, "acme-client", "acme-secret")
	p := r.createOIDCProvider(acme.Key, idp, "Acme SSO")
	r.linkOIDCProvider(acme.Key, p.ID)
	idp.SignInAs(oidctest.Identity{Subject: "admin", Email: "admin@acme.example", EmailVerified: true})
	const q = `{ viewer { signIn { method providerId providerName } } }`
	type signIn struct {
		Viewer struct {
			SignIn *struct{ Method, ProviderID, ProviderName string }
		}
	}

	byLink, byOIDC := r.browser(), r.browser()
	byLink.signIn("admin@acme.example")
	byOIDC.oidcSignIn(p.ID, "/", nil)
	var link, sso, key signIn
	mustJSON(t, byLink.gql(q, nil).Data, &link)
	mustJSON(t, byOIDC.gql(q, nil).Data, &sso)
	r.ok(acme.Key, q, nil, &key)
	if s := link.Viewer.SignIn; s == nil || s.Method != "MAGIC_LINK" || s.ProviderID != "" {
		t.Errorf("magic-link session: %+v", s)
	}
	if s := sso.Viewer.SignIn; s == nil || s.Method != "OIDC" || s.ProviderID != p.ID || s.ProviderName != "Acme SSO" {
		t.Errorf("OIDC session: %+v", s)
	}
	if key.Viewer.SignIn != nil {
		t.Errorf("a key's sign-in: %+v", key.Viewer.SignIn)
	}
}

type deletedData struct {
	DeleteOrganization struct {
		DeletedOrganizationID string
		SignInURL             *string
		Viewer                *struct {
			Organization struct{ ID, Name string }
			SignIn       struct{ Method string }
		}
	}
}

// TestDeletingAnOrganizationLandsItsDeleterInAnotherOfTheirs (issue 16,
// item 2): the person who deletes an organization is still an admin of
// another; their session moves there (recorded as "Switched organization"
// from the deleted one), while every other session in the deleted one ends.
func TestDeletingAnOrganizationLandsItsDeleterInAnotherOfTheirs(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	admin, other := r.browser(), r.browser()
	admin.signIn("admin@acme.example")
	other.signIn("admin@acme.example")
	var sib struct {
		CreateSiblingOrganization struct{ Organization struct{ ID string } }
	}
	mustJSON(t, admin.gql(createSister, map[string]any{"n": "Doomed"}).Data, &sib)
	doomed := sib.CreateSiblingOrganization.Organization.ID
	for _, b := range []*browser{admin, other} {
		if res := b.gql(switchOrganization, map[string]any{"o": doomed}); len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
	}
	n := len(r.events(acme.OrgID))

	var out deletedData
	res := admin.gql(deleteOrg, map[string]any{"n": "Doomed"})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	mustJSON(t, res.Data, &out)
	d := out.DeleteOrganization
	if d.DeletedOrganizationID != doomed || d.Viewer == nil || d.Viewer.Organization.ID != acme.OrgID || d.SignInURL != nil {
		t.Fatalf("payload %+v", d)
	}
	if v := admin.viewer(); v.Viewer == nil || v.Viewer.Organization.ID != acme.OrgID {
		t.Fatalf("the deleter's session after the deletion: %+v", v.Viewer)
	}
	if res := other.gql(viewerQuery, nil); res.code() != "UNAUTHENTICATED" {
		t.Fatalf("another session in the deleted organization: %s %+v", res.Data, res.Errors)
	}
	e := r.lastEvent(acme.OrgID)
	from, _ := e.Details["from"].(map[string]any)
	if actionsSince(r.events(acme.OrgID), n) != "SWITCHED_ORGANIZATION" || from["id"] != doomed ||
		from["name"] != "Doomed" || from["deleted"] != true {
		t.Fatalf("Acme's log: %s %+v", actionsSince(r.events(acme.OrgID), n), e)
	}
}

// TestDeletingAnOrganizationSendsItsDeleterToSignInWhenNoOtherAcceptsTheirSession
// (issue 16, item 2): when no other organization of theirs accepts how the
// session signed in, it ends, and the payload names the sign-in page of one
// of their organizations.
func TestDeletingAnOrganizationSendsItsDeleterToSignInWhenNoOtherAcceptsTheirSession(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	p := r.createOIDCProvider(acme.Key, oidctest.New(t, "acme-client", "acme-secret"), "Acme SSO")
	r.linkOIDCProvider(acme.Key, p.ID)
	b := r.browser()
	b.signIn("admin@acme.example")
	var sib struct {
		CreateSiblingOrganization struct{ Organization struct{ ID string } }
	}
	mustJSON(t, b.gql(createSister, map[string]any{"n": "Doomed"}).Data, &sib)
	if res := b.gql(switchOrganization, map[string]any{"o": sib.CreateSiblingOrganization.Organization.ID}); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	r.setSignInMethods(acme.Key, "OIDC") // Acme no longer accepts the magic link this session used

	var out deletedData
	res := b.gql(deleteOrg, map[string]any{"n": "Doomed"})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	mustJSON(t, res.Data, &out)
	want := "/sign-in?" + url.Values{"organization": {acme.OrgID}, "next": {"/settings"}}.Encode()
	if d := out.DeleteOrganization; d.Viewer != nil || d.SignInURL == nil || *d.SignInURL != want {
		t.Fatalf("payload %+v, want no viewer and signInUrl %s", d, want)
	}
	if res := b.gql(viewerQuery, nil); res.code() != "UNAUTHENTICATED" {
		t.Fatalf("the session after the deletion: %s %+v", res.Data, res.Errors)
	}
}

// TestOrganizationNamesAreUniqueWithinAnAccount (issue 16, item 3): two live
// organizations of an account cannot share a name, compared
// case-insensitively, whether created as a sibling or renamed (CONFLICT on
// name); another account may use it, a deleted organization frees it, and
// bootstrap finds the organization whatever the case of the name it is given.
func TestOrganizationNamesAreUniqueWithinAnAccount(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme Inc", "admin@acme.example")
	b := r.browser()
	b.signIn("admin@acme.example")
	conflict := func(res gqlResponse) {
		t.Helper()
		if res.code() != "CONFLICT" || res.Errors[0].Extensions["field"] != "name" ||
			!strings.Contains(res.Errors[0].Message, "already exists in this account") {
			t.Fatalf("got %s %+v, want CONFLICT on name", res.Data, res.Errors)
		}
	}

	conflict(b.gql(createSister, map[string]any{"n": "Acme Inc"}))
	conflict(b.gql(createSister, map[string]any{"n": "  ACME inc "}))
	var sib struct {
		CreateSiblingOrganization struct{ Organization struct{ ID, Name string } }
	}
	mustJSON(t, b.gql(createSister, map[string]any{"n": "Acme EU"}).Data, &sib)
	conflict(r.do(acme.Key, renameOrg, map[string]any{"n": "acme eu"}))
	if n := r.count(`SELECT count(*) FROM organizations WHERE account_id = (SELECT account_id FROM organizations WHERE id = $1)`, acme.OrgID); n != 2 {
		t.Fatalf("%d organizations in the account", n)
	}
	// Its own name in another case is a rename, not a clash.
	r.ok(acme.Key, renameOrg, map[string]any{"n": "ACME Inc"}, nil)

	// Another account may have an "Acme EU" of its own.
	other := r.tenant("Globex", "admin@globex.example")
	r.ok(other.Key, renameOrg, map[string]any{"n": "Acme EU"}, nil)

	// Deleting Acme EU frees its name.
	if res := b.gql(switchOrganization, map[string]any{"o": sib.CreateSiblingOrganization.Organization.ID}); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	if res := b.gql(deleteOrg, map[string]any{"n": "Acme EU"}); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	if res := b.gql(createSister, map[string]any{"n": "Acme EU"}); len(res.Errors) > 0 {
		t.Fatalf("the name of a deleted organization: %+v", res.Errors)
	}

	// Bootstrap is idempotent whatever the case of the name.
	again, err := r.app.Bootstrap(context.Background(), BootstrapInput{OrganizationName: "acme inc", AdminEmail: "admin@acme.example"})
	if err != nil || again.Created || again.OrganizationID != acme.OrgID {
		t.Fatalf("bootstrap of an existing name: %+v, %v", again, err)
	}
}

// TestAuditEventsHiddenByRetentionCountsWhatACutWouldHide (issue 16, item
// 5): the count of events a shorter retention would hide is the events
// between the two bounds, nothing for a longer one, and only of the caller's
// organization.
func TestAuditEventsHiddenByRetentionCountsWhatACutWouldHide(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	now := time.Now().UTC()
	for _, days := range []int{10, 40, 40, 100, 200, 400} {
		at := now.Add(-time.Duration(days)*24*time.Hour - time.Hour)
		for _, org := range []string{acme.OrgID, globex.OrgID} {
			if _, err := r.sql.Exec(`SELECT audit_events_ensure_partitions($1::date, 1)`, at); err != nil {
				t.Fatal(err)
			}
			if _, err := r.sql.Exec(`INSERT INTO audit_events (organization_id, occurred_at, id, action, actor_type,
				resource_type, resource_id) VALUES ($1, $2, gen_random_uuid(), 'UPDATED_ROLE', 'SYSTEM', 'role', 'r')`, org, at); err != nil {
				t.Fatal(err)
			}
		}
	}
	hidden := func(key string, days int) int {
		t.Helper()
		var out struct{ AuditEventsHiddenByRetention int }
		r.ok(key, hiddenBy, map[string]any{"d": days}, &out)
		return out.AuditEventsHiddenByRetention
	}
	// Retention 365: the 400-day-old event is hidden already.
	for days, want := range map[int]int{30: 4, 90: 2, 365: 0, 3650: 0} {
		if got := hidden(acme.Key, days); got != want {
			t.Errorf("hidden by %d days = %d, want %d", days, got, want)
		}
	}
	r.ok(acme.Key, `mutation { updateOrganizationSettings(input: {auditRetentionDays: 90}) { organization { id } } }`, nil, nil)
	if got := hidden(acme.Key, 30); got != 2 {
		t.Errorf("hidden by 30 days with a retention of 90 = %d, want 2", got)
	}
	r.fails("BAD_USER_INPUT", acme.Key, hiddenBy, map[string]any{"d": 7})
}

// TestConnectorHostsTheServerNeverDialsAreRefusedOnSave (issue 16, item 8):
// an address the server never connects to, typed as a host or in a URL, is
// refused when the connector is saved, on the field, with the reason, and
// nothing is stored or recorded.
func TestConnectorHostsTheServerNeverDialsAreRefusedOnSave(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	n := len(r.events(acme.OrgID))
	refused := func(res gqlResponse, field string) {
		t.Helper()
		if res.code() != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != field ||
			!strings.Contains(res.Errors[0].Message, "is an address Orgtrail never connects to") {
			t.Fatalf("got %s %+v, want BAD_USER_INPUT on %s", res.Data, res.Errors, field)
		}
	}
	create := func(name, typ string, config map[string]any) gqlResponse {
		return r.do(acme.Key, createConnector, map[string]any{"name": name, "type": typ, "config": config})
	}
	refused(create("Metadata", "POSTGRESQL", with(r.pgConfig(), "host", "169.254.169.254")), "config.host")
	refused(create("Metadata", "MYSQL", map[string]any{"host": "::ffff:169.254.169.254", "database": "d", "username": "u"}), "config.host")
	refused(create("Hook", "HTTPS_API", map[string]any{"baseUrl": "https://169.254.169.254/latest/"}), "config.baseUrl")
	refused(create("Bucket", "AMAZON_S3", map[string]any{"bucket": "b-1", "region": "eu-west-1", "endpoint": "https://[fd00:ec2::254]/"}), "config.endpoint")
	if got := actionsSince(r.events(acme.OrgID), n); got != "" {
		t.Fatalf("refused connectors were recorded: %s", got)
	}

	c := w.createConnector(acme.Key, "App database", "POSTGRESQL", r.pgConfig(), r.pgCredentials(w))
	refused(r.do(acme.Key, updateConnector, map[string]any{"input": map[string]any{"id": c.ID,
		"config": map[string]any{"host": "169.254.169.254"}, "credentials": r.pgCredentials(w)}}), "config.host")
	// A name is judged when it is resolved, at test time.
	w.ok(acme.Key, updateConnector, map[string]any{"input": map[string]any{"id": c.ID,
		"config": map[string]any{"host": "db.acme.invalid"}, "credentials": r.pgCredentials(w)}}, nil)
	w.assertNoLeaks()
}

// TestLastConnectionTestIsKeptOnTheConnector (issue 16, item 8): a test's
// result (ok, message, when, how long) is kept on the connector and listed
// with it, failures in words that say what to check; changing where the
// connector points drops it, a rename keeps it.
func TestLastConnectionTestIsKeptOnTheConnector(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	r.app.Connectors.TestTimeout = 2 * time.Second
	w := r.watch()
	const list = `{ connectors { id lastTest { ok message testedAt durationMs } } }`
	type lastTest struct {
		Ok         bool
		Message    string
		TestedAt   time.Time
		DurationMs int
	}
	last := func() *lastTest {
		t.Helper()
		var out struct {
			Connectors []struct {
				ID       string
				LastTest *lastTest
			}
		}
		w.ok(acme.Key, list, nil, &out)
		if len(out.Connectors) != 1 {
			t.Fatalf("connectors: %+v", out.Connectors)
		}
		return out.Connectors[0].LastTest
	}

	c := w.createConnector(acme.Key, "App database", "POSTGRESQL", r.pgConfig(), r.pgCredentials(w))
	if l := last(); l != nil {
		t.Fatalf("a connector never tested: %+v", l)
	}
	before := time.Now().Add(-time.Second)
	res := w.testConnector(acme.Key, c.ID)
	l := last()
	if !res.OK || l == nil || !l.Ok || l.Message != res.Message || l.DurationMs != res.DurationMs || l.TestedAt.Before(before) {
		t.Fatalf("after a successful test: %+v, result %+v", l, res)
	}

	w.ok(acme.Key, updateConnector, map[string]any{"input": map[string]any{"id": c.ID, "name": "Main database"}}, nil)
	if l := last(); l == nil || !l.Ok {
		t.Fatalf("a rename dropped the last test: %+v", l)
	}
	w.ok(acme.Key, updateConnector, map[string]any{"input": map[string]any{"id": c.ID,
		"config": map[string]any{"host": "db.acme.invalid"}, "credentials": r.pgCredentials(w)}}, nil)
	if l := last(); l != nil {
		t.Fatalf("the last test of another destination is still shown: %+v", l)
	}
	res = w.testConnector(acme.Key, c.ID)
	if l := last(); res.OK || l == nil || l.Ok || !strings.HasPrefix(l.Message, "The host name db.acme.invalid ") ||
		strings.Contains(l.Message, "lookup") {
		t.Fatalf("after a failed test: %+v, result %+v", l, res)
	}
	if !r.logsContain("connector test failed") {
		t.Error("the driver's error is not in the server log")
	}
	w.assertNoLeaks()
}
