package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/orgtrail/orgtrail/server/config"
	"github.com/orgtrail/orgtrail/server/logging"
	"github.com/orgtrail/orgtrail/server/pgtest"
)

// fuzzTarget is one input surface of the HTTP fuzz. An input is either raw
// (a query string and a body, for the protocols' syntax) or a text put into
// the target's template (a request that parses, carrying the text where a
// value goes, for everything behind the syntax).
type fuzzTarget struct {
	method, path, contentType string
	// auth is "key" (the admin API key), "scim" (a SCIM token) or "".
	auth string
	// query and body are the template; $T is the text, put in as a JSON
	// string's content ($J), URL-encoded ($U) or as it is ($T).
	query, body string
}

// fuzzTargets are every input surface of issue 10's rule "text the
// database cannot hold is refused at the edge", and then some.
var fuzzTargets = []fuzzTarget{
	{"POST", "/graphql", "application/json", "key", "",
		`{"query":"mutation($n: String!) { createRole(input: {name: $n, description: $n}) { role { id } } }","variables":{"n":"$J"}}`},
	{"POST", "/graphql", "application/json", "key", "",
		`{"query":"query($s: String) { auditEvents(filter: {search: $s}, first: 3) { edges { cursor } } }","variables":{"s":"$J"}}`},
	{"POST", "/graphql", "application/json", "key", "",
		`{"query":"mutation($e: String!) { inviteMember(input: {email: $e}) { invitation { id } } }","variables":{"e":"$J"}}`},
	{"POST", "/graphql", "application/json", "key", "",
		`{"query":"mutation { createRole(input: {name: \"$J\"}) { role { id } } }"}`},
	{"GET", "/graphql", "", "key", `query=$U`, ""},
	{"GET", "/scim/v2/Users", "", "scim", `filter=$U&count=5`, ""},
	{"POST", "/scim/v2/Users", "application/scim+json", "scim", "",
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"$J","name":{"givenName":"$J"},"emails":[{"value":"$J"}]}`},
	{"GET", "/scim/v2/Groups", "", "scim", `filter=displayName%20eq%20%22$U%22`, ""},
	{"POST", "/scim/v2/Groups", "application/scim+json", "scim", "",
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"$J"}`},
	{"PATCH", "/scim/v2/Users/{user}", "application/scim+json", "scim", "",
		`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"$J","value":"x"}]}`},
	{"PATCH", "/scim/v2/Groups/{group}", "application/scim+json", "scim", "",
		`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"$J"}]}]}`},
	{"PUT", "/scim/v2/Users/{user}", "application/scim+json", "scim", "",
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jane@acme.example","name":{"formatted":"$J"},"title":"$J"}`},
	{"POST", "/oauth/token", "application/x-www-form-urlencoded", "", "", `grant_type=client_credentials&client_id=$U&client_secret=$U`},
	{"POST", "/auth/magic-link", "application/json", "", "", `{"email":"$J","next":"$J"}`},
	{"GET", "/auth/magic-link/verify", "", "", `token=$U`, ""},
	{"GET", "/auth/oidc/callback", "", "", `code=$U&state=$U`, ""},
}

// fill puts text into a template.
func fill(template, text string) string {
	return strings.NewReplacer("$J", jsonContent(text), "$U", url.QueryEscape(text), "$T", text).Replace(template)
}

// jsonContent escapes text to sit between a JSON string's quotes, leaving
// bytes that are not UTF-8 as they are (as a careless client would).
func jsonContent(text string) string {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// fuzzServer is one real server on its own database, shared by every input
// of a fuzzing process.
type fuzzServer struct {
	url, key, scim string
	user, group    string
	clients        atomic.Int64
}

func startFuzzServer(f *testing.F) *fuzzServer {
	dsn := pgtest.NewDatabase(f)
	cfg := config.Config{DatabaseURL: dsn, ListenAddr: "127.0.0.1:0", PublicURL: "http://orgtrail.test",
		SecretKey: bytes.Repeat([]byte{7}, 32),
		// Every input comes from a client of its own behind this proxy, so
		// the per-IP sign-in budget does not turn the fuzz into 429s.
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}
	a, err := New(context.Background(), cfg, logging.New(io.Discard, slog.LevelError))
	if err != nil {
		f.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	f.Cleanup(func() { srv.Close(); a.Close() })
	boot, err := a.Bootstrap(context.Background(), BootstrapInput{OrganizationName: "Acme", AdminEmail: "admin@acme.example", APIKey: true})
	if err != nil {
		f.Fatal(err)
	}
	s := &fuzzServer{url: srv.URL, key: boot.APIKey}
	var token struct{ CreateScimToken struct{ Token string } }
	s.graphql(f, createScimToken, map[string]any{"name": "Okta"}, &token)
	s.scim = token.CreateScimToken.Token
	s.graphql(f, createScimOAuthClient, map[string]any{"name": "Entra"}, nil)
	s.user = s.provision(f, "/scim/v2/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jane@acme.example","name":{"givenName":"Jane","familyName":"Doe"},"emails":[{"value":"jane@acme.example","type":"work","primary":true}],"active":true}`)
	s.group = s.provision(f, "/scim/v2/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering","members":[{"value":"`+s.user+`"}]}`)
	return s
}

func (s *fuzzServer) graphql(f *testing.F, query string, vars map[string]any, dst any) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest("POST", s.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data   json.RawMessage
		Errors []any
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Errors) > 0 {
		f.Fatalf("%s: %v %v", query, err, out.Errors)
	}
	if dst != nil {
		if err := json.Unmarshal(out.Data, dst); err != nil {
			f.Fatal(err)
		}
	}
}

func (s *fuzzServer) provision(f *testing.F, path, body string) string {
	req, _ := http.NewRequest("POST", s.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/scim+json")
	req.Header.Set("Authorization", "Bearer "+s.scim)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 201 {
		f.Fatalf("POST %s: %d %v", path, resp.StatusCode, err)
	}
	return out.ID
}

// FuzzHTTPInputs sends fuzzed query strings and bodies to every input
// surface of one real server (on the test PostgreSQL) and fails on any 5xx,
// on a GraphQL INTERNAL error (a resolver's panic or failure shows as one)
// and on a broken connection (a panic the router did not survive). The seed
// corpus runs with every `go test`; `make fuzz` explores from it.
func FuzzHTTPInputs(f *testing.F) {
	s := startFuzzServer(f)
	// Raw seeds (a body given): the protocols' syntax.
	raw := []struct {
		target int
		query  string
		body   string
	}{
		{0, "", `{"query":"mutation($n: String!) { createRole(input: {name: $n}) { role { id } } }","variables":{"n":"Log reader"}}`},
		{0, "", "{\"query\":\"{ roles { id name } }\",\"variables\":{\"x\":\"caf\xe9\"}}"},
		{4, "query=%7B%20roles%20%7B%20id%20%7D%20%7D&operationName=%00", "-"},
		{5, "filter=" + url.QueryEscape(`emails[type eq "work" and value co "@acme"] or name.familyName sw "D"`) + "&startIndex=1&count=10&attributes=userName", "-"},
		{6, "", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"john@acme.example","active":true}`},
		{9, "", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"emails[type eq \"work\"].value","value":"j@acme.example"}]}`},
		{10, "", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"displayName":"Eng"}}]}`},
		{12, "", "grant_type=client_credentials&client_id=abc&client_secret=def"},
		{13, "", `{"email":"admin@acme.example","next":"/settings"}`},
	}
	for _, seed := range raw {
		f.Add(uint8(seed.target), seed.query, []byte(seed.body))
	}
	// Template seeds (no body): each target with ordinary text, a NUL,
	// bytes that are not UTF-8, a line break, and syntax of its own.
	for i := range fuzzTargets {
		for _, text := range []string{"jane@acme.example", "x\x00", "caf\xe9", "Evil\r\nBcc: x", `userName eq "a"`, `\u0000`} {
			f.Add(uint8(i), text, []byte(nil))
		}
	}
	f.Fuzz(func(t *testing.T, target uint8, text string, body []byte) {
		tg := fuzzTargets[int(target)%len(fuzzTargets)]
		query := text
		if len(body) == 0 {
			query, body = fill(tg.query, text), []byte(fill(tg.body, text))
		}
		path := strings.NewReplacer("{user}", s.user, "{group}", s.group).Replace(tg.path)
		req, err := http.NewRequest(tg.method, s.url+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.URL.RawQuery = query
		if strings.IndexFunc(query, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
			req.URL.RawQuery = url.PathEscape(query) // what a client library would send
		}
		if tg.contentType != "" {
			req.Header.Set("Content-Type", tg.contentType)
		}
		switch tg.auth {
		case "key":
			req.Header.Set("Authorization", "Bearer "+s.key)
		case "scim":
			req.Header.Set("Authorization", "Bearer "+s.scim)
		}
		// The text is also the User-Agent (stored in audit events), when a
		// client could send it at all: a header holds no control character.
		if strings.IndexFunc(text, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) < 0 {
			req.Header.Set("User-Agent", text)
		}
		n := s.clients.Add(1)
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", n>>16&0xff, n>>8&0xff, n&0xff))
		req.Header.Set("Origin", s.url)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s?%q: no answer (did the server panic?): %v", tg.method, path, query, err)
		}
		defer resp.Body.Close()
		answer, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %s?%q with %q: %d %s", tg.method, path, query, body, resp.StatusCode, answer)
		}
		if strings.HasPrefix(path, "/graphql") && bytes.Contains(answer, []byte(`"INTERNAL"`)) {
			t.Fatalf("%s %s?%q with %q: %s", tg.method, path, query, body, answer)
		}
	})
}
