-- +goose Up
-- The last "Test connection" of a connector, kept on its row so the
-- Connectors tab shows whether it worked, what it said and when, without
-- testing again. The message is the one the admin saw: written by Orgtrail
-- for people, never a driver's text or a credential. A test observes the
-- connector and changes nothing about it, so it is not an audit event (like
-- a key's last use).
ALTER TABLE connectors
    ADD COLUMN last_tested_at        timestamptz,
    ADD COLUMN last_test_ok          boolean,
    ADD COLUMN last_test_message     text CHECK (length(last_test_message) <= 1000),
    ADD COLUMN last_test_duration_ms int CHECK (last_test_duration_ms >= 0),
    ADD CONSTRAINT connectors_last_test_whole CHECK (
        (last_tested_at IS NULL) = (last_test_ok IS NULL)
        AND (last_tested_at IS NULL) = (last_test_message IS NULL)
        AND (last_tested_at IS NULL) = (last_test_duration_ms IS NULL));

-- +goose Down
ALTER TABLE connectors
    DROP COLUMN last_tested_at, DROP COLUMN last_test_ok, DROP COLUMN last_test_message,
    DROP COLUMN last_test_duration_ms;
