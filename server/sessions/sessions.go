// Package sessions keeps browser sign-ins server-side. The cookie holds a
// random token; only its SHA-256 is stored. A session ends at its absolute
// expiry, after the organization's idle timeout, at logout, or when its user
// loses access (removed, deactivated).
package sessions

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// CookieName is the session cookie's name.
const CookieName = "orgtrail_session"

// Session is one signed-in browser.
type Session struct {
	ID             uuid.UUID
	TokenHash      []byte
	UserID         uuid.UUID
	OrganizationID uuid.UUID
	// Method and ProviderID are how the session was authenticated (SignIn).
	Method     string
	ProviderID *uuid.UUID
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	EndedAt    *time.Time
	IPAddress  *string `gorm:"type:inet"`
	UserAgent  string
}

// Active is a live session with what requests need to know about its user.
type Active struct {
	Session
	Email       string
	Name        string
	IdleTimeout time.Duration
	// AuditRetentionDays is the organization's audit log retention.
	AuditRetentionDays int
	// Permissions are what the user's roles grant in the organization now.
	Permissions rbac.PermissionSet
}

// Service creates, resolves and ends sessions.
type Service struct {
	db  *database.DB
	now func() time.Time
}

// NewService returns a session service on db.
func NewService(db *database.DB) *Service { return &Service{db: db, now: time.Now} }

// Create starts a session for user in org, authenticated by how, and returns
// its cookie token. The lifetime is the organization's setting. signedIn is
// the "Logged in" event the new session row is recorded with. The caller has
// chosen org among those accepting how (SignInRefusal).
func (s *Service) Create(ctx context.Context, user, org uuid.UUID, how SignIn, signedIn audit.Change) (string, Session, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", Session{}, err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	var hours int
	err := s.db.Conn(ctx).Raw(`SELECT session_lifetime_hours FROM organizations WHERE id = ?`, org).Scan(&hours).Error
	if err != nil {
		return "", Session{}, err
	}
	now := s.now().UTC()
	req := audit.RequestFrom(ctx)
	sess := Session{ID: uuid.Must(uuid.NewV7()), TokenHash: hash(token), UserID: user, OrganizationID: org,
		Method: how.Method, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Duration(hours) * time.Hour),
		UserAgent: req.UserAgent}
	if req.IPAddress != "" {
		sess.IPAddress = &req.IPAddress
	}
	if p, ok := how.providerArg().(uuid.UUID); ok {
		sess.ProviderID = &p
	}
	signedIn.OrganizationID = org
	if signedIn.Details == nil {
		signedIn.Details = audit.Details{}
	}
	signedIn.Details["sessionId"] = sess.ID.String()
	return token, sess, audit.Audited(s.db.Conn(ctx), signedIn).Create(&sess).Error
}

// Resolve returns the live session for a cookie token and marks it seen. It
// returns apperr.ErrUnauthenticated for an unknown, ended, expired or idle
// session, or one whose user may no longer act in its organization. A session
// its organization no longer accepts (the method was disallowed, the provider
// unlinked or deleted: SignInRefusal) is ended as well, so that allowing the
// method again does not bring it back: its holder signs in again.
func (s *Service) Resolve(ctx context.Context, token string) (Active, error) {
	if token == "" || len(token) > 100 {
		return Active{}, apperr.ErrUnauthenticated
	}
	var a struct {
		Session
		rbac.Grants
		Email              string
		Name               string
		IdleMinutes        int
		AuditRetentionDays int
		SignInRefusal      *string
	}
	now := s.now().UTC()
	err := s.db.Conn(ctx).Raw(`SELECT s.*, u.email, u.name, o.session_idle_minutes AS idle_minutes,
			o.audit_retention_days, `+SignInRefusal("o", "s.method", "s.provider_id")+` AS sign_in_refusal, grants.*
		FROM sessions s
		JOIN users u ON u.id = s.user_id AND u.deactivated_at IS NULL
		JOIN organizations o ON o.id = s.organization_id AND o.deleted_at IS NULL
		`+rbac.MemberPermissionsJoin("s.organization_id", "s.user_id")+`
		WHERE s.token_hash = ? AND s.ended_at IS NULL AND s.expires_at > ?`, hash(token), now).Scan(&a).Error
	if err != nil {
		return Active{}, err
	}
	idle := time.Duration(a.IdleMinutes) * time.Minute
	perms, member := a.Grants.Permissions() // false unless an active member
	if a.ID == uuid.Nil || !member || a.LastSeenAt.Add(idle).Before(now) {
		return Active{}, apperr.ErrUnauthenticated
	}
	if a.SignInRefusal != nil {
		// No event: the change that caused it (settings, unlinking) is recorded.
		if err := s.db.Conn(ctx).Model(&Session{}).Where("id = ?", a.ID).Update("ended_at", now).Error; err != nil {
			return Active{}, err
		}
		return Active{}, apperr.ErrUnauthenticated
	}
	if now.Sub(a.LastSeenAt) > time.Minute { // at most one write a minute per session
		if err := s.db.Conn(ctx).Model(&Session{}).Where("id = ?", a.ID).Update("last_seen_at", now).Error; err != nil {
			return Active{}, err
		}
	}
	return Active{Session: a.Session, Email: a.Email, Name: a.Name, IdleTimeout: idle,
		AuditRetentionDays: a.AuditRetentionDays, Permissions: perms}, nil
}

// End ends one session, recording "Logged out" for its user.
func (s *Service) End(ctx context.Context, id uuid.UUID, email string) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		var sess Session
		if err := s.db.Conn(ctx).Where("id = ? AND ended_at IS NULL", id).Take(&sess).Error; err != nil {
			if database.IsNotFound(err) {
				return nil // already ended: logging out twice is not an error
			}
			return err
		}
		change := audit.Change{Action: audit.LoggedOut, OrganizationID: sess.OrganizationID,
			Resource: audit.Resource{Type: "user", ID: sess.UserID.String(), Name: email},
			Details:  audit.Details{"sessionId": sess.ID.String(), "method": sess.Method}}
		return audit.Audited(s.db.Conn(ctx), change).Model(&sess).Update("ended_at", s.now().UTC()).Error
	})
}

// EndAllForUser ends the user's sessions in org, or everywhere when org is
// uuid.Nil. It is part of the change that took their access away and
// records no event of its own.
func (s *Service) EndAllForUser(ctx context.Context, user, org uuid.UUID) error {
	q := s.db.Conn(ctx).Model(&Session{}).Where("user_id = ? AND ended_at IS NULL", user)
	if org != uuid.Nil {
		q = q.Where("organization_id = ?", org)
	}
	return q.Update("ended_at", s.now().UTC()).Error
}

// EndAllForOrganization ends every session in org (the organization was deleted).
func (s *Service) EndAllForOrganization(ctx context.Context, org uuid.UUID) error {
	return s.db.Conn(ctx).Model(&Session{}).Where("organization_id = ? AND ended_at IS NULL", org).
		Update("ended_at", s.now().UTC()).Error
}

// LeaveDeletedOrganization is what deleting org does to its sessions, in the
// deletion's transaction: every session in it ends, except keep, the deleting
// person's own (uuid.Nil for a key), which moves to another organization of
// its user that accepts how it signed in (SignInRefusal), the first by name,
// recording "Switched organization" there from the deleted one. A person who
// deletes one of their organizations is still an admin elsewhere and lands
// there, instead of signed out for no reason they can see. It returns where
// keep landed, or uuid.Nil when no other organization of theirs accepts its
// sign-in and it ended too.
func (s *Service) LeaveDeletedOrganization(ctx context.Context, org, keep uuid.UUID) (uuid.UUID, error) {
	tx := s.db.Conn(ctx)
	err := tx.Model(&Session{}).Where("organization_id = ? AND ended_at IS NULL AND id <> ?", org, keep).
		Update("ended_at", s.now().UTC()).Error
	if err != nil || keep == uuid.Nil {
		return uuid.Nil, err
	}
	var sess Session
	err = tx.Where("id = ? AND organization_id = ? AND ended_at IS NULL", keep, org).Take(&sess).Error
	if database.IsNotFound(err) {
		return uuid.Nil, nil
	}
	if err != nil {
		return uuid.Nil, err
	}
	how := SignIn{Method: sess.Method}
	if sess.ProviderID != nil {
		how.ProviderID = *sess.ProviderID
	}
	var target struct {
		ID   uuid.UUID
		Name string
	}
	err = tx.Raw(`SELECT o.id, o.name FROM organizations o
		JOIN memberships m ON m.organization_id = o.id AND m.user_id = ? AND m.status = 'ACTIVE'
		WHERE o.id <> ? AND o.deleted_at IS NULL AND `+AcceptsSignIn("o", "?", "?")+`
		ORDER BY lower(o.name), o.id LIMIT 1`, append([]any{sess.UserID, org}, how.Args()...)...).Scan(&target).Error
	if err != nil {
		return uuid.Nil, err
	}
	if target.ID == uuid.Nil {
		return uuid.Nil, tx.Model(&sess).Update("ended_at", s.now().UTC()).Error
	}
	var deleted string
	if err := tx.Raw(`SELECT name FROM organizations WHERE id = ?`, org).Scan(&deleted).Error; err != nil {
		return uuid.Nil, err
	}
	change := audit.Change{Action: audit.SwitchedOrganization, OrganizationID: target.ID,
		Resource: audit.Resource{Type: "organization", ID: target.ID.String(), Name: target.Name},
		Details: audit.Details{"from": map[string]any{"id": org.String(), "name": deleted, "deleted": true},
			"to": map[string]any{"id": target.ID.String(), "name": target.Name}}}
	if err := audit.Audited(tx, change).Model(&sess).Update("organization_id", target.ID).Error; err != nil {
		return uuid.Nil, err
	}
	return target.ID, nil
}

// SignedIn is how a session was authenticated, as a person reads it.
type SignedIn struct {
	SignIn
	// ProviderName names the provider (OIDC only); empty once it is deleted.
	ProviderName string
}

// HowSignedIn returns how the live session id was authenticated, so that a
// person changing how their organization is signed in to can be told when
// the change would end their own session (Resolve ends a session its
// organization no longer accepts).
func (s *Service) HowSignedIn(ctx context.Context, id uuid.UUID) (SignedIn, error) {
	var row struct {
		Method       string
		ProviderID   *uuid.UUID
		ProviderName *string
	}
	err := s.db.Conn(ctx).Raw(`SELECT s.method, s.provider_id, p.name AS provider_name FROM sessions s
		LEFT JOIN oidc_providers p ON p.id = s.provider_id WHERE s.id = ? AND s.ended_at IS NULL`, id).Scan(&row).Error
	if err != nil {
		return SignedIn{}, err
	}
	if row.Method == "" {
		return SignedIn{}, apperr.ErrUnauthenticated
	}
	out := SignedIn{SignIn: SignIn{Method: row.Method}}
	if row.ProviderID != nil {
		out.ProviderID = *row.ProviderID
	}
	if row.ProviderName != nil {
		out.ProviderName = *row.ProviderName
	}
	return out, nil
}

// Switch moves a session to another organization of its user, recording
// "Switched organization" there (from and to). An organization that does not
// accept how the session signed in (SignInRefusal) is not entered, whatever
// the membership: the refusal is recorded there as "Login failed" with its
// reason, and the FORBIDDEN error tells the client where to sign in the way
// that organization accepts (extensions reason SIGN_IN_REQUIRED, signInUrl).
func (s *Service) Switch(ctx context.Context, id, to uuid.UUID) error {
	var refused error
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var sess Session
		if err := s.db.Conn(ctx).Where("id = ? AND ended_at IS NULL", id).Take(&sess).Error; err != nil {
			return err
		}
		if sess.OrganizationID == to {
			return nil
		}
		how := SignIn{Method: sess.Method}
		if sess.ProviderID != nil {
			how.ProviderID = *sess.ProviderID
		}
		var target struct {
			ID      uuid.UUID
			Name    string
			Refusal *string
		}
		err := s.db.Conn(ctx).Raw(`SELECT o.id, o.name, `+SignInRefusal("o", "?", "?")+` AS refusal FROM organizations o
			JOIN memberships m ON m.organization_id = o.id AND m.user_id = ? AND m.status = 'ACTIVE'
			WHERE o.id = ? AND o.deleted_at IS NULL`, append(how.Args(), sess.UserID, to)...).Scan(&target).Error
		if err != nil {
			return err
		}
		if target.ID == uuid.Nil {
			return apperr.NotFoundf("organization %s not found", to)
		}
		var from struct {
			Name, Email  string
			ProviderName *string
		}
		err = s.db.Conn(ctx).Raw(`SELECT o.name, u.email, (SELECT name FROM oidc_providers WHERE id = ?) AS provider_name
			FROM organizations o, users u WHERE o.id = ? AND u.id = ?`, how.providerArg(), sess.OrganizationID, sess.UserID).
			Scan(&from).Error
		if err != nil {
			return err
		}
		fromOrg := map[string]any{"id": sess.OrganizationID.String(), "name": from.Name}
		if target.Refusal != nil {
			refused = switchRefused(target.ID, target.Name, how, from.ProviderName)
			details := audit.Details{"reason": *target.Refusal, "method": sess.Method, "email": from.Email,
				"sessionId": sess.ID.String(), "from": fromOrg}
			if how.ProviderID != uuid.Nil {
				details["providerId"] = how.ProviderID.String()
				if from.ProviderName != nil {
					details["providerName"] = *from.ProviderName
				}
			}
			return audit.Append(ctx, s.db.Conn(ctx), audit.Change{Action: audit.LoginFailed, OrganizationID: to,
				Resource: audit.Resource{Type: "user", ID: sess.UserID.String(), Name: from.Email}, Details: details})
		}
		change := audit.Change{Action: audit.SwitchedOrganization, OrganizationID: to,
			Resource: audit.Resource{Type: "organization", ID: to.String(), Name: target.Name},
			Details:  audit.Details{"from": fromOrg, "to": map[string]any{"id": to.String(), "name": target.Name}}}
		return audit.Audited(s.db.Conn(ctx), change).Model(&sess).Update("organization_id", to).Error
	})
	if err != nil {
		return err
	}
	return refused
}

// SignInRequired is the extensions.reason of an error that a sign-in the
// organization accepts would resolve; extensions.signInUrl says where.
const SignInRequired = "SIGN_IN_REQUIRED"

// switchRefused explains, in words a person can act on, why the session may
// not enter org, and where to sign in so that it may.
func switchRefused(org uuid.UUID, name string, how SignIn, providerName *string) error {
	used := "with an email link"
	if how.Method == MethodOIDC {
		used = "through an identity provider that no longer exists"
		if providerName != nil {
			used = "through " + *providerName
		}
	}
	return &apperr.Error{Code: apperr.Forbidden,
		Message:    fmt.Sprintf("%s does not accept sign-in %s: sign in the way it asks to enter it", name, used),
		Extensions: map[string]any{"reason": SignInRequired, "signInUrl": SignInURL(org, "/settings")}}
}

func hash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}
