package signin

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/orgtrail/orgtrail/server/database"
)

// limiter is a per-key token bucket (per email, per IP) kept in PostgreSQL,
// so that every server instance draws on the same budget. A key holds at
// most burst tokens and gains one every interval; an allowed event takes
// one, a refused event takes nothing. The database's clock is the one every
// instance shares.
type limiter struct {
	db *database.DB
	// take is the statement that refills and draws from one bucket.
	take  string
	burst int
	every time.Duration
}

// newLimiter allows burst events at once per key, then one every interval.
func newLimiter(db *database.DB, burst int, every time.Duration) *limiter {
	// The bucket's tokens once refilled for the time since its last event.
	// burst and every are the server's constants, never input.
	refilled := fmt.Sprintf("least(%d, b.tokens + greatest(0, extract(epoch FROM excluded.updated_at - b.updated_at)) / %g)",
		burst, every.Seconds())
	take := strings.NewReplacer("$refilled", refilled).Replace(`
		INSERT INTO rate_limit_buckets AS b (key, tokens, updated_at, last_allowed)
		VALUES (?, ?, now(), true)
		ON CONFLICT (key) DO UPDATE SET
			tokens = CASE WHEN $refilled >= 1 THEN $refilled - 1 ELSE $refilled END,
			last_allowed = $refilled >= 1,
			updated_at = excluded.updated_at
		RETURNING last_allowed`)
	return &limiter{db: db, take: take, burst: burst, every: every}
}

// allow reports whether key may act now, taking a token if so: one
// statement, whatever the key, so a rate-limited path costs the same for
// every caller. Idle buckets are forgotten in the background
// (Service.forgetIdleBuckets).
func (l *limiter) allow(ctx context.Context, key string) (bool, error) {
	var allowed bool
	if err := l.db.Conn(ctx).Raw(l.take, key, float64(l.burst-1)).Scan(&allowed).Error; err != nil {
		return false, fmt.Errorf("signin: rate limit: %w", err)
	}
	return allowed, nil
}

// refillTime is how long a bucket takes to fill up from empty: a bucket
// idle that long is full, and forgetting it changes nothing.
func (l *limiter) refillTime() time.Duration { return l.every * time.Duration(l.burst) }

// forgetIdleBuckets deletes the buckets idle for longer than idle.
func forgetIdleBuckets(ctx context.Context, db *database.DB, idle time.Duration) error {
	err := db.Conn(ctx).Exec(`DELETE FROM rate_limit_buckets WHERE updated_at < now() - make_interval(secs => ?)`,
		idle.Seconds()).Error
	if err != nil {
		return fmt.Errorf("signin: forget idle rate limit buckets: %w", err)
	}
	return nil
}
