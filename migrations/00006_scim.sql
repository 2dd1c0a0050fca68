-- +goose Up
-- SCIM 2.0 provisioning (server/scim).

-- Long-lived SCIM bearer tokens ("otscim_<prefix>_<secret>"). Only a SHA-256 of
-- the token is stored; prefix finds the row.
CREATE TABLE scim_tokens (
    id                 uuid PRIMARY KEY,
    organization_id    uuid NOT NULL REFERENCES organizations (id),
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    prefix             text NOT NULL,
    secret_hash        bytea NOT NULL,
    created_by_user_id uuid REFERENCES users (id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz,
    revoked_at         timestamptz,
    last_used_at       timestamptz
);
CREATE UNIQUE INDEX scim_tokens_prefix_key ON scim_tokens (prefix);
CREATE INDEX scim_tokens_org_idx ON scim_tokens (organization_id);

-- OAuth 2.0 clients of the client credentials grant (POST /oauth/token). The
-- client id is public; only a SHA-256 of the secret is stored.
CREATE TABLE scim_oauth_clients (
    id                 uuid PRIMARY KEY,
    organization_id    uuid NOT NULL REFERENCES organizations (id),
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    client_id          text NOT NULL,
    secret_hash        bytea NOT NULL,
    created_by_user_id uuid REFERENCES users (id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    revoked_at         timestamptz,
    last_used_at       timestamptz
);
CREATE UNIQUE INDEX scim_oauth_clients_client_id_key ON scim_oauth_clients (client_id);
CREATE INDEX scim_oauth_clients_org_idx ON scim_oauth_clients (organization_id);

-- Short-lived access tokens issued to OAuth clients; same format and storage
-- as SCIM tokens. They die with their client (revoked_at is checked on use).
CREATE TABLE scim_access_tokens (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL,
    client_id       uuid NOT NULL REFERENCES scim_oauth_clients (id) ON DELETE CASCADE,
    prefix          text NOT NULL,
    secret_hash     bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX scim_access_tokens_prefix_key ON scim_access_tokens (prefix);
CREATE INDEX scim_access_tokens_client_idx ON scim_access_tokens (client_id, expires_at);

-- A SCIM User: the identity provider's view of one member of the
-- organization. userName and externalId are columns (filtered, unique);
-- the other attributes are the SCIM JSON itself. "active" is not stored here:
-- it is the membership's status. Removing the member removes the SCIM user.
CREATE TABLE scim_users (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL,
    user_id         uuid NOT NULL,
    user_name       text NOT NULL CHECK (length(user_name) BETWEEN 1 AND 512),
    external_id     text CHECK (length(external_id) <= 512),
    attributes      jsonb NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    FOREIGN KEY (organization_id, user_id) REFERENCES memberships (organization_id, user_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX scim_users_user_name_key ON scim_users (organization_id, lower(user_name));
CREATE UNIQUE INDEX scim_users_user_key ON scim_users (organization_id, user_id);
CREATE INDEX scim_users_external_id_idx ON scim_users (organization_id, external_id);

CREATE TABLE scim_groups (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    display_name    text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 512),
    external_id     text CHECK (length(external_id) <= 512),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id)
);
CREATE INDEX scim_groups_display_name_idx ON scim_groups (organization_id, lower(display_name));
CREATE INDEX scim_groups_external_id_idx ON scim_groups (organization_id, external_id);

-- Members of a group are SCIM users of the same organization.
CREATE TABLE scim_group_members (
    organization_id uuid NOT NULL,
    group_id        uuid NOT NULL,
    member_id       uuid NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, member_id),
    FOREIGN KEY (organization_id, group_id) REFERENCES scim_groups (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, member_id) REFERENCES scim_users (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX scim_group_members_member_idx ON scim_group_members (member_id);

-- Group-to-role mappings set by admins: members of the group hold the role.
CREATE TABLE scim_group_roles (
    organization_id uuid NOT NULL,
    group_id        uuid NOT NULL,
    role_id         uuid NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, role_id),
    FOREIGN KEY (organization_id, group_id) REFERENCES scim_groups (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, role_id) REFERENCES roles (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX scim_group_roles_role_idx ON scim_group_roles (role_id);

-- Role assignments a group mapping made. Leaving the group takes back only
-- these; a role an admin gave by hand stays. An admin unassigning the role
-- removes the row with the assignment.
CREATE TABLE scim_role_assignments (
    assignment_id   uuid PRIMARY KEY REFERENCES role_assignments (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE scim_role_assignments, scim_group_roles, scim_group_members, scim_groups, scim_users,
    scim_access_tokens, scim_oauth_clients, scim_tokens;
