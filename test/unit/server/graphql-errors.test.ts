// What clients see when an operation fails under the compiled executor: their own mistakes carry
// BAD_USER_INPUT with 400, typed errors keep their code and path, and bugs are INTERNAL without detail.
import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../src/server/errors.js';
import { createLogger } from '../../../src/server/logger.js';
import { createGraphQLServer } from '../../../src/server/yoga.js';

const yoga = createGraphQLServer({
  schema: makeExecutableSchema({
    typeDefs: 'type Query { echo(n: Int!): Int! missing: Int broken: Int! crash: Int }',
    resolvers: {
      Query: {
        echo: (_: unknown, args: { n: number }) => args.n,
        missing: () => {
          throw new NotFoundError('No node has this id');
        },
        broken: () => null,
        crash: () => {
          throw new Error('database password is hunter2');
        },
      },
    },
  }),
  logger: createLogger('silent'),
  graphiql: false,
  routes: [],
});

async function ask(query: string, variables?: Record<string, unknown>) {
  const res = await yoga.fetch('http://palisade.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string } }>;
  };
  return { status: res.status, body, error: body.errors?.[0] };
}

describe('GraphQL errors', () => {
  it('answers a variable of the wrong type with 400 BAD_USER_INPUT naming it', async () => {
    const { status, error } = await ask('query($n: Int!) { echo(n: $n) }', { n: 'seven' });
    expect(status).toBe(400);
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.message).toMatch(/\$n/);
  });

  it('answers a missing required variable with 400 BAD_USER_INPUT', async () => {
    const { status, error } = await ask('query($n: Int!) { echo(n: $n) }');
    expect(status).toBe(400);
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.message).toMatch(/was not provided/);
  });

  it('keeps a typed error’s code and path', async () => {
    const { body, error } = await ask('{ missing echo(n: 2) }');
    expect(error?.extensions?.code).toBe('NOT_FOUND');
    expect(error?.path).toEqual(['missing']);
    expect(body.data).toEqual({ missing: null, echo: 2 });
  });

  it('reports a null in a non-null field as INTERNAL, not as the client’s mistake', async () => {
    const { error } = await ask('{ broken }');
    expect(error?.extensions?.code).toBe('INTERNAL');
    expect(error?.message).not.toMatch(/non-nullable/);
  });

  it('hides an unexpected error’s message behind INTERNAL', async () => {
    const { error } = await ask('{ crash }');
    expect(error?.extensions?.code).toBe('INTERNAL');
    expect(JSON.stringify(error)).not.toMatch(/hunter2/);
  });
});
