package signin

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/logging"
	"github.com/orgtrail/orgtrail/server/mail"
	"github.com/orgtrail/orgtrail/server/members"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/pgtest"
	"github.com/orgtrail/orgtrail/server/rbac"
	"github.com/orgtrail/orgtrail/server/secrets"
	"github.com/orgtrail/orgtrail/server/sessions"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// traced marks the contexts whose statements statementLog records.
type traced struct{}

// statementLog is a GORM plugin recording the SQL of every statement run
// with a traced context, in order.
type statementLog struct {
	mu  sync.Mutex
	sql []string
}

func (*statementLog) Name() string { return "test:statement_log" }

func (l *statementLog) Initialize(db *gorm.DB) error {
	record := func(db *gorm.DB) {
		if db.Statement.Context.Value(traced{}) == nil {
			return
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		l.sql = append(l.sql, strings.Join(strings.Fields(db.Statement.SQL.String()), " "))
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("test:log", record),
		cb.Row().After("gorm:row").Register("test:log", record),
		cb.Raw().After("gorm:raw").Register("test:log", record),
		cb.Create().After("gorm:create").Register("test:log", record),
		cb.Update().After("gorm:update").Register("test:log", record),
		cb.Delete().After("gorm:delete").Register("test:log", record),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// take returns the statements recorded since the last take.
func (l *statementLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.sql
	l.sql = nil
	return out
}

// lockedBuffer is a log destination safe for the outbox's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestMagicLinkRequestPathIsTheSameForKnownAndUnknownAddresses is issue 10
// path 10 (email enumeration by timing). Over HTTP, the request path runs
// the same statements, in the same order, for an address that may sign in
// and one nobody knows: what differs happens later, in the worker. The
// known address's link still arrives, through the worker and the outbox,
// and signs in; the unknown one gets nothing.
func TestMagicLinkRequestPathIsTheSameForKnownAndUnknownAddresses(t *testing.T) {
	ctx := t.Context()
	statements := &statementLog{}
	db, err := database.Open(ctx, pgtest.NewDatabase(t), database.Options{Plugins: []gorm.Plugin{audit.Recorder{}, statements}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	keys, _ := secrets.NewKeyring(bytes.Repeat([]byte{5}, secrets.KeySize))
	logs := &lockedBuffer{}
	log := logging.New(logs, slog.LevelDebug)
	outbox := mail.NewOutbox(db, keys, mail.LogSender{Log: log}, log)
	o, sess, roles := orgs.NewService(db), sessions.NewService(db), rbac.NewService(db)
	s := NewService(db, o, sess, members.NewService(db, o, roles, sess, outbox, "http://orgtrail.test"), outbox, log, "http://orgtrail.test")

	acme, err := o.CreateOrganization(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	admin, err := o.EnsureUser(ctx, "admin@acme.example", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := o.AddMember(ctx, acme.ID, admin.ID); err != nil {
		t.Fatal(err)
	}

	router := chi.NewRouter()
	router.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := context.WithValue(r.Context(), traced{}, true)
			ctx = audit.WithRequest(ctx, audit.Request{IPAddress: "192.0.2.10", UserAgent: "test-agent", RequestID: r.Header.Get("X-Request-Id")})
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	})
	s.Routes(router)
	srv := httptest.NewServer(router)
	t.Cleanup(srv.Close)
	request := func(email, requestID string) (int, string, []string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/auth/magic-link", strings.NewReader(`{"email":"`+email+`","next":"/settings"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Request-Id", requestID)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body bytes.Buffer
		_, _ = body.ReadFrom(resp.Body)
		return resp.StatusCode, body.String(), statements.take()
	}

	knownStatus, knownBody, known := request("admin@acme.example", "request-known")
	unknownStatus, unknownBody, unknown := request("nobody@acme.example", "request-unknown")
	if knownStatus != 200 || knownStatus != unknownStatus || knownBody != unknownBody {
		t.Fatalf("known %d %s, unknown %d %s", knownStatus, knownBody, unknownStatus, unknownBody)
	}
	if len(known) == 0 || strings.Join(known, "\n") != strings.Join(unknown, "\n") {
		t.Fatalf("request path statements differ:\nknown:\n  %s\nunknown:\n  %s",
			strings.Join(known, "\n  "), strings.Join(unknown, "\n  "))
	}
	for _, stmt := range known {
		if strings.Contains(stmt, "memberships") || strings.Contains(stmt, "magic_links") || strings.Contains(stmt, "audit_events") {
			t.Fatalf("the request path looked the address up or issued a link: %s", stmt)
		}
	}

	// The worker answers both requests, one replica's worth, in order.
	for range 2 {
		if served, err := s.serveMagicLinkRequest(ctx); err != nil || !served {
			t.Fatalf("serveMagicLinkRequest = %v, %v", served, err)
		}
	}
	if served, err := s.serveMagicLinkRequest(ctx); err != nil || served {
		t.Fatalf("a third request was served (%v, %v)", served, err)
	}
	var events []struct{ Action, RequestID, UserAgent, IP string }
	if err := db.Conn(ctx).Raw(`SELECT action, request_id, user_agent, host(ip_address) AS ip FROM audit_events
		WHERE organization_id = ?`, acme.ID).Scan(&events).Error; err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].Action != string(audit.GeneratedMagicLink) || events[0].RequestID != "request-known" ||
		events[0].IP != "192.0.2.10" || events[0].UserAgent != "test-agent" {
		t.Fatalf("events %+v, want one Generated magic link carrying the original request", events)
	}
	if !strings.Contains(logs.String(), `"request_id":"request-unknown"`) || !strings.Contains(logs.String(), "no organization to sign in to") {
		t.Fatalf("the unknown address left no info line:\n%s", logs.String())
	}

	// The outbox delivers (to the log, SMTP being unset) and the link signs in.
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { outbox.Run(runCtx); close(done) }()
	outbox.Wake()
	deadline := time.Now().Add(time.Minute)
	link := ""
	for link == "" && time.Now().Before(deadline) {
		sc := bufio.NewScanner(strings.NewReader(logs.String()))
		for sc.Scan() {
			var line struct{ Msg, To, URL string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && strings.HasPrefix(line.Msg, "mail") {
				if line.To != "admin@acme.example" {
					t.Fatalf("mail went to %s", line.To)
				}
				link = line.URL
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	<-done
	if link == "" {
		t.Fatalf("no link was mailed:\n%s", logs.String())
	}
	u, _ := url.Parse(link)
	res, next, err := s.VerifyMagicLink(ctx, u.Query().Get("token"))
	if err != nil || res.Token == "" || next != "/settings" || res.Session.OrganizationID != acme.ID {
		t.Fatalf("VerifyMagicLink = %+v, %q, %v", res, next, err)
	}
}
