// Command orgtrail-scim-bench measures SCIM provisioning: an identity
// provider creating users through POST /scim/v2/Users with a fixed number
// of requests in flight, against the real server on a durable PostgreSQL.
// It then pages through every user as an IdP import does and looks users up
// by userName filter, as Entra does before each change. It prints a
// Markdown report on standard output and its progress on standard error.
// `make bench-scim` runs it.
//
// It starts a throwaway PostgreSQL cluster of its own (fsync and
// synchronous commit on), unless DATABASE_URL names a database, which it
// then migrates and fills: point it only at a database made for the
// purpose. Everything listens on 127.0.0.1 and stops when it ends.
//
// Environment (all optional):
//
//	DATABASE_URL              a throwaway database to use instead of starting a cluster
//	SCIM_BENCH_USERS          users to provision (10000)
//	SCIM_BENCH_CONCURRENCY    requests in flight (8)
//	SCIM_BENCH_LOOKUPS        userName lookups timed after provisioning (1000)
//	SCIM_BENCH_CPUPROFILE     a file to write this process's CPU profile of the provisioning to
//	SCIM_BENCH_STATEMENTS     set to 1 to print the statements PostgreSQL spent most time on
//	                          (pg_stat_statements; throwaway cluster only)
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orgtrail/orgtrail/server/app"
	"github.com/orgtrail/orgtrail/server/config"
	"github.com/orgtrail/orgtrail/server/localpg"
)

type options struct {
	databaseURL string
	users       int
	concurrency int
	lookups     int
}

func optionsFromEnv() (options, error) {
	o := options{databaseURL: os.Getenv("DATABASE_URL")}
	for _, v := range []struct {
		name string
		dst  *int
		def  int
	}{
		{"SCIM_BENCH_USERS", &o.users, 10000},
		{"SCIM_BENCH_CONCURRENCY", &o.concurrency, 8},
		{"SCIM_BENCH_LOOKUPS", &o.lookups, 1000},
	} {
		*v.dst = v.def
		if s := os.Getenv(v.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				return o, fmt.Errorf("%s must be a positive integer, not %q", v.name, s)
			}
			*v.dst = n
		}
	}
	return o, nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "orgtrail-scim-bench: %v\n", err)
		os.Exit(1)
	}
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func run(ctx context.Context) error {
	opts, err := optionsFromEnv()
	if err != nil {
		return err
	}
	dsn, stopDB, err := openDatabase(ctx, opts.databaseURL)
	if err != nil {
		return err
	}
	defer func() {
		if err := stopDB(); err != nil {
			progress("stopping PostgreSQL: %v", err)
		}
	}()
	srv, err := startServer(ctx, dsn)
	if err != nil {
		return err
	}
	defer srv.close()

	token, err := srv.scimToken(ctx)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: opts.concurrency * 2}, Timeout: 30 * time.Second}
	rep := report{opts: opts, cpus: runtime.NumCPU(), goVersion: runtime.Version()}
	if rep.pgVersion, rep.fsync, rep.syncCommit, err = settings(ctx, dsn); err != nil {
		return err
	}

	progress("provisioning %d users with %d requests in flight", opts.users, opts.concurrency)
	if path := os.Getenv("SCIM_BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	postmaster, err := postmasterPID(ctx, dsn)
	if err != nil {
		return err
	}
	cpuBefore := cpuUsage(postmaster)
	rep.provision, err = provision(ctx, client, srv.url, token, opts)
	pprof.StopCPUProfile()
	if err != nil {
		return err
	}
	rep.cpu = cpuUsage(postmaster).minus(cpuBefore)
	progress("  %.0f users/s", rep.provision.rate())
	if os.Getenv("SCIM_BENCH_STATEMENTS") == "1" {
		if err := topStatements(ctx, dsn, opts.users); err != nil {
			return err
		}
	}
	if rep.stored, rep.events, err = verify(ctx, dsn, srv.org); err != nil {
		return err
	}
	if rep.stored != opts.users || rep.events != opts.users {
		return fmt.Errorf("%d users stored and %d Provisioned user events, want %d of each", rep.stored, rep.events, opts.users)
	}

	progress("paging through every user, 200 a page")
	if rep.pages, rep.pagesElapsed, err = importAll(ctx, client, srv.url, token, opts.users); err != nil {
		return err
	}
	progress("looking %d users up by userName", opts.lookups)
	if rep.lookups, err = lookups(ctx, client, srv.url, token, opts); err != nil {
		return err
	}
	return rep.write(os.Stdout)
}

// openDatabase returns DATABASE_URL, or a database on a durable throwaway
// cluster in a temporary directory that stop shuts down and removes.
func openDatabase(ctx context.Context, databaseURL string) (dsn string, stop func() error, err error) {
	if databaseURL != "" {
		return databaseURL, func() error { return nil }, nil
	}
	dir, err := os.MkdirTemp("", "orgtrail-scim-bench-")
	if err != nil {
		return "", nil, err
	}
	removeDir := func() error { return os.RemoveAll(dir) }
	opts := localpg.Options{Dir: filepath.Join(dir, "data"), Ephemeral: true, Logf: progress}
	cluster, err := localpg.Start(ctx, opts)
	if err != nil {
		return "", nil, errors.Join(err, removeDir())
	}
	// The test clusters run without durability; production does not.
	conn, err := pgx.Connect(ctx, cluster.URL("postgres"))
	if err == nil {
		statements := []string{"ALTER SYSTEM SET fsync = on", "ALTER SYSTEM SET synchronous_commit = on",
			"ALTER SYSTEM SET full_page_writes = on"}
		if os.Getenv("SCIM_BENCH_STATEMENTS") == "1" {
			statements = append(statements, "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
		}
		for _, s := range statements {
			if _, err = conn.Exec(ctx, s); err != nil {
				break
			}
		}
		conn.Close(context.WithoutCancel(ctx))
	}
	if err != nil {
		return "", nil, errors.Join(err, cluster.Stop(), removeDir())
	}
	if err := cluster.Stop(); err != nil {
		return "", nil, errors.Join(err, removeDir())
	}
	if cluster, err = localpg.Start(ctx, opts); err != nil {
		return "", nil, errors.Join(err, removeDir())
	}
	stop = func() error { return errors.Join(cluster.Stop(), removeDir()) }
	if err := cluster.EnsureDatabase(ctx, "orgtrail_scim_bench"); err != nil {
		return "", nil, errors.Join(err, stop())
	}
	if os.Getenv("SCIM_BENCH_STATEMENTS") == "1" {
		conn, err := pgx.Connect(ctx, cluster.URL("orgtrail_scim_bench"))
		if err != nil {
			return "", nil, errors.Join(err, stop())
		}
		_, err = conn.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
		conn.Close(context.WithoutCancel(ctx))
		if err != nil {
			return "", nil, errors.Join(err, stop())
		}
	}
	return cluster.URL("orgtrail_scim_bench"), stop, nil
}

type server struct {
	url    string
	apiKey string
	org    string
	close  func() error
}

// startServer builds the real server (package app) on dsn, bootstraps an
// organization with an admin API key and serves it on a loopback port.
func startServer(ctx context.Context, dsn string) (*server, error) {
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	base := "http://" + l.Addr().String()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.New(ctx, config.Config{DatabaseURL: dsn, ListenAddr: l.Addr().String(), PublicURL: base, SecretKey: secret}, log)
	if err != nil {
		l.Close()
		return nil, err
	}
	res, err := a.Bootstrap(ctx, app.BootstrapInput{OrganizationName: "SCIM Bench " + time.Now().Format(time.RFC3339Nano),
		AdminEmail: "admin@scim-bench.example", APIKey: true})
	if err != nil {
		l.Close()
		return nil, errors.Join(err, a.Close())
	}
	// The background work `orgtrail serve` runs alongside the server.
	a.StartMaintenance()
	hs := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(l) }()
	return &server{url: base, apiKey: res.APIKey, org: res.OrganizationID, close: func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return errors.Join(hs.Shutdown(ctx), a.Close())
	}}, nil
}

// scimToken creates a SCIM token the way an admin does, through GraphQL.
func (s *server) scimToken(ctx context.Context) (string, error) {
	body, _ := json.Marshal(map[string]any{"query": `mutation { createScimToken(input: {name: "Benchmark IdP"}) { token } }`})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.apiKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		Data struct{ CreateScimToken struct{ Token string } }
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Data.CreateScimToken.Token == "" {
		return "", fmt.Errorf("createScimToken failed (%d)", resp.StatusCode)
	}
	return out.Data.CreateScimToken.Token, nil
}

// userBody is what Entra sends to create a user, numbered.
func userBody(i int) []byte {
	b, _ := json.Marshal(map[string]any{
		"schemas":     []string{"urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"},
		"externalId":  fmt.Sprintf("ext-%06d", i),
		"userName":    fmt.Sprintf("user%06d@scim-bench.example", i),
		"active":      true,
		"displayName": fmt.Sprintf("User %06d", i),
		"emails":      []any{map[string]any{"primary": true, "type": "work", "value": fmt.Sprintf("user%06d@scim-bench.example", i)}},
		"name":        map[string]any{"givenName": "User", "familyName": fmt.Sprintf("%06d", i), "formatted": fmt.Sprintf("User %06d", i)},
		"title":       "Engineer",
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": map[string]any{"employeeNumber": strconv.Itoa(i), "department": "R&D"},
	})
	return b
}

type timing struct {
	n         int
	elapsed   time.Duration
	latencies []time.Duration
}

func (t timing) rate() float64 { return float64(t.n) / t.elapsed.Seconds() }

func (t timing) percentile(p float64) time.Duration {
	if len(t.latencies) == 0 {
		return 0
	}
	s := slices.Clone(t.latencies)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

func do(ctx context.Context, c *http.Client, method, u, token string, body []byte, want int) error {
	req, _ := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s", method, u, resp.StatusCode, raw)
	}
	return nil
}

// provision creates opts.users users with opts.concurrency requests in flight.
func provision(ctx context.Context, c *http.Client, base, token string, opts options) (timing, error) {
	// The identity provider's work (building bodies) is done before timing.
	bodies := make([][]byte, opts.users)
	for i := range bodies {
		bodies[i] = userBody(i)
	}
	var next atomic.Int64
	latencies := make([]time.Duration, opts.users)
	var wg sync.WaitGroup
	errs := make(chan error, opts.concurrency)
	start := time.Now()
	for w := 0; w < opts.concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= opts.users || ctx.Err() != nil {
					return
				}
				t := time.Now()
				if err := do(ctx, c, http.MethodPost, base+"/scim/v2/Users", token, bodies[i], http.StatusCreated); err != nil {
					errs <- err
					next.Store(int64(opts.users))
					return
				}
				latencies[i] = time.Since(t)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return timing{}, err
	}
	return timing{n: opts.users, elapsed: elapsed, latencies: latencies}, nil
}

// importAll pages through every user as an identity provider's import does.
func importAll(ctx context.Context, c *http.Client, base, token string, users int) (int, time.Duration, error) {
	start, pages := time.Now(), 0
	for i := 1; i <= users; i += 200 {
		if err := do(ctx, c, http.MethodGet, fmt.Sprintf("%s/scim/v2/Users?startIndex=%d&count=200", base, i), token, nil, http.StatusOK); err != nil {
			return 0, 0, err
		}
		pages++
	}
	return pages, time.Since(start), nil
}

// lookups times filter=userName eq "…" requests, one at a time.
func lookups(ctx context.Context, c *http.Client, base, token string, opts options) (timing, error) {
	t := timing{n: opts.lookups}
	start := time.Now()
	for i := 0; i < opts.lookups; i++ {
		filter := url.QueryEscape(fmt.Sprintf(`userName eq "USER%06d@scim-bench.example"`, (i*7919)%opts.users))
		s := time.Now()
		if err := do(ctx, c, http.MethodGet, base+"/scim/v2/Users?filter="+filter, token, nil, http.StatusOK); err != nil {
			return t, err
		}
		t.latencies = append(t.latencies, time.Since(s))
	}
	t.elapsed = time.Since(start)
	return t, nil
}

func settings(ctx context.Context, dsn string) (version, fsync, syncCommit string, err error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", "", "", err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	err = conn.QueryRow(ctx, `SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit')`).
		Scan(&version, &fsync, &syncCommit)
	return version, fsync, syncCommit, err
}

// verify counts what provisioning left: SCIM users and their audit events.
func verify(ctx context.Context, dsn, org string) (users, events int, err error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	err = conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM scim_users su JOIN memberships m USING (organization_id, user_id)
			WHERE su.organization_id = $1 AND m.status = 'ACTIVE'),
		(SELECT count(*) FROM audit_events WHERE organization_id = $1 AND action = 'PROVISIONED_USER')`, org).Scan(&users, &events)
	return users, events, err
}

type report struct {
	opts                         options
	cpu                          cpuTime
	cpus                         int
	goVersion                    string
	pgVersion, fsync, syncCommit string
	provision, lookups           timing
	stored, events, pages        int
	pagesElapsed                 time.Duration
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func (r report) write(w io.Writer) error {
	p := r.provision
	_, err := fmt.Fprintf(w, `## SCIM provisioning benchmark

%d users created with POST /scim/v2/Users (Entra-shaped bodies with the enterprise extension), %d requests
in flight, over HTTP on loopback, against PostgreSQL %s (fsync=%s, synchronous_commit=%s) on the same
machine (%d CPUs, %s). Each request is one transaction: the user, the membership, the SCIM user and its
"Provisioned user" audit event.

| measure | result |
|---|---|
| provisioning | **%.0f users/s** (%d users in %s) |
| POST latency p50 / p95 / p99 / max | %s / %s / %s / %s |
| stored afterwards | %d active SCIM users, %d "Provisioned user" events |
| import: every user, 200 a page | %d pages in %s (%.0f users/s) |
| userName lookups (%d, one at a time) | p50 %s, p95 %s, p99 %s |
%s`, r.opts.users, r.opts.concurrency, r.pgVersion, r.fsync, r.syncCommit, r.cpus, r.goVersion,
		p.rate(), p.n, p.elapsed.Round(time.Millisecond), ms(p.percentile(.5)), ms(p.percentile(.95)), ms(p.percentile(.99)),
		ms(p.percentile(1)), r.stored, r.events, r.pages, r.pagesElapsed.Round(time.Millisecond),
		float64(r.opts.users)/r.pagesElapsed.Seconds(), r.lookups.n, ms(r.lookups.percentile(.5)),
		ms(r.lookups.percentile(.95)), ms(r.lookups.percentile(.99)), r.cpuRows())
	return err
}

// cpuRows reports the CPU time provisioning took, which unlike the rate
// does not depend on what else the machine was doing at the time.
func (r report) cpuRows() string {
	if !r.cpu.ok {
		return ""
	}
	per := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(r.opts.users) }
	total := per(r.cpu.server + r.cpu.postgres)
	return fmt.Sprintf("| CPU per user provisioned | %.2f ms (this process, server and client: %.2f ms; PostgreSQL: %.2f ms) |\n"+
		"| rate %d idle CPUs would allow | %.0f users/s |\n", total, per(r.cpu.server), per(r.cpu.postgres),
		r.cpus, float64(r.cpus)*1000/total)
}

// topStatements prints, on standard error, the statements PostgreSQL spent
// most time on while provisioning, per user provisioned.
func topStatements(ctx context.Context, dsn string, users int) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	rows, err := conn.Query(ctx, `SELECT calls, total_exec_time, left(regexp_replace(query, '\s+', ' ', 'g'), 110)
		FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var calls int64
		var total float64
		var query string
		if err := rows.Scan(&calls, &total, &query); err != nil {
			return err
		}
		progress("  %8d calls %8.3f ms/user  %s", calls, total/float64(users), query)
	}
	return rows.Err()
}

// cpuTime is CPU time used by this process and by the benchmark's
// PostgreSQL cluster (the postmaster, its children, and children reaped).
type cpuTime struct {
	server, postgres time.Duration
	ok               bool
}

func (a cpuTime) minus(b cpuTime) cpuTime {
	return cpuTime{server: a.server - b.server, postgres: a.postgres - b.postgres, ok: a.ok && b.ok}
}

// postmasterPID is the parent of a backend of the database: the cluster's
// postmaster, when it runs on this machine.
func postmasterPID(ctx context.Context, dsn string) (int, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var backend int
	if err := conn.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&backend); err != nil {
		return 0, err
	}
	fields, err := procStat(backend)
	if err != nil {
		return 0, nil // not on this machine: no CPU figures
	}
	return strconv.Atoi(fields[1])
}

// procStat returns the fields of /proc/<pid>/stat after the command name.
func procStat(pid int) ([]string, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, err
	}
	i := bytes.LastIndexByte(raw, ')')
	if i < 0 {
		return nil, errors.New("unexpected /proc stat format")
	}
	return strings.Fields(string(raw[i+1:])), nil
}

// clockTicks is USER_HZ, the unit of /proc CPU times (100 on Linux).
const clockTicks = 100

func ticks(fields []string, idx ...int) time.Duration {
	var sum int64
	for _, i := range idx {
		n, _ := strconv.ParseInt(fields[i], 10, 64)
		sum += n
	}
	return time.Duration(sum) * time.Second / clockTicks
}

func cpuUsage(postmaster int) cpuTime {
	var ru syscall.Rusage
	if postmaster == 0 || syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return cpuTime{}
	}
	out := cpuTime{ok: true, server: time.Duration(ru.Utime.Nano() + ru.Stime.Nano())}
	// Fields after the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
	pm, err := procStat(postmaster)
	if err != nil {
		return cpuTime{}
	}
	out.postgres = ticks(pm, 11, 12, 13, 14)
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if f, err := procStat(pid); err == nil && f[1] == strconv.Itoa(postmaster) {
			out.postgres += ticks(f, 11, 12)
		}
	}
	return out
}
