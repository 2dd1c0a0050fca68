package migrations_test

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	"github.com/orgtrail/orgtrail/migrations"
	"github.com/orgtrail/orgtrail/server/pgtest"
)

// TestReplicasStartingTogetherMigrateOnce (issue 14): several servers
// starting at the same moment on an empty database all start, and every
// migration is applied exactly once.
func TestReplicasStartingTogetherMigrateOnce(t *testing.T) {
	dsn := pgtest.NewEmptyDatabase(t)
	const replicas = 8
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range replicas {
		wg.Go(func() {
			db, err := sql.Open("pgx", dsn)
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			<-start
			errs[i] = migrations.Up(context.Background(), db)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i, err)
		}
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var applied, distinct int
	if err := db.QueryRow(`SELECT count(*), count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`).
		Scan(&applied, &distinct); err != nil {
		t.Fatal(err)
	}
	if applied == 0 || applied != distinct {
		t.Errorf("goose_db_version: %d rows for %d versions; want each version once", applied, distinct)
	}
}
