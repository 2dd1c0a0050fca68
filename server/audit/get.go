package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/apperr"
)

// idWindow bounds how far an event's occurredAt may lie from its id's time.
// The recorder and the seeder make ids from occurredAt (EventID), so they
// agree to the millisecond; ids made before that were drawn just after it.
const idWindow = time.Minute

// Get returns org's event id, with the columns the verifiable log reads
// (Event.XID, Event.Inet). The id's UUIDv7 time bounds occurredAt, so the
// lookup walks the primary key of one partition over two minutes of the
// organization's events. An id of another organization, of no event, or of
// an event past retentionDays is NOT_FOUND.
func (r *Reader) Get(ctx context.Context, org, id uuid.UUID, retentionDays int) (Event, error) {
	notFound := apperr.NotFoundf("no audit event %s in this organization", id)
	if id.Version() != 7 {
		return Event{}, notFound
	}
	sec, nsec := id.Time().UnixTime()
	at := time.Unix(sec, nsec).UTC()
	var events []Event
	l := &listing{stored: true}
	err := r.DB.Conn(ctx).Raw("SELECT "+l.columns("e")+` FROM audit_events e
		WHERE e.organization_id = ? AND e.occurred_at >= ? AND e.occurred_at < ? AND e.id = ?`,
		org, at.Add(-idWindow), at.Add(idWindow), id).Scan(&events).Error
	if err != nil {
		return Event{}, fmt.Errorf("audit: get event: %w", err)
	}
	if len(events) == 0 {
		return Event{}, notFound
	}
	if retentionDays > 0 && events[0].OccurredAt.Before(time.Now().Add(-time.Duration(retentionDays)*24*time.Hour)) {
		return Event{}, notFound
	}
	return events[0], nil
}
