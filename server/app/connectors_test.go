package app

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

const (
	createConnector = `mutation($name: String!, $type: ConnectorType!, $config: JSON!, $credentials: JSON) {
		createConnector(input: {name: $name, type: $type, config: $config, credentials: $credentials}) {
			connector { id name type config credentialFields createdAt updatedAt } } }`
	updateConnector = `mutation($input: UpdateConnectorInput!) {
		updateConnector(input: $input) { connector { id name config credentialFields } } }`
	deleteConnector = `mutation($id: ID!) { deleteConnector(input: {id: $id}) { deletedConnectorId } }`
	testConnector   = `mutation($id: ID!) {
		testConnector(input: {id: $id}) { connector { id name } supported ok message durationMs } }`
	listConnectors = `{ connectors { id name type config credentialFields } }`
)

type connectorData struct {
	ID, Name, Type   string
	Config           map[string]any
	CredentialFields []string
}

type testResult struct {
	Supported, OK bool
	Message       string
	DurationMs    int
}

func (w *watch) createConnector(key, name, typ string, config, credentials map[string]any) connectorData {
	w.r.t.Helper()
	var out struct {
		CreateConnector struct{ Connector connectorData }
	}
	w.ok(key, createConnector, map[string]any{"name": name, "type": typ, "config": config, "credentials": credentials}, &out)
	return out.CreateConnector.Connector
}

func (w *watch) testConnector(key, id string) testResult {
	w.r.t.Helper()
	var out struct {
		TestConnector struct {
			Supported  bool
			Ok         bool
			Message    string
			DurationMs int
		}
	}
	w.ok(key, testConnector, map[string]any{"id": id}, &out)
	t := out.TestConnector
	return testResult{Supported: t.Supported, OK: t.Ok, Message: t.Message, DurationMs: t.DurationMs}
}

// pgConfig is a PostgreSQL connector configuration for the rig's own test
// database.
func (r *rig) pgConfig() map[string]any {
	r.t.Helper()
	u, err := url.Parse(r.app.Config.DatabaseURL)
	if err != nil {
		r.t.Fatal(err)
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		r.t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	return map[string]any{"host": host, "port": p, "database": strings.TrimPrefix(u.Path, "/"),
		"username": u.User.Username(), "sslMode": "disable"}
}

// pgCredentials is the test database's password when it has one, else a
// made-up one (the throwaway cluster trusts local connections), remembered
// by the watch either way.
func (r *rig) pgCredentials(w *watch) map[string]any {
	u, _ := url.Parse(r.app.Config.DatabaseURL)
	if pw, ok := u.User.Password(); ok && pw != "" {
		w.remember("the test database password", pw)
		return map[string]any{"password": pw}
	}
	return map[string]any{"password": w.secret("postgres password")}
}

// TestConnectorLifecycleIsAuditedAndCredentialsNeverLeak: config changes are
// recorded with their old and new values, credential changes only as
// "changed", and no credential reaches a response, the log or a table.
func TestConnectorLifecycleIsAuditedAndCredentialsNeverLeak(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	w.rememberKey("the bootstrap admin key", acme.Key)
	n := len(r.events(acme.OrgID))

	accessKeyID, secretKey := w.secret("aws access key id"), w.secret("aws secret access key")
	c := w.createConnector(acme.Key, "Exports", "AMAZON_S3",
		map[string]any{"bucket": "acme-exports", "region": "eu-west-1"},
		map[string]any{"accessKeyId": accessKeyID, "secretAccessKey": secretKey})
	if c.Type != "AMAZON_S3" || fmt.Sprint(c.CredentialFields) != "[accessKeyId secretAccessKey]" ||
		fmt.Sprint(c.Config) != "map[bucket:acme-exports region:eu-west-1]" {
		t.Fatalf("created %+v", c)
	}

	// A no-op: same config, same credential.
	w.ok(acme.Key, updateConnector, map[string]any{"input": map[string]any{"id": c.ID, "name": "Exports",
		"config": map[string]any{"region": "eu-west-1"}, "credentials": map[string]any{"secretAccessKey": secretKey}}}, nil)
	// Config and one credential. A new region is a new destination, so the
	// credentials are given again: the same key id, a new secret.
	var out struct {
		UpdateConnector struct{ Connector connectorData }
	}
	w.ok(acme.Key, updateConnector, map[string]any{"input": map[string]any{"id": c.ID,
		"config": map[string]any{"region": "us-east-1", "prefix": "daily/"},
		"credentials": map[string]any{"accessKeyId": accessKeyID,
			"secretAccessKey": w.secret("new aws secret access key")}}}, &out)
	if got := out.UpdateConnector.Connector; fmt.Sprint(got.Config) != "map[bucket:acme-exports prefix:daily/ region:us-east-1]" ||
		fmt.Sprint(got.CredentialFields) != "[accessKeyId secretAccessKey]" {
		t.Fatalf("updated %+v", got)
	}
	// Rename, and remove a config field.
	w.ok(acme.Key, updateConnector, map[string]any{"input": map[string]any{"id": c.ID, "name": "S3 exports",
		"config": map[string]any{"prefix": nil}}}, nil)
	w.ok(acme.Key, deleteConnector, map[string]any{"id": c.ID}, nil)

	events := r.eventsSince(acme.OrgID, n)
	if got := actionList(events); got != "CREATED_CONNECTOR UPDATED_CONNECTOR UPDATED_CONNECTOR DELETED_CONNECTOR" {
		t.Fatalf("events %s", got)
	}
	for _, e := range events {
		if e.ResourceType != "connector" || e.ResourceID != c.ID || e.Details["type"] != "AMAZON_S3" {
			t.Errorf("%s: %s %s %v", e.Action, e.ResourceType, e.ResourceID, e.Details)
		}
	}
	if got := fmt.Sprint(events[0].Details); got != "map[config:map[bucket:acme-exports region:eu-west-1] credentialFields:[accessKeyId secretAccessKey] type:AMAZON_S3]" {
		t.Errorf("created details %s", got)
	}
	if got := fmt.Sprint(changesOf(t, events[1])); got != "map[prefix:map[from:<nil> to:daily/] region:map[from:eu-west-1 to:us-east-1] secretAccessKey:changed]" {
		t.Errorf("update changes %s", got)
	}
	if got := fmt.Sprint(changesOf(t, events[2])); got != "map[name:map[from:Exports to:S3 exports] prefix:map[from:daily/ to:<nil>]]" {
		t.Errorf("rename changes %s", got)
	}
	if events[3].ResourceName != "S3 exports" {
		t.Errorf("deleted event names %q", events[3].ResourceName)
	}
	w.assertNoLeaks()
}

// TestConnectorCredentialsCanBeReplacedAndRemoved covers partial credential
// updates: a given field replaces, null removes, others stay.
func TestConnectorCredentialsCanBeReplacedAndRemoved(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	c := w.createConnector(acme.Key, "API", "HTTPS_API", map[string]any{"baseUrl": "https://api.example.com/v1"},
		map[string]any{"token": w.secret("api token")})
	if c.Config["authHeader"] != nil || fmt.Sprint(c.CredentialFields) != "[token]" {
		t.Fatalf("created %+v", c)
	}
	n := len(r.events(acme.OrgID))
	var out struct {
		UpdateConnector struct{ Connector connectorData }
	}
	w.ok(acme.Key, updateConnector, map[string]any{"input": map[string]any{"id": c.ID, "credentials": map[string]any{"token": nil}}}, &out)
	if got := out.UpdateConnector.Connector.CredentialFields; len(got) != 0 {
		t.Fatalf("credential fields after removal: %v", got)
	}
	ev := r.eventsSince(acme.OrgID, n)
	if len(ev) != 1 || fmt.Sprint(changesOf(t, ev[0])) != "map[token:changed]" {
		t.Fatalf("removal events %+v", ev)
	}
	w.assertNoLeaks()
}

// TestConnectorConfigIsValidatedPerType sends bad configurations and
// credentials of each type over the API: each is BAD_USER_INPUT naming the
// field, and nothing is stored or recorded.
func TestConnectorConfigIsValidatedPerType(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	existing := w.createConnector(acme.Key, "Existing", "POSTGRESQL", r.pgConfig(), nil)
	n, rows := len(r.events(acme.OrgID)), r.count(`SELECT count(*) FROM connectors`)
	pg := r.pgConfig()
	for name, c := range map[string]struct {
		typ, field  string
		config      map[string]any
		credentials map[string]any
	}{
		"postgres missing host":   {"POSTGRESQL", "config.host", map[string]any{"database": "d", "username": "u"}, nil},
		"postgres bad port":       {"POSTGRESQL", "config.port", with(pg, "port", 0), nil},
		"postgres port as word":   {"POSTGRESQL", "config.port", with(pg, "port", "http"), nil},
		"postgres host url":       {"POSTGRESQL", "config.host", with(pg, "host", "postgres://db.example.com"), nil},
		"postgres ssl mode":       {"POSTGRESQL", "config.sslMode", with(pg, "sslMode", "maybe"), nil},
		"postgres password field": {"POSTGRESQL", "config", with(pg, "password", w.secret("password in config")), nil},
		"mysql missing database":  {"MYSQL", "config.database", map[string]any{"host": "db", "username": "u"}, nil},
		"snowflake no password":   {"SNOWFLAKE", "credentials.password", map[string]any{"account": "a1", "warehouse": "W", "database": "D", "username": "u"}, nil},
		"bigquery bad key":        {"BIGQUERY", "credentials.serviceAccountKey", map[string]any{"projectId": "my-project-1"}, map[string]any{"serviceAccountKey": w.secret("not json")}},
		"s3 bad region":           {"AMAZON_S3", "config.region", map[string]any{"bucket": "b-1", "region": "mars"}, nil},
		"s3 unknown credential":   {"AMAZON_S3", "credentials", map[string]any{"bucket": "b-1", "region": "eu-west-1"}, map[string]any{"sessionToken": w.secret("session token")}},
		"https plain http":        {"HTTPS_API", "config.baseUrl", map[string]any{"baseUrl": "http://api.example.com"}, nil},
		"https userinfo":          {"HTTPS_API", "config.baseUrl", map[string]any{"baseUrl": "https://u:" + w.secret("url password") + "@api.example.com"}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			res := w.fails("BAD_USER_INPUT", acme.Key, createConnector, map[string]any{"name": "bad " + name, "type": c.typ,
				"config": c.config, "credentials": c.credentials})
			if res.Errors[0].Extensions["field"] != c.field {
				t.Fatalf("field %v, want %s (%s)", res.Errors[0].Extensions["field"], c.field, res.Errors[0].Message)
			}
		})
	}
	for name, c := range map[string]struct {
		code  string
		query string
		vars  map[string]any
	}{
		"unknown type":   {"BAD_USER_INPUT", createConnector, map[string]any{"name": "x", "type": "ORACLE", "config": map[string]any{}}},
		"empty name":     {"BAD_USER_INPUT", createConnector, map[string]any{"name": " ", "type": "POSTGRESQL", "config": pg}},
		"duplicate name": {"CONFLICT", createConnector, map[string]any{"name": "existing", "type": "POSTGRESQL", "config": pg}},
		"update bad":     {"BAD_USER_INPUT", updateConnector, map[string]any{"input": map[string]any{"id": existing.ID, "config": map[string]any{"port": 99999}}}},
		"update remove":  {"BAD_USER_INPUT", updateConnector, map[string]any{"input": map[string]any{"id": existing.ID, "config": map[string]any{"host": nil}}}},
		"change type":    {"BAD_USER_INPUT", `mutation($id: ID!) { updateConnector(input: {id: $id, type: MYSQL}) { connector { id } } }`, map[string]any{"id": existing.ID}},
		"malformed id":   {"BAD_USER_INPUT", deleteConnector, map[string]any{"id": "x"}},
		"unknown id":     {"NOT_FOUND", testConnector, map[string]any{"id": uuid.NewString()}},
		"no credentials": {"BAD_USER_INPUT", `{ connectors { id credentials } }`, nil},
	} {
		t.Run(name, func(t *testing.T) { w.fails(c.code, acme.Key, c.query, c.vars) })
	}
	if got := len(r.events(acme.OrgID)); got != n {
		t.Fatalf("bad input wrote %d events", got-n)
	}
	if got := r.count(`SELECT count(*) FROM connectors`); got != rows {
		t.Fatalf("bad input stored %d connectors", got-rows)
	}
	var list struct{ Connectors []connectorData }
	w.ok(acme.Key, listConnectors, nil, &list)
	if len(list.Connectors) != 1 || list.Connectors[0].Config["host"] != pg["host"] {
		t.Fatalf("connectors = %+v", list.Connectors)
	}
	w.assertNoLeaks()
}

func with(base map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	for key, val := range base {
		out[key] = val
	}
	out[k] = v
	return out
}

// TestTestConnectorReallyConnectsToPostgreSQL connects to the test database,
// and reports failures (an unknown database, a closed port) as results
// without credentials; the other types say they cannot be tested yet.
func TestTestConnectorReallyConnectsToPostgreSQL(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	r.app.Connectors.TestTimeout = 2 * time.Second
	w := r.watch()
	n := len(r.events(acme.OrgID))

	good := w.createConnector(acme.Key, "App database", "POSTGRESQL", r.pgConfig(), r.pgCredentials(w))
	res := w.testConnector(acme.Key, good.ID)
	if !res.Supported || !res.OK || !strings.HasPrefix(res.Message, "Connected to PostgreSQL 1") {
		t.Fatalf("test = %+v", res)
	}

	missing := w.createConnector(acme.Key, "Missing database", "POSTGRESQL",
		with(r.pgConfig(), "database", "no_such_database"), r.pgCredentials(w))
	res = w.testConnector(acme.Key, missing.ID)
	if !res.Supported || res.OK || !strings.HasPrefix(res.Message, "Database no_such_database does not exist on ") {
		t.Fatalf("test of a missing database = %+v", res)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := l.Addr().(*net.TCPAddr).Port
	l.Close()
	closed := w.createConnector(acme.Key, "Closed port", "POSTGRESQL", with(r.pgConfig(), "port", closedPort), r.pgCredentials(w))
	res = w.testConnector(acme.Key, closed.ID)
	if res.OK || !strings.HasPrefix(res.Message, "Nothing accepted the connection on ") {
		t.Fatalf("test of a closed port = %+v, want a refused connection, not a timeout", res)
	}

	s3 := w.createConnector(acme.Key, "Bucket", "AMAZON_S3", map[string]any{"bucket": "b-1", "region": "eu-west-1"},
		map[string]any{"accessKeyId": w.secret("key id"), "secretAccessKey": w.secret("secret key")})
	res = w.testConnector(acme.Key, s3.ID)
	if res.Supported || res.OK || res.Message != "Testing Amazon S3 connectors is not supported yet." {
		t.Fatalf("test of S3 = %+v", res)
	}

	// Testing is not a change: only the four creations are events.
	if got := actionList(r.eventsSince(acme.OrgID, n)); got != strings.TrimSpace(strings.Repeat("CREATED_CONNECTOR ", 4)) {
		t.Fatalf("events %s", got)
	}
	reader := w.createAccessKey(acme.Key, "reader", "connectors:read")
	w.fails("FORBIDDEN", reader, testConnector, map[string]any{"id": good.ID})
	w.assertNoLeaks()
}

// TestTamperedConnectorCredentialsFailClosed: a connector whose sealed
// credentials were altered is not connected, says why, logs the integrity
// failure, refuses partial credential updates and is repaired by entering
// every credential again.
func TestTamperedConnectorCredentialsFailClosed(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	c := w.createConnector(acme.Key, "App database", "POSTGRESQL", r.pgConfig(), r.pgCredentials(w))
	if _, err := r.sql.Exec(`UPDATE connectors SET credentials_ciphertext = set_byte(credentials_ciphertext, 14,
		get_byte(credentials_ciphertext, 14) # 128) WHERE id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	res := w.testConnector(acme.Key, c.ID)
	if res.OK || !res.Supported || !strings.Contains(res.Message, "cannot be decrypted") {
		t.Fatalf("test of tampered credentials = %+v", res)
	}
	if !r.logsContain("connector credentials do not decrypt") || !r.logsContain(c.ID) {
		t.Error("the server log does not record the integrity failure")
	}

	// A partial update would have to merge with what cannot be read.
	s3 := w.createConnector(acme.Key, "Bucket", "AMAZON_S3", map[string]any{"bucket": "b-1", "region": "eu-west-1"},
		map[string]any{"accessKeyId": w.secret("key id"), "secretAccessKey": w.secret("secret key")})
	if _, err := r.sql.Exec(`UPDATE connectors SET credentials_ciphertext = (SELECT credentials_ciphertext FROM connectors WHERE id = $1)
		WHERE id = $2`, c.ID, s3.ID); err != nil {
		t.Fatal(err)
	}
	n := len(r.events(acme.OrgID))
	w.fails("BAD_USER_INPUT", acme.Key, updateConnector, map[string]any{"input": map[string]any{"id": s3.ID,
		"credentials": map[string]any{"secretAccessKey": w.secret("only one")}}})
	// Config-only updates still work.
	w.ok(acme.Key, updateConnector, map[string]any{"input": map[string]any{"id": s3.ID, "config": map[string]any{"prefix": "x/"}}}, nil)
	// Entering every credential again repairs it.
	w.ok(acme.Key, updateConnector, map[string]any{"input": map[string]any{"id": c.ID, "credentials": r.pgCredentials(w)}}, nil)
	if res := w.testConnector(acme.Key, c.ID); !res.OK {
		t.Fatalf("after repair: %+v", res)
	}
	ev := r.eventsSince(acme.OrgID, n)
	if actionList(ev) != "UPDATED_CONNECTOR UPDATED_CONNECTOR" || fmt.Sprint(changesOf(t, ev[1])) != "map[password:changed]" {
		t.Fatalf("events %s, repair changes %v", actionList(ev), ev[len(ev)-1].Details)
	}
	w.assertNoLeaks()
}

func TestConnectorsOfAnotherOrganizationAreNotFound(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	w := r.watch()
	c := w.createConnector(acme.Key, "Acme DB", "POSTGRESQL", r.pgConfig(), r.pgCredentials(w))
	g := w.createConnector(globex.Key, "Globex DB", "POSTGRESQL", r.pgConfig(), r.pgCredentials(w))
	acmeEvents, globexEvents := len(r.events(acme.OrgID)), len(r.events(globex.OrgID))

	for name, q := range map[string]struct {
		query string
		vars  map[string]any
	}{
		"connector": {`query($id: ID!) { connector(id: $id) { id config } }`, map[string]any{"id": c.ID}},
		"update":    {updateConnector, map[string]any{"input": map[string]any{"id": c.ID, "name": "stolen"}}},
		"delete":    {deleteConnector, map[string]any{"id": c.ID}},
		"test":      {testConnector, map[string]any{"id": c.ID}},
	} {
		t.Run(name, func(t *testing.T) { w.fails("NOT_FOUND", globex.Key, q.query, q.vars) })
	}
	var list struct{ Connectors []connectorData }
	w.ok(globex.Key, listConnectors, nil, &list)
	if len(list.Connectors) != 1 || list.Connectors[0].ID != g.ID {
		t.Fatalf("Globex lists %+v", list.Connectors)
	}
	// Acme's sealed credentials copied into Globex's row do not open there.
	if _, err := r.sql.Exec(`UPDATE connectors SET credentials_ciphertext = (SELECT credentials_ciphertext FROM connectors WHERE id = $1)
		WHERE id = $2`, c.ID, g.ID); err != nil {
		t.Fatal(err)
	}
	if res := w.testConnector(globex.Key, g.ID); res.OK || !strings.Contains(res.Message, "cannot be decrypted") {
		t.Fatalf("moved credentials: %+v", res)
	}
	if res := w.testConnector(acme.Key, c.ID); !res.OK {
		t.Fatalf("Acme's own connector: %+v", res)
	}
	if len(r.events(acme.OrgID)) != acmeEvents || len(r.events(globex.OrgID)) != globexEvents {
		t.Fatal("refused requests wrote events")
	}
	w.assertNoLeaks()
}

func TestConnectorTypesDescribeTheirFields(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	var out struct {
		ConnectorTypes []struct {
			Type, Label  string
			Testable     bool
			ConfigFields []struct {
				Name, Kind string
				Required   bool
				Default    *string
				Options    []string
			}
			CredentialFields []struct{ Name, Kind string }
		}
	}
	r.ok(acme.Key, `{ connectorTypes { type label testable configFields { name kind required default options }
		credentialFields { name kind } } }`, nil, &out)
	var labels []string
	for _, ct := range out.ConnectorTypes {
		labels = append(labels, ct.Label)
		if ct.Type == "POSTGRESQL" {
			if !ct.Testable || ct.ConfigFields[1].Name != "port" || *ct.ConfigFields[1].Default != "5432" ||
				len(ct.ConfigFields[4].Options) != 5 || ct.CredentialFields[0].Kind != "SECRET" {
				t.Errorf("PostgreSQL = %+v", ct)
			}
		}
	}
	if got := strings.Join(labels, ", "); got != "PostgreSQL, MySQL, Snowflake, BigQuery, Amazon S3, HTTPS API" {
		t.Fatalf("types %s", got)
	}
}

// actionList is the events' actions, space-separated.
func actionList(events []storedEvent) string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Action
	}
	return strings.Join(out, " ")
}
