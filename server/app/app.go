// Package app assembles the server: database, domain services, GraphQL and
// HTTP routes. The orgtrail command, tests and the benchmark all start the
// server through it, so they run the same code.
package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/frontend"
	"github.com/orgtrail/orgtrail/graph"
	"github.com/orgtrail/orgtrail/migrations"
	"github.com/orgtrail/orgtrail/server/accesskeys"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/auditlog"
	"github.com/orgtrail/orgtrail/server/auth"
	"github.com/orgtrail/orgtrail/server/config"
	"github.com/orgtrail/orgtrail/server/connectors"
	"github.com/orgtrail/orgtrail/server/credential"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/mail"
	"github.com/orgtrail/orgtrail/server/members"
	"github.com/orgtrail/orgtrail/server/oidc"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/rbac"
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
	// AuditTail is the live tail's poller (subscriptions of this server).
	AuditTail *audit.Tail
	handler   http.Handler
	workers   *workers
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
		db.Close()
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
			db.Close()
			return nil, err
		}
	}
	if a.AuditLog, err = auditlog.New(db, signingKey, cfg.AuditPreviousPublicKeys, cfg.PublicURL, log); err != nil {
		db.Close()
		return nil, err
	}

	authenticator := auth.NewAuthenticator(map[credential.Kind]auth.Verifier{
		credential.ServiceAccountKey: a.ServiceAccounts,
		credential.AccessKey:         a.AccessKeys,
	}, sessions.Verifier{Sessions: a.Sessions}, sessions.CookieName)
	a.OIDC = oidc.NewService(db, keyring, a.SignIn, a.Roles, authenticator, log, cfg.PublicURL)
	reader := &audit.Reader{DB: db}
	a.AuditTail = audit.NewTail(reader, cfg.TailInterval(), log)
	resolver := &graph.Resolver{
		AuditReader:           reader,
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
		Authenticated: []func(chi.Router){a.AuditLog.Routes},
	})
	a.workers = startWorkers(a.Mail.Run, a.SignIn.ServeMagicLinkRequests, a.AuditLog.Run, a.AuditTail.Run)
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

// Close stops the background workers, then releases the database pool.
func (a *App) Close() error {
	a.workers.stop()
	return a.DB.Close()
}
