package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/server/apperr"
)

// Interval is the width of a timeline's buckets.
type Interval string

// The intervals a timeline chooses from, narrowest first.
const (
	Minute         Interval = "MINUTE"
	FiveMinutes    Interval = "FIVE_MINUTES"
	FifteenMinutes Interval = "FIFTEEN_MINUTES"
	Hour           Interval = "HOUR"
	SixHours       Interval = "SIX_HOURS"
	Day            Interval = "DAY"
	Week           Interval = "WEEK"
	Month          Interval = "MONTH"
)

// MaxTimelineBuckets is how many buckets a timeline aims at most for: the
// narrowest interval that cuts the range into at most this many is chosen
// (hours for a day, days for 90 days). Only a range longer than 90 months
// gets more.
const MaxTimelineBuckets = 90

var intervals = []struct {
	interval Interval
	step     time.Duration // calendar intervals: their shortest length
}{
	{Minute, time.Minute}, {FiveMinutes, 5 * time.Minute}, {FifteenMinutes, 15 * time.Minute}, {Hour, time.Hour},
	{SixHours, 6 * time.Hour}, {Day, 24 * time.Hour}, {Week, 7 * 24 * time.Hour}, {Month, 28 * 24 * time.Hour},
}

// Timeline is how many events a filter selects over time.
type Timeline struct {
	// From and To are the range counted: From inclusive, To exclusive.
	From, To time.Time
	Interval Interval
	// Buckets cover From to To, aligned on the interval in the filter's time
	// zone (the first may start before From, the last end after To; only
	// events of the range are counted).
	Buckets []Bucket
	Total   int
}

// Bucket is one interval of a timeline.
type Bucket struct {
	Start, End time.Time
	Count      int
	// Categories are the bucket's counts per category, in catalog order,
	// without zeros.
	Categories []CategoryCount
}

// CategoryCount is a category's count in a bucket.
type CategoryCount struct {
	Category Category
	Count    int
}

// Timeline counts the events q.Filter selects (retention included; q.First
// and q.After are ignored) per time bucket and category, in one statement.
// The filter is validated and turned into SQL by the same listing as List's,
// so a bucket holds exactly the events List would page through for its
// span. A range without a lower bound starts at the organization's oldest
// event.
//
// When the filter selects by time and action alone, whole UTC hours are read
// from the hourly counts the verifiable log keeps (migration 00022) and only
// the rest from the events: see timelineStatement.
func (r *Reader) Timeline(ctx context.Context, org uuid.UUID, q ListQuery) (Timeline, error) {
	q.First, q.After = 0, ""
	l, err := newListing(org, q)
	if err != nil {
		return Timeline{}, err
	}
	loc, _ := timeZone(q.Filter.TimeZone, "filter.timeZone") // validated by newListing
	hi := l.now
	if l.before != nil {
		hi = l.before.OccurredAt // exclusive: before is (hi, the smallest id)
	} else {
		hi = hi.Truncate(time.Microsecond).Add(time.Microsecond)
	}
	var lo time.Time
	if l.lo != nil {
		lo = *l.lo
	} else {
		lo, err = r.oldest(ctx, org, hi)
		if err != nil {
			return Timeline{}, err
		}
	}
	if !lo.Before(hi) {
		lo = hi.Add(-time.Minute)
	}
	t := Timeline{From: lo, To: hi}
	t.Interval = chooseInterval(hi.Sub(lo))
	bounds := bucketBounds(lo, hi, t.Interval, loc)
	t.Buckets = make([]Bucket, len(bounds)-1)
	for i := range t.Buckets {
		t.Buckets[i] = Bucket{Start: bounds[i], End: bounds[i+1]}
	}
	if l.none {
		return t, nil
	}
	var rows []struct {
		Bucket int
		Action Action
		Events int
	}
	// Without JIT compilation: the planner's estimates over many partitions
	// and UNION branches pass its thresholds, and compiling then takes longer
	// than the statement runs (measured at a million events: LAST_90_DAYS 75
	// ms with JIT, 36 ms without; in a half-hour zone 372 ms and 93 ms).
	// Read where the counts stand first: see timelineStatement's uncounted part.
	err = r.ReadDB(ctx).Conn(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SET LOCAL jit = off`).Error; err != nil {
			return err
		}
		var counted string
		if err := tx.Raw(`SELECT coalesce((SELECT counted_xid::text FROM audit_logs WHERE organization_id = ?), '0')`, org).
			Scan(&counted).Error; err != nil {
			return err
		}
		var stmt sqlText
		l.timelineStatement(&stmt, lo, hi, bounds, t.Interval, counted)
		raw := tx.Raw(stmt.String())
		raw.Statement.Vars = append([]any{pgx.QueryExecModeExec}, stmt.args...)
		return raw.Scan(&rows).Error
	})
	if err != nil {
		var pgErr *pgconn.PgError
		if l.searching() && errors.As(err, &pgErr) && pgErr.Code == "57014" { // statement timeout
			field := "filter.query"
			if l.searchGiven {
				field = "filter.search"
			}
			return Timeline{}, &apperr.Error{Code: apperr.BadUserInput, Field: field, Cause: err,
				Message: "counting this search took too long; narrow the date range or search for a longer term"}
		}
		return Timeline{}, fmt.Errorf("audit: timeline: %w", err)
	}
	byCategory := make([]map[Category]int, len(t.Buckets))
	for _, row := range rows {
		i := row.Bucket - 1 // width_bucket counts from 1
		if i < 0 || i >= len(t.Buckets) {
			continue
		}
		t.Buckets[i].Count += row.Events
		t.Total += row.Events
		if byCategory[i] == nil {
			byCategory[i] = map[Category]int{}
		}
		byCategory[i][row.Action.Category()] += row.Events
	}
	for i, counts := range byCategory {
		for _, c := range catalog {
			if n := counts[c.Category]; n > 0 {
				t.Buckets[i].Categories = append(t.Buckets[i].Categories, CategoryCount{Category: c.Category, Count: n})
			}
		}
	}
	return t, nil
}

// oldest is the time of org's oldest event before hi, or a day before hi
// when there is none.
func (r *Reader) oldest(ctx context.Context, org uuid.UUID, hi time.Time) (time.Time, error) {
	var first []time.Time
	err := r.ReadDB(ctx).Conn(ctx).Raw(`SELECT occurred_at FROM audit_events WHERE organization_id = ? AND occurred_at < ?
		ORDER BY occurred_at LIMIT 1`, org, hi).Scan(&first).Error
	if err != nil {
		return time.Time{}, fmt.Errorf("audit: timeline: oldest event: %w", err)
	}
	if len(first) == 0 {
		return hi.Add(-24 * time.Hour), nil
	}
	return first[0], nil
}

// chooseInterval is the narrowest interval that cuts span into at most
// MaxTimelineBuckets buckets.
func chooseInterval(span time.Duration) Interval {
	for _, iv := range intervals {
		if span <= time.Duration(MaxTimelineBuckets)*iv.step {
			return iv.interval
		}
	}
	return Month
}

// bucketBounds are the bucket boundaries from the start of lo's bucket to
// the first boundary at or after hi, aligned on iv in loc: minutes and hours
// on the local clock, days on local midnights, weeks on Mondays, months on
// their first day. Intervals shorter than a day are fixed durations from the
// first boundary (a change of offset shifts the hours after it); days and
// longer follow the calendar.
func bucketBounds(lo, hi time.Time, iv Interval, loc *time.Location) []time.Time {
	t := lo.In(loc)
	y, mo, d := t.Date()
	h, mi := t.Hour(), t.Minute()
	var first time.Time
	var next func(time.Time) time.Time
	fixed := func(step time.Duration) func(time.Time) time.Time {
		return func(t time.Time) time.Time { return t.Add(step) }
	}
	switch iv {
	case Minute:
		first, next = time.Date(y, mo, d, h, mi, 0, 0, loc), fixed(time.Minute)
	case FiveMinutes:
		first, next = time.Date(y, mo, d, h, mi-mi%5, 0, 0, loc), fixed(5*time.Minute)
	case FifteenMinutes:
		first, next = time.Date(y, mo, d, h, mi-mi%15, 0, 0, loc), fixed(15*time.Minute)
	case Hour:
		first, next = time.Date(y, mo, d, h, 0, 0, 0, loc), fixed(time.Hour)
	case SixHours:
		first, next = time.Date(y, mo, d, h-h%6, 0, 0, 0, loc), fixed(6*time.Hour)
	case Day:
		first, next = time.Date(y, mo, d, 0, 0, 0, 0, loc), func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	case Week:
		back := (int(t.Weekday()) + 6) % 7 // days since Monday
		first, next = time.Date(y, mo, d-back, 0, 0, 0, 0, loc), func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }
	default:
		first, next = time.Date(y, mo, 1, 0, 0, 0, 0, loc), func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }
	}
	if first.After(lo) { // a local time that does not exist (a DST gap) moved forward
		first = first.Add(-time.Hour)
	}
	bounds := []time.Time{first}
	for b := first; b.Before(hi); {
		b = next(b)
		bounds = append(bounds, b)
	}
	return bounds
}

// timeOrActionsOnly reports whether the listing selects by time and action
// alone, which the hourly counts can answer.
func (l *listing) timeOrActionsOnly() bool {
	return l.actorID == "" && l.resourceType == "" && l.resourceID == "" && l.requestID == "" && !l.ip.IsValid() &&
		len(l.subjects) == 0 && len(l.texts) == 0
}

// timelineStatement writes the statement counting the listing's events in
// [lo, hi) per bucket (width_bucket over bounds: 1 for the first) and
// action.
//
// With a filter on anything but time and actions, or buckets shorter than an
// hour, it counts the events themselves: the listing's own conditions, so
// indexes serve it as they serve the list (a search through the trigram
// index, an actor through the actor index).
//
// Otherwise it adds three parts, each counting events the others do not:
//
//   - counted: the hourly counts (audit_event_counts) of the whole UTC hours
//     inside [lo, hi) that no bucket boundary cuts, up to where the counts
//     stand (audit_logs.counted_xid, counted_id: the verifiable log's
//     integrator counts each event as it sequences it);
//   - uncounted: the events of those hours after that position (those of
//     the last second or so), through the (organization_id, xid) index;
//   - edges: the events of the hours left (the partial hours at both ends,
//     and hours a boundary cuts in a zone with a half-hour offset), through
//     the primary key.
func (l *listing) timelineStatement(s *sqlText, lo, hi time.Time, bounds []time.Time, iv Interval, countedFloor string) {
	step := time.Hour
	for _, x := range intervals {
		if x.interval == iv {
			step = x.step
		}
	}
	if !l.timeOrActionsOnly() || step < time.Hour {
		s.add("SELECT width_bucket(e.occurred_at, ?::timestamptz[]) AS bucket, e.action, count(*) AS events FROM audit_events e WHERE ", bounds)
		l.where(s, "e")
		l.whereActions(s, "e")
		if l.searching() {
			s.add(" AND ")
			l.matches(s, "e")
		}
		s.add(" GROUP BY 1, 2")
		return
	}
	// The whole hours, less those a bucket boundary cuts.
	wholeFrom, wholeTo := lo.UTC().Truncate(time.Hour), hi.UTC().Truncate(time.Hour)
	if wholeFrom.Before(lo) {
		wholeFrom = wholeFrom.Add(time.Hour)
	}
	if !wholeFrom.Before(wholeTo) {
		wholeFrom, wholeTo = lo, lo // no whole hour: everything is an edge
	}
	var cut []time.Time
	for _, b := range bounds {
		if h := b.UTC().Truncate(time.Hour); !h.Equal(b) && !h.Before(wholeFrom) && h.Before(wholeTo) {
			cut = append(cut, h)
		}
	}
	s.add("WITH pos AS (SELECT coalesce((SELECT counted_xid FROM audit_logs WHERE organization_id = ?), '0'::xid8) AS x,"+
		" coalesce((SELECT counted_id FROM audit_logs WHERE organization_id = ?), '00000000-0000-0000-0000-000000000000'::uuid) AS i)",
		l.org, l.org)
	s.add(" SELECT bucket, action, sum(events)::bigint AS events FROM (")
	// counted
	// The cut hours are excluded by a hashed NOT IN: a few comparisons per
	// row, where "<> ALL(array)" compares each row with every cut hour.
	notCut := func(hour string) {
		if len(cut) > 0 {
			s.add(" AND "+hour+" NOT IN (SELECT unnest(?::timestamptz[]))", cut)
		}
	}
	s.add("SELECT width_bucket(c.hour, ?::timestamptz[]) AS bucket, c.action, c.events FROM audit_event_counts c"+
		" WHERE c.organization_id = ? AND c.hour >= ? AND c.hour < ?", bounds, l.org, wholeFrom, wholeTo)
	notCut("c.hour")
	l.whereActions(s, "c")
	// uncounted: the position is read by the statement itself, so that the
	// counts and the events after them are of one snapshot; the planner,
	// which cannot know it, also gets countedFloor, where the counts stood
	// just before (they only move forward, so it is a bound, never a
	// condition): without it, it guessed a third of a partition's events
	// follow the position and read whole partitions of a bulk import
	// (measured at 10 M events: 1.2 s). The other conditions are written
	// "(...) IS TRUE", which no index serves, so that it takes the xid index
	// rather than an action or time range of 90 days.
	s.add(" UNION ALL SELECT width_bucket(e.occurred_at, ?::timestamptz[]), e.action, 1 FROM audit_events e, pos"+
		" WHERE e.organization_id = ? AND e.xid >= ?::xid8 AND e.xid >= pos.x AND (e.xid, e.id) > (pos.x, pos.i)"+
		" AND (e.occurred_at >= ? AND e.occurred_at < ?) IS TRUE", bounds, l.org, countedFloor, wholeFrom, wholeTo)
	notCut("date_trunc('hour', e.occurred_at, 'UTC')")
	if len(l.actions) > 0 {
		s.add(" AND (TRUE")
		l.whereActions(s, "e")
		s.add(") IS TRUE")
	}
	// edges
	edges := [][2]time.Time{{lo, wholeFrom}, {wholeTo, hi}}
	for _, h := range cut {
		edges = append(edges, [2]time.Time{h, h.Add(time.Hour)})
	}
	for _, w := range edges {
		if !w[0].Before(w[1]) {
			continue
		}
		s.add(" UNION ALL SELECT width_bucket(e.occurred_at, ?::timestamptz[]), e.action, 1 FROM audit_events e"+
			" WHERE e.organization_id = ? AND e.occurred_at >= ? AND e.occurred_at < ?", bounds, l.org, w[0], w[1])
		l.whereActions(s, "e")
	}
	s.add(") x GROUP BY 1, 2")
}
