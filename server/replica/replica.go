// Package replica sends the Audit Log's reads to a PostgreSQL streaming
// standby (DATABASE_READ_URL) while every write, and every read that decides
// who may do what, stays on the primary.
//
// One routing point: Reads.For(ctx) returns the database a read of the Audit
// Log should use (nil when there is no standby: use the primary).
// audit.Reader.ReadDB wraps it, and audit.Reader lists through it for
// auditEvents; a new Audit Log read path (the timeline, the export) routes
// itself with one line, `reader.ReadDB(ctx).Conn(ctx)` instead of
// `db.Conn(ctx)`, or by listing through audit.Reader. Nothing else goes to
// the standby: authentication, authorization, the verifiable log's proofs
// and every write read the primary.
//
// Read-your-writes. A standby replays the primary's WAL a little later, so a
// person who just changed something could read an Audit Log without their
// change's event. Middleware remembers the position in the WAL of each
// request's last commit (pg_current_wal_insert_lsn() after it, which is at
// or past the commit record) and hands it to the client: in the cookie
// orgtrail_read_after for browsers, and in the response header
// X-Orgtrail-Read-After, which an API client may send back as a request
// header. A later read carrying it is served by the standby only once the
// standby has replayed that far (pg_last_wal_replay_lsn()), waiting at most
// Options.Wait (200 ms by default), else by the primary. A read without it
// goes to the standby at once. The token is not a secret: a forged one can
// only send its bearer's own reads to the primary, after the wait.
//
// A standby that does not answer is left alone until its next successful
// probe (every second), and reads go to the primary meanwhile. Its lag, in
// bytes of WAL and in seconds, is in /metrics (orgtrail_replica_lag_bytes,
// orgtrail_replica_lag_seconds), with where each read went
// (orgtrail_audit_reads_total{served_by,reason}).
package replica

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/orgtrail/orgtrail/server/database"
)

// Names the read-your-writes token travels under.
const (
	CookieName = "orgtrail_read_after"
	HeaderName = "X-Orgtrail-Read-After"
	// tokenLifetime bounds how long a browser keeps sending the token: a
	// standby more than five minutes behind is broken, not lagging.
	tokenLifetime = 5 * time.Minute
	probeEvery    = time.Second
)

// Options tune Open.
type Options struct {
	// Wait bounds how long a read waits for the standby to replay its
	// client's last write before going to the primary. Default 200 ms.
	Wait time.Duration
	// SecureCookie marks the token cookie Secure (PUBLIC_URL is https).
	SecureCookie bool
	Log          *slog.Logger
}

// Reads routes the Audit Log's reads between the primary and a standby. A
// nil *Reads routes everything to the primary.
type Reads struct {
	primary, standby *database.DB
	opts             Options

	replayed atomic.Uint64 // the standby's replay position, last seen
	up       atomic.Bool

	mu         sync.Mutex
	lagBytes   float64
	lagSeconds float64

	served  *prometheus.CounterVec
	lagB    *prometheus.Desc
	lagS    *prometheus.Desc
	upDesc  *prometheus.Desc
	cancel  context.CancelFunc
	stopped chan struct{}
}

// Open connects to the standby at url, checks that it is one (in recovery),
// and starts probing its replay position every second. Close stops it.
func Open(ctx context.Context, url string, primary *database.DB, opts Options) (*Reads, error) {
	if opts.Wait <= 0 {
		opts.Wait = 200 * time.Millisecond
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	standby, err := database.Open(ctx, url, database.Options{})
	if err != nil {
		return nil, fmt.Errorf("DATABASE_READ_URL: %w", err)
	}
	var inRecovery bool
	if err := standby.Conn(ctx).Raw(`SELECT pg_is_in_recovery()`).Scan(&inRecovery).Error; err != nil {
		standby.Close()
		return nil, fmt.Errorf("DATABASE_READ_URL: %w", err)
	}
	if !inRecovery {
		standby.Close()
		return nil, errors.New("DATABASE_READ_URL is not a standby (pg_is_in_recovery() is false): " +
			"point it at a streaming replica of DATABASE_URL's server, or leave it unset")
	}
	r := &Reads{primary: primary, standby: standby, opts: opts, stopped: make(chan struct{}),
		served: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "orgtrail_audit_reads_total",
			Help: "Audit Log reads by the database that served them (replica, primary) and why.",
		}, []string{"served_by", "reason"}),
		lagB: prometheus.NewDesc("orgtrail_replica_lag_bytes",
			"Bytes of WAL the read replica has yet to replay (primary's position minus the replica's), probed every second.", nil, nil),
		lagS: prometheus.NewDesc("orgtrail_replica_lag_seconds",
			"Age of the last transaction the read replica replayed, while it is behind; 0 when caught up.", nil, nil),
		upDesc: prometheus.NewDesc("orgtrail_replica_up", "1 when the read replica answered its last probe.", nil, nil),
	}
	r.probe(ctx)
	probeCtx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go r.probeLoop(probeCtx)
	return r, nil
}

// Close stops the probe and closes the standby's pool.
func (r *Reads) Close() error {
	if r == nil {
		return nil
	}
	r.cancel()
	<-r.stopped
	return r.standby.Close()
}

func (r *Reads) probeLoop(ctx context.Context) {
	defer close(r.stopped)
	t := time.NewTicker(probeEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.probe(ctx)
		}
	}
}

// probe reads the standby's replay position and lag.
func (r *Reads) probe(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var st struct {
		Replayed string
		Age      float64
	}
	err := r.standby.Conn(ctx).Raw(`SELECT coalesce(pg_last_wal_replay_lsn()::text, '0/0') AS replayed,
		coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)::float8 AS age`).Scan(&st).Error
	var replayed uint64
	if err == nil {
		replayed, err = ParseLSN(st.Replayed)
	}
	if err != nil {
		if r.up.Swap(false) && ctx.Err() == nil {
			r.opts.Log.Warn("read replica: not answering; the Audit Log reads from the primary until it does", "err", err)
		}
		return
	}
	if !r.up.Swap(true) {
		r.opts.Log.Info("read replica: answering; the Audit Log reads from it")
	}
	r.noteReplayed(replayed)
	var current string
	if err := r.primary.Conn(ctx).Raw(`SELECT pg_current_wal_lsn()::text`).Scan(&current).Error; err != nil {
		return
	}
	primaryLSN, err := ParseLSN(current)
	if err != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lagBytes, r.lagSeconds = 0, 0
	if primaryLSN > replayed {
		r.lagBytes, r.lagSeconds = float64(primaryLSN-replayed), st.Age
	}
}

func (r *Reads) noteReplayed(lsn uint64) {
	for {
		old := r.replayed.Load()
		if lsn <= old || r.replayed.CompareAndSwap(old, lsn) {
			return
		}
	}
}

// For returns the database an Audit Log read under ctx should use: the
// standby when there is one, it answers, and it has replayed the caller's
// last write (waiting up to Options.Wait for it); the primary otherwise, and
// always inside a transaction. A nil *Reads returns nil: the caller's own
// primary.
func (r *Reads) For(ctx context.Context) *database.DB {
	if r == nil {
		return nil
	}
	if database.InTransaction(ctx) {
		return r.primary // the transaction's own view
	}
	if !r.up.Load() {
		r.served.WithLabelValues("primary", "replica_down").Inc()
		return r.primary
	}
	after, _ := ctx.Value(tokenKey{}).(uint64)
	if after == 0 || r.replayed.Load() >= after {
		r.served.WithLabelValues("replica", "caught_up").Inc()
		return r.standby
	}
	deadline := time.Now().Add(r.opts.Wait)
	for {
		var replayed string
		qctx, cancel := context.WithTimeout(ctx, r.opts.Wait)
		err := r.standby.Conn(qctx).Raw(`SELECT coalesce(pg_last_wal_replay_lsn()::text, '0/0')`).Scan(&replayed).Error
		cancel()
		lsn, perr := ParseLSN(replayed)
		if err != nil || perr != nil {
			r.served.WithLabelValues("primary", "replica_error").Inc()
			return r.primary
		}
		r.noteReplayed(lsn)
		if lsn >= after {
			r.served.WithLabelValues("replica", "waited").Inc()
			return r.standby
		}
		if time.Now().After(deadline) {
			r.served.WithLabelValues("primary", "replica_behind").Inc()
			return r.primary
		}
		select {
		case <-ctx.Done():
			return r.primary
		case <-time.After(5 * time.Millisecond):
		}
	}
}

type tokenKey struct{}

// WithReadAfter returns ctx asking that its reads see the WAL up to lsn.
func WithReadAfter(ctx context.Context, lsn uint64) context.Context {
	return context.WithValue(ctx, tokenKey{}, lsn)
}

// Middleware reads the client's token into the request's context, and
// hands the client a new one after each request that committed a write.
func (r *Reads) Middleware(next http.Handler) http.Handler {
	if r == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx := req.Context()
		if lsn := requestToken(req); lsn != 0 {
			ctx = WithReadAfter(ctx, lsn)
		}
		tw := &tokenWriter{ResponseWriter: w, secure: r.opts.SecureCookie}
		ctx = database.WithAfterCommit(ctx, func(ctx context.Context, db *database.DB) {
			var lsn string
			if err := db.Conn(ctx).Raw(`SELECT pg_current_wal_insert_lsn()::text`).Scan(&lsn).Error; err != nil {
				return // the read falls back on the replica's lag alone
			}
			if v, err := ParseLSN(lsn); err == nil {
				tw.record(v)
			}
		})
		next.ServeHTTP(tw, req.WithContext(ctx))
	})
}

func requestToken(req *http.Request) uint64 {
	v := req.Header.Get(HeaderName)
	if v == "" {
		if c, err := req.Cookie(CookieName); err == nil {
			v = c.Value
		}
	}
	lsn, _ := ParseLSN(v)
	return lsn
}

// tokenWriter adds the token to the response once a write committed,
// before the first byte of the answer goes out.
type tokenWriter struct {
	http.ResponseWriter
	secure bool
	mu     sync.Mutex
	lsn    uint64
	sent   bool
}

func (t *tokenWriter) record(lsn uint64) {
	t.mu.Lock()
	t.lsn = max(t.lsn, lsn)
	t.mu.Unlock()
}

func (t *tokenWriter) addToken() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.sent || t.lsn == 0 {
		t.sent = true
		return
	}
	t.sent = true
	v := FormatLSN(t.lsn)
	t.Header().Set(HeaderName, v)
	http.SetCookie(t.ResponseWriter, &http.Cookie{Name: CookieName, Value: v, Path: "/", HttpOnly: true,
		Secure: t.secure, SameSite: http.SameSiteLaxMode, MaxAge: int(tokenLifetime.Seconds())})
}

func (t *tokenWriter) WriteHeader(code int) {
	t.addToken()
	t.ResponseWriter.WriteHeader(code)
}

func (t *tokenWriter) Write(b []byte) (int, error) {
	t.addToken()
	return t.ResponseWriter.Write(b)
}

// Flush, Hijack and Unwrap keep streaming answers and upgrades working.
func (t *tokenWriter) Flush() {
	t.addToken()
	if f, ok := t.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (t *tokenWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := t.ResponseWriter.(http.Hijacker); ok {
		return h.Hijack()
	}
	return nil, nil, errors.New("replica: the response cannot be hijacked")
}

func (t *tokenWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// ParseLSN parses PostgreSQL's text form of a WAL position, "16/B374D848";
// "" is 0.
func ParseLSN(s string) (uint64, error) {
	if s == "" {
		return 0, nil
	}
	hi, lo, ok := strings.Cut(s, "/")
	if !ok || len(hi) > 8 || len(lo) > 8 {
		return 0, fmt.Errorf("replica: %q is not a WAL position", s)
	}
	h, err := strconv.ParseUint(hi, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("replica: %q is not a WAL position", s)
	}
	l, err := strconv.ParseUint(lo, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("replica: %q is not a WAL position", s)
	}
	return h<<32 | l, nil
}

// FormatLSN is ParseLSN's inverse.
func FormatLSN(lsn uint64) string {
	return fmt.Sprintf("%X/%X", lsn>>32, lsn&0xffffffff)
}

// Describe implements prometheus.Collector.
func (r *Reads) Describe(ch chan<- *prometheus.Desc) {
	r.served.Describe(ch)
	ch <- r.lagB
	ch <- r.lagS
	ch <- r.upDesc
}

// Collect implements prometheus.Collector.
func (r *Reads) Collect(ch chan<- prometheus.Metric) {
	r.served.Collect(ch)
	r.mu.Lock()
	lagB, lagS := r.lagBytes, r.lagSeconds
	r.mu.Unlock()
	up := 0.0
	if r.up.Load() {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(r.lagB, prometheus.GaugeValue, lagB)
	ch <- prometheus.MustNewConstMetric(r.lagS, prometheus.GaugeValue, lagS)
	ch <- prometheus.MustNewConstMetric(r.upDesc, prometheus.GaugeValue, up)
}
