package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/graph"
	"github.com/orgtrail/orgtrail/server/seed"
)

// BENCH_MODE=hostile (`make bench-hostile`) measures what one tenant's
// worst requests do to another tenant (issue 10, path 7: 300 aliased
// searches once took another tenant's one-line query from 85 ms to 32 s).
// It seeds a hostile tenant with many events and a victim with a few,
// finds the most expensive request the cost limits still accept, and
// measures the victim's simple query alone and then while several clients
// send that request in a loop, in one run.
//
// Environment (all optional, besides those of the default mode that apply:
// DATABASE_URL, BENCH_SHARED_BUFFERS, BENCH_SEED, BENCH_TIME_LIMIT):
//
//	BENCH_HOSTILE_EVENTS   events in the hostile tenant (300000)
//	BENCH_VICTIM_EVENTS    events in the victim tenant (10000)
//	BENCH_HOSTILE_CLIENTS  clients sending the hostile request at once (4)
//	BENCH_REQUESTS         the victim's requests per measurement (1000)

// victimQuery is the victim's simple query: the newest events of its log.
const victimQuery = `{ auditEvents(first: 20) { edges { node { id occurredAt action actor { email } } } } }`

// fullRow is one event with every column, as the Audit Log tab reads it.
const fullRow = `cursor node { id occurredAt category action actionLabel actor { type id email name }
	resource { type id name } details ipAddress userAgent requestId }`

// victimTarget is the target for the victim's p95 under load.
const victimTarget = 100 * time.Millisecond

type hostileOptions struct {
	options
	hostileEvents, victimEvents, clients int
}

func hostileOptionsFromEnv() (hostileOptions, error) {
	c := hostileOptions{options: options{
		databaseURL:   os.Getenv("DATABASE_URL"),
		sharedBuffers: envString("BENCH_SHARED_BUFFERS", "1GB"),
	}}
	ints := []struct {
		name string
		dst  *int
		def  int
	}{
		{"BENCH_HOSTILE_EVENTS", &c.hostileEvents, 300_000},
		{"BENCH_VICTIM_EVENTS", &c.victimEvents, 10_000},
		{"BENCH_HOSTILE_CLIENTS", &c.clients, 4},
		{"BENCH_REQUESTS", &c.requests, 1000},
	}
	var err error
	for _, v := range ints {
		if *v.dst, err = envInt(v.name, v.def); err != nil {
			return c, err
		}
	}
	seedValue, err := envInt("BENCH_SEED", 1)
	if err != nil {
		return c, err
	}
	c.seed = uint64(seedValue)
	if c.timeLimit, err = time.ParseDuration(envString("BENCH_TIME_LIMIT", "60s")); err != nil || c.timeLimit <= 0 {
		return c, fmt.Errorf("BENCH_TIME_LIMIT must be a positive duration such as 60s")
	}
	if c.hostileEvents < 1000 || c.victimEvents < 100 || c.clients < 1 || c.requests < 1 {
		return c, fmt.Errorf("BENCH_HOSTILE_EVENTS must be at least 1000, BENCH_VICTIM_EVENTS 100, BENCH_HOSTILE_CLIENTS and BENCH_REQUESTS 1")
	}
	return c, nil
}

// hostileReport is what BENCH_MODE=hostile measured.
type hostileReport struct {
	cfg               hostileOptions
	started, finished time.Time
	loadAverage       string
	pgVersion         string
	seeded, victim    seed.Stats

	attack     gqlAnswer // the 300 aliased searches of issue 10
	threeAlias gqlAnswer // three searches in one request
	candidates []candidate
	request    string // the hostile request, as sent
	first      int    // its page size
	chosen     candidate

	alone, loaded []time.Duration
	hostile       loadResult
}

// candidate is a search the hostile tenant may send, and how long one took.
type candidate struct {
	name   string
	filter map[string]any
	median time.Duration
}

// gqlAnswer is the first error of a GraphQL answer ("" when none).
type gqlAnswer struct{ code, message string }

// post sends a GraphQL request with the client's key and decodes its data
// into data (when not nil). A GraphQL error is an answer, not an error: the
// benchmark counts refusals.
func (c *graphQLClient) post(ctx context.Context, query string, vars map[string]any, data any) (gqlAnswer, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return gqlAnswer{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return gqlAnswer{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	resp, err := c.http.Do(req)
	if err != nil {
		return gqlAnswer{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return gqlAnswer{}, err
	}
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string `json:"message"`
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return gqlAnswer{}, fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, raw)
	}
	if len(out.Errors) > 0 {
		return gqlAnswer{code: out.Errors[0].Extensions.Code, message: out.Errors[0].Message}, nil
	}
	if data != nil {
		if len(out.Data) == 0 || string(out.Data) == "null" {
			return gqlAnswer{}, fmt.Errorf("HTTP %d without data: %.200s", resp.StatusCode, raw)
		}
		if err := json.Unmarshal(out.Data, data); err != nil {
			return gqlAnswer{}, err
		}
	}
	return gqlAnswer{}, nil
}

// refusedByLimit reports whether the server refused a request for its cost.
func (a gqlAnswer) refusedByLimit() bool {
	return a.code == "BAD_USER_INPUT" && strings.Contains(a.message, "limit of")
}

// searches is a request of n aliased auditEvents pages, one per filter
// variable $f0…, each of first events with every column.
func searches(n, first int) string {
	var decls, fields []string
	for i := range n {
		decls = append(decls, fmt.Sprintf("$f%d: AuditEventFilter", i))
		fields = append(fields, fmt.Sprintf("s%d: auditEvents(filter: $f%d, first: %d) { edges { %s } }", i, i, first, fullRow))
	}
	return "query(" + strings.Join(decls, ", ") + ") { " + strings.Join(fields, " ") + " }"
}

func searchVars(filters ...map[string]any) map[string]any {
	vars := map[string]any{}
	for i, f := range filters {
		vars[fmt.Sprintf("f%d", i)] = f
	}
	return vars
}

func runHostile(ctx context.Context, log *slog.Logger) error {
	cfg, err := hostileOptionsFromEnv()
	if err != nil {
		return err
	}
	rep := &hostileReport{cfg: cfg, started: time.Now(), loadAverage: loadAverage()}
	dsn, stopDB, err := openDatabase(ctx, cfg.options)
	if err != nil {
		return err
	}
	defer func() {
		if err := stopDB(); err != nil {
			progress("stopping PostgreSQL: %v", err)
		}
	}()
	srv, err := startServer(ctx, dsn, log, true)
	if err != nil {
		return err
	}
	defer srv.Close()
	victimTenant, err := srv.bootstrap(ctx, "Victim Inc", "admin@victim.example")
	if err != nil {
		return fmt.Errorf("bootstrap the victim: %w", err)
	}
	victimOrg, err := uuid.Parse(victimTenant.OrganizationID)
	if err != nil {
		return err
	}
	db, err := newBenchDB(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.mainOrg = srv.organizationID

	progress("seeding %d events into the hostile tenant (%s)", cfg.hostileEvents, benchOrganization)
	if rep.seeded, err = seed.Events(ctx, db.pool, srv.organizationID, cfg.hostileEvents, seed.Options{Seed: cfg.seed}); err != nil {
		return err
	}
	db.byAction = rep.seeded.ByAction
	progress("seeding %d events into the victim tenant", cfg.victimEvents)
	if rep.victim, err = seed.Events(ctx, db.pool, victimOrg, cfg.victimEvents, seed.Options{Seed: cfg.seed + 1}); err != nil {
		return err
	}
	progress("VACUUM ANALYZE")
	if _, err := db.pool.Exec(ctx, `VACUUM (ANALYZE)`); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	if err := db.pool.QueryRow(ctx, `SELECT current_setting('server_version')`).Scan(&rep.pgVersion); err != nil {
		return err
	}

	hostile := newGraphQLClient(srv)
	victim := newGraphQLClient(srv)
	victim.apiKey = victimTenant.APIKey

	// The request of issue 10, and three searches at once: both refused.
	attack := searches(300, 1)
	filters := make([]map[string]any, 300)
	for i := range filters {
		filters[i] = map[string]any{"search": "zzqxv"}
	}
	if rep.attack, err = hostile.post(ctx, attack, searchVars(filters...), nil); err != nil {
		return err
	}
	if rep.threeAlias, err = hostile.post(ctx, searches(3, 1), searchVars(filters[:3]...), nil); err != nil {
		return err
	}
	if !rep.attack.refusedByLimit() || !rep.threeAlias.refusedByLimit() {
		return fmt.Errorf("the limits accepted a request they must refuse: %+v, %+v", rep.attack, rep.threeAlias)
	}

	if err := chooseHostileRequest(ctx, hostile, db, rep); err != nil {
		return err
	}

	progress("measuring the victim's query alone (%d requests)", cfg.requests)
	if rep.alone, err = measureVictim(ctx, victim, cfg); err != nil {
		return err
	}
	progress("  p50 %s, p95 %s", fmtDuration(percentile(rep.alone, 50)), fmtDuration(percentile(rep.alone, 95)))
	progress("starting %d hostile clients", cfg.clients)
	load := startLoad(ctx, hostile, rep.request, searchVars(rep.chosen.filter, rep.chosen.filter), cfg.clients)
	progress("measuring the victim's query under the hostile load (%d requests)", cfg.requests)
	rep.loaded, err = measureVictim(ctx, victim, cfg)
	rep.hostile = load.stop()
	if err != nil {
		return err
	}
	progress("  p50 %s, p95 %s; the hostile clients sent %d requests", fmtDuration(percentile(rep.loaded, 50)),
		fmtDuration(percentile(rep.loaded, 95)), len(rep.hostile.samples))
	rep.finished = time.Now()
	return rep.write(os.Stdout)
}

// chooseHostileRequest times each candidate search alone (median of
// three), keeps the slowest, and finds the largest page the cost limit
// accepts for two of it in one request: two searches are the most one
// request may carry.
func chooseHostileRequest(ctx context.Context, c *graphQLClient, db *benchDB, rep *hostileReport) error {
	email, _, err := db.rareActorEmail(ctx)
	if err != nil {
		return err
	}
	resource, _, err := db.resourceID(ctx)
	if err != nil {
		return err
	}
	rare, _ := db.rareAction()
	var actor string
	if err := db.pool.QueryRow(ctx, `SELECT actor_id FROM audit_events WHERE organization_id = $1 AND actor_email = $2 LIMIT 1`,
		db.mainOrg, email).Scan(&actor); err != nil {
		return fmt.Errorf("find the rare actor's id: %w", err)
	}
	rep.candidates = []candidate{
		{name: fmt.Sprintf(`"example" (in nearly every event) with the rarest action, %s`, rare), filter: map[string]any{"search": "example", "action": string(rare)}},
		{name: `"example" with category Secrets`, filter: map[string]any{"search": "example", "category": "SECRETS"}},
		{name: `common word "role"`, filter: map[string]any{"search": "role"}},
		{name: "a rare actor's email", filter: map[string]any{"search": email}},
		{name: "a resource id", filter: map[string]any{"search": resource}},
		{name: `absent word "zzqxv"`, filter: map[string]any{"search": "zzqxv"}},
		{name: `"example role" (common trigrams, rarely together)`, filter: map[string]any{"search": "example role"}},
		{name: `"example" by a rare actor`, filter: map[string]any{"search": "example", "actorId": actor}},
	}
	for i := range rep.candidates {
		cand := &rep.candidates[i]
		var samples []time.Duration
		for range 3 {
			started := time.Now()
			a, err := c.post(ctx, searches(1, 40), searchVars(cand.filter), nil)
			if err != nil {
				return err
			}
			if a.code != "" {
				progress("  candidate %s: %s: %s", cand.name, a.code, a.message)
			}
			samples = append(samples, time.Since(started))
		}
		cand.median = percentile(samples, 50)
		progress("  candidate %s: %s", cand.name, fmtDuration(cand.median))
	}
	rep.chosen = slices.MaxFunc(rep.candidates, func(a, b candidate) int { return cmp.Compare(a.median, b.median) })
	vars := searchVars(rep.chosen.filter, rep.chosen.filter)
	lo, hi := 0, 200 // lo is accepted (a page of 0 events still searches), hi not yet known
	for lo < hi {
		mid := (lo + hi + 1) / 2
		a, err := c.post(ctx, searches(2, mid), vars, nil)
		if err != nil {
			return err
		}
		if a.refusedByLimit() {
			hi = mid - 1
		} else {
			lo = mid
		}
	}
	rep.first = lo
	rep.request = searches(2, lo)
	progress("hostile request: two searches of %s, %d events each with every column", rep.chosen.name, lo)
	return nil
}

// measureVictim sends the victim's query one request at a time, after a
// short warm-up, cfg.requests times or until cfg.timeLimit.
func measureVictim(ctx context.Context, c *graphQLClient, cfg hostileOptions) ([]time.Duration, error) {
	deadline := time.Now().Add(cfg.timeLimit)
	var samples []time.Duration
	const warmup = 3
	for i := 0; i < warmup+cfg.requests && time.Now().Before(deadline); i++ {
		started := time.Now()
		a, err := c.post(ctx, victimQuery, nil, nil)
		elapsed := time.Since(started)
		if err != nil {
			return nil, err
		}
		if a.code != "" {
			return nil, fmt.Errorf("the victim's query failed: %s: %s", a.code, a.message)
		}
		if i >= warmup {
			samples = append(samples, elapsed)
		}
	}
	if len(samples) == 0 {
		return nil, errors.New("no victim request finished within BENCH_TIME_LIMIT")
	}
	return samples, nil
}

// loadResult is what the hostile clients did.
type loadResult struct {
	samples []time.Duration
	errors  map[string]int
}

type load struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	result loadResult
}

// startLoad runs clients goroutines sending query in a loop until stop,
// and returns once each has finished one request, so that the load is
// established before anything is measured.
func startLoad(ctx context.Context, c *graphQLClient, query string, vars map[string]any, clients int) *load {
	ctx, cancel := context.WithCancel(ctx)
	l := &load{cancel: cancel, result: loadResult{errors: map[string]int{}}}
	var warm sync.WaitGroup
	warm.Add(clients)
	for range clients {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			first := true
			for ctx.Err() == nil {
				started := time.Now()
				a, err := c.post(ctx, query, vars, nil)
				elapsed := time.Since(started)
				if ctx.Err() != nil {
					break
				}
				l.mu.Lock()
				switch {
				case err != nil:
					l.result.errors[err.Error()]++
				case a.code != "":
					l.result.errors[a.code+": "+a.message]++
				default:
					l.result.samples = append(l.result.samples, elapsed)
				}
				l.mu.Unlock()
				if first {
					first = false
					warm.Done()
				}
			}
			if first {
				warm.Done()
			}
		}()
	}
	warm.Wait()
	return l
}

// stop ends the load and returns what it did.
func (l *load) stop() loadResult {
	l.cancel()
	l.wg.Wait()
	return l.result
}

func (r *hostileReport) write(out io.Writer) error {
	var b strings.Builder
	cfg := r.cfg
	fmt.Fprintf(&b, "## Hostile tenant benchmark\n\n")
	fmt.Fprintf(&b, "Run on %s, %s in all. Machine: %s. PostgreSQL %s, %s, %s. A hostile tenant with %s events and a victim with %s, both in one throwaway cluster behind one server (pool of 20 connections), through `POST /graphql` with API keys.\n\n",
		r.started.UTC().Format("2006-01-02 15:04 MST"), r.finished.Sub(r.started).Round(time.Second), machine(),
		r.pgVersion, runtime.Version(), r.loadAverage, thousands(r.seeded.Events), thousands(r.victim.Events))
	fmt.Fprintf(&b, "- The request of issue 10, path 7 (300 aliased searches): refused, %s: %q.\n", r.attack.code, r.attack.message)
	fmt.Fprintf(&b, "- Three searches in one request: refused, %s: %q.\n", r.threeAlias.code, r.threeAlias.message)
	fmt.Fprintf(&b, "- The hostile request, the most expensive the limits accept (limit %s, at most %d root fields, one root field at a time): two aliased searches of %d events each, every column, both of %s, the slowest of these candidates alone (median of 3):\n",
		thousands(graph.MaxCost), graph.MaxRootFields, r.first, r.chosen.name)
	for _, c := range r.candidates {
		fmt.Fprintf(&b, "  - %s: %s\n", c.name, fmtDuration(c.median))
	}
	h := r.hostile
	fmt.Fprintf(&b, "- %d hostile clients sent it in a loop while the victim was measured: %d requests answered, p50 %s, p95 %s",
		cfg.clients, len(h.samples), fmtDuration(percentile(h.samples, 50)), fmtDuration(percentile(h.samples, 95)))
	if len(h.errors) > 0 {
		var errs []string
		for e, n := range h.errors {
			errs = append(errs, fmt.Sprintf("%d × %s", n, oneLine(e)))
		}
		sort.Strings(errs)
		fmt.Fprintf(&b, "; errors: %s", strings.Join(errs, "; "))
	}
	fmt.Fprintf(&b, ".\n\nThe victim's query, `%s`, one request at a time:\n\n", victimQuery)
	fmt.Fprintf(&b, "| victim's query | requests | p50 | p95 | max |\n|---|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| alone | %d | %s | %s | %s |\n", len(r.alone), fmtDuration(percentile(r.alone, 50)),
		fmtDuration(percentile(r.alone, 95)), fmtDuration(percentile(r.alone, 100)))
	fmt.Fprintf(&b, "| with %d hostile clients | %d | %s | %s | %s |\n", cfg.clients, len(r.loaded), fmtDuration(percentile(r.loaded, 50)),
		fmtDuration(percentile(r.loaded, 95)), fmtDuration(percentile(r.loaded, 100)))
	ratio := func(p float64) float64 {
		return float64(percentile(r.loaded, p)) / float64(percentile(r.alone, p))
	}
	fmt.Fprintf(&b, "| ratio | | %.1f× | %.1f× | |\n\n", ratio(50), ratio(95))
	p95 := percentile(r.loaded, 95)
	fmt.Fprintf(&b, "Target: the victim's p95 under the hostile load ≤ %s: %s %s.\n", fmtTarget(victimTarget), fmtDuration(p95), okMark(p95 <= victimTarget))
	_, err := io.WriteString(out, b.String())
	return err
}
