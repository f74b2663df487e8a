// Which browser pages may read the node's answers: none from another origin unless
// PALISADE_CORS_ORIGINS lists it, and never with the browser's credentials (TAXII's stored HTTP
// Basic would otherwise be sent along and its answer readable by any page an analyst opens).
import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/server/logger.js';
import { createGraphQLServer } from '../../../src/server/yoga.js';

const server = (corsOrigins?: string[]) =>
  createGraphQLServer({
    schema: makeExecutableSchema({ typeDefs: 'type Query { ok: Boolean }', resolvers: {} }),
    logger: createLogger('silent'),
    graphiql: false,
    routes: [{ method: 'GET', path: '/taxii2/', handle: () => new Response('{}') }],
    ...(corsOrigins && { corsOrigins }),
  });

async function from(
  yoga: ReturnType<typeof server>,
  origin: string,
  method: 'GET' | 'POST' | 'OPTIONS',
  path: string,
) {
  const res = await yoga.fetch(`http://palisade.test${path}`, {
    method,
    headers: {
      origin,
      'content-type': 'application/json',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization',
    },
    ...(method === 'POST' && { body: JSON.stringify({ query: '{ ok }' }) }),
  });
  const cors = Object.fromEntries(
    [...res.headers].filter(([name]) => name.startsWith('access-control-')),
  );
  return { status: res.status, cors };
}

describe('cross-origin browser access', () => {
  it('is not granted to any origin by default, for GraphQL, routes and preflights alike', async () => {
    const yoga = server();
    for (const [method, path] of [
      ['POST', '/graphql'],
      ['GET', '/taxii2/'],
      ['OPTIONS', '/graphql'],
    ] as const) {
      expect((await from(yoga, 'https://evil.example', method, path)).cors).toEqual({});
    }
  });

  it('is granted to a listed origin, with the node headers and without credentials', async () => {
    const yoga = server(['https://console.brand.example']);
    const preflight = await from(yoga, 'https://console.brand.example', 'OPTIONS', '/graphql');
    expect(preflight.status).toBe(204);
    expect(preflight.cors).toMatchObject({
      'access-control-allow-origin': 'https://console.brand.example',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization, content-type, accept, x-palisade-csrf',
    });
    const answer = await from(yoga, 'https://console.brand.example', 'POST', '/graphql');
    expect(answer.cors['access-control-allow-origin']).toBe('https://console.brand.example');
    expect(answer.cors).not.toHaveProperty('access-control-allow-credentials');
  });

  it('never names an unlisted caller as allowed', async () => {
    const one = await from(
      server(['https://a.example']),
      'https://evil.example',
      'GET',
      '/taxii2/',
    );
    expect(one.cors['access-control-allow-origin']).toBe('https://a.example');
    const two = server(['https://a.example', 'https://b.example']);
    expect((await from(two, 'https://b.example', 'POST', '/graphql')).cors).toMatchObject({
      'access-control-allow-origin': 'https://b.example',
    });
    expect(
      (await from(two, 'https://evil.example', 'POST', '/graphql')).cors[
        'access-control-allow-origin'
      ],
    ).toBe('null');
  });
});
