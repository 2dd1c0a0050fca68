package auditlog

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/auth"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// Paths of the log's HTTP surface.
const (
	// PublicKeyPath serves the log's public keys, current first, one per
	// line, to anyone: they are what a verifier trusts.
	PublicKeyPath = "/.well-known/orgtrail-audit-log-key"
	// BundlePath serves a verification bundle for the query's filter (the
	// auditEvents filter's fields as parameters) to a caller holding
	// audit_log:read, by key or session.
	BundlePath = "/api/audit-log/bundle"
)

// bundleWriteTimeout bounds how long one bundle may stream.
const bundleWriteTimeout = time.Hour

// PublicRoutes adds the routes anyone may call.
func (l *Log) PublicRoutes(r chi.Router) {
	r.Get(PublicKeyPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write([]byte(strings.Join(l.publicKeys, "\n") + "\n"))
	})
}

// Routes adds the routes that need an authenticated caller; mount them
// behind the authentication middleware.
func (l *Log) Routes(r chi.Router) {
	r.Get(BundlePath, l.serveBundle)
}

func (l *Log) serveBundle(w http.ResponseWriter, r *http.Request) {
	p, err := auth.Require(r.Context(), rbac.AuditLogRead)
	if err != nil {
		l.answerError(w, r, err)
		return
	}
	req, err := bundleRequest(r.URL.Query())
	if err != nil {
		l.answerError(w, r, err)
		return
	}
	req.RetentionDays = p.AuditRetentionDays
	if err := l.CheckBundle(p.OrganizationID, req); err != nil {
		l.answerError(w, r, err)
		return
	}
	name := fmt.Sprintf("audit-log-bundle-%s-%s.ndjson", p.OrganizationID, time.Now().UTC().Format("20060102T150405Z"))
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	// A bundle of months of events streams for longer than the server's
	// write timeout allows an ordinary answer.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(bundleWriteTimeout))
	// From here on the answer is streamed: a failure cuts it short, and a
	// bundle without its end line fails verification as cut off.
	if err := l.WriteBundle(r.Context(), w, p.OrganizationID, req); err != nil && r.Context().Err() == nil {
		l.log.ErrorContext(r.Context(), "audit log bundle cut short", "organization_id", p.OrganizationID, "err", err)
	}
}

// bundleRequest reads the auditEvents filter from query parameters of the
// same names (search, category, action, range, timeZone, from, to, actorId,
// resourceType, resourceId, requestId, ipAddress, query) and since.
func bundleRequest(q url.Values) (BundleRequest, error) {
	req := BundleRequest{FilterText: map[string]string{}}
	for k, v := range q {
		if len(v) > 0 && v[0] != "" {
			req.FilterText[k] = v[0]
		}
	}
	f, err := audit.FilterFromQuery(q)
	if err != nil {
		return req, err
	}
	req.Filter = f
	if v := q.Get("since"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return req, apperr.Invalid("since", "since must be the size of a saved checkpoint")
		}
		req.Since = n
	}
	return req, nil
}

// answerError answers a refused request in JSON, with the status of its
// code; an internal error is logged and shown as "internal error".
func (l *Log) answerError(w http.ResponseWriter, r *http.Request, err error) {
	if apperr.WriteJSON(w, err) {
		l.log.ErrorContext(r.Context(), "audit log bundle failed", "err", err)
	}
}
