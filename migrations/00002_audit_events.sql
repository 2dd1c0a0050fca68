-- +goose Up
-- The audit log. Append-only (see the trigger), partitioned by month on
-- occurred_at so retention drops whole partitions and time-bounded reads touch
-- few of them. Actor and resource names are copied in, so the log outlives what
-- it describes. Labels are not stored: the action enum names the catalog entry.
CREATE TABLE audit_events (
    organization_id uuid        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    id              uuid        NOT NULL,
    action          text        NOT NULL,
    actor_type      text        NOT NULL,
    actor_id        text        NOT NULL DEFAULT '',
    actor_email     text        NOT NULL DEFAULT '',
    actor_name      text        NOT NULL DEFAULT '',
    resource_type   text        NOT NULL,
    resource_id     text        NOT NULL,
    resource_name   text        NOT NULL DEFAULT '',
    details         jsonb       NOT NULL DEFAULT '{}',
    ip_address      inet,
    user_agent      text        NOT NULL DEFAULT '',
    request_id      text        NOT NULL DEFAULT '',
    PRIMARY KEY (organization_id, occurred_at, id)
) PARTITION BY RANGE (occurred_at);

-- +goose StatementBegin
CREATE FUNCTION audit_events_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_reject_change();

-- audit_events_ensure_partitions creates the monthly partitions covering
-- [from_month, from_month + months) that do not exist yet. It is called by
-- the server at start-up and periodically, and by the seeder for its range.
-- +goose StatementBegin
CREATE FUNCTION audit_events_ensure_partitions(from_month date, months int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    m date := date_trunc('month', from_month)::date;
    name text;
BEGIN
    FOR i IN 0 .. months - 1 LOOP
        name := format('audit_events_%s', to_char(m, 'YYYY_MM'));
        IF to_regclass(name) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)',
                name, m::timestamp AT TIME ZONE 'UTC', (m + interval '1 month')::timestamp AT TIME ZONE 'UTC');
        END IF;
        m := (m + interval '1 month')::date;
    END LOOP;
END;
$$;
-- +goose StatementEnd

-- Indexes. Every read is scoped to one organization and ordered newest first
-- on (occurred_at, id), so each btree starts with organization_id. The reasons
-- and measured plans are in docs/audit-query-plans.md; keep the two in step.
--
-- The primary key (organization_id, occurred_at, id) serves the unfiltered
-- list, date ranges and keyset pagination, walked backwards.
--
-- Action filter; a category filter merges one scan of it per action, and the
-- (occurred_at, id) key columns let those scans run index-only.
CREATE INDEX audit_events_action_idx
    ON audit_events (organization_id, action, occurred_at DESC, id DESC);

-- Actor and resource filters. Without time columns equal keys deduplicate
-- into posting lists (a few bytes per event instead of ~140); the rows of one
-- actor or resource are fetched together and sorted.
CREATE INDEX audit_events_actor_idx ON audit_events (organization_id, actor_id);
CREATE INDEX audit_events_resource_idx ON audit_events (organization_id, resource_type, resource_id);

-- Free-text search: a substring match over the searchable stored fields,
-- lower-cased and joined by a separator no term can contain, so that a match
-- never spans two fields. It is an expression, not a column, to keep the row
-- small. The query must call this very function for the index to apply.
-- +goose StatementBegin
CREATE FUNCTION audit_event_search_text(actor_email text, resource_type text, resource_id text, details jsonb)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN lower(actor_email || E'\x1f' || resource_type || E'\x1f' || resource_id || E'\x1f' || details::text);
-- +goose StatementEnd

-- Trigram index over that text, with organization_id first (btree_gin) so a
-- term common in other organizations costs nothing here.
-- fastupdate = on with a 1 MB pending list: an audit INSERT appends its ~100
-- trigram entries to the list (+0.1 ms) instead of updating ~100 places of
-- the index (+1.1 to 2 ms with fastupdate = off). The server merges the list
-- in the background every 200 ms (audit.MergeSearchPending), so inserts do not
-- find it full and pay the merge themselves, and searches, which scan the
-- list linearly, scan a few dozen events at most. The 1 MB limit only bounds
-- the list when no server merges it. Measured alternatives, in
-- docs/audit-query-plans.md: small limits (64 to 256 kB) without the
-- background merge keep the median low but the INSERT that fills the list
-- pays the merge (60 to 600 ms spikes at 16 clients on 2 cores); the default
-- 4 MB, several hundred ms.
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX audit_events_search_idx ON audit_events USING gin (
    organization_id,
    audit_event_search_text(actor_email, resource_type, resource_id, details) gin_trgm_ops
) WITH (fastupdate = on, gin_pending_list_limit = 1024);

SELECT audit_events_ensure_partitions((now() AT TIME ZONE 'UTC')::date - 30, 5);

-- +goose Down
DROP TABLE audit_events;
DROP FUNCTION audit_events_ensure_partitions(date, int);
DROP FUNCTION audit_event_search_text(text, text, text, jsonb);
DROP FUNCTION audit_events_reject_change();
