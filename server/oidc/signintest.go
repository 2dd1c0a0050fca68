package oidc

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/rbac"
	"github.com/orgtrail/orgtrail/server/secrets"
	"github.com/orgtrail/orgtrail/server/signin"
)

// An admin tests a provider by running its authorization code flow in a
// new window: the same flow as a sign-in (BeginLogin, readAnswer), marked as
// a test in the sealed login cookie, whose answer is reported to the admin
// instead of signing anyone in. A test
//   - needs identity_providers:write and a browser session, and works for a
//     provider linked to no organization yet (that is when admins test);
//   - is bound to the session that started it: the callback reads the
//     answer only in that session, and the result is sealed to it, so
//     nobody else can read what the provider said;
//   - never creates a session, never accepts an invitation and records no
//     audit event: it changes nothing, so it is not one of the catalog's
//     actions (it is logged).

// TestResultPath is the page of the SPA that shows a test's result: the
// callback sends the test's window there with the sealed result in the URL
// fragment (#result=…, never sent to a server) or a problem code
// (#problem=…) when the test could not run.
const TestResultPath = "/identity-providers/sign-in-test"

// TestResultLifetime is how long a test's sealed result can be read.
const TestResultLifetime = 10 * time.Minute

// Problems that stop a test before the provider answers, as the result
// page's #problem= code.
const (
	TestNotSignedIn    = "unauthenticated"
	TestForbidden      = "forbidden"
	TestUnknown        = "not_found"
	TestOtherSession   = "other_session"
	TestResultNotFound = "result_not_found"
)

// Tester is the admin running a test: a person in a browser session.
type Tester struct {
	Caller
	SessionID uuid.UUID
}

// testBinding ties a test in progress to the session and organization of the
// admin who started it.
type testBinding struct {
	Session      uuid.UUID `json:"s"`
	Organization uuid.UUID `json:"o"`
}

// SignInTest is what a test found: the provider's answer in words, the
// claims a sign-in reads with where each came from, and whether that person
// could sign in to the admin's organization.
type SignInTest struct {
	ProviderID   uuid.UUID `json:"providerId"`
	ProviderName string    `json:"providerName"`
	// OrganizationName is the organization the prospect is about.
	OrganizationName string `json:"organizationName"`
	// Problem is why the answer identified nobody; nil when it did.
	Problem *TestProblem `json:"problem,omitempty"`
	// Claims are subject, email, email_verified and name, in that order,
	// when the provider identified someone.
	Claims []TestClaim `json:"claims,omitempty"`
	// Prospect says whether that person could sign in here.
	Prospect  *TestProspect `json:"prospect,omitempty"`
	ExpiresAt int64         `json:"exp"`
}

// TestProblem is why a provider's answer identified nobody.
type TestProblem struct {
	// Code is the "Login failed" event's providerError, tokenProblem or
	// stateProblem a sign-in with this answer would record.
	Code    string `json:"code"`
	Message string `json:"message"`
	// ProviderError and ProviderErrorDescription are the provider's own
	// words (RFC 6749 error and error_description), when it gave some.
	ProviderError            string `json:"providerError,omitempty"`
	ProviderErrorDescription string `json:"providerErrorDescription,omitempty"`
}

// TestClaim is one claim of the answer: its value as text (empty when the
// provider did not send it) and where it came from (ClaimFromIDToken,
// ClaimFromUserInfo, or empty).
type TestClaim struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Source string `json:"source,omitempty"`
}

// TestProspect is signin.Prospect in words.
type TestProspect struct {
	CanSignIn bool   `json:"canSignIn"`
	Member    bool   `json:"member"`
	Invited   bool   `json:"invited"`
	Reason    string `json:"reason,omitempty"`
	Message   string `json:"message"`
}

// TestStart is a started test: where to send the window (the provider, or
// the result page when the provider's discovery failed), and the login
// cookie when the flow goes on at the provider.
type TestStart struct {
	Location  string
	Cookie    string
	ExpiresAt time.Time
}

var errOtherSession = errors.New("oidc: the test was started in another session or organization")

// resultBinding seals a result to the session and organization it belongs to.
func resultBinding(t Tester) secrets.Binding {
	return secrets.Binding{Purpose: "oidc-sign-in-test", OrganizationID: t.OrganizationID, ID: t.SessionID}
}

// BeginTest starts t's test of a provider of their organization's account.
// It needs identity_providers:write (FORBIDDEN) and a provider of the
// account (NOT_FOUND); linked or not does not matter. Discovery is fetched
// afresh, so a test sees the provider as it is now; when it fails, the
// test ends at once with the reason.
func (s *Service) BeginTest(ctx context.Context, t Tester, providerID uuid.UUID) (TestStart, error) {
	row, org, err := s.testedProvider(ctx, t, providerID)
	if err != nil {
		return TestStart{}, err
	}
	if err := s.discovery.validate(ctx, row.Issuer); err != nil {
		s.log.InfoContext(ctx, "OIDC sign-in test: discovery failed", "provider_id", row.ID, "user_id", t.UserID, "error", err)
		result := s.newResult(&row, org)
		result.Problem = &TestProblem{Code: "discovery_failed", Message: discoveryMessage(err)}
		loc, err := s.sealResult(t, result)
		return TestStart{Location: loc}, err
	}
	op, err := s.discovery.provider(ctx, row.Issuer)
	if err != nil {
		return TestStart{}, err
	}
	expires := s.now().Add(LoginLifetime)
	st := loginState{ProviderID: row.ID, State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(),
		ExpiresAt: expires.Unix(), Test: &testBinding{Session: t.SessionID, Organization: t.OrganizationID}}
	cookie, err := s.sealState(st)
	if err != nil {
		return TestStart{}, err
	}
	authURL := s.oauth2Config(&row, op, "").AuthCodeURL(st.State, gooidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier))
	return TestStart{Location: authURL, Cookie: cookie, ExpiresAt: expires}, nil
}

// FinishTest reads the provider's answer to the test sealed in cookie, for
// t, and returns where the result page is (the sealed result in its
// fragment). Only the session that started the test reads the answer
// (errOtherSession otherwise, before anything is exchanged), and it must
// still hold identity_providers:write. Nobody is signed in and nothing is
// recorded.
func (s *Service) FinishTest(ctx context.Context, t Tester, cookie string, q url.Values) (string, error) {
	st, err := s.openState(cookie)
	if err != nil || st.Test == nil {
		return "", errOtherSession
	}
	if st.Test.Session != t.SessionID || st.Test.Organization != t.OrganizationID {
		return "", errOtherSession
	}
	row, org, err := s.testedProvider(ctx, t, st.ProviderID)
	if err != nil {
		return "", err
	}
	result := s.newResult(&row, org)
	ans, problem, err := s.readAnswer(ctx, &row, st, q)
	if err != nil {
		return "", err
	}
	if problem != nil {
		result.Problem = problemInWords(problem, &row, s.CallbackURL())
		s.log.InfoContext(ctx, "OIDC sign-in test: the answer identifies nobody", "provider_id", row.ID,
			"user_id", t.UserID, "problem", result.Problem.Code)
		return s.sealResult(t, result)
	}
	result.Claims = ans.testClaims()
	a := attemptFor(&row, nil)
	a.Email = ans.Claims.Email
	prospect, err := s.prospect(ctx, a, ans.Claims, org, &row)
	if err != nil {
		return "", err
	}
	result.Prospect = &prospect
	s.log.InfoContext(ctx, "OIDC sign-in test: the provider identified someone", "provider_id", row.ID,
		"user_id", t.UserID, "can_sign_in", prospect.CanSignIn, "reason", prospect.Reason)
	return s.sealResult(t, result)
}

// OpenTestResult returns the result sealed for t, the admin who ran the
// test, in the session and organization where they ran it. Anything else
// (another session, a foreign or altered result, an expired one) is
// NOT_FOUND: results are nobody else's to read.
func (s *Service) OpenTestResult(t Tester, sealed string) (SignInTest, error) {
	var result SignInTest
	if err := s.open(sealed, resultBinding(t), &result); err != nil || s.now().Unix() > result.ExpiresAt {
		return SignInTest{}, apperr.NotFoundf("no such sign-in test result: it is another session's or has expired")
	}
	return result, nil
}

// testedProvider is the provider t may test, and t's organization.
func (s *Service) testedProvider(ctx context.Context, t Tester, providerID uuid.UUID) (providerRow, orgs.Organization, error) {
	if t.SessionID == uuid.Nil || t.UserID == uuid.Nil {
		return providerRow{}, orgs.Organization{}, apperr.Forbiddenf("testing a sign-in needs a person signed in with a browser")
	}
	if !t.Permissions.Has(rbac.IdentityProvidersWrite) {
		return providerRow{}, orgs.Organization{}, apperr.Forbiddenf("testing a sign-in needs the %s permission", rbac.IdentityProvidersWrite)
	}
	account, err := s.accountOf(ctx, t.OrganizationID)
	if err != nil {
		return providerRow{}, orgs.Organization{}, err
	}
	org, err := s.organizationIn(ctx, account, t.OrganizationID)
	if err != nil {
		return providerRow{}, orgs.Organization{}, err
	}
	row, err := s.providerOf(ctx, account, providerID, false)
	return row, org, err
}

func (s *Service) newResult(row *providerRow, org orgs.Organization) SignInTest {
	return SignInTest{ProviderID: row.ID, ProviderName: row.Name, OrganizationName: org.Name,
		ExpiresAt: s.now().Add(TestResultLifetime).Unix()}
}

// sealResult seals result to t and returns the result page's address.
func (s *Service) sealResult(t Tester, result SignInTest) (string, error) {
	sealed, err := s.seal(result, resultBinding(t))
	if err != nil {
		return "", err
	}
	return TestResultPath + "#result=" + sealed, nil
}

// prospect says, in words, whether the person the provider named could sign
// in to org through it (signin.Service.ProspectIn, after the checks of
// FinishLogin: an address, verified).
func (s *Service) prospect(ctx context.Context, a signin.Attempt, claims emailClaims, org orgs.Organization, row *providerRow) (TestProspect, error) {
	email, err := orgs.NormalizeEmail(claims.Email)
	if err != nil {
		return TestProspect{Reason: signin.ReasonInvalidToken, Message: fmt.Sprintf(
			"The provider sent no usable email address, so nobody can sign in with this answer. Ask %s to release the email claim (the “email” scope).", row.Name)}, nil
	}
	a.Email = email
	p, err := s.signin.ProspectIn(ctx, a, org.ID)
	if err != nil {
		return TestProspect{}, err
	}
	out := TestProspect{Member: p.Member, Invited: p.Invited, Reason: p.Reason}
	if !isTrue(claims.EmailVerified) {
		out.Reason = signin.ReasonUnverifiedEmail
	}
	who, here := email, org.Name
	switch {
	case out.Reason == signin.ReasonUnverifiedEmail:
		out.Message = fmt.Sprintf("%s did not say %s is verified (email_verified), so the sign-in would be refused.", row.Name, who)
	case out.Reason == signin.ReasonNotMember:
		out.Message = fmt.Sprintf("%s is not a member of %s and has no pending invitation, so the sign-in would be refused.", who, here)
	case out.Reason == signin.ReasonDeactivated:
		out.Message = fmt.Sprintf("%s is a deactivated member of %s, so the sign-in would be refused.", who, here)
	case out.Reason == signin.ReasonProviderNotLinked:
		out.Message = fmt.Sprintf("%s is %s, but %s is not linked to %s yet: link it, and %s can sign in with it.",
			who, memberOrInvited(p), row.Name, here, who)
	case out.Reason == signin.ReasonMethodNotAllowed:
		out.Message = fmt.Sprintf("%s is %s, but %s does not allow signing in with identity providers (Settings › General).",
			who, memberOrInvited(p), here)
	case out.Reason != "":
		out.Message = fmt.Sprintf("%s could not sign in to %s (%s).", who, here, out.Reason)
	case p.Invited:
		out.CanSignIn = true
		out.Message = fmt.Sprintf("%s has a pending invitation to %s and could sign in with %s to accept it.", who, here, row.Name)
	default:
		out.CanSignIn = true
		out.Message = fmt.Sprintf("%s is an active member of %s and could sign in with %s.", who, here, row.Name)
	}
	return out, nil
}

func memberOrInvited(p signin.Prospect) string {
	if p.Invited {
		return "invited"
	}
	return "a member"
}

// testClaims lists the claims a sign-in reads, with where each came from.
func (a answer) testClaims() []TestClaim {
	verified := ""
	switch v := a.Claims.EmailVerified.(type) {
	case bool:
		verified = fmt.Sprint(v)
	case string:
		verified = clip(v, 64)
	case nil:
	default:
		verified = clip(fmt.Sprint(v), 64)
	}
	return []TestClaim{
		{Name: "sub", Value: clip(a.Subject, 255), Source: ClaimFromIDToken},
		{Name: "email", Value: clip(a.Claims.Email, 320), Source: a.Claims.EmailFrom},
		{Name: "email_verified", Value: verified, Source: a.Claims.EmailVerifiedFrom},
		{Name: "name", Value: clip(a.Claims.Name, 255), Source: a.Claims.NameFrom},
	}
}

// problemInWords says why the provider's answer identified nobody, with
// what to check.
func problemInWords(p *answerProblem, row *providerRow, callback string) *TestProblem {
	out := &TestProblem{}
	for _, key := range []string{"providerError", "tokenProblem", "stateProblem"} {
		if v, ok := p.Details[key].(string); ok {
			out.Code = v
			if key == "providerError" {
				out.ProviderError = v
			}
		}
	}
	out.ProviderErrorDescription = clip(p.Description, 500)
	name := row.Name
	switch out.Code {
	case "access_denied":
		out.Message = fmt.Sprintf("%s refused the sign-in: the person cancelled, or is not assigned to the application there.", name)
	case "invalid_client", "unauthorized_client":
		out.Message = fmt.Sprintf("%s did not accept the client: check the client ID and the client secret.", name)
	case "invalid_grant":
		out.Message = fmt.Sprintf("%s refused the authorization code: check that the redirect URI registered there is exactly %s.", name, callback)
	case "invalid_scope":
		out.Message = fmt.Sprintf("%s refused the scopes asked for (%s).", name, strings.Join(row.Scopes, " "))
	case "invalid_request", "unsupported_response_type":
		out.Message = fmt.Sprintf("%s refused the request: check that the redirect URI registered there is exactly %s and that the application uses the authorization code flow.", name, callback)
	case "missing_code":
		out.Message = fmt.Sprintf("%s answered without an authorization code.", name)
	case "token_exchange_failed":
		out.Message = fmt.Sprintf("The code could not be exchanged at %s’s token endpoint.", name)
	case "discovery_failed":
		out.Message = fmt.Sprintf("%s’s discovery document could not be fetched.", name)
	case "userinfo_failed":
		out.Message = fmt.Sprintf("The ID token lacks the email address, and %s’s UserInfo endpoint did not answer.", name)
	case "missing_id_token":
		out.Message = fmt.Sprintf("%s returned no ID token: check that the scopes include openid.", name)
	case "expired":
		if _, state := p.Details["stateProblem"]; state {
			out.Message = "The test took longer than 10 minutes; start it again."
		} else {
			out.Message = "The ID token had already expired: check the clocks of the provider and of this server."
		}
	case "not_yet_valid":
		out.Message = "The ID token is not valid yet: check the clocks of the provider and of this server."
	case "audience":
		out.Message = fmt.Sprintf("The ID token was issued for another client: its audience is not the client ID %s.", row.ClientID)
	case "issuer":
		out.Message = fmt.Sprintf("The ID token names another issuer than %s.", row.Issuer)
	case "signature":
		out.Message = fmt.Sprintf("The ID token’s signature does not verify with %s’s published keys.", name)
	case "nonce":
		out.Message = "The ID token does not carry the nonce this test sent: it answers another request."
	case "userinfo_subject_mismatch":
		out.Message = fmt.Sprintf("%s’s UserInfo endpoint spoke of another subject than the ID token.", name)
	case "mismatch":
		out.Message = "The answer does not carry the state this test sent: it answers another request."
	case "malformed":
		out.Message = "The ID token or the UserInfo answer is malformed."
	default:
		out.Message = fmt.Sprintf("%s answered with the error %q.", name, out.Code)
	}
	return out
}

// discoveryMessage is discoveryCache.validate's explanation, which speaks of
// the issuer the admin entered.
func discoveryMessage(err error) string {
	var e *apperr.Error
	if errors.As(err, &e) && e.Message != "" {
		return strings.ToUpper(e.Message[:1]) + e.Message[1:] + "."
	}
	return "The issuer’s discovery document could not be fetched."
}

// clip cuts s to at most n runes: a provider's words are shown, not trusted.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
