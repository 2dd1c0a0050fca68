// Package oidctest runs an OpenID Connect provider in-process over HTTP, for
// tests of sign-in through OIDC: discovery, a JWKS, an authorization endpoint
// that answers at once for the identity the test chose, a token endpoint
// that checks the client, the redirect URI and the PKCE verifier before
// returning an ID token and an access token, and a UserInfo endpoint for that
// access token. Tests may make the provider refuse, forge the ID token it
// returns (claims, signing key) or its UserInfo answer to check that
// forgeries are refused, or issue "thin" ID tokens, whose email is only in
// UserInfo (OIDC Core 5.4, as Okta's org authorization server does).
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Identity is who the provider says signed in.
type Identity struct {
	Subject string
	Email   string
	// EmailVerified is sent as email_verified when not nil (some providers
	// send the string "true").
	EmailVerified any
	Name          string
}

// Claims are an ID token's claims, as the provider is about to sign them.
type Claims map[string]any

// Provider is a running test provider. Its URL is the issuer.
type Provider struct {
	URL          string
	ClientID     string
	ClientSecret string

	srv      *httptest.Server
	key      *rsa.PrivateKey
	keyID    string
	stranger *rsa.PrivateKey

	mu               sync.Mutex
	identity         Identity
	refusal          string
	forge            func(Claims)
	signWithUnknown  bool
	thin             bool
	forgeUserInfo    func(Claims)
	userInfoStatus   int
	grants           map[string]*grant
	accessTokens     map[string]Identity
	authorizations   []url.Values
	tokenRequests    int
	userInfoRequests int
}

type grant struct {
	identity    Identity
	clientID    string
	redirectURI string
	nonce       string
	challenge   string
	used        bool
}

// New starts a provider for a client with the given credentials (an empty
// secret makes it a public client) and stops it when the test ends.
func New(t testing.TB, clientID, clientSecret string) *Provider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &Provider{ClientID: clientID, ClientSecret: clientSecret, key: key, keyID: "test-key-1", stranger: stranger,
		grants: map[string]*grant{}, accessTokens: map[string]Identity{},
		identity: Identity{Subject: "subject-1", Email: "someone@example.com", EmailVerified: true}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /keys", p.keys)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /userinfo", p.userInfo)
	mux.HandleFunc("POST /userinfo", p.userInfo)
	p.srv = httptest.NewServer(mux)
	p.URL = p.srv.URL
	t.Cleanup(p.srv.Close)
	return p
}

// SignInAs makes the next authorizations answer for id.
func (p *Provider) SignInAs(id Identity) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.identity = id
}

// Refuse makes the next authorizations answer with the OAuth error code
// (access_denied, …); an empty code answers normally again.
func (p *Provider) Refuse(code string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refusal = code
}

// Forge makes the next ID tokens pass through f before they are signed (nil
// stops forging).
func (p *Provider) Forge(f func(Claims)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.forge = f
}

// SignWithUnknownKey makes the next ID tokens signed by a key that is not in
// the JWKS, under the published key's id.
func (p *Provider) SignWithUnknownKey(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.signWithUnknown = on
}

// Thin makes the next ID tokens carry no email, email_verified or name: those
// are only in UserInfo (off: in both).
func (p *Provider) Thin(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.thin = on
}

// ForgeUserInfo makes the next UserInfo answers pass through f (nil stops
// forging).
func (p *Provider) ForgeUserInfo(f func(Claims)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.forgeUserInfo = f
}

// FailUserInfo makes the UserInfo endpoint answer with HTTP status (0: answer
// normally again).
func (p *Provider) FailUserInfo(status int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.userInfoStatus = status
}

// UserInfoRequests is how many times the UserInfo endpoint was called.
func (p *Provider) UserInfoRequests() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.userInfoRequests
}

// LastAuthorization returns the query of the last authorization request.
func (p *Provider) LastAuthorization() url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.authorizations) == 0 {
		return nil
	}
	return p.authorizations[len(p.authorizations)-1]
}

// TokenRequests is how many times the token endpoint was called.
func (p *Provider) TokenRequests() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tokenRequests
}

func (p *Provider) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                p.URL,
		"authorization_endpoint":                p.URL + "/authorize",
		"token_endpoint":                        p.URL + "/token",
		"jwks_uri":                              p.URL + "/keys",
		"userinfo_endpoint":                     p.URL + "/userinfo",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"scopes_supported":                      []string{"openid", "email", "profile"},
	})
}

func (p *Provider) keys(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &p.key.PublicKey, KeyID: p.keyID, Algorithm: string(jose.RS256), Use: "sig"},
	}})
}

// authorize answers at once, as if the person had signed in and consented.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.authorizations = append(p.authorizations, q)
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || !redirect.IsAbs() {
		http.Error(w, "redirect_uri must be absolute", http.StatusBadRequest)
		return
	}
	answer := redirect.Query()
	answer.Set("state", q.Get("state"))
	switch {
	case q.Get("client_id") != p.ClientID:
		http.Error(w, "unknown client_id", http.StatusBadRequest)
		return
	case p.refusal != "":
		answer.Set("error", p.refusal)
		answer.Set("error_description", "The provider refused the sign-in")
	case q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "":
		answer.Set("error", "invalid_request")
		answer.Set("error_description", "authorization code flow with PKCE (S256) required")
	default:
		code := random()
		p.grants[code] = &grant{identity: p.identity, clientID: p.ClientID, redirectURI: q.Get("redirect_uri"),
			nonce: q.Get("nonce"), challenge: q.Get("code_challenge")}
		answer.Set("code", code)
	}
	redirect.RawQuery = answer.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// token exchanges a code once, for the client it was issued to, with the
// PKCE verifier matching its challenge.
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		tokenError(w, "invalid_request")
		return
	}
	clientID, secret, basic := r.BasicAuth()
	if basic {
		clientID, _ = url.QueryUnescape(clientID)
		secret, _ = url.QueryUnescape(secret)
	} else {
		clientID, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokenRequests++
	if clientID != p.ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(p.ClientSecret)) != 1 {
		w.Header().Set("WWW-Authenticate", `Basic realm="token"`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	g := p.grants[r.PostForm.Get("code")]
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code":
		tokenError(w, "unsupported_grant_type")
		return
	case g == nil || g.used || g.clientID != clientID || g.redirectURI != r.PostForm.Get("redirect_uri"):
		tokenError(w, "invalid_grant")
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		tokenError(w, "invalid_grant")
		return
	}
	g.used = true
	now := time.Now()
	claims := Claims{"iss": p.URL, "sub": g.identity.Subject, "aud": p.ClientID, "iat": now.Unix(),
		"exp": now.Add(5 * time.Minute).Unix()}
	if g.nonce != "" {
		claims["nonce"] = g.nonce
	}
	if !p.thin {
		g.identity.addTo(claims)
	}
	if p.forge != nil {
		p.forge(claims)
	}
	key := p.key
	if p.signWithUnknown {
		key = p.stranger
	}
	idToken, err := sign(key, p.keyID, claims)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	accessToken := random()
	p.accessTokens[accessToken] = g.identity
	writeJSON(w, http.StatusOK, map[string]any{"access_token": accessToken, "token_type": "Bearer",
		"expires_in": 300, "id_token": idToken})
}

// userInfo answers for the identity an access token was issued to.
func (p *Provider) userInfo(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.userInfoRequests++
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	id, ok := p.accessTokens[token]
	switch {
	case p.userInfoStatus != 0:
		writeJSON(w, p.userInfoStatus, map[string]string{"error": "server_error"})
		return
	case !strings.EqualFold(scheme, "Bearer") || !ok:
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token"})
		return
	}
	claims := Claims{"sub": id.Subject}
	id.addTo(claims)
	if p.forgeUserInfo != nil {
		p.forgeUserInfo(claims)
	}
	writeJSON(w, http.StatusOK, claims)
}

// addTo puts the identity's email, email_verified and name into claims.
func (id Identity) addTo(claims Claims) {
	claims["email"] = id.Email
	if id.EmailVerified != nil {
		claims["email_verified"] = id.EmailVerified
	}
	if id.Name != "" {
		claims["name"] = id.Name
	}
}

func sign(key *rsa.PrivateKey, keyID string, claims Claims) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", keyID))
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

func tokenError(w http.ResponseWriter, code string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func random() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
