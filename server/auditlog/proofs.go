package auditlog

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"golang.org/x/mod/sumdb/tlog"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
)

// Checkpoint is a log's latest signed checkpoint, as stored.
type Checkpoint struct {
	Origin string
	Size   int64
	Root   tlog.Hash
	// Note is the signed note: the checkpoint's text and its signature.
	Note string
	// KeyName is the name of the key that signed it.
	KeyName string
	// At is when it was signed.
	At time.Time
	// horizon is the log's integrated_below when read.
	horizon string
}

// Latest returns org's latest checkpoint, or nil before the log starts.
func (l *Log) Latest(ctx context.Context, org uuid.UUID) (*Checkpoint, error) {
	return l.latest(l.db.Conn(ctx), org)
}

func (l *Log) latest(tx *gorm.DB, org uuid.UUID) (*Checkpoint, error) {
	var rows []struct {
		Origin          string    `gorm:"column:origin"`
		Size            int64     `gorm:"column:size"`
		RootHash        []byte    `gorm:"column:root_hash"`
		Checkpoint      string    `gorm:"column:checkpoint"`
		CheckpointAt    time.Time `gorm:"column:checkpoint_at"`
		IntegratedBelow string    `gorm:"column:integrated_below"`
	}
	err := tx.Raw(`SELECT origin, size, root_hash, checkpoint, checkpoint_at, integrated_below::text AS integrated_below
		FROM audit_logs WHERE organization_id = ? AND checkpoint <> ''`, org).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("auditlog: latest checkpoint: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	r := rows[0]
	cp := &Checkpoint{Origin: r.Origin, Size: r.Size, Note: r.Checkpoint, At: r.CheckpointAt.UTC(), horizon: r.IntegratedBelow,
		KeyName: signerName(r.Checkpoint)}
	copy(cp.Root[:], r.RootHash)
	return cp, nil
}

// signerName is the key name on a signed note's first signature line
// ("— <name> <base64>").
func signerName(signed string) string {
	i := strings.Index(signed, "\n\n")
	if i < 0 {
		return ""
	}
	line, _, _ := strings.Cut(signed[i+2:], "\n")
	fields := strings.Fields(strings.TrimPrefix(line, "—"))
	if len(fields) != 2 {
		return ""
	}
	return fields[0]
}

// Sequence returns the sequence number of org's event id, which occurred
// at at, or nil while it waits to be sequenced. An id that is not an event
// of org is NOT_FOUND. One statement: the event's (xid, id) position finds
// the entries row that holds it.
func (l *Log) Sequence(ctx context.Context, org uuid.UUID, eventID string, at time.Time) (*int64, error) {
	id, err := uuid.Parse(eventID)
	if err != nil {
		return nil, apperr.NotFoundf("no audit event %s in this organization", eventID)
	}
	if s, ok := l.sequenceCache.Get(orgEvent{org, id}); ok {
		return &s, nil
	}
	var rows []struct {
		N        *int64 `gorm:"column:n"`
		EventIDs []byte `gorm:"column:event_ids"`
	}
	err = l.db.Conn(ctx).Raw(`SELECT r.n, r.event_ids FROM audit_events e
		LEFT JOIN LATERAL (SELECT r.n, r.event_ids FROM audit_log_entries r WHERE r.organization_id = e.organization_id
			AND (r.first_xid, r.first_id) <= (e.xid, e.id) ORDER BY r.first_xid DESC, r.first_id DESC LIMIT 1) r ON true
		WHERE e.organization_id = ? AND e.occurred_at = ? AND e.id = ?`, org, at, id).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("auditlog: event sequence: %w", err)
	}
	if len(rows) == 0 {
		return nil, apperr.NotFoundf("no audit event %s in this organization", id)
	}
	if r := rows[0]; r.N != nil {
		for i := 0; i+16 <= len(r.EventIDs); i += 16 {
			if bytes.Equal(r.EventIDs[i:i+16], id[:]) {
				s := *r.N*entriesPerRow + int64(i/16)
				l.sequenceCache.Add(orgEvent{org, id}, s)
				return &s, nil
			}
		}
	}
	return nil, nil
}

// eventRef is an event's position in the (xid, id) order the log follows.
type eventRef struct {
	xid string
	id  uuid.UUID
}

// sequences returns the sequence numbers of the sequenced events among
// refs. entries caches rows of audit_log_entries across calls.
func (l *Log) sequences(tx *gorm.DB, org uuid.UUID, refs []eventRef, entries map[int64][]byte) (map[uuid.UUID]int64, error) {
	out := map[uuid.UUID]int64{}
	if len(refs) == 0 {
		return out, nil
	}
	xids, ids := make(pq.StringArray, len(refs)), make(pq.StringArray, len(refs))
	for i, r := range refs {
		xids[i], ids[i] = r.xid, r.id.String()
	}
	var rows []struct {
		ID uuid.UUID `gorm:"column:id"`
		N  *int64    `gorm:"column:n"`
	}
	err := tx.Raw(`SELECT x.id, r.n FROM unnest(?::text[]::xid8[], ?::text[]::uuid[]) AS x(xid, id)
		LEFT JOIN LATERAL (SELECT r.n FROM audit_log_entries r WHERE r.organization_id = ?
			AND (r.first_xid, r.first_id) <= (x.xid, x.id) ORDER BY r.first_xid DESC, r.first_id DESC LIMIT 1) r ON true`,
		xids, ids, org).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("auditlog: sequence numbers: %w", err)
	}
	var need pq.Int64Array
	for _, r := range rows {
		if r.N != nil {
			if _, ok := entries[*r.N]; !ok {
				entries[*r.N] = nil
				need = append(need, *r.N)
			}
		}
	}
	if len(need) > 0 {
		var got []struct {
			N        int64  `gorm:"column:n"`
			EventIDs []byte `gorm:"column:event_ids"`
		}
		if err := tx.Raw(`SELECT n, event_ids FROM audit_log_entries WHERE organization_id = ? AND n = ANY(?::bigint[])`,
			org, need).Scan(&got).Error; err != nil {
			return nil, fmt.Errorf("auditlog: sequence numbers: %w", err)
		}
		for _, g := range got {
			entries[g.N] = g.EventIDs
		}
	}
	for _, r := range rows {
		if r.N == nil {
			continue
		}
		ids := entries[*r.N]
		for i := 0; i+16 <= len(ids); i += 16 {
			if bytes.Equal(ids[i:i+16], r.ID[:]) {
				out[r.ID] = *r.N*entriesPerRow + int64(i/16)
				break
			}
		}
	}
	return out, nil
}

// recentCheckpoint is org's latest checkpoint, as read at most
// checkpointKept ago unless it does not cover seq.
func (l *Log) recentCheckpoint(ctx context.Context, org uuid.UUID, seq int64) (*Checkpoint, error) {
	if v, ok := l.checkpoints.Load(org); ok {
		c := v.(cachedCheckpoint)
		if time.Since(c.at) < checkpointKept && c.cp.Size > seq {
			return c.cp, nil
		}
	}
	cp, err := l.Latest(ctx, org)
	if err == nil && cp != nil {
		l.checkpoints.Store(org, cachedCheckpoint{cp: cp, at: time.Now()})
	}
	return cp, err
}

// InclusionProof proves that the event at sequence seq is in the tree of
// treeSize events (0: the latest checkpoint's), RFC 6962 audit path.
type InclusionProof struct {
	Sequence, TreeSize int64
	LeafHash, RootHash tlog.Hash
	Hashes             []tlog.Hash
}

// ProveInclusion returns the inclusion proof of sequence seq of org's log
// in its tree of treeSize events (0: the latest checkpoint's size).
func (l *Log) ProveInclusion(ctx context.Context, org uuid.UUID, seq, treeSize int64) (*InclusionProof, error) {
	cp, err := l.recentCheckpoint(ctx, org, seq)
	if err != nil {
		return nil, err
	}
	if cp == nil || seq >= cp.Size {
		return nil, nil // not in a checkpoint yet
	}
	if treeSize == 0 {
		treeSize = cp.Size
	}
	if treeSize <= seq || treeSize > cp.Size {
		return nil, apperr.Invalid("treeSize", "treeSize must be above the event's sequence number (%d) and at most the latest checkpoint's size (%d)", seq, cp.Size)
	}
	store := l.cachedStore(l.db.Conn(ctx), org)
	proof, err := tlog.ProveRecord(treeSize, seq, store)
	if err != nil {
		return nil, fmt.Errorf("auditlog: inclusion proof: %w", err)
	}
	leaf, err := store.ReadHashes([]int64{tlog.StoredHashIndex(0, seq)})
	if err != nil {
		return nil, err
	}
	root := cp.Root
	if treeSize != cp.Size {
		if root, err = tlog.TreeHash(treeSize, store); err != nil {
			return nil, err
		}
	}
	return &InclusionProof{Sequence: seq, TreeSize: treeSize, LeafHash: leaf[0], RootHash: root, Hashes: proof}, nil
}

// ConsistencyProof proves that the tree of From events is a prefix of the
// tree of To events (RFC 6962).
type ConsistencyProof struct {
	From, To         int64
	FromRoot, ToRoot tlog.Hash
	Hashes           []tlog.Hash
}

// ProveConsistency returns the consistency proof between org's trees of
// from and to events (to 0: the latest checkpoint's size).
func (l *Log) ProveConsistency(ctx context.Context, org uuid.UUID, from, to int64) (*ConsistencyProof, error) {
	cp, err := l.Latest(ctx, org)
	if err != nil {
		return nil, err
	}
	size := int64(0)
	if cp != nil {
		size = cp.Size
	}
	if to == 0 {
		to = size
	}
	if to > size {
		return nil, apperr.Invalid("to", "to must be at most the latest checkpoint's size (%d)", size)
	}
	if from < 1 || from > to {
		return nil, apperr.Invalid("from", "from must be between 1 and to (%d)", to)
	}
	return l.proveConsistency(l.cachedStore(l.db.Conn(ctx), org), from, to)
}

func (l *Log) proveConsistency(store *hashStore, from, to int64) (*ConsistencyProof, error) {
	proof, err := tlog.ProveTree(to, from, store)
	if err != nil {
		return nil, fmt.Errorf("auditlog: consistency proof: %w", err)
	}
	p := &ConsistencyProof{From: from, To: to, Hashes: proof}
	if p.FromRoot, err = tlog.TreeHash(from, store); err != nil {
		return nil, err
	}
	if p.ToRoot, err = tlog.TreeHash(to, store); err != nil {
		return nil, err
	}
	return p, nil
}

// positionOf is the (xid, id) reference of an event read with its xid.
func positionOf(e audit.Event) eventRef { return eventRef{xid: e.XID, id: e.ID} }
