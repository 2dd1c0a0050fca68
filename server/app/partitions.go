package app

import (
	"context"

	"github.com/orgtrail/orgtrail/server/audit"
)

// MaintainPartitions keeps audit partitions created ahead of need until ctx ends.
func (a *App) MaintainPartitions(ctx context.Context) {
	audit.MaintainPartitions(ctx, a.DB, a.Log)
}

// MergeSearchPending merges the audit search index's pending list in the
// background until ctx ends (see audit.MergeSearchPending).
func (a *App) MergeSearchPending(ctx context.Context) {
	audit.MergeSearchPending(ctx, a.DB, a.Log)
}
