// Ingest benchmark (npm run bench:ingest; JSON on stdout). With the same generated listing rows:
// the project's ingest path vs a hand-written UNWIND $rows MERGE through neo4j-driver (target
// ≥ 0.8×) vs per-row MERGE (target ≥ 30×, measured on a sample), interleaved batch by batch so
// that other load on the machine falls on each path alike, and the peak RSS of
// `palisade import` of BENCH_RSS_ROWS rows in a child process (target ≤ 300 MB).
// Settings: BENCH_SELLERS (comparison size, default 4000), BENCH_PER_ROW (default 300),
// BENCH_RSS_SELLERS (default 430000 ≈ 1M rows).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { CypherLibrary } from '../../src/db/cypher.js';
import { Database } from '../../src/db/database.js';
import { startManagedNeo4j } from '../../src/db/managed-neo4j.js';
import { migrate } from '../../src/db/migrations.js';
import { normalizeIdentifier } from '../../src/identifiers/index.js';
import type { IdentifierKind } from '../../src/identifiers/types.js';
import { generate, type GeneratedRow } from '../../src/ingest/generate.js';
import { emptySummary, Ingestor } from '../../src/ingest/ingest.js';
import { IngestStore } from '../../src/ingest/store.js';
import { createLogger } from '../../src/server/logger.js';

const SELLERS = Number(process.env['BENCH_SELLERS'] ?? 4000);
const PER_ROW = Number(process.env['BENCH_PER_ROW'] ?? 300);
const RSS_SELLERS = Number(process.env['BENCH_RSS_SELLERS'] ?? 430_000);
const BATCH = 1000;
const PASSWORD = 'bench-password';
const home = mkdtempSync(join(tmpdir(), 'palisade-bench-'));
const logger = createLogger('warn');
const cypher = CypherLibrary.load();

const KINDS: Record<string, IdentifierKind> = {
  PHONE: 'phone',
  EMAIL: 'email',
  ADDRESS: 'address',
  PAYMENT_ACCOUNT: 'paymentAccount',
  MESSAGING_HANDLE: 'messagingHandle',
};
const LINK: Record<string, string> = {
  PHONE: 'USES_PHONE',
  EMAIL: 'USES_EMAIL',
  ADDRESS: 'RETURNS_TO',
  PAYMENT_ACCOUNT: 'PAID_TO',
  MESSAGING_HANDLE: 'USES_HANDLE',
};

// The hand-written baseline: one static statement, the same graph shape, no framework.
const BASELINE = `
UNWIND $rows AS row
MERGE (p:Platform {code: row.platform})
  ON CREATE SET p.name = row.platformName, p.firstSeen = datetime(row.at), p.sources = [row.source]
SET p.lastSeen = datetime(row.at)
MERGE (s:Seller {platform: row.platform, accountId: row.accountId})
  ON CREATE SET s.firstSeen = datetime(row.at), s.sources = [row.source]
SET s.displayName = row.displayName, s.lastSeen = datetime(row.at)
MERGE (s)-[:ON_PLATFORM]->(p)
MERGE (st:Storefront {key: row.storeKey})
  ON CREATE SET st.firstSeen = datetime(row.at), st.sources = [row.source]
SET st.url = row.storeUrl, st.name = row.displayName, st.lastSeen = datetime(row.at)
MERGE (s)-[:OPERATES]->(st)
MERGE (l:Listing {key: row.listingKey})
  ON CREATE SET l.firstSeen = datetime(row.at), l.sources = [row.source]
SET l += row.listing, l.lastSeen = datetime(row.at)
MERGE (s)-[:LISTS]->(l)
MERGE (st)-[:LISTS]->(l)
MERGE (pr:Product {sku: row.sku}) ON CREATE SET pr.name = row.productName
MERGE (l)-[:COPIES]->(pr)
FOREACH (c IN CASE WHEN row.companyKey IS NULL THEN [] ELSE [row.companyKey] END |
  MERGE (co:Company {key: c}) ON CREATE SET co.name = row.legalName
  MERGE (co)-[:OPERATES]->(s))
WITH s, row
UNWIND row.ids AS id
MERGE (i:Identifier {kind: id.kind, key: id.key})
  ON CREATE SET i:$(id.label), i.display = id.display, i.rawVariants = [id.raw],
    i.normalized = true, i.firstSeen = datetime(row.at), i.sources = [row.source]
SET i.lastSeen = datetime(row.at)
MERGE (s)-[r:$(id.type)]->(i)
  ON CREATE SET r.source = row.source, r.observedAt = datetime(row.at), r.confidence = 1.0
RETURN count(*) AS n`;

const LABEL: Record<string, string> = {
  phone: 'Phone',
  email: 'Email',
  address: 'Address',
  paymentAccount: 'PaymentAccount',
  messagingHandle: 'MessagingHandle',
};

/** What a hand-written importer does in JS: normalize keys, flatten the row. */
function baselineRow(r: GeneratedRow): Record<string, unknown> {
  const row = r as any;
  const url = (v: string) => {
    const n = normalizeIdentifier({ kind: 'url', value: v });
    return n.ok ? n.key : v;
  };
  return {
    at: row.observedAt,
    source: row.source,
    platform: row.platform,
    platformName: row.platformName,
    accountId: row.seller.accountId,
    displayName: row.seller.displayName,
    storeKey: url(row.storefront.url),
    storeUrl: row.storefront.url,
    listingKey: url(row.listing.url),
    listing: {
      url: row.listing.url,
      title: row.listing.title,
      price: row.listing.price,
      currency: row.listing.currency,
      unitsSold: row.listing.unitsSold,
      status: row.listing.status,
      platform: row.platform,
    },
    sku: row.listing.product.sku,
    productName: row.listing.product.name,
    companyKey: row.seller.businessLicenceNumber
      ? `reg:CN:${row.seller.businessLicenceNumber}`
      : null,
    legalName: row.seller.legalName ?? null,
    ids: (row.identifiers ?? []).flatMap((id: any) => {
      const n = normalizeIdentifier({
        kind: KINDS[id.kind]!,
        value: id.value,
        region: 'CN',
        provider: id.provider,
      });
      return n.ok
        ? [
            {
              kind: n.kind,
              key: n.key,
              display: n.display,
              raw: n.raw,
              label: LABEL[n.kind],
              type: LINK[id.kind],
            },
          ]
        : [];
    }),
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9, value };
}

async function freshGraph(managed: Awaited<ReturnType<typeof startManagedNeo4j>>, name: string) {
  const uri = managed.uris.get(name) ?? (await managed.startInstance({ name, port: 0 }));
  const db = new Database({
    uri,
    user: 'neo4j',
    password: PASSWORD,
    connectTimeoutMs: 30_000,
    maxPoolSize: 10,
    logger,
    cypher,
  });
  await db.verifyConnectivity(30_000);
  await migrate({ db, cypher, logger });
  const driver: Driver = neo4j.driver(uri, neo4j.auth.basic('neo4j', PASSWORD));
  return { uri, db, driver };
}

async function peakRss(
  uri: string,
  file: string,
): Promise<{ peakRssMB: number; seconds: number; summary: unknown }> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['src/bin/palisade.js', 'import', file, '--no-progress', '--json'],
    {
      env: {
        ...process.env,
        NEO4J_URI: uri,
        NEO4J_USER: 'neo4j',
        NEO4J_PASSWORD: PASSWORD,
        PALISADE_DATA_DIR: join(home, 'import-data'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // The child has exited.
    }
  }, 100);
  await once(child, 'exit');
  clearInterval(poll);
  const line = out.trim().split('\n').pop() ?? '{}';
  return {
    peakRssMB: Math.round(peakKb / 1024),
    seconds: (Date.now() - started) / 1000,
    summary: JSON.parse(line),
  };
}

const managed = await startManagedNeo4j({
  home,
  instances: [{ name: 'ours', port: 0 }],
  password: PASSWORD,
  heap: '1g',
  pageCache: '512m',
});
try {
  const rows = [...generate({ sellers: SELLERS, seed: 2026 }).rows()].filter(
    (r) => r.record === 'listing',
  );

  const records = rows.map(({ record, ...value }, index) => ({ index, kind: record, value }));
  // Per-row MERGE runs on rows neither graph has seen, a few after each batch.
  const perRowRows: GeneratedRow[] = [];
  let seen = 0;
  for (const r of generate({ sellers: SELLERS + PER_ROW, seed: 2026 }).rows()) {
    if (r.record !== 'listing') continue;
    if (seen++ < rows.length) continue;
    perRowRows.push(r);
    if (perRowRows.length >= PER_ROW) break;
  }

  // 0. Warm the JVM (one JVM serves every instance) with both paths, so neither pays for JIT.
  const warm = await freshGraph(managed, 'warmup');
  const warmIngestor = new Ingestor({
    store: new IngestStore(warm.db),
    logger,
    batchSize: BATCH,
    defaultRegion: 'CN',
  });
  const warmSession = warm.driver.session();
  for (let i = 0; i < Math.min(records.length, 3 * BATCH); i += BATCH) {
    await warmIngestor.ingest(records.slice(i, i + BATCH));
    const batch = rows.slice(i, i + BATCH).map(baselineRow);
    await warmSession.executeWrite((tx) => tx.run(BASELINE, { rows: batch }));
  }
  await warmSession.close();
  await warm.db.close();
  await warm.driver.close();
  await managed.stopInstance('warmup');

  // 1–3. The project's path (validate, normalize, plan, fold, static MERGE statements per label
  // and type), the hand-written UNWIND $rows MERGE and per-row MERGE, each on its own graph,
  // interleaved batch by batch (alternating who goes first) so that load from anything else on
  // the machine falls on all three alike.
  const ours = await freshGraph(managed, 'ours');
  const base = await freshGraph(managed, 'baseline');
  const ingestor = new Ingestor({
    store: new IngestStore(ours.db),
    logger,
    batchSize: BATCH,
    defaultRegion: 'CN',
  });
  const session = base.driver.session();
  const oursRun = { seconds: 0, value: { summary: emptySummary() } };
  const baseRun = { seconds: 0 };
  const perRowRun = { seconds: 0 };
  const batches = Math.ceil(records.length / BATCH);
  const perRowPerBatch = Math.ceil(perRowRows.length / batches);
  for (let b = 0; b < batches; b++) {
    const runOurs = async () => {
      const t = await timed(() => ingestor.ingest(records.slice(b * BATCH, (b + 1) * BATCH)));
      oursRun.seconds += t.seconds;
      const s = oursRun.value.summary;
      for (const k of Object.keys(s) as Array<keyof typeof s>) s[k] += t.value.summary[k];
    };
    const runBase = async () => {
      const t = await timed(async () => {
        const batch = rows.slice(b * BATCH, (b + 1) * BATCH).map(baselineRow);
        await session.executeWrite((tx) => tx.run(BASELINE, { rows: batch }));
      });
      baseRun.seconds += t.seconds;
    };
    if (b % 2 === 0) {
      await runOurs();
      await runBase();
    } else {
      await runBase();
      await runOurs();
    }
    const t = await timed(async () => {
      for (const r of perRowRows.slice(b * perRowPerBatch, (b + 1) * perRowPerBatch))
        await session.executeWrite((tx) => tx.run(BASELINE, { rows: [baselineRow(r)] }));
    });
    perRowRun.seconds += t.seconds;
  }
  await session.close();
  for (const g of [ours, base]) {
    await g.db.close();
    await g.driver.close();
  }
  await managed.stopInstance('ours');
  await managed.stopInstance('baseline');

  // 4. Peak RSS of `palisade import` of a large generated file, in a child process
  // (BENCH_RSS_SELLERS=0 skips it).
  let importPeakRss: Record<string, unknown> = { skipped: true };
  if (RSS_SELLERS > 0) {
    const file = join(home, 'big.jsonl');
    const gen = generate({ sellers: RSS_SELLERS, seed: 7 });
    const out = createWriteStream(file);
    for (const r of gen.rows()) if (!out.write(`${JSON.stringify(r)}\n`)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    const big = await freshGraph(managed, 'rss');
    await big.db.close();
    await big.driver.close();
    importPeakRss = { rows: gen.manifest.rows, ...(await peakRss(big.uri, file)), targetMB: 300 };
  }

  const oursRate = rows.length / oursRun.seconds;
  const baseRate = rows.length / baseRun.seconds;
  const perRowRate = perRowRows.length / perRowRun.seconds;
  console.log(
    JSON.stringify(
      {
        bench: 'ingest',
        rows: rows.length,
        batchSize: BATCH,
        ours: {
          seconds: +oursRun.seconds.toFixed(2),
          rowsPerSecond: Math.round(oursRate),
          summary: oursRun.value.summary,
        },
        handWrittenUnwindMerge: {
          seconds: +baseRun.seconds.toFixed(2),
          rowsPerSecond: Math.round(baseRate),
        },
        perRowMerge: {
          rows: perRowRows.length,
          seconds: +perRowRun.seconds.toFixed(2),
          rowsPerSecond: Math.round(perRowRate),
        },
        ratios: {
          oursVsHandWritten: +(oursRate / baseRate).toFixed(2),
          oursVsHandWrittenTarget: 0.8,
          oursVsPerRow: +(oursRate / perRowRate).toFixed(1),
          oursVsPerRowTarget: 30,
          // What the hand-written statement itself reaches over per-row on this machine.
          handWrittenVsPerRow: +(baseRate / perRowRate).toFixed(1),
        },
        importPeakRss,
      },
      null,
      2,
    ),
  );
} finally {
  await managed.stop();
  rmSync(home, { recursive: true, force: true });
}
