package rbac

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm/clause"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
)

// Holder is who holds a role: a member (UserID) or a service account.
// Exactly one of the two is set.
type Holder struct {
	UserID           uuid.UUID
	ServiceAccountID uuid.UUID
}

// Valid reports whether exactly one of the ids is set.
func (h Holder) Valid() bool { return (h.UserID == uuid.Nil) != (h.ServiceAccountID == uuid.Nil) }

// Assignment is one role held by one member or service account.
type Assignment struct {
	ID               uuid.UUID
	OrganizationID   uuid.UUID
	RoleID           uuid.UUID
	UserID           *uuid.UUID
	ServiceAccountID *uuid.UUID
	CreatedAt        time.Time
}

// TableName implements gorm's Tabler.
func (Assignment) TableName() string { return "role_assignments" }

// userArg and serviceAccountArg are the holder's ids as query arguments:
// NULL when unset.
func (h Holder) userArg() *uuid.UUID {
	if h.UserID == uuid.Nil {
		return nil
	}
	return &h.UserID
}

func (h Holder) serviceAccountArg() *uuid.UUID {
	if h.ServiceAccountID == uuid.Nil {
		return nil
	}
	return &h.ServiceAccountID
}

func (h Holder) where() (string, uuid.UUID) {
	if h.UserID != uuid.Nil {
		return "user_id = ?", h.UserID
	}
	return "service_account_id = ?", h.ServiceAccountID
}

// holderDetails names the holder in an event, as it is at the time.
func (s *Service) holderDetails(ctx context.Context, org uuid.UUID, h Holder) (audit.Details, error) {
	if h.UserID != uuid.Nil {
		var email string
		err := s.db.Conn(ctx).Raw(`SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.organization_id = ? AND m.user_id = ?`, org, h.UserID).Scan(&email).Error
		if err != nil {
			return nil, err
		}
		if email == "" {
			return nil, apperr.NotFoundf("member %s not found", h.UserID)
		}
		return audit.Details{"assigneeType": "user", "assigneeId": h.UserID.String(), "assigneeEmail": email}, nil
	}
	var name string
	err := s.db.Conn(ctx).Raw(`SELECT name FROM service_accounts WHERE organization_id = ? AND id = ?`,
		org, h.ServiceAccountID).Scan(&name).Error
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, apperr.NotFoundf("service account %s not found", h.ServiceAccountID)
	}
	return audit.Details{"assigneeType": "service_account", "assigneeId": h.ServiceAccountID.String(), "assigneeName": name}, nil
}

// AssignRole gives a role to a member or a service account. grantor is
// what the caller holds: the role's permissions must be among them
// (CheckGrant).
func (s *Service) AssignRole(ctx context.Context, org, roleID uuid.UUID, h Holder, grantor PermissionSet) (Role, error) {
	if !h.Valid() {
		return Role{}, apperr.Invalid("userId", "give exactly one of userId and serviceAccountId")
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		role, err := s.GetRole(ctx, org, roleID)
		if err != nil {
			return err
		}
		if err := CheckGrant(grantor, NewPermissionSet(role.Permissions...)); err != nil {
			return err
		}
		details, err := s.holderDetails(ctx, org, h)
		if err != nil {
			return err
		}
		a := Assignment{ID: uuid.Must(uuid.NewV7()), OrganizationID: org, RoleID: roleID}
		if h.UserID != uuid.Nil {
			a.UserID = &h.UserID
		} else {
			a.ServiceAccountID = &h.ServiceAccountID
		}
		change := audit.Change{Action: audit.AssignedRole, Resource: roleResource(role), Details: details}
		err = audit.Audited(s.db.Conn(ctx), change).Create(&a).Error
		if database.IsUniqueViolation(err) {
			return apperr.Conflictf("the role %q is already assigned there", role.Name)
		}
		return err
	})
	if err != nil {
		return Role{}, err
	}
	return s.GetRole(ctx, org, roleID)
}

// UnassignRole takes a role back. The last active member holding the Admin
// role keeps it, so an organization always has an administrator.
func (s *Service) UnassignRole(ctx context.Context, org, roleID uuid.UUID, h Holder) (Role, error) {
	if !h.Valid() {
		return Role{}, apperr.Invalid("userId", "give exactly one of userId and serviceAccountId")
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		role, err := s.GetRole(ctx, org, roleID)
		if err != nil {
			return err
		}
		details, err := s.holderDetails(ctx, org, h)
		if err != nil {
			return err
		}
		if role.IsAdmin() && h.UserID != uuid.Nil {
			if err := s.EnsureNotLastAdmin(ctx, org, h.UserID); err != nil {
				return err
			}
		}
		col, id := h.where()
		change := audit.Change{Action: audit.UnassignedRole, Resource: roleResource(role), Details: details}
		res := audit.Audited(s.db.Conn(ctx), change).
			Where("organization_id = ? AND role_id = ? AND "+col, org, roleID, id).Delete(&Assignment{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.NotFoundf("the role %q is not assigned there", role.Name)
		}
		return nil
	})
	if err != nil {
		return Role{}, err
	}
	return s.GetRole(ctx, org, roleID)
}

// EnsureNotLastAdmin refuses a change that would leave the organization
// without an active member holding the Admin role, when leaving holds it.
// It locks the Admin assignments so two concurrent changes cannot both pass.
func (s *Service) EnsureNotLastAdmin(ctx context.Context, org, leaving uuid.UUID) error {
	var rows []struct{ UserID uuid.UUID }
	err := s.db.Conn(ctx).Raw(`SELECT a.user_id FROM role_assignments a
		JOIN roles r ON r.id = a.role_id AND `+AdminSQL("r")+`
		JOIN memberships m ON m.organization_id = a.organization_id AND m.user_id = a.user_id
		WHERE a.organization_id = ? AND m.status = 'ACTIVE'
		FOR UPDATE OF a`, org).Scan(&rows).Error
	if err != nil {
		return err
	}
	holds, others := false, 0
	for _, r := range rows {
		if r.UserID == leaving {
			holds = true
		} else {
			others++
		}
	}
	if holds && others == 0 {
		return apperr.Conflictf("the organization's last administrator cannot lose the Admin role")
	}
	return nil
}

// PermissionsOf returns the union of the permissions of the holder's roles;
// a user holds them only as an active member (Grants). Credentials read the
// same in the statement that finds them, through the joins below.
func (s *Service) PermissionsOf(ctx context.Context, org uuid.UUID, h Holder) (PermissionSet, error) {
	var g Grants
	err := s.db.Conn(ctx).Raw(`SELECT grants.* FROM (SELECT ?::uuid AS org, ?::uuid AS user_id, ?::uuid AS sa_id) h `+
		HolderPermissionsJoin("h.org", "h.user_id", "h.sa_id"), org, h.userArg(), h.serviceAccountArg()).
		Scan(&g).Error
	if err != nil {
		return nil, err
	}
	if set, ok := g.Permissions(); ok {
		return set, nil
	}
	return PermissionSet{}, nil
}

// HolderPermissionsJoin is a LEFT JOIN LATERAL clause, aliased grants,
// adding what a holder has in the organization in column orgCol: the member
// in column userCol (through an active membership of a live user) or the
// live service account in column saCol; either column may be the literal
// NULL, and a row names at most one holder. It adds grants_active (the
// holder exists and may act), grants_admin (the Admin role) and
// grants_permissions (the union of their roles' permissions); Grants reads
// them. It lets the statement that authenticates a credential read its
// holder's permissions too, instead of a second round trip, and it is the one
// place where roles turn into permissions.
func HolderPermissionsJoin(orgCol, userCol, saCol string) string {
	return `LEFT JOIN LATERAL (
		SELECT true AS grants_active, ` + grantColumns + `
		FROM (
			SELECT a.role_id FROM memberships m
			JOIN users u ON u.id = m.user_id AND u.deactivated_at IS NULL
			LEFT JOIN role_assignments a ON a.organization_id = m.organization_id AND a.user_id = m.user_id
			WHERE m.organization_id = ` + orgCol + ` AND m.user_id = ` + userCol + ` AND m.status = 'ACTIVE'
			UNION ALL
			SELECT a.role_id FROM service_accounts sa
			LEFT JOIN role_assignments a ON a.organization_id = sa.organization_id AND a.service_account_id = sa.id
			WHERE sa.organization_id = ` + orgCol + ` AND sa.id = ` + saCol + `
		) held
		LEFT JOIN roles r ON r.id = held.role_id
		LEFT JOIN role_permissions p ON p.role_id = r.id
		HAVING count(*) > 0) grants ON true`
}

// MemberPermissionsJoin is HolderPermissionsJoin for the user in column
// userCol.
func MemberPermissionsJoin(orgCol, userCol string) string {
	return HolderPermissionsJoin(orgCol, userCol, "NULL")
}

// ServiceAccountPermissionsJoin is HolderPermissionsJoin for the service
// account in column saCol.
func ServiceAccountPermissionsJoin(orgCol, saCol string) string {
	return HolderPermissionsJoin(orgCol, "NULL", saCol)
}

// grantColumns: a holder of Admin holds every permission (those added to
// the catalog later too); other roles, built-in or not, hold their rows.
var grantColumns = `coalesce(bool_or(` + AdminSQL("r") + `), false) AS grants_admin,
			array_remove(array_agg(DISTINCT p.permission), NULL) AS grants_permissions`

// Grants is what the permission joins above select.
type Grants struct {
	GrantsActive      *bool
	GrantsAdmin       *bool
	GrantsPermissions pq.StringArray `gorm:"type:text[]"`
}

// Permissions returns the holder's permissions, and false when the holder is
// not active (and holds nothing).
func (g Grants) Permissions() (PermissionSet, bool) {
	if g.GrantsActive == nil || !*g.GrantsActive {
		return nil, false
	}
	if g.GrantsAdmin != nil && *g.GrantsAdmin {
		return AllPermissions(), true
	}
	set := PermissionSet{}
	for _, p := range g.GrantsPermissions {
		set[Permission(p)] = struct{}{}
	}
	return set, true
}

// RolesOfHolders returns, for each given holder, the roles it holds, in one query.
func (s *Service) RolesOfHolders(ctx context.Context, org uuid.UUID, holders []Holder) (map[Holder][]Role, error) {
	var users, accounts []uuid.UUID
	for _, h := range holders {
		if h.UserID != uuid.Nil {
			users = append(users, h.UserID)
		} else {
			accounts = append(accounts, h.ServiceAccountID)
		}
	}
	var rows []struct {
		Role
		HolderUserID           *uuid.UUID
		HolderServiceAccountID *uuid.UUID
	}
	err := s.db.Conn(ctx).Raw(`SELECT r.*, a.user_id AS holder_user_id, a.service_account_id AS holder_service_account_id
		FROM role_assignments a JOIN roles r ON r.id = a.role_id
		WHERE a.organization_id = ? AND (a.user_id = ANY(?) OR a.service_account_id = ANY(?))
		ORDER BY r.built_in DESC, lower(r.name)`, org, uuidArray(users), uuidArray(accounts)).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := map[Holder][]Role{}
	for _, row := range rows {
		var h Holder
		if row.HolderUserID != nil {
			h.UserID = *row.HolderUserID
		} else {
			h.ServiceAccountID = *row.HolderServiceAccountID
		}
		out[h] = append(out[h], row.Role)
	}
	return out, nil
}

// uuidArray formats ids as a PostgreSQL array literal, so an empty list binds as '{}'.
func uuidArray(ids []uuid.UUID) string {
	b := []byte{'{'}
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, id.String()...)
	}
	return string(append(b, '}'))
}

// EnsureAssigned gives the holder the role unless it already holds it. It is
// for setting up an organization (bootstrap), not an audited action.
func (s *Service) EnsureAssigned(ctx context.Context, org, roleID uuid.UUID, h Holder) error {
	a := Assignment{ID: uuid.Must(uuid.NewV7()), OrganizationID: org, RoleID: roleID}
	if h.UserID != uuid.Nil {
		a.UserID = &h.UserID
	} else {
		a.ServiceAccountID = &h.ServiceAccountID
	}
	return s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&a).Error
}

// RoleHolderView is a member or service account holding a role, named as
// the Settings pages name it.
type RoleHolderView struct {
	ID uuid.UUID
	// ServiceAccount tells a service account from a member.
	ServiceAccount bool
	// Name is the member's email or the service account's name.
	Name string
}

// HoldersOf returns who holds the role in org: members by email, then
// service accounts by name. A role of another organization is NOT_FOUND.
func (s *Service) HoldersOf(ctx context.Context, org, roleID uuid.UUID) ([]RoleHolderView, error) {
	if _, err := s.GetRole(ctx, org, roleID); err != nil {
		return nil, err
	}
	out := []RoleHolderView{}
	err := s.db.Conn(ctx).Raw(`SELECT h.id, h.service_account, h.name FROM (
			SELECT u.id, false AS service_account, u.email AS name FROM role_assignments a
			JOIN users u ON u.id = a.user_id
			WHERE a.organization_id = ? AND a.role_id = ?
			UNION ALL
			SELECT sa.id, true, sa.name FROM role_assignments a
			JOIN service_accounts sa ON sa.id = a.service_account_id AND sa.organization_id = a.organization_id
			WHERE a.organization_id = ? AND a.role_id = ?) h
		ORDER BY h.service_account, lower(h.name), h.id`, org, roleID, org, roleID).Scan(&out).Error
	return out, err
}
