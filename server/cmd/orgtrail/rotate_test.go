package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/app"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/config"
	"github.com/orgtrail/orgtrail/server/logging"
	"github.com/orgtrail/orgtrail/server/pgtest"
	"github.com/orgtrail/orgtrail/server/secrets"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func openApp(t *testing.T, dsn string, current []byte, previous ...[]byte) *app.App {
	t.Helper()
	cfg := config.Config{DatabaseURL: dsn, ListenAddr: "127.0.0.1:0", PublicURL: "http://orgtrail.test",
		SecretKey: current, PreviousSecretKeys: previous}
	a, err := app.New(context.Background(), cfg, logging.New(io.Discard, slog.LevelError))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// TestRotateSecretKeyCommandReportsItsWork runs the command's body: a dry
// run counts, a run re-encrypts and says SECRET_KEY_PREVIOUS may go, and a
// value that does not decrypt makes it fail naming the row.
func TestRotateSecretKeyCommandReportsItsWork(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	oldKey, newKey := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	before := openApp(t, dsn, oldKey)
	res, err := before.Bootstrap(context.Background(), app.BootstrapInput{OrganizationName: "Acme", AdminEmail: "a@acme.example"})
	if err != nil {
		t.Fatal(err)
	}
	org := uuid.MustParse(res.OrganizationID)
	ctx := audit.WithActor(context.Background(), audit.System(org))
	for _, name := range []string{"ONE", "TWO", "THREE"} {
		if _, err := before.Secrets.Create(ctx, org, secrets.CreateCommand{Name: name, Value: "value of " + name}); err != nil {
			t.Fatal(err)
		}
	}

	after := openApp(t, dsn, newKey, oldKey)
	var out strings.Builder
	if err := runRotation(context.Background(), after, 2, true, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "secrets: 3 values to re-encrypt") || !strings.Contains(out.String(), "connectors: 0 values") {
		t.Fatalf("dry run printed:\n%s", out.String())
	}
	out.Reset()
	if err := runRotation(context.Background(), after, 2, false, &out); err != nil {
		t.Fatalf("rotation: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "secrets: done, 3 re-encrypted, 0 failed") ||
		!strings.Contains(out.String(), "SECRET_KEY_PREVIOUS can be removed") {
		t.Fatalf("rotation printed:\n%s", out.String())
	}

	// A value sealed under a key nobody configured any more cannot be rotated.
	stray, err := before.Secrets.Create(ctx, org, secrets.CreateCommand{Name: "STRAY", Value: "under the old key"})
	if err != nil {
		t.Fatal(err)
	}
	newOnly := openApp(t, dsn, newKey)
	out.Reset()
	err = runRotation(context.Background(), newOnly, 2, false, &out)
	if !errors.Is(err, secrets.ErrRotationIncomplete) || !strings.Contains(out.String(), stray.ID.String()) {
		t.Fatalf("rotation with an unknown key = %v\n%s", err, out.String())
	}
}
