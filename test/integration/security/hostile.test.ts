// Hostile requests against a live, listening node: each is refused within milliseconds with the right
// code, and a normal request is answered in between. Plus rate limits, /metrics and the role matrix
// through the real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../src/db/managed-neo4j.js';
import { startNode, type RunningNode } from '../../../src/main.js';
import type { Role } from '../../../src/auth/matrix.js';
import { tokenFor } from '../../support/auth.js';
import {
  aliasQuery,
  chunkedBody,
  deepQuery,
  directiveQuery,
  INTROSPECTION,
  nestedListLiteral,
  nestedListVariableBody,
  NORMAL,
} from '../../support/hostile.js';
import { testConfig, testLogger, workerUri } from '../../support/test-graph.js';

interface Answer {
  status: number;
  ms: number;
  headers: Headers;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}

async function post(url: string, token: string | null, body: unknown): Promise<Answer> {
  const started = performance.now();
  const stream = body instanceof ReadableStream;
  const init: RequestInit & { duplex?: 'half' } = {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: stream ? body : typeof body === 'string' ? body : JSON.stringify(body),
    // A streamed request body must say so.
    ...(stream && { duplex: 'half' as const }),
  };
  const res = await fetch(`${url}/graphql`, init);
  const text = await res.text();
  const ms = performance.now() - started;
  return { status: res.status, ms, headers: res.headers, body: JSON.parse(text) };
}

const METRICS_TOKEN = 'metrics-scrape-secret-0123456789abcdef';

describe('a node under hostile requests', () => {
  let node: RunningNode;
  let prod: RunningNode;
  const tokens = new Map<string, string>();
  const token = async (role: Role, subject = `hostile-${role}`) => {
    const key = `${role}/${subject}`;
    if (!tokens.has(key)) tokens.set(key, await tokenFor(node, role, { subject }));
    return tokens.get(key)!;
  };
  const figures: Record<string, number> = {};

  beforeAll(async () => {
    node = await startNode(
      testConfig(workerUri(), {
        PALISADE_PORT: String(await freePort()),
        // A slow refill, so the rate-limit test does not depend on how fast this machine is.
        PALISADE_RATE_LIMIT_PER_SECOND: '2',
        PALISADE_RATE_LIMIT_BURST: '20',
        PALISADE_METRICS_TOKEN: METRICS_TOKEN,
      }),
      { logger: testLogger() },
    );
    prod = await startNode(
      testConfig(workerUri(), {
        PALISADE_ENV: 'production',
        PALISADE_PORT: String(await freePort()),
      }),
      { logger: testLogger() },
    );
  });
  afterAll(async () => {
    console.info(JSON.stringify({ refusalMs: figures }));
    await node?.stop();
    await prod?.stop();
  });

  const stillServes = async () => {
    const ok = await post(node.url, await token('viewer', 'bystander'), { query: NORMAL });
    expect(ok.status).toBe(200);
    expect(ok.body.data.nodeInfo.nodeId).toBeTruthy();
  };

  const hostile: Array<[string, () => Promise<Answer>, number, RegExp]> = [
    [
      'depth 100',
      async () => post(node.url, await token('analyst', 'h1'), { query: deepQuery(100) }),
      400,
      /depth|cost/i,
    ],
    [
      '10 000 aliases',
      async () => post(node.url, await token('analyst', 'h2'), { query: aliasQuery(10_000) }),
      400,
      /token limit|aliases/i,
    ],
    [
      '100 aliases of __typename',
      async () => post(node.url, await token('analyst', 'h3'), { query: aliasQuery(100) }),
      400,
      /aliases/i,
    ],
    [
      '50 directives',
      async () => post(node.url, await token('analyst', 'h4'), { query: directiveQuery(50) }),
      400,
      /directives/i,
    ],
    [
      'a 10 MB body',
      async () =>
        post(
          node.url,
          await token('analyst', 'h5'),
          JSON.stringify({ query: NORMAL, pad: 'x'.repeat(10 * 1024 * 1024) }),
        ),
      413,
      /larger than/,
    ],
    [
      'a 10 MB chunked body (no Content-Length)',
      async () =>
        post(
          node.url,
          await token('analyst', 'h5c'),
          chunkedBody(JSON.stringify({ query: NORMAL, pad: 'x'.repeat(10 * 1024 * 1024) })),
        ),
      413,
      /larger than/,
    ],
    [
      'input lists nested 60 deep (literal)',
      async () => post(node.url, await token('analyst', 'h6'), { query: nestedListLiteral(60) }),
      400,
      /nest/,
    ],
    [
      'input lists nested 5000 deep (variables)',
      async () => post(node.url, await token('analyst', 'h7'), nestedListVariableBody(5000)),
      400,
      /nest/,
    ],
    [
      '1000 batched operations',
      async () =>
        post(
          node.url,
          await token('analyst', 'h8'),
          JSON.stringify(Array.from({ length: 1000 }, () => ({ query: NORMAL }))),
        ),
      413,
      /Batching is limited/,
    ],
    [
      'introspection in production',
      async () => post(prod.url, await tokenFor(prod, 'admin'), { query: INTROSPECTION }),
      400,
      /introspection/i,
    ],
  ];

  for (const [name, send, status, message] of hostile) {
    it(`refuses ${name} at once with a coded error, and keeps serving`, async () => {
      await send(); // warm the path (JIT, token cache) so the figure is the steady state
      const answer = await send();
      expect(answer.status).toBe(status);
      const errors = answer.body.errors ?? [];
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((e) => e.extensions?.['code'] === 'BAD_USER_INPUT')).toBe(true);
      expect(errors.map((e) => e.message).join(' | ')).toMatch(message);
      // Typically 5–60 ms on loopback; the bound leaves room for a loaded CI machine.
      expect(answer.ms).toBeLessThan(1_000);
      figures[name] = Math.round(answer.ms * 10) / 10;
      await stillServes();
    });
  }

  it('answers a request without a token, or with a forged one, 401 UNAUTHENTICATED', async () => {
    const none = await post(node.url, null, { query: NORMAL });
    expect(none.status).toBe(401);
    expect(none.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const good = await token('admin');
    const forged = `${good.slice(0, -4)}AAAA`;
    expect((await post(node.url, forged, { query: NORMAL })).status).toBe(401);
    const other = await tokenFor(prod, 'admin'); // another node's issuer: not trusted here
    expect((await post(node.url, other, { query: NORMAL })).status).toBe(401);
    expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
  });

  it('rate-limits one subject with 429, Retry-After and extensions.retryAfter, not the others', async () => {
    const greedy = await token('analyst', 'greedy');
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => post(node.url, greedy, { query: NORMAL })),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(15);
    const first = limited[0]!;
    expect(first.body.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    expect(first.body.errors?.[0]?.extensions?.['retryAfter']).toBeGreaterThanOrEqual(1);
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await stillServes();
  });

  it('enforces the role matrix through the real server', async () => {
    const as = async (role: Role, query: string) =>
      post(node.url, await token(role, `matrix-${role}`), { query });
    expect((await as('partner', '{ nodeInfo { nodeId } }')).status).toBe(200);
    const hidden = await as('partner', '{ nodeInfo { neo4j { version } } }');
    expect(hidden.status).toBe(403);
    expect(hidden.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect((await as('association', '{ node(id: "eA") { id } }')).status).toBe(403);
    expect((await as('viewer', 'mutation { _ping }')).status).toBe(403);
    const ping = await as('analyst', 'mutation { _ping }');
    expect(ping.body).toEqual({ data: { _ping: true } });
  });

  it('serves /metrics to an admin or the scrape token only, counting refusals by reason', async () => {
    expect((await fetch(`${node.url}/metrics`)).status).toBe(401);
    const viewer = await fetch(`${node.url}/metrics`, {
      headers: { authorization: `Bearer ${await token('viewer')}` },
    });
    expect(viewer.status).toBe(403);
    const scrape = await fetch(`${node.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(scrape.status).toBe(200);
    const admin = await fetch(`${node.url}/metrics`, {
      headers: { authorization: `Bearer ${await token('admin')}` },
    });
    const text = await admin.text();
    expect(text).toMatch(/palisade_http_requests_total\{operation="NodeName",status="200"\} \d+/);
    expect(text).toMatch(
      /palisade_http_request_duration_seconds_bucket\{le="0.005",operation="NodeName"\}/,
    );
    expect(text).toMatch(/palisade_neo4j_pool_max \d+/);
    expect(text).toMatch(/palisade_neo4j_transactions_in_flight\{mode="read"\}/);
    expect(text).toContain('palisade_outbox_depth');
    for (const reason of ['unauthenticated', 'rate_limited', 'body_too_large', 'forbidden']) {
      expect(text).toMatch(new RegExp(`palisade_refusals_total\\{reason="${reason}"\\} [1-9]`));
    }
  });
});
