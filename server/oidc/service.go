// Package oidc holds the OpenID Connect identity providers of an account (an
// organization and its siblings), their links to the account's
// organizations, and sign-in through them: the authorization code flow with
// PKCE, state and nonce, ending in signin.Service.Complete.
//
// A provider belongs to the account; "Created/Updated/Deleted OIDC provider"
// land in the organization where the admin acted, "Added/Removed OIDC
// provider to/from org" in the organization concerned. Client secrets are
// write-only: stored sealed (server/secrets), never returned or recorded.
package oidc

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/auth"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/netguard"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/rbac"
	"github.com/orgtrail/orgtrail/server/secrets"
	"github.com/orgtrail/orgtrail/server/signin"
)

// ResourceType is the audit resource type of a provider.
const ResourceType = "oidc_provider"

// PurposeClientSecret is the secrets.Binding purpose of client secrets.
const PurposeClientSecret = "oidc-client-secret"

// ClientSecrets is where client secrets are sealed, for key rotation. The
// account is bound where secrets bind an organization: providers belong to it.
var ClientSecrets = secrets.EncryptedColumn{Table: "oidc_providers", Ciphertext: "client_secret_ciphertext",
	KeyVersion: "client_secret_key_version", Purpose: PurposeClientSecret, Owner: "account_id"}

// Provider is an identity provider as callers see it: never its secret.
type Provider struct {
	ID        uuid.UUID
	AccountID uuid.UUID
	Name      string
	Issuer    string
	ClientID  string
	Scopes    []string
	// HasClientSecret tells whether a client secret is stored (a public
	// client signs in with PKCE alone).
	HasClientSecret bool
	CreatedAt       time.Time
	UpdatedAt       time.Time
	// Organizations are the live organizations the provider is linked to.
	Organizations []orgs.Organization
}

// SignInOption is a provider the sign-in page offers.
type SignInOption struct {
	ID       uuid.UUID
	Name     string
	LoginURL string
}

// SignInOptions are the ways the sign-in page offers.
type SignInOptions struct {
	// MagicLink tells whether an email link is offered.
	MagicLink bool
	Providers []SignInOption
}

// providerRow is a stored provider, ciphertext included; it never leaves
// the package.
type providerRow struct {
	ID                     uuid.UUID
	AccountID              uuid.UUID
	Name                   string
	Issuer                 string
	ClientID               string
	ClientSecretCiphertext []byte
	ClientSecretKeyVersion *string
	Scopes                 pq.StringArray `gorm:"type:text[]"`
	CreatedAt              time.Time
	UpdatedAt              time.Time
}

func (providerRow) TableName() string { return "oidc_providers" }

func (p *providerRow) resource() audit.Resource {
	return audit.Resource{Type: ResourceType, ID: p.ID.String(), Name: p.Name}
}

func (p *providerRow) view(linked []orgs.Organization) Provider {
	if linked == nil {
		linked = []orgs.Organization{}
	}
	return Provider{ID: p.ID, AccountID: p.AccountID, Name: p.Name, Issuer: p.Issuer, ClientID: p.ClientID,
		Scopes: append([]string{}, p.Scopes...), HasClientSecret: p.ClientSecretCiphertext != nil,
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, Organizations: linked}
}

// linkRow links a provider to an organization of its account.
type linkRow struct {
	ProviderID     uuid.UUID
	OrganizationID uuid.UUID
	AccountID      uuid.UUID
	CreatedAt      time.Time
}

func (linkRow) TableName() string { return "oidc_provider_links" }

// PermissionSource tells what a holder may do in an organization and what
// its members hold; it is rbac.Service. A provider is shared by the
// organizations it is linked to, so changing it needs rights in each.
type PermissionSource interface {
	PermissionsOf(ctx context.Context, org uuid.UUID, h rbac.Holder) (rbac.PermissionSet, error)
	PermissionsOfMembers(ctx context.Context, org uuid.UUID) (rbac.PermissionSet, error)
}

// Service manages identity providers and signs people in through them.
type Service struct {
	db        *database.DB
	keyring   *secrets.Keyring
	signin    *signin.Service
	perms     PermissionSource
	log       *slog.Logger
	publicURL string
	discovery *discoveryCache
	// client talks to identity providers: discovery, keys, token exchange.
	client *http.Client
	now    func() time.Time
	// authn finds the admin behind a test of a provider (BeginTest).
	authn Authenticator
}

// Authenticator finds who is behind a request; it is auth.Authenticator.
type Authenticator interface {
	Authenticate(r *http.Request) (auth.Principal, error)
}

// NewService returns the identity provider service. publicURL is the site's
// origin; the callback URL providers redirect to is built on it.
// authn finds the admin behind a test of a provider.
func NewService(db *database.DB, keyring *secrets.Keyring, s *signin.Service, perms PermissionSource, authn Authenticator, log *slog.Logger, publicURL string) *Service {
	client := netguard.HTTPClient(10 * time.Second)
	return &Service{db: db, keyring: keyring, signin: s, perms: perms, authn: authn, log: log, publicURL: publicURL,
		client: client, discovery: newDiscoveryCache(client), now: time.Now}
}

// CallbackURL is the redirect URI to register with every provider.
func (s *Service) CallbackURL() string { return s.publicURL + CallbackPath }

// LoginURL is where the sign-in page sends the browser to sign in with a
// provider (a path on this site; the page may add ?next=).
func LoginURL(id uuid.UUID) string { return "/auth/oidc/" + id.String() + "/login" }

// TestURL is where an admin opens a window to test signing in with a
// provider (BeginTest).
func TestURL(id uuid.UUID) string { return "/auth/oidc/" + id.String() + "/test" }

// Caller is who changes a provider: the organization they act in, what
// they hold there and, for a person, their user id (which is how they hold
// permissions in sibling organizations too).
type Caller struct {
	OrganizationID uuid.UUID
	UserID         uuid.UUID
	Permissions    rbac.PermissionSet
}
