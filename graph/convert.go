package graph

import (
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/graph/model"
	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/rbac"
	"github.com/orgtrail/orgtrail/server/serviceaccounts"
)

// parseID turns a GraphQL ID into a UUID; a malformed one is bad input.
func parseID(field, id string) (uuid.UUID, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return uuid.Nil, apperr.Invalid(field, "%s is not a valid id", field)
	}
	return u, nil
}

// optionalID parses an omittable ID; absent or null gives uuid.Nil.
func optionalID(field string, v graphql.Omittable[*string]) (uuid.UUID, error) {
	if s := v.Value(); s != nil {
		return parseID(field, *s)
	}
	return uuid.Nil, nil
}

// stringOr returns the omittable string's value, or def when absent or null.
func stringOr(v graphql.Omittable[*string], def string) string {
	if s := v.Value(); s != nil {
		return *s
	}
	return def
}

func optionalTime(v graphql.Omittable[*time.Time]) *time.Time { return v.Value() }

func permissionsFrom(names []string) []rbac.Permission {
	out := make([]rbac.Permission, len(names))
	for i, n := range names {
		out[i] = rbac.Permission(n)
	}
	return out
}

func roleModel(r rbac.Role) model.Role {
	perms := make([]string, len(r.Permissions))
	for i, p := range r.Permissions {
		perms[i] = string(p)
	}
	m := model.Role{ID: r.ID.String(), Name: r.Name, Description: r.Description, BuiltIn: r.BuiltIn,
		Permissions: perms, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.BuiltInRole != nil {
		kind := model.BuiltInRole(*r.BuiltInRole)
		m.BuiltInRole = &kind
	}
	return m
}

func roleModels(roles []rbac.Role) []model.Role {
	out := make([]model.Role, len(roles))
	for i, r := range roles {
		out[i] = roleModel(r)
	}
	return out
}

func userModel(u orgs.User) *model.User {
	return &model.User{ID: u.ID.String(), Email: u.Email, Name: u.Name}
}

func serviceAccountModel(sa serviceaccounts.ServiceAccount) *model.ServiceAccount {
	return &model.ServiceAccount{ID: sa.ID.String(), Name: sa.Name, Description: sa.Description,
		CreatedAt: sa.CreatedAt, Roles: []model.Role{}, APIKeys: []model.APIKey{}}
}

func apiKeyModel(k serviceaccounts.APIKey) *model.APIKey {
	return &model.APIKey{ID: k.ID.String(), Name: k.Name, Prefix: k.Prefix,
		Status: model.APIKeyStatus(k.Status(time.Now())), CreatedAt: k.CreatedAt,
		ExpiresAt: k.ExpiresAt, RevokedAt: k.RevokedAt, LastUsedAt: k.LastUsedAt}
}
