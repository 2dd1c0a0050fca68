package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Change describes the audited action that one write statement performs.
type Change struct {
	Action Action
	// Resource is what the change is about. When its Type is empty it is taken
	// from the written model, which must then implement Target.
	Resource Resource
	Details  Details
	// OrganizationID is where the event lands; zero means the written
	// model's organization (Target), else the actor's.
	OrganizationID uuid.UUID
}

// Target is implemented by rows that audited statements write, so the
// recorder can name the resource after the statement has run (when, for a
// create, its id is known).
type Target interface {
	AuditTarget() (organizationID uuid.UUID, r Resource)
}

// Audited returns tx prepared so that the audit recorder writes change as one
// audit event after the next create, update or delete statement run on the
// returned handle affects at least one row, in the same transaction. A
// statement that affects no row records nothing: there was no change.
//
//	err := audit.Audited(tx, audit.Change{Action: audit.CreatedRole}).Create(&role).Error
func Audited(tx *gorm.DB, change Change) *gorm.DB {
	return tx.Set(pendingKey, &pending{change: change})
}

const pendingKey = "orgtrail:audit_change"

type pending struct {
	change   Change
	recorded bool
}

// Recorder is the GORM plugin that writes audit events in the transaction of
// the change they describe. Register it once with db.Use.
type Recorder struct {
	// Now is the clock (tests may fix it). Nil means time.Now.
	Now func() time.Time
}

// Name implements gorm.Plugin.
func (Recorder) Name() string { return "orgtrail:audit" }

// Initialize implements gorm.Plugin. Before each create, update and delete
// it checks that an audited write can be recorded (so a write that could not
// be is never made); after it, it records the event.
func (r Recorder) Initialize(db *gorm.DB) error {
	const check, record = "orgtrail:audit_check", "orgtrail:audit_record"
	const commit = "gorm:commit_or_rollback_transaction"
	if err := db.Callback().Create().Before("gorm:create").Register(check, r.check); err != nil {
		return err
	}
	if err := db.Callback().Update().Before("gorm:update").Register(check, r.check); err != nil {
		return err
	}
	if err := db.Callback().Delete().Before("gorm:delete").Register(check, r.check); err != nil {
		return err
	}
	if err := db.Callback().Create().After("gorm:after_create").Before(commit).Register(record, r.record); err != nil {
		return err
	}
	if err := db.Callback().Update().After("gorm:after_update").Before(commit).Register(record, r.record); err != nil {
		return err
	}
	return db.Callback().Delete().After("gorm:after_delete").Before(commit).Register(record, r.record)
}

// check refuses an audited statement that could not be recorded: outside a
// transaction, without an actor, with an unknown action, or on a handle
// whose change was already recorded.
func (r Recorder) check(db *gorm.DB) {
	v, ok := db.Get(pendingKey)
	if !ok || db.Error != nil {
		return
	}
	p := v.(*pending)
	switch _, hasActor := ActorFrom(db.Statement.Context); {
	case p.recorded:
		db.AddError(errors.New("audit: one audited change per statement; call audit.Audited again for the next"))
	case !isTx(db):
		db.AddError(errors.New("audit: audited write outside a transaction"))
	case !hasActor:
		db.AddError(fmt.Errorf("audit: %s without an actor in the context", p.change.Action))
	case !p.change.Action.Valid():
		db.AddError(fmt.Errorf("audit: unknown action %q", p.change.Action))
	}
}

func isTx(db *gorm.DB) bool {
	_, ok := db.Statement.ConnPool.(gorm.TxCommitter)
	return ok
}

func (r Recorder) record(db *gorm.DB) {
	v, ok := db.Get(pendingKey)
	if !ok || db.Error != nil || db.RowsAffected == 0 {
		return
	}
	p := v.(*pending)
	ev, err := r.event(db.Statement.Context, p.change, db.Statement.Model)
	if err != nil {
		db.AddError(err)
		return
	}
	if err := insert(db.Session(&gorm.Session{NewDB: true, SkipHooks: true}), ev); err != nil {
		db.AddError(err)
		return
	}
	p.recorded = true
}

// Append writes an event that is not tied to a row write (a failed login,
// for instance). tx should be the transaction of any change it accompanies.
func Append(ctx context.Context, tx *gorm.DB, change Change) error {
	if change.Resource.Type == "" {
		return errors.New("audit: Append needs an explicit resource")
	}
	ev, err := Recorder{}.event(ctx, change, nil)
	if err != nil {
		return err
	}
	return insert(tx.WithContext(ctx), ev)
}

func insert(db *gorm.DB, ev *Event) error {
	if err := db.Table("audit_events").Create(ev).Error; err != nil {
		return fmt.Errorf("audit: write %s event: %w", ev.Action, err)
	}
	return nil
}

func (r Recorder) event(ctx context.Context, c Change, model any) (*Event, error) {
	if !c.Action.Valid() {
		return nil, fmt.Errorf("audit: unknown action %q", c.Action)
	}
	actor, ok := ActorFrom(ctx)
	if !ok {
		return nil, fmt.Errorf("audit: %s without an actor in the context", c.Action)
	}
	org, res := c.OrganizationID, c.Resource
	if t, ok := model.(Target); ok {
		modelOrg, modelRes := t.AuditTarget()
		if res.Type == "" {
			res = modelRes
		}
		if org == uuid.Nil {
			org = modelOrg
		}
	}
	if org == uuid.Nil {
		org = actor.OrganizationID
	}
	if org == uuid.Nil || res.Type == "" {
		return nil, fmt.Errorf("audit: %s needs an organization and a resource", c.Action)
	}
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	details := c.Details
	if details == nil {
		details = Details{}
	}
	req := RequestFrom(ctx)
	var ip *string
	if req.IPAddress != "" {
		ip = &req.IPAddress
	}
	at := now().UTC()
	return &Event{
		OrganizationID: org,
		OccurredAt:     at,
		ID:             EventID(at),
		Action:         c.Action,
		ActorType:      actor.Type,
		ActorID:        actor.ID,
		ActorEmail:     actor.Email,
		ActorName:      actor.Name,
		ResourceType:   res.Type,
		ResourceID:     res.ID,
		ResourceName:   res.Name,
		Details:        details,
		IPAddress:      ip,
		UserAgent:      req.UserAgent,
		RequestID:      req.RequestID,
	}, nil
}

// EventID returns a new event id: a UUIDv7 whose time is at's millisecond,
// so an event is found from its id alone through the time-partitioned
// primary key (the verifiable log's auditEvent(id) and its gaps rely on it).
func EventID(at time.Time) uuid.UUID {
	id := uuid.Must(uuid.NewV7())
	ms := uint64(at.UnixMilli())
	for i := 5; i >= 0; i-- {
		id[i] = byte(ms)
		ms >>= 8
	}
	return id
}
