package replicas

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/orgtrail/orgtrail/server/auditlog"
)

// HAProxy returns the path of the haproxy program, or an error that says how
// to install it.
func HAProxy() (string, error) {
	path, err := exec.LookPath("haproxy")
	if err != nil {
		return "", errors.New("haproxy is not installed: apt-get install --no-install-recommends haproxy")
	}
	return path, nil
}

// Build compiles the orgtrail command into dir and returns the binary's path.
// It runs from anywhere inside the module.
func Build(ctx context.Context, dir string) (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("replicas: the go command is needed to build orgtrail: %w", err)
	}
	bin := filepath.Join(dir, "orgtrail")
	cmd := exec.CommandContext(ctx, goBin, "build", "-o", bin, "github.com/orgtrail/orgtrail/server/cmd/orgtrail")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("replicas: go build: %w\n%s", err, out)
	}
	return bin, nil
}

// Options describe a Deployment.
type Options struct {
	// Binary is the orgtrail program (Build).
	Binary string
	// DatabaseURL is the primary every server uses; ReadURL, when set, is
	// their DATABASE_READ_URL.
	DatabaseURL, ReadURL string
	// Servers is how many `orgtrail serve` run behind HAProxy (default 2).
	Servers int
	// Dir receives the configuration and each process's log.
	Dir string
	// Env adds variables to every server's environment.
	Env []string
}

// Deployment is N orgtrail servers on one database behind one HAProxy.
type Deployment struct {
	// URL is the load balancer's address, also every server's PUBLIC_URL.
	URL     string
	Servers []*Server
	opts    Options
	env     []string
	haproxy *exec.Cmd
	hpDone  chan struct{}
}

// Server is one `orgtrail serve` process.
type Server struct {
	// Name is its name in HAProxy's configuration ("s1", "s2", ...).
	Name string
	// URL reaches it directly, bypassing the load balancer.
	URL  string
	addr string
	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	log  string
}

// Log is the path of the server's log file.
func (s *Server) Log() string { return s.log }

// Start starts the servers at the same moment on the database, waits for
// each to answer /readyz, then starts HAProxy in front and waits for it.
func Start(ctx context.Context, opts Options) (d *Deployment, err error) {
	if opts.Servers == 0 {
		opts.Servers = 2
	}
	hp, err := HAProxy()
	if err != nil {
		return nil, err
	}
	ports, err := freePorts(opts.Servers + 1)
	if err != nil {
		return nil, err
	}
	d = &Deployment{URL: fmt.Sprintf("http://127.0.0.1:%d", ports[0]), opts: opts}
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	secret := make([]byte, 32)
	for i := range secret {
		secret[i] = byte(i*7 + 3)
	}
	signing, _, err := auditlog.GenerateKey("127.0.0.1/orgtrail-audit-log")
	if err != nil {
		return nil, err
	}
	d.env = append(cleanEnv(), "DATABASE_URL="+opts.DatabaseURL, "PUBLIC_URL="+d.URL,
		"SECRET_KEY="+base64.StdEncoding.EncodeToString(secret), "AUDIT_SIGNING_KEY="+signing,
		"TRUSTED_PROXIES=127.0.0.1/32")
	if opts.ReadURL != "" {
		d.env = append(d.env, "DATABASE_READ_URL="+opts.ReadURL)
	}
	d.env = append(d.env, opts.Env...)
	for i := range opts.Servers {
		addr := fmt.Sprintf("127.0.0.1:%d", ports[i+1])
		d.Servers = append(d.Servers, &Server{Name: fmt.Sprintf("s%d", i+1), URL: "http://" + addr, addr: addr,
			log: filepath.Join(opts.Dir, fmt.Sprintf("s%d.log", i+1))})
	}
	// Together, as replicas of a fresh deployment start: the migrations must
	// run once while every server waits for them.
	for _, s := range d.Servers {
		if err := d.launch(s); err != nil {
			return nil, err
		}
	}
	for _, s := range d.Servers {
		if err := d.WaitReady(ctx, s); err != nil {
			return nil, err
		}
	}
	var cfg strings.Builder
	fmt.Fprintf(&cfg, `global
	maxconn 4096
defaults
	mode http
	timeout connect 1s
	timeout client 60s
	timeout server 60s
	retries 3
	option redispatch
frontend orgtrail
	bind 127.0.0.1:%d
	default_backend servers
backend servers
	balance roundrobin
	option httpchk GET /readyz
	http-check expect status 200
	option forwardfor
`, ports[0])
	for _, s := range d.Servers {
		fmt.Fprintf(&cfg, "\tserver %s %s check inter 500ms fall 2 rise 2\n", s.Name, s.addr)
	}
	cfgPath := filepath.Join(opts.Dir, "haproxy.cfg")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o600); err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(opts.Dir, "haproxy.log"))
	if err != nil {
		return nil, err
	}
	d.haproxy = exec.Command(hp, "-f", cfgPath, "-db")
	d.haproxy.Stdout, d.haproxy.Stderr = logf, logf
	d.haproxy.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := d.haproxy.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("replicas: start haproxy: %w", err)
	}
	d.hpDone = make(chan struct{})
	go func() { _ = d.haproxy.Wait(); logf.Close(); close(d.hpDone) }()
	if err := waitOK(ctx, d.URL+"/readyz", d.hpDone); err != nil {
		return nil, fmt.Errorf("replicas: haproxy: %w (log %s)", err, logf.Name())
	}
	return d, nil
}

// cleanEnv is this process's environment without what configures orgtrail
// or libpq, so a developer's settings cannot leak into the servers.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "PG"), k == "DATABASE_URL", k == "DATABASE_READ_URL", k == "LISTEN_ADDR",
			k == "PUBLIC_URL", k == "SECRET_KEY", k == "SECRET_KEY_PREVIOUS", k == "SMTP_URL",
			k == "AUDIT_SIGNING_KEY", k == "AUDIT_SIGNING_KEY_PREVIOUS", k == "TRUSTED_PROXIES":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// launch starts s's process; its log is appended to s.Log().
func (d *Deployment) launch(s *Server) error {
	logf, err := os.OpenFile(s.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(d.opts.Binary, "serve")
	cmd.Env = append(append([]string(nil), d.env...), "LISTEN_ADDR="+s.addr)
	cmd.Stdout, cmd.Stderr = logf, logf
	// A test binary that dies takes its servers with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("replicas: start %s: %w", s.Name, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); logf.Close(); close(done) }()
	s.mu.Lock()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()
	return nil
}

// WaitReady waits until s answers /readyz.
func (d *Deployment) WaitReady(ctx context.Context, s *Server) error {
	s.mu.Lock()
	done := s.done
	s.mu.Unlock()
	if err := waitOK(ctx, s.URL+"/readyz", done); err != nil {
		return fmt.Errorf("replicas: %s: %w (log %s)", s.Name, err, s.log)
	}
	return nil
}

// Kill ends s with SIGKILL, as a crash or the OOM killer would, and waits
// for it to be gone.
func (d *Deployment) Kill(s *Server) error {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.mu.Unlock()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return err
	}
	<-done
	return nil
}

// Restart starts s again after Kill and waits until it is ready.
func (d *Deployment) Restart(ctx context.Context, s *Server) error {
	if err := d.launch(s); err != nil {
		return err
	}
	return d.WaitReady(ctx, s)
}

// Bootstrapped is what `orgtrail bootstrap` prints.
type Bootstrapped struct {
	OrganizationID string `json:"organizationId"`
	UserID         string `json:"userId"`
	SignInURL      string `json:"signInUrl"`
	APIKey         string `json:"apiKey"`
}

// Bootstrap runs `orgtrail bootstrap --api-key` against the deployment's
// database.
func (d *Deployment) Bootstrap(ctx context.Context, org, admin string) (Bootstrapped, error) {
	cmd := exec.CommandContext(ctx, d.opts.Binary, "bootstrap", "--org", org, "--admin", admin, "--api-key")
	cmd.Env = d.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return Bootstrapped{}, fmt.Errorf("replicas: bootstrap: %w: %s", err, stderr.String())
	}
	var b Bootstrapped
	if err := json.Unmarshal(out, &b); err != nil {
		return Bootstrapped{}, fmt.Errorf("replicas: bootstrap printed %q: %w", out, err)
	}
	return b, nil
}

// Command is the orgtrail program with args, set up as the servers are
// (database, keys), for the other commands (seed, migrate).
func (d *Deployment) Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, d.opts.Binary, args...)
	cmd.Env = d.env
	return cmd
}

// Close stops HAProxy and every server (SIGTERM, then SIGKILL after a few
// seconds).
func (d *Deployment) Close() {
	stop := func(cmd *exec.Cmd, done chan struct{}) {
		if cmd == nil || done == nil {
			return
		}
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}
	stop(d.haproxy, d.hpDone)
	for _, s := range d.Servers {
		s.mu.Lock()
		cmd, done := s.cmd, s.done
		s.mu.Unlock()
		stop(cmd, done)
	}
}

// waitOK polls url until it answers 200, for up to a minute, or until exited
// is closed (the process died).
func waitOK(ctx context.Context, url string, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	var last error
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("%s: %s", url, resp.Status)
		}
		last = err
		select {
		case <-exited:
			return fmt.Errorf("exited before answering %s", url)
		case <-ctx.Done():
			return fmt.Errorf("%s did not answer 200 within a minute: %v", url, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// freePorts returns n TCP ports free on 127.0.0.1 now.
func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		_, p, _ := net.SplitHostPort(l.Addr().String())
		port, _ := strconv.Atoi(p)
		ports = append(ports, port)
	}
	return ports, nil
}
