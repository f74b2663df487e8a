// Gives an integration suite its own clean, migrated graph: the instance of its worker, wiped.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { CypherLibrary } from '../../src/db/cypher.js';
import { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrations.js';
import { Ingestor } from '../../src/ingest/ingest.js';
import { IngestStore } from '../../src/ingest/store.js';
import { NetworkService } from '../../src/networks/service.js';
import { defaultNetworkSettings, type NetworkSettings } from '../../src/networks/settings.js';
import { createLogger, type Logger } from '../../src/server/logger.js';

export interface TestGraph {
  db: Database;
  cypher: CypherLibrary;
  logger: Logger;
  uri: string;
  /** A config pointing at this suite's graph; extra settings override. */
  config(extra?: Record<string, string>): Config;
}

export function workerUri(): string {
  const { uris } = inject('neo4j');
  const worker = Number(process.env['VITEST_POOL_ID'] ?? '1');
  return uris[(worker - 1) % uris.length]!;
}

export const testLogger = (): Logger => createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent');

let dataDir: string | undefined;
/** One scratch data directory per test process (the token issuer key lands there, not in the repo). */
export function testDataDir(): string {
  dataDir ??= mkdtempSync(join(tmpdir(), 'palisade-test-data-'));
  return dataDir;
}

export function testConfig(uri: string, extra: Record<string, string> = {}): Config {
  const { user, password } = inject('neo4j');
  return loadConfig({
    PALISADE_ENV: 'test',
    PALISADE_DATA_DIR: testDataDir(),
    NEO4J_URI: uri,
    NEO4J_USER: user,
    NEO4J_PASSWORD: password,
    PALISADE_PORT: '4000',
    LOG_LEVEL: 'silent',
    ...extra,
  });
}

/** Wipes the worker's graph, migrates it, and closes the driver after the suite. */
export function useTestGraph(): TestGraph {
  const graph = {} as TestGraph;
  beforeAll(async () => {
    const uri = workerUri();
    const cfg = testConfig(uri);
    const logger = testLogger();
    const cypher = CypherLibrary.load();
    const db = new Database({
      uri,
      user: cfg.neo4j.user,
      password: cfg.neo4j.password,
      connectTimeoutMs: 30_000,
      maxPoolSize: 20,
      logger,
      cypher,
    });
    await db.verifyConnectivity(30_000);
    await wipe(db);
    await migrate({ db, cypher, logger });
    Object.assign(graph, {
      db,
      cypher,
      logger,
      uri,
      config: (extra?: Record<string, string>) => testConfig(uri, extra),
    });
  });
  afterAll(async () => {
    await graph.db?.close();
  });
  return graph;
}

export async function wipe(db: Database): Promise<void> {
  await db.runSchemaStatement(
    'MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS',
  );
}

/** An ingestor on the suite's graph whose batches keep networks current, as the node's does. */
export function networkedIngestor(
  g: Pick<TestGraph, 'db' | 'logger'>,
  settings: Partial<NetworkSettings> = {},
): { networks: NetworkService; ingestor: Ingestor } {
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
  return { networks, ingestor };
}
