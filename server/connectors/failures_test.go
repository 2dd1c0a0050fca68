package connectors

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orgtrail/orgtrail/server/localpg"
	"github.com/orgtrail/orgtrail/server/netguard"
)

// passwordCluster starts a PostgreSQL cluster of the test's own that asks
// every role but the superuser for a password (scram-sha-256), as a
// customer's database does, with a role reader (password "right-password")
// that may log in, a role locked that may not, and a database warehouse.
func passwordCluster(t *testing.T) *localpg.Cluster {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	c, err := localpg.Start(ctx, localpg.Options{Dir: dir, Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, stmt := range []string{
		`SET password_encryption = 'scram-sha-256'`,
		`CREATE ROLE reader LOGIN PASSWORD 'right-password'`,
		`CREATE ROLE locked NOLOGIN PASSWORD 'locked-password'`,
		`CREATE DATABASE warehouse`,
	} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	// Rewritten in place, so it keeps the owner the server reads it as.
	hba := "host all " + localpg.Superuser + " 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
	if err := os.WriteFile(filepath.Join(dir, "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		t.Fatal(err)
	}
	var reloaded bool
	if err := conn.QueryRow(ctx, `SELECT pg_reload_conf()`).Scan(&reloaded); err != nil || !reloaded {
		t.Fatalf("reload: %v", err)
	}
	return c
}

// listener serves 127.0.0.1 on a free port: silent accepts connections and
// never answers, hangUp closes each at once.
func listener(t *testing.T, hangUp bool) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			if hangUp {
				conn.Close()
			} else {
				t.Cleanup(func() { conn.Close() })
			}
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}

func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// resolvers are the DNS servers of this machine: the addresses the issue
// saw in a driver's message ("lookup db.acme.internal on 10.255.255.53:53").
func resolvers() []string {
	raw, err := os.ReadFile("/etc/resolv.conf")
	if err != nil {
		return nil
	}
	var out []string
	for _, m := range regexp.MustCompile(`(?m)^nameserver\s+(\S+)`).FindAllStringSubmatch(string(raw), -1) {
		out = append(out, m[1])
	}
	return out
}

// TestFailedConnectionTestsSayWhatToCheck drives real failures (a closed
// port, an unresolvable name, a wrong password and more against a real
// PostgreSQL that asks for one) through the PostgreSQL tester and checks the
// message the admin reads: Orgtrail's words naming what they entered, never
// the driver's text, this machine's DNS resolver or Orgtrail's own address.
func TestFailedConnectionTestsSayWhatToCheck(t *testing.T) {
	t.Parallel()
	pg := passwordCluster(t)
	silent, hangUp, closed := listener(t, false), listener(t, true), closedPort(t)
	config := func(host string, port int, database, user, sslMode string) Config {
		return Config{"host": host, "port": port, "database": database, "username": user, "sslMode": sslMode}
	}
	right := map[string]string{"password": "right-password"}
	cases := []struct {
		name   string
		config Config
		creds  map[string]string
		want   string
	}{
		{"a closed port", config("127.0.0.1", closed, "warehouse", "reader", "disable"), right,
			"Nothing accepted the connection on 127.0.0.1 port %d. Check the host and port, and that PostgreSQL is " +
				"running and listening there for connections from other machines."},
		{"an unresolvable name", config("db.acme.invalid", 5432, "warehouse", "reader", "disable"), right,
			"The host name db.acme.invalid "},
		{"a wrong password", config("127.0.0.1", pg.Port(), "warehouse", "reader", "disable"),
			map[string]string{"password": "wrong-password"},
			"PostgreSQL rejected the password of user reader. Check the username and the password."},
		{"no password", config("127.0.0.1", pg.Port(), "warehouse", "reader", "disable"), map[string]string{},
			"PostgreSQL rejected the password of user reader. Check the username and the password."},
		{"a database that does not exist", config("127.0.0.1", pg.Port(), "wearhouse", "reader", "disable"), right,
			"Database wearhouse does not exist on 127.0.0.1. Check the database name."},
		{"a role that may not log in", config("127.0.0.1", pg.Port(), "warehouse", "locked", "disable"),
			map[string]string{"password": "locked-password"},
			"PostgreSQL does not let user locked connect to database warehouse from Orgtrail's server: no " +
				"pg_hba.conf rule allows it (some allow only TLS connections), or the role may not log in. Check the " +
				"username and the SSL mode, and ask the database's administrator."},
		{"TLS required by the connector, not offered by the database", config("127.0.0.1", pg.Port(), "warehouse", "reader", "require"), right,
			"The database does not accept TLS connections, and SSL mode require requires TLS. Turn TLS on at the " +
				"database, or choose SSL mode disable only if the network between them is private."},
		{"the cloud metadata service", config("169.254.169.254", 5432, "warehouse", "reader", "disable"), right,
			"Orgtrail does not connect to 169.254.169.254: it is a link-local (such as the cloud metadata service), " +
				"multicast or unspecified address. Enter the database's own address."},
		{"a port that never answers", config("127.0.0.1", silent, "warehouse", "reader", "disable"), right,
			"No answer from 127.0.0.1 port %d within 1s. Check the host and port, and that a firewall lets " +
				"Orgtrail's server reach the database."},
		{"a port that hangs up", config("127.0.0.1", hangUp, "warehouse", "reader", "disable"), right,
			"The connection to 127.0.0.1 port %d was closed before PostgreSQL answered. Check that the port is " +
				"PostgreSQL's, not another service's."},
	}
	forbidden := append(resolvers(), "lookup", "dial", "failed to connect", "pgconn", "127.0.0.1:", "[::1]",
		"right-password", "wrong-password", "locked-password", "no pg_hba.conf entry")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := testPostgreSQL(context.Background(), tc.config, tc.creds, time.Second)
			if err == nil {
				t.Fatal("the connection succeeded")
			}
			got := failureMessage(err, tc.config, time.Second)
			want := tc.want
			if strings.Contains(want, "%d") {
				want = strings.ReplaceAll(want, "%d", strconv.Itoa(tc.config["port"].(int)))
			}
			if !strings.HasPrefix(got, want) {
				t.Errorf("message\n%s\nwant\n%s\n(driver: %v)", got, want, err)
			}
			for _, f := range forbidden {
				if strings.Contains(got, f) {
					t.Errorf("message %q holds %q", got, f)
				}
			}
		})
	}

	t.Run("the right settings", func(t *testing.T) {
		desc, err := testPostgreSQL(context.Background(), config("127.0.0.1", pg.Port(), "warehouse", "reader", "prefer"), right, time.Second)
		if err != nil || !strings.HasPrefix(desc, "Connected to PostgreSQL ") {
			t.Fatalf("%q, %v", desc, err)
		}
	})
}

// A name that resolves to a refused address cannot be set up without a DNS
// record of the test's own, so this one case is the dialler's error itself.
func TestANameResolvingToTheMetadataServiceIsExplainedWithoutTheAddress(t *testing.T) {
	cfg := Config{"host": "metadata.acme.example", "port": 5432, "database": "d", "username": "u", "sslMode": "disable"}
	got := failureMessage(netguard.RefusedError{}, cfg, time.Second)
	want := "metadata.acme.example resolves to an address Orgtrail does not connect to (link-local, such as the " +
		"cloud metadata service, multicast or unspecified). Check the host name, and the DNS record it resolves by."
	if got != want {
		t.Fatalf("message\n%s\nwant\n%s", got, want)
	}
}
