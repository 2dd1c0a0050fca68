package app

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/orgtrail/orgtrail/server/auditlog/verify"
)

// Tests of issue 13 over HTTP: the search query language, its check field,
// the request and IP address filters, and the timeline and live tail below.

const eventsQuery = `query($f: AuditEventFilter) { auditEvents(filter: $f, first: 50) {
	edges { node { id action requestId ipAddress resource { type id name } } } } }`

type listedEvents struct {
	AuditEvents struct {
		Edges []struct {
			Node struct {
				ID, Action, RequestID, IPAddress string
				Resource                         struct{ Type, ID, Name string }
			}
		}
	}
}

func (r *rig) listEvents(key string, filter map[string]any) listedEvents {
	r.t.Helper()
	var out listedEvents
	r.ok(key, eventsQuery, map[string]any{"f": filter}, &out)
	return out
}

// doWithRequestID is do with the caller's X-Request-Id.
func (r *rig) doWithRequestID(key, requestID, query string, vars map[string]any) {
	r.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("X-Request-Id", requestID)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || bytes.Contains(raw, []byte(`"errors"`)) {
		r.t.Fatalf("%d %s", resp.StatusCode, raw)
	}
}

func TestARefusedQueryPointsAtItsToken(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	res := r.fails("BAD_USER_INPUT", acme.Key, eventsQuery, map[string]any{"f": map[string]any{"query": "role acter:alice"}})
	ext := res.Errors[0].Extensions
	if ext["field"] != "filter.query" || ext["token"] != "acter:alice" || ext["start"] != 5.0 || ext["end"] != 16.0 {
		t.Fatalf("extensions %v, want the token acter:alice at 5..16 on filter.query", ext)
	}

	// The check field answers the same grammar as data, without reading the log.
	const check = `query($q: String!, $tz: String) { auditQueryCheck(query: $q, timeZone: $tz) {
		error { message token start end } clauses { key negated value start end } } }`
	var out struct {
		AuditQueryCheck struct {
			Error *struct {
				Message, Token string
				Start, End     int
			}
			Clauses []struct {
				Key        *string
				Negated    bool
				Value      string
				Start, End int
			}
		}
	}
	r.ok(acme.Key, check, map[string]any{"q": "role acter:alice"}, &out)
	if e := out.AuditQueryCheck.Error; e == nil || e.Token != "acter:alice" || e.Start != 5 || e.End != 16 || len(out.AuditQueryCheck.Clauses) != 0 {
		t.Fatalf("check of a bad query: %+v", out.AuditQueryCheck)
	}
	r.ok(acme.Key, check, map[string]any{"q": `-actor:bob@example.com "created role" after:2026-11-03`, "tz": "Europe/Paris"}, &out)
	c := out.AuditQueryCheck.Clauses
	if out.AuditQueryCheck.Error != nil || len(c) != 3 || *c[0].Key != "actor" || !c[0].Negated || c[1].Key != nil ||
		c[1].Value != "created role" || c[2].Start != 38 {
		t.Fatalf("check of a good query: %+v", out.AuditQueryCheck)
	}
	if res := r.fails("BAD_USER_INPUT", acme.Key, check, map[string]any{"q": "x", "tz": "Mars/Base"}); res.Errors[0].Extensions["field"] != "timeZone" {
		t.Fatalf("bad time zone: %+v", res.Errors)
	}
	r.fails("UNAUTHENTICATED", "", check, map[string]any{"q": "x"})
}

// The request and address pivots: every event one request recorded, and
// every event from one address, of the caller's organization only.
func TestRequestAndAddressFiltersFindAnIncidentsEvents(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	const createRoles = `mutation { a: createRole(input: {name: "Deployers", permissions: ["secrets:read"]}) { role { id } }
		b: createRole(input: {name: "Breakglass", permissions: ["secrets:write"]}) { role { id } } }`
	r.doWithRequestID(acme.Key, "incident-4242", createRoles, nil)
	r.doWithRequestID(globex.Key, "incident-4242", createRoles, nil) // the same id elsewhere
	r.createRole(acme.Key, "Unrelated", "secrets:read")

	byRequest := r.listEvents(acme.Key, map[string]any{"requestId": "incident-4242"}).AuditEvents.Edges
	if len(byRequest) != 2 || byRequest[0].Node.Resource.Name != "Breakglass" || byRequest[1].Node.Resource.Name != "Deployers" {
		t.Fatalf("requestId: %+v", byRequest)
	}
	if q := r.listEvents(acme.Key, map[string]any{"query": "request:incident-4242 -Deployers"}).AuditEvents.Edges; len(q) != 1 || q[0].Node.Resource.Name != "Breakglass" {
		t.Fatalf("request: qualifier: %+v", q)
	}
	fromHere := 0 // the bootstrap's events have no address
	for _, e := range r.listEvents(acme.Key, nil).AuditEvents.Edges {
		if e.Node.IPAddress == "127.0.0.1" {
			fromHere++
		}
	}
	byAddress := r.listEvents(acme.Key, map[string]any{"ipAddress": "127.0.0.1"}).AuditEvents.Edges
	if fromHere < 3 || len(byAddress) != fromHere {
		t.Fatalf("ipAddress 127.0.0.1: %d events, want %d", len(byAddress), fromHere)
	}
	if n := len(r.listEvents(acme.Key, map[string]any{"query": "ip:10.0.0.0/8"}).AuditEvents.Edges); n != 0 {
		t.Fatalf("ip:10.0.0.0/8 found %d events", n)
	}
	r.fails("BAD_USER_INPUT", acme.Key, eventsQuery, map[string]any{"f": map[string]any{"ipAddress": "localhost"}})
}

// A verification bundle filtered by the new fields proves its events and
// says it is not complete: were it called complete, every event the filter
// leaves out would be reported as removed from the database.
func TestABundleFilteredByAQueryIsNotComplete(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	for _, name := range []string{"Deployers", "Auditors"} {
		r.createRole(acme.Key, name, "secrets:read")
	}
	r.waitForLog(acme.Key, acme.OrgID)
	keys := r.publicKeys()
	for _, params := range []url.Values{{"query": {"Deployers"}}, {"requestId": {"nope-12345678"}}, {"ipAddress": {"10.0.0.0/8"}}} {
		resp, body := r.bundle(acme.Key, params)
		if resp.StatusCode != 200 {
			t.Fatalf("%v: %d %s", params, resp.StatusCode, body)
		}
		report, err := verify.Bundle(bytes.NewReader(body), verify.Options{Keys: keys})
		if err != nil || report.Complete {
			t.Fatalf("%v: %+v %v, want a verified bundle, not complete", params, report, err)
		}
	}
	if resp, body := r.bundle(acme.Key, url.Values{"query": {"acter:x"}}); resp.StatusCode != http.StatusBadRequest || !bytes.Contains(body, []byte("filter.query")) {
		t.Fatalf("bad query: %d %s", resp.StatusCode, body)
	}
}

const timelineQuery = `query($f: AuditEventFilter) { auditTimeline(filter: $f) {
	from to interval total buckets { start end count categories { category count } } } }`

type timelineData struct {
	AuditTimeline struct {
		From, To, Interval string
		Total              int
		Buckets            []struct {
			Start, End string
			Count      int
			Categories []struct {
				Category string
				Count    int
			}
		}
	}
}

// The timeline counts what the list shows, once the integrator has counted
// the events (the hourly counts, migration 00022) as before, and only the
// caller's organization.
func TestTheTimelineCountsWhatTheListShows(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	for _, name := range []string{"Deployers", "Auditors", "Operators"} {
		r.createRole(acme.Key, name, "secrets:read")
		r.createRole(globex.Key, name, "secrets:read")
	}
	count := func(filter map[string]any) (listed, counted int, tl timelineData) {
		listed = len(r.listEvents(acme.Key, filter).AuditEvents.Edges)
		r.ok(acme.Key, timelineQuery, map[string]any{"f": filter}, &tl)
		for _, b := range tl.AuditTimeline.Buckets {
			counted += b.Count
		}
		return listed, counted, tl
	}
	check := func(when string) {
		for _, filter := range []map[string]any{
			{"range": "TODAY", "timeZone": "Asia/Kolkata"},
			{"range": "LAST_90_DAYS"},
			{"category": "ROLES_AND_PERMISSIONS", "range": "LAST_7_DAYS"},
			{"query": "Deployers"},
			nil,
		} {
			listed, counted, tl := count(filter)
			if listed == 0 || counted != listed || tl.AuditTimeline.Total != listed {
				t.Errorf("%s, %v: the timeline counts %d (total %d), the list shows %d", when, filter, counted, tl.AuditTimeline.Total, listed)
			}
		}
	}
	check("before the log counted them")
	r.waitForLog(acme.Key, acme.OrgID)
	if n := r.count(`SELECT coalesce(sum(events), 0) FROM audit_event_counts WHERE organization_id = $1`, acme.OrgID); n == 0 {
		t.Fatal("the integrator counted nothing")
	}
	check("once the log counted them")

	// A day's timeline: buckets of an hour or less, each the sum of its categories.
	_, _, tl := count(map[string]any{"range": "TODAY", "timeZone": "Europe/Paris"})
	if iv := tl.AuditTimeline.Interval; iv != "HOUR" && iv != "FIFTEEN_MINUTES" && iv != "FIVE_MINUTES" && iv != "MINUTE" {
		t.Errorf("today is cut in %s", iv)
	}
	for _, b := range tl.AuditTimeline.Buckets {
		sum := 0
		for _, c := range b.Categories {
			sum += c.Count
		}
		if sum != b.Count {
			t.Errorf("bucket %s: %d events, %d in its categories", b.Start, b.Count, sum)
		}
	}
	r.fails("BAD_USER_INPUT", acme.Key, timelineQuery, map[string]any{"f": map[string]any{"query": "acter:x"}})
	r.fails("UNAUTHENTICATED", "", timelineQuery, nil)
}
