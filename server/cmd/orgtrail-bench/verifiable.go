package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/mod/sumdb/note"

	"github.com/orgtrail/orgtrail/server/auditlog"
	"github.com/orgtrail/orgtrail/server/auditlog/verify"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/seed"
)

// BENCH_MODE=log measures the verifiable audit log (issue 11):
//
//	BENCH_MODE=log BENCH_LOG_EVENTS=1000000 go run ./server/cmd/orgtrail-bench
//
// It seeds BENCH_LOG_EVENTS events (1,000,000) into one organization with
// no integrator running, then times one integrator catching up from an empty
// log; reports the tree's storage per event; times inclusion proofs of
// random events (in the log package, and through GraphQL); downloads a
// verification bundle of the last 30 days and times the verifier on it;
// and runs BENCH_LOG_WRITES CreateRole mutations (2,000) from 16 clients
// through GraphQL while sampling the latest checkpoint, to find how long a
// committed event waits for a signed checkpoint.

var (
	signingKeyOnce sync.Once
	signingKey     string
)

// benchSigningKey is the audit signing key of every server the benchmark
// starts, so that they sign one log as replicas would.
func benchSigningKey() string {
	signingKeyOnce.Do(func() {
		var err error
		if signingKey, _, err = auditlog.GenerateKey("orgtrail-bench/orgtrail-audit-log"); err != nil {
			panic(err)
		}
	})
	return signingKey
}

type logReport struct {
	events          int
	seedRate        float64
	integrated      int
	integration     time.Duration
	treeBytes       int64
	tiles, entries  int64
	xidIndexBytes   int64
	proofsDirect    []time.Duration
	proofsGraphQL   []time.Duration
	bundleEvents    int64
	bundleBytes     int
	bundleDownload  time.Duration
	verifyTime      time.Duration
	writes          int
	writeLatencies  []time.Duration
	coverLatencies  []time.Duration
	load            string
	started, finish time.Time
}

func runLog(ctx context.Context, log *slog.Logger) error {
	events, err := envInt("BENCH_LOG_EVENTS", 1_000_000)
	if err != nil {
		return err
	}
	writes, err := envInt("BENCH_LOG_WRITES", 2000)
	if err != nil {
		return err
	}
	rep := &logReport{events: events, writes: writes, started: time.Now(), load: loadAverage()}
	dsn, stopDB, err := openDatabase(ctx, options{databaseURL: os.Getenv("DATABASE_URL"), sharedBuffers: envString("BENCH_SHARED_BUFFERS", "1GB")})
	if err != nil {
		return err
	}
	defer func() {
		if err := stopDB(); err != nil {
			progress("stopping PostgreSQL: %v", err)
		}
	}()
	// The first server migrates and bootstraps the organization; it stops
	// before the events are seeded, so no integrator runs meanwhile.
	srv, err := startServer(ctx, dsn, log, true)
	if err != nil {
		return err
	}
	org := srv.organizationID
	if err := srv.Close(); err != nil {
		return err
	}
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return err
	}
	defer pool.Close()
	progress("seeding %d events", events)
	stats, err := seed.Events(ctx, pool, org, events, seed.Options{Seed: 1})
	if err != nil {
		return err
	}
	rep.seedRate = stats.Rate()
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE audit_events"); err != nil {
		return err
	}

	db, err := database.Open(ctx, dsn, database.Options{StatementTimeout: 10 * time.Minute})
	if err != nil {
		return err
	}
	defer db.Close()
	lg, err := auditlog.New(db, benchSigningKey(), nil, "http://orgtrail-bench", log)
	if err != nil {
		return err
	}
	progress("integrating from an empty log")
	started := time.Now()
	if rep.integrated, err = lg.Integrate(ctx, org); err != nil {
		return err
	}
	rep.integration = time.Since(started)
	progress("  %d events in %s: %.0f events/s", rep.integrated, rep.integration.Round(time.Millisecond), float64(rep.integrated)/rep.integration.Seconds())
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE audit_log_tiles, audit_log_entries, audit_logs"); err != nil {
		return err
	}
	err = pool.QueryRow(ctx, `SELECT pg_total_relation_size('audit_log_tiles') + pg_total_relation_size('audit_log_entries')
			+ pg_total_relation_size('audit_logs'),
		(SELECT count(*) FROM audit_log_tiles), (SELECT count(*) FROM audit_log_entries),
		(SELECT coalesce(sum(pg_relation_size(relid)), 0) FROM pg_partition_tree('audit_events_xid_id_idx'))`).
		Scan(&rep.treeBytes, &rep.tiles, &rep.entries, &rep.xidIndexBytes)
	if err != nil {
		return err
	}

	// Random events, for proofs.
	rows, err := pool.Query(ctx, `SELECT id, occurred_at FROM audit_events TABLESAMPLE SYSTEM (1) WHERE organization_id = $1 LIMIT 1000`, org)
	if err != nil {
		return err
	}
	type sample struct {
		id uuid.UUID
		at time.Time
	}
	var samples []sample
	for rows.Next() {
		var s sample
		if err := rows.Scan(&s.id, &s.at); err != nil {
			return err
		}
		samples = append(samples, s)
	}
	rows.Close()
	progress("timing %d inclusion proofs in the log package", len(samples))
	for _, s := range samples {
		t := time.Now()
		seq, err := lg.Sequence(ctx, org, s.id.String(), s.at)
		if err != nil || seq == nil {
			return fmt.Errorf("sequence of %s: %v", s.id, err)
		}
		if _, err := lg.ProveInclusion(ctx, org, *seq, 0); err != nil {
			return err
		}
		rep.proofsDirect = append(rep.proofsDirect, time.Since(t))
	}

	srv, err = startServer(ctx, dsn, log, true)
	if err != nil {
		return err
	}
	defer srv.Close()
	client := newGraphQLClient(srv)
	progress("timing %d inclusion proofs through GraphQL", len(samples))
	for _, s := range samples {
		t := time.Now()
		a, err := client.post(ctx, `query($id: ID!) { auditEvent(id: $id) { sequence inclusionProof { treeSize hashes } } }`,
			map[string]any{"id": s.id.String()}, nil)
		if err != nil || a.code != "" {
			return fmt.Errorf("auditEvent: %v %s", err, a.message)
		}
		rep.proofsGraphQL = append(rep.proofsGraphQL, time.Since(t))
	}

	progress("downloading the bundle of the last 30 days")
	t := time.Now()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.url+auditlog.BundlePath+"?range=LAST_30_DAYS", nil)
	req.Header.Set("Authorization", "Bearer "+srv.apiKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		return fmt.Errorf("bundle: %d %v %.200s", resp.StatusCode, err, body)
	}
	rep.bundleDownload, rep.bundleBytes = time.Since(t), len(body)
	keys, err := keysOf(srv.url)
	if err != nil {
		return err
	}
	t = time.Now()
	vr, err := verify.Bundle(bytes.NewReader(body), verify.Options{Keys: keys})
	if err != nil {
		return fmt.Errorf("the bundle does not verify: %w", err)
	}
	rep.verifyTime, rep.bundleEvents = time.Since(t), vr.Entries
	progress("  %d events, %d bytes, downloaded in %s, verified in %s", vr.Entries, len(body), rep.bundleDownload, rep.verifyTime)

	if err := measureCoverage(ctx, srv, client, pool, org, rep); err != nil {
		return err
	}
	rep.finish = time.Now()
	rep.write(os.Stdout)
	return nil
}

func keysOf(base string) ([]note.Verifier, error) {
	resp, err := http.Get(base + auditlog.PublicKeyPath)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	text, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return verify.ParseKeys(string(text))
}

// measureCoverage runs the write load and samples the latest checkpoint's
// size every 10 ms; an event's wait is from its occurredAt (before its
// commit, so the figure errs long) to the first sample covering it.
func measureCoverage(ctx context.Context, srv *server, client *graphQLClient, pool *pgxpool.Pool, org uuid.UUID, rep *logReport) error {
	type point struct {
		at   time.Time
		size int64
	}
	var points []point
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Go(func() {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			var size int64
			if err := pool.QueryRow(ctx, `SELECT size FROM audit_logs WHERE organization_id = $1`, org).Scan(&size); err == nil {
				points = append(points, point{time.Now(), size})
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	startedAt := time.Now()
	progress("running %d CreateRole mutations from 16 clients through GraphQL", rep.writes)
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for c := range 16 {
		wg.Go(func() {
			for i := c; i < rep.writes; i += 16 {
				t := time.Now()
				a, err := client.post(ctx, `mutation($n: String!) { createRole(input: {name: $n, permissions: ["audit_log:read"]}) { role { id } } }`,
					map[string]any{"n": fmt.Sprintf("coverage %d", i)}, nil)
				if err != nil || a.code != "" {
					errs <- fmt.Errorf("createRole: %v %s", err, a.message)
					return
				}
				mu.Lock()
				rep.writeLatencies = append(rep.writeLatencies, time.Since(t))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	// Wait for the log to cover them all, then stop sampling.
	deadline := time.Now().Add(time.Minute)
	for {
		var size, stored int64
		if err := pool.QueryRow(ctx, `SELECT (SELECT size FROM audit_logs WHERE organization_id = $1),
			(SELECT count(*) FROM audit_events WHERE organization_id = $1)`, org).Scan(&size, &stored); err != nil {
			return err
		}
		if size == stored || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(stop)
	sampler.Wait()
	lg, err := database.Open(ctx, pool.Config().ConnString(), database.Options{})
	if err != nil {
		return err
	}
	defer lg.Close()
	log, err := auditlog.New(lg, benchSigningKey(), nil, srv.url, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	rows, err := pool.Query(ctx, `SELECT id, occurred_at FROM audit_events WHERE organization_id = $1 AND occurred_at >= $2
		AND action = 'CREATED_ROLE' AND resource_name LIKE 'coverage %'`, org, startedAt.Add(-time.Second))
	if err != nil {
		return err
	}
	type ev struct {
		id uuid.UUID
		at time.Time
	}
	var evs []ev
	for rows.Next() {
		var e ev
		if err := rows.Scan(&e.id, &e.at); err != nil {
			return err
		}
		evs = append(evs, e)
	}
	rows.Close()
	for _, e := range evs {
		seq, err := log.Sequence(ctx, org, e.id.String(), e.at)
		if err != nil || seq == nil {
			return fmt.Errorf("event %s not sequenced: %v", e.id, err)
		}
		i := sort.Search(len(points), func(i int) bool { return points[i].size > *seq })
		if i == len(points) {
			return fmt.Errorf("event %s (sequence %d) never covered while sampled", e.id, *seq)
		}
		rep.coverLatencies = append(rep.coverLatencies, points[i].at.Sub(e.at))
	}
	return nil
}

func (r *logReport) write(out io.Writer) {
	rate := func(n int64, d time.Duration) string { return thousands(int(float64(n)/d.Seconds())) + " events/s" }
	fmt.Fprintf(out, "## Verifiable audit log (BENCH_MODE=log)\n\n")
	fmt.Fprintf(out, "Machine: %s. Run %s in %s (load average %s). %s events seeded into one organization (%s events/s).\n\n",
		machine(), r.started.UTC().Format("2006-01-02 15:04 UTC"), r.finish.Sub(r.started).Round(time.Second), r.load,
		thousands(r.events), thousands(int(r.seedRate)))
	fmt.Fprintln(out, "| metric | figure | target | ok? |")
	fmt.Fprintln(out, "|---|---:|---|:-:|")
	intRate := float64(r.integrated) / r.integration.Seconds()
	fmt.Fprintf(out, "| Integration from an empty log (%s events) | %s (%s) | ≥ 20,000 events/s | %s |\n",
		thousands(r.integrated), rate(int64(r.integrated), r.integration), r.integration.Round(time.Millisecond), okMark(intRate >= 20000))
	c99 := percentile(r.coverLatencies, 99)
	fmt.Fprintf(out, "| Committed event → signed checkpoint, 16 clients (%d events) | p50 %s, p99 %s, max %s | p99 ≤ 2 s | %s |\n",
		len(r.coverLatencies), fmtDuration(percentile(r.coverLatencies, 50)), fmtDuration(c99), fmtDuration(percentile(r.coverLatencies, 100)), okMark(c99 <= 2*time.Second))
	fmt.Fprintf(out, "| CreateRole through GraphQL meanwhile | p50 %s, p99 %s |  |  |\n",
		fmtDuration(percentile(r.writeLatencies, 50)), fmtDuration(percentile(r.writeLatencies, 99)))
	p95 := percentile(r.proofsGraphQL, 95)
	fmt.Fprintf(out, "| Inclusion proof through GraphQL, %s events (%d random) | p50 %s, p95 %s | p95 ≤ 10 ms at 10 M | %s |\n",
		thousands(r.integrated), len(r.proofsGraphQL), fmtDuration(percentile(r.proofsGraphQL, 50)), fmtDuration(p95), okMark(p95 <= 10*time.Millisecond))
	fmt.Fprintf(out, "| Inclusion proof in the log package (no HTTP) | p50 %s, p95 %s |  |  |\n",
		fmtDuration(percentile(r.proofsDirect, 50)), fmtDuration(percentile(r.proofsDirect, 95)))
	vRate := float64(r.bundleEvents) / r.verifyTime.Seconds()
	fmt.Fprintf(out, "| `orgtrail verify` of a bundle (%s events, last 30 days, %s bytes/event) | %s | ≥ 100,000 events/s | %s |\n",
		thousands(int(r.bundleEvents)), thousands(r.bundleBytes/max(int(r.bundleEvents), 1)), rate(r.bundleEvents, r.verifyTime), okMark(vRate >= 100000))
	fmt.Fprintf(out, "| Bundle download (server side) | %s |  |  |\n", rate(r.bundleEvents, r.bundleDownload))
	perEvent := float64(r.treeBytes) / float64(r.integrated)
	fmt.Fprintf(out, "| Tree storage: tiles (%s rows) + entries (%s rows) + log rows | %.1f B/event | ≤ 100 B/event | %s |\n",
		thousands(int(r.tiles)), thousands(int(r.entries)), perEvent, okMark(perEvent <= 100))
	fmt.Fprintf(out, "| audit_events (organization_id, xid, id) index, write side | %.1f B/event |  |  |\n",
		float64(r.xidIndexBytes)/float64(r.events))
}
