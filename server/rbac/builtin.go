package rbac

import (
	"context"
	"strings"

	"github.com/google/uuid"
)

// BuiltInRole names a role every organization has, which nobody can change
// or delete (roles.built_in_role). Which built-in a role is is said
// explicitly: Admin, the role that holds every permission, is found by it
// and never by roles.built_in, which only says "read-only".
type BuiltInRole string

// The built-in roles.
const (
	// AdminRole holds every permission, those added to the catalog later too.
	AdminRole BuiltInRole = "ADMIN"
	// ViewerRole holds every read permission (*:read): a sensible default
	// for an invitation.
	ViewerRole BuiltInRole = "VIEWER"
	// AuditorRole holds audit_log:read.
	AuditorRole BuiltInRole = "AUDITOR"
)

// builtInRoles are the built-in roles in the order they are listed, with
// their names and descriptions.
var builtInRoles = []struct {
	Kind        BuiltInRole
	Name        string
	Description string
}{
	{AdminRole, AdminRoleName, "Holds every permission"},
	{ViewerRole, "Viewer", "Reads everything, changes nothing"},
	{AuditorRole, "Auditor", "Reads the audit log"},
}

// AdminSQL is the SQL condition "the role aliased r is the Admin role".
func AdminSQL(r string) string { return r + `.built_in_role = '` + string(AdminRole) + `'` }

// IsAdmin reports whether the role is the built-in Admin role, which holds
// every permission.
func (r Role) IsAdmin() bool { return r.BuiltInRole != nil && *r.BuiltInRole == AdminRole }

// Permissions returns what the built-in role holds; Admin's is the whole
// catalog, the others' are stored like a custom role's (so CheckGrant and
// the permission joins read them the same way).
func (b BuiltInRole) Permissions() PermissionSet {
	switch b {
	case AdminRole:
		return AllPermissions()
	case ViewerRole:
		set := PermissionSet{}
		for _, i := range permissionCatalog {
			if strings.HasSuffix(string(i.Permission), ":read") {
				set[i.Permission] = struct{}{}
			}
		}
		return set
	case AuditorRole:
		return NewPermissionSet(AuditLogRead)
	}
	return PermissionSet{}
}

// isBuiltInName reports whether name is a built-in role's (any case): an
// organization's own roles may not take it.
func isBuiltInName(name string) bool {
	for _, b := range builtInRoles {
		if strings.EqualFold(name, b.Name) {
			return true
		}
	}
	return false
}

// CreateBuiltInRoles creates the organization's built-in roles (Admin,
// Viewer, Auditor) with their permissions and returns Admin. It is part of
// creating an organization and is not itself an audited action.
func (s *Service) CreateBuiltInRoles(ctx context.Context, org uuid.UUID) (Role, error) {
	var admin Role
	tx := s.db.Conn(ctx)
	for _, b := range builtInRoles {
		kind := b.Kind
		role := Role{ID: uuid.Must(uuid.NewV7()), OrganizationID: org, Name: b.Name, Description: b.Description,
			BuiltIn: true, BuiltInRole: &kind}
		if err := tx.Create(&role).Error; err != nil {
			return Role{}, err
		}
		role.Permissions = kind.Permissions().Sorted()
		if kind == AdminRole {
			admin = role
			continue // Admin's permissions are the catalog, not rows
		}
		if err := insertPermissions(tx, role, role.Permissions); err != nil {
			return Role{}, err
		}
	}
	return admin, nil
}
