package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/orgtrail/orgtrail/server/oidc/oidctest"
)

// The "Test sign-in" of an identity provider (issue 16, item 6): an admin
// runs the provider's authorization code flow in a new window and is told
// what it answered, without anyone being signed in.

const signInTestQuery = `query($r: String!) { oidcSignInTest(result: $r) {
	providerId providerName organizationName succeeded
	problem { code message providerError providerErrorDescription }
	claims { name value source }
	signIn { canSignIn member invited reason message } } }`

type signInTestData struct {
	OidcSignInTest struct {
		ProviderID, ProviderName, OrganizationName string
		Succeeded                                  bool
		Problem                                    *struct {
			Code, Message                           string
			ProviderError, ProviderErrorDescription *string
		}
		Claims []struct {
			Name, Value string
			Source      *string
		}
		SignIn *struct {
			CanSignIn, Member, Invited bool
			Reason                     *string
			Message                    string
		}
	}
}

// claim returns the value and source of the named claim ("-" for no source).
func (d signInTestData) claim(name string) (string, string) {
	for _, c := range d.OidcSignInTest.Claims {
		if c.Name == name {
			if c.Source == nil {
				return c.Value, "-"
			}
			return c.Value, *c.Source
		}
	}
	return "", "missing"
}

// signInTest runs a test of the provider in b, the way the test's window
// would, and returns where our callback finally sent it.
func (b *browser) signInTest(providerID string) *http.Response {
	b.r.t.Helper()
	start := b.get(b.r.srv.URL + "/auth/oidc/" + providerID + "/test")
	loc := start.Header.Get("Location")
	if start.StatusCode != http.StatusSeeOther {
		b.r.t.Fatalf("test start: %d → %s", start.StatusCode, loc)
	}
	if strings.HasPrefix(loc, "/") {
		return start // stopped before the provider
	}
	answer := b.get(loc)
	callback := answer.Header.Get("Location")
	if answer.StatusCode != http.StatusFound || !strings.HasPrefix(callback, "http://orgtrail.test/auth/oidc/callback?") {
		b.r.t.Fatalf("provider answered %d → %q", answer.StatusCode, callback)
	}
	return b.get(rebase(callback, b.r.srv.URL))
}

// sealedTestResult returns the sealed result a test's window was sent to.
func sealedTestResult(t *testing.T, resp *http.Response) string {
	t.Helper()
	loc := resp.Header.Get("Location")
	result, ok := strings.CutPrefix(loc, "/identity-providers/sign-in-test#result=")
	if resp.StatusCode != http.StatusSeeOther || !ok || result == "" {
		t.Fatalf("test ended at %d → %q, want the result page with a result", resp.StatusCode, loc)
	}
	return result
}

// signInTestProblem returns the problem that stopped a test early.
func signInTestProblem(t *testing.T, resp *http.Response) string {
	t.Helper()
	loc := resp.Header.Get("Location")
	code, ok := strings.CutPrefix(loc, "/identity-providers/sign-in-test#problem=")
	if resp.StatusCode != http.StatusSeeOther || !ok {
		t.Fatalf("test ended at %d → %q, want the result page with a problem", resp.StatusCode, loc)
	}
	return code
}

func (b *browser) readSignInTest(result string) signInTestData {
	b.r.t.Helper()
	res := b.gql(signInTestQuery, map[string]any{"r": result})
	if len(res.Errors) > 0 {
		b.r.t.Fatalf("oidcSignInTest: %+v", res.Errors)
	}
	var out signInTestData
	mustJSON(b.r.t, res.Data, &out)
	return out
}

// An admin tests a provider linked to no organization yet (that is when
// admins test): they see the claims with where each came from and whether
// the person could sign in here, and nobody is signed in, no session is
// made and nothing is recorded.
func TestAnAdminTestsAnUnlinkedProviderWithoutSigningAnyoneIn(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	idp := oidctest.New(t, "orgtrail-client", "client-secret-9f8e7d")
	p := r.createOIDCProvider(acme.Key, idp, "Acme SSO")
	r.setSignInMethods(acme.Key, "MAGIC_LINK", "OIDC")
	admin := r.browser()
	admin.signIn("admin@acme.example")

	sessions := r.count(`SELECT count(*) FROM sessions`)
	events := len(r.events(acme.OrgID))
	idp.SignInAs(oidctest.Identity{Subject: "okta|7", Email: "Admin@Acme.example", EmailVerified: true, Name: "Ada Admin"})
	end := admin.signInTest(p.ID)
	if c := cookieNamed(end, "orgtrail_session"); c != nil {
		t.Fatalf("a test set a session cookie: %+v", c)
	}
	got := admin.readSignInTest(sealedTestResult(t, end))
	test := got.OidcSignInTest
	if !test.Succeeded || test.Problem != nil || test.ProviderID != p.ID || test.ProviderName != "Acme SSO" || test.OrganizationName != "Acme" {
		t.Fatalf("test %+v", test)
	}
	for name, want := range map[string][2]string{"sub": {"okta|7", "ID_TOKEN"}, "email": {"Admin@Acme.example", "ID_TOKEN"},
		"email_verified": {"true", "ID_TOKEN"}, "name": {"Ada Admin", "ID_TOKEN"}} {
		if v, src := got.claim(name); v != want[0] || src != want[1] {
			t.Errorf("claim %s = %q from %s, want %q from %s", name, v, src, want[0], want[1])
		}
	}
	if s := test.SignIn; s == nil || s.CanSignIn || !s.Member || s.Reason == nil || *s.Reason != "provider_not_linked" ||
		!strings.Contains(s.Message, "not linked to Acme") {
		t.Fatalf("prospect before linking %+v", s)
	}
	if n := r.count(`SELECT count(*) FROM sessions`); n != sessions {
		t.Fatalf("a test made a session: %d sessions, had %d", n, sessions)
	}
	if n := len(r.events(acme.OrgID)); n != events {
		t.Fatalf("a test recorded %d events: %+v", n-events, r.events(acme.OrgID)[events:])
	}
	if !r.logsContain("OIDC sign-in test: the provider identified someone") {
		t.Error("a test is logged")
	}

	// Linked, with a thin ID token: the claims come from UserInfo, and the
	// person could sign in.
	r.linkOIDCProvider(acme.Key, p.ID)
	idp.Thin(true)
	got = admin.readSignInTest(sealedTestResult(t, admin.signInTest(p.ID)))
	if v, src := got.claim("email"); v != "Admin@Acme.example" || src != "USERINFO" {
		t.Errorf("thin token: email %q from %s", v, src)
	}
	if v, src := got.claim("sub"); v != "okta|7" || src != "ID_TOKEN" {
		t.Errorf("thin token: sub %q from %s", v, src)
	}
	if s := got.OidcSignInTest.SignIn; s == nil || !s.CanSignIn || s.Reason != nil || !strings.Contains(s.Message, "active member of Acme") {
		t.Fatalf("prospect once linked %+v", s)
	}

	// Someone who is not a member, and an unverified address.
	idp.Thin(false)
	idp.SignInAs(oidctest.Identity{Subject: "okta|8", Email: "stranger@acme.example", EmailVerified: true})
	if s := admin.readSignInTest(sealedTestResult(t, admin.signInTest(p.ID))).OidcSignInTest.SignIn; s == nil || s.CanSignIn ||
		s.Member || *s.Reason != "not_member" {
		t.Fatalf("prospect of a stranger %+v", s)
	}
	idp.SignInAs(oidctest.Identity{Subject: "okta|7", Email: "admin@acme.example", EmailVerified: false})
	if s := admin.readSignInTest(sealedTestResult(t, admin.signInTest(p.ID))).OidcSignInTest.SignIn; s == nil || s.CanSignIn ||
		*s.Reason != "unverified_email" {
		t.Fatalf("prospect of an unverified address %+v", s)
	}
	if n := len(r.events(acme.OrgID)); n != events+1 { // the link only
		t.Fatalf("tests recorded events: %+v", r.events(acme.OrgID)[events:])
	}
}

// What the provider said when its answer identifies nobody, in words: its
// own error, a token problem, a discovery failure. None is a "Login failed".
func TestASignInTestReportsWhatWentWrongInWords(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	idp := oidctest.New(t, "orgtrail-client", "client-secret-9f8e7d")
	p := r.createOIDCProvider(acme.Key, idp, "Acme SSO")
	r.linkOIDCProvider(acme.Key, p.ID)
	admin := r.browser()
	admin.signIn("admin@acme.example")
	events := len(r.events(acme.OrgID))
	idp.SignInAs(oidctest.Identity{Subject: "okta|7", Email: "admin@acme.example", EmailVerified: true})

	problemOf := func() (code, message, description string) {
		t.Helper()
		test := admin.readSignInTest(sealedTestResult(t, admin.signInTest(p.ID))).OidcSignInTest
		if test.Succeeded || test.Problem == nil || test.SignIn != nil || len(test.Claims) != 0 {
			t.Fatalf("a failed test %+v", test)
		}
		if d := test.Problem.ProviderErrorDescription; d != nil {
			description = *d
		}
		return test.Problem.Code, test.Problem.Message, description
	}

	idp.Refuse("access_denied")
	if code, msg, desc := problemOf(); code != "access_denied" || !strings.Contains(msg, "Acme SSO refused the sign-in") ||
		desc != "The provider refused the sign-in" {
		t.Errorf("refusal: %s %q %q", code, msg, desc)
	}
	idp.Refuse("")
	idp.SignWithUnknownKey(true)
	if code, msg, _ := problemOf(); code != "signature" || !strings.Contains(msg, "signature") {
		t.Errorf("unknown key: %s %q", code, msg)
	}
	idp.SignWithUnknownKey(false)
	idp.Forge(func(c oidctest.Claims) { c["aud"] = "someone-else" })
	if code, msg, _ := problemOf(); code != "audience" || !strings.Contains(msg, "orgtrail-client") {
		t.Errorf("audience: %s %q", code, msg)
	}
	idp.Forge(nil)

	// The issuer stops answering: the test ends before the provider.
	if _, err := r.sql.Exec(`UPDATE oidc_providers SET issuer = 'http://127.0.0.1:9' WHERE id = $1`, p.ID); err != nil {
		t.Fatal(err)
	}
	start := admin.signInTest(p.ID)
	test := admin.readSignInTest(sealedTestResult(t, start)).OidcSignInTest
	if test.Problem == nil || test.Problem.Code != "discovery_failed" || !strings.Contains(test.Problem.Message, "http://127.0.0.1:9/.well-known/openid-configuration") {
		t.Errorf("discovery failure %+v", test.Problem)
	}
	if n := len(r.events(acme.OrgID)); n != events {
		t.Fatalf("failed tests recorded events: %+v", r.events(acme.OrgID)[events:])
	}
}

// A test's result is the admin's who ran it, in the session where they ran
// it: another session of theirs, another admin, another organization's
// admin or a key cannot read it, and a test's login cookie carried to
// another browser neither reads the provider's answer nor signs anyone in.
func TestASignInTestBelongsToTheSessionThatRanIt(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	r.tenant("Globex", "admin@globex.example")
	idp := oidctest.New(t, "orgtrail-client", "client-secret-9f8e7d")
	p := r.createOIDCProvider(acme.Key, idp, "Acme SSO")
	r.linkOIDCProvider(acme.Key, p.ID)
	r.setSignInMethods(acme.Key, "MAGIC_LINK", "OIDC")
	idp.SignInAs(oidctest.Identity{Subject: "okta|7", Email: "admin@acme.example", EmailVerified: true})

	admin := r.browser()
	admin.signIn("admin@acme.example")
	result := sealedTestResult(t, admin.signInTest(p.ID))

	other := r.browser()
	other.signIn("admin@acme.example") // the same person, another session
	if res := other.gql(signInTestQuery, map[string]any{"r": result}); res.code() != "NOT_FOUND" {
		t.Fatalf("another session read the result: %s %+v", res.Data, res.Errors)
	}
	foreign := r.browser()
	foreign.signIn("admin@globex.example")
	if res := foreign.gql(signInTestQuery, map[string]any{"r": result}); res.code() != "NOT_FOUND" {
		t.Fatalf("another organization's admin read the result: %s %+v", res.Data, res.Errors)
	}
	r.fails("FORBIDDEN", acme.Key, signInTestQuery, map[string]any{"r": result})
	if res := admin.gql(signInTestQuery, map[string]any{"r": result[:len(result)-2] + "xx"}); res.code() != "NOT_FOUND" {
		t.Fatalf("an altered result: %+v", res.Errors)
	}

	// A test's login cookie, carried off to another browser, stops there.
	start := admin.get(r.srv.URL + "/auth/oidc/" + p.ID + "/test")
	testCookie := cookieNamed(start, "orgtrail_oidc_login")
	answer := admin.get(start.Header.Get("Location"))
	callback, _ := url.Parse(rebase(answer.Header.Get("Location"), r.srv.URL))
	exchanges := idp.TokenRequests()
	for name, b := range map[string]*browser{"another session": other, "no session": r.browser()} {
		b.client.Jar.SetCookies(callback, []*http.Cookie{{Name: testCookie.Name, Value: testCookie.Value, Path: "/auth/oidc/"}})
		resp := b.get(callback.String())
		if c := cookieNamed(resp, "orgtrail_session"); c != nil {
			t.Fatalf("%s: the test's callback set a session cookie", name)
		}
		want := map[string]string{"another session": "other_session", "no session": "unauthenticated"}[name]
		if got := signInTestProblem(t, resp); got != want {
			t.Errorf("%s: problem %q, want %q", name, got, want)
		}
	}
	if idp.TokenRequests() != exchanges {
		t.Error("the provider's code was exchanged for a browser that did not start the test")
	}

	// The test's cookie is no login: the sign-in path refuses it.
	idp.SignInAs(oidctest.Identity{Subject: "okta|7", Email: "admin@acme.example", EmailVerified: true})
	sessions := r.count(`SELECT count(*) FROM sessions`)
	thief := r.browser()
	start = admin.get(r.srv.URL + "/auth/oidc/" + p.ID + "/test")
	answer = admin.get(start.Header.Get("Location"))
	callback, _ = url.Parse(rebase(answer.Header.Get("Location"), r.srv.URL))
	thief.client.Jar.SetCookies(callback, []*http.Cookie{{Name: "orgtrail_oidc_login", Value: cookieNamed(start, "orgtrail_oidc_login").Value, Path: "/auth/oidc/"}})
	resp := thief.get(callback.String())
	if cookieNamed(resp, "orgtrail_session") != nil || r.count(`SELECT count(*) FROM sessions`) != sessions {
		t.Fatal("a test's answer signed someone in")
	}
}

// Testing a provider needs identity_providers:write, a browser session and
// a provider of the organization's account.
func TestTestingAProviderNeedsTheRightToConfigureIt(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	idp := oidctest.New(t, "orgtrail-client", "client-secret-9f8e7d")
	p := r.createOIDCProvider(acme.Key, idp, "Acme SSO")
	theirs := r.createOIDCProvider(globex.Key, oidctest.New(t, "globex-client", "s3cret-globex-123"), "Globex SSO")
	reader := r.createRole(acme.Key, "IdP readers", "identity_providers:read")
	r.member(acme.OrgID, "reader@acme.example", reader.ID)

	if got := signInTestProblem(t, r.browser().get(r.srv.URL+"/auth/oidc/"+p.ID+"/test")); got != "unauthenticated" {
		t.Errorf("signed out: %s", got)
	}
	req, _ := http.NewRequest(http.MethodGet, r.srv.URL+"/auth/oidc/"+p.ID+"/test", nil)
	req.Header.Set("Authorization", "Bearer "+acme.Key)
	if resp, err := r.browser().client.Do(req); err != nil || signInTestProblem(t, resp) != "unauthenticated" {
		t.Errorf("an API key ran a test: %v", err)
	}
	b := r.browser()
	b.signIn("reader@acme.example")
	if got := signInTestProblem(t, b.get(r.srv.URL+"/auth/oidc/"+p.ID+"/test")); got != "forbidden" {
		t.Errorf("without identity_providers:write: %s", got)
	}
	admin := r.browser()
	admin.signIn("admin@acme.example")
	if got := signInTestProblem(t, admin.get(r.srv.URL+"/auth/oidc/"+theirs.ID+"/test")); got != "not_found" {
		t.Errorf("another account's provider: %s", got)
	}
	if idp.LastAuthorization() != nil {
		t.Error("a refused test reached the provider")
	}
}

// The redirect URI is known before any provider is added.
func TestTheRedirectURIIsKnownBeforeAProviderIsAdded(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	var out struct{ OidcRedirectURI string }
	r.ok(acme.Key, `{ oidcRedirectUri }`, nil, &out)
	if out.OidcRedirectURI != "http://orgtrail.test/auth/oidc/callback" {
		t.Fatalf("redirect URI %q", out.OidcRedirectURI)
	}
	r.fails("UNAUTHENTICATED", "", `{ oidcRedirectUri }`, nil)
}
