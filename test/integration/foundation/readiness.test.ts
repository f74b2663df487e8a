import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startManagedNeo4j, type ManagedNeo4j } from '../../../src/db/managed-neo4j.js';
import { startNode, type RunningNode } from '../../../src/main.js';
import { loadConfig } from '../../../src/config.js';
import { tokenFor } from '../../support/auth.js';
import { testLogger } from '../../support/test-graph.js';

// This suite owns its Neo4j so that it can stop and restart it under the node.
describe('readiness follows Neo4j going away and coming back', () => {
  const home = mkdtempSync(join(tmpdir(), 'palisade-readiness-'));
  let neo4j: ManagedNeo4j;
  let node: RunningNode;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    neo4j = await startManagedNeo4j({
      home,
      instances: [{ name: 'solo', port }],
      password: 'readiness-pw',
      heap: '512m',
      pageCache: '32m',
    });
    const config = loadConfig({
      PALISADE_ENV: 'test',
      NEO4J_URI: neo4j.uris.get('solo')!,
      NEO4J_PASSWORD: 'readiness-pw',
      PALISADE_DATA_DIR: home,
      LOG_LEVEL: 'silent',
    });
    node = await startNode(config, { listen: false, logger: testLogger() });
  });

  afterAll(async () => {
    await node?.stop();
    await neo4j?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  const ready = async () => (await node.yoga.fetch('http://palisade.test/readyz')).status;

  it('is ready, goes not-ready when Neo4j stops, answers UNAVAILABLE fast, and recovers', async () => {
    expect(await ready()).toBe(200);

    await neo4j.stopInstance('solo');
    expect(await ready()).toBe(503);

    const token = await tokenFor(node, 'viewer');
    const started = Date.now();
    const res = await node.yoga.fetch('http://palisade.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ nodeInfo { neo4j { version } } }' }),
    });
    const body = (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(2_000);

    await neo4j.startInstance({ name: 'solo', port });
    let status = 0;
    for (let i = 0; i < 60 && status !== 200; i++) {
      status = await ready();
      if (status !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe(200);
  });
});
