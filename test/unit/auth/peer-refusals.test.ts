// How a refused peer request is answered: a bad token is 401 UNAUTHENTICATED with a Bearer
// challenge; a good token over its rate limit is 429 RATE_LIMITED with Retry-After; a registry the
// database cannot answer is 503 UNAVAILABLE. No Neo4j: the peer verifier is a stand-in.
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { createAuthenticator, PEER_TOKEN_TYP } from '../../../src/auth/principal.js';
import type { AccessTokenVerifier } from '../../../src/federation/access-tokens.js';
import type { Principal } from '../../../src/server/context.js';
import {
  RateLimitedError,
  UnauthenticatedError,
  UnavailableError,
} from '../../../src/server/errors.js';
import { createLogger } from '../../../src/server/logger.js';
import { useAuthentication } from '../../../src/server/use-authentication.js';

/** A token whose header says "signed peer request"; the stand-in verifier decides its fate. */
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const PEER_TOKEN = `${b64({ alg: 'EdDSA', typ: PEER_TOKEN_TYP })}.${b64({ iss: 'p' })}.c2ln`;

const noAccessTokens: AccessTokenVerifier = {
  verify: () => Promise.reject(new Error('only peer tokens in this test')),
};

function serverWhosePeerVerifier(outcome: () => Promise<Principal>) {
  const refusals: string[] = [];
  const codes: string[] = [];
  const authenticate = createAuthenticator({
    verifier: noAccessTokens,
    peers: outcome,
    onRefused: (reason) => refusals.push(reason),
  });
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { ok: Boolean }', resolvers: {} }),
    logging: false,
    plugins: [
      useAuthentication({
        authenticate,
        logger: createLogger('silent'),
        graphqlEndpoint: '/graphql',
        graphiql: false,
        onRefused: (code) => codes.push(code),
      }),
    ],
  });
  const ask = async () => {
    const res = await yoga.fetch('http://palisade.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PEER_TOKEN}` },
      body: JSON.stringify({ query: '{ ok }' }),
    });
    const body = (await res.json()) as {
      errors?: Array<{ extensions?: { code?: string; retryAfter?: number } }>;
    };
    return { status: res.status, headers: res.headers, extensions: body.errors?.[0]?.extensions };
  };
  return { ask, refusals, codes };
}

describe('a refused peer request', () => {
  it('is 429 RATE_LIMITED with Retry-After when the peer is over its limit', async () => {
    const s = serverWhosePeerVerifier(() => Promise.reject(new RateLimitedError(7)));
    const answer = await s.ask();
    expect(answer.status).toBe(429);
    expect(answer.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 7 });
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.headers.get('www-authenticate')).toBeNull();
    expect(s.refusals).toEqual(['PEER_RATE_LIMITED']);
    expect(s.codes).toEqual(['RATE_LIMITED']);
  });

  it('is 503 UNAVAILABLE with Retry-After when the registry cannot be read', async () => {
    const s = serverWhosePeerVerifier(() => Promise.reject(new UnavailableError()));
    const answer = await s.ask();
    expect(answer.status).toBe(503);
    expect(answer.extensions?.code).toBe('UNAVAILABLE');
    expect(answer.headers.get('retry-after')).toBe('5');
  });

  it('is 401 UNAUTHENTICATED with a Bearer challenge when the token itself is refused', async () => {
    for (const refusal of [
      Object.assign(new Error('bad signature'), { reason: 'BAD_SIGNATURE' }),
      new UnauthenticatedError('no'),
    ]) {
      const s = serverWhosePeerVerifier(() => Promise.reject(refusal));
      const answer = await s.ask();
      expect(answer.status).toBe(401);
      expect(answer.extensions?.code).toBe('UNAUTHENTICATED');
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });
});
