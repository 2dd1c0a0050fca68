package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The throughput measurement: audited GraphQL mutations through the real
// HTTP endpoint from several clients at once (BENCH_THROUGHPUT_CLIENTS,
// default 16) for BENCH_THROUGHPUT_TIME (default 20s), each createRole
// writing a role and its audit row in one transaction. It reports the rate
// and where the machine's CPU went meanwhile: this process (the server and
// the load program), the PostgreSQL cluster's processes, and the rest of
// the machine (other work on a shared host).

const throughputTarget = 1000 // mutations per second

const createRoleMutation = `mutation CreateRole($input: CreateRoleInput!) {
  createRole(input: $input) { role { id name } }
}`

// throughputResult is the measurement.
type throughputResult struct {
	clients   int
	elapsed   time.Duration
	done      int64
	failed    int64
	firstErr  string
	samples   []time.Duration
	cpuSelf   time.Duration // this process: server and load program
	cpuPG     time.Duration // the PostgreSQL cluster's processes
	cpuAll    time.Duration // the whole machine, all cores
	loadStart string
}

func (r throughputResult) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.done) / r.elapsed.Seconds()
}

func measureThroughput(ctx context.Context, srv *server, rep *report) error {
	clients, err := envInt("BENCH_THROUGHPUT_CLIENTS", 16)
	if err != nil {
		return err
	}
	d, err := time.ParseDuration(envString("BENCH_THROUGHPUT_TIME", "20s"))
	if err != nil || d <= 0 {
		return fmt.Errorf("BENCH_THROUGHPUT_TIME must be a positive duration")
	}
	client := newGraphQLClient(srv)
	progress("measuring audited createRole mutations through GraphQL, %d clients for %s", clients, d)
	res := throughputResult{clients: clients, loadStart: loadAverage()}
	var n, failed atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	stopProfile := startProfile("throughput")
	selfBefore, pgBefore, allBefore := selfCPU(), clusterCPU(), machineCPU()
	started := time.Now()
	deadline := started.Add(d)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for i := 0; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				vars := map[string]any{"input": map[string]any{
					"name": fmt.Sprintf("Load %d-%d", c, i), "description": "throughput", "permissions": []string{"secrets:read"}}}
				began := time.Now()
				answer, err := client.post(ctx, createRoleMutation, vars, nil)
				took := time.Since(began)
				if err != nil || answer.code != "" {
					if failed.Add(1) == 1 {
						mu.Lock()
						res.firstErr = fmt.Sprint(err, " ", answer.code, " ", answer.message)
						mu.Unlock()
					}
					continue
				}
				n.Add(1)
				mine = append(mine, took)
			}
			mu.Lock()
			res.samples = append(res.samples, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(started)
	stopProfile()
	res.cpuSelf, res.cpuPG, res.cpuAll = selfCPU()-selfBefore, clusterCPU()-pgBefore, machineCPU()-allBefore
	res.done, res.failed = n.Load(), failed.Load()
	progress("  %d mutations in %s: %.0f/s, p50 %s, p95 %s; %d failed %s", res.done, res.elapsed.Round(time.Millisecond), res.rate(),
		fmtDuration(percentile(res.samples, 50)), fmtDuration(percentile(res.samples, 95)), res.failed, res.firstErr)
	rep.throughput = &res
	return ctx.Err()
}

// clockTicks is USER_HZ, the unit of /proc's CPU times on Linux.
const clockTicks = 100

// selfCPU is this process's user + system CPU time.
func selfCPU() time.Duration { return procCPU("self") }

// procCPU reads utime + stime of /proc/<pid>/stat.
func procCPU(pid string) time.Duration {
	b, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return 0
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * time.Second / clockTicks
}

// clusterCPU sums the CPU time of this process's PostgreSQL cluster: the
// postmaster started as its child and the postmaster's children (a cluster
// named by DATABASE_URL is not counted: 0).
func clusterCPU() time.Duration {
	parents := map[string]string{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 || !strings.Contains(s[:i], "(postgres") {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) > 1 {
			parents[e.Name()] = f[1]
		}
	}
	self := strconv.Itoa(os.Getpid())
	var total time.Duration
	for pid, ppid := range parents {
		if ppid == self || parents[ppid] == self {
			total += procCPU(pid)
		}
	}
	return total
}

// machineCPU is the busy (non-idle) CPU time of the whole machine.
func machineCPU() time.Duration {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return 0
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 4096))
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line)
	var busy int64
	for i, v := range fields[1:] {
		n, _ := strconv.ParseInt(v, 10, 64)
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		busy += n
	}
	return time.Duration(busy) * time.Second / clockTicks
}
