-- +goose Up
-- Over a large log this takes longer than the server's statement timeout
-- (5 s), which this migration's transaction lifts.
SET LOCAL statement_timeout = 0;

-- The Audit Log as an investigation tool (issue 13): search finds what a row
-- shows, and events can be filtered by request and by client address.
-- Measurements and plans: docs/audit-query-plans.md.

-- Search also matches the actor's and the resource's names as recorded, the
-- names the Audit Log shows. Same shape as before (00002): lower-cased fields
-- joined by the unit separator, which no term contains, so a match never
-- spans two fields; actor_email stays first, so actor:<email> looks up the
-- text's start. A new overload, so the old index can be dropped afterwards.
-- +goose StatementBegin
CREATE FUNCTION audit_event_search_text(actor_email text, actor_name text, resource_type text, resource_id text,
                                        resource_name text, details jsonb)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN lower(actor_email || E'\x1f' || actor_name || E'\x1f' || resource_type || E'\x1f' || resource_id || E'\x1f'
             || resource_name || E'\x1f' || details::text);
-- +goose StatementEnd

-- The trigram index over the new text, under the old name (the background
-- merge of its pending list finds it by that name: audit.MergeSearchPending).
-- Building it reads the whole table: about a minute per million events on
-- two cores, during which audit inserts wait.
DROP INDEX audit_events_search_idx;
CREATE INDEX audit_events_search_idx ON audit_events USING gin (
    organization_id,
    audit_event_search_text(actor_email, actor_name, resource_type, resource_id, resource_name, details) gin_trgm_ops
) WITH (fastupdate = on, gin_pending_list_limit = 1024);
DROP FUNCTION audit_event_search_text(text, text, text, jsonb);

-- ip: and the IP address pivot: an address, or a network (the btree serves
-- "<<=" as a range). A client's address repeats across its events, and equal
-- keys deduplicate into posting lists. Events without an address (the
-- system's) are left out.
CREATE INDEX audit_events_ip_idx ON audit_events (organization_id, ip_address) WHERE ip_address IS NOT NULL;

-- request: and the request pivot. Request ids are nearly unique, so an index
-- of the ids themselves holds each in full (68 bytes an event with
-- organization_id, bulk-built); a hash index holds 4 bytes an event (29), but
-- piles equal ids into one bucket whose overflow chain every insert of that
-- bucket walks, and a caller chooses its X-Request-Id, anonymous sign-in
-- requests included. A btree of the id's 32-bit hash (hashtext: hash
-- partitioning keeps PostgreSQL's hash functions stable) is 41 bytes an
-- event, per organization, and folds equal ids into one posting list; the
-- query checks the id itself. Events without a request id (the system's)
-- are left out.
CREATE INDEX audit_events_request_idx ON audit_events (organization_id, hashtext(request_id)) WHERE request_id <> '';

-- +goose Down
SET LOCAL statement_timeout = 0;
DROP INDEX audit_events_request_idx;
DROP INDEX audit_events_ip_idx;
-- +goose StatementBegin
CREATE FUNCTION audit_event_search_text(actor_email text, resource_type text, resource_id text, details jsonb)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN lower(actor_email || E'\x1f' || resource_type || E'\x1f' || resource_id || E'\x1f' || details::text);
-- +goose StatementEnd
DROP INDEX audit_events_search_idx;
CREATE INDEX audit_events_search_idx ON audit_events USING gin (
    organization_id,
    audit_event_search_text(actor_email, resource_type, resource_id, details) gin_trgm_ops
) WITH (fastupdate = on, gin_pending_list_limit = 1024);
DROP FUNCTION audit_event_search_text(text, text, text, text, text, jsonb);
