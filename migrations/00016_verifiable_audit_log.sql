-- +goose Up
-- The verifiable audit log (docs/verifiable-log.md): every organization's
-- audit events are the leaves of an RFC 6962 Merkle tree with signed
-- checkpoints. audit_events stays append-only; the tree lives beside it.

-- The transaction that wrote each event. The integrator (server/auditlog)
-- sequences events in (xid, id) order, and only those whose transaction is
-- older than every transaction still running (the xmin of its snapshot), so
-- an event committed late by a slow transaction waits for the log instead of
-- being skipped. The default costs the INSERT no round trip: the writing
-- transaction has its id already. Rows older than this migration read as 0,
-- before every real transaction, and are sequenced first, in id order.
ALTER TABLE audit_events ADD COLUMN xid xid8 NOT NULL DEFAULT '0';
ALTER TABLE audit_events ALTER COLUMN xid SET DEFAULT pg_current_xact_id();
-- The integrator's scan: one organization's events from where it stopped.
-- Without id: events of one transaction are few (one per mutation), and
-- equal keys deduplicate (a seeded batch of thousands is one entry list).
CREATE INDEX audit_events_xid_idx ON audit_events (organization_id, xid);

-- One row per organization's log: how far it is sequenced, its tree's size
-- and root, and its latest signed checkpoint. The row is also the log's
-- lock: an integrator takes it FOR UPDATE SKIP LOCKED, so one replica at a
-- time appends to a given log, and the others move on to other logs.
CREATE TABLE audit_logs (
    organization_id  uuid        PRIMARY KEY,
    -- origin is the checkpoint's first line, fixed when the log starts.
    origin           text        NOT NULL,
    size             bigint      NOT NULL DEFAULT 0,
    root_hash        bytea       NOT NULL,
    -- Every event of the organization with xid < integrated_below is
    -- sequenced; (last_xid, last_id) is the last event sequenced.
    integrated_below xid8        NOT NULL DEFAULT '0',
    last_xid         xid8        NOT NULL DEFAULT '0',
    last_id          uuid        NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
    -- checkpoint is the signed note (C2SP tlog-checkpoint) for size.
    checkpoint       text        NOT NULL DEFAULT '',
    checkpoint_at    timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- The tree's stored hashes as golang.org/x/mod/sumdb/tlog tiles of height 8:
-- a tile holds up to 256 hashes of one level of the tree (level 0: the
-- leaves' hashes), so the tree costs ~32 bytes per event. The right-most
-- tile of each level grows until it is full. Retention never deletes a
-- tile: later events are proven with hashes of the ones it dropped.
CREATE TABLE audit_log_tiles (
    organization_id uuid     NOT NULL,
    level           smallint NOT NULL,
    n               bigint   NOT NULL,
    hashes          bytea    NOT NULL,
    PRIMARY KEY (organization_id, level, n)
);
-- Hashes do not compress: skip the attempt.
ALTER TABLE audit_log_tiles ALTER COLUMN hashes SET STORAGE EXTERNAL;

-- Which event is at which sequence number, 256 per row (sequences
-- 256 n .. 256 n + 255, in order, 16 bytes each). An event is found by its
-- (xid, id) position: the row whose first event is the last at or before it.
CREATE TABLE audit_log_entries (
    organization_id uuid   NOT NULL,
    n               bigint NOT NULL,
    first_xid       xid8   NOT NULL,
    first_id        uuid   NOT NULL,
    event_ids       bytea  NOT NULL,
    PRIMARY KEY (organization_id, n)
);
ALTER TABLE audit_log_entries ALTER COLUMN event_ids SET STORAGE EXTERNAL;
CREATE INDEX audit_log_entries_position_idx ON audit_log_entries (organization_id, first_xid, first_id);

-- +goose Down
DROP TABLE audit_log_entries;
DROP TABLE audit_log_tiles;
DROP TABLE audit_logs;
DROP INDEX audit_events_xid_idx;
ALTER TABLE audit_events DROP COLUMN xid;
