// Load benchmark on loopback (npm run bench:load): a normal client's latency alone and while hostile
// clients are refused. Starts its own node and managed Neo4j; prints JSON; bounded in time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { freePort } from '../../src/db/managed-neo4j.js';
import { startNode } from '../../src/main.js';
import { tokenFor } from '../support/auth.js';
import { loadTest } from './load-harness.js';

const duration = Number(process.env['BENCH_SECONDS'] ?? '10');
const dataDir = mkdtempSync(join(tmpdir(), 'palisade-bench-load-'));
const node = await startNode(
  loadConfig({
    // test: node keys are created on first start (production needs `palisade init`); introspection off.
    PALISADE_ENV: 'test',
    PALISADE_INTROSPECTION: 'false',
    PALISADE_DATA_DIR: dataDir,
    PALISADE_PORT: String(await freePort()),
    PALISADE_NEO4J_BOLT_PORT: String(await freePort()),
    PALISADE_NEO4J_HEAP: '512m',
    PALISADE_NEO4J_PAGECACHE: '64m',
    PALISADE_RATE_LIMIT_PER_SECOND: '50',
    PALISADE_RATE_LIMIT_BURST: '50',
    LOG_LEVEL: 'warn',
  }),
);
try {
  const t = (subject: string) => tokenFor(node, 'analyst', { subject });
  const result = await loadTest({
    url: node.url,
    normalToken: await t('normal-client'),
    hostileTokens: {
      depth: await t('hostile-depth'),
      aliases: await t('hostile-aliases'),
      body: await t('hostile-body'),
      hammer: await t('hostile-hammer'),
    },
    durationSeconds: duration,
    normalRate: 20,
    connections: 4,
  });
  console.log(JSON.stringify({ benchmark: 'load', durationSeconds: duration, ...result }, null, 2));
} finally {
  await node.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
