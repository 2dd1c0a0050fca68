package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/orgtrail/orgtrail/server/seed"
)

// Targets of the write path, the seeder and the read path's cost, exactly
// those of the "Performance" section (issue 2).
const (
	seedRateTarget = 50_000 // events per second, COPY
	// Auditing adds at most auditCostTarget to a mutation's median latency,
	// and the audit row's INSERT never takes more than auditSpikeTarget.
	auditCostTarget  = 500 * time.Microsecond
	auditSpikeTarget = 50 * time.Millisecond
	// statementsTarget bounds the SQL statements of one auditEvents request,
	// authentication included.
	statementsTarget = 3
	// storageTarget bounds the bytes per event, table and indexes.
	storageTarget = 1200
)

// report gathers the measurements and prints them as Markdown.
type report struct {
	cfg               options
	started, finished time.Time
	loadAverage       string

	seedMain, seedOthers seed.Stats
	vacuum               time.Duration

	pgVersion, sharedBuffers, fsync, syncCommit string
	tableBytes, indexBytes                      int64
	partitions                                  int
	totalEvents                                 int64
	indexes                                     []string

	// rss describes the process's memory after the reads (the server runs
	// in the benchmark's process).
	rss        string
	throughput *throughputResult
	walk       walkResult
	reads      []readResult
	writes     []writeResult
}

// row is one line of the summary table.
type row struct {
	metric, median, p95, max, target, ok string
}

func okMark(ok bool) string {
	if ok {
		return "✅"
	}
	return "❌"
}

func (r *report) write(out io.Writer) error {
	w := bufio.NewWriter(out)
	cfg := r.cfg
	fmt.Fprintf(w, "## Benchmark results\n\n")
	fmt.Fprintf(w, "Run on %s, %s in all. %s events in the measured organization and %s spread over %d others (%s rows in `audit_events`, %d monthly partitions); %d requests per query, one at a time, through `POST /graphql` with an API key.\n\n",
		r.started.UTC().Format("2006-01-02 15:04 MST"), r.finished.Sub(r.started).Round(time.Second),
		thousands(r.seedMain.Events), thousands(r.seedOthers.Events), cfg.orgs, thousands(int(r.totalEvents)), r.partitions, cfg.requests)
	fmt.Fprintf(w, "Machine: %s. PostgreSQL %s (shared_buffers %s, fsync %s, synchronous_commit %s). %s, %s.\n\n",
		machine(), r.pgVersion, r.sharedBuffers, r.fsync, r.syncCommit, runtime.Version(), r.loadAverage)

	rows := r.summary()
	fmt.Fprintf(w, "| metric | median | p95 | max | target | ok? |\n|---|---:|---:|---:|---|:-:|\n")
	for _, x := range rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", x.metric, x.median, x.p95, x.max, x.target, x.ok)
	}

	fmt.Fprintf(w, "\n### Reads\n\nEach query is sent with the selection the Audit Log tab sends (read from frontend/src at start, below), and alternately with the light selection `id occurredAt action`. *SQL* is the statement the server runs (`audit.ListStatement`) sent from a pgx connection and its rows read; *in PostgreSQL* is EXPLAIN ANALYZE's planning + execution time of the same statement; the ratio is the HTTP median (SPA selection) over that.\n\n")
	fmt.Fprintf(w, "| query | requests | rows | median (SPA selection) | p95 | max | median (light) | p95 (light) | SQL via pgx | in PostgreSQL | HTTP ÷ PostgreSQL | SQL statements |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, res := range r.reads {
		stmts := "—"
		if res.statements >= 0 {
			stmts = strconv.FormatFloat(res.statements, 'f', -1, 64)
		}
		switch {
		case res.err != nil:
			fmt.Fprintf(w, "| %s | — | — | error: %s | | | | | | | | %s |\n", res.name, oneLine(res.err.Error()), stmts)
		case res.refused != "":
			fmt.Fprintf(w, "| %s | — | — | refused: %s | | | | | | | | %s |\n", res.name, oneLine(res.refused), stmts)
		default:
			p50 := percentile(res.samples, 50)
			fmt.Fprintf(w, "| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", res.name, len(res.samples), res.rows,
				fmtDuration(p50), fmtDuration(percentile(res.samples, 95)), fmtDuration(percentile(res.samples, 100)),
				fmtDuration(percentile(res.light, 50)), fmtDuration(percentile(res.light, 95)),
				fmtDuration(percentile(res.sql, 50)), fmtDuration(percentile(res.executed, 50)),
				ratio(p50, percentile(res.executed, 50)), stmts)
		}
	}
	if spaQueryText != "" {
		fmt.Fprintf(w, "\nThe SPA's page query, as sent:\n\n```graphql\n%s```\n", spaQueryText)
	}
	if r.rss != "" {
		fmt.Fprintf(w, "\nMemory after the reads: %s.\n", r.rss)
	}
	if r.walk.pages > 0 {
		fmt.Fprintf(w, "\nReaching the deep page took %d requests of 200 rows (%s rows) in %s, %s per page on average.\n",
			r.walk.pages, thousands(r.walk.rows), r.walk.elapsed.Round(100*time.Millisecond), fmtDuration(r.walk.elapsed/time.Duration(r.walk.pages)))
	}

	fmt.Fprintf(w, "\n### Cost of the audit row\n\n`rbac.Service.CreateRole` (one role, one permission) on two handles over the same database, one with the audit recorder registered and one without; both variants alternate in the same loop.\n\n")
	fmt.Fprintf(w, "| clients | variant | mutations | median | p95 | p99 | max |\n|---:|---|---:|---:|---:|---:|---:|\n")
	for _, res := range r.writes {
		fmt.Fprintf(w, "| %d | %s | %d | %s | %s | %s | %s |\n", res.clients, res.variant, len(res.samples),
			fmtDuration(percentile(res.samples, 50)), fmtDuration(percentile(res.samples, 95)),
			fmtDuration(percentile(res.samples, 99)), fmtDuration(percentile(res.samples, 100)))
		if res.variant == withAudit {
			ins := res.auditInserts
			fmt.Fprintf(w, "| %d | its audit `INSERT` alone | %d | %s | %s | %s | %s |\n", res.clients, len(ins),
				fmtDuration(percentile(ins, 50)), fmtDuration(percentile(ins, 95)),
				fmtDuration(percentile(ins, 99)), fmtDuration(percentile(ins, 100)))
		}
	}
	for _, d := range r.auditCosts() {
		fmt.Fprintf(w, "| %d | **difference** | | %s | %s | %s | %s |\n", d.clients, signed(d.p50), signed(d.p95), signed(d.p99), signed(d.max))
	}

	if t := r.throughput; t != nil {
		fmt.Fprintf(w, "\n### Throughput\n\n%d clients posting audited `createRole` mutations (role + permission + audit row, one transaction each) through `POST /graphql` with the API key for %s (%s): **%s mutations/s** (target ≥ %s), latency p50 %s, p95 %s, max %s; %d failed.\n\n",
			t.clients, t.elapsed.Round(100*time.Millisecond), t.loadStart, thousands(int(t.rate())), thousands(throughputTarget),
			fmtDuration(percentile(t.samples, 50)), fmtDuration(percentile(t.samples, 95)), fmtDuration(percentile(t.samples, 100)), t.failed)
		perMutation := func(d time.Duration) string {
			if t.done == 0 {
				return "—"
			}
			return fmtDuration(d / time.Duration(t.done))
		}
		fmt.Fprintf(w, "Where the CPU went (of %s available on %d cores): this process (server and load program) %s (%s per mutation), PostgreSQL %s (%s per mutation), the rest of the machine %s.\n",
			(t.elapsed * time.Duration(runtime.NumCPU())).Round(100*time.Millisecond), runtime.NumCPU(),
			t.cpuSelf.Round(100*time.Millisecond), perMutation(t.cpuSelf), t.cpuPG.Round(100*time.Millisecond), perMutation(t.cpuPG),
			max(t.cpuAll-t.cpuSelf-t.cpuPG, 0).Round(100*time.Millisecond))
	}

	fmt.Fprintf(w, "\n### Data\n\n")
	fmt.Fprintf(w, "- Seeding: %s events in %s (%s events/s) into one organization; %s events in %s (%s events/s) across %d; `VACUUM (ANALYZE)` %s.\n",
		thousands(r.seedMain.Events), r.seedMain.Elapsed.Round(100*time.Millisecond), thousands(int(r.seedMain.Rate())),
		thousands(r.seedOthers.Events), r.seedOthers.Elapsed.Round(100*time.Millisecond), thousands(int(r.seedOthers.Rate())), r.seedOthers.Organizations,
		r.vacuum.Round(100*time.Millisecond))
	if r.totalEvents > 0 {
		fmt.Fprintf(w, "- Storage: %s table + %s indexes = %s bytes per event.\n",
			bytesPerEvent(r.tableBytes, r.totalEvents), bytesPerEvent(r.indexBytes, r.totalEvents), bytesPerEvent(r.tableBytes+r.indexBytes, r.totalEvents))
	}
	fmt.Fprintf(w, "- Indexes of `audit_events`:\n")
	for _, ix := range r.indexes {
		fmt.Fprintf(w, "  - `%s`\n", ix)
	}
	return w.Flush()
}

func (r *report) summary() []row {
	var rows []row
	for _, res := range r.reads {
		name := res.name
		switch {
		case res.err != nil:
			rows = append(rows, row{name, "error: " + oneLine(res.err.Error()), "", "", readTarget(res.readCase), okMark(false)})
		case res.mustRefuse:
			if res.refused != "" {
				rows = append(rows, row{name, "refused", "", "", "refused", okMark(true)})
			} else {
				rows = append(rows, row{name, fmtDuration(percentile(res.samples, 50)), fmtDuration(percentile(res.samples, 95)),
					fmtDuration(percentile(res.samples, 100)), "refused", okMark(false)})
			}
		case res.refused != "":
			rows = append(rows, row{name, "refused: " + oneLine(res.refused), "", "", readTarget(res.readCase), okMark(false)})
		case res.deep:
			ok, target := false, fmt.Sprintf("median ≤ %.1f× first page", deepRatioTarget)
			median := fmtDuration(percentile(res.samples, 50))
			if len(r.reads[0].samples) > 0 {
				ratio := float64(percentile(res.samples, 50)) / float64(percentile(r.reads[0].samples, 50))
				median += fmt.Sprintf(" (%.2f×)", ratio)
				ok = ratio <= deepRatioTarget
			}
			rows = append(rows, row{name, median, fmtDuration(percentile(res.samples, 95)), fmtDuration(percentile(res.samples, 100)), target, okMark(ok)})
		default:
			p50, p95 := percentile(res.samples, 50), percentile(res.samples, 95)
			ok := p95 <= res.target && (res.medianTarget == 0 || p50 <= res.medianTarget)
			rows = append(rows, row{name, fmtDuration(p50), fmtDuration(p95), fmtDuration(percentile(res.samples, 100)), readTarget(res.readCase), okMark(ok)})
		}
	}
	for _, d := range r.auditCosts() {
		rows = append(rows, row{fmt.Sprintf("Auditing cost per mutation (`CreateRole`), %s; max = audit `INSERT` alone", plural(d.clients, "client")),
			fmt.Sprintf("%s (%+.0f%%)", signed(d.p50), d.relative), signed(d.p95), fmtDuration(d.insertMax),
			fmt.Sprintf("median ≤ +%s; no spike > %s", fmtDuration(auditCostTarget), fmtTarget(auditSpikeTarget)),
			okMark(d.p50 <= auditCostTarget && d.insertMax <= auditSpikeTarget)})
	}
	if t := r.throughput; t != nil {
		rows = append(rows, row{fmt.Sprintf("Audited GraphQL mutations (`createRole`), %d clients", t.clients), thousands(int(t.rate())) + "/s",
			fmtDuration(percentile(t.samples, 95)), fmtDuration(percentile(t.samples, 100)), "≥ " + thousands(throughputTarget) + "/s", okMark(t.rate() >= throughputTarget)})
	}
	rate := func(name string, s seed.Stats) {
		if s.Events > 0 {
			rows = append(rows, row{name, thousands(int(s.Rate())) + " events/s", "", "", "≥ " + thousands(seedRateTarget) + " events/s", okMark(s.Rate() >= seedRateTarget)})
		}
	}
	rate(fmt.Sprintf("Seed rate (COPY), %s events into one organization", thousands(r.seedMain.Events)), r.seedMain)
	rate(fmt.Sprintf("Seed rate (COPY), %s events across %d organizations", thousands(r.seedOthers.Events), r.seedOthers.Organizations), r.seedOthers)
	most := -1.0
	for _, res := range r.reads {
		most = max(most, res.statements)
	}
	if most >= 0 {
		rows = append(rows, row{"SQL statements per `auditEvents` request (most over all queries, API-key authentication included)",
			strconv.FormatFloat(most, 'f', -1, 64), "", "", fmt.Sprintf("≤ %d", statementsTarget), okMark(most <= statementsTarget)})
	}
	if r.totalEvents > 0 {
		per := float64(r.tableBytes+r.indexBytes) / float64(r.totalEvents)
		rows = append(rows, row{fmt.Sprintf("Storage per event, table + indexes (%s events)", thousands(int(r.totalEvents))),
			bytesPerEvent(r.tableBytes+r.indexBytes, r.totalEvents) + " B", "", "", fmt.Sprintf("≤ %s B", thousands(storageTarget)), okMark(per <= storageTarget)})
	}
	return rows
}

// readTarget describes a read's target.
func readTarget(c readCase) string {
	switch {
	case c.mustRefuse:
		return "refused"
	case c.deep:
		return fmt.Sprintf("median ≤ %.1f× first page", deepRatioTarget)
	case c.medianTarget > 0:
		return "median ≤ " + fmtTarget(c.medianTarget) + ", p95 ≤ " + fmtTarget(c.target)
	default:
		return "p95 ≤ " + fmtTarget(c.target)
	}
}

// auditCost is the latency the audit row adds at one concurrency level.
type auditCost struct {
	clients            int
	p50, p95, p99, max time.Duration
	// insertMax is the slowest audit INSERT of the audited variant.
	insertMax time.Duration
	// relative is p50 as a percentage of the unaudited median.
	relative float64
}

func (r *report) auditCosts() []auditCost {
	var out []auditCost
	for i := 0; i+1 < len(r.writes); i += 2 {
		without, with := r.writes[i], r.writes[i+1]
		if len(without.samples) == 0 || len(with.samples) == 0 {
			continue
		}
		out = append(out, auditCost{
			clients:   with.clients,
			p50:       percentile(with.samples, 50) - percentile(without.samples, 50),
			p95:       percentile(with.samples, 95) - percentile(without.samples, 95),
			p99:       percentile(with.samples, 99) - percentile(without.samples, 99),
			max:       percentile(with.samples, 100) - percentile(without.samples, 100),
			insertMax: percentile(with.auditInserts, 100),
			relative: 100 * float64(percentile(with.samples, 50)-percentile(without.samples, 50)) /
				float64(percentile(without.samples, 50)),
		})
	}
	return out
}

// percentile returns the p-th percentile of samples by the nearest-rank
// method (p = 100 is the maximum).
func percentile(samples []time.Duration, p float64) time.Duration {
	if len(samples) == 0 {
		return 0
	}
	sorted := slices.Clone(samples)
	slices.Sort(sorted)
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

func fmtDuration(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms >= 1000:
		return fmt.Sprintf("%.2f s", ms/1000)
	case ms >= 100:
		return fmt.Sprintf("%.0f ms", ms)
	case ms >= 10:
		return fmt.Sprintf("%.1f ms", ms)
	default:
		return fmt.Sprintf("%.2f ms", ms)
	}
}

// fmtTarget formats a round target: 50 ms, 1 ms.
func fmtTarget(d time.Duration) string {
	return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func signed(d time.Duration) string {
	if d < 0 {
		return "−" + fmtDuration(-d)
	}
	return "+" + fmtDuration(d)
}

func bytesPerEvent(bytes, events int64) string {
	return thousands(int(math.Round(float64(bytes) / float64(events))))
}

// thousands formats n with commas: 1234567 → "1,234,567".
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, "|", "\\|")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// machine describes the hardware: CPU model and count, memory, kernel.
func machine() string {
	model := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(data)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	desc := fmt.Sprintf("%d × %s (nproc %d)", runtime.NumCPU(), model, runtime.NumCPU())
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.Lines(string(data)) {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
					desc += fmt.Sprintf(", %.1f GiB RAM", kb/(1<<20))
				}
			}
		}
	}
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		desc += ", Linux " + strings.TrimSpace(string(data))
	}
	return desc
}

// loadAverage is /proc/loadavg's 1, 5 and 15 minute load, to tell a busy
// machine from a slow program.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load average unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "load average unknown"
	}
	return "load average " + strings.Join(f[:3], " ") + " at the start"
}
