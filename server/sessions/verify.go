package sessions

import (
	"context"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/auth"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// Verifier implements auth.SessionVerifier: a live session acts as its user
// in the session's organization, with the permissions of the user's roles,
// all read in one statement (Service.Resolve).
type Verifier struct {
	Sessions *Service
}

// VerifySession implements auth.SessionVerifier.
func (v Verifier) VerifySession(ctx context.Context, token string) (auth.Principal, error) {
	s, err := v.Sessions.Resolve(ctx, token)
	if err != nil {
		return auth.Principal{}, err
	}
	return auth.Principal{
		OrganizationID:     s.OrganizationID,
		UserID:             s.UserID,
		Owner:              rbac.Holder{UserID: s.UserID},
		SessionID:          s.ID,
		AuditRetentionDays: s.AuditRetentionDays,
		Permissions:        s.Permissions,
		Actor: audit.Actor{Type: audit.ActorUser, ID: s.UserID.String(), Email: s.Email, Name: s.Name,
			OrganizationID: s.OrganizationID},
	}, nil
}
