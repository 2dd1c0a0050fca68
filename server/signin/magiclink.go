package signin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/mail"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/sessions"
)

// MagicLinkLifetime is how long a magic link signs in.
const MagicLinkLifetime = 15 * time.Minute

type magicLink struct {
	ID        uuid.UUID
	TokenHash []byte
	Email     string
	NextPath  string
	// OrganizationID is where the link was asked for, to land there (nil: anywhere).
	OrganizationID *uuid.UUID
	CreatedAt      time.Time
	ExpiresAt      time.Time
	UsedAt         *time.Time
}

func (magicLink) TableName() string { return "magic_links" }

// ErrRateLimited means too many requests for this address or client.
var ErrRateLimited = fmt.Errorf("signin: too many requests")

// RequestMagicLink records a request for a sign-in link to email and
// answers. It does the same work whoever the address belongs to, known or
// not: the rate limits, then one insert of the request (address, next path
// and the request's IP, user agent and id). Whether the address may sign in
// is decided later, off the request path, by ServeMagicLinkRequests, so
// neither the answer nor the time it takes tells whether the address is
// known. Only a malformed address or a rate limit is an error. The link
// lands in organization when the address may sign in there (a step-up to
// enter it); uuid.Nil means no preference.
func (s *Service) RequestMagicLink(ctx context.Context, email, next string, organization uuid.UUID) error {
	email, err := orgs.NormalizeEmail(email)
	if err != nil {
		return err
	}
	req := audit.RequestFrom(ctx)
	for _, l := range []struct {
		limiter *limiter
		key     string
	}{{s.perIP, "ip:" + req.IPAddress}, {s.perEmail, "email:" + email}} {
		allowed, err := l.limiter.allow(ctx, l.key)
		if err != nil {
			return err
		}
		if !allowed {
			return ErrRateLimited
		}
	}
	var wanted *uuid.UUID
	if organization != uuid.Nil {
		wanted = &organization
	}
	err = s.db.Conn(ctx).Exec(`INSERT INTO magic_link_requests (id, email, next_path, organization_id, ip_address, user_agent, request_id)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, uuid.Must(uuid.NewV7()), email, SafeNext(next), wanted, req.IPAddress, req.UserAgent, req.RequestID).Error
	if err != nil {
		return fmt.Errorf("signin: record magic link request: %w", err)
	}
	s.wakeRequests()
	return nil
}

// magicLinkRequest is a request RequestMagicLink recorded.
type magicLinkRequest struct {
	ID       uuid.UUID
	Email    string
	NextPath string
	// OrganizationID is where the sign-in page asked to land, if anywhere.
	OrganizationID *uuid.UUID
	IPAddress      string
	UserAgent      string
	RequestID      string
	Attempts       int
}

// answerMagicLinkRequest emails a single-use sign-in link when the address
// belongs to someone who could sign in with it (an active member of an
// organization allowing magic links, or an invitee), recording "Generated
// magic link" in each such organization with the original request's IP,
// user agent and id (ctx carries them). It runs in the worker's transaction.
func (s *Service) answerMagicLinkRequest(ctx context.Context, req magicLinkRequest) (mailed bool, err error) {
	email, next, now := req.Email, req.NextPath, s.now()
	var orgIDs []uuid.UUID
	byLink := sessions.AcceptsSignIn("o", "'"+MethodMagicLink+"'", "NULL")
	err = s.db.Conn(ctx).Raw(`SELECT o.id FROM organizations o
		JOIN memberships m ON m.organization_id = o.id AND m.status = 'ACTIVE'
		JOIN users u ON u.id = m.user_id AND u.email = ? AND u.deactivated_at IS NULL
		WHERE o.deleted_at IS NULL AND `+byLink+`
		UNION
		SELECT i.organization_id FROM invitations i JOIN organizations o ON o.id = i.organization_id AND o.deleted_at IS NULL
		WHERE i.email = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?
		  AND `+byLink, email, email, now).Scan(&orgIDs).Error
	if err != nil {
		return false, err
	}
	if len(orgIDs) == 0 {
		s.log.InfoContext(ctx, "magic link not sent: no organization to sign in to")
		return false, nil
	}
	organization := uuid.Nil
	if req.OrganizationID != nil && slices.Contains(orgIDs, *req.OrganizationID) {
		organization = *req.OrganizationID
	}
	url, err := s.issue(ctx, email, next, orgIDs, organization)
	if err != nil {
		return false, err
	}
	return true, s.outbox.Enqueue(ctx, mail.Message{To: email, Subject: "Your Orgtrail sign-in link", Link: url,
		Body: "Sign in to Orgtrail with this link. It works once, for 15 minutes:\n\n" + url +
			"\n\nIf you did not ask for it, ignore this email.\n"})
}

// IssueSignInLink returns a one-time sign-in link for a member of org
// without emailing it, for `orgtrail bootstrap` to print. It is recorded as
// "Generated magic link" by the actor in ctx.
func (s *Service) IssueSignInLink(ctx context.Context, email string, org uuid.UUID) (string, error) {
	email, err := orgs.NormalizeEmail(email)
	if err != nil {
		return "", err
	}
	return s.issue(ctx, email, "/", []uuid.UUID{org}, org)
}

// issue stores a new magic link for email, landing in wanted when not zero,
// and records "Generated magic link" in each of orgIDs, returning the link.
func (s *Service) issue(ctx context.Context, email, next string, orgIDs []uuid.UUID, wanted uuid.UUID) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(token))
	now := s.now().UTC()
	link := magicLink{ID: uuid.Must(uuid.NewV7()), TokenHash: sum[:], Email: email, NextPath: next,
		CreatedAt: now, ExpiresAt: now.Add(MagicLinkLifetime)}
	if wanted != uuid.Nil {
		link.OrganizationID = &wanted
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		// The resource is the user the link signs in; an invitee who has
		// never signed in is not a user yet and is named by email alone.
		resource := audit.Resource{Type: "user", ID: email, Name: email}
		var userIDs []uuid.UUID
		if err := s.db.Conn(ctx).Raw(`SELECT id FROM users WHERE email = ?`, email).Scan(&userIDs).Error; err != nil {
			return err
		}
		if len(userIDs) == 1 {
			resource.ID = userIDs[0].String()
		}
		for i, org := range orgIDs {
			actx := ctx
			if _, ok := audit.ActorFrom(ctx); !ok {
				actx = audit.WithActor(ctx, audit.Actor{Type: audit.ActorUser, Email: email, OrganizationID: org})
			}
			change := audit.Change{Action: audit.GeneratedMagicLink, OrganizationID: org,
				Resource: resource,
				Details:  audit.Details{"email": email, "expiresAt": link.ExpiresAt.Format(time.RFC3339)}}
			if i == 0 { // the link row carries the first organization's event
				if err := audit.Audited(s.db.Conn(actx), change).Create(&link).Error; err != nil {
					return err
				}
				continue
			}
			if err := audit.Append(actx, s.db.Conn(actx), change); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return s.publicURL + "/auth/magic-link/verify?token=" + token, nil
}

// VerifyMagicLink uses a magic link token once and signs its owner in. It
// returns where to send the browser next.
func (s *Service) VerifyMagicLink(ctx context.Context, token string) (Result, string, error) {
	sum := sha256.Sum256([]byte(token))
	var link magicLink
	var res Result
	var reason string
	var rejected *Failure
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.Conn(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("token_hash = ?", sum[:]).Take(&link).Error
		if database.IsNotFound(err) {
			reason = ReasonInvalidLink
			return nil
		}
		if err != nil {
			return err
		}
		now := s.now().UTC()
		switch {
		case link.UsedAt != nil:
			reason = ReasonUsedLink
			return nil
		case !link.ExpiresAt.After(now):
			reason = ReasonExpiredLink
			return nil
		}
		if err := s.db.Conn(ctx).Model(&link).Update("used_at", now).Error; err != nil {
			return err
		}
		attempt := Attempt{Email: link.Email, Method: MethodMagicLink}
		if link.OrganizationID != nil {
			attempt.Organization = *link.OrganizationID
		}
		res, err = s.Complete(ctx, attempt)
		if f, ok := IsFailure(err); ok {
			rejected = f // the link is spent either way; Complete recorded the rejection
			return nil
		}
		return err
	})
	if err != nil {
		return Result{}, "", err
	}
	if rejected != nil {
		return Result{}, "", rejected
	}
	if reason != "" {
		var concerned []uuid.UUID
		if link.Email != "" {
			if concerned, err = s.membershipsOf(ctx, link.Email); err != nil {
				return Result{}, "", err
			}
		}
		return Result{}, "", s.Reject(ctx, Attempt{Email: link.Email, Method: MethodMagicLink}, reason, concerned)
	}
	return res, link.NextPath, nil
}

// SafeNext keeps a return path only when it is a local absolute path, so a
// link (or an OIDC login's next parameter) cannot send the browser to
// another site; anything else becomes "/".
func SafeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.IsAbs() || u.Host != "" || !strings.HasPrefix(u.Path, "/") ||
		strings.HasPrefix(next, "//") || strings.Contains(next, "\\") || strings.HasPrefix(u.Path, "/auth/") {
		return "/"
	}
	return u.RequestURI()
}
