package sessions

import (
	"net/url"

	"github.com/google/uuid"
)

// Sign-in methods, as organizations allow them (organizations.sign_in_methods)
// and sessions record them (sessions.method).
const (
	MethodMagicLink = "MAGIC_LINK"
	MethodOIDC      = "OIDC"
)

// Why an organization refuses a sign-in: the reasons SignInRefusal gives,
// also the "Login failed" event's reason.
const (
	// RefusedMethod: the organization does not allow the method.
	RefusedMethod = "method_not_allowed"
	// RefusedProvider: the organization allows OIDC, but the provider that
	// vouched for the person is not linked to it (or no longer exists).
	RefusedProvider = "provider_not_linked"
)

// SignIn is how a session was authenticated.
type SignIn struct {
	Method string
	// ProviderID is the OIDC provider that vouched for the person (OIDC only).
	ProviderID uuid.UUID
}

// providerArg is the SQL parameter for a sign-in's provider: NULL unless OIDC.
func (s SignIn) providerArg() any {
	if s.Method != MethodOIDC || s.ProviderID == uuid.Nil {
		return nil
	}
	return s.ProviderID
}

// Args are the two parameters SignInRefusal("…", "?", "?") takes, in order.
func (s SignIn) Args() []any { return []any{s.Method, s.providerArg()} }

// SignInRefusal is the one rule of who may be in an organization: the
// organization accepts a sign-in by method through provider when it allows
// the method and, for OIDC, the provider is linked to it. Links join a
// provider only to organizations of its own account (a composite foreign key
// holds it), so an identity provider configured in one account never vouches
// for another account's organizations, whatever email address it asserts.
// Memberships however they came (invitations, SCIM) change nothing about it:
// a member enters only through a sign-in the organization trusts.
//
// It is a SQL expression: NULL when the organization accepts the sign-in,
// else the reason it refuses (RefusedMethod, RefusedProvider). org is the
// alias of an organizations row; method and provider are SQL expressions (a
// column such as s.method, or ? for a parameter: pass SignIn.Args), each
// used once, so a caller's parameters keep their order. Sessions (Resolve,
// Switch), the choice of where a sign-in lands and the ways a sign-in page
// offers all use it.
func SignInRefusal(org, method, provider string) string {
	return `(SELECT CASE
			WHEN NOT (how.method = ANY (` + org + `.sign_in_methods)) THEN '` + RefusedMethod + `'
			WHEN how.method = '` + MethodOIDC + `' AND NOT EXISTS (SELECT 1 FROM oidc_provider_links l
				WHERE l.organization_id = ` + org + `.id AND l.provider_id = how.provider_id) THEN '` + RefusedProvider + `'
		END FROM (SELECT (` + method + `)::text AS method, (` + provider + `)::uuid AS provider_id) how)`
}

// AcceptsSignIn is SignInRefusal as a condition: true when org accepts it.
func AcceptsSignIn(org, method, provider string) string {
	return `(` + SignInRefusal(org, method, provider) + ` IS NULL)`
}

// SignInURL is the sign-in page asking for a sign-in that org accepts, then
// going to next: where a person is sent when their session may not enter org.
func SignInURL(org uuid.UUID, next string) string {
	return "/sign-in?" + url.Values{"organization": {org.String()}, "next": {next}}.Encode()
}
