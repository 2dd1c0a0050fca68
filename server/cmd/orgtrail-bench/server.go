package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/app"
	"github.com/orgtrail/orgtrail/server/config"
)

// benchOrganization is the organization whose audit log the benchmark reads.
const (
	benchOrganization = "Acme Corp"
	benchAdmin        = "admin@acme-corp.example"
)

// server is the real HTTP server, running in this process on loopback.
type server struct {
	url            string
	apiKey         string
	organizationID uuid.UUID
	adminID        uuid.UUID
	// bootstrap creates another organization with an admin API key.
	bootstrap func(ctx context.Context, name, admin string) (app.BootstrapResult, error)
	close     func() error
}

// Close shuts the server down.
func (s *server) Close() error { return s.close() }

// startServer is the benchmark's only contact with the server's assembly
// (package app): it builds the application on dsn, bootstraps the measured
// organization with an admin API key when bootstrap is set, and serves it
// on a loopback port.
func startServer(ctx context.Context, dsn string, log *slog.Logger, bootstrap bool) (*server, error) {
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	url := "http://" + l.Addr().String()
	a, err := app.New(ctx, config.Config{DatabaseURL: dsn, ListenAddr: l.Addr().String(), PublicURL: url, SecretKey: secret,
		AuditSigningKey: benchSigningKey()}, log)
	if err != nil {
		l.Close()
		return nil, fmt.Errorf("start the server: %w", err)
	}
	s := &server{url: url}
	s.bootstrap = func(ctx context.Context, name, admin string) (app.BootstrapResult, error) {
		return a.Bootstrap(ctx, app.BootstrapInput{OrganizationName: name, AdminEmail: admin, APIKey: true})
	}
	if bootstrap {
		res, err := a.Bootstrap(ctx, app.BootstrapInput{OrganizationName: benchOrganization, AdminEmail: benchAdmin, APIKey: true})
		if err != nil {
			l.Close()
			return nil, errors.Join(fmt.Errorf("bootstrap: %w", err), a.Close())
		}
		s.apiKey = res.APIKey
		if s.organizationID, err = uuid.Parse(res.OrganizationID); err == nil {
			s.adminID, err = uuid.Parse(res.UserID)
		}
		if err != nil {
			l.Close()
			return nil, errors.Join(fmt.Errorf("bootstrap: %w", err), a.Close())
		}
	}
	hs := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(l) }()
	s.close = func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := hs.Shutdown(ctx)
		if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
		return errors.Join(err, a.Close())
	}
	return s, nil
}
