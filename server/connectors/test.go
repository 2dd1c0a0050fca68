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
	// Message says what happened, for people. It never holds a credential.
	Message  string
	Duration time.Duration
}

// tester connects to a data source and describes it.
type tester func(ctx context.Context, config Config, creds map[string]string, timeout time.Duration) (string, error)

var testers = map[Type]tester{
	PostgreSQL: testPostgreSQL,
}

// Test really connects to the connector's data source with its stored
// configuration and credentials, within TestTimeout, and reports the result.
// Stored credentials that do not decrypt fail closed: nothing is attempted,
// the result says why and the server log records the integrity failure.
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
	creds, err := s.open(sealed)
	if errors.Is(err, secrets.ErrUndecryptable) {
		s.log.ErrorContext(ctx, "connector credentials do not decrypt", "connector_id", c.ID,
			"organization_id", c.OrganizationID, "error", err)
		return c, TestResult{Supported: true, Message: "The stored credentials cannot be decrypted " +
			"(they were altered, or SECRET_KEY changed without rotation), so no connection was attempted. " +
			"Enter the credentials again."}, nil
	}
	if err != nil {
		return Connector{}, TestResult{}, err
	}
	start := time.Now()
	desc, err := test(ctx, c.Config, creds, s.TestTimeout)
	res := TestResult{Supported: true, OK: err == nil, Duration: time.Since(start)}
	if err != nil {
		res.Message = redact("Could not connect: "+err.Error(), creds)
	} else {
		res.Message = redact(desc, creds)
	}
	return c, res, nil
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
	port, _ := integer(config["port"])
	host, _ := config["host"].(string)
	database, _ := config["database"].(string)
	user, _ := config["username"].(string)
	sslMode, _ := config["sslMode"].(string)
	u := url.URL{Scheme: "postgres", Host: net.JoinHostPort(host, strconv.Itoa(port)), Path: "/" + database,
		User: url.User(user)}
	u.RawQuery = url.Values{
		"sslmode":          {sslMode},
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
			return "", fmt.Errorf("no answer from %s within %s", u.Host, timeout)
		}
		return "", err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var version string
	if err := conn.QueryRow(ctx, "SHOW server_version").Scan(&version); err != nil {
		return "", err
	}
	return fmt.Sprintf("Connected to PostgreSQL %s at %s, database %s, as %s.", version, u.Host, database, user), nil
}
