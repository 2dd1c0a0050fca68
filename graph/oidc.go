package graph

import (
	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/graph/model"
	"github.com/orgtrail/orgtrail/server/auth"
	"github.com/orgtrail/orgtrail/server/oidc"
)

// oidcLinkArgs parses the ids of addOidcProviderToOrganization and
// removeOidcProviderFromOrganization; a left-out organization is the
// caller's current one.
func oidcLinkArgs(p auth.Principal, provider string, org graphql.Omittable[*string]) (oidc.Caller, uuid.UUID, uuid.UUID, error) {
	providerID, err := parseID("providerId", provider)
	if err != nil {
		return oidc.Caller{}, uuid.Nil, uuid.Nil, err
	}
	orgID, err := optionalID("organizationId", org)
	if err != nil {
		return oidc.Caller{}, uuid.Nil, uuid.Nil, err
	}
	return oidcCaller(p), providerID, orgID, nil
}

// oidcCaller is who changes a provider, with what they hold.
func oidcCaller(p auth.Principal) oidc.Caller {
	return oidc.Caller{OrganizationID: p.OrganizationID, UserID: p.UserID, Permissions: p.Permissions}
}

func (r *Resolver) oidcProviderModel(p oidc.Provider) *model.OidcProvider {
	linked := make([]model.Organization, len(p.Organizations))
	for i, o := range p.Organizations {
		linked[i] = *organizationModel(o, nil)
	}
	return &model.OidcProvider{ID: p.ID.String(), Name: p.Name, Issuer: p.Issuer, ClientID: p.ClientID,
		HasClientSecret: p.HasClientSecret, Scopes: p.Scopes, Organizations: linked,
		CallbackURL: r.OIDCService.CallbackURL(), LoginURL: oidc.LoginURL(p.ID), TestURL: oidc.TestURL(p.ID), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

func signInOptionsModel(o oidc.SignInOptions) *model.SignInOptions {
	out := &model.SignInOptions{MagicLink: o.MagicLink, Providers: make([]model.SignInProviderOption, len(o.Providers))}
	for i, p := range o.Providers {
		out.Providers[i] = model.SignInProviderOption{ID: p.ID.String(), Name: p.Name, LoginURL: p.LoginURL}
	}
	return out
}

func signInTestModel(t oidc.SignInTest) *model.OidcSignInTest {
	out := &model.OidcSignInTest{ProviderID: t.ProviderID.String(), ProviderName: t.ProviderName,
		OrganizationName: t.OrganizationName, Succeeded: t.Problem == nil, Claims: make([]model.OidcClaim, len(t.Claims))}
	if p := t.Problem; p != nil {
		out.Problem = &model.OidcSignInTestProblem{Code: p.Code, Message: p.Message,
			ProviderError: nonEmpty(p.ProviderError), ProviderErrorDescription: nonEmpty(p.ProviderErrorDescription)}
	}
	for i, c := range t.Claims {
		out.Claims[i] = model.OidcClaim{Name: c.Name, Value: c.Value}
		if c.Source != "" {
			source := model.OidcClaimSource(c.Source)
			out.Claims[i].Source = &source
		}
	}
	if p := t.Prospect; p != nil {
		out.SignIn = &model.OidcSignInProspect{CanSignIn: p.CanSignIn, Member: p.Member, Invited: p.Invited,
			Reason: nonEmpty(p.Reason), Message: p.Message}
	}
	return out
}
