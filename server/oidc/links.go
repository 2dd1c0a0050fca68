package oidc

import (
	"context"

	"net/url"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/rbac"
	"github.com/orgtrail/orgtrail/server/sessions"
)

// AddToOrganization links a provider of the caller's account to org (the
// caller's current organization when org is zero), so its members may sign in
// with it. Another organization must be a live one of the same account where
// the caller, a person, may also configure identity providers. Linking twice
// changes nothing and records nothing; "Added OIDC provider to org" lands in
// org.
func (s *Service) AddToOrganization(ctx context.Context, c Caller, providerID, org uuid.UUID) (Provider, error) {
	return s.setLink(ctx, c, providerID, org, true)
}

// RemoveFromOrganization unlinks a provider from org (as AddToOrganization):
// its members no longer sign in with it. Removing a link that does not exist
// records nothing; "Removed OIDC provider from org" lands in org. Unlinking
// the last provider of an organization that accepts only OIDC is refused
// (sessions.RequireWayIn).
func (s *Service) RemoveFromOrganization(ctx context.Context, c Caller, providerID, org uuid.UUID) (Provider, error) {
	return s.setLink(ctx, c, providerID, org, false)
}

func (s *Service) setLink(ctx context.Context, c Caller, providerID, org uuid.UUID, linked bool) (Provider, error) {
	if org == uuid.Nil {
		org = c.OrganizationID
	}
	account, err := s.accountOf(ctx, c.OrganizationID)
	if err != nil {
		return Provider{}, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		row, err := s.providerOf(ctx, account, providerID, true)
		if err != nil {
			return err
		}
		target, err := s.organizationIn(ctx, account, org)
		if err != nil {
			return err
		}
		held, err := s.mayConfigure(ctx, c, target)
		if err != nil {
			return err
		}
		if linked {
			if err := s.checkVouching(ctx, held, target); err != nil {
				return err
			}
		}
		details := audit.Details{"issuer": row.Issuer, "organizationId": target.ID.String(), "organizationName": target.Name}
		tx := s.db.Conn(ctx)
		if linked {
			change := audit.Change{Action: audit.AddedOIDCProviderToOrg, OrganizationID: target.ID, Resource: row.resource(), Details: details}
			link := linkRow{ProviderID: row.ID, OrganizationID: target.ID, AccountID: account}
			return audit.Audited(tx, change).Clauses(clause.OnConflict{DoNothing: true}).Create(&link).Error
		}
		change := audit.Change{Action: audit.RemovedOIDCProviderFromOrg, OrganizationID: target.ID, Resource: row.resource(), Details: details}
		res := audit.Audited(tx, change).Where("provider_id = ? AND organization_id = ?", row.ID, target.ID).Delete(&linkRow{})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return sessions.RequireWayIn(tx, "providerId", target.ID)
	})
	if err != nil {
		return Provider{}, err
	}
	return s.GetProvider(ctx, c.OrganizationID, providerID)
}

// organizationIn returns a live organization of the account; any other id is
// not found, whether it exists elsewhere or not.
func (s *Service) organizationIn(ctx context.Context, account, org uuid.UUID) (orgs.Organization, error) {
	var o orgs.Organization
	err := s.db.Conn(ctx).Where("id = ? AND account_id = ? AND deleted_at IS NULL", org, account).Take(&o).Error
	if database.IsNotFound(err) {
		return orgs.Organization{}, apperr.NotFoundf("organization %s not found", org)
	}
	return o, err
}

// mayConfigure checks that the caller may configure identity providers in
// org and returns what they hold there. In their current organization the
// schema has checked it already; in a sibling they must be an active member
// holding the permission there (a key acts in its own organization only).
func (s *Service) mayConfigure(ctx context.Context, c Caller, org orgs.Organization) (rbac.PermissionSet, error) {
	if org.ID == c.OrganizationID {
		return c.Permissions, nil
	}
	denied := apperr.Forbiddenf("the provider is used by %s: that needs the %s permission there too", org.Name, rbac.IdentityProvidersWrite)
	if c.UserID == uuid.Nil {
		return nil, denied
	}
	// Only an active member holds permissions there (rbac.PermissionsOf).
	perms, err := s.perms.PermissionsOf(ctx, org.ID, rbac.Holder{UserID: c.UserID})
	if err != nil {
		return nil, err
	}
	if !perms.Has(rbac.IdentityProvidersWrite) {
		return nil, denied
	}
	return perms, nil
}

// checkVouching refuses to let a provider vouch for org's members (by
// linking it, or by changing the issuer or client of a linked one) for a
// caller who does not hold everything those members hold: whoever controls
// a linked provider can sign in as any of them (rbac.CheckGrantBecause).
func (s *Service) checkVouching(ctx context.Context, held rbac.PermissionSet, org orgs.Organization) error {
	members, err := s.perms.PermissionsOfMembers(ctx, org.ID)
	if err != nil {
		return err
	}
	return rbac.CheckGrantBecause(held, members, "a provider linked to "+org.Name+
		" can sign in as any of its members, so it needs every permission they hold")
}

// linkedOrganizationRows returns the live organizations a provider is
// linked to, checking that the caller may change the provider in each (a
// shared resource changes only with rights where it is used), with what the
// caller holds in each.
func (s *Service) linkedOrganizationRows(ctx context.Context, c Caller, providerID uuid.UUID) ([]orgs.Organization, []rbac.PermissionSet, error) {
	var linked []orgs.Organization
	err := s.db.Conn(ctx).Raw(`SELECT o.* FROM oidc_provider_links l
		JOIN organizations o ON o.id = l.organization_id AND o.deleted_at IS NULL
		WHERE l.provider_id = ? ORDER BY lower(o.name), o.id`, providerID).Scan(&linked).Error
	if err != nil {
		return nil, nil, err
	}
	held := make([]rbac.PermissionSet, len(linked))
	for i, o := range linked {
		if held[i], err = s.mayConfigure(ctx, c, o); err != nil {
			return nil, nil, err
		}
	}
	return linked, held, nil
}

// linkedOrganizations returns the live organizations a provider is linked to.
func (s *Service) linkedOrganizations(ctx context.Context, providerID uuid.UUID) ([]uuid.UUID, error) {
	ids := []uuid.UUID{}
	err := s.db.Conn(ctx).Raw(`SELECT o.id FROM oidc_provider_links l
		JOIN organizations o ON o.id = l.organization_id AND o.deleted_at IS NULL
		WHERE l.provider_id = ? ORDER BY o.id`, providerID).Scan(&ids).Error
	return ids, err
}

// SignInOptions lists the ways the sign-in page offers. Without an
// organization: every provider linked to a live organization that accepts a
// sign-in through it, and the email link (its request answers the same for
// every address). With one, for a person asked to sign in the way it accepts
// before entering it: only those ways (sessions.SignInRefusal), each landing
// there. It is public, so it names providers only, never organizations; an
// organization that does not exist (any more) is not found.
func (s *Service) SignInOptions(ctx context.Context, org uuid.UUID) (SignInOptions, error) {
	var rows []optionRow
	byProvider := sessions.AcceptsSignIn("o", "'"+sessions.MethodOIDC+"'", "p.id")
	if org == uuid.Nil {
		err := s.db.Conn(ctx).Raw(`SELECT p.id, p.name FROM oidc_providers p
			WHERE EXISTS (SELECT 1 FROM oidc_provider_links l
				JOIN organizations o ON o.id = l.organization_id AND o.deleted_at IS NULL
				WHERE l.provider_id = p.id AND ` + byProvider + `)
			ORDER BY lower(p.name), p.id`).Scan(&rows).Error
		if err != nil {
			return SignInOptions{}, err
		}
		return SignInOptions{MagicLink: true, Providers: signInOptions(rows, "")}, nil
	}
	var magicLink []bool
	err := s.db.Conn(ctx).Raw(`SELECT `+sessions.AcceptsSignIn("o", "'"+sessions.MethodMagicLink+"'", "NULL")+`
		FROM organizations o WHERE o.id = ? AND o.deleted_at IS NULL`, org).Scan(&magicLink).Error
	if err != nil {
		return SignInOptions{}, err
	}
	if len(magicLink) == 0 {
		return SignInOptions{}, apperr.NotFoundf("organization %s not found", org)
	}
	err = s.db.Conn(ctx).Raw(`SELECT p.id, p.name FROM oidc_provider_links l
		JOIN oidc_providers p ON p.id = l.provider_id JOIN organizations o ON o.id = l.organization_id
		WHERE l.organization_id = ? AND `+byProvider+` ORDER BY lower(p.name), p.id`, org).Scan(&rows).Error
	if err != nil {
		return SignInOptions{}, err
	}
	landing := "?" + url.Values{"organization": {org.String()}}.Encode()
	return SignInOptions{MagicLink: magicLink[0], Providers: signInOptions(rows, landing)}, nil
}

type optionRow struct {
	ID   uuid.UUID
	Name string
}

// signInOptions offers the providers of rows, their login URLs with query.
func signInOptions(rows []optionRow, query string) []SignInOption {
	out := make([]SignInOption, len(rows))
	for i, r := range rows {
		out[i] = SignInOption{ID: r.ID, Name: r.Name, LoginURL: LoginURL(r.ID) + query}
	}
	return out
}
