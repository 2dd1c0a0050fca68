package audit

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

// The search index keeps new entries in its pending list until
// MergeSearchPendingOnce merges them; searches find an event either way.
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
	search("before the merge")
	if err := MergeSearchPendingOnce(t.Context(), f.db, testNow); err != nil {
		t.Fatal(err)
	}
	search("after the merge")
}
