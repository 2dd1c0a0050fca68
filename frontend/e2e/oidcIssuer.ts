import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** OidcIdentity is who the issuer says signed in. */
export interface OidcIdentity {
  subject: string;
  email: string;
}

/** OidcIssuer is a stand-in identity provider on a loopback port. */
export interface OidcIssuer {
  issuer: string;
  /** signInAs makes the next authorizations answer at once for identity, as if the person had signed in. */
  signInAs: (identity: OidcIdentity) => void;
  close: () => Promise<void>;
}

interface Grant {
  identity: OidcIdentity;
  clientId: string;
  redirectUri: string;
  nonce: string;
  challenge: string;
}

const base64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function sendJSON(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

async function formOf(request: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return new URLSearchParams(body);
}

/** signJWT signs claims with RS256 under kid. */
function signJWT(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const input = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${base64url(sign('sha256', Buffer.from(input), key))}`;
}

/**
 * startOidcIssuer serves an OpenID Connect provider on a loopback port (plain
 * http is accepted for loopback issuers): discovery, keys, and the
 * authorization code flow with PKCE for one public client. Its authorization
 * endpoint answers at once for the identity given to signInAs; until then it
 * refuses (access_denied), so by default nobody signs in through it.
 */
export async function startOidcIssuer(clientId = 'orgtrail-e2e'): Promise<OidcIssuer> {
  let issuer = '';
  let identity: OidcIdentity | null = null;
  const grants = new Map<string, Grant>();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'e2e-key-1';

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    if (request.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      sendJSON(response, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        userinfo_endpoint: `${issuer}/userinfo`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
      return;
    }
    if (request.method === 'GET' && url.pathname === '/jwks') {
      sendJSON(response, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
      return;
    }
    if (request.method === 'GET' && url.pathname === '/authorize') {
      const q = url.searchParams;
      const redirect = new URL(q.get('redirect_uri') ?? '');
      redirect.searchParams.set('state', q.get('state') ?? '');
      if (!identity || q.get('client_id') !== clientId || q.get('code_challenge_method') !== 'S256') {
        redirect.searchParams.set('error', 'access_denied');
      } else {
        const code = randomBytes(24).toString('base64url');
        grants.set(code, {
          identity,
          clientId,
          redirectUri: q.get('redirect_uri') ?? '',
          nonce: q.get('nonce') ?? '',
          challenge: q.get('code_challenge') ?? '',
        });
        redirect.searchParams.set('code', code);
      }
      response.writeHead(302, { Location: redirect.toString() }).end();
      return;
    }
    if (request.method === 'POST' && url.pathname === '/token') {
      void formOf(request).then((form) => {
        const code = form.get('code') ?? '';
        const grant = grants.get(code);
        grants.delete(code);
        const verifier = createHash('sha256')
          .update(form.get('code_verifier') ?? '')
          .digest('base64url');
        if (!grant || grant.redirectUri !== form.get('redirect_uri') || grant.challenge !== verifier) {
          sendJSON(response, 400, { error: 'invalid_grant' });
          return;
        }
        const now = Math.floor(Date.now() / 1000);
        const idToken = signJWT(privateKey, kid, {
          iss: issuer,
          sub: grant.identity.subject,
          aud: grant.clientId,
          iat: now,
          exp: now + 300,
          nonce: grant.nonce,
          email: grant.identity.email,
          email_verified: true,
        });
        sendJSON(response, 200, { access_token: randomBytes(24).toString('base64url'), token_type: 'Bearer', expires_in: 300, id_token: idToken });
      });
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    signInAs: (who) => {
      identity = who;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
