package replicas

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"database/sql"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/orgtrail/orgtrail/server/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// errorWindow is how long after the kill requests may fail: HAProxy marks a
// server down after two failed checks 500 ms apart, and the requests in
// flight on the killed server fail at once.
const errorWindow = 5 * time.Second

// loadDuration is how long the load runs: 20 s in `make test`, a minute in
// `make try-replicas` (REPLICAS_LOAD=60s).
func loadDuration(t *testing.T) time.Duration {
	if v := os.Getenv("REPLICAS_LOAD"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 4*time.Second {
			t.Fatalf("REPLICAS_LOAD=%q: want a duration of at least 4s", v)
		}
		return d
	}
	return 20 * time.Second
}

// requireHAProxy skips the test when haproxy is missing, except in CI.
func requireHAProxy(t *testing.T) {
	t.Helper()
	if _, err := HAProxy(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%v (CI=true: .ci/run installs it)", err)
		}
		t.Skipf("skipped: %v", err)
	}
}

// outcome is one request of the load.
type outcome struct {
	at     time.Time
	roleID string // a created role, on success
	err    string
}

// TestTwoServersBehindHAProxySurviveAKill (issue 14): two servers on one
// empty database behind HAProxy, 16 clients writing audited changes and two
// reading the Audit Log through it; one server is killed with SIGKILL
// halfway and started again.
func TestTwoServersBehindHAProxySurviveAKill(t *testing.T) {
	requireHAProxy(t)
	if testing.Short() {
		t.Skip("starts two servers and HAProxy for 20 s or more")
	}
	ctx := context.Background()
	dir := t.TempDir()
	bin, err := Build(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	dsn := pgtest.NewEmptyDatabase(t)
	d, err := Start(ctx, Options{Binary: bin, DatabaseURL: dsn, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	defer func() {
		if t.Failed() {
			for _, s := range d.Servers {
				logTail(t, s.Log())
			}
		}
	}()
	boot, err := d.Bootstrap(ctx, "Replicated", "admin@replicated.example")
	if err != nil {
		t.Fatal(err)
	}
	session := signIn(t, boot.SignInURL)

	load := loadDuration(t)
	t.Logf("load: %s, 16 writers and 2 readers through %s; SIGKILL %s at %s", load, d.URL, d.Servers[0].Name, load/2)
	var (
		mu       sync.Mutex
		writes   []outcome
		reads    []outcome
		wg       sync.WaitGroup
		stopLoad = make(chan struct{})
	)
	client := &http.Client{Timeout: 10 * time.Second}
	for w := range 16 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stopLoad:
					return
				default:
				}
				var res struct {
					CreateRole struct{ Role struct{ ID string } }
				}
				err := gql(client, d.URL, bearer(boot.APIKey),
					fmt.Sprintf(`mutation { createRole(input: {name: "load-%d-%d"}) { role { id } } }`, w, i), &res)
				o := outcome{at: time.Now(), roleID: res.CreateRole.Role.ID}
				if err != nil {
					o.err = err.Error()
				}
				mu.Lock()
				writes = append(writes, o)
				mu.Unlock()
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stopLoad:
					return
				default:
				}
				var res struct {
					AuditEvents struct{ Edges []struct{ Cursor string } }
				}
				err := gql(client, d.URL, session, `{ auditEvents(first: 50) { edges { cursor } } }`, &res)
				o := outcome{at: time.Now()}
				if err == nil && len(res.AuditEvents.Edges) == 0 {
					err = fmt.Errorf("an empty Audit Log")
				}
				if err != nil {
					o.err = err.Error()
				}
				mu.Lock()
				reads = append(reads, o)
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
	// Which server runs each job, sampled from both servers' /metrics.
	var samples []jobSample
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			select {
			case <-stopSampling:
				return
			case <-time.After(300 * time.Millisecond):
			}
			s := sampleJobs(d)
			mu.Lock()
			samples = append(samples, s)
			mu.Unlock()
		}
	}()

	time.Sleep(load / 2)
	victim := d.Servers[0]
	killedAt := time.Now()
	if err := d.Kill(victim); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	if err := d.Restart(ctx, victim); err != nil {
		t.Fatal(err)
	}
	restartedAt := time.Now()
	time.Sleep(load - load/2 - time.Since(killedAt))
	close(stopLoad)
	wg.Wait()
	// Let the jobs settle on the two live servers before the last samples.
	time.Sleep(2 * time.Second)
	close(stopSampling)
	<-sampled
	t.Logf("killed %s at %s, ready again after %s", victim.Name, killedAt.Format("15:04:05.000"), restartedAt.Sub(killedAt).Round(time.Millisecond))

	// No errors outside the seconds after the kill, and work on both sides.
	check := func(kind string, outcomes []outcome) {
		var failed, before, after int
		for _, o := range outcomes {
			switch {
			case o.err == "" && o.at.Before(killedAt):
				before++
			case o.err == "" && o.at.After(killedAt.Add(errorWindow)):
				after++
			case o.err != "" && (o.at.Before(killedAt) || o.at.After(killedAt.Add(errorWindow))):
				t.Errorf("%s failed %s after the kill, outside the %s allowed: %s", kind, o.at.Sub(killedAt).Round(time.Millisecond), errorWindow, o.err)
			case o.err != "":
				failed++
			}
		}
		t.Logf("%s: %d in all, %d ok before the kill, %d ok after the window, %d failed within %s of the kill",
			kind, len(outcomes), before, after, failed, errorWindow)
		if before == 0 || after == 0 {
			t.Errorf("%s: %d succeeded before the kill and %d after the window; want both", kind, before, after)
		}
	}
	check("writes", writes)
	check("reads", reads)

	// Each change ↔ exactly one event: every role of the load has one
	// "Created role" event, every such event its role, and every write that
	// succeeded its role.
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var roles, events, unmatchedRoles, unmatchedEvents int
	err = db.QueryRow(`
		WITH r AS (SELECT id::text AS id FROM roles WHERE organization_id = $1 AND name LIKE 'load-%'),
		     e AS (SELECT resource_id AS id, count(*) AS n FROM audit_events
		           WHERE organization_id = $1 AND action = 'CREATED_ROLE' GROUP BY resource_id)
		SELECT (SELECT count(*) FROM r), (SELECT coalesce(sum(n), 0) FROM e),
		       (SELECT count(*) FROM r LEFT JOIN e USING (id) WHERE e.n IS DISTINCT FROM 1),
		       (SELECT count(*) FROM e LEFT JOIN r USING (id) WHERE r.id IS NULL)`, boot.OrganizationID).
		Scan(&roles, &events, &unmatchedRoles, &unmatchedEvents)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("database: %d roles created by the load, %d Created role events", roles, events)
	if unmatchedRoles != 0 || unmatchedEvents != 0 || roles != events {
		t.Errorf("%d roles without exactly one event, %d events without their role (%d roles, %d events)",
			unmatchedRoles, unmatchedEvents, roles, events)
	}
	stored := map[string]bool{}
	rows, err := db.Query(`SELECT id::text FROM roles WHERE organization_id = $1`, boot.OrganizationID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		stored[id] = true
	}
	rows.Close()
	acknowledged := 0
	for _, o := range writes {
		if o.err == "" {
			acknowledged++
			if !stored[o.roleID] {
				t.Errorf("role %s was acknowledged but is not stored", o.roleID)
			}
		}
	}
	if acknowledged > roles {
		t.Errorf("%d writes acknowledged, only %d roles stored", acknowledged, roles)
	}

	// The sign-in session is valid on both servers, the restarted one too.
	for _, s := range d.Servers {
		var res struct {
			AuditEvents struct{ Edges []struct{ Cursor string } }
		}
		if err := gql(client, s.URL, session, `{ auditEvents(first: 1) { edges { cursor } } }`, &res); err != nil ||
			len(res.AuditEvents.Edges) != 1 {
			t.Errorf("session on %s: %v, %d events", s.Name, err, len(res.AuditEvents.Edges))
		}
	}

	// Each job on one server at a time: every sample shows at most one
	// holder per job, the holder is a server that says it runs it, and at
	// the end every job is held.
	checkJobs(t, samples, d, killedAt)
}

// jobSample is what both servers' /metrics said at one moment.
type jobSample struct {
	at time.Time
	// leaders[server][job] is the holder's instance each server reads
	// from the database; running[server] is the set of jobs it runs.
	leaders map[string]map[string][]string
	running map[string]map[string]bool
}

var (
	leaderLine  = regexp.MustCompile(`^orgtrail_job_leader\{instance="([^"]*)",job="([^"]*)"\} 1$`)
	runningLine = regexp.MustCompile(`^orgtrail_job_running\{job="([^"]*)"\} 1$`)
)

func sampleJobs(d *Deployment) jobSample {
	s := jobSample{at: time.Now(), leaders: map[string]map[string][]string{}, running: map[string]map[string]bool{}}
	client := &http.Client{Timeout: 2 * time.Second}
	for _, srv := range d.Servers {
		resp, err := client.Get(srv.URL + "/metrics")
		if err != nil {
			continue // killed
		}
		leaders, running := map[string][]string{}, map[string]bool{}
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if m := leaderLine.FindStringSubmatch(sc.Text()); m != nil {
				leaders[m[2]] = append(leaders[m[2]], m[1])
			}
			if m := runningLine.FindStringSubmatch(sc.Text()); m != nil {
				running[m[1]] = true
			}
		}
		resp.Body.Close()
		s.leaders[srv.Name], s.running[srv.Name] = leaders, running
	}
	return s
}

var jobs = []string{"mail-outbox", "magic-link-requests", "audit-log-integrator", "audit-partitions", "audit-search-merge"}

func checkJobs(t *testing.T, samples []jobSample, d *Deployment, killedAt time.Time) {
	t.Helper()
	if len(samples) < 5 {
		t.Fatalf("only %d samples of /metrics", len(samples))
	}
	for _, s := range samples {
		for srv, leaders := range s.leaders {
			for job, holders := range leaders {
				if len(holders) > 1 {
					t.Errorf("%s: %s says %s is held by %v", s.at.Format("15:04:05.000"), srv, job, holders)
				}
			}
		}
	}
	// At the end, after the restart: every job held, both servers agree on
	// the holder, and exactly one server runs it.
	last := samples[len(samples)-1]
	if len(last.leaders) != len(d.Servers) {
		t.Fatalf("last sample reached %d servers of %d", len(last.leaders), len(d.Servers))
	}
	for _, job := range jobs {
		var runners []string
		for srv, running := range last.running {
			if running[job] {
				runners = append(runners, srv)
			}
		}
		first := ""
		for srv, leaders := range last.leaders {
			h := strings.Join(leaders[job], ",")
			if h == "" {
				t.Errorf("%s: %s sees no holder at the end", job, srv)
			}
			if first == "" {
				first = h
			} else if h != first {
				t.Errorf("%s: the servers disagree on the holder: %q and %q", job, first, h)
			}
		}
		if len(runners) != 1 {
			t.Errorf("%s: run by %v at the end, want exactly one server", job, runners)
		}
	}
	// After the kill, within the takeover bound, every job was held again.
	for _, s := range samples {
		if s.at.Before(killedAt.Add(errorWindow)) {
			continue
		}
		for srv, leaders := range s.leaders {
			for _, job := range jobs {
				if len(leaders[job]) != 1 {
					t.Errorf("%s: %s saw %s held by %v, %s after the kill", s.at.Format("15:04:05.000"), srv, job,
						leaders[job], s.at.Sub(killedAt).Round(time.Millisecond))
				}
			}
		}
	}
}

// signIn follows a one-time sign-in link and returns the session cookie.
func signIn(t *testing.T, link string) string {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "orgtrail_session" && c.Value != "" {
			return "cookie:" + c.Name + "=" + c.Value
		}
	}
	t.Fatalf("signing in gave no session cookie (%s)", resp.Status)
	return ""
}

func bearer(key string) string { return "bearer:" + key }

// gql posts query to base's /graphql as who ("bearer:KEY" or
// "cookie:NAME=VALUE") and decodes data into out. Any transport error, non-200
// status or GraphQL error is an error.
func gql(client *http.Client, base, who, query string, out any) error {
	body, _ := json.Marshal(map[string]string{"query": query})
	req, err := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if key, ok := strings.CutPrefix(who, "bearer:"); ok {
		req.Header.Set("Authorization", "Bearer "+key)
	} else if cookie, ok := strings.CutPrefix(who, "cookie:"); ok {
		req.Header.Set("Cookie", cookie)
		req.Header.Set("X-Orgtrail-CSRF", "1")
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %.200s", resp.Status, raw)
	}
	var envelope struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.Unmarshal(raw, &envelope); err != nil {
		return fmt.Errorf("%w: %.200s", err, raw)
	}
	if len(envelope.Errors) > 0 {
		return fmt.Errorf("graphql: %s", envelope.Errors[0].Message)
	}
	return json.Unmarshal(envelope.Data, out)
}

func logTail(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	t.Logf("last lines of %s:\n%s", path, strings.Join(lines, "\n"))
}
