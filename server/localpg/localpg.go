// Package localpg runs a PostgreSQL cluster kept in a directory of the
// project, with the PostgreSQL server binaries installed on the machine. It
// serves `orgtrail serve` when DATABASE_URL is unset and the integration
// tests (see package pgtest); production always uses DATABASE_URL.
//
// The cluster listens on 127.0.0.1 only, without a Unix socket, and trusts
// every local connection as the superuser "orgtrail".
package localpg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Superuser is the role initdb creates; every URL connects as it.
const Superuser = "orgtrail"

const (
	// configFile holds the settings Start writes on every start; postgresql.conf
	// includes it, so a person can still tune postgresql.conf by hand.
	configFile = "orgtrail.conf"
	logFile    = "postgres.log"
	// readyTimeout bounds how long a starting server may take to accept
	// connections.
	readyTimeout = 60 * time.Second
	// portAttempts is how many free ports Start tries when another process
	// takes the one it picked before PostgreSQL could bind it.
	portAttempts = 3
)

// Options configure Start.
type Options struct {
	// Dir is the cluster's data directory. Start creates it with initdb when
	// it does not hold a cluster yet.
	Dir string
	// Port is the TCP port on 127.0.0.1; 0 picks a free one. A cluster that
	// is already running keeps the port it has.
	Port int
	// Ephemeral trades durability for speed, for throwaway test clusters:
	// fsync, synchronous_commit and full_page_writes are off. The server
	// also runs as a child of this process and dies with it.
	Ephemeral bool
	// Logf, when set, receives progress messages.
	Logf func(format string, args ...any)
	// Settings are more postgresql.conf lines written on every start
	// ("hot_standby_feedback = on").
	Settings []string
}

// Cluster is a running PostgreSQL server.
type Cluster struct {
	dir     string
	port    int
	bin     binaries
	account *account
	logf    func(string, ...any)
	// reused is set when the server was already running before Start.
	reused bool

	// child is the postgres process of an Ephemeral cluster, and exited is
	// closed once it has been waited for.
	child    *exec.Cmd
	exited   chan struct{}
	stopOnce sync.Once
	stopErr  error
}

// Start starts the cluster in opts.Dir, initializing it first when the
// directory is empty or missing, or returns the server already running
// there. It returns once the server accepts connections.
//
// When this process runs as root, the cluster's processes run as the
// "postgres" system user (or "nobody"), which then owns opts.Dir.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	if opts.Dir == "" {
		return nil, errors.New("localpg: Options.Dir is empty")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("localpg: %w", err)
	}
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	bin, err := findBinaries()
	if err != nil {
		return nil, err
	}
	acct, err := serverAccount()
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, bin: bin, account: acct, logf: logf}

	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("localpg: %w", err)
	}
	if err := acct.makeTraversable(dir, logf); err != nil {
		return nil, err
	}
	if err := acct.own(dir); err != nil {
		return nil, err
	}

	initialized, err := hasCluster(dir)
	if err != nil {
		return nil, err
	}
	if initialized {
		if port, ok := runningPort(dir); ok {
			c.port, c.reused = port, true
			if opts.Port != 0 && opts.Port != port {
				logf("localpg: cluster in %s is already running on port %d (not %d); using it", dir, port, opts.Port)
			} else {
				logf("localpg: cluster in %s is already running on port %d", dir, port)
			}
			if err := c.waitReady(ctx); err != nil {
				return nil, fmt.Errorf("localpg: cluster in %s is running but unusable: %w", dir, err)
			}
			return c, nil
		}
	} else if err := c.initdb(ctx, opts.Ephemeral); err != nil {
		return nil, err
	}

	for attempt := 1; ; attempt++ {
		c.port = opts.Port
		if c.port == 0 {
			if c.port, err = freePort(); err != nil {
				return nil, err
			}
		}
		err = c.start(ctx, opts.Ephemeral, opts.Settings)
		if err == nil || opts.Port != 0 || attempt == portAttempts || !errors.Is(err, errPortTaken) {
			break
		}
		logf("localpg: port %d was taken before PostgreSQL could bind it; trying another", c.port)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// StartStandby makes opts.Dir, which must be empty or missing, a streaming
// standby of the server at primaryURL and starts it: pg_basebackup copies
// the primary and writes standby.signal and primary_conninfo (-R), and the
// standby then replays the primary's WAL as it streams in, serving read-only
// queries. The primary must accept replication connections from 127.0.0.1,
// as a cluster Start made does (initdb's default pg_hba.conf, trust).
// hot_standby_feedback is on, so the primary keeps the rows a long read on
// the standby still needs instead of cancelling it.
func StartStandby(ctx context.Context, primaryURL string, opts Options) (*Cluster, error) {
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("localpg: %w", err)
	}
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	bin, err := findBinaries()
	if err != nil {
		return nil, err
	}
	acct, err := serverAccount()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("localpg: %w", err)
	}
	if err := acct.makeTraversable(dir, logf); err != nil {
		return nil, err
	}
	if err := acct.own(dir); err != nil {
		return nil, err
	}
	if initialized, err := hasCluster(dir); err != nil || initialized {
		return nil, errors.Join(err, fmt.Errorf("localpg: a standby needs an empty directory; %s holds a cluster", dir))
	}
	c := &Cluster{dir: dir, bin: bin, account: acct, logf: logf}
	logf("localpg: copying the primary into %s with pg_basebackup", dir)
	out, err := c.command(ctx, bin.pgBasebackup, "-d", primaryURL, "-D", dir, "-R", "-X", "stream", "--checkpoint=fast").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("localpg: pg_basebackup: %w: %s", err, lastLines(out, 10))
	}
	opts.Dir = dir
	opts.Settings = append(append([]string(nil), opts.Settings...), "hot_standby_feedback = on")
	return Start(ctx, opts)
}

// URL is the connection URL of database dbname on the cluster.
func (c *Cluster) URL(dbname string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(Superuser),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/" + dbname,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Port is the TCP port the cluster listens on.
func (c *Cluster) Port() int { return c.port }

// EnsureDatabase creates database name unless it exists.
func (c *Cluster) EnsureDatabase(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("localpg: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("localpg: look up database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: created meanwhile
		return nil
	}
	if err != nil {
		return fmt.Errorf("localpg: create database %s: %w", name, err)
	}
	c.logf("localpg: created database %s", name)
	return nil
}

// Stop shuts the server down with a fast shutdown: open transactions roll
// back, the data stays. It does nothing when the server is already down.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() { c.stopErr = c.stop() })
	return c.stopErr
}

func (c *Cluster) stop() error {
	if c.child == nil {
		if _, running := runningPort(c.dir); !running {
			return nil
		}
		out, err := c.command(context.Background(), c.bin.pgCtl, "stop", "-D", c.dir, "-m", "fast", "-w", "-t", "60").CombinedOutput()
		if err != nil {
			return fmt.Errorf("localpg: pg_ctl stop: %w: %s", err, bytes.TrimSpace(out))
		}
		c.logf("localpg: stopped the cluster in %s", c.dir)
		return nil
	}
	// SIGINT is PostgreSQL's fast shutdown, what pg_ctl stop -m fast sends.
	if err := c.child.Process.Signal(syscall.SIGINT); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("localpg: stop postgres: %w", err)
	}
	select {
	case <-c.exited:
	case <-time.After(readyTimeout):
		_ = c.child.Process.Kill()
		<-c.exited
		return fmt.Errorf("localpg: postgres did not shut down within %s; killed it", readyTimeout)
	}
	c.logf("localpg: stopped the cluster in %s", c.dir)
	return nil
}

// hasCluster reports whether dir holds an initialized cluster, and refuses a
// directory that holds something else.
func hasCluster(dir string) (bool, error) {
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err == nil {
		return true, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, fmt.Errorf("localpg: %w", err)
	}
	if len(entries) > 0 {
		return false, fmt.Errorf("localpg: %s is neither empty nor a PostgreSQL data directory (no PG_VERSION)", dir)
	}
	return false, nil
}

// initdb creates the cluster. The character classification is C.UTF-8, so
// lower() and ILIKE fold non-ASCII letters, with plain C as the fallback
// where that locale is missing; collation is C, fast and the same everywhere.
func (c *Cluster) initdb(ctx context.Context, ephemeral bool) error {
	c.logf("localpg: initializing a PostgreSQL cluster in %s", c.dir)
	args := []string{"-D", c.dir, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--locale=C"}
	if ephemeral {
		args = append(args, "--no-sync")
	}
	out, err := c.command(ctx, c.bin.initdb, append(args, "--lc-ctype=C.UTF-8")...).CombinedOutput()
	if err != nil {
		c.logf("localpg: initdb with LC_CTYPE C.UTF-8 failed, retrying with C: %s", lastLines(out, 3))
		if err := emptyDir(c.dir); err != nil {
			return err
		}
		out, err = c.command(ctx, c.bin.initdb, args...).CombinedOutput()
	}
	if err != nil {
		return fmt.Errorf("localpg: initdb %s: %w: %s", c.dir, err, lastLines(out, 10))
	}
	conf := filepath.Join(c.dir, "postgresql.conf")
	f, err := os.OpenFile(conf, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("localpg: %w", err)
	}
	_, err = fmt.Fprintf(f, "\n# Written by orgtrail (server/localpg) on every start.\ninclude_if_exists = '%s'\n", configFile)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("localpg: %s: %w", conf, err)
	}
	return nil
}

// start writes the configuration and starts the server on c.port.
func (c *Cluster) start(ctx context.Context, ephemeral bool, extra []string) error {
	settings := []string{
		"listen_addresses = '127.0.0.1'",
		"port = " + strconv.Itoa(c.port),
		"unix_socket_directories = ''",
	}
	if ephemeral {
		settings = append(settings, "fsync = off", "synchronous_commit = off", "full_page_writes = off")
	}
	settings = append(settings, extra...)
	conf := "# Managed by orgtrail's localpg, rewritten on every start: edit postgresql.conf instead.\n" +
		strings.Join(settings, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(c.dir, configFile), []byte(conf), 0o600); err != nil {
		return fmt.Errorf("localpg: %w", err)
	}
	logPath := filepath.Join(c.dir, logFile)
	logOut, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("localpg: %w", err)
	}
	logStart, _ := logOut.Seek(0, io.SeekEnd)
	if err := c.account.own(c.dir); err != nil {
		logOut.Close()
		return err
	}
	c.logf("localpg: starting PostgreSQL on 127.0.0.1:%d (data %s, log %s)", c.port, c.dir, logPath)

	if !ephemeral {
		logOut.Close()
		// pg_ctl detaches the server from this process, so it outlives it
		// and a later Start reuses it.
		out, err := c.command(ctx, c.bin.pgCtl, "start", "-D", c.dir, "-l", logPath, "-w", "-t", strconv.Itoa(int(readyTimeout.Seconds()))).CombinedOutput()
		if err != nil {
			return c.startError(fmt.Errorf("pg_ctl start: %w: %s", err, bytes.TrimSpace(out)), logPath, logStart)
		}
		if err := c.waitReady(ctx); err != nil {
			return fmt.Errorf("localpg: %w", err)
		}
		return nil
	}

	// An ephemeral server is this process's child: the kernel sends it
	// SIGQUIT (immediate shutdown) when this process dies, so a test binary
	// killed by a timeout leaves no server behind.
	cmd := c.command(context.Background(), c.bin.postgres, "-D", c.dir)
	cmd.Stdout, cmd.Stderr = logOut, logOut
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT
	err = cmd.Start()
	logOut.Close()
	if err != nil {
		return fmt.Errorf("localpg: start postgres: %w", err)
	}
	c.child, c.exited = cmd, make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(c.exited)
	}()
	if err := c.waitReady(ctx); err != nil {
		_ = cmd.Process.Signal(syscall.SIGQUIT)
		<-c.exited
		c.child = nil
		return c.startError(err, logPath, logStart)
	}
	return nil
}

// errPortTaken marks a start that failed because the port was in use.
var errPortTaken = errors.New("port already in use")

// startError adds what the server logged during this start to err.
func (c *Cluster) startError(err error, logPath string, from int64) error {
	logged, _ := os.ReadFile(logPath)
	if from >= 0 && from <= int64(len(logged)) {
		logged = logged[from:]
	}
	if bytes.Contains(logged, []byte("could not bind")) || bytes.Contains(logged, []byte("already in use")) {
		err = fmt.Errorf("%w (%w)", err, errPortTaken)
	}
	return fmt.Errorf("localpg: start PostgreSQL in %s: %w\nserver log (%s):\n%s", c.dir, err, logPath, lastLines(logged, 15))
}

// waitReady returns once the server accepts connections.
func (c *Cluster) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	var last error
	for {
		if c.child != nil {
			select {
			case <-c.exited:
				return fmt.Errorf("postgres exited: %s", c.child.ProcessState)
			default:
			}
		}
		attempt, cancelAttempt := context.WithTimeout(ctx, 2*time.Second)
		conn, err := pgx.Connect(attempt, c.URL("postgres"))
		if err == nil {
			err = conn.Ping(attempt)
			conn.Close(attempt)
		}
		cancelAttempt()
		if err == nil {
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("PostgreSQL on port %d does not accept connections: %w (last error: %v)", c.port, ctx.Err(), last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// command prepares one of the server's programs, run as the server's account
// and without the caller's PG* variables, which would override the flags.
func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = c.dir
	cmd.SysProcAttr = c.account.credential()
	cmd.WaitDelay = 5 * time.Second
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	return cmd
}

// runningPort returns the port of the server running in dir, if any,
// according to its postmaster.pid.
func runningPort(dir string) (int, bool) {
	data, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	lines := strings.Split(string(data), "\n")
	if len(lines) < 4 {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil || pid <= 0 || !isPostgres(pid) {
		return 0, false
	}
	port, err := strconv.Atoi(strings.TrimSpace(lines[3]))
	if err != nil {
		return 0, false
	}
	return port, true
}

// isPostgres reports whether process pid is alive and, where /proc tells,
// is a postgres server rather than an unrelated process that reused the pid
// of a server that died (common in containers, where pids restart low).
func isPostgres(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return !errors.Is(err, os.ErrNotExist) || !procMounted()
	}
	argv0, _, _ := bytes.Cut(cmdline, []byte{0})
	return bytes.Contains(argv0, []byte("postgres"))
}

func procMounted() bool {
	_, err := os.Stat("/proc/self")
	return err == nil
}

// freePort asks the kernel for a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("localpg: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// emptyDir removes what is inside dir, keeping dir itself.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("localpg: %w", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("localpg: %w", err)
		}
	}
	return nil
}

// lastLines returns the last n non-empty lines of out, for error messages.
func lastLines(out []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
