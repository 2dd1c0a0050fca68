package oidc

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/secrets"
	"github.com/orgtrail/orgtrail/server/signin"
)

const (
	// CallbackPath is where providers send the browser back.
	CallbackPath = "/auth/oidc/callback"
	// StateCookieName is the cookie binding a login in progress to the
	// browser that started it.
	StateCookieName = "orgtrail_oidc_login"
	// LoginLifetime is how long a started login may take at the provider.
	LoginLifetime = 10 * time.Minute
	// ReasonUnknownProvider is a login through a provider that does not
	// exist (any more). Nobody and no organization is concerned, so it is
	// not recorded.
	ReasonUnknownProvider = "unknown_provider"
)

// loginState is what the login cookie holds, sealed: which provider, the
// state and nonce the answer must carry, the PKCE verifier, and where to go
// afterwards (the organization to land in, and the page). Sealing (AES-256-GCM) keeps the verifier secret and makes the
// cookie tamper-proof, so nothing is stored server-side for anonymous callers.
type loginState struct {
	ProviderID uuid.UUID `json:"p"`
	State      string    `json:"s"`
	Nonce      string    `json:"n"`
	Verifier   string    `json:"v"`
	Next       string    `json:"x"`
	// Organization is where the person asked to land (zero: no wish).
	Organization uuid.UUID `json:"o,omitzero"`
	ExpiresAt    int64     `json:"e"`
	// Test, when set, makes this an admin's test of the provider
	// (BeginTest), which signs nobody in.
	Test *testBinding `json:"t,omitempty"`
}

var stateBinding = secrets.Binding{Purpose: "oidc-login-state"}

// LoginStart is a started login: where to send the browser, and the cookie
// value that binds the login to it.
type LoginStart struct {
	AuthURL   string
	Cookie    string
	ExpiresAt time.Time
}

// BeginLogin starts a sign-in through a provider: the authorization code flow
// with PKCE (S256), a fresh state and nonce. next is kept when it is a local
// path; organization, when not zero, is where the person asked to land
// (signin.Attempt.Organization). A provider that does not exist or is linked
// to no live organization is refused without a record: nobody is identified
// yet and no organization is concerned.
func (s *Service) BeginLogin(ctx context.Context, providerID uuid.UUID, next string, organization uuid.UUID) (LoginStart, error) {
	row, found, err := s.providerByID(ctx, providerID)
	if err != nil {
		return LoginStart{}, err
	}
	if !found {
		return LoginStart{}, &signin.Failure{Reason: ReasonUnknownProvider}
	}
	linked, err := s.linkedOrganizations(ctx, row.ID)
	if err != nil {
		return LoginStart{}, err
	}
	if len(linked) == 0 {
		return LoginStart{}, &signin.Failure{Reason: signin.ReasonProviderNotLinked}
	}
	op, err := s.discovery.provider(ctx, row.Issuer)
	if err != nil {
		s.log.WarnContext(ctx, "OIDC provider unreachable", "provider_id", row.ID, "issuer", row.Issuer, "error", err)
		return LoginStart{}, s.reject(ctx, attemptFor(&row, linked), signin.ReasonProviderError, linked,
			audit.Details{"providerError": "discovery_failed"})
	}
	expires := s.now().Add(LoginLifetime)
	st := loginState{ProviderID: row.ID, State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(),
		Next: signin.SafeNext(next), Organization: organization, ExpiresAt: expires.Unix()}
	cookie, err := s.sealState(st)
	if err != nil {
		return LoginStart{}, err
	}
	authURL := s.oauth2Config(&row, op, "").AuthCodeURL(st.State, gooidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier))
	return LoginStart{AuthURL: authURL, Cookie: cookie, ExpiresAt: expires}, nil
}

// FinishLogin handles the provider's answer (the callback's query) for the
// login sealed in cookie: it checks the state, exchanges the code with the
// PKCE verifier, verifies the ID token (signature, issuer, audience, expiry,
// nonce), requires a verified email (UserInfo's, for the same subject, when
// the ID token lacks it) and signs the person into an organization that
// accepts a sign-in through this provider (sessions.SignInRefusal). It
// returns the session and where to go next. Every refusal is a
// *signin.Failure, recorded as "Login failed" in the organizations it
// concerns.
func (s *Service) FinishLogin(ctx context.Context, cookie string, q url.Values) (signin.Result, string, error) {
	st, err := s.openState(cookie)
	if err == nil && st.Test != nil {
		// A test's answer never signs anyone in, whoever brings it here.
		err = errors.New("oidc: the login cookie is an admin's test of the provider")
	}
	if err != nil {
		// Not a login this browser started: no provider, person or
		// organization to record it for.
		s.log.InfoContext(ctx, "OIDC callback without a valid login cookie", "error", err)
		return signin.Result{}, "", &signin.Failure{Reason: signin.ReasonBadState}
	}
	row, found, err := s.providerByID(ctx, st.ProviderID)
	if err != nil {
		return signin.Result{}, "", err
	}
	if !found {
		return signin.Result{}, "", &signin.Failure{Reason: ReasonUnknownProvider}
	}
	linked, err := s.linkedOrganizations(ctx, row.ID)
	if err != nil {
		return signin.Result{}, "", err
	}
	a := attemptFor(&row, linked)
	a.Organization = st.Organization
	fail := func(reason string, concerned []uuid.UUID, details audit.Details) (signin.Result, string, error) {
		return signin.Result{}, "", s.reject(ctx, a, reason, concerned, details)
	}
	ans, problem, err := s.readAnswer(ctx, &row, st, q)
	if err != nil {
		return signin.Result{}, "", err
	}
	if problem != nil {
		return fail(problem.Reason, linked, problem.Details)
	}
	claims := ans.Claims
	email, err := orgs.NormalizeEmail(claims.Email)
	if err != nil {
		return fail(signin.ReasonInvalidToken, linked, audit.Details{"tokenProblem": "missing_email"})
	}
	a.Email = email
	if !isTrue(claims.EmailVerified) {
		return fail(signin.ReasonUnverifiedEmail, linked, nil)
	}
	if len(linked) == 0 {
		// Unlinked while the person was at the provider: record it where
		// they are a member, in the provider's account.
		concerned, err := s.membershipsInAccount(ctx, email, row.AccountID)
		if err != nil {
			return signin.Result{}, "", err
		}
		return fail(signin.ReasonProviderNotLinked, concerned, nil)
	}
	res, err := s.signin.Complete(ctx, a)
	return res, st.Next, err
}

// attemptFor is a sign-in through row into the organizations it is linked
// to; until the token names the person, its failures name the provider.
func attemptFor(row *providerRow, linked []uuid.UUID) signin.Attempt {
	return signin.Attempt{Method: signin.MethodOIDC, ProviderID: row.ID, Organizations: linked, Resource: row.resource(),
		Details: audit.Details{"providerId": row.ID.String(), "providerName": row.Name}}
}

// reject records a refusal through signin.Reject. Refusals that anyone can
// provoke without an account at the provider are budgeted per client
// address: past the budget they are logged but not recorded.
func (s *Service) reject(ctx context.Context, a signin.Attempt, reason string, concerned []uuid.UUID, details audit.Details) error {
	merged := audit.Details{}
	for k, v := range a.Details {
		merged[k] = v
	}
	for k, v := range details {
		merged[k] = v
	}
	a.Details = merged
	if len(concerned) > 0 && a.Email == "" {
		allowed, err := s.signin.AllowAttempt(ctx, "oidc", audit.RequestFrom(ctx).IPAddress)
		if err != nil {
			return err
		}
		if !allowed {
			s.log.WarnContext(ctx, "OIDC sign-in rejected, not recorded: too many failed attempts from this address",
				"reason", reason, "provider_id", a.Details["providerId"])
			return &signin.Failure{Reason: reason}
		}
	}
	return s.signin.Reject(ctx, a, reason, concerned)
}

// providerByID finds a provider in any account: sign-in comes before
// knowing the organization.
func (s *Service) providerByID(ctx context.Context, id uuid.UUID) (providerRow, bool, error) {
	var row providerRow
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&row).Error
	if database.IsNotFound(err) {
		return providerRow{}, false, nil
	}
	return row, err == nil, err
}

// membershipsInAccount returns the live organizations of the account where
// email is a member (any status).
func (s *Service) membershipsInAccount(ctx context.Context, email string, account uuid.UUID) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.Conn(ctx).Raw(`SELECT m.organization_id FROM memberships m
		JOIN users u ON u.id = m.user_id AND u.email = ?
		JOIN organizations o ON o.id = m.organization_id AND o.deleted_at IS NULL AND o.account_id = ?
		ORDER BY m.organization_id`, email, account).Scan(&ids).Error
	return ids, err
}

func (s *Service) oauth2Config(row *providerRow, op *gooidc.Provider, secret string) *oauth2.Config {
	endpoint := op.Endpoint()
	if secret == "" {
		// A public client identifies itself in the form; PKCE proves the rest.
		endpoint.AuthStyle = oauth2.AuthStyleInParams
	}
	return &oauth2.Config{ClientID: row.ClientID, ClientSecret: secret, Endpoint: endpoint,
		RedirectURL: s.CallbackURL(), Scopes: row.Scopes}
}

func (s *Service) sealState(st loginState) (string, error) { return s.seal(st, stateBinding) }

func (s *Service) openState(cookie string) (loginState, error) {
	var st loginState
	err := s.open(cookie, stateBinding, &st)
	return st, err
}

// seal encrypts v's JSON bound to b, as text fit for a cookie or a URL:
// the key version, a dot, the ciphertext in base64url.
func (s *Service) seal(v any, b secrets.Binding) (string, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	sealed, err := s.keyring.Seal(plain, b)
	if err != nil {
		return "", err
	}
	return sealed.KeyVersion + "." + base64.RawURLEncoding.EncodeToString(sealed.Ciphertext), nil
}

// open decrypts what seal made with the same binding into v.
func (s *Service) open(text string, b secrets.Binding, v any) error {
	version, ct, ok := strings.Cut(text, ".")
	if !ok {
		return errors.New("oidc: not a sealed value")
	}
	raw, err := base64.RawURLEncoding.DecodeString(ct)
	if err != nil {
		return fmt.Errorf("oidc: sealed value: %w", err)
	}
	plain, err := s.keyring.Open(secrets.Sealed{Ciphertext: raw, KeyVersion: version}, b)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("oidc: sealed value: %w", err)
	}
	return nil
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// errorCode keeps a provider's error code fit for the audit log: RFC 6749
// codes are short lower-case words; anything else is cut down.
func errorCode(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= 64 {
			break
		}
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "unknown"
	}
	return b.String()
}

// tokenProblem names why go-oidc refused an ID token, for the audit log.
func tokenProblem(err error) string {
	var expired *gooidc.TokenExpiredError
	msg := err.Error()
	switch {
	case errors.As(err, &expired):
		return "expired"
	case strings.Contains(msg, "expected audience"):
		return "audience"
	case strings.Contains(msg, "issued by a different provider"):
		return "issuer"
	case strings.Contains(msg, "signature") || strings.Contains(msg, "public keys"):
		return "signature"
	case strings.Contains(msg, "nbf"):
		return "not_yet_valid"
	default:
		return "malformed"
	}
}

// isTrue reads email_verified, which some providers send as a string.
func isTrue(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "true")
	}
	return false
}
