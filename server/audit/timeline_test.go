package audit

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/server/database"
)

func TestTimelineIntervalsFollowTheRange(t *testing.T) {
	for _, tc := range []struct {
		span time.Duration
		want Interval
	}{
		{time.Hour, Minute},
		{6 * time.Hour, FiveMinutes},
		{24 * time.Hour, Hour},
		{7 * 24 * time.Hour, SixHours},
		{30 * 24 * time.Hour, Day},
		{90 * 24 * time.Hour, Day},
		{365 * 24 * time.Hour, Week},
		{3650 * 24 * time.Hour, Month},
	} {
		if got := chooseInterval(tc.span); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.span, got, tc.want)
		}
	}
}

func TestTimelineBucketsAreLocalDaysAcrossADSTChange(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	// 2026-10-25 is 25 hours long in Paris.
	lo := time.Date(2026, 10, 24, 15, 0, 0, 0, paris)
	hi := time.Date(2026, 10, 27, 9, 0, 0, 0, paris)
	b := bucketBounds(lo, hi, Day, paris)
	want := []time.Time{
		time.Date(2026, 10, 24, 0, 0, 0, 0, paris), time.Date(2026, 10, 25, 0, 0, 0, 0, paris),
		time.Date(2026, 10, 26, 0, 0, 0, 0, paris), time.Date(2026, 10, 27, 0, 0, 0, 0, paris),
		time.Date(2026, 10, 28, 0, 0, 0, 0, paris),
	}
	if fmt.Sprint(b) != fmt.Sprint(want) {
		t.Fatalf("bounds %v, want %v", b, want)
	}
	if d := b[2].Sub(b[1]); d != 25*time.Hour {
		t.Errorf("the day of the change lasts %v", d)
	}
	if w := bucketBounds(time.Date(2026, 11, 26, 12, 0, 0, 0, paris), time.Date(2026, 12, 1, 0, 0, 0, 0, paris), Week, paris); w[0].Weekday() != time.Monday {
		t.Errorf("a week starts on %s", w[0].Weekday())
	}
}

// The timeline counts exactly what the list holds, bucket by bucket, for
// every kind of filter, whether the counts come from the events or from
// the hourly counts the verifiable log keeps, and in a zone whose days cut
// UTC hours in half.
func TestTimelineCountsWhatTheListHolds(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	actions := []Action{LoggedIn, CreatedRole, UpdatedSecret, ProvisionedUser, UpdatedOrgSettings}
	var events []Event
	for i := range 600 {
		// Every 100 minutes and a bit, over about 42 days.
		at := testNow.Add(-time.Duration(i)*101*time.Minute - time.Duration(i%7)*time.Second)
		e := event(org, at, actions[i%len(actions)], func(e *Event) { e.ID = uuid.New() })
		if i%4 == 0 {
			e.ActorID, e.ActorEmail = "user-2", "bob@example.com"
		}
		if i%9 == 0 {
			e.Details = Details{"note": "needle"}
		}
		events = append(events, e)
	}
	f.insert(t, events...)
	// Count a part of the log the way the integrator does: everything up to
	// the 400th event in (xid, id) order (one transaction here, so id order).
	if err := f.db.Conn(t.Context()).Exec(`
		WITH upto AS (SELECT xid, id FROM audit_events WHERE organization_id = ? ORDER BY xid, id OFFSET 399 LIMIT 1)
		INSERT INTO audit_logs (organization_id, origin, root_hash, counted_xid, counted_id)
		SELECT ?, 'test', '\x00', xid, id FROM upto`, org, org).Error; err != nil {
		t.Fatal(err)
	}
	if err := f.db.Conn(t.Context()).Exec(`INSERT INTO audit_event_counts (organization_id, hour, action, events)
		SELECT e.organization_id, date_trunc('hour', e.occurred_at, 'UTC'), e.action, count(*)
		FROM audit_events e JOIN audit_logs l ON l.organization_id = e.organization_id
		WHERE e.organization_id = ? AND (e.xid, e.id) <= (l.counted_xid, l.counted_id) GROUP BY 1, 2, 3`, org).Error; err != nil {
		t.Fatal(err)
	}
	from, to := testNow.Add(-20*24*time.Hour-17*time.Minute), testNow.Add(-3*24*time.Hour+29*time.Minute)
	for _, tc := range []struct {
		name   string
		filter Filter
	}{
		{"all time", Filter{}},
		{"last 30 days", Filter{Range: Last30Days}},
		{"last 7 days in Kolkata", Filter{Range: Last7Days, TimeZone: "Asia/Kolkata"}},
		{"last 30 days in Kolkata", Filter{Range: Last30Days, TimeZone: "Asia/Kolkata"}},
		{"today", Filter{Range: Today, TimeZone: "America/New_York"}},
		{"from and to", Filter{From: &from, To: &to, TimeZone: "Europe/Paris"}},
		{"category", Filter{Category: RolesAndPermissions}},
		{"query of actions", Filter{Query: "category:auth action:updated_secret", Range: Last30Days}},
		{"actor", Filter{ActorID: "user-2", Range: Last30Days}},
		{"search", Filter{Search: "needle"}},
		{"query with a word and a negation", Filter{Query: "needle -bob@example.com after:2026-11-01"}},
		{"nothing", Filter{Query: "-category:auth -category:rbac -category:secrets -category:scim -category:org"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := ListQuery{Filter: tc.filter, Now: testNow}
			tl, err := f.reader.Timeline(t.Context(), org, q)
			if err != nil {
				t.Fatal(err)
			}
			listed := f.walk(t, org, tc.filter, 200)
			byID := map[uuid.UUID]Event{}
			for _, e := range events {
				byID[e.ID] = e
			}
			want := make([]int, len(tl.Buckets))
			wantCat := make([]map[Category]int, len(tl.Buckets))
			for _, id := range listed {
				e := byID[id]
				found := false
				for i, b := range tl.Buckets {
					if !e.OccurredAt.Before(b.Start) && e.OccurredAt.Before(b.End) {
						want[i]++
						if wantCat[i] == nil {
							wantCat[i] = map[Category]int{}
						}
						wantCat[i][e.Action.Category()]++
						found = true
					}
				}
				if !found {
					t.Fatalf("event at %v is in no bucket of %v..%v", e.OccurredAt, tl.From, tl.To)
				}
			}
			total := 0
			for i, b := range tl.Buckets {
				total += b.Count
				if b.Count != want[i] {
					t.Errorf("bucket %v: %d events, the list holds %d", b.Start, b.Count, want[i])
				}
				for _, c := range b.Categories {
					if c.Count != wantCat[i][c.Category] {
						t.Errorf("bucket %v, %s: %d, the list holds %d", b.Start, c.Category, c.Count, wantCat[i][c.Category])
					}
				}
			}
			if total != len(listed) || tl.Total != total {
				t.Errorf("total %d (buckets %d), the list holds %d", tl.Total, total, len(listed))
			}
			if len(tl.Buckets) > MaxTimelineBuckets+1 {
				t.Errorf("%d buckets", len(tl.Buckets))
			}
		})
	}
}

// TestTimelinePlans prints, for each timeline shape, its statement, its
// EXPLAIN (ANALYZE, BUFFERS) and the p50/p95 of Reader.Timeline over 20
// calls, on a database with a large log (see TestQueryPlans):
//
//	AUDIT_PLANS_DSN=postgres://... AUDIT_PLANS_ORG=<organization uuid> \
//	AUDIT_PLANS_QUERIES="role; actor:someone@example.com" go test ./server/audit -run TestTimelinePlans -v
func TestTimelinePlans(t *testing.T) {
	dsn, orgText := os.Getenv("AUDIT_PLANS_DSN"), os.Getenv("AUDIT_PLANS_ORG")
	if dsn == "" || orgText == "" {
		t.Skip("set AUDIT_PLANS_DSN and AUDIT_PLANS_ORG to measure plans on a large log")
	}
	org := uuid.MustParse(orgText)
	ctx := t.Context()
	db, err := database.Open(ctx, dsn, database.Options{StatementTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := &Reader{DB: db}
	shapes := []struct {
		name   string
		filter Filter
	}{
		{"last 90 days", Filter{Range: Last90Days}},
		{"last 90 days in Kolkata", Filter{Range: Last90Days, TimeZone: "Asia/Kolkata"}},
		{"last 7 days", Filter{Range: Last7Days}},
		{"today", Filter{Range: Today}},
		{"all time", Filter{}},
		{"last 90 days, category Roles & Permissions", Filter{Range: Last90Days, Category: RolesAndPermissions}},
	}
	for _, s := range strings.Split(os.Getenv("AUDIT_PLANS_QUERIES"), ";") {
		if s = strings.TrimSpace(s); s != "" {
			shapes = append(shapes, struct {
				name   string
				filter Filter
			}{"last 90 days, query " + s, Filter{Range: Last90Days, Query: s}})
		}
	}
	for _, shape := range shapes {
		q := ListQuery{Filter: shape.filter, Now: time.Now()}
		var latencies []time.Duration
		var tl Timeline
		for i := range 23 {
			start := time.Now()
			if tl, err = r.Timeline(ctx, org, q); err != nil {
				t.Fatalf("%s: %v", shape.name, err)
			}
			if i >= 3 {
				latencies = append(latencies, time.Since(start))
			}
		}
		slices.Sort(latencies)
		l, err := newListing(org, q)
		if err != nil {
			t.Fatal(err)
		}
		loc, _ := timeZone(shape.filter.TimeZone, "")
		bounds := bucketBounds(tl.From, tl.To, tl.Interval, loc)
		var stmt sqlText
		l.timelineStatement(&stmt, tl.From, tl.To, bounds, tl.Interval, "0")
		var plan []string
		err = db.Conn(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec(`SET LOCAL jit = off`).Error; err != nil {
				return err
			}
			raw := tx.Raw("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + stmt.String())
			raw.Statement.Vars = append([]any{pgx.QueryExecModeExec}, stmt.args...)
			return raw.Scan(&plan).Error
		})
		if err != nil {
			t.Fatalf("%s: explain: %v", shape.name, err)
		}
		t.Logf("== %s: %d events in %d %s buckets; Timeline p50 %v, p95 %v\n%s\n%s", shape.name, tl.Total, len(tl.Buckets), tl.Interval,
			latencies[len(latencies)/2].Round(10*time.Microsecond), latencies[len(latencies)*95/100].Round(10*time.Microsecond),
			stmt.String(), strings.Join(plan, "\n"))
	}
}
