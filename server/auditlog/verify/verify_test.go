package verify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// testLog is an in-memory log: events, the tree's stored hashes, a key.
type testLog struct {
	org    uuid.UUID
	events []Event
	hashes map[int64]tlog.Hash
	signer note.Signer
	keys   []note.Verifier
}

func newTestLog(t testing.TB, n int) *testLog {
	t.Helper()
	skey, vkey, err := note.GenerateKey(nil, "example.com/orgtrail-audit-log")
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := note.NewSigner(skey)
	v, _ := note.NewVerifier(vkey)
	l := &testLog{org: uuid.New(), hashes: map[int64]tlog.Hash{}, signer: signer, keys: []note.Verifier{v}}
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		at := start.Add(time.Duration(i) * time.Second)
		e := Event{OrganizationID: l.org, ID: uuid.Must(uuid.NewV7()), OccurredAt: at, Action: "LOGGED_IN", ActorType: "USER",
			ActorID: uuid.NewString(), ActorEmail: fmt.Sprintf("user%d@example.com", i), ActorName: "User", ResourceType: "session",
			ResourceID: uuid.NewString(), Details: json.RawMessage(`{"method": "oidc", "provider": "Okta", "mfa": true}`),
			IPAddress: "192.0.2.7", UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120", RequestID: "0123456789abcdef01234567"}
		l.append(t, e)
	}
	return l
}

func (l *testLog) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		out[i] = l.hashes[x]
	}
	return out, nil
}

func (l *testLog) append(t testing.TB, e Event) {
	h, err := LeafHash(&e)
	if err != nil {
		t.Fatal(err)
	}
	n := int64(len(l.events))
	stored, err := tlog.StoredHashesForRecordHash(n, h, l)
	if err != nil {
		t.Fatal(err)
	}
	for j, s := range stored {
		l.hashes[tlog.StoredHashIndex(0, n)+int64(j)] = s
	}
	l.events = append(l.events, e)
}

// bundle writes an unfiltered bundle of every event, as the server does.
func (l *testLog) bundle(t testing.TB) []byte {
	size := int64(len(l.events))
	root, _ := tlog.TreeHash(size, l)
	signed, err := note.Sign(&note.Note{Text: CheckpointText("example.com/audit-log/"+l.org.String(), size, root)}, l.signer)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(Line{Header: &Header{Format: Format, OrganizationID: l.org, Checkpoint: string(signed), Complete: true, CreatedAt: time.Now()}})
	var end End
	for i := range l.events {
		seq := int64(i)
		_ = enc.Encode(Line{Entry: &Entry{Sequence: &seq, Event: l.events[i]}})
		end.Entries++
	}
	for _, tile := range tlog.NewTiles(TileHeight, 0, size) {
		data, err := tlog.ReadTileData(tile, l)
		if err != nil {
			t.Fatal(err)
		}
		_ = enc.Encode(Line{Tile: &Tile{Level: tile.L, N: tile.N, Hashes: data}})
		end.Tiles++
	}
	_ = enc.Encode(Line{End: &end})
	return buf.Bytes()
}

func TestABundleOfTheWholeLogVerifies(t *testing.T) {
	l := newTestLog(t, 1000)
	report, err := Bundle(bytes.NewReader(l.bundle(t)), Options{Keys: l.keys})
	if err != nil || report.Entries != 1000 || !report.Complete || report.Last != 999 {
		t.Fatalf("%+v %v", report, err)
	}
}

func TestAnEditedDetailFailsButReorderedKeysDoNot(t *testing.T) {
	l := newTestLog(t, 300)
	b := l.bundle(t)
	original := []byte(`{"method":"oidc","provider":"Okta","mfa":true}`)
	if !bytes.Contains(b, original) {
		t.Fatalf("the bundle does not hold the details as expected: %.400s", b)
	}
	reordered := bytes.Replace(b, original, []byte(`{ "mfa": true, "provider": "Okta", "method": "oidc" }`), 1)
	if _, err := Bundle(bytes.NewReader(reordered), Options{Keys: l.keys}); err != nil {
		t.Fatalf("details are compared in RFC 8785 form, so key order does not matter: %v", err)
	}
	edited := bytes.Replace(b, original, []byte(`{"method":"oidc","provider":"Okta","mfa":false}`), 1)
	_, err := Bundle(bytes.NewReader(edited), Options{Keys: l.keys})
	var f *Failure
	if !errors.As(err, &f) || !bytes.Contains([]byte(f.What), []byte("sequence number 0 differs")) {
		t.Fatalf("got %v", err)
	}
}

// BenchmarkVerifyBundle verifies a bundle of 100,000 events:
//
//	go test ./server/auditlog/verify -run '^$' -bench VerifyBundle -benchtime 3x
func BenchmarkVerifyBundle(b *testing.B) {
	const n = 100_000
	l := newTestLog(b, n)
	data := l.bundle(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Bundle(bytes.NewReader(data), Options{Keys: l.keys}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
}
