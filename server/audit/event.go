package audit

import (
	"time"

	"github.com/google/uuid"
)

// Resource identifies what an event is about, as it was at the time.
type Resource struct {
	Type string
	ID   string
	Name string
}

// Details is an event's free-form JSON object. For updates, the "changes" key
// holds a Changes value.
type Details map[string]any

// Changes maps each changed field to its old and new value.
type Changes map[string]FieldChange

// FieldChange is one field's before and after.
type FieldChange struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// Set records field's change when from and to differ, and reports whether
// they did. Values are compared as given: pass comparable values.
func (c Changes) Set(field string, from, to any) bool {
	if from == to {
		return false
	}
	c[field] = FieldChange{From: from, To: to}
	return true
}

// Update is an audited UPDATE being prepared: the columns it sets and the
// changes its event records, kept together so that no column changes
// without its change being recorded, and an update that changes nothing is
// seen as such (Empty).
type Update struct {
	Changes Changes
	// Columns are the columns to set; a caller may add columns the event
	// does not show (updated_at, a ciphertext recorded as "changed").
	Columns map[string]any
}

// NewUpdate returns an Update that changes nothing yet.
func NewUpdate() Update { return Update{Changes: Changes{}, Columns: map[string]any{}} }

// Set records field going from from to to, and sets column to to, when they
// differ; it reports whether they did.
func (u Update) Set(field, column string, from, to any) bool {
	return u.SetStored(field, column, from, to, to)
}

// SetStored is Set for a column whose stored value is not what the event
// shows (an array stored as text[], shown joined).
func (u Update) SetStored(field, column string, from, to, stored any) bool {
	if !u.Changes.Set(field, from, to) {
		return false
	}
	u.Columns[column] = stored
	return true
}

// Empty reports whether the update sets no column.
func (u Update) Empty() bool { return len(u.Columns) == 0 }

// Event is one row of the audit log.
type Event struct {
	OrganizationID uuid.UUID `gorm:"type:uuid"`
	OccurredAt     time.Time
	ID             uuid.UUID `gorm:"type:uuid"`
	Action         Action
	ActorType      ActorType
	ActorID        string
	ActorEmail     string
	ActorName      string
	ResourceType   string
	ResourceID     string
	ResourceName   string
	Details        Details `gorm:"serializer:json;type:jsonb"`
	IPAddress      *string `gorm:"type:inet"`
	UserAgent      string
	RequestID      string
	// XID is the transaction that wrote the event (xid8 as text), which the
	// verifiable log sequences by. The database sets it; only the log's
	// reads (Reader.Each) select it.
	XID string `gorm:"column:xid;->"`
	// Inet is ip_address as PostgreSQL writes it, network mask included,
	// which the log's leaf holds; only Reader.Each selects it.
	Inet string `gorm:"column:inet;->"`
	// DetailsJSON is details as PostgreSQL writes the jsonb, exactly what the
	// log's leaf canonicalizes; only Reader.Each and Get select it.
	DetailsJSON string `gorm:"column:details_json;->"`
}

// TableName is the partitioned parent table.
func (Event) TableName() string { return "audit_events" }

// Category returns the event's category, derived from its action.
func (e Event) Category() Category { return e.Action.Category() }
