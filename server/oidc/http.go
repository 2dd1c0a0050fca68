package oidc

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/pgtext"
	"github.com/orgtrail/orgtrail/server/signin"
)

// Routes mounts the OIDC sign-in endpoints. Their query parameters (next,
// and the provider's code, state and error) are refused like every sign-in
// input when the database could not hold them.
func (s *Service) Routes(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(pgtext.Request(0, signin.RefuseText))
		r.Get("/auth/oidc/{providerId}/login", s.handleLogin)
		r.Get("/auth/oidc/{providerId}/test", s.handleTest)
		r.Get(CallbackPath, s.handleCallback)
	})
}

func (s *Service) handleLogin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	id, err := uuid.Parse(chi.URLParam(r, "providerId"))
	if err != nil {
		s.toSignIn(w, r, ReasonUnknownProvider)
		return
	}
	wanted, _ := uuid.Parse(r.URL.Query().Get("organization")) // a preference: a bad one is none
	start, err := s.BeginLogin(r.Context(), id, r.URL.Query().Get("next"), wanted)
	if f, ok := signin.IsFailure(err); ok {
		s.toSignIn(w, r, f.Reason)
		return
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "OIDC login could not start", "provider_id", id, "error", err)
		s.toSignIn(w, r, "internal")
		return
	}
	s.setStateCookie(w, start.Cookie, int(time.Until(start.ExpiresAt).Seconds()))
	http.Redirect(w, r, start.AuthURL, http.StatusSeeOther)
}

func (s *Service) handleCallback(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	var cookie string
	if c, err := r.Cookie(StateCookieName); err == nil {
		cookie = c.Value
	}
	s.setStateCookie(w, "", -1) // one answer per login, whatever it is
	if st, err := s.openState(cookie); err == nil && st.Test != nil {
		s.finishTest(w, r, cookie)
		return
	}
	res, next, err := s.FinishLogin(r.Context(), cookie, r.URL.Query())
	if f, ok := signin.IsFailure(err); ok {
		s.toSignIn(w, r, f.Reason)
		return
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "OIDC login failed", "error", err)
		s.toSignIn(w, r, "internal")
		return
	}
	s.signin.SetSessionCookie(w, res)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// toSignIn sends the browser to the sign-in page with a reason it turns
// into a human message.
func (s *Service) toSignIn(w http.ResponseWriter, r *http.Request, reason string) {
	http.Redirect(w, r, "/sign-in?error="+url.QueryEscape(reason), http.StatusSeeOther)
}

// setStateCookie sets (or, with maxAge < 0, clears) the login cookie. Lax
// lets it ride along on the provider's top-level redirect back to us; the
// path keeps it off every other request.
func (s *Service) setStateCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: StateCookieName, Value: value, Path: "/auth/oidc/", MaxAge: maxAge,
		HttpOnly: true, Secure: strings.HasPrefix(s.publicURL, "https://"), SameSite: http.SameSiteLaxMode})
}

// handleTest starts an admin's test of a provider (BeginTest) in the window
// the Identity Providers tab opened. Whatever stops it early is reported on
// the result page.
func (s *Service) handleTest(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	t, ok := s.tester(r)
	if !ok {
		s.toTestProblem(w, r, TestNotSignedIn)
		return
	}
	id, err := uuid.Parse(chi.URLParam(r, "providerId"))
	if err != nil {
		s.toTestProblem(w, r, TestUnknown)
		return
	}
	start, err := s.BeginTest(r.Context(), t, id)
	if err != nil {
		s.toTestProblem(w, r, s.testProblemCode(r, err))
		return
	}
	if start.Cookie != "" {
		s.setStateCookie(w, start.Cookie, int(time.Until(start.ExpiresAt).Seconds()))
	}
	http.Redirect(w, r, start.Location, http.StatusSeeOther)
}

// finishTest ends a test at the callback: the provider's answer is read
// only in the session that started the test, and reported on the result
// page instead of signing anyone in.
func (s *Service) finishTest(w http.ResponseWriter, r *http.Request, cookie string) {
	t, ok := s.tester(r)
	if !ok {
		s.toTestProblem(w, r, TestNotSignedIn)
		return
	}
	location, err := s.FinishTest(r.Context(), t, cookie, r.URL.Query())
	if err != nil {
		s.toTestProblem(w, r, s.testProblemCode(r, err))
		return
	}
	http.Redirect(w, r, location, http.StatusSeeOther)
}

// tester is the admin behind the request's browser session; a bearer key
// does not run tests.
func (s *Service) tester(r *http.Request) (Tester, bool) {
	if s.authn == nil {
		return Tester{}, false
	}
	p, err := s.authn.Authenticate(r)
	if err != nil || !p.ViaSession() || r.Header.Get("Authorization") != "" {
		return Tester{}, false
	}
	return Tester{Caller: Caller{OrganizationID: p.OrganizationID, UserID: p.UserID, Permissions: p.Permissions},
		SessionID: p.SessionID}, true
}

func (s *Service) testProblemCode(r *http.Request, err error) string {
	switch {
	case errors.Is(err, errOtherSession):
		return TestOtherSession
	case apperr.CodeOf(err) == apperr.Forbidden:
		return TestForbidden
	case apperr.CodeOf(err) == apperr.NotFound:
		return TestUnknown
	}
	s.log.ErrorContext(r.Context(), "OIDC sign-in test failed", "error", err)
	return "internal"
}

// toTestProblem sends the test's window to the result page with a problem
// that stopped the test.
func (s *Service) toTestProblem(w http.ResponseWriter, r *http.Request, code string) {
	http.Redirect(w, r, TestResultPath+"#problem="+url.QueryEscape(code), http.StatusSeeOther)
}
