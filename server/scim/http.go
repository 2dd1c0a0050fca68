package scim

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/credential"
	"github.com/orgtrail/orgtrail/server/pgtext"
	"github.com/orgtrail/orgtrail/server/scim/scimfilter"
)

// ContentType is the media type of every SCIM response.
const ContentType = "application/scim+json"

// Paging limits of list requests.
const (
	defaultCount = 100
	maxCount     = 200
)

// maxBodyBytes bounds SCIM request bodies: a group of maxMembers members fits.
const maxBodyBytes = 4 << 20

// Handler serves the SCIM API under /scim/v2 and the OAuth 2.0 token
// endpoint. Each handler authenticates, decodes, calls one service method
// and writes the answer.
type Handler struct {
	svc *Service
	log *slog.Logger
}

// NewHandler returns the HTTP handler of svc.
func NewHandler(svc *Service, log *slog.Logger) *Handler { return &Handler{svc: svc, log: log} }

// Routes mounts /scim/v2 and POST /oauth/token.
func (h *Handler) Routes(r chi.Router) {
	r.With(pgtext.Request(maxTokenRequestBytes, refuseTokenRequestText)).Post("/oauth/token", h.token)
	r.Route("/scim/v2", func(r chi.Router) {
		r.Use(middleware.CleanPath, middleware.StripSlashes, h.limitBody, h.authenticate,
			pgtext.Request(maxBodyBytes, refuseText))
		r.NotFound(func(w http.ResponseWriter, r *http.Request) {
			writeSCIM(w, http.StatusNotFound, notFound("no such SCIM endpoint: %s", r.URL.Path).body())
		})
		r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
			writeSCIM(w, http.StatusMethodNotAllowed, (&Error{Status: http.StatusMethodNotAllowed,
				Detail: r.Method + " is not supported here"}).body())
		})
		r.Get("/ServiceProviderConfig", h.serviceProviderConfig)
		r.Get("/ResourceTypes", h.resourceTypes)
		r.Get("/ResourceTypes/{id}", h.resourceType)
		r.Get("/Schemas", h.schemas)
		r.Get("/Schemas/{id}", h.schema)

		h.userEndpoints().mount(r)
		h.groupEndpoints().mount(r)
	})
}

type callerKey struct{}

// callerFrom returns the authenticated identity provider of the request.
func callerFrom(ctx context.Context) Caller {
	c, _ := ctx.Value(callerKey{}).(Caller)
	return c
}

// authenticate accepts "Authorization: Bearer <SCIM token or access token>"
// and puts the caller, and its audit actor, in the request context.
func (h *Handler) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		unauthorized := func(detail string) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="orgtrail-scim"`)
			writeSCIM(w, http.StatusUnauthorized, (&Error{Status: http.StatusUnauthorized, Detail: detail}).body())
		}
		scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			unauthorized("send a SCIM token or an OAuth access token as a Bearer token")
			return
		}
		cred, err := credential.Parse(strings.TrimSpace(token))
		if err != nil {
			unauthorized("invalid, revoked or expired token")
			return
		}
		caller, err := h.svc.Verify(r.Context(), cred)
		if apperr.CodeOf(err) == apperr.Unauthenticated {
			unauthorized("invalid, revoked or expired token")
			return
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		ctx := audit.WithActor(r.Context(), caller.Actor)
		ctx = context.WithValue(ctx, callerKey{}, caller)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// refuseText answers input the database cannot hold (see package pgtext):
// 400 invalidFilter for the filter, invalidValue for anything else.
func refuseText(w http.ResponseWriter, _ *http.Request, e *pgtext.Error) {
	scimType := typeInvalidValue
	if e.Param == "filter" {
		scimType = typeInvalidFilter
	}
	writeSCIM(w, http.StatusBadRequest, badRequest(scimType, "%s", e).body())
}

func (h *Handler) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// writeSCIM writes a SCIM JSON response.
func writeSCIM(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if body != nil {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(body)
	}
}

// fail writes err as a SCIM error; internal errors are logged with the
// request id and shown as "internal error".
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := asError(err)
	if !ok {
		h.log.ErrorContext(r.Context(), "scim: internal error", "method", r.Method, "route", chi.RouteContext(r.Context()).RoutePattern(), "error", err)
	}
	writeSCIM(w, e.Status, e.body())
}

// decodeBody reads a JSON object body. application/scim+json and
// application/json (with any parameters) are accepted, as is no type.
func decodeBody(r *http.Request) (map[string]any, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != ContentType && mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, &Error{Status: http.StatusUnsupportedMediaType, Detail: "send " + ContentType + " or application/json"}
		}
	}
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, &Error{Status: http.StatusRequestEntityTooLarge, Detail: "the request body is too large"}
		}
		return nil, badRequest(typeInvalidSyntax, "the body is not a JSON object")
	}
	if body == nil {
		return nil, badRequest(typeInvalidSyntax, "the body is not a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badRequest(typeInvalidSyntax, "unexpected data after the JSON object")
	}
	return body, nil
}

// pathID returns the {id} of the URL; one that cannot be an id is not found.
func pathID(r *http.Request, resource string) (uuid.UUID, error) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		return uuid.Nil, notFound("%s %s not found", resource, chi.URLParam(r, "id"))
	}
	return id, nil
}

// listParams reads filter, startIndex, count, attributes and
// excludedAttributes. sortBy is ignored: sorting is not supported (see
// ServiceProviderConfig), results come in a stable order.
func listParams(r *http.Request, rt *resourceType) (ListQuery, projection, error) {
	q := r.URL.Query()
	lq := ListQuery{StartIndex: 1, Count: defaultCount}
	if f := q.Get("filter"); f != "" {
		e, err := scimfilter.Parse(f)
		if err != nil {
			return ListQuery{}, projection{}, badRequest(typeInvalidFilter, "invalid filter: %s", err)
		}
		lq.Filter = e
	}
	if s := q.Get("startIndex"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return ListQuery{}, projection{}, badRequest(typeInvalidValue, "startIndex must be an integer")
		}
		lq.StartIndex = max(n, 1)
	}
	if s := q.Get("count"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return ListQuery{}, projection{}, badRequest(typeInvalidValue, "count must be an integer")
		}
		lq.Count = min(max(n, 0), maxCount)
	}
	return lq, parseProjection(rt, q.Get("attributes"), q.Get("excludedAttributes")), nil
}

// singleProjection reads attributes/excludedAttributes of a request that
// returns one resource.
func singleProjection(r *http.Request, rt *resourceType) projection {
	q := r.URL.Query()
	return parseProjection(rt, q.Get("attributes"), q.Get("excludedAttributes"))
}

func listResponse(total, startIndex int, resources []any) doc {
	d := doc{"schemas": []any{listSchema}, "totalResults": total, "startIndex": startIndex, "itemsPerPage": len(resources)}
	if resources != nil {
		d["Resources"] = resources
	}
	return d
}
