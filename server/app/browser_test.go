package app

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"
)

// browser is a cookie-keeping client that stops at redirects, like a person
// following links, with the SPA's CSRF header on its POSTs.
type browser struct {
	r      *rig
	client *http.Client
}

func (r *rig) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{r: r, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// post sends JSON to path from this site and returns the status and body.
func (b *browser) post(path string, body any, csrf bool) (int, string) {
	b.r.t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, b.r.srv.URL+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", b.r.srv.URL)
	if csrf {
		req.Header.Set("X-Orgtrail-CSRF", "1")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.r.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// get follows one link and returns the response (body closed) .
func (b *browser) get(link string) *http.Response {
	b.r.t.Helper()
	resp, err := b.client.Get(link)
	if err != nil {
		b.r.t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// gql runs a GraphQL request with the session cookie.
func (b *browser) gql(query string, vars map[string]any) gqlResponse {
	b.r.t.Helper()
	status, body := b.post("/graphql", map[string]any{"query": query, "variables": vars}, true)
	var out gqlResponse
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		b.r.t.Fatalf("GraphQL response %d is not JSON: %s", status, body)
	}
	out.Status = status
	return out
}

// signIn asks for a magic link for email, follows it from the log and
// returns where it landed.
func (b *browser) signIn(email string) *http.Response {
	b.r.t.Helper()
	if status, body := b.post("/auth/magic-link", map[string]string{"email": email}, false); status != 200 {
		b.r.t.Fatalf("magic link request: %d %s", status, body)
	}
	link := b.r.mailedLink(email)
	if link == "" {
		b.r.t.Fatalf("no sign-in link was mailed to %s", email)
	}
	return b.get(rebase(link, b.r.srv.URL))
}

// mailedLink returns the last link mailed to email (mail goes to the log
// when SMTP_URL is unset), once the mail asked for so far has gone out.
func (r *rig) mailedLink(email string) string {
	r.waitForMail()
	var link string
	sc := bufio.NewScanner(strings.NewReader(r.log.String()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line struct{ Msg, To, URL string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && strings.HasPrefix(line.Msg, "mail") && line.To == email {
			link = line.URL
		}
	}
	return link
}

// waitForMail waits until the background workers have answered every
// magic-link request and sent every queued message: a message leaves the
// queue only after it was sent (written to the log).
func (r *rig) waitForMail() {
	r.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for r.count(`SELECT (SELECT count(*) FROM magic_link_requests) + (SELECT count(*) FROM mail_outbox)`) > 0 {
		if time.Now().After(deadline) {
			r.t.Fatalf("mail still queued after a minute; server log:\n%s", r.log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// rebase points a link built on the public URL at the test server.
func rebase(link, base string) string {
	u, _ := url.Parse(link)
	b, _ := url.Parse(base)
	u.Scheme, u.Host = b.Scheme, b.Host
	return u.String()
}

func mustLocation(t *testing.T, resp *http.Response, want string) {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Fatalf("got %d → %q, want 303 → %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
}

// mailedLinkWith returns the last link mailed to email whose path has prefix.
func (r *rig) mailedLinkWith(email, prefix string) string {
	r.waitForMail()
	var link string
	sc := bufio.NewScanner(strings.NewReader(r.log.String()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line struct{ Msg, To, URL string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.To == email {
			if u, err := url.Parse(line.URL); err == nil && strings.HasPrefix(u.Path, prefix) {
				link = line.URL
			}
		}
	}
	return link
}

func tokenFrom(link string) string {
	u, _ := url.Parse(link)
	return u.Query().Get("token")
}

func mustURL(s string) *url.URL {
	u, _ := url.Parse(s)
	return u
}

func mustJSON(t *testing.T, raw []byte, dst any) {
	t.Helper()
	if err := json.Unmarshal(raw, dst); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
}
