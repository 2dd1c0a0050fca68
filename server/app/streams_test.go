package app

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orgtrail/orgtrail/server/logging"
	"github.com/orgtrail/orgtrail/server/logstreams"
)

// insertEvents writes n events of org straight into the audit table, as n
// transactions' worth of history would: many batches without thousands of
// mutations.
func (r *rig) insertEvents(org string, n int, action string) {
	r.t.Helper()
	if _, err := r.sql.Exec(`INSERT INTO audit_events (organization_id, occurred_at, id, action, actor_type, actor_id,
			resource_type, resource_id, resource_name, details)
		SELECT $1, now(), gen_random_uuid(), $2, 'SYSTEM', 'system', 'role', gen_random_uuid()::text, 'Role ' || i,
			jsonb_build_object('n', i)
		FROM generate_series(1, $3) AS i`, org, action, n); err != nil {
		r.t.Fatal(err)
	}
}

// TestAWebhookStreamDeliversTheLogInOrderSigned: every event sequenced after
// the stream was created reaches the webhook once, in the log's order, with
// its id and sequence, in batches signed with the secret shown once; the
// stream's own creation is among them; nothing secret is in the log.
func TestAWebhookStreamDeliversTheLogInOrderSigned(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.fastStreams()
	acme := r.tenant("Acme", "admin@acme.example")
	r.waitForLog(acme.Key, acme.OrgID)
	rc := newReceiver(t, "webhook")
	st := r.webhookStream(acme.Key, "SIEM", rc, nil)
	for i := range 5 {
		r.createRole(acme.Key, fmt.Sprintf("Role %d", i), "secrets:read")
	}
	r.insertEvents(acme.OrgID, 1200, "UPDATED_ROLE") // three batches
	got := r.waitDelivered(rc, acme.OrgID, st.NextSequence)
	if dups := r.inOrderOnce(got, acme.OrgID, st.NextSequence); dups != 0 {
		t.Fatalf("%d duplicates without a failure", dups)
	}
	if got[0].Action != "CREATED_LOG_STREAM" {
		t.Fatalf("first event delivered: %+v, want the stream's own creation", got[0])
	}
	waitUntil(t, "the stream shows no lag", func() bool {
		s := r.stream(acme.Key, st.ID)
		return s.LagEvents == 0 && s.DeliveredEvents == int64(len(got)) && s.State == "ACTIVE"
	})
	for _, e := range r.events(acme.OrgID) {
		if strings.Contains(fmt.Sprint(e.Details), "whsec_") {
			t.Fatalf("the signing secret is in the audit log: %+v", e)
		}
	}
	if st.CredentialFields[0] != "secret" {
		t.Fatalf("credential fields %v", st.CredentialFields)
	}
}

// TestChangingWhereAStreamSendsClearsItsCredentials: the connectors' rule,
// for streams (issue 10 path 5, applied to issue 12): a new URL does not
// take the stored HEC token along unless it is given again; a webhook
// pointed elsewhere gets a new secret; an address the server never dials is
// refused on save; each change is recorded without its values.
func TestChangingWhereAStreamSendsClearsItsCredentials(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	hec := newReceiver(t, "hec")
	st, _ := r.createStream(acme.Key, map[string]any{"name": "Splunk", "destination": "SPLUNK_HEC", "format": "OCSF",
		"config": map[string]any{"url": hec.srv.URL, "caCertificate": hec.caPEM()}, "credentials": map[string]any{"token": "hec-token"}})
	const update = `mutation($input: UpdateLogStreamInput!) { updateLogStream(input: $input) { logStream { id credentialFields config } signingSecret } }`
	res := r.fails("BAD_USER_INPUT", acme.Key, update, map[string]any{"input": map[string]any{"id": st.ID,
		"config": map[string]any{"url": "https://attacker.example:8088"}}})
	if res.Errors[0].Extensions["field"] != "credentials.token" {
		t.Fatalf("pointing the stream elsewhere without its token: %+v", res.Errors)
	}
	r.ok(acme.Key, update, map[string]any{"input": map[string]any{"id": st.ID,
		"config": map[string]any{"url": "https://splunk2.example:8088"}, "credentials": map[string]any{"token": "new-token"}}}, nil)
	e := r.lastEvent(acme.OrgID)
	changes, _ := e.Details["changes"].(map[string]any)
	if e.Action != "UPDATED_LOG_STREAM" || changes["token"] != "changed" || strings.Contains(fmt.Sprint(e.Details), "new-token") {
		t.Fatalf("recorded update: %+v", e)
	}

	for _, url := range []string{"https://169.254.169.254/latest", "https://[fe80::1]:8088"} {
		res := r.fails("BAD_USER_INPUT", acme.Key, update, map[string]any{"input": map[string]any{"id": st.ID,
			"config": map[string]any{"url": url}, "credentials": map[string]any{"token": "t"}}})
		if res.Errors[0].Extensions["field"] != "config.url" {
			t.Fatalf("%s: %+v", url, res.Errors)
		}
	}

	wh := newReceiver(t, "webhook")
	w := r.webhookStream(acme.Key, "Hook", wh, nil)
	var out struct {
		UpdateLogStream struct{ SigningSecret string }
	}
	r.ok(acme.Key, update, map[string]any{"input": map[string]any{"id": w.ID, "config": map[string]any{"url": "https://hooks.example/new"}}}, &out)
	if !strings.HasPrefix(out.UpdateLogStream.SigningSecret, "whsec_") || out.UpdateLogStream.SigningSecret == wh.secret.Load() {
		t.Fatalf("a webhook pointed elsewhere kept its secret: %+v", out)
	}
	out.UpdateLogStream.SigningSecret = ""
	r.ok(acme.Key, update, map[string]any{"input": map[string]any{"id": w.ID, "name": "Renamed"}}, &out)
	if out.UpdateLogStream.SigningSecret != "" {
		t.Fatalf("a rename showed the secret again")
	}
}

// TestStreamChangesAreRecorded: creating, pausing, resuming and deleting a
// stream are events of the Audit Log category; a pause that changes nothing
// records nothing.
func TestStreamChangesAreRecorded(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	rc := newReceiver(t, "webhook")
	st := r.webhookStream(acme.Key, "SIEM", rc, map[string]any{"filter": map[string]any{"categories": []string{"SECRETS"}}})
	for _, op := range []string{"pauseLogStream", "pauseLogStream", "resumeLogStream", "resumeLogStream", "deleteLogStream"} {
		r.ok(acme.Key, `mutation($id: ID!) { `+op+`(input: {id: $id}) { __typename } }`, map[string]any{"id": st.ID}, nil)
	}
	var actions []string
	for _, e := range r.events(acme.OrgID) {
		if e.ResourceType == "log_stream" {
			if e.ResourceID != st.ID || e.ResourceName != "SIEM" {
				t.Fatalf("event %+v", e)
			}
			actions = append(actions, e.Action)
		}
	}
	if got := strings.Join(actions, " "); got != "CREATED_LOG_STREAM PAUSED_LOG_STREAM RESUMED_LOG_STREAM DELETED_LOG_STREAM" {
		t.Fatalf("recorded %s", got)
	}
	r.fails("NOT_FOUND", acme.Key, `query($id: ID!) { logStream(id: $id) { id } }`, map[string]any{"id": st.ID})
}

// TestAFilteredStreamSendsOnlyItsShareButMovesPastTheRest: events outside
// the filter are not sent, and do not hold the stream back.
func TestAFilteredStreamSendsOnlyItsShareButMovesPastTheRest(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.fastStreams()
	acme := r.tenant("Acme", "admin@acme.example")
	rc := newReceiver(t, "webhook")
	st := r.webhookStream(acme.Key, "Secrets only", rc, map[string]any{"filter": map[string]any{"categories": []string{"SECRETS"},
		"actions": []string{"CREATED_ROLE"}}})
	r.createRole(acme.Key, "Deployers", "secrets:read")
	r.insertEvents(acme.OrgID, 600, "UPDATED_ROLE")
	r.ok(acme.Key, `mutation { createSecret(input: {name: "TOKEN", value: "v"}) { secret { id } } }`, nil, nil)
	r.waitForLog(acme.Key, acme.OrgID)
	size := r.logSize(acme.OrgID)
	waitUntil(t, "the stream reaches the end of the log", func() bool { return r.stream(acme.Key, st.ID).NextSequence == size })
	var actions []string
	for _, d := range rc.got() {
		actions = append(actions, d.Action)
	}
	if strings.Join(actions, " ") != "CREATED_ROLE CREATED_SECRET" {
		t.Fatalf("delivered %v", actions)
	}
}

// TestADestinationDownThenBackGetsEverythingInOrder: while the receiver
// answers 503 the stream retries with backoff and says why; once it is
// back, every event arrives, in order, the retried batch counted as resent.
func TestADestinationDownThenBackGetsEverythingInOrder(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.fastStreams()
	acme := r.tenant("Acme", "admin@acme.example")
	rc := newReceiver(t, "webhook")
	rc.failWith.Store(http.StatusServiceUnavailable)
	st := r.webhookStream(acme.Key, "SIEM", rc, nil)
	for i := range 3 {
		r.createRole(acme.Key, fmt.Sprintf("Role %d", i), "secrets:read")
	}
	waitUntil(t, "the stream retries", func() bool {
		s := r.stream(acme.Key, st.ID)
		return s.State == "RETRYING" && strings.Contains(s.LastError, "503") && len(rc.requestTimes()) >= 3
	})
	r.insertEvents(acme.OrgID, 700, "UPDATED_ROLE")
	rc.failWith.Store(0)
	got := r.waitDelivered(rc, acme.OrgID, st.NextSequence)
	r.inOrderOnce(got, acme.OrgID, st.NextSequence)
	waitUntil(t, "the stream is active again", func() bool {
		s := r.stream(acme.Key, st.ID)
		return s.State == "ACTIVE" && s.ResentEvents > 0 && s.LastError != ""
	})
}

// TestAFailingOrSlowReceiverHoldsUpOnlyItsOwnStream: one receiver answers
// 429 to everything, another never answers; a third stream of the same
// organization delivers all the while. The failing one is retried with a
// backoff that at least doubles (no hot loop).
func TestAFailingOrSlowReceiverHoldsUpOnlyItsOwnStream(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.fastStreams()
	acme := r.tenant("Acme", "admin@acme.example")
	failing, slow, good := newReceiver(t, "webhook"), newReceiver(t, "webhook"), newReceiver(t, "webhook")
	failing.failWith.Store(http.StatusTooManyRequests)
	block := make(chan struct{})
	defer close(block)
	slow.hold.Store(&block)
	r.webhookStream(acme.Key, "Failing", failing, nil)
	r.webhookStream(acme.Key, "Slow", slow, nil)
	st := r.webhookStream(acme.Key, "Good", good, nil)
	for i := range 3 {
		r.createRole(acme.Key, fmt.Sprintf("Role %d", i), "secrets:read")
	}
	r.inOrderOnce(r.waitDelivered(good, acme.OrgID, st.NextSequence), acme.OrgID, st.NextSequence)
	waitUntil(t, "the failing receiver is tried 6 times", func() bool { return len(failing.requestTimes()) >= 6 })
	times := failing.requestTimes()
	tune := logstreams.DefaultTuning()
	tune.RetryFirst, tune.RetryMax = 40*time.Millisecond, 400*time.Millisecond
	for i := 1; i < 6; i++ {
		// Backoff(i) is at least half of min(first·2^(i-1), max).
		least := min(tune.RetryFirst<<(i-1), tune.RetryMax) / 2
		if gap := times[i].Sub(times[i-1]); gap < least {
			t.Fatalf("retry %d came %s after the one before, less than the backoff's %s: %v", i, gap, least, times)
		}
	}
	if n := len(slow.requestTimes()); n > 2 {
		t.Fatalf("the slow receiver got %d requests at once", n)
	}
}

// TestAStreamDownForTheToleranceFailsAndResumesWhereItStopped: past the
// outage tolerance (7 days; here shortened) the stream is failed with the
// reason and stops trying; resumed, it delivers the backlog from the first
// event it could not deliver.
func TestAStreamDownForTheToleranceFailsAndResumesWhereItStopped(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.fastStreams()
	acme := r.tenant("Acme", "admin@acme.example")
	rc := newReceiver(t, "webhook")
	rc.failWith.Store(http.StatusBadGateway)
	st := r.webhookStream(acme.Key, "SIEM", rc, nil)
	r.createRole(acme.Key, "Deployers", "secrets:read")
	waitUntil(t, "the stream retries", func() bool { return r.stream(acme.Key, st.ID).State == "RETRYING" })
	// Seven days without a delivery, as the row would show them.
	if _, err := r.sql.Exec(`UPDATE log_streams SET retrying_since = now() - interval '7 days 1 minute' WHERE id = $1`, st.ID); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the stream fails", func() bool { return r.stream(acme.Key, st.ID).State == "FAILED" })
	failed := r.stream(acme.Key, st.ID)
	if !strings.Contains(failed.FailureReason, "for 7 days") || !strings.Contains(failed.FailureReason, "502") ||
		!strings.Contains(failed.FailureReason, fmt.Sprintf("sequence number %d", st.NextSequence)) {
		t.Fatalf("failure reason %q", failed.FailureReason)
	}
	tried := len(rc.requestTimes())
	r.createRole(acme.Key, "Readers", "secrets:read")
	r.waitForLog(acme.Key, acme.OrgID)
	time.Sleep(200 * time.Millisecond)
	if n := len(rc.requestTimes()); n != tried {
		t.Fatalf("a failed stream was tried %d more times", n-tried)
	}
	rc.failWith.Store(0)
	r.ok(acme.Key, `mutation($id: ID!) { resumeLogStream(input: {id: $id}) { logStream { state } } }`, map[string]any{"id": st.ID}, nil)
	r.inOrderOnce(r.waitDelivered(rc, acme.OrgID, st.NextSequence), acme.OrgID, st.NextSequence)
	if e := r.events(acme.OrgID); e[len(e)-1].Action != "RESUMED_LOG_STREAM" || e[len(e)-1].Details["failureReason"] == nil {
		t.Fatalf("the resume is recorded as %+v", e[len(e)-1])
	}
}

// TestAServerKilledMidBatchResumesWithNoGap: a server stops after its
// batch reached the receiver but before the receiver answered, and another
// replica had taken the stream and died without a word (its lease left in
// the row); a new server waits out the lease and delivers from the stream's
// position: no gap, and the batch the receiver got twice is exactly what
// the stream counts as resent.
func TestAServerKilledMidBatchResumesWithNoGap(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.fastStreams()
	acme := r.tenant("Acme", "admin@acme.example")
	rc := newReceiver(t, "webhook")
	block := make(chan struct{})
	rc.holdReply.Store(&block)
	st := r.webhookStream(acme.Key, "SIEM", rc, nil)
	r.insertEvents(acme.OrgID, 1000, "UPDATED_ROLE")
	waitUntil(t, "the first batch has arrived", func() bool { return len(rc.got()) > 0 })
	r.srv.Close()
	if err := r.app.Close(); err != nil {
		t.Fatal(err)
	}
	if n := r.count(`SELECT delivered_events FROM log_streams WHERE id = $1 AND next_sequence = $2`, st.ID, st.NextSequence); n != 0 {
		t.Fatalf("a batch never acknowledged was recorded as delivered: %d events", n)
	}
	if _, err := r.sql.Exec(`UPDATE log_streams SET lease_owner = gen_random_uuid(), lease_until = now() + interval '1 second'
		WHERE id = $1`, st.ID); err != nil {
		t.Fatal(err)
	}
	rc.holdReply.Store(nil)
	close(block)
	a, err := New(context.Background(), r.app.Config, logging.New(&lockedWriter{w: &bytes.Buffer{}}, 0))
	if err != nil {
		t.Fatal(err)
	}
	r.app, r.srv = a, httptest.NewServer(a.Handler())
	t.Cleanup(func() { r.srv.Close(); a.Close() })
	r.fastStreams()
	got := r.waitDelivered(rc, acme.OrgID, st.NextSequence)
	dups := r.inOrderOnce(got, acme.OrgID, st.NextSequence)
	if dups == 0 {
		t.Fatal("the batch in flight when the server stopped was not sent again")
	}
	waitUntil(t, "the stream is up to date", func() bool { return r.stream(acme.Key, st.ID).LagEvents == 0 })
	if s := r.stream(acme.Key, st.ID); s.ResentEvents != int64(dups) {
		t.Fatalf("the receiver got %d events twice, the stream counts %d resent", dups, s.ResentEvents)
	}
}

// TestOneReplicaDeliversAStreamAtATime: two servers on one database each run
// the deliverer, and both deliver the stream in turn (the row's lease
// shows two owners over the test); the receiver never sees two requests of
// the stream at once, and gets the log in order.
func TestOneReplicaDeliversAStreamAtATime(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.fastStreams()
	other, err := New(context.Background(), r.app.Config, logging.New(&lockedWriter{w: &bytes.Buffer{}}, 0))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	fast := logstreams.DefaultTuning()
	fast.Poll, fast.Lease, fast.SendTimeout = 20*time.Millisecond, 5*time.Second, 3*time.Second
	other.Streamer.SetTuning(fast)
	acme := r.tenant("Acme", "admin@acme.example")
	rc := newReceiver(t, "webhook")
	var inFlight, most atomic.Int32
	base := rc.srv.Config.Handler
	rc.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(30 * time.Millisecond) // room for the other replica to try
		base.ServeHTTP(w, req)
	})
	st := r.webhookStream(acme.Key, "SIEM", rc, nil)

	// Who holds the stream, looked at while it is delivered.
	var mu sync.Mutex
	owners := map[string]bool{}
	watching, stop := context.WithCancel(context.Background())
	var watcher sync.WaitGroup
	watcher.Go(func() {
		for watching.Err() == nil {
			var owner sql.NullString
			if err := r.sql.QueryRowContext(watching, `SELECT lease_owner::text FROM log_streams WHERE id = $1`, st.ID).Scan(&owner); err == nil && owner.Valid {
				mu.Lock()
				owners[owner.String] = true
				mu.Unlock()
			}
			time.Sleep(2 * time.Millisecond)
		}
	})
	both := func() bool { mu.Lock(); defer mu.Unlock(); return len(owners) >= 2 }
	for round := 0; round < 4 || !both(); round++ {
		if round == 100 {
			t.Fatalf("after 100 rounds only one replica ever delivered the stream")
		}
		r.insertEvents(acme.OrgID, 600, "UPDATED_ROLE")
		r.waitDelivered(rc, acme.OrgID, st.NextSequence)
	}
	stop()
	watcher.Wait()
	r.inOrderOnce(rc.got(), acme.OrgID, st.NextSequence)
	if most.Load() != 1 {
		t.Fatalf("%d deliveries of one stream at once", most.Load())
	}
}
