package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/app"
	"github.com/orgtrail/orgtrail/server/auditlog"
	"github.com/orgtrail/orgtrail/server/pgtest"
)

// TestVerifyCommandChecksABundleOnlineThenOffline runs `orgtrail verify`
// against a real server: online it downloads and checks a bundle and saves
// the checkpoint; offline it checks the saved bundle against that
// checkpoint with the published key, and refuses a key that did not sign.
func TestVerifyCommandChecksABundleOnlineThenOffline(t *testing.T) {
	a := openApp(t, pgtest.NewDatabase(t), bytes.Repeat([]byte{7}, 32))
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	res, err := a.Bootstrap(context.Background(), app.BootstrapInput{OrganizationName: "Acme", AdminEmail: "admin@acme.example", APIKey: true})
	if err != nil {
		t.Fatal(err)
	}
	org := uuid.MustParse(res.OrganizationID)
	deadline := time.Now().Add(time.Minute)
	for {
		cp, err := a.AuditLog.Latest(context.Background(), org)
		if err != nil {
			t.Fatal(err)
		}
		var stored int64
		if err := a.DB.SQL().QueryRow(`SELECT count(*) FROM audit_events WHERE organization_id = $1`, org).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if cp != nil && cp.Size == stored {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the log did not catch up in a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get(srv.URL + "/.well-known/orgtrail-audit-log-key")
	if err != nil {
		t.Fatal(err)
	}
	key, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	dir := t.TempDir()
	keyFile, saved, bundle := filepath.Join(dir, "key"), filepath.Join(dir, "checkpoint"), filepath.Join(dir, "bundle.ndjson")
	if err := os.WriteFile(keyFile, key, 0o644); err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	err = verifyLog(context.Background(), []string{"--server", srv.URL, "--api-key", res.APIKey, "--key", keyFile,
		"--save-checkpoint", saved, "--out", bundle}, &out)
	if err != nil || !strings.Contains(out.String(), "ok: ") || !strings.Contains(out.String(), "complete: every sequence number") {
		t.Fatalf("online: %v\n%s", err, out.String())
	}
	out.Reset()
	err = verifyLog(context.Background(), []string{"--bundle", bundle, "--key", strings.TrimSpace(string(key)), "--checkpoint", saved}, &out)
	if err != nil || !strings.Contains(out.String(), "consistent: the log extends the earlier checkpoint") {
		t.Fatalf("offline: %v\n%s", err, out.String())
	}
	_, other, _ := auditlog.GenerateKey("mallory.example/orgtrail-audit-log")
	err = verifyLog(context.Background(), []string{"--bundle", bundle, "--key", other}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not signed by a trusted key") {
		t.Fatalf("with another key: %v", err)
	}
}
