package app

import (
	"context"

	"github.com/orgtrail/orgtrail/server/audit"
)

// MaintainPartitions keeps audit partitions created ahead of need until ctx ends.
func (a *App) MaintainPartitions(ctx context.Context) {
	audit.MaintainPartitions(ctx, a.DB, a.Log)
}
