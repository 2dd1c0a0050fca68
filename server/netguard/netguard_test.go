package netguard

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestRefused(t *testing.T) {
	for addr, refused := range map[string]bool{
		"169.254.169.254":        true,
		"::ffff:169.254.169.254": true,
		"fd00:ec2::254":          true,
		"fe80::1":                true,
		"0.0.0.0":                true,
		"::":                     true,
		"224.0.0.1":              true,
		"127.0.0.1":              false, // a self-hosted server's own machine
		"10.1.2.3":               false,
		"192.168.0.10":           false,
		"fd00:ec2::253":          false,
		"203.0.113.7":            false,
		"2001:db8::1":            false,
	} {
		if got := Refused(netip.MustParseAddr(addr)); got != refused {
			t.Errorf("Refused(%s) = %v, want %v", addr, got, refused)
		}
	}
}

// The metadata service is refused before any packet is sent: the dial
// answers at once instead of waiting for its timeout.
func TestDialRefusesTheMetadataService(t *testing.T) {
	_, err := DialContext(time.Minute)(context.Background(), "tcp", "169.254.169.254:80")
	var refused RefusedError
	if !errors.As(err, &refused) {
		t.Fatalf("err = %v, want RefusedError", err)
	}
	if !strings.Contains(err.Error(), "169.254.169.254 are not allowed") {
		t.Errorf("message %q does not say what was refused", err)
	}
}

// A redirect to the metadata service is refused like a direct request, and
// loopback services still answer.
func TestHTTPClientRefusesARedirectToTheMetadataService(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ok" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	}))
	defer srv.Close()
	client := HTTPClient(5 * time.Second)

	resp, err := client.Get(srv.URL + "/ok")
	if err != nil {
		t.Fatalf("loopback request: %v", err)
	}
	resp.Body.Close()

	_, err = client.Get(srv.URL + "/redirect")
	var refused RefusedError
	if !errors.As(err, &refused) {
		t.Fatalf("err = %v, want RefusedError", err)
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("err = %v, want it wrapped in a net.OpError", err)
	}
}

// A literal address is judged as typed, before any connection; a name is
// left to the dial, when it is resolved.
func TestRefusedHostJudgesLiteralAddressesOnly(t *testing.T) {
	for host, refused := range map[string]bool{
		"169.254.169.254":          true,
		"::ffff:169.254.169.254":   true,
		"[fd00:ec2::254]":          true,
		"fe80::1%eth0":             true,
		"0.0.0.0":                  true,
		"127.0.0.1":                false,
		"10.0.0.5":                 false,
		"db.acme.internal":         false,
		"metadata.google.internal": false, // a name: checked once it resolves
	} {
		err := RefusedHost(host)
		var re RefusedError
		if got := errors.As(err, &re); got != refused {
			t.Errorf("RefusedHost(%s) = %v, want refused %v", host, err, refused)
		}
	}
}
