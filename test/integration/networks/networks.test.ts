// Infringer networks on a real Neo4j: generated data with planted networks yields exactly those
// networks; a bridging record merges two (the larger id survives, the other resolves as an alias);
// removing the wrong link splits them again and stays removed when the observation is imported
// again, until an analyst restores it; an over-shared identifier is a hub, not a link, and kinds
// configured not to link do not; several processes updating the same networks at once, or while a
// full recompute runs, end where a full recompute would.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../src/db/database.js';
import { generate } from '../../../src/ingest/generate.js';
import { Ingestor, type IncomingRecord } from '../../../src/ingest/ingest.js';
import type { RecordKind } from '../../../src/ingest/model.js';
import { IngestStore } from '../../../src/ingest/store.js';
import { LinkStore } from '../../../src/networks/link-store.js';
import { NetworkService } from '../../../src/networks/service.js';
import { defaultNetworkSettings, type NetworkSettings } from '../../../src/networks/settings.js';
import { scoreRisk } from '../../../src/networks/risk.js';
import { NetworkStore } from '../../../src/networks/store.js';
import { networkedIngestor, useTestGraph, wipe, type TestGraph } from '../../support/test-graph.js';

const graph = useTestGraph();

function setUp(g: TestGraph, settings: Partial<NetworkSettings> = {}) {
  const { networks, ingestor } = networkedIngestor(g, settings);
  return { networks, ingestor, store: new NetworkStore(g.db) };
}

const toRecords = (rows: Iterable<Record<string, unknown>>): IncomingRecord[] =>
  [...rows].map(({ record, ...value }, index) => ({ index, kind: record as RecordKind, value }));

/** Every network as the sorted seller keys ("platform:account") of its members. */
async function sellerSets(g: TestGraph): Promise<Map<string, string[]>> {
  const rows = await g.db.runSchemaStatement(
    'MATCH (s:Seller)-[:IN_NETWORK]->(n:Network) RETURN n.id AS id, collect(s.platform + ":" + s.accountId) AS sellers',
  );
  return new Map(rows.map((r) => [String(r['id']), (r['sellers'] as string[]).sort()]));
}

const listing = (account: string, identifiers: Array<Record<string, string>>, day = '02') => ({
  source: 'analyst',
  observedAt: `2026-04-${day}T00:00:00Z`,
  platform: 'taobao',
  seller: { accountId: account, displayName: `Shop ${account}` },
  identifiers,
});

describe('infringer networks over generated data', () => {
  const { manifest, rows } = generate({ sellers: 240, seed: 11 });
  // The generator gives seller i the phone 139… + i.
  const indexOf = (key: string) => manifest.networks.flatMap((n) => n.sellers).indexOf(key);
  const phoneOf = (key: string) => String(13_900_000_000 + indexOf(key));
  const pair = () => manifest.networks.filter((n) => n.via === 'phone' || n.via === 'factory');
  /** A new seller using one of A's phones and one of B's. */
  const bridge = () => {
    const [a, b] = pair();
    return {
      record: 'listing',
      ...listing('bridge-1', [
        { kind: 'PHONE', value: phoneOf(a!.sellers[0]!) },
        { kind: 'PHONE', value: phoneOf(b!.sellers[0]!) },
      ]),
    };
  };

  it('finds exactly the planted networks, incrementally as batches land', async () => {
    const { ingestor } = setUp(graph);
    const { summary } = await ingestor.ingest(toRecords(rows()));
    expect(summary.rejected).toBe(0);
    const found = [...(await sellerSets(graph)).values()].map((s) => s.join(' '));
    const planted = manifest.networks.map((n) => [...n.sellers].sort().join(' '));
    expect(manifest.networks.length).toBeGreaterThanOrEqual(4);
    expect(new Set(manifest.networks.map((n) => n.via))).toEqual(
      new Set(['phone', 'returnAddress', 'factory', 'route']),
    );
    expect(found.sort()).toEqual(planted.sort());
  }, 240_000);

  it('stores on every network the risk score its reasons add up to (networks order by it)', async () => {
    const { store } = setUp(graph);
    const all = await store.list(
      { minSize: null, platform: null, orderBy: 'RISK' },
      { offset: 0, limit: 1000 },
    );
    expect(all).toHaveLength(manifest.networks.length);
    expect(new Set(all.map((n) => n.riskScore)).size).toBeGreaterThan(1);
    for (const n of all) expect(n.riskScore).toBe(scoreRisk(n.riskFactors).score);
    expect(all.map((n) => n.riskScore)).toEqual(all.map((n) => n.riskScore).sort((a, b) => b - a));
  });

  it('a full recompute finds the same networks under the same ids', async () => {
    const { networks } = setUp(graph);
    const before = await sellerSets(graph);
    const summary = await networks.recompute();
    expect(summary.created).toEqual([]);
    expect(summary.absorbed).toEqual([]);
    expect(await sellerSets(graph)).toEqual(before);
  });

  it('merges two networks when a bridging record arrives; the id of the larger one survives and the other resolves to it', async () => {
    const { ingestor, store } = setUp(graph);
    const [a, b] = pair();
    const netA = await store.of(`Seller:${a!.sellers[0]!}`);
    const netB = await store.of(`Seller:${b!.sellers[0]!}`);
    expect(netA && netB && netA.id !== netB.id).toBe(true);
    await ingestor.ingest(toRecords([bridge()]));
    const merged = await store.of('Seller:taobao:bridge-1');
    expect(merged).not.toBeNull();
    // Union by size: the larger network survives (then the older, then the smaller id).
    const survivor = [netA!, netB!].sort(
      (x, y) =>
        y.size - x.size ||
        (x.createdAt === y.createdAt
          ? x.id < y.id
            ? -1
            : 1
          : x.createdAt! < y.createdAt!
            ? -1
            : 1),
    )[0]!;
    const absorbed = survivor.id === netA!.id ? netB! : netA!;
    expect(merged!.id).toBe(survivor.id);
    expect(merged!.sellers).toBe(a!.sellers.length + b!.sellers.length + 1);
    expect((await store.byId(absorbed.id))?.id).toBe(survivor.id);
    expect((await store.byId(survivor.id))?.aliases).toContain(absorbed.id);
  });

  it('splits a network again when the wrong link is removed (only that component is recomputed)', async () => {
    const { networks, store } = setUp(graph);
    const [a, b] = pair();
    const before = await store.of('Seller:taobao:bridge-1');
    const phone = `+86${phoneOf(b!.sellers[0]!)}`;
    const result = await networks.retract({ uid: 'Seller:taobao:bridge-1' }, 'USES_PHONE', {
      kind: 'phone',
      key: phone,
    });
    expect(result.removed).toBe(1);
    expect(result.update.visited).toBeLessThan(30);
    const afterA = await store.of(`Seller:${a!.sellers[0]!}`);
    const afterB = await store.of(`Seller:${b!.sellers[0]!}`);
    expect(afterA && afterB && afterA.id !== afterB.id).toBe(true);
    // The part holding most of the old members keeps the id; the other part is a new network.
    const kept = [afterA!, afterB!].find((n) => n.id === before!.id);
    expect(kept).toBeDefined();
    const sets = await sellerSets(graph);
    expect(sets.get(afterB!.id)).toEqual([...b!.sellers].sort());
    expect(sets.get(afterA!.id)).toEqual([...a!.sellers, 'taobao:bridge-1'].sort());
  });

  it('keeps a removed link removed when the same observation is imported again', async () => {
    const { ingestor, store } = setUp(graph);
    const [a, b] = pair();
    const before = await sellerSets(graph);
    const { summary } = await ingestor.ingest(toRecords([bridge()]));
    expect(summary.rejected).toBe(0);
    expect(await usesPhone('Seller:taobao:bridge-1', `+86${phoneOf(b!.sellers[0]!)}`)).toBe(false);
    expect(await usesPhone('Seller:taobao:bridge-1', `+86${phoneOf(a!.sellers[0]!)}`)).toBe(true);
    expect(await sellerSets(graph)).toEqual(before);
    expect((await store.of(`Seller:${b!.sellers[0]!}`))?.sellers).toBe(b!.sellers.length);
  });

  it('brings the removed link back, as it was, when an analyst restores it: the networks merge', async () => {
    const { networks, store } = setUp(graph);
    const [a, b] = pair();
    const phone = `+86${phoneOf(b!.sellers[0]!)}`;
    const result = await networks.restore({ uid: 'Seller:taobao:bridge-1' }, 'USES_PHONE', {
      kind: 'phone',
      key: phone,
    });
    expect(result.restored).toBe(1);
    expect(result.update.absorbed).toHaveLength(1);
    const [link] = await graph.db.runSchemaStatement(
      'MATCH (:Seller {uid: $uid})-[r:USES_PHONE]->(:Phone {key: $phone}) RETURN r.source AS source',
      { uid: 'Seller:taobao:bridge-1', phone },
    );
    expect(link?.['source']).toBe('analyst');
    const merged = await store.of('Seller:taobao:bridge-1');
    expect(merged?.sellers).toBe(a!.sellers.length + b!.sellers.length + 1);
    expect((await store.of(`Seller:${b!.sellers[0]!}`))?.id).toBe(merged?.id);
    // Restored, the link is an ordinary one again: importing it once more changes nothing.
    await setUp(graph).ingestor.ingest(toRecords([bridge()]));
    expect(await usesPhone('Seller:taobao:bridge-1', phone)).toBe(true);
  });
});

async function usesPhone(uid: string, phone: string): Promise<boolean> {
  const [row] = await graph.db.runSchemaStatement(
    'RETURN EXISTS { (:Seller {uid: $uid})-[:USES_PHONE]->(:Phone {key: $phone}) } AS linked',
    { uid, phone },
  );
  return row?.['linked'] === true;
}

describe('over-correlation', () => {
  it('treats an identifier shared by more entities than the hub limit as a hub, not a link', async () => {
    const { ingestor, store } = setUp(graph, { hubLimit: 5 });
    const warehouse = {
      kind: 'ADDRESS',
      value: 'No. 1 Logistics Park Road, Kunshan',
      role: 'RETURN',
    };
    // Five sellers through one address: a network.
    await ingestor.ingest(
      toRecords(
        ['w1', 'w2', 'w3', 'w4', 'w5'].map((a) => ({
          record: 'listing',
          ...listing(a, [warehouse]),
        })),
      ),
    );
    const five = await store.of('Seller:taobao:w1');
    expect(five?.sellers).toBe(5);
    // A sixth makes it a marketplace warehouse: no link any more, the network dissolves…
    await ingestor.ingest(toRecords([{ record: 'listing', ...listing('w6', [warehouse]) }]));
    expect(await store.of('Seller:taobao:w1')).toBeNull();
    expect(await store.of('Seller:taobao:w6')).toBeNull();
    // …while two of them sharing a phone are still a network of two.
    await ingestor.ingest(
      toRecords(
        ['w2', 'w3'].map((a) => ({
          record: 'listing',
          ...listing(a, [{ kind: 'PHONE', value: '+86 131 0000 0001' }]),
        })),
      ),
    );
    expect((await store.of('Seller:taobao:w2'))?.sellers).toBe(2);
  });

  it('does not link through identifier kinds configured not to link', async () => {
    const { ingestor, store } = setUp(graph, { identifierKinds: ['phone'] });
    await ingestor.ingest(
      toRecords(
        ['k1', 'k2'].map((a) => ({
          record: 'listing',
          ...listing(a, [{ kind: 'EMAIL', value: 'shared-shop@163.com' }]),
        })),
      ),
    );
    expect(await store.of('Seller:taobao:k1')).toBeNull();
    // The same two sellers sharing a phone (a kind that links) are a network.
    await ingestor.ingest(
      toRecords(
        ['k1', 'k2'].map((a) => ({
          record: 'listing',
          ...listing(a, [{ kind: 'PHONE', value: '+86 133 0000 0007' }]),
        })),
      ),
    );
    expect((await store.of('Seller:taobao:k1'))?.sellers).toBe(2);
  });

  it('never links through an identifier on the exclusion list, in whatever spelling it was configured', async () => {
    const { ingestor, store } = setUp(graph, {
      excluded: [{ kind: 'phone', value: '+86 132-0000-0009' }],
    });
    await ingestor.ingest(
      toRecords(
        ['x1', 'x2'].map((a) => ({
          record: 'listing',
          ...listing(a, [{ kind: 'PHONE', value: '13200000009' }]),
        })),
      ),
    );
    expect(await store.of('Seller:taobao:x1')).toBeNull();
  });
});

describe('several processes at once', () => {
  /** What the processes logged as errors (a failed network update is logged, not thrown). */
  const failures: string[] = [];
  const logger = pino(
    { level: 'error' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        failures.push(chunk.toString());
        done();
      },
    }),
  );
  afterEach(() => {
    expect(failures.splice(0)).toEqual([]);
  });

  /** A process of its own: its own driver (connection pool), network service and ingestor. */
  function process(settings: Partial<NetworkSettings> = {}) {
    const cfg = graph.config();
    const db = new Database({
      uri: graph.uri,
      user: cfg.neo4j.user,
      password: cfg.neo4j.password,
      connectTimeoutMs: 30_000,
      maxPoolSize: 10,
      logger,
      cypher: graph.cypher,
    });
    opened.push(db);
    const networks = new NetworkService({
      db,
      logger,
      settings: { ...defaultNetworkSettings(), ...settings },
      defaultRegion: 'CN',
    });
    const ingestor = new Ingestor({
      store: new IngestStore(db),
      logger,
      batchSize: 1,
      defaultRegion: 'CN',
      afterBatch: networks.afterBatch,
    });
    return { db, networks, ingestor };
  }
  const opened: Database[] = [];
  // The tests above ran with other settings (hub limit, kinds, exclusions): start from nothing.
  beforeAll(() => wipe(graph.db));
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
  });

  const scope = () => ({
    kinds: defaultNetworkSettings().identifierKinds,
    routes: true,
    parties: true,
    excluded: [],
    hubLimit: 50,
  });
  const phone = (chain: string, i: number) => `+86 135 ${chain === 'p' ? '1' : '2'}000 ${1000 + i}`;
  /** Pairs of sellers sharing a phone: chain p has 8, chain q has 6. */
  const pairs = (chain: string, n: number) =>
    Array.from({ length: n }, (_, i) =>
      ['a', 'b'].map((side) => ({
        record: 'listing',
        ...listing(`${chain}${i}${side}`, [{ kind: 'PHONE', value: phone(chain, i) }]),
      })),
    ).flat();
  /** Bridge i of a chain: a seller using the phones of pairs i and i + 1. */
  const bridgeOf = (chain: string, i: number) => ({
    record: 'listing',
    ...listing(`${chain}-bridge-${i}`, [
      { kind: 'PHONE', value: phone(chain, i) },
      { kind: 'PHONE', value: phone(chain, i + 1) },
    ]),
  });
  const expected = (chain: string, n: number) =>
    [
      ...Array.from({ length: n }, (_, i) => [`${chain}${i}a`, `${chain}${i}b`]).flat(),
      ...Array.from({ length: n - 1 }, (_, i) => `${chain}-bridge-${i}`),
    ]
      .map((a) => `taobao:${a}`)
      .sort();

  /** Another process's recompute taking the lease, and giving it back (without its work). */
  const recomputeLease = (owner: string) => {
    const store = new LinkStore(graph.db, scope());
    return {
      take: () =>
        store.write(async (t) => {
          await t.lock();
          await t.recomputeLease(owner, Date.now(), 60_000);
        }),
      release: () =>
        store.write(async (t) => {
          await t.lock();
          await t.releaseLease(owner);
        }),
    };
  };

  /** Every network of chain sellers, as sorted seller keys. */
  async function chains(): Promise<string[][]> {
    return [...(await sellerSets(graph)).values()]
      .filter((s) => s.some((k) => /^taobao:[pq]/.test(k)))
      .sort((x, y) => (x[0]! < y[0]! ? -1 : 1));
  }

  async function expectRecomputeChangesNothing(): Promise<void> {
    const before = await sellerSets(graph);
    const { networks } = process();
    const summary = await networks.recompute();
    expect(summary).toMatchObject({ created: [], absorbed: [], dissolved: [], detached: 0 });
    expect(await sellerSets(graph)).toEqual(before);
    // One membership per member, and no network without members.
    const [bad] = await graph.db.runSchemaStatement(
      `CALL () { MATCH (m) WHERE COUNT { (m)-[:IN_NETWORK]->() } > 1 RETURN count(m) AS twice }
       CALL () { MATCH (n:Network) WHERE NOT EXISTS { (n)<-[:IN_NETWORK]-() } RETURN count(n) AS empty }
       RETURN twice, empty`,
    );
    expect(bad).toEqual({ twice: 0, empty: 0 });
  }

  it('four processes bridging the same networks at once end where a full recompute would', async () => {
    const { ingestor } = process();
    await ingestor.ingest(toRecords([...pairs('p', 8), ...pairs('q', 6)]));
    expect(await chains()).toHaveLength(14);
    // Chain bridges (pair i with pair i + 1) and star bridges (pair 0 with pair i) of chain p, and
    // chain bridges of q, dealt round-robin to four processes, each record its own batch: every
    // update races others over the same networks.
    const star = (i: number) => ({
      record: 'listing',
      ...listing(`p-star-${i}`, [
        { kind: 'PHONE', value: phone('p', 0) },
        { kind: 'PHONE', value: phone('p', i) },
      ]),
    });
    const bridges = [
      ...Array.from({ length: 7 }, (_, i) => [bridgeOf('p', i), star(i + 1)]).flat(),
      ...Array.from({ length: 5 }, (_, i) => bridgeOf('q', i)),
    ];
    const workers = [process(), process(), process(), process()];
    await Promise.all(
      workers.map((w, k) => w.ingestor.ingest(toRecords(bridges.filter((_, i) => i % 4 === k)))),
    );
    const stars = Array.from({ length: 7 }, (_, i) => `taobao:p-star-${i + 1}`);
    expect(await chains()).toEqual([[...expected('p', 8), ...stars].sort(), expected('q', 6)]);
    await expectRecomputeChangesNothing();
  });

  it('removals and bridges racing in several processes end where a full recompute would', async () => {
    const [w1, w2, w3] = [process(), process(), process()];
    const cut = (i: number) =>
      w1.networks.retract({ uid: `Seller:taobao:q-bridge-${i}` }, 'USES_PHONE', {
        kind: 'phone',
        key: `+861352000${1000 + i + 1}`,
      });
    // Cut chain q in two places while new sellers join chain p at both ends.
    const join = (w: typeof w2, account: string, i: number) =>
      w.ingestor.ingest(
        toRecords([
          { record: 'listing', ...listing(account, [{ kind: 'PHONE', value: phone('p', i) }]) },
        ]),
      );
    await Promise.all([cut(1).then(() => cut(3)), join(w2, 'p-new-1', 0), join(w3, 'p-new-2', 7)]);
    const q = expected('q', 6);
    const part = (from: number, to: number) =>
      q.filter((k) => {
        const n = Number(/^taobao:q(?:-bridge-)?(\d+)/.exec(k)![1]);
        return n >= from && n <= to;
      });
    const all = await chains();
    const p = all.find((c) => c.includes('taobao:p0a'));
    expect(p).toEqual(expect.arrayContaining(['taobao:p-new-1', 'taobao:p-new-2', 'taobao:p7b']));
    expect(all.filter((c) => c !== p)).toEqual([part(0, 1), part(2, 3), part(4, 5)]);
    await expectRecomputeChangesNothing();
  });

  it('holds an update back while another process holds the network lock', async () => {
    const [holder, other] = [process(), process()];
    const store = new LinkStore(holder.db, scope());
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holding = store.write(async (t) => {
      await t.lock();
      locked();
      await held;
    });
    await isLocked;
    let updated = false;
    const joining = other.ingestor
      .ingest(
        toRecords([
          { record: 'listing', ...listing('q-waits', [{ kind: 'PHONE', value: phone('q', 1) }]) },
        ]),
      )
      .then(() => (updated = true));
    await new Promise((r) => setTimeout(r, 1500));
    expect(updated).toBe(false);
    release();
    await holding;
    await joining;
    expect(updated).toBe(true);
    expect((await chains()).find((c) => c.includes('taobao:q1a'))).toContain('taobao:q-waits');
  });

  it('queues a change that arrives while a full recompute runs and applies it when it ends', async () => {
    const { ingestor } = process();
    const lease = recomputeLease('another-process');
    // Another process's recompute holds the lease…
    await lease.take();
    await ingestor.ingest(
      toRecords([
        { record: 'listing', ...listing('q-late', [{ kind: 'PHONE', value: phone('q', 2) }]) },
      ]),
    );
    // …so the new seller waits in the queue, outside every network…
    expect(await new NetworkStore(graph.db).of('Seller:taobao:q-late')).toBeNull();
    // …until that recompute finishes, and a real one runs (and applies what waited) meanwhile
    // ingest goes on in two other processes.
    await lease.release();
    const { networks } = process();
    await Promise.all([
      networks.recompute(),
      process().ingestor.ingest(
        toRecords([
          { record: 'listing', ...listing('q-late-2', [{ kind: 'PHONE', value: phone('q', 3) }]) },
        ]),
      ),
    ]);
    const q = (await chains()).find((s) => s.includes('taobao:q2a'));
    expect(q).toContain('taobao:q-late');
    expect(q).toContain('taobao:q-late-2');
    await expectRecomputeChangesNothing();
  });

  it('applies a change left queued by a recompute with the next change that arrives', async () => {
    const { ingestor } = process();
    await ingestor.ingest(toRecords(pairs('q', 6)));
    const lease = recomputeLease('gone-process');
    await lease.take();
    await ingestor.ingest(
      toRecords([
        { record: 'listing', ...listing('q-queued', [{ kind: 'PHONE', value: phone('q', 4) }]) },
      ]),
    );
    expect(await new NetworkStore(graph.db).of('Seller:taobao:q-queued')).toBeNull();
    // The recompute went away without applying the queue; the next change takes it along.
    await lease.release();
    await ingestor.ingest(
      toRecords([
        { record: 'listing', ...listing('q-next', [{ kind: 'PHONE', value: phone('q', 5) }]) },
      ]),
    );
    const q4 = (await chains()).find((c) => c.includes('taobao:q4a'));
    expect(q4).toContain('taobao:q-queued');
    const q5 = (await chains()).find((c) => c.includes('taobao:q5a'));
    expect(q5).toContain('taobao:q-next');
    const [pending] = await graph.db.runSchemaStatement(
      'MATCH (p:NetworkPending) RETURN count(p) AS n',
    );
    expect(pending!['n']).toBe(0);
    await expectRecomputeChangesNothing();
  });
});
