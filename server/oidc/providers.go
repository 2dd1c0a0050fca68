package oidc

import (
	"context"
	"crypto/subtle"
	"strings"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm/clause"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/displaytext"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/secrets"
	"github.com/orgtrail/orgtrail/server/sessions"
)

// CreateProviderCommand is the input of CreateProvider.
type CreateProviderCommand struct {
	Name     string
	Issuer   string
	ClientID string
	// ClientSecret is empty for a public client.
	ClientSecret string
	// Scopes defaults to openid, email and profile; openid is always asked.
	Scopes []string
}

// UpdateProviderCommand is the input of UpdateProvider; nil fields are left
// alone. An empty ClientSecret removes the secret (a public client).
type UpdateProviderCommand struct {
	ID           uuid.UUID
	Name         *string
	Issuer       *string
	ClientID     *string
	ClientSecret *string
	Scopes       []string
}

// secretChange is how a changed client secret appears in details.changes:
// that it changed, never a value.
var secretChange = audit.FieldChange{From: "[secret]", To: "[changed]"}

// ListProviders returns the providers of org's account, by name, each with
// the live organizations it is linked to.
func (s *Service) ListProviders(ctx context.Context, org uuid.UUID) ([]Provider, error) {
	account, err := s.accountOf(ctx, org)
	if err != nil {
		return nil, err
	}
	var rows []providerRow
	if err := s.db.Conn(ctx).Where("account_id = ?", account).Order("lower(name), id").Find(&rows).Error; err != nil {
		return nil, err
	}
	return s.views(ctx, rows)
}

// GetProvider returns one provider of org's account.
func (s *Service) GetProvider(ctx context.Context, org, id uuid.UUID) (Provider, error) {
	account, err := s.accountOf(ctx, org)
	if err != nil {
		return Provider{}, err
	}
	row, err := s.providerOf(ctx, account, id, false)
	if err != nil {
		return Provider{}, err
	}
	views, err := s.views(ctx, []providerRow{row})
	if err != nil {
		return Provider{}, err
	}
	return views[0], nil
}

// CreateProvider configures a provider for org's account once its issuer
// answers with an OIDC discovery document. It is linked to no organization
// yet. "Created OIDC provider" lands in org.
func (s *Service) CreateProvider(ctx context.Context, org uuid.UUID, cmd CreateProviderCommand) (Provider, error) {
	name, err := displaytext.Name("name", cmd.Name)
	if err != nil {
		return Provider{}, err
	}
	issuer, err := validIssuer(cmd.Issuer)
	if err != nil {
		return Provider{}, err
	}
	clientID, err := validClientID(cmd.ClientID)
	if err != nil {
		return Provider{}, err
	}
	secret, err := validClientSecret(cmd.ClientSecret)
	if err != nil {
		return Provider{}, err
	}
	scopes, err := validScopes(cmd.Scopes)
	if err != nil {
		return Provider{}, err
	}
	account, err := s.accountOf(ctx, org)
	if err != nil {
		return Provider{}, err
	}
	// The issuer is fetched before the transaction: no row is locked, and
	// nothing is stored, while a remote server answers (or does not).
	if err := s.discovery.validate(ctx, issuer); err != nil {
		return Provider{}, err
	}
	row := providerRow{ID: uuid.Must(uuid.NewV7()), AccountID: account, Name: name, Issuer: issuer,
		ClientID: clientID, Scopes: scopes}
	if err := s.sealSecret(&row, secret); err != nil {
		return Provider{}, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		change := audit.Change{Action: audit.CreatedOIDCProvider, OrganizationID: org, Resource: row.resource(),
			Details: audit.Details{"issuer": issuer, "clientId": clientID, "scopes": scopes, "hasClientSecret": secret != ""}}
		err := audit.Audited(s.db.Conn(ctx), change).Create(&row).Error
		if database.IsUniqueViolation(err) {
			return apperr.ConflictOn("name", "an OIDC provider named %q already exists", name)
		}
		return err
	})
	if err != nil {
		return Provider{}, err
	}
	return row.view(nil), nil
}

// UpdateProvider changes a provider of the caller's account. A provider is
// shared by the organizations it is linked to, so the caller needs
// identity_providers:write in each, and a new issuer or client (which
// decides who vouches for their members) needs what their members hold
// (checkVouching). A new issuer is validated like a new provider's. An
// update that changes nothing records nothing; "Updated OIDC provider" lands
// in the caller's organization and in each linked one; a changed secret is
// recorded as changed, never by value.
func (s *Service) UpdateProvider(ctx context.Context, c Caller, cmd UpdateProviderCommand) (Provider, error) {
	org := c.OrganizationID
	account, err := s.accountOf(ctx, org)
	if err != nil {
		return Provider{}, err
	}
	current, err := s.providerOf(ctx, account, cmd.ID, false)
	if err != nil {
		return Provider{}, err
	}
	// Refused before any issuer is fetched; checked again in the transaction.
	if _, _, err := s.linkedOrganizationRows(ctx, c, current.ID); err != nil {
		return Provider{}, err
	}
	var name, issuer, clientID, secret string
	var scopes []string
	if cmd.Name != nil {
		if name, err = displaytext.Name("name", *cmd.Name); err != nil {
			return Provider{}, err
		}
	}
	if cmd.Issuer != nil {
		if issuer, err = validIssuer(*cmd.Issuer); err != nil {
			return Provider{}, err
		}
		if issuer != current.Issuer {
			if err := s.discovery.validate(ctx, issuer); err != nil {
				return Provider{}, err
			}
		}
	}
	if cmd.ClientID != nil {
		if clientID, err = validClientID(*cmd.ClientID); err != nil {
			return Provider{}, err
		}
	}
	if cmd.ClientSecret != nil {
		if secret, err = validClientSecret(*cmd.ClientSecret); err != nil {
			return Provider{}, err
		}
	}
	if cmd.Scopes != nil {
		if scopes, err = validScopes(cmd.Scopes); err != nil {
			return Provider{}, err
		}
	}
	var row providerRow
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if row, err = s.providerOf(ctx, account, cmd.ID, true); err != nil {
			return err
		}
		u := audit.NewUpdate()
		if cmd.Name != nil {
			u.Set("name", "name", row.Name, name)
		}
		if cmd.Issuer != nil {
			u.Set("issuer", "issuer", row.Issuer, issuer)
		}
		if cmd.ClientID != nil {
			u.Set("clientId", "client_id", row.ClientID, clientID)
		}
		if cmd.Scopes != nil {
			u.SetStored("scopes", "scopes", strings.Join(row.Scopes, " "), strings.Join(scopes, " "), pq.StringArray(scopes))
		}
		if cmd.ClientSecret != nil {
			if !s.secretEquals(ctx, &row, secret) {
				sealed := providerRow{ID: row.ID, AccountID: row.AccountID}
				if err := s.sealSecret(&sealed, secret); err != nil {
					return err
				}
				u.Changes["clientSecret"] = secretChange
				u.Columns["client_secret_ciphertext"] = sealed.ClientSecretCiphertext
				u.Columns["client_secret_key_version"] = sealed.ClientSecretKeyVersion
			}
		}
		if u.Empty() {
			return nil
		}
		linked, held, err := s.linkedOrganizationRows(ctx, c, row.ID)
		if err != nil {
			return err
		}
		_, newIssuer := u.Changes["issuer"]
		_, newClient := u.Changes["clientId"]
		if newIssuer || newClient {
			for i, o := range linked {
				if err := s.checkVouching(ctx, held[i], o); err != nil {
					return err
				}
			}
		}
		u.Columns["updated_at"] = s.now().UTC()
		resource := row.resource()
		if n, ok := u.Columns["name"].(string); ok {
			resource.Name = n
		}
		change := audit.Change{Action: audit.UpdatedOIDCProvider, OrganizationID: org, Resource: resource,
			Details: audit.Details{"changes": u.Changes}}
		err = audit.Audited(s.db.Conn(ctx), change).Model(&row).Where("account_id = ?", account).Updates(u.Columns).Error
		if database.IsUniqueViolation(err) {
			return apperr.ConflictOn("name", "an OIDC provider named %q already exists", name)
		}
		if err != nil {
			return err
		}
		return s.recordInLinked(ctx, change, linked)
	})
	if err != nil {
		return Provider{}, err
	}
	return s.GetProvider(ctx, org, cmd.ID)
}

// DeleteProvider removes a provider of the caller's account and its links:
// nobody signs in with it any more. It needs identity_providers:write in
// every organization the provider is linked to. "Deleted OIDC provider"
// lands in the caller's organization and in each linked one, and names the
// organizations it was linked to. Deleting the last provider of an
// organization that accepts only OIDC is refused (sessions.RequireWayIn).
func (s *Service) DeleteProvider(ctx context.Context, c Caller, id uuid.UUID) (Provider, error) {
	org := c.OrganizationID
	account, err := s.accountOf(ctx, org)
	if err != nil {
		return Provider{}, err
	}
	var deleted Provider
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		row, err := s.providerOf(ctx, account, id, true)
		if err != nil {
			return err
		}
		linked, _, err := s.linkedOrganizationRows(ctx, c, row.ID)
		if err != nil {
			return err
		}
		deleted = row.view(linked)
		ids := make([]string, len(linked))
		for i, o := range linked {
			ids[i] = o.ID.String()
		}
		change := audit.Change{Action: audit.DeletedOIDCProvider, OrganizationID: org, Resource: row.resource(),
			Details: audit.Details{"issuer": row.Issuer, "clientId": row.ClientID, "linkedOrganizationIds": ids}}
		if err := audit.Audited(s.db.Conn(ctx), change).Where("account_id = ?", account).Delete(&row).Error; err != nil {
			return err
		}
		linkedIDs := make([]uuid.UUID, len(linked))
		for i, o := range linked {
			linkedIDs[i] = o.ID
		}
		// Its links went with it (ON DELETE CASCADE).
		if err := sessions.RequireWayIn(s.db.Conn(ctx), "id", linkedIDs...); err != nil {
			return err
		}
		return s.recordInLinked(ctx, change, linked)
	})
	return deleted, err
}

// recordInLinked records change, already recorded in the caller's
// organization, in each other organization of linked too: their admins see
// who changed the provider their members sign in with, and from where.
func (s *Service) recordInLinked(ctx context.Context, change audit.Change, linked []orgs.Organization) error {
	acting := change.OrganizationID
	for _, o := range linked {
		if o.ID == acting {
			continue
		}
		c := change
		c.OrganizationID = o.ID
		c.Details = audit.Details{"actingOrganizationId": acting.String()}
		for k, v := range change.Details {
			c.Details[k] = v
		}
		if err := audit.Append(ctx, s.db.Conn(ctx), c); err != nil {
			return err
		}
	}
	return nil
}

// accountOf returns the account of a live organization.
func (s *Service) accountOf(ctx context.Context, org uuid.UUID) (uuid.UUID, error) {
	var o orgs.Organization
	err := s.db.Conn(ctx).Where("id = ? AND deleted_at IS NULL", org).Take(&o).Error
	if database.IsNotFound(err) {
		return uuid.Nil, apperr.NotFoundf("organization %s not found", org)
	}
	return o.AccountID, err
}

// providerOf returns a provider of the account, locked for update when asked.
func (s *Service) providerOf(ctx context.Context, account, id uuid.UUID, lock bool) (providerRow, error) {
	q := s.db.Conn(ctx).Where("account_id = ? AND id = ?", account, id)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var row providerRow
	err := q.Take(&row).Error
	if database.IsNotFound(err) {
		return providerRow{}, apperr.NotFoundf("OIDC provider %s not found", id)
	}
	return row, err
}

// views maps rows with their live linked organizations, loaded in one query.
func (s *Service) views(ctx context.Context, rows []providerRow) ([]Provider, error) {
	out := make([]Provider, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var links []struct {
		ProviderID uuid.UUID
		orgs.Organization
	}
	err := s.db.Conn(ctx).Raw(`SELECT l.provider_id, o.* FROM oidc_provider_links l
		JOIN organizations o ON o.id = l.organization_id AND o.deleted_at IS NULL
		WHERE l.provider_id IN ? ORDER BY lower(o.name), o.id`, ids).Scan(&links).Error
	if err != nil {
		return nil, err
	}
	byProvider := map[uuid.UUID][]orgs.Organization{}
	for _, l := range links {
		byProvider[l.ProviderID] = append(byProvider[l.ProviderID], l.Organization)
	}
	for i := range rows {
		out[i] = rows[i].view(byProvider[rows[i].ID])
	}
	return out, nil
}

// binding ties a sealed client secret to its provider and account, so a
// ciphertext copied to another provider does not open (see ClientSecrets).
func binding(row *providerRow) secrets.Binding {
	return secrets.Binding{Purpose: PurposeClientSecret, OrganizationID: row.AccountID, ID: row.ID}
}

// sealSecret stores secret sealed in row ("" leaves row without a secret).
func (s *Service) sealSecret(row *providerRow, secret string) error {
	if secret == "" {
		row.ClientSecretCiphertext, row.ClientSecretKeyVersion = nil, nil
		return nil
	}
	sealed, err := s.keyring.Seal([]byte(secret), binding(row))
	if err != nil {
		return err
	}
	row.ClientSecretCiphertext, row.ClientSecretKeyVersion = sealed.Ciphertext, &sealed.KeyVersion
	return nil
}

// openSecret returns row's client secret ("" for a public client).
func (s *Service) openSecret(row *providerRow) (string, error) {
	if row.ClientSecretCiphertext == nil || row.ClientSecretKeyVersion == nil {
		return "", nil
	}
	plain, err := s.keyring.Open(secrets.Sealed{Ciphertext: row.ClientSecretCiphertext, KeyVersion: *row.ClientSecretKeyVersion}, binding(row))
	return string(plain), err
}

// secretEquals reports whether secret is the one stored, so that saving a
// form with the same secret is not a change. A stored secret that no longer
// opens is replaced.
func (s *Service) secretEquals(ctx context.Context, row *providerRow, secret string) bool {
	if row.ClientSecretCiphertext == nil || secret == "" {
		return row.ClientSecretCiphertext == nil && secret == ""
	}
	current, err := s.openSecret(row)
	if err != nil {
		s.log.WarnContext(ctx, "stored OIDC client secret does not open; replacing it",
			"provider_id", row.ID, "error", err)
		return false
	}
	return subtle.ConstantTimeCompare([]byte(current), []byte(secret)) == 1
}
