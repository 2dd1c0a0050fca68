package audit

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// RetentionStart is the oldest instant a retention of days still shows at
// now: the retention is counted in whole days back from now, to the
// microsecond the database keeps.
func RetentionStart(now time.Time, days int) time.Time {
	return now.Add(-time.Duration(days) * 24 * time.Hour).Truncate(time.Microsecond)
}

// CountHiddenByRetention counts the events of org that its audit log shows
// at now with a retention of current days and would no longer show with one
// of proposed days: those between the two bounds (none when proposed is not
// shorter). An admin cutting the retention is told how many events that
// hides before saving. The count reads the primary key (organization_id,
// occurred_at, id) of the monthly partitions in that window only, an index
// scan bounded by the organization's own events there.
func (r *Reader) CountHiddenByRetention(ctx context.Context, org uuid.UUID, current, proposed int, now time.Time) (int, error) {
	if proposed >= current {
		return 0, nil
	}
	var n int
	err := r.DB.Conn(ctx).Raw(`SELECT count(*) FROM audit_events
		WHERE organization_id = ? AND occurred_at >= ? AND occurred_at < ?`,
		org, RetentionStart(now, current), RetentionStart(now, proposed)).Scan(&n).Error
	return n, err
}
