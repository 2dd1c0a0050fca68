package app

import (
	"context"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/accesskeys"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// BootstrapInput names the organization and its first administrator.
type BootstrapInput struct {
	OrganizationName string
	AdminEmail       string
	// APIKey asks for a new admin API access key.
	APIKey bool
}

// BootstrapResult is what `orgtrail bootstrap` prints, as the design fixes it.
type BootstrapResult struct {
	OrganizationID string `json:"organizationId"`
	UserID         string `json:"userId"`
	SignInURL      string `json:"signInUrl"`
	APIKey         string `json:"apiKey,omitempty"`
	// Created is false when the organization already existed.
	Created bool `json:"-"`
}

// Bootstrap creates the organization and its first admin when absent (an
// organization is found by its name, compared case-insensitively as names in
// an account are: orgs.FindByName), issues a one-time sign-in link
// for the admin, and optionally mints an admin API access key; the link and
// the key are audited as any other.
func (a *App) Bootstrap(ctx context.Context, in BootstrapInput) (BootstrapResult, error) {
	var res BootstrapResult
	err := a.DB.InTx(ctx, func(ctx context.Context) error {
		org, found, err := a.Orgs.FindByName(ctx, in.OrganizationName)
		if err != nil {
			return err
		}
		if !found {
			if org, err = a.Orgs.CreateOrganization(ctx, in.OrganizationName); err != nil {
				return err
			}
			res.Created = true
		}
		user, err := a.Orgs.EnsureUser(ctx, in.AdminEmail, "")
		if err != nil {
			return err
		}
		if err := a.Orgs.AddMember(ctx, org.ID, user.ID); err != nil {
			return err
		}
		admin, err := a.adminRole(ctx, org.ID)
		if err != nil {
			return err
		}
		if err := a.Roles.EnsureAssigned(ctx, org.ID, admin.ID, rbac.Holder{UserID: user.ID}); err != nil {
			return err
		}
		res.OrganizationID, res.UserID = org.ID.String(), user.ID.String()
		ctx = audit.WithActor(ctx, audit.System(org.ID))
		if res.SignInURL, err = a.SignIn.IssueSignInLink(ctx, user.Email, org.ID); err != nil {
			return err
		}
		if !in.APIKey {
			return nil
		}
		key, err := a.AccessKeys.Create(ctx, org.ID, accesskeys.CreateCommand{
			Name: "Bootstrap admin key", Permissions: rbac.AllPermissions().Sorted(),
			Owner: rbac.Holder{UserID: user.ID}, Creator: rbac.AllPermissions(),
		})
		res.APIKey = key.Plaintext
		return err
	})
	return res, err
}

func (a *App) adminRole(ctx context.Context, org uuid.UUID) (rbac.Role, error) {
	roles, err := a.Roles.ListRoles(ctx, org)
	if err != nil {
		return rbac.Role{}, err
	}
	for _, r := range roles {
		if r.IsAdmin() {
			return r, nil
		}
	}
	return a.Roles.CreateBuiltInRoles(ctx, org)
}
