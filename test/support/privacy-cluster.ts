// Brand A, brand B and an association C on loopback, in this process, each with its own Neo4j
// instance in one launcher JVM and a real HTTP server. In front of each node a recording proxy:
// the node's public URL points at it, so every request peers make (inbox envelopes, OPRF
// evaluations, partner queries) is captured as sent on the wire. Peers are pinned both ways.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { freePort, startManagedNeo4j, type ManagedNeo4j } from '../../src/db/managed-neo4j.js';
import { fingerprint } from '../../src/federation/keys.js';
import { startNode, type RunningNode } from '../../src/main.js';
import { createLogger } from '../../src/server/logger.js';

const PASSWORD = 'palisade-privacy-cluster';

export interface Captured {
  method: string;
  path: string;
  body: string;
}

export interface ClusterNode {
  id: string;
  node: RunningNode;
  publicUrl: string;
  /** Every request that reached this node through its public URL. */
  captured: Captured[];
}

export interface Cluster {
  a: ClusterNode;
  b: ClusterNode;
  c: ClusterNode;
  stop(): Promise<void>;
}

function recordingProxy(target: number, captured: Captured[]): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      captured.push({
        method: req.method ?? '',
        path: req.url ?? '',
        body: body.toString('latin1'),
      });
      const upstream = httpRequest(
        {
          host: '127.0.0.1',
          port: target,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    });
  });
}

export async function startPrivacyCluster(
  extra: Partial<Record<'a' | 'b' | 'c', Record<string, string>>> = {},
): Promise<Cluster> {
  const root = mkdtempSync(join(tmpdir(), 'palisade-privacy-cluster-'));
  const neo4j: ManagedNeo4j = await startManagedNeo4j({
    home: join(root, 'neo4j'),
    instances: ['a', 'b', 'c'].map((name) => ({ name, port: 0 })),
    password: PASSWORD,
    heap: '768m',
    pageCache: '64m',
  });
  const proxies: Server[] = [];
  const started: ClusterNode[] = [];
  const spec = [
    { key: 'a' as const, id: 'brand-a', name: 'Brand A', role: 'brand' },
    { key: 'b' as const, id: 'brand-b', name: 'Brand B', role: 'brand' },
    { key: 'c' as const, id: 'assoc-c', name: 'Association C', role: 'association' },
  ];
  try {
    for (const s of spec) {
      const [port, proxyPort] = [await freePort(), await freePort()];
      const captured: Captured[] = [];
      const proxy = recordingProxy(port, captured);
      await new Promise<void>((r) => proxy.listen(proxyPort, '127.0.0.1', () => r()));
      proxies.push(proxy);
      const publicUrl = `http://127.0.0.1:${proxyPort}`;
      const config = loadConfig({
        PALISADE_ENV: 'test',
        PALISADE_NODE_ID: s.id,
        PALISADE_NODE_NAME: s.name,
        PALISADE_ROLE: s.role,
        PALISADE_PORT: String(port),
        PALISADE_PUBLIC_URL: publicUrl,
        PALISADE_DATA_DIR: join(root, s.key),
        NEO4J_URI: neo4j.uris.get(s.key)!,
        NEO4J_PASSWORD: PASSWORD,
        PALISADE_FEDERATION_SEND_INTERVAL_MS: '100',
        PALISADE_FEDERATION_MAX_BACKOFF_MS: '1000',
        PALISADE_PEER_RATE_LIMIT_PER_SECOND: '1000',
        PALISADE_PEER_RATE_LIMIT_BURST: '1000',
        PALISADE_RATE_LIMIT_PER_SECOND: '1000',
        PALISADE_RATE_LIMIT_BURST: '1000',
        LOG_LEVEL: 'silent',
        ...extra[s.key],
      });
      const node = await startNode(config, { logger: createLogger('silent') });
      started.push({ id: s.id, node, publicUrl, captured });
    }
    const [a, b, c] = started as [ClusterNode, ClusterNode, ClusterNode];
    const fp = async (n: ClusterNode) =>
      fingerprint((await n.node.federation.keys.current()).current.signing);
    const pin = async (from: ClusterNode, to: ClusterNode, role: 'partner' | 'association') => {
      const r = await from.node.federation.peerService.add({
        url: to.publicUrl,
        fingerprint: await fp(to),
        role,
        policy: { maxTlp: 'AMBER', audiences: [], transforms: [] },
      });
      if (!r.ok) throw new Error(`${from.id} → ${to.id}: ${r.error.code} ${r.error.message}`);
    };
    await pin(a, b, 'partner');
    await pin(b, a, 'partner');
    await pin(a, c, 'association');
    await pin(b, c, 'association');
    await pin(c, a, 'partner');
    await pin(c, b, 'partner');
    return {
      a,
      b,
      c,
      async stop() {
        for (const n of started) await n.node.stop().catch(() => undefined);
        for (const p of proxies) await new Promise((r) => p.close(r));
        await neo4j.stop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (e) {
    for (const n of started) await n.node.stop().catch(() => undefined);
    for (const p of proxies) p.close();
    await neo4j.stop();
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
}
