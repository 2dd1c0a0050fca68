package audit

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

// The search index keeps new entries in its pending list until
// MergeSearchPendingOnce merges them into the index proper; searches find an
// event either way.
func TestSearchFindsEventsBeforeAndAfterThePendingListIsMerged(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	// The rare event is the oldest, below the newest 2,000 that a search
	// tests one by one, so that it is found through the trigram index.
	rare := event(org, testNow.AddDate(0, 0, -20), CreatedRole, func(e *Event) { e.ActorEmail = "quixotic.pending@example.com" })
	fillers := make([]Event, 0, 2100)
	for i := range 2100 {
		fillers = append(fillers, event(org, testNow.Add(-time.Duration(i)*time.Minute), CreatedRole))
	}
	f.insert(t, rare)
	f.insert(t, fillers...)
	search := func(when string) {
		t.Helper()
		p := f.mustList(t, org, ListQuery{Filter: Filter{Search: "quixotic.pending"}, First: 10})
		if len(p.Events) != 1 || p.Events[0].ID != rare.ID {
			t.Errorf("%s: search found %d events, want the rare one", when, len(p.Events))
		}
	}
	// pgstatginindex (contrib's pgstattuple) counts what the pending list
	// of this month's partition holds.
	pending := func() int64 {
		t.Helper()
		var n int64
		err := f.db.SQL().QueryRowContext(t.Context(), `SELECT (pgstatginindex(i.inhrelid::regclass)).pending_tuples
			FROM pg_inherits i JOIN pg_index x ON x.indexrelid = i.inhrelid
			WHERE i.inhparent = 'audit_events_search_idx'::regclass AND x.indrelid = 'audit_events_2026_11'::regclass`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if _, err := f.db.SQL().ExecContext(t.Context(), `CREATE EXTENSION IF NOT EXISTS pgstattuple`); err != nil {
		t.Fatal(err)
	}
	if pending() == 0 {
		t.Fatal("the inserts left nothing in the pending list: the test would prove nothing")
	}
	search("before the merge")
	if err := MergeSearchPendingOnce(t.Context(), f.db, testNow); err != nil {
		t.Fatal(err)
	}
	if n := pending(); n != 0 {
		t.Fatalf("%d entries still pending after the merge", n)
	}
	search("after the merge")
}
