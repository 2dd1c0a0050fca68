// Package orgs holds organizations, their accounts, users and memberships.
package orgs

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/database"
)

// Organization is a tenant. Siblings share an AccountID.
type Organization struct {
	ID        uuid.UUID
	AccountID uuid.UUID
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	DeletedAt *time.Time
}

type account struct {
	ID        uuid.UUID
	CreatedAt time.Time
}

func (account) TableName() string { return "accounts" }

// User is a person, identified by email across organizations.
type User struct {
	ID            uuid.UUID
	Email         string
	Name          string
	CreatedAt     time.Time
	DeactivatedAt *time.Time
}

// MembershipStatus tells whether a member may act in the organization.
type MembershipStatus string

// Membership statuses.
const (
	MembershipActive      MembershipStatus = "ACTIVE"
	MembershipDeactivated MembershipStatus = "DEACTIVATED"
)

// Membership makes a user a member of an organization.
type Membership struct {
	OrganizationID uuid.UUID
	UserID         uuid.UUID
	Status         MembershipStatus
	CreatedAt      time.Time
}

// Member is a membership with its user.
type Member struct {
	User     User
	Status   MembershipStatus
	JoinedAt time.Time
}

// Service manages organizations, users and memberships.
type Service struct {
	db *database.DB
}

// NewService returns an organization service on db.
func NewService(db *database.DB) *Service { return &Service{db: db} }

// Get returns a live (not deleted) organization.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (Organization, error) {
	var o Organization
	err := s.db.Conn(ctx).Where("id = ? AND deleted_at IS NULL", id).Take(&o).Error
	if database.IsNotFound(err) {
		return Organization{}, apperr.NotFoundf("organization %s not found", id)
	}
	return o, err
}

// FindByName returns the live organization with this name, if any, compared
// as the names of an account's organizations are kept apart: trimmed and
// case-insensitive (so bootstrapping "acme" after "Acme" finds it rather than
// creating a second). Bootstrap creates each organization in an account of its
// own, so organizations of different accounts may share a name: the oldest
// is the one found, as it always was.
func (s *Service) FindByName(ctx context.Context, name string) (Organization, bool, error) {
	var o Organization
	err := s.db.Conn(ctx).Where("lower(name) = lower(?) AND deleted_at IS NULL", strings.TrimSpace(name)).
		Order("created_at, id").Take(&o).Error
	if database.IsNotFound(err) {
		return Organization{}, false, nil
	}
	return o, err == nil, err
}

// CreateOrganization creates an organization in a new account.
func (s *Service) CreateOrganization(ctx context.Context, name string) (Organization, error) {
	name, err := ValidOrganizationName(name)
	if err != nil {
		return Organization{}, err
	}
	o := Organization{ID: uuid.Must(uuid.NewV7()), AccountID: uuid.Must(uuid.NewV7()), Name: name}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(&account{ID: o.AccountID}).Error; err != nil {
			return err
		}
		return nameTaken(s.db.Conn(ctx).Create(&o).Error, &name)
	})
	return o, err
}

// EnsureUser returns the user with this email, creating it when absent.
func (s *Service) EnsureUser(ctx context.Context, email, name string) (User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return User{}, err
	}
	u := User{ID: uuid.Must(uuid.NewV7()), Email: email, Name: strings.TrimSpace(name)}
	tx := s.db.Conn(ctx)
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&u)
	if res.Error != nil {
		return User{}, res.Error
	}
	if res.RowsAffected == 1 { // created: no need to read it back
		return u, nil
	}
	var existing User
	err = tx.Where("email = ?", email).Take(&existing).Error
	return existing, err
}

// AddMember makes the user an active member (idempotent).
func (s *Service) AddMember(ctx context.Context, org, user uuid.UUID) error {
	m := Membership{OrganizationID: org, UserID: user, Status: MembershipActive}
	return s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&m).Error
}

// EnsureMember returns the user with this email, created (named name) when
// absent, and makes them a member of org with status unless they are one
// already; joined reports a new membership. It costs one statement where
// EnsureUser and AddMember cost three, which matters to bulk provisioning.
func (s *Service) EnsureMember(ctx context.Context, org uuid.UUID, email, name string, status MembershipStatus) (User, bool, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return User{}, false, err
	}
	var rows []struct {
		User
		Joined bool
	}
	err = s.db.Conn(ctx).Raw(`WITH ins AS (
			INSERT INTO users (id, email, name) VALUES (?, ?, ?) ON CONFLICT (email) DO NOTHING
			RETURNING id, email, name, created_at, deactivated_at),
		u AS (
			SELECT * FROM ins
			UNION ALL
			SELECT id, email, name, created_at, deactivated_at FROM users WHERE email = ? AND NOT EXISTS (SELECT 1 FROM ins)),
		m AS (
			INSERT INTO memberships (organization_id, user_id, status) SELECT ?, id, ? FROM u
			ON CONFLICT DO NOTHING RETURNING user_id)
		SELECT u.*, EXISTS (SELECT 1 FROM m) AS joined FROM u`,
		uuid.Must(uuid.NewV7()), email, strings.TrimSpace(name), email, org, status).Scan(&rows).Error
	if err != nil {
		return User{}, false, err
	}
	if len(rows) == 1 {
		return rows[0].User, rows[0].Joined, nil
	}
	// A concurrent transaction created the user after this statement's
	// snapshot: the two-statement way sees it.
	user, err := s.EnsureUser(ctx, email, name)
	if err != nil {
		return User{}, false, err
	}
	res := s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&Membership{OrganizationID: org, UserID: user.ID, Status: status})
	return user, res.RowsAffected == 1, res.Error
}

// ListMembers returns the organization's members ordered by email.
func (s *Service) ListMembers(ctx context.Context, org uuid.UUID) ([]Member, error) {
	var rows []struct {
		User
		Status   MembershipStatus
		JoinedAt time.Time
	}
	err := s.db.Conn(ctx).Raw(`SELECT u.*, m.status, m.created_at AS joined_at
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.organization_id = ? ORDER BY u.email`, org).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]Member, len(rows))
	for i, r := range rows {
		out[i] = Member{User: r.User, Status: r.Status, JoinedAt: r.JoinedAt}
	}
	return out, nil
}

// GetUser returns a user by id.
func (s *Service) GetUser(ctx context.Context, id uuid.UUID) (User, error) {
	var u User
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&u).Error
	if database.IsNotFound(err) {
		return User{}, apperr.NotFoundf("user %s not found", id)
	}
	return u, err
}

// NormalizeEmail validates an email address and lower-cases it.
func NormalizeEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || !strings.Contains(email[strings.IndexByte(email, '@')+1:], ".") || len(email) > 320 {
		return "", apperr.Invalid("email", "%q is not a valid email address", email)
	}
	return email, nil
}

// ValidOrganizationName trims and checks an organization name: 1 to 100
// printable characters. The name goes into email subjects and other
// protocols' headers, where a line break would start a header of its own,
// so control characters (CR and LF above all) are refused here, at input.
func ValidOrganizationName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n == 0 || n > 100 || !utf8.ValidString(name) ||
		strings.ContainsFunc(name, unicode.IsControl) {
		return "", apperr.Invalid("name", "organization name must be 1 to 100 printable characters")
	}
	return name, nil
}

// nameTaken turns a violation of the rule that the live organizations of an
// account have different names (compared case-insensitively; the unique
// index organizations_account_name_key, migration 00012) into the answer a
// person can act on: CONFLICT on the name field. Names that differ only in
// case would be told apart nowhere a person looks: not in the switcher, not
// by the typed-name confirmation of a deletion.
func nameTaken(err error, name *string) error {
	if database.IsUniqueViolation(err) && name != nil {
		return &apperr.Error{Code: apperr.Conflict, Field: "name",
			Message: fmt.Sprintf("an organization named %q already exists in this account: choose another name", strings.TrimSpace(*name))}
	}
	return err
}
