package graph

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/graph/model"
	"github.com/orgtrail/orgtrail/server/scim"
)

func scimTokenModel(t scim.Token) *model.ScimToken {
	return &model.ScimToken{ID: t.ID.String(), Name: t.Name, Prefix: t.Prefix,
		Status: model.ScimCredentialStatus(t.Status(time.Now())), CreatedAt: t.CreatedAt,
		ExpiresAt: t.ExpiresAt, RevokedAt: t.RevokedAt, LastUsedAt: t.LastUsedAt}
}

func scimOAuthClientModel(c scim.OAuthClient) *model.ScimOAuthClient {
	return &model.ScimOAuthClient{ID: c.ID.String(), Name: c.Name, ClientID: c.ClientID,
		Status: model.ScimCredentialStatus(c.Status()), CreatedAt: c.CreatedAt, RevokedAt: c.RevokedAt, LastUsedAt: c.LastUsedAt}
}

// scimGroupModels maps groups with their roles, loaded in one query.
func (r *Resolver) scimGroupModels(ctx context.Context, org uuid.UUID, groups []scim.AdminGroup) ([]model.ScimGroup, error) {
	var ids []uuid.UUID
	for _, g := range groups {
		ids = append(ids, g.RoleIDs...)
	}
	roles, err := r.RoleService.GetRoles(ctx, org, ids)
	if err != nil {
		return nil, err
	}
	byID := map[uuid.UUID]model.Role{}
	for _, role := range roles {
		byID[role.ID] = roleModel(role)
	}
	out := make([]model.ScimGroup, len(groups))
	for i, g := range groups {
		out[i] = model.ScimGroup{ID: g.ID.String(), DisplayName: g.DisplayName, ExternalID: g.ExternalID,
			MemberCount: g.MemberCount, Roles: []model.Role{}, CreatedAt: g.CreatedAt, UpdatedAt: g.UpdatedAt}
		for _, id := range g.RoleIDs {
			if role, ok := byID[id]; ok {
				out[i].Roles = append(out[i].Roles, role)
			}
		}
	}
	return out, nil
}

// scimGroupMapping parses the ids of a (un)mapping input.
func scimGroupMapping(groupID, roleID string) (uuid.UUID, uuid.UUID, error) {
	g, err := parseID("groupId", groupID)
	if err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	role, err := parseID("roleId", roleID)
	return g, role, err
}
