package main

import (
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/orgtrail/orgtrail/server/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestStatementCounterCountsWhatTheClientRuns(t *testing.T) {
	counter, err := newStatementCounter(t.Context(), pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer counter.Close()
	if !counter.Available() {
		t.Fatal("the counter does not see a postgres:// URL's statements")
	}
	conn, err := pgx.Connect(t.Context(), counter.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())

	before := counter.Count()
	for i := range 3 {
		var n int
		if err := conn.QueryRow(t.Context(), "SELECT $1::int", i).Scan(&n); err != nil || n != i {
			t.Fatalf("SELECT %d through the counter: %d, %v", i, n, err)
		}
	}
	if _, err := conn.Exec(t.Context(), "SELECT 1", pgx.QueryExecModeSimpleProtocol); err != nil {
		t.Fatal(err)
	}
	if got := counter.Count() - before; got != 4 {
		t.Errorf("counted %d statements, want 4", got)
	}
}
