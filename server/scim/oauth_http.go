package scim

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/orgtrail/orgtrail/server/pgtext"
)

// maxTokenRequestBytes bounds a token request's body.
const maxTokenRequestBytes = 16 << 10

// token implements POST /oauth/token, the client credentials grant of RFC
// 6749 §4.4. The client authenticates with HTTP Basic or with client_id and
// client_secret form fields (§2.3.1), never both; errors follow §5.2.
func (h *Handler) token(w http.ResponseWriter, r *http.Request) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "send the request as application/x-www-form-urlencoded")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenRequestBytes)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the request body is not a valid form")
		return
	}
	form := r.PostForm
	for name, values := range form {
		if len(values) > 1 {
			oauthError(w, http.StatusBadRequest, "invalid_request", "parameter "+name+" is repeated")
			return
		}
	}
	switch grant := form.Get("grant_type"); grant {
	case "client_credentials":
	case "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "grant_type is required")
		return
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "only client_credentials is supported")
		return
	}
	if scope := strings.TrimSpace(form.Get("scope")); scope != "" && scope != "scim" {
		oauthError(w, http.StatusBadRequest, "invalid_scope", `the only scope is "scim"`)
		return
	}
	clientID, secret, basic := r.BasicAuth()
	if basic {
		// Basic credentials are form-encoded before base64 (RFC 6749 §2.3.1).
		if v, err := url.QueryUnescape(clientID); err == nil {
			clientID = v
		}
		if v, err := url.QueryUnescape(secret); err == nil {
			secret = v
		}
		// The header is not a form: the middleware did not see these.
		for _, v := range []string{clientID, secret} {
			if err := pgtext.Check(v); err != nil {
				oauthError(w, http.StatusBadRequest, "invalid_request", "the client credentials "+err.Error())
				return
			}
		}
		if form.Has("client_secret") || (form.Has("client_id") && form.Get("client_id") != clientID) {
			oauthError(w, http.StatusBadRequest, "invalid_request", "use one client authentication method")
			return
		}
	} else {
		clientID, secret = form.Get("client_id"), form.Get("client_secret")
	}
	if clientID == "" || secret == "" {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client authentication is required")
		return
	}
	issued, err := h.svc.IssueAccessToken(r.Context(), clientID, secret)
	if errors.Is(err, ErrInvalidClient) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "unknown client, wrong secret or revoked client")
		return
	}
	if err != nil {
		h.log.ErrorContext(r.Context(), "oauth: token request failed", "error", err)
		oauthError(w, http.StatusInternalServerError, "server_error", "internal error")
		return
	}
	writeOAuth(w, http.StatusOK, map[string]any{"access_token": issued.AccessToken, "token_type": "Bearer",
		"expires_in": int(issued.ExpiresIn.Seconds()), "scope": "scim"})
}

// refuseTokenRequestText answers a token request holding text the database
// cannot hold (see package pgtext) with RFC 6749's invalid_request.
func refuseTokenRequestText(w http.ResponseWriter, _ *http.Request, e *pgtext.Error) {
	oauthError(w, http.StatusBadRequest, "invalid_request", e.Error())
}

func oauthError(w http.ResponseWriter, status int, code, description string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="orgtrail-scim"`)
	}
	writeOAuth(w, status, map[string]any{"error": code, "error_description": description})
}

func writeOAuth(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
