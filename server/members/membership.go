package members

import (
	"context"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// This file is the one owner of changes to an existing membership:
// deactivation, reactivation, removal and moving it to another user. GraphQL
// (removeMember) and SCIM (deprovisioning, reactivation, a changed sign-in
// address) call it alike, so its rules hold once: the organization keeps an
// active administrator, whoever loses access here loses their sessions here
// in the same transaction, and a database failure is reported as one, never
// as "last administrator". Creating a membership stays with invitations
// (accept) and orgs.EnsureMember, SCIM's one-statement provisioning.

// Deactivate takes a member's access away without removing them: the
// membership becomes DEACTIVATED (their roles stay, unused, for a later
// reactivation) and their sessions in the organization end. The last active
// administrator cannot be deactivated (CONFLICT). change is the event that
// records it, named by the caller (SCIM's "Deprovisioned user"); it needs a
// Resource and lands in org. It is recorded only when the membership was
// active, which changed reports: a caller whose own write records the
// deactivation as part of something larger records it there when it was not.
func (s *Service) Deactivate(ctx context.Context, org, userID uuid.UUID, change audit.Change) (changed bool, err error) {
	return s.setStatus(ctx, org, userID, orgs.MembershipDeactivated, change)
}

// Reactivate gives a deactivated member their access back, with the roles
// they held. change and changed are as for Deactivate (SCIM's "Provisioned
// user", reactivated).
func (s *Service) Reactivate(ctx context.Context, org, userID uuid.UUID, change audit.Change) (changed bool, err error) {
	return s.setStatus(ctx, org, userID, orgs.MembershipActive, change)
}

func (s *Service) setStatus(ctx context.Context, org, userID uuid.UUID, to orgs.MembershipStatus, change audit.Change) (bool, error) {
	changed := false
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		m, err := s.lockMembership(ctx, org, userID)
		if err != nil {
			return err
		}
		if m.Status != to {
			if to == orgs.MembershipDeactivated {
				if err := s.ensureAnAdminStays(ctx, org, userID, "deactivated"); err != nil {
					return err
				}
			}
			if change.OrganizationID == uuid.Nil {
				change.OrganizationID = org
			}
			res := audit.Audited(s.db.Conn(ctx), change).Model(&orgs.Membership{}).
				Where("organization_id = ? AND user_id = ?", org, userID).Update("status", to)
			if res.Error != nil {
				return res.Error
			}
			changed = res.RowsAffected > 0
		}
		if to == orgs.MembershipDeactivated {
			// Also when it already was: a deactivated member has no session.
			return s.sessions.EndAllForUser(ctx, userID, org)
		}
		return nil
	})
	return changed, err
}

// Remove takes a member out of the organization: their role assignments go,
// their sessions there end. The last active administrator cannot be removed
// (CONFLICT). Records "Removed member".
func (s *Service) Remove(ctx context.Context, org, userID uuid.UUID) (orgs.User, error) {
	var user orgs.User
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.lockMembership(ctx, org, userID); err != nil {
			return err
		}
		var err error
		if user, err = s.orgs.GetUser(ctx, userID); err != nil {
			return err
		}
		if err := s.ensureAnAdminStays(ctx, org, userID, "removed"); err != nil {
			return err
		}
		roles, err := s.roles.RolesOfHolders(ctx, org, []rbac.Holder{{UserID: userID}})
		if err != nil {
			return err
		}
		names := []string{}
		for _, r := range roles[rbac.Holder{UserID: userID}] {
			names = append(names, r.Name)
		}
		if err := s.sessions.EndAllForUser(ctx, userID, org); err != nil {
			return err
		}
		change := audit.Change{Action: audit.RemovedMember, OrganizationID: org,
			Resource: audit.Resource{Type: "user", ID: userID.String(), Name: user.Email},
			Details:  audit.Details{"email": user.Email, "roles": names}}
		return audit.Audited(s.db.Conn(ctx), change).
			Where("organization_id = ? AND user_id = ?", org, userID).Delete(&orgs.Membership{}).Error
	})
	return user, err
}

// Move hands from's membership of org, with its status, its roles and
// whatever else hangs off it (SCIM's user), to the user to, who must not be
// a member of org yet (CONFLICT). from's sessions in org end; their
// memberships elsewhere are untouched. No administrator is lost: the Admin
// role moves with the membership.
//
// A move is never a change of its own: it is how a changed sign-in address
// takes effect, and the caller records that change (SCIM's "Updated user",
// whose changes.signInEmail names both addresses) in the same transaction.
// So Move records no event, as sessions.EndAllForUser does not.
//
// It is one statement: the foreign keys that point at a membership follow
// its user_id (ON UPDATE CASCADE, migration 00010).
func (s *Service) Move(ctx context.Context, org, from, to uuid.UUID) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.lockMembership(ctx, org, from); err != nil {
			return err
		}
		err := s.db.Conn(ctx).Model(&orgs.Membership{}).
			Where("organization_id = ? AND user_id = ?", org, from).Update("user_id", to).Error
		if database.IsUniqueViolation(err) {
			return apperr.Conflictf("the new user is already a member of this organization")
		}
		if err != nil {
			return err
		}
		return s.sessions.EndAllForUser(ctx, from, org)
	})
}

// lockMembership reads userID's membership of org and locks it for the rest
// of the transaction, so concurrent changes to it take turns.
func (s *Service) lockMembership(ctx context.Context, org, userID uuid.UUID) (orgs.Membership, error) {
	var m orgs.Membership
	err := s.db.Conn(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("organization_id = ? AND user_id = ?", org, userID).Take(&m).Error
	if database.IsNotFound(err) {
		return m, apperr.NotFoundf("member %s not found", userID)
	}
	return m, err
}

// ensureAnAdminStays is the last-administrator guard of every change that
// takes userID's access away ("deactivated", "removed"). Only the guard's
// own refusal is a CONFLICT; any other error (the database failing, a lock
// timing out) stays what it is, an internal error, and is never reported to
// anyone as "last administrator".
func (s *Service) ensureAnAdminStays(ctx context.Context, org, userID uuid.UUID, what string) error {
	err := s.roles.EnsureNotLastAdmin(ctx, org, userID)
	if err != nil && apperr.CodeOf(err) == apperr.Conflict {
		return apperr.Conflictf("the organization's last administrator cannot be %s", what)
	}
	return err
}
