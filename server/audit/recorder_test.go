package audit_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/pgtest"
)

// widget is a stand-in for a domain row: the recorder only needs Target.
type widget struct {
	ID             uuid.UUID
	OrganizationID uuid.UUID
	Name           string
}

func (widget) TableName() string { return "widgets" }

func (w *widget) AuditTarget() (uuid.UUID, audit.Resource) {
	return w.OrganizationID, audit.Resource{Type: "widget", ID: w.ID.String(), Name: w.Name}
}

func recorderDB(t *testing.T) (*database.DB, context.Context, uuid.UUID) {
	t.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, pgtest.NewDatabase(t), database.Options{Plugins: []gorm.Plugin{audit.Recorder{}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Conn(ctx).Exec(`CREATE TABLE widgets (id uuid PRIMARY KEY, organization_id uuid NOT NULL, name text NOT NULL)`).Error; err != nil {
		t.Fatal(err)
	}
	org := uuid.New()
	return db, audit.WithActor(ctx, audit.System(org)), org
}

func countRows(t *testing.T, db *database.DB, table string) int64 {
	t.Helper()
	var n int64
	if err := db.Conn(context.Background()).Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRecorderWritesOneEventInTheChangesTransaction(t *testing.T) {
	t.Parallel()
	db, ctx, org := recorderDB(t)
	w := widget{ID: uuid.New(), OrganizationID: org, Name: "first"}
	err := db.InTx(ctx, func(ctx context.Context) error {
		return audit.Audited(db.Conn(ctx), audit.Change{Action: audit.CreatedConnector, Details: audit.Details{"k": "v"}}).Create(&w).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	var ev audit.Event
	if err := db.Conn(ctx).Where("organization_id = ?", org).Take(&ev).Error; err != nil {
		t.Fatal(err)
	}
	if ev.Action != audit.CreatedConnector || ev.ResourceID != w.ID.String() || ev.ResourceName != "first" ||
		ev.ActorType != audit.ActorSystem || ev.Details["k"] != "v" {
		t.Fatalf("event %+v", ev)
	}

	// A statement that affects no row is no change and records nothing.
	err = db.InTx(ctx, func(ctx context.Context) error {
		return audit.Audited(db.Conn(ctx), audit.Change{Action: audit.DeletedConnector}).
			Where("id = ?", uuid.New()).Delete(&widget{}).Error
	})
	if err != nil || countRows(t, db, "audit_events") != 1 {
		t.Fatalf("delete of nothing: err %v, %d events", err, countRows(t, db, "audit_events"))
	}

	// A rolled-back unit of work takes its event with it.
	_ = db.InTx(ctx, func(ctx context.Context) error {
		w2 := widget{ID: uuid.New(), OrganizationID: org, Name: "second"}
		if err := audit.Audited(db.Conn(ctx), audit.Change{Action: audit.CreatedConnector}).Create(&w2).Error; err != nil {
			return err
		}
		return context.Canceled
	})
	if countRows(t, db, "widgets") != 1 || countRows(t, db, "audit_events") != 1 {
		t.Fatal("a rolled-back change left a row or an event behind")
	}
}

func TestRecorderRefusesUnsafeUse(t *testing.T) {
	t.Parallel()
	db, ctx, org := recorderDB(t)
	for name, run := range map[string]func() error{
		"outside a transaction": func() error {
			return audit.Audited(db.Conn(ctx), audit.Change{Action: audit.CreatedConnector}).
				Create(&widget{ID: uuid.New(), OrganizationID: org, Name: "x"}).Error
		},
		"without an actor": func() error {
			return db.InTx(context.Background(), func(ctx context.Context) error {
				return audit.Audited(db.Conn(ctx), audit.Change{Action: audit.CreatedConnector}).
					Create(&widget{ID: uuid.New(), OrganizationID: org, Name: "x"}).Error
			})
		},
		"with an unknown action": func() error {
			return db.InTx(ctx, func(ctx context.Context) error {
				return audit.Audited(db.Conn(ctx), audit.Change{Action: "MADE_COFFEE"}).
					Create(&widget{ID: uuid.New(), OrganizationID: org, Name: "x"}).Error
			})
		},
		"twice on one handle": func() error {
			return db.InTx(ctx, func(ctx context.Context) error {
				q := audit.Audited(db.Conn(ctx), audit.Change{Action: audit.CreatedConnector})
				if err := q.Create(&widget{ID: uuid.New(), OrganizationID: org, Name: "a"}).Error; err != nil {
					return err
				}
				return q.Create(&widget{ID: uuid.New(), OrganizationID: org, Name: "b"}).Error
			})
		},
	} {
		t.Run(name, func(t *testing.T) {
			if err := run(); err == nil || !strings.Contains(err.Error(), "audit") {
				t.Fatalf("err = %v, want the recorder's refusal", err)
			}
		})
	}
	// The refusals come before the statement: no write was made without its event.
	if w, e := countRows(t, db, "widgets"), countRows(t, db, "audit_events"); w != 0 || e != 0 {
		t.Fatalf("refused uses left %d widgets and %d events", w, e)
	}
}
