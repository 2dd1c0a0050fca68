package signin

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/pgtext"
	"github.com/orgtrail/orgtrail/server/sessions"
)

// CSRFHeader must accompany cookie-authenticated state changes. Browsers do
// not let another site set it without a CORS preflight, which is never granted.
const CSRFHeader = "X-Orgtrail-CSRF"

// maxRequestBytes bounds the sign-in endpoints' bodies.
const maxRequestBytes = 4096

// Routes mounts the sign-in endpoints under /auth.
func (s *Service) Routes(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(pgtext.Request(maxRequestBytes, RefuseText))
		r.Post("/auth/magic-link", s.handleMagicLinkRequest)
		r.Get("/auth/magic-link/verify", s.handleMagicLinkVerify)
		r.Post("/auth/logout", s.handleLogout)
	})
}

// RefuseText answers a sign-in request (here or at the OIDC endpoints)
// holding text the database cannot hold (see package pgtext): 400 JSON.
func RefuseText(w http.ResponseWriter, _ *http.Request, e *pgtext.Error) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"error": e.Error()})
}

func (s *Service) handleMagicLinkRequest(w http.ResponseWriter, r *http.Request) {
	if !SameOrigin(r, s.publicURL) {
		writeJSON(w, http.StatusForbidden, map[string]any{"error": "cross-site request refused"})
		return
	}
	var body struct {
		Email string `json:"email"`
		Next  string `json:"next"`
		// Organization is the organization the sign-in page asks for (a
		// preference: anything but one of the person's is ignored).
		Organization string `json:"organization"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequestBytes)).Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "send a JSON body like {\"email\": \"you@example.com\"}"})
		return
	}
	wanted, _ := uuid.Parse(body.Organization)
	err := s.RequestMagicLink(r.Context(), body.Email, body.Next, wanted)
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
	case errors.Is(err, ErrRateLimited):
		w.Header().Set("Retry-After", "60")
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": "too many sign-in requests; try again in a minute"})
	case apperr.CodeOf(err) == apperr.BadUserInput:
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "enter a valid email address", "field": "email"})
	default:
		s.log.ErrorContext(r.Context(), "magic link request failed", "error", err)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"error": "internal error"})
	}
}

func (s *Service) handleMagicLinkVerify(w http.ResponseWriter, r *http.Request) {
	allowed, err := s.perIP.allow(r.Context(), "verify-ip:"+audit.RequestFrom(r.Context()).IPAddress)
	if err != nil {
		s.log.ErrorContext(r.Context(), "magic link verification failed", "error", err)
		http.Redirect(w, r, "/sign-in?error=internal", http.StatusSeeOther)
		return
	}
	if !allowed {
		http.Redirect(w, r, "/sign-in?error=rate_limited", http.StatusSeeOther)
		return
	}
	res, next, err := s.VerifyMagicLink(r.Context(), r.URL.Query().Get("token"))
	if f, ok := IsFailure(err); ok {
		http.Redirect(w, r, "/sign-in?error="+url.QueryEscape(f.Reason), http.StatusSeeOther)
		return
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "magic link verification failed", "error", err)
		http.Redirect(w, r, "/sign-in?error=internal", http.StatusSeeOther)
		return
	}
	s.SetSessionCookie(w, res)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Service) handleLogout(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get(CSRFHeader) == "" || !SameOrigin(r, s.publicURL) {
		writeJSON(w, http.StatusForbidden, map[string]any{"error": "missing " + CSRFHeader + " header"})
		return
	}
	cookie, err := r.Cookie(sessions.CookieName)
	if err == nil {
		active, err := s.sessions.Resolve(r.Context(), cookie.Value)
		if err == nil {
			ctx := audit.WithActor(r.Context(), audit.Actor{Type: audit.ActorUser, ID: active.UserID.String(),
				Email: active.Email, Name: active.Name, OrganizationID: active.OrganizationID})
			if err := s.sessions.End(ctx, active.ID, active.Email); err != nil {
				s.log.ErrorContext(r.Context(), "logout failed", "error", err)
				writeJSON(w, http.StatusInternalServerError, map[string]any{"error": "internal error"})
				return
			}
		}
	}
	s.clearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
}

// SetSessionCookie hands the browser its session: HttpOnly, SameSite=Lax,
// Secure when the public URL is HTTPS.
func (s *Service) SetSessionCookie(w http.ResponseWriter, res Result) {
	http.SetCookie(w, &http.Cookie{Name: sessions.CookieName, Value: res.Token, Path: "/",
		Expires: res.Session.ExpiresAt, HttpOnly: true, Secure: strings.HasPrefix(s.publicURL, "https://"),
		SameSite: http.SameSiteLaxMode})
}

func (s *Service) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessions.CookieName, Value: "", Path: "/", MaxAge: -1,
		Expires: time.Unix(0, 0), HttpOnly: true, Secure: strings.HasPrefix(s.publicURL, "https://"),
		SameSite: http.SameSiteLaxMode})
}

// SameOrigin reports whether a browser request comes from this site: its
// Origin (or Referer) is the public URL's or the request's own host. A
// request with neither is not a browser's cross-site request.
func SameOrigin(r *http.Request, publicURL string) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		origin = r.Header.Get("Referer")
	}
	if origin == "" {
		return r.Header.Get("Sec-Fetch-Site") != "cross-site"
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if pub, err := url.Parse(publicURL); err == nil && u.Scheme == pub.Scheme && u.Host == pub.Host {
		return true
	}
	return u.Host == r.Host
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
