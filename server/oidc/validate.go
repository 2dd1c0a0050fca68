package oidc

import (
	"net"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/orgtrail/orgtrail/server/apperr"
)

// DefaultScopes are asked for when a provider names none.
var DefaultScopes = []string{"openid", "email", "profile"}

const (
	maxScopes       = 20
	maxSecretLength = 1024
)

// validIssuer accepts an absolute https URL without query, fragment or
// credentials, exactly as the provider names itself (go-oidc compares it with
// the discovery document's issuer byte for byte). Plain http is accepted for
// loopback hosts only, for providers run on the same machine in development.
func validIssuer(s string) (string, error) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || s == "" || len(s) > 2048 || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" ||
		strings.HasSuffix(s, "?") || strings.HasSuffix(s, "#") {
		return "", apperr.Invalid("issuer", "issuer must be the provider's absolute URL, like https://accounts.example.com")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	default:
		return "", apperr.Invalid("issuer", "issuer must be an https:// URL (plain http only for localhost)")
	}
	return s, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func validClientID(s string) (string, error) {
	s = strings.TrimSpace(s)
	if n := len(s); n == 0 || n > 512 || strings.ContainsFunc(s, unicode.IsControl) {
		return "", apperr.Invalid("clientId", "client id must be 1 to 512 printable characters")
	}
	return s, nil
}

// validClientSecret trims a pasted secret; the message never repeats it.
func validClientSecret(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > maxSecretLength || strings.ContainsFunc(s, unicode.IsControl) {
		return "", apperr.Invalid("clientSecret", "client secret must be at most %d printable characters", maxSecretLength)
	}
	return s, nil
}

// validScopes checks scope tokens (RFC 6749 §3.3), drops duplicates and puts
// openid first, adding it when missing: without it there is no ID token.
func validScopes(scopes []string) ([]string, error) {
	if len(scopes) == 0 {
		return slices.Clone(DefaultScopes), nil
	}
	out := []string{"openid"}
	for _, sc := range scopes {
		sc = strings.TrimSpace(sc)
		if sc == "" || len(sc) > 100 || strings.ContainsFunc(sc, func(r rune) bool {
			return r < 0x21 || r == 0x22 || r == 0x5c || r > 0x7e
		}) {
			return nil, apperr.Invalid("scopes", "%q is not a valid OAuth scope", sc)
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	if len(out) > maxScopes {
		return nil, apperr.Invalid("scopes", "at most %d scopes", maxScopes)
	}
	return out, nil
}
