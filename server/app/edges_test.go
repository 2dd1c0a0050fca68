package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/orgtrail/orgtrail/server/config"
	"github.com/orgtrail/orgtrail/server/mail/smtptest"
)

// send sends req and returns its status, headers and body.
func (r *rig) send(req *http.Request) (int, http.Header, string) {
	r.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

// request builds a request to the rig; body is sent as it is.
func (r *rig) request(method, path, contentType, body string) *http.Request {
	r.t.Helper()
	req, err := http.NewRequest(method, r.srv.URL+path, strings.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Origin", r.srv.URL)
	return req
}

// TestOrganizationNameWithLineBreakIsRefusedOnEveryPath is issue 10 path 8
// at input: a name holding CR/LF (which went raw into the invitation's
// Subject header) is BAD_USER_INPUT on the name field wherever a name is
// given — bootstrap, createSiblingOrganization, the settings rename — and
// nothing changes.
func TestOrganizationNameWithLineBreakIsRefusedOnEveryPath(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	b := r.browser()
	b.signIn("admin@acme.example")
	const evil = "Evil\r\nBcc: attacker@evil.example"
	organizations := r.count(`SELECT count(*) FROM organizations`)
	events := r.count(`SELECT count(*) FROM audit_events`)

	if _, err := r.app.Bootstrap(context.Background(), BootstrapInput{OrganizationName: evil, AdminEmail: "x@evil.example"}); err == nil ||
		!strings.Contains(err.Error(), "BAD_USER_INPUT") {
		t.Fatalf("bootstrap with a CR/LF name: %v", err)
	}
	for name, query := range map[string]string{
		"sibling": `mutation($n: String!) { createSiblingOrganization(input: {name: $n}) { organization { id } } }`,
		"rename":  `mutation($n: String!) { updateOrganizationSettings(input: {name: $n}) { organization { id } } }`,
	} {
		for _, bad := range []string{evil, "Evil\nCorp", "Evil\rCorp", "Tab\tCorp", "Bell\u0007", "Next\u0085Line"} {
			res := b.gql(query, map[string]any{"n": bad})
			if res.code() != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != "name" {
				t.Fatalf("%s to %q: %+v, want BAD_USER_INPUT on name", name, bad, res.Errors)
			}
		}
	}
	if got := r.count(`SELECT count(*) FROM organizations`); got != organizations {
		t.Fatalf("%d organizations, want %d", got, organizations)
	}
	if got := r.count(`SELECT count(*) FROM audit_events`); got != events {
		t.Fatalf("%d audit events written", got-events)
	}
	if r.count(`SELECT count(*) FROM organizations WHERE id = $1 AND name = 'Acme'`, acme.OrgID) != 1 {
		t.Fatal("Acme was renamed")
	}
}

// TestInvitationSubjectReachesSMTPAsOneEncodedHeader is issue 10 path 8
// end to end, against an SMTP server the test runs: an unusual name
// (non-ASCII, and a legacy row holding CR/LF written straight into the
// database, from before names were checked) reaches the invitation's
// Subject as one encoded header that adds no header and no recipient. The
// mail is sent after the request, from a sealed queue: a failing SMTP
// server does not fail the invitation, and no link is logged.
func TestInvitationSubjectReachesSMTPAsOneEncodedHeader(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t)
	r := newRigWith(t, func(c *config.Config) { c.SMTPURL = smtp.URL() })
	acme := r.tenant("Acme", "admin@acme.example")
	b := r.browser()
	// Sign-in links go out by SMTP too; the admin's is the first message.
	if status, body := b.post("/auth/magic-link", map[string]string{"email": "admin@acme.example"}, false); status != 200 {
		t.Fatalf("magic link: %d %s", status, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	first := smtp.Wait(ctx, t, 1)[0]
	link := linkIn(t, first, "/auth/magic-link/verify")
	b.get(rebase(link, r.srv.URL))
	if v := b.viewer(); v.Viewer == nil {
		t.Fatal("the mailed link did not sign in")
	}
	if res := b.gql(`mutation { updateOrganizationSettings(input: {name: "Zürich Ω ✓ 東京"}) { organization { name } } }`, nil); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}

	// The SMTP server is down for the first attempt: the invitation still
	// commits, and its mail waits, sealed.
	smtp.FailNext(1)
	const invite = `mutation($e: String!) { inviteMember(input: {email: $e}) { invitation { id } } }`
	r.ok(acme.Key, invite, map[string]any{"e": "new@acme.example"}, nil)
	deadline := time.Now().Add(time.Minute)
	for r.count(`SELECT count(*) FROM mail_outbox WHERE recipient = 'new@acme.example' AND attempts > 0
		AND next_attempt_at > now()`) != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("the failed mail was not rescheduled; log:\n%s", r.log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	var sealed []byte
	if err := r.sql.QueryRow(`SELECT ciphertext FROM mail_outbox WHERE recipient = 'new@acme.example'`).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if _, err := r.sql.Exec(`UPDATE mail_outbox SET next_attempt_at = now()`); err != nil {
		t.Fatal(err)
	}
	unicode := smtp.Wait(ctx, t, 2)[1]
	token := tokenFrom(linkIn(t, unicode, "/invitations/accept"))
	if bytes.Contains(sealed, []byte(token)) || bytes.Contains(sealed, []byte("Zürich")) {
		t.Fatal("the queued mail holds the invitation token or subject in clear")
	}
	mustSubject(t, unicode, "You are invited to Zürich Ω ✓ 東京 on Orgtrail")

	// A name stored before names were checked.
	if _, err := r.sql.Exec(`UPDATE organizations SET name = E'Legacy\r\nBcc: attacker@evil.example\r\nX-Injected: 1' WHERE id = $1`, acme.OrgID); err != nil {
		t.Fatal(err)
	}
	r.ok(acme.Key, invite, map[string]any{"e": "other@acme.example"}, nil)
	legacy := smtp.Wait(ctx, t, 3)[2]
	mustSubject(t, legacy, "You are invited to Legacy\r\nBcc: attacker@evil.example\r\nX-Injected: 1 on Orgtrail")
	if fmt.Sprint(legacy.To) != "[other@acme.example]" {
		t.Fatalf("recipients %v", legacy.To)
	}
	r.waitForMail()
	if r.logsContain(token) || r.logsContain("/invitations/accept") || r.logsContain("/auth/magic-link/verify?token=") {
		t.Fatalf("a link was logged although SMTP is configured:\n%s", r.log.String())
	}
}

// linkIn finds the link to path in a message's (quoted-printable) body.
func linkIn(t *testing.T, m smtptest.Message, path string) string {
	t.Helper()
	body := strings.ReplaceAll(string(m.Data), "=\r\n", "") // soft line breaks
	body = strings.ReplaceAll(body, "=3D", "=")
	i := strings.Index(body, "http://orgtrail.test"+path)
	if i < 0 {
		t.Fatalf("no link to %s in:\n%s", path, m.Data)
	}
	return strings.Fields(body[i:])[0]
}

// mustSubject checks that m has exactly one Subject header, whose lines hold
// no line break of their own, that decodes to want, and no header the name
// tried to add.
func mustSubject(t *testing.T, m smtptest.Message, want string) {
	t.Helper()
	var subject []string
	header := m.Header()
	for i, line := range header {
		name, _, _ := strings.Cut(line, ":")
		switch strings.ToLower(name) {
		case "bcc", "x-injected":
			t.Fatalf("the name added a header: %q", line)
		case "subject":
			if subject != nil {
				t.Fatalf("two Subject headers: %q", header)
			}
			subject = []string{line}
			for j := i + 1; j < len(header) && strings.HasPrefix(header[j], " "); j++ {
				subject = append(subject, header[j])
			}
		}
		if strings.ContainsAny(line, "\r\n") {
			t.Fatalf("a header line holds a line break: %q", line)
		}
	}
	raw := strings.TrimPrefix(strings.Join(subject, ""), "Subject: ")
	decoded, err := new(mime.WordDecoder).DecodeHeader(raw)
	if err != nil || !strings.HasPrefix(raw, "=?UTF-8?") {
		t.Fatalf("Subject %q is not encoded (%v)", raw, err)
	}
	if strings.ReplaceAll(decoded, " ", "") != strings.ReplaceAll(want, " ", "") {
		t.Fatalf("Subject decodes to %q, want %q", decoded, want)
	}
}

// magicLink asks for a sign-in link for email with extra headers and
// returns the status.
func (r *rig) magicLink(email string, header http.Header) int {
	r.t.Helper()
	req := r.request(http.MethodPost, "/auth/magic-link", "application/json", `{"email":"`+email+`"}`)
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	status, _, _ := r.send(req)
	return status
}

// lastMagicLinkEvent is the IP of the newest "Generated magic link" event of org.
func (r *rig) lastMagicLinkIP(org string) string {
	r.t.Helper()
	r.waitForMail()
	var ip string
	if err := r.sql.QueryRow(`SELECT coalesce(host(ip_address), '') FROM audit_events
		WHERE organization_id = $1 AND action = 'GENERATED_MAGIC_LINK' ORDER BY occurred_at DESC, id DESC LIMIT 1`, org).Scan(&ip); err != nil {
		r.t.Fatal(err)
	}
	return ip
}

// TestSpoofedForwardedForIsIgnoredWithoutTrustedProxies is issue 10 path 9:
// with TRUSTED_PROXIES unset, a client's X-Forwarded-For or Forwarded
// header changes neither the audit IP nor the rate-limit bucket.
func TestSpoofedForwardedForIsIgnoredWithoutTrustedProxies(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	spoof := http.Header{"X-Forwarded-For": {"203.0.113.9"}, "Forwarded": {"for=198.51.100.9"}}
	if status := r.magicLink("admin@acme.example", spoof); status != 200 {
		t.Fatalf("status %d", status)
	}
	if ip := r.lastMagicLinkIP(acme.OrgID); ip != "127.0.0.1" {
		t.Fatalf("audit IP %q, want the peer's 127.0.0.1", ip)
	}
	if n := r.count(`SELECT count(*) FROM rate_limit_buckets WHERE key LIKE '%203.0.113.9%' OR key LIKE '%198.51.100.9%'`); n != 0 {
		t.Fatal("a spoofed address got a rate-limit bucket")
	}
	if n := r.count(`SELECT count(*) FROM rate_limit_buckets WHERE key = 'ip:127.0.0.1'`); n != 1 {
		t.Fatal("the peer's bucket was not used")
	}
	// The per-IP budget is the peer's whatever the header says: 20 requests
	// from "20 clients" exhaust it.
	limited := false
	for i := range 25 {
		spoof := http.Header{"X-Forwarded-For": {fmt.Sprintf("203.0.113.%d", i+10)}}
		if r.magicLink(fmt.Sprintf("u%d@nowhere.example", i), spoof) == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Fatal("a rotating X-Forwarded-For escaped the per-IP budget")
	}
}

// TestClientsBehindATrustedProxyHaveTheirOwnBudgetsAndAddresses is issue
// 10 path 9: with the test client's address as TRUSTED_PROXIES, two
// clients behind the proxy get separate magic-link budgets and their audit
// rows carry their own addresses; a chain a client forged cannot put a
// trusted address first or pick the address recorded.
func TestClientsBehindATrustedProxyHaveTheirOwnBudgetsAndAddresses(t *testing.T) {
	t.Parallel()
	r := newRigWith(t, func(c *config.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	acme := r.tenant("Acme", "admin@acme.example")
	globex := r.tenant("Globex", "admin@globex.example")
	from := func(client string) http.Header { return http.Header{"X-Forwarded-For": {client}} }

	if status := r.magicLink("admin@acme.example", from("203.0.113.1")); status != 200 {
		t.Fatalf("status %d", status)
	}
	if ip := r.lastMagicLinkIP(acme.OrgID); ip != "203.0.113.1" {
		t.Fatalf("Acme's audit IP %q, want client A's 203.0.113.1", ip)
	}
	// Client A spends its per-IP budget (20 at once)…
	statuses := []int{}
	for i := range 20 {
		statuses = append(statuses, r.magicLink(fmt.Sprintf("a%d@nowhere.example", i), from("203.0.113.1")))
	}
	if statuses[len(statuses)-1] != http.StatusTooManyRequests {
		t.Fatalf("client A's statuses %v, want its budget spent", statuses)
	}
	// …and client B, behind the same proxy, still has all of its own.
	if status := r.magicLink("admin@globex.example", from("203.0.113.2")); status != 200 {
		t.Fatalf("client B: status %d, want its own budget", status)
	}
	if ip := r.lastMagicLinkIP(globex.OrgID); ip != "203.0.113.2" {
		t.Fatalf("Globex's audit IP %q, want client B's 203.0.113.2", ip)
	}

	// A client that forges a chain starting with a trusted address (or any
	// other) is still recorded as itself: the proxy appended its real one.
	for _, forged := range []string{"127.0.0.1, 203.0.113.3", "10.0.0.1, 127.0.0.1, 203.0.113.3", "203.0.113.99, 203.0.113.3"} {
		req := r.request(http.MethodPost, "/graphql", "application/json",
			`{"query":"mutation { createRole(input: {name: \"R`+fmt.Sprint(len(forged))+`\"}) { role { id } } }"}`)
		req.Header.Set("Authorization", "Bearer "+acme.Key)
		req.Header.Set("X-Forwarded-For", forged)
		if status, _, body := r.send(req); status != 200 || strings.Contains(body, "errors") {
			t.Fatalf("createRole: %d %s", status, body)
		}
		e := r.events(acme.OrgID)
		if last := e[len(e)-1]; last.Action != "CREATED_ROLE" || last.IP.String != "203.0.113.3" {
			t.Fatalf("forged chain %q recorded as %+v, want 203.0.113.3", forged, last.IP)
		}
	}
}

// TestTextTheDatabaseCannotHoldIsRefusedOnEveryInputPath is issue 10 path
// 12: a NUL (or bytes that are not UTF-8) in any input — GraphQL variables,
// literals and GET parameters, SCIM filters, bodies and parameters, the
// OAuth token form and its Basic credentials, the sign-in endpoints' JSON
// and query, the OIDC endpoints' query — is the protocol's 400, never a
// 500, and nothing is written.
func TestTextTheDatabaseCannotHoldIsRefusedOnEveryInputPath(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	acme := r.tenant("Acme", "admin@acme.example")
	scim := r.scimToken(acme.Key, "Okta")
	var created struct {
		CreateScimOAuthClient struct {
			ClientSecret    string
			ScimOAuthClient struct{ ClientID string }
		}
	}
	r.ok(acme.Key, createScimOAuthClient, map[string]any{"name": "Entra"}, &created)
	clientID := created.CreateScimOAuthClient.ScimOAuthClient.ClientID
	r.waitForMail()
	tables := []string{"audit_events", "roles", "scim_users", "scim_groups", "magic_link_requests", "mail_outbox", "magic_links", "sessions", "users"}
	before := map[string]int{}
	for _, table := range tables {
		before[table] = r.count(`SELECT count(*) FROM ` + table)
	}

	scimReq := func(method, path, body string) *http.Request {
		req := r.request(method, "/scim/v2"+path, "application/scim+json", body)
		req.Header.Set("Authorization", "Bearer "+scim.Token)
		return req
	}
	gqlReq := func(method, target, body string) *http.Request {
		req := r.request(method, target, "application/json", body)
		req.Header.Set("Authorization", "Bearer "+acme.Key)
		return req
	}
	form := "application/x-www-form-urlencoded"
	basic := r.request(http.MethodPost, "/oauth/token", form, "grant_type=client_credentials")
	basic.SetBasicAuth("%00", "secret")
	const createRoleWithVar = `mutation($n: String!) { createRole(input: {name: $n}) { role { id } } }`
	gqlVars := func(v any) string {
		raw, _ := json.Marshal(map[string]any{"query": createRoleWithVar, "variables": map[string]any{"n": v}})
		return string(raw)
	}
	userNUL := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a\u0000@acme.example","active":true}`

	for _, tc := range []struct {
		name string
		req  *http.Request
		want string // what the 400 must say: a GraphQL code, a scimType, an OAuth error, or "signin"
	}{
		// The requests of the issue.
		{"SCIM Users filter value", scimReq("GET", "/Users?filter="+url.QueryEscape(`userName eq "x\u0000"`), ""), "invalidFilter"},
		{"SCIM Groups filter value", scimReq("GET", "/Groups?filter="+url.QueryEscape(`displayName eq "\u0000"`), ""), "invalidFilter"},
		{"OAuth client id", r.request("POST", "/oauth/token", form, "grant_type=client_credentials&client_id=%00&client_secret=x"), "invalid_request"},
		// The same rule on every other path.
		{"SCIM filter with a raw NUL", scimReq("GET", "/Users?filter=userName%20eq%20%22%00%22", ""), "invalidFilter"},
		{"SCIM filter not UTF-8", scimReq("GET", "/Users?filter=userName%20eq%20%22%FF%22", ""), "invalidFilter"},
		{"SCIM attributes parameter", scimReq("GET", "/Users?attributes=%00", ""), "invalidValue"},
		{"SCIM user body", scimReq("POST", "/Users", userNUL), "invalidValue"},
		{"SCIM group body", scimReq("POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"\u0000"}`), "invalidValue"},
		{"SCIM body not UTF-8", scimReq("POST", "/Users", "{\"userName\":\"caf\xe9@acme.example\"}"), "invalidValue"},
		{"SCIM PATCH path", scimReq("PATCH", "/Users/00000000-0000-7000-8000-000000000000",
			`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"emails[value eq \"\\u0000\"]"}]}`), "invalid"},
		{"OAuth client id not UTF-8", r.request("POST", "/oauth/token", form, "grant_type=client_credentials&client_id=%FF&client_secret=x"), "invalid_request"},
		{"OAuth client secret", r.request("POST", "/oauth/token", form, "grant_type=client_credentials&client_id="+clientID+"&client_secret=a%00"), "invalid_request"},
		{"OAuth Basic credentials", basic, "invalid_request"},
		{"GraphQL variable", gqlReq("POST", "/graphql", gqlVars("a\u0000")), "BAD_USER_INPUT"},
		{"GraphQL nested variable", gqlReq("POST", "/graphql", `{"query":"query($f: AuditEventFilter) { auditEvents(filter: $f) { edges { cursor } } }","variables":{"f":{"search":"abc\u0000"}}}`), "BAD_USER_INPUT"},
		{"GraphQL literal", gqlReq("POST", "/graphql", `{"query":"mutation { createRole(input: {name: \"a\\u0000\"}) { role { id } } }"}`), "BAD_USER_INPUT"},
		{"GraphQL body not UTF-8", gqlReq("POST", "/graphql", strings.Replace(gqlVars("CAFE"), "CAFE", "caf\xe9", 1)), "BAD_USER_INPUT"},
		{"GraphQL GET", gqlReq("GET", "/graphql?query="+url.QueryEscape(`{ auditEvents(filter: {search: "abc\u0000"}) { edges { cursor } } }`), ""), "BAD_USER_INPUT"},
		{"GraphQL GET parameter", gqlReq("GET", "/graphql?query=%7B%20roles%20%7B%20id%20%7D%20%7D&operationName=%00", ""), "BAD_USER_INPUT"},
		{"sign-in email", r.request("POST", "/auth/magic-link", "application/json", `{"email":"admin\u0000@acme.example"}`), "signin"},
		{"sign-in next", r.request("POST", "/auth/magic-link", "application/json", `{"email":"admin@acme.example","next":"/\u0000"}`), "signin"},
		{"sign-in body not UTF-8", r.request("POST", "/auth/magic-link", "application/json", "{\"email\":\"admin@acme.example\",\"next\":\"/caf\xe9\"}"), "signin"},
		{"magic link token", r.request("GET", "/auth/magic-link/verify?token=%00", "", ""), "signin"},
		{"OIDC callback", r.request("GET", "/auth/oidc/callback?code=%00&state=abc", "", ""), "signin"},
		{"OIDC login next", r.request("GET", "/auth/oidc/00000000-0000-7000-8000-000000000000/login?next=%FF", "", ""), "signin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, header, body := r.send(tc.req)
			// GraphQL answers errors found in a parsed operation with 200, as
			// it does every BAD_USER_INPUT; the others are 400s.
			if status != http.StatusBadRequest && (tc.want != "BAD_USER_INPUT" || status != http.StatusOK) {
				t.Fatalf("status %d, want 400: %s", status, body)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("body is not JSON: %s", body)
			}
			switch tc.want {
			case "BAD_USER_INPUT":
				var res gqlResponse
				_ = json.Unmarshal([]byte(body), &res)
				if res.code() != "BAD_USER_INPUT" {
					t.Fatalf("GraphQL answer %s, want BAD_USER_INPUT", body)
				}
			case "invalidFilter", "invalidValue", "invalid":
				scimType, _ := got["scimType"].(string)
				if header.Get("Content-Type") != "application/scim+json" || !strings.HasPrefix(scimType, tc.want) {
					t.Fatalf("SCIM answer %s, want scimType %s", body, tc.want)
				}
			case "invalid_request":
				if got["error"] != "invalid_request" {
					t.Fatalf("OAuth answer %s, want invalid_request", body)
				}
			case "signin":
				if msg, _ := got["error"].(string); !strings.Contains(msg, "NUL") && !strings.Contains(msg, "UTF-8") {
					t.Fatalf("sign-in answer %s, want the reason", body)
				}
			}
		})
	}
	for _, table := range tables {
		if got := r.count(`SELECT count(*) FROM ` + table); got != before[table] {
			t.Errorf("%s: %d rows, want %d: refused input wrote something", table, got, before[table])
		}
	}
	if r.logsContain(`"level":"ERROR"`) {
		t.Fatalf("refused input was logged as a server error:\n%s", r.log.String())
	}
}
