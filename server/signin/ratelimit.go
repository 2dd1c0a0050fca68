package signin

import (
	"context"
	"fmt"
	"math/rand/v2"
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
// statement. Now and then it also forgets buckets idle long enough to be
// full again, so the table holds only recent keys.
func (l *limiter) allow(ctx context.Context, key string) (bool, error) {
	var allowed bool
	if err := l.db.Conn(ctx).Raw(l.take, key, float64(l.burst-1)).Scan(&allowed).Error; err != nil {
		return false, fmt.Errorf("signin: rate limit: %w", err)
	}
	if rand.IntN(1000) == 0 {
		full := l.every * time.Duration(l.burst)
		err := l.db.Conn(ctx).Exec(`DELETE FROM rate_limit_buckets WHERE updated_at < now() - make_interval(secs => ?)`,
			full.Seconds()).Error
		if err != nil {
			return false, fmt.Errorf("signin: forget idle rate limit buckets: %w", err)
		}
	}
	return allowed, nil
}
