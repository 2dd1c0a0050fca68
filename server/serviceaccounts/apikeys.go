package serviceaccounts

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/auth"
	"github.com/orgtrail/orgtrail/server/credential"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/displaytext"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// APIKey is a service account's bearer credential. Only its hash is stored.
type APIKey struct {
	ID               uuid.UUID
	OrganizationID   uuid.UUID
	ServiceAccountID uuid.UUID
	Name             string
	Prefix           string
	SecretHash       []byte
	CreatedAt        time.Time
	ExpiresAt        *time.Time
	RevokedAt        *time.Time
	LastUsedAt       *time.Time
	RotatedToID      *uuid.UUID
}

// AuditTarget implements audit.Target.
func (k *APIKey) AuditTarget() (uuid.UUID, audit.Resource) {
	return k.OrganizationID, audit.Resource{Type: "api_key", ID: k.ID.String(), Name: k.Name}
}

// KeyStatus summarises whether a key still works.
type KeyStatus string

// Key statuses.
const (
	KeyActive  KeyStatus = "ACTIVE"
	KeyRevoked KeyStatus = "REVOKED"
	KeyExpired KeyStatus = "EXPIRED"
)

// Status reports the key's status at now.
func (k APIKey) Status(now time.Time) KeyStatus {
	switch {
	case k.RevokedAt != nil:
		return KeyRevoked
	case k.ExpiresAt != nil && !k.ExpiresAt.After(now):
		return KeyExpired
	}
	return KeyActive
}

// CreateAPIKeyCommand is the input of CreateAPIKey. Grantor is what the
// caller holds: a key acts with everything its account holds, so the caller
// must hold all of it (rbac.CheckGrant).
type CreateAPIKeyCommand struct {
	ServiceAccountID uuid.UUID
	Name             string
	ExpiresAt        *time.Time
	Grantor          rbac.PermissionSet
}

// NewAPIKey is a created key with its plaintext, which is shown once.
type NewAPIKey struct {
	APIKey
	Plaintext string
}

// ListAPIKeys returns the keys of the given service accounts, newest first.
func (s *Service) ListAPIKeys(ctx context.Context, org uuid.UUID, accounts []uuid.UUID) ([]APIKey, error) {
	var keys []APIKey
	err := s.db.Conn(ctx).Where("organization_id = ? AND service_account_id IN ?", org, accounts).
		Order("created_at DESC, id DESC").Find(&keys).Error
	return keys, err
}

// CreateAPIKey mints a key for a service account.
func (s *Service) CreateAPIKey(ctx context.Context, org uuid.UUID, cmd CreateAPIKeyCommand) (NewAPIKey, error) {
	name, err := displaytext.Name("name", cmd.Name)
	if err != nil {
		return NewAPIKey{}, err
	}
	if err := s.validExpiry(cmd.ExpiresAt); err != nil {
		return NewAPIKey{}, err
	}
	var key NewAPIKey
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		sa, err := s.Get(ctx, org, cmd.ServiceAccountID)
		if err != nil {
			return err
		}
		if err := s.checkGrant(ctx, org, sa.ID, cmd.Grantor); err != nil {
			return err
		}
		key, err = s.mint(org, sa.ID, name, cmd.ExpiresAt)
		if err != nil {
			return err
		}
		change := audit.Change{Action: audit.CreatedAPIKey, Details: keyDetails(sa, key.APIKey)}
		return audit.Audited(s.db.Conn(ctx), change).Create(&key.APIKey).Error
	})
	return key, err
}

// RevokeAPIKey makes a key stop working at once.
func (s *Service) RevokeAPIKey(ctx context.Context, org, id uuid.UUID) (APIKey, error) {
	var key APIKey
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if key, err = s.lockActiveKey(ctx, org, id); err != nil {
			return err
		}
		sa, err := s.Get(ctx, org, key.ServiceAccountID)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		change := audit.Change{Action: audit.RevokedAPIKey, Details: keyDetails(sa, key)}
		return audit.Audited(s.db.Conn(ctx), change).Model(&key).Update("revoked_at", now).Error
	})
	return key, err
}

// RotateAPIKey replaces a key with a new one of the same name and service
// account; the old key stops working at once. The new key's expiry is
// expiresAt when given, else the old key's. A new key is new power: grantor,
// what the caller holds, must cover the account's permissions as for
// CreateAPIKey.
func (s *Service) RotateAPIKey(ctx context.Context, org, id uuid.UUID, expiresAt *time.Time, grantor rbac.PermissionSet) (NewAPIKey, error) {
	if err := s.validExpiry(expiresAt); err != nil {
		return NewAPIKey{}, err
	}
	var key NewAPIKey
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		old, err := s.lockActiveKey(ctx, org, id)
		if err != nil {
			return err
		}
		sa, err := s.Get(ctx, org, old.ServiceAccountID)
		if err != nil {
			return err
		}
		if err := s.checkGrant(ctx, org, sa.ID, grantor); err != nil {
			return err
		}
		if expiresAt == nil {
			expiresAt = old.ExpiresAt
		}
		if key, err = s.mint(org, sa.ID, old.Name, expiresAt); err != nil {
			return err
		}
		details := keyDetails(sa, key.APIKey)
		details["previousKeyId"] = old.ID.String()
		details["previousKeyPrefix"] = old.Prefix
		tx := s.db.Conn(ctx)
		if err := audit.Audited(tx, audit.Change{Action: audit.RotatedAPIKey, Details: details}).Create(&key.APIKey).Error; err != nil {
			return err
		}
		return tx.Model(&old).Updates(map[string]any{"revoked_at": s.now().UTC(), "rotated_to_id": key.ID}).Error
	})
	return key, err
}

// checkGrant refuses minting a key of the account for a caller who does not
// hold everything the account holds.
func (s *Service) checkGrant(ctx context.Context, org, account uuid.UUID, grantor rbac.PermissionSet) error {
	held, err := s.roles.PermissionsOf(ctx, org, rbac.Holder{ServiceAccountID: account})
	if err != nil {
		return err
	}
	return rbac.CheckGrant(grantor, held)
}

func (s *Service) lockActiveKey(ctx context.Context, org, id uuid.UUID) (APIKey, error) {
	var key APIKey
	err := s.db.Conn(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("organization_id = ? AND id = ?", org, id).Take(&key).Error
	if database.IsNotFound(err) {
		return APIKey{}, apperr.NotFoundf("API key %s not found", id)
	}
	if err != nil {
		return APIKey{}, err
	}
	if key.RevokedAt != nil {
		return APIKey{}, apperr.Conflictf("API key %s is already revoked", id)
	}
	return key, nil
}

func (s *Service) mint(org, account uuid.UUID, name string, expiresAt *time.Time) (NewAPIKey, error) {
	m, err := credential.Mint(credential.ServiceAccountKey)
	if err != nil {
		return NewAPIKey{}, err
	}
	return NewAPIKey{
		APIKey: APIKey{ID: uuid.Must(uuid.NewV7()), OrganizationID: org, ServiceAccountID: account,
			Name: name, Prefix: m.Prefix, SecretHash: m.Hash, ExpiresAt: expiresAt},
		Plaintext: m.Plaintext,
	}, nil
}

func (s *Service) validExpiry(expiresAt *time.Time) error {
	if expiresAt != nil && !expiresAt.After(s.now()) {
		return apperr.Invalid("expiresAt", "expiresAt must be in the future")
	}
	return nil
}

// keyDetails describes a key in an event: never its secret or hash.
func keyDetails(sa ServiceAccount, k APIKey) audit.Details {
	d := audit.Details{"serviceAccountId": sa.ID.String(), "serviceAccountName": sa.Name, "prefix": k.Prefix}
	if k.ExpiresAt != nil {
		d["expiresAt"] = k.ExpiresAt.UTC().Format(time.RFC3339)
	}
	return d
}

// Verify implements auth.Verifier for service account API keys. One
// statement reads the key, its account and what the account's roles grant.
func (s *Service) Verify(ctx context.Context, cred credential.Parsed) (auth.Principal, error) {
	var row struct {
		APIKey
		rbac.Grants
		AccountName        string
		AuditRetentionDays int
	}
	err := s.db.Conn(ctx).Raw(`SELECT k.*, grants.*, sa.name AS account_name, o.audit_retention_days FROM api_keys k
		JOIN service_accounts sa ON sa.id = k.service_account_id
		JOIN organizations o ON o.id = k.organization_id AND o.deleted_at IS NULL
		`+rbac.ServiceAccountPermissionsJoin("k.organization_id", "k.service_account_id")+`
		WHERE k.prefix = ?`, cred.Prefix).Scan(&row).Error
	if err != nil {
		return auth.Principal{}, err
	}
	now := s.now()
	if row.ID == uuid.Nil || !cred.Matches(row.SecretHash) || row.Status(now) != KeyActive {
		return auth.Principal{}, apperr.ErrUnauthenticated
	}
	perms, _ := row.Grants.Permissions()
	if err := credential.TouchLastUsed(s.db.Conn(ctx), "api_keys", row.ID, row.LastUsedAt, now); err != nil {
		return auth.Principal{}, err
	}
	return auth.Principal{
		OrganizationID:     row.OrganizationID,
		AuditRetentionDays: row.AuditRetentionDays,
		Permissions:        perms,
		Owner:              rbac.Holder{ServiceAccountID: row.ServiceAccountID},
		Actor: audit.Actor{Type: audit.ActorServiceAccount, ID: row.ServiceAccountID.String(),
			Name: row.AccountName, OrganizationID: row.OrganizationID},
	}, nil
}
