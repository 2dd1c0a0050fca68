package audit

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/lib/pq"

	"github.com/orgtrail/orgtrail/server/database"
)

// The search index (GIN, trigrams) keeps new entries in its pending list
// (fastupdate = on, gin_pending_list_limit in migrations/00002): an audit
// INSERT then appends ~100 trigram entries to that list instead of updating
// ~100 places of the index, which costs about a millisecond more. Merging the
// list costs the same work in sorted batches, and whoever merges pays it. An
// INSERT that finds the list over its limit merges it itself (a spike of tens
// to hundreds of milliseconds in that one mutation), so the server merges it
// first, in the background, every searchMergeEvery: the list then rarely holds
// more than a few dozen events, which every search also scans.
// docs/audit-query-plans.md has the measurements.
const (
	searchMergeEvery = 200 * time.Millisecond
	// searchMergeLogEvery spaces out the logged failures of the merge.
	searchMergeLogEvery = time.Minute
)

// MergeSearchPending merges the pending list of the search index of the
// current and the previous month's partitions (the ones audited changes write
// to) every searchMergeEvery until ctx ends. Run it in its own goroutine for
// the life of the server, as a background job on one replica at a time
// (package leader, job "audit-search-merge"); an overlap is harmless (each
// merge waits for the one in progress). Failures are logged, at most once a
// minute, and retried: without the merge, inserts merge the list themselves
// when it is full, slower but correct.
func MergeSearchPending(ctx context.Context, db *database.DB, logger *slog.Logger) {
	var lastLogged time.Time
	ticker := time.NewTicker(searchMergeEvery)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		if err := MergeSearchPendingOnce(ctx, db, time.Now()); err != nil && ctx.Err() == nil &&
			time.Since(lastLogged) >= searchMergeLogEvery {
			lastLogged = time.Now()
			logger.WarnContext(ctx, "audit log: merging the search index's pending list failed; inserts will merge it themselves",
				slog.Any("err", err))
		}
	}
}

// MergeSearchPendingOnce merges the pending list of the search index of the
// partitions of now's month and the month before.
func MergeSearchPendingOnce(ctx context.Context, db *database.DB, now time.Time) error {
	now = now.UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	partitions := pq.StringArray{"audit_events_" + month.Format("2006_01"), "audit_events_" + month.AddDate(0, -1, 0).Format("2006_01")}
	err := db.Conn(ctx).Exec(`
		SELECT gin_clean_pending_list(i.inhrelid::regclass)
		FROM pg_inherits i
		JOIN pg_index x ON x.indexrelid = i.inhrelid
		WHERE i.inhparent = 'audit_events_search_idx'::regclass
		  AND x.indrelid::regclass::text = ANY (?::text[])`, partitions).Error
	if err != nil {
		return fmt.Errorf("audit: merge the search index's pending list: %w", err)
	}
	return nil
}
