package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
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
	"github.com/orgtrail/orgtrail/server/replica"
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
	// RequestID is the request that recorded the event (its X-Request-Id).
	RequestID string
	// IPAddress is the client's address, or a network (CIDR) holding it.
	IPAddress string
	// Query is a search in the query language of searchquery.go: words and
	// qualifiers, which all apply along with the fields above. Dates in it
	// without a zone are read in TimeZone.
	Query string
}

// TimeBoundsOnly reports whether f selects events by time alone (range,
// from, to), so that what it selects is every event of a span: a
// verification bundle of it can account for every sequence number. A field
// added to Filter that selects by anything else belongs here.
func (f Filter) TimeBoundsOnly() bool {
	return f.Search == "" && f.Category == "" && f.Action == "" && f.ActorID == "" && f.ResourceType == "" &&
		f.ResourceID == "" && f.RequestID == "" && f.IPAddress == "" && strings.TrimSpace(f.Query) == ""
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
	// Replica, when set, serves the Audit Log's reads (List, Each) from a
	// streaming standby, waiting for the caller's own writes (package
	// replica). Nil: every read goes to DB.
	Replica *replica.Reads
}

// ReadDB is where the Audit Log's reads go: the one routing point between
// the primary and the read replica. A new read of the Audit Log (a timeline,
// an export) takes its connection from here.
func (r *Reader) ReadDB(ctx context.Context) *database.DB {
	if db := r.Replica.For(ctx); db != nil {
		return db
	}
	return r.DB
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
// per statement. It is how a verification bundle and an export select
// exactly what the Audit Log shows for the same filter. Events carry their
// details as stored (Event.DetailsJSON), not decoded (Details is nil).
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
	stmt := l.statement()
	return stmt.String(), stmt.args, nil
}

// statement is the SQL the listing runs: the search's when it searches.
func (l *listing) statement() *sqlText {
	var stmt sqlText
	if l.searching() {
		l.searchStatement(&stmt)
	} else {
		l.listStatement(&stmt)
	}
	return &stmt
}

// scanEvents reads the rows of a listing's statement (columns). It scans
// each column into its field itself: GORM's reflective Scan cost a page of
// 50 events about 0.4 ms of CPU, a fifth of the server's work for the Audit
// Log's page (profile in README, "Reads"). In stored mode (Reader.Each,
// whose readers stream millions of events: bundles and exports) details are
// not decoded: Event.Details stays nil and Event.DetailsJSON holds them as
// stored (measured on a million events, decoding was most of the export's CPU).
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
		if stored {
			continue
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
	if l.none {
		return nil, nil
	}
	stmt := l.statement()
	// The statement must be planned for its arguments at every call. pgx
	// would otherwise prepare it once per connection, and after five runs
	// PostgreSQL may keep a generic plan, which assumes an organization of
	// average size: for a large one it sorts every event where it should
	// walk the newest (measured: seconds instead of milliseconds). In exec
	// mode pgx sends the statement unnamed, in one round trip. The arguments
	// are set after Raw, which would otherwise number them itself.
	tx := r.ReadDB(ctx).Conn(ctx).Raw(stmt.String())
	tx.Statement.Vars = append([]any{pgx.QueryExecModeExec}, stmt.args...)
	events, err := scanEvents(tx, l.stored)
	if err != nil {
		var pgErr *pgconn.PgError
		if l.searching() && errors.As(err, &pgErr) && pgErr.Code == "57014" { // statement timeout
			field := "filter.query"
			if l.searchGiven {
				field = "filter.search"
			}
			return nil, &apperr.Error{
				Code:    apperr.BadUserInput,
				Field:   field,
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
	requestID    string
	ip           netip.Prefix
	// subjects are the query's qualifiers on who or what an event is about
	// (actor, resource, ip, request): each group holds alternatives of one
	// key, or one negated clause.
	subjects [][]Clause
	// texts are conditions on what an event says, served by the trigram
	// index: the search, the query's words and changed: qualifiers.
	texts []textMatch
	// none is set when the filter excludes every action: nothing matches.
	none bool
	// searchGiven is set when the filter's search field is (the field a
	// search cut short is reported on; else the query's).
	searchGiven bool
	scope       cursorScope
	// stored also selects the columns only the verifiable log reads.
	stored bool
}

// textMatch is one condition on what an event says: a word, or
// alternatives of changed: qualifiers; negated, it must not hold.
type textMatch struct {
	negated bool
	word    *searchTerm
	changed []Clause
}

// searching reports whether a condition needs the search statement: a
// positive text match, which only the trigram index finds efficiently.
// Negated ones alone filter the plain list.
func (l *listing) searching() bool {
	for _, t := range l.texts {
		if !t.negated {
			return true
		}
	}
	return false
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
		requestID:    f.RequestID,
		scope:        scopeOf(org, f),
	}
	if l.now.IsZero() {
		l.now = time.Now()
	}
	for _, field := range []struct{ name, value string }{
		{"filter.actorId", f.ActorID}, {"filter.resourceType", f.ResourceType}, {"filter.resourceId", f.ResourceID},
		{"filter.requestId", f.RequestID},
	} {
		if len(field.value) > 200 || !utf8.ValidString(field.value) || strings.ContainsRune(field.value, 0) {
			return nil, apperr.Invalid(field.name, "%s is not a valid value", field.name[len("filter."):])
		}
	}
	if f.IPAddress != "" {
		p, err := parseIP(f.IPAddress)
		if err != nil {
			return nil, apperr.Invalid("filter.ipAddress", "%q is not an IP address or a network such as 10.0.0.0/8", f.IPAddress)
		}
		l.ip = p
	}
	loc, err := timeZone(f.TimeZone, "filter.timeZone")
	if err != nil {
		return nil, err
	}
	query, err := ParseQuery(f.Query, loc)
	if err != nil {
		var qe *QueryError
		if errors.As(err, &qe) {
			return nil, qe.AsInput("filter.query")
		}
		return nil, err
	}
	if err := l.setActions(f); err != nil {
		return nil, err
	}
	l.narrowActions(query)
	if err := l.setTimeBounds(f, loc, query); err != nil {
		return nil, err
	}
	l.applyRetention(q.RetentionDays)
	if err := l.setSearch(f.Search); err != nil {
		return nil, err
	}
	l.setQuery(query)
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

// timeZone loads the time zone name given in field, UTC when none is
// given.
func timeZone(name, field string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, apperr.Invalid(field, "unknown time zone %q; use an IANA name such as Europe/Paris", name)
	}
	return loc, nil
}

// narrowActions applies the query's action: and category: qualifiers to the
// actions the filter allows: each key's values are alternatives, keys and
// negations narrow.
func (l *listing) narrowActions(query Query) {
	allowed := l.actions
	if allowed == nil {
		allowed = allActions()
	}
	narrowed := false
	for _, key := range []string{KeyAction, KeyCategory} {
		var any []Action
		given := false
		for _, c := range query.Clauses {
			if c.Key != key {
				continue
			}
			narrowed = true
			if c.Negated {
				allowed = slices.DeleteFunc(slices.Clone(allowed), func(a Action) bool { return slices.Contains(c.Actions, a) })
				continue
			}
			given = true
			any = append(any, c.Actions...)
		}
		if given {
			allowed = slices.DeleteFunc(slices.Clone(allowed), func(a Action) bool { return !slices.Contains(any, a) })
		}
	}
	if !narrowed {
		return
	}
	if len(allowed) == 0 {
		l.none = true
	}
	if len(allowed) == len(actionByName) {
		allowed = nil
	}
	l.actions = allowed
}

// allActions is every action of the catalog, in catalog order.
func allActions() []Action {
	var out []Action
	for _, c := range catalog {
		for _, a := range c.Actions {
			out = append(out, a.Action)
		}
	}
	return out
}

// setTimeBounds sets the time bounds from the range, from and to, and the
// query's after: (inclusive) and before: (exclusive) in loc.
func (l *listing) setTimeBounds(f Filter, loc *time.Location, query Query) error {
	for _, c := range query.Clauses {
		switch c.Key {
		case KeyAfter:
			t := c.Time
			f.From = later(f.From, &t)
		case KeyBefore:
			t := c.Time.Add(-time.Microsecond) // before: is exclusive, to inclusive
			f.To = earlier(f.To, &t)
		}
	}
	if f.From != nil && f.To != nil && f.From.After(*f.To) {
		if f.Query != "" {
			return apperr.Invalid("filter.query", "the search's dates leave no time between after: and before: (or from and to)")
		}
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

func later(a, b *time.Time) *time.Time {
	if a == nil || (b != nil && b.After(*a)) {
		return b
	}
	return a
}

func earlier(a, b *time.Time) *time.Time {
	if a == nil || (b != nil && b.Before(*a)) {
		return b
	}
	return a
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
	l.searchGiven = true
	l.addWord(term, false)
	return nil
}

// addWord adds a search word: a substring of the searchable text, or of an
// allowed action's or its category's label.
func (l *listing) addWord(term string, negated bool) {
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
		// Every allowed action's label matches: the word filters nothing
		// out, or, negated, everything.
		if negated {
			l.none = true
		}
		return
	}
	l.texts = append(l.texts, textMatch{negated: negated, word: s})
}

// setQuery adds the query's words, changed: qualifiers and subject
// qualifiers (action:, category:, before: and after: are applied with the
// actions and the time bounds).
func (l *listing) setQuery(query Query) {
	groups := map[string]int{}
	var changed []Clause
	for _, c := range query.Clauses {
		switch c.Key {
		case "":
			l.addWord(c.Value, c.Negated)
		case KeyChanged:
			if c.Negated {
				l.texts = append(l.texts, textMatch{negated: true, changed: []Clause{c}})
			} else {
				changed = append(changed, c)
			}
		case KeyActor, KeyResource, KeyIP, KeyRequest:
			if c.Negated {
				l.subjects = append(l.subjects, []Clause{c})
				continue
			}
			i, ok := groups[c.Key]
			if !ok {
				i = len(l.subjects)
				groups[c.Key] = i
				l.subjects = append(l.subjects, nil)
			}
			l.subjects[i] = append(l.subjects[i], c)
		}
	}
	if len(changed) > 0 {
		l.texts = append(l.texts, textMatch{changed: changed})
	}
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
	if len(l.texts) > 0 && !l.searching() {
		s.add(" AND ")
		l.matches(s, a) // negated words alone: a filter on the rows walked
	}
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
	if l.requestID != "" {
		requestIs(s, a, l.requestID)
	}
	if l.ip.IsValid() {
		s.add(" AND ")
		ipIn(s, a, l.ip)
	}
	for _, group := range l.subjects {
		s.add(" AND (")
		for i, c := range group {
			if i > 0 {
				s.add(" OR ")
			}
			l.subject(s, a, c)
		}
		s.add(")")
		if group[0].Negated {
			s.add(" IS NOT TRUE")
		}
	}
}

// subject writes the condition of one actor:, resource:, ip: or request:
// qualifier on alias a, without its negation.
func (l *listing) subject(s *sqlText, a string, c Clause) {
	switch c.Key {
	case KeyActor:
		// An actor is named by id (the actor index) or by email, which the
		// searchable text starts with: the trigram index finds the
		// candidates, the equality decides.
		s.add("("+a+".actor_id = ? OR (", c.Value)
		s.add(searchText(a)+" LIKE (SELECT lower(?::text)) AND lower("+a+".actor_email) = lower(?)))",
			escapeLike(c.Value)+"\x1f%", c.Value)
	case KeyResource:
		s.add("("+a+".resource_type = ?", c.ResourceType)
		if c.ResourceID != "" {
			s.add(" AND "+a+".resource_id = ?", c.ResourceID)
		}
		s.add(")")
	case KeyIP:
		ipIn(s, a, c.Prefix)
	case KeyRequest:
		s.add("(TRUE")
		requestIs(s, a, c.Value)
		s.add(")")
	}
}

// requestIs writes " AND" the request id condition: the index holds the
// id's hash (migration 00021) and leaves out events without one, so the
// condition says both.
func requestIs(s *sqlText, a, id string) {
	s.add(" AND hashtext("+a+".request_id) = hashtext(?::text) AND "+a+".request_id = ? AND "+a+".request_id <> ''", id, id)
}

// ipIn writes the condition that the event's address is p's (or in p's
// network); the btree index on addresses serves both.
func ipIn(s *sqlText, a string, p netip.Prefix) {
	if p.Bits() == p.Addr().BitLen() {
		s.add(a+".ip_address = ?::inet", p.Addr().String())
		return
	}
	s.add(a+".ip_address <<= ?::cidr", p.String())
}

// searchText is the searchable text of the event at alias a, exactly the
// expression the trigram index holds (migration 00021): actor email and
// name, resource type, id and name, and details, lower-cased and joined by
// the unit separator (0x1F), which no term contains.
func searchText(a string) string {
	return strings.NewReplacer("#", a).Replace(
		"audit_event_search_text(#.actor_email, #.actor_name, #.resource_type, #.resource_id, #.resource_name, #.details)")
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
//
// It writes every text condition, ANDed: a word matches its pattern or an
// action whose label holds it; changed: qualifiers (alternatives) look for
// the field's key in the text, then check details.changes exactly.
func (l *listing) matches(s *sqlText, a string) {
	s.add("(")
	for i, t := range l.texts {
		if i > 0 {
			s.add(" AND ")
		}
		s.add("(")
		if t.word != nil {
			if len(t.word.labelActions) > 0 {
				s.add(a + ".action IN ")
				actionList(s, t.word.labelActions)
				s.add(" OR ")
			}
			s.add(searchText(a)+" LIKE (SELECT lower(?::text))", t.word.pattern)
		}
		for j, c := range t.changed {
			if j > 0 {
				s.add(" OR ")
			}
			changedMatch(s, a, c)
		}
		s.add(")")
		if t.negated {
			s.add(" IS NOT TRUE")
		}
	}
	s.add(")")
}

// changedMatch writes the condition of one changed: qualifier. The key
// appears in the details' text as `"field": {` (jsonb's output), which the
// trigram index looks up; the value, when it has a run of letters, too.
// details.changes then decides: the field is there and, when a value is
// asked for, its new value is it, or a list holding it.
func changedMatch(s *sqlText, a string, c Clause) {
	s.add("("+searchText(a)+" LIKE (SELECT lower(?::text))", `%"`+escapeLike(c.Field)+`": {%`)
	if c.HasFieldValue && hasWordRun(c.FieldValue, MinSearchRun) {
		s.add(" AND "+searchText(a)+" LIKE (SELECT lower(?::text))", "%"+escapeLike(c.FieldValue)+"%")
	}
	s.add(" AND ("+a+".details->'changes'->?::text) IS NOT NULL", c.Field)
	if c.HasFieldValue {
		s.add(" AND ("+a+".details->'changes'->?::text->'to' @> to_jsonb(?::text) OR "+a+".details->'changes'->?::text->>'to' = ?)",
			c.Field, c.FieldValue, c.Field, c.FieldValue)
	}
	s.add(")")
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

// added returns, newest first, the events of transactions xids (whose
// events occurred between lo and hi) that q's filter selects: the live
// tail's filter, by the conditions List applies, restricted to what a poll
// found new. At most q.First events.
func (r *Reader) added(ctx context.Context, org uuid.UUID, q ListQuery, xids []uint64, lo, hi time.Time) ([]Event, error) {
	l, err := newListing(org, q)
	if err != nil {
		return nil, err
	}
	if l.none || (l.lo != nil && l.lo.After(hi)) {
		return nil, nil
	}
	list := make([]string, len(xids))
	for i, x := range xids {
		list[i] = strconv.FormatUint(x, 10)
	}
	var s sqlText
	s.add("SELECT " + l.columns("e") + " FROM audit_events e WHERE ")
	l.where(&s, "e")
	l.whereActions(&s, "e")
	if l.searching() {
		s.add(" AND ")
		l.matches(&s, "e")
	}
	s.add(" AND e.occurred_at >= ? AND e.occurred_at <= ? AND e.xid = ANY(?::text::xid8[])",
		lo, hi, "{"+strings.Join(list, ",")+"}")
	s.add(orderBy("e") + limit(l.first))
	tx := r.DB.Conn(ctx).Raw(s.String())
	tx.Statement.Vars = append([]any{pgx.QueryExecModeExec}, s.args...)
	var events []Event
	if err := tx.Scan(&events).Error; err != nil {
		return nil, fmt.Errorf("audit: new events: %w", err)
	}
	return events, nil
}
