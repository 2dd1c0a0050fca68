package localpg

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestEnsureLocalCreatesTheDatabaseAndReusesTheRunningCluster(t *testing.T) {
	project := t.TempDir()
	dsn, stop, err := EnsureLocal(t.Context(), project, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	})
	if got := queryString(t, dsn, "SELECT current_database()"); got != DevDatabase {
		t.Errorf("current_database() = %q, want %q", got, DevDatabase)
	}
	if _, err := os.Stat(filepath.Join(project, ".data", "postgres", "PG_VERSION")); err != nil {
		t.Errorf("no cluster under .data/postgres: %v", err)
	}

	again, stopAgain, err := EnsureLocal(t.Context(), project, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	if again != dsn {
		t.Errorf("second EnsureLocal: %s, want the running cluster's %s", again, dsn)
	}
	if err := stopAgain(); err != nil {
		t.Fatal(err)
	}
	if got := queryString(t, dsn, "SELECT 'still up'"); got != "still up" {
		t.Errorf("cluster answered %q after the reusing caller's stop", got)
	}
}

func TestSecretKeyIsCreatedOnceAndThenLoaded(t *testing.T) {
	project := t.TempDir()
	keys := make([]string, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			key, err := LoadOrCreateSecretKey(project)
			if err != nil {
				t.Error(err)
			}
			keys[i] = key
		})
	}
	wg.Wait()
	for _, key := range keys[1:] {
		if key != keys[0] {
			t.Fatalf("concurrent first calls returned different keys: %q", keys)
		}
	}
	raw, err := base64.StdEncoding.DecodeString(keys[0])
	if err != nil || len(raw) != 32 {
		t.Errorf("key %q: %d bytes, %v; want 32 base64-encoded bytes", keys[0], len(raw), err)
	}
	info, err := os.Stat(filepath.Join(project, ".data", "secret_key"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("secret_key mode %o, want 600", perm)
	}
	if key, err := LoadOrCreateSecretKey(project); err != nil || key != keys[0] {
		t.Errorf("second call: %q, %v; want %q", key, err, keys[0])
	}
}

func TestCorruptSecretKeyIsAnError(t *testing.T) {
	project := t.TempDir()
	if err := os.MkdirAll(filepath.Join(project, ".data"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(project, ".data", "secret_key"), []byte("too short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateSecretKey(project); err == nil {
		t.Fatal("a corrupt key file was accepted")
	}
}
