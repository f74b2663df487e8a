// Logs and metrics name a request by its path, never its query string (which may carry ids).
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { pathOf } from '../../../src/server/request-path.js';

describe('pathOf', () => {
  it('gives the path of a request as yoga makes them, and of a plain one', () => {
    const { Request: YogaRequest } = createYoga({
      schema: createSchema({ typeDefs: 'type Query { a: Int }' }),
    }).fetchAPI;
    expect(pathOf(new YogaRequest('http://node/graphql?phone=8613800138000'))).toBe('/graphql');
    expect(pathOf(new Request('http://node/healthz?x=1'))).toBe('/healthz');
  });
});
