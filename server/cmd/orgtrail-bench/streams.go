package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
)

// BENCH_MODE=streams measures log streams (issue 12):
//
//	BENCH_MODE=streams go run ./server/cmd/orgtrail-bench
//
// With three enabled webhook streams to a receiver the benchmark runs (one
// native JSON, one OCSF, one filtered to Roles & Permissions), it
//
//  1. times a mutation (createRole through GraphQL, one client) in
//     alternating rounds of BENCH_STREAM_WRITES (100) with the three streams
//     paused and enabled, BENCH_STREAM_ROUNDS (10) times: the audit cost of
//     a mutation with and without streams, in the same run;
//  2. writes BENCH_STREAM_RATE (2,000) audited events a second for
//     BENCH_STREAM_SECONDS (60) through the recorder (audit.Append in a
//     transaction each, BENCH_STREAM_WRITERS (48) writers), and measures each event's lag at the
//     receiver: the time from its occurredAt to its arrival, which includes
//     the verifiable log's sequencing.
func runStreams(ctx context.Context, log *slog.Logger) error {
	rounds, err := envInt("BENCH_STREAM_ROUNDS", 10)
	if err != nil {
		return err
	}
	writes, err := envInt("BENCH_STREAM_WRITES", 100)
	if err != nil {
		return err
	}
	rate, err := envInt("BENCH_STREAM_RATE", 2000)
	if err != nil {
		return err
	}
	seconds, err := envInt("BENCH_STREAM_SECONDS", 60)
	if err != nil {
		return err
	}
	writers, err := envInt("BENCH_STREAM_WRITERS", 48)
	if err != nil {
		return err
	}
	started, load := time.Now(), loadAverage()
	dsn, stopDB, err := openDatabase(ctx, options{databaseURL: os.Getenv("DATABASE_URL"), sharedBuffers: envString("BENCH_SHARED_BUFFERS", "1GB")})
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
	client := newGraphQLClient(srv)

	rc := &lagReceiver{}
	recv := httptest.NewTLSServer(rc)
	defer recv.Close()
	ca := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: recv.Certificate().Raw}))
	var ids []string
	for i, s := range []map[string]any{
		{"name": "JSON", "format": "JSON"},
		{"name": "OCSF", "format": "OCSF"},
		{"name": "RBAC only", "format": "JSON", "filter": map[string]any{"categories": []string{"ROLES_AND_PERMISSIONS"}}},
	} {
		s["destination"] = "WEBHOOK"
		s["config"] = map[string]any{"url": fmt.Sprintf("%s/stream/%d", recv.URL, i), "caCertificate": ca}
		var out struct {
			CreateLogStream struct{ LogStream struct{ ID string } }
		}
		a, err := client.post(ctx, `mutation($input: CreateLogStreamInput!) { createLogStream(input: $input) { logStream { id } } }`,
			map[string]any{"input": s}, &out)
		if err != nil || a.code != "" {
			return fmt.Errorf("create stream: %v %s", err, a.message)
		}
		ids = append(ids, out.CreateLogStream.LogStream.ID)
	}
	setStreams := func(op string) error {
		for _, id := range ids {
			a, err := client.post(ctx, `mutation($id: ID!) { `+op+`(input: {id: $id}) { logStream { id } } }`, map[string]any{"id": id}, nil)
			if err != nil || a.code != "" {
				return fmt.Errorf("%s: %v %s", op, err, a.message)
			}
		}
		return nil
	}

	// 1. The mutation with and without three enabled streams.
	var without, with []time.Duration
	n := 0
	mutate := func() (time.Duration, error) {
		n++
		t := time.Now()
		a, err := client.post(ctx, `mutation($name: String!) { createRole(input: {name: $name, permissions: ["secrets:read"]}) { role { id } } }`,
			map[string]any{"name": fmt.Sprintf("Bench role %d", n)}, nil)
		if err != nil || a.code != "" {
			return 0, fmt.Errorf("createRole: %v %s", err, a.message)
		}
		return time.Since(t), nil
	}
	phase := func(enabled bool) error {
		op, dst := "pauseLogStream", &without
		if enabled {
			op, dst = "resumeLogStream", &with
		}
		if err := setStreams(op); err != nil {
			return err
		}
		for range writes {
			d, err := mutate()
			if err != nil {
				return err
			}
			*dst = append(*dst, d)
		}
		return nil
	}
	for r := range rounds {
		// Alternate which comes first, so that neither always follows the other.
		first := r%2 == 1
		progress("round %d/%d: %d mutations with the streams enabled=%v, then %d enabled=%v", r+1, rounds, writes, first, writes, !first)
		if err := phase(first); err != nil {
			return err
		}
		if err := phase(!first); err != nil {
			return err
		}
	}

	// 2. Sustained load, the three streams enabled (the last phase above
	// may have left them paused).
	if err := setStreams("resumeLogStream"); err != nil {
		return err
	}
	db, err := database.Open(ctx, dsn, database.Options{Plugins: nil})
	if err != nil {
		return err
	}
	defer db.Close()
	progress("writing %d audited events a second for %d s", rate, seconds)
	rc.start(time.Now())
	var written atomic.Int64
	tokens := make(chan struct{}, rate)
	gen, stop := context.WithTimeout(ctx, time.Duration(seconds)*time.Second)
	defer stop()
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		per := rate / 100
		for {
			select {
			case <-gen.Done():
				close(tokens)
				return
			case <-tick.C:
				for range per {
					select {
					case tokens <- struct{}{}:
					default: // the writers are behind: the rate is not reached
					}
				}
			}
		}
	})
	actx := audit.WithActor(ctx, audit.System(srv.organizationID))
	for range writers {
		wg.Go(func() {
			for range tokens {
				err := db.InTx(actx, func(ctx context.Context) error {
					return audit.Append(ctx, db.Conn(ctx), audit.Change{Action: audit.UpdatedRole, OrganizationID: srv.organizationID,
						Resource: audit.Resource{Type: "role", ID: uuid.NewString(), Name: "Load"},
						Details:  audit.Details{"changes": audit.Changes{"description": {From: "a", To: "b"}}}})
				})
				if err != nil {
					progress("write: %v", err)
					return
				}
				written.Add(1)
			}
		})
	}
	wg.Wait()
	loadEnd := time.Now()
	achieved := float64(written.Load()) / float64(seconds)
	progress("  %d events written (%.0f/s); waiting for the streams to catch up", written.Load(), achieved)
	deadline := time.Now().Add(5 * time.Minute)
	for rc.count(0) < int(written.Load()) && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(100 * time.Millisecond)
	}
	if n := rc.count(0); n < int(written.Load()) {
		progress("  the JSON stream received %d of %d events within 5 minutes", n, written.Load())
	}
	drained := time.Since(loadEnd)
	lags := rc.lags(0)
	_ = setStreams("pauseLogStream") // before the receiver closes

	sortDur(without)
	sortDur(with)
	fmt.Printf("# Log streams benchmark\n\nRun %s, %s, %s.\n\n", started.UTC().Format("2006-01-02 15:04 UTC"),
		time.Since(started).Round(time.Second), load)
	fmt.Printf("## A mutation's cost with and without 3 enabled streams\n\n`createRole` through GraphQL, one client, %d rounds of %d with the streams paused and %d with them enabled, in alternating order.\n\n",
		rounds, writes, writes)
	fmt.Println("| streams | mutations | median | p95 | p99 |")
	fmt.Println("|---|---:|---:|---:|---:|")
	fmt.Printf("| paused | %d | %s | %s | %s |\n", len(without), ms(percentile(without, 50)), ms(percentile(without, 95)), ms(percentile(without, 99)))
	fmt.Printf("| 3 enabled | %d | %s | %s | %s |\n", len(with), ms(percentile(with, 50)), ms(percentile(with, 95)), ms(percentile(with, 99)))
	fmt.Printf("\nDifference at the median: %+.2f ms (%+.1f%%).\n\n", float64(percentile(with, 50)-percentile(without, 50))/1e6,
		100*(float64(percentile(with, 50))/float64(percentile(without, 50))-1))
	fmt.Printf("## Lag under sustained load\n\n%d audited events a second asked, %.0f written (%d writers, one transaction each, for %d s); lag = arrival at the webhook − occurredAt, JSON stream.\n\n",
		rate, achieved, writers, seconds)
	fmt.Println("| events received | p50 | p99 | max | caught up after the load | target |")
	fmt.Println("|---:|---:|---:|---:|---:|---|")
	ok := "❌"
	if percentile(lags, 99) <= 5*time.Second {
		ok = "✅"
	}
	fmt.Printf("| %d | %s | %s | %s | %s | p99 ≤ 5 s %s |\n", len(lags), ms(percentile(lags, 50)), ms(percentile(lags, 99)),
		ms(percentile(lags, 100)), drained.Round(100*time.Millisecond), ok)
	return nil
}

func sortDur(d []time.Duration) { sort.Slice(d, func(i, j int) bool { return d[i] < d[j] }) }

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }

// lagReceiver is the benchmark's webhook: it records, per stream, each
// event's lag from its occurredAt to its arrival, for events that occurred
// after start.
type lagReceiver struct {
	mu    sync.Mutex
	from  time.Time
	byURL map[int][]time.Duration
}

func (rc *lagReceiver) start(t time.Time) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.from, rc.byURL = t, map[int][]time.Duration{}
}

func (rc *lagReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	body, _ := io.ReadAll(r.Body)
	var stream int
	_, _ = fmt.Sscanf(r.URL.Path, "/stream/%d", &stream)
	var lags []time.Duration
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e struct {
			OccurredAt time.Time
			Time       int64
			Action     string
		}
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		at := e.OccurredAt
		if at.IsZero() {
			at = time.UnixMilli(e.Time)
		}
		if e.Action == "UPDATED_ROLE" || e.Time != 0 {
			lags = append(lags, now.Sub(at))
		}
	}
	rc.mu.Lock()
	if !rc.from.IsZero() {
		rc.byURL[stream] = append(rc.byURL[stream], lags...)
	}
	rc.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (rc *lagReceiver) count(stream int) int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.byURL[stream])
}

func (rc *lagReceiver) lags(stream int) []time.Duration {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := append([]time.Duration(nil), rc.byURL[stream]...)
	sortDur(out)
	return out
}
