-- +goose Up
-- Tenant keys (issue 14, docs/scaling.md): a reference from one tenant row to
-- another carries the organization on both sides, so the database itself
-- refuses a row pointing into another organization, and so each reference
-- stays on one shard when the tenant tables are distributed by
-- organization_id (Citus). The indexes that serve these references and the
-- tenant lookups lead with organization_id. tenancy_test.go checks the
-- catalog against the rule.

-- A rotated API key points to its successor, of the same organization.
ALTER TABLE api_keys ADD CONSTRAINT api_keys_organization_id_id_key UNIQUE (organization_id, id);
ALTER TABLE api_keys DROP CONSTRAINT api_keys_rotated_to_id_fkey;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_rotated_to_fkey
    FOREIGN KEY (organization_id, rotated_to_id) REFERENCES api_keys (organization_id, id);

-- A SCIM access token belongs to an OAuth client of its own organization.
ALTER TABLE scim_oauth_clients ADD CONSTRAINT scim_oauth_clients_organization_id_id_key UNIQUE (organization_id, id);
ALTER TABLE scim_access_tokens DROP CONSTRAINT scim_access_tokens_client_id_fkey;
ALTER TABLE scim_access_tokens ADD CONSTRAINT scim_access_tokens_client_fkey
    FOREIGN KEY (organization_id, client_id) REFERENCES scim_oauth_clients (organization_id, id) ON DELETE CASCADE;
DROP INDEX scim_access_tokens_client_idx;
CREATE INDEX scim_access_tokens_client_idx ON scim_access_tokens (organization_id, client_id, expires_at);

-- A role assignment made by a SCIM group mapping is one of its organization.
ALTER TABLE role_assignments ADD CONSTRAINT role_assignments_organization_id_id_key UNIQUE (organization_id, id);
ALTER TABLE scim_role_assignments DROP CONSTRAINT scim_role_assignments_assignment_id_fkey;
ALTER TABLE scim_role_assignments DROP CONSTRAINT scim_role_assignments_pkey;
ALTER TABLE scim_role_assignments ADD PRIMARY KEY (organization_id, assignment_id);
ALTER TABLE scim_role_assignments ADD CONSTRAINT scim_role_assignments_assignment_fkey
    FOREIGN KEY (organization_id, assignment_id) REFERENCES role_assignments (organization_id, id) ON DELETE CASCADE;

-- The lookups behind "who holds this role", "which groups is this user in"
-- and "which groups grant this role", and the cascades from roles and SCIM
-- users, are all within one organization.
DROP INDEX role_assignments_role_idx;
CREATE INDEX role_assignments_role_idx ON role_assignments (organization_id, role_id);
DROP INDEX scim_group_members_member_idx;
CREATE INDEX scim_group_members_member_idx ON scim_group_members (organization_id, member_id);
DROP INDEX scim_group_roles_role_idx;
CREATE INDEX scim_group_roles_role_idx ON scim_group_roles (organization_id, role_id);

-- +goose Down
DROP INDEX scim_group_roles_role_idx;
CREATE INDEX scim_group_roles_role_idx ON scim_group_roles (role_id);
DROP INDEX scim_group_members_member_idx;
CREATE INDEX scim_group_members_member_idx ON scim_group_members (member_id);
DROP INDEX role_assignments_role_idx;
CREATE INDEX role_assignments_role_idx ON role_assignments (role_id);

ALTER TABLE scim_role_assignments DROP CONSTRAINT scim_role_assignments_assignment_fkey;
ALTER TABLE scim_role_assignments DROP CONSTRAINT scim_role_assignments_pkey;
ALTER TABLE scim_role_assignments ADD PRIMARY KEY (assignment_id);
ALTER TABLE scim_role_assignments ADD CONSTRAINT scim_role_assignments_assignment_id_fkey
    FOREIGN KEY (assignment_id) REFERENCES role_assignments (id) ON DELETE CASCADE;
ALTER TABLE role_assignments DROP CONSTRAINT role_assignments_organization_id_id_key;

DROP INDEX scim_access_tokens_client_idx;
CREATE INDEX scim_access_tokens_client_idx ON scim_access_tokens (client_id, expires_at);
ALTER TABLE scim_access_tokens DROP CONSTRAINT scim_access_tokens_client_fkey;
ALTER TABLE scim_access_tokens ADD CONSTRAINT scim_access_tokens_client_id_fkey
    FOREIGN KEY (client_id) REFERENCES scim_oauth_clients (id) ON DELETE CASCADE;
ALTER TABLE scim_oauth_clients DROP CONSTRAINT scim_oauth_clients_organization_id_id_key;

ALTER TABLE api_keys DROP CONSTRAINT api_keys_rotated_to_fkey;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_rotated_to_id_fkey FOREIGN KEY (rotated_to_id) REFERENCES api_keys (id);
ALTER TABLE api_keys DROP CONSTRAINT api_keys_organization_id_id_key;
