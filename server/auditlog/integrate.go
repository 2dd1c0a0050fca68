package auditlog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/server/auditlog/verify"
)

// Run integrates every organization's new events until ctx ends: it looks
// for logs with events to sequence every Interval and brings each up to
// date (Integrate). It runs as a background job on one replica at a time
// (package leader, job "audit-log-integrator"); should two ever overlap, a
// log is still appended to by one of them at a time (its row is locked FOR
// UPDATE SKIP LOCKED), the other skips it. A failure is logged and retried
// at the next look.
func (l *Log) Run(ctx context.Context) {
	for {
		orgs, err := l.pending(ctx)
		if err != nil && ctx.Err() == nil {
			l.log.ErrorContext(ctx, "audit log integrator: cannot look for new events", "err", err)
		}
		for _, org := range orgs {
			if _, err := l.Integrate(ctx, org); err != nil && ctx.Err() == nil {
				l.log.ErrorContext(ctx, "audit log integrator: events could not be sequenced; the log's checkpoint "+
					"stops advancing until they are", "organization_id", org, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(l.Interval):
		}
	}
}

// pending returns the organizations with events to sequence: events whose
// transaction has ended (below the snapshot's xmin) but that their log has
// not reached (at or above integrated_below). One index probe per
// organization and partition; an idle log costs one empty range each.
func (l *Log) pending(ctx context.Context) ([]uuid.UUID, error) {
	var orgs []uuid.UUID
	err := l.db.Conn(ctx).Raw(`SELECT o.id FROM organizations o
		LEFT JOIN audit_logs g ON g.organization_id = o.id
		WHERE EXISTS (SELECT 1 FROM audit_events e WHERE e.organization_id = o.id
			AND e.xid >= coalesce(g.integrated_below, '0'::xid8)
			AND e.xid < pg_snapshot_xmin(pg_current_snapshot()))
		ORDER BY o.id`).Scan(&orgs).Error
	if err != nil {
		return nil, fmt.Errorf("auditlog: pending logs: %w", err)
	}
	return orgs, nil
}

// Integrate sequences org's committed events until its log is up to date,
// one transaction per batch, and returns how many it appended. When another
// replica is appending to the log, it returns at once: that one brings it
// up to date.
func (l *Log) Integrate(ctx context.Context, org uuid.UUID) (int, error) {
	total := 0
	for {
		n, more, err := l.integrateBatch(ctx, org)
		total += n
		if err != nil || !more {
			return total, err
		}
	}
}

// state is a log's row of audit_logs.
type state struct {
	Origin          string    `gorm:"column:origin"`
	Size            int64     `gorm:"column:size"`
	RootHash        []byte    `gorm:"column:root_hash"`
	IntegratedBelow string    `gorm:"column:integrated_below"`
	LastXID         string    `gorm:"column:last_xid"`
	LastID          uuid.UUID `gorm:"column:last_id"`
	Checkpoint      string    `gorm:"column:checkpoint"`
	// CountedXID and CountedID are where the hourly counts stand.
	CountedXID string    `gorm:"column:counted_xid"`
	CountedID  uuid.UUID `gorm:"column:counted_id"`
}

// storedEvent is an event as the integrator reads it.
type storedEvent struct {
	verify.Event
	xid string
}

// errBusy says another replica holds the log.
var errBusy = errors.New("auditlog: log busy")

// integrateBatch appends up to BatchSize events to org's log and signs a
// checkpoint, all in one transaction, so a crash or a restart at any point
// leaves the log as it was before the batch or after it. It reports whether
// more events may be waiting.
//
// Only events of transactions older than every transaction still running
// (the xmin of the statement's snapshot) are taken, in (xid, id) order: each
// of those transactions has ended, so no event can still appear before the
// last one taken, and a transaction that commits late holds the horizon back
// until it does: its events are sequenced late, never skipped.
func (l *Log) integrateBatch(ctx context.Context, org uuid.UUID) (appended int, more bool, err error) {
	err = l.db.InTx(ctx, func(ctx context.Context) error {
		tx := l.db.Conn(ctx)
		st, err := l.lock(tx, org)
		if err != nil {
			return err
		}
		horizon, events, err := l.scan(tx, org, st)
		if err != nil {
			return err
		}
		if len(events) == 0 {
			if horizon != st.IntegratedBelow && st.Checkpoint != "" {
				return tx.Exec(`UPDATE audit_logs SET integrated_below = greatest(integrated_below, ?::xid8) WHERE organization_id = ?`,
					horizon, org).Error
			}
			if st.Checkpoint == "" {
				return l.commitBatch(tx, org, st, nil, newHashStore(tx, org), horizon)
			}
			return nil
		}
		store := newHashStore(tx, org)
		for i := range events {
			e := &events[i]
			h, err := verify.LeafHash(&e.Event)
			if err != nil {
				return fmt.Errorf("event %s cannot be encoded as a leaf: %w", e.ID, err)
			}
			n := st.Size + int64(i)
			hashes, err := tlog.StoredHashesForRecordHash(n, h, store)
			if err != nil {
				return err
			}
			first := tlog.StoredHashIndex(0, n)
			for j, h := range hashes {
				store.fresh[first+int64(j)] = h
			}
		}
		appended = len(events)
		more = appended == l.BatchSize
		if more {
			// All events before the last one taken are sequenced.
			horizon = events[len(events)-1].xid
		}
		return l.commitBatch(tx, org, st, events, store, horizon)
	})
	if errors.Is(err, errBusy) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("auditlog: integrate %s: %w", org, err)
	}
	return appended, more, nil
}

// lock takes org's log row FOR UPDATE SKIP LOCKED, creating it first, and
// returns errBusy when another transaction holds it. Read committed: the row
// read is the latest committed, whatever this transaction's first snapshot.
func (l *Log) lock(tx *gorm.DB, org uuid.UUID) (state, error) {
	var rows []state
	get := func() error {
		return tx.Raw(`SELECT origin, size, root_hash, integrated_below::text AS integrated_below, last_xid::text AS last_xid, last_id, checkpoint,
				counted_xid::text AS counted_xid, counted_id
			FROM audit_logs WHERE organization_id = ? FOR UPDATE SKIP LOCKED`, org).Scan(&rows).Error
	}
	if err := get(); err != nil {
		return state{}, err
	}
	if len(rows) == 1 {
		return rows[0], nil
	}
	empty, _ := tlog.TreeHash(0, nil)
	res := tx.Exec(`INSERT INTO audit_logs (organization_id, origin, root_hash) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		org, l.origin(org), empty[:])
	if res.Error != nil {
		return state{}, res.Error
	}
	if err := get(); err != nil {
		return state{}, err
	}
	if len(rows) == 0 {
		return state{}, errBusy
	}
	return rows[0], nil
}

// scan returns the horizon (the xmin of its snapshot) and the next events
// below it, in (xid, id) order, in one statement, hence one snapshot.
func (l *Log) scan(tx *gorm.DB, org uuid.UUID, st state) (string, []storedEvent, error) {
	rows, err := tx.Raw(`WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS x)
		SELECT h.x::text, e.occurred_at, e.id, e.action, e.actor_type, e.actor_id, e.actor_email, e.actor_name,
			e.resource_type, e.resource_id, e.resource_name, e.details::text, coalesce(e.ip_address::text, ''),
			e.user_agent, e.request_id, e.xid::text
		FROM h LEFT JOIN LATERAL (
			SELECT * FROM audit_events e
			WHERE e.organization_id = ? AND e.xid >= ?::xid8 AND e.xid < h.x AND (e.xid, e.id) > (?::xid8, ?::uuid)
			ORDER BY e.xid, e.id LIMIT ?) e ON true`,
		org, st.IntegratedBelow, st.LastXID, st.LastID, l.BatchSize).Rows()
	if err != nil {
		return "", nil, fmt.Errorf("read events: %w", err)
	}
	defer rows.Close()
	var horizon string
	var events []storedEvent
	for rows.Next() {
		var e storedEvent
		var occurred *time.Time
		var id *uuid.UUID
		var action, actorType, actorID, actorEmail, actorName, resType, resID, resName, details, ip, ua, reqID, xid *string
		if err := rows.Scan(&horizon, &occurred, &id, &action, &actorType, &actorID, &actorEmail, &actorName,
			&resType, &resID, &resName, &details, &ip, &ua, &reqID, &xid); err != nil {
			return "", nil, fmt.Errorf("read events: %w", err)
		}
		if id == nil {
			continue // no event: the row of the horizon alone
		}
		canonicalIP, err := verify.CanonicalIP(*ip)
		if err != nil {
			return "", nil, fmt.Errorf("event %s: %w", *id, err)
		}
		e.Event = verify.Event{OrganizationID: org, ID: *id, OccurredAt: occurred.UTC(), Action: *action,
			ActorType: *actorType, ActorID: *actorID, ActorEmail: *actorEmail, ActorName: *actorName,
			ResourceType: *resType, ResourceID: *resID, ResourceName: *resName, Details: json.RawMessage(*details),
			IPAddress: canonicalIP, UserAgent: *ua, RequestID: *reqID}
		e.xid = *xid
		events = append(events, e)
	}
	return horizon, events, rows.Err()
}

// commitBatch writes what a batch appended: the new and grown tiles, the
// sequence → event entries, and the log's new size, root, position and
// signed checkpoint.
func (l *Log) commitBatch(tx *gorm.DB, org uuid.UUID, st state, events []storedEvent, store *hashStore, horizon string) error {
	oldN, newN := st.Size, st.Size+int64(len(events))
	for _, t := range tlog.NewTiles(verify.TileHeight, oldN, newN) {
		data, err := tlog.ReadTileData(t, store)
		if err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO audit_log_tiles (organization_id, level, n, hashes) VALUES (?, ?, ?, ?)
			ON CONFLICT (organization_id, level, n) DO UPDATE SET hashes = EXCLUDED.hashes`, org, t.L, t.N, data).Error; err != nil {
			return fmt.Errorf("write tile %s: %w", t.Path(), err)
		}
	}
	if err := l.writeEntries(tx, org, oldN, events); err != nil {
		return err
	}
	if err := countEvents(tx, org, st, events); err != nil {
		return err
	}
	root, err := tlog.TreeHash(newN, store)
	if err != nil {
		return err
	}
	signed, err := note.Sign(&note.Note{Text: verify.CheckpointText(st.Origin, newN, root)}, l.signer)
	if err != nil {
		return fmt.Errorf("sign checkpoint: %w", err)
	}
	lastXID, lastID := st.LastXID, st.LastID
	if len(events) > 0 {
		lastXID, lastID = events[len(events)-1].xid, events[len(events)-1].ID
	}
	res := tx.Exec(`UPDATE audit_logs SET size = ?, root_hash = ?, integrated_below = greatest(integrated_below, ?::xid8),
		last_xid = ?::xid8, last_id = ?, counted_xid = ?::xid8, counted_id = ?, checkpoint = ?, checkpoint_at = ?
		WHERE organization_id = ? AND size = ?`,
		newN, root[:], horizon, lastXID, lastID, lastXID, lastID, string(signed), l.now().UTC(), org, oldN)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		// Cannot happen while the row is locked; never append twice.
		return fmt.Errorf("the log moved from %d events under its lock", oldN)
	}
	return nil
}

// countEvents adds the batch's events to the hourly counts per action that
// the Audit Log's timeline reads (audit.Reader.Timeline, migration 00022),
// in the batch's transaction, so the counts always hold exactly the events
// up to the log's position. Events sequenced without being counted (by a
// replica of an older version) are counted first, from the table.
func countEvents(tx *gorm.DB, org uuid.UUID, st state, events []storedEvent) error {
	if st.CountedXID != st.LastXID || st.CountedID != st.LastID {
		err := tx.Exec(`INSERT INTO audit_event_counts (organization_id, hour, action, events)
			SELECT e.organization_id, date_trunc('hour', e.occurred_at, 'UTC'), e.action, count(*) FROM audit_events e
			WHERE e.organization_id = ? AND e.xid >= ?::xid8 AND e.xid <= ?::xid8
				AND (e.xid, e.id) > (?::xid8, ?::uuid) AND (e.xid, e.id) <= (?::xid8, ?::uuid)
			GROUP BY 1, 2, 3
			ON CONFLICT (organization_id, hour, action) DO UPDATE SET events = audit_event_counts.events + EXCLUDED.events`,
			org, st.CountedXID, st.LastXID, st.CountedXID, st.CountedID, st.LastXID, st.LastID).Error
		if err != nil {
			return fmt.Errorf("count events sequenced uncounted: %w", err)
		}
	}
	if len(events) == 0 {
		return nil
	}
	type key struct {
		hour   time.Time
		action string
	}
	counts := map[key]int{}
	var order []key
	for _, e := range events {
		k := key{e.OccurredAt.UTC().Truncate(time.Hour), e.Action}
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	values := make([]string, len(order))
	args := make([]any, 0, 4*len(order))
	for i, k := range order {
		values[i] = "(?::uuid, ?::timestamptz, ?, ?::bigint)"
		args = append(args, org, k.hour, k.action, counts[k])
	}
	err := tx.Exec(`INSERT INTO audit_event_counts (organization_id, hour, action, events) VALUES `+strings.Join(values, ", ")+`
		ON CONFLICT (organization_id, hour, action) DO UPDATE SET events = audit_event_counts.events + EXCLUDED.events`, args...).Error
	if err != nil {
		return fmt.Errorf("count events: %w", err)
	}
	return nil
}

// writeEntries records which event each new sequence number holds, filling
// the last row of audit_log_entries before starting new ones.
func (l *Log) writeEntries(tx *gorm.DB, org uuid.UUID, oldN int64, events []storedEvent) error {
	if len(events) == 0 {
		return nil
	}
	var ids []byte
	row := oldN / entriesPerRow
	if oldN%entriesPerRow != 0 {
		if err := tx.Raw(`SELECT event_ids FROM audit_log_entries WHERE organization_id = ? AND n = ?`, org, row).
			Row().Scan(&ids); err != nil {
			return fmt.Errorf("read entries %d: %w", row, err)
		}
		if int64(len(ids)) != (oldN%entriesPerRow)*16 {
			return fmt.Errorf("entries row %d holds %d ids, want %d", row, len(ids)/16, oldN%entriesPerRow)
		}
	}
	var values []string
	var args []any
	flush := func(first storedEvent, from int64) {
		values = append(values, "(?, ?, ?::xid8, ?, ?)")
		args = append(args, org, from/entriesPerRow, first.xid, first.ID, ids)
	}
	// A row continued from an earlier batch keeps its first event (ON
	// CONFLICT only replaces the ids): its insert carries a placeholder.
	firstOfRow := storedEvent{xid: "0"}
	for i, e := range events {
		seq := oldN + int64(i)
		if seq%entriesPerRow == 0 {
			ids = nil
			firstOfRow = e
		}
		ids = append(ids, e.ID[:]...)
		if seq%entriesPerRow == entriesPerRow-1 || i == len(events)-1 {
			flush(firstOfRow, seq)
		}
	}
	return tx.Exec(`INSERT INTO audit_log_entries (organization_id, n, first_xid, first_id, event_ids) VALUES `+
		strings.Join(values, ", ")+` ON CONFLICT (organization_id, n) DO UPDATE SET event_ids = EXCLUDED.event_ids`, args...).Error
}
