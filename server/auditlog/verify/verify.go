package verify

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Options are what a verification trusts besides the bundle.
type Options struct {
	// Keys are the log's public keys (current and earlier ones, after a
	// rotation). The bundle's checkpoint must be signed by one of them.
	Keys []note.Verifier
	// Earlier is a checkpoint saved from an earlier look at the log (its
	// signed note). The bundle's checkpoint must extend it: same origin, at
	// least as many events, and a consistency proof between the two.
	Earlier []byte
	// Workers decode and hash events in parallel; 0 means GOMAXPROCS.
	Workers int
}

// Report is what a verification proved.
type Report struct {
	Checkpoint *Checkpoint
	// Earlier is the earlier checkpoint the log was shown to extend.
	Earlier *Checkpoint
	// Entries is how many events were proven to be in the log, unchanged,
	// at their sequence numbers.
	Entries int64
	// Pending events were committed after the checkpoint; not verified.
	Pending int64
	// Complete is set when the bundle accounted for every sequence number
	// from First to Last; Outside and Expired count those that were not
	// entries, and why.
	Complete         bool
	First, Last      int64
	Outside, Expired int64
}

// Failure is a verification that did not hold: What names the event,
// sequence number or checkpoint at fault and why.
type Failure struct {
	What string
}

func (f *Failure) Error() string { return f.What }

func failf(format string, args ...any) error { return &Failure{What: fmt.Sprintf(format, args...)} }

// proven is an entry waiting for its inclusion check.
type proven struct {
	seq  int64
	hash tlog.Hash
	id   uuid.UUID
}

// decoded is one line, decoded (and its leaf hashed) by a worker.
type decoded struct {
	line Line
	hash tlog.Hash
	err  error
}

type chunk struct {
	lines [][]byte
	out   []decoded
	done  chan struct{}
}

// maxLine bounds one line of a bundle (an event with large details).
const maxLine = 64 << 20

// Bundle verifies the bundle read from r and reports what it proved. The
// first thing that does not hold is returned as a *Failure; a bundle that
// cannot be read is another error.
func Bundle(r io.Reader, opts Options) (*Report, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if len(opts.Keys) == 0 {
		return nil, errors.New("verify: no public key given")
	}
	// Lines are decoded and events hashed by workers, in chunks handed back
	// in order, so the check below sees the bundle as written.
	work := make(chan *chunk, workers)
	ordered := make(chan *chunk, workers*2)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var buf []byte
			for c := range work {
				for i, l := range c.lines {
					c.out[i] = decodeLine(l, &buf)
				}
				c.lines = nil
				close(c.done)
			}
		})
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(ordered)
		defer close(work)
		readErr <- readLines(r, func(lines [][]byte) {
			c := &chunk{lines: lines, out: make([]decoded, len(lines)), done: make(chan struct{})}
			work <- c
			ordered <- c
		})
	}()
	v := &verifier{opts: opts, report: &Report{}, tiles: map[[2]int64][]byte{}}
	var err error
	for c := range ordered {
		<-c.done
		for _, d := range c.out {
			if err == nil {
				err = v.line(d)
			}
		}
	}
	wg.Wait()
	if rerr := <-readErr; err == nil && rerr != nil {
		return nil, fmt.Errorf("verify: read bundle: %w", rerr)
	}
	if err == nil {
		err = v.finish()
	}
	if err != nil {
		return v.report, err
	}
	return v.report, nil
}

// decodeLine decodes one line and hashes its event, appending the leaf to
// buf (a worker's, reused).
// readLines reads r in blocks and hands its non-blank lines to emit, up to
// 512 at a time, as slices of the block (no copy per line).
func readLines(r io.Reader, emit func([][]byte)) error {
	const block = 4 << 20
	var rest []byte
	var lines [][]byte
	for {
		buf := make([]byte, max(block, 2*len(rest)))
		n := copy(buf, rest)
		m, err := io.ReadFull(r, buf[n:])
		buf = buf[:n+m]
		eof := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !eof {
			return err
		}
		end := bytes.LastIndexByte(buf, '\n') + 1
		if eof {
			end = len(buf)
		}
		if end == 0 && len(buf) >= maxLine {
			return fmt.Errorf("a line is longer than %d bytes", maxLine)
		}
		for data := buf[:end]; len(data) > 0; {
			line, tail, _ := bytes.Cut(data, []byte("\n"))
			data = tail
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			lines = append(lines, line)
			if len(lines) == 512 {
				emit(lines)
				lines = nil
			}
		}
		rest = buf[end:]
		if eof {
			if len(lines) > 0 {
				emit(lines)
			}
			return nil
		}
	}
}

func decodeLine(raw []byte, buf *[]byte) decoded {
	var d decoded
	if err := json.Unmarshal(raw, &d.line); err != nil {
		d.err = fmt.Errorf("not a bundle line: %w", err)
		return d
	}
	if e := d.line.Entry; e != nil && e.Status == Sequenced {
		leaf, err := AppendLeaf((*buf)[:0], &e.Event)
		if err != nil {
			d.err = err
			return d
		}
		*buf = leaf
		d.hash = tlog.RecordHash(leaf)
		// Only what the checks below need stays: the event's id.
		e.Event = Event{ID: e.Event.ID, OrganizationID: e.Event.OrganizationID}
	}
	return d
}

type verifier struct {
	opts    Options
	report  *Report
	header  *Header
	cp      *Checkpoint
	entries []proven
	tiles   map[[2]int64][]byte
	gaps    []Gap
	consist *Consistency
	end     *End
	counts  End
}

func (v *verifier) line(d decoded) error {
	if v.end != nil {
		return failf("the bundle goes on after its end line")
	}
	l := d.line
	if d.err != nil && l.Entry == nil {
		return d.err
	}
	if v.header == nil {
		if l.Header == nil {
			return errors.New("verify: the bundle does not start with its header")
		}
		return v.open(l.Header)
	}
	switch {
	case l.Entry != nil:
		return v.entry(l.Entry, d)
	case l.Tile != nil:
		v.counts.Tiles++
		if l.Tile.Level < 0 || l.Tile.Level > 63 || l.Tile.N < 0 || len(l.Tile.Hashes) == 0 ||
			len(l.Tile.Hashes)%tlog.HashSize != 0 || len(l.Tile.Hashes) > tlog.HashSize<<TileHeight {
			return failf("tile %d/%d is malformed", l.Tile.Level, l.Tile.N)
		}
		v.tiles[[2]int64{int64(l.Tile.Level), l.Tile.N}] = l.Tile.Hashes
	case l.Gap != nil:
		v.counts.Gaps++
		v.gaps = append(v.gaps, *l.Gap)
	case l.Consistency != nil:
		v.consist = l.Consistency
	case l.End != nil:
		v.end = l.End
	case l.Header != nil:
		return failf("the bundle has a second header")
	}
	return nil
}

func (v *verifier) open(h *Header) error {
	if h.Format != Format {
		return fmt.Errorf("verify: unknown bundle format %q (this verifier reads %s)", h.Format, Format)
	}
	v.header = h
	cp, err := OpenCheckpoint([]byte(h.Checkpoint), v.opts.Keys)
	if err != nil {
		return &Failure{What: "the bundle's " + err.Error()}
	}
	v.cp = cp
	v.report.Checkpoint = cp
	v.report.Complete = h.Complete
	return nil
}

func (v *verifier) entry(e *Entry, d decoded) error {
	v.counts.Entries++
	ev := &e.Event
	if ev.OrganizationID != v.header.OrganizationID {
		return failf("event %s belongs to organization %s, not to this log's %s", ev.ID, ev.OrganizationID, v.header.OrganizationID)
	}
	switch e.Status {
	case Pending:
		v.report.Pending++
		return nil
	case Unsequenced:
		return failf("event %s (%s, %s) is stored but not in the log: it was inserted around the log, not recorded by it",
			ev.ID, ev.Action, ev.OccurredAt.Format(time.RFC3339))
	case Sequenced:
	default:
		return failf("event %s has an unknown status %q", ev.ID, e.Status)
	}
	if d.err != nil {
		return failf("event %s cannot be encoded as a leaf: %v", ev.ID, d.err)
	}
	if e.Sequence == nil || *e.Sequence < 0 || *e.Sequence >= v.cp.Size {
		return failf("event %s has no sequence number within the checkpoint's %d events", ev.ID, v.cp.Size)
	}
	v.entries = append(v.entries, proven{seq: *e.Sequence, hash: d.hash, id: ev.ID})
	return nil
}

// finish checks what needs the whole bundle: its end, each entry's
// inclusion, the gaps, and consistency with the earlier checkpoint.
func (v *verifier) finish() error {
	if v.header == nil {
		return errors.New("verify: the bundle is empty")
	}
	if v.end == nil {
		return failf("the bundle has no end line: it was cut off")
	}
	if *v.end != v.counts {
		return failf("the bundle's end line counts %d entries, %d tiles and %d gaps, but it holds %d, %d and %d: lines were added or removed",
			v.end.Entries, v.end.Tiles, v.end.Gaps, v.counts.Entries, v.counts.Tiles, v.counts.Gaps)
	}
	if err := v.inclusion(); err != nil {
		return err
	}
	if err := v.completeness(); err != nil {
		return err
	}
	return v.consistency()
}

// inclusion proves each entry's leaf hash is the tree's hash at its
// sequence number, through tiles that tlog authenticates against the
// checkpoint's root.
func (v *verifier) inclusion() error {
	slices.SortFunc(v.entries, func(a, b proven) int { return cmp.Compare(a.seq, b.seq) })
	for i := 1; i < len(v.entries); i++ {
		if v.entries[i].seq == v.entries[i-1].seq {
			return failf("events %s and %s both claim sequence number %d", v.entries[i-1].id, v.entries[i].id, v.entries[i].seq)
		}
	}
	reader := tlog.TileHashReader(tlog.Tree{N: v.cp.Size, Hash: v.cp.Root}, bundleTiles(v.tiles))
	const batch = 4096
	for start := 0; start < len(v.entries); start += batch {
		part := v.entries[start:min(start+batch, len(v.entries))]
		indexes := make([]int64, len(part))
		for i, p := range part {
			indexes[i] = tlog.StoredHashIndex(0, p.seq)
		}
		hashes, err := reader.ReadHashes(indexes)
		if err != nil {
			return failf("the bundle's tiles for sequence numbers %d to %d do not prove the checkpoint's root: %v",
				part[0].seq, part[len(part)-1].seq, err)
		}
		for i, p := range part {
			if hashes[i] != p.hash {
				return failf("event %s at sequence number %d differs from what the log recorded: a field of the event was changed",
					p.id, p.seq)
			}
		}
	}
	v.report.Entries = int64(len(v.entries))
	if len(v.entries) > 0 {
		v.report.First, v.report.Last = v.entries[0].seq, v.entries[len(v.entries)-1].seq
	}
	return nil
}

// completeness checks, for a complete bundle, that every sequence number
// between the first and the last entry is an entry or in a gap, and that no
// gap hides a removed event.
func (v *verifier) completeness() error {
	if !v.header.Complete {
		return nil
	}
	slices.SortFunc(v.gaps, func(a, b Gap) int { return cmp.Compare(a.From, b.From) })
	gi := 0
	next := v.report.First
	for _, p := range v.entries {
		for next < p.seq {
			if gi >= len(v.gaps) || v.gaps[gi].From != next || v.gaps[gi].To > p.seq || v.gaps[gi].To <= next {
				return failf("sequence number %d is neither in the bundle nor accounted for: an event was left out of it", next)
			}
			g := v.gaps[gi]
			n := g.To - g.From
			switch g.Reason {
			case Outside:
				v.report.Outside += n
			case Expired:
				if int64(len(g.EventIDs)) != n {
					return failf("the expired gap at sequence numbers %d to %d does not name its %d events", g.From, g.To-1, n)
				}
				for i, id := range g.EventIDs {
					if v.header.RetentionCutoff == nil || !idTime(id).Before(*v.header.RetentionCutoff) {
						return failf("event %s at sequence number %d was removed from the database, yet it is not past the retention cutoff",
							id, g.From+int64(i))
					}
				}
				v.report.Expired += n
			case Missing:
				id := "unknown"
				if len(g.EventIDs) > 0 {
					id = g.EventIDs[0].String()
				}
				return failf("event %s at sequence number %d was removed from the database (%d event(s) missing at %d to %d)",
					id, g.From, n, g.From, g.To-1)
			default:
				return failf("the gap at sequence number %d has an unknown reason %q", g.From, g.Reason)
			}
			next = g.To
			gi++
		}
		next = p.seq + 1
	}
	if gi != len(v.gaps) {
		return failf("the gap at sequence number %d lies outside the bundle's entries", v.gaps[gi].From)
	}
	return nil
}

// consistency checks that the checkpoint extends the earlier one.
func (v *verifier) consistency() error {
	if v.opts.Earlier == nil {
		return nil
	}
	earlier, err := OpenCheckpoint(v.opts.Earlier, v.opts.Keys)
	if err != nil {
		return &Failure{What: "the earlier " + err.Error()}
	}
	v.report.Earlier = earlier
	cp := v.cp
	switch {
	case earlier.Origin != cp.Origin:
		return failf("the earlier checkpoint is of another log (%q, not %q)", earlier.Origin, cp.Origin)
	case earlier.Size > cp.Size:
		return failf("the log has %d events, fewer than the %d of the earlier checkpoint: events were removed and the log rebuilt",
			cp.Size, earlier.Size)
	case earlier.Size == cp.Size:
		if earlier.Root != cp.Root {
			return failf("the log's root at %d events differs from the earlier checkpoint's: the log was rebuilt", cp.Size)
		}
		return nil
	}
	c := v.consist
	if c == nil || c.From != earlier.Size {
		return failf("the bundle has no consistency proof from the earlier checkpoint's %d events: download it with since=%d",
			earlier.Size, earlier.Size)
	}
	if c.Error != "" {
		return failf("the server cannot prove the log extends the earlier checkpoint: %s", c.Error)
	}
	if err := tlog.CheckTree(c.Hashes, cp.Size, cp.Root, earlier.Size, earlier.Root); err != nil {
		return failf("the log of %d events does not extend the earlier checkpoint of %d events: its history was rewritten (%v)",
			cp.Size, earlier.Size, err)
	}
	return nil
}

// idTime is the time a UUIDv7 carries (its first 48 bits, milliseconds).
func idTime(id uuid.UUID) time.Time {
	if id.Version() != 7 {
		return time.Time{}.Add(1<<63 - 1)
	}
	sec, nsec := id.Time().UnixTime()
	return time.Unix(sec, nsec)
}

// bundleTiles serves tlog the bundle's tiles, cut to the width it asks for.
type bundleTiles map[[2]int64][]byte

func (bundleTiles) Height() int { return TileHeight }

func (b bundleTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data := b[[2]int64{int64(t.L), t.N}]
		if len(data) < t.W*tlog.HashSize {
			return nil, fmt.Errorf("the bundle lacks tile %s", t.Path())
		}
		out[i] = data[:t.W*tlog.HashSize]
	}
	return out, nil
}

func (bundleTiles) SaveTiles([]tlog.Tile, [][]byte) {}
