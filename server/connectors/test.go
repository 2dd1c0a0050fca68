package connectors

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/netguard"
	"github.com/orgtrail/orgtrail/server/secrets"
)

// TestResult is what testing a connector found.
type TestResult struct {
	// Supported is false for types that cannot be tested yet.
	Supported bool
	OK        bool
	// Message says what happened, for people: written by Orgtrail, never a
	// driver's text, an address the admin did not enter or a credential.
	Message  string
	Duration time.Duration
	// TestedAt is when the test started.
	TestedAt time.Time
}

// tester connects to a data source and describes it. Its error is the
// driver's, for the server log; failureMessage says it to people.
type tester func(ctx context.Context, config Config, creds map[string]string, timeout time.Duration) (string, error)

var testers = map[Type]tester{
	PostgreSQL: testPostgreSQL,
}

// maxMessageRunes bounds a stored test message (the column allows 1000).
const maxMessageRunes = 1000

// Test really connects to the connector's data source with its stored
// configuration and credentials, within TestTimeout, reports the result and
// keeps it on the connector's row (the Connectors tab shows it). A failure
// is said in Orgtrail's words (failureMessage); the driver's error goes to
// the server log only, since it may name internal servers (the DNS resolver
// of the machine Orgtrail runs on, for one). Stored credentials that do not
// decrypt fail closed: nothing is attempted, the result says why and the
// server log records the integrity failure. A test changes nothing about the
// connector, so it is not an audit event.
func (s *Service) Test(ctx context.Context, org, id uuid.UUID) (Connector, TestResult, error) {
	var c Connector
	err := s.db.Conn(ctx).Where("organization_id = ? AND id = ?", org, id).Take(&c).Error
	if database.IsNotFound(err) {
		return Connector{}, TestResult{}, apperr.NotFoundf("connector %s not found", id)
	}
	if err != nil {
		return Connector{}, TestResult{}, err
	}
	sealed := c
	c.CredentialsCiphertext = nil
	info, _ := c.Type.Info()
	test, ok := testers[c.Type]
	if !ok {
		return c, TestResult{Message: fmt.Sprintf("Testing %s connectors is not supported yet.", info.Label)}, nil
	}
	res := TestResult{Supported: true, TestedAt: time.Now().UTC()}
	creds, err := s.open(sealed)
	switch {
	case errors.Is(err, secrets.ErrUndecryptable):
		s.log.ErrorContext(ctx, "connector credentials do not decrypt", "connector_id", c.ID,
			"organization_id", c.OrganizationID, "error", err)
		res.Message = "The stored credentials cannot be decrypted (they were altered, or SECRET_KEY changed " +
			"without rotation), so no connection was attempted. Enter the credentials again."
	case err != nil:
		return Connector{}, TestResult{}, err
	default:
		desc, err := test(ctx, c.Config, creds, s.TestTimeout)
		res.Duration = time.Since(res.TestedAt)
		res.OK = err == nil
		if err != nil {
			res.Message = failureMessage(err, c.Config, s.TestTimeout)
			s.log.InfoContext(ctx, "connector test failed", "connector_id", c.ID, "organization_id", c.OrganizationID,
				"error", redact(err.Error(), creds))
		} else {
			res.Message = redact(desc, creds)
		}
	}
	if utf8.RuneCountInString(res.Message) > maxMessageRunes {
		res.Message = string([]rune(res.Message)[:maxMessageRunes-1]) + "…"
	}
	if err := s.keepLastTest(ctx, &c, res); err != nil {
		return Connector{}, TestResult{}, err
	}
	return c, res, nil
}

// keepLastTest stores res as c's last test, and in c. A connector deleted
// meanwhile keeps nothing.
func (s *Service) keepLastTest(ctx context.Context, c *Connector, res TestResult) error {
	ms := int(res.Duration.Milliseconds())
	c.LastTestedAt, c.LastTestOK, c.LastTestMessage, c.LastTestDurationMs = &res.TestedAt, &res.OK, &res.Message, &ms
	return s.db.Conn(ctx).Model(&Connector{}).Where("organization_id = ? AND id = ?", c.OrganizationID, c.ID).
		Updates(map[string]any{"last_tested_at": res.TestedAt, "last_test_ok": res.OK,
			"last_test_message": res.Message, "last_test_duration_ms": ms}).Error
}

// redact removes every credential value from a message a driver wrote.
func redact(msg string, creds map[string]string) string {
	for _, v := range creds {
		if v != "" {
			msg = strings.ReplaceAll(msg, v, "[redacted]")
		}
	}
	return msg
}

// testPostgreSQL connects with pgx and asks the server's version. The
// connection is built only from the connector's own settings: a missing
// password stays missing rather than falling back to the server's
// environment or password file.
func testPostgreSQL(ctx context.Context, config Config, creds map[string]string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	t := endpointOf(config)
	u := url.URL{Scheme: "postgres", Host: t.hostPort(), Path: "/" + t.database, User: url.User(t.user)}
	u.RawQuery = url.Values{
		"sslmode":          {t.sslMode},
		"connect_timeout":  {strconv.Itoa(max(1, int(timeout.Seconds())))},
		"application_name": {"orgtrail-connector-test"},
	}.Encode()
	cfg, err := pgx.ParseConfig(u.String())
	if err != nil {
		return "", err
	}
	cfg.Password = creds["password"]
	cfg.SSLCertMode = "disable"
	cfg.DialFunc = netguard.DialContext(timeout)
	cfg.RuntimeParams["statement_timeout"] = strconv.FormatInt(timeout.Milliseconds(), 10)
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		if ctx.Err() != nil {
			return "", errors.Join(context.DeadlineExceeded, err)
		}
		return "", err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var version string
	if err := conn.QueryRow(ctx, "SHOW server_version").Scan(&version); err != nil {
		return "", err
	}
	return fmt.Sprintf("Connected to PostgreSQL %s at %s, database %s, as %s.", version, net.JoinHostPort(t.host, strconv.Itoa(t.port)), t.database, t.user), nil
}

// endpoint is where a database connector points, as the admin entered it.
type endpoint struct {
	host     string
	port     int
	database string
	user     string
	sslMode  string
}

func endpointOf(config Config) endpoint {
	port, _ := integer(config["port"])
	host, _ := config["host"].(string)
	database, _ := config["database"].(string)
	user, _ := config["username"].(string)
	sslMode, _ := config["sslMode"].(string)
	return endpoint{host: host, port: port, database: database, user: user, sslMode: sslMode}
}

func (e endpoint) hostPort() string { return net.JoinHostPort(e.host, strconv.Itoa(e.port)) }
