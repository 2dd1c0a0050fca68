package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/logging"
	"github.com/orgtrail/orgtrail/server/secrets"
)

// watch drives the rig's GraphQL API while recording every response, and
// remembers every secret value, credential and full key the test creates,
// so that the test can end by proving that none of them appears in any
// response, in the server log or in any row of any table.
type watch struct {
	r         *rig
	responses []string
	// values maps each remembered value to what it is.
	values map[string]string
	// shownOnce maps a value to the one response allowed to carry it: the
	// payload that creates a key shows it once.
	shownOnce map[string]int
}

func (r *rig) watch() *watch {
	return &watch{r: r, values: map[string]string{}, shownOnce: map[string]int{}}
}

// secret remembers a fresh random value, named for what it is, and returns it.
func (w *watch) secret(what string) string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	v := "sv-" + strings.ReplaceAll(what, " ", "-") + "-" + hex.EncodeToString(b[:])
	w.remember(what, v)
	return v
}

// remember adds a value the test did not make up (a minted key).
func (w *watch) remember(what, v string) { w.values[v] = what }

// rememberKey adds a full key and its secret part (its prefix is public).
func (w *watch) rememberKey(what, key string) {
	w.remember(what, key)
	w.remember(what+" (secret part)", key[len(key)-43:])
}

func (w *watch) do(key, query string, vars map[string]any) gqlResponse {
	w.r.t.Helper()
	res := w.r.do(key, query, vars)
	raw, _ := json.Marshal(struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}{res.Data, res.Errors})
	w.responses = append(w.responses, string(raw))
	return res
}

func (w *watch) ok(key, query string, vars map[string]any, dst any) {
	w.r.t.Helper()
	res := w.do(key, query, vars)
	if len(res.Errors) > 0 {
		w.r.t.Fatalf("unexpected errors: %+v\nquery: %s%s", res.Errors, query, w.r.serverErrors())
	}
	if dst != nil {
		if err := json.Unmarshal(res.Data, dst); err != nil {
			w.r.t.Fatal(err)
		}
	}
}

func (w *watch) fails(code, key, query string, vars map[string]any) gqlResponse {
	w.r.t.Helper()
	res := w.do(key, query, vars)
	if res.code() != code {
		w.r.t.Fatalf("got errors %+v (data %s), want code %s\nquery: %s%s", res.Errors, res.Data, code, query, w.r.serverErrors())
	}
	return res
}

// allowLast lets the last response carry value (the payload showing a key once).
func (w *watch) allowLast(value string) { w.shownOnce[value] = len(w.responses) - 1 }

// assertNoLeaks scans every recorded response, the whole server log and every
// row of every table (audit events included) for every remembered value, as
// text and, for bytea columns, as hex.
func (w *watch) assertNoLeaks() {
	t := w.r.t
	t.Helper()
	if len(w.values) == 0 {
		t.Fatal("the watch remembers no value: nothing was checked")
	}
	rows := w.r.allRows()
	log := w.r.log.String()
	for v, what := range w.values {
		for i, res := range w.responses {
			if allowed, ok := w.shownOnce[v]; ok && allowed == i {
				continue
			}
			if strings.Contains(res, v) {
				t.Errorf("%s leaked in GraphQL response %d: %s", what, i, res)
			}
		}
		if strings.Contains(log, v) {
			t.Errorf("%s leaked in the server log", what)
		}
		hexed := hex.EncodeToString([]byte(v))
		for _, row := range rows {
			if strings.Contains(row, v) || strings.Contains(row, hexed) {
				t.Errorf("%s is stored in plain text: %s", what, row)
			}
		}
	}
	if t.Failed() {
		return
	}
	t.Logf("checked %d values against %d responses, %d log bytes and %d rows", len(w.values), len(w.responses), len(log), len(rows))
}

// serverErrors returns the error lines of the server log, to explain an
// unexpected INTERNAL.
func (r *rig) serverErrors() string {
	var out []string
	for _, line := range strings.Split(r.log.String(), "\n") {
		if strings.Contains(line, `"level":"ERROR"`) {
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return "\nserver errors:\n" + strings.Join(out, "\n")
}

// allRows returns every row of every table of the database as JSON text.
func (r *rig) allRows() []string {
	r.t.Helper()
	tables, err := r.sql.Query(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`)
	if err != nil {
		r.t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		if err := tables.Scan(&n); err != nil {
			r.t.Fatal(err)
		}
		names = append(names, n)
	}
	tables.Close()
	var out []string
	for _, n := range names {
		rows, err := r.sql.Query(fmt.Sprintf(`SELECT row_to_json(t)::text FROM %q t`, n))
		if err != nil {
			r.t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				r.t.Fatal(err)
			}
			out = append(out, n+": "+s)
		}
		rows.Close()
	}
	if !strings.Contains(strings.Join(names, ","), "audit_events") {
		r.t.Fatalf("the scan misses the audit log: tables %v", names)
	}
	return out
}

// eventsSince returns the organization's events after the first n.
func (r *rig) eventsSince(org string, n int) []storedEvent {
	r.t.Helper()
	return r.events(org)[n:]
}

// changesOf returns an update event's details.changes.
func changesOf(t *testing.T, e storedEvent) map[string]any {
	t.Helper()
	changes, ok := e.Details["changes"].(map[string]any)
	if !ok {
		t.Fatalf("%s event has no changes: %v", e.Action, e.Details)
	}
	return changes
}

const (
	createSecret = `mutation($name: String!, $value: String!, $desc: String) {
		createSecret(input: {name: $name, value: $value, description: $desc}) {
			secret { id name description createdAt updatedAt createdBy { type name } updatedBy { type name } } } }`
	updateSecret = `mutation($id: ID!, $name: String, $desc: String, $value: String) {
		updateSecret(input: {id: $id, name: $name, description: $desc, value: $value}) { secret { id name description } } }`
	deleteSecret = `mutation($id: ID!) { deleteSecret(input: {id: $id}) { deletedSecretId } }`
	listSecrets  = `{ secrets { id name description createdBy { type id name email } updatedBy { type name } } }`
)

type secretData struct {
	ID, Name, Description string
	CreatedBy, UpdatedBy  struct{ Type, Name string }
}

func (w *watch) createSecret(key, name, value string) secretData {
	w.r.t.Helper()
	var out struct{ CreateSecret struct{ Secret secretData } }
	w.ok(key, createSecret, map[string]any{"name": name, "value": value, "desc": "for " + name}, &out)
	return out.CreateSecret.Secret
}

// secretValue decrypts a secret the way the server does for its own use.
func (r *rig) secretValue(org, id string) (string, error) {
	return r.app.Secrets.Value(context.Background(), uuid.MustParse(org), uuid.MustParse(id))
}

// TestSecretLifecycleIsAuditedAndValuesNeverLeak creates, lists, updates and
// deletes secrets (and fails at it in several ways), checks the one event
// each change records, and proves that no value ever reached a response, the
// log or a table in plain text.
func TestSecretLifecycleIsAuditedAndValuesNeverLeak(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	w.rememberKey("the bootstrap admin key", acme.Key)
	n := len(r.events(acme.OrgID))

	first, second := w.secret("first value"), w.secret("second value")
	sec := w.createSecret(acme.Key, "DATABASE_PASSWORD", first)
	if sec.Name != "DATABASE_PASSWORD" || sec.CreatedBy.Type != "API_KEY" || sec.CreatedBy.Name != "Bootstrap admin key" {
		t.Fatalf("created %+v", sec)
	}
	if v, err := r.secretValue(acme.OrgID, sec.ID); err != nil || v != first {
		t.Fatalf("stored value does not decrypt to what was given: %v", err)
	}

	// Failures that carry a value.
	w.fails("CONFLICT", acme.Key, createSecret, map[string]any{"name": "DATABASE_PASSWORD", "value": w.secret("conflicting value")})
	w.fails("BAD_USER_INPUT", acme.Key, createSecret, map[string]any{"name": "database_password", "value": w.secret("badly named value")})
	w.fails("BAD_USER_INPUT", acme.Key, createSecret, map[string]any{"name": "BIG", "value": strings.Repeat(w.secret("oversize value"), 3000)})
	w.fails("BAD_USER_INPUT", acme.Key, updateSecret, map[string]any{"id": sec.ID, "value": strings.Repeat(w.secret("oversize update"), 3000)})
	w.fails("BAD_USER_INPUT", acme.Key, `mutation($v: Int) { createSecret(input: {name: "X", value: $v}) { secret { id } } }`,
		map[string]any{"v": w.secret("mistyped value")})
	w.fails("NOT_FOUND", acme.Key, updateSecret, map[string]any{"id": uuid.NewString(), "value": w.secret("value for nobody")})

	var list struct{ Secrets []secretData }
	w.ok(acme.Key, listSecrets, nil, &list)
	if len(list.Secrets) != 1 || list.Secrets[0].Description != "for DATABASE_PASSWORD" {
		t.Fatalf("secrets = %+v", list.Secrets)
	}

	// Same value: a no-op. Rename + new value: one event listing both.
	w.ok(acme.Key, updateSecret, map[string]any{"id": sec.ID, "value": first, "desc": "for DATABASE_PASSWORD"}, nil)
	w.ok(acme.Key, updateSecret, map[string]any{"id": sec.ID, "name": "DB_PASSWORD", "value": second}, nil)
	if v, _ := r.secretValue(acme.OrgID, sec.ID); v != second {
		t.Fatal("the new value is not stored")
	}
	w.ok(acme.Key, updateSecret, map[string]any{"id": sec.ID, "desc": "Primary database"}, nil)
	w.ok(acme.Key, deleteSecret, map[string]any{"id": sec.ID}, nil)
	w.fails("NOT_FOUND", acme.Key, deleteSecret, map[string]any{"id": sec.ID})

	events := r.eventsSince(acme.OrgID, n)
	want := []string{"CREATED_SECRET", "UPDATED_SECRET", "UPDATED_SECRET", "DELETED_SECRET"}
	if len(events) != len(want) {
		t.Fatalf("events %s, want %v", actionList(events), want)
	}
	for i, e := range events {
		if e.Action != want[i] || e.ResourceType != "secret" || e.ResourceID != sec.ID || e.ActorType != "API_KEY" {
			t.Errorf("event %d = %s on %s %s by %s", i, e.Action, e.ResourceType, e.ResourceID, e.ActorType)
		}
	}
	if events[0].ResourceName != "DATABASE_PASSWORD" || events[3].ResourceName != "DB_PASSWORD" {
		t.Errorf("resource names %q, %q", events[0].ResourceName, events[3].ResourceName)
	}
	if got := fmt.Sprint(changesOf(t, events[1])); got != "map[name:map[from:DATABASE_PASSWORD to:DB_PASSWORD] value:changed]" {
		t.Errorf("rename + new value changes = %s", got)
	}
	if got := fmt.Sprint(changesOf(t, events[2])); got != "map[description:map[from:for DATABASE_PASSWORD to:Primary database]]" {
		t.Errorf("description changes = %s", got)
	}
	w.assertNoLeaks()
}

// TestSecretUpdateRecordsWhoChangedIt: the list shows the creator and the
// last person or key to change a secret.
func TestSecretUpdateRecordsWhoChangedIt(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	sec := w.createSecret(acme.Key, "TOKEN", w.secret("token"))

	rotator := w.createAccessKey(acme.Key, "rotator", "secrets:read", "secrets:write")
	w.ok(rotator, updateSecret, map[string]any{"id": sec.ID, "value": w.secret("rotated token")}, nil)

	var list struct{ Secrets []secretData }
	w.ok(acme.Key, listSecrets, nil, &list)
	got := list.Secrets[0]
	if got.CreatedBy.Name != "Bootstrap admin key" || got.UpdatedBy.Name != "rotator" || got.UpdatedBy.Type != "API_KEY" {
		t.Fatalf("createdBy %+v updatedBy %+v", got.CreatedBy, got.UpdatedBy)
	}
	w.assertNoLeaks()
}

func TestSecretNamesAreUniquePerOrganization(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	w := r.watch()
	w.createSecret(acme.Key, "API_TOKEN", w.secret("acme token"))
	w.createSecret(globex.Key, "API_TOKEN", w.secret("globex token")) // another organization: fine
	other := w.createSecret(acme.Key, "OTHER", w.secret("other"))
	n := len(r.events(acme.OrgID))
	w.fails("CONFLICT", acme.Key, createSecret, map[string]any{"name": "API_TOKEN", "value": w.secret("dup")})
	w.fails("CONFLICT", acme.Key, updateSecret, map[string]any{"id": other.ID, "name": "API_TOKEN"})
	if got := len(r.events(acme.OrgID)); got != n {
		t.Fatalf("refused changes wrote %d events", got-n)
	}
	w.assertNoLeaks()
}

func TestSecretsOfAnotherOrganizationAreNotFound(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	w := r.watch()
	sec := w.createSecret(acme.Key, "ACME_ONLY", w.secret("acme value"))
	acmeEvents, globexEvents := len(r.events(acme.OrgID)), len(r.events(globex.OrgID))

	w.fails("NOT_FOUND", globex.Key, updateSecret, map[string]any{"id": sec.ID, "value": w.secret("overwrite")})
	w.fails("NOT_FOUND", globex.Key, updateSecret, map[string]any{"id": sec.ID, "name": "STOLEN"})
	w.fails("NOT_FOUND", globex.Key, deleteSecret, map[string]any{"id": sec.ID})
	var list struct{ Secrets []secretData }
	w.ok(globex.Key, listSecrets, nil, &list)
	if len(list.Secrets) != 0 {
		t.Fatalf("Globex lists %+v", list.Secrets)
	}
	if _, err := r.app.Secrets.Value(context.Background(), uuid.MustParse(globex.OrgID), uuid.MustParse(sec.ID)); err == nil {
		t.Fatal("Globex's organization reads Acme's value")
	}
	if v, _ := r.secretValue(acme.OrgID, sec.ID); !strings.HasPrefix(v, "sv-acme-value") {
		t.Fatal("Acme's value changed")
	}
	if len(r.events(acme.OrgID)) != acmeEvents || len(r.events(globex.OrgID)) != globexEvents {
		t.Fatal("refused requests wrote events")
	}
	w.assertNoLeaks()
}

func TestBadSecretInputIsRefusedAndChangesNothing(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	sec := w.createSecret(acme.Key, "KEEP", w.secret("kept"))
	n, rows := len(r.events(acme.OrgID)), r.count(`SELECT count(*) FROM secrets`)
	for name, c := range map[string]struct {
		code, query string
		vars        map[string]any
	}{
		"lower case name":  {"BAD_USER_INPUT", createSecret, map[string]any{"name": "api_token", "value": "v"}},
		"leading digit":    {"BAD_USER_INPUT", createSecret, map[string]any{"name": "1TOKEN", "value": "v"}},
		"dash in name":     {"BAD_USER_INPUT", createSecret, map[string]any{"name": "API-TOKEN", "value": "v"}},
		"empty name":       {"BAD_USER_INPUT", createSecret, map[string]any{"name": "", "value": "v"}},
		"name too long":    {"BAD_USER_INPUT", createSecret, map[string]any{"name": "A" + strings.Repeat("B", 128), "value": "v"}},
		"empty value":      {"BAD_USER_INPUT", createSecret, map[string]any{"name": "EMPTY", "value": ""}},
		"value too big":    {"BAD_USER_INPUT", createSecret, map[string]any{"name": "BIG", "value": strings.Repeat("x", secrets.MaxValueBytes+1)}},
		"long description": {"BAD_USER_INPUT", createSecret, map[string]any{"name": "DESC", "value": "v", "desc": strings.Repeat("d", 501)}},
		"missing value":    {"BAD_USER_INPUT", `mutation { createSecret(input: {name: "NOVALUE"}) { secret { id } } }`, nil},
		"bad rename":       {"BAD_USER_INPUT", updateSecret, map[string]any{"id": sec.ID, "name": "keep"}},
		"empty new value":  {"BAD_USER_INPUT", updateSecret, map[string]any{"id": sec.ID, "value": ""}},
		"malformed id":     {"BAD_USER_INPUT", updateSecret, map[string]any{"id": "nope", "value": "v"}},
		"unknown id":       {"NOT_FOUND", deleteSecret, map[string]any{"id": uuid.NewString()}},
		"no value field":   {"BAD_USER_INPUT", `{ secrets { id value } }`, nil},
		"no ciphertext":    {"BAD_USER_INPUT", `{ secrets { id ciphertext } }`, nil},
	} {
		t.Run(name, func(t *testing.T) { w.fails(c.code, acme.Key, c.query, c.vars) })
	}
	if got := len(r.events(acme.OrgID)); got != n {
		t.Fatalf("bad input wrote %d events", got-n)
	}
	if got := r.count(`SELECT count(*) FROM secrets`); got != rows {
		t.Fatalf("bad input changed the secret count %d → %d", rows, got)
	}
	if v, _ := r.secretValue(acme.OrgID, sec.ID); !strings.HasPrefix(v, "sv-kept-") {
		t.Fatal("bad input changed the value")
	}
}

func TestSecretsNeedTheirPermissions(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	sec := w.createSecret(acme.Key, "GUARDED", w.secret("guarded"))
	reader := w.createAccessKey(acme.Key, "reader", "secrets:read")
	other := w.createAccessKey(acme.Key, "auditor", "audit_log:read")
	w.ok(reader, listSecrets, nil, nil)
	w.fails("FORBIDDEN", reader, createSecret, map[string]any{"name": "NEW", "value": w.secret("new")})
	w.fails("FORBIDDEN", reader, updateSecret, map[string]any{"id": sec.ID, "value": w.secret("changed")})
	w.fails("FORBIDDEN", reader, deleteSecret, map[string]any{"id": sec.ID})
	w.fails("FORBIDDEN", other, listSecrets, nil)
	w.fails("UNAUTHENTICATED", "", listSecrets, nil)
	w.assertNoLeaks()
}

// TestTamperedSecretFailsClosed alters a stored ciphertext, and moves one to
// another row and to another organization's row: none decrypts, each with a
// clear error, and writing a new value repairs the row.
func TestTamperedSecretFailsClosed(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	w := r.watch()
	a := w.createSecret(acme.Key, "A", w.secret("a"))
	b := w.createSecret(acme.Key, "B", w.secret("b"))
	g := w.createSecret(globex.Key, "G", w.secret("g"))

	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := r.sql.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	// One flipped bit in the middle of a's ciphertext.
	exec(`UPDATE secrets SET ciphertext = overlay(ciphertext PLACING
		set_byte(substring(ciphertext FROM 20 FOR 1), 0, get_byte(ciphertext, 19) # 1) FROM 20 FOR 1) WHERE id = $1`, a.ID)
	// b's ciphertext copied into g's row, in another organization.
	exec(`UPDATE secrets SET ciphertext = (SELECT ciphertext FROM secrets WHERE id = $1) WHERE id = $2`, b.ID, g.ID)

	for name, c := range map[string]struct{ org, id string }{
		"altered":                       {acme.OrgID, a.ID},
		"moved to another organization": {globex.OrgID, g.ID},
	} {
		v, err := r.secretValue(c.org, c.id)
		if !errors.Is(err, secrets.ErrUndecryptable) || v != "" {
			t.Fatalf("%s: Value = %q, %v; want ErrUndecryptable and no value", name, v, err)
		}
		if !strings.Contains(err.Error(), "cannot be decrypted") || !strings.Contains(err.Error(), c.id) {
			t.Errorf("%s: error %q does not say what failed where", name, err)
		}
	}
	// Another row of the same organization.
	exec(`UPDATE secrets SET ciphertext = (SELECT ciphertext FROM secrets WHERE id = $1) WHERE id = $2`, b.ID, a.ID)
	if _, err := r.secretValue(acme.OrgID, a.ID); !errors.Is(err, secrets.ErrUndecryptable) {
		t.Fatalf("a ciphertext moved to another row decrypts: %v", err)
	}
	if v, err := r.secretValue(acme.OrgID, b.ID); err != nil || !strings.HasPrefix(v, "sv-b-") {
		t.Fatalf("the untouched secret no longer decrypts: %v", err)
	}

	// Writing a new value repairs the row, and is audited as a change.
	n := len(r.events(acme.OrgID))
	repaired := w.secret("repaired")
	w.ok(acme.Key, updateSecret, map[string]any{"id": a.ID, "value": repaired}, nil)
	if v, err := r.secretValue(acme.OrgID, a.ID); err != nil || v != repaired {
		t.Fatalf("after repair: %v", err)
	}
	if ev := r.eventsSince(acme.OrgID, n); len(ev) != 1 || fmt.Sprint(changesOf(t, ev[0])) != "map[value:changed]" {
		t.Fatalf("repair events %+v", ev)
	}
	w.assertNoLeaks()
}

// rotationApp opens a second server on the rig's database whose SECRET_KEY
// is current, with previous keys as SECRET_KEY_PREVIOUS.
func (r *rig) rotationApp(current []byte, previous ...[]byte) *App {
	r.t.Helper()
	cfg := r.app.Config
	cfg.SecretKey, cfg.PreviousSecretKeys = current, previous
	a, err := New(context.Background(), cfg, logging.New(io.Discard, slog.LevelError))
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { a.Close() })
	return a
}

// TestSecretKeyRotationReencryptsEveryValue rotates SECRET_KEY over secrets
// and connector credentials of two organizations in small batches, after the
// new server has already sealed a value of its own, and checks that every
// value then decrypts with
// the new key alone, that the old key alone no longer decrypts anything, and
// that a tampered row is reported and left alone without stopping the rest.
func TestSecretKeyRotationReencryptsEveryValue(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	w := r.watch()
	type stored struct{ org, id, value string }
	var all []stored
	for i := range 5 {
		for _, tn := range []tenant{acme, globex} {
			v := w.secret(fmt.Sprintf("value %d", i))
			all = append(all, stored{tn.OrgID, w.createSecret(tn.Key, fmt.Sprintf("SECRET_%d", i), v).ID, v})
		}
	}
	w.createConnector(acme.Key, "warehouse", "SNOWFLAKE", map[string]any{
		"account": "acme-1", "warehouse": "WH", "database": "DB", "username": "loader"},
		map[string]any{"password": w.secret("snowflake password")})
	pg := w.createConnector(acme.Key, "app db", "POSTGRESQL", r.pgConfig(), r.pgCredentials(w))
	tampered := w.createSecret(acme.Key, "TAMPERED", w.secret("tampered"))
	if _, err := r.sql.Exec(`UPDATE secrets SET ciphertext = ciphertext || '\x00'::bytea WHERE id = $1`, tampered.ID); err != nil {
		t.Fatal(err)
	}
	versionsBefore := r.count(`SELECT count(DISTINCT key_version) FROM secrets`)
	ciphertextBefore := map[string]string{}
	for _, s := range all {
		var c string
		_ = r.sql.QueryRow(`SELECT encode(ciphertext, 'hex') FROM secrets WHERE id = $1`, s.id).Scan(&c)
		ciphertextBefore[s.id] = c
	}

	oldKey, newKey := r.app.Config.SecretKey, bytesOf(9)
	rotating := r.rotationApp(newKey, oldKey)
	pending, err := rotating.PendingSecretKeyRotation(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if pending["secrets"] != int64(len(all)+1) || pending["connectors"] != 2 {
		t.Fatalf("pending before rotation = %v", pending)
	}
	// While both keys are configured, the new server reads old values.
	if v, err := rotating.Secrets.Value(context.Background(), uuid.MustParse(all[0].org), uuid.MustParse(all[0].id)); err != nil || v != all[0].value {
		t.Fatalf("the rotating server cannot read an old value: %v", err)
	}
	// And writes new ones under the new key.
	fresh := w.secret("fresh")
	freshSecret, err := rotating.Secrets.Create(systemContext(acme.OrgID), uuid.MustParse(acme.OrgID),
		secrets.CreateCommand{Name: "FRESH", Value: fresh})
	if err != nil {
		t.Fatal(err)
	}
	all = append(all, stored{acme.OrgID, freshSecret.ID.String(), fresh})

	updatedAt := func() string {
		var s string
		if err := r.sql.QueryRow(`SELECT string_agg(id || updated_at::text, ',' ORDER BY id) FROM secrets`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	updatedBefore := updatedAt()
	var batches []string
	results, err := rotating.RotateSecretKey(context.Background(), 3, func(table string, n int) {
		batches = append(batches, fmt.Sprintf("%s:%d", table, n))
	})
	if err != nil {
		t.Fatal(err)
	}
	byTable := map[string]secrets.RotationResult{}
	for _, res := range results {
		byTable[res.Column.Table] = res
	}
	if s := byTable["secrets"]; s.Rotated != len(all)-1 || len(s.Failed) != 1 || s.Failed[0].ID.String() != tampered.ID ||
		!errors.Is(s.Failed[0].Err, secrets.ErrUndecryptable) {
		t.Fatalf("secrets rotation = rotated %d, failed %+v; want %d rotated and the tampered row failed",
			s.Rotated, s.Failed, len(all)-1)
	}
	if c := byTable["connectors"]; c.Rotated != 2 || len(c.Failed) != 0 {
		t.Fatalf("connectors rotation = %+v", c)
	}
	if len(batches) < 4 {
		t.Errorf("progress %v: want several batches of 3", batches)
	}
	pending, _ = rotating.PendingSecretKeyRotation(context.Background())
	if pending["secrets"] != 1 || pending["connectors"] != 0 {
		t.Fatalf("pending after rotation = %v; want only the tampered row", pending)
	}
	if n := r.count(`SELECT count(*) FROM secrets WHERE key_version = $1`, rotating.Keyring.Version()); n != len(all) {
		t.Fatalf("%d secrets under the new key version, want %d", n, len(all))
	}
	if versionsBefore != 1 {
		t.Fatalf("%d key versions before rotation", versionsBefore)
	}
	for _, s := range all[:len(all)-1] {
		var c string
		_ = r.sql.QueryRow(`SELECT encode(ciphertext, 'hex') FROM secrets WHERE id = $1`, s.id).Scan(&c)
		if c == ciphertextBefore[s.id] {
			t.Fatalf("secret %s still has its old ciphertext", s.id)
		}
	}

	// With the new key alone, every value decrypts and the connector connects.
	newOnly := r.rotationApp(newKey)
	for _, s := range all {
		v, err := newOnly.Secrets.Value(context.Background(), uuid.MustParse(s.org), uuid.MustParse(s.id))
		if err != nil || v != s.value {
			t.Fatalf("after rotation, secret %s: %v", s.id, err)
		}
	}
	_, res, err := newOnly.Connectors.Test(context.Background(), uuid.MustParse(acme.OrgID), uuid.MustParse(pg.ID))
	if err != nil || !res.OK {
		t.Fatalf("after rotation the PostgreSQL connector test = %+v, %v", res, err)
	}
	// The old key alone opens nothing any more: it fails closed.
	oldOnly := r.rotationApp(oldKey)
	_, err = oldOnly.Secrets.Value(context.Background(), uuid.MustParse(all[0].org), uuid.MustParse(all[0].id))
	if !errors.Is(err, secrets.ErrUndecryptable) {
		t.Fatalf("the retired key still decrypts: %v", err)
	}
	_, res, _ = oldOnly.Connectors.Test(context.Background(), uuid.MustParse(acme.OrgID), uuid.MustParse(pg.ID))
	if res.OK || !strings.Contains(res.Message, "cannot be decrypted") {
		t.Fatalf("connector test with the retired key = %+v", res)
	}

	// Rotation is maintenance: no events, no updatedAt change; run again, it
	// finds nothing more to do.
	before := len(r.events(acme.OrgID))
	again, err := rotating.RotateSecretKey(context.Background(), 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if again[0].Rotated != 0 || again[1].Rotated != 0 {
		t.Fatalf("a second rotation re-encrypted %d secrets and %d connectors", again[0].Rotated, again[1].Rotated)
	}
	if len(r.events(acme.OrgID)) != before {
		t.Fatal("rotation wrote audit events")
	}
	if updatedAt() != updatedBefore {
		t.Fatal("rotation changed updated_at")
	}
	w.assertNoLeaks()
}

func bytesOf(b byte) []byte {
	out := make([]byte, 32)
	for i := range out {
		out[i] = b
	}
	return out
}
