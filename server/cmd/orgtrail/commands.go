package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/app"
	"github.com/orgtrail/orgtrail/server/auditlog"
	"github.com/orgtrail/orgtrail/server/config"
	"github.com/orgtrail/orgtrail/server/localpg"
	"github.com/orgtrail/orgtrail/server/logging"
	"github.com/orgtrail/orgtrail/server/seed"
)

// environment loads and validates the configuration. With DATABASE_URL unset
// it starts (or reuses) the project-local cluster under ./.data and the
// local SECRET_KEY file, so `make run` works on a fresh machine. release
// stops the local cluster if this call started it, so Ctrl-C on `make run`
// leaves nothing running; call it after the last use of the database.
func environment(ctx context.Context, log *slog.Logger) (cfg config.Config, release func(), err error) {
	release = func() {}
	cfg, err = config.FromEnv(nil)
	if err != nil {
		return config.Config{}, release, err
	}
	if cfg.DatabaseURL != "" && cfg.SecretKey != nil && cfg.AuditSigningKey != "" {
		return cfg, release, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return config.Config{}, release, err
	}
	if cfg.DatabaseURL == "" {
		logf := func(format string, args ...any) { log.Info(fmt.Sprintf(format, args...)) }
		dsn, stop, err := localpg.EnsureLocal(ctx, dir, logf)
		if err != nil {
			return config.Config{}, release, fmt.Errorf("DATABASE_URL is unset and the local PostgreSQL could not start: %w", err)
		}
		release = func() {
			if err := stop(); err != nil {
				log.Error("stopping the local PostgreSQL failed; stop it with pg_ctl stop -D .data/postgres", "err", err)
			}
		}
		cfg.DatabaseURL = dsn
	}
	if cfg.SecretKey == nil {
		key, err := localpg.LoadOrCreateSecretKey(dir)
		if err != nil {
			release()
			return config.Config{}, func() {}, fmt.Errorf("SECRET_KEY is unset and no local key could be made: %w", err)
		}
		cfg, err = config.FromEnv(func(k string) string {
			switch k {
			case "SECRET_KEY":
				return key
			case "DATABASE_URL":
				return cfg.DatabaseURL
			}
			return os.Getenv(k)
		})
		if err != nil {
			release()
			return config.Config{}, func() {}, err
		}
	}
	if cfg.AuditSigningKey == "" {
		key, err := localpg.LoadOrCreateAuditSigningKey(dir, func() (string, error) {
			skey, _, err := auditlog.GenerateKey(auditKeyName(cfg.PublicURL))
			return skey, err
		})
		if err != nil {
			release()
			return config.Config{}, func() {}, fmt.Errorf("AUDIT_SIGNING_KEY is unset and no local key could be made: %w", err)
		}
		cfg.AuditSigningKey = key
	}
	return cfg, release, nil
}

// auditKeyName names a generated audit signing key after the site:
// "<host>/orgtrail-audit-log", as signed-note key names are schema-less URLs.
func auditKeyName(publicURL string) string {
	host := "localhost"
	if u, err := url.Parse(publicURL); err == nil && u.Host != "" {
		host = u.Host
	}
	return host + "/orgtrail-audit-log"
}

func serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	dev := fs.Bool("dev", false, "bootstrap a demo organization on first run and print how to use it")
	_ = fs.Parse(args)
	log := logging.New(os.Stderr, slog.LevelInfo)
	cfg, release, err := environment(ctx, log)
	if err != nil {
		return err
	}
	defer release()
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	a.StartMaintenance()
	if *dev {
		if err := welcome(ctx, a); err != nil {
			return err
		}
	}
	srv := &http.Server{Addr: cfg.ListenAddr, Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("serving", "addr", cfg.ListenAddr, "public_url", cfg.PublicURL)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// welcome bootstraps the demo organization on first run and prints how to
// reach it: a one-time sign-in link on every start, and the demo admin API
// key on the first one only (keys are shown once).
func welcome(ctx context.Context, a *app.App) error {
	const demoOrg = "Demo Organization"
	// Earlier versions kept the demo key in clear here to print it on every
	// start; keys are shown once, so it goes.
	if err := os.Remove(".data/demo-admin-api-key"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	_, exists, err := a.Orgs.FindByName(ctx, demoOrg)
	if err != nil {
		return err
	}
	res, err := a.Bootstrap(ctx, app.BootstrapInput{OrganizationName: demoOrg,
		AdminEmail: "admin@example.com", APIKey: !exists})
	if err != nil {
		return fmt.Errorf("bootstrap demo organization: %w", err)
	}
	key, curl := "shown on the first start only; create another in Settings › API Access Keys", ""
	if res.APIKey != "" {
		key = res.APIKey + "  (shown once: it is stored hashed)"
		curl = fmt.Sprintf(`
  curl -s %s/graphql -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \
    -d '{"query":"{ auditEvents(first: 5) { edges { node { occurredAt action actor { name } } } } }"}'
`, a.Config.PublicURL, res.APIKey)
	}
	fmt.Printf(`
Orgtrail is starting on %[1]s

  Sign in (one-time link, 15 minutes):
    %[4]s

  Demo organization  %[2]s
  Demo admin         admin@example.com  (later: ask for a sign-in link on %[1]s/sign-in;
                                         without SMTP_URL it is printed in this log)
  Admin API key      %[3]s
  GraphiQL           %[1]s/graphiql  (after signing in)
  Sample events      ./bin/orgtrail seed --org %[2]s --events 10000
                     (realistic made-up history over 120 days, to try the Audit Log's filters)
%[5]s
`, a.Config.PublicURL, res.OrganizationID, key, res.SignInURL, curl)
	return nil
}

func migrate(ctx context.Context, args []string) error {
	log := logging.New(os.Stderr, slog.LevelInfo)
	cfg, release, err := environment(ctx, log)
	if err != nil {
		return err
	}
	defer release()
	a, err := app.New(ctx, cfg, log) // New applies the migrations
	if err != nil {
		return err
	}
	log.Info("migrations applied")
	return a.Close()
}

func bootstrap(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bootstrap", flag.ExitOnError)
	org := fs.String("org", "", "organization name (required)")
	admin := fs.String("admin", "", "first admin's email (required)")
	apiKey := fs.Bool("api-key", false, "also create an admin API access key")
	_ = fs.Parse(args)
	if *org == "" || *admin == "" {
		fs.Usage()
		return errors.New("--org and --admin are required")
	}
	log := logging.New(os.Stderr, slog.LevelWarn)
	cfg, release, err := environment(ctx, log)
	if err != nil {
		return err
	}
	defer release()
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.Bootstrap(ctx, app.BootstrapInput{OrganizationName: *org, AdminEmail: *admin, APIKey: *apiKey})
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(res)
}

func seedEvents(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ExitOnError)
	org := fs.String("org", "", "organization id (required)")
	events := fs.Int("events", 10000, "number of events to write")
	_ = fs.Parse(args)
	id, err := uuid.Parse(*org)
	if err != nil {
		return fmt.Errorf("--org must be an organization id: %w", err)
	}
	if *events < 1 {
		return errors.New("--events must be positive")
	}
	log := logging.New(os.Stderr, slog.LevelWarn)
	cfg, release, err := environment(ctx, log)
	if err != nil {
		return err
	}
	defer release()
	a, err := app.New(ctx, cfg, log) // migrations first
	if err != nil {
		return err
	}
	a.Close()
	return seed.Run(ctx, cfg.DatabaseURL, id, *events, os.Stdout)
}
