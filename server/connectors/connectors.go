// Package connectors holds data source connectors: a name, a type from a fixed
// list, a configuration validated per type, and credentials sealed with the
// same encryption as secrets (package secrets) and never returned. An update
// records the configuration fields it changes with their old and new values
// and the credential fields it changes only as "changed", or "cleared" when
// changing where the connector points dropped them (see Field.Destination).
package connectors

import (
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm/clause"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/displaytext"
	"github.com/orgtrail/orgtrail/server/secrets"
)

// PurposeCredentials is the secrets.Binding purpose of connector credentials.
const PurposeCredentials = "connector-credentials"

// Credentials is where connector credentials are sealed, for key rotation.
var Credentials = secrets.EncryptedColumn{Table: "connectors", Ciphertext: "credentials_ciphertext",
	KeyVersion: "credentials_key_version", Purpose: PurposeCredentials}

// Connector is a connector as stored. The credentials are sealed in
// CredentialsCiphertext; CredentialFields names the fields that hold a value.
type Connector struct {
	ID                    uuid.UUID
	OrganizationID        uuid.UUID
	Name                  string
	Type                  Type
	Config                Config `gorm:"type:jsonb"`
	CredentialsCiphertext []byte
	CredentialsKeyVersion string
	CredentialFields      pq.StringArray `gorm:"type:text[]"`
	CreatedAt             time.Time
	UpdatedAt             time.Time
	// The last "Test connection" of what the connector is now: all nil when
	// it was never tested, or changed where it points since (LastTest).
	LastTestedAt       *time.Time
	LastTestOK         *bool `gorm:"column:last_test_ok"`
	LastTestMessage    *string
	LastTestDurationMs *int
}

// LastTest returns the connector's last test, if it has one.
func (c *Connector) LastTest() (TestResult, bool) {
	if c.LastTestedAt == nil || c.LastTestOK == nil || c.LastTestMessage == nil || c.LastTestDurationMs == nil {
		return TestResult{}, false
	}
	return TestResult{Supported: true, OK: *c.LastTestOK, Message: *c.LastTestMessage, TestedAt: *c.LastTestedAt,
		Duration: time.Duration(*c.LastTestDurationMs) * time.Millisecond}, true
}

// AuditTarget implements audit.Target.
func (c *Connector) AuditTarget() (uuid.UUID, audit.Resource) {
	return c.OrganizationID, audit.Resource{Type: "connector", ID: c.ID.String(), Name: c.Name}
}

func (c *Connector) binding() secrets.Binding {
	return secrets.Binding{Purpose: PurposeCredentials, OrganizationID: c.OrganizationID, ID: c.ID}
}

// Service manages connectors.
type Service struct {
	db   *database.DB
	keys *secrets.Keyring
	log  *slog.Logger
	// TestTimeout bounds testConnector's connection attempt.
	TestTimeout time.Duration
}

// NewService returns a connector service on db that seals credentials with keys.
func NewService(db *database.DB, keys *secrets.Keyring, log *slog.Logger) *Service {
	return &Service{db: db, keys: keys, log: log, TestTimeout: 5 * time.Second}
}

// CreateCommand is the input of Create. Config and Credentials are checked
// against the type's fields.
type CreateCommand struct {
	Name        string
	Type        Type
	Config      map[string]any
	Credentials map[string]any
}

// UpdateCommand is the input of Update. Nil fields are left alone. Config and
// Credentials are merged into the stored ones: a given field replaces the
// stored one, a null field removes it (back to its default).
type UpdateCommand struct {
	ID          uuid.UUID
	Name        *string
	Config      map[string]any
	Credentials map[string]any
}

// List returns the organization's connectors by name.
func (s *Service) List(ctx context.Context, org uuid.UUID) ([]Connector, error) {
	var out []Connector
	err := s.db.Conn(ctx).Omit("credentials_ciphertext").Where("organization_id = ?", org).
		Order("lower(name)").Find(&out).Error
	return out, err
}

// Get returns one connector of the organization.
func (s *Service) Get(ctx context.Context, org, id uuid.UUID) (Connector, error) {
	var c Connector
	err := s.db.Conn(ctx).Omit("credentials_ciphertext").Where("organization_id = ? AND id = ?", org, id).Take(&c).Error
	if database.IsNotFound(err) {
		return Connector{}, apperr.NotFoundf("connector %s not found", id)
	}
	return c, err
}

// Create validates and stores a connector, its credentials sealed.
func (s *Service) Create(ctx context.Context, org uuid.UUID, cmd CreateCommand) (Connector, error) {
	name, err := displaytext.Name("name", cmd.Name)
	if err != nil {
		return Connector{}, err
	}
	info, ok := cmd.Type.Info()
	if !ok {
		return Connector{}, apperr.Invalid("type", "unknown connector type %q", clip(string(cmd.Type)))
	}
	config, err := info.NormalizeConfig(cmd.Config)
	if err != nil {
		return Connector{}, err
	}
	creds, err := info.NormalizeCredentials(cmd.Credentials)
	if err != nil {
		return Connector{}, err
	}
	c := Connector{ID: uuid.Must(uuid.NewV7()), OrganizationID: org, Name: name, Type: info.Type, Config: config}
	if err := s.seal(&c, creds); err != nil {
		return Connector{}, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		change := audit.Change{Action: audit.CreatedConnector, Details: audit.Details{
			"type": c.Type, "config": config, "credentialFields": []string(c.CredentialFields),
		}}
		err := audit.Audited(s.db.Conn(ctx), change).Create(&c).Error
		if database.IsUniqueViolation(err) {
			return apperr.ConflictOn("name", "a connector named %q already exists", name)
		}
		return err
	})
	c.CredentialsCiphertext = nil
	return c, err
}

// Update renames a connector or changes its configuration or credentials.
// An update that changes nothing records nothing.
func (s *Service) Update(ctx context.Context, org uuid.UUID, cmd UpdateCommand) (Connector, error) {
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Conn(ctx)
		var c Connector
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("organization_id = ? AND id = ?", org, cmd.ID).Take(&c).Error
		if database.IsNotFound(err) {
			return apperr.NotFoundf("connector %s not found", cmd.ID)
		}
		if err != nil {
			return err
		}
		info, ok := c.Type.Info()
		if !ok {
			return apperr.Invalid("id", "connector %s has an unknown type", c.ID)
		}
		u := audit.NewUpdate()
		var name string
		if cmd.Name != nil {
			if name, err = displaytext.Name("name", *cmd.Name); err != nil {
				return err
			}
			u.Set("name", "name", c.Name, name)
		}
		var destination []string // the destination fields this update changes
		if cmd.Config != nil {
			next, changed, err := info.UpdateConfig(c.Config, cmd.Config, u.Changes)
			if err != nil {
				return err
			}
			destination = changed
			if next != nil {
				u.Columns["config"] = next
			}
		}
		var credentialChanges map[string]secrets.WriteOnlyChange
		if cmd.Credentials != nil || (len(destination) > 0 && len(c.CredentialFields) > 0) {
			next, changed, err := s.mergeCredentials(ctx, c, info, cmd.Credentials, destination)
			if err != nil {
				return err
			}
			if len(changed) > 0 {
				sealed := c
				if err := s.seal(&sealed, next); err != nil {
					return err
				}
				u.Columns["credentials_ciphertext"] = sealed.CredentialsCiphertext
				u.Columns["credentials_key_version"] = sealed.CredentialsKeyVersion
				u.Columns["credential_fields"] = sealed.CredentialFields
				credentialChanges = changed
			}
		}
		if u.Empty() {
			return nil
		}
		if len(destination) > 0 || len(credentialChanges) > 0 {
			// The last test was of another destination or other credentials:
			// showing it would vouch for what was not tested.
			u.Columns["last_tested_at"], u.Columns["last_test_ok"] = nil, nil
			u.Columns["last_test_message"], u.Columns["last_test_duration_ms"] = nil, nil
		}
		u.Columns["updated_at"] = time.Now().UTC()
		change := audit.Change{Action: audit.UpdatedConnector, Details: audit.Details{
			"type": c.Type, "changes": secrets.ChangeDetails(u.Changes, credentialChanges),
		}}
		err = audit.Audited(tx, change).Model(&c).Where("organization_id = ?", org).Updates(u.Columns).Error
		if database.IsUniqueViolation(err) {
			return apperr.ConflictOn("name", "a connector named %q already exists", name)
		}
		return err
	})
	if err != nil {
		return Connector{}, err
	}
	return s.Get(ctx, org, cmd.ID)
}

// mergeCredentials opens c's stored credentials and applies the update's
// given ones by the destination rule (TypeInfo.MergeCredentials).
func (s *Service) mergeCredentials(ctx context.Context, c Connector, info TypeInfo, given map[string]any,
	destination []string) (map[string]string, map[string]secrets.WriteOnlyChange, error) {
	old, err := s.open(c)
	if err != nil {
		s.log.WarnContext(ctx, "connector credentials do not decrypt; replacing them", "connector_id", c.ID, "error", err)
		old = nil
	}
	return info.MergeCredentials(old, c.CredentialFields, given, destination)
}

// Delete removes a connector and its credentials.
func (s *Service) Delete(ctx context.Context, org, id uuid.UUID) (Connector, error) {
	var c Connector
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if c, err = s.Get(ctx, org, id); err != nil {
			return err
		}
		change := audit.Change{Action: audit.DeletedConnector, Details: audit.Details{"type": c.Type}}
		res := audit.Audited(s.db.Conn(ctx), change).Where("organization_id = ?", org).Delete(&c)
		if res.Error == nil && res.RowsAffected == 0 {
			return apperr.NotFoundf("connector %s not found", id)
		}
		return res.Error
	})
	return c, err
}

func (s *Service) seal(c *Connector, creds map[string]string) error {
	plain, err := json.Marshal(creds)
	if err != nil {
		return err
	}
	sealed, err := s.keys.Seal(plain, c.binding())
	clear(plain)
	if err != nil {
		return err
	}
	c.CredentialsCiphertext, c.CredentialsKeyVersion = sealed.Ciphertext, sealed.KeyVersion
	names := slices.Sorted(maps.Keys(creds))
	if names == nil {
		names = []string{} // an empty array, not NULL
	}
	c.CredentialFields = pq.StringArray(names)
	return nil
}

// open decrypts c's credentials; c must have been loaded with its ciphertext.
func (s *Service) open(c Connector) (map[string]string, error) {
	plain, err := s.keys.Open(secrets.Sealed{Ciphertext: c.CredentialsCiphertext, KeyVersion: c.CredentialsKeyVersion}, c.binding())
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	creds := map[string]string{}
	if err := json.Unmarshal(plain, &creds); err != nil {
		return nil, err
	}
	return creds, nil
}

// merge returns base with the given fields replaced; a nil value removes one.
func merge(base Config, given map[string]any) map[string]any {
	out := map[string]any{}
	maps.Copy(out, base)
	for k, v := range given {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}
