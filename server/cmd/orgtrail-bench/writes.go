package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// writeVariant tells apart the two ways the same mutation runs.
type writeVariant int

const (
	withoutAudit writeVariant = iota
	withAudit
)

func (v writeVariant) String() string {
	if v == withAudit {
		return "with audit row"
	}
	return "without audit row"
}

// writeResult is the latency of one variant at one concurrency level.
type writeResult struct {
	clients int
	variant writeVariant
	samples []time.Duration
	// auditInserts times the recorder's INSERT into audit_events alone, in
	// the audited variant.
	auditInserts []time.Duration
}

// insertTimer is a GORM plugin that times each INSERT into audit_events (the
// recorder's own statement, inside the mutation's transaction), to tell a
// spike of the audit row from one of the mutation around it.
type insertTimer struct {
	mu      sync.Mutex
	samples []time.Duration
}

const insertStartedKey = "orgtrail-bench:audit_insert_started"

func (*insertTimer) Name() string { return "orgtrail-bench:audit-insert-timer" }

func (t *insertTimer) Initialize(db *gorm.DB) error {
	err := db.Callback().Create().Before("gorm:create").Register("orgtrail-bench:audit_insert_start", func(tx *gorm.DB) {
		if tx.Statement.Table == "audit_events" {
			tx.InstanceSet(insertStartedKey, time.Now())
		}
	})
	if err != nil {
		return err
	}
	return db.Callback().Create().After("gorm:create").Register("orgtrail-bench:audit_insert_end", func(tx *gorm.DB) {
		if v, ok := tx.InstanceGet(insertStartedKey); ok && tx.Statement.Table == "audit_events" && tx.Error == nil {
			elapsed := time.Since(v.(time.Time))
			t.mu.Lock()
			t.samples = append(t.samples, elapsed)
			t.mu.Unlock()
		}
	})
}

// take returns the samples so far and forgets them.
func (t *insertTimer) take() []time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.samples
	t.samples = nil
	return s
}

// measureWrites measures what the audit row costs a mutation: the role
// service's CreateRole, run on two database handles over the same database,
// one with the audit recorder registered (as the server runs) and one
// without (audit.Audited then writes nothing). Both variants run in the same
// loop, alternating, so that they share the same load and the same state of
// the database.
func measureWrites(ctx context.Context, cfg options, dsn string, db *benchDB, rep *report) error {
	levels := []int{1, 16}
	opts := database.Options{MaxOpenConns: 2 * levels[len(levels)-1]}
	plainDB, err := database.Open(ctx, dsn, opts)
	if err != nil {
		return err
	}
	defer plainDB.Close()
	timer := &insertTimer{}
	opts.Plugins = []gorm.Plugin{audit.Recorder{}, timer}
	auditedDB, err := database.Open(ctx, dsn, opts)
	if err != nil {
		return err
	}
	defer auditedDB.Close()
	// The background merge of the search index's pending list, as `orgtrail
	// serve` runs it.
	mergeCtx, stopMerge := context.WithCancel(ctx)
	defer stopMerge()
	go audit.MergeSearchPending(mergeCtx, plainDB, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	services := [2]*rbac.Service{withoutAudit: rbac.NewService(plainDB), withAudit: rbac.NewService(auditedDB)}

	ctx = audit.WithActor(ctx, audit.Actor{Type: audit.ActorUser, ID: "00000000-0000-0000-0000-00000000be0c",
		Email: "bench@write-benchmark-inc.example", Name: "Bench", OrganizationID: db.writesOrg})
	ctx = audit.WithRequest(ctx, audit.Request{IPAddress: "127.0.0.1", UserAgent: "orgtrail-bench", RequestID: "orgtrail-bench"})

	var created [2]int
	for _, clients := range levels {
		progress("measuring CreateRole with and without its audit row, %s", plural(clients, "client"))
		timer.take()
		results, n, err := runWrites(ctx, cfg, services, db, clients)
		results[withAudit].auditInserts = timer.take()
		created[withoutAudit] += n[withoutAudit]
		created[withAudit] += n[withAudit]
		if err != nil {
			return err
		}
		for _, r := range results {
			progress("  %s: p50 %s, p95 %s, p99 %s, max %s over %d", r.variant, fmtDuration(percentile(r.samples, 50)),
				fmtDuration(percentile(r.samples, 95)), fmtDuration(percentile(r.samples, 99)), fmtDuration(percentile(r.samples, 100)), len(r.samples))
		}
		ins := results[withAudit].auditInserts
		progress("  audit INSERT alone: p50 %s, p95 %s, p99 %s, max %s over %d", fmtDuration(percentile(ins, 50)),
			fmtDuration(percentile(ins, 95)), fmtDuration(percentile(ins, 99)), fmtDuration(percentile(ins, 100)), len(ins))
		rep.writes = append(rep.writes, results...)
	}
	return verifyWrites(ctx, db, created)
}

// runWrites runs cfg.writes mutations of each variant from clients
// goroutines, each alternating between the variants, after a short warm-up.
// It returns the measured results and how many roles each variant created,
// warm-up included.
func runWrites(ctx context.Context, cfg options, services [2]*rbac.Service, db *benchDB, clients int) ([]writeResult, [2]int, error) {
	const warmup = 10
	perClient := (2*cfg.writes + clients - 1) / clients
	deadline := time.Now().Add(cfg.timeLimit)
	samples := make([][2][]time.Duration, clients)
	errs := make([]error, clients)
	created := make([][2]int, clients)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := 0; i < warmup+perClient && time.Now().Before(deadline); i++ {
				v := writeVariant((i + c) % 2)
				cmd := rbac.CreateRoleCommand{
					Name:        fmt.Sprintf("bench %d/%d/%d", clients, c, i),
					Description: "Created by orgtrail-bench",
					Permissions: []rbac.Permission{rbac.AuditLogRead},
					Grantor:     rbac.AllPermissions(),
				}
				started := time.Now()
				_, err := services[v].CreateRole(ctx, db.writesOrg, cmd)
				elapsed := time.Since(started)
				if err != nil {
					errs[c] = fmt.Errorf("CreateRole %s: %w", v, err)
					return
				}
				created[c][v]++
				if i >= warmup {
					samples[c][v] = append(samples[c][v], elapsed)
				}
			}
		})
	}
	wg.Wait()
	results := []writeResult{{clients: clients, variant: withoutAudit}, {clients: clients, variant: withAudit}}
	var n [2]int
	for c := range clients {
		n[withoutAudit] += created[c][withoutAudit]
		n[withAudit] += created[c][withAudit]
		for v := range results {
			results[v].samples = append(results[v].samples, samples[c][v]...)
		}
	}
	return results, n, errors.Join(errs...)
}

// verifyWrites checks that the audited variant wrote exactly one event per
// role and the other none, so that the two differ by the audit row alone.
func verifyWrites(ctx context.Context, db *benchDB, created [2]int) error {
	var roles, events int
	err := db.pool.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM roles WHERE organization_id = $1 AND name LIKE 'bench %'),
		       (SELECT count(*) FROM audit_events WHERE organization_id = $1 AND action = 'CREATED_ROLE')`,
		db.writesOrg).Scan(&roles, &events)
	if err != nil {
		return fmt.Errorf("verify the writes: %w", err)
	}
	if want := created[withoutAudit] + created[withAudit]; roles != want {
		return fmt.Errorf("verify the writes: %d roles in the database, %d created", roles, want)
	}
	if events != created[withAudit] {
		return fmt.Errorf("verify the writes: %d CREATED_ROLE events for %d audited and %d unaudited creations",
			events, created[withAudit], created[withoutAudit])
	}
	return nil
}
