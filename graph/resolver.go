// Package graph is the GraphQL API: thin resolvers that take the caller the
// schema's authorization directives admitted (directives.go), call one domain
// service and map its result to the schema's models, behind the cost limits
// of cost.go.
package graph

import (
	"github.com/orgtrail/orgtrail/server/accesskeys"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/auditlog"
	"github.com/orgtrail/orgtrail/server/connectors"
	"github.com/orgtrail/orgtrail/server/logstreams"
	"github.com/orgtrail/orgtrail/server/members"
	"github.com/orgtrail/orgtrail/server/oidc"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/rbac"
	"github.com/orgtrail/orgtrail/server/scim"
	"github.com/orgtrail/orgtrail/server/secrets"
	"github.com/orgtrail/orgtrail/server/serviceaccounts"
	"github.com/orgtrail/orgtrail/server/sessions"
)

// Resolver holds the domain services the resolvers call.
type Resolver struct {
	AuditReader           *audit.Reader
	AuditTail             *audit.Tail
	OrgService            *orgs.Service
	RoleService           *rbac.Service
	ServiceAccountService *serviceaccounts.Service
	AccessKeyService      *accesskeys.Service
	SecretService         *secrets.Service
	ConnectorService      *connectors.Service
	MemberService         *members.Service
	SessionService        *sessions.Service
	SCIMService           *scim.Service
	OIDCService           *oidc.Service
	AuditLog              *auditlog.Log
	LogStreamService      *logstreams.Service
}
