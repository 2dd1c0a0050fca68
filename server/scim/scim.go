// Package scim is Orgtrail's SCIM 2.0 service provider (RFC 7643, RFC 7644):
// identity providers such as Okta and Microsoft Entra ID provision the
// organization's users and groups through /scim/v2, authenticated by a SCIM
// token or an OAuth 2.0 client (POST /oauth/token). SCIM users are
// organization members: provisioning adds or reactivates the membership,
// deprovisioning deactivates it and ends the user's sessions. Admins map
// SCIM groups to roles, so that group membership grants the role.
//
// Every change is recorded in the audit log, in the transaction of the
// change, with the token or OAuth client as the actor.
package scim

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/members"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// Service provisions users and groups and manages SCIM credentials. It
// writes its own tables (scim_*); a membership changes through members,
// its owner, and a role assignment through rbac.
type Service struct {
	db       *database.DB
	orgs     *orgs.Service
	roles    *rbac.Service
	members  *members.Service
	baseURL  string
	tokenURL string
	now      func() time.Time
}

// NewService returns the SCIM service. publicURL is the site's origin; the
// SCIM base URL is publicURL + "/scim/v2".
func NewService(db *database.DB, o *orgs.Service, r *rbac.Service, m *members.Service, publicURL string) *Service {
	publicURL = strings.TrimRight(publicURL, "/")
	return &Service{db: db, orgs: o, roles: r, members: m, baseURL: publicURL + "/scim/v2",
		tokenURL: publicURL + "/oauth/token", now: time.Now}
}

// BaseURL is the URL identity providers are configured with.
func (s *Service) BaseURL() string { return s.baseURL }

// TokenURL is the OAuth 2.0 token endpoint for SCIM OAuth clients.
func (s *Service) TokenURL() string { return s.tokenURL }

// Caller is an authenticated identity provider: the organization its
// credential belongs to and how it appears in the audit log.
type Caller struct {
	OrganizationID uuid.UUID
	Actor          audit.Actor
}

// actorName is how a credential appears in the audit log.
func actorName(name string) string { return name + " (your identity provider)" }

func (s *Service) clock() time.Time { return s.now().UTC() }
