-- +goose Up
-- Read-only built-in roles beyond Admin (issue 16): Viewer holds every read
-- permission, Auditor audit_log:read, so an invitation has a sensible
-- default. Until now "built-in" meant "Admin" (the only one); which built-in
-- a role is is now said by built_in_role, and Admin, which holds every
-- permission, is found by it (rbac.AdminSQL), never by built_in, which only
-- says "read-only".
ALTER TABLE roles
    ADD COLUMN built_in_role text CHECK (built_in_role IN ('ADMIN', 'VIEWER', 'AUDITOR'));
UPDATE roles SET built_in_role = 'ADMIN' WHERE built_in;
ALTER TABLE roles
    ADD CONSTRAINT roles_built_in_role_matches CHECK (built_in = (built_in_role IS NOT NULL));
CREATE UNIQUE INDEX roles_org_built_in_role_key ON roles (organization_id, built_in_role)
    WHERE built_in_role IS NOT NULL;

-- Viewer and Auditor for every existing organization (new ones get them from
-- rbac.Service.CreateBuiltInRoles). An organization that already made a role
-- of that name keeps its own and gets no built-in one of the name.
INSERT INTO roles (id, organization_id, name, description, built_in, built_in_role)
SELECT gen_random_uuid(), o.id, b.name, b.description, true, b.kind
FROM organizations o
CROSS JOIN (VALUES ('Viewer', 'Reads everything, changes nothing', 'VIEWER'),
                   ('Auditor', 'Reads the audit log', 'AUDITOR')) AS b (name, description, kind)
WHERE NOT EXISTS (SELECT 1 FROM roles r WHERE r.organization_id = o.id AND lower(r.name) = lower(b.name));

-- Their permissions are rows, like a custom role's, so every permission join
-- and the grant rule read them as they are. Viewer's are the catalog's
-- *:read permissions (rbac.ViewerRole.Permissions; a test compares the two).
INSERT INTO role_permissions (organization_id, role_id, permission)
SELECT r.organization_id, r.id, p.permission
FROM roles r
CROSS JOIN unnest(ARRAY['audit_log:read', 'members:read', 'roles:read', 'service_accounts:read',
    'api_access_keys:read', 'secrets:read', 'connectors:read', 'identity_providers:read', 'scim:read']) AS p (permission)
WHERE r.built_in_role = 'VIEWER'
UNION ALL
SELECT r.organization_id, r.id, 'audit_log:read' FROM roles r WHERE r.built_in_role = 'AUDITOR'
ON CONFLICT DO NOTHING;

-- +goose Down
DELETE FROM roles WHERE built_in_role IN ('VIEWER', 'AUDITOR');
DROP INDEX roles_org_built_in_role_key;
ALTER TABLE roles DROP CONSTRAINT roles_built_in_role_matches, DROP COLUMN built_in_role;
