-- +goose Up
-- The live organizations of an account have different names, compared
-- case-insensitively: the switcher lists them by name and deleting one is
-- confirmed by typing its name, so two "Acme Inc" could not be told apart.
-- A deleted organization keeps its name and frees it.
--
-- Names that already clash are renamed here, before the index is built: the
-- oldest organization of each clashing group keeps its name, each other one
-- gets the first free " (2)", " (3)"… suffix (shortened to stay within 100
-- characters). Renaming was chosen over an index that tolerates the old
-- duplicates: such an index would leave the very organizations that cannot be
-- told apart as they are, and every rule about names would need an exception
-- for them forever. A rename is a change to a customer's organization, so each
-- one is recorded in that organization's audit log as "Updated org settings"
-- by Orgtrail (the system actor), with the old and new name and the reason;
-- admins may rename it again as they like.
-- +goose StatementBegin
DO $$
DECLARE
    clash record;
    candidate text;
    n int;
BEGIN
    FOR clash IN
        SELECT id, account_id, name FROM (
            SELECT id, account_id, name,
                   row_number() OVER (PARTITION BY account_id, lower(name) ORDER BY created_at, id) AS rank
            FROM organizations WHERE deleted_at IS NULL) ranked
        WHERE rank > 1
        ORDER BY account_id, lower(name), rank
    LOOP
        n := 2;
        LOOP
            candidate := left(clash.name, 100 - length(' (' || n || ')')) || ' (' || n || ')';
            EXIT WHEN NOT EXISTS (SELECT 1 FROM organizations
                WHERE account_id = clash.account_id AND deleted_at IS NULL AND lower(name) = lower(candidate));
            n := n + 1;
        END LOOP;
        UPDATE organizations SET name = candidate, updated_at = now() WHERE id = clash.id;
        PERFORM audit_events_ensure_partitions((clock_timestamp() AT TIME ZONE 'UTC')::date, 1);
        INSERT INTO audit_events (organization_id, occurred_at, id, action, actor_type, actor_id, actor_name,
                                  resource_type, resource_id, resource_name, details)
        VALUES (clash.id, clock_timestamp(), gen_random_uuid(), 'UPDATED_ORG_SETTINGS', 'SYSTEM', 'system', 'Orgtrail',
                'organization', clash.id::text, candidate,
                jsonb_build_object(
                    'changes', jsonb_build_object('name', jsonb_build_object('from', clash.name, 'to', candidate)),
                    'reason', 'Organization names became unique within an account, and an older organization of this '
                              || 'account had the same name.'));
    END LOOP;
END
$$;
-- +goose StatementEnd

CREATE UNIQUE INDEX organizations_account_name_key ON organizations (account_id, lower(name)) WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX organizations_account_name_key;
