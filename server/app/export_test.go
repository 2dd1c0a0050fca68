package app

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// export downloads an export with key ("" for none) and params.
func (r *rig) export(key string, params url.Values) (*http.Response, []byte) {
	r.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, r.srv.URL+"/api/audit-log/export?"+params.Encode(), nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		r.t.Fatal(err)
	}
	return resp, body
}

// listAll pages through auditEvents for filter and returns every node as
// the API serves it, newest first.
func (r *rig) listAll(key string, filter map[string]any) []map[string]any {
	r.t.Helper()
	var out []map[string]any
	after := ""
	for {
		vars := map[string]any{"filter": filter, "first": 200}
		if after != "" {
			vars["after"] = after
		}
		var page struct {
			AuditEvents struct {
				Edges    []struct{ Node map[string]any }
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		r.ok(key, auditEventsQuery, vars, &page)
		for _, e := range page.AuditEvents.Edges {
			out = append(out, e.Node)
		}
		if !page.AuditEvents.PageInfo.HasNextPage {
			return out
		}
		after = page.AuditEvents.PageInfo.EndCursor
	}
}

// TestAnExportHoldsExactlyWhatTheAuditLogShows: for each filter, the NDJSON
// export is the auditEvents listing of the same filter, event for event, in
// the same order and the same shape; the CSV export has the same events.
// The export itself is recorded first, so both include it.
func TestAnExportHoldsExactlyWhatTheAuditLogShows(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	for _, name := range []string{"Deployers", "Readers", "Deploy approvers"} {
		r.createRole(acme.Key, name, "secrets:read")
		r.createRole(globex.Key, name, "secrets:read")
	}
	r.ok(acme.Key, `mutation { createSecret(input: {name: "DEPLOY_TOKEN", value: "s3cr3t"}) { secret { id } } }`, nil, nil)
	r.createServiceAccount(acme.Key, "Deploy bot")

	for _, tc := range []struct {
		name   string
		params url.Values
		filter map[string]any
	}{
		{"everything", url.Values{}, map[string]any{}},
		{"a category", url.Values{"category": {"ROLES_AND_PERMISSIONS"}}, map[string]any{"category": "ROLES_AND_PERMISSIONS"}},
		{"an action", url.Values{"action": {"CREATED_SECRET"}}, map[string]any{"action": "CREATED_SECRET"}},
		{"a search", url.Values{"search": {"deploy"}}, map[string]any{"search": "deploy"}},
		{"a range in a time zone", url.Values{"range": {"TODAY"}, "timeZone": {"Pacific/Kiritimati"}},
			map[string]any{"range": "TODAY", "timeZone": "Pacific/Kiritimati"}},
		{"a resource type", url.Values{"resourceType": {"role"}}, map[string]any{"resourceType": "role"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			params := url.Values{"format": {"ndjson"}}
			for k, v := range tc.params {
				params[k] = v
			}
			resp, body := r.export(acme.Key, params)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-ndjson" ||
				!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="audit-log-`+acme.OrgID) ||
				!strings.HasSuffix(resp.Header.Get("Content-Disposition"), `.ndjson"`) {
				t.Fatalf("export: %d %v %s", resp.StatusCode, resp.Header, body)
			}
			want := r.listAll(acme.Key, tc.filter)
			var got []map[string]any
			sc := bufio.NewScanner(bytes.NewReader(body))
			for sc.Scan() {
				var e map[string]any
				if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
					t.Fatalf("line %q: %v", sc.Text(), err)
				}
				got = append(got, e)
			}
			if len(want) == 0 || !reflect.DeepEqual(got, want) {
				t.Fatalf("NDJSON export differs from auditEvents:\n got %v\nwant %v", got, want)
			}

			params.Set("format", "csv")
			resp, body = r.export(acme.Key, params)
			rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
			if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
				t.Fatalf("csv export: %d %v %v", resp.StatusCode, resp.Header, err)
			}
			// The CSV export recorded one more event, the newest.
			want = r.listAll(acme.Key, tc.filter)
			if len(rows) != len(want)+1 || rows[0][0] != "Time" || rows[0][5] != "Event ID" {
				t.Fatalf("csv export: %d rows for %d events: %q", len(rows), len(want), rows[:1])
			}
			for i, e := range want {
				if rows[i+1][5] != e["id"] || rows[i+1][2] != e["actionLabel"] {
					t.Fatalf("csv row %d: %q, want event %v", i+1, rows[i+1], e)
				}
			}
		})
	}
	for _, e := range r.listAll(acme.Key, map[string]any{"category": "AUDIT_LOG"}) {
		if e["action"] != "EXPORTED_AUDIT_LOG" {
			t.Fatalf("unexpected event %v", e)
		}
	}
	if n := r.count(`SELECT count(*) FROM audit_events WHERE organization_id = $1 AND action = 'EXPORTED_AUDIT_LOG'`, globex.OrgID); n != 0 {
		t.Fatalf("%d exports recorded in Globex", n)
	}
}

// TestAnExportIsRecordedAndRefusedWithoutAuditLogRead: the export needs
// audit_log:read; a bad filter or format is a 400 naming the parameter,
// before anything is streamed or recorded; an export is recorded with its
// format and filter.
func TestAnExportIsRecordedAndRefusedWithoutAuditLogRead(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	if resp, _ := r.export("", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous export: %d", resp.StatusCode)
	}
	var out struct{ CreateAPIAccessKey struct{ Key string } }
	r.ok(acme.Key, createAccessKey, map[string]any{"name": "roles only", "perms": []string{"roles:read"}}, &out)
	if resp, body := r.export(out.CreateAPIAccessKey.Key, nil); resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "audit_log:read") {
		t.Fatalf("export without audit_log:read: %d %s", resp.StatusCode, body)
	}
	for field, params := range map[string]url.Values{
		"filter.category": {"category": {"NOPE"}},
		"filter.search":   {"search": {"ro"}},
		"from":            {"from": {"yesterday"}},
		"format":          {"format": {"xlsx"}},
	} {
		resp, body := r.export(acme.Key, params)
		var e struct{ Code, Field string }
		_ = json.Unmarshal(body, &e)
		if resp.StatusCode != http.StatusBadRequest || e.Code != "BAD_USER_INPUT" || e.Field != field {
			t.Fatalf("%v: %d %s, want a 400 on %s", params, resp.StatusCode, body, field)
		}
	}
	if n := r.count(`SELECT count(*) FROM audit_events WHERE action = 'EXPORTED_AUDIT_LOG'`); n != 0 {
		t.Fatalf("%d refused exports recorded", n)
	}

	if resp, _ := r.export(acme.Key, url.Values{"category": {"SECRETS"}, "range": {"LAST_7_DAYS"}}); resp.StatusCode != 200 {
		t.Fatalf("export: %d", resp.StatusCode)
	}
	e := r.lastEvent(acme.OrgID)
	filter, _ := e.Details["filter"].(map[string]any)
	if e.Action != "EXPORTED_AUDIT_LOG" || e.ResourceType != "audit_log" || e.ResourceID != acme.OrgID || e.Details["format"] != "csv" ||
		filter["category"] != "SECRETS" || filter["range"] != "LAST_7_DAYS" || e.UserAgent == "" {
		t.Fatalf("recorded export: %+v", e)
	}
}

// TestACSVExportCannotRunFormulas: a name someone else chose that starts
// like a spreadsheet formula is exported as text.
func TestACSVExportCannotRunFormulas(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	r.createRole(acme.Key, `=HYPERLINK("https://evil.example","x")`, "secrets:read")
	_, body := r.export(acme.Key, url.Values{"action": {"CREATED_ROLE"}})
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("%v %q", err, rows)
	}
	if got := rows[1][4]; got != `role =HYPERLINK("https://evil.example","x")` {
		t.Fatalf("resource cell %q", got)
	}
	if got := rows[1][12]; got != `'=HYPERLINK("https://evil.example","x")` {
		t.Fatalf("resource name cell %q, want it made inert", got)
	}
}
