package audit

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestNativeJSONIsWhatEncodingJSONReads: the hand-written encoding of an
// export line decodes to the same value as encoding/json's, for any text in
// any field, so exports can skip reflection without changing a byte's
// meaning.
func TestNativeJSONIsWhatEncodingJSONReads(t *testing.T) {
	for _, text := range []string{"", "plain", `quote " backslash \ slash /`, "line\nbreak\ttab\r\b\f\x00\x1f",
		"<html>&amp;", "naïve — 日本語 🙂", "bad \xff\xfe utf-8", "separators \u2028 \u2029", "\x7f del"} {
		check(t, text)
	}
}

func FuzzNativeJSON(f *testing.F) {
	f.Add("x")
	f.Add("\u2028\xff\"")
	f.Fuzz(check)
}

func check(t *testing.T, text string) {
	t.Helper()
	seq := int64(42)
	ip := "192.0.2.1"
	e := Event{OrganizationID: uuid.New(), ID: uuid.New(), OccurredAt: time.Date(2026, 12, 3, 14, 0, 0, 123456000, time.UTC),
		Action: CreatedRole, ActorType: ActorUser, ActorID: text, ActorEmail: text, ResourceType: text, ResourceID: text,
		ResourceName: text, IPAddress: &ip, UserAgent: text, DetailsJSON: `{"a": [1, "x"]}`}
	n := e.Native()
	n.Sequence, n.OrganizationID = &seq, e.OrganizationID.String()
	want, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	got := n.AppendJSON(nil)
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatalf("%q: %s is not JSON: %v", text, got, err)
	}
	_ = json.Unmarshal(want, &b)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Fatalf("%q:\n got %s\nwant %s", text, got, want)
	}
}
