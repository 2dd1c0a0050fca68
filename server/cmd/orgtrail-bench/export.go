package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/orgtrail/orgtrail/server/auditexport"
	"github.com/orgtrail/orgtrail/server/seed"
)

// BENCH_MODE=export measures the audit log export (issue 12):
//
//	BENCH_MODE=export BENCH_EXPORT_EVENTS=1000000 go run ./server/cmd/orgtrail-bench
//
// It seeds BENCH_EXPORT_EVENTS events (1,000,000) into one organization,
// then downloads the export of all of them through HTTP with an API key, as
// NDJSON and as CSV, timing the first byte and the whole download and
// sampling the process's memory every 20 ms while it runs. The server runs
// in this process; the client discards what it reads, so the growth
// measured is the server's.
func runExport(ctx context.Context, log *slog.Logger) error {
	events, err := envInt("BENCH_EXPORT_EVENTS", 1_000_000)
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
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return err
	}
	defer pool.Close()
	progress("seeding %d events", events)
	if _, err := seed.Events(ctx, pool, srv.organizationID, events, seed.Options{Seed: 1}); err != nil {
		return err
	}
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE audit_events"); err != nil {
		return err
	}
	type result struct {
		format           string
		events           int
		bytes            int64
		firstByte, total time.Duration
		heapGrowth       uint64
		rssGrowth        int64
	}
	var results []result
	for _, format := range []string{"ndjson", "csv"} {
		runtime.GC()
		baseHeap, baseRSS := heapInUse(), residentBytes()
		var maxHeap uint64
		var maxRSS int64
		stop := make(chan struct{})
		var sampler sync.WaitGroup
		sampler.Go(func() {
			for {
				maxHeap, maxRSS = max(maxHeap, heapInUse()), max(maxRSS, residentBytes())
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		})
		progress("exporting every event as %s", format)
		if path := os.Getenv("BENCH_CPUPROFILE"); path != "" {
			f, err := os.Create(path + "." + format)
			if err != nil {
				close(stop)
				return err
			}
			_ = pprof.StartCPUProfile(f)
			defer f.Close()
		}
		t := time.Now()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.url+auditexport.Path+"?format="+format, nil)
		req.Header.Set("Authorization", "Bearer "+srv.apiKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			close(stop)
			return err
		}
		br := bufio.NewReaderSize(resp.Body, 64<<10)
		if _, err := br.Peek(1); err != nil {
			close(stop)
			return fmt.Errorf("export: %d %v", resp.StatusCode, err)
		}
		r := result{format: format, firstByte: time.Since(t)}
		lines := 0
		for {
			line, err := br.ReadSlice('\n')
			r.bytes += int64(len(line))
			if len(line) > 0 && line[len(line)-1] == '\n' {
				lines++
			}
			if err == io.EOF {
				break
			}
			if err != nil && err != bufio.ErrBufferFull {
				close(stop)
				return err
			}
		}
		r.total = time.Since(t)
		pprof.StopCPUProfile()
		resp.Body.Close()
		close(stop)
		sampler.Wait()
		r.events = lines
		if format == "csv" {
			r.events-- // the header
		}
		r.heapGrowth = maxHeap - min(maxHeap, baseHeap)
		r.rssGrowth = maxRSS - baseRSS
		progress("  %d events, %.1f MB in %s (first byte after %s), heap +%.1f MB, RSS +%.1f MB", r.events,
			float64(r.bytes)/1e6, r.total.Round(time.Millisecond), r.firstByte.Round(time.Millisecond),
			float64(r.heapGrowth)/1e6, float64(r.rssGrowth)/1e6)
		results = append(results, r)
	}
	fmt.Printf("# Audit log export benchmark\n\nRun %s, %s, %s; %d events seeded in one organization (retention 365 days, all exported).\n\n",
		started.UTC().Format("2006-01-02 15:04 UTC"), time.Since(started).Round(time.Second), load, events)
	fmt.Println("| format | events | size | first byte | total | events/s | server heap growth (max) | RSS growth (max) | target |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, r := range results {
		ok := r.total <= 20*time.Second && r.rssGrowth <= 50e6 && r.heapGrowth <= 50e6
		fmt.Printf("| %s | %d | %.0f MB | %s | %s | %.0f | %.1f MB | %.1f MB | ≤ 20 s, ≤ 50 MB %s |\n", r.format, r.events,
			float64(r.bytes)/1e6, r.firstByte.Round(time.Millisecond), r.total.Round(10*time.Millisecond),
			float64(r.events)/r.total.Seconds(), float64(r.heapGrowth)/1e6, float64(r.rssGrowth)/1e6, map[bool]string{true: "✅", false: "❌"}[ok])
	}
	return nil
}

func heapInUse() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// residentBytes is the process's resident set size (VmRSS), 0 when unknown.
func residentBytes() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
