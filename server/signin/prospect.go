package signin

import (
	"context"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/sessions"
)

// Prospect is what a verified identity would meet signing in to one
// organization, as an admin testing an identity provider is told: whether
// the person is a member there, or invited, and why a sign-in would be
// refused.
type Prospect struct {
	// Member: the person is a member of the organization (any status).
	Member bool
	// Invited: not a member, but an open invitation names the address.
	Invited bool
	// Reason is why the organization would refuse the sign-in (one of the
	// Reason constants); empty when it accepts it.
	Reason string
}

// ProspectIn tells what attempt would meet in org, reading and changing
// nothing: the rules are those of Complete (a deactivated person, a
// deactivated membership, sessions.SignInRefusal for memberships and
// invitations alike). It records nothing: it is not a sign-in.
func (s *Service) ProspectIn(ctx context.Context, a Attempt, org uuid.UUID) (Prospect, error) {
	email, err := orgs.NormalizeEmail(a.Email)
	if err != nil {
		return Prospect{Reason: ReasonInvalidToken}, nil
	}
	user, found, err := s.findUser(ctx, email)
	if err != nil {
		return Prospect{}, err
	}
	var p Prospect
	if found {
		var rows []struct {
			Status  orgs.MembershipStatus
			Refusal *string
		}
		err = s.db.Conn(ctx).Raw(`SELECT m.status, `+sessions.SignInRefusal("o", "?", "?")+` AS refusal
			FROM memberships m JOIN organizations o ON o.id = m.organization_id AND o.deleted_at IS NULL
			WHERE m.user_id = ? AND m.organization_id = ?`, append(a.signIn().Args(), user.ID, org)...).Scan(&rows).Error
		if err != nil {
			return Prospect{}, err
		}
		if len(rows) == 1 {
			p.Member = true
			switch r := rows[0]; {
			case user.DeactivatedAt != nil || r.Status != orgs.MembershipActive:
				p.Reason = ReasonDeactivated
			case r.Refusal != nil:
				p.Reason = *r.Refusal
			}
			return p, nil
		}
		if user.DeactivatedAt != nil {
			return Prospect{Reason: ReasonDeactivated}, nil
		}
	}
	var invitations []struct{ Refusal *string }
	err = s.db.Conn(ctx).Raw(`SELECT `+sessions.SignInRefusal("o", "?", "?")+` AS refusal
		FROM invitations i JOIN organizations o ON o.id = i.organization_id AND o.deleted_at IS NULL
		WHERE i.email = ? AND i.organization_id = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?`,
		append(a.signIn().Args(), email, org, s.now())...).Scan(&invitations).Error
	if err != nil {
		return Prospect{}, err
	}
	if len(invitations) == 0 {
		return Prospect{Reason: ReasonNotMember}, nil
	}
	p.Invited = true
	if r := invitations[0].Refusal; r != nil {
		p.Reason = *r
	}
	return p, nil
}
