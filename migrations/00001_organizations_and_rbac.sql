-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- An account groups an organization and its siblings; OIDC providers belong to it.
CREATE TABLE accounts (
    id         uuid PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE organizations (
    id         uuid PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);
CREATE INDEX organizations_account_idx ON organizations (account_id);

CREATE TABLE users (
    id             uuid PRIMARY KEY,
    email          text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
    name           text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    deactivated_at timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE memberships (
    organization_id uuid NOT NULL REFERENCES organizations (id),
    user_id         uuid NOT NULL REFERENCES users (id),
    status          text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DEACTIVATED')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE roles (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    description     text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    built_in        boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id)
);
CREATE UNIQUE INDEX roles_org_name_key ON roles (organization_id, lower(name));

CREATE TABLE role_permissions (
    organization_id uuid NOT NULL,
    role_id         uuid NOT NULL,
    permission      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (role_id, permission),
    FOREIGN KEY (organization_id, role_id) REFERENCES roles (organization_id, id) ON DELETE CASCADE
);

CREATE TABLE service_accounts (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    description     text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id)
);
CREATE UNIQUE INDEX service_accounts_org_name_key ON service_accounts (organization_id, lower(name));

-- A role is held by exactly one member or one service account of the role's organization.
CREATE TABLE role_assignments (
    id                 uuid PRIMARY KEY,
    organization_id    uuid NOT NULL,
    role_id            uuid NOT NULL,
    user_id            uuid,
    service_account_id uuid,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((user_id IS NULL) <> (service_account_id IS NULL)),
    FOREIGN KEY (organization_id, role_id) REFERENCES roles (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, user_id) REFERENCES memberships (organization_id, user_id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, service_account_id) REFERENCES service_accounts (organization_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX role_assignments_user_key ON role_assignments (organization_id, user_id, role_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX role_assignments_sa_key ON role_assignments (organization_id, service_account_id, role_id) WHERE service_account_id IS NOT NULL;
CREATE INDEX role_assignments_role_idx ON role_assignments (role_id);

-- Service account API keys. Only a SHA-256 of the key is stored; prefix finds the row.
CREATE TABLE api_keys (
    id                 uuid PRIMARY KEY,
    organization_id    uuid NOT NULL,
    service_account_id uuid NOT NULL,
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    prefix             text NOT NULL,
    secret_hash        bytea NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz,
    revoked_at         timestamptz,
    last_used_at       timestamptz,
    rotated_to_id      uuid REFERENCES api_keys (id),
    FOREIGN KEY (organization_id, service_account_id) REFERENCES service_accounts (organization_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX api_keys_prefix_key ON api_keys (prefix);
CREATE INDEX api_keys_service_account_idx ON api_keys (organization_id, service_account_id);

-- API access keys hold permissions of their own, never more than their creator held.
CREATE TABLE api_access_keys (
    id                 uuid PRIMARY KEY,
    organization_id    uuid NOT NULL REFERENCES organizations (id),
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    prefix             text NOT NULL,
    secret_hash        bytea NOT NULL,
    permissions        text[] NOT NULL DEFAULT '{}',
    created_by_user_id uuid REFERENCES users (id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz,
    last_used_at       timestamptz
);
CREATE UNIQUE INDEX api_access_keys_prefix_key ON api_access_keys (prefix);
CREATE INDEX api_access_keys_org_idx ON api_access_keys (organization_id);

-- +goose Down
DROP TABLE api_access_keys, api_keys, role_assignments, service_accounts, role_permissions, roles,
    memberships, users, organizations, accounts;
