// Command orgtrail-bench measures the audit log at size: how fast events can
// be seeded, how fast the Audit Log tab's queries answer through the real
// GraphQL endpoint, and what writing the audit row costs a mutation. It
// prints a Markdown report on standard output and its progress on standard
// error. `make bench` runs it.
//
// It starts a throwaway PostgreSQL cluster of its own, unless DATABASE_URL
// names a database, which it then migrates and fills: point it only at a
// database made for the purpose. Everything it starts listens on 127.0.0.1
// and stops when it ends.
//
// BENCH_MODE=hostile runs another measurement instead, one tenant's worst
// requests against another's simple query (`make bench-hostile`, see
// hostile.go); BENCH_MODE=log measures the verifiable audit log (`make
// bench-log`, see verifiable.go); BENCH_MODE=export measures the audit log
// export (`make bench-export`, see export.go); BENCH_MODE=streams measures
// log streams (`make bench-streams`, see streams.go); BENCH_MODE=replicas
// measures two servers behind HAProxy and a read replica (`make
// bench-replicas`, see replicas.go).
//
// Environment (all optional):
//
//	BENCH_MODE            "hostile" for the hostile tenant benchmark, "tail"
//	                      for the live tail (tail.go)
//	DATABASE_URL          a throwaway database to use instead of starting a cluster
//	BENCH_EVENTS          events in the measured organization (200000)
//	BENCH_OTHER_EVENTS    events spread over the other organizations (BENCH_EVENTS)
//	BENCH_ORGS            number of other organizations (999)
//	BENCH_REQUESTS        requests per read measurement (200)
//	BENCH_DEPTH           rows before the deep page (100000, at most half the events)
//	BENCH_WRITES          mutations per variant and concurrency level (1000)
//	BENCH_TIME_LIMIT      time cap of each measurement (60s)
//	BENCH_SHARED_BUFFERS  shared_buffers of the throwaway cluster (1GB)
//	BENCH_SEED            seed of the generated data (1)
//	BENCH_LOG_WAIT        longest wait for the verifiable log to sequence the seeded events before the reads (30m; 0 skips)
//	BENCH_PROFILE         a directory for CPU and allocation profiles of the reads and the throughput
//	BENCH_SPA_OPERATION   the frontend's query that lists audit events (AuditEventBatch)
//	BENCH_THROUGHPUT_CLIENTS, BENCH_THROUGHPUT_TIME  the mutation throughput measurement (16, 20s)
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

// options is the benchmark's scale, read from the environment.
type options struct {
	databaseURL   string
	events        int
	otherEvents   int
	orgs          int
	requests      int
	depth         int
	writes        int
	timeLimit     time.Duration
	sharedBuffers string
	seed          uint64
}

func optionsFromEnv() (options, error) {
	c := options{
		databaseURL:   os.Getenv("DATABASE_URL"),
		sharedBuffers: envString("BENCH_SHARED_BUFFERS", "1GB"),
	}
	var err error
	ints := []struct {
		name string
		dst  *int
		def  int
	}{
		{"BENCH_EVENTS", &c.events, 200_000},
		{"BENCH_ORGS", &c.orgs, 999},
		{"BENCH_REQUESTS", &c.requests, 200},
		{"BENCH_DEPTH", &c.depth, 100_000},
		{"BENCH_WRITES", &c.writes, 1000},
	}
	for _, v := range ints {
		if *v.dst, err = envInt(v.name, v.def); err != nil {
			return c, err
		}
	}
	if c.otherEvents, err = envInt("BENCH_OTHER_EVENTS", c.events); err != nil {
		return c, err
	}
	seed, err := envInt("BENCH_SEED", 1)
	if err != nil {
		return c, err
	}
	c.seed = uint64(seed)
	if c.timeLimit, err = time.ParseDuration(envString("BENCH_TIME_LIMIT", "60s")); err != nil || c.timeLimit <= 0 {
		return c, fmt.Errorf("BENCH_TIME_LIMIT must be a positive duration such as 60s")
	}
	if c.events < 1000 || c.requests < 1 || c.writes < 1 || c.orgs < 0 || c.otherEvents < 0 {
		return c, fmt.Errorf("BENCH_EVENTS must be at least 1000, BENCH_REQUESTS and BENCH_WRITES at least 1")
	}
	c.depth = min(c.depth, c.events/2)
	return c, nil
}

func envString(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envInt(name string, def int) (int, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s must be a non-negative integer, not %q", name, v)
	}
	return n, nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := run(ctx, log); err != nil {
		fmt.Fprintf(os.Stderr, "orgtrail-bench: %v\n", err)
		os.Exit(1)
	}
}

// progress reports what the benchmark is doing, on standard error.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func run(ctx context.Context, log *slog.Logger) error {
	switch mode := os.Getenv("BENCH_MODE"); mode {
	case "":
	case "hostile":
		return runHostile(ctx, log)
	case "log":
		return runLog(ctx, log)
	case "tail":
		return runTail(ctx, log)
	case "export":
		return runExport(ctx, log)
	case "streams":
		return runStreams(ctx, log)
	case "replicas":
		return runReplicas(ctx)
	default:
		return fmt.Errorf("BENCH_MODE must be empty, hostile, log, tail, export, streams or replicas, not %q", mode)
	}
	cfg, err := optionsFromEnv()
	if err != nil {
		return err
	}
	rep := &report{started: time.Now(), cfg: cfg, loadAverage: loadAverage()}
	if err := loadSPAQuery(); err != nil {
		return err
	}

	dsn, stopDB, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if err := stopDB(); err != nil {
			progress("stopping PostgreSQL: %v", err)
		}
	}()

	srv, err := startServer(ctx, dsn, log, true)
	if err != nil {
		return err
	}
	defer srv.Close()
	// A second instance reaches PostgreSQL through a proxy that counts
	// statements, so the timed requests go the direct way.
	counter, err := newStatementCounter(ctx, dsn)
	if err != nil {
		return err
	}
	defer counter.Close()
	counted, err := startServer(ctx, counter.DSN(), log, false)
	if err != nil {
		return err
	}
	defer counted.Close()
	counted.apiKey = srv.apiKey

	db, err := newBenchDB(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.prepare(ctx, cfg, srv.organizationID, rep); err != nil {
		return err
	}

	if err := measureReads(ctx, cfg, srv, counted, counter, db, rep); err != nil {
		return err
	}
	rep.rss = processMemory()
	progress("memory after the reads: %s", rep.rss)
	if err := measureWrites(ctx, cfg, dsn, db, rep); err != nil {
		return err
	}
	if err := measureThroughput(ctx, srv, rep); err != nil {
		return err
	}
	rep.finished = time.Now()
	return rep.write(os.Stdout)
}
