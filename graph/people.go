package graph

import (
	"context"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/graph/model"
	"github.com/orgtrail/orgtrail/server/auth"
	"github.com/orgtrail/orgtrail/server/members"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/rbac"
	"github.com/orgtrail/orgtrail/server/scim"
)

func parseIDs(field string, ids []string) ([]uuid.UUID, error) {
	out := make([]uuid.UUID, len(ids))
	for i, id := range ids {
		u, err := parseID(field, id)
		if err != nil {
			return nil, err
		}
		out[i] = u
	}
	return out, nil
}

func organizationModel(o orgs.Organization, s *orgs.Settings) *model.Organization {
	m := &model.Organization{ID: o.ID.String(), Name: o.Name, CreatedAt: o.CreatedAt}
	if s != nil {
		methods := make([]model.SignInMethod, len(s.SignInMethods))
		for i, sm := range s.SignInMethods {
			methods[i] = model.SignInMethod(sm)
		}
		m.Name = s.Name
		m.Settings = &model.OrganizationSettings{SessionLifetimeHours: s.SessionLifetimeHours,
			SessionIdleMinutes: s.SessionIdleMinutes, SignInMethods: methods, AuditRetentionDays: s.AuditRetentionDays}
	}
	return m
}

func (r *Resolver) viewer(ctx context.Context, p auth.Principal) (*model.Viewer, error) {
	org, err := r.OrgService.Get(ctx, p.OrganizationID)
	if err != nil {
		return nil, err
	}
	v := &model.Viewer{Organization: organizationModel(org, nil), Organizations: []model.Organization{*organizationModel(org, nil)}}
	for _, perm := range p.Permissions.Sorted() {
		v.Permissions = append(v.Permissions, string(perm))
	}
	if v.Permissions == nil {
		v.Permissions = []string{}
	}
	if p.UserID == uuid.Nil {
		return v, nil
	}
	if p.SessionID != uuid.Nil {
		how, err := r.SessionService.HowSignedIn(ctx, p.SessionID)
		if err != nil {
			return nil, err
		}
		v.SignIn = &model.SessionSignIn{Method: model.SignInMethod(how.Method)}
		if how.ProviderID != uuid.Nil {
			id := how.ProviderID.String()
			v.SignIn.ProviderID = &id
		}
		if how.ProviderName != "" {
			v.SignIn.ProviderName = &how.ProviderName
		}
	}
	user, err := r.OrgService.GetUser(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	v.User = userModel(user)
	all, err := r.OrgService.ListForUser(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	v.Organizations = make([]model.Organization, len(all))
	for i, o := range all {
		v.Organizations[i] = *organizationModel(o, nil)
	}
	return v, nil
}

// invitationModels maps invitations with their roles, loaded in one query.
func (r *Resolver) invitationModels(ctx context.Context, org uuid.UUID, invitations []members.Invitation) ([]model.Invitation, error) {
	var ids []uuid.UUID
	for _, inv := range invitations {
		for _, id := range inv.RoleIDs {
			if u, err := uuid.Parse(id); err == nil {
				ids = append(ids, u)
			}
		}
	}
	roles, err := r.RoleService.GetRoles(ctx, org, ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]model.Role{}
	for _, role := range roles {
		byID[role.ID.String()] = roleModel(role)
	}
	out := make([]model.Invitation, len(invitations))
	for i, inv := range invitations {
		out[i] = model.Invitation{ID: inv.ID.String(), Email: inv.Email, CreatedAt: inv.CreatedAt, ExpiresAt: inv.ExpiresAt, Roles: []model.Role{}}
		for _, id := range inv.RoleIDs {
			if role, ok := byID[id]; ok {
				out[i].Roles = append(out[i].Roles, role)
			}
		}
	}
	return out, nil
}

func userIDsOf(holders []rbac.Holder) []uuid.UUID {
	out := make([]uuid.UUID, len(holders))
	for i, h := range holders {
		out[i] = h.UserID
	}
	return out
}

// scimOfMember marks what SCIM did for the member: provisioned them, and
// gave which of their roles through which groups (in the order of roles).
func scimOfMember(m *model.Member, p scim.MemberProvisioning) {
	m.ProvisionedByScim = p.Provisioned
	m.ScimRoleGrants = []model.ScimRoleGrant{}
	for _, role := range m.Roles {
		id, err := uuid.Parse(role.ID)
		if err != nil {
			continue
		}
		if groups, ok := p.RoleGroups[id]; ok {
			m.ScimRoleGrants = append(m.ScimRoleGrants, model.ScimRoleGrant{RoleID: role.ID, Groups: groups})
		}
	}
}
