package orgs

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
	"github.com/orgtrail/orgtrail/server/sessions"
)

// Settings are what an admin controls about an organization.
type Settings struct {
	Name                 string
	SessionLifetimeHours int
	SessionIdleMinutes   int
	SignInMethods        []string
	AuditRetentionDays   int
}

// The bounds of an organization's audit retention, in days.
const (
	MinAuditRetentionDays = 30
	MaxAuditRetentionDays = 3650
)

// SignInMethodsAllowed lists the sign-in methods an organization may allow.
var SignInMethodsAllowed = []string{"MAGIC_LINK", "OIDC"}

// UpdateSettingsCommand changes the given settings; nil fields stay.
type UpdateSettingsCommand struct {
	Name                 *string
	SessionLifetimeHours *int
	SessionIdleMinutes   *int
	SignInMethods        []string // nil: unchanged
	AuditRetentionDays   *int
}

type settingsRow struct {
	ID                   uuid.UUID
	AccountID            uuid.UUID
	Name                 string
	SessionLifetimeHours int
	SessionIdleMinutes   int
	SignInMethods        pq.StringArray `gorm:"type:text[]"`
	AuditRetentionDays   int
	UpdatedAt            time.Time
}

func (settingsRow) TableName() string { return "organizations" }

// AuditTarget implements audit.Target.
func (o *settingsRow) AuditTarget() (uuid.UUID, audit.Resource) {
	return o.ID, audit.Resource{Type: "organization", ID: o.ID.String(), Name: o.Name}
}

func (o settingsRow) settings() Settings {
	return Settings{Name: o.Name, SessionLifetimeHours: o.SessionLifetimeHours, SessionIdleMinutes: o.SessionIdleMinutes,
		SignInMethods: []string(o.SignInMethods), AuditRetentionDays: o.AuditRetentionDays}
}

// GetSettings returns the organization's settings.
func (s *Service) GetSettings(ctx context.Context, org uuid.UUID) (Settings, error) {
	row, err := s.settingsRow(ctx, org, false)
	return row.settings(), err
}

func (s *Service) settingsRow(ctx context.Context, org uuid.UUID, lock bool) (settingsRow, error) {
	var row settingsRow
	q := s.db.Conn(ctx).Where("id = ? AND deleted_at IS NULL", org)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Take(&row).Error
	if database.IsNotFound(err) {
		return settingsRow{}, apperr.NotFoundf("organization %s not found", org)
	}
	return row, err
}

// UpdateSettings changes the organization's settings, recording "Updated org
// settings" with the changes. Nothing changed, nothing recorded. A new name
// must not be another live organization's of the account (CONFLICT on name);
// sign-in methods that would leave nobody a way in are refused
// (sessions.RequireWayIn).
func (s *Service) UpdateSettings(ctx context.Context, org uuid.UUID, cmd UpdateSettingsCommand) (Settings, error) {
	var row settingsRow
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if row, err = s.settingsRow(ctx, org, true); err != nil {
			return err
		}
		u := audit.NewUpdate()
		if cmd.Name != nil {
			name, err := ValidOrganizationName(*cmd.Name)
			if err != nil {
				return err
			}
			u.Set("name", "name", row.Name, name)
		}
		intSetting := func(field, column string, v *int, min, max int, from int) error {
			if v == nil {
				return nil
			}
			if *v < min || *v > max {
				return apperr.Invalid(field, "%s must be between %d and %d", field, min, max)
			}
			u.Set(field, column, from, *v)
			return nil
		}
		if err := intSetting("sessionLifetimeHours", "session_lifetime_hours", cmd.SessionLifetimeHours, 1, 2160, row.SessionLifetimeHours); err != nil {
			return err
		}
		if err := intSetting("sessionIdleMinutes", "session_idle_minutes", cmd.SessionIdleMinutes, 5, 43200, row.SessionIdleMinutes); err != nil {
			return err
		}
		if err := intSetting("auditRetentionDays", "audit_retention_days", cmd.AuditRetentionDays,
			MinAuditRetentionDays, MaxAuditRetentionDays, row.AuditRetentionDays); err != nil {
			return err
		}
		if cmd.SignInMethods != nil {
			methods := slices.Clone(cmd.SignInMethods)
			slices.Sort(methods)
			methods = slices.Compact(methods)
			if len(methods) == 0 {
				return apperr.Invalid("signInMethods", "allow at least one sign-in method")
			}
			for _, m := range methods {
				if !slices.Contains(SignInMethodsAllowed, m) {
					return apperr.Invalid("signInMethods", "unknown sign-in method %q", m)
				}
			}
			old := slices.Clone([]string(row.SignInMethods))
			slices.Sort(old)
			if !slices.Equal(old, methods) {
				u.Changes["signInMethods"] = audit.FieldChange{From: old, To: methods}
				u.Columns["sign_in_methods"] = pq.StringArray(methods)
			}
		}
		if u.Empty() {
			return nil
		}
		u.Columns["updated_at"] = time.Now().UTC()
		change := audit.Change{Action: audit.UpdatedOrgSettings, Details: audit.Details{"changes": u.Changes}}
		if err := audit.Audited(s.db.Conn(ctx), change).Model(&row).Updates(u.Columns).Error; err != nil {
			return nameTaken(err, cmd.Name)
		}
		if _, ok := u.Columns["sign_in_methods"]; ok {
			if err := sessions.RequireWayIn(s.db.Conn(ctx), "signInMethods", org); err != nil {
				return err
			}
		}
		row, err = s.settingsRow(ctx, org, false)
		return err
	})
	return row.settings(), err
}

// Delete soft-deletes the organization once confirmName matches its name: it
// becomes inaccessible (sessions and keys stop working) and its audit log is
// kept. onDeleted runs in the same transaction (ending sessions).
func (s *Service) Delete(ctx context.Context, org uuid.UUID, confirmName string, onDeleted func(ctx context.Context) error) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		row, err := s.settingsRow(ctx, org, true)
		if err != nil {
			return err
		}
		if confirmName != row.Name {
			return apperr.Invalid("confirmName", "type the organization's name exactly to confirm")
		}
		change := audit.Change{Action: audit.DeletedOrganization, Details: audit.Details{"name": row.Name}}
		if err := audit.Audited(s.db.Conn(ctx), change).Model(&row).Update("deleted_at", time.Now().UTC()).Error; err != nil {
			return err
		}
		return onDeleted(ctx)
	})
}

// CreateSibling creates an organization in the same account as org, with its
// built-in Admin role given to creator, recording "Created sibling
// organization" in org. Its name must not be another live organization's of
// the account (CONFLICT on name). makeAdmin sets up the new organization's Admin role.
func (s *Service) CreateSibling(ctx context.Context, org uuid.UUID, name string, makeAdmin func(ctx context.Context, sibling uuid.UUID) error) (Organization, error) {
	name, err := ValidOrganizationName(name)
	if err != nil {
		return Organization{}, err
	}
	var sibling Organization
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		parent, err := s.Get(ctx, org)
		if err != nil {
			return err
		}
		sibling = Organization{ID: uuid.Must(uuid.NewV7()), AccountID: parent.AccountID, Name: name}
		change := audit.Change{Action: audit.CreatedSiblingOrganization, OrganizationID: org,
			Resource: audit.Resource{Type: "organization", ID: sibling.ID.String(), Name: name},
			Details:  audit.Details{"accountId": parent.AccountID.String(), "from": parent.Name}}
		if err := audit.Audited(s.db.Conn(ctx), change).Create(&sibling).Error; err != nil {
			return nameTaken(err, &name)
		}
		return makeAdmin(ctx, sibling.ID)
	})
	return sibling, err
}

// ListForUser returns the live organizations where user is an active member.
func (s *Service) ListForUser(ctx context.Context, user uuid.UUID) ([]Organization, error) {
	var out []Organization
	err := s.db.Conn(ctx).Raw(`SELECT o.* FROM organizations o
		JOIN memberships m ON m.organization_id = o.id AND m.user_id = ? AND m.status = 'ACTIVE'
		WHERE o.deleted_at IS NULL ORDER BY lower(o.name)`, user).Scan(&out).Error
	return out, err
}
