-- +goose Up
-- Organization settings an admin expects to control.
ALTER TABLE organizations
    ADD COLUMN session_lifetime_hours int NOT NULL DEFAULT 168
        CHECK (session_lifetime_hours BETWEEN 1 AND 2160),
    ADD COLUMN session_idle_minutes int NOT NULL DEFAULT 720
        CHECK (session_idle_minutes BETWEEN 5 AND 43200),
    ADD COLUMN sign_in_methods text[] NOT NULL DEFAULT '{MAGIC_LINK,OIDC}'
        CHECK (sign_in_methods <@ '{MAGIC_LINK,OIDC}' AND cardinality(sign_in_methods) > 0),
    ADD COLUMN audit_retention_days int NOT NULL DEFAULT 365
        CHECK (audit_retention_days BETWEEN 30 AND 3650);

-- Server-side sessions. The cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    id              uuid PRIMARY KEY,
    token_hash      bytea NOT NULL UNIQUE,
    user_id         uuid NOT NULL REFERENCES users (id),
    organization_id uuid NOT NULL REFERENCES organizations (id),
    method          text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    ended_at        timestamptz,
    ip_address      inet,
    user_agent      text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE ended_at IS NULL;

-- Single-use magic link tokens, stored hashed, valid 15 minutes.
CREATE TABLE magic_links (
    id           uuid PRIMARY KEY,
    token_hash   bytea NOT NULL UNIQUE,
    email        text NOT NULL,
    next_path    text NOT NULL DEFAULT '/',
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
CREATE INDEX magic_links_email_idx ON magic_links (email, created_at);

-- Invitations: an email invited into an organization with roles to grant on joining.
CREATE TABLE invitations (
    id                 uuid PRIMARY KEY,
    organization_id    uuid NOT NULL REFERENCES organizations (id),
    email              text NOT NULL CHECK (email = lower(email)),
    role_ids           uuid[] NOT NULL DEFAULT '{}',
    invited_by_user_id uuid REFERENCES users (id),
    token_hash         bytea NOT NULL UNIQUE,
    created_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL,
    accepted_at        timestamptz,
    revoked_at         timestamptz
);
CREATE UNIQUE INDEX invitations_pending_key ON invitations (organization_id, email)
    WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- +goose Down
DROP TABLE invitations, magic_links, sessions;
ALTER TABLE organizations DROP COLUMN session_lifetime_hours, DROP COLUMN session_idle_minutes,
    DROP COLUMN sign_in_methods, DROP COLUMN audit_retention_days;
