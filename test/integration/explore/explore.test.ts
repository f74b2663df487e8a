// The analyst's exploration API through GraphQL on a real Neo4j: exact lookup in any format,
// search, bounded expansion (a 50 000-seller hub included), why-linked paths, networks from the
// ingest hook, a case's damages to the cent, its timeline, customs recordations and seizures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../../src/main.js';
import { gqlAs } from '../../support/auth.js';
import { testConfig, testLogger, wipe, workerUri } from '../../support/test-graph.js';

let node: RunningNode;
const gql = async (query: string, variables: Record<string, unknown> = {}) => {
  const { body } = await gqlAs(node, 'analyst', query, variables);
  return body;
};
const ok = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
  const body = await gql(query, variables);
  expect(body.errors).toBeUndefined();
  return body.data as unknown;
};
const sellerId = (platform: string, account: string) =>
  Buffer.from(`Seller:${platform}:${account}`).toString('base64url');
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const listing = (
  account: string,
  l: { id: string; price?: number; currency?: string; units?: number },
  identifiers: Array<Record<string, string>> = [],
) => ({
  source: 'test-purchase',
  observedAt: '2026-03-01T00:00:00Z',
  platform: 'jd',
  seller: { accountId: account, displayName: `Volt Power ${account}` },
  listing: {
    url: `https://item.jd.com/${l.id}.html`,
    title: `Genuine AA batteries ${l.id}`,
    ...(l.price !== undefined && { price: l.price }),
    ...(l.currency !== undefined && { currency: l.currency }),
    ...(l.units !== undefined && { unitsSold: l.units }),
  },
  identifiers,
});

beforeAll(async () => {
  node = await startNode(testConfig(workerUri()), { listen: false, logger: testLogger() });
  await wipe(node.db);
  const recorded = await ok(
    `mutation($records: [ListingObservationInput!]!) { recordListingObservations(records: $records) { ok } }`,
    {
      records: [
        listing('s1', { id: '101', price: 47.57, currency: 'CNY', units: 1234 }, [
          { kind: 'PHONE', value: '+86 138-0013-8000' },
        ]),
        listing('s2', { id: '102', price: 19.99, currency: 'CNY', units: 999 }, [
          { kind: 'PHONE', value: '138 0013 8000' },
          { kind: 'EMAIL', value: 'volt.power@qq.com' },
        ]),
        listing('s3', { id: '103', price: 9.99, currency: 'USD', units: 10 }, [
          { kind: 'EMAIL', value: 'VOLT.POWER@qq.com' },
        ]),
        listing('s4', { id: '104', price: 5, currency: 'CNY' }),
      ],
    },
  );
  expect(recorded.recordListingObservations.ok).toBe(true);
  const mark = { jurisdiction: 'CN', registrationNumber: '1234567', class: 9 };
  await ok(
    `mutation($t: [TrademarkRecordInput!]!, $c: [CaseRecordInput!]!) {
       recordTrademarks(records: $t) { ok }
       recordCases(records: $c) { ok }
     }`,
    {
      t: [
        {
          source: 'customs-table',
          observedAt: '2026-01-01T00:00:00Z',
          mark: 'VOLTMAX',
          ...mark,
          recordation: { number: 'T2020-12345', validFrom: '2020-01-01', validUntil: day(20) },
        },
      ],
      c: [
        {
          source: 'legal',
          observedAt: '2026-03-05T00:00:00Z',
          caseId: 'case-volt',
          title: 'Volt Power counterfeit batteries',
          openedOn: '2026-03-02',
          entities: ['s1', 's2', 's3', 's4'].map((key) => ({
            kind: 'SELLER',
            platform: 'jd',
            key,
          })),
          actions: [
            {
              actionId: 'seizure-1',
              kind: 'SEIZURE',
              date: '2026-03-04',
              itemsSeized: 2_000_000,
              itemsSeizedAtLeast: true,
              trademarks: [mark],
              targets: [{ kind: 'SELLER', platform: 'jd', key: 's1' }],
            },
          ],
        },
      ],
    },
  );
});
afterAll(async () => node?.stop());

describe('finding things', () => {
  it('finds the E.164 phone node from "138-0013-8000" typed any way', async () => {
    const data = await ok(
      `{ identifierLookup(value: "138-0013-8000", kind: PHONE) { id kind key rawVariants } }`,
    );
    expect(data.identifierLookup).toHaveLength(1);
    expect(data.identifierLookup[0]).toMatchObject({ kind: 'PHONE', key: '+8613800138000' });
    const anyKind = await ok(`{ identifierLookup(value: "0086 13800138000") { key } }`);
    expect(anyKind.identifierLookup.map((i: { key: string }) => i.key)).toContain('+8613800138000');
  });

  it('searches names, titles and identifier text with kind and platform filters', async () => {
    const data = await ok(
      `{ search(query: "volt power", kinds: [SELLER], platform: "jd", first: 2) {
           totalCount pageInfo { hasNextPage endCursor }
           edges { node { score node { __typename id ... on Seller { accountId } } } } } }`,
    );
    expect(data.search.totalCount).toBe(4);
    expect(data.search.edges).toHaveLength(2);
    expect(data.search.pageInfo.hasNextPage).toBe(true);
    expect(data.search.edges[0].node.node.__typename).toBe('Seller');
    const listings = await ok(
      `{ search(query: "batteries 103", kinds: [LISTING]) { totalCount } }`,
    );
    expect(listings.search.totalCount).toBeGreaterThanOrEqual(1);
    const bad = await gql(`{ search(query: "   ") { totalCount } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.extensions?.argument).toBe('query');
  });
});

describe('networks from the ingest hook', () => {
  it('puts the three sellers sharing a phone and an e-mail into one network, and not the fourth', async () => {
    const data = await ok(
      `query($id: ID!, $other: ID!) {
         networkOf(id: $id) { id networkId size sellerCount platforms
           members(types: [SELLER]) { totalCount }
           risk { score reasons { code weight } }
           cases { id } enforcementActions { kind }
           topHubs(first: 3) { sellers reach node { __typename } } }
         other: networkOf(id: $other) { id } }`,
      { id: sellerId('jd', 's1'), other: sellerId('jd', 's4') },
    );
    const n = data.networkOf;
    expect(n.sellerCount).toBe(3);
    expect(n.members.totalCount).toBe(3);
    expect(data.other).toBeNull();
    expect(n.platforms).toEqual(['jd']);
    expect(n.enforcementActions).toEqual([{ kind: 'SEIZURE' }]);
    expect(n.topHubs[0]).toMatchObject({ sellers: 2, node: { __typename: expect.any(String) } });
    const codes = n.risk.reasons.map((r: { code: string }) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['SIZE', 'ENFORCEMENT_HISTORY', 'CASES']));
    const byNode = await ok(`query($id: ID!) { node(id: $id) { ... on Network { networkId } } }`, {
      id: n.id,
    });
    expect(byNode.node.networkId).toBe(n.networkId);
    const list = await ok(`{ networks(first: 5) { totalCount edges { node { networkId } } } }`);
    expect(list.networks.totalCount).toBe(1);
  });

  it('explains why two sellers are linked, hop by hop', async () => {
    const data = await ok(
      `query($a: ID!, $b: ID!) { linkPaths(from: $a, to: $b, maxLength: 4, types: [USES_PHONE, USES_EMAIL]) { length
         hops { type direction from { __typename } to { __typename } } } }`,
      { a: sellerId('jd', 's1'), b: sellerId('jd', 's3') },
    );
    expect(data.linkPaths[0].length).toBe(4);
    expect(data.linkPaths[0].hops.map((h: { type: string }) => h.type)).toEqual([
      'USES_PHONE',
      'USES_PHONE',
      'USES_EMAIL',
      'USES_EMAIL',
    ]);
    expect(data.linkPaths[0].hops[0]).toMatchObject({
      direction: 'FORWARD',
      from: { __typename: 'Seller' },
      to: { __typename: 'Phone' },
    });
    const short = await ok(
      `query($a: ID!, $b: ID!) { linkPaths(from: $a, to: $b, maxLength: 3, types: [USES_PHONE, USES_EMAIL]) { length } }`,
      { a: sellerId('jd', 's1'), b: sellerId('jd', 's3') },
    );
    expect(short.linkPaths).toEqual([]);
    // Through every link type they are closer: both are in one case and on one platform.
    const any = await ok(
      `query($a: ID!, $b: ID!) { linkPaths(from: $a, to: $b) { length hops { type } } }`,
      { a: sellerId('jd', 's1'), b: sellerId('jd', 's3') },
    );
    expect(any.linkPaths[0].length).toBe(2);
    expect(
      any.linkPaths.map((p: { hops: Array<{ type: string }> }) => p.hops[0]!.type).sort(),
    ).toEqual(['ON_PLATFORM', 'PART_OF_CASE']);
  });
});

describe('expanding a neighbourhood', () => {
  it('returns nodes and edges ready to draw, only through the chosen identifier kinds', async () => {
    const data = await ok(
      `query($id: ID!) { expand(id: $id, depth: 2, identifierKinds: [PHONE], types: [USES_PHONE, USES_EMAIL]) {
         truncated budget nodes { depth degree hub node { id __typename } } edges { type source target } } }`,
      { id: sellerId('jd', 's1') },
    );
    const e = data.expand;
    expect(e.truncated).toBe(false);
    expect(e.nodes.map((n: { node: { __typename: string } }) => n.node.__typename).sort()).toEqual([
      'Phone',
      'Seller',
      'Seller',
    ]);
    const ids = new Set(e.nodes.map((n: { node: { id: string } }) => n.node.id));
    for (const edge of e.edges) {
      expect(ids.has(edge.source) && ids.has(edge.target)).toBe(true);
    }
    expect(e.edges).toHaveLength(2);
  });

  it('gives each drawn node the fields node(id) gives it', async () => {
    const fields = `__typename id firstSeen lastSeen
      ... on Seller { accountId displayName platformCode sources }
      ... on Identifier { kind display normalized }`;
    const data = await ok(
      `query($id: ID!) { expand(id: $id, depth: 2, types: [USES_PHONE]) {
         nodes { node { ${fields} } } } }`,
      { id: sellerId('jd', 's1') },
    );
    const drawn = data.expand.nodes.map((n: { node: { id: string } }) => n.node);
    expect(drawn.length).toBeGreaterThan(1);
    for (const node of drawn) {
      const alone = await ok(
        `query($id: ID!) { node(id: $id) { ... on GraphNode { ${fields} } } }`,
        {
          id: node.id,
        },
      );
      expect(node).toEqual(alone.node);
    }
  });

  it('expands a 50 000-seller hub within the budget, quickly, and says it was truncated', async () => {
    await node.db.runSchemaStatement(
      `MERGE (a:Identifier:Address {kind: 'address', key: 'hub warehouse 1'})
         ON CREATE SET a.display = 'Hub warehouse 1', a.normalized = true, a.sources = ['t'], a.rawVariants = []`,
    );
    await node.db.runSchemaStatement(
      `UNWIND range(1, 50000) AS i
       CALL (i) {
         MATCH (a:Address {key: 'hub warehouse 1'})
         CREATE (s:Entity:Seller {uid: 'Seller:hub:' + i, platform: 'hub', accountId: toString(i), sources: ['t']})
         CREATE (s)-[:RETURNS_TO {source: 't'}]->(a)
       } IN TRANSACTIONS OF 5000 ROWS`,
    );
    const hubId = Buffer.from('Address:hub warehouse 1').toString('base64url');
    const expandHub = `query($id: ID!) { expand(id: $id, depth: 3, budget: 150) { truncated } }`;
    await ok(expandHub, { id: hubId }); // plans the statement once
    const started = Date.now();
    const data = await ok(
      `query($id: ID!) { expand(id: $id, depth: 3, budget: 150) { truncated budget nodes { depth } edges { id } } }`,
      { id: hubId },
    );
    const ms = Date.now() - started;
    expect(data.expand.truncated).toBe(true);
    expect(data.expand.nodes.length).toBeLessThanOrEqual(150);
    expect(data.expand.nodes.length).toBeGreaterThan(100);
    expect(ms).toBeLessThan(3000);
    // From one of its sellers the hub is drawn but not expanded.
    const fromSeller = await ok(
      `query($id: ID!) { expand(id: $id, depth: 4, budget: 100) { truncated nodes { hub degree } } }`,
      { id: sellerId('hub', '7') },
    );
    expect(fromSeller.expand.nodes).toContainEqual({ hub: true, degree: 50000 });
    expect(fromSeller.expand.nodes.length).toBeLessThan(5);
  }, 240_000);

  it('refuses a budget past the maximum, naming the argument', async () => {
    const body = await gql(`query($id: ID!) { expand(id: $id, budget: 5000) { truncated } }`, {
      id: sellerId('jd', 's1'),
    });
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'budget',
    });
  });
});

describe('a case', () => {
  const caseId = Buffer.from('Case:case-volt').toString('base64url');

  it('computes the damages to the cent, one line per currency, with its inputs', async () => {
    const data = await ok(
      `query($id: ID!) { caseDamages(caseId: $id) {
         parameters { profitRate ipContributionRate punitiveMultiplier }
         lines { currency listings unitsSold grossSales profit ipShare damages damagesMinorUnits }
         listings { unitsSold price currency sales included reason } rounding } }`,
      { id: caseId },
    );
    const d = data.caseDamages;
    expect(d.parameters).toEqual({
      profitRate: '0.3',
      ipContributionRate: '0.5',
      punitiveMultiplier: '2',
    });
    // By hand: 1234 × 47.57 = 58 701.38; 999 × 19.99 = 19 970.01; sum 78 671.39;
    // × 0.3 = 23 601.417; × 0.5 = 11 800.7085; × 2 = 23 601.417 → 23 601.42 (half-up).
    // USD: 10 × 9.99 = 99.90; × 0.3 = 29.97; × 0.5 = 14.985; × 2 = 29.97.
    expect(d.lines).toEqual([
      {
        currency: 'CNY',
        listings: 2,
        unitsSold: 2233,
        grossSales: '78671.39',
        profit: '23601.42',
        ipShare: '11800.71',
        damages: '23601.42',
        damagesMinorUnits: '2360142',
      },
      {
        currency: 'USD',
        listings: 1,
        unitsSold: 10,
        grossSales: '99.90',
        profit: '29.97',
        ipShare: '14.99',
        damages: '29.97',
        damagesMinorUnits: '2997',
      },
    ]);
    expect(d.listings).toContainEqual({
      unitsSold: null,
      price: '5',
      currency: 'CNY',
      sales: null,
      included: false,
      reason: 'no units sold recorded',
    });
    const custom = await ok(
      `query($id: ID!) { caseDamages(caseId: $id, parameters: { profitRate: 0.25, punitiveMultiplier: 3 }) { lines { currency damages } } }`,
      { id: caseId },
    );
    // 78 671.39 × 0.25 × 0.5 × 3 = 29 501.77125 → 29 501.77.
    expect(custom.caseDamages.lines[0]).toEqual({ currency: 'CNY', damages: '29501.77' });
    const bad = await gql(
      `query($id: ID!) { caseDamages(caseId: $id, parameters: { ipContributionRate: 1.5 }) { rounding } }`,
      { id: caseId },
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'ipContributionRate',
    });
  });

  it('lays out its entities, evidence and enforcement actions on a timeline', async () => {
    const data = await ok(
      `query($id: ID!) { node(id: $id) { ... on Case { entities { __typename }
         timeline { kind at node { __typename } } } } }`,
      { id: caseId },
    );
    expect(data.node.entities).toHaveLength(4);
    const kinds = data.node.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds[0]).toBe('ENTITY_FIRST_SEEN');
    expect(kinds).toContain('CASE_OPENED');
    expect(kinds[kinds.length - 1]).toBe('ENFORCEMENT_ACTION');
  });
});

describe('customs', () => {
  it('lists recordations expiring soon and seizures with the marks they infringe', async () => {
    const data = await ok(
      `{ soon: expiringRecordations(withinDays: 30) { totalCount edges { node { recordation { number } trademarks { mark } } } }
         later: expiringRecordations(withinDays: 5) { totalCount }
         trademarks(mark: "volt") { totalCount edges { node { mark customsRecordationNumber } } }
         seizures { totalCount edges { node { action { kind itemsSeized } trademarks { mark } } } } }`,
    );
    expect(data.soon.totalCount).toBe(1);
    expect(data.soon.edges[0].node).toEqual({
      recordation: { number: 'T2020-12345' },
      trademarks: [{ mark: 'VOLTMAX' }],
    });
    expect(data.later.totalCount).toBe(0);
    expect(data.trademarks.edges[0].node).toEqual({
      mark: 'VOLTMAX',
      customsRecordationNumber: 'T2020-12345',
    });
    expect(data.seizures.edges[0].node).toEqual({
      action: { kind: 'SEIZURE', itemsSeized: 2000000 },
      trademarks: [{ mark: 'VOLTMAX' }],
    });
  });
});
