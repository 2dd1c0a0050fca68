package connectors

import (
	"crypto/x509"
	"database/sql/driver"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/netguard"
)

// Type is a kind of data source. Its value is the GraphQL enum name.
type Type string

// The connector types.
const (
	PostgreSQL Type = "POSTGRESQL"
	MySQL      Type = "MYSQL"
	Snowflake  Type = "SNOWFLAKE"
	BigQuery   Type = "BIGQUERY"
	AmazonS3   Type = "AMAZON_S3"
	HTTPSAPI   Type = "HTTPS_API"
)

// FieldKind says how a field's value is checked and entered.
type FieldKind string

// The field kinds. Secret and JSON are credential kinds: their values are
// sealed and never shown.
const (
	KindString  FieldKind = "STRING"
	KindHost    FieldKind = "HOST"
	KindPort    FieldKind = "PORT"
	KindURL     FieldKind = "URL"
	KindBoolean FieldKind = "BOOLEAN"
	KindEnum    FieldKind = "ENUM"
	KindSecret  FieldKind = "SECRET"
	KindJSON    FieldKind = "JSON"
	// KindCertificate is one or more PEM certificates: a CA to trust for a
	// receiver whose certificate no public CA signed, or a client
	// certificate. Not a secret.
	KindCertificate FieldKind = "CERTIFICATE"
)

// Field is one configuration or credential field of a connector type.
type Field struct {
	Name        string
	Label       string
	Description string
	Kind        FieldKind
	Required    bool
	// Default is used when the field is not given (nil: none).
	Default any
	// Options are the values an Enum field takes.
	Options []string
	// Destination marks a configuration field that decides where the
	// credentials are sent, or who receives them as what (host, port,
	// account, user, TLS mode, URL...). Changing one clears the stored
	// credentials unless the same update gives new ones: a credential is
	// bound to the destination it was entered for (Service.Update).
	Destination bool
	// pattern further restricts a String field; patternHint says how.
	pattern     *regexp.Regexp
	patternHint string
}

// TypeInfo describes a connector type: its configuration and credential
// fields, and whether testConnector can really connect to it.
type TypeInfo struct {
	Type        Type
	Label       string
	Config      []Field
	Credentials []Field
	Testable    bool
}

const (
	maxStringRunes  = 255
	maxSecretBytes  = 16 << 10
	maxJSONBytes    = 64 << 10
	maxPEMBytes     = 64 << 10
	maxHostnameSize = 253
)

var (
	hostnamePattern = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$`)
	identifier      = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_$]{0,254}$`)
)

func str(name, label string, required bool, desc string) Field {
	return Field{Name: name, Label: label, Kind: KindString, Required: required, Description: desc}
}

func (f Field) matching(pattern *regexp.Regexp, hint string) Field {
	f.pattern, f.patternHint = pattern, hint
	return f
}

// WithPattern returns f, a String field, restricted to values matching
// pattern; hint says how, in an error ("letters and digits").
func WithPattern(f Field, pattern *regexp.Regexp, hint string) Field {
	return f.matching(pattern, hint)
}

// Destined returns f marked as deciding where credentials go, or not.
func Destined(f Field, destination bool) Field {
	f.Destination = destination
	return f
}

func (f Field) destination() Field {
	f.Destination = true
	return f
}

func secret(name, label string, required bool, desc string) Field {
	return Field{Name: name, Label: label, Kind: KindSecret, Required: required, Description: desc}
}

var catalog = []TypeInfo{
	{Type: PostgreSQL, Label: "PostgreSQL", Testable: true, Config: []Field{
		{Name: "host", Label: "Host", Kind: KindHost, Required: true, Description: "Hostname or IP address of the server", Destination: true},
		{Name: "port", Label: "Port", Kind: KindPort, Default: 5432, Destination: true},
		str("database", "Database", true, "Database to connect to").destination(),
		str("username", "Username", true, "").destination(),
		{Name: "sslMode", Label: "SSL mode", Kind: KindEnum, Default: "require", Destination: true,
			Options: []string{"disable", "prefer", "require", "verify-ca", "verify-full"}},
	}, Credentials: []Field{
		secret("password", "Password", false, ""),
	}},
	{Type: MySQL, Label: "MySQL", Config: []Field{
		{Name: "host", Label: "Host", Kind: KindHost, Required: true, Description: "Hostname or IP address of the server", Destination: true},
		{Name: "port", Label: "Port", Kind: KindPort, Default: 3306, Destination: true},
		str("database", "Database", true, "Database to connect to").destination(),
		str("username", "Username", true, "").destination(),
		{Name: "tlsMode", Label: "TLS mode", Kind: KindEnum, Default: "required", Destination: true,
			Options: []string{"disabled", "preferred", "required", "verify-ca", "verify-identity"}},
	}, Credentials: []Field{
		secret("password", "Password", false, ""),
	}},
	{Type: Snowflake, Label: "Snowflake", Config: []Field{
		str("account", "Account identifier", true, "For example myorg-account1").
			matching(regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$`), "letters, digits, '_', '-' and '.'").destination(),
		str("warehouse", "Warehouse", true, "").matching(identifier, "a Snowflake identifier"),
		str("database", "Database", true, "").matching(identifier, "a Snowflake identifier"),
		str("schema", "Schema", false, "").matching(identifier, "a Snowflake identifier"),
		str("role", "Role", false, "").matching(identifier, "a Snowflake identifier"),
		str("username", "Username", true, "").destination(),
	}, Credentials: []Field{
		secret("password", "Password", true, ""),
	}},
	{Type: BigQuery, Label: "BigQuery", Config: []Field{
		str("projectId", "Project ID", true, "").
			matching(regexp.MustCompile(`^[a-z][a-z0-9-]{4,28}[a-z0-9]$`), "6 to 30 lowercase letters, digits and '-', starting with a letter").
			destination(),
		str("dataset", "Dataset", false, "").
			matching(regexp.MustCompile(`^[A-Za-z0-9_]{1,255}$`), "letters, digits and '_'"),
		str("location", "Location", false, "For example US or europe-west1").
			matching(regexp.MustCompile(`^[A-Za-z0-9-]{2,64}$`), "a BigQuery location such as US or europe-west1"),
	}, Credentials: []Field{
		{Name: "serviceAccountKey", Label: "Service account key (JSON)", Kind: KindJSON, Required: true},
	}},
	// The prefix is not a destination: it narrows which objects of the same
	// bucket, at the same endpoint, are read, so the credentials go where
	// they went and grant what they granted.
	{Type: AmazonS3, Label: "Amazon S3", Config: []Field{
		str("bucket", "Bucket", true, "").
			matching(regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`), "3 to 63 lowercase letters, digits, '.' and '-'").destination(),
		str("region", "Region", true, "For example eu-west-1").
			matching(regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`), "an AWS region such as eu-west-1").destination(),
		str("prefix", "Key prefix", false, "Only objects under this prefix"),
		{Name: "endpoint", Label: "Endpoint URL", Kind: KindURL, Description: "For S3-compatible storage; empty for AWS", Destination: true},
	}, Credentials: []Field{
		secret("accessKeyId", "Access key ID", true, ""),
		secret("secretAccessKey", "Secret access key", true, ""),
	}},
	{Type: HTTPSAPI, Label: "HTTPS API", Config: []Field{
		{Name: "baseUrl", Label: "Base URL", Kind: KindURL, Required: true, Description: "https:// URL requests are made under", Destination: true},
		str("authHeader", "Authentication header", false, "Header that carries the token").
			matching(regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`), "an HTTP header name").destination(),
	}, Credentials: []Field{
		secret("token", "Token", false, "Sent as the authentication header's value"),
	}},
}

// Types returns every connector type, in display order.
func Types() []TypeInfo { return catalog }

// Info returns the description of t.
func (t Type) Info() (TypeInfo, bool) {
	i := slices.IndexFunc(catalog, func(ti TypeInfo) bool { return ti.Type == t })
	if i < 0 {
		return TypeInfo{}, false
	}
	return catalog[i], true
}

// Config is a connector's validated, non-secret configuration.
type Config map[string]any

// NormalizeConfig validates in against the type's configuration fields and
// returns it with defaults applied and values in canonical form (ports as
// integers, hosts lower case). Absent or null optional fields are left out.
func (ti TypeInfo) NormalizeConfig(in map[string]any) (Config, error) {
	for name := range in {
		if !slices.ContainsFunc(ti.Config, func(f Field) bool { return f.Name == name }) {
			return nil, apperr.Invalid("config", "%s connectors have no config field %q", ti.Label, clip(name))
		}
	}
	out := Config{}
	for _, f := range ti.Config {
		v, err := f.normalize(in[f.Name], "config")
		if err != nil {
			return nil, err
		}
		if v == nil {
			v = f.Default
		}
		if v == nil {
			if f.Required {
				return nil, apperr.Invalid("config."+f.Name, "%s is required", f.Name)
			}
			continue
		}
		out[f.Name] = v
	}
	return out, nil
}

// NormalizeCredentials validates in against the type's credential fields.
// Absent, null or empty fields are left out. Errors never quote a value.
func (ti TypeInfo) NormalizeCredentials(in map[string]any) (map[string]string, error) {
	for name := range in {
		if !slices.ContainsFunc(ti.Credentials, func(f Field) bool { return f.Name == name }) {
			return nil, apperr.Invalid("credentials", "%s connectors have no credential field %q", ti.Label, clip(name))
		}
	}
	out := map[string]string{}
	for _, f := range ti.Credentials {
		v, err := f.normalize(in[f.Name], "credentials")
		if err != nil {
			return nil, err
		}
		if v == nil {
			if f.Required {
				return nil, apperr.Invalid("credentials."+f.Name, "%s is required", f.Name)
			}
			continue
		}
		out[f.Name] = v.(string)
	}
	return out, nil
}

// normalize checks one value; nil (or an empty string) means absent.
func (f Field) normalize(v any, group string) (any, error) {
	field := group + "." + f.Name
	if v == nil {
		return nil, nil
	}
	if s, ok := v.(string); ok && strings.TrimSpace(s) == "" {
		return nil, nil
	}
	switch f.Kind {
	case KindString:
		s, ok := v.(string)
		if !ok {
			return nil, apperr.Invalid(field, "%s must be a string", f.Name)
		}
		s = strings.TrimSpace(s)
		if utf8.RuneCountInString(s) > maxStringRunes || strings.IndexFunc(s, unicode.IsControl) >= 0 {
			return nil, apperr.Invalid(field, "%s must be at most %d printable characters", f.Name, maxStringRunes)
		}
		if f.pattern != nil && !f.pattern.MatchString(s) {
			return nil, apperr.Invalid(field, "%s must be %s", f.Name, f.patternHint)
		}
		return s, nil
	case KindHost:
		s, ok := v.(string)
		if !ok || !validHost(strings.TrimSpace(s)) {
			return nil, apperr.Invalid(field, "%s must be a hostname or an IP address, without scheme or port", f.Name)
		}
		host := strings.ToLower(strings.TrimSpace(s))
		return host, allowedHost(field, f.Name, host)
	case KindPort:
		n, ok := integer(v)
		if !ok || n < 1 || n > 65535 {
			return nil, apperr.Invalid(field, "%s must be a port number from 1 to 65535", f.Name)
		}
		return n, nil
	case KindURL:
		s, ok := v.(string)
		if !ok {
			return nil, apperr.Invalid(field, "%s must be a URL", f.Name)
		}
		return validHTTPSURL(field, f.Name, strings.TrimSpace(s))
	case KindBoolean:
		b, ok := v.(bool)
		if !ok {
			return nil, apperr.Invalid(field, "%s must be true or false", f.Name)
		}
		return b, nil
	case KindEnum:
		s, ok := v.(string)
		if !ok || !slices.Contains(f.Options, s) {
			return nil, apperr.Invalid(field, "%s must be one of %s", f.Name, strings.Join(f.Options, ", "))
		}
		return s, nil
	case KindSecret:
		s, ok := v.(string)
		if !ok || len(s) > maxSecretBytes {
			return nil, apperr.Invalid(field, "%s must be a string of at most %d KiB", f.Name, maxSecretBytes>>10)
		}
		return s, nil
	case KindJSON:
		var s string
		switch doc := v.(type) {
		case string:
			s = doc
		case map[string]any:
			b, err := json.Marshal(doc)
			if err != nil {
				return nil, apperr.Invalid(field, "%s must be a JSON object", f.Name)
			}
			s = string(b)
		}
		var obj map[string]any
		if len(s) > maxJSONBytes || json.Unmarshal([]byte(s), &obj) != nil || obj == nil {
			return nil, apperr.Invalid(field, "%s must be a JSON object of at most %d KiB", f.Name, maxJSONBytes>>10)
		}
		return s, nil
	case KindCertificate:
		s, ok := v.(string)
		if !ok || len(s) > maxPEMBytes || !validCertificates(s) {
			return nil, apperr.Invalid(field, "%s must be one or more PEM certificates (-----BEGIN CERTIFICATE-----) of at most %d KiB in all",
				f.Name, maxPEMBytes>>10)
		}
		return strings.TrimSpace(s), nil
	}
	return nil, fmt.Errorf("connectors: field %s has unknown kind %s", f.Name, f.Kind)
}

// validCertificates reports whether s holds one or more PEM certificates
// and nothing else.
func validCertificates(s string) bool {
	rest := []byte(strings.TrimSpace(s))
	n := 0
	for len(rest) > 0 {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil || block.Type != "CERTIFICATE" {
			return false
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			return false
		}
		n++
		rest = []byte(strings.TrimSpace(string(rest)))
	}
	return n > 0
}

func validHost(s string) bool {
	if ip := net.ParseIP(s); ip != nil {
		return true
	}
	return len(s) <= maxHostnameSize && hostnamePattern.MatchString(s)
}

// allowedHost applies, when a connector or a log stream is saved, the network rule the
// server dials by (package netguard) to a host given as a literal address:
// the cloud metadata service and its kind are refused at once, with the
// reason, rather than accepted and refused only when tested. A name is
// checked each time it is resolved and dialled.
func allowedHost(field, name, host string) error {
	if netguard.RefusedHost(host) != nil {
		return apperr.Invalid(field, "%s %s is an address Orgtrail never connects to (link-local, such as the cloud "+
			"metadata service, multicast or unspecified): enter the address of the service itself", name, host)
	}
	return nil
}

// validHTTPSURL accepts an absolute https URL without credentials: those
// belong in the credentials, which are sealed, not in the configuration.
func validHTTPSURL(field, name, s string) (string, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Scheme != "https" || u.Host == "" || u.Opaque != "":
		return "", apperr.Invalid(field, "%s must be an absolute https:// URL", name)
	case u.User != nil:
		return "", apperr.Invalid(field, "%s must not contain a user name or password: put credentials in the credential fields", name)
	case u.Fragment != "" || u.RawQuery != "":
		return "", apperr.Invalid(field, "%s must not have a query or fragment", name)
	case !validHost(u.Hostname()):
		return "", apperr.Invalid(field, "%s has an invalid host", name)
	}
	if err := allowedHost(field, name, u.Hostname()); err != nil {
		return "", err
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", apperr.Invalid(field, "%s has an invalid port", name)
		}
	}
	return u.String(), nil
}

// integer reads a whole number from what JSON decoding gives.
func integer(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), n >= math.MinInt32 && n <= math.MaxInt32
	case float64:
		return int(n), n == math.Trunc(n) && math.Abs(n) < math.MaxInt32
	case json.Number:
		i, err := n.Int64()
		return int(i), err == nil && i >= math.MinInt32 && i <= math.MaxInt32
	case string:
		i, err := strconv.Atoi(strings.TrimSpace(n))
		return i, err == nil
	}
	return 0, false
}

// clip shortens a field name quoted back in an error.
func clip(s string) string {
	if utf8.RuneCountInString(s) > 64 {
		return string([]rune(s)[:64]) + "…"
	}
	return s
}

// Value implements driver.Valuer: a Config is stored as a JSON object.
func (c Config) Value() (driver.Value, error) {
	if c == nil {
		return "{}", nil
	}
	b, err := json.Marshal(map[string]any(c))
	return string(b), err
}

// Scan implements sql.Scanner for a jsonb column.
func (c *Config) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case []byte:
		b = v
	case string:
		b = []byte(v)
	case nil:
		*c = Config{}
		return nil
	default:
		return fmt.Errorf("connectors: cannot scan %T into Config", src)
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*c = m
	return nil
}
