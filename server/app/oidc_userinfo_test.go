package app

import (
	"net/http"
	"testing"

	"github.com/orgtrail/orgtrail/server/oidc/oidctest"
)

// Issue 10, path 11: a provider that keeps the email out of the ID token
// ("thin" ID tokens, OIDC Core 5.4: Okta's org authorization server, panva's
// oidc-provider by default) signs people in through UserInfo, which must
// speak of the ID token's subject.

func TestOIDCThinIDTokenTakesTheEmailFromUserInfo(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	idp := oidctest.New(t, "orgtrail-client", "client-secret")
	p := r.createOIDCProvider(acme.Key, idp, "Acme Okta")
	r.linkOIDCProvider(acme.Key, p.ID)
	idp.SignInAs(oidctest.Identity{Subject: "00u1", Email: "Admin@Acme.example", EmailVerified: true})

	// A full ID token: UserInfo is not needed and not called.
	b := r.browser()
	mustLocation(t, b.oidcSignIn(p.ID, "/settings", nil).Callback, "/settings")
	if idp.UserInfoRequests() != 0 {
		t.Fatalf("%d UserInfo requests for an ID token carrying the email", idp.UserInfoRequests())
	}

	// A thin one: the email comes from UserInfo.
	idp.Thin(true)
	b = r.browser()
	mustLocation(t, b.oidcSignIn(p.ID, "/settings", nil).Callback, "/settings")
	if v := b.viewer(); v.Viewer == nil || v.Viewer.User.Email != "admin@acme.example" || v.Viewer.Organization.ID != acme.OrgID {
		t.Fatalf("viewer %+v", v.Viewer)
	}
	if idp.UserInfoRequests() != 1 {
		t.Fatalf("%d UserInfo requests, want 1", idp.UserInfoRequests())
	}
	e := r.lastEvent(acme.OrgID)
	if e.Action != "LOGGED_IN" || e.ResourceID != acme.AdminID || e.Details["providerId"] != p.ID {
		t.Fatalf("last event %+v", e)
	}

	// UserInfo's email_verified counts as the token's would.
	idp.SignInAs(oidctest.Identity{Subject: "00u1", Email: "admin@acme.example", EmailVerified: false})
	mustLocation(t, r.browser().oidcSignIn(p.ID, "/", nil).Callback, "/sign-in?error=unverified_email")
}

func TestOIDCUserInfoOfAnotherSubjectOrFailingIsRefused(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	idp := oidctest.New(t, "orgtrail-client", "client-secret")
	p := r.createOIDCProvider(acme.Key, idp, "Acme Okta")
	r.linkOIDCProvider(acme.Key, p.ID)
	idp.Thin(true)
	idp.SignInAs(oidctest.Identity{Subject: "00u-stranger", Email: "stranger@acme.example", EmailVerified: true})

	for _, tc := range []struct {
		name, reason, key, value string
		setup                    func()
	}{
		{name: "another subject", reason: "invalid_token", key: "tokenProblem", value: "userinfo_subject_mismatch",
			setup: func() {
				// UserInfo vouches for the admin, the ID token for a stranger.
				idp.ForgeUserInfo(func(c oidctest.Claims) { c["sub"], c["email"] = "00u-admin", "admin@acme.example" })
			}},
		{name: "UserInfo fails", reason: "provider_error", key: "providerError", value: "userinfo_failed",
			setup: func() { idp.FailUserInfo(http.StatusInternalServerError) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idp.ForgeUserInfo(nil)
			idp.FailUserInfo(0)
			tc.setup()
			mark := len(r.events(acme.OrgID))
			b := r.browser()
			mustLocation(t, b.oidcSignIn(p.ID, "/", nil).Callback, "/sign-in?error="+tc.reason)
			if v := b.gql(viewerQuery, nil); string(v.Data) != `{"viewer":null}` {
				t.Fatalf("viewer after refusal: %s", v.Data)
			}
			events := r.events(acme.OrgID)
			if got := actionsSince(events, mark); got != "LOGIN_FAILED" {
				t.Fatalf("actions %s", got)
			}
			e := events[len(events)-1]
			if e.Details["reason"] != tc.reason || e.Details[tc.key] != tc.value || e.Details["providerId"] != p.ID ||
				e.ResourceType != "oidc_provider" {
				t.Fatalf("Login failed %+v", e)
			}
		})
	}
	if n := r.count(`SELECT count(*) FROM sessions`); n != 0 {
		t.Fatalf("%d sessions", n)
	}
}
