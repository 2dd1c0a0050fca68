import type { ActorType } from '../../gql/graphql';

/** actorKinds names each kind of actor as the Actor column shows it. */
export const actorKinds: Record<ActorType, string> = {
  USER: 'User',
  SERVICE_ACCOUNT: 'Service account',
  API_KEY: 'API key',
  SCIM: 'SCIM',
  SYSTEM: 'System',
};
