package seed_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/orgtrail/orgtrail/server/seed"
)

func TestExpTemporary(t *testing.T) {
	exp := os.Getenv("EXP")
	if exp == "" {
		t.Skip()
	}
	n, _ := strconv.Atoi(os.Getenv("EXP_N"))
	pool := newPool(t)
	ctx := t.Context()
	org := createOrganization(t, pool, "Acme Corp")
	exec := func(sql string) {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`SELECT audit_events_ensure_partitions((now() - interval '130 days')::date, 6)`)
	var defs []string
	switch exp {
	case "fastupdate":
		rows, _ := pool.Query(ctx, `SELECT c.oid::regclass::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_events_search_idx'::regclass`)
		var names []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			names = append(names, s)
		}
		rows.Close()
		for _, nm := range names {
			exec(`ALTER INDEX ` + nm + ` SET (fastupdate = on, gin_pending_list_limit = 65536)`)
		}
		t.Log(names)
	case "drop":
		rows, _ := pool.Query(ctx, `SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'audit_events'::regclass AND NOT indisprimary`)
		for rows.Next() {
			var s string
			rows.Scan(&s)
			defs = append(defs, s)
		}
		rows.Close()
		exec(`DROP INDEX audit_events_search_idx, audit_events_action_idx, audit_events_actor_idx, audit_events_resource_idx`)
	}
	st, err := seed.Events(ctx, pool, org, n, seed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: copy %d in %s (%.0f/s)", exp, st.Events, st.Elapsed, st.Rate())
	t0 := time.Now()
	switch exp {
	case "fastupdate":
		rows, _ := pool.Query(ctx, `SELECT c.oid::regclass::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_events_search_idx'::regclass`)
		var names []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			names = append(names, s)
		}
		rows.Close()
		exec(`SET work_mem = '512MB'`)
		for _, nm := range names {
			exec(`SELECT gin_clean_pending_list('` + nm + `'::regclass)`)
			exec(`ALTER INDEX ` + nm + ` RESET (fastupdate, gin_pending_list_limit)`)
		}
	case "drop":
		exec(`SET maintenance_work_mem = '1GB'`)
		for _, d := range defs {
			exec(stringsReplace(d))
		}
	}
	t.Logf("%s: after %s, total %s => %.0f/s", exp, time.Since(t0), st.Elapsed+time.Since(t0), float64(n)/(st.Elapsed+time.Since(t0)).Seconds())
}

func stringsReplace(s string) string {
	for i := 0; i+9 <= len(s); i++ {
		if s[i:i+9] == " ON ONLY " {
			return s[:i] + " ON " + s[i+9:]
		}
	}
	return s
}
