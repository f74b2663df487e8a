// The web app's GraphQL client and pure helpers: errors keep the server's code, the token rides as
// a Bearer header, routes and formats parse both ways, expansions merge into one drawable graph.
import { describe, expect, it } from 'vitest';
import {
  createClient,
  describeError,
  GraphQLRequestError,
  operation,
  toRequestError,
} from '../../../src/web/src/api/client.js';
import { damagesOf } from '../../../src/web/src/api/network-detail.js';
import { labelOf } from '../../../src/web/src/api/node-summary.js';
import { parseRate } from '../../../src/web/src/format.js';
import { expansionFromLinks, GraphState, nodeSize } from '../../../src/web/src/graph/model.js';
import { hrefOf, parseRoute } from '../../../src/web/src/router.js';
import { cleanToken, tokenClaims } from '../../../src/web/src/session.js';

const PING = operation<{ nodeInfo: { name: string } }>('Ping', 'query Ping { nodeInfo { name } }');

function fakeFetch(status: number, body: unknown, seen: RequestInit[] = []): typeof fetch {
  return (_input, init) => {
    seen.push(init ?? {});
    return Promise.resolve(
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      }),
    );
  };
}

describe('the GraphQL client', () => {
  it('posts the named operation with the Bearer token and returns its data', async () => {
    const seen: RequestInit[] = [];
    const client = createClient({
      token: () => 'tok',
      fetch: fakeFetch(200, { data: { nodeInfo: { name: 'A' } } }, seen),
    });
    await expect(client.request(PING, {})).resolves.toEqual({ nodeInfo: { name: 'A' } });
    const headers = seen[0]!.headers as Record<string, string>;
    expect(headers['authorization']).toBe('Bearer tok');
    expect(headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]!.body as string)).toMatchObject({ operationName: 'Ping' });
  });

  it('sends no Authorization header on a development node', async () => {
    const seen: RequestInit[] = [];
    const client = createClient({ token: () => null, fetch: fakeFetch(200, { data: {} }, seen) });
    await client.request(PING, {});
    expect((seen[0]!.headers as Record<string, string>)['authorization']).toBeUndefined();
  });

  it('surfaces errors with their extensions.code and logs out on UNAUTHENTICATED', async () => {
    let loggedOut = 0;
    const client = createClient({
      token: () => 'expired',
      onUnauthenticated: () => (loggedOut += 1),
      fetch: fakeFetch(401, {
        errors: [{ message: 'Token expired', extensions: { code: 'UNAUTHENTICATED' } }],
      }),
    });
    const error = await client.request(PING, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect(loggedOut).toBe(1);
    expect(describeError(error)).toBe('Not logged in: Token expired');
  });

  it('gives every failure a code, even without a GraphQL body', () => {
    expect(toRequestError(429, null)?.code).toBe('RATE_LIMITED');
    expect(toRequestError(503, 'oops')?.code).toBe('UNAVAILABLE');
    expect(toRequestError(200, { data: { a: 1 } })).toBeNull();
    expect(
      toRequestError(200, {
        data: null,
        errors: [{ message: 'No', path: ['node'], extensions: { code: 'FORBIDDEN' } }],
      }),
    ).toMatchObject({ code: 'FORBIDDEN', message: 'No' });
  });
});

describe('client routes', () => {
  it('parses and builds every route under /app/', () => {
    const routes = [
      { name: 'search', query: '186-0000-0000' },
      { name: 'explore', focus: 'UGhvbmU6Kzg2' },
      { name: 'network', id: 'nw-954b1b38cd514202' },
      { name: 'case', id: 'Q2FzZTpDQVNF' },
    ] as const;
    for (const r of routes) {
      const url = new URL(hrefOf(r), 'http://x');
      expect(parseRoute(url.pathname, url.search)).toEqual(r);
    }
    expect(parseRoute('/app/', '')).toEqual({ name: 'search', query: '' });
    expect(parseRoute('/app/nowhere/x/y', '')).toEqual({
      name: 'not-found',
      path: '/app/nowhere/x/y',
    });
  });
});

describe('session and formats', () => {
  it('accepts a pasted token with a Bearer prefix and reads its labels', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'ana', role: 'analyst', exp: 1 })).toString(
      'base64url',
    );
    expect(cleanToken(`  Bearer h.${payload}.s \n`)).toBe(`h.${payload}.s`);
    expect(tokenClaims(`h.${payload}.s`)).toEqual({ sub: 'ana', role: 'analyst', exp: 1 });
    expect(tokenClaims('garbage')).toEqual({});
  });

  it('reads rates written as fractions or percentages', () => {
    expect(parseRate('30%')).toBeCloseTo(0.3);
    expect(parseRate('0.5')).toBe(0.5);
    expect(parseRate('50')).toBe(0.5);
    expect(parseRate('x')).toBeNaN();
  });

  it('keeps the server’s exact damages figures and reads its parameters', () => {
    const d = damagesOf({
      parameters: { profitRate: '0.3', ipContributionRate: '0.5', punitiveMultiplier: '2' },
      lines: [
        {
          currency: 'CNY',
          listings: 6,
          unitsSold: 28459,
          grossSales: '1018281.46',
          profit: '305484.44',
          ipShare: '152742.22',
          damages: '305484.44',
        },
      ],
      rounding: 'half-up',
    });
    expect(d?.params).toEqual({ profitRate: 0.3, ipContribution: 0.5, punitiveMultiplier: 2 });
    expect(d?.lines[0]?.damages).toBe('305484.44');
    expect(damagesOf(null)).toBeNull();
  });
});

describe('the explored graph', () => {
  const phone = { __typename: 'Phone', id: 'P', display: '+86 186 0000 0000' };
  const seller = (id: string) => ({
    __typename: 'Seller',
    id,
    accountId: id,
    displayName: `Shop ${id}`,
    sellerPlatform: 'jd',
  });

  it('turns one hop of links into nodes and edges, flagged truncated past the page', () => {
    const exp = expansionFromLinks(
      {
        node: {
          ...phone,
          links: {
            totalCount: 3,
            edges: ['S1', 'S2'].map((id) => ({
              node: {
                type: 'USES_PHONE',
                direction: 'IN' as const,
                confidence: 1,
                node: { ...seller(id), degree: { totalCount: 9 } },
              },
            })),
          },
        },
      },
      2,
    );
    expect(exp.truncated).toBe(true);
    expect(exp.edges.map((e) => [e.source, e.target])).toEqual([
      ['S1', 'P'],
      ['S2', 'P'],
    ]);
    expect(exp.nodes.find((n) => n.id === 'P')).toMatchObject({
      identifierKind: 'PHONE',
      degree: 3,
    });
    expect(labelOf(seller('S1'))).toBe('Shop S1 (jd:S1)');
  });

  it('merges expansions, hides filtered identifier kinds and sizes hubs by degree', () => {
    const g = new GraphState();
    g.merge(
      {
        nodes: [
          { id: 'P', typename: 'Phone', label: 'p', identifierKind: 'PHONE', degree: 40 },
          { id: 'S1', typename: 'Seller', label: 's1' },
        ],
        edges: [{ id: 'e1', source: 'S1', target: 'P', type: 'USES_PHONE' }],
        truncated: false,
      },
      'P',
    );
    g.merge({
      nodes: [{ id: 'S1', typename: 'Seller', label: 's1', degree: 2 }],
      edges: [],
      truncated: false,
    });
    expect(g.degreeOf('P')).toBe(40);
    expect(g.degreeOf('S1')).toBe(2);
    expect(g.expanded.has('P')).toBe(true);
    const visible = g.visible(new Set(['PHONE']));
    expect(visible.nodes.map((n) => n.id)).toEqual(['S1']);
    expect(visible.edges).toEqual([]);
    expect(nodeSize(40)).toBeGreaterThan(nodeSize(2));
    expect(nodeSize(1_000_000)).toBeLessThanOrEqual(78);
  });
});
