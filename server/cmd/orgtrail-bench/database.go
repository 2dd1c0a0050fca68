package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/localpg"
	"github.com/orgtrail/orgtrail/server/seed"
)

// benchDatabase is the database the throwaway cluster serves.
const benchDatabase = "orgtrail_bench"

var sizeSetting = regexp.MustCompile(`^[0-9]+(kB|MB|GB)$`)

// openDatabase returns the database to benchmark: DATABASE_URL when set,
// else a database on a throwaway cluster in a temporary directory that stop
// shuts down and removes. The cluster is durable (fsync and synchronous
// commit on), so writes cost what they cost in production.
func openDatabase(ctx context.Context, cfg options) (dsn string, stop func() error, err error) {
	if cfg.databaseURL != "" {
		progress("using DATABASE_URL")
		return cfg.databaseURL, func() error { return nil }, nil
	}
	if !sizeSetting.MatchString(cfg.sharedBuffers) {
		return "", nil, fmt.Errorf("BENCH_SHARED_BUFFERS must look like 512MB or 1GB, not %q", cfg.sharedBuffers)
	}
	dir, err := os.MkdirTemp("", "orgtrail-bench-")
	if err != nil {
		return "", nil, err
	}
	removeDir := func() error { return os.RemoveAll(dir) }
	// An ephemeral cluster is this process's child and dies with it. Its
	// speed settings are then turned back to PostgreSQL's defaults, which
	// postgresql.auto.conf applies over the ones localpg writes.
	opts := localpg.Options{Dir: filepath.Join(dir, "data"), Ephemeral: true, Logf: progress}
	cluster, err := localpg.Start(ctx, opts)
	if err != nil {
		return "", nil, errors.Join(err, removeDir())
	}
	settings := []string{
		"ALTER SYSTEM SET fsync = on",
		"ALTER SYSTEM SET synchronous_commit = on",
		"ALTER SYSTEM SET full_page_writes = on",
		"ALTER SYSTEM SET shared_buffers = '" + cfg.sharedBuffers + "'",
		"ALTER SYSTEM SET max_wal_size = '4GB'",
	}
	if err := execAll(ctx, cluster.URL("postgres"), settings); err != nil {
		return "", nil, errors.Join(err, cluster.Stop(), removeDir())
	}
	if err := cluster.Stop(); err != nil {
		return "", nil, errors.Join(err, removeDir())
	}
	if cluster, err = localpg.Start(ctx, opts); err != nil {
		return "", nil, errors.Join(err, removeDir())
	}
	stop = func() error { return errors.Join(cluster.Stop(), removeDir()) }
	if err := cluster.EnsureDatabase(ctx, benchDatabase); err != nil {
		return "", nil, errors.Join(err, stop())
	}
	return cluster.URL(benchDatabase), stop, nil
}

func execAll(ctx context.Context, dsn string, statements []string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for _, s := range statements {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// benchDB is the benchmark's own connection to the database, for seeding
// and for looking at what it wrote.
type benchDB struct {
	pool      *pgxpool.Pool
	mainOrg   uuid.UUID
	writesOrg uuid.UUID
	byAction  map[audit.Action]int
	// retentionDays is the measured organization's audit retention, which
	// the server's listing applies.
	retentionDays int
}

func newBenchDB(ctx context.Context, dsn string) (*benchDB, error) {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	return &benchDB{pool: pool}, nil
}

// Close closes the pool.
func (db *benchDB) Close() { db.pool.Close() }

// prepare creates the other organizations, seeds the events, and vacuums
// and analyzes the database, as autovacuum would have in production.
func (db *benchDB) prepare(ctx context.Context, cfg options, mainOrg uuid.UUID, rep *report) error {
	db.mainOrg = mainOrg
	var existing int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE organization_id = $1`, mainOrg).Scan(&existing); err != nil {
		return fmt.Errorf("count events: %w", err)
	}
	if err := db.pool.QueryRow(ctx, `SELECT audit_retention_days FROM organizations WHERE id = $1`, mainOrg).Scan(&db.retentionDays); err != nil {
		return fmt.Errorf("read retention: %w", err)
	}
	if existing > 100 {
		return fmt.Errorf("organization %q already has %d audit events: point DATABASE_URL at an empty database", benchOrganization, existing)
	}

	names := []string{"Write Benchmark Inc"}
	for i := range cfg.orgs {
		names = append(names, fmt.Sprintf("Tenant %04d", i+1))
	}
	progress("creating %d organizations", len(names))
	orgs, err := createOrganizations(ctx, db.pool, names)
	if err != nil {
		return err
	}
	db.writesOrg, orgs = orgs[0], orgs[1:]

	progress("seeding %d events into %s", cfg.events, benchOrganization)
	opts := seed.Options{Seed: cfg.seed}
	stats, err := seed.Events(ctx, db.pool, mainOrg, cfg.events, opts)
	if err != nil {
		return err
	}
	db.byAction = stats.ByAction
	rep.seedMain = stats
	progress("  %d events in %s (%.0f events/s); %v", stats.Events, stats.Elapsed.Round(time.Millisecond), stats.Rate(), stats.Phases)

	if len(orgs) > 0 && cfg.otherEvents > 0 {
		progress("seeding %d events across %d other organizations", cfg.otherEvents, len(orgs))
		stats, err := seed.EventsAcrossOrganizations(ctx, db.pool, orgs, cfg.otherEvents, opts)
		if err != nil {
			return err
		}
		rep.seedOthers = stats
		progress("  %d events in %s (%.0f events/s)", stats.Events, stats.Elapsed.Round(time.Millisecond), stats.Rate())
	}

	progress("VACUUM ANALYZE")
	started := time.Now()
	if _, err := db.pool.Exec(ctx, `VACUUM (ANALYZE)`); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	rep.vacuum = time.Since(started)
	if err := db.waitForLog(ctx); err != nil {
		return err
	}
	if err := db.describe(ctx, rep); err != nil {
		return err
	}
	return nil
}

// createOrganizations inserts one organization, each in an account of its
// own, per name, the way migrations/00001 lays them out.
func createOrganizations(ctx context.Context, pool *pgxpool.Pool, names []string) ([]uuid.UUID, error) {
	accounts := make([]string, len(names))
	ids := make([]uuid.UUID, len(names))
	orgs := make([]string, len(names))
	for i := range names {
		accounts[i] = uuid.NewString()
		ids[i] = uuid.New()
		orgs[i] = ids[i].String()
	}
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO accounts (id) SELECT unnest($1::uuid[])`, accounts); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO organizations (id, account_id, name)
			SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])`, orgs, accounts, names)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create organizations: %w", err)
	}
	return ids, nil
}

// describe records the server, its settings and the audit table's size.
func (db *benchDB) describe(ctx context.Context, rep *report) error {
	err := db.pool.QueryRow(ctx, `SELECT current_setting('server_version'), current_setting('shared_buffers'),
		current_setting('fsync'), current_setting('synchronous_commit')`).
		Scan(&rep.pgVersion, &rep.sharedBuffers, &rep.fsync, &rep.syncCommit)
	if err != nil {
		return fmt.Errorf("read settings: %w", err)
	}
	err = db.pool.QueryRow(ctx, `
		SELECT coalesce(sum(pg_table_size(inhrelid)), 0), coalesce(sum(pg_indexes_size(inhrelid)), 0), count(*)
		FROM pg_inherits WHERE inhparent = 'audit_events'::regclass`).Scan(&rep.tableBytes, &rep.indexBytes, &rep.partitions)
	if err != nil {
		return fmt.Errorf("measure audit_events: %w", err)
	}
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events`).Scan(&rep.totalEvents); err != nil {
		return fmt.Errorf("count audit_events: %w", err)
	}
	rows, err := db.pool.Query(ctx, `
		SELECT pg_get_indexdef(indexrelid) FROM pg_index
		WHERE indrelid = 'audit_events'::regclass ORDER BY indexrelid::regclass::text`)
	if err != nil {
		return fmt.Errorf("list indexes: %w", err)
	}
	rep.indexes, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("list indexes: %w", err)
	}
	return nil
}

// rareActorEmail is the member of the measured organization with the fewest
// events.
func (db *benchDB) rareActorEmail(ctx context.Context) (email string, events int, err error) {
	err = db.pool.QueryRow(ctx, `
		SELECT actor_email, count(*) FROM audit_events
		WHERE organization_id = $1 AND actor_type = 'USER' AND actor_email LIKE '%.example'
		GROUP BY actor_email ORDER BY count(*), actor_email LIMIT 1`, db.mainOrg).Scan(&email, &events)
	if err != nil {
		return "", 0, fmt.Errorf("find a rare actor: %w", err)
	}
	return email, events, nil
}

// resourceID is the id of the connector of the measured organization's
// oldest connector event.
func (db *benchDB) resourceID(ctx context.Context) (id string, events int, err error) {
	err = db.pool.QueryRow(ctx, `
		WITH r AS (
			SELECT resource_id FROM audit_events
			WHERE organization_id = $1 AND resource_type = 'connector'
			ORDER BY occurred_at, id LIMIT 1)
		SELECT r.resource_id, (SELECT count(*) FROM audit_events e WHERE e.organization_id = $1 AND e.resource_id = r.resource_id)
		FROM r`, db.mainOrg).Scan(&id, &events)
	if err != nil {
		return "", 0, fmt.Errorf("find a resource id: %w", err)
	}
	return id, events, nil
}

// pivots are values to pivot on in the measured organization: the request
// id of an event a month old, the address with the fewest events, and the
// /24 network holding it.
func (db *benchDB) pivots(ctx context.Context) (requestID, ip, network string, err error) {
	err = db.pool.QueryRow(ctx, `
		SELECT request_id FROM audit_events WHERE organization_id = $1 AND request_id <> ''
			AND occurred_at < now() - interval '30 days' ORDER BY occurred_at DESC LIMIT 1`, db.mainOrg).Scan(&requestID)
	if err != nil {
		return "", "", "", fmt.Errorf("find a request id: %w", err)
	}
	err = db.pool.QueryRow(ctx, `
		SELECT host(ip_address), network(set_masklen(ip_address, 24))::text FROM audit_events
		WHERE organization_id = $1 AND family(ip_address) = 4
		GROUP BY ip_address ORDER BY count(*), ip_address LIMIT 1`, db.mainOrg).Scan(&ip, &network)
	if err != nil {
		return "", "", "", fmt.Errorf("find a rare address: %w", err)
	}
	return requestID, ip, network, nil
}

// rareAction is the action with the fewest events (at least one) in the
// measured organization, as seeded.
func (db *benchDB) rareAction() (audit.Action, int) {
	var rare audit.Action
	least := 0
	for _, c := range audit.Categories() {
		for _, a := range c.Actions {
			if n := db.byAction[a.Action]; n > 0 && (least == 0 || n < least) {
				rare, least = a.Action, n
			}
		}
	}
	return rare, least
}

// waitForLog waits until the server's verifiable log has sequenced every
// seeded event (BENCH_LOG_WAIT, default 30m, at most; 0 skips the wait). The
// integrator runs in the benchmark's process: measured while it works
// through millions of seeded events, the reads would share the CPU with it
// (a third of the process's CPU at 10 M events, issue 15).
func (db *benchDB) waitForLog(ctx context.Context) error {
	limit, err := time.ParseDuration(envString("BENCH_LOG_WAIT", "30m"))
	if err != nil {
		return fmt.Errorf("BENCH_LOG_WAIT must be a duration such as 30m")
	}
	if limit <= 0 {
		return nil
	}
	var total int64
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events`).Scan(&total); err != nil {
		return fmt.Errorf("count audit_events: %w", err)
	}
	started := time.Now()
	progress("waiting for the verifiable log to sequence %d events", total)
	for {
		var sequenced int64
		if err := db.pool.QueryRow(ctx, `SELECT coalesce(sum(size), 0) FROM audit_logs`).Scan(&sequenced); err != nil {
			return fmt.Errorf("read the logs' size: %w", err)
		}
		if sequenced >= total {
			progress("  sequenced in %s", time.Since(started).Round(time.Second))
			return nil
		}
		if time.Since(started) > limit {
			progress("  %d of %d sequenced after %s: measuring anyway", sequenced, total, limit)
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Second):
		}
	}
}
