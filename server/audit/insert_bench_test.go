package audit

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/pgtest"
)

// BenchmarkInsertEvent weighs the recorder's INSERT inside a transaction
// against a baseline of one round trip (SELECT 1), GORM's Create against
// the same INSERT written by hand, and the INSERT today against the table
// as it was before the verifiable log (issue 11: without the xid column and
// its index, in a database of its own), in one run, three rounds:
//
//	go test ./server/audit -run '^$' -bench InsertEvent -benchtime 3000x
//
// On the project's 2-core machine: SELECT 1 0.17 ms, the INSERT 0.41-0.46 ms
// through GORM and 0.43-0.45 ms by hand. GORM adds nothing measurable; a
// third of the audit row's cost is the round trip every statement pays.
// The tx_per_event pair commits each event in its own transaction (without
// waiting for the WAL flush), today and before issue 11: each event then has
// its own xid. Figures of the before/after comparison: docs/benchmarks.md.
func BenchmarkInsertEvent(b *testing.B) {
	ctx := context.Background()
	db, err := database.Open(ctx, pgtest.NewDatabase(b), database.Options{Plugins: []gorm.Plugin{Recorder{}}})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	before, err := database.Open(ctx, pgtest.NewDatabase(b), database.Options{Plugins: []gorm.Plugin{Recorder{}}})
	if err != nil {
		b.Fatal(err)
	}
	defer before.Close()
	if err := before.Conn(ctx).Exec(`ALTER TABLE audit_events DROP COLUMN xid`).Error; err != nil {
		b.Fatal(err)
	}
	org := uuid.New()
	ip := "127.0.0.1"
	ev := func() *Event {
		return &Event{OrganizationID: org, OccurredAt: time.Now().UTC(), ID: uuid.Must(uuid.NewV7()), Action: CreatedRole,
			ActorType: ActorUser, ActorID: uuid.NewString(), ActorEmail: "admin@example.com", ActorName: "Admin",
			ResourceType: "role", ResourceID: uuid.NewString(), ResourceName: "Deployers",
			Details:   Details{"permissions": []string{"secrets:read", "roles:read"}, "description": "deploy bots"},
			IPAddress: &ip, UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120", RequestID: "req-1234567890"}
	}
	raw := func(tx *gorm.DB, e *Event) error {
		// The same statement GORM builds, without GORM.
		d, _ := json.Marshal(e.Details)
		return tx.Exec(`INSERT INTO audit_events (organization_id, occurred_at, id, action, actor_type, actor_id, actor_email,
			actor_name, resource_type, resource_id, resource_name, details, ip_address, user_agent, request_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.OrganizationID, e.OccurredAt, e.ID, e.Action, e.ActorType,
			e.ActorID, e.ActorEmail, e.ActorName, e.ResourceType, e.ResourceID, e.ResourceName, string(d), e.IPAddress,
			e.UserAgent, e.RequestID).Error
	}
	gormCreate := func(tx *gorm.DB, e *Event) error {
		return insert(tx.Session(&gorm.Session{NewDB: true, SkipHooks: true}), e)
	}
	roundTrip := func(tx *gorm.DB, _ *Event) error { return tx.Exec(`SELECT 1`).Error }
	for range 3 {
		for _, c := range []struct {
			name string
			f    func(*gorm.DB, *Event) error
			db   *database.DB
		}{{"select1", roundTrip, db}, {"gorm", gormCreate, db}, {"by_hand", raw, db}, {"gorm_before_issue_11", gormCreate, before}} {
			b.Run(c.name, func(b *testing.B) {
				// One transaction, rolled back: the commit's WAL flush, the
				// same with or without the audit row, stays out of it.
				tx := c.db.Conn(ctx).Begin()
				defer tx.Rollback()
				for b.Loop() {
					if err := c.f(tx, ev()); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		// One transaction per event, as mutations write them: each has its
		// own transaction id, hence its own entry in the xid index. The
		// commit does not wait for the WAL flush (the same in both).
		for _, c := range []struct {
			name string
			db   *database.DB
		}{{"tx_per_event", db}, {"tx_per_event_before_issue_11", before}} {
			b.Run(c.name, func(b *testing.B) {
				for b.Loop() {
					err := c.db.Conn(ctx).Transaction(func(tx *gorm.DB) error {
						if err := tx.Exec(`SET LOCAL synchronous_commit = off`).Error; err != nil {
							return err
						}
						return gormCreate(tx, ev())
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
