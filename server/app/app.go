// Package app assembles the server: database, domain services, GraphQL and
// HTTP routes. The orgtrail command, tests and the benchmark all start the
// server through it, so they run the same code.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/graph"
	"github.com/orgtrail/orgtrail/migrations"
	"github.com/orgtrail/orgtrail/server/accesskeys"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/auth"
	"github.com/orgtrail/orgtrail/server/config"
	"github.com/orgtrail/orgtrail/server/credential"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/rbac"
	"github.com/orgtrail/orgtrail/server/serviceaccounts"
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
	handler         http.Handler
}

// New connects to the database, applies migrations and builds the handler.
func New(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
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

	authenticator := auth.NewAuthenticator(map[credential.Kind]auth.Verifier{
		credential.ServiceAccountKey: a.ServiceAccounts,
		credential.AccessKey:         a.AccessKeys,
	})
	resolver := &graph.Resolver{
		OrgService:            a.Orgs,
		RoleService:           a.Roles,
		ServiceAccountService: a.ServiceAccounts,
		AccessKeyService:      a.AccessKeys,
	}
	a.handler = web.NewRouter(web.Deps{
		Log:           log,
		GraphQL:       graph.NewHandler(resolver, log),
		Authenticator: authenticator,
		Ready:         db.Ping,
		SPA:           spa(),
	})
	return a, nil
}

// Handler is the server's HTTP handler.
func (a *App) Handler() http.Handler { return a.handler }

// Close releases the database pool.
func (a *App) Close() error { return a.DB.Close() }

// spa serves the single-page app. Until it is built, a page pointing at the API.
func spa() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><title>Orgtrail</title><h1>Orgtrail</h1>
<p>The admin console is on its way. Meanwhile use the GraphQL API: <a href="/graphiql">GraphiQL</a>.</p>`)
	})
}
