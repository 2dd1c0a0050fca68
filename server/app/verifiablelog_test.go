package app

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/orgtrail/orgtrail/server/auditlog/verify"
)

// Tests of the verifiable audit log (issue 11) over HTTP: the checkpoint,
// proofs and public key the API serves, and the verification bundle.

const checkpointQuery = `{ auditLogCheckpoint { origin size rootHash signedNote keyName createdAt } }`

type checkpointData struct {
	Origin, RootHash, SignedNote, KeyName string
	Size                                  int64
}

// waitForLog waits until the organization's latest checkpoint covers every
// event it has stored, and returns that checkpoint.
func (r *rig) waitForLog(key, org string) checkpointData {
	r.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		var out struct{ AuditLogCheckpoint *checkpointData }
		r.ok(key, checkpointQuery, nil, &out)
		stored := r.count(`SELECT count(*) FROM audit_events WHERE organization_id = $1`, org)
		if cp := out.AuditLogCheckpoint; cp != nil && cp.Size == int64(stored) {
			return *cp
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("after a minute the log's checkpoint is %+v, with %d events stored", out.AuditLogCheckpoint, stored)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// publicKeys fetches the log's public keys from the well-known URL.
func (r *rig) publicKeys() []note.Verifier {
	r.t.Helper()
	resp, err := http.Get(r.srv.URL + "/.well-known/orgtrail-audit-log-key")
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		r.t.Fatalf("public key: %d %s", resp.StatusCode, body)
	}
	keys, err := verify.ParseKeys(string(body))
	if err != nil {
		r.t.Fatal(err)
	}
	return keys
}

// bundle downloads a verification bundle with key ("" for none) and params.
func (r *rig) bundle(key string, params url.Values) (*http.Response, []byte) {
	r.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, r.srv.URL+"/api/audit-log/bundle?"+params.Encode(), nil)
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

func decodeHash(t *testing.T, s string) tlog.Hash {
	t.Helper()
	var h tlog.Hash
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != len(h) {
		t.Fatalf("hash %q", s)
	}
	copy(h[:], b)
	return h
}

func TestEventsCarryAnInclusionProofAgainstASignedCheckpoint(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	r.createRole(acme.Key, "Deployers", "secrets:read")
	first := r.waitForLog(acme.Key, acme.OrgID)
	r.createRole(acme.Key, "Auditors", "audit_log:read")
	cp := r.waitForLog(acme.Key, acme.OrgID)

	opened, err := verify.OpenCheckpoint([]byte(cp.SignedNote), r.publicKeys())
	if err != nil {
		t.Fatal(err)
	}
	if opened.Size != cp.Size || opened.Origin != "orgtrail.test/audit-log/"+acme.OrgID || opened.KeyName != cp.KeyName {
		t.Fatalf("checkpoint %+v does not say what the API says (%+v)", opened, cp)
	}
	var list struct {
		AuditEvents struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	r.ok(acme.Key, `{ auditEvents(first: 50) { edges { node { id } } } }`, nil, &list)
	for _, edge := range list.AuditEvents.Edges {
		var out struct {
			AuditEvent struct {
				Sequence       *int64
				InclusionProof struct {
					Sequence, TreeSize int64
					LeafHash, RootHash string
					Hashes             []string
				}
			}
		}
		r.ok(acme.Key, `query($id: ID!) { auditEvent(id: $id) { sequence inclusionProof { sequence treeSize leafHash rootHash hashes } } }`,
			map[string]any{"id": edge.Node.ID}, &out)
		p := out.AuditEvent.InclusionProof
		if out.AuditEvent.Sequence == nil || p.Sequence != *out.AuditEvent.Sequence || p.TreeSize != cp.Size || p.RootHash != cp.RootHash {
			t.Fatalf("event %s: sequence %v, proof %+v, checkpoint %+v", edge.Node.ID, out.AuditEvent.Sequence, p, cp)
		}
		proof := make(tlog.RecordProof, len(p.Hashes))
		for i, h := range p.Hashes {
			proof[i] = decodeHash(t, h)
		}
		if err := tlog.CheckRecord(proof, p.TreeSize, decodeHash(t, p.RootHash), p.Sequence, decodeHash(t, p.LeafHash)); err != nil {
			t.Fatalf("event %s: the inclusion proof does not check: %v", edge.Node.ID, err)
		}
	}

	var consistency struct {
		AuditLogConsistencyProof struct {
			From, To                 int64
			FromRootHash, ToRootHash string
			Hashes                   []string
		}
	}
	r.ok(acme.Key, `query($from: Int!) { auditLogConsistencyProof(from: $from) { from to fromRootHash toRootHash hashes } }`,
		map[string]any{"from": first.Size}, &consistency)
	c := consistency.AuditLogConsistencyProof
	proof := make(tlog.TreeProof, len(c.Hashes))
	for i, h := range c.Hashes {
		proof[i] = decodeHash(t, h)
	}
	if c.FromRootHash != first.RootHash || c.ToRootHash != cp.RootHash {
		t.Fatalf("consistency proof roots %s %s, want the checkpoints' %s %s", c.FromRootHash, c.ToRootHash, first.RootHash, cp.RootHash)
	}
	if err := tlog.CheckTree(proof, c.To, decodeHash(t, c.ToRootHash), c.From, decodeHash(t, c.FromRootHash)); err != nil {
		t.Fatalf("the consistency proof does not check: %v", err)
	}
	r.fails("BAD_USER_INPUT", acme.Key, `{ auditLogConsistencyProof(from: 0) { from } }`, nil)
	r.fails("NOT_FOUND", acme.Key, `{ auditEvent(id: "not-an-id") { id } }`, nil)
}

func TestTheVerificationBundleVerifies(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	for _, name := range []string{"Deployers", "Auditors", "Operators"} {
		r.createRole(acme.Key, name, "secrets:read")
	}
	saved := r.waitForLog(acme.Key, acme.OrgID)
	r.createRole(acme.Key, "Later", "secrets:read")
	r.waitForLog(acme.Key, acme.OrgID)
	keys := r.publicKeys()

	resp, body := r.bundle(acme.Key, url.Values{"since": {"3"}})
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), `attachment; filename="audit-log-bundle-`) {
		t.Fatalf("bundle: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	report, err := verify.Bundle(bytes.NewReader(body), verify.Options{Keys: keys})
	if err != nil {
		t.Fatalf("the bundle does not verify: %v", err)
	}
	stored := int64(r.count(`SELECT count(*) FROM audit_events WHERE organization_id = $1`, acme.OrgID))
	if report.Entries != stored || !report.Complete || report.First != 0 || report.Last != stored-1 {
		t.Fatalf("report %+v, want all %d events, complete", report, stored)
	}

	// Against the checkpoint saved before the last change.
	resp, body = r.bundle(acme.Key, url.Values{"since": {itoa(saved.Size)}})
	if resp.StatusCode != 200 {
		t.Fatalf("bundle: %d %s", resp.StatusCode, body)
	}
	if report, err := verify.Bundle(bytes.NewReader(body), verify.Options{Keys: keys, Earlier: []byte(saved.SignedNote)}); err != nil || report.Earlier == nil {
		t.Fatalf("the bundle does not extend the saved checkpoint: %v", err)
	}

	// A filtered bundle proves its events, and says it is not complete.
	_, body = r.bundle(acme.Key, url.Values{"action": {"CREATED_ROLE"}})
	report, err = verify.Bundle(bytes.NewReader(body), verify.Options{Keys: keys})
	if err != nil || report.Entries != 4 || report.Complete {
		t.Fatalf("filtered bundle: %+v %v, want 4 events, not complete", report, err)
	}

	// Who may download it.
	if resp, _ := r.bundle("", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous: %d", resp.StatusCode)
	}
	var out struct{ CreateAPIAccessKey struct{ Key string } }
	r.ok(acme.Key, createAccessKey, map[string]any{"name": "no audit", "perms": []string{"roles:read"}}, &out)
	if resp, body := r.bundle(out.CreateAPIAccessKey.Key, nil); resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "audit_log:read") {
		t.Fatalf("without audit_log:read: %d %s", resp.StatusCode, body)
	}
	if resp, body := r.bundle(acme.Key, url.Values{"category": {"NOPE"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "filter.category") {
		t.Fatalf("bad filter: %d %s", resp.StatusCode, body)
	}
	b := r.browser()
	b.signIn("admin@acme.example")
	resp, err = b.client.Get(r.srv.URL + "/api/audit-log/bundle")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := verify.Bundle(resp.Body, verify.Options{Keys: keys}); resp.StatusCode != 200 || err != nil {
		t.Fatalf("signed-in download: %d %v", resp.StatusCode, err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
