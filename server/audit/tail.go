package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Tail delivers newly committed events to the live subscribers of one
// server (the Audit Log's "Live" toggle).
//
// It learns of new events by polling the log, not from the process that
// wrote them, so an event written through any replica reaches subscribers
// of every replica, and the write path pays nothing: no trigger, no NOTIFY
// (whose commit-time lock would serialize every writer of the database).
// Each poll is one statement for the whole server, whatever the number of
// subscribers: the events of the subscribed organizations whose transaction
// (the xid column the database fills, indexed per organization for the
// verifiable log) is at or above the horizon, the xmin of the previous
// poll's snapshot. Every transaction below the horizon had ended when that
// poll ran, so an event committed since is either at or above it, or was
// visible then; events seen above the horizon are remembered (by xid) until
// it passes them, so a long transaction elsewhere delays nothing and no
// event is delivered twice.
//
// New events are then filtered per subscription by the listing code of
// auditEvents (the same conditions, restricted to the new transactions),
// once per distinct filter of an organization: 500 people tailing the same
// filter cost one query per poll that finds something.
type Tail struct {
	Reader *Reader
	// Interval is the time between polls.
	Interval time.Duration
	// RecheckEvery is how often a subscription's caller is authenticated
	// again: a revoked key, an ended session or a lost permission ends the
	// subscription within this time, as it would refuse the next request.
	RecheckEvery time.Duration
	Log          *slog.Logger

	mu   sync.Mutex
	subs map[uuid.UUID]map[*tailSub]struct{}
	// horizon is the xmin of the last poll's snapshot (0 before the first
	// poll); seen holds the transactions at or above it already delivered.
	horizon uint64
	seen    map[uint64]struct{}
}

// TailBatchLimit is the most events one message of a subscription carries:
// a burst beyond it in one poll delivers its newest TailBatchLimit events.
const TailBatchLimit = MaxPageSize

// tailSub is one subscription.
type tailSub struct {
	ctx     context.Context
	q       ListQuery
	key     string
	out     chan []Event
	recheck func(context.Context) error
	checked time.Time
}

// NewTail returns a Tail polling every interval; Run starts it.
func NewTail(r *Reader, interval time.Duration, log *slog.Logger) *Tail {
	return &Tail{Reader: r, Interval: interval, RecheckEvery: 30 * time.Second, Log: log,
		subs: map[uuid.UUID]map[*tailSub]struct{}{}, seen: map[uint64]struct{}{}}
}

// Subscribe streams org's events that q's filter selects as they commit,
// newest first in each batch, until ctx ends or recheck fails (it is called
// every RecheckEvery). The first batch is empty and says the subscription
// is live: an event committed after it arrives. A filter List would refuse
// is refused here, with List's error. A subscriber that does not keep up
// (16 batches behind) is dropped: its channel closes.
func (t *Tail) Subscribe(ctx context.Context, org uuid.UUID, q ListQuery, recheck func(context.Context) error) (<-chan []Event, error) {
	q.First, q.After, q.Now = TailBatchLimit, "", time.Time{}
	if err := CheckQuery(org, q); err != nil {
		return nil, err
	}
	key, _ := json.Marshal(struct {
		F Filter
		R int
	}{q.Filter, q.RetentionDays})
	s := &tailSub{ctx: ctx, q: q, key: string(key), out: make(chan []Event, 16), recheck: recheck, checked: time.Now()}
	s.out <- []Event{}
	t.mu.Lock()
	if t.subs[org] == nil {
		t.subs[org] = map[*tailSub]struct{}{}
	}
	t.subs[org][s] = struct{}{}
	t.mu.Unlock()
	context.AfterFunc(ctx, func() { t.drop(org, s) })
	return s.out, nil
}

// Subscribers is how many subscriptions the server holds.
func (t *Tail) Subscribers() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, subs := range t.subs {
		n += len(subs)
	}
	return n
}

// drop ends s: it leaves the tail and its channel closes.
func (t *Tail) drop(org uuid.UUID, s *tailSub) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.subs[org][s]; !ok {
		return
	}
	delete(t.subs[org], s)
	if len(t.subs[org]) == 0 {
		delete(t.subs, org)
	}
	close(s.out)
}

// Run polls every Interval until ctx ends. A failed poll is logged and
// retried at the next: nothing is lost, the horizon stays where it was.
func (t *Tail) Run(ctx context.Context) {
	ticker := time.NewTicker(t.Interval)
	defer ticker.Stop()
	for {
		if err := t.Poll(ctx); err != nil && ctx.Err() == nil {
			t.Log.ErrorContext(ctx, "audit live tail: cannot look for new events", "err", err)
		}
		t.recheckSubscribers(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// newTransactions is what a poll found: per organization, the new
// transactions and the time span of their events.
type newTransactions struct {
	xids   []uint64
	lo, hi time.Time
}

// Poll looks for new events once and delivers them.
func (t *Tail) Poll(ctx context.Context) error {
	t.mu.Lock()
	orgs := make([]string, 0, len(t.subs))
	for org := range t.subs {
		orgs = append(orgs, org.String())
	}
	horizon := t.horizon
	seen := make([]string, 0, len(t.seen))
	for x := range t.seen {
		seen = append(seen, strconv.FormatUint(x, 10))
	}
	t.mu.Unlock()

	var lo any // the first poll starts at its own horizon
	if horizon > 0 {
		lo = strconv.FormatUint(horizon, 10)
	}
	var rows []struct {
		Horizon        string     `gorm:"column:horizon"`
		OrganizationID *uuid.UUID `gorm:"column:organization_id"`
		XID            *string    `gorm:"column:xid"`
		Lo             *time.Time `gorm:"column:lo"`
		Hi             *time.Time `gorm:"column:hi"`
	}
	// One snapshot for the horizon and the events: pg_current_snapshot() is
	// the statement's.
	var stmt sqlText
	stmt.add(`WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS x)
		SELECT h.x::text AS horizon, e.organization_id, e.xid::text AS xid, e.lo, e.hi FROM h
		LEFT JOIN LATERAL (SELECT organization_id, xid, min(occurred_at) AS lo, max(occurred_at) AS hi
			FROM audit_events
			WHERE organization_id = ANY(?::text::uuid[]) AND xid >= coalesce(?::text::xid8, h.x)
				AND xid <> ALL(?::text::xid8[])
			GROUP BY organization_id, xid) e ON true`,
		"{"+strings.Join(orgs, ",")+"}", lo, "{"+strings.Join(seen, ",")+"}")
	tx := t.Reader.DB.Conn(ctx).Raw(stmt.String())
	tx.Statement.Vars = append([]any{pgx.QueryExecModeExec}, stmt.args...)
	err := tx.Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("audit: tail poll: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	next, err := strconv.ParseUint(rows[0].Horizon, 10, 64)
	if err != nil {
		return fmt.Errorf("audit: tail horizon %q: %w", rows[0].Horizon, err)
	}
	found := map[uuid.UUID]*newTransactions{}
	t.mu.Lock()
	for _, r := range rows {
		if r.XID == nil {
			continue
		}
		x, err := strconv.ParseUint(*r.XID, 10, 64)
		if err != nil {
			t.mu.Unlock()
			return fmt.Errorf("audit: tail xid %q: %w", *r.XID, err)
		}
		t.seen[x] = struct{}{}
		n := found[*r.OrganizationID]
		if n == nil {
			n = &newTransactions{lo: *r.Lo, hi: *r.Hi}
			found[*r.OrganizationID] = n
		}
		n.xids = append(n.xids, x)
		n.lo, n.hi = earliest(n.lo, *r.Lo), latest(n.hi, *r.Hi)
	}
	if next > t.horizon {
		t.horizon = next
	}
	for x := range t.seen {
		if x < t.horizon {
			delete(t.seen, x)
		}
	}
	groups := map[uuid.UUID]map[string][]*tailSub{}
	for org := range found {
		for s := range t.subs[org] {
			if groups[org] == nil {
				groups[org] = map[string][]*tailSub{}
			}
			groups[org][s.key] = append(groups[org][s.key], s)
		}
	}
	t.mu.Unlock()

	for org, byKey := range groups {
		n := found[org]
		for _, subs := range byKey {
			q := subs[0].q
			// A range ends now: let it end no earlier than the newest event,
			// whatever the clocks of the replicas that wrote them say.
			q.Now = latest(time.Now(), n.hi.Add(time.Second))
			events, err := t.Reader.added(ctx, org, q, n.xids, n.lo, n.hi)
			if err != nil {
				// The other filters still get theirs; these subscribers
				// miss this poll's events, which the log still holds.
				t.Log.ErrorContext(ctx, "audit live tail: cannot filter new events", "organization_id", org, "err", err)
				continue
			}
			if len(events) > 0 {
				t.deliver(org, subs, events)
			}
		}
	}
	return nil
}

// deliver sends events to subs still subscribed, dropping any that do not
// keep up.
func (t *Tail) deliver(org uuid.UUID, subs []*tailSub, events []Event) {
	var slow []*tailSub
	t.mu.Lock()
	for _, s := range subs {
		if _, ok := t.subs[org][s]; !ok {
			continue
		}
		select {
		case s.out <- events:
		default:
			slow = append(slow, s)
		}
	}
	t.mu.Unlock()
	for _, s := range slow {
		t.Log.WarnContext(s.ctx, "audit live tail: subscriber fell behind; ending its subscription", "organization_id", org)
		t.drop(org, s)
	}
}

// recheckSubscribers authenticates again the callers of subscriptions not
// checked for RecheckEvery, and ends those that would now be refused.
func (t *Tail) recheckSubscribers(ctx context.Context) {
	type due struct {
		org uuid.UUID
		s   *tailSub
	}
	var list []due
	now := time.Now()
	t.mu.Lock()
	for org, subs := range t.subs {
		for s := range subs {
			if s.recheck != nil && now.Sub(s.checked) >= t.RecheckEvery {
				s.checked = now
				list = append(list, due{org, s})
			}
		}
	}
	t.mu.Unlock()
	for _, d := range list {
		if ctx.Err() != nil {
			return
		}
		if err := d.s.recheck(d.s.ctx); err != nil && d.s.ctx.Err() == nil {
			t.Log.InfoContext(d.s.ctx, "audit live tail: caller no longer admitted; ending the subscription", "reason", err)
			t.drop(d.org, d.s)
		}
	}
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
