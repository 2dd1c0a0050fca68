package connectors

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/orgtrail/orgtrail/server/netguard"
)

// failureMessage says why a connection test failed in words that tell the
// admin what to check. It names only what the admin entered (host, port,
// database, user, SSL mode): a driver's text can hold the address of the
// DNS resolver or of Orgtrail's own server (pg_hba.conf refusals name the
// client address), which are the operator's business, not the tenant's.
// The driver's error is logged for the operator by Service.Test.
//
// The most telling cause wins: what the database itself answered, then a
// refused address, the name, the network, TLS. With sslmode prefer the
// driver tries TLS and then plain text and reports both failures.
func failureMessage(err error, config Config, timeout time.Duration) string {
	t := endpointOf(config)
	where := fmt.Sprintf("%s port %d", t.host, t.port)
	var (
		pgErr     *pgconn.PgError
		refused   netguard.RefusedError
		dnsErr    *net.DNSError
		unknownCA x509.UnknownAuthorityError
		wrongHost x509.HostnameError
		badCert   x509.CertificateInvalidError
		verify    *tls.CertificateVerificationError
		alert     tls.AlertError
		record    tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &pgErr):
		return serverRefusal(pgErr, t)
	case errors.As(err, &refused):
		if _, notLiteral := netip.ParseAddr(t.host); notLiteral == nil {
			return fmt.Sprintf("Orgtrail does not connect to %s: it is a link-local (such as the cloud metadata "+
				"service), multicast or unspecified address. Enter the database's own address.", t.host)
		}
		return fmt.Sprintf("%s resolves to an address Orgtrail does not connect to (link-local, such as the cloud "+
			"metadata service, multicast or unspecified). Check the host name, and the DNS record it resolves by.", t.host)
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return fmt.Sprintf("The host name %s did not resolve to any address. Check its spelling, and that it is "+
			"a name Orgtrail's server can resolve (an internal name needs the internal DNS).", t.host)
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("The host name %s could not be looked up: the DNS server did not answer. Try again "+
			"later; if it keeps failing, ask whoever runs Orgtrail's server to check its DNS.", t.host)
	case errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) || isNetTimeout(err):
		return fmt.Sprintf("No answer from %s within %s. Check the host and port, and that a firewall lets "+
			"Orgtrail's server reach the database.", where, timeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("Nothing accepted the connection on %s. Check the host and port, and that PostgreSQL "+
			"is running and listening there for connections from other machines.", where)
	case errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH):
		return fmt.Sprintf("%s cannot be reached from Orgtrail's server: there is no network route to it. Check "+
			"the host, and the network or firewall between them.", t.host)
	case errors.As(err, &unknownCA) || errors.As(err, &wrongHost) || errors.As(err, &badCert) || errors.As(err, &verify):
		return fmt.Sprintf("The database's TLS certificate was not accepted: SSL mode %s needs a certificate "+
			"signed by a trusted authority and, for verify-full, naming %s. Check the server's certificate, or "+
			"choose SSL mode require to encrypt without verifying it.", t.sslMode, t.host)
	case errors.As(err, &alert) || errors.As(err, &record):
		return fmt.Sprintf("The TLS handshake with %s failed. Check that the port is PostgreSQL's and its TLS "+
			"settings, and the SSL mode.", where)
	case strings.Contains(err.Error(), "server refused TLS connection"):
		return fmt.Sprintf("The database does not accept TLS connections, and SSL mode %s requires TLS. Turn TLS "+
			"on at the database, or choose SSL mode disable only if the network between them is private.", t.sslMode)
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fmt.Sprintf("The connection to %s was closed before PostgreSQL answered. Check that the port is "+
			"PostgreSQL's, not another service's.", where)
	}
	return fmt.Sprintf("Could not connect to %s. Check the settings; the reason is in Orgtrail's server log "+
		"(ask whoever runs it).", where)
}

// serverRefusal says what a PostgreSQL server that answered refused, by its
// SQLSTATE. The server's own message is not repeated: pg_hba.conf refusals
// name the address Orgtrail connects from.
func serverRefusal(e *pgconn.PgError, t endpoint) string {
	switch e.Code {
	case "28P01": // invalid_password
		return fmt.Sprintf("PostgreSQL rejected the password of user %s. Check the username and the password.", t.user)
	case "28000": // invalid_authorization_specification: pg_hba.conf, or a role that cannot log in
		return fmt.Sprintf("PostgreSQL does not let user %s connect to database %s from Orgtrail's server: no "+
			"pg_hba.conf rule allows it (some allow only TLS connections), or the role may not log in. Check the "+
			"username and the SSL mode, and ask the database's administrator.", t.user, t.database)
	case "3D000": // invalid_catalog_name
		return fmt.Sprintf("Database %s does not exist on %s. Check the database name.", t.database, t.host)
	case "42501": // insufficient_privilege
		return fmt.Sprintf("User %s may not connect to database %s (it lacks the CONNECT privilege). Ask the "+
			"database's administrator to grant it.", t.user, t.database)
	case "53300": // too_many_connections
		return "The database has no connection slots left for this user. Try again later."
	case "57P03": // cannot_connect_now
		return "The database is starting up, shutting down or recovering. Try again in a moment."
	}
	return fmt.Sprintf("PostgreSQL refused the connection (SQLSTATE %s). Check the username, database and SSL mode.", e.Code)
}

func isNetTimeout(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}
