package scim

import (
	"context"
	"sort"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// A group mapped to a role grants the role to the group's members: joining
// the group assigns it ("Assigned role", the identity provider as actor),
// leaving it takes it back ("Unassigned role") unless another mapped group
// still grants it. Only assignments a mapping made are ever taken back: a
// role an admin gave by hand stays (scim_role_assignments tells them apart).

type groupRole struct {
	OrganizationID uuid.UUID
	GroupID        uuid.UUID
	RoleID         uuid.UUID
	CreatedAt      time.Time
}

func (groupRole) TableName() string { return "scim_group_roles" }

// AdminGroup is a group as the admin console lists it.
type AdminGroup struct {
	ID          uuid.UUID
	DisplayName string
	ExternalID  *string
	MemberCount int
	RoleIDs     []uuid.UUID
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// ListGroupsForAdmin returns the organization's SCIM groups by name, with
// their member counts and mapped roles.
func (s *Service) ListGroupsForAdmin(ctx context.Context, org uuid.UUID) ([]AdminGroup, error) {
	var rows []struct {
		Group
		MemberCount int
	}
	err := s.db.Conn(ctx).Raw(`SELECT g.*, (SELECT count(*) FROM scim_group_members gm WHERE gm.group_id = g.id) AS member_count
		FROM scim_groups g WHERE g.organization_id = ? ORDER BY lower(g.display_name), g.id`, org).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	var mappings []groupRole
	if err := s.db.Conn(ctx).Where("organization_id = ?", org).Order("created_at").Find(&mappings).Error; err != nil {
		return nil, err
	}
	byGroup := map[uuid.UUID][]uuid.UUID{}
	for _, m := range mappings {
		byGroup[m.GroupID] = append(byGroup[m.GroupID], m.RoleID)
	}
	out := make([]AdminGroup, len(rows))
	for i, r := range rows {
		out[i] = AdminGroup{ID: r.ID, DisplayName: r.DisplayName, ExternalID: r.ExternalID, MemberCount: r.MemberCount,
			RoleIDs: byGroup[r.ID], CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	}
	return out, nil
}

// adminGroup returns one group for the admin console.
func (s *Service) adminGroup(ctx context.Context, org, id uuid.UUID) (AdminGroup, error) {
	all, err := s.ListGroupsForAdmin(ctx, org)
	if err != nil {
		return AdminGroup{}, err
	}
	for _, g := range all {
		if g.ID == id {
			return g, nil
		}
	}
	return AdminGroup{}, apperr.NotFoundf("SCIM group %s not found", id)
}

// MapGroupToRole makes the group's members hold the role, now and as they
// join. Recorded as "Updated role" (the role's SCIM groups change), then one
// "Assigned role" per member who gains the role. grantor is what the caller
// holds: the role's permissions must be among them (rbac.CheckGrant), since
// the identity provider hands the role out from then on.
func (s *Service) MapGroupToRole(ctx context.Context, org, groupID, roleID uuid.UUID, grantor rbac.PermissionSet) (AdminGroup, error) {
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		g, err := s.lockGroup(ctx, org, groupID)
		if e, ok := err.(*Error); ok && e.Status == 404 {
			return apperr.NotFoundf("SCIM group %s not found", groupID)
		}
		if err != nil {
			return err
		}
		role, err := s.roles.GetRole(ctx, org, roleID)
		if err != nil {
			return err
		}
		if err := rbac.CheckGrant(grantor, rbac.NewPermissionSet(role.Permissions...)); err != nil {
			return err
		}
		before, err := s.groupNamesOfRole(ctx, org, roleID)
		if err != nil {
			return err
		}
		for _, id := range before.ids {
			if id == groupID {
				return apperr.Conflictf("the group %q is already mapped to the role %q", g.DisplayName, role.Name)
			}
		}
		after := append(append([]string{}, before.names...), g.DisplayName)
		sort.Strings(after)
		changes := audit.Changes{"scimGroups": audit.FieldChange{From: before.names, To: after}}
		change := audit.Change{Action: audit.UpdatedRole,
			Resource: audit.Resource{Type: "role", ID: role.ID.String(), Name: role.Name},
			Details:  audit.Details{"changes": changes, "scimGroupId": g.ID.String(), "scimGroupName": g.DisplayName}}
		row := groupRole{OrganizationID: org, GroupID: groupID, RoleID: roleID, CreatedAt: s.clock()}
		if err := audit.Audited(s.db.Conn(ctx), change).Create(&row).Error; err != nil {
			if database.IsUniqueViolation(err) {
				return apperr.Conflictf("the group %q is already mapped to the role %q", g.DisplayName, role.Name)
			}
			return err
		}
		return s.grantRoles(ctx, org, []uuid.UUID{roleID}, userIDs(g.Members))
	})
	if err != nil {
		return AdminGroup{}, err
	}
	return s.adminGroup(ctx, org, groupID)
}

// UnmapGroupFromRole ends a mapping: the group's members lose the role
// unless another mapped group gives it or an admin gave it by hand.
func (s *Service) UnmapGroupFromRole(ctx context.Context, org, groupID, roleID uuid.UUID) (AdminGroup, error) {
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		g, err := s.lockGroup(ctx, org, groupID)
		if e, ok := err.(*Error); ok && e.Status == 404 {
			return apperr.NotFoundf("SCIM group %s not found", groupID)
		}
		if err != nil {
			return err
		}
		role, err := s.roles.GetRole(ctx, org, roleID)
		if err != nil {
			return err
		}
		before, err := s.groupNamesOfRole(ctx, org, roleID)
		if err != nil {
			return err
		}
		var after []string
		for i, id := range before.ids {
			if id != groupID {
				after = append(after, before.names[i])
			}
		}
		if after == nil {
			after = []string{}
		}
		changes := audit.Changes{"scimGroups": audit.FieldChange{From: before.names, To: after}}
		change := audit.Change{Action: audit.UpdatedRole,
			Resource: audit.Resource{Type: "role", ID: role.ID.String(), Name: role.Name},
			Details:  audit.Details{"changes": changes, "scimGroupId": g.ID.String(), "scimGroupName": g.DisplayName}}
		res := audit.Audited(s.db.Conn(ctx), change).Where("organization_id = ? AND group_id = ? AND role_id = ?", org, groupID, roleID).
			Delete(&groupRole{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.NotFoundf("the group %q is not mapped to the role %q", g.DisplayName, role.Name)
		}
		for _, m := range g.Members {
			if err := s.revokeUngranted(ctx, org, m.UserID, []uuid.UUID{roleID}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return AdminGroup{}, err
	}
	return s.adminGroup(ctx, org, groupID)
}

type groupNames struct {
	ids   []uuid.UUID
	names []string
}

// groupNamesOfRole lists the groups mapped to a role, by name.
func (s *Service) groupNamesOfRole(ctx context.Context, org, roleID uuid.UUID) (groupNames, error) {
	var rows []struct {
		ID          uuid.UUID
		DisplayName string
	}
	err := s.db.Conn(ctx).Raw(`SELECT g.id, g.display_name FROM scim_group_roles gr JOIN scim_groups g ON g.id = gr.group_id
		WHERE gr.organization_id = ? AND gr.role_id = ? ORDER BY g.display_name, g.id`, org, roleID).Scan(&rows).Error
	out := groupNames{ids: []uuid.UUID{}, names: []string{}}
	for _, r := range rows {
		out.ids = append(out.ids, r.ID)
		out.names = append(out.names, r.DisplayName)
	}
	return out, err
}

// mappedRoles returns the roles mapped to any of the groups.
func (s *Service) mappedRoles(ctx context.Context, org uuid.UUID, groups []uuid.UUID) ([]uuid.UUID, error) {
	if len(groups) == 0 {
		return nil, nil
	}
	var roles []uuid.UUID
	err := s.db.Conn(ctx).Raw(`SELECT DISTINCT role_id FROM scim_group_roles WHERE organization_id = ? AND group_id IN ?
		ORDER BY role_id`, org, groups).Scan(&roles).Error
	return roles, err
}

// grantRoles gives each user each role they do not hold yet, recording
// "Assigned role", and remembers that a mapping made the assignment.
func (s *Service) grantRoles(ctx context.Context, org uuid.UUID, roles, users []uuid.UUID) error {
	tx := s.db.Conn(ctx)
	for _, role := range roles {
		for _, user := range users {
			var held int64
			err := tx.Model(&rbac.Assignment{}).Where("organization_id = ? AND role_id = ? AND user_id = ?", org, role, user).Count(&held).Error
			if err != nil {
				return err
			}
			if held > 0 {
				continue
			}
			// The mapping's author was checked to hold the role when they
			// made it (MapGroupToRole); the identity provider applies it.
			if _, err := s.roles.AssignRole(ctx, org, role, rbac.Holder{UserID: user}, rbac.AllPermissions()); err != nil {
				return err
			}
			err = tx.Exec(`INSERT INTO scim_role_assignments (assignment_id, organization_id)
				SELECT id, organization_id FROM role_assignments WHERE organization_id = ? AND role_id = ? AND user_id = ?`,
				org, role, user).Error
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// revokeUngranted takes back from user each of roles that a mapping gave and
// that no group of theirs still grants, recording "Unassigned role". The
// organization's last active administrator keeps the Admin role.
func (s *Service) revokeUngranted(ctx context.Context, org, user uuid.UUID, roles []uuid.UUID) error {
	tx := s.db.Conn(ctx)
	for _, role := range roles {
		var owned int64
		err := tx.Raw(`SELECT count(*) FROM role_assignments a JOIN scim_role_assignments sra ON sra.organization_id = a.organization_id AND sra.assignment_id = a.id
			WHERE a.organization_id = ? AND a.role_id = ? AND a.user_id = ?`, org, role, user).Scan(&owned).Error
		if err != nil {
			return err
		}
		if owned == 0 {
			continue
		}
		var granted int64
		err = tx.Raw(`SELECT count(*) FROM scim_group_members gm
			JOIN scim_users su ON su.id = gm.member_id
			JOIN scim_group_roles gr ON gr.group_id = gm.group_id
			WHERE su.organization_id = ? AND su.user_id = ? AND gr.role_id = ?`, org, user, role).Scan(&granted).Error
		if err != nil {
			return err
		}
		if granted > 0 {
			continue
		}
		_, err = s.roles.UnassignRole(ctx, org, role, rbac.Holder{UserID: user})
		if code := apperr.CodeOf(err); code == apperr.Conflict || code == apperr.NotFound {
			continue // the last administrator keeps Admin; or it went meanwhile
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// MemberProvisioning is what SCIM did for one member: whether the identity
// provider provisioned them, and which of their roles a group mapping gave
// (by role id, with the member's groups mapped to it).
type MemberProvisioning struct {
	Provisioned bool
	RoleGroups  map[uuid.UUID][]string
}

// ProvisioningOf tells, for each of the users, what SCIM did for them in
// org, in two queries whatever their number; users SCIM did nothing for are
// left out.
func (s *Service) ProvisioningOf(ctx context.Context, org uuid.UUID, users []uuid.UUID) (map[uuid.UUID]MemberProvisioning, error) {
	out := map[uuid.UUID]MemberProvisioning{}
	if len(users) == 0 {
		return out, nil
	}
	var provisioned []uuid.UUID
	err := s.db.Conn(ctx).Raw(`SELECT user_id FROM scim_users WHERE organization_id = ? AND user_id IN ?`, org, users).
		Scan(&provisioned).Error
	if err != nil {
		return nil, err
	}
	for _, u := range provisioned {
		out[u] = MemberProvisioning{Provisioned: true, RoleGroups: map[uuid.UUID][]string{}}
	}
	var grants []struct {
		UserID uuid.UUID
		RoleID uuid.UUID
		Groups pq.StringArray `gorm:"type:text[]"`
	}
	err = s.db.Conn(ctx).Raw(`SELECT a.user_id, a.role_id,
			coalesce(array_agg(g.display_name ORDER BY lower(g.display_name)) FILTER (WHERE g.id IS NOT NULL), '{}') AS groups
		FROM role_assignments a
		JOIN scim_role_assignments sra ON sra.organization_id = a.organization_id AND sra.assignment_id = a.id
		LEFT JOIN scim_users su ON su.organization_id = a.organization_id AND su.user_id = a.user_id
		LEFT JOIN scim_group_members gm ON gm.member_id = su.id
		LEFT JOIN scim_group_roles gr ON gr.group_id = gm.group_id AND gr.role_id = a.role_id
		LEFT JOIN scim_groups g ON g.id = gr.group_id
		WHERE a.organization_id = ? AND a.user_id IN ?
		GROUP BY a.user_id, a.role_id`, org, users).Scan(&grants).Error
	if err != nil {
		return nil, err
	}
	for _, g := range grants {
		p, ok := out[g.UserID]
		if !ok {
			p = MemberProvisioning{RoleGroups: map[uuid.UUID][]string{}}
		}
		p.RoleGroups[g.RoleID] = append([]string{}, g.Groups...)
		out[g.UserID] = p
	}
	return out, nil
}
