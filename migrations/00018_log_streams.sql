-- +goose Up
-- Log streams (docs/streams.md): an organization's audit log sent, as it
-- grows, to a SIEM or object storage. A stream's position is durable and is
-- a sequence number of the organization's verifiable log (audit_log_entries):
-- every event below next_sequence was delivered (at least once). Nothing is
-- enqueued when an event is written: the write path is unchanged.
CREATE TABLE log_streams (
    id                      uuid        PRIMARY KEY,
    organization_id         uuid        NOT NULL REFERENCES organizations (id),
    name                    text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    destination             text        NOT NULL CHECK (destination IN ('WEBHOOK', 'SPLUNK_HEC', 'DATADOG', 'S3', 'SYSLOG')),
    format                  text        NOT NULL CHECK (format IN ('JSON', 'OCSF', 'CEF')),
    config                  jsonb       NOT NULL DEFAULT '{}',
    -- The destination's credentials, one JSON object sealed like a
    -- connector's (bound to the organization and the stream id), and the
    -- names of the fields that hold a value.
    credentials_ciphertext  bytea       NOT NULL,
    credentials_key_version text        NOT NULL,
    credential_fields       text[]      NOT NULL DEFAULT '{}',
    -- Which events go: those of these categories or these actions; both
    -- empty, every event.
    categories              text[]      NOT NULL DEFAULT '{}',
    actions                 text[]      NOT NULL DEFAULT '{}',
    paused                  boolean     NOT NULL DEFAULT false,

    -- Delivery. next_sequence is the position: the first sequence number not
    -- yet delivered. attempted_through is the highest sequence number ever
    -- sent, so a batch sent again (after a failure or a restart) counts its
    -- events in resent_events: an upper bound on the duplicates a receiver
    -- saw.
    next_sequence           bigint      NOT NULL CHECK (next_sequence >= 0),
    attempted_through       bigint      NOT NULL DEFAULT -1,
    delivered_events        bigint      NOT NULL DEFAULT 0,
    resent_events           bigint      NOT NULL DEFAULT 0,
    last_delivery_at        timestamptz,
    -- Failures: attempts since the last success, when they began, the last
    -- error in Orgtrail's words, and when to try again. A stream that could
    -- not deliver for the outage tolerance (7 days) is failed, with the
    -- reason, until an admin resumes it.
    attempts                int         NOT NULL DEFAULT 0,
    retrying_since          timestamptz,
    next_attempt_at         timestamptz NOT NULL DEFAULT now(),
    last_error              text        CHECK (length(last_error) <= 1000),
    last_error_at           timestamptz,
    failed_at               timestamptz,
    failure_reason          text        CHECK (length(failure_reason) <= 1000),
    -- The replica delivering the stream, until when (docs/streams.md): one
    -- at a time, without holding a transaction or a row lock while it sends.
    lease_owner             uuid,
    lease_until             timestamptz,

    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX log_streams_org_name_key ON log_streams (organization_id, lower(name));
CREATE INDEX log_streams_key_version_idx ON log_streams (credentials_key_version);

-- +goose Down
DROP TABLE log_streams;
