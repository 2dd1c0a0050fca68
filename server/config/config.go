// Package config reads the server's configuration from the environment and
// validates it at start-up, naming the variable at fault.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/orgtrail/orgtrail/server/auditlog/verify"
)

// DefaultAuditTailInterval is how often the live tail looks for new events:
// a quarter of a second keeps an event's way to the screen well under a
// second for one small statement per server.
const DefaultAuditTailInterval = 250 * time.Millisecond

// TailInterval is AuditTailInterval or its default.
func (c Config) TailInterval() time.Duration {
	if c.AuditTailInterval > 0 {
		return c.AuditTailInterval
	}
	return DefaultAuditTailInterval
}

// Config is the server's configuration.
type Config struct {
	// DatabaseURL is empty when the local development cluster should be used.
	DatabaseURL string
	// DatabaseReadURL (DATABASE_READ_URL, optional) is a PostgreSQL
	// streaming standby of DatabaseURL's server: the Audit Log's reads go
	// there (package replica). Empty: every read goes to the primary.
	DatabaseReadURL string
	ListenAddr      string
	PublicURL       string
	// AuditTailInterval is how often the live tail looks for new events
	// (0: DefaultAuditTailInterval); tests and benchmarks set it.
	AuditTailInterval time.Duration
	// SecretKey is 32 random bytes, base64; it encrypts stored secrets.
	SecretKey []byte
	// PreviousSecretKeys (SECRET_KEY_PREVIOUS, comma-separated) still decrypt
	// what older keys encrypted while `orgtrail rotate-secret-key` runs.
	PreviousSecretKeys [][]byte
	// SMTPURL is empty when mail is written to the log.
	SMTPURL string
	// TrustedProxies (TRUSTED_PROXIES, comma-separated CIDRs) are the
	// reverse proxies whose X-Forwarded-For or Forwarded header is believed
	// (see web.ClientIP). Empty: the peer's address is the client's.
	TrustedProxies []netip.Prefix
	// AuditSigningKey (AUDIT_SIGNING_KEY) signs the audit log's checkpoints:
	// a signed-note Ed25519 private key, "PRIVATE+KEY+<name>+<hash>+<base64>"
	// (`orgtrail audit-key generate`). Empty: generated into .data/ for
	// local runs (see the orgtrail command), as SECRET_KEY is.
	AuditSigningKey string
	// AuditPreviousPublicKeys (AUDIT_SIGNING_KEY_PREVIOUS, comma-separated)
	// are the public keys of earlier signing keys, published beside the
	// current one so checkpoints they signed stay verifiable after a
	// rotation (docs/verifiable-log.md).
	AuditPreviousPublicKeys []string
}

// FromEnv reads and validates the configuration. Every problem is reported,
// each naming its variable.
func FromEnv(getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	c := Config{
		DatabaseURL:     strings.TrimSpace(getenv("DATABASE_URL")),
		DatabaseReadURL: strings.TrimSpace(getenv("DATABASE_READ_URL")),
		ListenAddr:      strings.TrimSpace(getenv("LISTEN_ADDR")),
		PublicURL:       strings.TrimRight(strings.TrimSpace(getenv("PUBLIC_URL")), "/"),
		SMTPURL:         strings.TrimSpace(getenv("SMTP_URL")),
	}
	var errs []error
	if c.ListenAddr == "" {
		c.ListenAddr = ":8080"
	}
	if _, port, err := net.SplitHostPort(c.ListenAddr); err != nil || port == "" {
		errs = append(errs, fmt.Errorf("LISTEN_ADDR %q is not host:port (e.g. :8080)", c.ListenAddr))
	}
	if c.DatabaseURL != "" {
		if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			errs = append(errs, errors.New("DATABASE_URL must be a postgres:// URL"))
		}
	}
	if c.DatabaseReadURL != "" {
		if u, err := url.Parse(c.DatabaseReadURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			errs = append(errs, errors.New("DATABASE_READ_URL must be a postgres:// URL"))
		} else if c.DatabaseURL == "" {
			errs = append(errs, errors.New("DATABASE_READ_URL needs DATABASE_URL: the local development cluster has no standby"))
		}
	}
	if c.PublicURL == "" {
		_, port, _ := net.SplitHostPort(c.ListenAddr)
		c.PublicURL = "http://localhost:" + port
	} else if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("PUBLIC_URL %q must be an absolute http(s) URL", c.PublicURL))
	}
	if key := strings.TrimSpace(getenv("SECRET_KEY")); key != "" {
		raw, err := base64.StdEncoding.DecodeString(key)
		if err != nil || len(raw) != 32 {
			errs = append(errs, errors.New("SECRET_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)"))
		}
		c.SecretKey = raw
	}
	if prev := strings.TrimSpace(getenv("SECRET_KEY_PREVIOUS")); prev != "" {
		for _, key := range strings.Split(prev, ",") {
			raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(key))
			if err != nil || len(raw) != 32 {
				errs = append(errs, errors.New("SECRET_KEY_PREVIOUS must be 32-byte keys, base64-encoded, separated by commas"))
				break
			}
			c.PreviousSecretKeys = append(c.PreviousSecretKeys, raw)
		}
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			errs = append(errs, errors.New("SMTP_URL must look like smtp://user:password@host:587"))
		}
	}
	if key := strings.TrimSpace(getenv("AUDIT_SIGNING_KEY")); key != "" {
		if _, err := verify.PublicKeyOf(key); err != nil {
			errs = append(errs, errors.New("AUDIT_SIGNING_KEY must be a signed-note Ed25519 private key (PRIVATE+KEY+<name>+<hash>+<base64>; orgtrail audit-key generate makes one)"))
		}
		c.AuditSigningKey = key
	}
	if prev := strings.TrimSpace(getenv("AUDIT_SIGNING_KEY_PREVIOUS")); prev != "" {
		for _, key := range strings.Split(prev, ",") {
			key = strings.TrimSpace(key)
			if _, err := note.NewVerifier(key); err != nil {
				errs = append(errs, errors.New("AUDIT_SIGNING_KEY_PREVIOUS must be public keys (<name>+<hash>+<base64>), separated by commas"))
				break
			}
			c.AuditPreviousPublicKeys = append(c.AuditPreviousPublicKeys, key)
		}
	}
	proxies, err := parseTrustedProxies(getenv("TRUSTED_PROXIES"))
	if err != nil {
		errs = append(errs, err)
	}
	c.TrustedProxies = proxies
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("configuration: %w", errors.Join(errs...))
	}
	return c, nil
}

// parseTrustedProxies reads comma-separated CIDRs; a bare address stands for
// itself alone.
func parseTrustedProxies(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			addr, aerr := netip.ParseAddr(item)
			if aerr != nil || addr.Zone() != "" {
				return nil, fmt.Errorf("TRUSTED_PROXIES: %q is not a CIDR (e.g. 10.0.0.0/8,2001:db8::/32)", item)
			}
			p = netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen())
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
