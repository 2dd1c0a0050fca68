-- +goose Up
-- An API access key belongs to the person or the service account at the root
-- of the chain that made it: a key made by a key inherits its owner, and the
-- key acts with at most what that owner holds now. Keys made by keys before
-- this migration recorded no owner; they are refused until recreated.
ALTER TABLE api_access_keys
    ADD COLUMN created_by_service_account_id uuid,
    ADD CONSTRAINT api_access_keys_owner_service_account_fkey
        FOREIGN KEY (organization_id, created_by_service_account_id)
        REFERENCES service_accounts (organization_id, id) ON DELETE SET NULL (created_by_service_account_id),
    ADD CONSTRAINT api_access_keys_one_owner
        CHECK (created_by_user_id IS NULL OR created_by_service_account_id IS NULL);

-- +goose Down
ALTER TABLE api_access_keys DROP COLUMN created_by_service_account_id;
