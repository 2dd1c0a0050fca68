package sessions

import (
	"net/url"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/server/apperr"
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

// HasWayIn is a SQL condition: the organization org (an alias of an
// organizations row) accepts some sign-in that can reach it, by
// SignInRefusal: an email link, or OIDC through a provider linked to it.
// Which of its admins a provider vouches for is known only when they sign
// in, so a way in is counted per organization: every member can ask for an
// email link, and a linked provider is where the admin who linked it signs in.
func HasWayIn(org string) string {
	return `(` + AcceptsSignIn(org, "'"+MethodMagicLink+"'", "NULL") + ` OR EXISTS (SELECT 1 FROM oidc_provider_links way
		WHERE way.organization_id = ` + org + `.id AND ` + AcceptsSignIn(org, "'"+MethodOIDC+"'", "way.provider_id") + `))`
}

// RequireWayIn is the rule that nobody locks an organization out: a change
// to how orgs are signed in to (their sign-in methods, unlinking or deleting
// an identity provider), made in the transaction tx is part of, must leave
// each of them a way in (HasWayIn). Otherwise it answers apperr.Invalid on
// field, explaining what would keep one, and the caller's transaction rolls
// the change back with its audit event. Every path that takes a way in away
// calls it after its write, so the rule holds whatever path makes the change.
//
// It locks the organizations' rows first and then reads, in a statement of
// its own, what is committed by then: two changes that would each leave a
// way in, but not both (turning the email link off while another admin
// unlinks the last provider), are checked one after the other, and the
// second is refused.
func RequireWayIn(tx *gorm.DB, field string, orgs ...uuid.UUID) error {
	if len(orgs) == 0 {
		return nil
	}
	var locked []uuid.UUID
	if err := tx.Raw(`SELECT id FROM organizations WHERE id IN ? ORDER BY id FOR UPDATE`, orgs).Scan(&locked).Error; err != nil {
		return err
	}
	var shut []string
	err := tx.Raw(`SELECT o.name FROM organizations o WHERE o.id IN ? AND o.deleted_at IS NULL AND NOT `+HasWayIn("o")+`
		ORDER BY lower(o.name), o.id`, orgs).Scan(&shut).Error
	if err != nil || len(shut) == 0 {
		return err
	}
	names := strings.Join(shut, ", ")
	return apperr.Invalid(field, "%s would be left with no way to sign in: it would accept only identity providers "+
		"(OpenID Connect) and none would be linked to it, so nobody could get in, its admins included. Keep sign-in "+
		"by email link allowed, or link an identity provider to it first.", names)
}
