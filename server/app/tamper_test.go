package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/auditlog"
	"github.com/orgtrail/orgtrail/server/auditlog/verify"
	"github.com/orgtrail/orgtrail/server/config"
	"github.com/orgtrail/orgtrail/server/logging"
)

// Issue 11: tampering a database superuser could do, each done here in SQL
// with the append-only trigger out of the way, and each making the
// verification of a freshly downloaded bundle fail naming what changed; and
// the events of an honest server that must not raise a false alarm.

// asSuperuser runs statements in one transaction with triggers off, as a
// superuser editing the log would.
func (r *rig) asSuperuser(stmts ...string) {
	r.t.Helper()
	tx, err := r.sql.Begin()
	if err != nil {
		r.t.Fatal(err)
	}
	defer tx.Rollback()
	for _, s := range append([]string{"SET LOCAL session_replication_role = replica"}, stmts...) {
		if _, err := tx.Exec(s); err != nil {
			r.t.Fatalf("%s: %v", s, err)
		}
	}
	if err := tx.Commit(); err != nil {
		r.t.Fatal(err)
	}
}

// verifyBundle downloads a bundle with params and verifies it with the
// server's public keys, against earlier when given.
func (r *rig) verifyBundle(key string, params url.Values, earlier string) (*verify.Report, error) {
	r.t.Helper()
	resp, body := r.bundle(key, params)
	if resp.StatusCode != 200 {
		r.t.Fatalf("bundle: %d %s", resp.StatusCode, body)
	}
	opts := verify.Options{Keys: r.publicKeys()}
	if earlier != "" {
		opts.Earlier = []byte(earlier)
	}
	return verify.Bundle(bytes.NewReader(body), opts)
}

// loggedTenant is a tenant with a few events, all in the log.
func (r *rig) loggedTenant() (tenant, checkpointData) {
	r.t.Helper()
	acme := r.tenant("Acme", "admin@acme.example")
	for _, name := range []string{"Deployers", "Auditors", "Operators", "Readers"} {
		r.createRole(acme.Key, name, "secrets:read")
	}
	return acme, r.waitForLog(acme.Key, acme.OrgID)
}

// eventAt returns the id of the organization's n-th event by time.
func (r *rig) eventAt(org string, n int) string {
	r.t.Helper()
	var id string
	if err := r.sql.QueryRow(`SELECT id FROM audit_events WHERE organization_id = $1 ORDER BY occurred_at, id OFFSET $2 LIMIT 1`,
		org, n).Scan(&id); err != nil {
		r.t.Fatal(err)
	}
	return id
}

// mustFail checks that a verification failed, naming all of want.
func mustFail(t *testing.T, err error, want ...string) {
	t.Helper()
	var f *verify.Failure
	if !errors.As(err, &f) {
		t.Fatalf("verification: got %v, want a failure naming %q", err, want)
	}
	for _, w := range want {
		if !strings.Contains(f.What, w) {
			t.Fatalf("the failure %q does not name %q", f.What, w)
		}
	}
}

func TestAnEditedEventFieldFailsVerification(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme, _ := r.loggedTenant()
	id := r.eventAt(acme.OrgID, 3)
	r.asSuperuser(fmt.Sprintf(`UPDATE audit_events SET resource_name = 'Everyone' WHERE id = '%s'`, id))
	_, err := r.verifyBundle(acme.Key, nil, "")
	mustFail(t, err, "event "+id, "differs from what the log recorded")
}

func TestADeletedEventFailsVerification(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme, _ := r.loggedTenant()
	id := r.eventAt(acme.OrgID, 3)
	r.asSuperuser(fmt.Sprintf(`DELETE FROM audit_events WHERE id = '%s'`, id))
	_, err := r.verifyBundle(acme.Key, nil, "")
	mustFail(t, err, "event "+id, "was removed from the database")
}

// TestAForgedEventInsertedInTheMiddleFailsVerification: a row inserted with
// an earlier time and the transaction id of events long sequenced sits in
// the middle of the log's order, where the integrator never goes back.
func TestAForgedEventInsertedInTheMiddleFailsVerification(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme, _ := r.loggedTenant()
	before := r.eventAt(acme.OrgID, 2)
	forged := audit.EventID(time.Now().Add(-time.Hour))
	r.asSuperuser(fmt.Sprintf(`INSERT INTO audit_events (organization_id, occurred_at, id, action, actor_type, actor_id, actor_email,
		resource_type, resource_id, resource_name, details, xid)
		SELECT organization_id, occurred_at + interval '1 microsecond', '%s', 'GRANTED_PERMISSION', actor_type, actor_id, actor_email,
			'role', resource_id, 'Admin', '{"permission": "secrets:write"}', xid
		FROM audit_events WHERE id = '%s'`, forged, before))
	time.Sleep(3 * auditlog.DefaultInterval) // the integrator looks, and must not take it
	_, err := r.verifyBundle(acme.Key, nil, "")
	mustFail(t, err, "event "+forged.String(), "stored but not in the log")
}

// TestRemovingTheNewestEventsAndRebuildingTheLogFailsAgainstASavedCheckpoint:
// the tree is deleted with the newest events and rebuilt by the server from
// what is left; only a checkpoint saved before tells.
func TestRemovingTheNewestEventsAndRebuildingTheLogFailsAgainstASavedCheckpoint(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme, saved := r.loggedTenant()
	r.asSuperuser(
		fmt.Sprintf(`DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE organization_id = '%s'
			ORDER BY occurred_at DESC LIMIT 2)`, acme.OrgID),
		fmt.Sprintf(`DELETE FROM audit_log_tiles WHERE organization_id = '%s'`, acme.OrgID),
		fmt.Sprintf(`DELETE FROM audit_log_entries WHERE organization_id = '%s'`, acme.OrgID),
		fmt.Sprintf(`DELETE FROM audit_logs WHERE organization_id = '%s'`, acme.OrgID))
	rebuilt := r.waitForLog(acme.Key, acme.OrgID)
	if rebuilt.Size != saved.Size-2 {
		t.Fatalf("rebuilt log of %d events, want %d", rebuilt.Size, saved.Size-2)
	}
	if _, err := r.verifyBundle(acme.Key, nil, ""); err != nil {
		t.Fatalf("without a saved checkpoint the rebuilt log verifies (it is self-consistent): %v", err)
	}
	_, err := r.verifyBundle(acme.Key, url.Values{"since": {itoa(saved.Size)}}, saved.SignedNote)
	mustFail(t, err, fmt.Sprintf("fewer than the %d of the earlier checkpoint", saved.Size))

	// Once the rebuilt log has grown past the saved size, the consistency
	// proof is what fails.
	for _, name := range []string{"Later 1", "Later 2", "Later 3"} {
		r.createRole(acme.Key, name, "secrets:read")
	}
	r.waitForLog(acme.Key, acme.OrgID)
	_, err = r.verifyBundle(acme.Key, url.Values{"since": {itoa(saved.Size)}}, saved.SignedNote)
	mustFail(t, err, fmt.Sprintf("does not extend the earlier checkpoint of %d events", saved.Size), "rewritten")
}

func TestACheckpointSignedWithAnotherKeyFailsVerification(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme, cp := r.loggedTenant()
	skey, _, err := auditlog.GenerateKey("mallory.example/orgtrail-audit-log")
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := note.NewSigner(skey)
	text, _, _ := strings.Cut(cp.SignedNote, "\n\n")
	forged, err := note.Sign(&note.Note{Text: text + "\n"}, signer)
	if err != nil {
		t.Fatal(err)
	}
	r.asSuperuser(fmt.Sprintf(`UPDATE audit_logs SET checkpoint = '%s' WHERE organization_id = '%s'`, forged, acme.OrgID))
	_, err = r.verifyBundle(acme.Key, nil, "")
	mustFail(t, err, "not signed by a trusted key", "mallory.example/orgtrail-audit-log")
}

func TestABundleEditedAfterDownloadFailsVerification(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme, _ := r.loggedTenant()
	keys := r.publicKeys()
	_, body := r.bundle(acme.Key, nil)
	check := func(edited []byte, want ...string) {
		t.Helper()
		_, err := verify.Bundle(bytes.NewReader(edited), verify.Options{Keys: keys})
		mustFail(t, err, want...)
	}
	lines := bytes.Split(bytes.TrimSpace(body), []byte("\n"))
	// An event's field.
	for i, l := range lines {
		if bytes.Contains(l, []byte(`"resourceName":"Operators"`)) {
			edited := bytes.Clone(body)
			edited = bytes.Replace(edited, l, bytes.Replace(l, []byte(`"resourceName":"Operators"`), []byte(`"resourceName":"Observers"`), 1), 1)
			var id string
			fmt.Sscanf(string(l[bytes.Index(l, []byte(`"id":"`))+6:]), "%36s", &id)
			check(edited, "event "+id, "differs from what the log recorded")
			// The same event left out, with the end line's count fixed.
			rest := append(append([][]byte{}, lines[:i]...), lines[i+1:]...)
			end := rest[len(rest)-1]
			entries := countPrefixed(lines, `{"entry":`)
			rest[len(rest)-1] = bytes.Replace(end, []byte(fmt.Sprintf(`"entries":%d`, entries)),
				[]byte(fmt.Sprintf(`"entries":%d`, entries-1)), 1)
			check(bytes.Join(rest, []byte("\n")), "is neither in the bundle nor accounted for")
			break
		}
	}
	// Cut off.
	check(bytes.Join(lines[:len(lines)-1], []byte("\n")), "cut off")
}

func countPrefixed(lines [][]byte, prefix string) int {
	n := 0
	for _, l := range lines {
		if bytes.HasPrefix(l, []byte(prefix)) {
			n++
		}
	}
	return n
}

// doAt posts a GraphQL request to the server at base (another replica).
func (r *rig) doAt(base, key, query string, vars map[string]any) gqlResponse {
	r.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Error(err)
		return gqlResponse{}
	}
	defer resp.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		r.t.Error(err)
	}
	return out
}

// TestRetentionDropsEventsWithoutAFalseAlarm: events past retention are
// unlisted, then gone with their partition; either way they lie before the
// retention cutoff, outside what any bundle selects, and the events after
// them still verify.
func TestRetentionDropsEventsWithoutAFalseAlarm(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme, _ := r.loggedTenant()
	old := time.Now().AddDate(0, -3, 0)
	if err := audit.EnsurePartitions(context.Background(), r.app.DB, old, 1); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		at := old.Add(time.Duration(i) * time.Minute)
		if _, err := r.sql.Exec(`INSERT INTO audit_events (organization_id, occurred_at, id, action, actor_type, resource_type, resource_id)
			VALUES ($1, $2, $3, 'LOGGED_IN', 'USER', 'session', 'old')`, acme.OrgID, at.UTC(), audit.EventID(at)); err != nil {
			t.Fatal(err)
		}
	}
	r.createRole(acme.Key, "After", "secrets:read")
	r.waitForLog(acme.Key, acme.OrgID)
	if _, err := r.sql.Exec(`UPDATE organizations SET audit_retention_days = 30`); err != nil {
		t.Fatal(err)
	}
	report, err := r.verifyBundle(acme.Key, nil, "")
	if err != nil || report.Outside != 2 || !report.Complete {
		t.Fatalf("past retention, not yet dropped: %+v %v, want the 2 old events outside", report, err)
	}
	dropped, err := audit.DropExpiredPartitions(context.Background(), r.app.DB, time.Now())
	if err != nil || len(dropped) == 0 {
		t.Fatalf("dropped %v: %v", dropped, err)
	}
	if n := r.count(`SELECT count(*) FROM audit_events WHERE organization_id = $1 AND resource_id = 'old'`, acme.OrgID); n != 0 {
		t.Fatalf("%d old events left after the drop", n)
	}
	report, err = r.verifyBundle(acme.Key, nil, "")
	if err != nil || report.Outside != 2 || !report.Complete {
		t.Fatalf("after the drop: %+v %v, want the 2 dropped events accounted for", report, err)
	}
}

// TestTwoServersAndARestartKeepOneLog runs two servers on one database, as
// two replicas, with writes through both; then one restarts while writes go
// on. The log has every event once, and verifies.
func TestTwoServersAndARestartKeepOneLog(t *testing.T) {
	t.Parallel()
	skey, _, err := auditlog.GenerateKey("orgtrail.test/orgtrail-audit-log")
	if err != nil {
		t.Fatal(err)
	}
	// Replicas share AUDIT_SIGNING_KEY, as they share SECRET_KEY.
	r := newRigWith(t, func(c *config.Config) { c.AuditSigningKey = skey })
	acme := r.tenant("Acme", "admin@acme.example")
	second := func() (*App, *httptest.Server) {
		a, err := New(context.Background(), r.app.Config, logging.New(&lockedWriter{w: &bytes.Buffer{}}, 0))
		if err != nil {
			t.Fatal(err)
		}
		return a, httptest.NewServer(a.Handler())
	}
	other, otherSrv := second()
	write := func(base string, prefix string, n int) {
		var wg sync.WaitGroup
		for c := range 3 {
			wg.Go(func() {
				for i := range n {
					res := r.doAt(base, acme.Key, createRole, map[string]any{"name": fmt.Sprintf("%s %d-%d", prefix, c, i), "perms": []string{"secrets:read"}})
					if len(res.Errors) > 0 {
						t.Errorf("%+v", res.Errors)
					}
				}
			})
		}
		wg.Wait()
	}
	var wg sync.WaitGroup
	wg.Go(func() { write(r.srv.URL, "one", 15) })
	wg.Go(func() { write(otherSrv.URL, "two", 15) })
	wg.Wait()
	// A restart of the second server while the first writes.
	wg.Go(func() { write(r.srv.URL, "three", 10) })
	otherSrv.Close()
	other.Close()
	other, otherSrv = second()
	defer func() { otherSrv.Close(); other.Close() }()
	write(otherSrv.URL, "four", 10)
	wg.Wait()
	r.waitForLog(acme.Key, acme.OrgID)
	if dup := r.count(`SELECT count(*) - count(DISTINCT substr(event_ids, i * 16 + 1, 16)) FROM audit_log_entries,
		generate_series(0, length(event_ids) / 16 - 1) AS i WHERE organization_id = $1`, acme.OrgID); dup != 0 {
		t.Fatalf("%d events sequenced twice", dup)
	}
	report, err := r.verifyBundle(acme.Key, nil, "")
	stored := int64(r.count(`SELECT count(*) FROM audit_events WHERE organization_id = $1`, acme.OrgID))
	if err != nil || report.Entries != stored || report.Outside != 0 {
		t.Fatalf("%+v %v, want all %d events", report, err, stored)
	}
}

// TestAnEventCommittedLateWithAnEarlierTimeVerifies: a transaction that
// took its time writes an event stamped before events already sequenced.
func TestAnEventCommittedLateWithAnEarlierTimeVerifies(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme, _ := r.loggedTenant()
	tx, err := r.sql.Begin()
	if err != nil {
		t.Fatal(err)
	}
	stamped := time.Now()
	r.createRole(acme.Key, "Meanwhile", "secrets:read")
	r.waitForLog(acme.Key, acme.OrgID)
	if _, err := tx.Exec(`INSERT INTO audit_events (organization_id, occurred_at, id, action, actor_type, resource_type, resource_id)
		VALUES ($1, $2, $3, 'LOGGED_OUT', 'USER', 'session', 'slow')`, acme.OrgID, stamped.UTC(), audit.EventID(stamped)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	r.waitForLog(acme.Key, acme.OrgID)
	report, err := r.verifyBundle(acme.Key, nil, "")
	stored := int64(r.count(`SELECT count(*) FROM audit_events WHERE organization_id = $1`, acme.OrgID))
	if err != nil || report.Entries != stored {
		t.Fatalf("%+v %v, want all %d events", report, err, stored)
	}
}
