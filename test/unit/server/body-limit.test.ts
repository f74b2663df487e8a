// The GraphQL endpoint's body limit: declared and chunked bodies over it are refused with 413, and
// bodies under it (declared or chunked) are read whole.
import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import { useBodyLimit } from '../../../src/server/use-body-limit.js';
import { createLogger } from '../../../src/server/logger.js';
import { createGraphQLServer } from '../../../src/server/yoga.js';
import { chunkedBody } from '../../support/hostile.js';

const LIMIT = 1000;

function server(onRefused?: () => void) {
  return createGraphQLServer({
    schema: makeExecutableSchema({
      typeDefs: 'type Query { echo(text: String!): Int! }',
      resolvers: { Query: { echo: (_: unknown, args: { text: string }) => args.text.length } },
    }),
    logger: createLogger('silent'),
    graphiql: false,
    routes: [],
    plugins: [useBodyLimit(LIMIT, onRefused)],
  });
}

/** A body of the given length that is valid GraphQL-over-HTTP JSON. */
function bodyOf(length: number): string {
  const prefix = '{"query":"query($t: String!) { echo(text: $t) }","variables":{"t":"';
  const suffix = '"}}';
  return prefix + 'x'.repeat(length - prefix.length - suffix.length) + suffix;
}

async function post(
  yoga: ReturnType<typeof server>,
  body: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
) {
  // A streamed body needs duplex: 'half', which the RequestInit type does not know yet.
  const init: RequestInit & { duplex?: 'half' } = {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    ...(typeof body !== 'string' && { duplex: 'half' as const }),
  };
  const res = await yoga.fetch('http://palisade.test/graphql', init);
  const json = (await res.json()) as {
    data?: { echo: number };
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
  return { status: res.status, json };
}

describe('request body limit', () => {
  it('reads a declared body up to the limit', async () => {
    const text = bodyOf(LIMIT);
    const answer = await post(server(), text, { 'content-length': String(text.length) });
    expect(answer.status).toBe(200);
    expect(answer.json.data?.echo).toBeGreaterThan(900);
  });

  it('refuses a declared body over the limit with 413 before reading it', async () => {
    let refused = 0;
    const text = bodyOf(LIMIT + 1);
    const answer = await post(
      server(() => refused++),
      text,
      { 'content-length': String(text.length) },
    );
    expect(answer.status).toBe(413);
    expect(answer.json.errors?.[0]?.message).toMatch(/larger than 1000 bytes/);
    expect(answer.json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused).toBe(1);
  });

  it('reads a chunked body up to the limit', async () => {
    const answer = await post(server(), chunkedBody(bodyOf(LIMIT), 100));
    expect(answer.status).toBe(200);
    expect(answer.json.data?.echo).toBeGreaterThan(900);
  });

  it('cuts off a chunked body once it passes the limit', async () => {
    let refused = 0;
    const answer = await post(
      server(() => refused++),
      chunkedBody(bodyOf(50 * LIMIT), 100),
    );
    expect(answer.status).toBe(413);
    expect(answer.json.errors?.[0]?.message).toMatch(/larger than 1000 bytes/);
    expect(answer.json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused).toBe(1);
  });

  it('refuses a Content-Length that is not one byte count', async () => {
    const text = bodyOf(200);
    const answer = await post(server(), text, { 'content-length': '200, 200' });
    expect(answer.status).toBe(400);
    expect(answer.json.errors?.[0]?.message).toMatch(/Content-Length/);
    expect(answer.json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
