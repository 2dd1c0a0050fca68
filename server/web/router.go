// Package web wires the HTTP surface: GraphQL, health, metrics and the SPA.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/auth"
	"github.com/orgtrail/orgtrail/server/pgtext"
	"github.com/orgtrail/orgtrail/server/signin"
)

// Deps is what the router serves.
type Deps struct {
	Log           *slog.Logger
	GraphQL       http.Handler
	Authenticator *auth.Authenticator
	// Ready reports whether the server can serve (the database answers).
	Ready func(ctx context.Context) error
	// SPA serves every path that is not an API path.
	SPA http.Handler
	// PublicURL is the site's origin, for CSRF checks.
	PublicURL string
	// Proxies are the reverse proxies trusted to say who the client is
	// (TRUSTED_PROXIES; see ClientIP).
	Proxies []netip.Prefix
	// Mount adds the routes of other HTTP surfaces (sign-in, SCIM, OAuth).
	Mount []func(chi.Router)
	// Authenticated adds routes served behind the same authentication as
	// /graphql (a Bearer key, or the session cookie with CSRF protection
	// for anything but GET): the audit log's verification bundle.
	Authenticated []func(chi.Router)
	// Collectors are added to /metrics: which replica holds which
	// background job, the read replica's lag.
	Collectors []prometheus.Collector
	// Middleware wraps every request, after the request context is set
	// (the read replica's read-your-writes token).
	Middleware []func(http.Handler) http.Handler
}

// maxBodyBytes bounds request bodies.
const maxBodyBytes = 1 << 20

// NewRouter returns the server's HTTP handler.
func NewRouter(d Deps) http.Handler {
	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "orgtrail_http_request_duration_seconds",
		Help:    "HTTP request duration by method, route and status.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"method", "route", "status"})
	registry.MustRegister(duration)
	registry.MustRegister(d.Collectors...)

	r := chi.NewRouter()
	r.Use(requestContext(d.Proxies), middleware.Recoverer, accessLog(d.Log, duration))
	r.Use(d.Middleware...)

	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	r.Get("/readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := d.Ready(ctx); err != nil {
			d.Log.WarnContext(r.Context(), "not ready: database unreachable", "error", err)
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	r.Method(http.MethodGet, "/metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{}))

	r.Group(func(r chi.Router) {
		r.Use(func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				req.Body = http.MaxBytesReader(w, req.Body, maxBodyBytes)
				next.ServeHTTP(w, req)
			})
		})
		r.Use(authenticate(d.Authenticator, d.PublicURL, d.Log))
		r.Use(pgtext.Request(maxBodyBytes, func(w http.ResponseWriter, _ *http.Request, e *pgtext.Error) {
			writeGraphQLError(w, http.StatusBadRequest, apperr.BadUserInput, e.Error())
		}))
		r.Handle("/graphql", lastingStreams(d.GraphQL))
		for _, mount := range d.Authenticated {
			mount(r)
		}
	})
	r.Get("/graphiql", graphiql(d.Authenticator))
	for _, mount := range d.Mount {
		mount(r)
	}

	if d.SPA != nil {
		r.NotFound(d.SPA.ServeHTTP)
	}
	return r
}

// graphiql serves GraphiQL to signed-in people; others are sent to sign in
// first. Its requests carry the CSRF header the session requires.
func graphiql(a *auth.Authenticator) http.HandlerFunc {
	page := playground.Handler("Orgtrail GraphiQL", "/graphql",
		playground.WithGraphiqlFetcherHeaders(map[string]string{signin.CSRFHeader: "1"}))
	return func(w http.ResponseWriter, r *http.Request) {
		if p, err := a.Authenticate(r); err != nil || !p.ViaSession() {
			http.Redirect(w, r, "/sign-in?next=%2Fgraphiql", http.StatusSeeOther)
			return
		}
		page.ServeHTTP(w, r)
	}
}

// lastingStreams lifts the server's read and write deadlines for a request
// asking for an event stream (a GraphQL subscription over Server-Sent
// Events), which lasts as long as the client listens: the deadlines bound
// how long a request may take to arrive and to be answered, and would end a
// live tail after a minute. The stream's keep-alive pings notice a client
// that is gone.
func lastingStreams(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(strings.TrimSpace(r.Header.Get("Accept")), "text/event-stream") {
			rc := http.NewResponseController(w)
			_ = rc.SetReadDeadline(time.Time{})
			_ = rc.SetWriteDeadline(time.Time{})
		}
		next.ServeHTTP(w, r)
	})
}
