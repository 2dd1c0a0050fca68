package app

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// update rewrites golden files: go test ./server/app -run SCIM -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/ instead of comparing with them")

const (
	createScimToken = `mutation($name: String!) {
		createScimToken(input: {name: $name}) { token scimToken { id name prefix status } } }`
	revokeScimToken       = `mutation($id: ID!) { revokeScimToken(input: {id: $id}) { scimToken { id status revokedAt } } }`
	createScimOAuthClient = `mutation($name: String!) {
		createScimOAuthClient(input: {name: $name}) { clientSecret tokenUrl scimOAuthClient { id clientId status } } }`
	revokeScimOAuthClient = `mutation($id: ID!) { revokeScimOAuthClient(input: {id: $id}) { scimOAuthClient { id status } } }`
)

type scimToken struct {
	Token     string
	ScimToken struct{ ID, Name, Prefix, Status string }
}

// scimToken creates a SCIM token through GraphQL with an admin key.
func (r *rig) scimToken(key, name string) scimToken {
	r.t.Helper()
	var out struct{ CreateScimToken scimToken }
	r.ok(key, createScimToken, map[string]any{"name": name}, &out)
	return out.CreateScimToken
}

// idp is an identity provider talking SCIM to the rig over HTTP.
type idp struct {
	r         *rig
	token     string
	userAgent string
	// transcript records every exchange, for golden files.
	transcript []exchange
}

// exchange is one SCIM request and its response, as a golden file shows it.
type exchange struct {
	Request  string          `json:"request"`
	Body     json.RawMessage `json:"body,omitempty"`
	Status   int             `json:"status"`
	Location string          `json:"location,omitempty"`
	Response json.RawMessage `json:"response,omitempty"`
}

func (r *rig) idp(token, userAgent string) *idp {
	return &idp{r: r, token: token, userAgent: userAgent}
}

// scimResponse is a decoded SCIM response.
type scimResponse struct {
	Status int
	Header http.Header
	Raw    []byte
	Body   map[string]any
}

func (s scimResponse) str(path ...string) string {
	var v any = s.Body
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	str, _ := v.(string)
	return str
}

func (s scimResponse) num(key string) int {
	f, _ := s.Body[key].(float64)
	return int(f)
}

func (s scimResponse) resources() []map[string]any {
	list, _ := s.Body["Resources"].([]any)
	out := make([]map[string]any, len(list))
	for i, v := range list {
		out[i], _ = v.(map[string]any)
	}
	return out
}

// do sends a SCIM request; body is JSON-encoded unless it is a string.
func (c *idp) do(method, path string, body any) scimResponse {
	c.r.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	default:
		raw, _ = json.Marshal(b)
	}
	req, _ := http.NewRequest(method, c.r.srv.URL+"/scim/v2"+path, bytes.NewReader(raw))
	if raw != nil {
		req.Header.Set("Content-Type", "application/scim+json; charset=utf-8")
	}
	req.Header.Set("Accept", "application/scim+json")
	req.Header.Set("User-Agent", c.userAgent)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.r.t.Fatal(err)
	}
	defer resp.Body.Close()
	out := scimResponse{Status: resp.StatusCode, Header: resp.Header}
	out.Raw, _ = io.ReadAll(resp.Body)
	if len(out.Raw) > 0 {
		if ct := resp.Header.Get("Content-Type"); ct != "application/scim+json" {
			c.r.t.Fatalf("%s %s: Content-Type %q, want application/scim+json", method, path, ct)
		}
		if err := json.Unmarshal(out.Raw, &out.Body); err != nil {
			c.r.t.Fatalf("%s %s: response is not a JSON object: %s", method, path, out.Raw)
		}
	}
	shown := path
	if p, err := url.QueryUnescape(path); err == nil {
		shown = p
	}
	ex := exchange{Request: method + " " + shown, Status: resp.StatusCode, Location: resp.Header.Get("Location")}
	if raw != nil {
		ex.Body = json.RawMessage(raw)
	}
	if len(out.Raw) > 0 {
		ex.Response = json.RawMessage(out.Raw)
	}
	c.transcript = append(c.transcript, ex)
	return out
}

// must sends a request that must answer status.
func (c *idp) must(status int, method, path string, body any) scimResponse {
	c.r.t.Helper()
	res := c.do(method, path, body)
	if res.Status != status {
		c.r.t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.Status, status, res.Raw)
	}
	return res
}

// scimError checks that res is a SCIM error with status and scimType.
func scimError(t *testing.T, res scimResponse, status int, scimType string) {
	t.Helper()
	if res.Status != status || res.str("status") != fmt.Sprint(status) || res.str("scimType") != scimType {
		t.Fatalf("got %d %s, want a SCIM error %d %q", res.Status, res.Raw, status, scimType)
	}
	if schemas, _ := res.Body["schemas"].([]any); len(schemas) != 1 || schemas[0] != "urn:ietf:params:scim:api:messages:2.0:Error" {
		t.Fatalf("error without the Error schema: %s", res.Raw)
	}
}

func filterPath(resource, filter string, extra ...string) string {
	q := "?filter=" + url.QueryEscape(filter)
	for _, e := range extra {
		q += "&" + e
	}
	return "/" + resource + q
}

var (
	uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	timePattern = regexp.MustCompile(`"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"`)
)

// normalizer replaces ids and instants, which change from run to run, with
// stable placeholders: ids are numbered in order of first appearance.
type normalizer struct {
	ids   map[string]string
	names map[string]string // id -> name hint given by the test
}

func newNormalizer() *normalizer {
	return &normalizer{ids: map[string]string{}, names: map[string]string{}}
}

// name gives id a readable placeholder.
func (n *normalizer) name(id, name string) { n.names[id] = "<" + name + ">" }

func (n *normalizer) apply(s string) string {
	s = uuidPattern.ReplaceAllStringFunc(s, func(id string) string {
		if name, ok := n.names[id]; ok {
			return name
		}
		if _, ok := n.ids[id]; !ok {
			n.ids[id] = fmt.Sprintf("<id-%d>", len(n.ids)+1)
		}
		return n.ids[id]
	})
	return timePattern.ReplaceAllString(s, `"<time>"`)
}

// golden compares v, as indented JSON normalized by n, with
// testdata/scim/<name>.golden.json, or rewrites the file with -update.
func golden(t *testing.T, n *normalizer, name string, v any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	got := n.apply(buf.String())
	path := filepath.Join("testdata", "scim", name+".golden.json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run with -update to accept):\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff shows the first differing lines of two texts.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			lo := max(i-3, 0)
			return fmt.Sprintf("line %d:\n  want: %q\n  got:  %q\ncontext (got):\n%s", i+1, wl, gl,
				strings.Join(g[lo:min(i+4, len(g))], "\n"))
		}
	}
	return ""
}

// session is what a provisioning session's golden file holds.
type session struct {
	Exchanges []exchange  `json:"exchanges"`
	Audit     []auditView `json:"audit"`
}

// auditView is an audit event as golden files show it.
type auditView struct {
	Action       string         `json:"action"`
	Actor        string         `json:"actor"`
	ResourceType string         `json:"resourceType"`
	ResourceName string         `json:"resourceName"`
	Details      map[string]any `json:"details"`
}

// scimEvents returns the organization's events after the first skip ones.
func (r *rig) eventViews(org string, skip int) []auditView {
	r.t.Helper()
	var out []auditView
	for _, e := range r.events(org)[skip:] {
		out = append(out, auditView{Action: e.Action, Actor: e.ActorType + " " + e.ActorName,
			ResourceType: e.ResourceType, ResourceName: e.ResourceName, Details: e.Details})
	}
	return out
}

func actions(views []auditView) string {
	var out []string
	for _, v := range views {
		out = append(out, v.Action)
	}
	return strings.Join(out, ",")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
