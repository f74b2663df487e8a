// Exploration benchmark (npm run bench:explore; JSON on stdout). On a generated graph (the ingest
// generator with planted networks): p50/p95 of a 3-hop expand through the GraphQL endpoint vs the
// same statement run directly through neo4j-driver (target ≤ 1.25×) and vs @neo4j/graphql 7
// serving the same graph with the equivalent nested query (target ≤ 0.5× its latency); and the
// incremental network update per new record vs a full recompute (target ≥ 100×).
// Settings: BENCH_SELLERS (default 20000; ≈ 9 nodes per seller), BENCH_SAMPLES (default 1000).
// Starts its own managed Neo4j (heap 1g, page cache 512m) and stops it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Neo4jGraphQL } from '@neo4j/graphql';
import { createYoga } from 'graphql-yoga';
import neo4j from 'neo4j-driver';
import { loadConfig } from '../../src/config.js';
import { CypherLibrary } from '../../src/db/cypher.js';
import { Database } from '../../src/db/database.js';
import { startManagedNeo4j } from '../../src/db/managed-neo4j.js';
import { migrate } from '../../src/db/migrations.js';
import type { GraphRef } from '../../src/explore/refs.js';
import { ExploreStore, type ExpandOptions } from '../../src/explore/store.js';
import { generate } from '../../src/ingest/generate.js';
import { Ingestor, type IncomingRecord } from '../../src/ingest/ingest.js';
import { IngestStore } from '../../src/ingest/store.js';
import { startNode, type RunningNode } from '../../src/main.js';
import { NetworkService } from '../../src/networks/service.js';
import { defaultNetworkSettings } from '../../src/networks/settings.js';
import { createLogger } from '../../src/server/logger.js';

const SELLERS = Number(process.env['BENCH_SELLERS'] ?? 20_000);
const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 1000);
const PASSWORD = 'bench-password';
const home = mkdtempSync(join(tmpdir(), 'palisade-explore-bench-'));
const logger = createLogger('warn');

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 100) / 100;
};
const stats = (xs: number[]) => ({ p50: pct(xs, 50), p95: pct(xs, 95) });

/**
 * Times two functions SAMPLES times each, in pairs whose order alternates (A B, B A, A B, …), so
 * that each follows the other as often as itself and other load on the machine falls on both
 * alike. Each is called with the same sequence of inputs.
 */
async function timePaired<T>(
  [a, b]: readonly [(input: T) => Promise<unknown>, (input: T) => Promise<unknown>],
  inputs: readonly T[],
  samples: number,
  warmup = 200,
): Promise<[number[], number[]]> {
  const input = (i: number) => inputs[i % inputs.length]!;
  for (let i = 0; i < warmup; i++) {
    await a(input(i));
    await b(input(i));
  }
  const out: [number[], number[]] = [[], []];
  const fns = [a, b] as const;
  for (let i = 0; i < samples; i++) {
    for (const k of i % 2 === 0 ? [0, 1] : [1, 0]) {
      const t = process.hrtime.bigint();
      await fns[k]!(input(i));
      out[k]!.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  return out;
}

// The same 3 hops for @neo4j/graphql: seller → identifier → seller → identifier.
const NEO4J_GRAPHQL_TYPES = /* GraphQL */ `
  type Seller @node {
    uid: String!
    displayName: String
    phones: [Phone!]! @relationship(type: "USES_PHONE", direction: OUT)
    emails: [Email!]! @relationship(type: "USES_EMAIL", direction: OUT)
    addresses: [Address!]! @relationship(type: "RETURNS_TO", direction: OUT)
    payments: [PaymentAccount!]! @relationship(type: "PAID_TO", direction: OUT)
  }
  type Phone @node {
    key: String!
    sellers: [Seller!]! @relationship(type: "USES_PHONE", direction: IN)
  }
  type Email @node {
    key: String!
    sellers: [Seller!]! @relationship(type: "USES_EMAIL", direction: IN)
  }
  type Address @node {
    key: String!
    sellers: [Seller!]! @relationship(type: "RETURNS_TO", direction: IN)
  }
  type PaymentAccount @node {
    key: String!
    sellers: [Seller!]! @relationship(type: "PAID_TO", direction: IN)
  }
`;
const IDS = 'phones { key } emails { key } addresses { key } payments { key }';
const HOP2 = `sellers { uid displayName ${IDS} }`;
const NESTED = `query($uid: String!) { sellers(where: { uid: { eq: $uid } }) { uid displayName
  phones { key ${HOP2} } emails { key ${HOP2} } addresses { key ${HOP2} } payments { key ${HOP2} } } }`;
const OURS = `query($id: ID!) { expand(id: $id, depth: 3, budget: 200, types: [USES_PHONE, USES_EMAIL, RETURNS_TO, PAID_TO]) {
  truncated nodes { depth degree node { id __typename } } edges { id type source target } } }`;

/** The options the endpoint passed to ExploreStore.expand while `request` ran. */
async function optionsOfExpand(request: () => Promise<unknown>): Promise<ExpandOptions> {
  const proto = ExploreStore.prototype;
  const original = Object.getOwnPropertyDescriptor(proto, 'expand')!;
  let seen: ExpandOptions | undefined;
  Object.defineProperty(proto, 'expand', {
    ...original,
    value(this: ExploreStore, start: GraphRef, o: ExpandOptions) {
      seen = o;
      return (original.value as ExploreStore['expand']).call(this, start, o);
    },
  });
  try {
    await request();
  } finally {
    Object.defineProperty(proto, 'expand', original);
  }
  if (!seen) throw new Error('the GraphQL expand did not reach the store');
  return seen;
}

async function main() {
  const managed = await startManagedNeo4j({
    home,
    instances: [{ name: 'bench', port: 0 }],
    password: PASSWORD,
    heap: '1g',
    pageCache: '512m',
    // The JVM's own errors (out of memory, crashes) matter when a figure is missing.
    onLog: (line) => {
      if (/ERROR|Exception|OutOfMemory/.test(line)) process.stderr.write(`neo4j: ${line}\n`);
    },
  });
  const uri = managed.uris.get('bench')!;
  const cypher = CypherLibrary.load();
  const db = new Database({
    uri,
    user: 'neo4j',
    password: PASSWORD,
    connectTimeoutMs: 60_000,
    maxPoolSize: 20,
    logger,
    cypher,
  });
  const driver = neo4j.driver(uri, neo4j.auth.basic('neo4j', PASSWORD));
  const result: Record<string, unknown> = {};
  let node: RunningNode | undefined;
  try {
    await db.verifyConnectivity(60_000);
    await migrate({ db, cypher, logger });

    // 1. Generate and ingest (networks follow later: the recompute is the baseline).
    const { manifest, rows } = generate({ sellers: SELLERS, seed: 42 });
    const ingestor = new Ingestor({
      store: new IngestStore(db),
      logger,
      batchSize: 1000,
      defaultRegion: 'CN',
    });
    let t = Date.now();
    async function* records(): AsyncGenerator<IncomingRecord> {
      let index = 0;
      for (const { record, ...value } of rows()) {
        yield { index: index++, kind: record, value };
        // Let the writer of the previous batch run while rows are produced.
        if (index % 1000 === 0) await new Promise<void>((r) => setImmediate(r));
      }
    }
    await ingestor.ingestStream(records(), () => undefined);
    const ingestMs = Date.now() - t;
    const [counts] = await db.runSchemaStatement(
      'CALL () { MATCH (n) RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } RETURN nodes, rels',
    );
    result['scale'] = {
      sellers: SELLERS,
      rows: manifest.rows,
      nodes: Number(counts!['nodes']),
      relationships: Number(counts!['rels']),
      ingestMs,
    };

    // 2. Networks: full recompute vs incremental update per new record. The first recompute builds
    // every network from nothing; the second is the repair on a graph whose networks are already
    // right (it still reads the whole graph and refreshes every summary). The speed-up is quoted
    // against the faster of the two.
    const networks = new NetworkService({
      db,
      logger,
      settings: defaultNetworkSettings(),
      defaultRegion: 'CN',
    });
    t = Date.now();
    const full = await networks.recompute();
    const recomputeMs = Date.now() - t;
    t = Date.now();
    await networks.recompute();
    const repairMs = Date.now() - t;
    const hooked = new Ingestor({
      store: new IngestStore(db),
      logger,
      batchSize: 1,
      defaultRegion: 'CN',
    });
    const updateMs: number[] = [];
    const visited: number[] = [];
    const planted = manifest.networks.flatMap((n) => n.sellers);
    for (let i = 0; i < 30; i++) {
      const [a, b] = [
        manifest.networks[i % manifest.networks.length]!,
        manifest.networks[(i + 7) % manifest.networks.length]!,
      ];
      const value = {
        source: 'bench',
        observedAt: '2026-05-01T00:00:00Z',
        platform: 'taobao',
        seller: { accountId: `bench-bridge-${i}` },
        identifiers: [
          { kind: 'PHONE', value: String(13_900_000_000 + planted.indexOf(a.sellers[0]!)) },
          { kind: 'PHONE', value: String(13_900_000_000 + planted.indexOf(b.sellers[0]!)) },
        ],
      };
      const prepared = hooked.prepare({ index: 0, kind: 'listing', value });
      await hooked.writePrepared([prepared]);
      const batch = prepared.ok ? prepared.patch : undefined;
      const started = process.hrtime.bigint();
      const summary = await networks.maintainer.update({
        uids: batch?.nodes.map((n) => n.uid) ?? [],
        identifiers: batch?.identifiers.map((x) => ({ kind: x.kind, key: x.key })) ?? [],
      });
      updateMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      visited.push(summary.visited);
    }
    const baseline = Math.min(recomputeMs, repairMs);
    result['networks'] = {
      networks: full.created.length + full.kept.length,
      planted: manifest.networks.length,
      recomputeMs,
      repairRecomputeMs: repairMs,
      incrementalPerRecordMs: stats(updateMs),
      membersVisitedPerRecord: stats(visited),
      speedupAtP50: Math.round((baseline / pct(updateMs, 50)) * 10) / 10,
      speedupVsFreshRecomputeAtP50: Math.round((recomputeMs / pct(updateMs, 50)) * 10) / 10,
      speedupVsRepairRecomputeAtP50: Math.round((repairMs / pct(updateMs, 50)) * 10) / 10,
      target: '≥ 100×',
    };

    // 3. Three-hop expand: our GraphQL endpoint vs the same statement vs @neo4j/graphql 7.
    const starts = manifest.networks.flatMap((n) => n.sellers).slice(0, 50);
    const config = loadConfig({
      PALISADE_ENV: 'test',
      PALISADE_DATA_DIR: join(home, 'data'),
      NEO4J_URI: uri,
      NEO4J_USER: 'neo4j',
      NEO4J_PASSWORD: PASSWORD,
      LOG_LEVEL: 'warn',
      // The bench measures answers, not refusals: its one client must stay under the limit.
      PALISADE_RATE_LIMIT_PER_SECOND: '100000',
      PALISADE_RATE_LIMIT_BURST: '100000',
    });
    node = await startNode(config, { listen: false, logger });
    const running = node;
    const token = await running.tokens.issue({
      role: 'analyst',
      subject: 'bench',
      ttlSeconds: 3600,
    });
    let refused = 0;
    const expandedNodes: number[] = [];
    const ours = (seller: string) =>
      Promise.resolve(
        running.yoga.fetch('http://bench/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            query: OURS,
            variables: { id: Buffer.from(`Seller:${seller}`).toString('base64url') },
          }),
        }),
      )
        .then((r) => r.json())
        .then((body: { errors?: unknown; data?: { expand?: { nodes: unknown[] } } }) => {
          if (body.errors) refused++;
          expandedNodes.push(body.data?.expand?.nodes.length ?? 0);
          return body;
        });
    // The driver runs the statement with the options our endpoint derived from OURS (read off
    // one request), so that both sides run the same statement with the same parameters.
    const statement = cypher.get('explore/expand');
    const options = await optionsOfExpand(() => ours(starts[0]!));
    const direct = async (seller: string) => {
      const session = driver.session({ defaultAccessMode: neo4j.session.READ });
      try {
        await session.executeRead((tx) =>
          tx.run(statement, ExploreStore.expandParams({ uid: `Seller:${seller}` }, options)),
        );
      } finally {
        await session.close();
      }
    };
    const neoSchema = new Neo4jGraphQL({ typeDefs: NEO4J_GRAPHQL_TYPES, driver });
    const theirs = createYoga({
      schema: await neoSchema.getSchema(),
      context: { executionContext: driver },
      logging: false,
    });
    const nested = (seller: string) =>
      Promise.resolve(
        theirs.fetch('http://bench/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: NESTED, variables: { uid: `Seller:${seller}` } }),
        }),
      ).then((r) => r.json());
    // The full-text indexes catch up with the ingest in the background: let them finish before
    // timing, so that their work does not fall on the first run of pairs and not the second.
    await db.runSchemaStatement('CALL db.awaitIndexes(300)');
    const check = (await ours(starts[0]!)) as { errors?: unknown };
    const checkTheirs = (await nested(starts[0]!)) as { errors?: unknown };
    if (check.errors || checkTheirs.errors) {
      throw new Error(JSON.stringify({ ours: check.errors, theirs: checkTheirs.errors }));
    }
    // Two paired runs, one per baseline: the heavy @neo4j/graphql requests (their garbage, their
    // load on the server) must not fall on one side of the driver comparison more than the other.
    const [g, d] = await timePaired([ours, direct], starts, SAMPLES);
    expandedNodes.length = 0;
    const [g2, n] = await timePaired([ours, nested], starts, SAMPLES);
    if (refused > 0) throw new Error(`${refused} GraphQL expands answered with errors`);
    result['expand3'] = {
      samples: SAMPLES,
      nodesPerExpand: stats(expandedNodes),
      vsDriver: { graphql: stats(g), driver: stats(d) },
      vsNeo4jGraphql: { graphql: stats(g2), neo4jGraphql: stats(n) },
      graphqlOverDriverP50: Math.round((pct(g, 50) / pct(d, 50)) * 100) / 100,
      graphqlOverNeo4jGraphqlP50: Math.round((pct(g2, 50) / pct(n, 50)) * 100) / 100,
      targets: { overDriver: '≤ 1.25×', overNeo4jGraphql: '≤ 0.5×' },
    };
  } finally {
    await node?.stop();
    await driver.close();
    await db.close();
    await managed.stop();
    rmSync(home, { recursive: true, force: true });
  }
  console.log(JSON.stringify(result, null, 2));
}

await main();
