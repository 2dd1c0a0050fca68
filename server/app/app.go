// Package app assembles the server: database, domain services, GraphQL and
// HTTP routes. The orgtrail command, tests and the benchmark all start the
// server through it, so they run the same code.
package app

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/frontend"
	"github.com/orgtrail/orgtrail/graph"
	"github.com/orgtrail/orgtrail/migrations"
	"github.com/orgtrail/orgtrail/server/accesskeys"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/auditexport"
	"github.com/orgtrail/orgtrail/server/auditlog"
	"github.com/orgtrail/orgtrail/server/auth"
	"github.com/orgtrail/orgtrail/server/config"
	"github.com/orgtrail/orgtrail/server/connectors"
	"github.com/orgtrail/orgtrail/server/credential"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/leader"
	"github.com/orgtrail/orgtrail/server/logstreams"
	"github.com/orgtrail/orgtrail/server/mail"
	"github.com/orgtrail/orgtrail/server/members"
	"github.com/orgtrail/orgtrail/server/oidc"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/rbac"
	"github.com/orgtrail/orgtrail/server/replica"
	"github.com/orgtrail/orgtrail/server/scim"
	"github.com/orgtrail/orgtrail/server/secrets"
	"github.com/orgtrail/orgtrail/server/serviceaccounts"
	"github.com/orgtrail/orgtrail/server/sessions"
	"github.com/orgtrail/orgtrail/server/signin"
	"github.com/orgtrail/orgtrail/server/web"
)

// App is a running server's parts.
type App struct {
	Config          config.Config
	Log             *slog.Logger
	DB              *database.DB
	Orgs            *orgs.Service
	Roles           *rbac.Service
	ServiceAccounts *serviceaccounts.Service
	AccessKeys      *accesskeys.Service
	Keyring         *secrets.Keyring
	Secrets         *secrets.Service
	Connectors      *connectors.Service
	Sessions        *sessions.Service
	Members         *members.Service
	SignIn          *signin.Service
	OIDC            *oidc.Service
	SCIM            *scim.Service
	Mail            *mail.Outbox
	AuditLog        *auditlog.Log
	Export          *auditexport.Exporter
	LogStreams      *logstreams.Service
	Streamer        *logstreams.Deliverer
	// Jobs runs the background jobs, each on one replica at a time.
	Jobs *leader.Jobs
	// everywhere runs the loops every replica runs (the streams' deliverer).
	everywhere *workers
	// Replica routes the Audit Log's reads to DATABASE_READ_URL's standby;
	// nil without one.
	Replica *replica.Reads
	// AuditTail is the live tail's poller, on every replica: each serves
	// its own subscribers.
	AuditTail *audit.Tail
	handler   http.Handler
}

// New connects to the database, applies migrations and builds the handler.
func New(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	keyring, err := secrets.NewKeyring(cfg.SecretKey, cfg.PreviousSecretKeys...)
	if err != nil {
		return nil, err
	}
	db, err := database.Open(ctx, cfg.DatabaseURL, database.Options{Plugins: []gorm.Plugin{audit.Recorder{}}})
	if err != nil {
		return nil, err
	}
	if err := migrations.Up(ctx, db.SQL()); err != nil {
		db.Close()
		return nil, err
	}
	a := &App{Config: cfg, Log: log, DB: db}
	a.Jobs = leader.New(db.SQL(), cfg.DatabaseURL, leader.Options{Log: log})
	if cfg.DatabaseReadURL != "" {
		a.Replica, err = replica.Open(ctx, cfg.DatabaseReadURL, db, replica.Options{Log: log,
			SecureCookie: strings.HasPrefix(cfg.PublicURL, "https://")})
		if err != nil {
			a.closeStores()
			return nil, err
		}
	}
	collectors := []prometheus.Collector{a.Jobs}
	var middleware []func(http.Handler) http.Handler
	if a.Replica != nil {
		collectors = append(collectors, a.Replica)
		middleware = append(middleware, a.Replica.Middleware)
	}
	a.Orgs = orgs.NewService(db)
	a.Roles = rbac.NewService(db)
	a.ServiceAccounts = serviceaccounts.NewService(db, a.Roles)
	a.AccessKeys = accesskeys.NewService(db)
	a.Keyring = keyring
	a.Secrets = secrets.NewService(db, keyring)
	a.Connectors = connectors.NewService(db, keyring, log)
	a.Sessions = sessions.NewService(db)
	sender, err := mail.New(cfg.SMTPURL, "Orgtrail <no-reply@"+hostOf(cfg.PublicURL)+">", log)
	if err != nil {
		a.closeStores()
		return nil, err
	}
	a.Mail = mail.NewOutbox(db, keyring, sender, log)
	a.Members = members.NewService(db, a.Orgs, a.Roles, a.Sessions, a.Mail, cfg.PublicURL)
	a.SignIn = signin.NewService(db, a.Orgs, a.Sessions, a.Members, a.Mail, log, cfg.PublicURL)
	a.SCIM = scim.NewService(db, a.Orgs, a.Roles, a.Members, cfg.PublicURL)
	signingKey := cfg.AuditSigningKey
	if signingKey == "" {
		// Tests and benchmarks: a key for this process only. The orgtrail
		// command always sets one (AUDIT_SIGNING_KEY, or .data/).
		if signingKey, _, err = auditlog.GenerateKey(hostOf(cfg.PublicURL) + "/orgtrail-audit-log"); err != nil {
			a.closeStores()
			return nil, err
		}
	}
	if a.AuditLog, err = auditlog.New(db, signingKey, cfg.AuditPreviousPublicKeys, cfg.PublicURL, log); err != nil {
		a.closeStores()
		return nil, err
	}

	auditReader := &audit.Reader{DB: db, Replica: a.Replica}
	a.Export = auditexport.New(db, auditReader, log)
	a.LogStreams = logstreams.NewService(db, keyring, log, hostOf(cfg.PublicURL))
	a.Streamer = logstreams.NewDeliverer(db, keyring, log, hostOf(cfg.PublicURL))

	authenticator := auth.NewAuthenticator(map[credential.Kind]auth.Verifier{
		credential.ServiceAccountKey: a.ServiceAccounts,
		credential.AccessKey:         a.AccessKeys,
	}, sessions.Verifier{Sessions: a.Sessions}, sessions.CookieName)
	a.OIDC = oidc.NewService(db, keyring, a.SignIn, a.Roles, authenticator, log, cfg.PublicURL)
	// The live tail reads the primary: it asks for what has just committed.
	a.AuditTail = audit.NewTail(&audit.Reader{DB: db}, cfg.TailInterval(), log)
	resolver := &graph.Resolver{
		AuditReader:           auditReader,
		AuditTail:             a.AuditTail,
		OrgService:            a.Orgs,
		RoleService:           a.Roles,
		ServiceAccountService: a.ServiceAccounts,
		AccessKeyService:      a.AccessKeys,
		SecretService:         a.Secrets,
		ConnectorService:      a.Connectors,
		MemberService:         a.Members,
		SessionService:        a.Sessions,
		SCIMService:           a.SCIM,
		OIDCService:           a.OIDC,
		AuditLog:              a.AuditLog,
		LogStreamService:      a.LogStreams,
	}
	a.handler = web.NewRouter(web.Deps{
		Log:           log,
		GraphQL:       graph.NewHandler(resolver, log),
		Authenticator: authenticator,
		Ready:         db.Ping,
		SPA:           web.SPA(frontend.Dist()),
		PublicURL:     cfg.PublicURL,
		Proxies:       cfg.TrustedProxies,
		Mount:         []func(chi.Router){a.SignIn.Routes, a.OIDC.Routes, scim.NewHandler(a.SCIM, log).Routes, a.AuditLog.PublicRoutes},
		Authenticated: []func(chi.Router){a.AuditLog.Routes, a.Export.Routes},
		Collectors:    collectors,
		Middleware:    middleware,
	})
	// The background jobs every App runs; each runs on one replica at a time
	// (package leader). StartMaintenance adds the partition upkeep.
	a.Jobs.Go(JobMailOutbox, a.Mail.Run)
	a.Jobs.Go(JobMagicLinkRequests, a.SignIn.ServeMagicLinkRequests)
	a.Jobs.Go(JobAuditLogIntegrator, a.AuditLog.Run)
	// The streams' deliverer and the live tail run on every replica: each stream is leased to
	// one replica at a time (logstreams), so the streams spread over them.
	a.everywhere = startWorkers(a.Streamer.Run, a.AuditTail.Run)
	return a, nil
}

// Handler is the server's HTTP handler.
func (a *App) Handler() http.Handler { return a.handler }

func hostOf(publicURL string) string {
	u, err := url.Parse(publicURL)
	if err != nil || u.Hostname() == "" {
		return "localhost"
	}
	return u.Hostname()
}

// Close stops the background jobs (work in flight is finished or handed back
// to its queue, and another replica takes each job over), then releases the
// database pool.
func (a *App) Close() error {
	a.everywhere.stop()
	a.Jobs.Close()
	return a.closeStores()
}

// closeStores closes the read replica, if any, and the primary's pool.
func (a *App) closeStores() error {
	return errors.Join(a.Replica.Close(), a.DB.Close())
}
