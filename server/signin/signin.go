// Package signin turns a verified identity (a magic link, an OIDC ID token)
// into a session in an organization the person may enter, and records every
// success and rejection in the audit log.
package signin

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/mail"
	"github.com/orgtrail/orgtrail/server/members"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/sessions"
)

// Sign-in methods, as organizations allow them.
const (
	MethodMagicLink = sessions.MethodMagicLink
	MethodOIDC      = sessions.MethodOIDC
)

// Failure is a rejected sign-in. Reason is a stable code the sign-in page
// turns into a human message; it is also stored in the "Login failed" event.
type Failure struct {
	Reason string
}

func (f *Failure) Error() string { return "sign-in rejected: " + f.Reason }

// Rejection reasons.
const (
	ReasonInvalidLink       = "invalid"
	ReasonExpiredLink       = "expired"
	ReasonUsedLink          = "used"
	ReasonNotMember         = "not_member"
	ReasonDeactivated       = "deactivated"
	ReasonMethodNotAllowed  = sessions.RefusedMethod
	ReasonProviderError     = "provider_error"
	ReasonBadState          = "bad_state"
	ReasonUnverifiedEmail   = "unverified_email"
	ReasonInvalidToken      = "invalid_token"
	ReasonProviderNotLinked = sessions.RefusedProvider
)

// Service signs people in.
type Service struct {
	db        *database.DB
	orgs      *orgs.Service
	sessions  *sessions.Service
	members   *members.Service
	outbox    *mail.Outbox
	log       *slog.Logger
	publicURL string
	now       func() time.Time

	perEmail *limiter
	perIP    *limiter
	// requests wakes ServeMagicLinkRequests.
	requests chan struct{}
}

// NewService returns the sign-in service. Sign-in links are mailed through
// outbox.
func NewService(db *database.DB, o *orgs.Service, s *sessions.Service, m *members.Service, outbox *mail.Outbox, log *slog.Logger, publicURL string) *Service {
	return &Service{db: db, orgs: o, sessions: s, members: m, outbox: outbox, log: log, publicURL: publicURL,
		now: time.Now, perEmail: newLimiter(db, 5, 3*time.Minute), perIP: newLimiter(db, 20, 30*time.Second),
		requests: make(chan struct{}, 1)}
}

// Attempt is a sign-in whose identity a method has verified.
type Attempt struct {
	Email  string
	Method string
	// ProviderID is the OIDC provider that vouched for the person.
	ProviderID uuid.UUID
	// Organization is where the person asked to land (the sign-in page's
	// ?organization=, to enter an organization that asks for this sign-in).
	// It is preferred when they may enter it this way; zero means no wish.
	Organization uuid.UUID
	// Organizations are those the attempt concerns, where its rejection is
	// recorded (for OIDC, the organizations the provider is linked to); nil
	// means any. Where the person may land is decided by
	// sessions.SignInRefusal.
	Organizations []uuid.UUID
	// Details are added to the "Logged in" or "Login failed" event.
	Details audit.Details
	// Resource is what a "Login failed" event names when the person is not
	// known yet (Email is empty: an OIDC answer refused before its token was
	// read names the provider). Zero means the person.
	Resource audit.Resource
}

// Result is a successful sign-in: the cookie token and its session.
type Result struct {
	Token   string
	Session sessions.Session
}

// signIn is how the attempt authenticates the session it starts.
func (a Attempt) signIn() sessions.SignIn {
	return sessions.SignIn{Method: a.Method, ProviderID: a.ProviderID}
}

type membershipRow struct {
	OrganizationID uuid.UUID
	Status         orgs.MembershipStatus
	// Refusal is why the organization does not accept this sign-in
	// (sessions.SignInRefusal); nil when it does.
	Refusal    *string
	LastSignIn *time.Time
}

// Complete signs the person in, into an organization that accepts this
// sign-in (sessions.SignInRefusal): the one they asked for, else the one of
// their latest session, else their oldest membership, else by accepting a
// pending invitation. A membership, however it came (invitation, SCIM), is
// entered only that way. A rejection is recorded as "Login failed" in the
// organizations it concerns and returned as a *Failure.
func (s *Service) Complete(ctx context.Context, a Attempt) (Result, error) {
	email, err := orgs.NormalizeEmail(a.Email)
	if err != nil {
		return Result{}, s.Reject(ctx, a, ReasonInvalidToken, nil)
	}
	a.Email = email
	var res Result
	var failure *Failure
	var concerned []uuid.UUID
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		user, found, err := s.findUser(ctx, email)
		if err != nil {
			return err
		}
		var rows []membershipRow
		if found {
			err = s.db.Conn(ctx).Raw(`SELECT m.organization_id, m.status, `+sessions.SignInRefusal("o", "?", "?")+` AS refusal,
				(SELECT max(created_at) FROM sessions WHERE user_id = m.user_id AND organization_id = m.organization_id) AS last_sign_in
				FROM memberships m JOIN organizations o ON o.id = m.organization_id AND o.deleted_at IS NULL
				WHERE m.user_id = ? ORDER BY m.created_at`, append(a.signIn().Args(), user.ID)...).Scan(&rows).Error
			if err != nil {
				return err
			}
		}
		rows = slices.DeleteFunc(rows, func(r membershipRow) bool {
			return a.Organizations != nil && !slices.Contains(a.Organizations, r.OrganizationID)
		})
		for _, r := range rows {
			concerned = append(concerned, r.OrganizationID)
		}
		if found && user.DeactivatedAt != nil {
			failure = &Failure{Reason: ReasonDeactivated}
			return nil
		}
		org, reason := pickOrganization(rows, a.Organization)
		if org == uuid.Nil {
			among, refused, why, err := s.invitedAccepting(ctx, email, a)
			if err != nil {
				return err
			}
			concerned = append(concerned, refused...)
			if why != "" && reason == ReasonNotMember {
				reason = why
			}
			ok := false
			var invited uuid.UUID
			if len(among) > 0 {
				if invited, ok, err = s.members.AcceptPendingForSignIn(ctx, email, among); err != nil {
					return err
				}
			}
			if !ok {
				failure = &Failure{Reason: reason}
				return nil
			}
			org = invited
			if user, err = s.orgs.EnsureUser(ctx, email, ""); err != nil {
				return err
			}
		}
		details := audit.Details{"method": a.Method}
		for k, v := range a.Details {
			details[k] = v
		}
		ctx = audit.WithActor(ctx, userActor(user, org))
		token, sess, err := s.sessions.Create(ctx, user.ID, org, a.signIn(), audit.Change{Action: audit.LoggedIn,
			Resource: audit.Resource{Type: "user", ID: user.ID.String(), Name: user.Email}, Details: details})
		res = Result{Token: token, Session: sess}
		return err
	})
	if err != nil {
		return Result{}, err
	}
	if failure != nil {
		if len(concerned) == 0 {
			// No membership of theirs is concerned (not a member): record it
			// where the method points, e.g. the OIDC provider's organizations.
			concerned = a.Organizations
		}
		return Result{}, s.Reject(ctx, a, failure.Reason, concerned)
	}
	return res, nil
}

// pickOrganization chooses where an active member lands among the
// organizations accepting the sign-in: wanted when it is one, else the one of
// their latest session, else the oldest membership. Without one it says why.
func pickOrganization(rows []membershipRow, wanted uuid.UUID) (uuid.UUID, string) {
	reason := ReasonNotMember
	var best *membershipRow
	for i := range rows {
		r := &rows[i]
		if r.Status != orgs.MembershipActive {
			reason = ReasonDeactivated
			continue
		}
		if r.Refusal != nil {
			reason = *r.Refusal
			continue
		}
		if r.OrganizationID == wanted {
			return wanted, ""
		}
		if best == nil || (r.LastSignIn != nil && (best.LastSignIn == nil || r.LastSignIn.After(*best.LastSignIn))) {
			best = r
		}
	}
	if best == nil {
		return uuid.Nil, reason
	}
	return best.OrganizationID, ""
}

// invitedAccepting returns the organizations with an open invitation for
// email that accept this sign-in (only the wanted one when it is among them),
// so that signing in accepts an invitation only where the sign-in is trusted,
// and those whose invitation it may not accept (which a refusal concerns)
// with why.
func (s *Service) invitedAccepting(ctx context.Context, email string, a Attempt) (among, refused []uuid.UUID, why string, err error) {
	var rows []struct {
		OrganizationID uuid.UUID
		Refusal        *string
	}
	err = s.db.Conn(ctx).Raw(`SELECT i.organization_id, `+sessions.SignInRefusal("o", "?", "?")+` AS refusal
		FROM invitations i JOIN organizations o ON o.id = i.organization_id AND o.deleted_at IS NULL
		WHERE i.email = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?
		ORDER BY i.organization_id`, append(a.signIn().Args(), email, s.now())...).Scan(&rows).Error
	if err != nil {
		return nil, nil, "", err
	}
	for _, r := range rows {
		switch {
		case a.Organizations != nil && !slices.Contains(a.Organizations, r.OrganizationID):
		case r.Refusal != nil:
			refused, why = append(refused, r.OrganizationID), *r.Refusal
		case r.OrganizationID == a.Organization:
			return []uuid.UUID{r.OrganizationID}, nil, "", nil
		default:
			among = append(among, r.OrganizationID)
		}
	}
	return among, refused, why, nil
}

// Reject records "Login failed" in each concerned organization, each in its
// own transaction so one failure to record does not hide the others, and
// returns the *Failure.
func (s *Service) Reject(ctx context.Context, a Attempt, reason string, concerned []uuid.UUID) error {
	details := audit.Details{"reason": reason, "method": a.Method, "email": a.Email}
	for k, v := range a.Details {
		details[k] = v
	}
	resource := audit.Resource{Type: "user", ID: a.Email, Name: a.Email}
	if a.Email == "" && a.Resource.Type != "" {
		resource = a.Resource
	}
	for _, org := range concerned {
		actx := audit.WithActor(ctx, audit.Actor{Type: audit.ActorUser, Email: a.Email, OrganizationID: org})
		err := s.db.InTx(actx, func(ctx context.Context) error {
			return audit.Append(ctx, s.db.Conn(ctx), audit.Change{Action: audit.LoginFailed, OrganizationID: org,
				Resource: resource, Details: details})
		})
		if err != nil {
			s.log.ErrorContext(ctx, "could not record a failed login", "organization_id", org, "reason", reason, "error", err)
		}
	}
	s.log.InfoContext(ctx, "sign-in rejected", "reason", reason, "method", a.Method, "organizations", len(concerned))
	return &Failure{Reason: reason}
}

func (s *Service) findUser(ctx context.Context, email string) (orgs.User, bool, error) {
	var u orgs.User
	err := s.db.Conn(ctx).Where("email = ?", email).Take(&u).Error
	if database.IsNotFound(err) {
		return orgs.User{}, false, nil
	}
	return u, err == nil, err
}

// membershipsOf returns the live organizations where email is a member (any
// status), for recording rejections that concern them.
func (s *Service) membershipsOf(ctx context.Context, email string) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.Conn(ctx).Raw(`SELECT m.organization_id FROM memberships m
		JOIN users u ON u.id = m.user_id JOIN organizations o ON o.id = m.organization_id AND o.deleted_at IS NULL
		WHERE u.email = ?`, email).Scan(&ids).Error
	return ids, err
}

func userActor(u orgs.User, org uuid.UUID) audit.Actor {
	return audit.Actor{Type: audit.ActorUser, ID: u.ID.String(), Email: u.Email, Name: u.Name, OrganizationID: org}
}

// AllowAttempt reports whether the client at ip may make another sign-in
// attempt through kind (for instance "oidc") now: a per-IP budget like the
// magic link endpoints', one bucket per kind, so anonymous callers cannot
// flood an organization's audit log with "Login failed" events.
func (s *Service) AllowAttempt(ctx context.Context, kind, ip string) (bool, error) {
	return s.perIP.allow(ctx, kind+"-ip:"+ip)
}

// IsFailure returns the *Failure in err, if any.
func IsFailure(err error) (*Failure, bool) {
	var f *Failure
	ok := errors.As(err, &f)
	return f, ok
}
