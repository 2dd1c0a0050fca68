package app

import (
	"compress/gzip"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	syslog "github.com/leodido/go-syslog/v4"
	"github.com/leodido/go-syslog/v4/octetcounting"
	"github.com/leodido/go-syslog/v4/rfc5424"
)

// TestASplunkStreamSendsOCSFInHECEnvelopes: Splunk's HTTP Event Collector
// receives every event in an envelope it accepts (time in epoch seconds,
// the source type, the event), each event an OCSF 1.1 event of its class.
func TestASplunkStreamSendsOCSFInHECEnvelopes(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.fastStreams()
	acme := r.tenant("Acme", "admin@acme.example")
	rc := newReceiver(t, "hec")
	st, _ := r.createStream(acme.Key, map[string]any{"name": "Splunk", "destination": "SPLUNK_HEC", "format": "OCSF",
		"config":      map[string]any{"url": rc.srv.URL, "caCertificate": rc.caPEM(), "index": "security"},
		"credentials": map[string]any{"token": "hec-token"}})
	everyKindOfEvent(r, acme, "admin@acme.example")
	got := r.waitDelivered(rc, acme.OrgID, st.NextSequence)
	r.inOrderOnce(got, acme.OrgID, st.NextSequence)
	classes := map[string]bool{}
	for _, d := range got {
		classes[regexp.MustCompile(`"class_uid":(\d+)`).FindStringSubmatch(string(d.Raw))[1]] = true
	}
	for _, c := range []string{"3001", "3002", "3005", "6003"} {
		if !classes[c] {
			t.Errorf("no OCSF class %s among %v", c, classes)
		}
	}
}

// everyKindOfEvent makes events of several OCSF classes: a sign-in, an
// account, a role assignment, API activity.
func everyKindOfEvent(r *rig, tn tenant, admin string) {
	r.t.Helper()
	role := r.createRole(tn.Key, "Deployers", "secrets:read")
	sa := r.createServiceAccount(tn.Key, "Deploy bot")
	r.ok(tn.Key, assignRole, map[string]any{"role": role.ID, "sa": sa}, nil)
	r.browser().signIn(admin)
}

// TestADatadogStreamSendsToTheLogsIntake: Datadog's logs intake receives
// JSON arrays of entries within its limits, the API key in DD-API-KEY, each
// entry's message the native event.
func TestADatadogStreamSendsToTheLogsIntake(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.fastStreams()
	acme := r.tenant("Acme", "admin@acme.example")
	rc := newReceiver(t, "datadog")
	st, _ := r.createStream(acme.Key, map[string]any{"name": "Datadog", "destination": "DATADOG",
		"config":      map[string]any{"site": "datadoghq.eu", "intakeUrl": rc.srv.URL + "/api/v2/logs", "caCertificate": rc.caPEM(), "tags": "env:test"},
		"credentials": map[string]any{"apiKey": "dd-api-key"}})
	r.insertEvents(acme.OrgID, 1100, "UPDATED_ROLE")
	r.inOrderOnce(r.waitDelivered(rc, acme.OrgID, st.NextSequence), acme.OrgID, st.NextSequence)
}

// TestAnS3StreamWritesGzipNDJSONObjectsByHour: an S3-compatible store
// (gofakes3, started by the test) holds gzip NDJSON objects named
// <prefix>YYYY/MM/DD/HH/<first>-<last>.json.gz, which together hold the
// log in order.
func TestAnS3StreamWritesGzipNDJSONObjectsByHour(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.fastStreams()
	acme := r.tenant("Acme", "admin@acme.example")
	backend := s3mem.New()
	if err := backend.CreateBucket("audit-archive"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(gofakes3.New(backend).Server())
	defer srv.Close()
	ca := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	st, _ := r.createStream(acme.Key, map[string]any{"name": "Archive", "destination": "S3",
		"config": map[string]any{"bucket": "audit-archive", "region": "eu-west-1", "prefix": "orgtrail/", "endpoint": srv.URL,
			"pathStyle": true, "caCertificate": ca},
		"credentials": map[string]any{"accessKeyId": "AKIATEST", "secretAccessKey": "secret"}})
	r.insertEvents(acme.OrgID, 5200, "UPDATED_ROLE") // two objects at least
	stored := int64(r.count(`SELECT count(*) FROM audit_events WHERE organization_id = $1`, acme.OrgID))
	waitUntil(t, "the log sequences every event", func() bool { return r.logSize(acme.OrgID) >= stored })
	waitUntil(t, "the stream reaches the end of the log", func() bool {
		return r.stream(acme.Key, st.ID).NextSequence == r.logSize(acme.OrgID)
	})
	list, err := backend.ListBucket("audit-archive", nil, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`^orgtrail/(\d{4})/(\d{2})/(\d{2})/(\d{2})/(\d+)-(\d+)\.json\.gz$`)
	var got []delivered
	for _, c := range list.Contents {
		m := key.FindStringSubmatch(c.Key)
		if m == nil {
			t.Fatalf("object %q", c.Key)
		}
		obj, err := backend.GetObject("audit-archive", c.Key, nil)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(obj.Contents)
		if err != nil {
			t.Fatalf("%s is not gzip: %v", c.Key, err)
		}
		body, _ := io.ReadAll(zr)
		obj.Contents.Close()
		events, err := ndjsonEvents(body)
		if err != nil {
			t.Fatal(err)
		}
		first, _ := strconv.ParseInt(m[5], 10, 64)
		last, _ := strconv.ParseInt(m[6], 10, 64)
		if events[0].Seq != first || events[len(events)-1].Seq != last {
			t.Fatalf("%s holds %d to %d", c.Key, events[0].Seq, events[len(events)-1].Seq)
		}
		got = append(got, events...)
	}
	if len(list.Contents) < 2 {
		t.Fatalf("%d objects", len(list.Contents))
	}
	r.inOrderOnce(got, acme.OrgID, st.NextSequence)
}

// TestASyslogStreamSendsCEFOverTLS: a syslog receiver over TLS (RFC 5425,
// octet counting), started by the test, parses every message as RFC 5424
// (go-syslog) with the event's id and sequence as structured data and a CEF
// payload whose fields carry the event.
func TestASyslogStreamSendsCEFOverTLS(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.fastStreams()
	acme := r.tenant("Acme", "admin@acme.example")
	certPEM, cfg := selfSignedTLS(t)
	l, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var mu sync.Mutex
	var got []delivered
	var bad []string
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go octetcounting.NewParser(syslog.WithListener(func(res *syslog.Result) {
				mu.Lock()
				defer mu.Unlock()
				if res.Error != nil {
					bad = append(bad, res.Error.Error())
					return
				}
				m := res.Message.(*rfc5424.SyslogMessage)
				sd := (*m.StructuredData)["orgtrail@32473"]
				ext := cefExtensions(*m.Message)
				seq, _ := strconv.ParseInt(sd["sequence"], 10, 64)
				if *m.Appname != "orgtrail" || *m.Facility != 13 || ext["externalId"] != sd["eventId"] || ext["cn1"] != sd["sequence"] ||
					ext["act"] != *m.MsgID || ext["cs5"] != sd["organizationId"] || !strings.HasPrefix(*m.Message, "CEF:0|Orgtrail|Orgtrail|1|"+*m.MsgID+"|") {
					bad = append(bad, *m.Message)
				}
				if *m.MsgID == "CREATED_ROLE" && ext["cs3"] != `Pipes | equals = backslash \ end` {
					bad = append(bad, "resource name read back as "+ext["cs3"])
				}
				got = append(got, delivered{Seq: seq, ID: sd["eventId"], Action: *m.MsgID})
			})).Parse(conn)
		}
	}()
	port := l.Addr().(*net.TCPAddr).Port
	st, _ := r.createStream(acme.Key, map[string]any{"name": "SIEM", "destination": "SYSLOG",
		"config": map[string]any{"host": "127.0.0.1", "port": port, "caCertificate": certPEM}})
	r.createRole(acme.Key, `Pipes | equals = backslash \ end`, "secrets:read")
	r.insertEvents(acme.OrgID, 700, "UPDATED_ROLE")
	stored := int64(r.count(`SELECT count(*) FROM audit_events WHERE organization_id = $1`, acme.OrgID))
	waitUntil(t, "the log sequences every event", func() bool { return r.logSize(acme.OrgID) >= stored })
	want := r.logSize(acme.OrgID)
	waitUntil(t, "the receiver gets every event", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return int64(len(got)) >= want-st.NextSequence
	})
	mu.Lock()
	defer mu.Unlock()
	if len(bad) > 0 {
		t.Fatalf("%d messages a syslog receiver refuses or misreads, the first: %s", len(bad), bad[0])
	}
	r.inOrderOnce(got, acme.OrgID, st.NextSequence)
}

// cefExtensions reads a CEF line's extension as a SIEM does: keys up to an
// unescaped "=", values up to the next key, \= \\ \n unescaped.
func cefExtensions(line string) map[string]string {
	// The extension follows the 7th unescaped pipe.
	pipes, i := 0, 0
	for ; i < len(line) && pipes < 7; i++ {
		if line[i] == '\\' {
			i++
			continue
		}
		if line[i] == '|' {
			pipes++
		}
	}
	ext := line[i:]
	keys := regexp.MustCompile(`(?:^| )([A-Za-z0-9]+)=`).FindAllStringSubmatchIndex(ext, -1)
	out := map[string]string{}
	for j, k := range keys {
		end := len(ext)
		if j+1 < len(keys) {
			end = keys[j+1][0]
		}
		// A key is preceded by an unescaped space and followed by an unescaped "=".
		if k[0] > 0 && ext[k[0]-1] == '\\' {
			continue
		}
		v := ext[k[1]:end]
		out[ext[k[2]:k[3]]] = strings.NewReplacer(`\=`, "=", `\\`, `\`, `\n`, "\n", `\r`, "\r").Replace(v)
	}
	return out
}

// selfSignedTLS is a certificate for 127.0.0.1 and a server configuration
// presenting it.
func selfSignedTLS(t *testing.T) (string, *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "syslog.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyDER, _ := x509.MarshalECPrivateKey(key)
	pair, err := tls.X509KeyPair(certPEM, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		t.Fatal(err)
	}
	return string(certPEM), &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
}
