package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/graph/model"
	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/rbac"
	"github.com/orgtrail/orgtrail/server/serviceaccounts"
)

// assignmentArgs parses the ids of assignRole and unassignRole.
func assignmentArgs(role string, user, account graphql.Omittable[*string]) (uuid.UUID, rbac.Holder, error) {
	roleID, err := parseID("roleId", role)
	if err != nil {
		return uuid.Nil, rbac.Holder{}, err
	}
	var h rbac.Holder
	if h.UserID, err = optionalID("userId", user); err != nil {
		return uuid.Nil, rbac.Holder{}, err
	}
	if h.ServiceAccountID, err = optionalID("serviceAccountId", account); err != nil {
		return uuid.Nil, rbac.Holder{}, err
	}
	if !h.Valid() {
		return uuid.Nil, rbac.Holder{}, apperr.Invalid("userId", "give exactly one of userId and serviceAccountId")
	}
	return roleID, h, nil
}

// serviceAccountModels maps accounts with their roles and keys, loaded in
// two queries whatever the number of accounts.
func (r *Resolver) serviceAccountModels(ctx context.Context, org uuid.UUID, accounts []serviceaccounts.ServiceAccount) ([]model.ServiceAccount, error) {
	ids := make([]uuid.UUID, len(accounts))
	holders := make([]rbac.Holder, len(accounts))
	for i, sa := range accounts {
		ids[i] = sa.ID
		holders[i] = rbac.Holder{ServiceAccountID: sa.ID}
	}
	out := make([]model.ServiceAccount, len(accounts))
	if len(accounts) == 0 {
		return out, nil
	}
	roles, err := r.RoleService.RolesOfHolders(ctx, org, holders)
	if err != nil {
		return nil, err
	}
	keys, err := r.ServiceAccountService.ListAPIKeys(ctx, org, ids)
	if err != nil {
		return nil, err
	}
	index := map[uuid.UUID]int{}
	for i, sa := range accounts {
		out[i] = *serviceAccountModel(sa)
		out[i].Roles = roleModels(roles[holders[i]])
		index[sa.ID] = i
	}
	for _, k := range keys {
		i := index[k.ServiceAccountID]
		out[i].APIKeys = append(out[i].APIKeys, *apiKeyModel(k))
	}
	return out, nil
}
