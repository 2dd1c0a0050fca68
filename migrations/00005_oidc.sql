-- +goose Up
-- OIDC identity providers belong to an account (an organization and its
-- siblings) and are linked to the account's organizations where people may
-- sign in with them. The client secret is write-only: it is stored only
-- sealed (AES-256-GCM under a key derived from SECRET_KEY, bound to the
-- account and the provider id); client_secret_key_version is the fingerprint
-- of the SECRET_KEY that sealed it. A public client (PKCE only) has no secret.
CREATE TABLE oidc_providers (
    id                        uuid PRIMARY KEY,
    account_id                uuid NOT NULL REFERENCES accounts (id),
    name                      text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    issuer                    text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 2048),
    client_id                 text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 512),
    client_secret_ciphertext  bytea,
    client_secret_key_version text,
    scopes                    text[] NOT NULL DEFAULT '{openid,email,profile}',
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    CHECK ((client_secret_ciphertext IS NULL) = (client_secret_key_version IS NULL)),
    UNIQUE (account_id, id)
);
CREATE UNIQUE INDEX oidc_providers_account_name_key ON oidc_providers (account_id, lower(name));
CREATE INDEX oidc_providers_key_version_idx ON oidc_providers (client_secret_key_version);

-- A link may only join a provider and an organization of the same account:
-- the composite foreign keys make the database hold that rule too.
ALTER TABLE organizations ADD CONSTRAINT organizations_account_id_id_key UNIQUE (account_id, id);

CREATE TABLE oidc_provider_links (
    provider_id     uuid NOT NULL,
    organization_id uuid NOT NULL,
    account_id      uuid NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider_id, organization_id),
    FOREIGN KEY (account_id, provider_id) REFERENCES oidc_providers (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, organization_id) REFERENCES organizations (account_id, id)
);
CREATE INDEX oidc_provider_links_org_idx ON oidc_provider_links (organization_id);

-- +goose Down
DROP TABLE oidc_provider_links, oidc_providers;
ALTER TABLE organizations DROP CONSTRAINT organizations_account_id_id_key;
