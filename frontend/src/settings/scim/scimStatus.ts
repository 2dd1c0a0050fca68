import type { ScimCredentialStatus } from '../../gql/graphql';

/** scimStatusLabels name each status of a SCIM token or OAuth client. */
export const scimStatusLabels: Record<ScimCredentialStatus, string> = {
  ACTIVE: 'Active',
  REVOKED: 'Revoked',
  EXPIRED: 'Expired',
};
