package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/orgtrail/orgtrail/server/config"
	"github.com/orgtrail/orgtrail/server/logging"
)

// Tests of the live tail (issue 13): a GraphQL subscription over
// Server-Sent Events, fed by polling the log, so that a replica's
// subscribers see what another replica wrote.

const tailSubscription = `subscription($f: AuditEventFilter) { auditEventsAdded(filter: $f) {
	id action actor { email } resource { type name } } }`

type tailEvent struct {
	ID, Action string
	Actor      struct{ Email string }
	Resource   struct{ Type, Name string }
}

// replica starts a second server on the rig's database, as another replica
// behind a load balancer would be.
func (r *rig) replica() *httptest.Server {
	r.t.Helper()
	cfg := config.Config{DatabaseURL: r.dsn, ListenAddr: "127.0.0.1:0", PublicURL: "http://orgtrail.test",
		SecretKey: bytes.Repeat([]byte{7}, 32)}
	a, err := New(context.Background(), cfg, logging.New(r.log, slog.LevelDebug))
	if err != nil {
		r.t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	r.t.Cleanup(func() { srv.Close(); a.Close() })
	return srv
}

// stream is an open subscription: its messages as they arrive.
type stream struct {
	status   int
	messages chan gqlResponse
	cancel   context.CancelFunc
}

// subscribe opens a subscription over Server-Sent Events at base, with the
// browser's session cookie (and the CSRF header when csrf), and returns once
// the server answered.
func (b *browser) subscribe(base, query string, vars map[string]any, csrf bool) *stream {
	b.r.t.Helper()
	raw, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	ctx, cancel := context.WithCancel(context.Background())
	b.r.t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream, multipart/mixed")
	req.Header.Set("Origin", base)
	if csrf {
		req.Header.Set("X-Orgtrail-CSRF", "1")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.r.t.Fatal(err)
	}
	s := &stream{status: resp.StatusCode, messages: make(chan gqlResponse, 64), cancel: cancel}
	go func() {
		defer resp.Body.Close()
		defer close(s.messages)
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
			var out gqlResponse
			_ = json.NewDecoder(resp.Body).Decode(&out)
			s.messages <- out
			return
		}
		lines := bufio.NewScanner(resp.Body)
		lines.Buffer(make([]byte, 1<<20), 1<<20)
		for lines.Scan() {
			data, ok := strings.CutPrefix(lines.Text(), "data: ")
			if !ok {
				continue
			}
			var out gqlResponse
			if err := json.Unmarshal([]byte(data), &out); err == nil {
				s.messages <- out
			}
		}
	}()
	return s
}

// next waits for the stream's next message; a closed stream fails the test.
func (s *stream) next(t *testing.T) gqlResponse {
	t.Helper()
	select {
	case m, ok := <-s.messages:
		if !ok {
			t.Fatal("the subscription ended")
		}
		return m
	case <-time.After(30 * time.Second): // a guard against hanging, not a measure
		t.Fatal("no message from the subscription")
	}
	return gqlResponse{}
}

// events decodes a message of the tail.
func (s *stream) events(t *testing.T, m gqlResponse) []tailEvent {
	t.Helper()
	if len(m.Errors) > 0 {
		t.Fatalf("subscription error: %+v", m.Errors)
	}
	var out struct{ AuditEventsAdded []tailEvent }
	if err := json.Unmarshal(m.Data, &out); err != nil {
		t.Fatalf("%s: %v", m.Data, err)
	}
	return out.AuditEventsAdded
}

func TestLiveTailDeliversWhatAnotherReplicaWroteThatTheFilterSelects(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	other := r.replica()
	b := r.browser()
	b.signIn("admin@acme.example")

	tail := b.subscribe(other.URL, tailSubscription, map[string]any{"f": map[string]any{"category": "ROLES_AND_PERMISSIONS"}}, true)
	if tail.status != http.StatusOK {
		t.Fatalf("subscription answered %d", tail.status)
	}
	if first := tail.events(t, tail.next(t)); len(first) != 0 {
		t.Fatalf("the first message says the tail is live and is empty, got %+v", first)
	}

	// Written through the first server; the subscription is on the other.
	r.createRole(globex.Key, "Globex auditors") // another organization
	// Another category:
	r.ok(acme.Key, `mutation { createSecret(input: {name: "TAIL_SECRET", value: "v"}) { secret { id } } }`, nil, nil)
	r.createRole(acme.Key, "Incident responders")

	for {
		events := tail.events(t, tail.next(t))
		for _, e := range events {
			if e.Action != "CREATED_ROLE" || e.Resource.Name != "Incident responders" {
				t.Fatalf("the tail delivered an event its filter or organization excludes: %+v", e)
			}
		}
		if len(events) > 0 {
			break
		}
	}
	// What auditEvents lists for the same filter holds it too.
	var listed struct {
		AuditEvents struct {
			Edges []struct{ Node struct{ Action string } }
		}
	}
	r.ok(acme.Key, `{ auditEvents(filter: {category: ROLES_AND_PERMISSIONS}, first: 1) { edges { node { action } } } }`, nil, &listed)
	if len(listed.AuditEvents.Edges) != 1 || listed.AuditEvents.Edges[0].Node.Action != "CREATED_ROLE" {
		t.Fatalf("auditEvents: %+v", listed)
	}
}

func TestLiveTailQualifiersApplyAsInTheList(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	b := r.browser()
	b.signIn("admin@acme.example")
	tail := b.subscribe(r.srv.URL, tailSubscription, map[string]any{"f": map[string]any{"query": `action:created_role -"Draft"`}}, true)
	tail.events(t, tail.next(t))

	r.createRole(acme.Key, "Draft role")
	r.createRole(acme.Key, "Final role")
	for {
		events := tail.events(t, tail.next(t))
		for _, e := range events {
			if e.Resource.Name != "Final role" {
				t.Fatalf("the tail delivered what its query excludes: %+v", e)
			}
		}
		if len(events) > 0 {
			return
		}
	}
}

func TestLiveTailRefusesWhatARequestWouldBeRefused(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.tenant("Acme", "admin@acme.example")
	b := r.browser()
	b.signIn("admin@acme.example")

	if s := b.subscribe(r.srv.URL, tailSubscription, nil, false); s.status != http.StatusForbidden {
		t.Errorf("a session without the CSRF header: %d, want 403", s.status)
	}
	anonymous := r.browser().subscribe(r.srv.URL, tailSubscription, nil, true)
	if m := anonymous.next(t); m.code() != "UNAUTHENTICATED" {
		t.Errorf("anonymous: %+v", m)
	}
	bad := b.subscribe(r.srv.URL, tailSubscription, map[string]any{"f": map[string]any{"query": "actor:"}}, true)
	if m := bad.next(t); m.code() != "BAD_USER_INPUT" || m.Errors[0].Extensions["field"] != "filter.query" {
		t.Errorf("a bad query: %+v", m)
	}
}
