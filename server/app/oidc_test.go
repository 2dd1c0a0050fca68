package app

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/logging"
	"github.com/orgtrail/orgtrail/server/oidc/oidctest"
)

func TestOIDCSignInThroughALinkedProvider(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	idp := oidctest.New(t, "orgtrail-client", "client-secret-9f8e7d")
	p := r.createOIDCProvider(acme.Key, idp, "Acme SSO")

	// Not linked yet: the sign-in page does not offer it and it signs nobody in.
	var opts signInOptionsData
	r.ok("", signInOptions, nil, &opts)
	if len(opts.SignInOptions.Providers) != 0 || !opts.SignInOptions.MagicLink {
		t.Fatalf("unlinked provider offered: %+v", opts)
	}
	mustLocation(t, r.browser().get(r.srv.URL+"/auth/oidc/"+p.ID+"/login"), "/sign-in?error=provider_not_linked")
	mustLocation(t, r.browser().get(r.srv.URL+"/auth/oidc/"+uuid.NewString()+"/login"), "/sign-in?error=unknown_provider")
	mustLocation(t, r.browser().get(r.srv.URL+"/auth/oidc/not-an-id/login"), "/sign-in?error=unknown_provider")

	r.linkOIDCProvider(acme.Key, p.ID)
	r.ok("", signInOptions, nil, &opts)
	if o := opts.SignInOptions.Providers; len(o) != 1 || o[0].Name != "Acme SSO" || o[0].LoginURL != "/auth/oidc/"+p.ID+"/login" {
		t.Fatalf("sign-in options %+v", opts)
	}
	r.fails("UNAUTHENTICATED", "", listOIDCProviders, nil)

	n := len(r.events(acme.OrgID))
	idp.SignInAs(oidctest.Identity{Subject: "okta|1", Email: "Admin@Acme.example", EmailVerified: true})
	b := r.browser()
	l := b.oidcSignIn(p.ID, "/settings/audit-log?category=AUTHENTICATION", nil)

	// The flow is bound to this browser by a short-lived, HttpOnly, Lax cookie.
	c := cookieNamed(l.Start, "orgtrail_oidc_login")
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/auth/oidc/" || c.MaxAge <= 0 || c.MaxAge > 600 {
		t.Fatalf("login cookie %+v", c)
	}
	// The authorization request: code flow, PKCE S256, state, nonce, our callback.
	q := idp.LastAuthorization()
	for k, want := range map[string]string{"response_type": "code", "code_challenge_method": "S256", "client_id": "orgtrail-client",
		"redirect_uri": "http://orgtrail.test/auth/oidc/callback", "scope": "openid email profile"} {
		if q.Get(k) != want {
			t.Errorf("authorization %s = %q, want %q", k, q.Get(k), want)
		}
	}
	if len(q.Get("code_challenge")) != 43 || len(q.Get("state")) < 32 || len(q.Get("nonce")) < 32 || q.Get("state") == q.Get("nonce") {
		t.Errorf("authorization request %v", q)
	}
	if strings.Contains(c.Value, q.Get("state")) || strings.Contains(c.Value, q.Get("nonce")) {
		t.Error("the login cookie shows its state or nonce")
	}

	mustLocation(t, l.Callback, "/settings/audit-log?category=AUTHENTICATION")
	if s := cookieNamed(l.Callback, "orgtrail_session"); s == nil || !s.HttpOnly || s.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v", s)
	}
	if cleared := cookieNamed(l.Callback, "orgtrail_oidc_login"); cleared == nil || cleared.MaxAge >= 0 {
		t.Fatalf("login cookie not cleared: %+v", cleared)
	}
	v := b.viewer()
	if v.Viewer == nil || v.Viewer.User == nil || v.Viewer.User.Email != "admin@acme.example" || v.Viewer.Organization.ID != acme.OrgID {
		t.Fatalf("viewer %+v", v.Viewer)
	}
	events := r.events(acme.OrgID)
	if got := actionsSince(events, n); got != "LOGGED_IN" {
		t.Fatalf("actions %s", got)
	}
	e := events[n]
	if e.ActorType != "USER" || e.ResourceType != "user" || e.ResourceName != "admin@acme.example" || e.ResourceID != acme.AdminID ||
		e.Details["method"] != "OIDC" || e.Details["providerId"] != p.ID || e.Details["providerName"] != "Acme SSO" {
		t.Fatalf("Logged in event %+v", e)
	}

	// The answer cannot be used twice: the login cookie is gone.
	mustLocation(t, b.get(l.Callback.Request.URL.String()), "/sign-in?error=bad_state")
	// A next that leaves the site is dropped.
	l = r.browser().oidcSignIn(p.ID, "https://evil.example/phish", nil)
	mustLocation(t, l.Callback, "/")
}

func TestOIDCRefusalsAreRecordedAsLoginFailed(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	ctx := context.Background()
	former, err := r.app.Orgs.EnsureUser(ctx, "former@acme.example", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.app.Orgs.AddMember(ctx, uuid.MustParse(acme.OrgID), former.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.sql.Exec(`UPDATE memberships SET status = 'DEACTIVATED' WHERE user_id = $1`, former.ID); err != nil {
		t.Fatal(err)
	}
	idp := oidctest.New(t, "orgtrail-client", "client-secret")
	p := r.createOIDCProvider(acme.Key, idp, "Acme SSO")
	r.linkOIDCProvider(acme.Key, p.ID)
	admin := oidctest.Identity{Subject: "u-1", Email: "admin@acme.example", EmailVerified: true}
	forge := func(f func(oidctest.Claims)) func() { return func() { idp.Forge(f) } }
	setState := func(u *url.URL) {
		q := u.Query()
		q.Set("state", "forged-state")
		u.RawQuery = q.Encode()
	}

	for _, tc := range []struct {
		name    string
		setup   func()
		tamper  func(*url.URL)
		reason  string
		person  string // the resource named; "" means the provider
		details map[string]any
	}{
		{name: "bad state", tamper: setState, reason: "bad_state", details: map[string]any{"stateProblem": "mismatch"}},
		{name: "provider error", setup: func() { idp.Refuse("access_denied") }, reason: "provider_error",
			details: map[string]any{"providerError": "access_denied"}},
		{name: "wrong audience", setup: forge(func(c oidctest.Claims) { c["aud"] = "another-client" }), reason: "invalid_token",
			details: map[string]any{"tokenProblem": "audience"}},
		{name: "wrong issuer", setup: forge(func(c oidctest.Claims) { c["iss"] = "https://evil.example" }), reason: "invalid_token",
			details: map[string]any{"tokenProblem": "issuer"}},
		{name: "expired token", setup: forge(func(c oidctest.Claims) {
			c["iat"], c["exp"] = time.Now().Add(-2*time.Hour).Unix(), time.Now().Add(-time.Hour).Unix()
		}), reason: "invalid_token", details: map[string]any{"tokenProblem": "expired"}},
		{name: "bad signature", setup: func() { idp.SignWithUnknownKey(true) }, reason: "invalid_token",
			details: map[string]any{"tokenProblem": "signature"}},
		{name: "wrong nonce", setup: forge(func(c oidctest.Claims) { c["nonce"] = "replayed-nonce" }), reason: "invalid_token",
			details: map[string]any{"tokenProblem": "nonce"}},
		{name: "unverified email", setup: func() {
			idp.SignInAs(oidctest.Identity{Subject: "u-1", Email: "admin@acme.example", EmailVerified: false})
		}, reason: "unverified_email", person: "admin@acme.example"},
		{name: "email_verified missing", setup: func() {
			idp.SignInAs(oidctest.Identity{Subject: "u-1", Email: "admin@acme.example"})
		}, reason: "unverified_email", person: "admin@acme.example"},
		{name: "not a member", setup: func() {
			idp.SignInAs(oidctest.Identity{Subject: "u-2", Email: "stranger@acme.example", EmailVerified: true})
		}, reason: "not_member", person: "stranger@acme.example"},
		{name: "deactivated membership", setup: func() {
			idp.SignInAs(oidctest.Identity{Subject: "u-3", Email: "former@acme.example", EmailVerified: "true"})
		}, reason: "deactivated", person: "former@acme.example"},
		{name: "provider not linked", tamper: func(*url.URL) {
			// Unlinked while the person is at the provider.
			r.ok(acme.Key, removeOIDCProvider, map[string]any{"p": p.ID}, nil)
		}, reason: "provider_not_linked", person: "admin@acme.example"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idp.Refuse("")
			idp.Forge(nil)
			idp.SignWithUnknownKey(false)
			idp.SignInAs(admin)
			if r.count(`SELECT count(*) FROM oidc_provider_links WHERE provider_id = $1`, p.ID) == 0 {
				r.linkOIDCProvider(acme.Key, p.ID)
			}
			if tc.setup != nil {
				tc.setup()
			}
			mark := len(r.events(acme.OrgID))
			b := r.browser()
			l := b.oidcSignIn(p.ID, "/", func(u *url.URL) {
				if tc.tamper != nil {
					tc.tamper(u)
				}
			})
			mustLocation(t, l.Callback, "/sign-in?error="+tc.reason)
			if cookieNamed(l.Callback, "orgtrail_session") != nil {
				t.Fatal("a refused sign-in set a session cookie")
			}
			if v := b.gql(viewerQuery, nil); string(v.Data) != `{"viewer":null}` {
				t.Fatalf("viewer after refusal: %s %+v", v.Data, v.Errors)
			}
			events := r.events(acme.OrgID)
			want := "LOGIN_FAILED"
			if tc.reason == "provider_not_linked" {
				want = "REMOVED_OIDC_PROVIDER_FROM_ORG,LOGIN_FAILED"
			}
			if got := actionsSince(events, mark); got != want {
				t.Fatalf("actions %s, want %s", got, want)
			}
			e := events[len(events)-1]
			if e.Action != "LOGIN_FAILED" || e.Details["reason"] != tc.reason || e.Details["method"] != "OIDC" ||
				e.Details["providerId"] != p.ID || e.Details["providerName"] != "Acme SSO" {
				t.Fatalf("last event %+v", e)
			}
			for k, want := range tc.details {
				if e.Details[k] != want {
					t.Errorf("details[%s] = %v, want %v", k, e.Details[k], want)
				}
			}
			switch {
			case tc.person == "" && (e.ResourceType != "oidc_provider" || e.ResourceID != p.ID || e.ResourceName != "Acme SSO"):
				t.Errorf("resource %s %s %q, want the provider", e.ResourceType, e.ResourceID, e.ResourceName)
			case tc.person != "" && (e.ResourceType != "user" || e.ResourceName != tc.person || e.Details["email"] != tc.person):
				t.Errorf("resource %s %q (email %v), want %s", e.ResourceType, e.ResourceName, e.Details["email"], tc.person)
			}
		})
	}
	// No refusal showed a stack trace or an internal error to the browser.
	if r.logsContain("goroutine ") || r.logsContain(`"level":"ERROR"`) {
		t.Fatalf("errors in the server log:\n%s", r.log.String())
	}
}

func TestOIDCProviderMutationsRecordOneEventEach(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	const first, second = "first-client-secret-4c1f0a", "second-client-secret-b72e95"
	idp := oidctest.New(t, "orgtrail-client", second)
	var bodies []string
	run := func(key, query string, vars map[string]any) gqlResponse {
		t.Helper()
		res := r.do(key, query, vars)
		bodies = append(bodies, string(res.Data), fmt.Sprint(res.Errors))
		if len(res.Errors) > 0 {
			t.Fatalf("errors %+v", res.Errors)
		}
		return res
	}
	mark := len(r.events(acme.OrgID))
	// next returns the one event added to org since the last call.
	next := func(org, action string) storedEvent {
		t.Helper()
		events := r.events(org)
		if got := actionsSince(events, mark); got != action {
			t.Fatalf("actions %q, want %s", got, action)
		}
		mark = len(events)
		return events[len(events)-1]
	}
	nothing := func() {
		t.Helper()
		if got := actionsSince(r.events(acme.OrgID), mark); got != "" {
			t.Fatalf("a no-op recorded %s", got)
		}
	}

	res := run(acme.Key, createOIDCProvider, map[string]any{"input": map[string]any{"name": "Acme SSO", "issuer": idp.URL,
		"clientId": "orgtrail-client", "clientSecret": first, "scopes": []string{"email", "groups"}}})
	var created struct {
		CreateOidcProvider struct{ OidcProvider oidcProviderData }
	}
	mustJSON(t, res.Data, &created)
	p := created.CreateOidcProvider.OidcProvider
	if !p.HasClientSecret || strings.Join(p.Scopes, " ") != "openid email groups" || len(p.Organizations) != 0 ||
		p.CallbackURL != "http://orgtrail.test/auth/oidc/callback" || p.Issuer != idp.URL {
		t.Fatalf("created %+v", p)
	}
	e := next(acme.OrgID, "CREATED_OIDC_PROVIDER")
	if e.ResourceType != "oidc_provider" || e.ResourceID != p.ID || e.ResourceName != "Acme SSO" || e.ActorType != "API_KEY" ||
		e.Details["issuer"] != idp.URL || e.Details["clientId"] != "orgtrail-client" || e.Details["hasClientSecret"] != true ||
		fmt.Sprint(e.Details["scopes"]) != "[openid email groups]" || e.RequestID == "" || e.UserAgent != "orgtrail-test/1.0" {
		t.Fatalf("created event %+v", e)
	}
	r.fails("CONFLICT", acme.Key, createOIDCProvider, map[string]any{"input": map[string]any{"name": "acme sso", "issuer": idp.URL, "clientId": "x"}})

	res = run(acme.Key, updateOIDCProvider, map[string]any{"input": map[string]any{"id": p.ID, "name": "Acme Okta",
		"clientSecret": second, "scopes": []string{"email", "profile"}}})
	var updated struct {
		UpdateOidcProvider struct{ OidcProvider oidcProviderData }
	}
	mustJSON(t, res.Data, &updated)
	if u := updated.UpdateOidcProvider.OidcProvider; u.Name != "Acme Okta" || strings.Join(u.Scopes, " ") != "openid email profile" || !u.HasClientSecret {
		t.Fatalf("updated %+v", u)
	}
	e = next(acme.OrgID, "UPDATED_OIDC_PROVIDER")
	if e.ResourceName != "Acme Okta" || fmt.Sprint(e.Details["changes"]) != "map[clientSecret:map[from:[secret] to:[changed]] "+
		"name:map[from:Acme SSO to:Acme Okta] scopes:map[from:openid email groups to:openid email profile]]" {
		t.Fatalf("updated event %+v", e)
	}
	// Saving the same values (the same secret included) is not a change.
	run(acme.Key, updateOIDCProvider, map[string]any{"input": map[string]any{"id": p.ID, "name": "Acme Okta", "issuer": idp.URL,
		"clientId": "orgtrail-client", "clientSecret": second, "scopes": []string{"openid", "email", "profile"}}})
	nothing()

	run(acme.Key, addOIDCProvider, map[string]any{"p": p.ID})
	e = next(acme.OrgID, "ADDED_OIDC_PROVIDER_TO_ORG")
	if e.ResourceID != p.ID || e.Details["organizationId"] != acme.OrgID || e.Details["organizationName"] != "Acme" {
		t.Fatalf("added event %+v", e)
	}
	run(acme.Key, addOIDCProvider, map[string]any{"p": p.ID})
	nothing()

	// The updated secret is the one the provider gets at the code exchange.
	idp.SignInAs(oidctest.Identity{Subject: "u-1", Email: "admin@acme.example", EmailVerified: true})
	mustLocation(t, r.browser().oidcSignIn(p.ID, "/", nil).Callback, "/")
	next(acme.OrgID, "LOGGED_IN")

	// A person who is Admin of a sibling links the provider there; the event lands in the sibling.
	b := r.browser()
	b.signIn("admin@acme.example")
	next(acme.OrgID, "GENERATED_MAGIC_LINK,LOGGED_IN")
	var sib struct {
		CreateSiblingOrganization struct{ Organization struct{ ID string } }
	}
	sres := b.gql(`mutation { createSiblingOrganization(input: {name: "Acme EU"}) { organization { id } } }`, nil)
	mustJSON(t, sres.Data, &sib)
	sibling := sib.CreateSiblingOrganization.Organization.ID
	next(acme.OrgID, "CREATED_SIBLING_ORGANIZATION")
	r.fails("FORBIDDEN", acme.Key, addOIDCProvider, map[string]any{"p": p.ID, "o": sibling})
	sibMark := len(r.events(sibling))
	if res := b.gql(addOIDCProvider, map[string]any{"p": p.ID, "o": sibling}); len(res.Errors) > 0 {
		t.Fatalf("link to sibling: %+v", res.Errors)
	} else {
		bodies = append(bodies, string(res.Data))
	}
	sibEvents := r.events(sibling)
	if got := actionsSince(sibEvents, sibMark); got != "ADDED_OIDC_PROVIDER_TO_ORG" {
		t.Fatalf("sibling actions %s", got)
	}
	if e := sibEvents[len(sibEvents)-1]; e.ActorType != "USER" || e.Details["organizationName"] != "Acme EU" {
		t.Fatalf("sibling event %+v", e)
	}
	nothing()

	var list struct{ OidcProviders []oidcProviderData }
	mustJSON(t, run(acme.Key, listOIDCProviders, nil).Data, &list)
	if len(list.OidcProviders) != 1 || len(list.OidcProviders[0].Organizations) != 2 {
		t.Fatalf("list %+v", list)
	}

	run(acme.Key, removeOIDCProvider, map[string]any{"p": p.ID})
	e = next(acme.OrgID, "REMOVED_OIDC_PROVIDER_FROM_ORG")
	if e.ResourceID != p.ID || e.Details["organizationId"] != acme.OrgID {
		t.Fatalf("removed event %+v", e)
	}
	run(acme.Key, removeOIDCProvider, map[string]any{"p": p.ID})
	nothing()

	// Before it goes: the database holds the secret only sealed.
	if n := r.count(`SELECT count(*) FROM oidc_providers WHERE position(convert_to($1, 'UTF8') IN client_secret_ciphertext) > 0
		OR position(convert_to($2, 'UTF8') IN client_secret_ciphertext) > 0`, first, second); n != 0 {
		t.Fatal("the client secret is stored in the clear")
	}

	// The provider is still linked to the sibling, where Acme's key holds
	// nothing: deleting it needs identity_providers:write there too.
	r.fails("FORBIDDEN", acme.Key, deleteOIDCProvider, map[string]any{"id": p.ID})
	nothing()
	sibMark = len(r.events(sibling))
	if res := b.gql(deleteOIDCProvider, map[string]any{"id": p.ID}); len(res.Errors) > 0 {
		t.Fatalf("delete: %+v", res.Errors)
	}
	e = next(acme.OrgID, "DELETED_OIDC_PROVIDER")
	if e.ResourceID != p.ID || e.ResourceName != "Acme Okta" || fmt.Sprint(e.Details["linkedOrganizationIds"]) != "["+sibling+"]" {
		t.Fatalf("deleted event %+v", e)
	}
	// The sibling's admins see it in their own log, and where it came from.
	sibEvents = r.events(sibling)
	if got := actionsSince(sibEvents, sibMark); got != "DELETED_OIDC_PROVIDER" {
		t.Fatalf("sibling actions %s", got)
	}
	if e := sibEvents[len(sibEvents)-1]; e.ResourceID != p.ID || e.Details["actingOrganizationId"] != acme.OrgID {
		t.Fatalf("sibling's deleted event %+v", e)
	}
	if r.count(`SELECT count(*) FROM oidc_provider_links`) != 0 {
		t.Fatal("links outlived their provider")
	}
	r.fails("NOT_FOUND", acme.Key, deleteOIDCProvider, map[string]any{"id": p.ID})
	nothing()

	// The client secret is nowhere: not in the audit log, the server log or any answer.
	var audit string
	if err := r.sql.QueryRow(`SELECT coalesce(string_agg(t::text, E'\n'), '') FROM audit_events t`).Scan(&audit); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{first, second} {
		if strings.Contains(audit, secret) || r.logsContain(secret) || strings.Contains(strings.Join(bodies, "\n"), secret) {
			t.Fatalf("the client secret %q leaked", secret)
		}
	}
}

func TestOIDCProviderOfAnotherAccountIsNotFound(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	idp := oidctest.New(t, "orgtrail-client", "s")
	p := r.createOIDCProvider(acme.Key, idp, "Acme SSO")
	n := len(r.events(globex.OrgID))

	r.fails("NOT_FOUND", globex.Key, updateOIDCProvider, map[string]any{"input": map[string]any{"id": p.ID, "name": "Mine"}})
	r.fails("NOT_FOUND", globex.Key, deleteOIDCProvider, map[string]any{"id": p.ID})
	r.fails("NOT_FOUND", globex.Key, addOIDCProvider, map[string]any{"p": p.ID})
	r.fails("NOT_FOUND", globex.Key, removeOIDCProvider, map[string]any{"p": p.ID})
	// Nor can Acme link its provider into Globex.
	res := r.fails("NOT_FOUND", acme.Key, addOIDCProvider, map[string]any{"p": p.ID, "o": globex.OrgID})
	if strings.Contains(res.Errors[0].Message, "Globex") {
		t.Fatalf("message names the other organization: %s", res.Errors[0].Message)
	}
	r.fails("BAD_USER_INPUT", globex.Key, deleteOIDCProvider, map[string]any{"id": "not-an-id"})

	var list struct{ OidcProviders []oidcProviderData }
	r.ok(globex.Key, listOIDCProviders, nil, &list)
	if len(list.OidcProviders) != 0 {
		t.Fatalf("Globex sees %+v", list)
	}
	if got := actionsSince(r.events(globex.OrgID), n); got != "" {
		t.Fatalf("Globex recorded %s", got)
	}
	if r.count(`SELECT count(*) FROM oidc_providers WHERE name = 'Acme SSO'`) != 1 || r.count(`SELECT count(*) FROM oidc_provider_links`) != 0 {
		t.Fatal("the provider changed")
	}
}

func TestOIDCProviderWithABadIssuerIsRefusedAndNothingStored(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	notOIDC := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>a web page</html>"))
	}))
	t.Cleanup(notOIDC.Close)
	n := len(r.events(acme.OrgID))

	for issuer, want := range map[string]string{
		closed.URL:                 "could not reach " + closed.URL + "/.well-known/openid-configuration",
		notOIDC.URL:                notOIDC.URL + " is not an OIDC issuer",
		"http://idp.example.com":   "https://",
		"not a url":                "absolute URL",
		"https://idp.example/?x=1": "absolute URL",
		// The cloud metadata service is never fetched on an admin's behalf.
		"https://169.254.169.254/latest": "connections to 169.254.169.254 are not allowed",
	} {
		res := r.fails("BAD_USER_INPUT", acme.Key, createOIDCProvider, map[string]any{"input": map[string]any{
			"name": "Broken", "issuer": issuer, "clientId": "c", "clientSecret": "never-stored-secret"}})
		if !strings.Contains(res.Errors[0].Message, want) || res.Errors[0].Extensions["field"] != "issuer" {
			t.Errorf("issuer %s: %+v, want a message with %q", issuer, res.Errors[0], want)
		}
	}
	if r.count(`SELECT count(*) FROM oidc_providers`) != 0 {
		t.Fatal("a provider was stored")
	}

	// A working provider keeps its issuer when the new one does not answer.
	idp := oidctest.New(t, "c", "")
	p := r.createOIDCProvider(acme.Key, idp, "Acme SSO")
	if p.HasClientSecret {
		t.Fatal("a public client has a secret")
	}
	r.fails("BAD_USER_INPUT", acme.Key, updateOIDCProvider, map[string]any{"input": map[string]any{"id": p.ID, "issuer": closed.URL, "name": "Renamed"}})
	if r.count(`SELECT count(*) FROM oidc_providers WHERE issuer = $1 AND name = 'Acme SSO'`, idp.URL) != 1 {
		t.Fatal("a refused update changed the provider")
	}
	if got := actionsSince(r.events(acme.OrgID), n); got != "CREATED_OIDC_PROVIDER" {
		t.Fatalf("actions %s", got)
	}
	if r.logsContain("never-stored-secret") {
		t.Fatal("the secret of a refused provider is in the log")
	}
}

func TestOIDCPublicClientSignsInWithPKCEAlone(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	idp := oidctest.New(t, "spa-client", "")
	var created struct {
		CreateOidcProvider struct{ OidcProvider oidcProviderData }
	}
	r.ok(acme.Key, createOIDCProvider, map[string]any{"input": map[string]any{"name": "Acme public", "issuer": idp.URL,
		"clientId": "spa-client", "clientSecret": "a-secret-it-turns-out-it-does-not-need"}}, &created)
	p := created.CreateOidcProvider.OidcProvider
	r.linkOIDCProvider(acme.Key, p.ID)
	// An empty secret removes it, recorded as a change of the secret.
	n := len(r.events(acme.OrgID))
	var updated struct {
		UpdateOidcProvider struct{ OidcProvider oidcProviderData }
	}
	r.ok(acme.Key, updateOIDCProvider, map[string]any{"input": map[string]any{"id": p.ID, "clientSecret": ""}}, &updated)
	events := r.events(acme.OrgID)
	if updated.UpdateOidcProvider.OidcProvider.HasClientSecret || actionsSince(events, n) != "UPDATED_OIDC_PROVIDER" ||
		fmt.Sprint(events[n].Details["changes"]) != "map[clientSecret:map[from:[secret] to:[changed]]]" {
		t.Fatalf("removing the secret: %+v, events %+v", updated, events[n:])
	}
	idp.SignInAs(oidctest.Identity{Subject: "u-1", Email: "admin@acme.example", EmailVerified: true})
	b := r.browser()
	mustLocation(t, b.oidcSignIn(p.ID, "/members", nil).Callback, "/members")
	if v := b.viewer(); v.Viewer == nil || v.Viewer.User.Email != "admin@acme.example" {
		t.Fatalf("viewer %+v", v.Viewer)
	}
	// One code exchange, which the provider accepts only with the PKCE
	// verifier matching the challenge (and here without a client secret).
	if idp.TokenRequests() != 1 {
		t.Fatalf("%d token requests", idp.TokenRequests())
	}
}

func TestAnonymousOIDCRefusalsAreBudgetedPerAddress(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	idp := oidctest.New(t, "orgtrail-client", "s")
	p := r.createOIDCProvider(acme.Key, idp, "Acme SSO")
	r.linkOIDCProvider(acme.Key, p.ID)
	idp.Refuse("access_denied")
	n := len(r.events(acme.OrgID))
	for range 30 {
		mustLocation(t, r.browser().oidcSignIn(p.ID, "/", nil).Callback, "/sign-in?error=provider_error")
	}
	recorded := len(r.events(acme.OrgID)) - n
	if recorded < 10 || recorded > 21 {
		t.Fatalf("%d of 30 anonymous refusals recorded, want the per-address budget (about 20)", recorded)
	}
}

func TestOIDCClientSecretSurvivesSecretKeyRotation(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	idp := oidctest.New(t, "orgtrail-client", "rotated-client-secret")
	p := r.createOIDCProvider(acme.Key, idp, "Acme SSO")
	r.linkOIDCProvider(acme.Key, p.ID)

	// The server restarts with a new SECRET_KEY, the old one as previous, and rotates.
	cfg := r.app.Config
	cfg.PreviousSecretKeys = [][]byte{cfg.SecretKey}
	cfg.SecretKey = bytes.Repeat([]byte{8}, 32)
	logs := &lockedWriter{w: &bytes.Buffer{}}
	a, err := New(context.Background(), cfg, logging.New(logs, slog.LevelDebug))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	results, err := a.RotateSecretKey(context.Background(), 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range results {
		if res.Column.Table == "oidc_providers" && (res.Rotated != 1 || len(res.Failed) != 0) {
			t.Fatalf("rotation of client secrets: %d rotated, failed %+v", res.Rotated, res.Failed)
		}
	}
	// Without the old key, sign-in still works: the provider gets the secret.
	cfg.PreviousSecretKeys = nil
	a2, err := New(context.Background(), cfg, logging.New(logs, slog.LevelDebug))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a2.Handler())
	t.Cleanup(func() { srv.Close(); a2.Close() })
	r2 := &rig{t: t, app: a2, srv: srv, sql: r.sql, log: logs}
	idp.SignInAs(oidctest.Identity{Subject: "u-1", Email: "admin@acme.example", EmailVerified: true})
	mustLocation(t, r2.browser().oidcSignIn(p.ID, "/", nil).Callback, "/")
}
