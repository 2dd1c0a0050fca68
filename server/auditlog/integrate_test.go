package auditlog

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/auditlog/verify"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/pgtest"
	"github.com/orgtrail/orgtrail/server/seed"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// fixture is a database with one organization and a log over it.
type fixture struct {
	t    *testing.T
	dsn  string
	db   *database.DB
	log  *Log
	org  uuid.UUID
	ctx  context.Context
	skey string
	vkey string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, dsn: pgtest.NewDatabase(t), org: uuid.New()}
	f.db = f.open()
	var err error
	f.skey, f.vkey, err = GenerateKey("orgtrail.test/orgtrail-audit-log")
	if err != nil {
		t.Fatal(err)
	}
	f.log = f.newLog(f.db)
	f.ctx = audit.WithActor(context.Background(), audit.System(f.org))
	if err := f.db.Conn(f.ctx).Exec(`INSERT INTO accounts (id) VALUES (?)`, f.org).Error; err != nil {
		t.Fatal(err)
	}
	if err := f.db.Conn(f.ctx).Exec(`INSERT INTO organizations (id, account_id, name) VALUES (?, ?, 'Acme')`, f.org, f.org).Error; err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) open() *database.DB {
	db, err := database.Open(context.Background(), f.dsn, database.Options{Plugins: []gorm.Plugin{audit.Recorder{}}})
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { db.Close() })
	return db
}

func (f *fixture) newLog(db *database.DB) *Log {
	l, err := New(db, f.skey, nil, "http://orgtrail.test", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		f.t.Fatal(err)
	}
	return l
}

// record commits one event for the organization, at the given time (now
// when zero), and returns its id.
func (f *fixture) record(at time.Time) uuid.UUID {
	f.t.Helper()
	var id uuid.UUID
	err := f.db.InTx(f.ctx, func(ctx context.Context) error {
		var err error
		id, err = f.append(ctx, at)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// append writes one event in ctx's transaction.
func (f *fixture) append(ctx context.Context, at time.Time) (uuid.UUID, error) {
	if at.IsZero() {
		at = time.Now()
	}
	id := audit.EventID(at)
	err := f.db.Conn(ctx).Exec(`INSERT INTO audit_events (organization_id, occurred_at, id, action, actor_type,
		resource_type, resource_id, details, ip_address, user_agent) VALUES (?, ?, ?, 'CREATED_ROLE', 'SYSTEM', 'role', ?, ?, '192.0.2.7', 'test')`,
		f.org, at.UTC(), id, id.String(), `{"name": "Role `+id.String()[:8]+`", "n": 1.50}`).Error
	return id, err
}

// sequenced returns the event ids of the log in sequence order, as the
// entries record them, and fails on a duplicate.
func (f *fixture) sequenced() []uuid.UUID {
	f.t.Helper()
	rows, err := f.db.Conn(context.Background()).Raw(`SELECT event_ids FROM audit_log_entries WHERE organization_id = ? ORDER BY n`, f.org).Rows()
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var ids []uuid.UUID
	seen := map[uuid.UUID]bool{}
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			f.t.Fatal(err)
		}
		for i := 0; i < len(b); i += 16 {
			id := uuid.UUID(b[i : i+16])
			if seen[id] {
				f.t.Fatalf("event %s is sequenced twice", id)
			}
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// checkTree recomputes the tree from the stored events in sequence order
// and compares its root and size with the log's signed checkpoint and the
// stored tiles.
func (f *fixture) checkTree(wantSize int) {
	f.t.Helper()
	ids := f.sequenced()
	if len(ids) != wantSize {
		f.t.Fatalf("%d events sequenced, want %d", len(ids), wantSize)
	}
	hashes := map[int64]tlog.Hash{}
	mem := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = hashes[x]
		}
		return out, nil
	})
	for n, id := range ids {
		ev := f.event(id)
		h, err := verify.LeafHash(&ev)
		if err != nil {
			f.t.Fatal(err)
		}
		stored, err := tlog.StoredHashesForRecordHash(int64(n), h, mem)
		if err != nil {
			f.t.Fatal(err)
		}
		for j, s := range stored {
			hashes[tlog.StoredHashIndex(0, int64(n))+int64(j)] = s
		}
	}
	want, _ := tlog.TreeHash(int64(len(ids)), mem)
	cp := f.checkpoint()
	if cp.Size != int64(len(ids)) || cp.Root != want {
		f.t.Fatalf("checkpoint %d %s, want %d %s", cp.Size, cp.Root, len(ids), want)
	}
	got, err := tlog.TreeHash(int64(len(ids)), newHashStore(f.db.Conn(context.Background()), f.org))
	if err != nil || got != want {
		f.t.Fatalf("the stored tiles give root %s (%v), want %s", got, err, want)
	}
}

// event reads one stored event as the leaf encodes it.
func (f *fixture) event(id uuid.UUID) verify.Event {
	f.t.Helper()
	var e verify.Event
	var details, ip string
	err := f.db.Conn(context.Background()).Raw(`SELECT occurred_at, action, actor_type, actor_id, actor_email, actor_name,
		resource_type, resource_id, resource_name, details::text, coalesce(ip_address::text, ''), user_agent, request_id
		FROM audit_events WHERE organization_id = ? AND id = ?`, f.org, id).Row().Scan(&e.OccurredAt, &e.Action, &e.ActorType,
		&e.ActorID, &e.ActorEmail, &e.ActorName, &e.ResourceType, &e.ResourceID, &e.ResourceName, &details, &ip, &e.UserAgent, &e.RequestID)
	if err != nil {
		f.t.Fatal(err)
	}
	e.OrganizationID, e.ID, e.Details, e.OccurredAt = f.org, id, []byte(details), e.OccurredAt.UTC()
	e.IPAddress, _ = verify.CanonicalIP(ip)
	return e
}

// checkpoint opens the log's latest checkpoint with its public key.
func (f *fixture) checkpoint() *verify.Checkpoint {
	f.t.Helper()
	var signed string
	if err := f.db.Conn(context.Background()).Raw(`SELECT checkpoint FROM audit_logs WHERE organization_id = ?`, f.org).
		Row().Scan(&signed); err != nil {
		f.t.Fatal(err)
	}
	v, err := note.NewVerifier(f.vkey)
	if err != nil {
		f.t.Fatal(err)
	}
	cp, err := verify.OpenCheckpoint([]byte(signed), []note.Verifier{v})
	if err != nil {
		f.t.Fatal(err)
	}
	return cp
}

func (f *fixture) integrate(l *Log) int {
	f.t.Helper()
	n, err := l.Integrate(context.Background(), f.org)
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// integrateUntil integrates until size events are sequenced. A write
// transaction open anywhere in the cluster (another test's) holds every
// log's horizon back while it runs, so one pass may not be enough.
func (f *fixture) integrateUntil(l *Log, size int) {
	f.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for len(f.sequenced()) < size {
		if time.Now().After(deadline) {
			f.t.Fatalf("after a minute, %d events sequenced, want %d", len(f.sequenced()), size)
		}
		f.integrate(l)
		time.Sleep(10 * time.Millisecond)
	}
}

func TestEventsAreSequencedAndSignedInACheckpoint(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.log.BatchSize = 7 // several batches, tiles and entry rows that grow
	for range 600 {
		f.record(time.Time{})
	}
	f.integrateUntil(f.log, 600)
	f.checkTree(600)
	cp := f.checkpoint()
	if cp.Origin != "orgtrail.test/audit-log/"+f.org.String() || cp.KeyName != "orgtrail.test/orgtrail-audit-log" {
		t.Fatalf("checkpoint origin %q key %q", cp.Origin, cp.KeyName)
	}
	if n := f.integrate(f.log); n != 0 {
		t.Fatalf("a second integration appended %d events", n)
	}
	f.record(time.Time{})
	f.integrateUntil(f.log, 601)
	f.checkTree(601)
}

// TestALateCommitIsSequencedNotSkipped: a transaction that wrote its event
// early and commits after later ones were committed holds the log back
// until it commits; then its event is sequenced, before the later ones.
func TestALateCommitIsSequencedNotSkipped(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.record(time.Time{})
	f.integrateUntil(f.log, 1)
	tx := f.db.SQL()
	conn, err := tx.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN"); err != nil {
		t.Fatal(err)
	}
	slow := audit.EventID(time.Now().Add(-time.Minute))
	if _, err := conn.ExecContext(context.Background(), `INSERT INTO audit_events (organization_id, occurred_at, id, action, actor_type,
		resource_type, resource_id) VALUES ($1, $2, $3, 'CREATED_ROLE', 'SYSTEM', 'role', 'slow')`,
		f.org, time.Now().Add(-time.Minute).UTC(), slow); err != nil {
		t.Fatal(err)
	}
	later := f.record(time.Time{})
	f.integrate(f.log)
	if got := f.sequenced(); len(got) != 1 {
		t.Fatalf("with a transaction still open before it, %d events are sequenced, want only the first", len(got))
	}
	if _, err := conn.ExecContext(context.Background(), "COMMIT"); err != nil {
		t.Fatal(err)
	}
	f.integrateUntil(f.log, 3)
	got := f.sequenced()
	if len(got) != 3 || got[1] != slow || got[2] != later {
		t.Fatalf("sequence %v, want the slow event then the later one (%s, %s)", got, slow, later)
	}
	f.checkTree(3)
}

// TestAnEarlierTimestampCommittedAfterLaterEventsIsAppended: an event whose
// transaction began before others but took its id after they were
// sequenced lands after them, with its earlier timestamp.
func TestAnEarlierTimestampCommittedAfterLaterEventsIsAppended(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for range 3 {
		f.record(time.Time{})
	}
	f.integrateUntil(f.log, 3)
	early := f.record(time.Now().Add(-time.Hour))
	f.integrateUntil(f.log, 4)
	if got := f.sequenced(); len(got) != 4 || got[3] != early {
		t.Fatalf("sequence %v, want the early event last", got)
	}
	f.checkTree(4)
}

// TestTwoIntegratorsOnOneLogLeaveNoGapNorDuplicate runs two logs (two
// replicas, each with its own pool) integrating one organization while
// events are written.
func TestTwoIntegratorsOnOneLogLeaveNoGapNorDuplicate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	replicas := []*Log{f.newLog(f.open()), f.newLog(f.open())}
	for _, l := range replicas {
		l.BatchSize = 13
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, l := range replicas {
		wg.Go(func() {
			for ctx.Err() == nil {
				if _, err := l.Integrate(ctx, f.org); err != nil && ctx.Err() == nil {
					t.Error(err)
					return
				}
			}
		})
	}
	var writers sync.WaitGroup
	for range 4 {
		writers.Go(func() {
			for range 100 {
				f.record(time.Time{})
			}
		})
	}
	writers.Wait()
	cancel()
	wg.Wait()
	f.integrateUntil(replicas[0], 400)
	f.checkTree(400)
}

// TestAnIntegrationCutShortLeavesTheLogWhole cancels integrations at every
// stage, as a restart would, and checks the log after another finishes.
func TestAnIntegrationCutShortLeavesTheLogWhole(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.log.BatchSize = 50
	for range 300 {
		f.record(time.Time{})
	}
	for i := range 40 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i)*300*time.Microsecond)
		_, _ = f.log.Integrate(ctx, f.org)
		cancel()
		f.record(time.Time{})
	}
	f.integrateUntil(f.log, 340)
	f.checkTree(340)
}

func TestLeafEncodingIsStable(t *testing.T) {
	e := verify.Event{OrganizationID: uuid.MustParse("0190a2b4-0000-7000-8000-000000000001"),
		ID: uuid.MustParse("0190a2b4-1111-7000-8000-000000000002"), OccurredAt: time.Date(2026, 12, 3, 12, 0, 0, 123456000, time.UTC),
		Action: "CREATED_ROLE", ActorType: "USER", ActorID: "u1", ActorEmail: "a@example.com", ActorName: "A",
		ResourceType: "role", ResourceID: "r1", ResourceName: "Deployers", Details: []byte(`{"z": 1, "a": "x"}`),
		IPAddress: "192.0.2.1", UserAgent: "curl/8", RequestID: "req-1"}
	leaf, err := verify.Leaf(&e)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(leaf, []byte(`{"a":"x","z":1}`)) {
		t.Fatalf("details are not in RFC 8785 form: %q", leaf)
	}
	// A change of this hash is a change of the leaf format: existing logs
	// would stop verifying. Add a version instead (docs/verifiable-log.md).
	h, _ := verify.LeafHash(&e)
	if got := fmt.Sprintf("%x", h[:]); got != "6361aae535cadf0042772bf4d2b7387ecbcc86d36337cf57af459cdd2296381e" {
		t.Fatalf("leaf hash %s", got)
	}
}

// checkCounts checks that the hourly counts (issue 13's timeline) hold every
// sequenced event once, by hour and action, and stand where the log does.
func (f *fixture) checkCounts() {
	f.t.Helper()
	var mismatches int64
	err := f.db.Conn(f.ctx).Raw(`
		WITH seq AS (SELECT date_trunc('hour', e.occurred_at, 'UTC') AS hour, e.action, count(*) AS n
			FROM audit_events e JOIN audit_logs l ON l.organization_id = e.organization_id
			WHERE e.organization_id = ? AND (e.xid, e.id) <= (l.last_xid, l.last_id) GROUP BY 1, 2),
		c AS (SELECT hour, action, events AS n FROM audit_event_counts WHERE organization_id = ?)
		SELECT count(*) FROM seq FULL JOIN c USING (hour, action) WHERE seq.n IS DISTINCT FROM c.n`, f.org, f.org).Scan(&mismatches).Error
	if err != nil {
		f.t.Fatal(err)
	}
	if mismatches > 0 {
		f.t.Errorf("%d hours and actions are counted other than sequenced", mismatches)
	}
	var behind bool
	if err := f.db.Conn(f.ctx).Raw(`SELECT (counted_xid, counted_id) <> (last_xid, last_id) FROM audit_logs WHERE organization_id = ?`,
		f.org).Scan(&behind).Error; err != nil {
		f.t.Fatal(err)
	}
	if behind {
		f.t.Error("the counts stand elsewhere than the log")
	}
}

// The integrator counts each event it sequences, in the same transaction,
// by hour and action, for the Audit Log's timeline; batches sequenced
// without counting (a replica of an older version, during an upgrade) are
// counted by the next batch.
func TestSequencedEventsAreCountedOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.log.BatchSize = 7
	for i := range 40 {
		f.record(time.Now().Add(-time.Duration(i) * 17 * time.Minute))
	}
	f.integrateUntil(f.log, 40)
	f.checkCounts()

	// An older replica sequenced 20 more events without counting them: the
	// counts and their position are set back to the 40th event.
	for range 20 {
		f.record(time.Time{})
	}
	f.integrateUntil(f.log, 60)
	if err := f.db.Conn(f.ctx).Exec(`
		WITH fortieth AS (SELECT xid, id FROM audit_events WHERE organization_id = ? ORDER BY xid, id OFFSET 39 LIMIT 1),
		late AS (SELECT date_trunc('hour', occurred_at, 'UTC') AS hour, action, count(*) AS n FROM audit_events
			WHERE organization_id = ? AND (xid, id) > (SELECT xid, id FROM fortieth) GROUP BY 1, 2),
		uncounted AS (UPDATE audit_event_counts c SET events = c.events - late.n FROM late
			WHERE c.organization_id = ? AND c.hour = late.hour AND c.action = late.action)
		UPDATE audit_logs SET counted_xid = (SELECT xid FROM fortieth), counted_id = (SELECT id FROM fortieth)
		WHERE organization_id = ?`, f.org, f.org, f.org, f.org).Error; err != nil {
		t.Fatal(err)
	}
	f.record(time.Time{})
	f.integrateUntil(f.log, 61)
	f.checkCounts()
}

// TestEventsSeededWhileTheLogIntegratesAreAllSequenced: the seeder loads
// each month in one long transaction (server/seed/bulk.go) while the
// integrator runs and other events commit; once it has committed, the log
// holds every event exactly once, and its tree matches the events.
func TestEventsSeededWhileTheLogIntegratesAreAllSequenced(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.record(time.Time{})
	pool, err := pgxpool.New(context.Background(), f.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	const seeded = 3000
	recorded := 1
	// Between batches, the load's transactions are open with rows written:
	// the integrator runs then, and another event commits.
	opts := seed.Options{BatchSize: 250, Workers: 2, Progress: func(int) {
		f.integrate(f.log)
		f.record(time.Time{})
		recorded++
	}}
	if _, err := seed.Events(context.Background(), pool, f.org, seeded, opts); err != nil {
		t.Fatal(err)
	}
	f.integrateUntil(f.log, seeded+recorded)
	f.checkTree(seeded + recorded)
}
