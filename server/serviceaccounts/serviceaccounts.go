// Package serviceaccounts holds service accounts (non-human members that hold
// roles) and their API keys.
package serviceaccounts

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/displaytext"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// ServiceAccount is a non-human identity of one organization.
type ServiceAccount struct {
	ID             uuid.UUID
	OrganizationID uuid.UUID
	Name           string
	Description    string
	CreatedAt      time.Time
}

// AuditTarget implements audit.Target.
func (s *ServiceAccount) AuditTarget() (uuid.UUID, audit.Resource) {
	return s.OrganizationID, audit.Resource{Type: "service_account", ID: s.ID.String(), Name: s.Name}
}

// Service manages service accounts and their API keys.
type Service struct {
	db    *database.DB
	roles *rbac.Service
	now   func() time.Time
}

// NewService returns a service account service; roles tells what an account
// holds, which whoever mints its keys must hold too.
func NewService(db *database.DB, roles *rbac.Service) *Service {
	return &Service{db: db, roles: roles, now: time.Now}
}

// CreateServiceAccountCommand is the input of Create.
type CreateServiceAccountCommand struct {
	Name        string
	Description string
}

// UpdateServiceAccountCommand is the input of Update; nil fields are left
// alone.
type UpdateServiceAccountCommand struct {
	ID          uuid.UUID
	Name        *string
	Description *string
}

// List returns the organization's service accounts by name.
func (s *Service) List(ctx context.Context, org uuid.UUID) ([]ServiceAccount, error) {
	var out []ServiceAccount
	err := s.db.Conn(ctx).Where("organization_id = ?", org).Order("lower(name)").Find(&out).Error
	return out, err
}

// Get returns one service account of the organization.
func (s *Service) Get(ctx context.Context, org, id uuid.UUID) (ServiceAccount, error) {
	var sa ServiceAccount
	err := s.db.Conn(ctx).Where("organization_id = ? AND id = ?", org, id).Take(&sa).Error
	if database.IsNotFound(err) {
		return ServiceAccount{}, apperr.NotFoundf("service account %s not found", id)
	}
	return sa, err
}

// Create creates a service account with no roles.
func (s *Service) Create(ctx context.Context, org uuid.UUID, cmd CreateServiceAccountCommand) (ServiceAccount, error) {
	name, err := displaytext.Name("name", cmd.Name)
	if err != nil {
		return ServiceAccount{}, err
	}
	desc, err := displaytext.Description("description", cmd.Description)
	if err != nil {
		return ServiceAccount{}, err
	}
	sa := ServiceAccount{ID: uuid.Must(uuid.NewV7()), OrganizationID: org, Name: name, Description: desc}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		change := audit.Change{Action: audit.CreatedServiceAccount, Details: audit.Details{"description": desc}}
		err := audit.Audited(s.db.Conn(ctx), change).Create(&sa).Error
		if database.IsUniqueViolation(err) {
			return apperr.ConflictOn("name", "a service account named %q already exists", name)
		}
		return err
	})
	return sa, err
}

// Update renames a service account or changes its description, recorded as
// "Updated service account" with the changes; an update that changes
// nothing records nothing. Its keys and roles are untouched.
func (s *Service) Update(ctx context.Context, org uuid.UUID, cmd UpdateServiceAccountCommand) (ServiceAccount, error) {
	var sa ServiceAccount
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.Conn(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("organization_id = ? AND id = ?", org, cmd.ID).Take(&sa).Error
		if database.IsNotFound(err) {
			return apperr.NotFoundf("service account %s not found", cmd.ID)
		}
		if err != nil {
			return err
		}
		u := audit.NewUpdate()
		if cmd.Name != nil {
			name, err := displaytext.Name("name", *cmd.Name)
			if err != nil {
				return err
			}
			u.Set("name", "name", sa.Name, name)
		}
		if cmd.Description != nil {
			desc, err := displaytext.Description("description", *cmd.Description)
			if err != nil {
				return err
			}
			u.Set("description", "description", sa.Description, desc)
		}
		if u.Empty() {
			return nil
		}
		change := audit.Change{Action: audit.UpdatedServiceAccount, Details: audit.Details{"changes": u.Changes}}
		err = audit.Audited(s.db.Conn(ctx), change).Model(&sa).Where("organization_id = ?", org).Updates(u.Columns).Error
		if database.IsUniqueViolation(err) {
			return apperr.Conflictf("a service account named %q already exists", u.Columns["name"])
		}
		return err
	})
	if err != nil {
		return ServiceAccount{}, err
	}
	return s.Get(ctx, org, cmd.ID)
}

// Delete deletes a service account; its keys and role assignments go with it,
// so its keys stop working at once.
func (s *Service) Delete(ctx context.Context, org, id uuid.UUID) (ServiceAccount, error) {
	var sa ServiceAccount
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if sa, err = s.Get(ctx, org, id); err != nil {
			return err
		}
		var keys int64
		tx := s.db.Conn(ctx)
		err = tx.Model(&APIKey{}).Where("organization_id = ? AND service_account_id = ? AND revoked_at IS NULL", org, id).
			Count(&keys).Error
		if err != nil {
			return err
		}
		change := audit.Change{Action: audit.DeletedServiceAccount, Details: audit.Details{"activeKeysRemoved": keys}}
		res := audit.Audited(tx, change).Where("organization_id = ?", org).Delete(&sa)
		if res.Error == nil && res.RowsAffected == 0 {
			return apperr.NotFoundf("service account %s not found", id)
		}
		return res.Error
	})
	return sa, err
}
