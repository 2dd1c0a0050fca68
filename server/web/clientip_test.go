package web

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClientIPBelievesOnlyTrustedProxies(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	for _, tc := range []struct {
		name, peer string
		trusted    []netip.Prefix
		xff        []string
		forwarded  []string
		want       string
	}{
		{name: "no proxy configured: the peer, whatever the header", peer: "192.0.2.9:1234", xff: []string{"203.0.113.7"}, want: "192.0.2.9"},
		{name: "an untrusted peer's header is ignored", peer: "192.0.2.9:1234", trusted: proxies, xff: []string{"203.0.113.7"}, want: "192.0.2.9"},
		{name: "behind one proxy", peer: "10.0.0.2:5555", trusted: proxies, xff: []string{"203.0.113.7"}, want: "203.0.113.7"},
		{name: "behind two proxies", peer: "10.0.0.2:5555", trusted: proxies, xff: []string{"203.0.113.7, 10.0.0.3"}, want: "203.0.113.7"},
		{name: "a forged left part is ignored", peer: "10.0.0.2:5555", trusted: proxies, xff: []string{"198.51.100.1, 203.0.113.7"}, want: "203.0.113.7"},
		{name: "a forged trusted address first cannot be chosen", peer: "10.0.0.2:5555", trusted: proxies, xff: []string{"10.9.9.9, 203.0.113.7"}, want: "203.0.113.7"},
		{name: "several header lines read as one list", peer: "10.0.0.2:5555", trusted: proxies, xff: []string{"198.51.100.1", "203.0.113.7, 10.0.0.3"}, want: "203.0.113.7"},
		{name: "a port is dropped", peer: "10.0.0.2:5555", trusted: proxies, xff: []string{"203.0.113.7:4711"}, want: "203.0.113.7"},
		{name: "IPv6 behind an IPv6 proxy", peer: "[fd00::1]:443", trusted: proxies, xff: []string{"[2001:db8::7]:4711"}, want: "2001:db8::7"},
		{name: "garbage ends the walk at the last known hop", peer: "10.0.0.2:5555", trusted: proxies, xff: []string{"203.0.113.7, bogus, 10.0.0.3"}, want: "10.0.0.3"},
		{name: "every hop trusted: the leftmost", peer: "10.0.0.2:5555", trusted: proxies, xff: []string{"10.0.0.5, 10.0.0.3"}, want: "10.0.0.5"},
		{name: "no header from a trusted proxy: the proxy", peer: "10.0.0.2:5555", trusted: proxies, want: "10.0.0.2"},
		{name: "Forwarded when X-Forwarded-For is absent", peer: "10.0.0.2:5555", trusted: proxies,
			forwarded: []string{`for=198.51.100.1;proto=https, for="[2001:db8:cafe::17]:4711";by=10.0.0.2`}, want: "2001:db8:cafe::17"},
		{name: "Forwarded: an obfuscated hop ends the walk", peer: "10.0.0.2:5555", trusted: proxies,
			forwarded: []string{`for=_hidden, for=10.0.0.3`}, want: "10.0.0.3"},
		{name: "IPv4-mapped peer", peer: "[::ffff:10.0.0.2]:5555", trusted: proxies, xff: []string{"::ffff:203.0.113.7"}, want: "203.0.113.7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.peer
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			for _, v := range tc.forwarded {
				r.Header.Add("Forwarded", v)
			}
			if got := ClientIP(r, tc.trusted); got != tc.want {
				t.Fatalf("ClientIP = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestUserAgentIsStorableText: audit events store the User-Agent, so it is
// cut between characters and holds only UTF-8 (a header may carry any byte).
func TestUserAgentIsStorableText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"curl/8.5", "curl/8.5"},
		{"caf\xe9/1.0", "caf\uFFFD/1.0"},
		{strings.Repeat("a", 511) + "é", strings.Repeat("a", 511)},
		{strings.Repeat("a", 600), strings.Repeat("a", 512)},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("User-Agent", tc.in)
		if got := userAgent(r); got != tc.want || !utf8.ValidString(got) {
			t.Errorf("userAgent(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
