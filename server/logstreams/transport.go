package logstreams

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"

	"github.com/orgtrail/orgtrail/server/netguard"
)

// tlsConfig is the TLS configuration of a connection to a receiver: the
// system's authorities, plus the stream's CA certificate when it has one.
func tlsConfig(config map[string]any) (*tls.Config, error) {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if pemCA, _ := config["caCertificate"].(string); pemCA != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM([]byte(pemCA)) {
			return nil, errors.New("the CA certificate is not PEM")
		}
		c.RootCAs = pool
	}
	return c, nil
}

// httpClient returns the client a stream sends with: every connection dialled
// through netguard (the addresses the server never dials on an admin's behalf
// are refused, redirects included), with the stream's TLS trust, and no
// redirect followed: a receiver that moved is an error to show, not a
// reason to send the log where it points.
func httpClient(config map[string]any, timeout time.Duration) (*http.Client, error) {
	tc, err := tlsConfig(config)
	if err != nil {
		return nil, err
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DialContext = netguard.Dialer(10 * time.Second).DialContext
	transport.TLSClientConfig = tc
	transport.Proxy = nil
	return &http.Client{Timeout: timeout, Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, nil
}

// deliveryError is a failed delivery in words for the admin, with how long
// the receiver asked to wait (Retry-After), if it did.
type deliveryError struct {
	message    string
	retryAfter time.Duration
	cause      error
}

func (e *deliveryError) Error() string { return e.message }
func (e *deliveryError) Unwrap() error { return e.cause }

// statusError reads a receiver's refusal: its status, its Retry-After, and
// the start of what it said (receivers say why, and it is the admin's own
// receiver).
func statusError(resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	msg := fmt.Sprintf("the receiver answered HTTP %s", resp.Status)
	if text := printable(string(body), 200); text != "" {
		msg += ": " + text
	}
	e := &deliveryError{message: msg}
	if v := resp.Header.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(v); err == nil && s > 0 {
			e.retryAfter = time.Duration(s) * time.Second
		} else if t, err := http.ParseTime(v); err == nil {
			e.retryAfter = time.Until(t)
		}
	}
	return e
}

// printable keeps the first n printable characters of s on one line.
func printable(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return ' '
	}, strings.TrimSpace(s))
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// failureMessage says why a delivery to where failed, in words that tell
// the admin what to check. Errors of the receiver's own answer
// (deliveryError) say themselves.
func failureMessage(err error, where string, timeout time.Duration) string {
	var (
		de      *deliveryError
		refused netguard.RefusedError
		dnsErr  *net.DNSError
		verify  *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
		host    x509.HostnameError
		urlErr  *url.Error
	)
	switch {
	case errors.As(err, &de):
		return de.message
	case errors.As(err, &refused):
		return fmt.Sprintf("%s resolves to an address Orgtrail does not connect to (link-local, such as the cloud "+
			"metadata service, multicast or unspecified)", where)
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("the host name of %s did not resolve", where)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("nothing accepted the connection at %s", where)
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return fmt.Sprintf("no answer from %s within %s", where, timeout)
	case errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &host):
		return fmt.Sprintf("the TLS certificate of %s was not accepted (a receiver whose certificate no public "+
			"authority signed needs its CA certificate in the stream's settings)", where)
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Sprintf("%s closed the connection before answering", where)
	case errors.As(err, &urlErr):
		return fmt.Sprintf("could not send to %s", where)
	}
	return fmt.Sprintf("could not deliver to %s", where)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
