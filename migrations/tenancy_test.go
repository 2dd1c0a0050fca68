package migrations_test

import (
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/orgtrail/orgtrail/server/pgtest"
)

// The schema's tables as docs/scaling.md classifies them for distribution by
// organization_id. Every table of the schema is in exactly one list, so a new
// table must be classified (and, if it is a tenant table, follow the rules of
// TestTenantTablesStayWithinTheirOrganization) before it can ship.
var (
	// deploymentTables are shared by every organization: reference tables,
	// or tables of the coordinator, in a distributed deployment.
	deploymentTables = []string{
		"accounts", "organizations", "users", "oidc_providers", // reference tables
		"goose_db_version", "mail_outbox", "magic_link_requests", "rate_limit_buckets", // work queues and limits
		// A session follows its person from organization to organization
		// (switchOrganization changes its organization_id) and a magic link
		// is for an email address: both are found by a token first.
		"sessions", "magic_links",
	}
	// exceptions are tenant-table indexes and constraints that do not lead
	// with organization_id, each for a reason (docs/scaling.md, "What the
	// schema still needs").
	exceptions = map[string]string{
		// A credential is how a request finds its organization: its lookup
		// key is unique across the deployment by nature. Under Citus these
		// move to a reference lookup table (prefix → organization_id).
		"api_access_keys_prefix_key":       "credential lookup",
		"api_keys_prefix_key":              "credential lookup",
		"scim_tokens_prefix_key":           "credential lookup",
		"scim_access_tokens_prefix_key":    "credential lookup",
		"scim_oauth_clients_client_id_key": "credential lookup",
		"invitations_token_hash_key":       "credential lookup",
		// Re-encryption under a new SECRET_KEY walks every organization.
		"connectors_key_version_idx": "deployment-wide key rotation",
		"secrets_key_version_idx":    "deployment-wide key rotation",
		// A person's organizations (the switcher, sign-in).
		"memberships_user_idx": "a person across organizations",
		// Primary keys on a UUIDv7 id alone: ids never repeat, and every
		// tenant query also filters on organization_id, through the
		// (organization_id, id) key beside them where one exists. Citus
		// needs (organization_id, id): the change waits for the move,
		// since credentials (last_used_at) and key rotation still update
		// by id alone.
		"api_access_keys_pkey": "id primary key", "api_keys_pkey": "id primary key",
		"connectors_pkey": "id primary key", "invitations_pkey": "id primary key",
		"role_assignments_pkey": "id primary key", "roles_pkey": "id primary key",
		"scim_access_tokens_pkey": "id primary key", "scim_groups_pkey": "id primary key",
		"scim_oauth_clients_pkey": "id primary key", "scim_tokens_pkey": "id primary key",
		"scim_users_pkey": "id primary key", "secrets_pkey": "id primary key",
		"service_accounts_pkey": "id primary key",
		// Link tables keyed by a tenant row's id first; the foreign keys
		// to both sides carry organization_id.
		"role_permissions_pkey":    "link table key",
		"scim_group_members_pkey":  "link table key",
		"scim_group_roles_pkey":    "link table key",
		"oidc_provider_links_pkey": "link table key",
	}
)

// TestTenantTablesStayWithinTheirOrganization (issue 14) reads the catalog:
// every table is classified; a tenant table has organization_id NOT NULL;
// each of its indexes and unique or primary keys leads with organization_id
// (but for the exceptions above, each with its reason); and each of its
// foreign keys to another tenant table carries organization_id on both
// sides, so no row can point into another organization.
func TestTenantTablesStayWithinTheirOrganization(t *testing.T) {
	db, err := sql.Open("pgx", pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	strs := func(query string) [][]string {
		t.Helper()
		rows, err := db.Query(query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out [][]string
		for rows.Next() {
			row := make([]string, len(cols))
			ptrs := make([]any, len(cols))
			for i := range row {
				ptrs[i] = &row[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, row)
		}
		return out
	}

	tenant := map[string]bool{}
	for _, r := range strs(`SELECT c.relname,
			coalesce((SELECT CASE WHEN a.attnotnull THEN 'not null' ELSE 'null' END FROM pg_attribute a
			          WHERE a.attrelid = c.oid AND a.attname = 'organization_id' AND NOT a.attisdropped), 'none')
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`) {
		name, orgColumn := r[0], r[1]
		if slices.Contains(deploymentTables, name) {
			continue
		}
		switch orgColumn {
		case "not null":
			tenant[name] = true
		case "null":
			t.Errorf("tenant table %s: organization_id may be NULL", name)
		default:
			t.Errorf("table %s has no organization_id and is not listed as a deployment table: classify it (docs/scaling.md)", name)
		}
	}
	if len(tenant) < 20 {
		t.Fatalf("only %d tenant tables found", len(tenant))
	}

	// Indexes, unique and primary keys included: the first key column.
	used := map[string]bool{}
	for _, r := range strs(`SELECT t.relname, i.relname, coalesce(a.attname, '(expression)'), pg_get_indexdef(i.oid)
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
		WHERE n.nspname = 'public' AND t.relkind IN ('r', 'p') AND NOT t.relispartition ORDER BY 1, 2`) {
		table, index, first, def := r[0], r[1], r[2], r[3]
		if !tenant[table] || first == "organization_id" {
			continue
		}
		if _, ok := exceptions[index]; ok {
			used[index] = true
			continue
		}
		t.Errorf("%s: index does not lead with organization_id: %s", index, def)
	}
	for index, why := range exceptions {
		if !used[index] {
			t.Errorf("exception %s (%s) no longer exists or now leads with organization_id: remove it from the list", index, why)
		}
	}

	// Foreign keys between tenant tables carry organization_id both sides.
	for _, r := range strs(`SELECT c.conname, t.relname, f.relname,
			EXISTS (SELECT 1 FROM unnest(c.conkey) k JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k WHERE a.attname = 'organization_id'),
			EXISTS (SELECT 1 FROM unnest(c.confkey) k JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k WHERE a.attname IN ('organization_id')),
			pg_get_constraintdef(c.oid)
		FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class f ON f.oid = c.confrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = 'public' AND c.contype = 'f' AND NOT t.relispartition ORDER BY 1`) {
		name, from, to, fromOrg, toOrg, def := r[0], r[1], r[2], r[3], r[4], r[5]
		if !tenant[from] || !tenant[to] {
			continue // to organizations, users, providers: reference tables
		}
		if fromOrg != "true" || toOrg != "true" {
			t.Errorf("%s: %s → %s crosses organizations: %s", name, from, to, def)
		}
	}
	if t.Failed() {
		t.Log("tenant tables: " + strings.Join(slices.Sorted(func(yield func(string) bool) {
			for k := range tenant {
				if !yield(k) {
					return
				}
			}
		}), ", "))
	}
}
