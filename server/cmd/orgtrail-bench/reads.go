package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// auditEventsQuery is what the Audit Log tab asks for one page.
const auditEventsQuery = `query AuditLogPage($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id occurredAt action } }
    pageInfo { hasNextPage endCursor }
  }
}`

// Latency targets (p95) of the read path. They are the benchmark's own bar
// for an interactive admin page: browsing instantly, filters and searches
// well under a second even at millions of events.
const (
	browseTarget = 50 * time.Millisecond
	filterTarget = 100 * time.Millisecond
	searchTarget = 300 * time.Millisecond
	// deepRatioTarget bounds deep page p50 / first page p50: keyset
	// pagination should not slow down with depth.
	deepRatioTarget = 2.0
)

// graphQLClient posts auditEvents queries with an API key.
type graphQLClient struct {
	url    string
	apiKey string
	http   *http.Client
}

func newGraphQLClient(s *server) *graphQLClient {
	return &graphQLClient{
		url:    s.url + "/graphql",
		apiKey: s.apiKey,
		http: &http.Client{
			Timeout:   2 * time.Minute,
			Transport: &http.Transport{MaxIdleConnsPerHost: 32},
		},
	}
}

// page is one auditEvents answer.
type page struct {
	rows      int
	hasNext   bool
	endCursor string
	// code is the extensions.code of the first GraphQL error, if any.
	code    string
	message string
}

func (c *graphQLClient) page(ctx context.Context, filter map[string]any, first int, after string) (page, error) {
	vars := map[string]any{"filter": filter, "first": first}
	if after != "" {
		vars["after"] = after
	}
	body, err := json.Marshal(map[string]any{"query": auditEventsQuery, "variables": vars})
	if err != nil {
		return page{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return page{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	resp, err := c.http.Do(req)
	if err != nil {
		return page{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return page{}, err
	}
	var out struct {
		Data *struct {
			AuditEvents *struct {
				Edges []struct {
					Cursor string `json:"cursor"`
				} `json:"edges"`
				PageInfo struct {
					HasNextPage bool   `json:"hasNextPage"`
					EndCursor   string `json:"endCursor"`
				} `json:"pageInfo"`
			} `json:"auditEvents"`
		} `json:"data"`
		Errors []struct {
			Message    string `json:"message"`
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return page{}, fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, raw)
	}
	if len(out.Errors) > 0 {
		return page{code: out.Errors[0].Extensions.Code, message: out.Errors[0].Message}, nil
	}
	if out.Data == nil || out.Data.AuditEvents == nil {
		return page{}, fmt.Errorf("HTTP %d without data: %.200s", resp.StatusCode, raw)
	}
	ae := out.Data.AuditEvents
	return page{rows: len(ae.Edges), hasNext: ae.PageInfo.HasNextPage, endCursor: ae.PageInfo.EndCursor}, nil
}

// readCase is one measured query of the Audit Log tab.
type readCase struct {
	name   string
	filter map[string]any
	after  string
	// deep marks the page after the walk's cursor.
	deep   bool
	target time.Duration
	// mayRefuse marks a query the server may refuse with BAD_USER_INPUT.
	mayRefuse bool
}

// readResult is a readCase's measurement.
type readResult struct {
	readCase
	samples []time.Duration
	rows    int
	refused string // the server's message when it refused the query
	err     error
	// statements per request, -1 when not observed.
	statements float64
}

func measureReads(ctx context.Context, cfg options, srv, counted *server, counter *statementCounter, db *benchDB, rep *report) error {
	client := newGraphQLClient(srv)
	countingClient := newGraphQLClient(counted)

	rareEmail, rareEmailEvents, err := db.rareActorEmail(ctx)
	if err != nil {
		return err
	}
	resourceID, resourceEvents, err := db.resourceID(ctx)
	if err != nil {
		return err
	}
	rareAction, rareActionEvents := db.rareAction()

	progress("walking %d rows deep, 200 rows a page", cfg.depth)
	walk, cursor, walkErr := walkTo(ctx, client, cfg.depth)
	rep.walk = walk

	cases := []readCase{
		{name: "First page (50 rows)", filter: map[string]any{}, target: browseTarget},
		{name: fmt.Sprintf("Page %s rows deep", thousands(cfg.depth)), filter: map[string]any{}, after: cursor, deep: true, target: browseTarget},
		{name: "Category: Secrets", filter: map[string]any{"category": "SECRETS"}, target: filterTarget},
		{name: fmt.Sprintf("Rare action: %s (%s)", rareAction, plural(rareActionEvents, "event")), filter: map[string]any{"action": string(rareAction)}, target: filterTarget},
		{name: "Range: last 7 days", filter: map[string]any{"range": "LAST_7_DAYS"}, target: filterTarget},
		{name: fmt.Sprintf("Search rare actor email (%s)", plural(rareEmailEvents, "event")), filter: map[string]any{"search": rareEmail}, target: searchTarget},
		{name: fmt.Sprintf("Search resource id (%s)", plural(resourceEvents, "event")), filter: map[string]any{"search": resourceID}, target: searchTarget},
		{name: `Search common word "role"`, filter: map[string]any{"search": "role"}, target: searchTarget},
		{name: `Search absent word "zzqxv"`, filter: map[string]any{"search": "zzqxv"}, target: searchTarget},
		{name: `Search 2-character term "ro"`, filter: map[string]any{"search": "ro"}, target: searchTarget, mayRefuse: true},
		{name: "Search rare actor email, last 30 days", filter: map[string]any{"search": rareEmail, "range": "LAST_30_DAYS"}, target: searchTarget},
		{name: `Search absent word "zzqxv", last 30 days`, filter: map[string]any{"search": "zzqxv", "range": "LAST_30_DAYS"}, target: searchTarget},
	}
	for _, c := range cases {
		progress("measuring %s", c.name)
		var res readResult
		if c.deep && walkErr != nil {
			res = readResult{readCase: c, err: walkErr, statements: -1}
		} else {
			res = measureRead(ctx, cfg, client, c)
			res.statements = countStatements(ctx, countingClient, counter, c)
		}
		if res.err != nil {
			progress("  error: %v", res.err)
		} else if res.refused != "" {
			progress("  refused: %s", res.refused)
		} else {
			progress("  p50 %s, p95 %s over %d requests, %d rows", fmtDuration(percentile(res.samples, 50)), fmtDuration(percentile(res.samples, 95)), len(res.samples), res.rows)
		}
		rep.reads = append(rep.reads, res)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// walkTo pages through depth rows of the unfiltered log, 200 at a time, and
// returns the cursor there.
func walkTo(ctx context.Context, c *graphQLClient, depth int) (walkResult, string, error) {
	var w walkResult
	cursor := ""
	started := time.Now()
	for w.rows < depth {
		p, err := c.page(ctx, map[string]any{}, min(200, depth-w.rows), cursor)
		if err != nil {
			return w, "", fmt.Errorf("walk the log: %w", err)
		}
		if p.code != "" {
			return w, "", fmt.Errorf("walk the log: %s: %s", p.code, p.message)
		}
		w.pages++
		w.rows += p.rows
		cursor = p.endCursor
		if !p.hasNext || p.rows == 0 {
			break
		}
	}
	w.elapsed = time.Since(started)
	if w.rows < depth {
		return w, "", fmt.Errorf("walk the log: only %d rows before the end, want %d", w.rows, depth)
	}
	return w, cursor, nil
}

// walkResult is the paging through the log to the deep page.
type walkResult struct {
	pages, rows int
	elapsed     time.Duration
}

// measureRead runs c a few times to warm up, then up to cfg.requests times
// within cfg.timeLimit, one request at a time.
func measureRead(ctx context.Context, cfg options, client *graphQLClient, c readCase) readResult {
	res := readResult{readCase: c, statements: -1}
	deadline := time.Now().Add(cfg.timeLimit)
	const warmup = 3
	for i := 0; i < warmup+cfg.requests && time.Now().Before(deadline); i++ {
		started := time.Now()
		p, err := client.page(ctx, c.filter, 50, c.after)
		elapsed := time.Since(started)
		if err != nil {
			res.err = err
			return res
		}
		if p.code != "" {
			if c.mayRefuse && p.code == "BAD_USER_INPUT" {
				res.refused = p.message
			} else {
				res.err = fmt.Errorf("%s: %s", p.code, p.message)
			}
			return res
		}
		res.rows = p.rows
		if i >= warmup {
			res.samples = append(res.samples, elapsed)
		}
	}
	if len(res.samples) == 0 {
		res.err = errors.New("no request finished within BENCH_TIME_LIMIT")
	}
	return res
}

// countStatements runs c a few times on the server instance behind the
// statement counter and returns the statements per request, or -1.
func countStatements(ctx context.Context, client *graphQLClient, counter *statementCounter, c readCase) float64 {
	if !counter.Available() {
		return -1
	}
	if _, err := client.page(ctx, c.filter, 50, c.after); err != nil { // warm connections and caches
		return -1
	}
	const runs = 5
	before := counter.Count()
	for range runs {
		if _, err := client.page(ctx, c.filter, 50, c.after); err != nil {
			return -1
		}
	}
	return float64(counter.Count()-before) / runs
}
