-- +goose Up
-- Over a large log this takes longer than the server's statement timeout
-- (5 s), which this migration's transaction lifts.
SET LOCAL statement_timeout = 0;

-- The Audit Log's timeline (issue 13) counts events per time bucket and
-- category. Counting the rows themselves reads every event of the range: at
-- a million events in an organization, LAST_90_DAYS is 750,000 index
-- entries, several hundred milliseconds. So the verifiable log's integrator,
-- which reads every event once as it sequences it (off the write path, one
-- replica per log at a time), also adds it to an hourly count per action, in
-- the transaction that sequences it. A timeline reads these counts for the
-- whole UTC hours of its range and counts only the rest from the events: the
-- edges of the range, hours a bucket boundary cuts (zones with a half-hour
-- offset), and the events not yet counted. Details: docs/audit-query-plans.md.
CREATE TABLE audit_event_counts (
    organization_id uuid        NOT NULL,
    hour            timestamptz NOT NULL,
    action          text        NOT NULL,
    events          bigint      NOT NULL,
    -- events is in the key's index, so a timeline reads an organization's
    -- hours in order from the index alone (index-only), wherever the
    -- integrator happened to write the rows: only the rows of the current
    -- hour change, and they are few.
    PRIMARY KEY (organization_id, hour, action) INCLUDE (events)
);

-- Where the counts stand in the log's (xid, id) order: every event at or
-- before it is counted, none after it. Separate from the sequencing position
-- (last_xid, last_id), so that batches sequenced by a replica that does not
-- count (an older version, during a rolling upgrade) are counted by the next
-- one that does.
ALTER TABLE audit_logs
    ADD COLUMN counted_xid xid8 NOT NULL DEFAULT '0',
    ADD COLUMN counted_id  uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';

-- Count what is sequenced already, in this migration's transaction.
INSERT INTO audit_event_counts (organization_id, hour, action, events)
SELECT e.organization_id, date_trunc('hour', e.occurred_at, 'UTC'), e.action, count(*)
FROM audit_events e JOIN audit_logs l ON l.organization_id = e.organization_id
WHERE (e.xid, e.id) <= (l.last_xid, l.last_id)
GROUP BY 1, 2, 3;
UPDATE audit_logs SET counted_xid = last_xid, counted_id = last_id;

-- +goose Down
SET LOCAL statement_timeout = 0;
ALTER TABLE audit_logs DROP COLUMN counted_xid, DROP COLUMN counted_id;
DROP TABLE audit_event_counts;
