package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zone names must resolve even where the host has no zoneinfo
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/database"
)

// Page sizes of the auditEvents connection.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// Search limits. A term must contain a run of MinSearchRun letters or digits:
// shorter terms give the trigram index nothing selective to look up, and
// would make it read every entry of the organization (see
// docs/audit-query-plans.md), so they are refused rather than served slowly.
const (
	MaxSearchLength = 200
	MinSearchRun    = 3
)

// DateRange is a preset time window ending now.
type DateRange string

// The presets of the Audit Log tab.
const (
	Today      DateRange = "TODAY"
	Last7Days  DateRange = "LAST_7_DAYS"
	Last30Days DateRange = "LAST_30_DAYS"
	Last90Days DateRange = "LAST_90_DAYS"
)

// Valid reports whether r is one of the presets.
func (r DateRange) Valid() bool {
	switch r {
	case Today, Last7Days, Last30Days, Last90Days:
		return true
	}
	return false
}

// Filter narrows a list of events. Zero fields do not filter.
type Filter struct {
	// Search is a case-insensitive substring of the actor email, the action
	// label, the category label or short label, the resource type or id, or
	// the details JSON.
	Search   string
	Category Category
	// Action must belong to Category when both are given.
	Action Action
	// Range is a preset window ending now; TODAY starts at midnight in
	// TimeZone (an IANA name, UTC when empty).
	Range    DateRange
	TimeZone string
	// From and To bound occurredAt, both inclusive; with Range, both apply.
	From, To     *time.Time
	ActorID      string
	ResourceType string
	ResourceID   string
}

// ListQuery asks for one page of events.
type ListQuery struct {
	Filter Filter
	// First is the page size, 0 to MaxPageSize. 0 returns no events and only
	// tells whether any follow.
	First int
	// After is the cursor of the last event of the previous page.
	After string
	// Now is the clock for date presets; zero means time.Now.
	Now time.Time
	// RetentionDays is the organization's audit log retention: events older
	// than that many days are past it and never listed, whatever the filter
	// asks. 0 means no limit.
	RetentionDays int
}

// Page is one page of events, newest first, with each event's cursor.
type Page struct {
	Events      []Event
	Cursors     []string
	HasNextPage bool
	// EndCursor is the last event's cursor, "" on an empty page.
	EndCursor string
}

// Reader lists events of one organization.
type Reader struct {
	DB *database.DB
}

// List returns the page of org's events that q asks for, newest first
// (occurredAt, then id, descending). Whatever q holds, it runs one SQL
// statement, bounded by the pool's statement timeout. Invalid input, and a
// search that runs out of time, are apperr BadUserInput naming the field.
func (r *Reader) List(ctx context.Context, org uuid.UUID, q ListQuery) (Page, error) {
	l, err := newListing(org, q)
	if err != nil {
		return Page{}, err
	}
	events, err := r.list(ctx, l)
	if err != nil {
		return Page{}, err
	}
	return l.page(events), nil
}

// Each calls fn with every event q.Filter selects, newest first, as List
// would page through them (q.First and q.After are ignored), with the
// columns the verifiable log needs (Event.XID, Event.Inet), pageSize events
// per statement. It is how a verification bundle selects exactly what the
// Audit Log shows for the same filter.
func (r *Reader) Each(ctx context.Context, org uuid.UUID, q ListQuery, pageSize int, fn func(Event) error) error {
	q.First, q.After = 0, ""
	l, err := newListing(org, q)
	if err != nil {
		return err
	}
	l.stored, l.first, l.limit = true, pageSize, pageSize+1
	for {
		events, err := r.list(ctx, l)
		if err != nil {
			return err
		}
		p := l.page(events)
		for _, e := range p.Events {
			if err := fn(e); err != nil {
				return err
			}
		}
		if !p.HasNextPage {
			return nil
		}
		last := p.Events[len(p.Events)-1]
		l.before = &position{OccurredAt: last.OccurredAt, ID: last.ID}
	}
}

// QueryBounds returns the time bounds of what q selects, as List applies
// them (range, from, to, retention): occurredAt ≥ lo and < hi; nil is
// unbounded.
func QueryBounds(org uuid.UUID, q ListQuery) (lo, hi *time.Time, err error) {
	l, err := newListing(org, q)
	if err != nil {
		return nil, nil, err
	}
	if l.before != nil {
		hi = &l.before.OccurredAt
	}
	return l.lo, hi, nil
}

// CheckQuery reports what List would refuse in q (BAD_USER_INPUT naming the
// field), so a streamed answer can refuse before it starts.
func CheckQuery(org uuid.UUID, q ListQuery) error {
	_, err := newListing(org, q)
	return err
}

// ListStatement returns the SQL statement and arguments List runs for q,
// so that the benchmark can time the very same query inside PostgreSQL
// (EXPLAIN ANALYZE) beside the same page through HTTP. The statement is
// meant for pgx in exec mode, as List sends it.
func ListStatement(org uuid.UUID, q ListQuery) (string, []any, error) {
	l, err := newListing(org, q)
	if err != nil {
		return "", nil, err
	}
	var stmt sqlText
	if l.search != nil {
		l.searchStatement(&stmt)
	} else {
		l.listStatement(&stmt)
	}
	return stmt.String(), stmt.args, nil
}

// scanEvents reads the rows of a listing's statement (columns). It scans
// each column into its field itself: GORM's reflective Scan cost a page of
// 50 events about 0.4 ms of CPU, a fifth of the server's work for the Audit
// Log's page (profile in README, "Reads").
func scanEvents(tx *gorm.DB, stored bool) ([]Event, error) {
	rows, err := tx.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	events := make([]Event, 0, 64)
	var details []byte
	for rows.Next() {
		events = append(events, Event{})
		e := &events[len(events)-1]
		dst := []any{&e.OrganizationID, &e.OccurredAt, &e.ID, (*string)(&e.Action), (*string)(&e.ActorType), &e.ActorID,
			&e.ActorEmail, &e.ActorName, &e.ResourceType, &e.ResourceID, &e.ResourceName, &details, &e.IPAddress,
			&e.UserAgent, &e.RequestID}
		if stored {
			dst = append(dst, &e.XID, &e.Inet, &e.DetailsJSON)
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(details, &e.Details); err != nil {
			return nil, fmt.Errorf("details of event %s: %w", e.ID, err)
		}
	}
	return events, rows.Err()
}

// list runs the listing's statement and returns its events in order.
func (r *Reader) list(ctx context.Context, l *listing) ([]Event, error) {
	if l.lo != nil && l.before != nil && l.lo.After(l.before.OccurredAt) {
		return nil, nil // the cursor is past the start of the range
	}
	var stmt sqlText
	if l.search != nil {
		l.searchStatement(&stmt)
	} else {
		l.listStatement(&stmt)
	}
	// The statement must be planned for its arguments at every call. pgx
	// would otherwise prepare it once per connection, and after five runs
	// PostgreSQL may keep a generic plan, which assumes an organization of
	// average size: for a large one it sorts every event where it should
	// walk the newest (measured: seconds instead of milliseconds). In exec
	// mode pgx sends the statement unnamed, in one round trip. The arguments
	// are set after Raw, which would otherwise number them itself.
	tx := r.DB.Conn(ctx).Raw(stmt.String())
	tx.Statement.Vars = append([]any{pgx.QueryExecModeExec}, stmt.args...)
	events, err := scanEvents(tx, l.stored)
	if err != nil {
		var pgErr *pgconn.PgError
		if l.search != nil && errors.As(err, &pgErr) && pgErr.Code == "57014" { // statement timeout
			return nil, &apperr.Error{
				Code:    apperr.BadUserInput,
				Field:   "filter.search",
				Message: "the search took too long; narrow the date range or search for a longer term",
				Cause:   err,
			}
		}
		return nil, fmt.Errorf("audit: list events: %w", err)
	}
	// The statement returns rows in order; sorting again costs nothing and
	// keeps pages stable should a plan ever return them otherwise.
	slices.SortStableFunc(events, func(a, b Event) int {
		if c := b.OccurredAt.Compare(a.OccurredAt); c != 0 {
			return c
		}
		return bytes.Compare(b.ID[:], a.ID[:])
	})
	return events, nil
}

func (l *listing) page(events []Event) Page {
	if l.first == 0 {
		return Page{HasNextPage: len(events) > 0}
	}
	p := Page{HasNextPage: len(events) > l.first}
	if p.HasNextPage {
		events = events[:l.first]
	}
	p.Events = events
	p.Cursors = make([]string, len(events))
	for i, e := range events {
		p.Cursors[i] = encodeCursor(position{OccurredAt: e.OccurredAt, ID: e.ID}, l.scope)
	}
	if len(events) > 0 {
		p.EndCursor = p.Cursors[len(p.Cursors)-1]
	}
	return p
}

// listing is a validated ListQuery, ready to become SQL.
type listing struct {
	org   uuid.UUID
	first int
	// limit is how many rows to fetch: one more than the page, to learn
	// whether another page follows.
	limit int
	// lo is the inclusive lower bound of occurred_at.
	lo *time.Time
	// before is the exclusive upper bound in the log's order: the cursor, or
	// just past the upper date bound, whichever comes first.
	before *position
	now    time.Time
	// actions are the actions allowed by the category or action filter; nil
	// allows all.
	actions      []Action
	actorID      string
	resourceType string
	resourceID   string
	search       *searchTerm
	scope        cursorScope
	// stored also selects the columns only the verifiable log reads.
	stored bool
}

type searchTerm struct {
	// pattern is the LIKE pattern, wildcards escaped, not yet lower-cased
	// (the database lower-cases it the way it lower-cased the indexed text).
	pattern string
	// labelActions are the allowed actions whose label or category label
	// contains the term.
	labelActions []Action
}

func newListing(org uuid.UUID, q ListQuery) (*listing, error) {
	if q.First < 0 || q.First > MaxPageSize {
		return nil, apperr.Invalid("first", "first must be between 0 and %d", MaxPageSize)
	}
	f := q.Filter
	f.Search = strings.TrimSpace(f.Search)
	l := &listing{
		org:          org,
		first:        q.First,
		limit:        q.First + 1,
		now:          q.Now,
		actorID:      f.ActorID,
		resourceType: f.ResourceType,
		resourceID:   f.ResourceID,
		scope:        scopeOf(org, f),
	}
	if l.now.IsZero() {
		l.now = time.Now()
	}
	for _, field := range []struct{ name, value string }{
		{"filter.actorId", f.ActorID}, {"filter.resourceType", f.ResourceType}, {"filter.resourceId", f.ResourceID},
	} {
		if len(field.value) > 200 || !utf8.ValidString(field.value) || strings.ContainsRune(field.value, 0) {
			return nil, apperr.Invalid(field.name, "%s is not a valid value", field.name[len("filter."):])
		}
	}
	if err := l.setActions(f); err != nil {
		return nil, err
	}
	if err := l.setTimeBounds(f); err != nil {
		return nil, err
	}
	l.applyRetention(q.RetentionDays)
	if err := l.setSearch(f.Search); err != nil {
		return nil, err
	}
	if q.After != "" {
		p, err := decodeCursor(q.After, l.scope)
		if err != nil {
			return nil, err
		}
		if l.before == nil || p.less(*l.before) {
			l.before = &p
		}
	}
	return l, nil
}

func (l *listing) setActions(f Filter) error {
	if f.Category != "" && !f.Category.Valid() {
		return apperr.Invalid("filter.category", "unknown category %q", f.Category)
	}
	if f.Action != "" && !f.Action.Valid() {
		return apperr.Invalid("filter.action", "unknown action %q", f.Action)
	}
	switch {
	case f.Action != "":
		if f.Category != "" && f.Action.Category() != f.Category {
			return apperr.Invalid("filter.action", "action %s is not in category %s", f.Action, f.Category)
		}
		l.actions = []Action{f.Action}
	case f.Category != "":
		info, _ := LookupCategory(f.Category)
		for _, a := range info.Actions {
			l.actions = append(l.actions, a.Action)
		}
	}
	return nil
}

func (l *listing) setTimeBounds(f Filter) error {
	loc := time.UTC
	if f.TimeZone != "" {
		var err error
		loc, err = time.LoadLocation(f.TimeZone)
		if err != nil || f.TimeZone == "Local" {
			return apperr.Invalid("filter.timeZone", "unknown time zone %q; use an IANA name such as Europe/Paris", f.TimeZone)
		}
	}
	if f.From != nil && f.To != nil && f.From.After(*f.To) {
		return apperr.Invalid("filter.from", "from must not be after to")
	}
	var lo, hi *time.Time
	if f.Range != "" {
		if !f.Range.Valid() {
			return apperr.Invalid("filter.range", "unknown date range %q", f.Range)
		}
		now := l.now.In(loc)
		var from time.Time
		switch f.Range {
		case Today:
			from = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
		case Last7Days:
			from = now.Add(-7 * 24 * time.Hour)
		case Last30Days:
			from = now.Add(-30 * 24 * time.Hour)
		case Last90Days:
			from = now.Add(-90 * 24 * time.Hour)
		}
		lo, hi = &from, &now
	}
	if f.From != nil && (lo == nil || f.From.After(*lo)) {
		lo = f.From
	}
	if f.To != nil && (hi == nil || f.To.Before(*hi)) {
		hi = f.To
	}
	// The database keeps microseconds: round the bounds inwards to them.
	if lo != nil {
		from := lo.Truncate(time.Microsecond)
		if from.Before(*lo) {
			from = from.Add(time.Microsecond)
		}
		l.lo = &from
	}
	if hi != nil {
		// Every event at or before hi sorts before (hi + 1µs, nil id).
		l.before = &position{OccurredAt: hi.Truncate(time.Microsecond).Add(time.Microsecond)}
	}
	return nil
}

// applyRetention raises the lower time bound to the start of the retention
// period. The retention is counted in whole days back from now, to the
// microsecond the database keeps.
func (l *listing) applyRetention(days int) {
	if days <= 0 {
		return
	}
	oldest := RetentionStart(l.now, days)
	if l.lo == nil || oldest.After(*l.lo) {
		l.lo = &oldest
	}
}

func (l *listing) setSearch(term string) error {
	if term == "" {
		return nil
	}
	if !utf8.ValidString(term) || strings.IndexFunc(term, unicode.IsControl) >= 0 {
		return apperr.Invalid("filter.search", "search must be printable text")
	}
	if utf8.RuneCountInString(term) > MaxSearchLength {
		return apperr.Invalid("filter.search", "search must be at most %d characters", MaxSearchLength)
	}
	if !hasWordRun(term, MinSearchRun) {
		return apperr.Invalid("filter.search", "search needs at least %d letters or digits in a row", MinSearchRun)
	}
	s := &searchTerm{pattern: "%" + escapeLike(term) + "%"}
	for _, a := range ActionsMatchingLabel(term) {
		if l.actions == nil || slices.Contains(l.actions, a) {
			s.labelActions = append(s.labelActions, a)
		}
	}
	allowed := len(l.actions)
	if l.actions == nil {
		allowed = len(actionByName)
	}
	if len(s.labelActions) == allowed {
		return nil // every allowed action's label matches: the search filters nothing out
	}
	l.search = s
	return nil
}

// hasWordRun reports whether s has n consecutive letters or digits, which is
// what gives the trigram index at least one whole trigram to look up.
func hasWordRun(s string, n int) bool {
	run := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if run++; run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// escapeLike makes s match itself literally in a LIKE pattern (whose escape
// character is the backslash).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// sqlText accumulates a statement and its arguments; each "?" in a fragment
// becomes the next numbered parameter ($1, $2, ...) bound to the next
// argument. Fragments hold no other question mark.
type sqlText struct {
	strings.Builder
	args []any
}

func (s *sqlText) add(fragment string, args ...any) {
	for {
		i := strings.IndexByte(fragment, '?')
		if i < 0 {
			break
		}
		if len(args) == 0 {
			panic("audit: more ? than arguments in " + fragment)
		}
		s.WriteString(fragment[:i])
		s.args = append(s.args, args[0])
		s.WriteString("$" + strconv.Itoa(len(s.args)))
		fragment, args = fragment[i+1:], args[1:]
	}
	if len(args) != 0 {
		panic("audit: more arguments than ? in " + fragment)
	}
	s.WriteString(fragment)
}

// columns selects an event from alias a in the shape of Event; with
// stored, also the columns only the verifiable log reads (Event.XID and
// Event.Inet).
func (l *listing) columns(a string) string {
	cols := "#.organization_id, #.occurred_at, #.id, #.action, #.actor_type, #.actor_id, #.actor_email, #.actor_name, " +
		"#.resource_type, #.resource_id, #.resource_name, #.details, host(#.ip_address) AS ip_address, #.user_agent, #.request_id"
	if l.stored {
		cols += ", #.xid::text AS xid, coalesce(#.ip_address::text, '') AS inet, #.details::text AS details_json"
	}
	return strings.NewReplacer("#", a).Replace(cols)
}

// plainColumns selects the output of columns from a subquery.
func (l *listing) plainColumns() string {
	cols := "organization_id, occurred_at, id, action, actor_type, actor_id, actor_email, actor_name, " +
		"resource_type, resource_id, resource_name, details, ip_address, user_agent, request_id"
	if l.stored {
		cols += ", xid, inet, details_json"
	}
	return cols
}

const newestFirst = " ORDER BY #.occurred_at DESC, #.id DESC"

func orderBy(a string) string { return strings.ReplaceAll(newestFirst, "#", a) }

// where writes the conditions every scan shares on alias a: organization,
// date bounds and cursor, actor and resource.
//
// The upper bound, whether the cursor or the end of a date range, is one row
// comparison, which an index scan starts from, so that a page deep in the
// log costs what the first page costs.
func (l *listing) where(s *sqlText, a string) {
	s.add(a+".organization_id = ?", l.org)
	if l.lo != nil {
		s.add(" AND "+a+".occurred_at >= ?", *l.lo)
	}
	if l.before != nil {
		s.add(" AND ("+a+".occurred_at, "+a+".id) < (?::timestamptz, ?::uuid)", l.before.OccurredAt, l.before.ID)
	}
	l.whereSubjects(s, a)
}

// whereSubjects writes the actor and resource filters on alias a.
func (l *listing) whereSubjects(s *sqlText, a string) {
	if l.actorID != "" {
		s.add(" AND "+a+".actor_id = ?", l.actorID)
	}
	if l.resourceType != "" {
		s.add(" AND "+a+".resource_type = ?", l.resourceType)
	}
	if l.resourceID != "" {
		s.add(" AND "+a+".resource_id = ?", l.resourceID)
	}
}

// whereActions writes the action filter on alias a, if any.
func (l *listing) whereActions(s *sqlText, a string) {
	switch len(l.actions) {
	case 0:
	case 1:
		s.add(" AND "+a+".action = ?", string(l.actions[0]))
	default:
		s.add(" AND " + a + ".action IN ")
		actionList(s, l.actions)
	}
}

// actionList writes a parenthesised list binding actions.
func actionList(s *sqlText, actions []Action) {
	s.add("(")
	for i, act := range actions {
		if i > 0 {
			s.add(", ")
		}
		s.add("?", string(act))
	}
	s.add(")")
}

// newest writes a query for the newest n events that pass the filters
// (search aside), newest first, with the extra select expression if any.
//
// With several actions (a category), a single index scan cannot return them
// in time order, and walking the whole log until n of them turn up can read
// millions of rows for a rare category. Instead the newest n keys of each
// action come from the action index (index-only), the n newest of those are
// kept, and only their rows are read.
func (l *listing) newest(s *sqlText, n int, extra func(s *sqlText, a string)) {
	s.add("SELECT " + l.columns("e"))
	if extra != nil {
		s.add(", ")
		extra(s, "e")
	}
	if len(l.actions) <= 1 {
		s.add(" FROM audit_events e WHERE ")
		l.where(s, "e")
		l.whereActions(s, "e")
		s.add(orderBy("e") + limit(n))
		return
	}
	s.add(" FROM (SELECT k.occurred_at, k.id FROM (VALUES ")
	for i, act := range l.actions {
		if i > 0 {
			s.add(", ")
		}
		s.add("(?::text)", string(act))
	}
	s.add(") AS a(action) CROSS JOIN LATERAL (SELECT x.occurred_at, x.id FROM audit_events x WHERE ")
	l.where(s, "x")
	s.add(" AND x.action = a.action" + orderBy("x") + limit(n) + ") k")
	s.add(orderBy("k") + limit(n) + ") k")
	s.add(" JOIN audit_events e ON e.organization_id = ? AND e.occurred_at = k.occurred_at AND e.id = k.id", l.org)
	s.add(orderBy("e"))
}

// listStatement is the statement of a list without search.
func (l *listing) listStatement(s *sqlText) {
	l.newest(s, l.limit, nil)
}

// matches writes the search condition on alias a. The pattern is a scalar
// subquery on purpose: the planner then cannot estimate how common the term
// is from statistics gathered over every organization (which sends it on a
// row-by-row walk of the whole log for a term absent here but common
// elsewhere), and it takes the trigram index whenever it has to find all
// matches of a window.
func (l *listing) matches(s *sqlText, a string) {
	s.add("(")
	if len(l.search.labelActions) > 0 {
		s.add(a + ".action IN ")
		actionList(s, l.search.labelActions)
		s.add(" OR ")
	}
	s.add("audit_event_search_text("+a+".actor_email, "+a+".resource_type, "+a+".resource_id, "+a+".details)"+
		" LIKE (SELECT lower(?::text)))", l.search.pattern)
}

// searchStatement is the statement of a search, in two stages that each
// bound their work (measurements in docs/audit-query-plans.md):
//
//  1. recent: the newest recentRows events that pass the filters, read in
//     time order and tested one by one. A common term fills the page here.
//  2. Older events, one month window at a time, newest window first, each
//     through the trigram index: all matches of the window, sorted. The
//     windows follow the monthly partitions, and are UNION ALL branches that
//     PostgreSQL runs in order, so the outer LIMIT stops the statement as
//     soon as the page is full. Stage 2 only runs when stage 1 read a full
//     recentRows without filling the page, and only looks below the oldest
//     row stage 1 read (which also honours the date bounds and cursor).
//
// Each window's month bounds are literals, which prune it to its partition
// at planning. Its other bounds (the range's start, and the edge stage 1
// finds while running) are written "(...) IS TRUE", which no index can use:
// the planner then weighs the trigram index against reading the window's
// whole month, which is what a window costs when the term is rare, and takes
// the index.
func (l *listing) searchStatement(s *sqlText) {
	k := recentRows(l.limit)
	s.add("WITH recent AS MATERIALIZED (")
	l.newest(s, k, func(s *sqlText, a string) {
		l.matches(s, a)
		s.add(" AS hit")
	})
	s.add(fmt.Sprintf("), edge AS (SELECT r.occurred_at, r.id FROM recent r WHERE (SELECT count(*) FROM recent) = %d"+
		" ORDER BY r.occurred_at, r.id LIMIT 1)", k))
	s.add(" SELECT " + l.plainColumns() + " FROM ((SELECT " + l.plainColumns() + " FROM recent WHERE hit" + orderBy("recent") + limit(l.limit) + ")")
	for _, w := range l.windows() {
		s.add(" UNION ALL (SELECT * FROM (SELECT " + l.columns("e") + " FROM audit_events e WHERE EXISTS (SELECT FROM edge)")
		s.add(" AND e.organization_id = ?", l.org)
		if w.from != nil {
			s.add(" AND e.occurred_at >= " + timestampLiteral(*w.from))
		}
		if w.to != nil {
			s.add(" AND e.occurred_at < " + timestampLiteral(*w.to))
		}
		if l.lo != nil {
			s.add(" AND (e.occurred_at >= ?) IS TRUE", *l.lo)
		}
		s.add(" AND ((e.occurred_at, e.id) < (SELECT occurred_at, id FROM edge)) IS TRUE")
		l.whereSubjects(s, "e")
		l.whereActions(s, "e")
		s.add(" AND ")
		l.matches(s, "e")
		s.add(" OFFSET 0) w" + orderBy("w") + limit(l.limit) + ")")
	}
	s.add(") u" + limit(l.limit))
}

func limit(n int) string { return fmt.Sprintf(" LIMIT %d", n) }

func timestampLiteral(t time.Time) string {
	return "'" + t.UTC().Format("2006-01-02 15:04:05.999999Z07:00") + "'::timestamptz"
}

// recentRows is how many of the newest events a search tests one by one
// (5 to 10 µs each) before it turns to the trigram index: enough that a term
// on 1 event in 40 or more fills a page of n there. Below that density the
// index's matches of a month are few enough to sort.
func recentRows(n int) int { return min(max(40*n, 2000), 8000) }

// monthWindows is how many calendar months a search looks at one by one
// before it takes everything older in one window.
const monthWindows = 6

type window struct{ from, to *time.Time }

// windows splits the listing's time span into the search's windows, newest
// first, on UTC month boundaries (the partitions' bounds).
func (l *listing) windows() []window {
	top := l.now
	if l.before != nil {
		top = l.before.OccurredAt
	}
	top = top.UTC()
	month := time.Date(top.Year(), top.Month(), 1, 0, 0, 0, 0, time.UTC)
	var ws []window
	var to *time.Time
	for i := 0; i < monthWindows; i++ {
		from := month.AddDate(0, -i, 0)
		ws = append(ws, window{from: &from, to: to})
		if l.lo != nil && !from.After(*l.lo) {
			return ws
		}
		to = &from
	}
	return append(ws, window{to: to})
}
