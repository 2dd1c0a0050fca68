// Package leader runs each background job on exactly one replica at a time.
//
// Any number of `orgtrail serve` processes share one database. Every one of
// them registers every background job with its Jobs; for each job, exactly
// one process runs it, and when that process dies another picks it up within
// seconds. This is the one place that decides it: a job adds no locking of
// its own to be "singleton".
//
// Using it:
//
//	jobs := leader.New(sqlDB, databaseURL, leader.Options{Log: log})
//	jobs.Go("mail-outbox", outbox.Run)        // any func(ctx context.Context)
//	jobs.Go("log-stream-deliverer", d.Run)
//	registry.MustRegister(jobs)              // orgtrail_job_leader in /metrics
//	...
//	jobs.Close()                             // stops every job, then lets go
//
// The function is the job's whole loop, as it would be run in its own
// goroutine for the life of the server: it runs while this process holds the
// job and must return soon after its context ends. If it returns early it is
// started again after a pause. The name is the job's identity across
// replicas and versions: keep it stable, and give different jobs different
// names.
//
// How: each job has a dedicated PostgreSQL connection (outside the pool,
// application_name "orgtrail <instance>") on which its replica tries a
// session-level advisory lock, pg_try_advisory_lock(namespace, hash(name)),
// every Options.Retry. The holder runs the job, reads its connection in
// between (so it hears at once when PostgreSQL ends the session) and pings
// it every Options.Check; the job is stopped when either fails.
//
// What is promised: a holder that stops (Close) returns from the job before
// it lets the lock go, and a holder whose process dies (a crash, SIGKILL,
// the OOM killer) runs nothing any more when PostgreSQL releases its lock,
// which it does at once, as the connection closes: the next replica's
// attempt takes the job within Options.Retry, and two never run it together.
// When the session ends while its holder lives (pg_terminate_backend, a
// restarted pooler), PostgreSQL frees the lock a moment before the holder
// hears of it, and a successor may start in that moment. When only the
// network breaks, the holder stops at its first failed ping, and PostgreSQL
// frees the lock only after the TCP keepalive (about 25 s, set on the
// connection): nobody runs the job meanwhile, unless the holder was paused
// longer than that. The jobs therefore stay safe to run concurrently, as
// they were before this package (row locks, leases, idempotent DDL): the
// lock makes them run once, their own care makes a rare overlap harmless.
//
// Connection poolers: session-level advisory locks need a session. Behind
// PgBouncer in transaction mode, point DATABASE_URL at PostgreSQL itself (or
// at a session-mode pool).
//
// Visibility: Jobs is a prometheus.Collector. On every scrape it reads from
// pg_locks which instance holds each job, so every replica's /metrics shows
// the same, database-wide answer:
//
//	orgtrail_job_leader{job="mail-outbox",instance="web-1/4242/K7QX2M"} 1
//	orgtrail_job_running{job="mail-outbox"} 1   (this process runs it)
package leader

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"hash/fnv"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
)

// namespace is the first key of every job's advisory lock ("ORGT"), so the
// jobs' locks cannot collide with another use of the two-key form.
const namespace int32 = 0x4f524754

// appNamePrefix starts the application_name of every job connection; the
// instance follows.
const appNamePrefix = "orgtrail "

// Options tune Jobs.
type Options struct {
	// Instance names this process in /metrics and pg_stat_activity; default
	// "<hostname>/<pid>/<random>" (the random part tells apart two servers in
	// one process, and a restarted process that got the same pid).
	Instance string
	// Retry is how often a replica that does not hold a job tries to take
	// it, and how long it waits before reconnecting after an error; it
	// bounds the takeover after a holder dies. Default 1 s.
	Retry time.Duration
	// Check is how often the holder pings its connection. Default 1 s.
	Check time.Duration
	// Log receives errors and changes of holder.
	Log *slog.Logger
}

// Jobs runs background jobs, each on one replica at a time.
type Jobs struct {
	db   *sql.DB
	dsn  string
	opts Options

	ctx    context.Context
	cancel context.CancelFunc
	done   sync.WaitGroup

	mu      sync.Mutex
	names   map[uint32]string // lock key → job name
	running map[string]bool   // jobs this process runs now

	leaderDesc, runningDesc *prometheus.Desc
}

// New returns Jobs that lock through connections to dsn and read who holds
// what through db (the server's pool, for /metrics). Close stops it.
func New(db *sql.DB, dsn string, opts Options) *Jobs {
	if opts.Instance == "" {
		host, _ := os.Hostname()
		opts.Instance = fmt.Sprintf("%s/%d/%s", host, os.Getpid(), rand.Text()[:6])
	}
	// The instance travels in application_name, which PostgreSQL cuts at
	// 63 bytes: cut it here, so /metrics and Instance agree.
	opts.Instance = truncate(opts.Instance, 63-len(appNamePrefix))
	if opts.Retry <= 0 {
		opts.Retry = time.Second
	}
	if opts.Check <= 0 {
		opts.Check = time.Second
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Jobs{db: db, dsn: dsn, opts: opts, ctx: ctx, cancel: cancel,
		names: map[uint32]string{}, running: map[string]bool{},
		leaderDesc: prometheus.NewDesc("orgtrail_job_leader",
			"1 for the instance that holds each background job, as the database sees it (the same on every replica).",
			[]string{"job", "instance"}, nil),
		runningDesc: prometheus.NewDesc("orgtrail_job_running",
			"1 when this process runs the background job now, 0 when another replica (or nobody) does.",
			[]string{"job"}, nil),
	}
}

// Instance is the name this process holds jobs under.
func (j *Jobs) Instance() string { return j.opts.Instance }

// key is the second key of job's advisory lock.
func key(job string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(job))
	return h.Sum32()
}

// Go runs job under name on whichever replica holds it, from now until
// Close. It panics on a name already registered or one whose lock key
// collides with another's: both are programming errors.
func (j *Jobs) Go(name string, job func(ctx context.Context)) {
	k := key(name)
	j.mu.Lock()
	if other, ok := j.names[k]; ok {
		j.mu.Unlock()
		panic(fmt.Sprintf("leader: job %q registered twice or colliding with %q", name, other))
	}
	j.names[k] = name
	j.running[name] = false
	j.mu.Unlock()
	j.done.Go(func() { j.contend(name, k, job) })
}

// Close stops every job this process runs, waits for them to return, and
// releases their locks (another replica takes them within Options.Retry).
func (j *Jobs) Close() {
	j.cancel()
	j.done.Wait()
}

// Running reports whether this process runs job now.
func (j *Jobs) Running(job string) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.running[job]
}

func (j *Jobs) setRunning(job string, on bool) {
	j.mu.Lock()
	j.running[job] = on
	j.mu.Unlock()
}

// contend connects, takes the lock when it is free, runs the job while it
// holds it, and starts over after any error, until Close.
func (j *Jobs) contend(name string, k uint32, job func(ctx context.Context)) {
	log := j.opts.Log.With("job", name, "instance", j.opts.Instance)
	var lastErr string
	for j.ctx.Err() == nil {
		err := j.session(name, k, job, log)
		if err != nil && j.ctx.Err() == nil && err.Error() != lastErr {
			// Logged once per distinct error, not on every retry.
			lastErr = err.Error()
			log.Warn("background job: cannot reach the database to hold the job; retrying", "err", err)
		}
		if err == nil {
			lastErr = ""
		}
		j.sleep(j.opts.Retry)
	}
}

// session is one connection's life: wait for the lock, hold it, run.
func (j *Jobs) session(name string, k uint32, job func(ctx context.Context), log *slog.Logger) error {
	conn, err := j.connect()
	if err != nil {
		return err
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = conn.Close(ctx) // closing the session releases the lock
	}()
	for {
		var held bool
		if err := j.query(conn, &held, `SELECT pg_try_advisory_lock($1, $2)`, namespace, int32(k)); err != nil {
			return err
		}
		if held {
			break
		}
		if !j.sleep(j.opts.Retry) {
			return nil
		}
	}
	log.Info("background job: this instance holds it")
	err = j.hold(conn, name, job)
	log.Info("background job: this instance let it go", "reason", reason(err, j.ctx))
	return err
}

func reason(err error, ctx context.Context) string {
	if err != nil {
		return err.Error()
	}
	if ctx.Err() != nil {
		return "stopping"
	}
	return "done"
}

// hold runs job while conn answers; the lock is released by the caller
// closing conn, after the job has returned.
func (j *Jobs) hold(conn *pgx.Conn, name string, job func(ctx context.Context)) error {
	ctx, cancel := context.WithCancel(j.ctx)
	defer cancel()
	var returned chan struct{} // nil while the job is not running
	start := func() {
		returned = make(chan struct{})
		done := returned
		go func() {
			defer close(done)
			job(ctx)
		}()
	}
	stop := func() {
		cancel()
		if returned != nil {
			<-returned
		}
	}
	j.setRunning(name, true)
	defer j.setRunning(name, false)
	start()
	var restartAt time.Time
	for {
		// Between checks the connection is read, so the end of the session
		// (pg_terminate_backend, a server shutting down: PostgreSQL says so
		// before closing) stops the job at once, not at the next ping.
		if err := j.idle(conn); err != nil {
			stop()
			if j.ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("lost the connection that holds the job: %w", err)
		}
		// A network that broke without a word shows only to a ping.
		var one int
		if err := j.query(conn, &one, `SELECT 1`); err != nil {
			stop()
			if j.ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("lost the connection that holds the job: %w", err)
		}
		select {
		case <-returned:
			// The job ended by itself: run it again after a pause, still
			// holding the lock.
			returned = nil
			restartAt = time.Now().Add(j.opts.Retry)
		default:
		}
		if returned == nil && time.Now().After(restartAt) {
			start()
		}
	}
}

// idle reads conn for Options.Check, or until Close, and reports an error
// if the session ended meanwhile.
func (j *Jobs) idle(conn *pgx.Conn) error {
	ctx, cancel := context.WithTimeout(j.ctx, j.opts.Check)
	defer cancel()
	err := conn.PgConn().WaitForNotification(ctx)
	if err == nil || ctx.Err() != nil && !conn.IsClosed() {
		return j.ctx.Err() // a notification, or quiet: alive
	}
	return err
}

// query runs one bounded statement on conn.
func (j *Jobs) query(conn *pgx.Conn, dest any, sql string, args ...any) error {
	ctx, cancel := context.WithTimeout(j.ctx, 5*time.Second)
	defer cancel()
	return conn.QueryRow(ctx, sql, args...).Scan(dest)
}

// connect opens a job's dedicated connection. TCP keepalives make the server
// end the session, and so release the lock, when the network to a holder
// breaks without a word.
func (j *Jobs) connect() (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(j.dsn)
	if err != nil {
		return nil, fmt.Errorf("leader: database URL: %w", err)
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["application_name"] = appNamePrefix + j.opts.Instance
	cfg.RuntimeParams["tcp_keepalives_idle"] = "10"
	cfg.RuntimeParams["tcp_keepalives_interval"] = "5"
	cfg.RuntimeParams["tcp_keepalives_count"] = "3"
	cfg.ConnectTimeout = 5 * time.Second
	return pgx.ConnectConfig(j.ctx, cfg)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// sleep waits d, or less if Close is called; it reports whether to go on.
func (j *Jobs) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-j.ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Holders returns, for each job registered here that someone holds, the
// instance holding it, as the database sees it now.
func (j *Jobs) Holders(ctx context.Context) (map[string]string, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT l.objid::int8, a.application_name
		FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid::int8 = $1
		  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`, int64(namespace))
	if err != nil {
		return nil, fmt.Errorf("leader: read the holders of jobs: %w", err)
	}
	defer rows.Close()
	j.mu.Lock()
	defer j.mu.Unlock()
	holders := map[string]string{}
	for rows.Next() {
		var objid int64
		var app string
		if err := rows.Scan(&objid, &app); err != nil {
			return nil, err
		}
		if name, ok := j.names[uint32(objid)]; ok {
			holders[name] = strings.TrimPrefix(app, appNamePrefix)
		}
	}
	return holders, rows.Err()
}

// Describe implements prometheus.Collector.
func (j *Jobs) Describe(ch chan<- *prometheus.Desc) {
	ch <- j.leaderDesc
	ch <- j.runningDesc
}

// Collect implements prometheus.Collector. When the database cannot be read
// the leader series are left out of this scrape.
func (j *Jobs) Collect(ch chan<- prometheus.Metric) {
	j.mu.Lock()
	for name, on := range j.running {
		v := 0.0
		if on {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(j.runningDesc, prometheus.GaugeValue, v, name)
	}
	j.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	holders, err := j.Holders(ctx)
	if err != nil {
		j.opts.Log.Warn("metrics: cannot read which instance holds each background job", "err", err)
		return
	}
	for name, instance := range holders {
		ch <- prometheus.MustNewConstMetric(j.leaderDesc, prometheus.GaugeValue, 1, name, instance)
	}
}
