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

SELECT audit_events_ensure_partitions((now() AT TIME ZONE 'UTC')::date - 30, 5);

-- +goose Down
DROP TABLE audit_events;
DROP FUNCTION audit_events_ensure_partitions(date, int);
DROP FUNCTION audit_events_reject_change();
