package audit

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// testNow is the fixed clock of these tests (a Wednesday, 10:00 UTC).
var testNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// statementCounter is a GORM plugin counting the statements run through it.
type statementCounter struct{ n atomic.Int64 }

func (*statementCounter) Name() string { return "test:statement_counter" }

func (c *statementCounter) Initialize(db *gorm.DB) error {
	count := func(*gorm.DB) { c.n.Add(1) }
	cb := db.Callback()
	for _, err := range []error{
		cb.Query().Before("gorm:query").Register("test:count", count),
		cb.Row().Before("gorm:row").Register("test:count", count),
		cb.Raw().Before("gorm:raw").Register("test:count", count),
		cb.Create().Before("gorm:create").Register("test:count", count),
		cb.Update().Before("gorm:update").Register("test:count", count),
		cb.Delete().Before("gorm:delete").Register("test:count", count),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

type fixture struct {
	dsn        string
	db         *database.DB
	reader     *Reader
	statements *statementCounter
}

// newFixture opens a fresh database with partitions from a year before
// testNow to three months after it.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	counter := &statementCounter{}
	dsn := pgtest.NewDatabase(t)
	db, err := database.Open(t.Context(), dsn, database.Options{Plugins: []gorm.Plugin{Recorder{}, counter}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := EnsurePartitions(t.Context(), db, testNow.AddDate(-1, 0, 0), 16); err != nil {
		t.Fatal(err)
	}
	return &fixture{dsn: dsn, db: db, reader: &Reader{DB: db}, statements: counter}
}

// event is a fixture event; options adjust it.
func event(org uuid.UUID, at time.Time, action Action, options ...func(*Event)) Event {
	e := Event{
		OrganizationID: org,
		OccurredAt:     at.UTC().Truncate(time.Microsecond),
		ID:             uuid.Must(uuid.NewV7()),
		Action:         action,
		ActorType:      ActorUser,
		ActorID:        "user-1",
		ActorEmail:     "alice@example.com",
		ActorName:      "Alice",
		ResourceType:   "role",
		ResourceID:     uuid.NewString(),
		ResourceName:   "Auditors",
		Details:        Details{},
		UserAgent:      "test",
		RequestID:      "req-1",
	}
	for _, o := range options {
		o(&e)
	}
	return e
}

func (f *fixture) insert(t *testing.T, events ...Event) {
	t.Helper()
	if err := f.db.Conn(t.Context()).Table("audit_events").CreateInBatches(events, 500).Error; err != nil {
		t.Fatal(err)
	}
}

// list runs q and checks that it took a single statement.
func (f *fixture) list(t *testing.T, org uuid.UUID, q ListQuery) (Page, error) {
	t.Helper()
	if q.Now.IsZero() {
		q.Now = testNow
	}
	before := f.statements.n.Load()
	p, err := f.reader.List(t.Context(), org, q)
	if n := f.statements.n.Load() - before; n > 3 {
		t.Errorf("List ran %d statements, want at most 3", n)
	}
	return p, err
}

func (f *fixture) mustList(t *testing.T, org uuid.UUID, q ListQuery) Page {
	t.Helper()
	p, err := f.list(t, org, q)
	if err != nil {
		t.Fatalf("List(%+v): %v", q, err)
	}
	return p
}

// walk reads every page of filter with page size n and returns the event ids
// in the order served.
func (f *fixture) walk(t *testing.T, org uuid.UUID, filter Filter, n int) []uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	after := ""
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatal("pagination does not end")
		}
		p := f.mustList(t, org, ListQuery{Filter: filter, First: n, After: after})
		if len(p.Events) > n || len(p.Cursors) != len(p.Events) {
			t.Fatalf("page of %d events and %d cursors for first=%d", len(p.Events), len(p.Cursors), n)
		}
		for _, e := range p.Events {
			ids = append(ids, e.ID)
		}
		if !p.HasNextPage {
			return ids
		}
		if len(p.Events) == 0 || p.EndCursor != p.Cursors[len(p.Cursors)-1] {
			t.Fatalf("page with a next page has %d events and end cursor %q", len(p.Events), p.EndCursor)
		}
		after = p.EndCursor
	}
}

// newestFirst returns the ids of events in the log's order.
func newestFirstIDs(events []Event) []uuid.UUID {
	sorted := slices.Clone(events)
	slices.SortFunc(sorted, func(a, b Event) int {
		if c := b.OccurredAt.Compare(a.OccurredAt); c != 0 {
			return c
		}
		return bytes.Compare(b.ID[:], a.ID[:])
	})
	ids := make([]uuid.UUID, len(sorted))
	for i, e := range sorted {
		ids[i] = e.ID
	}
	return ids
}

func idsOf(events []Event) []uuid.UUID {
	ids := make([]uuid.UUID, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	return ids
}

func requireSameIDs(t *testing.T, got, want []uuid.UUID) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	seen := map[uuid.UUID]int{}
	for _, id := range got {
		seen[id]++
	}
	missing, repeated := 0, 0
	for _, id := range want {
		if seen[id] == 0 {
			missing++
		}
	}
	for _, n := range seen {
		if n > 1 {
			repeated++
		}
	}
	t.Fatalf("got %d events, want %d (%d missing, %d repeated, or out of order)", len(got), len(want), missing, repeated)
}

func TestPagesHoldEveryEventOnceNewestFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	var events []Event
	// 460 events on 40 instants: bursts that share a timestamp straddle every
	// page boundary, and ids decide the order within them.
	for i := range 460 {
		at := testNow.Add(-time.Duration(i%40) * time.Minute)
		if i%40 == 0 {
			at = testNow.Add(-90 * 24 * time.Hour) // an older partition
		}
		events = append(events, event(org, at, CreatedRole, func(e *Event) { e.ID = uuid.New() }))
	}
	f.insert(t, events...)
	want := newestFirstIDs(events)
	for _, n := range []int{1, 7, 50, 200} {
		t.Run(fmt.Sprint("first=", n), func(t *testing.T) {
			requireSameIDs(t, f.walk(t, org, Filter{}, n), want)
		})
	}
	t.Run("category", func(t *testing.T) {
		requireSameIDs(t, f.walk(t, org, Filter{Category: RolesAndPermissions}, 7), want)
	})
	t.Run("search", func(t *testing.T) {
		requireSameIDs(t, f.walk(t, org, Filter{Search: "alice"}, 7), want)
	})
}

// TestSearchPagesReachPastTheRecentScan covers a search whose matches are
// sparse: most of them lie below the rows tested one by one and come from
// the trigram index, month window by month window.
func TestSearchPagesReachPastTheRecentScan(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	var events, matching []Event
	for i := range 3000 {
		// Spread over ten months, several events per instant.
		at := testNow.Add(-time.Duration(i/3) * 7 * time.Hour)
		e := event(org, at, LoggedIn, func(e *Event) { e.ID = uuid.New(); e.ResourceType = "session" })
		if i%37 == 0 {
			e.Details = Details{"note": fmt.Sprintf("Needle-%d", i)}
			matching = append(matching, e)
		}
		events = append(events, e)
	}
	f.insert(t, events...)
	for _, n := range []int{1, 7, 50, 200} {
		t.Run(fmt.Sprint("first=", n), func(t *testing.T) {
			requireSameIDs(t, f.walk(t, org, Filter{Search: "NEEDLE"}, n), newestFirstIDs(matching))
		})
	}
	t.Run("within a date range", func(t *testing.T) {
		from := testNow.AddDate(0, -5, -3)
		to := testNow.AddDate(0, -1, 0)
		var want []Event
		for _, e := range matching {
			if !e.OccurredAt.Before(from) && !e.OccurredAt.After(to) {
				want = append(want, e)
			}
		}
		requireSameIDs(t, f.walk(t, org, Filter{Search: "needle", From: &from, To: &to}, 7), newestFirstIDs(want))
	})
}

func TestFiltersCombine(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	secretID := uuid.NewString()
	at := func(d time.Duration) time.Time { return testNow.Add(-d) }
	bob := func(e *Event) { e.ActorID, e.ActorEmail = "user-2", "bob@example.com" }
	secret := func(e *Event) { e.ResourceType, e.ResourceID = "secret", secretID }
	events := map[string]Event{
		"bob creates the secret":    event(org, at(50*24*time.Hour), CreatedSecret, bob, secret),
		"alice updates the secret":  event(org, at(20*24*time.Hour), UpdatedSecret, secret),
		"bob updates the secret":    event(org, at(3*24*time.Hour), UpdatedSecret, bob, secret),
		"bob deletes the secret":    event(org, at(2*time.Hour), DeletedSecret, bob, secret),
		"bob creates another":       event(org, at(time.Hour), CreatedSecret, bob, func(e *Event) { e.ResourceType = "secret" }),
		"bob creates a role":        event(org, at(4*24*time.Hour), CreatedRole, bob),
		"alice logs in":             event(org, at(10*time.Minute), LoggedIn),
		"bob creates a connector":   event(org, at(100*24*time.Hour), CreatedConnector, bob),
		"bob updates the connector": event(org, at(5*time.Minute), UpdatedConnector, bob),
	}
	var all []Event
	for _, e := range events {
		all = append(all, e)
	}
	f.insert(t, all...)
	from, to := testNow.Add(-30*24*time.Hour), testNow.Add(-90*time.Minute)
	for _, tc := range []struct {
		name   string
		filter Filter
		want   []string
	}{
		{"category", Filter{Category: Secrets}, []string{"bob creates another", "bob deletes the secret", "bob updates the secret", "alice updates the secret", "bob creates the secret"}},
		{"category and action", Filter{Category: Secrets, Action: UpdatedSecret}, []string{"bob updates the secret", "alice updates the secret"}},
		{"action alone", Filter{Action: CreatedSecret}, []string{"bob creates another", "bob creates the secret"}},
		{"category and actor", Filter{Category: Secrets, ActorID: "user-1"}, []string{"alice updates the secret"}},
		{"resource", Filter{ResourceType: "secret", ResourceID: secretID}, []string{"bob deletes the secret", "bob updates the secret", "alice updates the secret", "bob creates the secret"}},
		{"resource type", Filter{ResourceType: "secret"}, []string{"bob creates another", "bob deletes the secret", "bob updates the secret", "alice updates the secret", "bob creates the secret"}},
		{"resource and last 7 days", Filter{ResourceType: "secret", ResourceID: secretID, Range: Last7Days}, []string{"bob deletes the secret", "bob updates the secret"}},
		{"actor, category and from-to", Filter{ActorID: "user-2", Category: Secrets, From: &from, To: &to}, []string{"bob deletes the secret", "bob updates the secret"}},
		{"search and category", Filter{Search: "bob@", Category: Connectors}, []string{"bob updates the connector", "bob creates a connector"}},
		{"search, category and range", Filter{Search: "bob@", Category: Connectors, Range: Last7Days}, []string{"bob updates the connector"}},
		{"search of a label and actor", Filter{Search: "created", ActorID: "user-2", Range: Last30Days}, []string{"bob creates another", "bob creates a role"}},
		{"category matched by its own label", Filter{Search: "secrets", Category: Secrets, ActorID: "user-1"}, []string{"alice updates the secret"}},
		{"action outside the search", Filter{Search: "deleted", Action: CreatedRole}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []uuid.UUID
			for _, name := range tc.want {
				want = append(want, events[name].ID)
			}
			for _, n := range []int{1, 50} {
				requireSameIDs(t, f.walk(t, org, tc.filter, n), want)
			}
		})
	}
}

func TestSearchMatchesEachSearchableField(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	at := testNow.Add(-time.Hour)
	events := map[string]Event{
		"email": event(org, at, LoggedIn, func(e *Event) { e.ActorEmail = "Zelda.Quinn@Contoso.example"; e.ResourceType = "session" }),
		"role":  event(org, at, CreatedRole, func(e *Event) { e.ActorEmail = "x@example.com" }),
		"scim":  event(org, at, ProvisionedUser, func(e *Event) { e.ActorEmail = "idp@example.com"; e.ResourceType = "user" }),
		"type":  event(org, at, CreatedConnector, func(e *Event) { e.ResourceType = "warehouse_connector" }),
		"id":    event(org, at, UpdatedConnector, func(e *Event) { e.ResourceType = "connector"; e.ResourceID = "conn-7f3a9e" }),
		"details": event(org, at, UpdatedOrgSettings, func(e *Event) {
			e.ResourceType = "organization"
			e.Details = Details{"changes": Changes{"name": {From: "Initech", To: "Globex Corporation"}}}
		}),
		"name":      event(org, at, CreatedSecret, func(e *Event) { e.ResourceType = "secret"; e.ResourceName = "Quarterly Kumquat" }),
		"ip and ua": event(org, at, LoggedOut, func(e *Event) { e.ResourceType = "session"; e.UserAgent = "Kumquat-Browser/1.0" }),
	}
	var all []Event
	for _, e := range events {
		all = append(all, e)
	}
	f.insert(t, all...)
	for _, tc := range []struct {
		term string
		want []string
	}{
		{"zelda.quinn@contoso", []string{"email"}},
		{"CONTOSO.EXAMPLE", []string{"email"}},
		{"created role", []string{"role"}},
		{"Created Role", []string{"role"}},
		{"RBAC", []string{"role"}},
		{"roles & permissions", []string{"role"}},
		{"scim provisioning", []string{"scim"}},
		{"warehouse_conn", []string{"type"}},
		{"CONN-7F3A", []string{"id"}},
		{"globex corp", []string{"details"}},
		{"initech", []string{"details"}},
		{"changes", []string{"details"}},
		// Issue 13: the resource's name as the row shows it is searched; the
		// user agent is not.
		{"kumquat", []string{"name"}},
		{"quarterly kumquat", []string{"name"}},
		{"Kumquat-Browser", nil},
	} {
		t.Run(tc.term, func(t *testing.T) {
			p := f.mustList(t, org, ListQuery{Filter: Filter{Search: tc.term}, First: 50})
			var got []string
			for name, e := range events {
				if slices.Contains(idsOf(p.Events), e.ID) {
					got = append(got, name)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("search %q found %v, want %v", tc.term, got, tc.want)
			}
		})
	}
}

func TestSearchTakesWildcardsLiterally(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	at := testNow.Add(-time.Hour)
	detail := func(v string) func(*Event) {
		return func(e *Event) { e.ResourceType = "secret"; e.Details = Details{"v": v} }
	}
	events := map[string]Event{
		"percent":    event(org, at, UpdatedSecret, detail("done 100%off")),
		"no percent": event(org, at, UpdatedSecret, detail("done 100xoff")),
		"underscore": event(org, at, UpdatedSecret, detail("abc_def")),
		"no under":   event(org, at, UpdatedSecret, detail("abcxdef")),
		"backslash":  event(org, at, UpdatedSecret, func(e *Event) { e.ResourceType = "secret"; e.ResourceID = `dom\user` }),
		"no slash":   event(org, at, UpdatedSecret, func(e *Event) { e.ResourceType = "secret"; e.ResourceID = `domxuser` }),
	}
	var all []Event
	for _, e := range events {
		all = append(all, e)
	}
	f.insert(t, all...)
	for term, want := range map[string]string{"100%off": "percent", "abc_def": "underscore", `dom\user`: "backslash"} {
		p := f.mustList(t, org, ListQuery{Filter: Filter{Search: term}, First: 50})
		if len(p.Events) != 1 || p.Events[0].ID != events[want].ID {
			t.Errorf("search %q found %d events, want only the %s one", term, len(p.Events), want)
		}
	}
}

func TestDatePresets(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	events := map[string]Event{
		"an hour ago":           event(org, testNow.Add(-time.Hour), LoggedIn),
		"yesterday 23:30 UTC":   event(org, time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC), LoggedIn),
		"yesterday 14:00 UTC":   event(org, time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC), LoggedIn),
		"6 days 23 hours ago":   event(org, testNow.Add(-(7*24-1)*time.Hour), LoggedIn),
		"7 days 1 hour ago":     event(org, testNow.Add(-(7*24+1)*time.Hour), LoggedIn),
		"29 days ago":           event(org, testNow.Add(-29*24*time.Hour), LoggedIn),
		"31 days ago":           event(org, testNow.Add(-31*24*time.Hour), LoggedIn),
		"89 days ago":           event(org, testNow.Add(-89*24*time.Hour), LoggedIn),
		"91 days ago":           event(org, testNow.Add(-91*24*time.Hour), LoggedIn),
		"in an hour (skewed)":   event(org, testNow.Add(time.Hour), LoggedIn),
		"today, 00:00 UTC":      event(org, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), LoggedIn),
		"yesterday 23:59:59.99": event(org, time.Date(2026, 11, 24, 23, 59, 59, 999999000, time.UTC), LoggedIn),
	}
	var all []Event
	for _, e := range events {
		all = append(all, e)
	}
	f.insert(t, all...)
	for _, tc := range []struct {
		rng  DateRange
		zone string
		want []string
	}{
		{Today, "", []string{"an hour ago", "today, 00:00 UTC"}},
		{Today, "UTC", []string{"an hour ago", "today, 00:00 UTC"}},
		// 10:00 UTC is 19:00 in Tokyo; its day began at 15:00 UTC yesterday.
		{Today, "Asia/Tokyo", []string{"an hour ago", "today, 00:00 UTC", "yesterday 23:59:59.99", "yesterday 23:30 UTC"}},
		// 10:00 UTC is 02:00 in Los Angeles; its day began at 08:00 UTC.
		{Today, "America/Los_Angeles", []string{"an hour ago"}},
		{Last7Days, "", []string{"an hour ago", "today, 00:00 UTC", "yesterday 23:59:59.99", "yesterday 23:30 UTC", "yesterday 14:00 UTC", "6 days 23 hours ago"}},
		{Last30Days, "Asia/Tokyo", []string{"an hour ago", "today, 00:00 UTC", "yesterday 23:59:59.99", "yesterday 23:30 UTC", "yesterday 14:00 UTC", "6 days 23 hours ago", "7 days 1 hour ago", "29 days ago"}},
		{Last90Days, "", []string{"an hour ago", "today, 00:00 UTC", "yesterday 23:59:59.99", "yesterday 23:30 UTC", "yesterday 14:00 UTC", "6 days 23 hours ago", "7 days 1 hour ago", "29 days ago", "31 days ago", "89 days ago"}},
		{"", "", []string{"in an hour (skewed)", "an hour ago", "today, 00:00 UTC", "yesterday 23:59:59.99", "yesterday 23:30 UTC", "yesterday 14:00 UTC", "6 days 23 hours ago", "7 days 1 hour ago", "29 days ago", "31 days ago", "89 days ago", "91 days ago"}},
	} {
		t.Run(fmt.Sprintf("%s in %q", tc.rng, tc.zone), func(t *testing.T) {
			var want []uuid.UUID
			for _, name := range tc.want {
				want = append(want, events[name].ID)
			}
			requireSameIDs(t, f.walk(t, org, Filter{Range: tc.rng, TimeZone: tc.zone}, 3), want)
		})
	}
	t.Run("from and to are inclusive", func(t *testing.T) {
		from := events["31 days ago"].OccurredAt
		to := events["yesterday 14:00 UTC"].OccurredAt
		want := []uuid.UUID{events["yesterday 14:00 UTC"].ID, events["6 days 23 hours ago"].ID, events["7 days 1 hour ago"].ID, events["29 days ago"].ID, events["31 days ago"].ID}
		requireSameIDs(t, f.walk(t, org, Filter{From: &from, To: &to}, 2), want)
		requireSameIDs(t, f.walk(t, org, Filter{From: &from, To: &to, Range: Last30Days}, 2), want[:4])
	})
}

// TestRetentionHidesOlderEvents: past the organization's retention an event
// is listed by no filter, search, range or cursor.
func TestRetentionHidesOlderEvents(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	kept := event(org, testNow.Add(-29*24*time.Hour), CreatedSecret, func(e *Event) { e.ResourceID = "quokka-kept" })
	edge := event(org, testNow.Add(-30*24*time.Hour), CreatedSecret, func(e *Event) { e.ResourceID = "quokka-edge" })
	gone := event(org, testNow.Add(-30*24*time.Hour-time.Second), CreatedSecret, func(e *Event) { e.ResourceID = "quokka-gone" })
	f.insert(t, kept, edge, gone)

	for name, filter := range map[string]Filter{
		"all":          {},
		"category":     {Category: Secrets},
		"action":       {Action: CreatedSecret},
		"search":       {Search: "quokka"},
		"last 90 days": {Range: Last90Days},
		"from":         {From: &gone.OccurredAt},
	} {
		t.Run(name, func(t *testing.T) {
			p := f.mustList(t, org, ListQuery{Filter: filter, First: 10, RetentionDays: 30})
			requireSameIDs(t, idsOf(p.Events), []uuid.UUID{kept.ID, edge.ID})
		})
	}
	// Without a retention, or with a longer one, the older event is there.
	all := f.mustList(t, org, ListQuery{First: 10, RetentionDays: 31})
	requireSameIDs(t, idsOf(all.Events), []uuid.UUID{kept.ID, edge.ID, gone.ID})
	// A cursor taken before the retention shrank pages into nothing older.
	p := f.mustList(t, org, ListQuery{First: 2})
	p = f.mustList(t, org, ListQuery{First: 2, After: p.EndCursor, RetentionDays: 30})
	if len(p.Events) != 0 || p.HasNextPage {
		t.Fatalf("page past the retention: %d events, next page %v", len(p.Events), p.HasNextPage)
	}
}

func TestFirstZeroTellsOnlyWhetherEventsFollow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	f.insert(t, event(org, testNow.Add(-2*time.Hour), LoggedIn), event(org, testNow.Add(-time.Hour), LoggedIn))
	for _, filter := range []Filter{{}, {Search: "alice"}, {Category: Authentication}} {
		p := f.mustList(t, org, ListQuery{Filter: filter, First: 0})
		if len(p.Events) != 0 || !p.HasNextPage || p.EndCursor != "" {
			t.Errorf("first=0 with %+v: %d events, hasNextPage %v, endCursor %q; want none, true, empty", filter, len(p.Events), p.HasNextPage, p.EndCursor)
		}
		last := f.mustList(t, org, ListQuery{Filter: filter, First: 2})
		p = f.mustList(t, org, ListQuery{Filter: filter, First: 0, After: last.EndCursor})
		if p.HasNextPage {
			t.Errorf("first=0 after the last event with %+v says more events follow", filter)
		}
	}
	if p := f.mustList(t, uuid.New(), ListQuery{First: 0}); p.HasNextPage {
		t.Error("first=0 in an empty log says events follow")
	}
}

func TestBadInputIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	f.insert(t, event(org, testNow.Add(-time.Hour), CreatedRole), event(org, testNow.Add(-2*time.Hour), CreatedRole))
	page := f.mustList(t, org, ListQuery{First: 1})
	tampered := []byte(page.EndCursor)
	tampered[10] = map[bool]byte{true: 'B', false: 'A'}[tampered[10] == 'A']
	later, earlier := testNow, testNow.Add(-time.Hour)
	for _, tc := range []struct {
		name  string
		q     ListQuery
		field string
	}{
		{"first over the cap", ListQuery{First: MaxPageSize + 1}, "first"},
		{"negative first", ListQuery{First: -1}, "first"},
		{"malformed cursor", ListQuery{First: 10, After: "definitely-not-a-cursor"}, "after"},
		{"tampered cursor", ListQuery{First: 10, After: string(tampered)}, "after"},
		{"cursor of another filter", ListQuery{First: 10, After: page.EndCursor, Filter: Filter{Category: Secrets}}, "after"},
		{"action not in the category", ListQuery{First: 10, Filter: Filter{Category: Secrets, Action: CreatedRole}}, "filter.action"},
		{"unknown action", ListQuery{First: 10, Filter: Filter{Action: "DROPPED_TABLE"}}, "filter.action"},
		{"unknown category", ListQuery{First: 10, Filter: Filter{Category: "BILLING"}}, "filter.category"},
		{"unknown date range", ListQuery{First: 10, Filter: Filter{Range: "LAST_YEAR"}}, "filter.range"},
		{"unknown time zone", ListQuery{First: 10, Filter: Filter{Range: Today, TimeZone: "Mars/Olympus_Mons"}}, "filter.timeZone"},
		{"Local is not a time zone", ListQuery{First: 10, Filter: Filter{TimeZone: "Local"}}, "filter.timeZone"},
		{"from after to", ListQuery{First: 10, Filter: Filter{From: &later, To: &earlier}}, "filter.from"},
		{"search too long", ListQuery{First: 10, Filter: Filter{Search: strings.Repeat("a", MaxSearchLength+1)}}, "filter.search"},
		{"search of two characters", ListQuery{First: 10, Filter: Filter{Search: "ro"}}, "filter.search"},
		{"search of one character", ListQuery{First: 10, Filter: Filter{Search: " r "}}, "filter.search"},
		{"search of wildcards only", ListQuery{First: 10, Filter: Filter{Search: "%%%_"}}, "filter.search"},
		{"search without three letters in a row", ListQuery{First: 10, Filter: Filter{Search: "a.b-c"}}, "filter.search"},
		{"search with a control character", ListQuery{First: 10, Filter: Filter{Search: "role\x00x"}}, "filter.search"},
		{"search of invalid UTF-8", ListQuery{First: 10, Filter: Filter{Search: "rol\xffe"}}, "filter.search"},
		{"huge actor id", ListQuery{First: 10, Filter: Filter{ActorID: strings.Repeat("x", 1000)}}, "filter.actorId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.list(t, org, tc.q)
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.BadUserInput || e.Field != tc.field {
				t.Fatalf("error = %v, want BadUserInput on %s", err, tc.field)
			}
		})
	}
	t.Run("longest search is served", func(t *testing.T) {
		if _, err := f.list(t, org, ListQuery{First: 10, Filter: Filter{Search: strings.Repeat("a", MaxSearchLength)}}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestOtherOrganizationsEventsAreInvisible(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	mine, theirs := uuid.New(), uuid.New()
	var their []Event
	for i := range 30 {
		their = append(their, event(theirs, testNow.Add(-time.Duration(i)*time.Hour), CreatedSecret, func(e *Event) {
			e.ActorEmail = "mallory@theirs.example"
			e.ResourceType = "secret"
		}))
	}
	f.insert(t, their...)
	f.insert(t, event(mine, testNow.Add(-90*time.Minute), CreatedRole))
	for _, filter := range []Filter{{}, {Search: "mallory"}, {Search: "created secret"}, {Category: Secrets}, {Action: CreatedSecret}, {ActorID: "user-1"}, {ResourceType: "secret"}, {Range: Today}} {
		for _, e := range f.mustList(t, mine, ListQuery{Filter: filter, First: MaxPageSize}).Events {
			if e.OrganizationID != mine {
				t.Fatalf("filter %+v lists an event of another organization", filter)
			}
		}
	}
	// Their cursor, pointing into their log, is refused in mine.
	p := f.mustList(t, theirs, ListQuery{First: 5})
	if _, err := f.list(t, mine, ListQuery{First: 5, After: p.EndCursor}); apperr.CodeOf(err) != apperr.BadUserInput {
		t.Errorf("another organization's cursor: error = %v, want BadUserInput", err)
	}
}

func TestDatabaseRefusesToChangeAuditRows(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	e := event(org, testNow.Add(-time.Hour), CreatedRole)
	f.insert(t, e)
	db := f.db.SQL()
	for _, stmt := range []string{
		"UPDATE audit_events SET actor_email = 'nobody@example.com' WHERE id = $1",
		"DELETE FROM audit_events WHERE id = $1",
	} {
		_, err := db.ExecContext(t.Context(), stmt, e.ID)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: error = %v, want the append-only trigger's", strings.Fields(stmt)[0], err)
		}
	}
	var n int
	if err := db.QueryRowContext(t.Context(), "SELECT count(*) FROM audit_events WHERE id = $1 AND actor_email = $2", e.ID, e.ActorEmail).Scan(&n); err != nil || n != 1 {
		t.Errorf("the event changed or went: count %d, err %v", n, err)
	}
}

func TestListIsOneStatementWhateverTheQuery(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	var events []Event
	for i := range 300 {
		events = append(events, event(org, testNow.Add(-time.Duration(i)*time.Hour), []Action{LoggedIn, CreatedRole, UpdatedSecret}[i%3]))
	}
	f.insert(t, events...)
	cursor := f.mustList(t, org, ListQuery{First: 3}).EndCursor
	for _, filter := range []Filter{{}, {Category: Secrets}, {Action: LoggedIn}, {Search: "alice"}, {Search: "zzzzzz"}, {Search: "created", Category: RolesAndPermissions}, {Range: Last7Days, ActorID: "user-1"}} {
		for _, first := range []int{0, 1, 50, MaxPageSize} {
			before := f.statements.n.Load()
			if _, err := f.reader.List(t.Context(), org, ListQuery{Filter: filter, First: first, Now: testNow}); err != nil {
				t.Fatal(err)
			}
			if n := f.statements.n.Load() - before; n != 1 {
				t.Errorf("filter %+v, first %d: %d statements, want 1", filter, first, n)
			}
		}
	}
	before := f.statements.n.Load()
	if _, err := f.reader.List(t.Context(), org, ListQuery{First: 50, After: cursor, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	if n := f.statements.n.Load() - before; n != 1 {
		t.Errorf("page after a cursor: %d statements, want 1", n)
	}
}

// TestQueryPlans prints, for each query shape of docs/audit-query-plans.md,
// the EXPLAIN (ANALYZE, BUFFERS) of its statement and the latency of List
// over repeated calls, against an existing database holding a large log:
//
//	AUDIT_PLANS_DSN=postgres://... AUDIT_PLANS_ORG=<uuid> go test ./server/audit -run TestQueryPlans -v
//
// It is skipped otherwise.
func TestQueryPlans(t *testing.T) {
	dsn, orgText := os.Getenv("AUDIT_PLANS_DSN"), os.Getenv("AUDIT_PLANS_ORG")
	if dsn == "" || orgText == "" {
		t.Skip("set AUDIT_PLANS_DSN and AUDIT_PLANS_ORG to measure plans on a large log")
	}
	org := uuid.MustParse(orgText)
	ctx := t.Context()
	db, err := database.Open(ctx, dsn, database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := &Reader{DB: db}
	var deep position
	if err := db.SQL().QueryRowContext(ctx, `SELECT occurred_at, id FROM audit_events WHERE organization_id = $1
		ORDER BY occurred_at DESC, id DESC OFFSET 100000 LIMIT 1`, org).Scan(&deep.OccurredAt, &deep.ID); err != nil {
		t.Fatal(err)
	}
	term := func(s string) Filter { return Filter{Search: s} }
	recent := func(f Filter) Filter { f.Range = Last30Days; return f }
	shapes := []struct {
		name  string
		query ListQuery
	}{
		{"first page", ListQuery{First: 50}},
		{"page 100,000 events deep", ListQuery{First: 50, After: encodeCursor(deep, scopeOf(org, Filter{}))}},
		{"category (Roles & Permissions, 12 actions)", ListQuery{First: 50, Filter: Filter{Category: RolesAndPermissions}}},
		{"category (API Access Keys)", ListQuery{First: 50, Filter: Filter{Category: APIAccessKeys}}},
		{"rare action", ListQuery{First: 50, Filter: Filter{Action: CreatedSiblingOrganization}}},
		{"absent action", ListQuery{First: 50, Filter: Filter{Action: DeletedOrganization}}},
		{"last 7 days", ListQuery{First: 50, Filter: Filter{Range: Last7Days}}},
		{"actor", ListQuery{First: 50, Filter: Filter{ActorID: os.Getenv("AUDIT_PLANS_ACTOR")}}},
	}
	for _, s := range strings.Split(os.Getenv("AUDIT_PLANS_TERMS"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			shapes = append(shapes,
				struct {
					name  string
					query ListQuery
				}{"search " + s + ", all time", ListQuery{First: 50, Filter: term(s)}},
				struct {
					name  string
					query ListQuery
				}{"search " + s + ", last 30 days", ListQuery{First: 50, Filter: recent(term(s))}})
		}
	}
	// Issue 13: AUDIT_PLANS_QUERIES holds queries of the search language,
	// separated by semicolons ("request:…; ip:10.0.0.0/8; changed:name").
	for _, s := range strings.Split(os.Getenv("AUDIT_PLANS_QUERIES"), ";") {
		if s = strings.TrimSpace(s); s != "" {
			shapes = append(shapes, struct {
				name  string
				query ListQuery
			}{"query " + s, ListQuery{First: 50, Filter: Filter{Query: s}}})
		}
	}
	for _, shape := range shapes {
		q := shape.query
		q.Now = time.Now()
		l, err := newListing(org, q)
		if err != nil {
			t.Logf("== %s: %v", shape.name, err)
			continue
		}
		var stmt sqlText
		if l.searching() {
			l.searchStatement(&stmt)
		} else {
			l.listStatement(&stmt)
		}
		var latencies []time.Duration
		for i := range 40 {
			start := time.Now()
			if _, err := r.List(ctx, org, q); err != nil {
				t.Fatalf("%s: %v", shape.name, err)
			}
			if i >= 5 { // warm the cache and the prepared statement first
				latencies = append(latencies, time.Since(start))
			}
		}
		slices.Sort(latencies)
		var plan []string
		tx := db.Conn(ctx).Raw("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + stmt.String())
		tx.Statement.Vars = append([]any{pgx.QueryExecModeExec}, stmt.args...)
		if err := tx.Scan(&plan).Error; err != nil {
			t.Fatalf("%s: explain: %v", shape.name, err)
		}
		t.Logf("== %s: List p50 %v, p95 %v\n%s\n%s", shape.name,
			latencies[len(latencies)/2].Round(10*time.Microsecond), latencies[len(latencies)*95/100].Round(10*time.Microsecond),
			stmt.String(), strings.Join(plan, "\n"))
	}
}

func TestSearchCutByTheStatementTimeoutIsBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	var events []Event
	for i := range 3000 {
		events = append(events, event(org, testNow.Add(-time.Duration(i)*time.Minute), LoggedIn))
	}
	f.insert(t, events...)
	hasty, err := database.Open(t.Context(), f.dsn, database.Options{StatementTimeout: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hasty.Close() })
	r := &Reader{DB: hasty}
	_, err = r.List(t.Context(), org, ListQuery{First: 50, Filter: Filter{Search: "nowhere"}, Now: testNow})
	if e, ok := apperr.As(err); !ok || e.Code != apperr.BadUserInput || e.Field != "filter.search" {
		t.Errorf("search cut by the timeout: error = %v, want BadUserInput on filter.search", err)
	}
	_, err = r.List(t.Context(), org, ListQuery{First: 50, Filter: Filter{Category: Authentication, ActorID: "nobody"}, Now: testNow})
	if err != nil && apperr.CodeOf(err) != apperr.Internal {
		t.Errorf("list cut by the timeout: error = %v, want an internal error", err)
	}
}
