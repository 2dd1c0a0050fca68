-- +goose Up
-- A membership can move to another user (SCIM: a person's sign-in address
-- changes to one another Orgtrail user has; members.Move). What hangs off the
-- membership (its role assignments, its SCIM user) moves with it in the same
-- statement, so the move is one UPDATE of memberships.user_id made by the one
-- owner of membership changes, not a sequence of writes in several packages.
ALTER TABLE role_assignments
    DROP CONSTRAINT role_assignments_organization_id_user_id_fkey,
    ADD CONSTRAINT role_assignments_organization_id_user_id_fkey
        FOREIGN KEY (organization_id, user_id) REFERENCES memberships (organization_id, user_id)
        ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE scim_users
    DROP CONSTRAINT scim_users_organization_id_user_id_fkey,
    ADD CONSTRAINT scim_users_organization_id_user_id_fkey
        FOREIGN KEY (organization_id, user_id) REFERENCES memberships (organization_id, user_id)
        ON DELETE CASCADE ON UPDATE CASCADE;

-- +goose Down
ALTER TABLE role_assignments
    DROP CONSTRAINT role_assignments_organization_id_user_id_fkey,
    ADD CONSTRAINT role_assignments_organization_id_user_id_fkey
        FOREIGN KEY (organization_id, user_id) REFERENCES memberships (organization_id, user_id) ON DELETE CASCADE;
ALTER TABLE scim_users
    DROP CONSTRAINT scim_users_organization_id_user_id_fkey,
    ADD CONSTRAINT scim_users_organization_id_user_id_fkey
        FOREIGN KEY (organization_id, user_id) REFERENCES memberships (organization_id, user_id) ON DELETE CASCADE;
