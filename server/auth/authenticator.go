package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/credential"
)

// Verifier checks a presented credential of one kind against storage and
// returns whom it authenticates. It returns apperr.ErrUnauthenticated for an
// unknown, revoked or expired credential.
type Verifier interface {
	Verify(ctx context.Context, cred credential.Parsed) (Principal, error)
}

// SessionVerifier resolves a session cookie's token.
type SessionVerifier interface {
	VerifySession(ctx context.Context, token string) (Principal, error)
}

// Authenticator turns a request's credentials into a Principal.
type Authenticator struct {
	verifiers  map[credential.Kind]Verifier
	sessions   SessionVerifier
	cookieName string
}

// NewAuthenticator builds an authenticator from one verifier per credential
// kind and the session verifier for cookie cookieName.
func NewAuthenticator(verifiers map[credential.Kind]Verifier, sessions SessionVerifier, cookieName string) *Authenticator {
	return &Authenticator{verifiers: verifiers, sessions: sessions, cookieName: cookieName}
}

// ErrNoCredentials means the request carried none; it may still be anonymous-allowed.
var ErrNoCredentials = errors.New("auth: no credentials")

// Authenticate resolves the request's bearer credential, else its session
// cookie. It returns ErrNoCredentials when there is neither and
// apperr.ErrUnauthenticated when the presented one is not valid.
func (a *Authenticator) Authenticate(r *http.Request) (Principal, error) {
	header := r.Header.Get("Authorization")
	if header == "" {
		cookie, err := r.Cookie(a.cookieName)
		if err != nil || a.sessions == nil {
			return Principal{}, ErrNoCredentials
		}
		return a.sessions.VerifySession(r.Context(), cookie.Value)
	}
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return Principal{}, apperr.ErrUnauthenticated
	}
	cred, err := credential.Parse(strings.TrimSpace(token))
	if err != nil {
		return Principal{}, apperr.ErrUnauthenticated
	}
	v, ok := a.verifiers[cred.Kind]
	if !ok {
		return Principal{}, apperr.ErrUnauthenticated
	}
	return v.Verify(r.Context(), cred)
}
