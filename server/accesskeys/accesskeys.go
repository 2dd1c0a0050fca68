// Package accesskeys holds API access keys: bearer credentials for API
// clients that carry a set of permissions of their own, never more than their
// creator held.
package accesskeys

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/auth"
	"github.com/orgtrail/orgtrail/server/credential"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/displaytext"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// AccessKey is an API access key. Only its hash is stored. It belongs to
// the person (CreatedByUserID) or the service account
// (CreatedByServiceAccountID) at the root of the chain that made it.
type AccessKey struct {
	ID                        uuid.UUID
	OrganizationID            uuid.UUID
	Name                      string
	Prefix                    string
	SecretHash                []byte
	Permissions               pq.StringArray `gorm:"type:text[]"`
	CreatedByUserID           *uuid.UUID
	CreatedByServiceAccountID *uuid.UUID
	CreatedAt                 time.Time
	UpdatedAt                 time.Time
	ExpiresAt                 *time.Time
	LastUsedAt                *time.Time
}

// TableName implements gorm's Tabler.
func (AccessKey) TableName() string { return "api_access_keys" }

// AuditTarget implements audit.Target.
func (k *AccessKey) AuditTarget() (uuid.UUID, audit.Resource) {
	return k.OrganizationID, audit.Resource{Type: "api_access_key", ID: k.ID.String(), Name: k.Name}
}

// Service manages API access keys.
type Service struct {
	db  *database.DB
	now func() time.Time
}

// NewService returns an access key service on db.
func NewService(db *database.DB) *Service { return &Service{db: db, now: time.Now} }

// CreateCommand is the input of Create. Creator is the permission set of the
// caller: the key may not hold more. Owner is the caller's owner
// (auth.Principal.Owner): a key made by a key belongs to the root of the
// chain, and is bound by what that owner holds on every request.
type CreateCommand struct {
	Name        string
	Permissions []rbac.Permission
	ExpiresAt   *time.Time
	Owner       rbac.Holder
	Creator     rbac.PermissionSet
}

// NewAccessKey is a created key with its plaintext, shown once.
type NewAccessKey struct {
	Listed
	Plaintext string
}

// Create mints an access key.
func (s *Service) Create(ctx context.Context, org uuid.UUID, cmd CreateCommand) (NewAccessKey, error) {
	name, err := displaytext.Name("name", cmd.Name)
	if err != nil {
		return NewAccessKey{}, err
	}
	perms, err := validPermissions(cmd.Permissions)
	if err != nil {
		return NewAccessKey{}, err
	}
	if !cmd.Owner.Valid() {
		return NewAccessKey{}, apperr.Forbiddenf("this caller cannot own an access key: create it as a person or with a service account's key")
	}
	if err := rbac.CheckGrant(cmd.Creator, perms); err != nil {
		return NewAccessKey{}, err
	}
	if err := s.validExpiry(cmd.ExpiresAt); err != nil {
		return NewAccessKey{}, err
	}
	m, err := credential.Mint(credential.AccessKey)
	if err != nil {
		return NewAccessKey{}, err
	}
	sorted := perms.Sorted()
	key := AccessKey{
		ID: uuid.Must(uuid.NewV7()), OrganizationID: org, Name: name, Prefix: m.Prefix, SecretHash: m.Hash,
		Permissions: permissionStrings(sorted), ExpiresAt: cmd.ExpiresAt,
	}
	if cmd.Owner.UserID != uuid.Nil {
		key.CreatedByUserID = &cmd.Owner.UserID
	} else {
		key.CreatedByServiceAccountID = &cmd.Owner.ServiceAccountID
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		details := audit.Details{"prefix": m.Prefix, "permissions": sorted}
		if cmd.ExpiresAt != nil {
			details["expiresAt"] = cmd.ExpiresAt.UTC().Format(time.RFC3339)
		}
		return audit.Audited(s.db.Conn(ctx), audit.Change{Action: audit.CreatedAPIAccessKey, Details: details}).
			Create(&key).Error
	})
	if err != nil {
		return NewAccessKey{}, err
	}
	created, err := s.Get(ctx, org, key.ID)
	return NewAccessKey{Listed: created, Plaintext: m.Plaintext}, err
}

// Verify implements auth.Verifier for API access keys. One statement reads
// the key and what its owner holds now.
func (s *Service) Verify(ctx context.Context, cred credential.Parsed) (auth.Principal, error) {
	var row struct {
		AccessKey
		rbac.Grants
		AuditRetentionDays int
	}
	err := s.db.Conn(ctx).Raw(`SELECT k.*, grants.*, o.audit_retention_days FROM api_access_keys k
		JOIN organizations o ON o.id = k.organization_id AND o.deleted_at IS NULL
		`+rbac.HolderPermissionsJoin("k.organization_id", "k.created_by_user_id", "k.created_by_service_account_id")+`
		WHERE k.prefix = ?`, cred.Prefix).Scan(&row).Error
	if err != nil {
		return auth.Principal{}, err
	}
	key, now := row.AccessKey, s.now()
	if key.ID == uuid.Nil || !cred.Matches(key.SecretHash) || (key.ExpiresAt != nil && !key.ExpiresAt.After(now)) {
		return auth.Principal{}, apperr.ErrUnauthenticated
	}
	perms, ok := effectivePermissions(key, row.Grants)
	if !ok {
		return auth.Principal{}, apperr.ErrUnauthenticated
	}
	if err := credential.TouchLastUsed(s.db.Conn(ctx), "api_access_keys", key.ID, key.LastUsedAt, now); err != nil {
		return auth.Principal{}, err
	}
	owner := rbac.Holder{}
	if key.CreatedByUserID != nil {
		owner.UserID = *key.CreatedByUserID
	} else {
		owner.ServiceAccountID = *key.CreatedByServiceAccountID
	}
	return auth.Principal{
		OrganizationID:     key.OrganizationID,
		AuditRetentionDays: row.AuditRetentionDays,
		Permissions:        perms,
		Owner:              owner,
		Actor: audit.Actor{Type: audit.ActorAPIKey, ID: key.ID.String(), Name: key.Name,
			OrganizationID: key.OrganizationID},
	}, nil
}

// effectivePermissions is what key may do now: its own permissions, within
// what its owner holds today. A key is never a way to keep access its owner
// lost: a removed or deactivated person's keys, a deleted service account's
// keys and a key without an owner (made by a key before owners were
// recorded) are refused (false), and an owner's lost permission is the
// key's too.
func effectivePermissions(key AccessKey, owner rbac.Grants) (rbac.PermissionSet, bool) {
	if key.CreatedByUserID == nil && key.CreatedByServiceAccountID == nil {
		return nil, false
	}
	held, active := owner.Permissions()
	if !active {
		return nil, false
	}
	perms := rbac.PermissionSet{}
	for _, p := range key.Permissions {
		perms[rbac.Permission(p)] = struct{}{}
	}
	for p := range perms {
		if !held.Has(p) {
			delete(perms, p)
		}
	}
	return perms, true
}

func validPermissions(ps []rbac.Permission) (rbac.PermissionSet, error) {
	perms := rbac.NewPermissionSet(ps...)
	for _, p := range perms.Sorted() {
		if !p.Valid() {
			return nil, apperr.Invalid("permissions", "unknown permission %q", p)
		}
	}
	if len(perms) == 0 {
		return nil, apperr.Invalid("permissions", "an access key needs at least one permission")
	}
	return perms, nil
}

func (s *Service) validExpiry(expiresAt *time.Time) error {
	if expiresAt != nil && !expiresAt.After(s.now()) {
		return apperr.Invalid("expiresAt", "expiresAt must be in the future")
	}
	return nil
}

func permissionStrings(ps []rbac.Permission) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	return out
}
