// Package pgtest gives integration tests a real PostgreSQL database of their
// own, migrated to the current schema.
//
// A package's tests use it from TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
//	func TestRevokedKeyIsRefused(t *testing.T) {
//		t.Parallel()
//		dsn := pgtest.NewDatabase(t)
//		...
//	}
//
// When DATABASE_URL is unset, Main starts a throwaway cluster (see package
// localpg) for the test binary. When it is set, the tests use that server,
// and its database only to create and drop their own databases, so pointing
// DATABASE_URL at a development server is safe.
//
// Main migrates one template database per test binary; NewDatabase copies
// it, which takes milliseconds, so every test can afford a fresh database.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/orgtrail/orgtrail/migrations"
	"github.com/orgtrail/orgtrail/server/localpg"
)

// statementTimeout bounds each administrative statement.
const statementTimeout = time.Minute

// server is what Main set up for this test binary.
var server struct {
	adminURL string
	admin    *sql.DB
	template string
	// databases numbers the databases NewDatabase creates.
	databases atomic.Int64
}

// Main runs the package's tests against a PostgreSQL server and exits with
// their result. Call it from TestMain.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if !flag.Parsed() {
		flag.Parse()
	}
	teardown, err := setup(context.Background())
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		return 1
	}
	code := m.Run()
	if err := teardown(); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// setup finds or starts the server and builds the template database. The
// returned teardown undoes what setup did.
func setup(ctx context.Context) (teardown func() error, err error) {
	var undo []func() error
	teardown = func() error {
		var errs []error
		for i := len(undo) - 1; i >= 0; i-- {
			errs = append(errs, undo[i]())
		}
		return errors.Join(errs...)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, teardown())
		}
	}()

	server.adminURL = os.Getenv("DATABASE_URL")
	if server.adminURL == "" {
		dir, err := os.MkdirTemp("", "orgtrail-pgtest-")
		if err != nil {
			return nil, err
		}
		undo = append(undo, func() error { return os.RemoveAll(dir) })
		logf := func(string, ...any) {}
		if testing.Verbose() {
			logf = func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
		}
		cluster, err := localpg.Start(ctx, localpg.Options{
			Dir:       filepath.Join(dir, "data"),
			Ephemeral: true,
			Logf:      logf,
		})
		if err != nil {
			return nil, err
		}
		undo = append(undo, cluster.Stop)
		server.adminURL = cluster.URL("postgres")
	}

	server.admin, err = sql.Open("pgx", server.adminURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	undo = append(undo, server.admin.Close)

	server.template = "orgtrail_tpl_" + uniqueSuffix()
	if err := adminExec(ctx, "CREATE DATABASE "+ident(server.template)); err != nil {
		return nil, fmt.Errorf("create the template database: %w", err)
	}
	undo = append(undo, func() error { return dropDatabase(server.template) })

	tpl, err := sql.Open("pgx", databaseURL(server.adminURL, server.template))
	if err != nil {
		return nil, err
	}
	err = migrations.Up(ctx, tpl)
	if cerr := tpl.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("migrate the template database: %w", err)
	}
	// A template must have no sessions while it is copied; refusing them
	// turns a stray connection into an error instead of a flaky CREATE.
	if err := adminExec(ctx, "ALTER DATABASE "+ident(server.template)+" WITH ALLOW_CONNECTIONS false"); err != nil {
		return nil, err
	}
	return teardown, nil
}

// NewDatabase creates a database for the test, a copy of the migrated
// template, and returns its connection string. The database is dropped when
// the test ends, closing connections left open. It is safe for parallel tests.
func NewDatabase(t testing.TB) string {
	t.Helper()
	if server.admin == nil {
		t.Fatal("pgtest: NewDatabase needs pgtest.Main: add func TestMain(m *testing.M) { pgtest.Main(m) } to the package's tests")
	}
	name := fmt.Sprintf("orgtrail_test_%d_%s", server.databases.Add(1), uniqueSuffix())
	if err := adminExec(context.Background(), "CREATE DATABASE "+ident(name)+" TEMPLATE "+ident(server.template)); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := dropDatabase(name); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return databaseURL(server.adminURL, name)
}

// NewEmptyDatabase creates an empty database for the test, with no schema at
// all, and returns its connection string: for tests of migrating itself. It
// is dropped when the test ends.
func NewEmptyDatabase(t testing.TB) string {
	t.Helper()
	if server.admin == nil {
		t.Fatal("pgtest: NewEmptyDatabase needs pgtest.Main")
	}
	name := fmt.Sprintf("orgtrail_empty_%d_%s", server.databases.Add(1), uniqueSuffix())
	if err := adminExec(context.Background(), "CREATE DATABASE "+ident(name)); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := dropDatabase(name); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return databaseURL(server.adminURL, name)
}

// AdminURL is the connection string of the server's maintenance database,
// for tests that need to see the server as a whole.
func AdminURL() string {
	return server.adminURL
}

func adminExec(ctx context.Context, statement string) error {
	ctx, cancel := context.WithTimeout(ctx, statementTimeout)
	defer cancel()
	_, err := server.admin.ExecContext(ctx, statement)
	return err
}

func dropDatabase(name string) error {
	if err := adminExec(context.Background(), "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

func ident(name string) string {
	return pgx.Identifier{name}.Sanitize()
}

// uniqueSuffix tells apart databases of concurrent test binaries, on this
// machine by process id and across machines sharing a server by chance.
func uniqueSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b) // never fails
	return fmt.Sprintf("%d_%x", os.Getpid(), b)
}

// databaseURL points the connection string dsn, a URL or keyword/value
// string, at database name.
func databaseURL(dsn, name string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path, u.RawPath = "/"+name, ""
		return u.String()
	}
	// In keyword/value strings the last setting of a keyword wins.
	return strings.TrimSpace(dsn) + " dbname=" + name
}
