// Package netguard keeps the connections the server opens on an admin's
// behalf (testing a connector, fetching an identity provider's discovery
// document and keys) away from addresses that are never a customer's
// service. The cloud metadata service above all (169.254.169.254,
// fd00:ec2::254) hands out the machine's own credentials to whoever asks from
// inside it. Addresses are checked when dialled, after name resolution, so a
// hostname that resolves to one is refused too. Loopback and private ranges
// stay allowed: a self-hosted server's databases and identity provider
// usually live there.
package netguard

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

var refusedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("169.254.0.0/16"),    // IPv4 link-local, cloud metadata
	netip.MustParsePrefix("fe80::/10"),         // IPv6 link-local
	netip.MustParsePrefix("fd00:ec2::254/128"), // AWS metadata over IPv6
	netip.MustParsePrefix("0.0.0.0/8"),         // "this network"
	netip.MustParsePrefix("224.0.0.0/4"),       // IPv4 multicast
	netip.MustParsePrefix("ff00::/8"),          // IPv6 multicast
	netip.MustParsePrefix("::/128"),            // unspecified
}

// RefusedError is the error of a refused dial; its message is meant for
// the admin who chose the address.
type RefusedError struct{ Addr netip.Addr }

func (e RefusedError) Error() string {
	return fmt.Sprintf("connections to %s are not allowed (link-local, metadata service, multicast or unspecified address)", e.Addr)
}

// Refused reports whether the server may not connect to addr on an admin's
// behalf.
func Refused(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range refusedPrefixes {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// RefusedHost returns a RefusedError when host, as an admin typed it, is a
// literal IP address the server may not connect to, so that it is refused
// when saved rather than only when dialled. A name is checked when it is
// resolved and dialled (Dialer): what it resolves to may change.
func RefusedHost(host string) error {
	addr, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	if err != nil {
		return nil // a name
	}
	if Refused(addr.WithZone("")) {
		return RefusedError{addr.WithZone("").Unmap()}
	}
	return nil
}

// Dialer returns a net.Dialer that refuses those addresses.
func Dialer(timeout time.Duration) *net.Dialer {
	return &net.Dialer{
		Timeout: timeout,
		Control: func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("unexpected address %q: %w", address, err)
			}
			if Refused(ap.Addr()) {
				return RefusedError{ap.Addr().Unmap()}
			}
			return nil
		},
	}
}

// DialContext is Dialer(timeout).DialContext, the shape pgx's DialFunc takes.
func DialContext(timeout time.Duration) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return Dialer(timeout).DialContext
}

// HTTPClient returns an HTTP client with timeout whose connections refuse
// those addresses, redirects included (every connection dials through it).
func HTTPClient(timeout time.Duration) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DialContext = Dialer(timeout).DialContext
	return &http.Client{Timeout: timeout, Transport: transport}
}
