// Package audit is the organization's audit log: the catalog of what can be
// recorded, the recorder that writes an event in the same transaction as the
// change it describes, and the read path that lists and searches events.
package audit

import "strings"

// Category groups actions the way the Audit Log tab filters them.
type Category string

// Action is one kind of recorded event. Its value is the GraphQL enum name.
type Action string

// The categories of the product spec, in the order the spec lists them.
const (
	Authentication       Category = "AUTHENTICATION"
	MemberManagement     Category = "MEMBER_MANAGEMENT"
	RolesAndPermissions  Category = "ROLES_AND_PERMISSIONS"
	Connectors           Category = "CONNECTORS"
	OrganizationSettings Category = "ORGANIZATION_SETTINGS"
	APIAccessKeys        Category = "API_ACCESS_KEYS"
	Secrets              Category = "SECRETS"
	SCIMProvisioning     Category = "SCIM_PROVISIONING"
)

// Categories of features the spec does not cover, after the spec's 8
// (DESIGN.md: the spec's categories and actions stay exactly as worded).
const (
	// ServiceAccounts holds what the spec's Roles & Permissions category
	// lacks for service accounts: changing one after it was created.
	ServiceAccounts Category = "SERVICE_ACCOUNTS"
	// AuditLog holds what is done with the audit log itself: sending it to
	// a SIEM through a log stream, and exporting it.
	AuditLog Category = "AUDIT_LOG"
)

// The actions of the product spec. Each name is the spec's label in upper
// snake case, which is also the GraphQL enum value and the stored value.
const (
	LoggedIn                   Action = "LOGGED_IN"
	LoggedOut                  Action = "LOGGED_OUT"
	LoginFailed                Action = "LOGIN_FAILED"
	GeneratedMagicLink         Action = "GENERATED_MAGIC_LINK"
	CreatedOIDCProvider        Action = "CREATED_OIDC_PROVIDER"
	UpdatedOIDCProvider        Action = "UPDATED_OIDC_PROVIDER"
	DeletedOIDCProvider        Action = "DELETED_OIDC_PROVIDER"
	AddedOIDCProviderToOrg     Action = "ADDED_OIDC_PROVIDER_TO_ORG"
	RemovedOIDCProviderFromOrg Action = "REMOVED_OIDC_PROVIDER_FROM_ORG"

	InvitedMember Action = "INVITED_MEMBER"
	MemberJoined  Action = "MEMBER_JOINED"
	RemovedMember Action = "REMOVED_MEMBER"

	CreatedRole           Action = "CREATED_ROLE"
	UpdatedRole           Action = "UPDATED_ROLE"
	DeletedRole           Action = "DELETED_ROLE"
	AssignedRole          Action = "ASSIGNED_ROLE"
	UnassignedRole        Action = "UNASSIGNED_ROLE"
	GrantedPermission     Action = "GRANTED_PERMISSION"
	RevokedPermission     Action = "REVOKED_PERMISSION"
	CreatedServiceAccount Action = "CREATED_SERVICE_ACCOUNT"
	DeletedServiceAccount Action = "DELETED_SERVICE_ACCOUNT"
	CreatedAPIKey         Action = "CREATED_API_KEY"
	RevokedAPIKey         Action = "REVOKED_API_KEY"
	RotatedAPIKey         Action = "ROTATED_API_KEY"

	CreatedConnector Action = "CREATED_CONNECTOR"
	UpdatedConnector Action = "UPDATED_CONNECTOR"
	DeletedConnector Action = "DELETED_CONNECTOR"

	UpdatedOrgSettings         Action = "UPDATED_ORG_SETTINGS"
	DeletedOrganization        Action = "DELETED_ORGANIZATION"
	SwitchedOrganization       Action = "SWITCHED_ORGANIZATION"
	CreatedSiblingOrganization Action = "CREATED_SIBLING_ORGANIZATION"

	CreatedAPIAccessKey Action = "CREATED_API_ACCESS_KEY"
	UpdatedAPIAccessKey Action = "UPDATED_API_ACCESS_KEY"
	DeletedAPIAccessKey Action = "DELETED_API_ACCESS_KEY"

	CreatedSecret Action = "CREATED_SECRET"
	UpdatedSecret Action = "UPDATED_SECRET"
	DeletedSecret Action = "DELETED_SECRET"

	CreatedSCIMToken       Action = "CREATED_SCIM_TOKEN"
	RevokedSCIMToken       Action = "REVOKED_SCIM_TOKEN"
	CreatedSCIMOAuthClient Action = "CREATED_SCIM_OAUTH_CLIENT"
	RevokedSCIMOAuthClient Action = "REVOKED_SCIM_OAUTH_CLIENT"
	ProvisionedUser        Action = "PROVISIONED_USER"
	UpdatedUser            Action = "UPDATED_USER"
	DeprovisionedUser      Action = "DEPROVISIONED_USER"
	CreatedGroup           Action = "CREATED_GROUP"
	UpdatedGroup           Action = "UPDATED_GROUP"
	DeletedGroup           Action = "DELETED_GROUP"
)

// Actions beyond the spec's 47, in the categories after its 8.
const (
	UpdatedServiceAccount Action = "UPDATED_SERVICE_ACCOUNT"

	CreatedLogStream Action = "CREATED_LOG_STREAM"
	UpdatedLogStream Action = "UPDATED_LOG_STREAM"
	PausedLogStream  Action = "PAUSED_LOG_STREAM"
	ResumedLogStream Action = "RESUMED_LOG_STREAM"
	DeletedLogStream Action = "DELETED_LOG_STREAM"
	ExportedAuditLog Action = "EXPORTED_AUDIT_LOG"
)

// CategoryInfo is a category as the product presents it.
type CategoryInfo struct {
	Category    Category
	Label       string
	ShortLabel  string
	Description string
	Actions     []ActionInfo
}

// ActionInfo is an action as the product presents it.
type ActionInfo struct {
	Action      Action
	Category    Category
	Label       string
	Description string
}

// catalog is the product spec's vocabulary (spec/audit-log.md), verbatim,
// followed by the categories of features the spec does not cover.
var catalog = []CategoryInfo{
	{Authentication, "Authentication", "Auth", "Actions related to user login, logout, and identity provider configuration.", []ActionInfo{
		{Action: LoggedIn, Label: "Logged in", Description: "User successfully authenticated"},
		{Action: LoggedOut, Label: "Logged out", Description: "User ended their session"},
		{Action: LoginFailed, Label: "Login failed", Description: "Authentication attempt was rejected"},
		{Action: GeneratedMagicLink, Label: "Generated magic link", Description: "A magic link login email was sent"},
		{Action: CreatedOIDCProvider, Label: "Created OIDC provider", Description: "A new OIDC identity provider was configured"},
		{Action: UpdatedOIDCProvider, Label: "Updated OIDC provider", Description: "An existing OIDC provider's settings were changed"},
		{Action: DeletedOIDCProvider, Label: "Deleted OIDC provider", Description: "An OIDC provider was removed"},
		{Action: AddedOIDCProviderToOrg, Label: "Added OIDC provider to org", Description: "An OIDC provider was linked to the organization"},
		{Action: RemovedOIDCProviderFromOrg, Label: "Removed OIDC provider from org", Description: "An OIDC provider was unlinked from the organization"},
	}},
	{MemberManagement, "Member Management", "Members", "Actions related to adding or removing organization members.", []ActionInfo{
		{Action: InvitedMember, Label: "Invited member", Description: "An invitation was sent to a new user"},
		{Action: MemberJoined, Label: "Member joined", Description: "A user accepted an invitation and joined the organization"},
		{Action: RemovedMember, Label: "Removed member", Description: "A member was removed from the organization"},
	}},
	{RolesAndPermissions, "Roles & Permissions", "RBAC", "Actions related to roles, role assignments, permissions, service accounts, and API keys.", []ActionInfo{
		{Action: CreatedRole, Label: "Created role", Description: "A new role was created"},
		{Action: UpdatedRole, Label: "Updated role", Description: "A role's configuration was changed"},
		{Action: DeletedRole, Label: "Deleted role", Description: "A role was removed"},
		{Action: AssignedRole, Label: "Assigned role", Description: "A role was assigned to a member"},
		{Action: UnassignedRole, Label: "Unassigned role", Description: "A role was removed from a member"},
		{Action: GrantedPermission, Label: "Granted permission", Description: "A permission was added to a role"},
		{Action: RevokedPermission, Label: "Revoked permission", Description: "A permission was removed from a role"},
		{Action: CreatedServiceAccount, Label: "Created service account", Description: "A new service account was created"},
		{Action: DeletedServiceAccount, Label: "Deleted service account", Description: "A service account was removed"},
		{Action: CreatedAPIKey, Label: "Created API key", Description: "An API key was generated"},
		{Action: RevokedAPIKey, Label: "Revoked API key", Description: "An API key was revoked"},
		{Action: RotatedAPIKey, Label: "Rotated API key", Description: "An API key was rotated"},
	}},
	{Connectors, "Connectors", "Connectors", "Actions related to data source connectors.", []ActionInfo{
		{Action: CreatedConnector, Label: "Created connector", Description: "A new connector was added"},
		{Action: UpdatedConnector, Label: "Updated connector", Description: "A connector's configuration was changed"},
		{Action: DeletedConnector, Label: "Deleted connector", Description: "A connector was removed"},
	}},
	{OrganizationSettings, "Organization Settings", "Org", "Actions related to organization-level configuration.", []ActionInfo{
		{Action: UpdatedOrgSettings, Label: "Updated org settings", Description: "Organization settings were modified"},
		{Action: DeletedOrganization, Label: "Deleted organization", Description: "The organization was deleted"},
		{Action: SwitchedOrganization, Label: "Switched organization", Description: "A user switched to a different organization"},
		{Action: CreatedSiblingOrganization, Label: "Created sibling organization", Description: "A new sibling organization was created"},
	}},
	{APIAccessKeys, "API Access Keys", "API Keys", "Actions related to API access keys used for programmatic access.", []ActionInfo{
		{Action: CreatedAPIAccessKey, Label: "Created API access key", Description: "A new API access key was generated"},
		{Action: UpdatedAPIAccessKey, Label: "Updated API access key", Description: "An API access key was modified"},
		{Action: DeletedAPIAccessKey, Label: "Deleted API access key", Description: "An API access key was removed"},
	}},
	{Secrets, "Secrets", "Secrets", "Actions related to organization secrets.", []ActionInfo{
		{Action: CreatedSecret, Label: "Created secret", Description: "A new secret was added"},
		{Action: UpdatedSecret, Label: "Updated secret", Description: "A secret was modified"},
		{Action: DeletedSecret, Label: "Deleted secret", Description: "A secret was removed"},
	}},
	{SCIMProvisioning, "SCIM Provisioning", "SCIM", "Actions related to SCIM-based user and group provisioning. Token and OAuth client management actions are performed by organization administrators through the UI. User and group provisioning actions are performed automatically by your identity provider via the SCIM API.", []ActionInfo{
		{Action: CreatedSCIMToken, Label: "Created SCIM token", Description: "A new SCIM bearer token was generated"},
		{Action: RevokedSCIMToken, Label: "Revoked SCIM token", Description: "A SCIM bearer token was revoked"},
		{Action: CreatedSCIMOAuthClient, Label: "Created SCIM OAuth client", Description: "A new SCIM OAuth client was created"},
		{Action: RevokedSCIMOAuthClient, Label: "Revoked SCIM OAuth client", Description: "A SCIM OAuth client was revoked"},
		{Action: ProvisionedUser, Label: "Provisioned user", Description: "A user was provisioned (or reactivated) via SCIM"},
		{Action: UpdatedUser, Label: "Updated user", Description: "A user's attributes were updated via SCIM"},
		{Action: DeprovisionedUser, Label: "Deprovisioned user", Description: "A user was deactivated via SCIM"},
		{Action: CreatedGroup, Label: "Created group", Description: "A group was created via SCIM"},
		{Action: UpdatedGroup, Label: "Updated group", Description: "A group's membership or name was updated via SCIM"},
		{Action: DeletedGroup, Label: "Deleted group", Description: "A group was removed via SCIM"},
	}},
	// Beyond the spec: its 8 categories above stay as it words them.
	{ServiceAccounts, "Service Accounts", "Service Accounts", "Changes to service accounts after they were created (creating and deleting them are Roles & Permissions actions).", []ActionInfo{
		{Action: UpdatedServiceAccount, Label: "Updated service account", Description: "A service account was renamed or its description changed"},
	}},
	{AuditLog, "Audit Log", "Audit Log", "Actions related to getting the audit log out: log streams to SIEMs and exports.", []ActionInfo{
		{Action: CreatedLogStream, Label: "Created log stream", Description: "A new log stream was configured"},
		{Action: UpdatedLogStream, Label: "Updated log stream", Description: "A log stream's settings were changed"},
		{Action: PausedLogStream, Label: "Paused log stream", Description: "A log stream was paused"},
		{Action: ResumedLogStream, Label: "Resumed log stream", Description: "A paused or failed log stream was resumed"},
		{Action: DeletedLogStream, Label: "Deleted log stream", Description: "A log stream was removed"},
		{Action: ExportedAuditLog, Label: "Exported audit log", Description: "Audit log events were exported"},
	}},
}

var (
	categoryByName = map[Category]*CategoryInfo{}
	actionByName   = map[Action]ActionInfo{}
)

func init() {
	for i := range catalog {
		c := &catalog[i]
		categoryByName[c.Category] = c
		for j := range c.Actions {
			c.Actions[j].Category = c.Category
			actionByName[c.Actions[j].Action] = c.Actions[j]
		}
	}
}

// Categories returns the catalog in spec order. Callers must not modify it.
func Categories() []CategoryInfo { return catalog }

// LookupCategory returns the category's description, if the category exists.
func LookupCategory(c Category) (CategoryInfo, bool) {
	info, ok := categoryByName[c]
	if !ok {
		return CategoryInfo{}, false
	}
	return *info, true
}

// LookupAction returns the action's description, if the action exists.
func LookupAction(a Action) (ActionInfo, bool) {
	info, ok := actionByName[a]
	return info, ok
}

// Category returns the category the action belongs to ("" for an unknown action).
func (a Action) Category() Category { return actionByName[a].Category }

// Label returns the action's human label ("Created role").
func (a Action) Label() string { return actionByName[a].Label }

// Valid reports whether a is in the catalog.
func (a Action) Valid() bool { _, ok := actionByName[a]; return ok }

// Valid reports whether c is in the catalog.
func (c Category) Valid() bool { _, ok := categoryByName[c]; return ok }

// ActionsMatchingLabel returns the actions whose label, or whose category's
// label or short label, contains term case-insensitively. Labels are not
// stored in event rows, so search resolves them here to a set of actions.
func ActionsMatchingLabel(term string) []Action {
	term = strings.ToLower(term)
	var out []Action
	for _, c := range catalog {
		categoryMatches := strings.Contains(strings.ToLower(c.Label), term) ||
			strings.Contains(strings.ToLower(c.ShortLabel), term)
		for _, a := range c.Actions {
			if categoryMatches || strings.Contains(strings.ToLower(a.Label), term) {
				out = append(out, a.Action)
			}
		}
	}
	return out
}
