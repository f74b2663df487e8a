// Brand A's seller and brand B's seller share a phone, written differently by each analyst. Both
// brands tokenize through the association (OPRF over HTTP), share bundles through the federation
// outbox, and both analysts see a cross-brand match — while neither node ever receives the other's
// seller, phone or anything else raw (checked on the wire, in each graph and in GraphQL answers).
import { compactDecrypt, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlAs } from '../support/auth.js';
import { startPrivacyCluster, type Cluster, type ClusterNode } from '../support/privacy-cluster.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const SECRETS = {
  a: [
    'shopA-7731',
    'Shenzhen Bright Battery Store',
    '138 0013 8000',
    'brightcells@qq.com',
    'brightcells',
  ],
  b: [
    'tb-luckystar-99',
    'Lucky Star Power Trading Co',
    '+86 138-0013-8000',
    'lucky.star@163.com',
    'luckystar',
  ],
};

const observation = (
  platform: string,
  accountId: string,
  displayName: string,
  phone: string,
  email: string,
  url: string,
) => ({
  source: 'analyst',
  observedAt: '2026-03-02T08:00:00Z',
  region: 'CN',
  platform,
  seller: { accountId, displayName },
  listing: {
    url,
    title: 'Fake batteries 18650',
    product: { sku: 'BAT-18650', name: 'Cell 18650', category: 'batteries' },
  },
  identifiers: [
    { kind: 'PHONE', value: phone },
    { kind: 'EMAIL', value: email },
  ],
});

const MATCHES = /* GraphQL */ `
  query {
    crossBrandMatches(first: 10) {
      totalCount
      edges {
        node {
          kind
          brandCount
          disclosedBrands
          categories
          platforms
          firstSeen
          identifier {
            key
          }
        }
      }
    }
  }
`;

async function ingest(n: ClusterNode, record: ReturnType<typeof observation>) {
  const r = await gqlAs(
    n.node,
    'analyst',
    `mutation($r: [ListingObservationInput!]!) { recordListingObservations(records: $r) { ok } }`,
    { r: [record] },
  );
  expect(r.body.errors).toBeUndefined();
  expect(r.body.data.recordListingObservations.ok).toBe(true);
}

async function allGraphText(n: ClusterNode): Promise<string> {
  const res = await n.node.db.driver.executeQuery('MATCH (x) RETURN properties(x) AS p');
  return JSON.stringify(res.records.map((r) => r.get('p') as unknown));
}

describe('cross-brand matches between two brands and an association', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    // B lets A's analysts see its name; A names itself to nobody.
    cluster = await startPrivacyCluster({ b: { PALISADE_SHARE_DISCLOSE_IDENTITY_TO: 'brand-a' } });
    const { a, b } = cluster;
    await ingest(
      a,
      observation(
        'jd',
        SECRETS.a[0]!,
        SECRETS.a[1]!,
        SECRETS.a[2]!,
        SECRETS.a[3]!,
        'https://item.jd.com/10001.html',
      ),
    );
    await ingest(
      b,
      observation(
        'taobao',
        SECRETS.b[0]!,
        SECRETS.b[1]!,
        SECRETS.b[2]!,
        SECRETS.b[3]!,
        'https://item.taobao.com/item.htm?id=555',
      ),
    );
  }, 240_000);
  afterAll(async () => cluster?.stop(), 60_000);

  it('both analysts see the match; neither node learns the other’s seller', async () => {
    const { a, b, c } = cluster;
    const shareA = await a.node.privacy.share();
    const shareB = await b.node.privacy.share();
    expect(shareA.keyId).toBe(shareB.keyId);
    expect(shareA.items).toBe(2);

    // Wait for delivery and matching on both sides.
    let aSees: { body: { data?: any } } | undefined;
    let bSees: { body: { data?: any } } | undefined;
    for (let i = 0; i < 200; i++) {
      aSees = await gqlAs(a.node, 'analyst', MATCHES);
      bSees = await gqlAs(b.node, 'analyst', MATCHES);
      if (
        aSees.body.data?.crossBrandMatches.totalCount >= 1 &&
        bSees.body.data?.crossBrandMatches.totalCount >= 1
      )
        break;
      await sleep(150);
    }
    const mA = aSees!.body.data.crossBrandMatches;
    const mB = bSees!.body.data.crossBrandMatches;
    expect(mA.totalCount).toBe(1);
    expect(mB.totalCount).toBe(1);
    expect(mA.edges[0].node).toMatchObject({
      kind: 'PHONE',
      brandCount: 1,
      categories: ['batteries'],
      platforms: ['taobao'],
      firstSeen: '2026-03-02',
      // The analyst's own identifier, normalized.
      identifier: { key: '+8613800138000' },
      // B chose to name itself to A …
      disclosedBrands: ['Brand B'],
    });
    // … while A named itself to nobody.
    expect(mB.edges[0].node).toMatchObject({
      brandCount: 1,
      disclosedBrands: [],
      platforms: ['jd'],
    });

    // The match shows on the seller too.
    const seller = await gqlAs(
      a.node,
      'analyst',
      `{ crossBrandMatches(first: 5, kinds: [PHONE]) { edges { node { id } } } }`,
    );
    expect(seller.body.data.crossBrandMatches.edges).toHaveLength(1);

    // Neither graph holds the other brand's seller, names, URLs or raw values …
    const textA = await allGraphText(a);
    const textB = await allGraphText(b);
    const textC = await allGraphText(c);
    // (The phone itself is both brands' own data, each in its own spelling.)
    const own = (list: string[]) => list.filter((_, i) => i !== 2);
    for (const s of [...own(SECRETS.b), 'taobao.com/item']) expect(textA).not.toContain(s);
    for (const s of [...own(SECRETS.a), 'jd.com/10001']) expect(textB).not.toContain(s);
    expect(textA).not.toContain(SECRETS.b[2]);
    // … nor does the association, and it never saw a phone number, even normalized.
    for (const s of [...SECRETS.a, ...SECRETS.b, '8613800138000', '13800138000']) {
      expect(textC).not.toContain(s);
    }
    // … nor any GraphQL answer the analysts got.
    expect(JSON.stringify(mA)).not.toContain(SECRETS.b[0]);
    expect(JSON.stringify(mB)).not.toContain(SECRETS.a[0]);

    // On the wire: every envelope into each node, opened with that node's key, and every OPRF
    // request to the association carry no raw value (only tokens and blinded points).
    const rawAll = [
      ...SECRETS.a,
      ...SECRETS.b,
      '8613800138000',
      '13800138000',
      'qq.com',
      '163.com',
    ];
    for (const n of [a, b, c]) {
      const keys = await n.node.federation.keys.current();
      const key = await importJWK(keys.current.encryption, 'ECDH-ES+A256KW');
      const envelopes = n.captured.filter((x) => x.path === '/federation/inbox');
      for (const env of envelopes) {
        const { plaintext } = await compactDecrypt(env.body, key);
        const claims = Buffer.from(
          new TextDecoder().decode(plaintext).split('.')[1]!,
          'base64url',
        ).toString('utf8');
        for (const s of rawAll) expect(claims.toLowerCase()).not.toContain(s.toLowerCase());
      }
      for (const req of n.captured) {
        for (const s of rawAll) expect(req.body.toLowerCase()).not.toContain(s.toLowerCase());
      }
    }
    expect(c.captured.some((x) => x.path === '/privacy/oprf/evaluate')).toBe(true);
    expect(b.captured.filter((x) => x.path === '/federation/inbox').length).toBeGreaterThanOrEqual(
      1,
    );

    // Each value was evaluated once per key: sharing again evaluates nothing new.
    const before = c.captured.filter((x) => x.path === '/privacy/oprf/evaluate').length;
    await a.node.privacy.share();
    const after = c.captured.filter((x) => x.path === '/privacy/oprf/evaluate').length;
    expect(after).toBe(before);
  }, 120_000);

  it('a partner asks which tokens are known and gets coarse context only; PSI finds the shared phone', async () => {
    const { a, b } = cluster;
    const [own] = await a.node.privacy.store
      .shareRows((await a.node.privacy.tokenizeAll()).keyId, { offset: 0, limit: 10 })
      .then((rows) => rows.filter((r) => r.kind === 'phone'));
    const { signRequestToken } = await import('../../src/federation/envelope.js');
    const token = await signRequestToken({
      issuerId: 'brand-a',
      signingKey: await a.node.federation.keys.signingKey(),
      audienceId: 'brand-b',
    });
    const res = await fetch(`${b.publicUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `query($t: [String!]!) { indicatorsKnown(tokens: $t) { asked known { kind platforms categories listings firstSeen } } }`,
        variables: { t: [own!.token, `${own!.token.split('.')[0]}.${'A'.repeat(85)}w`] },
      }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data.indicatorsKnown).toEqual({
      asked: 2,
      known: [
        {
          kind: 'PHONE',
          platforms: ['taobao'],
          categories: ['batteries'],
          listings: 1,
          firstSeen: '2026-03-02',
        },
      ],
    });

    const psi = await a.node.privacy.psi('brand-b', ['phone', 'email']);
    expect(psi.shared).toEqual([{ kind: 'phone', key: '+8613800138000' }]);
    expect(psi.theirSize).toBe(2);
  }, 60_000);
});
