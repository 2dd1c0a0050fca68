package audit

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
)

func partitionExists(t *testing.T, f *fixture, name string) bool {
	t.Helper()
	var exists bool
	if err := f.db.SQL().QueryRowContext(t.Context(), "SELECT to_regclass($1) IS NOT NULL", name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	return exists
}

func TestEnsurePartitionsCreatesMissingMonthsOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	from := time.Date(2031, 11, 17, 22, 0, 0, 0, time.FixedZone("UTC-5", -5*3600)) // 2031-11-18 03:00 UTC
	for range 2 {
		if err := EnsurePartitions(t.Context(), f.db, from, 3); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]bool{
		"audit_events_2031_10": false,
		"audit_events_2031_11": true,
		"audit_events_2031_12": true,
		"audit_events_2032_01": true,
		"audit_events_2032_02": false,
	} {
		if got := partitionExists(t, f, name); got != want {
			t.Errorf("partition %s exists: %v, want %v", name, got, want)
		}
	}
	f.insert(t, event(uuid.New(), time.Date(2032, 1, 31, 23, 59, 59, 0, time.UTC), LoggedIn))
	if err := EnsurePartitions(t.Context(), f.db, from, 0); err == nil {
		t.Error("EnsurePartitions accepted zero months")
	}
}

func TestMaintainPartitionsKeepsThreeMonthsAhead(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		MaintainPartitions(ctx, f.db, slog.New(slog.DiscardHandler))
	}()
	month := time.Now().UTC()
	month = time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.UTC)
	last := "audit_events_" + month.AddDate(0, partitionMonthsAhead, 0).Format("2006_01")
	deadline := time.Now().Add(10 * time.Second)
	for !partitionExists(t, f, last) {
		if time.Now().After(deadline) {
			t.Fatalf("partition %s was not created", last)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("MaintainPartitions did not return when its context ended")
	}
}

func TestMaintainPartitionsLogsAFailure(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, err := f.db.SQL().ExecContext(t.Context(), "ALTER FUNCTION audit_events_ensure_partitions(date, int) RENAME TO broken"); err != nil {
		t.Fatal(err)
	}
	logged := make(chan slog.Record, 1)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go MaintainPartitions(ctx, f.db, slog.New(recordHandler(logged)))
	select {
	case r := <-logged:
		if r.Level != slog.LevelError {
			t.Errorf("logged at %v, want error", r.Level)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a failure to create partitions was not logged")
	}
}

// recordHandler sends each record to ch, dropping it when ch is full.
type recordHandler chan<- slog.Record

func (h recordHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h recordHandler) Handle(_ context.Context, r slog.Record) error {
	select {
	case h <- r:
	default:
	}
	return nil
}
func (h recordHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h recordHandler) WithGroup(string) slog.Handler      { return h }

// TestDropExpiredPartitionsKeepsWhatAnyOrganizationRetains: a month goes
// only when it is past the longest retention of all organizations.
func TestDropExpiredPartitionsKeepsWhatAnyOrganizationRetains(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if err := EnsurePartitions(t.Context(), f.db, testNow.AddDate(-2, 0, 0), 3); err != nil { // 2024-11 to 2025-01
		t.Fatal(err)
	}
	org := uuid.New()
	old := event(org, time.Date(2024, 12, 24, 12, 0, 0, 0, time.UTC), LoggedIn)
	kept := event(org, time.Date(2025, 11, 26, 0, 0, 0, 0, time.UTC), LoggedIn) // within 365 days of testNow
	f.insert(t, old, kept)

	drop := func() []string {
		t.Helper()
		dropped, err := DropExpiredPartitions(t.Context(), f.db, testNow)
		if err != nil {
			t.Fatal(err)
		}
		return dropped
	}
	if got := drop(); len(got) != 0 {
		t.Fatalf("dropped %v with no organization", got)
	}
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := f.db.SQL().ExecContext(t.Context(), query, args...); err != nil {
			t.Fatal(err)
		}
	}
	account := uuid.New()
	exec(`INSERT INTO accounts (id) VALUES ($1)`, account)
	exec(`INSERT INTO organizations (id, account_id, name, audit_retention_days) VALUES ($1, $2, 'Short', 30), ($3, $2, 'Long', 3650)`,
		org, account, uuid.New())
	if got := drop(); len(got) != 0 {
		t.Fatalf("dropped %v while an organization keeps 3650 days", got)
	}
	exec(`UPDATE organizations SET audit_retention_days = 365 WHERE name = 'Long'`)
	if got := fmt.Sprint(drop()); got != "[audit_events_2024_11 audit_events_2024_12 audit_events_2025_01]" {
		t.Fatalf("dropped %s", got)
	}
	for name, want := range map[string]bool{"audit_events_2025_01": false, "audit_events_2025_11": true} {
		if got := partitionExists(t, f, name); got != want {
			t.Errorf("partition %s exists: %v, want %v", name, got, want)
		}
	}
	requireSameIDs(t, idsOf(f.mustList(t, org, ListQuery{First: 10}).Events), []uuid.UUID{kept.ID})
}
