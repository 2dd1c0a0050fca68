// Package seed writes realistic audit events for demos and benchmarks: a cast
// of people, service accounts, API keys and an identity provider per
// organization, every action of the catalog in believable proportions, and
// times that follow office hours over the last 120 days. Rows go in with
// PostgreSQL COPY, in time order, several streams at once.
package seed

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"github.com/orgtrail/orgtrail/server/audit"
)

// Options tune a seeding run. The zero value is valid.
type Options struct {
	// Days is the width of the window the events are spread over, ending at
	// Now (default 120).
	Days int
	// Now is the end of the window (default time.Now()).
	Now time.Time
	// Seed makes runs reproducible: the same seed, organizations, counts,
	// Days and Now give the same events, whatever BatchSize and Workers.
	Seed uint64
	// BatchSize is the number of rows per COPY statement (default 10,000).
	BatchSize int
	// Workers is the number of COPY streams run at once (default 2). The
	// pool must allow that many connections.
	Workers int
	// Progress, when set, is called after each batch with the number of
	// events written so far. It may be called from several goroutines, one at
	// a time.
	Progress func(written int)
}

func (o Options) withDefaults() Options {
	if o.Days <= 0 {
		o.Days = 120
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	o.Now = o.Now.UTC().Round(0).Truncate(time.Microsecond)
	if o.BatchSize <= 0 {
		o.BatchSize = 10_000
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	return o
}

// Stats reports what a seeding run wrote.
type Stats struct {
	Events        int
	Organizations int
	// ByAction counts the events written per action.
	ByAction map[audit.Action]int
	// From and To bound the window the events were spread over.
	From, To time.Time
	Elapsed  time.Duration
	// Phases sums, over the loading connections, the time spent generating
	// and copying rows ("copy"), building indexes ("index") and swapping
	// partitions and committing ("swap"), to show where a load's time goes.
	Phases map[string]time.Duration
}

// Rate is the number of events written per second.
func (s Stats) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Events) / s.Elapsed.Seconds()
}

// Events writes n audit events for the existing organization org, spread over
// opts.Days days up to opts.Now. When n is at least the number of actions in
// the catalog, every action appears at least once.
func Events(ctx context.Context, pool *pgxpool.Pool, org uuid.UUID, n int, opts Options) (Stats, error) {
	if n < 0 {
		return Stats{}, fmt.Errorf("seed: cannot write %d events", n)
	}
	return run(ctx, pool, []uuid.UUID{org}, []int{n}, true, opts)
}

// EventsAcrossOrganizations writes total audit events shared among the
// existing organizations orgs, unevenly as in a real installation: a few
// large organizations and a long tail of small ones.
func EventsAcrossOrganizations(ctx context.Context, pool *pgxpool.Pool, orgs []uuid.UUID, total int, opts Options) (Stats, error) {
	if len(orgs) == 0 {
		return Stats{}, errors.New("seed: no organizations")
	}
	if total < 0 {
		return Stats{}, fmt.Errorf("seed: cannot write %d events", total)
	}
	return run(ctx, pool, orgs, share(total, len(orgs)), false, opts)
}

// share splits total into k parts with Zipf-like sizes, largest first.
func share(total, k int) []int {
	weights := make([]float64, k)
	sum := 0.0
	for i := range weights {
		weights[i] = 1 / float64(i+10)
		sum += weights[i]
	}
	counts := make([]int, k)
	given := 0
	for i, w := range weights {
		counts[i] = int(float64(total) * w / sum)
		given += counts[i]
	}
	for i := 0; given < total; i = (i + 1) % k {
		counts[i]++
		given++
	}
	return counts
}

// Run seeds n events for org in the database at dsn and reports progress and
// the rate achieved on w. It is what `orgtrail seed` runs.
func Run(ctx context.Context, dsn string, org uuid.UUID, n int, w io.Writer) error {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return fmt.Errorf("seed: connect: %w", err)
	}
	defer pool.Close()
	step := max(n/10, 1)
	next := step
	stats, err := Events(ctx, pool, org, n, Options{Progress: func(written int) {
		if written >= next && written < n {
			fmt.Fprintf(w, "seed: %d/%d events\n", written, n)
			next = written + step
		}
	}})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "seed: wrote %d events for organization %s between %s and %s in %s (%.0f events/s)\n",
		stats.Events, org, stats.From.Format(time.DateOnly), stats.To.Format(time.DateOnly),
		stats.Elapsed.Round(time.Millisecond), stats.Rate())
	return err
}

// segment is one organization's share of a run.
type segment struct {
	world  *world
	n      int
	stream uint64
	forced map[int]audit.Action
}

// chunk is the events [from, to) of a segment.
type chunk struct {
	seg      *segment
	from, to int
}

func run(ctx context.Context, pool *pgxpool.Pool, orgs []uuid.UUID, counts []int, everyAction bool, opts Options) (stats Stats, err error) {
	opts = opts.withDefaults()
	started := time.Now()
	stats = Stats{
		Organizations: len(orgs),
		ByAction:      map[audit.Action]int{},
		Phases:        map[string]time.Duration{},
		From:          opts.Now.AddDate(0, 0, -opts.Days),
		To:            opts.Now,
	}
	names, err := organizationNames(ctx, pool, orgs)
	if err != nil {
		return stats, err
	}
	if err := ensurePartitions(ctx, pool, stats.From, stats.To); err != nil {
		return stats, err
	}
	defer func() { stats.Elapsed = time.Since(started) }()

	actions := newActionTable()
	tl := newTimeline(opts.Now, opts.Days)
	segments := plan(orgs, counts, names, everyAction, actions, opts)
	indexes, err := parentIndexes(ctx, pool)
	if err != nil {
		return stats, err
	}
	// Each month goes the bulk way (bulk.go) unless its partition already
	// holds many events; those months' batches are copied into the
	// partition, with the GIN indexes' updates deferred.
	type task struct {
		bulk   *month
		exists bool
		batch  []chunk
	}
	var tasks []task
	var slow []month
	for _, m := range months(segments, tl, stats.From, stats.To) {
		rows, err := partitionRows(ctx, pool, m.name)
		if err != nil {
			return stats, err
		}
		if rows > swapLimit {
			slow = append(slow, m)
			continue
		}
		tasks = append(tasks, task{bulk: &m, exists: rows >= 0})
	}
	sort.SliceStable(tasks, func(i, j int) bool { return tasks[i].bulk.events > tasks[j].bulk.events })
	if len(slow) > 0 {
		restore, err := deferGINUpdates(ctx, pool)
		if err != nil {
			return stats, err
		}
		defer func() {
			if rerr := restore(); rerr != nil && err == nil {
				err = rerr
			}
			stats.Elapsed = time.Since(started)
		}()
		for _, m := range slow {
			for _, b := range batches(m.chunks, opts.BatchSize) {
				tasks = append(tasks, task{batch: b})
			}
		}
	}

	var mu sync.Mutex
	newSource := func(b []chunk) *source {
		return &source{chunks: b, timeline: tl, actions: actions, counts: map[audit.Action]int{}}
	}
	phase := func(name string, d time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		stats.Phases[name] += d
	}
	written := func(src *source) {
		mu.Lock()
		defer mu.Unlock()
		for a, c := range src.counts {
			stats.ByAction[a] += c
			stats.Events += c
		}
		if opts.Progress != nil {
			opts.Progress(stats.Events)
		}
	}
	work := make(chan task)
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(work)
		for _, t := range tasks {
			select {
			case work <- t:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	for range opts.Workers {
		g.Go(func() error {
			for t := range work {
				if t.bulk != nil {
					if err := loadMonth(ctx, pool, *t.bulk, indexes, t.exists, opts.BatchSize, newSource, written, phase); err != nil {
						return err
					}
					continue
				}
				src := newSource(t.batch)
				began := time.Now()
				if err := copyBatch(ctx, pool, src); err != nil {
					return err
				}
				phase("copy", time.Since(began))
				written(src)
			}
			return nil
		})
	}
	return stats, g.Wait()
}

// plan gives each organization with events its segment: its cast, its
// count and its random stream.
func plan(orgs []uuid.UUID, counts []int, names map[uuid.UUID]string, everyAction bool, actions actionTable, opts Options) []*segment {
	var segments []*segment
	for i, org := range orgs {
		if counts[i] == 0 {
			continue
		}
		// Each organization draws from a stream of its own, so its events do
		// not depend on how the run is cut into batches of work.
		stream := opts.Seed ^ uint64(i+1)*0x9e3779b97f4a7c15
		rng := rand.New(rand.NewPCG(opts.Seed, stream))
		seg := &segment{world: newWorld(org, names[org], rng), n: counts[i], stream: stream}
		if everyAction && seg.n >= len(actions.actions) {
			seg.forced = spread(rng, actions.actions, seg.n)
		}
		segments = append(segments, seg)
	}
	return segments
}

// copyBatch copies one batch into audit_events, its partitions' indexes
// updated as the rows go in.
func copyBatch(ctx context.Context, pool *pgxpool.Pool, src *source) error {
	conn, release, err := copySession(ctx, pool)
	if err != nil {
		return err
	}
	defer release()
	if _, err := conn.Conn().CopyFrom(ctx, pgx.Identifier{"audit_events"}, copyColumns, src); err != nil {
		return fmt.Errorf("seed: copy into audit_events: %w", err)
	}
	return nil
}

// spread places each action once at a distinct random position of n events,
// so that a seeded log exercises the whole catalog.
func spread(rng *rand.Rand, actions []audit.Action, n int) map[int]audit.Action {
	forced := make(map[int]audit.Action, len(actions))
	for _, a := range actions {
		for {
			i := rng.IntN(n)
			if _, taken := forced[i]; !taken {
				forced[i] = a
				break
			}
		}
	}
	return forced
}

// organizationNames returns the names of orgs, failing when one does not
// exist: the seeder adds events to organizations, never creates them.
func organizationNames(ctx context.Context, pool *pgxpool.Pool, orgs []uuid.UUID) (map[uuid.UUID]string, error) {
	ids := make([]string, len(orgs))
	for i, o := range orgs {
		ids[i] = o.String()
	}
	rows, err := pool.Query(ctx, `SELECT id, name FROM organizations WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, fmt.Errorf("seed: read organizations: %w", err)
	}
	names := map[uuid.UUID]string{}
	for rows.Next() {
		var id uuid.UUID
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("seed: read organizations: %w", err)
		}
		names[id] = name
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("seed: read organizations: %w", err)
	}
	for _, o := range orgs {
		if _, ok := names[o]; !ok {
			return nil, fmt.Errorf("seed: organization %s does not exist", o)
		}
	}
	return names, nil
}

// ensurePartitions creates the monthly partitions of audit_events covering
// [from, to].
func ensurePartitions(ctx context.Context, pool *pgxpool.Pool, from, to time.Time) error {
	months := (to.Year()-from.Year())*12 + int(to.Month()-from.Month()) + 1
	_, err := pool.Exec(ctx, `SELECT audit_events_ensure_partitions($1::date, $2)`, from.Format(time.DateOnly), months)
	if err != nil {
		return fmt.Errorf("seed: create partitions: %w", err)
	}
	return nil
}

// copyWorkMem is work_mem in the seeder's COPY sessions. A COPY that finds a
// GIN pending list over its limit merges it, sorting at most work_mem of
// entries at a time: PostgreSQL's default 4MB cuts the merge into many small
// batches (measured: 5,300 events/s with 4MB, 7,800 with 64MB).
const copyWorkMem = "64MB"

// copySession takes a connection from pool for a COPY worker and raises its
// work_mem. release puts the setting back before returning the connection
// to the pool, or closes the connection when it cannot (after a canceled
// COPY, say), so that no other user of the pool inherits the setting.
func copySession(ctx context.Context, pool *pgxpool.Pool) (*pgxpool.Conn, func(), error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("seed: connect: %w", err)
	}
	if _, err := conn.Exec(ctx, `SELECT set_config('work_mem', $1, false)`, copyWorkMem); err != nil {
		conn.Release()
		return nil, nil, fmt.Errorf("seed: set work_mem: %w", err)
	}
	release := func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, `RESET work_mem`); err != nil {
			_ = conn.Hijack().Close(ctx)
			return
		}
		conn.Release()
	}
	return conn, release, nil
}

// pendingListKB is the GIN pending list size used while seeding.
const pendingListKB = 64 << 10

// deferGINUpdates turns on the pending list (fastupdate) of the GIN indexes
// of audit_events' partitions, such as the trigram search index, for the
// time of the load. Inserting a row into a trigram index one key at a time
// costs about a millisecond of CPU; with the pending list, keys accumulate
// and go into the index in sorted batches, several times faster. restore
// merges the pending lists and puts back the indexes' own settings; it runs
// even when ctx is canceled. Searches stay correct meanwhile: GIN scans read
// the pending list too. Changing a setting locks that one index exclusively
// for an instant (waiting at most lockTimeout for queries using it), so a
// server can keep running while the seeder loads.
func deferGINUpdates(ctx context.Context, pool *pgxpool.Pool) (restore func() error, err error) {
	rows, err := pool.Query(ctx, `
		SELECT n.nspname, c.relname,
		       array(SELECT o FROM unnest(c.reloptions) o WHERE o LIKE 'fastupdate=%' OR o LIKE 'gin_pending_list_limit=%')
		FROM pg_inherits i
		JOIN pg_index x ON x.indrelid = i.inhrelid
		JOIN pg_class c ON c.oid = x.indexrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_am am ON am.oid = c.relam
		WHERE i.inhparent = 'audit_events'::regclass AND am.amname = 'gin'`)
	if err != nil {
		return nil, fmt.Errorf("seed: list GIN indexes: %w", err)
	}
	type ginIndex struct {
		name     string
		settings []string
	}
	var indexes []ginIndex
	for rows.Next() {
		var schema, name string
		var settings []string
		if err := rows.Scan(&schema, &name, &settings); err != nil {
			return nil, fmt.Errorf("seed: list GIN indexes: %w", err)
		}
		indexes = append(indexes, ginIndex{pgx.Identifier{schema, name}.Sanitize(), settings})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("seed: list GIN indexes: %w", err)
	}

	var changed []ginIndex
	restore = func() error {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Minute)
		defer cancel()
		var errs []error
		for _, ix := range changed {
			statements := []string{`ALTER INDEX ` + ix.name + ` RESET (fastupdate, gin_pending_list_limit)`}
			if len(ix.settings) > 0 {
				statements = append(statements, `ALTER INDEX `+ix.name+` SET (`+strings.Join(ix.settings, ", ")+`)`)
			}
			_, err := pool.Exec(ctx, `SELECT gin_clean_pending_list($1::regclass)`, ix.name)
			if err == nil {
				err = alterIndex(ctx, pool, statements...)
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("seed: restore the settings of index %s: %w", ix.name, err))
			}
		}
		return errors.Join(errs...)
	}
	for _, ix := range indexes {
		stmt := fmt.Sprintf(`ALTER INDEX %s SET (fastupdate = on, gin_pending_list_limit = %d)`, ix.name, pendingListKB)
		if err := alterIndex(ctx, pool, stmt); err != nil {
			return nil, errors.Join(fmt.Errorf("seed: defer updates of index %s: %w", ix.name, err), restore())
		}
		changed = append(changed, ix)
	}
	return restore, nil
}

// lockTimeout bounds how long changing an index's settings waits for the
// queries using the index, which would otherwise queue up behind it.
const lockTimeout = "10s"

// alterIndex runs statements in one transaction under lockTimeout.
func alterIndex(ctx context.Context, pool *pgxpool.Pool, statements ...string) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '`+lockTimeout+`'`); err != nil {
			return err
		}
		for _, stmt := range statements {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return err
			}
		}
		return nil
	})
}

// source generates the rows of one batch for pgx.CopyFrom, one at a time, so
// a batch never sits in memory.
type source struct {
	chunks   []chunk
	timeline *timeline
	actions  actionTable
	counts   map[audit.Action]int

	c       int // index of the current chunk
	i       int // index of the current event in its segment
	started bool
	pcg     rand.PCG
	rng     *rand.Rand
	row     []any
	err     error
}

// Next implements pgx.CopyFromSource.
func (s *source) Next() bool {
	if s.err != nil || s.c >= len(s.chunks) {
		return false
	}
	switch {
	case !s.started:
		s.started, s.i = true, s.chunks[0].from
		s.rng = rand.New(&s.pcg)
	case s.i+1 < s.chunks[s.c].to:
		s.i++
	default:
		s.c++
		if s.c >= len(s.chunks) {
			return false
		}
		s.i = s.chunks[s.c].from
	}
	// Every event draws from a generator seeded by its position alone, so
	// the events do not depend on how the run is cut into batches.
	s.pcg.Seed(s.chunks[s.c].seg.stream, mix(uint64(s.i)))
	return true
}

// Values implements pgx.CopyFromSource.
func (s *source) Values() ([]any, error) {
	seg := s.chunks[s.c].seg
	q := (float64(s.i) + s.rng.Float64()) / float64(seg.n)
	at := s.timeline.at(q)
	action, ok := seg.forced[s.i]
	if !ok {
		action = s.actions.pick(s.rng)
	}
	ev := event{action: action}
	seg.world.fill(&ev, s.rng, at)
	s.counts[action]++
	var reqID [12]byte
	putUint64(reqID[:8], s.rng.Uint64())
	putUint64(reqID[4:], s.rng.Uint64())
	s.row, s.err = ev.row(seg.world.org, at, uuidV7(at, s.rng), hex.EncodeToString(reqID[:]), s.row)
	return s.row, s.err
}

// Err implements pgx.CopyFromSource.
func (s *source) Err() error { return s.err }

// mix is SplitMix64's finalizer: it spreads consecutive integers over the
// whole 64-bit range, to seed independent-looking generators.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// uuidV7 returns a version 7 UUID for time t, so event ids sort like the
// events, as the recorder's do.
func uuidV7(t time.Time, rng *rand.Rand) uuid.UUID {
	var u uuid.UUID
	ms := uint64(t.UnixMilli())
	putUint64(u[8:], rng.Uint64())
	putUint64(u[:8], ms<<16|rng.Uint64()&0xffff)
	u[6] = u[6]&0x0f | 0x70
	u[8] = u[8]&0x3f | 0x80
	return u
}
