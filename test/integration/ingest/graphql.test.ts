// The ingest mutations over GraphQL: the seed's criminal case and customs recordation table go in
// through typed inputs and come back out through node(id); results carry created/merged counts
// and per-record errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../../src/main.js';
import { gqlAs } from '../../support/auth.js';
import { testLogger, useTestGraph } from '../../support/test-graph.js';

const graph = useTestGraph();
let node: RunningNode;
beforeAll(async () => {
  node = await startNode(graph.config(), { listen: false, logger: testLogger() });
});
afterAll(async () => node?.stop());

const RESULT = `ok summary { records accepted rejected nodesCreated nodesMerged relationshipsCreated relationshipsMerged unnormalizedIdentifiers }
  results { index ok id error { code message path } nodesCreated nodesMerged relationshipsCreated relationshipsMerged
    unnormalizedIdentifiers { path kind reason id } }`;

// The seed's customs recordation table: mark, registration number, class, recordation number, validity.
const RECORDATION_TABLE = [
  ['VOLTMAX', '1234567', 9, 'T2019-12345', '2019-06-01', '2029-05-31'],
  ['VOLTMAX', '7654321', 11, 'T2020-23456', '2020-03-15', '2030-03-14'],
  ['伏特麦', '8888888', 9, 'T2021-34567', '2021-01-10', '2031-01-09'],
] as const;

describe('recording a criminal case and a customs recordation table over GraphQL', () => {
  it('stores the recordation table and reads each row back from its trademark', async () => {
    const records = RECORDATION_TABLE.map(([mark, reg, cls, rec, from, until]) => ({
      source: 'customs-recordation-table-2026',
      observedAt: '2026-01-15T00:00:00Z',
      mark,
      registrationNumber: reg,
      class: cls,
      jurisdiction: 'CN',
      owner: 'Voltmax Battery Co., Ltd.',
      validFrom: '2016-01-01',
      validUntil: '2035-12-31',
      recordation: {
        number: rec,
        authority: 'General Administration of Customs of China',
        validFrom: from,
        validUntil: until,
      },
    }));
    const { body } = await gqlAs(
      node,
      'analyst',
      `mutation($records: [TrademarkRecordInput!]!) { recordTrademarks(records: $records) { ${RESULT} } }`,
      { records },
    );
    expect(body.errors).toBeUndefined();
    const result = body.data.recordTrademarks;
    expect(result.ok).toBe(true);
    expect(result.summary).toMatchObject({
      records: 3,
      accepted: 3,
      nodesCreated: 6,
      relationshipsCreated: 3,
    });

    for (const [i, [mark, reg, cls, rec, from, until]] of RECORDATION_TABLE.entries()) {
      const { body: read } = await gqlAs(
        node,
        'viewer',
        `query($id: ID!) { node(id: $id) { ... on Trademark { mark registrationNumber class jurisdiction
          validFrom validUntil customsRecordationNumber recordationValidFrom recordationValidUntil
          recordations { number authority validFrom validUntil } sources firstSeen } } }`,
        { id: result.results[i].id },
      );
      expect(read.errors).toBeUndefined();
      expect(read.data.node).toMatchObject({
        mark,
        registrationNumber: reg,
        class: cls,
        jurisdiction: 'CN',
        validFrom: '2016-01-01',
        validUntil: '2035-12-31',
        customsRecordationNumber: rec,
        recordationValidFrom: from,
        recordationValidUntil: until,
        sources: ['customs-recordation-table-2026'],
      });
      expect(read.data.node.firstSeen).toMatch(/^2026-01-15T00:00/);
    }
  });

  it('stores the seed criminal case (2M+ batteries seized, 16 suspects, ¥300M, several cities) and reads it back', async () => {
    const criminalCase = {
      source: 'legal-department',
      observedAt: '2026-02-01T00:00:00Z',
      caseId: 'CN-PSB-2025-0042',
      title: 'Counterfeit VOLTMAX batteries, multi-city ring',
      status: 'CLOSED',
      jurisdiction: 'CN',
      openedOn: '2025-03-01',
      closedOn: '2025-11-20',
      summary: 'Factories in several cities made and sold counterfeit batteries bearing the mark.',
      entities: [
        { kind: 'FACTORY', key: 'factory-dongguan-1' },
        { kind: 'SELLER', platform: 'jd', key: '998877' },
      ],
      evidence: [
        {
          evidenceId: 'ev-tp-001',
          kind: 'TEST_PURCHASE',
          title: 'Notarized test purchase on JD',
          capturedAt: '2025-02-20T10:00:00+08:00',
          sha256: 'a'.repeat(64),
          notarized: true,
          concerns: [{ kind: 'SELLER', platform: 'jd', key: '998877' }],
        },
      ],
      actions: [
        {
          actionId: 'CN-PSB-2025-0042/criminal',
          kind: 'CRIMINAL_CASE',
          date: '2025-06-18',
          jurisdiction: 'CN',
          authority: 'Public Security Bureau',
          locations: ['Shenzhen', 'Dongguan', 'Guangzhou', 'Shantou'],
          itemsSeized: 2_000_000,
          itemsSeizedAtLeast: true,
          seizedGoods: 'counterfeit VOLTMAX batteries',
          suspects: 16,
          arrests: 16,
          amount: 300_000_000,
          currency: 'CNY',
          amountBasis: 'case value',
          outcome: 'referred for prosecution',
          targets: [{ kind: 'FACTORY', key: 'factory-dongguan-1' }],
          trademarks: [{ jurisdiction: 'CN', registrationNumber: '1234567', class: 9 }],
        },
      ],
    };
    const mutation = `mutation($records: [CaseRecordInput!]!) { recordCases(records: $records) { ${RESULT} } }`;
    const { body } = await gqlAs(node, 'analyst', mutation, { records: [criminalCase] });
    expect(body.errors).toBeUndefined();
    const first = body.data.recordCases;
    expect(first.ok).toBe(true);
    expect(first.results[0].nodesCreated).toBeGreaterThan(0);

    const { body: read } = await gqlAs(
      node,
      'viewer',
      `query($id: ID!) { node(id: $id) { ... on Case { key title status openedOn closedOn
        evidence { key kind notarized sha256 capturedAt }
        enforcementActions { kind date authority locations itemsSeized itemsSeizedAtLeast seizedGoods
          suspects arrests amount { amount currency } amountBasis outcome
          links(types: [TARGETED, INVOLVES_MARK], direction: OUT) { totalCount edges { node { type node { __typename ... on Factory { key } ... on Trademark { registrationNumber mark } } } } } } } } }`,
      { id: first.results[0].id },
    );
    expect(read.errors).toBeUndefined();
    const c = read.data.node;
    expect(c).toMatchObject({
      key: 'CN-PSB-2025-0042',
      status: 'CLOSED',
      openedOn: '2025-03-01',
      closedOn: '2025-11-20',
    });
    expect(c.evidence).toEqual([
      expect.objectContaining({ key: 'ev-tp-001', kind: 'TEST_PURCHASE', notarized: true }),
    ]);
    expect(c.evidence[0].capturedAt).toMatch(/^2025-02-20T02:00/);
    const [action] = c.enforcementActions;
    expect(action).toMatchObject({
      kind: 'CRIMINAL_CASE',
      date: '2025-06-18',
      locations: ['Shenzhen', 'Dongguan', 'Guangzhou', 'Shantou'],
      itemsSeized: 2_000_000,
      itemsSeizedAtLeast: true,
      suspects: 16,
      arrests: 16,
      amount: { amount: 300_000_000, currency: 'CNY' },
      amountBasis: 'case value',
    });
    expect(action.links.totalCount).toBe(2);
    const targets = action.links.edges.map((e: { node: unknown }) => e.node);
    expect(targets).toContainEqual({
      type: 'TARGETED',
      node: { __typename: 'Factory', key: 'factory-dongguan-1' },
    });
    // The mark recorded with customs in the first test is the one the seizure infringed.
    expect(targets).toContainEqual({
      type: 'INVOLVES_MARK',
      node: { __typename: 'Trademark', registrationNumber: '1234567', mark: 'VOLTMAX' },
    });

    // Recording it again merges everything and creates nothing.
    const { body: again } = await gqlAs(node, 'analyst', mutation, { records: [criminalCase] });
    expect(again.data.recordCases.summary).toMatchObject({
      nodesCreated: 0,
      relationshipsCreated: 0,
    });
    expect(again.data.recordCases.summary.nodesMerged).toBe(
      first.summary.nodesCreated + first.summary.nodesMerged,
    );
  });
});

describe('the ingest mutations', () => {
  it('answer created vs merged counts and per-record errors, storing the good records', async () => {
    const good = {
      source: 'douyin-sweep',
      observedAt: '2026-03-03T00:00:00Z',
      platform: 'douyin',
      seller: { accountId: 'dy-gql-1', displayName: '电池批发' },
      storefront: { url: 'https://haohuo.jinritemai.com/views/shop/index?id=dy-gql-1' },
      listing: {
        url: 'https://haohuo.jinritemai.com/views/product/item?id=777',
        title: '正品电池',
        price: 9.9,
        currency: 'CNY',
        unitsSold: 12000,
      },
      identifiers: [
        { kind: 'PHONE', value: '+86 138-0013-8999' },
        { kind: 'MESSAGING_HANDLE', value: 'no-platform-given' },
      ],
    };
    const bad = {
      ...good,
      seller: { accountId: 'dy-gql-2' },
      listing: { ...good.listing, url: 'not a url' },
    };
    const badRegion = { ...good, region: 'China' };
    const { body } = await gqlAs(
      node,
      'analyst',
      `mutation($records: [ListingObservationInput!]!) { recordListingObservations(records: $records) { ${RESULT}
        results { node { __typename ... on Listing { title price { amount currency } unitsSold platformCode } } } } }`,
      { records: [good, bad, badRegion] },
    );
    expect(body.errors).toBeUndefined();
    const r = body.data.recordListingObservations;
    expect(r.ok).toBe(false);
    expect(r.summary).toMatchObject({
      records: 3,
      accepted: 1,
      rejected: 2,
      unnormalizedIdentifiers: 1,
    });
    expect(r.results[0]).toMatchObject({ ok: true, error: null, nodesCreated: 6, nodesMerged: 0 });
    expect(r.results[0].node).toEqual({
      __typename: 'Listing',
      title: '正品电池',
      price: { amount: 9.9, currency: 'CNY' },
      unitsSold: 12000,
      platformCode: 'douyin',
    });
    expect(r.results[0].unnormalizedIdentifiers).toEqual([
      expect.objectContaining({ path: 'identifiers.1', kind: 'MESSAGING_HANDLE' }),
    ]);
    expect(r.results[1]).toMatchObject({
      ok: false,
      id: null,
      error: { code: 'UNUSABLE_KEY', path: 'listing.url' },
    });
    expect(r.results[2]).toMatchObject({ ok: false, error: { code: 'INVALID', path: 'region' } });

    const { body: again } = await gqlAs(
      node,
      'analyst',
      `mutation($records: [ListingObservationInput!]!) { recordListingObservations(records: $records) { ${RESULT} } }`,
      { records: [good] },
    );
    expect(again.data.recordListingObservations.results[0]).toMatchObject({
      ok: true,
      nodesCreated: 0,
      nodesMerged: 6,
      relationshipsCreated: 0,
    });
  });

  it('refuse callers who may not write', async () => {
    const { body } = await gqlAs(node, 'viewer', 'mutation { recordEntities(records: []) { ok } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
