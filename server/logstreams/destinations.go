package logstreams

import (
	"regexp"
	"slices"

	"github.com/orgtrail/orgtrail/server/connectors"
)

// Destination is a kind of receiver. Its value is the GraphQL enum name.
type Destination string

// The destinations.
const (
	Webhook   Destination = "WEBHOOK"
	SplunkHEC Destination = "SPLUNK_HEC"
	Datadog   Destination = "DATADOG"
	S3        Destination = "S3"
	Syslog    Destination = "SYSLOG"
)

// Format is how each event is written. Its value is the GraphQL enum name.
type Format string

// The formats.
const (
	// JSON is the GraphQL AuditEvent shape (audit.NativeEvent) with the
	// event's sequence number and organization.
	JSON Format = "JSON"
	// OCSF is an Open Cybersecurity Schema Framework 1.1 event (ocsf.go).
	OCSF Format = "OCSF"
	// CEF is ArcSight's Common Event Format (cef.go), for syslog.
	CEF Format = "CEF"
)

// DestinationInfo describes a destination: its settings and credentials
// (connectors.Field, so the rule that binds credentials to where they go
// is the connectors' own, connectors.TypeInfo.MergeCredentials), the formats
// it carries, and how many events one delivery holds at most.
type DestinationInfo struct {
	connectors.TypeInfo
	Destination Destination
	Formats     []Format
	MaxBatch    int
}

// DatadogSites are the Datadog sites whose logs intake a stream may use.
var DatadogSites = []string{"datadoghq.com", "us3.datadoghq.com", "us5.datadoghq.com", "datadoghq.eu",
	"ap1.datadoghq.com", "ap2.datadoghq.com", "ddog-gov.com"}

func caField() connectors.Field {
	return connectors.Field{Name: "caCertificate", Label: "CA certificate (PEM)", Kind: connectors.KindCertificate, Destination: true,
		Description: "Trust a receiver whose certificate no public authority signed; empty: the system's authorities"}
}

func stringField(name, label, desc string, def any, pattern, hint string) connectors.Field {
	f := connectors.Field{Name: name, Label: label, Kind: connectors.KindString, Description: desc, Default: def}
	if pattern != "" {
		f = connectors.WithPattern(f, regexp.MustCompile(pattern), hint)
	}
	return f
}

func secretField(name, label string, required bool, desc string) connectors.Field {
	return connectors.Field{Name: name, Label: label, Kind: connectors.KindSecret, Required: required, Description: desc}
}

const tokenPattern = `^[A-Za-z0-9_.:/-]{1,128}$`

var destinations = []DestinationInfo{
	{Destination: Webhook, Formats: []Format{JSON, OCSF}, MaxBatch: 500, TypeInfo: connectors.TypeInfo{Label: "HTTPS webhook", Config: []connectors.Field{
		{Name: "url", Label: "URL", Kind: connectors.KindURL, Required: true, Destination: true,
			Description: "https:// URL that receives batches of NDJSON, each signed in the Orgtrail-Signature header"},
		caField(),
	}, Credentials: []connectors.Field{
		secretField("secret", "Signing secret", false, "Empty: Orgtrail generates one and shows it once"),
	}}},
	{Destination: SplunkHEC, Formats: []Format{JSON, OCSF}, MaxBatch: 500, TypeInfo: connectors.TypeInfo{Label: "Splunk HTTP Event Collector", Config: []connectors.Field{
		{Name: "url", Label: "HEC URL", Kind: connectors.KindURL, Required: true, Destination: true,
			Description: "For example https://splunk.example.com:8088; events go to /services/collector/event"},
		stringField("index", "Index", "Empty: the token's default index", nil, `^[a-z0-9_][a-z0-9_-]{0,79}$`, "a Splunk index name"),
		stringField("sourcetype", "Source type", "", "orgtrail:audit", tokenPattern, "letters, digits and _ . : / -"),
		stringField("source", "Source", "", "orgtrail", tokenPattern, "letters, digits and _ . : / -"),
		caField(),
	}, Credentials: []connectors.Field{
		secretField("token", "HEC token", true, "Sent as Authorization: Splunk <token>"),
	}}},
	{Destination: Datadog, Formats: []Format{JSON, OCSF}, MaxBatch: 500, TypeInfo: connectors.TypeInfo{Label: "Datadog Logs", Config: []connectors.Field{
		{Name: "site", Label: "Site", Kind: connectors.KindEnum, Default: "datadoghq.com", Options: DatadogSites, Destination: true,
			Description: "Your Datadog site; logs go to https://http-intake.logs.<site>/api/v2/logs"},
		{Name: "intakeUrl", Label: "Intake URL", Kind: connectors.KindURL, Destination: true,
			Description: "Send to this URL instead of the site's intake (a proxy)"},
		stringField("service", "Service", "", "orgtrail", tokenPattern, "letters, digits and _ . : / -"),
		stringField("tags", "Tags", "Comma-separated, for example env:prod,team:security", nil, `^[A-Za-z0-9_.:/,-]{1,200}$`, "tags such as env:prod,team:security"),
		caField(),
	}, Credentials: []connectors.Field{
		secretField("apiKey", "API key", true, "Sent as DD-API-KEY"),
	}}},
	// The prefix is not a destination: objects go to the same bucket, at the
	// same endpoint, under other names.
	{Destination: S3, Formats: []Format{JSON, OCSF}, MaxBatch: 5000, TypeInfo: connectors.TypeInfo{Label: "S3-compatible storage", Config: []connectors.Field{
		connectors.Destined(stringField("bucket", "Bucket", "", nil, `^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`, "3 to 63 lowercase letters, digits, '.' and '-'"), true),
		connectors.Destined(stringField("region", "Region", "For example eu-west-1 (auto for R2)", "us-east-1", `^(auto|[a-z]{2}(-[a-z]+)+-[0-9]{1,2})$`, "an AWS region such as eu-west-1, or auto"), true),
		stringField("prefix", "Key prefix", "Objects are written under <prefix>YYYY/MM/DD/HH/", nil, `^[A-Za-z0-9!_.*'()/-]{1,200}$`, "letters, digits and ! _ . * ' ( ) / -"),
		{Name: "endpoint", Label: "Endpoint URL", Kind: connectors.KindURL, Destination: true,
			Description: "For MinIO, R2 and other S3-compatible storage; empty for AWS"},
		{Name: "pathStyle", Label: "Path-style addressing", Kind: connectors.KindBoolean, Default: false, Destination: true,
			Description: "Address the bucket in the path (MinIO) rather than the host name"},
		caField(),
	}, Credentials: []connectors.Field{
		secretField("accessKeyId", "Access key ID", true, ""),
		secretField("secretAccessKey", "Secret access key", true, ""),
	}}},
	{Destination: Syslog, Formats: []Format{CEF, JSON}, MaxBatch: 500, TypeInfo: connectors.TypeInfo{Label: "Syslog (RFC 5424 over TLS)", Config: []connectors.Field{
		{Name: "host", Label: "Host", Kind: connectors.KindHost, Required: true, Destination: true, Description: "The syslog receiver's host name or address"},
		{Name: "port", Label: "Port", Kind: connectors.KindPort, Default: 6514, Destination: true},
		stringField("appName", "App name", "The syslog APP-NAME", "orgtrail", `^[!-~]{1,48}$`, "1 to 48 printable ASCII characters without spaces"),
		caField(),
		{Name: "clientCertificate", Label: "Client certificate (PEM)", Kind: connectors.KindCertificate, Destination: true,
			Description: "For receivers that require mutual TLS, with its key among the credentials"},
	}, Credentials: []connectors.Field{
		secretField("clientKey", "Client key (PEM)", false, "The client certificate's private key"),
	}}},
}

func init() {
	for i := range destinations {
		destinations[i].Type = connectors.Type(destinations[i].Destination)
	}
}

// Destinations returns every destination, in display order.
func Destinations() []DestinationInfo { return destinations }

// Info returns the description of d.
func (d Destination) Info() (DestinationInfo, bool) {
	i := slices.IndexFunc(destinations, func(x DestinationInfo) bool { return x.Destination == d })
	if i < 0 {
		return DestinationInfo{}, false
	}
	return destinations[i], true
}
