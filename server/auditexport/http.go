package auditexport

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/auth"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// Path serves an export of the events the query's filter selects (the
// auditEvents filter's fields as parameters, audit.FilterFromQuery) in the
// query's format (csv, the default, or ndjson), to a caller holding
// audit_log:read, by key or session.
const Path = "/api/audit-log/export"

// writeTimeout bounds how long one export may stream: months of events take
// longer than the server's write timeout allows an ordinary answer.
const writeTimeout = time.Hour

// Exporter serves exports.
type Exporter struct {
	db     *database.DB
	reader *audit.Reader
	log    *slog.Logger
}

// New returns the exporter, which reads the events through reader (the
// Audit Log's own, so an export goes to the read replica when there is one)
// and everything else (the caller's organization settings) from db.
func New(db *database.DB, reader *audit.Reader, log *slog.Logger) *Exporter {
	return &Exporter{db: db, reader: reader, log: log}
}

// Routes adds the export route; mount it behind the authentication
// middleware.
func (x *Exporter) Routes(r chi.Router) { r.Get(Path, x.serve) }

func (x *Exporter) serve(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := auth.Require(ctx, rbac.AuditLogRead)
	if err != nil {
		x.answerError(w, r, err)
		return
	}
	params := r.URL.Query()
	format, err := ParseFormat(params.Get("format"))
	if err != nil {
		x.answerError(w, r, err)
		return
	}
	f, err := audit.FilterFromQuery(params)
	if err != nil {
		x.answerError(w, r, err)
		return
	}
	q := audit.ListQuery{Filter: f, RetentionDays: p.AuditRetentionDays}
	if err := audit.CheckQuery(p.OrganizationID, q); err != nil {
		x.answerError(w, r, err)
		return
	}
	// Recorded before the first byte: an export cut short by the client was
	// still an export.
	if err := x.record(ctx, p, format, params); err != nil {
		x.answerError(w, r, err)
		return
	}
	// A date range ends now: after the export's own event, which it holds.
	q.Now = time.Now()
	name := fmt.Sprintf("audit-log-%s-%s.%s", p.OrganizationID, q.Now.UTC().Format("20060102T150405Z"), format)
	w.Header().Set("Content-Type", format.ContentType())
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(writeTimeout))
	// From here on the answer is streamed: a failure can only cut it short.
	if err := Write(ctx, w, x.reader, p.OrganizationID, q, format); err != nil && ctx.Err() == nil {
		x.log.ErrorContext(ctx, "audit log export cut short", "organization_id", p.OrganizationID, "err", err)
	}
}

// record writes the "Exported audit log" event: the format and the filter
// as asked (its parameters, the format aside).
func (x *Exporter) record(ctx context.Context, p auth.Principal, format Format, params map[string][]string) error {
	filter := map[string]any{}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if v := params[k]; k != "format" && len(v) > 0 && v[0] != "" {
			filter[k] = clip(v[0])
		}
	}
	return x.db.InTx(ctx, func(ctx context.Context) error {
		return audit.Append(ctx, x.db.Conn(ctx), audit.Change{
			Action:   audit.ExportedAuditLog,
			Resource: audit.Resource{Type: "audit_log", ID: p.OrganizationID.String(), Name: "Audit log"},
			Details:  audit.Details{"format": string(format), "filter": filter},
		})
	})
}

func (x *Exporter) answerError(w http.ResponseWriter, r *http.Request, err error) {
	if apperr.WriteJSON(w, err) {
		x.log.ErrorContext(r.Context(), "audit log export failed", "err", err)
	}
}

// clip bounds a parameter's value as recorded: it is what the caller typed.
func clip(s string) string {
	if r := []rune(s); len(r) > 256 {
		return string(r[:256]) + "…"
	}
	return s
}
