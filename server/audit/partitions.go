package audit

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orgtrail/orgtrail/server/database"
)

// audit_events is partitioned by calendar month (UTC) and has no default
// partition: an event whose month has no partition cannot be written, and
// neither can the change it records. MaintainPartitions keeps months ahead.
const (
	partitionMonthsAhead = 3
	partitionEvery       = 6 * time.Hour
	partitionRetry       = 5 * time.Minute
	// partitionLockTimeout bounds the wait for the lock that creating a
	// partition takes on audit_events; while it waits, every audited write
	// would queue behind it.
	partitionLockTimeout = 2 * time.Second
)

// EnsurePartitions creates the monthly partitions of audit_events for the
// months (UTC) months starting with from's month, where they do not exist.
func EnsurePartitions(ctx context.Context, db *database.DB, from time.Time, months int) error {
	if months < 1 {
		return fmt.Errorf("audit: ensure partitions: months must be positive, got %d", months)
	}
	from = from.UTC()
	first := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	err := db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx)
		if err := tx.Exec("SELECT set_config('lock_timeout', ?, true)", fmt.Sprint(partitionLockTimeout.Milliseconds())).Error; err != nil {
			return err
		}
		return tx.Exec("SELECT audit_events_ensure_partitions(?::date, ?)", first.Format(time.DateOnly), months).Error
	})
	if err != nil {
		return fmt.Errorf("audit: ensure partitions %s to %s: %w",
			first.Format("2006-01"), first.AddDate(0, months-1, 0).Format("2006-01"), err)
	}
	return nil
}

// partitionName matches the monthly partitions audit_events_ensure_partitions
// creates, capturing their year and month.
var partitionName = regexp.MustCompile(`^audit_events_(\d{4})_(\d{2})$`)

// DropExpiredPartitions drops the monthly partitions that hold only events
// past every organization's retention (older than now minus the longest
// audit_retention_days, deleted organizations included), and returns their
// names. Events past one organization's shorter retention stay stored until
// then, unlisted (ListQuery.RetentionDays); the table itself never deletes a
// row. With no organization at all, nothing is dropped.
func DropExpiredPartitions(ctx context.Context, db *database.DB, now time.Time) ([]string, error) {
	var longest *int
	if err := db.Conn(ctx).Raw(`SELECT max(audit_retention_days) FROM organizations`).Scan(&longest).Error; err != nil {
		return nil, fmt.Errorf("audit: longest retention: %w", err)
	}
	if longest == nil {
		return nil, nil
	}
	cutoff := now.UTC().Add(-time.Duration(*longest) * 24 * time.Hour)
	var names []string
	err := db.Conn(ctx).Raw(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'audit_events'::regclass ORDER BY c.relname`).Scan(&names).Error
	if err != nil {
		return nil, fmt.Errorf("audit: list partitions: %w", err)
	}
	var dropped []string
	for _, name := range names {
		m := partitionName.FindStringSubmatch(name)
		if m == nil {
			continue // not ours: leave it
		}
		month, err := time.Parse("2006-01", m[1]+"-"+m[2])
		if err != nil || month.AddDate(0, 1, 0).After(cutoff) {
			continue
		}
		err = db.InTx(ctx, func(ctx context.Context) error {
			tx := db.Conn(ctx)
			if err := tx.Exec("SELECT set_config('lock_timeout', ?, true)", fmt.Sprint(partitionLockTimeout.Milliseconds())).Error; err != nil {
				return err
			}
			return tx.Exec("DROP TABLE " + pgx.Identifier{name}.Sanitize()).Error
		})
		if err != nil {
			return dropped, fmt.Errorf("audit: drop expired partition %s: %w", name, err)
		}
		dropped = append(dropped, name)
	}
	return dropped, nil
}

// MaintainPartitions creates the partitions of the current month and the
// next three at once, then every six hours, until ctx ends, and drops those
// past every organization's retention (DropExpiredPartitions). Run it for the
// life of the server as a background job on one replica at a time (package
// leader, job "audit-partitions"); the DDL it runs is idempotent, so an
// overlap is harmless. A failure is logged and retried
// within minutes.
func MaintainPartitions(ctx context.Context, db *database.DB, logger *slog.Logger) {
	for {
		wait := partitionEvery
		now := time.Now().UTC()
		dropped, err := DropExpiredPartitions(ctx, db, now)
		for _, name := range dropped {
			logger.InfoContext(ctx, "audit log: dropped a partition past every organization's retention", slog.String("partition", name))
		}
		if err != nil && ctx.Err() == nil {
			wait = partitionRetry
			logger.WarnContext(ctx, "audit log: expired partitions could not be dropped; they stay, unlisted, until the next try",
				slog.Duration("retry_in", wait), slog.Any("err", err))
		}
		month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
		if err := EnsurePartitions(ctx, db, month, 1+partitionMonthsAhead); err != nil {
			if ctx.Err() != nil {
				return
			}
			wait = partitionRetry
			logger.ErrorContext(ctx, "audit log partitions could not be created: every audited change will fail "+
				"from the first month without one; check that the database role may create tables in the schema "+
				"of audit_events, or run audit_events_ensure_partitions(date, months) by hand",
				slog.String("months", month.Format("2006-01")+" to "+month.AddDate(0, partitionMonthsAhead, 0).Format("2006-01")),
				slog.Duration("retry_in", wait),
				slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}
