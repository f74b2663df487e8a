// Neo4j going away under load: a few hundred concurrent requests all answer quickly (UNAVAILABLE
// while it is down), none hangs, and the node recovers by itself when Neo4j is back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { freePort, startManagedNeo4j, type ManagedNeo4j } from '../../../src/db/managed-neo4j.js';
import { startNode, type RunningNode } from '../../../src/main.js';
import { tokenFor } from '../../support/auth.js';
import { testLogger } from '../../support/test-graph.js';

const CONCURRENT = 300;
const NEEDS_NEO4J = '{ nodeInfo { neo4j { version } } }';

describe('requests under load while Neo4j stops and comes back', () => {
  const home = mkdtempSync(join(tmpdir(), 'palisade-faults-'));
  let neo4j: ManagedNeo4j;
  let node: RunningNode;
  let port: number;
  let token: string;

  beforeAll(async () => {
    port = await freePort();
    neo4j = await startManagedNeo4j({
      home,
      instances: [{ name: 'solo', port }],
      password: 'faults-pw',
      heap: '512m',
      pageCache: '32m',
    });
    node = await startNode(
      loadConfig({
        PALISADE_ENV: 'test',
        NEO4J_URI: neo4j.uris.get('solo')!,
        NEO4J_PASSWORD: 'faults-pw',
        PALISADE_DATA_DIR: home,
        PALISADE_PORT: String(await freePort()),
        PALISADE_RATE_LIMIT_PER_SECOND: '100000',
        PALISADE_RATE_LIMIT_BURST: '100000',
        LOG_LEVEL: 'silent',
      }),
      { logger: testLogger() },
    );
    token = await tokenFor(node, 'viewer');
  });
  afterAll(async () => {
    await node?.stop();
    await neo4j?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  /** Fires CONCURRENT requests at once over real HTTP; returns each one's code and the slowest time. */
  async function burst(): Promise<{
    codes: Map<string, number>;
    slowestMs: number;
    totalMs: number;
  }> {
    const started = performance.now();
    let slowestMs = 0;
    const codes = new Map<string, number>();
    await Promise.all(
      Array.from({ length: CONCURRENT }, async () => {
        const t = performance.now();
        const res = await fetch(`${node.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: NEEDS_NEO4J }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
        const code = body.errors?.[0]?.extensions?.code ?? 'OK';
        codes.set(code, (codes.get(code) ?? 0) + 1);
        slowestMs = Math.max(slowestMs, performance.now() - t);
      }),
    );
    return { codes, slowestMs, totalMs: performance.now() - started };
  }

  it('answers every request, fast, before, during and after an outage', async () => {
    const up = await burst();
    // With Neo4j up, a request may only be shed (pool acquisition timeout on a starved machine).
    expect([...up.codes.keys()].filter((c) => c !== 'OK' && c !== 'UNAVAILABLE')).toEqual([]);
    expect(up.codes.get('OK') ?? 0).toBeGreaterThanOrEqual(CONCURRENT * 0.9);

    await neo4j.stopInstance('solo');
    // Once the node has noticed (readiness false), nothing waits on the dead server.
    expect((await fetch(`${node.url}/readyz`)).status).toBe(503);
    const before = node.db.stats().completed;
    const down = await burst();
    const after0 = node.db.stats().completed;
    expect(down.codes.get('UNAVAILABLE')).toBe(CONCURRENT);
    // Fail fast, proven by the counters: every request was refused without touching the driver
    // (no transaction waited on the dead server), not merely "quick on this machine".
    // (A health ping that began before the stop may flip availability back for an instant: ≤ 2.)
    expect(after0.refusedFast - before.refusedFast).toBeGreaterThanOrEqual(CONCURRENT);
    expect(after0.unavailable - before.unavailable).toBeLessThanOrEqual(2);
    // Wall clock is then only this process's CPU (300 requests on a shared CI core).
    expect(down.slowestMs).toBeLessThan(15_000);
    expect((await fetch(`${node.url}/healthz`)).status).toBe(200);

    // Stopped in the middle of a burst: every request still settles, as OK or UNAVAILABLE.
    await neo4j.startInstance({ name: 'solo', port });
    let ready = false;
    for (let i = 0; i < 60 && !ready; i++) {
      ready = (await fetch(`${node.url}/readyz`)).status === 200;
      if (!ready) await new Promise((r) => setTimeout(r, 500));
    }
    expect(ready).toBe(true);
    const during = burst();
    await new Promise((r) => setTimeout(r, 20));
    await neo4j.stopInstance('solo');
    const mid = await during;
    const settled = [...mid.codes.entries()].filter(([c]) => c !== 'OK' && c !== 'UNAVAILABLE');
    expect(settled).toEqual([]);
    // In flight when the server died: bounded by the driver's acquisition (5 s) and retry (3 s) timeouts.
    expect(mid.slowestMs).toBeLessThan(20_000);

    await neo4j.startInstance({ name: 'solo', port });
    ready = false;
    for (let i = 0; i < 60 && !ready; i++) {
      ready = (await fetch(`${node.url}/readyz`)).status === 200;
      if (!ready) await new Promise((r) => setTimeout(r, 500));
    }
    expect(ready).toBe(true);
    // Recovered by itself: the health loop has seen the server again, nothing restarted the node.
    let after = await burst();
    for (let i = 0; i < 10 && (after.codes.get('OK') ?? 0) < CONCURRENT * 0.9; i++) {
      await new Promise((r) => setTimeout(r, 500));
      after = await burst();
    }
    expect([...after.codes.keys()].filter((c) => c !== 'OK' && c !== 'UNAVAILABLE')).toEqual([]);
    expect(after.codes.get('OK') ?? 0).toBeGreaterThanOrEqual(CONCURRENT * 0.9);
    console.info(
      JSON.stringify({
        concurrent: CONCURRENT,
        upTotalMs: Math.round(up.totalMs),
        downSlowestMs: Math.round(down.slowestMs),
        midOutage: Object.fromEntries(mid.codes),
        midSlowestMs: Math.round(mid.slowestMs),
      }),
    );
  });
});
