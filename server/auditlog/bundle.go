package auditlog

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"golang.org/x/mod/sumdb/tlog"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/auditlog/verify"
)

// BundleRequest is what a verification bundle holds: the events a filter
// selects, as the Audit Log lists them.
type BundleRequest struct {
	Filter        audit.Filter
	RetentionDays int
	// Since, when above 0, asks for a consistency proof from the tree of
	// that many events (a checkpoint the reader saved) to the bundle's.
	Since int64
	// FilterText is the filter as asked, echoed in the header.
	FilterText map[string]string
}

// bundlePage is how many events one statement of a bundle reads.
const bundlePage = 1000

// onDemandIntegration bounds how long a bundle waits for the log to catch
// up before it is written.
const onDemandIntegration = 5 * time.Second

// CheckBundle reports what WriteBundle would refuse in req, before anything
// is written.
func (l *Log) CheckBundle(org uuid.UUID, req BundleRequest) error {
	if req.Since < 0 {
		return apperr.Invalid("since", "since must be a tree size, 0 or more")
	}
	return audit.CheckQuery(org, audit.ListQuery{Filter: req.Filter, RetentionDays: req.RetentionDays})
}

// WriteBundle writes org's verification bundle for req to w (format:
// package verify): it brings the log up to date, then writes the latest
// checkpoint, every selected event with its sequence number, the tiles that
// prove them, the gaps of a complete bundle, and the consistency proof
// asked for. Events are read through the Audit Log's own filter code
// (audit.Reader.Each), a page at a time, so a bundle of any size streams.
func (l *Log) WriteBundle(ctx context.Context, w io.Writer, org uuid.UUID, req BundleRequest) error {
	// Bring the log up to date first, for a while: events it has not
	// reached by then are listed as pending.
	ictx, cancel := context.WithTimeout(ctx, onDemandIntegration)
	if _, err := l.Integrate(ictx, org); err != nil && ictx.Err() == nil {
		l.log.WarnContext(ctx, "audit log bundle: the log could not be brought up to date first", "err", err)
	}
	cancel()
	tx := l.db.Conn(ctx)
	cp, err := l.latest(tx, org)
	if err != nil {
		return err
	}
	if cp == nil {
		return apperr.NotFoundf("this organization's audit log has no checkpoint yet")
	}
	f := req.Filter
	now := time.Now().UTC()
	h := verify.Header{Format: verify.Format, OrganizationID: org, Checkpoint: cp.Note, Filter: req.FilterText, CreatedAt: now,
		Complete: f.TimeBoundsOnly()}
	if req.RetentionDays > 0 {
		cutoff := now.Add(-time.Duration(req.RetentionDays) * 24 * time.Hour)
		h.RetentionCutoff = &cutoff
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	b := &bundleWriter{l: l, tx: tx, org: org, cp: cp, enc: json.NewEncoder(bw), entries: map[int64][]byte{},
		included: new(big.Int), first: -1}
	b.enc.SetEscapeHTML(false)
	if err := b.enc.Encode(verify.Line{Header: &h}); err != nil {
		return err
	}
	var page []audit.Event
	err = l.reader.Each(ctx, org, audit.ListQuery{Filter: req.Filter, RetentionDays: req.RetentionDays}, bundlePage,
		func(e audit.Event) error {
			page = append(page, e)
			if len(page) < bundlePage {
				return nil
			}
			err := b.entriesOf(page)
			page = page[:0]
			if err == nil {
				err = bw.Flush()
			}
			return err
		})
	if err == nil {
		err = b.entriesOf(page)
	}
	if err != nil {
		return err
	}
	if err := b.tiles(ctx); err != nil {
		return err
	}
	if h.Complete {
		lo, hi, err := audit.QueryBounds(org, audit.ListQuery{Filter: req.Filter, RetentionDays: req.RetentionDays, Now: now})
		if err != nil {
			return err
		}
		b.lo, b.hi = lo, hi
		if err := b.gaps(h.RetentionCutoff); err != nil {
			return err
		}
	}
	if req.Since > 0 {
		c := &verify.Consistency{From: req.Since}
		if req.Since > cp.Size {
			c.Error = fmt.Sprintf("the log has %d events, fewer than %d", cp.Size, req.Since)
		} else if p, err := l.proveConsistency(newHashStore(tx, org), req.Since, cp.Size); err != nil {
			c.Error = "no proof: " + err.Error()
		} else {
			c.FromRoot, c.Hashes = p.FromRoot, p.Hashes
		}
		if err := b.enc.Encode(verify.Line{Consistency: c}); err != nil {
			return err
		}
	}
	if err := b.enc.Encode(verify.Line{End: &b.counts}); err != nil {
		return err
	}
	return bw.Flush()
}

type bundleWriter struct {
	l       *Log
	tx      *gorm.DB
	org     uuid.UUID
	cp      *Checkpoint
	enc     *json.Encoder
	entries map[int64][]byte
	// included marks the sequence numbers of the entries written.
	included    *big.Int
	first, last int64
	counts      verify.End
	// lo and hi bound the selection's time (nil: unbounded): an event whose
	// id's time is out of them by more than a minute cannot be selected.
	lo, hi *time.Time
}

// entriesOf writes a page of events, each with its sequence number.
func (b *bundleWriter) entriesOf(page []audit.Event) error {
	if len(page) == 0 {
		return nil
	}
	refs := make([]eventRef, len(page))
	for i, e := range page {
		refs[i] = positionOf(e)
	}
	seqs, err := b.l.sequences(b.tx, b.org, refs, b.entries)
	if err != nil {
		return err
	}
	horizon, _ := strconv.ParseUint(b.cp.horizon, 10, 64)
	for _, e := range page {
		entry := verify.Entry{Event: verify.Event{OrganizationID: e.OrganizationID, ID: e.ID, OccurredAt: e.OccurredAt.UTC(),
			Action: string(e.Action), ActorType: string(e.ActorType), ActorID: e.ActorID, ActorEmail: e.ActorEmail,
			ActorName: e.ActorName, ResourceType: e.ResourceType, ResourceID: e.ResourceID, ResourceName: e.ResourceName,
			Details: json.RawMessage(e.DetailsJSON), UserAgent: e.UserAgent, RequestID: e.RequestID}}
		if entry.Event.IPAddress, err = verify.CanonicalIP(e.Inet); err != nil {
			return err
		}
		if seq, ok := seqs[e.ID]; ok && seq < b.cp.Size {
			entry.Sequence = &seq
			b.included.SetBit(b.included, int(seq), 1)
			if b.first < 0 || seq < b.first {
				b.first = seq
			}
			b.last = max(b.last, seq)
		} else if xid, _ := strconv.ParseUint(e.XID, 10, 64); ok || xid >= horizon {
			entry.Status = verify.Pending
		} else {
			entry.Status = verify.Unsequenced
		}
		if err := b.enc.Encode(verify.Line{Entry: &entry}); err != nil {
			return err
		}
		b.counts.Entries++
	}
	return nil
}

// tiles writes the tiles that prove the entries against the checkpoint:
// exactly those tlog's own tile reader asks for, so the verifier's
// tlog.TileHashReader finds every one.
func (b *bundleWriter) tiles(ctx context.Context) error {
	if b.first < 0 {
		return nil
	}
	rec := &tileRecorder{store: newHashStore(b.tx, b.org), emitted: map[tileKey]bool{}, enc: b.enc, counts: &b.counts}
	reader := tlog.TileHashReader(tlog.Tree{N: b.cp.Size, Hash: b.cp.Root}, rec)
	var indexes []int64
	flush := func() error {
		if len(indexes) == 0 {
			return nil
		}
		_, err := reader.ReadHashes(indexes)
		indexes = indexes[:0]
		if rec.err != nil {
			return rec.err
		}
		if err != nil {
			// The stored tiles do not prove the checkpoint: they were
			// changed. They are in the bundle already, for the verifier
			// to say so.
			b.l.log.WarnContext(ctx, "audit log bundle: stored tiles do not match the checkpoint", "organization_id", b.org, "err", err)
		}
		return nil
	}
	for seq := b.first; seq <= b.last; seq++ {
		if b.included.Bit(int(seq)) == 0 {
			continue
		}
		indexes = append(indexes, tlog.StoredHashIndex(0, seq))
		if len(indexes) == 4096 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// tileRecorder is the tlog.TileReader a bundle is made with: it reads tiles
// from the store and writes each to the bundle the first time.
type tileRecorder struct {
	store   *hashStore
	emitted map[tileKey]bool
	enc     *json.Encoder
	counts  *verify.End
	err     error
}

func (*tileRecorder) Height() int { return verify.TileHeight }

func (r *tileRecorder) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	var missing []tileKey
	for _, t := range tiles {
		if _, ok := r.store.tiles[tileKey{t.L, t.N}]; !ok {
			missing = append(missing, tileKey{t.L, t.N})
		}
	}
	if err := r.store.load(missing); err != nil {
		r.err = err
		return nil, err
	}
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, err := r.store.tileData(t)
		if err != nil {
			r.err = err
			return nil, err
		}
		out[i] = data
		k := tileKey{t.L, t.N}
		if r.emitted[k] {
			continue
		}
		r.emitted[k] = true
		// The widest stored form: a later read of the same tile for a
		// larger width finds it whole.
		full := r.store.tiles[k]
		if err := r.enc.Encode(verify.Line{Tile: &verify.Tile{Level: t.L, N: t.N, Hashes: full}}); err != nil {
			r.err = err
			return nil, err
		}
		r.counts.Tiles++
	}
	return out, nil
}

func (*tileRecorder) SaveTiles([]tlog.Tile, [][]byte) {}

// gaps accounts for each sequence number between the first and the last
// entry that is not an entry: the event is stored but not selected
// (outside), gone with a partition retention dropped (expired: its id's
// time is before the cutoff), or gone otherwise (missing).
func (b *bundleWriter) gaps(cutoff *time.Time) error {
	if b.first < 0 {
		return nil
	}
	for seq := b.first; seq <= b.last; {
		if b.included.Bit(int(seq)) == 1 {
			seq++
			continue
		}
		end := seq
		for end <= b.last && b.included.Bit(int(end)) == 0 {
			end++
		}
		if err := b.gap(seq, end, cutoff); err != nil {
			return err
		}
		seq = end
	}
	return nil
}

// gap writes the gap lines of the sequence numbers [from, to).
func (b *bundleWriter) gap(from, to int64, cutoff *time.Time) error {
	for start := from; start < to; start += 4096 {
		end := min(start+4096, to)
		ids, err := b.idsAt(start, end)
		if err != nil {
			return err
		}
		// Only an event the selection's time bounds could hold needs a
		// look: one that is not stored was removed (or expired).
		var inRange []uuid.UUID
		for _, id := range ids {
			if b.couldSelect(id) {
				inRange = append(inRange, id)
			}
		}
		stored, err := b.stored(inRange)
		if err != nil {
			return err
		}
		var cur *verify.Gap
		emit := func() error {
			if cur == nil {
				return nil
			}
			b.counts.Gaps++
			return b.enc.Encode(verify.Line{Gap: cur})
		}
		for i, id := range ids {
			reason := verify.Outside
			if b.couldSelect(id) && !stored[id] {
				reason = verify.Missing
				if cutoff != nil && eventTime(id).Before(*cutoff) {
					reason = verify.Expired
				}
			}
			if cur == nil || cur.Reason != reason {
				if err := emit(); err != nil {
					return err
				}
				cur = &verify.Gap{From: start + int64(i), Reason: reason}
			}
			cur.To = start + int64(i) + 1
			if reason != verify.Outside {
				cur.EventIDs = append(cur.EventIDs, id)
			}
		}
		if err := emit(); err != nil {
			return err
		}
	}
	return nil
}

// couldSelect reports whether the event id's time lies within the
// selection's time bounds, give or take the minute audit.EventID allows.
func (b *bundleWriter) couldSelect(id uuid.UUID) bool {
	t := eventTime(id)
	return (b.lo == nil || !t.Before(b.lo.Add(-time.Minute))) && (b.hi == nil || t.Before(b.hi.Add(time.Minute)))
}

// idsAt returns the event ids at the sequence numbers [from, to).
func (b *bundleWriter) idsAt(from, to int64) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	for seq := from; seq < to; seq++ {
		row := seq / entriesPerRow
		data, ok := b.entries[row]
		if !ok || data == nil {
			if err := b.tx.Raw(`SELECT event_ids FROM audit_log_entries WHERE organization_id = ? AND n = ?`, b.org, row).
				Row().Scan(&data); err != nil {
				return nil, fmt.Errorf("auditlog: entries %d: %w", row, err)
			}
			b.entries[row] = data
		}
		i := (seq % entriesPerRow) * 16
		if int64(len(data)) < i+16 {
			return nil, fmt.Errorf("auditlog: no event recorded at sequence number %d", seq)
		}
		ids = append(ids, uuid.UUID(data[i:i+16]))
	}
	return ids, nil
}

// stored reports which of ids are events stored for the organization,
// looking each up within a minute of its id's time (audit.EventID).
func (b *bundleWriter) stored(ids []uuid.UUID) (map[uuid.UUID]bool, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list := make([]string, len(ids))
	los, his := make([]string, len(ids)), make([]string, len(ids))
	for i, id := range ids {
		t := eventTime(id)
		list[i] = id.String()
		los[i] = t.Add(-time.Minute).Format(time.RFC3339Nano)
		his[i] = t.Add(time.Minute).Format(time.RFC3339Nano)
	}
	var found []uuid.UUID
	err := b.tx.Raw(`SELECT x.id FROM unnest(?::text[]::uuid[], ?::text[]::timestamptz[], ?::text[]::timestamptz[]) AS x(id, lo, hi)
		WHERE EXISTS (SELECT 1 FROM audit_events e WHERE e.organization_id = ? AND e.occurred_at >= x.lo
			AND e.occurred_at < x.hi AND e.id = x.id)`, pqStrings(list), pqStrings(los), pqStrings(his), b.org).Scan(&found).Error
	if err != nil {
		return nil, fmt.Errorf("auditlog: stored events: %w", err)
	}
	out := make(map[uuid.UUID]bool, len(found))
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}

// eventTime is the time an event id carries (a UUIDv7's milliseconds).
func eventTime(id uuid.UUID) time.Time {
	if id.Version() != 7 {
		return time.Time{}
	}
	sec, nsec := id.Time().UnixTime()
	return time.Unix(sec, nsec).UTC()
}

func pqStrings(s []string) pq.StringArray { return pq.StringArray(s) }
