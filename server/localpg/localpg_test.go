package localpg

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func startCluster(t *testing.T, opts Options) *Cluster {
	t.Helper()
	if opts.Logf == nil {
		opts.Logf = t.Logf
	}
	c, err := Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Error(err)
		}
	})
	return c
}

func queryString(t *testing.T, url, sql string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var s string
	if err := conn.QueryRow(ctx, sql).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

func TestEphemeralClusterStartsAcceptsConnectionsAndStops(t *testing.T) {
	c := startCluster(t, Options{Dir: filepath.Join(t.TempDir(), "pg"), Ephemeral: true})

	if got := queryString(t, c.URL("postgres"), "SELECT current_user"); got != Superuser {
		t.Errorf("current_user = %q, want %q", got, Superuser)
	}
	for setting, want := range map[string]string{
		"fsync":              "off",
		"synchronous_commit": "off",
		"full_page_writes":   "off",
		"listen_addresses":   "127.0.0.1",
		"server_encoding":    "UTF8",
	} {
		if got := queryString(t, c.URL("postgres"), "SHOW "+setting); got != want {
			t.Errorf("%s = %q, want %q", setting, got, want)
		}
	}

	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, ok := runningPort(c.dir); ok {
		t.Error("postmaster.pid still names a running server after Stop")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(ctx, c.URL("postgres")); err == nil {
		conn.Close(ctx)
		t.Error("connected after Stop")
	}
}

func TestDurableClusterKeepsDataAcrossRestartsAndIsReusedWhileRunning(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pg")
	first := startCluster(t, Options{Dir: dir})
	if got := queryString(t, first.URL("postgres"), "SHOW fsync"); got != "on" {
		t.Errorf("fsync = %q on a durable cluster, want on", got)
	}
	if err := first.EnsureDatabase(t.Context(), "kept"); err != nil {
		t.Fatal(err)
	}
	if err := first.EnsureDatabase(t.Context(), "kept"); err != nil {
		t.Fatalf("EnsureDatabase on an existing database: %v", err)
	}

	again := startCluster(t, Options{Dir: dir, Port: first.Port() + 1})
	if !again.reused || again.Port() != first.Port() {
		t.Errorf("second Start: reused=%v port=%d, want the running server on port %d", again.reused, again.Port(), first.Port())
	}

	if err := first.Stop(); err != nil {
		t.Fatal(err)
	}
	restarted := startCluster(t, Options{Dir: dir})
	if restarted.reused {
		t.Error("Start after Stop reports a reused server")
	}
	if got := queryString(t, restarted.URL("kept"), "SELECT current_database()"); got != "kept" {
		t.Errorf("current_database() = %q after restart, want kept", got)
	}
}

func TestStartRefusesADirectoryThatIsNotACluster(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Start(t.Context(), Options{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "neither empty nor a PostgreSQL data directory") {
		t.Fatalf("Start in a non-empty directory: %v", err)
	}
}

func TestMissingBinariesErrorSaysWhatToInstall(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	libDir := debianLibDir
	debianLibDir = t.TempDir()
	t.Cleanup(func() { debianLibDir = libDir })

	_, err := findBinaries()
	if err == nil {
		t.Fatal("findBinaries found binaries in empty directories")
	}
	for _, want := range []string{"apt-get install postgresql", "pg_ctl", "initdb", "postgres"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestNewestDebianVersionWins(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	libDir := debianLibDir
	debianLibDir = t.TempDir()
	t.Cleanup(func() { debianLibDir = libDir })
	for _, version := range []string{"9.6", "16", "13"} {
		bin := filepath.Join(debianLibDir, version, "bin")
		if err := os.MkdirAll(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, name := range serverBinaries {
			if err := os.WriteFile(filepath.Join(bin, name), nil, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	// 17 is incomplete: no postgres binary.
	if err := os.MkdirAll(filepath.Join(debianLibDir, "17", "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(debianLibDir, "17", "bin", "pg_ctl"), nil, 0o755); err != nil {
		t.Fatal(err)
	}

	b, err := findBinaries()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(debianLibDir, "16", "bin", "pg_ctl"); b.pgCtl != want {
		t.Errorf("pg_ctl = %s, want %s", b.pgCtl, want)
	}
}
