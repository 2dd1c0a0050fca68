// Package secrets holds organization secrets and the encryption every stored
// secret of Orgtrail goes through (secret values, connector credentials):
// AES-256-GCM under a key derived from SECRET_KEY, bound to the organization
// and the row, with the key's version stored beside the ciphertext so the key
// can be rotated (see Rotate and docs/secret-key-rotation.md).
//
// Secret values are write-only. The API lists a secret's name, description
// and who created and changed it, never its value; audit events record that a
// value changed, never the value.
package secrets

import (
	"context"
	"crypto/subtle"
	"fmt"
	"regexp"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/displaytext"
)

// MaxValueBytes bounds a secret's value.
const MaxValueBytes = 64 << 10

// PurposeSecret is the Binding purpose of secret values.
const PurposeSecret = "secret"

// validName is the rule for secret names: upper snake case, 1 to 128
// characters, so a secret can become an environment variable as it is.
var validName = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,127}$`)

// Author is who created or last changed a row, as they were at the time.
type Author struct {
	Type  audit.ActorType
	ID    string
	Email string
	Name  string
}

// authorFrom is the actor of the change ctx carries.
func authorFrom(ctx context.Context) Author {
	a, _ := audit.ActorFrom(ctx)
	return Author{Type: a.Type, ID: a.ID, Email: a.Email, Name: a.Name}
}

// Secret is an organization secret as stored. Ciphertext is the sealed value;
// it never leaves this package except to be stored.
type Secret struct {
	ID             uuid.UUID
	OrganizationID uuid.UUID
	Name           string
	Description    string
	Ciphertext     []byte
	KeyVersion     string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	CreatedBy      Author `gorm:"embedded;embeddedPrefix:created_by_"`
	UpdatedBy      Author `gorm:"embedded;embeddedPrefix:updated_by_"`
}

// AuditTarget implements audit.Target.
func (s *Secret) AuditTarget() (uuid.UUID, audit.Resource) {
	return s.OrganizationID, audit.Resource{Type: "secret", ID: s.ID.String(), Name: s.Name}
}

func (s *Secret) binding() Binding {
	return Binding{Purpose: PurposeSecret, OrganizationID: s.OrganizationID, ID: s.ID}
}

// Service manages organization secrets.
type Service struct {
	db   *database.DB
	keys *Keyring
}

// NewService returns a secret service on db that seals values with keys.
func NewService(db *database.DB, keys *Keyring) *Service { return &Service{db: db, keys: keys} }

// CreateCommand is the input of Create.
type CreateCommand struct {
	Name        string
	Description string
	Value       string
}

// UpdateCommand is the input of Update; nil fields are left alone.
type UpdateCommand struct {
	ID          uuid.UUID
	Name        *string
	Description *string
	Value       *string
}

// List returns the organization's secrets by name, without their values.
func (s *Service) List(ctx context.Context, org uuid.UUID) ([]Secret, error) {
	var out []Secret
	err := s.db.Conn(ctx).Omit("ciphertext").Where("organization_id = ?", org).Order("name").Find(&out).Error
	return out, err
}

// Get returns one secret of the organization, without its value.
func (s *Service) Get(ctx context.Context, org, id uuid.UUID) (Secret, error) {
	var sec Secret
	err := s.db.Conn(ctx).Omit("ciphertext").Where("organization_id = ? AND id = ?", org, id).Take(&sec).Error
	if database.IsNotFound(err) {
		return Secret{}, apperr.NotFoundf("secret %s not found", id)
	}
	return sec, err
}

// Value decrypts a secret's value for the server's own use (it is never
// served by the API). A value that does not decrypt fails closed with an
// error wrapping ErrUndecryptable.
func (s *Service) Value(ctx context.Context, org, id uuid.UUID) (string, error) {
	var sec Secret
	err := s.db.Conn(ctx).Where("organization_id = ? AND id = ?", org, id).Take(&sec).Error
	if database.IsNotFound(err) {
		return "", apperr.NotFoundf("secret %s not found", id)
	}
	if err != nil {
		return "", err
	}
	plain, err := s.keys.Open(Sealed{Ciphertext: sec.Ciphertext, KeyVersion: sec.KeyVersion}, sec.binding())
	if err != nil {
		return "", fmt.Errorf("secret %s (%s): %w", sec.Name, sec.ID, err)
	}
	return string(plain), nil
}

// Create stores a new secret, its value sealed.
func (s *Service) Create(ctx context.Context, org uuid.UUID, cmd CreateCommand) (Secret, error) {
	name, err := ValidName(cmd.Name)
	if err != nil {
		return Secret{}, err
	}
	desc, err := displaytext.Description("description", cmd.Description)
	if err != nil {
		return Secret{}, err
	}
	if err := validValue(cmd.Value); err != nil {
		return Secret{}, err
	}
	author := authorFrom(ctx)
	sec := Secret{ID: uuid.Must(uuid.NewV7()), OrganizationID: org, Name: name, Description: desc,
		CreatedBy: author, UpdatedBy: author}
	if err := s.seal(&sec, cmd.Value); err != nil {
		return Secret{}, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		change := audit.Change{Action: audit.CreatedSecret, Details: audit.Details{"description": desc}}
		err := audit.Audited(s.db.Conn(ctx), change).Create(&sec).Error
		if database.IsUniqueViolation(err) {
			return apperr.ConflictOn("name", "a secret named %s already exists", name)
		}
		return err
	})
	sec.Ciphertext = nil
	return sec, err
}

// Update renames a secret, changes its description or replaces its value.
// An update that changes nothing records nothing. A new value appears in the
// event only as "changed".
func (s *Service) Update(ctx context.Context, org uuid.UUID, cmd UpdateCommand) (Secret, error) {
	var sec Secret
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Conn(ctx)
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("organization_id = ? AND id = ?", org, cmd.ID).Take(&sec).Error
		if database.IsNotFound(err) {
			return apperr.NotFoundf("secret %s not found", cmd.ID)
		}
		if err != nil {
			return err
		}
		u := audit.NewUpdate()
		var writeOnly map[string]WriteOnlyChange
		if cmd.Name != nil {
			name, err := ValidName(*cmd.Name)
			if err != nil {
				return err
			}
			u.Set("name", "name", sec.Name, name)
		}
		if cmd.Description != nil {
			desc, err := displaytext.Description("description", *cmd.Description)
			if err != nil {
				return err
			}
			u.Set("description", "description", sec.Description, desc)
		}
		if cmd.Value != nil {
			if err := validValue(*cmd.Value); err != nil {
				return err
			}
			if !s.holds(sec, *cmd.Value) {
				next := sec
				if err := s.seal(&next, *cmd.Value); err != nil {
					return err
				}
				u.Columns["ciphertext"], u.Columns["key_version"] = next.Ciphertext, next.KeyVersion
				writeOnly = map[string]WriteOnlyChange{"value": Changed}
			}
		}
		if u.Empty() {
			return nil
		}
		author := authorFrom(ctx)
		u.Columns["updated_at"] = time.Now().UTC()
		u.Columns["updated_by_type"], u.Columns["updated_by_id"] = author.Type, author.ID
		u.Columns["updated_by_email"], u.Columns["updated_by_name"] = author.Email, author.Name
		change := audit.Change{Action: audit.UpdatedSecret, Details: audit.Details{"changes": ChangeDetails(u.Changes, writeOnly)}}
		err = audit.Audited(tx, change).Model(&sec).Where("organization_id = ?", org).Updates(u.Columns).Error
		if database.IsUniqueViolation(err) {
			return apperr.ConflictOn("name", "a secret named %s already exists", *cmd.Name)
		}
		return err
	})
	if err != nil {
		return Secret{}, err
	}
	return s.Get(ctx, org, cmd.ID)
}

// Delete removes a secret and its value.
func (s *Service) Delete(ctx context.Context, org, id uuid.UUID) (Secret, error) {
	var sec Secret
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if sec, err = s.Get(ctx, org, id); err != nil {
			return err
		}
		change := audit.Change{Action: audit.DeletedSecret, Details: audit.Details{"description": sec.Description}}
		res := audit.Audited(s.db.Conn(ctx), change).Where("organization_id = ?", org).Delete(&sec)
		if res.Error == nil && res.RowsAffected == 0 {
			return apperr.NotFoundf("secret %s not found", id)
		}
		return res.Error
	})
	return sec, err
}

func (s *Service) seal(sec *Secret, value string) error {
	sealed, err := s.keys.Seal([]byte(value), sec.binding())
	if err != nil {
		return err
	}
	sec.Ciphertext, sec.KeyVersion = sealed.Ciphertext, sealed.KeyVersion
	return nil
}

// holds reports whether sec's stored value is value. A stored value that does
// not decrypt holds nothing, so writing a new value is how it is repaired.
func (s *Service) holds(sec Secret, value string) bool {
	plain, err := s.keys.Open(Sealed{Ciphertext: sec.Ciphertext, KeyVersion: sec.KeyVersion}, sec.binding())
	return err == nil && subtle.ConstantTimeCompare(plain, []byte(value)) == 1
}

// WriteOnlyChange is how a write-only field (a secret value, a credential)
// appears in an event's details.changes: what happened to it, never from
// what or to what.
type WriteOnlyChange string

// What can happen to a write-only field.
const (
	// Changed: the caller gave it a new value, or removed it.
	Changed WriteOnlyChange = "changed"
	// Cleared: the server dropped the stored value because what the value
	// was bound to changed (a connector's destination) and the caller gave
	// no new one.
	Cleared WriteOnlyChange = "cleared"
)

// ChangeDetails is an update event's details.changes: the ordinary fields'
// from/to and, for each write-only field, only what happened to it.
func ChangeDetails(changes audit.Changes, writeOnly map[string]WriteOnlyChange) map[string]any {
	out := make(map[string]any, len(changes)+len(writeOnly))
	for field, c := range changes {
		out[field] = c
	}
	for field, what := range writeOnly {
		out[field] = what
	}
	return out
}

// ValidName checks a secret name: upper snake case, 1 to 128 characters.
func ValidName(name string) (string, error) {
	if !validName.MatchString(name) {
		return "", apperr.Invalid("name",
			"name must be 1 to 128 characters of A-Z, 0-9 and _, starting with a letter (for example DATABASE_PASSWORD)")
	}
	return name, nil
}

// validValue checks a value's size; its error never quotes the value.
func validValue(v string) error {
	switch {
	case v == "":
		return apperr.Invalid("value", "value is required")
	case len(v) > MaxValueBytes:
		return apperr.Invalid("value", "value must be at most %d KiB", MaxValueBytes>>10)
	}
	return nil
}
