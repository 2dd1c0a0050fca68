import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** OidcIssuer is a stand-in identity provider that serves only its discovery document. */
export interface OidcIssuer {
  issuer: string;
  close: () => Promise<void>;
}

/**
 * startOidcIssuer serves /.well-known/openid-configuration on a loopback
 * port (plain http is accepted for loopback issuers), enough for the server
 * to accept a new identity provider. Nobody signs in through it.
 */
export async function startOidcIssuer(): Promise<OidcIssuer> {
  let issuer = '';
  const server: Server = createServer((request, response) => {
    if (request.url !== '/.well-known/openid-configuration') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(
      JSON.stringify({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        userinfo_endpoint: `${issuer}/userinfo`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { issuer, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
