package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.ListenAddr != ":8080" || c.PublicURL != "http://localhost:8080" || c.DatabaseURL != "" {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

func TestBadValuesAreNamed(t *testing.T) {
	for name, tc := range map[string]struct {
		env  map[string]string
		want string
	}{
		"listen":    {map[string]string{"LISTEN_ADDR": "8080"}, "LISTEN_ADDR"},
		"database":  {map[string]string{"DATABASE_URL": "mysql://x"}, "DATABASE_URL"},
		"read":      {map[string]string{"DATABASE_URL": "postgres://x/db", "DATABASE_READ_URL": "standby:5432"}, "DATABASE_READ_URL"},
		"read only": {map[string]string{"DATABASE_READ_URL": "postgres://standby/db"}, "DATABASE_READ_URL"},
		"public":    {map[string]string{"PUBLIC_URL": "example.com"}, "PUBLIC_URL"},
		"secret":    {map[string]string{"SECRET_KEY": "c2hvcnQ="}, "SECRET_KEY"},
		"smtp":      {map[string]string{"SMTP_URL": "mail.example.com"}, "SMTP_URL"},
		"previous":  {map[string]string{"SECRET_KEY_PREVIOUS": "c2hvcnQ="}, "SECRET_KEY_PREVIOUS"},
		"proxies":   {map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8, proxy.internal"}, "TRUSTED_PROXIES"},
		"prefix":    {map[string]string{"TRUSTED_PROXIES": "10.0.0.0/33"}, "TRUSTED_PROXIES"},
		"signing":   {map[string]string{"AUDIT_SIGNING_KEY": "c2hvcnQ="}, "AUDIT_SIGNING_KEY"},
		"auditprev": {map[string]string{"AUDIT_SIGNING_KEY_PREVIOUS": "example.com+1234+AAAA"}, "AUDIT_SIGNING_KEY_PREVIOUS"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := FromEnv(env(tc.env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("FromEnv(%v) = %v, want an error naming %s", tc.env, err, tc.want)
			}
		})
	}
}

func TestPreviousSecretKeysAreRead(t *testing.T) {
	a, b := strings.Repeat("A", 43)+"=", strings.Repeat("B", 43)+"="
	c, err := FromEnv(env(map[string]string{"SECRET_KEY": a, "SECRET_KEY_PREVIOUS": a + ", " + b}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.PreviousSecretKeys) != 2 || len(c.PreviousSecretKeys[1]) != 32 {
		t.Fatalf("PreviousSecretKeys = %d keys, want 2 of 32 bytes", len(c.PreviousSecretKeys))
	}
}

func TestTrustedProxiesAreReadAsCIDRs(t *testing.T) {
	c, err := FromEnv(env(map[string]string{"TRUSTED_PROXIES": " 10.1.2.3/8 ,192.0.2.7, 2001:db8::/32,::ffff:198.51.100.0/120"}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range c.TrustedProxies {
		got = append(got, p.String())
	}
	if strings.Join(got, " ") != "10.0.0.0/8 192.0.2.7/32 2001:db8::/32 198.51.100.0/24" {
		t.Fatalf("TrustedProxies = %v", got)
	}
	if c, _ := FromEnv(env(nil)); len(c.TrustedProxies) != 0 {
		t.Fatalf("TrustedProxies by default = %v, want none", c.TrustedProxies)
	}
}
