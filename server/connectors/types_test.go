package connectors

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/orgtrail/orgtrail/server/apperr"
)

func info(t *testing.T, typ Type) TypeInfo {
	t.Helper()
	ti, ok := typ.Info()
	if !ok {
		t.Fatalf("no type %s", typ)
	}
	return ti
}

func TestEveryTypeIsDescribed(t *testing.T) {
	want := []Type{PostgreSQL, MySQL, Snowflake, BigQuery, AmazonS3, HTTPSAPI}
	if len(Types()) != len(want) {
		t.Fatalf("%d types, want %d", len(Types()), len(want))
	}
	for _, typ := range want {
		ti := info(t, typ)
		if ti.Label == "" || len(ti.Config) == 0 || len(ti.Credentials) == 0 {
			t.Errorf("%s is not fully described: %+v", typ, ti)
		}
		seen := map[string]bool{"name": true} // "name" is the connector's own field in update events
		for _, f := range append(append([]Field{}, ti.Config...), ti.Credentials...) {
			if seen[f.Name] {
				t.Errorf("%s: field name %q is used twice", typ, f.Name)
			}
			seen[f.Name] = true
		}
		for _, f := range ti.Credentials {
			if f.Kind != KindSecret && f.Kind != KindJSON {
				t.Errorf("%s: credential %s has non-secret kind %s", typ, f.Name, f.Kind)
			}
		}
	}
	if _, ok := Type("ORACLE").Info(); ok {
		t.Error("ORACLE is described")
	}
}

func TestConfigIsNormalized(t *testing.T) {
	got, err := info(t, PostgreSQL).NormalizeConfig(map[string]any{
		"host": " DB.Example.COM ", "database": "app", "username": "reader", "port": json.Number("6543"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Config{"host": "db.example.com", "port": 6543, "database": "app", "username": "reader", "sslMode": "require"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}
	// A stored config read back from JSON (numbers as float64) normalizes the same.
	again, err := info(t, PostgreSQL).NormalizeConfig(map[string]any{"host": "db.example.com", "port": float64(6543),
		"database": "app", "username": "reader", "sslMode": "require"})
	if err != nil || again["port"] != 6543 {
		t.Fatalf("re-normalized = %v, %v", again, err)
	}
}

func TestBadConfigIsRefusedWithTheFieldNamed(t *testing.T) {
	pg := map[string]any{"host": "db.example.com", "database": "app", "username": "u"}
	with := func(base map[string]any, k string, v any) map[string]any {
		out := map[string]any{}
		for key, val := range base {
			out[key] = val
		}
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
		return out
	}
	s3 := map[string]any{"bucket": "my-bucket", "region": "eu-west-1"}
	for name, tc := range map[string]struct {
		typ   Type
		in    map[string]any
		field string
	}{
		"missing host":        {PostgreSQL, with(pg, "host", nil), "config.host"},
		"host with scheme":    {PostgreSQL, with(pg, "host", "postgres://db"), "config.host"},
		"host with port":      {PostgreSQL, with(pg, "host", "db:5432"), "config.host"},
		"host with space":     {PostgreSQL, with(pg, "host", "d b"), "config.host"},
		"port zero":           {PostgreSQL, with(pg, "port", 0), "config.port"},
		"port too big":        {PostgreSQL, with(pg, "port", 70000), "config.port"},
		"port fraction":       {PostgreSQL, with(pg, "port", 54.5), "config.port"},
		"port word":           {PostgreSQL, with(pg, "port", "five"), "config.port"},
		"unknown ssl mode":    {PostgreSQL, with(pg, "sslMode", "sometimes"), "config.sslMode"},
		"unknown field":       {PostgreSQL, with(pg, "password", "x"), "config"},
		"number for string":   {PostgreSQL, with(pg, "database", 7), "config.database"},
		"control character":   {PostgreSQL, with(pg, "username", "a\nb"), "config.username"},
		"mysql tls":           {MySQL, map[string]any{"host": "h", "database": "d", "username": "u", "tlsMode": "yes"}, "config.tlsMode"},
		"snowflake account":   {Snowflake, map[string]any{"account": "a b", "warehouse": "W", "database": "D", "username": "u"}, "config.account"},
		"bigquery project":    {BigQuery, map[string]any{"projectId": "Bad_Project"}, "config.projectId"},
		"s3 bucket":           {AmazonS3, with(s3, "bucket", "UPPER"), "config.bucket"},
		"s3 region":           {AmazonS3, with(s3, "region", "europe"), "config.region"},
		"s3 http endpoint":    {AmazonS3, with(s3, "endpoint", "http://minio.local"), "config.endpoint"},
		"https url required":  {HTTPSAPI, map[string]any{}, "config.baseUrl"},
		"plain http":          {HTTPSAPI, map[string]any{"baseUrl": "http://api.example.com"}, "config.baseUrl"},
		"relative url":        {HTTPSAPI, map[string]any{"baseUrl": "/v1"}, "config.baseUrl"},
		"credentials in url":  {HTTPSAPI, map[string]any{"baseUrl": "https://user:pw@api.example.com"}, "config.baseUrl"},
		"query in url":        {HTTPSAPI, map[string]any{"baseUrl": "https://api.example.com/?token=x"}, "config.baseUrl"},
		"bad header name":     {HTTPSAPI, map[string]any{"baseUrl": "https://api.example.com", "authHeader": "X Auth"}, "config.authHeader"},
		"bad port in url":     {HTTPSAPI, map[string]any{"baseUrl": "https://api.example.com:99999"}, "config.baseUrl"},
		"too long string":     {PostgreSQL, with(pg, "database", strings.Repeat("d", 256)), "config.database"},
		"boolean for enum":    {PostgreSQL, with(pg, "sslMode", true), "config.sslMode"},
		"ipv6 with brackets":  {PostgreSQL, with(pg, "host", "[::1]"), "config.host"},
		"label too long host": {PostgreSQL, with(pg, "host", strings.Repeat("a", 64)+".com"), "config.host"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := info(t, tc.typ).NormalizeConfig(tc.in)
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.BadUserInput || e.Field != tc.field {
				t.Fatalf("NormalizeConfig(%v) = %v, want BAD_USER_INPUT on %s", tc.in, err, tc.field)
			}
		})
	}
}

func TestGoodConfigsOfEveryType(t *testing.T) {
	for typ, in := range map[Type]map[string]any{
		PostgreSQL: {"host": "10.0.0.5", "database": "app", "username": "u", "sslMode": "disable"},
		MySQL:      {"host": "::1", "port": "3307", "database": "app", "username": "u"},
		Snowflake:  {"account": "myorg-account1", "warehouse": "COMPUTE_WH", "database": "ANALYTICS", "username": "u", "role": "READER"},
		BigQuery:   {"projectId": "my-project-42", "dataset": "events", "location": "EU"},
		AmazonS3:   {"bucket": "my.bucket-1", "region": "us-east-1", "prefix": "exports/", "endpoint": "https://s3.example.com:9000/"},
		HTTPSAPI:   {"baseUrl": "https://api.example.com/v1", "authHeader": "X-Api-Key"},
	} {
		if _, err := info(t, typ).NormalizeConfig(in); err != nil {
			t.Errorf("%s: %v", typ, err)
		}
	}
}

func TestCredentialErrorsNeverQuoteValues(t *testing.T) {
	const value = "sup3r-s3cret-VALUE"
	for name, tc := range map[string]struct {
		typ Type
		in  map[string]any
	}{
		"missing required": {Snowflake, map[string]any{}},
		"not a string":     {PostgreSQL, map[string]any{"password": 12345}},
		"not json":         {BigQuery, map[string]any{"serviceAccountKey": value}},
		"json array":       {BigQuery, map[string]any{"serviceAccountKey": `["` + value + `"]`}},
		"oversize":         {PostgreSQL, map[string]any{"password": strings.Repeat(value, 1000)}},
		"unknown field":    {PostgreSQL, map[string]any{"passwd": value}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := info(t, tc.typ).NormalizeCredentials(tc.in)
			if apperr.CodeOf(err) != apperr.BadUserInput {
				t.Fatalf("NormalizeCredentials = %v, want BAD_USER_INPUT", err)
			}
			if strings.Contains(err.Error(), value) {
				t.Fatalf("error %q quotes the credential", err)
			}
		})
	}
	got, err := info(t, BigQuery).NormalizeCredentials(map[string]any{
		"serviceAccountKey": map[string]any{"type": "service_account", "private_key": value}})
	if err != nil || !strings.Contains(got["serviceAccountKey"], value) {
		t.Fatalf("a JSON object key is refused: %v", err)
	}
	got, err = info(t, PostgreSQL).NormalizeCredentials(map[string]any{"password": " spaces kept "})
	if err != nil || got["password"] != " spaces kept " {
		t.Fatalf("password = %q, %v; want it exactly as given", got["password"], err)
	}
}

func TestRedactRemovesEveryCredential(t *testing.T) {
	msg := redact(`failed: password "pw-123" for token tk-456 rejected`, map[string]string{"password": "pw-123", "token": "tk-456", "empty": ""})
	if strings.Contains(msg, "pw-123") || strings.Contains(msg, "tk-456") || !strings.Contains(msg, "failed") {
		t.Fatalf("redact = %q", msg)
	}
}

// TestDestinationFieldsAreDeclaredPerType pins which configuration fields
// decide where a connector's credentials go (changing one clears them).
// Left out on purpose: an S3 key prefix (same bucket, same endpoint, what
// the credentials already grant), and Snowflake's warehouse, database,
// schema and role, BigQuery's dataset and location (within the account or
// project the credentials were entered for).
func TestDestinationFieldsAreDeclaredPerType(t *testing.T) {
	want := map[Type]string{
		PostgreSQL: "host port database username sslMode",
		MySQL:      "host port database username tlsMode",
		Snowflake:  "account username",
		BigQuery:   "projectId",
		AmazonS3:   "bucket region endpoint",
		HTTPSAPI:   "baseUrl authHeader",
	}
	for typ, fields := range want {
		var got []string
		for _, f := range info(t, typ).Config {
			if f.Destination {
				got = append(got, f.Name)
			}
		}
		if strings.Join(got, " ") != fields {
			t.Errorf("%s destination fields %v, want %s", typ, got, fields)
		}
	}
}
