package migrations_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/orgtrail/orgtrail/migrations"
	"github.com/orgtrail/orgtrail/server/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestClashingOrganizationNamesAreRenamedAndRecorded (issue 16, item 3):
// 00012 makes organization names unique within an account. Names that
// already clash (any case) are renamed, the oldest keeping its name, each
// other one taking the first free suffix, and each rename is recorded in the
// renamed organization's audit log; deleted organizations and other accounts
// are left alone.
func TestClashingOrganizationNamesAreRenamedAndRecorded(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("pgx", pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := migrations.DownTo(ctx, db, 11); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO accounts (id) VALUES ('00000000-0000-0000-0000-00000000000a'), ('00000000-0000-0000-0000-00000000000b')`)
	org := func(id, account, name, created string, deleted bool) {
		exec(`INSERT INTO organizations (id, account_id, name, created_at, deleted_at)
			VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN now() END)`, id, account, name, created, deleted)
	}
	const a, b = "00000000-0000-0000-0000-00000000000a", "00000000-0000-0000-0000-00000000000b"
	org("00000000-0000-0000-0000-000000000001", a, "Acme Inc", "2024-01-01", false)
	org("00000000-0000-0000-0000-000000000002", a, "acme inc", "2024-02-01", false)
	org("00000000-0000-0000-0000-000000000003", a, "Acme Inc (2)", "2024-03-01", false) // the first suffix is taken
	org("00000000-0000-0000-0000-000000000004", a, "Acme Inc", "2024-04-01", false)
	org("00000000-0000-0000-0000-000000000005", a, "Acme Inc", "2023-01-01", true)  // deleted: kept as it is
	org("00000000-0000-0000-0000-000000000006", b, "Acme Inc", "2024-05-01", false) // another account
	long := "A" + strings.Repeat("x", 99)
	org("00000000-0000-0000-0000-000000000007", b, long, "2024-01-01", false)
	org("00000000-0000-0000-0000-000000000008", b, long, "2024-02-01", false)

	if err := migrations.Up(ctx, db); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"00000000-0000-0000-0000-000000000001": "Acme Inc",
		"00000000-0000-0000-0000-000000000002": "acme inc (3)",
		"00000000-0000-0000-0000-000000000003": "Acme Inc (2)",
		"00000000-0000-0000-0000-000000000004": "Acme Inc (4)",
		"00000000-0000-0000-0000-000000000005": "Acme Inc",
		"00000000-0000-0000-0000-000000000006": "Acme Inc",
		"00000000-0000-0000-0000-000000000007": long,
		"00000000-0000-0000-0000-000000000008": long[:96] + " (2)",
	}
	for id, name := range want {
		var got string
		if err := db.QueryRow(`SELECT name FROM organizations WHERE id = $1`, id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != name {
			t.Errorf("organization %s is named %q, want %q", id[len(id)-1:], got, name)
		}
	}
	rows, err := db.Query(`SELECT organization_id, action, actor_type, resource_name, details FROM audit_events ORDER BY organization_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var recorded []string
	for rows.Next() {
		var orgID, action, actor, resource string
		var raw []byte
		if err := rows.Scan(&orgID, &action, &actor, &resource, &raw); err != nil {
			t.Fatal(err)
		}
		var details struct {
			Changes struct{ Name struct{ From, To string } }
			Reason  string
		}
		if err := json.Unmarshal(raw, &details); err != nil {
			t.Fatal(err)
		}
		if action != "UPDATED_ORG_SETTINGS" || actor != "SYSTEM" || resource != want[orgID] ||
			details.Changes.Name.To != want[orgID] || details.Changes.Name.From == "" || details.Reason == "" {
			t.Errorf("event %s %s %s %s", orgID, action, actor, raw)
		}
		recorded = append(recorded, orgID[len(orgID)-1:])
	}
	if got := strings.Join(recorded, " "); got != "2 4 8" {
		t.Errorf("renames recorded in organizations %s, want 2 4 8", got)
	}
	if _, err := db.Exec(`INSERT INTO organizations (id, account_id, name) VALUES (gen_random_uuid(), $1, 'ACME INC')`, a); err == nil {
		t.Error("a clashing name was accepted after the migration")
	}
}
