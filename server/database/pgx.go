package database

import (
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// pgxConfig builds a connection pool whose every connection carries the
// statement timeout, so no query can hold a connection forever, and plans
// every statement for its own arguments.
func pgxConfig(dsn string, statementTimeout time.Duration) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("database: DATABASE_URL: %w", err)
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["statement_timeout"] = strconv.FormatInt(statementTimeout.Milliseconds(), 10)
	cfg.RuntimeParams["TimeZone"] = "UTC"
	// Per-organization queries cost very different amounts in a big and a
	// small organization; a cached generic plan would serve the big one the
	// small one's plan (measured: 350 ms instead of 10 ms for an audit page).
	cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	return stdlib.OpenDB(*cfg), nil
}
