package rbac

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/displaytext"
)

// AdminRoleName is the built-in role that holds every permission.
const AdminRoleName = "Admin"

// Role is a named set of permissions in one organization.
type Role struct {
	ID             uuid.UUID
	OrganizationID uuid.UUID
	Name           string
	Description    string
	// BuiltIn says the role is read-only; BuiltInRole says which built-in
	// role it is (nil for the organization's own roles).
	BuiltIn     bool
	BuiltInRole *BuiltInRole
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Permissions is loaded by the service, not stored in the roles row.
	Permissions []Permission `gorm:"-"`
}

// AuditTarget implements audit.Target.
func (r *Role) AuditTarget() (uuid.UUID, audit.Resource) {
	return r.OrganizationID, audit.Resource{Type: "role", ID: r.ID.String(), Name: r.Name}
}

type rolePermission struct {
	OrganizationID uuid.UUID
	RoleID         uuid.UUID
	Permission     Permission
	CreatedAt      time.Time
}

func (rolePermission) TableName() string { return "role_permissions" }

// Service manages roles, their permissions and their assignments.
type Service struct {
	db *database.DB
}

// NewService returns a role service on db.
func NewService(db *database.DB) *Service { return &Service{db: db} }

// CreateRoleCommand is the input of CreateRole. Grantor is what the caller
// holds: a role may not hold more (CheckGrant).
type CreateRoleCommand struct {
	Name        string
	Description string
	Permissions []Permission
	Grantor     PermissionSet
}

// UpdateRoleCommand is the input of UpdateRole; nil fields are left alone.
type UpdateRoleCommand struct {
	ID          uuid.UUID
	Name        *string
	Description *string
}

// ListRoles returns the organization's roles with their permissions, the
// built-in ones first.
func (s *Service) ListRoles(ctx context.Context, org uuid.UUID) ([]Role, error) {
	var roles []Role
	err := s.db.Conn(ctx).Where("organization_id = ?", org).
		Order("built_in DESC, lower(name)").Find(&roles).Error
	if err != nil {
		return nil, err
	}
	return roles, s.loadPermissions(ctx, org, roles)
}

// GetRole returns one role of the organization.
func (s *Service) GetRole(ctx context.Context, org, id uuid.UUID) (Role, error) {
	var role Role
	err := s.db.Conn(ctx).Where("organization_id = ? AND id = ?", org, id).Take(&role).Error
	if database.IsNotFound(err) {
		return Role{}, apperr.NotFoundf("role %s not found", id)
	}
	if err != nil {
		return Role{}, err
	}
	roles := []Role{role}
	if err := s.loadPermissions(ctx, org, roles); err != nil {
		return Role{}, err
	}
	return roles[0], nil
}

// GetRoles returns the roles with the given ids (missing ids are skipped).
func (s *Service) GetRoles(ctx context.Context, org uuid.UUID, ids []uuid.UUID) ([]Role, error) {
	var roles []Role
	if err := s.db.Conn(ctx).Where("organization_id = ? AND id IN ?", org, ids).Find(&roles).Error; err != nil {
		return nil, err
	}
	return roles, s.loadPermissions(ctx, org, roles)
}

func (s *Service) loadPermissions(ctx context.Context, org uuid.UUID, roles []Role) error {
	if len(roles) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(roles))
	for i, r := range roles {
		ids[i] = r.ID
	}
	var rows []rolePermission
	err := s.db.Conn(ctx).Where("organization_id = ? AND role_id IN ?", org, ids).
		Order("permission").Find(&rows).Error
	if err != nil {
		return err
	}
	byRole := map[uuid.UUID][]Permission{}
	for _, row := range rows {
		byRole[row.RoleID] = append(byRole[row.RoleID], row.Permission)
	}
	for i := range roles {
		if roles[i].IsAdmin() {
			roles[i].Permissions = AllPermissions().Sorted()
		} else {
			roles[i].Permissions = byRole[roles[i].ID]
			if roles[i].Permissions == nil {
				roles[i].Permissions = []Permission{}
			}
		}
	}
	return nil
}

// CreateRole creates a custom role with its initial permissions.
func (s *Service) CreateRole(ctx context.Context, org uuid.UUID, cmd CreateRoleCommand) (Role, error) {
	name, err := validRoleName(cmd.Name)
	if err != nil {
		return Role{}, err
	}
	desc, err := displaytext.Description("description", cmd.Description)
	if err != nil {
		return Role{}, err
	}
	perms, err := validPermissions(cmd.Permissions)
	if err != nil {
		return Role{}, err
	}
	if err := CheckGrant(cmd.Grantor, NewPermissionSet(perms...)); err != nil {
		return Role{}, err
	}
	role := Role{ID: uuid.Must(uuid.NewV7()), OrganizationID: org, Name: name, Description: desc, Permissions: perms}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Conn(ctx)
		change := audit.Change{Action: audit.CreatedRole, Details: audit.Details{"description": desc, "permissions": perms}}
		if err := audit.Audited(tx, change).Create(&role).Error; err != nil {
			if database.IsUniqueViolation(err) {
				return apperr.ConflictOn("name", "a role named %q already exists", name)
			}
			return err
		}
		return insertPermissions(tx, role, perms)
	})
	return role, err
}

func insertPermissions(tx *gorm.DB, role Role, perms []Permission) error {
	if len(perms) == 0 {
		return nil
	}
	rows := make([]rolePermission, len(perms))
	for i, p := range perms {
		rows[i] = rolePermission{OrganizationID: role.OrganizationID, RoleID: role.ID, Permission: p}
	}
	return tx.Create(&rows).Error
}

// UpdateRole renames a custom role or changes its description. An update that
// changes nothing records nothing.
func (s *Service) UpdateRole(ctx context.Context, org uuid.UUID, cmd UpdateRoleCommand) (Role, error) {
	var role Role
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if role, err = s.lockCustomRole(ctx, org, cmd.ID); err != nil {
			return err
		}
		u := audit.NewUpdate()
		if cmd.Name != nil {
			name, err := validRoleName(*cmd.Name)
			if err != nil {
				return err
			}
			u.Set("name", "name", role.Name, name)
		}
		if cmd.Description != nil {
			desc, err := displaytext.Description("description", *cmd.Description)
			if err != nil {
				return err
			}
			u.Set("description", "description", role.Description, desc)
		}
		if u.Empty() {
			return nil
		}
		u.Columns["updated_at"] = time.Now().UTC()
		change := audit.Change{Action: audit.UpdatedRole, Details: audit.Details{"changes": u.Changes}}
		err = audit.Audited(s.db.Conn(ctx), change).Model(&role).
			Where("organization_id = ?", org).Updates(u.Columns).Error
		if database.IsUniqueViolation(err) {
			return apperr.ConflictOn("name", "a role named %q already exists", *cmd.Name)
		}
		return err
	})
	if err != nil {
		return Role{}, err
	}
	return s.GetRole(ctx, org, role.ID)
}

// DeleteRole deletes a custom role; its assignments go with it.
func (s *Service) DeleteRole(ctx context.Context, org, id uuid.UUID) (Role, error) {
	var role Role
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if role, err = s.lockCustomRole(ctx, org, id); err != nil {
			return err
		}
		roles := []Role{role}
		if err := s.loadPermissions(ctx, org, roles); err != nil {
			return err
		}
		role = roles[0]
		var holders int64
		tx := s.db.Conn(ctx)
		if err := tx.Model(&Assignment{}).Where("organization_id = ? AND role_id = ?", org, id).Count(&holders).Error; err != nil {
			return err
		}
		change := audit.Change{Action: audit.DeletedRole, Details: audit.Details{
			"permissions": role.Permissions, "assignmentsRemoved": holders,
		}}
		return audit.Audited(tx, change).Where("organization_id = ?", org).Delete(&role).Error
	})
	return role, err
}

// lockCustomRole loads the role for update, refusing the built-in ones.
func (s *Service) lockCustomRole(ctx context.Context, org, id uuid.UUID) (Role, error) {
	var role Role
	err := s.db.Conn(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("organization_id = ? AND id = ?", org, id).Take(&role).Error
	if database.IsNotFound(err) {
		return Role{}, apperr.NotFoundf("role %s not found", id)
	}
	if err != nil {
		return Role{}, err
	}
	if role.BuiltIn {
		return Role{}, apperr.Invalid("id", "the built-in %s role cannot be changed or deleted", role.Name)
	}
	return role, nil
}

// GrantPermission adds a permission to a custom role; grantor, what the
// caller holds, must include it (CheckGrant).
func (s *Service) GrantPermission(ctx context.Context, org, roleID uuid.UUID, perm Permission, grantor PermissionSet) (Role, error) {
	if !perm.Valid() {
		return Role{}, apperr.Invalid("permission", "unknown permission %q", perm)
	}
	if err := CheckGrant(grantor, NewPermissionSet(perm)); err != nil {
		return Role{}, err
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		role, err := s.lockCustomRole(ctx, org, roleID)
		if err != nil {
			return err
		}
		row := rolePermission{OrganizationID: org, RoleID: roleID, Permission: perm}
		change := audit.Change{Action: audit.GrantedPermission, Resource: roleResource(role), Details: audit.Details{"permission": perm}}
		err = audit.Audited(s.db.Conn(ctx), change).Create(&row).Error
		if database.IsUniqueViolation(err) {
			return apperr.Conflictf("role %q already has %s", role.Name, perm)
		}
		return err
	})
	if err != nil {
		return Role{}, err
	}
	return s.GetRole(ctx, org, roleID)
}

// RevokePermission removes a permission from a custom role.
func (s *Service) RevokePermission(ctx context.Context, org, roleID uuid.UUID, perm Permission) (Role, error) {
	if !perm.Valid() {
		return Role{}, apperr.Invalid("permission", "unknown permission %q", perm)
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		role, err := s.lockCustomRole(ctx, org, roleID)
		if err != nil {
			return err
		}
		change := audit.Change{Action: audit.RevokedPermission, Resource: roleResource(role), Details: audit.Details{"permission": perm}}
		res := audit.Audited(s.db.Conn(ctx), change).
			Where("organization_id = ? AND role_id = ? AND permission = ?", org, roleID, perm).
			Delete(&rolePermission{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.NotFoundf("role %q does not have %s", role.Name, perm)
		}
		return nil
	})
	if err != nil {
		return Role{}, err
	}
	return s.GetRole(ctx, org, roleID)
}

func roleResource(r Role) audit.Resource {
	return audit.Resource{Type: "role", ID: r.ID.String(), Name: r.Name}
}

// validRoleName is a display name (displaytext.Name) that is not a
// built-in role's.
func validRoleName(name string) (string, error) {
	name, err := displaytext.Name("name", name)
	if err != nil {
		return "", err
	}
	if isBuiltInName(name) {
		return "", apperr.ConflictOn("name", "the name %q is reserved for a built-in role", name)
	}
	return name, nil
}

func validPermissions(ps []Permission) ([]Permission, error) {
	set := PermissionSet{}
	for _, p := range ps {
		if !p.Valid() {
			return nil, apperr.Invalid("permissions", "unknown permission %q", p)
		}
		set[p] = struct{}{}
	}
	return set.Sorted(), nil
}

// SetUpOrganization creates a new organization's built-in roles and gives
// Admin to its first admin, after addMember has made them a member.
func (s *Service) SetUpOrganization(ctx context.Context, org, admin uuid.UUID, addMember func(ctx context.Context, org, user uuid.UUID) error) error {
	if err := addMember(ctx, org, admin); err != nil {
		return err
	}
	role, err := s.CreateBuiltInRoles(ctx, org)
	if err != nil {
		return err
	}
	return s.EnsureAssigned(ctx, org, role.ID, Holder{UserID: admin})
}
