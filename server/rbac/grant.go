package rbac

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/apperr"
)

// CheckGrant is the one rule of every path that hands out power: a caller
// holding held may give away (to a role, a member, an invitee, a key, a
// service account's key, an identity provider or a SCIM client) only
// permissions among held. A refusal is FORBIDDEN and names what is missing,
// so nothing changes and the caller knows why.
//
// Without it each permission that manages power is a way to Admin: members:write
// invites someone as Admin, service_accounts:write mints a key of an Admin
// service account, roles:write grants itself anything.
func CheckGrant(held, granted PermissionSet) error {
	return CheckGrantBecause(held, granted, "")
}

// CheckGrantBecause is CheckGrant for a grant that is not plain to see,
// such as a credential that can act as any member: because says what is
// being handed out, for the refusal's message.
func CheckGrantBecause(held, granted PermissionSet, because string) error {
	missing := granted.Minus(held)
	if len(missing) == 0 {
		return nil
	}
	names := make([]string, 0, len(missing))
	for _, p := range missing.Sorted() {
		names = append(names, string(p))
	}
	msg := "you cannot grant what you do not hold: " + strings.Join(names, ", ")
	if because != "" {
		msg = because + "; you do not hold " + strings.Join(names, ", ")
	}
	return apperr.Forbiddenf("%s", msg)
}

// Minus returns the permissions of s that other lacks.
func (s PermissionSet) Minus(other PermissionSet) PermissionSet {
	out := PermissionSet{}
	for p := range s {
		if !other.Has(p) {
			out[p] = struct{}{}
		}
	}
	return out
}

// PermissionsOfRoles returns the union of the permissions of the roles with
// these ids in org (the built-in Admin role's are every permission). An id
// that is not a role of org is NOT_FOUND.
func (s *Service) PermissionsOfRoles(ctx context.Context, org uuid.UUID, ids []uuid.UUID) (PermissionSet, error) {
	set := PermissionSet{}
	if len(ids) == 0 {
		return set, nil
	}
	roles, err := s.GetRoles(ctx, org, ids)
	if err != nil {
		return nil, err
	}
	found := map[uuid.UUID]bool{}
	for _, r := range roles {
		found[r.ID] = true
		for _, p := range r.Permissions {
			set[p] = struct{}{}
		}
	}
	for _, id := range ids {
		if !found[id] {
			return nil, apperr.NotFoundf("role %s not found", id)
		}
	}
	return set, nil
}

// PermissionsOfMembers returns the union of what the organization's active
// members hold. Whoever controls a credential that speaks for their
// identities (an identity provider linked to the organization, a SCIM client)
// can become any of them, so handing out such a credential is granting this.
func (s *Service) PermissionsOfMembers(ctx context.Context, org uuid.UUID) (PermissionSet, error) {
	var rows []Grants
	err := s.db.Conn(ctx).Raw(`SELECT grants.* FROM memberships m `+
		MemberPermissionsJoin("m.organization_id", "m.user_id")+`
		WHERE m.organization_id = ? AND m.status = 'ACTIVE'`, org).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	set := PermissionSet{}
	for _, g := range rows {
		held, _ := g.Permissions()
		for p := range held {
			set[p] = struct{}{}
		}
	}
	return set, nil
}
