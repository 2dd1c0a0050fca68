package accesskeys

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm/clause"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/displaytext"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// Status summarises whether a key still works.
type Status string

// Key statuses. A deleted key no longer exists.
const (
	StatusActive  Status = "ACTIVE"
	StatusExpired Status = "EXPIRED"
)

// Status reports the key's status at now.
func (k AccessKey) Status(now time.Time) Status {
	if k.ExpiresAt != nil && !k.ExpiresAt.After(now) {
		return StatusExpired
	}
	return StatusActive
}

// Listed is a key with the person who created it, when a person did.
type Listed struct {
	AccessKey
	CreatedByEmail string
	CreatedByName  string
}

// UpdateCommand is the input of Update. Nil Name and Permissions are left
// alone; ExpiresAt is applied only when SetExpiresAt is true, nil meaning
// "never expires". Updater is the caller's permission set: a caller may only
// change a key whose permissions it holds, and only to permissions it holds.
type UpdateCommand struct {
	ID           uuid.UUID
	Name         *string
	Permissions  []rbac.Permission
	SetExpiresAt bool
	ExpiresAt    *time.Time
	Updater      rbac.PermissionSet
}

// List returns the organization's keys, newest first.
func (s *Service) List(ctx context.Context, org uuid.UUID) ([]Listed, error) {
	var out []Listed
	err := s.db.Conn(ctx).Table("api_access_keys AS k").
		Select("k.*, coalesce(u.email, '') AS created_by_email, coalesce(u.name, '') AS created_by_name").
		Joins("LEFT JOIN users u ON u.id = k.created_by_user_id").
		Where("k.organization_id = ?", org).Order("k.created_at DESC, k.id DESC").Scan(&out).Error
	return out, err
}

// Get returns one key of the organization.
func (s *Service) Get(ctx context.Context, org, id uuid.UUID) (Listed, error) {
	var out []Listed
	err := s.db.Conn(ctx).Table("api_access_keys AS k").
		Select("k.*, coalesce(u.email, '') AS created_by_email, coalesce(u.name, '') AS created_by_name").
		Joins("LEFT JOIN users u ON u.id = k.created_by_user_id").
		Where("k.organization_id = ? AND k.id = ?", org, id).Scan(&out).Error
	if err != nil {
		return Listed{}, err
	}
	if len(out) == 0 {
		return Listed{}, apperr.NotFoundf("API access key %s not found", id)
	}
	return out[0], nil
}

// Update renames a key, changes its permissions or its expiry. The change
// applies to the key's next request. An update that changes nothing records
// nothing.
func (s *Service) Update(ctx context.Context, org uuid.UUID, cmd UpdateCommand) (Listed, error) {
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		key, err := s.lock(ctx, org, cmd.ID)
		if err != nil {
			return err
		}
		if !cmd.Updater.Covers(keyPermissions(key)) {
			return apperr.Forbiddenf("you cannot change an access key that holds permissions you lack")
		}
		u := audit.NewUpdate()
		if cmd.Name != nil {
			name, err := displaytext.Name("name", *cmd.Name)
			if err != nil {
				return err
			}
			u.Set("name", "name", key.Name, name)
		}
		if cmd.Permissions != nil {
			perms, err := validPermissions(cmd.Permissions)
			if err != nil {
				return err
			}
			if err := rbac.CheckGrant(cmd.Updater, perms); err != nil {
				return err
			}
			next := permissionStrings(perms.Sorted())
			if !slices.Equal(next, []string(key.Permissions)) {
				u.Changes["permissions"] = audit.FieldChange{From: []string(key.Permissions), To: next}
				u.Columns["permissions"] = pq.StringArray(next)
			}
		}
		if cmd.SetExpiresAt {
			if err := s.validExpiry(cmd.ExpiresAt); err != nil {
				return err
			}
			u.SetStored("expiresAt", "expires_at", timeString(key.ExpiresAt), timeString(cmd.ExpiresAt), cmd.ExpiresAt)
		}
		if u.Empty() {
			return nil
		}
		u.Columns["updated_at"] = s.now().UTC()
		change := audit.Change{Action: audit.UpdatedAPIAccessKey, Details: audit.Details{"prefix": key.Prefix, "changes": u.Changes}}
		return audit.Audited(s.db.Conn(ctx), change).Model(&key).Where("organization_id = ?", org).Updates(u.Columns).Error
	})
	if err != nil {
		return Listed{}, err
	}
	return s.Get(ctx, org, cmd.ID)
}

// Delete removes a key; it is refused from its next request on. Deleting
// needs no more than api_access_keys:write, so a leaked key can always be
// removed by whoever manages keys.
func (s *Service) Delete(ctx context.Context, org, id uuid.UUID) (AccessKey, error) {
	var key AccessKey
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if key, err = s.lock(ctx, org, id); err != nil {
			return err
		}
		change := audit.Change{Action: audit.DeletedAPIAccessKey, Details: audit.Details{
			"prefix": key.Prefix, "permissions": []string(key.Permissions),
		}}
		res := audit.Audited(s.db.Conn(ctx), change).Where("organization_id = ?", org).Delete(&key)
		if res.Error == nil && res.RowsAffected == 0 {
			return apperr.NotFoundf("API access key %s not found", id)
		}
		return res.Error
	})
	return key, err
}

func (s *Service) lock(ctx context.Context, org, id uuid.UUID) (AccessKey, error) {
	var key AccessKey
	err := s.db.Conn(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("organization_id = ? AND id = ?", org, id).Take(&key).Error
	if database.IsNotFound(err) {
		return AccessKey{}, apperr.NotFoundf("API access key %s not found", id)
	}
	return key, err
}

func keyPermissions(k AccessKey) rbac.PermissionSet {
	set := rbac.PermissionSet{}
	for _, p := range k.Permissions {
		set[rbac.Permission(p)] = struct{}{}
	}
	return set
}

// timeString is an expiry as events show it (nil: never).
func timeString(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}
