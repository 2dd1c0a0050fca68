package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orgtrail/orgtrail/server/audit"
)

// spaQueryText is the Audit Log tab's page query, read from frontend/src
// when the benchmark starts (spaAuditEventsQuery).
var spaQueryText string

// sqlRuns is how many times measureSQL runs a statement each way.
const sqlRuns = 30

// measureSQL times the statement audit.Reader.List runs for c, the way the
// server sends it (pgx, exec mode, all rows read), and its execution inside
// PostgreSQL as EXPLAIN ANALYZE reports it (planning included). The
// HTTP figures divided by these are what the server adds.
func measureSQL(ctx context.Context, cfg options, db *benchDB, c readCase) (roundTrips, executed []time.Duration) {
	q := audit.ListQuery{First: 50, After: c.after, RetentionDays: db.retentionDays}
	for k, v := range c.filter {
		s, _ := v.(string)
		switch k {
		case "category":
			q.Filter.Category = audit.Category(s)
		case "action":
			q.Filter.Action = audit.Action(s)
		case "range":
			q.Filter.Range = audit.DateRange(s)
		case "search":
			q.Filter.Search = s
		}
	}
	stmt, args, err := audit.ListStatement(db.mainOrg, q)
	if err != nil {
		progress("  SQL of %s: %v", c.name, err)
		return nil, nil
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, nil
	}
	defer conn.Release()
	deadline := time.Now().Add(cfg.timeLimit)
	for i := 0; i < 3+sqlRuns && time.Now().Before(deadline); i++ {
		started := time.Now()
		rows, err := conn.Query(ctx, stmt, append([]any{pgx.QueryExecModeExec}, args...)...)
		if err != nil {
			progress("  SQL of %s: %v", c.name, err)
			return nil, nil
		}
		for rows.Next() {
			_ = rows.RawValues()
		}
		rows.Close()
		if rows.Err() != nil {
			progress("  SQL of %s: %v", c.name, rows.Err())
			return nil, nil
		}
		elapsed := time.Since(started)
		var plan []struct {
			Planning  float64 `json:"Planning Time"`
			Execution float64 `json:"Execution Time"`
		}
		var raw []byte
		err = conn.QueryRow(ctx, "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "+stmt, append([]any{pgx.QueryExecModeExec}, args...)...).Scan(&raw)
		if err == nil {
			err = json.Unmarshal(raw, &plan)
		}
		if err != nil || len(plan) == 0 {
			progress("  EXPLAIN of %s: %v", c.name, err)
			return nil, nil
		}
		if i >= 3 {
			roundTrips = append(roundTrips, elapsed)
			executed = append(executed, time.Duration((plan[0].Planning+plan[0].Execution)*float64(time.Millisecond)))
		}
	}
	return roundTrips, executed
}

// ratio is a/b as "12.3×", or "—".
func ratio(a, b time.Duration) string {
	if a <= 0 || b <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f×", float64(a)/float64(b))
}

// processMemory describes this process's memory: the servers run in it, so
// its resident set is theirs plus the benchmark client's (the Go heap in
// use is shown beside it).
func processMemory() string {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return ""
	}
	fields := map[string]string{}
	for _, line := range strings.Split(string(status), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			fields[k] = strings.TrimSpace(v)
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return fmt.Sprintf("RSS %s (peak %s) of the process serving the two server instances and running the client; Go heap in use %d MB, Go runtime total %d MB",
		fields["VmRSS"], fields["VmHWM"], m.HeapInuse>>20, m.Sys>>20)
}
