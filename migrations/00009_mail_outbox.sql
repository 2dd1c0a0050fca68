-- +goose Up
-- Mail waiting to be sent (server/mail/outbox.go), enqueued in the
-- transaction of the change it announces and delivered by a background
-- sender on one replica at a time per message (a lease: next_attempt_at is
-- moved past it when a replica claims the row). Subject, body and link hold
-- sign-in links and invitation tokens: they are sealed with the server
-- keyring (ciphertext, key_version, bound to the row id) and the row is
-- deleted once sent or given up.
CREATE TABLE mail_outbox (
    id              uuid PRIMARY KEY,
    recipient       text NOT NULL,
    ciphertext      bytea NOT NULL,
    key_version     text NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at);
CREATE INDEX mail_outbox_key_version_idx ON mail_outbox (key_version);

-- Magic-link requests as POST /auth/magic-link received them
-- (server/signin/magiclink.go): the request path only records the request,
-- the same work for every address, and a background worker decides whether
-- the address may sign in, issues the link and enqueues its mail. The
-- request's IP, user agent and id go into the "Generated magic link" event;
-- organization_id is the organization the sign-in page asked for (a step-up,
-- server/sessions/trust.go), carried to the link.
CREATE TABLE magic_link_requests (
    id              uuid PRIMARY KEY,
    email           text NOT NULL,
    next_path       text NOT NULL,
    organization_id uuid,
    ip_address text NOT NULL,
    user_agent text NOT NULL,
    request_id text NOT NULL,
    attempts   integer NOT NULL DEFAULT 0,
    not_before timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX magic_link_requests_due_idx ON magic_link_requests (not_before);

-- +goose Down
DROP TABLE magic_link_requests, mail_outbox;
