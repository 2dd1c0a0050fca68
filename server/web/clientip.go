package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ClientIP is the address of the client a request comes from: the one the
// sign-in rate limits count and audit events record (requestContext puts it
// in audit.Request for both), so they can never disagree.
//
// Without trusted proxies it is the peer's address, whatever the headers
// say. When the peer is a trusted proxy, its forwarding header is read from
// the right, where each proxy appended the address it received the request
// from, skipping addresses that are themselves trusted proxies: the first
// one that is not is the client. What lies to its left was written by the
// client and is never believed, so a forged header can neither choose the
// address nor put a trusted one first. An entry that is not an address
// (obfuscated, "unknown", garbage) ends the walk at the last hop known.
//
// X-Forwarded-For is read when present, else Forwarded (RFC 7239). A proxy
// that writes only Forwarded must drop a client's X-Forwarded-For, as every
// common proxy can.
func ClientIP(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return ""
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return ""
	}
	client := peer.Unmap().WithZone("")
	if !isTrusted(client, trusted) {
		return client.String()
	}
	hops := forwardedFor(r.Header)
	for i := len(hops) - 1; i >= 0; i-- {
		addr, ok := parseHop(hops[i])
		if !ok {
			break
		}
		client = addr
		if !isTrusted(addr, trusted) {
			break
		}
	}
	return client.String()
}

func isTrusted(addr netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// forwardedFor lists the addresses of the forwarding header, left to right,
// as written (every line of the header, in order).
func forwardedFor(h http.Header) []string {
	if xff := h.Values("X-Forwarded-For"); len(xff) > 0 {
		var hops []string
		for _, line := range xff {
			for _, hop := range strings.Split(line, ",") {
				hops = append(hops, strings.TrimSpace(hop))
			}
		}
		return hops
	}
	var hops []string
	for _, line := range h.Values("Forwarded") {
		for _, element := range strings.Split(line, ",") {
			hop := "" // an element without for= is not an address
			for _, pair := range strings.Split(element, ";") {
				name, value, _ := strings.Cut(strings.TrimSpace(pair), "=")
				if strings.EqualFold(name, "for") {
					hop = strings.Trim(value, `"`)
				}
			}
			hops = append(hops, hop)
		}
	}
	return hops
}

// parseHop reads "192.0.2.1", "192.0.2.1:4711", "2001:db8::1" or
// "[2001:db8::1]:4711".
func parseHop(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	addr, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
	if err != nil {
		return netip.Addr{}, false
	}
	return addr.Unmap().WithZone(""), true
}
