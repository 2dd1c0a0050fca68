package app

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestAStreamToAnAddressTheServerNeverDialsIsRefused: a stream is held to
// the connectors' network rule (docs/security.md, 5), by the same code.
// Typed as a URL's host or a syslog host, such an address is refused on
// save; stored anyway (saved before the rule, or a name that resolves
// there), it is refused when dialled — by "Send test event" and by
// delivery, which says why — and nothing reaches it. Loopback and private
// addresses stay allowed, as for connectors (a self-hosted SIEM lives
// there): every receiver of these tests listens on 127.0.0.1.
func TestAStreamToAnAddressTheServerNeverDialsIsRefused(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.fastStreams()
	acme := r.tenant("Acme", "admin@acme.example")
	const create = `mutation($input: CreateLogStreamInput!) { createLogStream(input: $input) { logStream { id } } }`
	for _, c := range []struct {
		destination, field string
		config             map[string]any
	}{
		{"WEBHOOK", "config.url", map[string]any{"url": "https://169.254.169.254/latest/meta-data"}},
		{"SPLUNK_HEC", "config.url", map[string]any{"url": "https://[fd00:ec2::254]:8088"}},
		{"SYSLOG", "config.host", map[string]any{"host": "169.254.169.254", "port": 6514}},
	} {
		input := map[string]any{"name": "Metadata " + c.destination, "destination": c.destination, "config": c.config}
		if c.destination == "SPLUNK_HEC" {
			input["credentials"] = map[string]any{"token": "t"}
		}
		res := r.fails("BAD_USER_INPUT", acme.Key, create, map[string]any{"input": input})
		if res.Errors[0].Extensions["field"] != c.field || !strings.Contains(res.Errors[0].Message, "never connects to") {
			t.Fatalf("%s: %+v", c.destination, res.Errors)
		}
	}
	if n := r.count(`SELECT count(*) FROM log_streams`); n != 0 {
		t.Fatalf("%d refused streams were saved", n)
	}

	rc := newReceiver(t, "webhook")
	st := r.webhookStream(acme.Key, "SIEM", rc, map[string]any{"paused": true})
	if _, err := r.sql.Exec(`UPDATE log_streams SET config = jsonb_set(config, '{url}', '"https://169.254.169.254/latest"'),
		updated_at = now() WHERE id = $1`, st.ID); err != nil {
		t.Fatal(err)
	}
	var test struct {
		TestLogStream struct {
			OK      bool
			Message string
		}
	}
	r.ok(acme.Key, `mutation($id: ID!) { testLogStream(input: {id: $id}) { ok message } }`, map[string]any{"id": st.ID}, &test)
	if test.TestLogStream.OK || !strings.Contains(test.TestLogStream.Message, "does not connect to") {
		t.Fatalf("a test event to the metadata service: %+v", test.TestLogStream)
	}
	r.ok(acme.Key, `mutation($id: ID!) { resumeLogStream(input: {id: $id}) { __typename } }`, map[string]any{"id": st.ID}, nil)
	waitUntil(t, "delivery is refused and says why", func() bool {
		s := r.stream(acme.Key, st.ID)
		return s.State == "RETRYING" && strings.Contains(s.LastError, "does not connect to")
	})
	if n := len(rc.requestTimes()); n != 0 {
		t.Fatalf("the receiver got %d requests", n)
	}
}

// TestAStreamsKeyCannotReadADestinationSecretBack: a key holding exactly
// what managing streams takes (audit_log:read and organization:write)
// creates and changes streams with credentials, and no answer it can get —
// the streams with every field, the destinations, the audit log, an export
// — holds a credential or a signing secret again; the database holds them
// only sealed.
func TestAStreamsKeyCannotReadADestinationSecretBack(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	var made struct{ CreateApiAccessKey struct{ Key string } }
	r.ok(acme.Key, `mutation { createApiAccessKey(input: {name: "streams", permissions: ["audit_log:read", "organization:write"]}) { key } }`,
		nil, &made)
	key := made.CreateApiAccessKey.Key
	hec := newReceiver(t, "hec")
	const token, rotated = "hec-token-7f3a9c", "hec-token-rotated-51d2"
	hecStream, _ := r.createStream(key, map[string]any{"name": "Splunk", "destination": "SPLUNK_HEC",
		"config": map[string]any{"url": hec.srv.URL, "caCertificate": hec.caPEM()}, "credentials": map[string]any{"token": token}})
	r.ok(key, `mutation($input: UpdateLogStreamInput!) { updateLogStream(input: $input) { __typename } }`,
		map[string]any{"input": map[string]any{"id": hecStream.ID, "credentials": map[string]any{"token": rotated}}}, nil)
	dd := newReceiver(t, "datadog")
	const apiKey = "dd-api-key-0c81e4"
	r.createStream(key, map[string]any{"name": "Datadog", "destination": "DATADOG",
		"config": map[string]any{"intakeUrl": dd.srv.URL, "caCertificate": dd.caPEM()}, "credentials": map[string]any{"apiKey": apiKey}})
	wh := newReceiver(t, "webhook")
	secret := func() string { r.webhookStream(key, "Hook", wh, nil); return wh.secret.Load().(string) }()
	secrets := []string{token, rotated, apiKey, secret}

	// Every field of LogStream, from the schema itself, so a field added
	// later is read too.
	var schema struct {
		Type struct{ Fields []struct{ Name string } } `json:"__type"`
	}
	r.ok(key, `{ __type(name: "LogStream") { fields { name } } }`, nil, &schema)
	var fields []string
	for _, f := range schema.Type.Fields {
		fields = append(fields, f.Name)
	}
	answers := []string{
		string(r.do(key, `{ logStreams { `+strings.Join(fields, " ")+` } }`, nil).Data),
		string(r.do(key, `query($id: ID!) { logStream(id: $id) { `+strings.Join(fields, " ")+` } }`, map[string]any{"id": hecStream.ID}).Data),
		string(r.do(key, `{ logStreamDestinations { destination configFields { name } credentialFields { name } } }`, nil).Data),
		string(r.do(key, `{ auditEvents(first: 200) { edges { node { details } } } }`, nil).Data),
	}
	if !strings.Contains(answers[0], `"credentialFields":["token"]`) {
		t.Fatalf("the streams do not say which credentials are set: %s", answers[0])
	}
	req, _ := http.NewRequest(http.MethodGet, r.srv.URL+"/api/audit-log/export?format=ndjson", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	export, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(export), "UPDATED_LOG_STREAM") {
		t.Fatalf("export: %d %s", resp.StatusCode, export)
	}
	answers = append(answers, string(export))
	for _, s := range secrets {
		for _, a := range answers {
			if strings.Contains(a, s) {
				t.Fatalf("a credential is readable back: %q in %s", s, a)
			}
		}
		if n := r.count(`SELECT count(*) FROM log_streams WHERE position(convert_to($1, 'UTF8') IN credentials_ciphertext) > 0
			OR config::text LIKE '%' || $1 || '%'`, s); n != 0 {
			t.Fatalf("%q is stored in the clear", s)
		}
		if r.logsContain(s) {
			t.Fatalf("%q is in the server log", s)
		}
	}
}
