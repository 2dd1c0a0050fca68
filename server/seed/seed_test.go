package seed_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/pgtest"
	"github.com/orgtrail/orgtrail/server/seed"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var now = time.Date(2025, 3, 14, 15, 9, 26, 535_000_000, time.UTC)

func newPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(t.Context(), pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func createOrganization(t *testing.T, pool *pgxpool.Pool, name string) uuid.UUID {
	t.Helper()
	account, org := uuid.New(), uuid.New()
	_, err := pool.Exec(t.Context(), `
		WITH a AS (INSERT INTO accounts (id) VALUES ($1))
		INSERT INTO organizations (id, account_id, name) VALUES ($2, $1, $3)`, account, org, name)
	if err != nil {
		t.Fatal(err)
	}
	return org
}

func catalogActions() []audit.Action {
	var all []audit.Action
	for _, c := range audit.Categories() {
		for _, a := range c.Actions {
			all = append(all, a.Action)
		}
	}
	return all
}

func TestEventsCoverEveryActionInsideTheWindow(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	org := createOrganization(t, pool, "Acme Corp")
	other := createOrganization(t, pool, "Globex")
	const n = 600

	stats, err := seed.Events(t.Context(), pool, org, n, seed.Options{Now: now, BatchSize: 97})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Events != n {
		t.Errorf("Stats.Events = %d, want %d", stats.Events, n)
	}

	var total, inOrg, inWindow, actions int
	err = pool.QueryRow(t.Context(), `
		SELECT count(*),
		       count(*) FILTER (WHERE organization_id = $1),
		       count(*) FILTER (WHERE occurred_at >= $2 AND occurred_at <= $3),
		       count(DISTINCT action)
		FROM audit_events`, org, now.AddDate(0, 0, -120), now).Scan(&total, &inOrg, &inWindow, &actions)
	if err != nil {
		t.Fatal(err)
	}
	if total != n || inOrg != n || inWindow != n {
		t.Errorf("rows: %d in all, %d in the organization, %d in the 120-day window; want %d each", total, inOrg, inWindow, n)
	}
	if want := len(catalogActions()); actions != want {
		t.Errorf("%d distinct actions, want all %d", actions, want)
	}
	for _, a := range catalogActions() {
		if stats.ByAction[a] == 0 {
			t.Errorf("Stats.ByAction has no %s", a)
		}
	}
	if stats.ByAction[audit.LoggedIn] <= stats.ByAction[audit.DeletedRole] {
		t.Errorf("logins (%d) should outnumber role deletions (%d)", stats.ByAction[audit.LoggedIn], stats.ByAction[audit.DeletedRole])
	}

	var otherRows int
	if err := pool.QueryRow(t.Context(), `SELECT count(*) FROM audit_events WHERE organization_id = $1`, other).Scan(&otherRows); err != nil {
		t.Fatal(err)
	}
	if otherRows != 0 {
		t.Errorf("%d events landed in another organization", otherRows)
	}
}

func TestEventsLookLikeTheRecordersRows(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	org := createOrganization(t, pool, "Acme Corp")
	if _, err := seed.Events(t.Context(), pool, org, 20_000, seed.Options{Now: now}); err != nil {
		t.Fatal(err)
	}

	rows, err := pool.Query(t.Context(), `
		SELECT action, actor_type, actor_email, resource_type, resource_id, details, host(ip_address), user_agent, request_id, id
		FROM audit_events WHERE organization_id = $1`, org)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	actorTypes := map[audit.ActorType]bool{}
	for rows.Next() {
		var action, actorType, email, resourceType, resourceID, ua, requestID string
		var ip *string
		var details []byte
		var id uuid.UUID
		if err := rows.Scan(&action, &actorType, &email, &resourceType, &resourceID, &details, &ip, &ua, &requestID, &id); err != nil {
			t.Fatal(err)
		}
		actorTypes[audit.ActorType(actorType)] = true
		var d map[string]any
		if err := json.Unmarshal(details, &d); err != nil {
			t.Fatalf("%s: details %s: %v", action, details, err)
		}
		if resourceType == "" || (resourceID == "" && audit.Action(action) != audit.LoginFailed) {
			t.Errorf("%s: resource %q %q", action, resourceType, resourceID)
		}
		if resourceID != "" {
			if _, err := uuid.Parse(resourceID); err != nil {
				t.Errorf("%s: resource id %q is not a UUID", action, resourceID)
			}
		}
		if strings.HasPrefix(action, "UPDATED_") {
			if _, ok := d["changes"]; !ok && audit.Action(action) != audit.UpdatedGroup {
				t.Errorf("%s: details %s have no changes", action, details)
			}
		}
		switch audit.Action(action) {
		case audit.LoginFailed:
			if d["reason"] == nil {
				t.Errorf("LOGIN_FAILED without a reason: %s", details)
			}
		case audit.GrantedPermission, audit.RevokedPermission:
			if d["permission"] == nil {
				t.Errorf("%s without a permission: %s", action, details)
			}
		case audit.LoggedIn:
			if !strings.HasSuffix(email, "@acme-corp.example") || ip == nil || ua == "" {
				t.Errorf("LOGGED_IN by %q from %v with %q", email, ip, ua)
			}
		}
		if audit.ActorType(actorType) != audit.ActorSystem && (ip == nil || ua == "") {
			t.Errorf("%s by %s without an IP address or user agent", action, actorType)
		}
		if requestID == "" || id.Version() != 7 {
			t.Errorf("%s: request id %q, event id %s (version %d)", action, requestID, id, id.Version())
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []audit.ActorType{audit.ActorUser, audit.ActorServiceAccount, audit.ActorAPIKey, audit.ActorSCIM, audit.ActorSystem} {
		if !actorTypes[want] {
			t.Errorf("no event by a %s actor", want)
		}
	}
}

func TestEventsAcrossOrganizationsShareTheTotal(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	var orgs []uuid.UUID
	for _, name := range []string{"Initech", "Umbrella", "Hooli", "Stark Industries"} {
		orgs = append(orgs, createOrganization(t, pool, name))
	}
	stats, err := seed.EventsAcrossOrganizations(t.Context(), pool, orgs, 1001, seed.Options{Now: now, BatchSize: 300})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Events != 1001 || stats.Organizations != len(orgs) {
		t.Errorf("Stats = %d events in %d organizations, want 1001 in %d", stats.Events, stats.Organizations, len(orgs))
	}
	rows, err := pool.Query(t.Context(), `SELECT organization_id, count(*) FROM audit_events GROUP BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	counts := map[uuid.UUID]int{}
	sum := 0
	for rows.Next() {
		var org uuid.UUID
		var n int
		if err := rows.Scan(&org, &n); err != nil {
			t.Fatal(err)
		}
		counts[org], sum = n, sum+n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if sum != 1001 {
		t.Errorf("%d rows, want 1001", sum)
	}
	for _, org := range orgs {
		if counts[org] == 0 {
			t.Errorf("organization %s got no events", org)
		}
	}
}

func TestSameSeedWritesTheSameEvents(t *testing.T) {
	t.Parallel()
	digest := func(batchSize, workers int) string {
		pool := newPool(t)
		org := uuid.MustParse("0193a1b2-0000-7000-8000-000000000001")
		_, err := pool.Exec(t.Context(), `
			WITH a AS (INSERT INTO accounts (id) VALUES ($1))
			INSERT INTO organizations (id, account_id, name) VALUES ($1, $1, 'Acme Corp')`, org)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := seed.Events(t.Context(), pool, org, 500, seed.Options{Now: now, Seed: 42, Workers: workers, BatchSize: batchSize}); err != nil {
			t.Fatal(err)
		}
		var sum string
		// xid is the writing transaction's id, which differs between runs by nature.
		err = pool.QueryRow(t.Context(), `SELECT md5(string_agg((to_jsonb(e) - 'xid')::text, ',' ORDER BY occurred_at, id)) FROM audit_events e`).Scan(&sum)
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	if a, b := digest(50, 3), digest(10_000, 1); a != b {
		t.Errorf("two runs with the same seed differ: %s, %s", a, b)
	}
}

func TestEventsRefuseAnUnknownOrganization(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	_, err := seed.Events(context.Background(), pool, uuid.New(), 10, seed.Options{})
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("err = %v, want an unknown organization error", err)
	}
}

func TestSeedingLeavesTheIndexSettingsAsTheyWere(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	org := createOrganization(t, pool, "Acme Corp")
	settings := func() string {
		var s string
		err := pool.QueryRow(t.Context(), `
			SELECT coalesce(string_agg(c.relname || ':' || coalesce(array_to_string(c.reloptions, ','), ''), ' ' ORDER BY c.relname), '')
			FROM pg_inherits i JOIN pg_index x ON x.indrelid = i.inhrelid JOIN pg_class c ON c.oid = x.indexrelid
			WHERE i.inhparent = 'audit_events'::regclass`).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// The partitions the seeder is about to create get the parent's settings.
	if _, err := pool.Exec(t.Context(), `SELECT audit_events_ensure_partitions($1::date, 6)`, now.AddDate(0, 0, -130).Format(time.DateOnly)); err != nil {
		t.Fatal(err)
	}
	before := settings()
	if _, err := seed.Events(t.Context(), pool, org, 3000, seed.Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	if after := settings(); after != before {
		t.Errorf("index settings changed by seeding:\nbefore %s\nafter  %s", before, after)
	}
}

// TestBulkLoadKeepsThePartitionsEventsAndIndexesEveryEvent: a month's
// events are loaded into a table of their own that then replaces the
// month's partition; the events already there are kept, every index of
// audit_events has its partition in the new table, and the search index
// finds what a scan of the table finds.
func TestBulkLoadKeepsThePartitionsEventsAndIndexesEveryEvent(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	org := createOrganization(t, pool, "Acme Corp")
	if _, err := pool.Exec(t.Context(), `SELECT audit_events_ensure_partitions($1::date, 1)`, now.Format(time.DateOnly)); err != nil {
		t.Fatal(err)
	}
	earlier := uuid.New()
	_, err := pool.Exec(t.Context(), `
		INSERT INTO audit_events (organization_id, occurred_at, id, action, actor_type, resource_type, resource_id, details)
		VALUES ($1, $2, $3, 'CREATED_ROLE', 'SYSTEM', 'role', 'earlier-needle', '{}')`, org, now.Add(-time.Hour), earlier)
	if err != nil {
		t.Fatal(err)
	}
	const n = 3000
	if _, err := seed.Events(t.Context(), pool, org, n, seed.Options{Now: now, BatchSize: 400}); err != nil {
		t.Fatal(err)
	}

	var total, kept int
	if err := pool.QueryRow(t.Context(), `SELECT count(*), count(*) FILTER (WHERE id = $2) FROM audit_events WHERE organization_id = $1`, org, earlier).Scan(&total, &kept); err != nil {
		t.Fatal(err)
	}
	if total != n+1 || kept != 1 {
		t.Errorf("%d events, the earlier one %d times; want %d and 1", total, kept, n+1)
	}
	var partitions, indexes, attached int
	err = pool.QueryRow(t.Context(), `
		SELECT (SELECT count(*) FROM pg_inherits WHERE inhparent = 'audit_events'::regclass),
		       (SELECT count(*) FROM pg_index WHERE indrelid = 'audit_events'::regclass),
		       (SELECT count(*) FROM pg_inherits i JOIN pg_index x ON x.indexrelid = i.inhparent
		        WHERE x.indrelid = 'audit_events'::regclass)`).Scan(&partitions, &indexes, &attached)
	if err != nil {
		t.Fatal(err)
	}
	if attached != partitions*indexes {
		t.Errorf("%d partition indexes attached, want %d partitions × %d indexes", attached, partitions, indexes)
	}
	if _, err := pool.Exec(t.Context(), `INSERT INTO audit_events (organization_id, occurred_at, id, action, actor_type, resource_type, resource_id)
		VALUES ($1, $2, $3, 'CREATED_ROLE', 'SYSTEM', 'role', 'x')`, org, now.Add(-time.Hour), earlier); err == nil {
		t.Error("a duplicate primary key was accepted: the new partition has no primary key")
	}
	count := func(seqscan string) int {
		var c int
		err := pgxBeginFunc(t, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(t.Context(), `SET LOCAL enable_seqscan = `+seqscan+`; SET LOCAL enable_bitmapscan = `+map[string]string{"on": "off", "off": "on"}[seqscan]); err != nil {
				return err
			}
			return tx.QueryRow(t.Context(), `SELECT count(*) FROM audit_events WHERE organization_id = $1
				AND audit_event_search_text(actor_email, actor_name, resource_type, resource_id, resource_name, details) LIKE '%role%'`, org).Scan(&c)
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if scanned, indexed := count("on"), count("off"); scanned == 0 || indexed != scanned {
		t.Errorf("search for 'role': %d events by the index, %d by a scan", indexed, scanned)
	}
}

func pgxBeginFunc(t *testing.T, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	t.Helper()
	return pgx.BeginFunc(t.Context(), pool, fn)
}
