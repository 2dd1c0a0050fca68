package logstreams

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/leodido/go-syslog/v4/rfc5424"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/netguard"
)

// SignatureHeader carries a webhook batch's signature: "t=<unix time>,
// v1=<hex HMAC-SHA256 of "<t>.<body>" under the stream's secret>", as Stripe
// signs its webhooks. A receiver recomputes it, compares in constant time,
// and refuses a timestamp too old (replay).
const SignatureHeader = "Orgtrail-Signature"

// Sign is the v1 signature of body sent at t with secret.
func Sign(secret string, t int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(t, 10) + "."))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// sender delivers batches to one stream's destination.
type sender interface {
	// send delivers the batch, in order; an error means it may not have
	// arrived, and the batch is sent again.
	send(ctx context.Context, batch []record) error
	// where names the destination in messages.
	where() string
	close()
}

// senderConfig is what a sender is made of.
type senderConfig struct {
	streamID string
	config   map[string]any
	creds    map[string]string
	format   Format
	org      string
	// host names this server: the syslog HOSTNAME and Datadog's hostname.
	host    string
	timeout time.Duration
}

func (c senderConfig) str(name string) string {
	s, _ := c.config[name].(string)
	return s
}

func newSender(d Destination, c senderConfig) (sender, error) {
	switch d {
	case Webhook:
		return newHTTPSender(c, c.str("url"), webhookRequest)
	case SplunkHEC:
		u := strings.TrimRight(c.str("url"), "/")
		if !strings.HasSuffix(u, "/services/collector/event") {
			u += "/services/collector/event"
		}
		return newHTTPSender(c, u, hecRequest)
	case Datadog:
		u := c.str("intakeUrl")
		if u == "" {
			u = "https://http-intake.logs." + c.str("site") + "/api/v2/logs"
		}
		return newHTTPSender(c, u, datadogRequest)
	case S3:
		return newS3Sender(c)
	case Syslog:
		return &syslogSender{c: c}, nil
	}
	return nil, fmt.Errorf("logstreams: unknown destination %q", d)
}

// lines encodes a batch, one event per line.
func lines(c senderConfig, batch []record) ([]byte, error) {
	var b bytes.Buffer
	for _, r := range batch {
		line, err := encode(c.format, r, c.org)
		if err != nil {
			return nil, err
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// httpSender posts each batch as one request (or a few, when the receiver
// bounds a request's size) built by build.
type httpSender struct {
	c      senderConfig
	url    string
	client *http.Client
	build  func(c senderConfig, url string, batch []record) ([]*http.Request, error)
}

func newHTTPSender(c senderConfig, u string, build func(senderConfig, string, []record) ([]*http.Request, error)) (sender, error) {
	client, err := httpClient(c.config, c.timeout)
	if err != nil {
		return nil, err
	}
	return &httpSender{c: c, url: u, client: client, build: build}, nil
}

func (s *httpSender) where() string {
	if u, err := url.Parse(s.url); err == nil {
		return u.Host
	}
	return "the receiver"
}

func (s *httpSender) close() { s.client.CloseIdleConnections() }

func (s *httpSender) send(ctx context.Context, batch []record) error {
	reqs, err := s.build(s.c, s.url, batch)
	if err != nil {
		return err
	}
	for _, req := range reqs {
		req = req.WithContext(ctx)
		req.Header.Set("User-Agent", "Orgtrail-Log-Stream/1")
		resp, err := s.client.Do(req)
		if err != nil {
			return err
		}
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			err = statusError(resp)
		} else if strings.HasSuffix(s.url, "/services/collector/event") {
			err = hecAnswer(resp)
		}
		_ = resp.Body.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// webhookRequest is one POST of NDJSON, signed.
func webhookRequest(c senderConfig, u string, batch []record) ([]*http.Request, error) {
	body, err := lines(c, batch)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	t := time.Now().Unix()
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.Header.Set(SignatureHeader, fmt.Sprintf("t=%d,v1=%s", t, Sign(c.creds["secret"], t, body)))
	req.Header.Set("Orgtrail-Stream-Id", c.streamID)
	if len(batch) > 0 {
		req.Header.Set("Orgtrail-Sequences", fmt.Sprintf("%d-%d", batch[0].Seq, batch[len(batch)-1].Seq))
	}
	return []*http.Request{req}, nil
}

// hecEvent is Splunk's HTTP Event Collector envelope.
type hecEvent struct {
	Time       float64         `json:"time"`
	Host       string          `json:"host,omitempty"`
	Source     string          `json:"source,omitempty"`
	Sourcetype string          `json:"sourcetype,omitempty"`
	Index      string          `json:"index,omitempty"`
	Event      json.RawMessage `json:"event"`
}

// hecRequest is one POST of HEC envelopes, one per event, each carrying
// the event's time in seconds.
func hecRequest(c senderConfig, u string, batch []record) ([]*http.Request, error) {
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	for _, r := range batch {
		ev, err := encode(c.format, r, c.org)
		if err != nil {
			return nil, err
		}
		if err := enc.Encode(hecEvent{Time: float64(r.Event.OccurredAt.UnixMicro()) / 1e6, Host: c.host,
			Source: c.str("source"), Sourcetype: c.str("sourcetype"), Index: c.str("index"), Event: ev}); err != nil {
			return nil, err
		}
	}
	req, err := http.NewRequest(http.MethodPost, u, &body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Splunk "+c.creds["token"])
	return []*http.Request{req}, nil
}

// hecAnswer reads HEC's answer: code 0 is success.
func hecAnswer(resp *http.Response) error {
	var a struct {
		Text string `json:"text"`
		Code *int   `json:"code"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || a.Code == nil {
		return &deliveryError{message: "the receiver did not answer as a Splunk HTTP Event Collector does"}
	}
	if *a.Code != 0 {
		return &deliveryError{message: fmt.Sprintf("Splunk refused the batch: %s (code %d)", printable(a.Text, 200), *a.Code)}
	}
	return nil
}

// Datadog's logs intake limits (v2): a request of at most 5 MB and 1,000
// entries, each at most 1 MB.
const (
	datadogMaxRequest = 4 << 20
	datadogMaxEntries = 1000
)

type datadogEntry struct {
	Source   string `json:"ddsource"`
	Tags     string `json:"ddtags,omitempty"`
	Hostname string `json:"hostname"`
	Service  string `json:"service"`
	Message  string `json:"message"`
}

// datadogRequest posts JSON arrays of log entries, each with the event as
// its message (Datadog parses a JSON message into attributes), split so
// that no request passes the intake's limits.
func datadogRequest(c senderConfig, u string, batch []record) ([]*http.Request, error) {
	var reqs []*http.Request
	var entries []json.RawMessage
	size := 0
	flush := func() error {
		if len(entries) == 0 {
			return nil
		}
		body, err := json.Marshal(entries)
		if err != nil {
			return err
		}
		req, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("DD-API-KEY", c.creds["apiKey"])
		reqs = append(reqs, req)
		entries, size = nil, 0
		return nil
	}
	for _, r := range batch {
		ev, err := encode(c.format, r, c.org)
		if err != nil {
			return nil, err
		}
		entry, err := json.Marshal(datadogEntry{Source: "orgtrail", Tags: c.str("tags"), Hostname: c.host,
			Service: c.str("service"), Message: string(ev)})
		if err != nil {
			return nil, err
		}
		if size+len(entry) > datadogMaxRequest || len(entries) == datadogMaxEntries {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		entries = append(entries, entry)
		size += len(entry) + 1
	}
	return reqs, flush()
}

// s3Sender writes each batch as one gzip NDJSON object named
// <prefix>YYYY/MM/DD/HH/<first sequence>-<last sequence>.json.gz, by the
// first event's time (UTC). A batch sent again after a failure has the same
// first sequence; when it also ends where it ended, it overwrites the same
// object.
type s3Sender struct {
	c      senderConfig
	client *s3.Client
	http   *http.Client
}

func newS3Sender(c senderConfig) (sender, error) {
	hc, err := httpClient(c.config, c.timeout)
	if err != nil {
		return nil, err
	}
	pathStyle, _ := c.config["pathStyle"].(bool)
	opts := s3.Options{
		Region: c.str("region"),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: c.creds["accessKeyId"], SecretAccessKey: c.creds["secretAccessKey"]}, nil
		}),
		HTTPClient:   hc,
		UsePathStyle: pathStyle,
		// The stream retries with its own backoff; checksums only where
		// required, which S3-compatible servers all accept.
		Retryer:                    aws.NopRetryer{},
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}
	if ep := c.str("endpoint"); ep != "" {
		opts.BaseEndpoint = aws.String(ep)
	}
	return &s3Sender{c: c, client: s3.New(opts), http: hc}, nil
}

func (s *s3Sender) where() string {
	if ep := s.c.str("endpoint"); ep != "" {
		if u, err := url.Parse(ep); err == nil {
			return "bucket " + s.c.str("bucket") + " at " + u.Host
		}
	}
	return "bucket " + s.c.str("bucket")
}

func (s *s3Sender) close() { s.http.CloseIdleConnections() }

// ObjectKey is where a batch from first to last, starting at time at, is
// written under prefix.
func ObjectKey(prefix string, at time.Time, first, last int64) string {
	return prefix + at.UTC().Format("2006/01/02/15") + "/" + strconv.FormatInt(first, 10) + "-" + strconv.FormatInt(last, 10) + ".json.gz"
}

func (s *s3Sender) send(ctx context.Context, batch []record) error {
	body, err := lines(s.c, batch)
	if err != nil {
		return err
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(body); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	key := ObjectKey(s.c.str("prefix"), batch[0].Event.OccurredAt, batch[0].Seq, batch[len(batch)-1].Seq)
	_, err = s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(s.c.str("bucket")), Key: aws.String(key), Body: bytes.NewReader(gz.Bytes()),
		ContentLength: aws.Int64(int64(gz.Len())), ContentType: aws.String("application/x-ndjson"),
		ContentEncoding: aws.String("gzip"),
	})
	if err != nil {
		return s3Failure(err)
	}
	return nil
}

// syslogSender writes RFC 5424 messages with octet-counting framing (RFC
// 5425, syslog over TLS) on one connection, kept while the stream delivers.
// TCP acknowledges nothing of the receiver's: a batch counts as delivered
// once written.
type syslogSender struct {
	c    senderConfig
	conn net.Conn
}

// syslogEnterpriseID is the structured data's private enterprise number:
// 32473, which RFC 5612 reserves for documentation and examples.
const syslogEnterpriseID = "orgtrail@32473"

func (s *syslogSender) where() string {
	return net.JoinHostPort(s.c.str("host"), portOf(s.c.config["port"]))
}

func portOf(v any) string {
	switch p := v.(type) {
	case float64:
		return strconv.Itoa(int(p))
	case int:
		return strconv.Itoa(p)
	}
	return "6514"
}

func (s *syslogSender) close() {
	if s.conn != nil {
		_ = s.conn.Close()
		s.conn = nil
	}
}

func (s *syslogSender) dial(ctx context.Context) error {
	tc, err := tlsConfig(s.c.config)
	if err != nil {
		return err
	}
	tc.ServerName = s.c.str("host")
	if cert := s.c.str("clientCertificate"); cert != "" && s.c.creds["clientKey"] != "" {
		pair, err := tls.X509KeyPair([]byte(cert), []byte(s.c.creds["clientKey"]))
		if err != nil {
			return &deliveryError{message: "the client certificate and key do not make a pair", cause: err}
		}
		tc.Certificates = []tls.Certificate{pair}
	}
	d := tls.Dialer{NetDialer: netguard.Dialer(10 * time.Second), Config: tc}
	conn, err := d.DialContext(ctx, "tcp", s.where())
	if err != nil {
		return err
	}
	s.conn = conn
	return nil
}

func (s *syslogSender) send(ctx context.Context, batch []record) error {
	if s.conn == nil {
		if err := s.dial(ctx); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	for _, r := range batch {
		msg, err := syslogMessage(s.c, r)
		if err != nil {
			return err
		}
		buf.WriteString(strconv.Itoa(len(msg)))
		buf.WriteByte(' ')
		buf.WriteString(msg)
	}
	deadline := time.Now().Add(s.c.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = s.conn.SetWriteDeadline(deadline)
	if _, err := s.conn.Write(buf.Bytes()); err != nil {
		s.close()
		return err
	}
	return nil
}

// syslogMessage is rec as an RFC 5424 message, built and checked by
// go-syslog: facility log audit (13), severity informational (a failed
// sign-in: warning), MSGID the action, the event's id, sequence and
// organization as structured data, and the event in the stream's format as
// MSG.
func syslogMessage(c senderConfig, r record) (string, error) {
	body, err := encode(c.format, r, c.org)
	if err != nil {
		return "", err
	}
	severity := uint8(6)
	if r.Event.Action == audit.LoginFailed {
		severity = 4
	}
	m := &rfc5424.SyslogMessage{}
	m.SetPriority(13*8 + severity)
	m.SetVersion(1)
	m.SetTimestamp(r.Event.OccurredAt.UTC().Format(time.RFC3339Nano))
	m.SetHostname(c.host)
	m.SetAppname(c.str("appName"))
	m.SetMsgID(string(r.Event.Action))
	m.SetParameter(syslogEnterpriseID, "eventId", r.Event.ID.String())
	m.SetParameter(syslogEnterpriseID, "sequence", strconv.FormatInt(r.Seq, 10))
	m.SetParameter(syslogEnterpriseID, "organizationId", c.org)
	m.SetMessage(string(body))
	return m.String()
}

// s3Failure says what the storage answered, when it answered: its error
// code and message (NoSuchBucket, AccessDenied, SignatureDoesNotMatch…).
func s3Failure(err error) error {
	var api smithy.APIError
	if errors.As(err, &api) {
		msg := "the storage refused the object: " + printable(api.ErrorCode(), 64)
		if m := printable(api.ErrorMessage(), 200); m != "" {
			msg += " (" + m + ")"
		}
		return &deliveryError{message: msg, cause: err}
	}
	return err
}
