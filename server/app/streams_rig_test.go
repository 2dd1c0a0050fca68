package app

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orgtrail/orgtrail/server/logstreams"
)

// fastStreams paces the rig's deliverer for tests: the same code, shorter
// waits.
func (r *rig) fastStreams() {
	t := logstreams.DefaultTuning()
	t.Poll, t.Lease, t.SendTimeout = 20*time.Millisecond, 5*time.Second, 3*time.Second
	t.RetryFirst, t.RetryMax = 40*time.Millisecond, 400*time.Millisecond
	r.app.Streamer.SetTuning(t)
}

// delivered is one event a receiver got.
type delivered struct {
	Seq    int64
	ID     string
	Action string
	// Raw is the event as the stream's format wrote it.
	Raw json.RawMessage
}

// receiver is an HTTPS server of one protocol, started by the test, that
// checks every request against what the protocol's receiver accepts and
// records the events it holds. It answers failWith instead of success while
// that is set, waits for hold to close while it is set, and, while
// holdReply is set, takes a batch in but waits for holdReply to close
// before answering (a batch that arrived, its sender never told).
type receiver struct {
	t        *testing.T
	srv      *httptest.Server
	protocol string
	secret   atomic.Value // string: the webhook's signing secret
	failWith atomic.Int32
	retryAt  atomic.Value // string: Retry-After to answer with failWith
	hold     atomic.Pointer[chan struct{}]
	// holdReply: see the type's comment.
	holdReply atomic.Pointer[chan struct{}]
	mu        sync.Mutex
	events    []delivered
	requests  []time.Time
}

func newReceiver(t *testing.T, protocol string) *receiver {
	rc := &receiver{t: t, protocol: protocol}
	rc.secret.Store("")
	rc.retryAt.Store("")
	rc.srv = httptest.NewTLSServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

// caPEM is the receiver's certificate, for the stream's caCertificate.
func (rc *receiver) caPEM() string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: rc.srv.Certificate().Raw}))
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	rc.requests = append(rc.requests, time.Now())
	rc.mu.Unlock()
	if h := rc.hold.Load(); h != nil {
		select {
		case <-*h:
		case <-r.Context().Done():
			return
		}
	}
	if code := rc.failWith.Load(); code != 0 {
		if ra := rc.retryAt.Load().(string); ra != "" {
			w.Header().Set("Retry-After", ra)
		}
		http.Error(w, "receiver unavailable", int(code))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	var got []delivered
	switch rc.protocol {
	case "webhook":
		got, err = rc.webhook(r, body)
	case "hec":
		got, err = hecEvents(r, body)
	case "datadog":
		got, err = datadogEvents(r, body)
	}
	if err != nil {
		rc.t.Errorf("%s receiver refused a request: %v\n%s", rc.protocol, err, body)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	rc.events = append(rc.events, got...)
	rc.mu.Unlock()
	if h := rc.holdReply.Load(); h != nil {
		select {
		case <-*h:
		case <-r.Context().Done():
			return
		}
	}
	switch rc.protocol {
	case "hec":
		_, _ = w.Write([]byte(`{"text":"Success","code":0}`))
	case "datadog":
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(`{}`))
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// webhook checks a batch's signature as a receiver would (HMAC-SHA256 of
// "<t>.<body>", compared in constant time, a fresh timestamp) and reads its
// NDJSON lines.
func (rc *receiver) webhook(r *http.Request, body []byte) ([]delivered, error) {
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-ndjson" {
		return nil, fmt.Errorf("%s %s", r.Method, r.Header.Get("Content-Type"))
	}
	var ts int64
	var sig string
	for _, part := range strings.Split(r.Header.Get(logstreams.SignatureHeader), ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts, _ = strconv.ParseInt(v, 10, 64)
		case "v1":
			sig = v
		}
	}
	if d := time.Since(time.Unix(ts, 0)); d > 5*time.Minute || d < -time.Minute {
		return nil, fmt.Errorf("stale signature timestamp %d", ts)
	}
	want := logstreams.Sign(rc.secret.Load().(string), ts, body)
	if !hmac.Equal([]byte(sig), []byte(want)) {
		return nil, fmt.Errorf("bad signature %q", r.Header.Get(logstreams.SignatureHeader))
	}
	return ndjsonEvents(body)
}

// ndjsonEvents reads native JSON or OCSF lines.
func ndjsonEvents(body []byte) ([]delivered, error) {
	var out []delivered
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		d, err := eventOf(json.RawMessage(slices.Clone(sc.Bytes())))
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, sc.Err()
}

// eventOf reads the sequence, id and action of one event in native JSON or
// OCSF, checking the fields a receiver relies on.
func eventOf(raw json.RawMessage) (delivered, error) {
	var native struct {
		ID         string
		Sequence   *int64
		Action     string
		OccurredAt time.Time
		Metadata   *struct {
			UID       string
			Sequence  *int64
			EventCode string `json:"event_code"`
		}
	}
	if err := json.Unmarshal(raw, &native); err != nil {
		return delivered{}, err
	}
	if native.Metadata != nil {
		if err := checkOCSF(raw); err != nil {
			return delivered{}, err
		}
		native.ID, native.Sequence, native.Action = native.Metadata.UID, native.Metadata.Sequence, native.Metadata.EventCode
	} else if native.OccurredAt.IsZero() {
		return delivered{}, fmt.Errorf("an event without occurredAt: %s", raw)
	}
	if native.ID == "" || native.Sequence == nil || native.Action == "" {
		return delivered{}, fmt.Errorf("an event without id, sequence or action: %s", raw)
	}
	return delivered{Seq: *native.Sequence, ID: native.ID, Action: native.Action, Raw: raw}, nil
}

// got returns the events received so far.
func (rc *receiver) got() []delivered {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.events)
}

func (rc *receiver) requestTimes() []time.Time {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.requests)
}

// waitUntil polls cond for up to a minute.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after a minute: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// logSize is the number of events sequenced in org's log.
func (r *rig) logSize(org string) int64 {
	r.t.Helper()
	return int64(r.count(`SELECT coalesce((SELECT size FROM audit_logs WHERE organization_id = $1), 0)`, org))
}

// waitDelivered waits until rc holds every event of org's log from first
// on, as the log has it now (the events stored are sequenced first), and
// returns what it received, first copies in order of arrival.
func (r *rig) waitDelivered(rc *receiver, org string, first int64) []delivered {
	r.t.Helper()
	stored := int64(r.count(`SELECT count(*) FROM audit_events WHERE organization_id = $1`, org))
	waitUntil(r.t, "the log sequences every stored event", func() bool { return r.logSize(org) >= stored })
	want := r.logSize(org)
	waitUntil(r.t, fmt.Sprintf("the receiver holds sequence numbers %d to %d", first, want-1), func() bool {
		seen := map[int64]bool{}
		for _, d := range rc.got() {
			seen[d.Seq] = true
		}
		for s := first; s < want; s++ {
			if !seen[s] {
				return false
			}
		}
		return true
	})
	return rc.got()
}

// logOrder is org's events in sequence order (their ids), from first on.
func (r *rig) logOrder(org string, first int64) []string {
	r.t.Helper()
	rows, err := r.sql.Query(`SELECT n, event_ids FROM audit_log_entries WHERE organization_id = $1 ORDER BY n`, org)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var n int64
		var packed []byte
		if err := rows.Scan(&n, &packed); err != nil {
			r.t.Fatal(err)
		}
		for i := 0; i+16 <= len(packed); i += 16 {
			if n*256+int64(i/16) >= first {
				ids = append(ids, fmt.Sprintf("%x-%x-%x-%x-%x", packed[i:i+4], packed[i+4:i+6], packed[i+6:i+8], packed[i+8:i+10], packed[i+10:i+16]))
			}
		}
	}
	return ids
}

// inOrderOnce checks that got, without its duplicates, is exactly the log
// from first on, in order, and that every duplicate repeats an event
// already received (at least once, in order, nothing skipped). It returns
// how many duplicates there were.
func (r *rig) inOrderOnce(got []delivered, org string, first int64) int {
	r.t.Helper()
	want := r.logOrder(org, first)
	var ids []string
	seen := map[int64]string{}
	next := first
	dups := 0
	for _, d := range got {
		if id, ok := seen[d.Seq]; ok {
			if id != d.ID {
				r.t.Fatalf("sequence %d arrived as %s and as %s", d.Seq, id, d.ID)
			}
			dups++
			continue
		}
		if d.Seq != next {
			r.t.Fatalf("sequence %d arrived after %d: the stream skipped or reordered", d.Seq, next-1)
		}
		seen[d.Seq] = d.ID
		ids = append(ids, d.ID)
		next++
	}
	if len(ids) < len(want) {
		want = want[:len(ids)]
	}
	if !slices.Equal(ids, want) {
		r.t.Fatalf("received\n%v\nthe log holds\n%v", ids, want)
	}
	return dups
}

type streamData struct {
	ID, Name, State, LastError, FailureReason string
	NextSequence, LagEvents                   int64
	DeliveredEvents, ResentEvents             int64
	CredentialFields                          []string
	Config                                    map[string]any
}

const streamFields = `id name state lastError failureReason nextSequence lagEvents deliveredEvents resentEvents credentialFields config`

// createStream creates a stream and returns it with the signing secret, if
// one was generated.
func (r *rig) createStream(key string, input map[string]any) (streamData, string) {
	r.t.Helper()
	var out struct {
		CreateLogStream struct {
			LogStream     streamData
			SigningSecret string
		}
	}
	r.ok(key, `mutation($input: CreateLogStreamInput!) { createLogStream(input: $input) { logStream { `+streamFields+` } signingSecret } }`,
		map[string]any{"input": input}, &out)
	return out.CreateLogStream.LogStream, out.CreateLogStream.SigningSecret
}

func (r *rig) stream(key, id string) streamData {
	r.t.Helper()
	var out struct{ LogStream streamData }
	r.ok(key, `query($id: ID!) { logStream(id: $id) { `+streamFields+` } }`, map[string]any{"id": id}, &out)
	return out.LogStream
}

// webhookStream creates a webhook stream to rc and tells rc its secret.
func (r *rig) webhookStream(key, name string, rc *receiver, extra map[string]any) streamData {
	r.t.Helper()
	input := map[string]any{"name": name, "destination": "WEBHOOK",
		"config": map[string]any{"url": rc.srv.URL + "/orgtrail", "caCertificate": rc.caPEM()}}
	for k, v := range extra {
		input[k] = v
	}
	st, secret := r.createStream(key, input)
	if !strings.HasPrefix(secret, "whsec_") {
		r.t.Fatalf("no signing secret: %q", secret)
	}
	rc.secret.Store(secret)
	return st
}
