-- +goose Up
-- Organization secrets. The value is write-only: it is stored only encrypted
-- (AES-256-GCM under a key derived from SECRET_KEY, with the organization and
-- the secret id bound as additional data). key_version is the fingerprint of
-- the SECRET_KEY that sealed the row, so `orgtrail rotate-secret-key` finds
-- the rows still sealed under an older key. Who created and last changed a
-- secret is copied in as they were, like the audit log does.
CREATE TABLE secrets (
    id                 uuid PRIMARY KEY,
    organization_id    uuid NOT NULL REFERENCES organizations (id),
    name               text NOT NULL CHECK (name ~ '^[A-Z][A-Z0-9_]{0,127}$'),
    description        text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    ciphertext         bytea NOT NULL,
    key_version        text NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    created_by_type    text NOT NULL DEFAULT '',
    created_by_id      text NOT NULL DEFAULT '',
    created_by_email   text NOT NULL DEFAULT '',
    created_by_name    text NOT NULL DEFAULT '',
    updated_by_type    text NOT NULL DEFAULT '',
    updated_by_id      text NOT NULL DEFAULT '',
    updated_by_email   text NOT NULL DEFAULT '',
    updated_by_name    text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX secrets_org_name_key ON secrets (organization_id, name);
CREATE INDEX secrets_key_version_idx ON secrets (key_version);

-- Data source connectors. config holds the validated, non-secret settings;
-- the credentials are one JSON object sealed like a secret value (bound to the
-- organization and the connector id). credential_fields names the credential
-- fields that hold a value, never the values.
CREATE TABLE connectors (
    id                      uuid PRIMARY KEY,
    organization_id         uuid NOT NULL REFERENCES organizations (id),
    name                    text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    type                    text NOT NULL CHECK (type IN
                                ('POSTGRESQL', 'MYSQL', 'SNOWFLAKE', 'BIGQUERY', 'AMAZON_S3', 'HTTPS_API')),
    config                  jsonb NOT NULL DEFAULT '{}',
    credentials_ciphertext  bytea NOT NULL,
    credentials_key_version text NOT NULL,
    credential_fields       text[] NOT NULL DEFAULT '{}',
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX connectors_org_name_key ON connectors (organization_id, lower(name));
CREATE INDEX connectors_key_version_idx ON connectors (credentials_key_version);

-- +goose Down
DROP TABLE connectors, secrets;
