package app

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/orgtrail/orgtrail/server/oidc/oidctest"
)

const (
	oidcProviderFields = `id name issuer clientId hasClientSecret scopes organizations { id name } callbackUrl loginUrl`
	createOIDCProvider = `mutation($input: CreateOidcProviderInput!) {
		createOidcProvider(input: $input) { oidcProvider { ` + oidcProviderFields + ` } } }`
	updateOIDCProvider = `mutation($input: UpdateOidcProviderInput!) {
		updateOidcProvider(input: $input) { oidcProvider { ` + oidcProviderFields + ` } } }`
	deleteOIDCProvider = `mutation($id: ID!) { deleteOidcProvider(input: {id: $id}) { deletedOidcProviderId } }`
	addOIDCProvider    = `mutation($p: ID!, $o: ID) {
		addOidcProviderToOrganization(input: {providerId: $p, organizationId: $o}) { oidcProvider { ` + oidcProviderFields + ` } } }`
	removeOIDCProvider = `mutation($p: ID!, $o: ID) {
		removeOidcProviderFromOrganization(input: {providerId: $p, organizationId: $o}) { oidcProvider { ` + oidcProviderFields + ` } } }`
	listOIDCProviders = `{ oidcProviders { ` + oidcProviderFields + ` } }`
	signInOptions     = `query($o: ID) { signInOptions(organizationId: $o) { magicLink providers { id name loginUrl } } }`
)

// signInOptionsData is what the sign-in page is offered.
type signInOptionsData struct {
	SignInOptions struct {
		MagicLink bool
		Providers []struct{ ID, Name, LoginURL string }
	}
}

// oidcProviderData is an OidcProvider as the API returns it.
type oidcProviderData struct {
	ID, Name, Issuer, ClientID, CallbackURL, LoginURL string
	HasClientSecret                                   bool
	Scopes                                            []string
	Organizations                                     []struct{ ID, Name string }
}

// createOIDCProvider configures idp for the key's account and returns its id.
func (r *rig) createOIDCProvider(key string, idp *oidctest.Provider, name string) oidcProviderData {
	r.t.Helper()
	input := map[string]any{"name": name, "issuer": idp.URL, "clientId": idp.ClientID}
	if idp.ClientSecret != "" {
		input["clientSecret"] = idp.ClientSecret
	}
	var out struct {
		CreateOidcProvider struct{ OidcProvider oidcProviderData }
	}
	r.ok(key, createOIDCProvider, map[string]any{"input": input}, &out)
	return out.CreateOidcProvider.OidcProvider
}

// linkOIDCProvider links a provider to the key's organization.
func (r *rig) linkOIDCProvider(key, providerID string) {
	r.t.Helper()
	r.ok(key, addOIDCProvider, map[string]any{"p": providerID}, nil)
}

// oidcLink is a sign-in through a provider, stopped at each hop.
type oidcLink struct {
	Start    *http.Response // our /login: to the provider
	Answer   *http.Response // the provider: back to our callback
	Callback *http.Response // our callback: to next or the sign-in page
}

// oidcSignIn follows a sign-in through the provider the way a browser would:
// our login endpoint, the provider's authorization endpoint, our callback.
// tamper, when set, may change the callback URL before it is followed.
func (b *browser) oidcSignIn(providerID, next string, tamper func(*url.URL)) oidcLink {
	b.r.t.Helper()
	start := "/auth/oidc/" + providerID + "/login"
	if next != "" {
		start += "?next=" + url.QueryEscape(next)
	}
	return b.oidcSignInAt(start, tamper)
}

// oidcSignInAt is oidcSignIn starting at a login path as the sign-in page
// links to it (signInOptions' loginUrl, its query included).
func (b *browser) oidcSignInAt(loginPath string, tamper func(*url.URL)) oidcLink {
	b.r.t.Helper()
	var l oidcLink
	l.Start = b.get(b.r.srv.URL + loginPath)
	if l.Start.StatusCode != http.StatusSeeOther {
		b.r.t.Fatalf("login start: %d → %s", l.Start.StatusCode, l.Start.Header.Get("Location"))
	}
	l.Answer = b.get(l.Start.Header.Get("Location"))
	callback := l.Answer.Header.Get("Location")
	if l.Answer.StatusCode != http.StatusFound || !strings.HasPrefix(callback, "http://orgtrail.test/auth/oidc/callback?") {
		b.r.t.Fatalf("provider answered %d → %q", l.Answer.StatusCode, callback)
	}
	u, _ := url.Parse(rebase(callback, b.r.srv.URL))
	if tamper != nil {
		tamper(u)
	}
	l.Callback = b.get(u.String())
	return l
}

func cookieNamed(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}
