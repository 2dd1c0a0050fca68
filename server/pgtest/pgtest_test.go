package pgtest_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/orgtrail/orgtrail/server/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func open(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func tableExists(t *testing.T, db *sql.DB, table string) bool {
	t.Helper()
	var exists bool
	if err := db.QueryRowContext(t.Context(), "SELECT to_regclass($1) IS NOT NULL", table).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	return exists
}

func TestNewDatabaseIsMigrated(t *testing.T) {
	t.Parallel()
	db := open(t, pgtest.NewDatabase(t))
	for _, table := range []string{"audit_events", "goose_db_version"} {
		if !tableExists(t, db, table) {
			t.Errorf("table %s is missing from a new database", table)
		}
	}
}

func TestDatabasesAreIsolated(t *testing.T) {
	t.Parallel()
	a := open(t, pgtest.NewDatabase(t))
	b := open(t, pgtest.NewDatabase(t))
	if _, err := a.ExecContext(t.Context(), "CREATE TABLE only_in_a (id int)"); err != nil {
		t.Fatal(err)
	}
	if tableExists(t, b, "only_in_a") {
		t.Error("a table created in one test database appears in another")
	}
}

func TestDatabaseIsDroppedWhenTheTestEnds(t *testing.T) {
	t.Parallel()
	var name string
	t.Run("user", func(t *testing.T) {
		db := open(t, pgtest.NewDatabase(t))
		if err := db.QueryRowContext(t.Context(), "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
		// Left open on purpose: the drop must not wait for it.
		if _, err := db.Conn(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	admin := open(t, pgtest.AdminURL())
	var exists bool
	if err := admin.QueryRowContext(t.Context(), "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Errorf("database %s still exists after its test ended", name)
	}
}
