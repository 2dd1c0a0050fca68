package logstreams

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/leodido/go-syslog/v4/rfc5424"

	"github.com/orgtrail/orgtrail/server/audit"
)

// TestEveryActionHasAnOCSFClass: every action of the catalog, the spec's 47
// and those after them, maps to one of the five classes with an activity of
// that class, and makes an event with the class's own attributes.
func TestEveryActionHasAnOCSFClass(t *testing.T) {
	activities := map[int][]int{3001: {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 99}, 3002: {1, 2, 3, 4, 5, 6, 99},
		3005: {1, 2, 99}, 3006: {1, 2, 3, 4, 5, 6, 99}, 6003: {1, 2, 3, 4, 99}}
	n := 0
	for _, c := range audit.Categories() {
		for _, a := range c.Actions {
			n++
			mp, ok := OCSFMappingOf(a.Action)
			if !ok {
				t.Errorf("%s has no OCSF mapping", a.Action)
				continue
			}
			if !containsInt(activities[mp.Class], mp.ActivityID) {
				t.Errorf("%s: class %d has no activity %d", a.Action, mp.Class, mp.ActivityID)
			}
			ev, err := ocsfEvent(record{Seq: 7, Event: sampleEvent(a.Action)}, uuid.NewString())
			if err != nil {
				t.Fatal(err)
			}
			if ev["class_uid"] != mp.Class || ev["type_uid"] != mp.Class*100+ev["activity_id"].(int) {
				t.Errorf("%s: %v", a.Action, ev)
			}
		}
	}
	if n != len(ocsfMappings) {
		t.Errorf("%d actions, %d mappings: one maps an action the catalog no longer has", n, len(ocsfMappings))
	}
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func sampleEvent(a audit.Action) audit.Event {
	ip := "2001:db8::1"
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	return audit.Event{OrganizationID: uuid.New(), ID: audit.EventID(at), OccurredAt: at, Action: a, ActorType: audit.ActorUser,
		ActorID: uuid.NewString(), ActorEmail: "pat@acme.example", ActorName: "Pat", ResourceType: "user",
		ResourceID: uuid.NewString(), ResourceName: "kim@acme.example", IPAddress: &ip, UserAgent: "Mozilla/5.0",
		RequestID: "req1", DetailsJSON: `{"assigneeId": "x", "membersAdded": ["kim@acme.example"]}`}
}

// TestCEFEscapesWhatWouldBreakAField: pipes in the header, equals signs,
// backslashes and line breaks in the extension cannot end a field early.
func TestCEFEscapesWhatWouldBreakAField(t *testing.T) {
	e := sampleEvent(audit.CreatedRole)
	e.ResourceName = "a|b=c\\d\ne"
	line := cefLine(record{Seq: 3, Event: e}, "org")
	if strings.ContainsAny(line, "\n\r") {
		t.Fatalf("a line break in %q", line)
	}
	if !strings.Contains(line, `cs3=a|b\=c\\d\ne `) {
		t.Fatalf("resource name written as %q", line)
	}
	if !strings.HasPrefix(line, "CEF:0|Orgtrail|Orgtrail|1|CREATED_ROLE|Created role|3|rt=") || !strings.Contains(line, " c6a2=2001:db8::1") {
		t.Fatalf("%q", line)
	}
	if got := cefHeader("x|y\\z\nw"); got != `x\|y\\z w` {
		t.Fatalf("header %q", got)
	}
}

// TestSyslogMessagesAreRFC5424: what the syslog sender writes parses back
// as RFC 5424, with the event's id and sequence as structured data.
func TestSyslogMessagesAreRFC5424(t *testing.T) {
	e := sampleEvent(audit.LoginFailed)
	msg, err := syslogMessage(senderConfig{format: CEF, org: "org", host: "orgtrail.example", config: map[string]any{"appName": "orgtrail"}},
		record{Seq: 9, Event: e})
	if err != nil {
		t.Fatal(err)
	}
	m, err := rfc5424.NewParser().Parse([]byte(msg))
	if err != nil {
		t.Fatalf("%q: %v", msg, err)
	}
	sm := m.(*rfc5424.SyslogMessage)
	sd := (*sm.StructuredData)[syslogEnterpriseID]
	if *sm.Priority != 13*8+4 || *sm.MsgID != "LOGIN_FAILED" || sd["sequence"] != "9" || sd["eventId"] != e.ID.String() ||
		*sm.Hostname != "orgtrail.example" {
		t.Fatalf("%q", msg)
	}
}

// TestTheJSONFormatIsTheAPIShapeWithSequence: the native format is the
// export's NDJSON line plus the sequence number and organization.
func TestTheJSONFormatIsTheAPIShapeWithSequence(t *testing.T) {
	e := sampleEvent(audit.CreatedRole)
	b, err := encode(JSON, record{Seq: 12, Event: e}, "org-1")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got["sequence"] != 12.0 || got["organizationId"] != "org-1" || got["id"] != e.ID.String() || got["actionLabel"] != "Created role" {
		t.Fatalf("%s", b)
	}
}

// TestBackoffDoublesWithJitterUpToItsCap: each wait lies between half and
// all of first·2^(n-1), capped.
func TestBackoffDoublesWithJitterUpToItsCap(t *testing.T) {
	for n := 1; n < 20; n++ {
		full := min(time.Second<<(n-1), 5*time.Minute)
		if n > 12 {
			full = 5 * time.Minute
		}
		for range 50 {
			if d := Backoff(n, time.Second, 5*time.Minute); d < full/2 || d > full {
				t.Fatalf("attempt %d waits %s, outside [%s, %s]", n, d, full/2, full)
			}
		}
	}
}

// TestTheOCSFMappingIsDocumented: docs/streams.md prints the mapping the
// code applies, every action of it.
func TestTheOCSFMappingIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/streams.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), OCSFTable()) {
		t.Fatalf("docs/streams.md does not hold the OCSF mapping; paste this table in it:\n%s", OCSFTable())
	}
}
