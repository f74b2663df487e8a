// An association and four brands on loopback, each with its own Neo4j instance in one launcher JVM,
// talking through the real federation (signed, encrypted envelopes, outbox and inbox): an identifier
// three brands reported appears in the association's report with brand count 3, one two brands
// reported does not appear at all, no published payload names a brand, and a brand's corrected
// report replaces its earlier one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSOCIATION_REPORT_TYPE, type AssociationReport } from '../../src/association/report.js';
import { loadConfig } from '../../src/config.js';
import { freePort, startManagedNeo4j, type ManagedNeo4j } from '../../src/db/managed-neo4j.js';
import { fingerprint } from '../../src/federation/keys.js';
import { Ingestor, type IncomingRecord } from '../../src/ingest/ingest.js';
import type { RecordKind } from '../../src/ingest/model.js';
import { IngestStore } from '../../src/ingest/store.js';
import { startNode, type RunningNode } from '../../src/main.js';
import { NetworkService } from '../../src/networks/service.js';
import { defaultNetworkSettings } from '../../src/networks/settings.js';
import { createLogger } from '../../src/server/logger.js';

const PASSWORD = 'palisade-e2e-association';
const logger = createLogger('silent');
const PERIOD = '2026-11';
const BRANDS = ['brand-north', 'brand-south', 'brand-east', 'brand-west'];
const NAMES = BRANDS.map((b) => `Company ${b.slice(6)}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  ms = 90_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

const listing = (account: string, phones: string[]) => ({
  record: 'listing',
  source: 'analyst',
  observedAt: '2026-11-05T00:00:00Z',
  platform: 'jd',
  seller: { accountId: account, displayName: `Shop ${account}` },
  identifiers: phones.map((value) => ({ kind: 'PHONE', value })),
});

async function ingest(node: RunningNode, rows: Record<string, unknown>[]): Promise<void> {
  const networks = new NetworkService({
    db: node.db,
    logger,
    settings: { ...defaultNetworkSettings(), minSellers: 1 },
    defaultRegion: 'CN',
  });
  const ingestor = new Ingestor({
    store: new IngestStore(node.db),
    logger,
    batchSize: 50,
    defaultRegion: 'CN',
    afterBatch: networks.afterBatch,
  });
  const records: IncomingRecord[] = rows.map(({ record, ...value }, index) => ({
    index,
    kind: record as RecordKind,
    value,
  }));
  const { summary } = await ingestor.ingest(records);
  expect(summary.rejected).toBe(0);
}

describe('association with four brands', () => {
  const root = mkdtempSync(join(tmpdir(), 'palisade-e2e-assoc-'));
  let neo4j: ManagedNeo4j | undefined;
  let assoc: RunningNode;
  const brands: RunningNode[] = [];
  /** Every payload the association queued (what members receive). */
  const published: AssociationReport[] = [];

  beforeAll(async () => {
    const names = ['assoc', ...BRANDS];
    neo4j = await startManagedNeo4j({
      home: join(root, 'neo4j'),
      instances: names.map((name) => ({ name, port: 0 })),
      password: PASSWORD,
      heap: '1g',
      pageCache: '64m',
      onLog: () => undefined,
    });
    const start = async (id: string, name: string, role: 'brand' | 'association') => {
      const port = await freePort();
      return startNode(
        loadConfig({
          PALISADE_ENV: 'test',
          PALISADE_NODE_ID: id,
          PALISADE_NODE_NAME: name,
          PALISADE_ROLE: role,
          PALISADE_PORT: String(port),
          PALISADE_PUBLIC_URL: `http://127.0.0.1:${port}`,
          PALISADE_DATA_DIR: join(root, id),
          NEO4J_URI: neo4j!.uris.get(id === 'association' ? 'assoc' : id)!,
          NEO4J_PASSWORD: PASSWORD,
          PALISADE_FEDERATION_SEND_INTERVAL_MS: '100',
          PALISADE_FEDERATION_MAX_BACKOFF_MS: '1000',
          PALISADE_FEDERATION_MAX_BYTES: String(8 * 1024 * 1024),
          // Each brand here has one seller: its own identifiers form a (one-seller) network.
          PALISADE_NETWORK_MIN_SELLERS: '1',
          LOG_LEVEL: 'silent',
        }),
        { logger },
      );
    };
    assoc = await start('association', 'Industry Association', 'association');
    for (const [i, id] of BRANDS.entries()) brands.push(await start(id, NAMES[i]!, 'brand'));
    const fp = async (n: RunningNode) =>
      fingerprint((await n.federation.keys.current()).current.signing);
    for (const b of brands) {
      expect(
        (
          await assoc.federation.peerService.add({
            url: b.url,
            fingerprint: await fp(b),
            role: 'partner',
          })
        ).ok,
      ).toBe(true);
      expect(
        (
          await b.federation.peerService.add({
            url: assoc.url,
            fingerprint: await fp(assoc),
            role: 'association',
          })
        ).ok,
      ).toBe(true);
    }
    // Shared phone 1 at north/south/east (3 brands), phone 2 at north/south only (2 brands);
    // north/south/east each see phone 1 in one network with a phone of their own.
    await ingest(brands[0]!, [
      listing('n1', ['+86 131 0000 0001', '+86 131 0000 0002', '+86 139 0000 0101']),
    ]);
    await ingest(brands[1]!, [listing('s1', ['13100000001', '13100000002', '+86 139 0000 0102'])]);
    await ingest(brands[2]!, [listing('e1', ['+8613100000001', '+86 139 0000 0103'])]);
    await ingest(brands[3]!, [listing('w1', ['+86 139 0000 0104'])]);
  });

  afterAll(async () => {
    await Promise.all([assoc, ...brands].map((n) => n?.stop().catch(() => undefined)));
    await neo4j?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const memberVersions = async () => {
    const rows = await assoc.association.store.memberReports(PERIOD);
    return new Map(
      rows.map((r) => [r.member, (JSON.parse(r.payload) as { version: number }).version]),
    );
  };

  it('collects each member’s report through the federation', async () => {
    for (const b of brands) await b.association.sendReport(PERIOD);
    const versions = await waitFor('four member reports', async () => {
      const v = await memberVersions();
      return v.size === 4 ? v : undefined;
    });
    expect([...versions.keys()].sort()).toEqual([...BRANDS].sort());
  });

  it('publishes what three brands reported (brand count 3) and nothing of what two reported', async () => {
    const result = await assoc.association.publish(PERIOD);
    expect(result.recipients).toBe(4);
    const msgs = await assoc.federation.outbox.list({ limit: 100, offset: 0 });
    for (const m of msgs) {
      if (m.messageType === ASSOCIATION_REPORT_TYPE) published.push(m.payload as AssociationReport);
    }
    expect(published.length).toBeGreaterThanOrEqual(4);
    const report = published[0]!;
    expect(report.indicators).toHaveLength(1);
    expect(report.indicators[0]!.brandCount).toBe(3);
    expect(report.networks).toHaveLength(1);
    expect(report.networks[0]!.brandCount).toBe(3);
    // The north brand maps the published item back onto its own seller.
    const mapped = await waitFor('north brand receives the report', () =>
      brands[0]!.association.latest(PERIOD),
    );
    expect(mapped.ownIndicators).toHaveLength(1);
    expect(mapped.ownIndicators[0]!.entities.length).toBeGreaterThan(0);
    const west = await waitFor('west brand receives the report', () =>
      brands[3]!.association.latest(PERIOD),
    );
    expect(west.ownNetworks).toEqual([]);
  });

  it('never names a brand in any published payload', () => {
    const text = JSON.stringify(published);
    for (const word of [...BRANDS, ...NAMES, 'north', 'south', 'east', 'west'])
      expect(text).not.toContain(word);
  });

  it('replaces a brand’s earlier report with its correction', async () => {
    const before = (await memberVersions()).get('brand-east')!;
    // East retracts phone 1 (e.g. a data-entry error): with it gone, only two brands report it.
    await brands[2]!.db.runSchemaStatement(
      "MATCH (i:Identifier {kind: 'phone', key: '+8613100000001'}) SET i.tlp = 'RED'",
    );
    await brands[2]!.association.sendReport(PERIOD);
    await waitFor(
      'east correction',
      async () => ((await memberVersions()).get('brand-east') ?? 0) > before,
    );
    expect(
      (await assoc.association.store.memberReports(PERIOD)).filter(
        (r) => r.member === 'brand-east',
      ),
    ).toHaveLength(1);
    const again = await assoc.association.publish(PERIOD);
    expect(again.indicators).toBe(0);
    expect(again.networks).toBe(0);
  });
});
