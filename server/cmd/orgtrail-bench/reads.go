package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// lightAuditEventsQuery is the light selection: three fields per event.
// Every read is measured with it beside the SPA's own selection
// (spaAuditEventsQuery), to show what the rest of the row costs.
const lightAuditEventsQuery = `query AuditLogLight($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id occurredAt action } }
    pageInfo { hasNextPage endCursor }
  }
}`

// Latency targets of the read path, exactly those of the issue's
// "Performance" section (issue 2) on the 2-core reference machine.
const (
	// The first page: median and p95.
	firstPageMedianTarget = 10 * time.Millisecond
	firstPageTarget       = 20 * time.Millisecond
	// deepRatioTarget bounds deep page p50 / first page p50: keyset
	// pagination does not slow down with depth.
	deepRatioTarget = 1.2
	// Filters (category, rare action, LAST_7_DAYS): p95.
	filterTarget = 20 * time.Millisecond
	// Searches of 3+ characters: p95 within LAST_30_DAYS and over all time.
	searchRecentTarget  = 100 * time.Millisecond
	searchAllTimeTarget = 500 * time.Millisecond
	// The timeline (issue 13): p95 for LAST_90_DAYS, alone and with a search.
	timelineTarget       = 100 * time.Millisecond
	timelineSearchTarget = 300 * time.Millisecond
)

// auditTimelineQuery is what the Audit Log tab asks for its histogram.
const auditTimelineQuery = `query AuditTimeline($filter: AuditEventFilter) {
  auditTimeline(filter: $filter) { from to interval total buckets { start end count categories { category count } } }
}`

// timeline asks for the histogram of filter and returns its total as rows.
func (c *graphQLClient) timeline(ctx context.Context, filter map[string]any) (page, error) {
	var data struct {
		AuditTimeline *struct {
			Total int `json:"total"`
		} `json:"auditTimeline"`
	}
	answer, err := c.post(ctx, auditTimelineQuery, map[string]any{"filter": filter}, &data)
	if err != nil || answer.code != "" {
		return page{code: answer.code, message: answer.message}, err
	}
	if data.AuditTimeline == nil {
		return page{}, fmt.Errorf("no auditTimeline in the answer")
	}
	return page{rows: data.AuditTimeline.Total}, nil
}

// read sends c's request: a page, or the timeline.
func (c *graphQLClient) read(ctx context.Context, rc readCase) (page, error) {
	if rc.timeline {
		return c.timeline(ctx, rc.filter)
	}
	return c.page(ctx, rc.filter, 50, rc.after)
}

// graphQLClient posts auditEvents queries with an API key.
type graphQLClient struct {
	url    string
	apiKey string
	http   *http.Client
	// spaQuery is the document the Audit Log tab sends for a page.
	spaQuery string
}

func newGraphQLClient(s *server) *graphQLClient {
	query := spaQueryText
	if query == "" {
		query = lightAuditEventsQuery
	}
	return &graphQLClient{
		spaQuery: query,
		url:      s.url + "/graphql",
		apiKey:   s.apiKey,
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

// page asks for one page with the SPA's selection.
func (c *graphQLClient) page(ctx context.Context, filter map[string]any, first int, after string) (page, error) {
	return c.pageWith(ctx, c.spaQuery, filter, first, after)
}

// pageWith asks for one page with query's selection.
func (c *graphQLClient) pageWith(ctx context.Context, query string, filter map[string]any, first int, after string) (page, error) {
	vars := map[string]any{"filter": filter, "first": first}
	if after != "" {
		vars["after"] = after
	}
	var data struct {
		AuditEvents *struct {
			Edges    []json.RawMessage `json:"edges"`
			PageInfo struct {
				HasNextPage bool   `json:"hasNextPage"`
				EndCursor   string `json:"endCursor"`
			} `json:"pageInfo"`
		} `json:"auditEvents"`
	}
	answer, err := c.post(ctx, query, vars, &data)
	if err != nil || answer.code != "" {
		return page{code: answer.code, message: answer.message}, err
	}
	if data.AuditEvents == nil {
		return page{}, fmt.Errorf("no auditEvents in the answer")
	}
	ae := data.AuditEvents
	return page{rows: len(ae.Edges), hasNext: ae.PageInfo.HasNextPage, endCursor: ae.PageInfo.EndCursor}, nil
}

// readCase is one measured query of the Audit Log tab.
type readCase struct {
	name   string
	filter map[string]any
	after  string
	// deep marks the page after the walk's cursor.
	deep bool
	// target bounds the p95; medianTarget, when set, the median. The deep
	// page has neither: its target is deepRatioTarget.
	target, medianTarget time.Duration
	// mustRefuse marks a query the server must refuse with BAD_USER_INPUT.
	mustRefuse bool
	// timeline asks for the histogram of filter instead of a page; its
	// "rows" are the events counted.
	timeline bool
}

// readResult is a readCase's measurement.
type readResult struct {
	readCase
	// samples are the SPA's selection's, light the light selection's,
	// measured alternately.
	samples, light []time.Duration
	// sql times the same statement from a pgx connection (round trip and
	// rows read), executed the PostgreSQL side by EXPLAIN ANALYZE.
	sql, executed []time.Duration
	rows          int
	refused       string // the server's message when it refused the query
	err           error
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
	requestID, rareIP, rareNetwork, err := db.pivots(ctx)
	if err != nil {
		return err
	}

	progress("walking %d rows deep, 200 rows a page", cfg.depth)
	walk, cursor, walkErr := walkTo(ctx, client, cfg.depth)
	rep.walk = walk

	cases := []readCase{
		{name: "First page (50 rows)", filter: map[string]any{}, target: firstPageTarget, medianTarget: firstPageMedianTarget},
		{name: fmt.Sprintf("Page %s rows deep (by cursor)", thousands(cfg.depth)), filter: map[string]any{}, after: cursor, deep: true},
		{name: "Category: Secrets", filter: map[string]any{"category": "SECRETS"}, target: filterTarget},
		{name: fmt.Sprintf("Rare action: %s (%s)", rareAction, plural(rareActionEvents, "event")), filter: map[string]any{"action": string(rareAction)}, target: filterTarget},
		{name: "Range: last 7 days", filter: map[string]any{"range": "LAST_7_DAYS"}, target: filterTarget},
		{name: fmt.Sprintf("Search rare actor email (%s), last 30 days", plural(rareEmailEvents, "event")), filter: map[string]any{"search": rareEmail, "range": "LAST_30_DAYS"}, target: searchRecentTarget},
		{name: `Search absent word "zzqxv", last 30 days`, filter: map[string]any{"search": "zzqxv", "range": "LAST_30_DAYS"}, target: searchRecentTarget},
		{name: fmt.Sprintf("Search rare actor email (%s)", plural(rareEmailEvents, "event")), filter: map[string]any{"search": rareEmail}, target: searchAllTimeTarget},
		{name: fmt.Sprintf("Search resource id (%s)", plural(resourceEvents, "event")), filter: map[string]any{"search": resourceID}, target: searchAllTimeTarget},
		{name: `Search common word "role"`, filter: map[string]any{"search": "role"}, target: searchAllTimeTarget},
		{name: `Search absent word "zzqxv"`, filter: map[string]any{"search": "zzqxv"}, target: searchAllTimeTarget},
		{name: `Search 2-character term "ro"`, filter: map[string]any{"search": "ro"}, mustRefuse: true},
		// Issue 13: the histogram, and the filters and qualifiers it added.
		{name: "Timeline: last 90 days", filter: last90(nil), target: timelineTarget, timeline: true},
		{name: "Timeline: last 90 days in Asia/Kolkata (day buckets cut UTC hours)", filter: last90(map[string]any{"timeZone": "Asia/Kolkata"}), target: timelineTarget, timeline: true},
		{name: "Timeline: last 90 days, category Roles & Permissions", filter: last90(map[string]any{"category": "ROLES_AND_PERMISSIONS"}), target: timelineTarget, timeline: true},
		{name: fmt.Sprintf("Timeline: last 90 days, search rare actor email (%s)", plural(rareEmailEvents, "event")), filter: last90(map[string]any{"search": rareEmail}), target: timelineSearchTarget, timeline: true},
		{name: `Timeline: last 90 days, search common word "role"`, filter: last90(map[string]any{"search": "role"}), target: timelineSearchTarget, timeline: true},
		{name: `Timeline: last 90 days, search absent word "zzqxv"`, filter: last90(map[string]any{"search": "zzqxv"}), target: timelineSearchTarget, timeline: true},
		{name: "Timeline: all time", filter: map[string]any{}, target: timelineTarget, timeline: true},
		{name: "Query: request:<id> (a request's events)", filter: map[string]any{"query": "request:" + requestID}, target: filterTarget},
		{name: "Query: ip:<a rare address>", filter: map[string]any{"query": "ip:" + rareIP}, target: filterTarget},
		{name: "Query: ip:<network> (a /24)", filter: map[string]any{"query": "ip:" + rareNetwork}, target: filterTarget},
		{name: "Query: actor:<rare actor email>", filter: map[string]any{"query": "actor:" + rareEmail}, target: searchRecentTarget},
		{name: "Query: changed:permissions=secrets:write", filter: map[string]any{"query": "changed:permissions=secrets:write"}, target: searchAllTimeTarget},
	}
	// The first and the deep page are compared with each other, so their
	// requests alternate in one loop and share the machine's state.
	var pair [2]readResult
	if walkErr != nil {
		progress("measuring %s", cases[0].name)
		pair[0] = measureRead(ctx, cfg, client, cases[0])
		pair[1] = readResult{readCase: cases[1], err: walkErr, statements: -1}
	} else {
		progress("measuring %s and %s, alternately", cases[0].name, cases[1].name)
		stopProfile := startProfile("reads")
		r := measureReadsInterleaved(ctx, cfg, client, cases[:2])
		stopProfile()
		pair = [2]readResult{r[0], r[1]}
	}
	for i, c := range cases {
		var res readResult
		switch {
		case i < 2:
			res = pair[i]
		default:
			progress("measuring %s", c.name)
			res = measureRead(ctx, cfg, client, c)
		}
		if res.err == nil || !c.deep {
			res.statements = countStatements(ctx, countingClient, counter, c)
		}
		if res.err == nil && res.refused == "" {
			res.sql, res.executed = measureSQL(ctx, cfg, db, c)
		}
		if res.err != nil {
			progress("  %s: error: %v", c.name, res.err)
		} else if res.refused != "" {
			progress("  %s: refused: %s", c.name, res.refused)
		} else {
			progress("  %s: p50 %s, p95 %s over %d requests, %d rows", c.name, fmtDuration(percentile(res.samples, 50)), fmtDuration(percentile(res.samples, 95)), len(res.samples), res.rows)
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
	return measureReadsInterleaved(ctx, cfg, client, []readCase{c})[0]
}

// measureReadsInterleaved measures cases in one loop, one request of each in
// turn, so that they share the same load.
func measureReadsInterleaved(ctx context.Context, cfg options, client *graphQLClient, cases []readCase) []readResult {
	results := make([]readResult, len(cases))
	done := make([]bool, len(cases))
	for j, c := range cases {
		results[j] = readResult{readCase: c, statements: -1}
	}
	deadline := time.Now().Add(cfg.timeLimit)
	const warmup = 3
	for i := 0; i < warmup+cfg.requests && time.Now().Before(deadline); i++ {
		for j, c := range cases {
			if done[j] {
				continue
			}
			res := &results[j]
			started := time.Now()
			p, err := client.read(ctx, c)
			elapsed := time.Since(started)
			if err == nil && p.code == "" {
				started := time.Now()
				if _, lerr := client.pageWith(ctx, lightAuditEventsQuery, c.filter, 50, c.after); lerr == nil && i >= warmup {
					res.light = append(res.light, time.Since(started))
				}
			}
			switch {
			case err != nil:
				res.err, done[j] = err, true
			case p.code != "" && c.mustRefuse && p.code == "BAD_USER_INPUT":
				res.refused, done[j] = p.message, true
			case p.code != "":
				res.err, done[j] = fmt.Errorf("%s: %s", p.code, p.message), true
			default:
				res.rows = p.rows
				if i >= warmup {
					res.samples = append(res.samples, elapsed)
				}
			}
		}
	}
	for j := range results {
		if results[j].err == nil && results[j].refused == "" && len(results[j].samples) == 0 {
			results[j].err = errors.New("no request finished within BENCH_TIME_LIMIT")
		}
	}
	return results
}

// countStatements runs c a few times on the server instance behind the
// statement counter and returns the most statements one request cost
// (authentication included), or -1. Requests run one at a time, so the
// counter's difference around each is that request's.
func countStatements(ctx context.Context, client *graphQLClient, counter *statementCounter, c readCase) float64 {
	if !counter.Available() {
		return -1
	}
	if _, err := client.read(ctx, c); err != nil { // warm connections and caches
		return -1
	}
	const runs = 5
	var most int64
	for range runs {
		before := counter.Count()
		if _, err := client.read(ctx, c); err != nil {
			return -1
		}
		most = max(most, counter.Count()-before)
	}
	return float64(most)
}

// last90 is filter (nil for none) over the last 90 days.
func last90(filter map[string]any) map[string]any {
	out := map[string]any{"range": "LAST_90_DAYS"}
	for k, v := range filter {
		out[k] = v
	}
	return out
}
