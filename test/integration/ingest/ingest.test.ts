// The ingest path on a real Neo4j: one Phone node from three spellings, idempotent re-import,
// bad rows reported while good ones land, and a transient failure retried without duplicates.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Neo4jError } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { generate } from '../../../src/ingest/generate.js';
import { importFile } from '../../../src/ingest/import.js';
import { Ingestor, type IncomingRecord } from '../../../src/ingest/ingest.js';
import { parseMapping } from '../../../src/ingest/mapping.js';
import { IngestStore, type FaultHook } from '../../../src/ingest/store.js';
import { useTestGraph, type TestGraph } from '../../support/test-graph.js';

const graph = useTestGraph();
const dir = mkdtempSync(join(tmpdir(), 'palisade-ingest-'));

function ingestor(g: TestGraph, options: { batchSize?: number; faultHook?: FaultHook } = {}) {
  return new Ingestor({
    store: new IngestStore(g.db, options.faultHook ? { faultHook: options.faultHook } : {}),
    logger: g.logger,
    batchSize: options.batchSize ?? 100,
    defaultRegion: 'CN',
  });
}

async function counts(g: TestGraph): Promise<{ nodes: number; rels: number }> {
  const [n] = await g.db.runSchemaStatement(
    'MATCH (n) WHERE NOT n:PalisadeMeta AND NOT n:PalisadeMigration AND NOT n:PalisadeLock RETURN count(n) AS c',
  );
  const [r] = await g.db.runSchemaStatement('MATCH ()-[r]->() RETURN count(r) AS c');
  return { nodes: Number(n!['c']), rels: Number(r!['c']) };
}

const listing = (accountId: string, phone: string, extra: Record<string, unknown> = {}) => ({
  source: 'test-purchase-2026-03',
  observedAt: '2026-03-01T08:00:00Z',
  platform: 'taobao',
  seller: { accountId, displayName: `Shop ${accountId}` },
  listing: {
    url: `https://item.taobao.com/item.htm?id=${accountId}`,
    title: 'AA batteries',
    price: 9.9,
    currency: 'CNY',
  },
  identifiers: [{ kind: 'PHONE', value: phone }],
  ...extra,
});

describe('ingesting listing observations', () => {
  it('makes one Phone node of "138 0013 8000", "+86 138-0013-8000" and "0086 13800138000" and links both sellers through it', async () => {
    const records: IncomingRecord[] = [
      listing('phone-a', '138 0013 8000'),
      listing('phone-b', '+86 138-0013-8000'),
      listing('phone-b', '0086 13800138000', { observedAt: '2026-03-02T08:00:00Z' }),
    ].map((value, index) => ({ index, kind: 'listing', value }));
    const { summary } = await ingestor(graph).ingest(records);
    expect(summary).toMatchObject({ accepted: 3, rejected: 0, unnormalizedIdentifiers: 0 });

    const phones = await graph.db.runSchemaStatement(
      "MATCH (p:Phone:Identifier {key: '+8613800138000'}) RETURN p.kind AS kind, p.normalized AS normalized, p.rawVariants AS raws",
    );
    expect(phones).toHaveLength(1);
    expect(phones[0]).toMatchObject({ kind: 'phone', normalized: true });
    expect(new Set(phones[0]!['raws'] as string[])).toEqual(
      new Set(['138 0013 8000', '+86 138-0013-8000', '0086 13800138000']),
    );
    // One network: both sellers reach each other through the phone.
    const linked = await graph.db.runSchemaStatement(
      "MATCH (a:Seller {accountId: 'phone-a'})-[r1:USES_PHONE]->(:Phone)<-[r2:USES_PHONE]-(b:Seller {accountId: 'phone-b'}) RETURN r1.source AS source, r2.observedAt AS observedAt, r2.lastObservedAt AS lastObservedAt, r2.confidence AS confidence",
    );
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatchObject({ source: 'test-purchase-2026-03', confidence: 1 });
    expect(String(linked[0]!['observedAt'])).toMatch(/^2026-03-01T08:00/);
    expect(String(linked[0]!['lastObservedAt'])).toMatch(/^2026-03-02T08:00/);
  });

  it('stores an identifier it cannot normalize as raw, flagged, and reports it', async () => {
    const { results } = await ingestor(graph).ingest([
      { index: 0, kind: 'listing', value: listing('raw-phone', 'call me maybe') },
    ]);
    expect(results[0]).toMatchObject({ ok: true });
    expect(results[0]!.warnings).toEqual([
      expect.objectContaining({ path: 'identifiers.0', kind: 'PHONE', reason: expect.any(String) }),
    ]);
    const [node] = await graph.db.runSchemaStatement(
      "MATCH (:Seller {accountId: 'raw-phone'})-[:USES_PHONE]->(p:Phone) RETURN p.normalized AS normalized, p.key AS key, p.normalizationError AS reason",
    );
    expect(node).toMatchObject({ normalized: false, key: 'raw:call me maybe' });
    expect(node!['reason']).toEqual(expect.any(String));
  });
});

describe('palisade import', () => {
  it('changes nothing when the same file is imported again', async () => {
    const { rows } = generate({ sellers: 60, seed: 11 });
    const file = join(dir, 'generated.jsonl');
    writeFileSync(file, [...rows()].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const options = {
      file,
      mapping: parseMapping({}),
      rejectsFile: join(dir, 'generated.rejects.jsonl'),
    };

    const first = await importFile(ingestor(graph, { batchSize: 50 }), options);
    expect(first.rejected).toBe(0);
    expect(first.nodesCreated).toBeGreaterThan(0);
    const before = await counts(graph);
    const props = await graph.db.runSchemaStatement(
      'MATCH (n:Entity) RETURN n.uid AS uid, n.lastSeen AS lastSeen, n.sources AS sources ORDER BY uid',
    );

    const second = await importFile(ingestor(graph, { batchSize: 50 }), options);
    expect(second).toMatchObject({ rejected: 0, nodesCreated: 0, relationshipsCreated: 0 });
    expect(second.nodesMerged).toBe(first.nodesCreated + first.nodesMerged);
    expect(await counts(graph)).toEqual(before);
    expect(
      await graph.db.runSchemaStatement(
        'MATCH (n:Entity) RETURN n.uid AS uid, n.lastSeen AS lastSeen, n.sources AS sources ORDER BY uid',
      ),
    ).toEqual(props);
  });

  it('imports the good rows of a CSV with bad ones and lists each bad row with its reason', async () => {
    const file = join(dir, 'mixed.csv');
    writeFileSync(
      file,
      [
        'seller_id,shop,item_url,price,phone,seen',
        'csv-1,Volt Shop,https://item.jd.com/9001.html,19.90,138 0013 8111,2026-02-01',
        'csv-2,Bad Price,https://item.jd.com/9002.html,cheap,138 0013 8112,2026-02-01',
        'csv-3,No Url,not a url,5,138 0013 8113,2026-02-01',
        'csv-4,Bad Date,https://item.jd.com/9004.html,5,138 0013 8114,yesterday',
        'csv-5,Too Many,https://item.jd.com/9005.html,5,x,2026-02-01,extra,columns',
        'csv-6,Good Too,https://item.jd.com/9006.html,7.5,,2026-02-02',
      ].join('\n') + '\n',
    );
    const mapping = parseMapping({
      record: 'listing',
      source: 'jd-disclosure',
      defaultRegion: 'CN',
      constants: { platform: 'jd', 'identifiers.0.kind': 'PHONE', 'listing.currency': 'CNY' },
      columns: {
        'seller.accountId': 'seller_id',
        'seller.displayName': 'shop',
        'listing.url': 'item_url',
        'listing.price': 'price',
        'identifiers.0.value': 'phone',
        observedAt: 'seen',
      },
    });
    const rejectsFile = join(dir, 'mixed.rejects.jsonl');
    const summary = await importFile(ingestor(graph), { file, mapping, rejectsFile });
    expect(summary).toMatchObject({ accepted: 2, rejected: 4 });

    const rejects = readFileSync(rejectsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; reasons: string[]; row: unknown });
    const byLine = new Map(rejects.map((r) => [r.line, r]));
    expect([...byLine.keys()].sort()).toEqual([3, 4, 5, 6]);
    expect(byLine.get(3)!.reasons.join()).toMatch(/listing\.price/);
    expect(byLine.get(4)!.reasons.join()).toMatch(/listing\.url/);
    expect(byLine.get(5)!.reasons.join()).toMatch(/observedAt/);
    expect(byLine.get(6)!.reasons.join()).toMatch(/column/i);
    expect(byLine.get(3)!.row).toMatchObject({ seller_id: 'csv-2' });

    const sellers = await graph.db.runSchemaStatement(
      "MATCH (s:Seller {platform: 'jd'}) WHERE s.accountId STARTS WITH 'csv-' RETURN s.accountId AS id ORDER BY id",
    );
    expect(sellers.map((s) => s['id'])).toEqual(['csv-1', 'csv-6']);
    const [whole] = await graph.db.runSchemaStatement(
      "MATCH (s:Seller {accountId: 'csv-1'})-[:LISTS]->(l:Listing), (s)-[:USES_PHONE]->(p:Phone), (s)-[:ON_PLATFORM]->(:Platform {code: 'jd'}) RETURN l.price AS price, p.key AS phone",
    );
    expect(whole).toEqual({ price: 19.9, phone: '+8613800138111' });
  });
});

describe('a transient failure in the middle of an import', () => {
  it('is retried by the driver and leaves no duplicates', async () => {
    const { rows } = generate({ sellers: 30, seed: 5 });
    const records: IncomingRecord[] = [...rows()].map(({ record, ...value }, index) => ({
      index,
      kind: record,
      value: { ...value, source: 'retry-test' },
    }));
    const attempts: number[] = [];
    let batch = 0;
    const faultHook: FaultHook = ({ attempt }) => {
      if (attempt === 1) batch += 1;
      if (batch === 2) {
        attempts.push(attempt);
        // Thrown after the batch's statements ran: the whole transaction rolls back.
        if (attempt === 1) {
          throw new Neo4jError(
            'simulated deadlock',
            'Neo.TransientError.Transaction.DeadlockDetected',
            '50N00',
            'simulated',
          );
        }
      }
    };
    const faulty = await ingestor(graph, { batchSize: 20, faultHook }).ingest(records);
    expect(attempts).toEqual([1, 2]);
    expect(faulty.summary.rejected).toBe(0);

    const after = await counts(graph);
    const again = await ingestor(graph, { batchSize: 20 }).ingest(records);
    expect(again.summary.nodesCreated).toBe(0);
    expect(again.summary.relationshipsCreated).toBe(0);
    expect(await counts(graph)).toEqual(after);
    const [dupes] = await graph.db.runSchemaStatement(
      'MATCH (a)-[r]->(b) WITH a, b, type(r) AS t, count(*) AS c WHERE c > 1 RETURN count(*) AS dupes',
    );
    expect(dupes!['dupes']).toBe(0);
  });
});
