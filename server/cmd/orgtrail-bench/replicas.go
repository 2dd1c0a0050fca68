package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orgtrail/orgtrail/server/localpg"
	"github.com/orgtrail/orgtrail/server/replicas"
)

// BENCH_MODE=replicas (`make bench-replicas`, issue 14) measures Orgtrail
// past one server: the real `orgtrail serve` binary, one or two of them
// behind Debian's HAProxy (round robin), on a durable throwaway PostgreSQL
// primary with a streaming standby. In one run it measures audited
// mutations/s (createRole through POST /graphql with an API key) at 16 and
// 64 clients with one and with two servers, and the Audit Log's first page
// (50 rows) read by one client while 16 clients write, served by the
// primary and then by the standby (DATABASE_READ_URL).
//
// Environment (all optional):
//
//	BENCH_REPLICA_SECONDS  length of each measured load (20)
//	BENCH_REPLICA_EVENTS   events seeded into the organization first (100000)
//	BENCH_SHARED_BUFFERS   shared_buffers of each cluster (256MB)

// replicaPhase is one measured load.
type replicaPhase struct {
	name            string
	servers         int
	replica         bool
	clients         int
	read            bool
	ok, failed      int
	elapsed         time.Duration
	reads           []time.Duration
	readErrs        int
	servedByReplica float64 // share of reads the standby served (from /metrics)
	// cpu is the CPU time each program used during the load.
	cpu map[string]time.Duration
}

func (p replicaPhase) rate() float64 { return float64(p.ok) / p.elapsed.Seconds() }

func runReplicas(ctx context.Context) error {
	if _, err := replicas.HAProxy(); err != nil {
		return err
	}
	seconds, err := envInt("BENCH_REPLICA_SECONDS", 20)
	if err != nil || seconds < 1 {
		return fmt.Errorf("BENCH_REPLICA_SECONDS must be a positive integer")
	}
	events, err := envInt("BENCH_REPLICA_EVENTS", 100_000)
	if err != nil {
		return err
	}
	sharedBuffers := envString("BENCH_SHARED_BUFFERS", "256MB")
	if !sizeSetting.MatchString(sharedBuffers) {
		return fmt.Errorf("BENCH_SHARED_BUFFERS must look like 256MB or 1GB, not %q", sharedBuffers)
	}
	started, load := time.Now(), loadAverage()
	dir, err := os.MkdirTemp("", "orgtrail-bench-replicas-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	// A durable primary (fsync, synchronous commit, full pages: what
	// production pays for a commit), then its standby.
	opts := localpg.Options{Dir: filepath.Join(dir, "primary"), Ephemeral: true, Logf: progress}
	primary, err := localpg.Start(ctx, opts)
	if err != nil {
		return err
	}
	defer func() { _ = primary.Stop() }()
	if err := execAll(ctx, primary.URL("postgres"), []string{
		"ALTER SYSTEM SET fsync = on", "ALTER SYSTEM SET synchronous_commit = on", "ALTER SYSTEM SET full_page_writes = on",
		"ALTER SYSTEM SET shared_buffers = '" + sharedBuffers + "'", "ALTER SYSTEM SET max_wal_size = '4GB'",
	}); err != nil {
		return err
	}
	if err := primary.Stop(); err != nil {
		return err
	}
	if primary, err = localpg.Start(ctx, opts); err != nil {
		return err
	}
	if err := primary.EnsureDatabase(ctx, benchDatabase); err != nil {
		return err
	}
	progress("building orgtrail")
	bin, err := replicas.Build(ctx, dir)
	if err != nil {
		return err
	}
	dsn := primary.URL(benchDatabase)

	// The organization, its key and its history, through a first server.
	d, err := replicas.Start(ctx, replicas.Options{Binary: bin, DatabaseURL: dsn, Servers: 1, Dir: dir})
	if err != nil {
		return err
	}
	boot, err := d.Bootstrap(ctx, "Bench Replicas", "admin@bench-replicas.example")
	if err == nil && events > 0 {
		progress("seeding %d events", events)
		if out, serr := d.Command(ctx, "seed", "--org", boot.OrganizationID, "--events", fmt.Sprint(events)).CombinedOutput(); serr != nil {
			err = fmt.Errorf("seed: %w: %s", serr, out)
		}
	}
	d.Close()
	if err != nil {
		return err
	}
	progress("starting the standby")
	standby, err := localpg.StartStandby(ctx, primary.URL("postgres"), localpg.Options{Dir: filepath.Join(dir, "standby"), Ephemeral: true, Logf: progress})
	if err != nil {
		return err
	}
	defer func() { _ = standby.Stop() }()

	phases := []replicaPhase{
		{name: "1 server, 16 clients", servers: 1, clients: 16, read: true},
		{name: "1 server, 64 clients", servers: 1, clients: 64},
		{name: "2 servers, 16 clients", servers: 2, clients: 16, read: true},
		{name: "2 servers, 64 clients", servers: 2, clients: 64},
		{name: "2 servers + read replica, 16 clients", servers: 2, replica: true, clients: 16, read: true},
	}
	duration := time.Duration(seconds) * time.Second
	for i := range phases {
		p := &phases[i]
		o := replicas.Options{Binary: bin, DatabaseURL: dsn, Servers: p.servers, Dir: dir}
		if p.replica {
			o.ReadURL = standby.URL(benchDatabase)
		}
		d, err := replicas.Start(ctx, o)
		if err != nil {
			return err
		}
		progress("%s: %s of load", p.name, duration)
		err = measurePhase(ctx, d, boot.APIKey, p, i, duration)
		d.Close()
		if err != nil {
			return err
		}
		progress("%s: %.0f mutations/s, %d failed", p.name, p.rate(), p.failed)
	}
	writeReplicaReport(os.Stdout, phases, seconds, events, started, load)
	return nil
}

// measurePhase runs p's writers for duration through the load balancer,
// and, when p.read, one reader of the first page beside them.
func measurePhase(ctx context.Context, d *replicas.Deployment, key string, p *replicaPhase, n int, duration time.Duration) error {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	// Warm up: the servers' pools and plans, one mutation and read each.
	for range 2 * len(d.Servers) {
		if err := post(ctx, client, d.URL, key, `mutation { createRole(input: {name: "warm-`+fmt.Sprint(n)+`-`+fmt.Sprint(time.Now().UnixNano())+`"}) { role { id } } }`); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
		if err := post(ctx, client, d.URL, key, firstPage); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}
	var ok, failed atomic.Int64
	var firstErr atomic.Value
	cpuBefore := cpuByProgram()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	start := time.Now()
	for w := range p.clients {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				err := post(ctx, client, d.URL, key, fmt.Sprintf(`mutation { createRole(input: {name: "p%d-w%d-%d"}) { role { id } } }`, n, w, i))
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				} else {
					ok.Add(1)
				}
			}
		})
	}
	if p.read {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				t0 := time.Now()
				if err := post(ctx, client, d.URL, key, firstPage); err != nil {
					p.readErrs++
				} else {
					p.reads = append(p.reads, time.Since(t0))
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
	select {
	case <-time.After(duration):
	case <-ctx.Done():
	}
	close(stop)
	wg.Wait()
	p.elapsed = time.Since(start)
	p.ok, p.failed = int(ok.Load()), int(failed.Load())
	p.cpu = map[string]time.Duration{}
	for prog, t := range cpuByProgram() {
		p.cpu[prog] = t - cpuBefore[prog]
	}
	if e := firstErr.Load(); e != nil {
		progress("first error: %s", e)
	}
	if p.replica {
		var replica, all float64
		for _, s := range d.Servers {
			r, a, err := readsServed(s.URL)
			if err != nil {
				return err
			}
			replica, all = replica+r, all+a
		}
		if all > 0 {
			p.servedByReplica = replica / all
		}
	}
	return ctx.Err()
}

// firstPage is the Audit Log tab's first page.
const firstPage = `{ auditEvents(first: 50) { edges { cursor node { id occurredAt category action actor { type id email name } resource { type id name } details ipAddress userAgent requestId } } pageInfo { hasNextPage endCursor } } }`

func post(ctx context.Context, client *http.Client, base, key, query string) error {
	body, _ := json.Marshal(map[string]string{"query": query})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || bytes.Contains(raw, []byte(`"errors"`)) {
		return fmt.Errorf("%s: %.200s", resp.Status, raw)
	}
	return nil
}

// readsServed sums orgtrail_audit_reads_total of one server: by the
// replica, and in all.
func readsServed(base string) (replica, all float64, err error) {
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	for line := range strings.Lines(string(raw)) {
		if !strings.HasPrefix(line, "orgtrail_audit_reads_total{") {
			continue
		}
		var v float64
		if _, err := fmt.Sscan(line[strings.LastIndexByte(line, ' ')+1:], &v); err != nil {
			return 0, 0, errors.New("unreadable orgtrail_audit_reads_total")
		}
		all += v
		if strings.Contains(line, `served_by="replica"`) {
			replica += v
		}
	}
	return replica, all, nil
}

// cpuByProgram sums the CPU time (user + system) of the live processes of
// each program that matters here, from /proc: PostgreSQL (primary and
// standby), the orgtrail servers, HAProxy, and this load generator. A
// process that ended keeps its time out; those are few (connections of the
// warm-up).
func cpuByProgram() map[string]time.Duration {
	const tick = 10 * time.Millisecond // USER_HZ is 100 on Linux
	out := map[string]time.Duration{}
	self := os.Getpid()
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid := 0
		if _, err := fmt.Sscan(e.Name(), &pid); err != nil {
			continue
		}
		raw, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		open, closing := bytes.IndexByte(raw, '('), bytes.LastIndexByte(raw, ')')
		if open < 0 || closing < open {
			continue
		}
		comm := string(raw[open+1 : closing])
		fields := strings.Fields(string(raw[closing+1:]))
		if len(fields) < 13 {
			continue
		}
		var utime, stime int64
		fmt.Sscan(fields[11], &utime)
		fmt.Sscan(fields[12], &stime)
		prog := ""
		switch {
		case pid == self:
			prog = "load generator"
		case comm == "postgres":
			prog = "PostgreSQL"
		case comm == "orgtrail":
			prog = "orgtrail servers"
		case comm == "haproxy":
			prog = "HAProxy"
		default:
			continue
		}
		out[prog] += time.Duration(utime+stime) * tick
	}
	return out
}

func writeReplicaReport(out io.Writer, phases []replicaPhase, seconds, events int, started time.Time, load string) {
	fmt.Fprintf(out, "## Past one server (BENCH_MODE=replicas)\n\n")
	fmt.Fprintf(out, "%s; %s of load per row, run %s in %s (%s); %d seeded events, durable primary + streaming standby, HAProxy round robin.\n\n",
		machine(), plural(seconds, "second"), started.UTC().Format("2006-01-02 15:04 UTC"), time.Since(started).Round(time.Second), load, events)
	fmt.Fprintln(out, "| configuration | audited mutations/s | vs 1 server, same clients | failed | first page while writing: median | p95 | reads | served by the replica |")
	fmt.Fprintln(out, "|---|---:|---:|---:|---:|---:|---:|---:|")
	base := map[int]float64{}
	for _, p := range phases {
		if p.servers == 1 {
			base[p.clients] = p.rate()
		}
	}
	for _, p := range phases {
		ratio := ""
		if b := base[p.clients]; b > 0 {
			ratio = fmt.Sprintf("%.2f×", p.rate()/b)
		}
		median, p95, reads, served := "", "", "", ""
		if p.read && len(p.reads) > 0 {
			slices.Sort(p.reads)
			median, p95 = fmtDuration(percentile(p.reads, 50)), fmtDuration(percentile(p.reads, 95))
			reads = fmt.Sprint(len(p.reads))
			if p.readErrs > 0 {
				reads += fmt.Sprintf(" (+%d failed)", p.readErrs)
			}
		}
		if p.replica {
			served = fmt.Sprintf("%.0f%%", 100*p.servedByReplica)
		}
		fmt.Fprintf(out, "| %s | %.0f | %s | %d | %s | %s | %s | %s |\n", p.name, p.rate(), ratio, p.failed, median, p95, reads, served)
	}
	fmt.Fprintln(out)
	fmt.Fprintln(out, "CPU per audited mutation (all programs on the same 2 cores; PostgreSQL includes the standby's replay in the last row):")
	fmt.Fprintln(out)
	progs := []string{"PostgreSQL", "orgtrail servers", "HAProxy", "load generator"}
	fmt.Fprintln(out, "| configuration | "+strings.Join(progs, " | ")+" | total | CPU used / available |")
	fmt.Fprintln(out, "|---|---:|---:|---:|---:|---:|---:|")
	for _, p := range phases {
		if p.ok == 0 {
			continue
		}
		var cells []string
		var total time.Duration
		for _, prog := range progs {
			per := p.cpu[prog] / time.Duration(p.ok)
			total += p.cpu[prog]
			cells = append(cells, fmt.Sprintf("%.2f ms", float64(per)/float64(time.Millisecond)))
		}
		cores := runtime.NumCPU()
		fmt.Fprintf(out, "| %s | %s | %.2f ms | %.0f%% |\n", p.name, strings.Join(cells, " | "),
			float64(total/time.Duration(p.ok))/float64(time.Millisecond), 100*total.Seconds()/(p.elapsed.Seconds()*float64(cores)))
	}
	fmt.Fprintln(out)
}
