-- +goose Up
-- A session remembers how it was authenticated, so an organization is entered
-- only through a sign-in it accepts (server/sessions/trust.go): its method
-- (already in sessions.method) and, for OIDC, the provider that vouched for
-- the person. Deleting the provider forgets it (SET NULL): an OIDC session
-- without a provider is accepted nowhere, so its holder signs in again.
-- Sessions started through OIDC before this migration have no provider
-- either, and end the same way at their next request.
ALTER TABLE sessions
    ADD COLUMN provider_id uuid REFERENCES oidc_providers (id) ON DELETE SET NULL,
    ADD CONSTRAINT sessions_provider_only_for_oidc CHECK (provider_id IS NULL OR method = 'OIDC');
CREATE INDEX sessions_provider_idx ON sessions (provider_id) WHERE provider_id IS NOT NULL;

-- The organization a magic link was asked for (the sign-in page's
-- ?organization=, when a person steps up to enter it): signing in with the
-- link lands there when that organization accepts the sign-in.
ALTER TABLE magic_links ADD COLUMN organization_id uuid REFERENCES organizations (id);

-- +goose Down
ALTER TABLE magic_links DROP COLUMN organization_id;
DROP INDEX sessions_provider_idx;
ALTER TABLE sessions DROP CONSTRAINT sessions_provider_only_for_oidc, DROP COLUMN provider_id;
