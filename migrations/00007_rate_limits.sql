-- +goose Up
-- The sign-in rate limits' token buckets (server/signin/ratelimit.go), shared
-- by every server instance. One row per key (an email address, a client IP);
-- tokens as of updated_at. UNLOGGED: a bucket is not worth a WAL write, and a
-- crash that empties the table only gives every key a full bucket again.
CREATE UNLOGGED TABLE rate_limit_buckets (
    key          text PRIMARY KEY,
    tokens       double precision NOT NULL,
    updated_at   timestamptz NOT NULL,
    last_allowed boolean NOT NULL
);
CREATE INDEX rate_limit_buckets_updated_idx ON rate_limit_buckets (updated_at);

-- +goose Down
DROP TABLE rate_limit_buckets;
