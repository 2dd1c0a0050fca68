-- +goose Up
-- The verifiable log's integrator reads one organization's events in
-- (xid, id) order from where it stopped (server/auditlog, "read events"):
-- WHERE organization_id = ? AND (xid, id) > (?, ?) ORDER BY xid, id LIMIT n.
-- 00016's index, (organization_id, xid), assumed a transaction writes few
-- events; a bulk load writes millions in one (the seeder loads a month per
-- transaction, server/seed/bulk.go), and without id every batch then read
-- and sorted all of that transaction's events: at 10 million events the
-- statement hit its timeout on every try and the log stopped (issue 15).
-- With id in the index the scan starts at the position and stops after n.
-- Entries no longer deduplicate: about 30 bytes per event instead of 7.
CREATE INDEX audit_events_xid_id_idx ON audit_events (organization_id, xid, id);
DROP INDEX audit_events_xid_idx;

-- +goose Down
CREATE INDEX audit_events_xid_idx ON audit_events (organization_id, xid);
DROP INDEX audit_events_xid_id_idx;
