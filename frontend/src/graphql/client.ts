import { cacheExchange, Client, fetchExchange, mapExchange } from 'urql';
import { isUnauthenticated } from './errors';

/**
 * createGraphQLClient talks to the Go server with the session cookie. Every
 * cookie-authenticated POST carries the CSRF header the server requires. When
 * the session has ended, onUnauthenticated decides where the person goes.
 */
export function createGraphQLClient(onUnauthenticated: () => void): Client {
  return new Client({
    url: '/graphql',
    exchanges: [
      mapExchange({
        onError(error) {
          if (isUnauthenticated(error)) onUnauthenticated();
        },
      }),
      cacheExchange,
      fetchExchange,
    ],
    fetchOptions: {
      credentials: 'same-origin',
      headers: { 'X-Orgtrail-CSRF': '1' },
    },
    preferGetMethod: false,
    fetchSubscriptions: true,
  });
}
