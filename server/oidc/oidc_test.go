package oidc

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/oidc/oidctest"
	"github.com/orgtrail/orgtrail/server/secrets"
)

func TestValidIssuer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"https://accounts.example.com", "https://accounts.example.com", true},
		{"  https://login.example.com/tenant/v2.0/ ", "https://login.example.com/tenant/v2.0/", true},
		{"http://localhost:5556/dex", "http://localhost:5556/dex", true},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", true},
		{"http://[::1]:8080", "http://[::1]:8080", true},
		{"http://idp.example.com", "", false},
		{"ftp://idp.example.com", "", false},
		{"accounts.example.com", "", false},
		{"https://user:pass@idp.example.com", "", false},
		{"https://idp.example.com/?tenant=1", "", false},
		{"https://idp.example.com/#x", "", false},
		{"https://idp.example.com/?", "", false},
		{"", "", false},
	} {
		got, err := validIssuer(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("validIssuer(%q) = %q, %v; want %q ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && apperr.CodeOf(err) != apperr.BadUserInput {
			t.Errorf("validIssuer(%q): code %s", tc.in, apperr.CodeOf(err))
		}
	}
}

func TestValidScopes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   []string
		want string
		ok   bool
	}{
		{nil, "openid email profile", true},
		{[]string{"email"}, "openid email", true},
		{[]string{"email", "openid", "email", " groups "}, "openid email groups", true},
		{[]string{"has space"}, "", false},
		{[]string{`quo"te`}, "", false},
		{[]string{""}, "", false},
	} {
		got, err := validScopes(tc.in)
		if (err == nil) != tc.ok || strings.Join(got, " ") != tc.want {
			t.Errorf("validScopes(%q) = %q, %v; want %q ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
	many := make([]string, maxScopes+1)
	for i := range many {
		many[i] = "s" + strings.Repeat("x", i+1)
	}
	if _, err := validScopes(many); err == nil {
		t.Error("too many scopes accepted")
	}
}

func TestClientSecretValidationNeverRepeatsTheSecret(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("s3cr3t", 200)
	_, err := validClientSecret(long)
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("error %v", err)
	}
	if got, err := validClientSecret("  pasted-secret\n"); err != nil || got != "pasted-secret" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestErrorCodeKeepsOnlyAShortCode(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"access_denied":                "access_denied",
		"<script>alert(1)</script>":    "scriptalert1script",
		"":                             "unknown",
		strings.Repeat("a", 200):       strings.Repeat("a", 64),
		"interaction_required\r\nX: y": "interaction_requiredXy",
	} {
		if got := errorCode(in); got != want {
			t.Errorf("errorCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEmailVerifiedAcceptsBooleanOrString(t *testing.T) {
	t.Parallel()
	for v, want := range map[any]bool{true: true, false: false, "true": true, "TRUE": true, "false": false, "yes": false, 1.0: false} {
		if isTrue(v) != want {
			t.Errorf("isTrue(%v) != %v", v, want)
		}
	}
	if isTrue(nil) {
		t.Error("a missing email_verified counts as verified")
	}
}

func testService(t *testing.T) *Service {
	t.Helper()
	keys, err := secrets.NewKeyring(bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return NewService(nil, keys, nil, nil, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), "https://orgtrail.example")
}

func TestLoginCookieIsSealedAndTamperProof(t *testing.T) {
	t.Parallel()
	s := testService(t)
	st := loginState{ProviderID: uuid.New(), State: randomToken(), Nonce: randomToken(), Verifier: "v", Next: "/settings",
		Organization: uuid.New(), ExpiresAt: 42}
	cookie, err := s.sealState(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{st.State, st.Nonce, st.ProviderID.String(), st.Organization.String(), "/settings"} {
		if strings.Contains(cookie, leak) {
			t.Fatalf("cookie shows %q", leak)
		}
	}
	got, err := s.openState(cookie)
	if err != nil || got != st {
		t.Fatalf("open = %+v, %v", got, err)
	}
	version, ct, _ := strings.Cut(cookie, ".")
	tampered := version + "." + strings.Map(func(r rune) rune {
		if r == 'A' {
			return 'B'
		}
		return r
	}, ct)
	if tampered == cookie {
		tampered = version + "." + "A" + ct[1:]
	}
	for _, bad := range []string{"", "garbage", tampered, "0000." + ct} {
		if _, err := s.openState(bad); err == nil {
			t.Errorf("opened %q", bad)
		}
	}
	// Another server's key does not open it.
	other, _ := secrets.NewKeyring(bytes.Repeat([]byte{1}, 32))
	s2 := *s
	s2.keyring = other
	if _, err := s2.openState(cookie); err == nil {
		t.Error("a cookie sealed under another key opened")
	}
}

func TestIssuerValidationExplainsWhatIsWrong(t *testing.T) {
	t.Parallel()
	idp := oidctest.New(t, "client", "secret")
	notOIDC := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "<html>nope</html>", http.StatusNotFound)
	}))
	t.Cleanup(notOIDC.Close)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	d := newDiscoveryCache(&http.Client{Timeout: 2 * time.Second})
	ctx := context.Background()
	if err := d.validate(ctx, idp.URL); err != nil {
		t.Fatalf("a real issuer: %v", err)
	}
	for issuer, want := range map[string]string{
		closed.URL:        "could not reach " + closed.URL + "/.well-known/openid-configuration",
		notOIDC.URL:       notOIDC.URL + " is not an OIDC issuer",
		idp.URL + "/":     "names the issuer \"" + idp.URL + "\"",
		idp.URL + "/nope": "is not an OIDC issuer",
	} {
		err := d.validate(ctx, issuer)
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.BadUserInput || e.Field != "issuer" || !strings.Contains(e.Message, want) {
			t.Errorf("validate(%s) = %v, want BAD_USER_INPUT containing %q", issuer, err, want)
		}
		if ok && strings.Contains(e.Message, "nope</html>") {
			t.Errorf("message repeats the response body: %s", e.Message)
		}
	}
}

func TestTokenProblemNamesWhyATokenWasRefused(t *testing.T) {
	t.Parallel()
	expired := &gooidc.TokenExpiredError{Expiry: time.Now()}
	for err, want := range map[error]string{
		expired: "expired",
		errors.New(`oidc: expected audience "a" got ["b"]`):                                          "audience",
		errors.New(`oidc: id token issued by a different provider, expected "x"`):                    "issuer",
		errors.New("failed to verify signature: failed to verify id token signature"):                "signature",
		errors.New("oidc: malformed jwt: go-jose/go-jose: compact JWS format must have three parts"): "malformed",
	} {
		if got := tokenProblem(err); got != want {
			t.Errorf("tokenProblem(%v) = %s, want %s", err, got, want)
		}
	}
}

func TestUserInfoCompletesOnlyWhatTheIDTokenLacks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name         string
		token, info  emailClaims
		wantEmail    string
		wantVerified any
	}{
		{"thin token", emailClaims{}, claimsOf("a@x.example", true), "a@x.example", true},
		{"verification from UserInfo", claimsOf("a@x.example", nil), claimsOf("a@x.example", true), "a@x.example", true},
		{"UserInfo without email", claimsOf("a@x.example", nil), claimsOf("", true), "a@x.example", true},
		{"the token's word stands", claimsOf("a@x.example", false), claimsOf("a@x.example", true), "a@x.example", false},
		// Another address: only UserInfo's word on it counts, not the token's.
		{"another address", claimsOf("a@x.example", true), claimsOf("b@x.example", nil), "b@x.example", nil},
		{"nothing anywhere", emailClaims{}, emailClaims{}, "", nil},
	} {
		got := tc.token.completedBy(tc.info)
		if got.Email != tc.wantEmail || got.EmailVerified != tc.wantVerified {
			t.Errorf("%s: got %+v, want %s %v", tc.name, got, tc.wantEmail, tc.wantVerified)
		}
	}
}

func claimsOf(email string, verified any) emailClaims {
	return emailClaims{Email: email, EmailVerified: verified}
}
