package app

import (
	"testing"

	"github.com/orgtrail/orgtrail/server/oidc/oidctest"
)

// TestATakenNameIsAConflictOnItsField checks that a conflict caused by one
// input (a name or an email already taken) names that input in
// extensions.field, so a form shows it at the field to change rather than as
// an error of the whole form (issue 16, item 4), and changes nothing.
func TestATakenNameIsAConflictOnItsField(t *testing.T) {
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	idp := oidctest.New(t, "client-acme", "secret-acme")
	r.createOIDCProvider(acme.Key, idp, "Acme SSO")
	r.createServiceAccount(acme.Key, "Exporter")

	cases := []struct {
		name, query string
		vars        map[string]any
		field       string
		rows        string
	}{
		{"role name", `mutation { createRole(input: {name: "Support"}) { role { id } } }`, nil,
			"name", `SELECT count(*) FROM roles WHERE name = 'Support'`},
		{"the built-in role's name", `mutation { createRole(input: {name: "admin"}) { role { id } } }`, nil,
			"name", `SELECT count(*) FROM roles WHERE name = 'admin'`},
		{"invitation email", `mutation { inviteMember(input: {email: "bob@acme.example"}) { invitation { id } } }`, nil,
			"email", `SELECT count(*) FROM invitations WHERE email = 'bob@acme.example'`},
		{"member email", `mutation { inviteMember(input: {email: "admin@acme.example"}) { invitation { id } } }`, nil,
			"email", `SELECT count(*) FROM invitations WHERE email = 'admin@acme.example'`},
		{"secret name", `mutation { createSecret(input: {name: "DB_PASSWORD", value: "v"}) { secret { id } } }`, nil,
			"name", `SELECT count(*) FROM secrets WHERE name = 'DB_PASSWORD'`},
		{"connector name", `mutation($config: JSON!) { createConnector(input: {name: "Warehouse", type: POSTGRESQL, config: $config}) { connector { id } } }`,
			map[string]any{"config": r.pgConfig()}, "name", `SELECT count(*) FROM connectors WHERE name = 'Warehouse'`},
		{"identity provider name", createOIDCProvider,
			map[string]any{"input": map[string]any{"name": "Acme SSO", "issuer": idp.URL, "clientId": "another-client"}},
			"name", `SELECT count(*) FROM oidc_providers WHERE name = 'Acme SSO'`},
		{"service account name", createServiceAccount, map[string]any{"name": "Exporter"},
			"name", `SELECT count(*) FROM service_accounts WHERE name = 'Exporter'`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The first try succeeds, except where the value is taken from the start.
			if res := r.do(acme.Key, c.query, c.vars); len(res.Errors) > 0 && res.code() != "CONFLICT" {
				t.Fatalf("first try: %+v", res.Errors)
			}
			rows := r.count(c.rows)
			events := len(r.events(acme.OrgID))
			res := r.fails("CONFLICT", acme.Key, c.query, c.vars)
			if got := res.Errors[0].Extensions["field"]; got != c.field {
				t.Errorf("extensions.field = %v, want %q (%s)", got, c.field, res.Errors[0].Message)
			}
			if r.count(c.rows) != rows || len(r.events(acme.OrgID)) != events {
				t.Errorf("a refused change changed something")
			}
		})
	}
}
