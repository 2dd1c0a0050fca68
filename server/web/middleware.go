package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/auth"
	"github.com/orgtrail/orgtrail/server/logging"
	"github.com/orgtrail/orgtrail/server/signin"
)

// validRequestID accepts a caller's X-Request-Id only when it is short and
// plain, so it is safe to log and store.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{8,64}$`)

// requestContext gives every request an id (the caller's X-Request-Id when
// sane, else a new one), echoes it, and puts it with the client IP (see
// ClientIP) and user agent into the context for logs and audit events.
func requestContext(trusted []netip.Prefix) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := r.Header.Get("X-Request-Id")
			if !validRequestID.MatchString(id) {
				var b [12]byte
				_, _ = rand.Read(b[:])
				id = hex.EncodeToString(b[:])
			}
			w.Header().Set("X-Request-Id", id)
			ctx := logging.WithRequestID(r.Context(), id)
			ctx = audit.WithRequest(ctx, audit.Request{IPAddress: ClientIP(r, trusted), UserAgent: userAgent(r), RequestID: id})
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// userAgent is the request's User-Agent as audit events store it: at most
// 512 bytes, cut between characters, and text the database can hold (a
// header may carry any byte but NUL; it is metadata, not input to refuse).
func userAgent(r *http.Request) string {
	ua := strings.ToValidUTF8(r.UserAgent(), "\uFFFD")
	if len(ua) > 512 {
		cut := 512
		for cut > 0 && !utf8.RuneStart(ua[cut]) {
			cut--
		}
		ua = ua[:cut]
	}
	return ua
}

// accessLog logs one line per request and records its duration.
func accessLog(log *slog.Logger, duration *prometheus.HistogramVec) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			next.ServeHTTP(ww, r)
			elapsed := time.Since(start)
			route := chi.RouteContext(r.Context()).RoutePattern()
			if route == "" {
				route = "other"
			}
			duration.WithLabelValues(r.Method, route, strconv.Itoa(ww.Status())).Observe(elapsed.Seconds())
			level := slog.LevelInfo
			if ww.Status() >= 500 {
				level = slog.LevelError
			}
			log.Log(r.Context(), level, "http request", "method", r.Method, "path", r.URL.Path,
				"status", ww.Status(), "bytes", ww.BytesWritten(), "duration_ms", float64(elapsed.Microseconds())/1000)
		})
	}
}

// authenticate resolves the caller's credentials. A request without any goes
// on anonymously (resolvers refuse what needs a caller); a request with a bad
// one is refused outright, so a revoked key never acts as anonymous.
//
// Cookie-authenticated requests other than GET must come from this site and
// carry the CSRF header (see signin.CSRFHeader); GraphQL over GET cannot
// mutate, so reads through links stay possible.
func authenticate(a *auth.Authenticator, publicURL string, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p, err := a.Authenticate(r)
			switch {
			case err == nil:
				if p.ViaSession() && r.Method != http.MethodGet && r.Method != http.MethodHead &&
					(r.Header.Get(signin.CSRFHeader) == "" || !signin.SameOrigin(r, publicURL)) {
					writeGraphQLError(w, http.StatusForbidden, apperr.Forbidden, "cross-site request refused: send the "+signin.CSRFHeader+" header")
					return
				}
				ctx := auth.WithPrincipal(r.Context(), p)
				// A request that lasts (a live tail) presents the same
				// credentials again from time to time.
				ctx = auth.WithRecheck(ctx, func(ctx context.Context) (auth.Principal, error) { return a.Authenticate(r.Clone(ctx)) })
				next.ServeHTTP(w, r.WithContext(ctx))
			case errors.Is(err, auth.ErrNoCredentials):
				next.ServeHTTP(w, r)
			case apperr.CodeOf(err) == apperr.Unauthenticated:
				writeGraphQLError(w, http.StatusUnauthorized, apperr.Unauthenticated, "invalid, revoked or expired credentials")
			default:
				log.ErrorContext(r.Context(), "authentication failed", "error", err)
				writeGraphQLError(w, http.StatusInternalServerError, apperr.Internal, "internal error")
			}
		})
	}
}

func writeGraphQLError(w http.ResponseWriter, status int, code apperr.Code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="orgtrail"`)
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"errors":[{"message":` + strconv.Quote(msg) + `,"extensions":{"code":"` + string(code) + `"}}],"data":null}`))
}
