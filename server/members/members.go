// Package members handles joining and leaving organizations: invitations,
// their acceptance, and every later change to a membership (deactivation,
// reactivation, removal, a move to another user; see membership.go), for
// GraphQL and SCIM alike.
package members

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm/clause"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/mail"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/rbac"
	"github.com/orgtrail/orgtrail/server/sessions"
)

// InvitationLifetime is how long an invitation can be accepted.
const InvitationLifetime = 7 * 24 * time.Hour

// Invitation invites an email into an organization with roles to grant.
type Invitation struct {
	ID              uuid.UUID
	OrganizationID  uuid.UUID
	Email           string
	RoleIDs         pq.StringArray `gorm:"type:uuid[]"`
	InvitedByUserID *uuid.UUID
	TokenHash       []byte
	CreatedAt       time.Time
	ExpiresAt       time.Time
	AcceptedAt      *time.Time
	RevokedAt       *time.Time
}

// AuditTarget implements audit.Target.
func (i *Invitation) AuditTarget() (uuid.UUID, audit.Resource) {
	return i.OrganizationID, audit.Resource{Type: "invitation", ID: i.ID.String(), Name: i.Email}
}

// Service manages invitations and membership changes.
type Service struct {
	db        *database.DB
	orgs      *orgs.Service
	roles     *rbac.Service
	sessions  *sessions.Service
	outbox    *mail.Outbox
	publicURL string
	now       func() time.Time
}

// NewService returns a members service. Invitation links point at publicURL;
// their emails go through outbox.
func NewService(db *database.DB, o *orgs.Service, r *rbac.Service, s *sessions.Service, outbox *mail.Outbox, publicURL string) *Service {
	return &Service{db: db, orgs: o, roles: r, sessions: s, outbox: outbox, publicURL: publicURL, now: time.Now}
}

// InviteCommand is the input of Invite. Grantor is what the caller holds:
// the invitee joins with the roles' permissions, so the caller must hold
// them (rbac.CheckGrant).
type InviteCommand struct {
	Email     string
	RoleIDs   []uuid.UUID
	InvitedBy uuid.UUID // the inviting user, when a person invites
	Grantor   rbac.PermissionSet
}

// Invite records an invitation and enqueues the email of its accept link in
// the same transaction: the invitation and its email exist together or not
// at all, and sending happens after the request, so an SMTP failure cannot
// fail an invitation that committed.
func (s *Service) Invite(ctx context.Context, org uuid.UUID, cmd InviteCommand) (Invitation, error) {
	email, err := orgs.NormalizeEmail(cmd.Email)
	if err != nil {
		return Invitation{}, err
	}
	token, tokenHash, err := newToken()
	if err != nil {
		return Invitation{}, err
	}
	now := s.now().UTC()
	inv := Invitation{ID: uuid.Must(uuid.NewV7()), OrganizationID: org, Email: email, TokenHash: tokenHash,
		RoleIDs: pq.StringArray{}, CreatedAt: now, ExpiresAt: now.Add(InvitationLifetime)}
	if cmd.InvitedBy != uuid.Nil {
		inv.InvitedByUserID = &cmd.InvitedBy
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		o, err := s.orgs.Get(ctx, org)
		if err != nil {
			return err
		}
		roleNames, err := s.checkRoles(ctx, org, cmd.RoleIDs, cmd.Grantor)
		if err != nil {
			return err
		}
		for _, id := range cmd.RoleIDs {
			inv.RoleIDs = append(inv.RoleIDs, id.String())
		}
		var members int64
		err = s.db.Conn(ctx).Raw(`SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.organization_id = ? AND u.email = ?`, org, email).Scan(&members).Error
		if err != nil {
			return err
		}
		if members > 0 {
			return apperr.ConflictOn("email", "this organization already has a member with the email %s", email)
		}
		// An expired pending invitation gives way to the new one.
		err = s.db.Conn(ctx).Model(&Invitation{}).
			Where("organization_id = ? AND email = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at <= ?", org, email, now).
			Update("revoked_at", now).Error
		if err != nil {
			return err
		}
		change := audit.Change{Action: audit.InvitedMember, Details: audit.Details{
			"email": email, "roles": roleNames, "expiresAt": inv.ExpiresAt.Format(time.RFC3339)}}
		err = audit.Audited(s.db.Conn(ctx), change).Create(&inv).Error
		if database.IsUniqueViolation(err) {
			return apperr.ConflictOn("email", "an invitation to %s is already pending", email)
		}
		if err != nil {
			return err
		}
		link := s.publicURL + "/invitations/accept?token=" + token
		return s.outbox.Enqueue(ctx, mail.Message{To: email, Subject: "You are invited to " + o.Name + " on Orgtrail", Link: link,
			Body: fmt.Sprintf("You have been invited to join %s on Orgtrail.\n\nAccept the invitation (valid 7 days):\n%s\n", o.Name, link)})
	})
	if err != nil {
		return Invitation{}, err
	}
	s.outbox.Wake()
	return inv, nil
}

// checkRoles returns the names of the roles an invitation grants, when they
// are roles of org that grantor may hand out.
func (s *Service) checkRoles(ctx context.Context, org uuid.UUID, ids []uuid.UUID, grantor rbac.PermissionSet) ([]string, error) {
	if len(ids) == 0 {
		return []string{}, nil
	}
	roles, err := s.roles.GetRoles(ctx, org, ids)
	if err != nil {
		return nil, err
	}
	if len(roles) != len(uniq(ids)) {
		return nil, apperr.NotFoundf("one of the roles was not found")
	}
	names := make([]string, len(roles))
	granted := rbac.PermissionSet{}
	for i, r := range roles {
		names[i] = r.Name
		for _, p := range r.Permissions {
			granted[p] = struct{}{}
		}
	}
	if err := rbac.CheckGrant(grantor, granted); err != nil {
		return nil, err
	}
	return names, nil
}

func uniq(ids []uuid.UUID) map[uuid.UUID]bool {
	m := map[uuid.UUID]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// ListPendingInvitations returns the organization's open invitations.
func (s *Service) ListPendingInvitations(ctx context.Context, org uuid.UUID) ([]Invitation, error) {
	var out []Invitation
	err := s.db.Conn(ctx).Where("organization_id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
		org, s.now()).Order("created_at DESC").Find(&out).Error
	return out, err
}

// AcceptByToken makes the signed-in user a member through the invitation
// the token belongs to. The user's email must be the invited one.
func (s *Service) AcceptByToken(ctx context.Context, token string, user orgs.User) (Invitation, error) {
	sum := sha256.Sum256([]byte(token))
	var inv Invitation
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.Conn(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("token_hash = ?", sum[:]).Take(&inv).Error
		if database.IsNotFound(err) {
			return apperr.NotFoundf("invitation not found")
		}
		if err != nil {
			return err
		}
		if inv.Email != user.Email {
			return apperr.Forbiddenf("this invitation is for another email address")
		}
		return s.accept(ctx, &inv, user)
	})
	return inv, err
}

// AcceptPendingForSignIn accepts the newest open invitation for email, among
// orgs when given, as part of a sign-in. It reports whether there was one.
func (s *Service) AcceptPendingForSignIn(ctx context.Context, email string, among []uuid.UUID) (uuid.UUID, bool, error) {
	q := s.db.Conn(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
		Joins("JOIN organizations o ON o.id = invitations.organization_id AND o.deleted_at IS NULL").
		Where("invitations.email = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?", email, s.now())
	if among != nil {
		q = q.Where("invitations.organization_id IN ?", among)
	}
	var inv Invitation
	err := q.Order("invitations.created_at DESC").Take(&inv).Error
	if database.IsNotFound(err) {
		return uuid.Nil, false, nil
	}
	if err != nil {
		return uuid.Nil, false, err
	}
	user, err := s.orgs.EnsureUser(ctx, email, "")
	if err != nil {
		return uuid.Nil, false, err
	}
	return inv.OrganizationID, true, s.accept(ctx, &inv, user)
}

// accept runs inside a transaction with inv locked.
func (s *Service) accept(ctx context.Context, inv *Invitation, user orgs.User) error {
	now := s.now().UTC()
	switch {
	case inv.AcceptedAt != nil:
		return apperr.Conflictf("this invitation has already been accepted")
	case inv.RevokedAt != nil:
		return apperr.Conflictf("this invitation has been withdrawn")
	case !inv.ExpiresAt.After(now):
		return apperr.Conflictf("this invitation has expired; ask for a new one")
	}
	if _, err := s.orgs.Get(ctx, inv.OrganizationID); err != nil {
		return err
	}
	if err := s.orgs.AddMember(ctx, inv.OrganizationID, user.ID); err != nil {
		return err
	}
	var granted []string
	for _, id := range inv.RoleIDs {
		roleID, err := uuid.Parse(id)
		if err != nil {
			return err
		}
		role, err := s.roles.GetRole(ctx, inv.OrganizationID, roleID)
		if apperr.CodeOf(err) == apperr.NotFound {
			continue // deleted since the invitation was sent
		}
		if err != nil {
			return err
		}
		if err := s.roles.EnsureAssigned(ctx, inv.OrganizationID, roleID, rbac.Holder{UserID: user.ID}); err != nil {
			return err
		}
		granted = append(granted, role.Name)
	}
	ctx = audit.WithActor(ctx, audit.Actor{Type: audit.ActorUser, ID: user.ID.String(), Email: user.Email,
		Name: user.Name, OrganizationID: inv.OrganizationID})
	change := audit.Change{Action: audit.MemberJoined,
		Resource: audit.Resource{Type: "user", ID: user.ID.String(), Name: user.Email},
		Details:  audit.Details{"invitationId": inv.ID.String(), "roles": granted}}
	return audit.Audited(s.db.Conn(ctx), change).Model(inv).Update("accepted_at", now).Error
}

// WithdrawInvitation revokes a pending invitation: its link stops working at
// once. The spec's catalog has no action of its own for it; an invitee is a
// member-to-be, so it is recorded as "Removed member" on the invitation, with
// withdrawn: true. An accepted, expired or already withdrawn invitation, or
// one of another organization, is NOT_FOUND, as ListPendingInvitations does
// not list it.
func (s *Service) WithdrawInvitation(ctx context.Context, org, id uuid.UUID) (Invitation, error) {
	var inv Invitation
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		now := s.now().UTC()
		err := s.db.Conn(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("organization_id = ? AND id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?", org, id, now).
			Take(&inv).Error
		if database.IsNotFound(err) {
			return apperr.NotFoundf("pending invitation %s not found", id)
		}
		if err != nil {
			return err
		}
		change := audit.Change{Action: audit.RemovedMember,
			Details: audit.Details{"email": inv.Email, "withdrawn": true}}
		if err := audit.Audited(s.db.Conn(ctx), change).Model(&inv).Update("revoked_at", now).Error; err != nil {
			return err
		}
		inv.RevokedAt = &now
		return nil
	})
	return inv, err
}

func newToken() (string, []byte, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(token))
	return token, sum[:], nil
}
