// The privacy domain on a real Neo4j: own tokens are cached on identifier nodes (each value is
// evaluated once per key); re-tokenizing after the association rotates its key replaces them with
// tokens carrying the new key id; peers' bundles arriving through the real inbox become
// pseudonymous indicators of that peer; a received token equal to one of ours is a cross-brand
// match on the entity and its network, naming the sender only when its policy names itself; and
// the partner query answers with coarse context only, within its hourly budget, audited.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealEnvelope } from '../../../src/federation/envelope.js';
import { createFederation, type Federation } from '../../../src/federation/federation.js';
import { toPublicJwk } from '../../../src/federation/jwk-import.js';
import { generateNodeKeys, type NodeKeys } from '../../../src/federation/keys.js';
import { Ingestor, type IncomingRecord } from '../../../src/ingest/ingest.js';
import { IngestStore } from '../../../src/ingest/store.js';
import { NetworkStore } from '../../../src/networks/store.js';
import {
  buildBundles,
  INDICATORS_MESSAGE_TYPE,
  type BundlePayload,
} from '../../../src/privacy/indicators.js';
import { OprfKeySource, rotateOprfSecret } from '../../../src/privacy/oprf-keys.js';
import { createPrivacy, type Privacy } from '../../../src/privacy/privacy.js';
import { parseToken } from '../../../src/privacy/token.js';
import { localEvaluator, Tokenizer, type OprfEvaluator } from '../../../src/privacy/tokenizer.js';
import type { Principal } from '../../../src/server/context.js';
import { networkedIngestor, useTestGraph } from '../../support/test-graph.js';

const graph = useTestGraph();
const dir = mkdtempSync(join(tmpdir(), 'palisade-privacy-int-'));

/** The association in this process, counting every point it evaluates. */
function association() {
  const keys = new OprfKeySource({
    path: join(dir, 'oprf-secret'),
    period: 'month',
    create: true,
    // Sees a rotation at once (the service checks the file every 2 s).
    checkEveryMs: 0,
  });
  const inner = localEvaluator(keys);
  const counted = { points: 0, requests: 0 };
  const evaluator: OprfEvaluator = {
    currentKeyId: () => inner.currentKeyId(),
    async evaluate(blinded) {
      counted.points += blinded.length;
      counted.requests += 1;
      return inner.evaluate(blinded);
    },
  };
  return { keys, evaluator, counted };
}

// What brand A's analysts recorded: two sellers sharing one phone (written differently) form a
// network; a third seller stands alone with a phone marked RED.
const A_PHONE = '138 0013 8000';
const A_SECRETS = [
  'Shenzhen Bright Battery Store',
  'Bright Cells Trading Co., Ltd.',
  'brightcells@qq.com',
  'item.taobao.com/item.htm?id=5550001',
  '13800138000',
];
const listing = (
  account: string,
  name: string,
  url: string,
  identifiers: { kind: string; value: string }[],
  category = 'Batteries',
) => ({
  source: 'analyst',
  observedAt: '2026-03-02T08:00:00Z',
  region: 'CN',
  platform: 'taobao',
  seller: { accountId: account, displayName: name },
  listing: { url, title: 'Fake 18650 cells', product: { sku: `sku-${account}`, category } },
  identifiers,
});
const RECORDS = [
  listing('a-1', A_SECRETS[0]!, `https://${A_SECRETS[3]}`, [
    { kind: 'PHONE', value: A_PHONE },
    { kind: 'EMAIL', value: A_SECRETS[2]! },
  ]),
  listing('a-2', A_SECRETS[1]!, 'https://item.taobao.com/item.htm?id=5550002', [
    { kind: 'PHONE', value: '+86-138-0013-8000' },
  ]),
  listing('a-3', 'Lone Shop', 'https://item.taobao.com/item.htm?id=5550003', [
    { kind: 'PHONE', value: '139 0013 9000' },
  ]),
];
const toRecords = (rows: readonly object[]): IncomingRecord[] =>
  rows.map((value, index) => ({ index, kind: 'listing', value }));

/** A peer brand with its own keys, registered in A's peer registry. */
interface PeerBrand {
  id: string;
  name: string;
  keys: NodeKeys;
}

const partner = (peerId: string): Principal => ({
  subject: peerId,
  role: 'partner',
  peerId,
  via: 'peer',
});

describe('privacy on a real graph', () => {
  const assoc = association();
  let federation: Federation;
  let privacy: Privacy;
  let brandB: PeerBrand;
  let brandC: PeerBrand;
  let networkId: string;

  /** Seals a payload as the peer would and posts it to A's real inbox. */
  async function deliver(from: PeerBrand, payload: BundlePayload): Promise<number> {
    const self = await federation.keys.current();
    const envelope = await sealEnvelope({
      senderId: from.id,
      senderSigningKey: from.keys.signing,
      recipientId: 'brand-a',
      recipientEncryptionPublicJwk: toPublicJwk(self.current.encryption),
      messageType: INDICATORS_MESSAGE_TYPE,
      payload,
      ttlSeconds: 120,
    });
    const inbox = federation.routes.find((r) => r.path === '/federation/inbox')!;
    const res = await inbox.handle(
      new Request('http://brand-a/federation/inbox', {
        method: 'POST',
        headers: { 'content-type': 'application/jose' },
        body: envelope,
      }),
      {},
    );
    return res.status;
  }

  /** A peer's bundle for its own spelling of some phones, tokenized through the association. */
  async function bundleOf(
    phones: string[],
    o: { version: number; discloseIdentity: boolean; part?: number; parts?: number },
  ): Promise<BundlePayload> {
    const { keyId, tokens } = await new Tokenizer(assoc.evaluator).tokenizeRaw(
      phones.map((value) => ({ kind: 'phone', value, region: 'CN' })),
    );
    const [bundle] = buildBundles({
      rows: tokens.map((token) => ({
        kind: 'phone',
        token: token!,
        platforms: ['jd'],
        categories: ['batteries'],
        firstSeen: '2026-02-20T10:00:00Z',
        lastSeen: '2026-03-05T10:00:00Z',
        listings: 4,
        tlp: 'GREEN',
      })),
      keyId,
      version: o.version,
      discloseIdentity: o.discloseIdentity,
      defaultTlp: 'GREEN',
    });
    return { ...bundle!.payload, part: o.part ?? 1, parts: o.parts ?? 1 };
  }

  async function indicatorsOf(peer: string): Promise<{ token: string; version: number }[]> {
    const rows = await graph.db.runSchemaStatement(
      'MATCH (x:PrivacyIndicator {peer: $peer}) RETURN x.token AS token, x.version AS version ORDER BY token',
      { peer },
    );
    return rows.map((r) => ({ token: String(r['token']), version: Number(r['version']) }));
  }

  async function ownTokens(): Promise<{ key: string; token: string }[]> {
    const rows = await graph.db.runSchemaStatement(
      'MATCH (i:Identifier)-[:TOKENIZED_AS]->(t:PrivacyOwnToken) RETURN i.kind + ":" + i.key AS key, t.token AS token ORDER BY key',
    );
    return rows.map((r) => ({ key: String(r['key']), token: String(r['token']) }));
  }

  beforeAll(async () => {
    const config = graph.config({
      PALISADE_NODE_ID: 'brand-a',
      PALISADE_NODE_NAME: 'Brand A',
      PALISADE_PARTNER_QUERY_TOKENS_PER_HOUR: '6',
    });
    federation = await createFederation({ config, db: graph.db, logger: graph.logger });
    privacy = createPrivacy({
      config,
      db: graph.db,
      logger: graph.logger,
      federation,
      principalOf: () => ({ subject: 'anonymous', role: 'anonymous' }),
      evaluator: assoc.evaluator,
    });
    const register = async (id: string, name: string): Promise<PeerBrand> => {
      const keys = await generateNodeKeys();
      await federation.peers.create({
        id,
        name,
        baseUrl: `http://${id}.invalid`,
        inboxUrl: `http://${id}.invalid/federation/inbox`,
        role: 'partner',
        fingerprint: keys.signing.kid,
        signing: toPublicJwk(keys.signing),
        encryption: toPublicJwk(keys.encryption),
        limits: { ratePerSecond: null, burst: null },
        policy: { maxTlp: 'AMBER', audiences: [], transforms: [] },
      });
      return { id, name, keys };
    };
    brandB = await register('brand-b', 'Brand B');
    brandC = await register('brand-c', 'Brand C');

    const { ingestor } = networkedIngestor(graph);
    const { summary } = await ingestor.ingest(toRecords(RECORDS));
    expect(summary.rejected).toBe(0);
    await graph.db.runSchemaStatement(
      "MATCH (i:Identifier {kind: 'phone', key: '+8613900139000'}) SET i.tlp = 'RED'",
    );
    const network = await new NetworkStore(graph.db).of('Seller:taobao:a-1');
    expect(network?.sellers).toBe(2);
    networkId = network!.id;
  });
  afterAll(async () => {
    await privacy?.stop();
    await federation?.stop();
    await assoc.keys.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('evaluates each identifier once per key: a value shared by two sellers once, nothing on a second run or a share', async () => {
    const before = assoc.counted.points;
    const first = await privacy.tokenizeAll();
    // Two phones (one of them used by two sellers, in two spellings) and one email.
    expect(first.tokenized).toBe(3);
    expect(assoc.counted.points - before).toBe(3);
    const tokens = await ownTokens();
    expect(tokens.map((t) => t.key)).toEqual([
      'email:brightcells@qq.com',
      'phone:+8613800138000',
      'phone:+8613900139000',
    ]);
    for (const t of tokens) expect(parseToken(t.token).keyId).toBe(first.keyId);

    expect(await privacy.tokenizeAll()).toEqual({ keyId: first.keyId, tokenized: 0 });
    const shared = await privacy.share({ peerIds: ['brand-b'] });
    // The RED phone stays home.
    expect(shared.items).toBe(2);
    expect(assoc.counted.points - before).toBe(3);

    // A new seller with the known phone and one new value: only the new value is evaluated.
    const ingestor = new Ingestor({
      store: new IngestStore(graph.db),
      logger: graph.logger,
      batchSize: 50,
      defaultRegion: 'CN',
    });
    await ingestor.ingest(
      toRecords([
        listing('a-4', 'Fourth Shop', 'https://item.taobao.com/item.htm?id=5550004', [
          { kind: 'PHONE', value: '(+86) 13800138000' },
          { kind: 'EMAIL', value: 'fourth.shop@163.com' },
        ]),
      ]),
    );
    expect((await privacy.tokenizeAll()).tokenized).toBe(1);
    expect(assoc.counted.points - before).toBe(4);
    // The cache is what a lookup by identifier reads.
    const cached = await privacy.store.ownTokensFor(first.keyId, [
      { kind: 'phone', key: '+8613800138000' },
    ]);
    expect([...cached.values()]).toHaveLength(1);
  });

  it('stores a peer’s bundle as pseudonymous indicators of that peer; a newer version replaces it, an older one is ignored', async () => {
    const v1 = await bundleOf(['+86 138-0013-8000', '13700137000'], {
      version: 100,
      discloseIdentity: false,
    });
    expect(await deliver(brandB, v1)).toBe(200);
    const stored = await indicatorsOf('brand-b');
    expect(stored.map((s) => s.token)).toEqual(v1.items.map((i) => i.token).sort());
    // Only tokens and coarse context are kept: nothing of B's spelling, and B's keys are B's.
    const props = await graph.db.runSchemaStatement(
      'MATCH (x:PrivacyIndicator) RETURN properties(x) AS p',
    );
    const text = JSON.stringify(props.map((r) => r['p']));
    expect(text).not.toContain('13700137000');
    expect(text).not.toContain('138-0013');

    // Version 200 in two parts: the first part drops version 100, the second adds to it.
    const p1 = await bundleOf(['13600136000'], {
      version: 200,
      discloseIdentity: false,
      part: 1,
      parts: 2,
    });
    const p2 = await bundleOf(['13800138000'], {
      version: 200,
      discloseIdentity: false,
      part: 2,
      parts: 2,
    });
    expect(await deliver(brandB, p1)).toBe(200);
    expect(await deliver(brandB, p2)).toBe(200);
    const replaced = await indicatorsOf('brand-b');
    expect(replaced.map((s) => s.token)).toEqual(
      [...p1.items, ...p2.items].map((i) => i.token).sort(),
    );
    expect(new Set(replaced.map((s) => s.version))).toEqual(new Set([200]));

    // A late copy of version 100 is accepted (it arrived) but changes nothing.
    const late = await bundleOf(['13500135000'], { version: 100, discloseIdentity: false });
    expect(await deliver(brandB, late)).toBe(200);
    expect(await indicatorsOf('brand-b')).toEqual(replaced);
  });

  it('a received token equal to one of ours is a cross-brand match on the entity and its network, naming only the brand that names itself', async () => {
    // B (above) names itself to nobody; C lets A see its name.
    const fromC = await bundleOf(['0086 138 0013 8000'], { version: 1, discloseIdentity: true });
    expect(await deliver(brandC, fromC)).toBe(200);

    const onSeller = await privacy.store.matches(
      { uid: 'Seller:taobao:a-2' },
      { offset: 0, limit: 10 },
    );
    expect(onSeller).toHaveLength(1);
    expect(onSeller[0]).toMatchObject({
      kind: 'phone',
      key: '+8613800138000',
      brandCount: 2,
      disclosedBrands: ['Brand C'],
      firstSeen: '2026-02-20',
      lastSeen: '2026-03-05',
      categories: ['batteries'],
      platforms: ['jd'],
      listings: 8,
    });
    expect(onSeller[0]!.identifier).toMatchObject({ key: '+8613800138000' });

    const inNetwork = await privacy.store.matches({ networkId }, { offset: 0, limit: 10 });
    expect(inNetwork.map((m) => m.key)).toEqual(['+8613800138000']);
    expect(await privacy.store.countMatches({ networkId })).toBe(1);
    // The seller outside the network, and the node as a whole, see exactly that one match.
    expect(
      await privacy.store.matches({ uid: 'Seller:taobao:a-3' }, { offset: 0, limit: 10 }),
    ).toEqual([]);
    expect(await privacy.store.countMatches({})).toBe(1);
    expect(await privacy.store.countMatches({ kinds: ['email'] })).toBe(0);

    // When C stops naming itself, its name is gone from the match.
    const anonymous = await bundleOf(['0086 138 0013 8000'], {
      version: 2,
      discloseIdentity: false,
    });
    expect(await deliver(brandC, anonymous)).toBe(200);
    const [m] = await privacy.store.matches({ uid: 'Seller:taobao:a-1' }, { offset: 0, limit: 1 });
    expect(m).toMatchObject({ brandCount: 2, disclosedBrands: [] });
    expect(JSON.stringify(m)).not.toMatch(/brand-b|brand-c|Brand B|Brand C/);
  });

  it('answers a partner query with coarse context only, never confirms a RED identifier, and refuses past the hourly budget (audited)', async () => {
    const { keyId } = await privacy.tokenizeAll();
    const mine = await privacy.store.ownTokensFor(keyId, [
      { kind: 'phone', key: '+8613800138000' },
      { kind: 'phone', key: '+8613900139000' },
    ]);
    const shared = mine.get('phone\u0000+8613800138000')!;
    const red = mine.get('phone\u0000+8613900139000')!;
    const unknown = `${keyId}.${'A'.repeat(85)}w`;
    const before = assoc.counted.points;

    const known = await privacy.lookup(partner('brand-b'), [shared, red, unknown]);
    expect(known).toEqual([
      {
        ref: `ind:${shared}`,
        token: shared,
        kind: 'phone',
        platforms: ['taobao'],
        categories: ['batteries'],
        firstSeen: '2026-03-02',
        lastSeen: '2026-03-02',
        listings: 3,
        tlp: 'GREEN',
      },
    ]);
    const answer = JSON.stringify(known);
    for (const s of A_SECRETS) expect(answer).not.toContain(s);
    // Answering evaluates nothing: the partner brings tokens, the node reads its cache.
    expect(assoc.counted.points).toBe(before);

    // 3 tokens asked of a budget of 6; 4 more are refused.
    await expect(
      privacy.lookup(partner('brand-b'), [shared, red, unknown, shared]),
    ).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    // The budget is per partner.
    expect(await privacy.lookup(partner('brand-c'), [shared])).toHaveLength(1);

    const audit = await federation.audit.page({ kind: 'query', limit: 20, offset: 0 });
    const lookups = audit.filter((e) => e.messageType === 'palisade.indicators.lookup');
    expect(lookups.map((e) => [e.peer, e.reason, e.detail])).toEqual(
      expect.arrayContaining([
        ['brand-b', 'ANSWERED', { tokens: 3, known: 1 }],
        ['brand-b', 'RATE_LIMITED', { tokens: 4 }],
        ['brand-c', 'ANSWERED', { tokens: 1, known: 1 }],
      ]),
    );
    expect(JSON.stringify(lookups)).not.toContain(shared);
  });

  it('re-tokenizes every identifier under the rotated key: new tokens carry the new key id, old ones are gone, old-key indicators stop matching', async () => {
    const old = await privacy.tokenizeAll();
    const oldTokens = await ownTokens();
    const before = assoc.counted.points;

    expect(await rotateOprfSecret(join(dir, 'oprf-secret'))).toBe(2);
    const result = await privacy.retokenize();
    expect(result.keyId).toBe(`${old.keyId}-r2`);
    expect(result.tokenized).toBe(oldTokens.length);
    expect(result.dropped).toBe(oldTokens.length);
    expect(assoc.counted.points - before).toBe(oldTokens.length);

    const fresh = await ownTokens();
    expect(fresh.map((t) => t.key)).toEqual(oldTokens.map((t) => t.key));
    for (const t of fresh) expect(parseToken(t.token).keyId).toBe(result.keyId);
    const oldSet = new Set(oldTokens.map((t) => t.token));
    expect(fresh.some((t) => oldSet.has(t.token))).toBe(false);
    // Running it again evaluates nothing: the new tokens are cached.
    expect(await privacy.retokenize()).toEqual({ keyId: result.keyId, tokenized: 0, dropped: 0 });
    expect(assoc.counted.points - before).toBe(oldTokens.length);

    // Peers' indicators under the old key no longer match; B's re-share under the new key does.
    expect(await privacy.store.countMatches({})).toBe(0);
    const reshared = await bundleOf(['+86 138-0013-8000'], {
      version: 300,
      discloseIdentity: true,
    });
    expect(parseToken(reshared.items[0]!.token).keyId).toBe(result.keyId);
    expect(await deliver(brandB, reshared)).toBe(200);
    const [m] = await privacy.store.matches({ networkId }, { offset: 0, limit: 1 });
    expect(m).toMatchObject({ keyId: result.keyId, brandCount: 1, disclosedBrands: ['Brand B'] });
  });
});
