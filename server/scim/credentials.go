package scim

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/credential"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/displaytext"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// AccessTokenLifetime is how long an access token from POST /oauth/token works.
const AccessTokenLifetime = time.Hour

// CredentialStatus tells whether a token or client still works.
type CredentialStatus string

// Credential statuses.
const (
	StatusActive  CredentialStatus = "ACTIVE"
	StatusRevoked CredentialStatus = "REVOKED"
	StatusExpired CredentialStatus = "EXPIRED"
)

// Token is a long-lived SCIM bearer token. Only its hash is stored.
type Token struct {
	ID              uuid.UUID
	OrganizationID  uuid.UUID
	Name            string
	Prefix          string
	SecretHash      []byte
	CreatedByUserID *uuid.UUID
	CreatedAt       time.Time
	ExpiresAt       *time.Time
	RevokedAt       *time.Time
	LastUsedAt      *time.Time
}

// TableName implements gorm's Tabler.
func (Token) TableName() string { return "scim_tokens" }

// AuditTarget implements audit.Target.
func (t *Token) AuditTarget() (uuid.UUID, audit.Resource) {
	return t.OrganizationID, audit.Resource{Type: "scim_token", ID: t.ID.String(), Name: t.Name}
}

// Status reports the token's status at now.
func (t Token) Status(now time.Time) CredentialStatus {
	switch {
	case t.RevokedAt != nil:
		return StatusRevoked
	case t.ExpiresAt != nil && !t.ExpiresAt.After(now):
		return StatusExpired
	}
	return StatusActive
}

// NewToken is a created token with its plaintext, shown once.
type NewToken struct {
	Token
	Plaintext string
}

// CreateTokenCommand is the input of CreateToken.
type CreateTokenCommand struct {
	Name            string
	ExpiresAt       *time.Time
	CreatedByUserID uuid.UUID
	// Grantor is what the caller holds (see checkGrant).
	Grantor rbac.PermissionSet
}

// OAuthClient is a client of the client credentials grant. Its client id is
// public; only the hash of its secret is stored.
type OAuthClient struct {
	ID              uuid.UUID
	OrganizationID  uuid.UUID
	Name            string
	ClientID        string
	SecretHash      []byte
	CreatedByUserID *uuid.UUID
	CreatedAt       time.Time
	RevokedAt       *time.Time
	LastUsedAt      *time.Time
}

// TableName implements gorm's Tabler.
func (OAuthClient) TableName() string { return "scim_oauth_clients" }

// AuditTarget implements audit.Target.
func (c *OAuthClient) AuditTarget() (uuid.UUID, audit.Resource) {
	return c.OrganizationID, audit.Resource{Type: "scim_oauth_client", ID: c.ID.String(), Name: c.Name}
}

// Status reports whether the client still works.
func (c OAuthClient) Status() CredentialStatus {
	if c.RevokedAt != nil {
		return StatusRevoked
	}
	return StatusActive
}

// NewOAuthClient is a created client with its secret, shown once.
type NewOAuthClient struct {
	OAuthClient
	Secret string
}

// CreateOAuthClientCommand is the input of CreateOAuthClient.
type CreateOAuthClientCommand struct {
	Name            string
	CreatedByUserID uuid.UUID
	// Grantor is what the caller holds (see checkGrant).
	Grantor rbac.PermissionSet
}

type accessToken struct {
	ID             uuid.UUID
	OrganizationID uuid.UUID
	ClientID       uuid.UUID
	Prefix         string
	SecretHash     []byte
	CreatedAt      time.Time
	ExpiresAt      time.Time
}

func (accessToken) TableName() string { return "scim_access_tokens" }

// IssuedToken is an access token from the client credentials grant.
type IssuedToken struct {
	AccessToken string
	ExpiresIn   time.Duration
}

// ErrInvalidClient means the client id or secret is wrong, or the client
// was revoked (RFC 6749 §5.2 invalid_client).
var ErrInvalidClient = errors.New("scim: invalid client")

// ListTokens returns the organization's SCIM tokens, newest first.
func (s *Service) ListTokens(ctx context.Context, org uuid.UUID) ([]Token, error) {
	var out []Token
	err := s.db.Conn(ctx).Where("organization_id = ?", org).Order("created_at DESC, id DESC").Find(&out).Error
	return out, err
}

// CreateToken mints a SCIM token, recording "Created SCIM token".
func (s *Service) CreateToken(ctx context.Context, org uuid.UUID, cmd CreateTokenCommand) (NewToken, error) {
	name, err := displaytext.Name("name", cmd.Name)
	if err != nil {
		return NewToken{}, err
	}
	if cmd.ExpiresAt != nil && !cmd.ExpiresAt.After(s.now()) {
		return NewToken{}, apperr.Invalid("expiresAt", "expiresAt must be in the future")
	}
	if err := s.checkGrant(ctx, org, cmd.Grantor); err != nil {
		return NewToken{}, err
	}
	m, err := credential.Mint(credential.SCIMToken)
	if err != nil {
		return NewToken{}, err
	}
	t := NewToken{Plaintext: m.Plaintext, Token: Token{ID: uuid.Must(uuid.NewV7()), OrganizationID: org, Name: name,
		Prefix: m.Prefix, SecretHash: m.Hash, ExpiresAt: cmd.ExpiresAt}}
	if cmd.CreatedByUserID != uuid.Nil {
		t.CreatedByUserID = &cmd.CreatedByUserID
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		details := audit.Details{"prefix": m.Prefix}
		if cmd.ExpiresAt != nil {
			details["expiresAt"] = cmd.ExpiresAt.UTC().Format(time.RFC3339)
		}
		return audit.Audited(s.db.Conn(ctx), audit.Change{Action: audit.CreatedSCIMToken, Details: details}).Create(&t.Token).Error
	})
	return t, err
}

// RevokeToken makes a token stop working at once, recording "Revoked SCIM token".
func (s *Service) RevokeToken(ctx context.Context, org, id uuid.UUID) (Token, error) {
	var t Token
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.Conn(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("organization_id = ? AND id = ?", org, id).Take(&t).Error
		if database.IsNotFound(err) {
			return apperr.NotFoundf("SCIM token %s not found", id)
		}
		if err != nil {
			return err
		}
		if t.RevokedAt != nil {
			return apperr.Conflictf("SCIM token %s is already revoked", id)
		}
		change := audit.Change{Action: audit.RevokedSCIMToken, Details: audit.Details{"prefix": t.Prefix}}
		return audit.Audited(s.db.Conn(ctx), change).Model(&t).Update("revoked_at", s.clock()).Error
	})
	return t, err
}

// ListOAuthClients returns the organization's SCIM OAuth clients, newest first.
func (s *Service) ListOAuthClients(ctx context.Context, org uuid.UUID) ([]OAuthClient, error) {
	var out []OAuthClient
	err := s.db.Conn(ctx).Where("organization_id = ?", org).Order("created_at DESC, id DESC").Find(&out).Error
	return out, err
}

// CreateOAuthClient creates a client of the client credentials grant,
// recording "Created SCIM OAuth client".
func (s *Service) CreateOAuthClient(ctx context.Context, org uuid.UUID, cmd CreateOAuthClientCommand) (NewOAuthClient, error) {
	name, err := displaytext.Name("name", cmd.Name)
	if err != nil {
		return NewOAuthClient{}, err
	}
	if err := s.checkGrant(ctx, org, cmd.Grantor); err != nil {
		return NewOAuthClient{}, err
	}
	clientID, err := randomString(16)
	if err != nil {
		return NewOAuthClient{}, err
	}
	secret, err := randomString(32)
	if err != nil {
		return NewOAuthClient{}, err
	}
	secret = clientSecretPrefix + secret
	c := NewOAuthClient{Secret: secret, OAuthClient: OAuthClient{ID: uuid.Must(uuid.NewV7()), OrganizationID: org,
		Name: name, ClientID: "scim_" + clientID, SecretHash: credential.Hash(secret)}}
	if cmd.CreatedByUserID != uuid.Nil {
		c.CreatedByUserID = &cmd.CreatedByUserID
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		change := audit.Change{Action: audit.CreatedSCIMOAuthClient, Details: audit.Details{"clientId": c.ClientID}}
		return audit.Audited(s.db.Conn(ctx), change).Create(&c.OAuthClient).Error
	})
	return c, err
}

// checkGrant refuses a SCIM credential to a caller who does not hold
// everything the organization's members hold: a SCIM client can adopt any
// member and change the address they sign in with, so it can become any of
// them (rbac.PermissionsOfMembers, rbac.CheckGrant).
func (s *Service) checkGrant(ctx context.Context, org uuid.UUID, grantor rbac.PermissionSet) error {
	held, err := s.roles.PermissionsOfMembers(ctx, org)
	if err != nil {
		return err
	}
	return rbac.CheckGrantBecause(grantor, held,
		"a SCIM client can act as any member, so creating one needs every permission the members hold")
}

// clientSecretPrefix makes client secrets recognizable to secret scanners.
const clientSecretPrefix = "otscimcs_"

// RevokeOAuthClient makes a client and every access token it was issued stop
// working at once, recording "Revoked SCIM OAuth client".
func (s *Service) RevokeOAuthClient(ctx context.Context, org, id uuid.UUID) (OAuthClient, error) {
	var c OAuthClient
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.Conn(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("organization_id = ? AND id = ?", org, id).Take(&c).Error
		if database.IsNotFound(err) {
			return apperr.NotFoundf("SCIM OAuth client %s not found", id)
		}
		if err != nil {
			return err
		}
		if c.RevokedAt != nil {
			return apperr.Conflictf("SCIM OAuth client %s is already revoked", id)
		}
		change := audit.Change{Action: audit.RevokedSCIMOAuthClient, Details: audit.Details{"clientId": c.ClientID}}
		if err := audit.Audited(s.db.Conn(ctx), change).Model(&c).Update("revoked_at", s.clock()).Error; err != nil {
			return err
		}
		return s.db.Conn(ctx).Where("organization_id = ? AND client_id = ?", c.OrganizationID, c.ID).Delete(&accessToken{}).Error
	})
	return c, err
}

// IssueAccessToken implements the client credentials grant: it checks the
// client's id and secret and returns a short-lived access token for that
// organization's SCIM API. It returns ErrInvalidClient for a wrong or
// revoked client.
func (s *Service) IssueAccessToken(ctx context.Context, clientID, secret string) (IssuedToken, error) {
	if clientID == "" || len(clientID) > 100 || secret == "" || len(secret) > 200 {
		return IssuedToken{}, ErrInvalidClient
	}
	var c OAuthClient
	err := s.db.Conn(ctx).Raw(`SELECT c.* FROM scim_oauth_clients c
		JOIN organizations o ON o.id = c.organization_id AND o.deleted_at IS NULL
		WHERE c.client_id = ?`, clientID).Scan(&c).Error
	if err != nil {
		return IssuedToken{}, err
	}
	// Compare against a hash either way, so timing does not tell known ids.
	stored := c.SecretHash
	if stored == nil {
		stored = make([]byte, 32)
	}
	if subtle.ConstantTimeCompare(credential.Hash(secret), stored) != 1 || c.ID == uuid.Nil || c.RevokedAt != nil {
		return IssuedToken{}, ErrInvalidClient
	}
	m, err := credential.Mint(credential.SCIMToken)
	if err != nil {
		return IssuedToken{}, err
	}
	now := s.clock()
	t := accessToken{ID: uuid.Must(uuid.NewV7()), OrganizationID: c.OrganizationID, ClientID: c.ID, Prefix: m.Prefix,
		SecretHash: m.Hash, CreatedAt: now, ExpiresAt: now.Add(AccessTokenLifetime)}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Conn(ctx)
		// Tokens that expired a while ago go, so the table stays small.
		if err := tx.Where("organization_id = ? AND client_id = ? AND expires_at < ?", c.OrganizationID, c.ID, now.Add(-time.Hour)).Delete(&accessToken{}).Error; err != nil {
			return err
		}
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
		return credential.TouchLastUsed(tx, "scim_oauth_clients", c.ID, c.LastUsedAt, now)
	})
	if err != nil {
		return IssuedToken{}, err
	}
	return IssuedToken{AccessToken: m.Plaintext, ExpiresIn: AccessTokenLifetime}, nil
}

// Verify authenticates a SCIM request's bearer credential: a SCIM token or
// an access token of an OAuth client. It returns apperr.ErrUnauthenticated
// for an unknown, revoked or expired one, or one of a deleted organization.
func (s *Service) Verify(ctx context.Context, cred credential.Parsed) (Caller, error) {
	if cred.Kind != credential.SCIMToken {
		return Caller{}, apperr.ErrUnauthenticated
	}
	var rows []struct {
		ID             uuid.UUID
		OrganizationID uuid.UUID
		Name           string
		SecretHash     []byte
		ExpiresAt      *time.Time
		RevokedAt      *time.Time
		LastUsedAt     *time.Time
		ClientID       *uuid.UUID // set for access tokens
	}
	err := s.db.Conn(ctx).Raw(`
		SELECT t.id, t.organization_id, t.name, t.secret_hash, t.expires_at, t.revoked_at, t.last_used_at,
			NULL::uuid AS client_id
		FROM scim_tokens t JOIN organizations o ON o.id = t.organization_id AND o.deleted_at IS NULL
		WHERE t.prefix = ?
		UNION ALL
		SELECT a.id, a.organization_id, c.name, a.secret_hash, a.expires_at, c.revoked_at, c.last_used_at, c.id
		FROM scim_access_tokens a JOIN scim_oauth_clients c ON c.organization_id = a.organization_id AND c.id = a.client_id
		JOIN organizations o ON o.id = a.organization_id AND o.deleted_at IS NULL
		WHERE a.prefix = ?`, cred.Prefix, cred.Prefix).Scan(&rows).Error
	if err != nil {
		return Caller{}, err
	}
	now := s.clock()
	for _, r := range rows {
		if !cred.Matches(r.SecretHash) || r.RevokedAt != nil || (r.ExpiresAt != nil && !r.ExpiresAt.After(now)) {
			continue
		}
		actor := audit.Actor{Type: audit.ActorSCIM, ID: r.ID.String(), Name: actorName(r.Name), OrganizationID: r.OrganizationID}
		table, touched := "scim_tokens", r.ID
		if r.ClientID != nil {
			actor.ID = r.ClientID.String()
			table, touched = "scim_oauth_clients", *r.ClientID
		}
		if err := credential.TouchLastUsed(s.db.Conn(ctx), table, touched, r.LastUsedAt, now); err != nil {
			return Caller{}, err
		}
		return Caller{OrganizationID: r.OrganizationID, Actor: actor}, nil
	}
	return Caller{}, apperr.ErrUnauthenticated
}

func randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
