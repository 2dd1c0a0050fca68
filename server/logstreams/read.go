package logstreams

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/server/audit"
)

// entriesPerRow is how many event ids one audit_log_entries row holds
// (server/auditlog).
const entriesPerRow = 256

// readLog returns up to max events of org's verifiable log from sequence
// number from on, in sequence order, each with its number, and the sequence
// number after the last one read: what a stream delivers next, and where it
// stands once it has. The log's entries say which event holds each number, 16
// bytes an event; the events are then read in one statement through the
// (organization_id, xid) index, between the transaction ids that bound
// those entries (sequence order is (xid, id) order). An event the log
// sequenced but the table no longer holds (a partition past every
// organization's retention) is left out; the caller sees the gap.
func readLog(ctx context.Context, db *gorm.DB, org uuid.UUID, from int64, max int) ([]record, int64, error) {
	var lg struct {
		Size    int64  `gorm:"column:size"`
		LastXID string `gorm:"column:last_xid"`
	}
	err := db.WithContext(ctx).Raw(`SELECT size, last_xid::text AS last_xid FROM audit_logs WHERE organization_id = ?`, org).Scan(&lg).Error
	if err != nil || from >= lg.Size {
		return nil, from, err
	}
	to := min(from+int64(max), lg.Size) // exclusive
	firstRow, lastRow := from/entriesPerRow, (to-1)/entriesPerRow
	rows, err := db.WithContext(ctx).Raw(`SELECT n, first_xid::text, event_ids FROM audit_log_entries
		WHERE organization_id = ? AND n BETWEEN ? AND ? ORDER BY n`, org, firstRow, lastRow+1).Rows()
	if err != nil {
		return nil, from, fmt.Errorf("logstreams: read the log's entries: %w", err)
	}
	var ids []uuid.UUID
	lo, hi := "", lg.LastXID
	for rows.Next() {
		var n int64
		var firstXID string
		var packed []byte
		if err := rows.Scan(&n, &firstXID, &packed); err != nil {
			rows.Close()
			return nil, from, err
		}
		if n == lastRow+1 {
			hi = firstXID // the events wanted all come before this row's
			continue
		}
		if n == firstRow {
			lo = firstXID
		}
		for i := 0; i+16 <= len(packed); i += 16 {
			seq := n*entriesPerRow + int64(i/16)
			if seq >= from && seq < to {
				ids = append(ids, uuid.UUID(packed[i:i+16]))
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, from, err
	}
	if int64(len(ids)) != to-from || lo == "" || hi == "" {
		return nil, from, fmt.Errorf("logstreams: the log of %s has no entries for sequence numbers %d to %d", org, from, to-1)
	}
	evRows, err := db.WithContext(ctx).Raw(`SELECT e.organization_id, e.occurred_at, e.id, e.action, e.actor_type,
			e.actor_id, e.actor_email, e.actor_name, e.resource_type, e.resource_id, e.resource_name,
			e.details::text, host(e.ip_address), e.user_agent, e.request_id
		FROM audit_events e
		WHERE e.organization_id = ? AND e.xid >= ?::xid8 AND e.xid <= ?::xid8 AND e.id IN ?`, org, lo, hi, ids).Rows()
	if err != nil {
		return nil, from, fmt.Errorf("logstreams: read events: %w", err)
	}
	byID, err := scanEvents(evRows)
	if err != nil {
		return nil, from, err
	}
	out := make([]record, 0, len(ids))
	for i, id := range ids {
		if e, ok := byID[id]; ok {
			out = append(out, record{Seq: from + int64(i), Event: e})
		}
	}
	if len(out) < len(ids) {
		gone, err := goneEvents(ctx, db, org, ids, byID)
		if err != nil {
			return nil, from, err
		}
		if gone < len(ids)-len(out) {
			return nil, from, fmt.Errorf("logstreams: %d events of sequence numbers %d to %d of %s were not found",
				len(ids)-len(out)-gone, from, to-1, org)
		}
	}
	return out, to, nil
}

func scanEvents(rows *sql.Rows) (map[uuid.UUID]audit.Event, error) {
	defer rows.Close()
	out := map[uuid.UUID]audit.Event{}
	for rows.Next() {
		var e audit.Event
		var action, actorType string
		if err := rows.Scan(&e.OrganizationID, &e.OccurredAt, &e.ID, &action, &actorType, &e.ActorID, &e.ActorEmail,
			&e.ActorName, &e.ResourceType, &e.ResourceID, &e.ResourceName, &e.DetailsJSON, &e.IPAddress, &e.UserAgent,
			&e.RequestID); err != nil {
			return nil, fmt.Errorf("logstreams: read events: %w", err)
		}
		e.Action, e.ActorType = audit.Action(action), audit.ActorType(actorType)
		e.OccurredAt = e.OccurredAt.UTC()
		out[e.ID] = e
	}
	return out, rows.Err()
}

// goneEvents counts the events of ids not in byID that the table no longer
// holds at all: a partition past every organization's retention was
// dropped. An event the log sequenced and the table still holds must be
// found; one that is gone can only be passed over.
func goneEvents(ctx context.Context, db *gorm.DB, org uuid.UUID, ids []uuid.UUID, byID map[uuid.UUID]audit.Event) (int, error) {
	var missing []uuid.UUID
	for _, id := range ids {
		if _, ok := byID[id]; !ok {
			missing = append(missing, id)
		}
	}
	var found int
	err := db.WithContext(ctx).Raw(`SELECT count(*) FROM audit_events WHERE organization_id = ? AND id IN ?`, org, missing).Scan(&found).Error
	return len(missing) - found, err
}
