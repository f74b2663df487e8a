// One log line per request, naming its path but never its query string, with the request id the
// client also gets back; a node logging at warn writes none and still answers with the id.
import { createSchema, createYoga } from 'graphql-yoga';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { useRequestLog } from '../../../src/server/use-request-log.js';

function nodeLoggingAt(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { a: Int }',
      resolvers: { Query: { a: () => 1 } },
    }),
    plugins: [useRequestLog(logger)],
    logging: false,
  });
  return { yoga, lines };
}

describe('the request log', () => {
  it('logs the path, status and request id, not the query string', async () => {
    const { yoga, lines } = nodeLoggingAt('info');
    const res = await yoga.fetch('http://node/graphql?phone=8613800138000&query={a}', {
      headers: { 'x-request-id': 'req-42' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-42');
    const logged = lines.filter((l) => l['msg'] === 'request');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      requestId: 'req-42',
      method: 'GET',
      path: '/graphql',
      status: 200,
    });
    expect(JSON.stringify(lines)).not.toContain('8613800138000');
  });

  it('writes nothing below its level, and still gives the client a request id', async () => {
    const { yoga, lines } = nodeLoggingAt('warn');
    const res = await yoga.fetch('http://node/graphql?query={a}');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toEqual([]);
  });
});
