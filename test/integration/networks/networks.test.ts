// Infringer networks on a real Neo4j: generated data with planted networks yields exactly those
// networks; a bridging record merges two (the older id survives, the other resolves as an alias);
// removing the wrong link splits them again; an over-shared identifier is a hub, not a link; the
// full recompute agrees with the incremental result and keeps the ids.
import { describe, expect, it } from 'vitest';
import { generate } from '../../../src/ingest/generate.js';
import { Ingestor, type IncomingRecord } from '../../../src/ingest/ingest.js';
import type { RecordKind } from '../../../src/ingest/model.js';
import { IngestStore } from '../../../src/ingest/store.js';
import { NetworkService } from '../../../src/networks/service.js';
import { defaultNetworkSettings, type NetworkSettings } from '../../../src/networks/settings.js';
import { NetworkStore } from '../../../src/networks/store.js';
import { useTestGraph, type TestGraph } from '../../support/test-graph.js';

const graph = useTestGraph();

function setUp(g: TestGraph, settings: Partial<NetworkSettings> = {}) {
  const networks = new NetworkService({
    db: g.db,
    logger: g.logger,
    settings: { ...defaultNetworkSettings(), ...settings },
    defaultRegion: 'CN',
  });
  const ingestor = new Ingestor({
    store: new IngestStore(g.db),
    logger: g.logger,
    batchSize: 50,
    defaultRegion: 'CN',
    afterBatch: networks.afterBatch,
  });
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

  it('a full recompute finds the same networks under the same ids', async () => {
    const { networks } = setUp(graph);
    const before = await sellerSets(graph);
    const summary = await networks.recompute();
    expect(summary.created).toEqual([]);
    expect(summary.absorbed).toEqual([]);
    expect(await sellerSets(graph)).toEqual(before);
  });

  it('merges two networks when a bridging record arrives; the older id survives and the other resolves to it', async () => {
    const { ingestor, store } = setUp(graph);
    const [a, b] = manifest.networks.filter((n) => n.via === 'phone' || n.via === 'factory');
    const netA = await store.of(`Seller:${a!.sellers[0]!}`);
    const netB = await store.of(`Seller:${b!.sellers[0]!}`);
    expect(netA && netB && netA.id !== netB.id).toBe(true);
    // The generator gives seller i the phone 139… + i; a new seller uses one of A's and one of B's.
    const indexOf = (key: string) => manifest.networks.flatMap((n) => n.sellers).indexOf(key);
    const phoneOf = (key: string) => String(13_900_000_000 + indexOf(key));
    await ingestor.ingest(
      toRecords([
        {
          record: 'listing',
          ...listing('bridge-1', [
            { kind: 'PHONE', value: phoneOf(a!.sellers[0]!) },
            { kind: 'PHONE', value: phoneOf(b!.sellers[0]!) },
          ]),
        },
      ]),
    );
    const merged = await store.of('Seller:taobao:bridge-1');
    expect(merged).not.toBeNull();
    const survivor = [netA!, netB!].sort((x, y) =>
      x.createdAt === y.createdAt
        ? y.size - x.size || (x.id < y.id ? -1 : 1)
        : x.createdAt! < y.createdAt!
          ? -1
          : 1,
    )[0]!;
    const absorbed = survivor.id === netA!.id ? netB! : netA!;
    expect(merged!.id).toBe(survivor.id);
    expect(merged!.sellers).toBe(a!.sellers.length + b!.sellers.length + 1);
    expect((await store.byId(absorbed.id))?.id).toBe(survivor.id);
    expect((await store.byId(survivor.id))?.aliases).toContain(absorbed.id);
  });

  it('splits a network again when the wrong link is removed (only that component is recomputed)', async () => {
    const { networks, store } = setUp(graph);
    const [a, b] = manifest.networks.filter((n) => n.via === 'phone' || n.via === 'factory');
    const before = await store.of('Seller:taobao:bridge-1');
    const indexOf = (key: string) => manifest.networks.flatMap((n) => n.sellers).indexOf(key);
    const phone = `+86${13_900_000_000 + indexOf(b!.sellers[0]!)}`;
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
});

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
