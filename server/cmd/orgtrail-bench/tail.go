package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// BENCH_MODE=tail measures the live tail (issue 13): BENCH_TAIL_SUBSCRIBERS
// subscriptions (500) over Server-Sent Events on one server, with an API
// key, a tenth of them with a category filter the events do not match; a
// writer creates BENCH_TAIL_WRITES roles (300), a few per second, through
// a second server on the same database (another replica). Measured:
//
//   - latency: from the moment the writer sent the mutation (its commit
//     comes later, so this is an upper bound) to the moment each subscriber
//     read the event, every delivery counted;
//   - the writer's cost: CreateRole's latency with the subscribers open
//     against the same mutation with none, alternating in one loop of
//     blocks, medians compared (the write path has no trigger or NOTIFY:
//     what differs is the tail's polling and fan-out sharing the machine).

type tailReport struct {
	subscribers, writes int
	deliveries          []time.Duration
	missing             int
	idle, busy          []time.Duration
	started             time.Time
	load                string
}

func runTail(ctx context.Context, log *slog.Logger) error {
	subscribers, err := envInt("BENCH_TAIL_SUBSCRIBERS", 500)
	if err != nil {
		return err
	}
	writes, err := envInt("BENCH_TAIL_WRITES", 300)
	if err != nil {
		return err
	}
	cfg, err := optionsFromEnv()
	if err != nil {
		return err
	}
	rep := &tailReport{subscribers: subscribers, writes: writes, started: time.Now(), load: loadAverage()}
	dsn, stopDB, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if err := stopDB(); err != nil {
			progress("stopping PostgreSQL: %v", err)
		}
	}()
	tailed, err := startServer(ctx, dsn, log, true)
	if err != nil {
		return err
	}
	defer tailed.Close()
	writer, err := startServer(ctx, dsn, log, false)
	if err != nil {
		return err
	}
	defer writer.Close()
	writer.apiKey = tailed.apiKey
	client := newGraphQLClient(writer)

	// The writer's cost first, idle: no subscriber anywhere.
	progress("CreateRole without subscribers")
	rep.idle = createRoles(ctx, client, "idle", 100)

	progress("opening %d subscriptions", subscribers)
	sent := sync.Map{} // role name → time the mutation was sent
	var mu sync.Mutex
	subCtx, closeSubs := context.WithCancel(ctx)
	defer closeSubs()
	var ready sync.WaitGroup
	httpClient := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: subscribers + 10, MaxConnsPerHost: 0}}
	received := make([]map[string]bool, subscribers)
	for i := 0; i < subscribers; i++ {
		received[i] = map[string]bool{}
		filter := map[string]any{}
		if i%10 == 9 {
			filter = map[string]any{"category": "SECRETS"}
		}
		ready.Add(1)
		go func(i int, filter map[string]any) {
			first := true
			err := subscribe(subCtx, httpClient, tailed, filter, func(names []string) {
				if first {
					first = false
					ready.Done()
					return
				}
				now := time.Now()
				mu.Lock()
				defer mu.Unlock()
				for _, n := range names {
					if at, ok := sent.Load(n); ok && !received[i][n] {
						received[i][n] = true
						rep.deliveries = append(rep.deliveries, now.Sub(at.(time.Time)))
					}
				}
			})
			if first {
				ready.Done()
			}
			if err != nil && subCtx.Err() == nil {
				progress("subscription %d: %v", i, err)
			}
		}(i, filter)
	}
	ready.Wait()

	progress("writing %d roles through the other server", writes)
	for i := 0; i < writes && ctx.Err() == nil; i++ {
		name := fmt.Sprintf("tail-%d", i)
		sent.Store(name, time.Now())
		if _, err := client.post(ctx, `mutation($n: String!) { createRole(input: {name: $n}) { role { id } } }`,
			map[string]any{"n": name}, nil); err != nil {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(3 * time.Second) // the last deliveries
	mu.Lock()
	want := writes * (subscribers - subscribers/10)
	rep.missing = want - len(rep.deliveries)
	mu.Unlock()

	progress("CreateRole with the subscribers open, against none, alternating")
	for round := 0; round < 3; round++ {
		rep.busy = append(rep.busy, createRoles(ctx, client, fmt.Sprintf("busy-%d", round), 50)...)
	}
	closeSubs()
	time.Sleep(time.Second)
	for round := 0; round < 3; round++ {
		rep.idle = append(rep.idle, createRoles(ctx, client, fmt.Sprintf("idle-%d", round), 50)...)
	}
	return rep.write(os.Stdout)
}

// createRoles creates n roles one after another and returns each latency.
func createRoles(ctx context.Context, c *graphQLClient, prefix string, n int) []time.Duration {
	var out []time.Duration
	for i := 0; i < n && ctx.Err() == nil; i++ {
		start := time.Now()
		if _, err := c.post(ctx, `mutation($n: String!) { createRole(input: {name: $n}) { role { id } } }`,
			map[string]any{"n": fmt.Sprintf("%s-%d", prefix, i)}, nil); err == nil {
			out = append(out, time.Since(start))
		}
	}
	return out
}

// subscribe opens the live tail at s with filter and calls batch with the
// resource names of each message, until ctx ends.
func subscribe(ctx context.Context, hc *http.Client, s *server, filter map[string]any, batch func(names []string)) error {
	body, _ := json.Marshal(map[string]any{
		"query":     `subscription($f: AuditEventFilter) { auditEventsAdded(filter: $f) { resource { name } } }`,
		"variables": map[string]any{"f": filter},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+s.apiKey)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		raw, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, raw)
	}
	lines := bufio.NewScanner(resp.Body)
	lines.Buffer(make([]byte, 1<<20), 1<<20)
	for lines.Scan() {
		data, ok := strings.CutPrefix(lines.Text(), "data: ")
		if !ok {
			continue
		}
		var msg struct {
			Data struct {
				AuditEventsAdded []struct{ Resource struct{ Name string } }
			}
		}
		if err := json.Unmarshal([]byte(data), &msg); err != nil {
			return err
		}
		names := make([]string, len(msg.Data.AuditEventsAdded))
		for i, e := range msg.Data.AuditEventsAdded {
			names[i] = e.Resource.Name
		}
		batch(names)
	}
	return lines.Err()
}

func (r *tailReport) write(out io.Writer) error {
	slices.Sort(r.deliveries)
	slices.Sort(r.idle)
	slices.Sort(r.busy)
	idle, busy := percentile(r.idle, 50), percentile(r.busy, 50)
	p99 := percentile(r.deliveries, 99)
	_, err := fmt.Fprintf(out, `## Live tail (BENCH_MODE=tail)

%s; %s; ran %s.

| metric | median | p99 | max | target | ok? |
|---|---:|---:|---:|---|:-:|
| Event → subscriber, %d subscribers on one server, written through another (%s deliveries, %d missing) | %s | %s | %s | p99 ≤ 1 s | %s |
| CreateRole with the subscribers open / with none (%d / %d mutations) | %s / %s (%s) | | | ≤ +0.05 ms | %s |
`,
		machine(), r.load, time.Since(r.started).Round(time.Second),
		r.subscribers, thousands(len(r.deliveries)), r.missing,
		fmtDuration(percentile(r.deliveries, 50)), fmtDuration(p99), fmtDuration(percentile(r.deliveries, 100)), okMark(p99 <= time.Second && r.missing == 0),
		len(r.busy), len(r.idle), fmtDuration(busy), fmtDuration(idle), signed(busy-idle), okMark(busy-idle <= 50*time.Microsecond))
	return err
}
