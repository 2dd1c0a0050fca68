package app

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/orgtrail/orgtrail/migrations"
	"github.com/orgtrail/orgtrail/server/config"
	"github.com/orgtrail/orgtrail/server/localpg"
	"github.com/orgtrail/orgtrail/server/logging"
	"github.com/orgtrail/orgtrail/server/replica"
)

// standbyPair is a primary and its streaming standby, both throwaway
// clusters of this test, and the server using them.
type standbyPair struct {
	t                *testing.T
	primary, standby *sql.DB
	app              *App
	srv              *httptest.Server
}

func newStandbyPair(t *testing.T) *standbyPair {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	logf := func(string, ...any) {}
	primary, err := localpg.Start(ctx, localpg.Options{Dir: filepath.Join(dir, "primary"), Ephemeral: true, Logf: logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = primary.Stop() })
	if err := primary.EnsureDatabase(ctx, "orgtrail"); err != nil {
		t.Fatal(err)
	}
	p := &standbyPair{t: t}
	if p.primary, err = sql.Open("pgx", primary.URL("orgtrail")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.primary.Close() })
	if err := migrations.Up(ctx, p.primary); err != nil {
		t.Fatal(err)
	}
	standby, err := localpg.StartStandby(ctx, primary.URL("postgres"), localpg.Options{Dir: filepath.Join(dir, "standby"), Ephemeral: true, Logf: logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = standby.Stop() })
	if p.standby, err = sql.Open("pgx", standby.URL("orgtrail")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.standby.Close() })
	cfg := config.Config{DatabaseURL: primary.URL("orgtrail"), DatabaseReadURL: standby.URL("orgtrail"),
		ListenAddr: "127.0.0.1:0", PublicURL: "http://orgtrail.test", SecretKey: bytes.Repeat([]byte{7}, 32)}
	if p.app, err = New(ctx, cfg, logging.New(&lockedWriter{w: &bytes.Buffer{}}, slog.LevelDebug)); err != nil {
		t.Fatal(err)
	}
	p.srv = httptest.NewServer(p.app.Handler())
	t.Cleanup(func() { p.srv.Close(); p.app.Close() })
	return p
}

// caughtUp waits until the standby has replayed everything the primary wrote.
func (p *standbyPair) caughtUp() {
	p.t.Helper()
	var target string
	if err := p.primary.QueryRow(`SELECT pg_current_wal_insert_lsn()::text`).Scan(&target); err != nil {
		p.t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var ok bool
		if err := p.standby.QueryRow(`SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn`, target).Scan(&ok); err != nil {
			p.t.Fatal(err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatal("the standby did not catch up within 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// post sends a GraphQL query with an API key and, when readAfter is set, the
// read-your-writes token; it returns the data and the response's headers.
// rolesCounted is the number of "Created role" events the timeline counts
// over the last 7 days for key's caller, sending readAfter.
func (p *standbyPair) rolesCounted(key, readAfter string) int {
	p.t.Helper()
	var timeline struct {
		AuditTimeline struct{ Total int }
	}
	p.post(key, readAfter, `{ auditTimeline(filter: {range: LAST_7_DAYS, action: CREATED_ROLE}) { total } }`, &timeline)
	return timeline.AuditTimeline.Total
}

func (p *standbyPair) post(key, readAfter, query string, data any) http.Header {
	p.t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	req, _ := http.NewRequest(http.MethodPost, p.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	if readAfter != "" {
		req.Header.Set(replica.HeaderName, readAfter)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var env struct {
		Data   json.RawMessage
		Errors []gqlError
	}
	if err := json.Unmarshal(raw, &env); err != nil || len(env.Errors) > 0 || resp.StatusCode != http.StatusOK {
		p.t.Fatalf("%s: %s %s", query, resp.Status, raw)
	}
	if err := json.Unmarshal(env.Data, data); err != nil {
		p.t.Fatal(err)
	}
	return resp.Header
}

// hasEventFor reports whether the key's first page of the Audit Log holds an
// event about resource id.
func (p *standbyPair) hasEventFor(key, readAfter, id string) bool {
	p.t.Helper()
	var res struct {
		AuditEvents struct {
			Edges []struct {
				Node struct{ Resource struct{ ID string } }
			}
		}
	}
	p.post(key, readAfter, `{ auditEvents(first: 20) { edges { node { resource { id } } } } }`, &res)
	for _, e := range res.AuditEvents.Edges {
		if e.Node.Resource.ID == id {
			return true
		}
	}
	return false
}

// TestAuditLogReadsGoToTheReplicaAndTheWriterReadsTheirWrite (issue 14):
// with DATABASE_READ_URL, the Audit Log is read from the standby; a person
// who just wrote sees their event even while the standby stands still
// (read-your-writes falls back to the primary), someone who did not write is
// served by the standby (and so does not see it yet), and authentication
// reads the primary.
func TestAuditLogReadsGoToTheReplicaAndTheWriterReadsTheirWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a primary and a standby")
	}
	p := newStandbyPair(t)
	ctx := context.Background()
	writer, err := p.app.Bootstrap(ctx, BootstrapInput{OrganizationName: "Replicated", AdminEmail: "w@replicated.example", APIKey: true})
	if err != nil {
		t.Fatal(err)
	}
	reader, err := p.app.Bootstrap(ctx, BootstrapInput{OrganizationName: "Replicated", AdminEmail: "w@replicated.example", APIKey: true})
	if err != nil {
		t.Fatal(err)
	}
	p.caughtUp()
	if _, err := p.standby.Exec(`SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}

	var created struct {
		CreateRole struct{ Role struct{ ID string } }
	}
	h := p.post(writer.APIKey, "", `mutation { createRole(input: {name: "After the pause"}) { role { id } } }`, &created)
	token := h.Get(replica.HeaderName)
	if token == "" {
		t.Fatalf("no %s header after a write", replica.HeaderName)
	}
	if !strings.Contains(strings.Join(h.Values("Set-Cookie"), "\n"), replica.CookieName+"="+token) {
		t.Errorf("no %s cookie after a write: %q", replica.CookieName, h.Values("Set-Cookie"))
	}
	role := created.CreateRole.Role.ID

	if !p.hasEventFor(writer.APIKey, token, role) {
		t.Error("the writer, sending the token, does not see their own change's event")
	}
	if p.hasEventFor(reader.APIKey, "", role) {
		t.Error("a reader without the token saw the event while the standby was paused: the read did not go to the standby")
	}
	// The timeline reads where the list does.
	if mine, others := p.rolesCounted(writer.APIKey, token), p.rolesCounted(reader.APIKey, ""); mine != others+1 {
		t.Errorf("the timeline counts %d roles created for the writer and %d for a reader while the standby is paused; want one more for the writer", mine, others)
	}
	// A key created after the pause works at once: authentication reads
	// the primary.
	fresh, err := p.app.Bootstrap(ctx, BootstrapInput{OrganizationName: "Replicated", AdminEmail: "w@replicated.example", APIKey: true})
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		AuditEvents struct{ Edges []struct{ Cursor string } }
	}
	p.post(fresh.APIKey, "", `{ auditEvents(first: 1) { edges { cursor } } }`, &page)

	if _, err := p.standby.Exec(`SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatal(err)
	}
	p.caughtUp()
	if !p.hasEventFor(reader.APIKey, "", role) {
		t.Error("the standby replayed the write, but a reader still does not see its event")
	}

	resp, err := http.Get(p.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"orgtrail_replica_lag_bytes ", "orgtrail_replica_up 1",
		`orgtrail_audit_reads_total{reason="replica_behind",served_by="primary"} 2`, // the writer's list and timeline
		`orgtrail_audit_reads_total{reason="caught_up",served_by="replica"}`} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
