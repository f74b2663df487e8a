// GraphQL takes no files: evidence comes in through POST /evidence, so a multipart body sent to
// /graphql is refused before anything parses it (yoga would otherwise read every part of it).
import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/server/logger.js';
import { createGraphQLServer } from '../../../src/server/yoga.js';

const yoga = createGraphQLServer({
  schema: makeExecutableSchema({
    typeDefs: 'type Query { ok: Boolean }',
    resolvers: { Query: { ok: () => true } },
  }),
  logger: createLogger('silent'),
  graphiql: false,
  routes: [],
});

describe('GraphQL over multipart', () => {
  it('is refused as an unsupported media type, while JSON is answered', async () => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: '{ ok }', variables: {} }));
    form.set('map', '{}');
    const multipart = await yoga.fetch('http://palisade.test/graphql', {
      method: 'POST',
      body: form,
    });
    expect(multipart.status).toBe(415);
    expect(await multipart.text()).not.toContain('"ok"');

    const json = await yoga.fetch('http://palisade.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ ok }' }),
    });
    expect(await json.json()).toEqual({ data: { ok: true } });
  });
});
