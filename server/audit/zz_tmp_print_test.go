package audit

import (
	"context"
	"github.com/orgtrail/orgtrail/server/database"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestZZPrintSQL(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	q := ListQuery{First: 50, Filter: Filter{Search: os.Getenv("ZZ_TERM"), Category: Category(os.Getenv("ZZ_CAT")), Range: DateRange(os.Getenv("ZZ_RANGE"))}, Now: time.Now()}
	l, err := newListing(uuid.MustParse("0a0a0a0a-0000-4000-8000-000000000000"), q)
	if err != nil {
		t.Fatal(err)
	}
	var s sqlText
	if l.search != nil {
		l.searchStatement(&s)
	} else {
		l.listStatement(&s)
	}
	out := s.String()
	for _, a := range s.args {
		var lit string
		switch v := a.(type) {
		case time.Time:
			lit = "'" + v.UTC().Format(time.RFC3339Nano) + "'::timestamptz"
		case uuid.UUID:
			lit = "'" + v.String() + "'::uuid"
		case string:
			lit = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		default:
			lit = fmt.Sprint(v)
		}
		out = strings.Replace(out, "?", lit, 1)
	}
	os.WriteFile(os.Getenv("ZZ"), []byte(out+";\n"), 0o644)
}

func TestZZRun(t *testing.T) {
	if os.Getenv("ZZ_DSN") == "" {
		t.Skip()
	}
	db, err := database.Open(t.Context(), os.Getenv("ZZ_DSN"), database.Options{MaxOpenConns: 1, StatementTimeout: 60 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r := &Reader{DB: db}
	q := ListQuery{First: 50, Filter: Filter{Search: os.Getenv("ZZ_TERM"), Category: Category(os.Getenv("ZZ_CAT")), Range: DateRange(os.Getenv("ZZ_RANGE"))}}
	for i := 0; i < 10; i++ {
		start := time.Now()
		p, err := r.List(context.Background(), uuid.MustParse("0a0a0a0a-0000-4000-8000-000000000000"), q)
		t.Logf("%d: %v %d %v", i, time.Since(start), len(p.Events), err)
	}
}

func TestZZPrepared(t *testing.T) {
	if os.Getenv("ZZP") == "" {
		t.Skip()
	}
	q := ListQuery{First: 50, Filter: Filter{Search: os.Getenv("ZZ_TERM"), Category: Category(os.Getenv("ZZ_CAT")), Action: Action(os.Getenv("ZZ_ACTION")), ActorID: os.Getenv("ZZ_ACTOR"), Range: DateRange(os.Getenv("ZZ_RANGE"))}, Now: time.Now()}
	l, err := newListing(uuid.MustParse("0a0a0a0a-0000-4000-8000-000000000000"), q)
	if err != nil {
		t.Fatal(err)
	}
	var s sqlText
	if l.search != nil {
		l.searchStatement(&s)
	} else {
		l.listStatement(&s)
	}
	out := s.String()
	var types, vals []string
	for i, a := range s.args {
		var lit, typ string
		switch v := a.(type) {
		case time.Time:
			lit, typ = "'"+v.UTC().Format(time.RFC3339Nano)+"'", "timestamptz"
		case uuid.UUID:
			lit, typ = "'"+v.String()+"'", "uuid"
		case string:
			lit, typ = "'"+strings.ReplaceAll(v, "'", "''")+"'", "text"
		default:
			lit, typ = fmt.Sprint(v), "int"
		}
		out = strings.Replace(out, "?", fmt.Sprintf("$%d", i+1), 1)
		types = append(types, typ)
		vals = append(vals, lit)
	}
	sql := "SET plan_cache_mode = force_generic_plan;\nPREPARE p(" + strings.Join(types, ",") + ") AS " + out + ";\nEXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE p(" + strings.Join(vals, ",") + ");\n"
	os.WriteFile(os.Getenv("ZZP"), []byte(sql), 0o644)
}
