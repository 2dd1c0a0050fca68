package migrations_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/orgtrail/orgtrail/migrations"
	"github.com/orgtrail/orgtrail/server/pgtest"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// Organizations made before the Viewer and Auditor built-in roles get them
// with the permissions the code gives new organizations; one that had made
// a role of that name keeps it and gets no built-in one of the name; Admin
// is now said to be Admin.
func TestExistingOrganizationsGetViewerAndAuditor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sql.Open("pgx", pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := migrations.DownTo(ctx, db, 13); err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`
		INSERT INTO accounts (id) VALUES ('00000000-0000-7000-8000-000000000001');
		INSERT INTO organizations (id, account_id, name) VALUES
			('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-000000000001', 'Acme'),
			('00000000-0000-7000-8000-00000000000b', '00000000-0000-7000-8000-000000000001', 'Acme EU');
		INSERT INTO roles (id, organization_id, name, built_in) VALUES
			('00000000-0000-7000-8000-0000000000a1', '00000000-0000-7000-8000-00000000000a', 'Admin', true),
			('00000000-0000-7000-8000-0000000000b1', '00000000-0000-7000-8000-00000000000b', 'Admin', true),
			('00000000-0000-7000-8000-0000000000b2', '00000000-0000-7000-8000-00000000000b', 'viewer', false);
		INSERT INTO role_permissions (organization_id, role_id, permission) VALUES
			('00000000-0000-7000-8000-00000000000b', '00000000-0000-7000-8000-0000000000b2', 'secrets:read');`)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrations.Up(ctx, db); err != nil {
		t.Fatal(err)
	}

	permissions := func(org, kind string) []string {
		t.Helper()
		rows, err := db.Query(`SELECT p.permission FROM roles r JOIN role_permissions p ON p.role_id = r.id
			WHERE r.organization_id = $1 AND r.built_in_role = $2 ORDER BY 1`, org, kind)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				t.Fatal(err)
			}
			out = append(out, p)
		}
		return out
	}
	var viewer []string
	for _, p := range rbac.ViewerRole.Permissions().Sorted() {
		viewer = append(viewer, string(p))
	}
	const acme, eu = "00000000-0000-7000-8000-00000000000a", "00000000-0000-7000-8000-00000000000b"
	if got := permissions(acme, "VIEWER"); !slices.Equal(got, viewer) {
		t.Errorf("Viewer of an existing organization holds %v, want %v as a new one's", got, viewer)
	}
	if got := permissions(acme, "AUDITOR"); !slices.Equal(got, []string{"audit_log:read"}) {
		t.Errorf("Auditor holds %v", got)
	}
	if got := permissions(eu, "AUDITOR"); !slices.Equal(got, []string{"audit_log:read"}) {
		t.Errorf("Auditor of the second organization holds %v", got)
	}
	var builtIn, kinds int
	err = db.QueryRow(`SELECT count(*) FILTER (WHERE built_in), count(*) FILTER (WHERE built_in_role = 'VIEWER')
		FROM roles WHERE organization_id = $1 AND lower(name) = 'viewer'`, eu).Scan(&builtIn, &kinds)
	if err != nil || builtIn != 0 || kinds != 0 {
		t.Errorf("the organization's own Viewer role: %d built in, %d built-in Viewers (%v)", builtIn, kinds, err)
	}
	var admins int
	if err := db.QueryRow(`SELECT count(*) FROM roles WHERE built_in_role = 'ADMIN' AND name = 'Admin'`).Scan(&admins); err != nil || admins != 2 {
		t.Errorf("%d roles are said to be Admin (%v)", admins, err)
	}
}
