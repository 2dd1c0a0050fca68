package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Bulk loading. Inserting a row into the trigram search index costs far
// more than writing the row (about a millisecond of CPU one key at a time;
// still most of the seeder's time with the GIN pending list), while building
// the index afterwards sorts its keys once. So each month's events go into a
// table of their own that has no index yet, the indexes are built there,
// and the table then takes the place of the month's partition:
//
//	CREATE TABLE audit_events_2026_11_load (LIKE audit_events ...)    -- committed, empty
//	BEGIN
//	  COPY ... FROM STDIN (one statement per batch)                 -- no index yet
//	  CREATE INDEX ... (each index of audit_events)                 -- sorted builds
//	  LOCK the month's partition; copy its few rows over; DETACH it
//	  ATTACH the new table; DROP the old one; RENAME the new one
//	COMMIT
//
// Months run on separate connections at once (Options.Workers). Everything
// from the COPY to the swap is one transaction, so the events appear in
// audit_events at the instant they are all indexed, and their xid (the
// column's default, the transaction's id) is younger than every snapshot
// the verifiable log's integrator took while they were loading: it
// sequences them after the commit like any other transaction's events.
// The table is created by a transaction of its own beforehand, because
// CREATE TABLE ... LIKE audit_events holds a lock on audit_events until
// commit, which would make the months' swaps wait for each other forever.
//
// A month whose partition already holds many events (a second seeding
// run, say) is not swapped, since copying them over would re-index them one
// at a time: its events are copied into the partition as before, with the
// GIN indexes' pending list deferred (deferGINUpdates).

// swapLimit is the most rows a month's partition may hold for the bulk path.
const swapLimit = 50_000

// bulkMaintenanceWorkMem is maintenance_work_mem for the index builds: the
// trigram index of a month of a large organization sorts hundreds of
// millions of keys.
const bulkMaintenanceWorkMem = "512MB"

// month is one monthly partition's share of a run.
type month struct {
	lo, hi time.Time
	name   string // the partition, e.g. audit_events_2026_11
	chunks []chunk
	events int
}

// months cuts the run's segments into the calendar months (UTC) of the
// partitions, each event where its time falls.
func months(segments []*segment, tl *timeline, from, to time.Time) []month {
	var out []month
	for lo := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC); !lo.After(to); lo = lo.AddDate(0, 1, 0) {
		m := month{lo: lo, hi: lo.AddDate(0, 1, 0), name: "audit_events_" + lo.Format("2006_01")}
		for _, seg := range segments {
			a, b := firstAt(seg, tl, m.lo), firstAt(seg, tl, m.hi)
			if b > a {
				m.chunks = append(m.chunks, chunk{seg: seg, from: a, to: b})
				m.events += b - a
			}
		}
		if m.events > 0 {
			out = append(out, m)
		}
	}
	return out
}

// firstAt is the position of seg's first event at or after t. Events' times
// grow with their position (source.Values), so it is a binary search.
func firstAt(seg *segment, tl *timeline, t time.Time) int {
	var pcg rand.PCG
	rng := rand.New(&pcg)
	return sort.Search(seg.n, func(i int) bool {
		pcg.Seed(seg.stream, mix(uint64(i)))
		q := (float64(i) + rng.Float64()) / float64(seg.n)
		return !tl.at(q).Before(t)
	})
}

// batches cuts chunks into lists of at most size events.
func batches(chunks []chunk, size int) [][]chunk {
	var out [][]chunk
	var current []chunk
	n := 0
	for _, c := range chunks {
		for from := c.from; from < c.to; {
			to := min(from+size-n, c.to)
			current = append(current, chunk{seg: c.seg, from: from, to: to})
			n += to - from
			from = to
			if n == size {
				out = append(out, current)
				current, n = nil, 0
			}
		}
	}
	if len(current) > 0 {
		out = append(out, current)
	}
	return out
}

// partitionRows counts the rows of the month's partition, -1 when it does
// not exist.
func partitionRows(ctx context.Context, pool *pgxpool.Pool, name string) (int64, error) {
	var exists bool
	if err := pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, name).Scan(&exists); err != nil {
		return 0, fmt.Errorf("seed: look up partition %s: %w", name, err)
	}
	if !exists {
		return -1, nil
	}
	var n int64
	err := pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM `+pgx.Identifier{name}.Sanitize()+` LIMIT $1) r`, swapLimit+1).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("seed: count partition %s: %w", name, err)
	}
	return n, nil
}

// parentIndex is an index of audit_events, to be built on a loaded table.
type parentIndex struct {
	name       string
	definition string // pg_get_indexdef, ON ONLY public.audit_events
	primaryKey bool
}

// parentIndexes lists the indexes of audit_events, primary key first.
func parentIndexes(ctx context.Context, pool *pgxpool.Pool) ([]parentIndex, error) {
	rows, err := pool.Query(ctx, `
		SELECT c.relname, pg_get_indexdef(x.indexrelid), x.indisprimary
		FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
		WHERE x.indrelid = 'audit_events'::regclass
		ORDER BY x.indisprimary DESC, c.relname`)
	if err != nil {
		return nil, fmt.Errorf("seed: list the indexes of audit_events: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (parentIndex, error) {
		var ix parentIndex
		err := r.Scan(&ix.name, &ix.definition, &ix.primaryKey)
		return ix, err
	})
	if err != nil {
		return nil, fmt.Errorf("seed: list the indexes of audit_events: %w", err)
	}
	return out, nil
}

// onParent is the "ON [ONLY] audit_events" part of an index definition.
var onParent = regexp.MustCompile(`^(CREATE (?:UNIQUE )?INDEX )(\S+)( ON )(?:ONLY )?(?:public\.)?audit_events( .*)$`)

// indexOn rewrites a definition of audit_events' index for table, with
// name as the index's name.
func indexOn(def, table, name string) (string, error) {
	m := onParent.FindStringSubmatch(def)
	if m == nil {
		return "", fmt.Errorf("seed: cannot rewrite index definition %q", def)
	}
	return m[1] + pgx.Identifier{name}.Sanitize() + m[3] + pgx.Identifier{table}.Sanitize() + m[4], nil
}

// createLoadTable creates (and commits) the empty table m's events go into,
// with the month's bounds as a constraint so that ATTACH need not scan it.
func createLoadTable(ctx context.Context, pool *pgxpool.Pool, m month) (string, error) {
	table := m.name + "_load"
	id := pgx.Identifier{table}.Sanitize()
	statements := []string{
		`DROP TABLE IF EXISTS ` + id,
		`CREATE TABLE ` + id + ` (LIKE audit_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)`,
		fmt.Sprintf(`ALTER TABLE %s ADD CONSTRAINT %s CHECK (occurred_at >= '%s' AND occurred_at < '%s')`,
			id, pgx.Identifier{table + "_bounds"}.Sanitize(), m.lo.Format(time.RFC3339), m.hi.Format(time.RFC3339)),
	}
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for _, s := range statements {
			if _, err := tx.Exec(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("seed: create the load table of %s: %w", m.name, err)
	}
	return table, nil
}

// loadMonth copies m's events into its load table, builds the indexes there
// and swaps the table in as the month's partition, in one transaction (see
// the comment at the top of the file). written is called after each batch.
func loadMonth(ctx context.Context, pool *pgxpool.Pool, m month, indexes []parentIndex, exists bool, batchSize int,
	newSource func([]chunk) *source, written func(*source), phase func(string, time.Duration)) (err error) {
	table, err := createLoadTable(ctx, pool, m)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil { // the transaction rolled back: drop the empty table
			_, _ = pool.Exec(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS `+pgx.Identifier{table}.Sanitize())
		}
	}()
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("seed: connect: %w", err)
	}
	defer conn.Release()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("seed: begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	exec := func(stmt string, args ...any) error {
		if _, err := tx.Exec(ctx, stmt, args...); err != nil {
			return fmt.Errorf("seed: %s: %w", firstLine(stmt), err)
		}
		return nil
	}
	if err := exec(`SELECT set_config('maintenance_work_mem', $1, true)`, bulkMaintenanceWorkMem); err != nil {
		return err
	}
	began := time.Now()
	for _, b := range batches(m.chunks, batchSize) {
		src := newSource(b)
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, copyColumns, src); err != nil {
			return fmt.Errorf("seed: copy into %s: %w", table, err)
		}
		written(src)
	}
	phase("copy", time.Since(began))
	began = time.Now()
	id := pgx.Identifier{table}.Sanitize()
	for i, ix := range indexes {
		name := fmt.Sprintf("%s_%d", table, i)
		stmt, err := indexOn(ix.definition, table, name)
		if err != nil {
			return err
		}
		if err := exec(stmt); err != nil {
			return err
		}
		if ix.primaryKey {
			if err := exec(`ALTER TABLE ` + id + ` ADD PRIMARY KEY USING INDEX ` + pgx.Identifier{name}.Sanitize()); err != nil {
				return err
			}
		}
	}
	phase("index", time.Since(began))
	began = time.Now()
	defer func() { phase("swap", time.Since(began)) }()
	old := pgx.Identifier{m.name}.Sanitize()
	var renames []string
	if exists {
		// Writers of the month wait from here to the commit; readers do not.
		if err := exec(`LOCK TABLE ` + old + ` IN EXCLUSIVE MODE`); err != nil {
			return err
		}
		if err := exec(`INSERT INTO ` + id + ` SELECT * FROM ` + old); err != nil {
			return err
		}
		// The new indexes take the old ones' names once those are gone.
		rows, err := tx.Query(ctx, `
			SELECT p.relname, c.relname FROM pg_inherits i
			JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
			JOIN pg_index x ON x.indexrelid = c.oid
			WHERE x.indrelid = $1::regclass`, m.name)
		if err != nil {
			return fmt.Errorf("seed: list the indexes of %s: %w", m.name, err)
		}
		oldNames := map[string]string{}
		for rows.Next() {
			var parent, child string
			if err := rows.Scan(&parent, &child); err != nil {
				rows.Close()
				return fmt.Errorf("seed: list the indexes of %s: %w", m.name, err)
			}
			oldNames[parent] = child
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("seed: list the indexes of %s: %w", m.name, err)
		}
		for i, ix := range indexes {
			if n, ok := oldNames[ix.name]; ok {
				renames = append(renames, `ALTER INDEX `+pgx.Identifier{fmt.Sprintf("%s_%d", table, i)}.Sanitize()+` RENAME TO `+pgx.Identifier{n}.Sanitize())
			}
		}
		if err := exec(`ALTER TABLE audit_events DETACH PARTITION ` + old); err != nil {
			return err
		}
		if err := exec(`DROP TABLE ` + old); err != nil {
			return err
		}
	}
	attach := fmt.Sprintf(`ALTER TABLE audit_events ATTACH PARTITION %s FOR VALUES FROM ('%s') TO ('%s')`,
		id, m.lo.Format(time.RFC3339), m.hi.Format(time.RFC3339))
	for _, stmt := range append([]string{
		attach,
		`ALTER TABLE ` + id + ` DROP CONSTRAINT ` + pgx.Identifier{table + "_bounds"}.Sanitize(),
		`ALTER TABLE ` + id + ` RENAME TO ` + old,
	}, renames...) {
		if err := exec(stmt); err != nil {
			return err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("seed: commit %s: %w", m.name, err)
	}
	return nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
