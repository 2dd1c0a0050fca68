// Package rbac holds the permission catalog, roles, the permissions they
// grant and their assignment to members and service accounts.
package rbac

import (
	"slices"
	"sort"
)

// Permission is a "resource:action" capability from the fixed catalog.
type Permission string

// The permission catalog. The built-in Admin role holds every permission.
const (
	AuditLogRead           Permission = "audit_log:read"
	OrganizationWrite      Permission = "organization:write"
	MembersRead            Permission = "members:read"
	MembersWrite           Permission = "members:write"
	RolesRead              Permission = "roles:read"
	RolesWrite             Permission = "roles:write"
	ServiceAccountsRead    Permission = "service_accounts:read"
	ServiceAccountsWrite   Permission = "service_accounts:write"
	APIAccessKeysRead      Permission = "api_access_keys:read"
	APIAccessKeysWrite     Permission = "api_access_keys:write"
	SecretsRead            Permission = "secrets:read"
	SecretsWrite           Permission = "secrets:write"
	ConnectorsRead         Permission = "connectors:read"
	ConnectorsWrite        Permission = "connectors:write"
	IdentityProvidersRead  Permission = "identity_providers:read"
	IdentityProvidersWrite Permission = "identity_providers:write"
	SCIMRead               Permission = "scim:read"
	SCIMWrite              Permission = "scim:write"
)

// PermissionInfo describes a permission for people choosing one.
type PermissionInfo struct {
	Permission  Permission
	Description string
}

var permissionCatalog = []PermissionInfo{
	{AuditLogRead, "Read the organization's audit log"},
	{OrganizationWrite, "Change organization settings, create sibling organizations, delete the organization"},
	{MembersRead, "List members and invitations"},
	{MembersWrite, "Invite and remove members"},
	{RolesRead, "List roles, their permissions and assignments"},
	{RolesWrite, "Create, change and delete roles; assign and unassign them"},
	{ServiceAccountsRead, "List service accounts and their API keys"},
	{ServiceAccountsWrite, "Create and delete service accounts; create, rotate and revoke their API keys"},
	{APIAccessKeysRead, "List API access keys"},
	{APIAccessKeysWrite, "Create, change and delete API access keys"},
	{SecretsRead, "List secrets (never their values)"},
	{SecretsWrite, "Create, change and delete secrets"},
	{ConnectorsRead, "List connectors"},
	{ConnectorsWrite, "Create, change, test and delete connectors"},
	{IdentityProvidersRead, "List OIDC identity providers"},
	{IdentityProvidersWrite, "Configure OIDC identity providers and link them to organizations"},
	{SCIMRead, "List SCIM tokens and OAuth clients"},
	{SCIMWrite, "Create and revoke SCIM tokens and OAuth clients"},
}

// Catalog returns every permission, in display order.
func Catalog() []PermissionInfo { return permissionCatalog }

// Valid reports whether p is in the catalog.
func (p Permission) Valid() bool {
	return slices.ContainsFunc(permissionCatalog, func(i PermissionInfo) bool { return i.Permission == p })
}

// PermissionSet is a set of permissions.
type PermissionSet map[Permission]struct{}

// AllPermissions returns a set holding the whole catalog (the Admin role's).
func AllPermissions() PermissionSet {
	s := PermissionSet{}
	for _, i := range permissionCatalog {
		s[i.Permission] = struct{}{}
	}
	return s
}

// NewPermissionSet builds a set from a list.
func NewPermissionSet(ps ...Permission) PermissionSet {
	s := PermissionSet{}
	for _, p := range ps {
		s[p] = struct{}{}
	}
	return s
}

// Has reports whether the set holds p.
func (s PermissionSet) Has(p Permission) bool { _, ok := s[p]; return ok }

// Covers reports whether the set holds every permission of other.
func (s PermissionSet) Covers(other PermissionSet) bool {
	for p := range other {
		if !s.Has(p) {
			return false
		}
	}
	return true
}

// Sorted returns the permissions in a stable order.
func (s PermissionSet) Sorted() []Permission {
	out := make([]Permission, 0, len(s))
	for p := range s {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
