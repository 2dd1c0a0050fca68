package app

import (
	"context"

	"github.com/orgtrail/orgtrail/server/audit"
)

// The names of the background jobs, as /metrics shows them
// (orgtrail_job_leader{job=...}). A name is a job's identity across replicas
// and versions: renaming one lets an old and a new replica run it together
// during a rolling upgrade.
const (
	JobMailOutbox         = "mail-outbox"
	JobMagicLinkRequests  = "magic-link-requests"
	JobAuditLogIntegrator = "audit-log-integrator"
	JobAuditPartitions    = "audit-partitions"
	JobAuditSearchMerge   = "audit-search-merge"
)

// StartMaintenance adds the audit log's upkeep to the background jobs: the
// monthly partitions created ahead of need and those past every retention
// dropped (audit.MaintainPartitions), and the search index's pending list
// merged (audit.MergeSearchPending). `orgtrail serve` starts it; tests leave
// it out, since dropping partitions would race with their fixtures.
func (a *App) StartMaintenance() {
	a.Jobs.Go(JobAuditPartitions, func(ctx context.Context) { audit.MaintainPartitions(ctx, a.DB, a.Log) })
	a.Jobs.Go(JobAuditSearchMerge, func(ctx context.Context) { audit.MergeSearchPending(ctx, a.DB, a.Log) })
}
