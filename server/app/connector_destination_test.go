package app

import (
	"fmt"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// passwordCatcher is a server an attacker controls: a TCP listener that
// speaks just enough of the PostgreSQL protocol (pgproto3, pgx's own) to ask
// the client for its password in clear (AuthenticationCleartextPassword), as
// any PostgreSQL server may, and records every password it receives.
type passwordCatcher struct {
	l        net.Listener
	mu       sync.Mutex
	received []string
}

func newPasswordCatcher(t *testing.T) *passwordCatcher {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pc := &passwordCatcher{l: l}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go pc.serve(conn)
		}
	}()
	return pc
}

func (pc *passwordCatcher) port() int { return pc.l.Addr().(*net.TCPAddr).Port }

// passwords returns what it received so far. A connection test returns
// after the catcher's answer, which it sends after recording the password.
func (pc *passwordCatcher) passwords() []string {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return slices.Clone(pc.received)
}

func (pc *passwordCatcher) serve(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Minute))
	be := pgproto3.NewBackend(conn, conn)
	for startup := false; !startup; {
		msg, err := be.ReceiveStartupMessage()
		if err != nil {
			return
		}
		switch msg.(type) {
		case *pgproto3.SSLRequest, *pgproto3.GSSEncRequest:
			if _, err := conn.Write([]byte("N")); err != nil { // no encryption here
				return
			}
		case *pgproto3.StartupMessage:
			startup = true
		default:
			return
		}
	}
	be.Send(&pgproto3.AuthenticationCleartextPassword{})
	if be.Flush() != nil || be.SetAuthType(pgproto3.AuthTypeCleartextPassword) != nil {
		return
	}
	msg, err := be.Receive()
	if err != nil {
		return
	}
	if pw, ok := msg.(*pgproto3.PasswordMessage); ok {
		pc.mu.Lock()
		pc.received = append(pc.received, pw.Password)
		pc.mu.Unlock()
	}
	be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", Code: "28P01", Message: "password authentication failed"})
	_ = be.Flush()
}

// TestChangingAConnectorsDestinationClearsItsCredentials is issue 10, path 5
// (connector credential exfiltration): a key holding only connectors:write
// (and :read) points an admin's PostgreSQL connector at a server it controls
// and tests it. The stored password must not go there: changing where a
// connector points clears the stored credentials unless new ones are given
// in the same update, and the "Updated connector" event says so. A password
// given with the new destination is kept and used.
func TestChangingAConnectorsDestinationClearsItsCredentials(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	r.app.Connectors.TestTimeout = 2 * time.Second
	w := r.watch()
	creds := r.pgCredentials(w)
	stored := creds["password"].(string)
	c := w.createConnector(acme.Key, "App database", "POSTGRESQL", r.pgConfig(), creds)
	if res := w.testConnector(acme.Key, c.ID); !res.OK {
		t.Fatalf("the admin's connector does not work to begin with: %+v", res)
	}
	key := w.createAccessKey(acme.Key, "connector editor", "connectors:write", "connectors:read")

	// The attacker's server, with nothing but a new port.
	evil := newPasswordCatcher(t)
	n := len(r.events(acme.OrgID))
	var out struct {
		UpdateConnector struct{ Connector connectorData }
	}
	w.ok(key, updateConnector, map[string]any{"input": map[string]any{"id": c.ID,
		"config": map[string]any{"host": "127.0.0.1", "port": evil.port()}}}, &out)
	if got := out.UpdateConnector.Connector.CredentialFields; len(got) != 0 {
		t.Errorf("credential fields after the destination changed: %v", got)
	}
	res := w.testConnector(key, c.ID)
	got := evil.passwords()
	if slices.Contains(got, stored) {
		t.Fatal("the stored password was sent to the new destination")
	}
	if res.OK || len(got) != 1 || got[0] != "" {
		t.Fatalf("test = %+v, %d passwords received: want one attempt without a password", res, len(got))
	}
	ev := r.eventsSince(acme.OrgID, n)
	changes := changesOf(t, ev[0])
	if actionList(ev) != "UPDATED_CONNECTOR" || changes["password"] != "cleared" ||
		fmt.Sprint(changes["port"]) != fmt.Sprintf("map[from:%v to:%d]", r.pgConfig()["port"], evil.port()) {
		t.Fatalf("events %s, changes %v", actionList(ev), changes)
	}

	// A password given with a new destination is the one bound to it.
	evil2 := newPasswordCatcher(t)
	theirs := w.secret("password given with the destination")
	w.ok(key, updateConnector, map[string]any{"input": map[string]any{"id": c.ID,
		"config": map[string]any{"port": evil2.port()}, "credentials": map[string]any{"password": theirs}}}, &out)
	if got := out.UpdateConnector.Connector.CredentialFields; fmt.Sprint(got) != "[password]" {
		t.Errorf("credential fields after an update that gave one: %v", got)
	}
	w.testConnector(key, c.ID)
	if got := evil2.passwords(); len(got) != 1 || got[0] != theirs {
		t.Fatalf("the new destination received %d passwords, want the one given with it", len(got))
	}
	ev = r.eventsSince(acme.OrgID, n+1)
	if changes := changesOf(t, ev[0]); actionList(ev) != "UPDATED_CONNECTOR" || changes["password"] != "changed" || len(changes) != 2 {
		t.Fatalf("events %s, changes %v", actionList(ev), changes)
	}
	w.assertNoLeaks()
}

// TestDestinationRuleFollowsTheTypeCatalog: which fields are a destination
// is declared per type (connectors.Field.Destination). A required
// credential must be given again with a new destination (BAD_USER_INPUT,
// nothing changed); a field that is not a destination (an S3 key prefix)
// keeps the credentials; credentials that no longer decrypt need not be
// given again when they are being cleared anyway.
func TestDestinationRuleFollowsTheTypeCatalog(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	w := r.watch()
	s3 := w.createConnector(acme.Key, "Bucket", "AMAZON_S3", map[string]any{"bucket": "acme-exports", "region": "eu-west-1"},
		map[string]any{"accessKeyId": w.secret("key id"), "secretAccessKey": w.secret("secret key")})
	n := len(r.events(acme.OrgID))
	res := w.fails("BAD_USER_INPUT", acme.Key, updateConnector, map[string]any{"input": map[string]any{"id": s3.ID,
		"config": map[string]any{"endpoint": "https://storage.evil.example"}}})
	if f := res.Errors[0].Extensions["field"]; f != "credentials.accessKeyId" {
		t.Fatalf("field %v: %s", f, res.Errors[0].Message)
	}
	if len(r.events(acme.OrgID)) != n {
		t.Fatal("a refused update wrote an event")
	}
	var out struct {
		UpdateConnector struct{ Connector connectorData }
	}
	w.ok(acme.Key, updateConnector, map[string]any{"input": map[string]any{"id": s3.ID,
		"config": map[string]any{"prefix": "daily/"}}}, &out)
	if got := out.UpdateConnector.Connector.CredentialFields; fmt.Sprint(got) != "[accessKeyId secretAccessKey]" {
		t.Fatalf("a new prefix dropped credentials: %v", got)
	}

	api := w.createConnector(acme.Key, "API", "HTTPS_API", map[string]any{"baseUrl": "https://api.example.com/v1"},
		map[string]any{"token": w.secret("api token")})
	if _, err := r.sql.Exec(`UPDATE connectors SET credentials_ciphertext = set_byte(credentials_ciphertext, 14,
		get_byte(credentials_ciphertext, 14) # 128) WHERE id = $1`, api.ID); err != nil {
		t.Fatal(err)
	}
	n = len(r.events(acme.OrgID))
	w.ok(acme.Key, updateConnector, map[string]any{"input": map[string]any{"id": api.ID,
		"config": map[string]any{"authHeader": "X-Api-Key"}}}, &out)
	ev := r.eventsSince(acme.OrgID, n)
	if got := out.UpdateConnector.Connector.CredentialFields; len(got) != 0 || len(ev) != 1 || changesOf(t, ev[0])["token"] != "cleared" {
		t.Fatalf("credential fields %v, events %v", got, ev)
	}
	w.assertNoLeaks()
}
