// Crash recovery with real processes (issue 5): `palisade import` killed -9 part-way through a file
// and run again leaves exactly the graph an uninterrupted import leaves; a node killed -9 (twice)
// while its outbox drains to a peer, and restarted, delivers every message exactly once.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { CypherLibrary } from '../../src/db/cypher.js';
import { Database } from '../../src/db/database.js';
import { freePort, startManagedNeo4j, type ManagedNeo4j } from '../../src/db/managed-neo4j.js';
import { AuditLog } from '../../src/federation/audit-log.js';
import { fingerprint, readKeyFile, type KeyFile } from '../../src/federation/keys.js';
import { Outbox } from '../../src/federation/outbox.js';
import { PeerStore } from '../../src/federation/peer-store.js';
import { PeerService } from '../../src/federation/peers.js';
import { TEST_NOTE_TYPE } from '../../src/federation/test-note.js';
import type { Manifest } from '../../src/ingest/generate.js';
import { startNode, type RunningNode } from '../../src/main.js';
import { createLogger } from '../../src/server/logger.js';
import { ProcessGroup, untilReady, waitFor, type PalisadeProcess } from '../support/processes.js';

const PASSWORD = 'palisade-e2e-crash';
const logger = createLogger('silent');

function openDb(uri: string): Database {
  return new Database({
    uri,
    user: 'neo4j',
    password: PASSWORD,
    connectTimeoutMs: 30_000,
    maxPoolSize: 5,
    logger,
    cypher: CypherLibrary.load(),
  });
}

async function count(db: Database, statement: string, params = {}): Promise<number> {
  const [row] = await db.runSchemaStatement(statement, params);
  return Number(row?.['n'] ?? 0);
}

/** JSON with sorted keys, so that equal maps print equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** Properties that name the batch or the moment that wrote them, not what was written. */
const WRITE_STAMPS = new Set(['createdIn', 'createdAt', 'updatedAt']);
const withoutStamps = (props: unknown): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(props as Record<string, unknown>).filter(([k]) => !WRITE_STAMPS.has(k)),
  );

interface GraphSnapshot {
  labels: Record<string, number>;
  types: Record<string, number>;
  /** Every record and identifier node with all its properties. */
  nodes: string[];
  /** Every relationship between them, with its properties. */
  relationships: string[];
  /** Each infringer network: its members and its summary (its random id left out). */
  networks: string[];
}

/** The whole imported graph, in a form two databases can be compared by. */
async function snapshot(db: Database): Promise<GraphSnapshot> {
  const tally = (rows: Record<string, unknown>[], key: string): Record<string, number> =>
    Object.fromEntries(
      rows
        .map((r): [string, number] => [String(r[key]), Number(r['n'])])
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  const labels = tally(
    await db.runSchemaStatement('MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n'),
    'label',
  );
  const types = tally(
    await db.runSchemaStatement('MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n'),
    'type',
  );
  const nodes = (
    await db.runSchemaStatement(
      'MATCH (n) WHERE n:Entity OR n:Identifier RETURN labels(n) AS labels, properties(n) AS props',
    )
  )
    .map((r) =>
      canonical({ labels: [...(r['labels'] as string[])].sort(), ...withoutStamps(r['props']) }),
    )
    .sort();
  const relationships = (
    await db.runSchemaStatement(
      `MATCH (a)-[r]->(b) WHERE (a:Entity OR a:Identifier) AND (b:Entity OR b:Identifier)
       RETURN coalesce(a.uid, a.kind + ':' + a.key) AS from, type(r) AS type,
         coalesce(b.uid, b.kind + ':' + b.key) AS to, properties(r) AS props`,
    )
  )
    .map((r) => canonical({ ...r, props: withoutStamps(r['props']) }))
    .sort();
  const networks = (
    await db.runSchemaStatement(
      `MATCH (m:Entity)-[:IN_NETWORK]->(n:Network)
       WITH n, m.uid AS uid ORDER BY uid
       RETURN properties(n) AS props, collect(uid) AS members`,
    )
  )
    .map((r) => {
      const { id: _id, platforms, ...summary } = withoutStamps(r['props']);
      // The platforms are a set (collected in no particular order).
      const platformSet = [...(platforms as string[])].sort();
      return canonical({ members: r['members'], platforms: platformSet, ...summary });
    })
    .sort();
  return { labels, types, nodes, relationships, networks };
}

describe('crash recovery with real processes', () => {
  const root = mkdtempSync(join(tmpdir(), 'palisade-e2e-crash-'));
  const processes = new ProcessGroup();
  let neo4j: ManagedNeo4j | undefined;
  const dbs: Database[] = [];
  const nodes: RunningNode[] = [];
  const db = (uri: string) => {
    const d = openDb(uri);
    dbs.push(d);
    return d;
  };

  beforeAll(async () => {
    neo4j = await startManagedNeo4j({
      home: join(root, 'neo4j'),
      instances: ['reference', 'crashed', 'a', 'b'].map((name) => ({ name, port: 0 })),
      password: PASSWORD,
      heap: '768m',
      pageCache: '64m',
    });
  });

  afterAll(async () => {
    // Whatever a failed test left running goes first, then the graphs and the JVM.
    await processes.killAll();
    await Promise.all(nodes.map((n) => n.stop().catch(() => undefined)));
    await Promise.all(dbs.map((d) => d.close().catch(() => undefined)));
    await neo4j?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  describe('kill -9 during a bulk import', () => {
    const file = join(root, 'sellers.jsonl');
    let manifest: Manifest;
    // Five batches of 70: the kill lands with some committed and more to come.
    const BATCH = '70';

    const importInto = (instance: string): PalisadeProcess => {
      const dataDir = join(root, `import-${instance}`);
      mkdirSync(dataDir, { recursive: true });
      return processes.spawn(
        ['import', file, '--batch-size', BATCH, '--no-progress', '--json'],
        {
          PALISADE_ENV: 'test',
          PALISADE_DATA_DIR: dataDir,
          NEO4J_URI: neo4j!.uris.get(instance)!,
          NEO4J_USER: 'neo4j',
          NEO4J_PASSWORD: PASSWORD,
          LOG_LEVEL: 'warn',
        },
        `import ${instance}`,
      );
    };

    beforeAll(() => {
      const generated = spawnSync(
        process.execPath,
        ['src/bin/palisade.js', 'generate', '--sellers', '150', '--seed', '11', '--out', file],
        { encoding: 'utf8' },
      );
      expect(generated.status, generated.stderr).toBe(0);
      manifest = JSON.parse(readFileSync(`${file}.manifest.json`, 'utf8')) as Manifest;
    });

    it('loses nothing and duplicates nothing when the same import is run again', async () => {
      // The graph an uninterrupted import of the file leaves in an empty database.
      const started = Date.now();
      const whole = importInto('reference');
      expect(await whole.exited, whole.stderr()).toEqual({ code: 0, signal: null });
      const summary = JSON.parse(whole.stdout()) as { records: number; accepted: number };
      expect(summary).toMatchObject({ records: manifest.rows, accepted: manifest.rows });
      const wholeMs = Date.now() - started;
      const reference = await snapshot(db(neo4j!.uris.get('reference')!));
      const entities = reference.labels['Entity'] ?? 0;
      expect(entities).toBeGreaterThan(300);

      // The same file into another empty database, killed -9 once a quarter of it is in.
      const crashedDb = db(neo4j!.uris.get('crashed')!);
      const first = importInto('crashed');
      const atKill = await waitFor(
        'a quarter of the entities to be committed',
        async () => {
          const n = await count(crashedDb, 'MATCH (e:Entity) RETURN count(e) AS n');
          return n >= entities / 4 && n;
        },
        90_000,
        50,
      );
      await processes.kill9(first);
      expect(first.child.signalCode, 'the import ended before it could be killed').toBe('SIGKILL');
      const afterKill = await count(crashedDb, 'MATCH (e:Entity) RETURN count(e) AS n');
      expect(afterKill).toBeGreaterThanOrEqual(atKill);
      expect(afterKill).toBeLessThan(entities);

      // Run again: the rows already in are merged, the rest written, networks brought up to date.
      const again = importInto('crashed');
      expect(await again.exited, again.stderr()).toEqual({ code: 0, signal: null });
      const resumed = await snapshot(crashedDb);
      console.info(
        JSON.stringify({
          importCrash: { rows: manifest.rows, entities, atKill, afterKill, wholeMs },
        }),
      );

      expect(resumed.labels).toEqual(reference.labels);
      expect(resumed.types).toEqual(reference.types);
      expect(resumed.nodes).toEqual(reference.nodes);
      expect(resumed.relationships).toEqual(reference.relationships);
      expect(resumed.networks).toEqual(reference.networks);

      // Spot checks a user would make: one node per seller and per listing, and every planted
      // network found whole.
      const sellers = await count(crashedDb, 'MATCH (s:Seller) RETURN count(s) AS n');
      expect(sellers).toBe(manifest.sellers);
      const listings = await count(crashedDb, 'MATCH (l:Listing) RETURN count(l) AS n');
      expect(listings).toBe(manifest.sellers * manifest.listingsPerSeller);
      const duplicates = await count(
        crashedDb,
        `MATCH (e:Entity) WITH e.uid AS uid, count(*) AS c WHERE c > 1 RETURN count(uid) AS n`,
      );
      expect(duplicates).toBe(0);
      for (const planted of manifest.networks) {
        const found = await count(
          crashedDb,
          `UNWIND $uids AS uid MATCH (:Seller {uid: uid})-[:IN_NETWORK]->(n:Network)
           RETURN count(DISTINCT n) AS n`,
          { uids: planted.sellers.map((s) => `Seller:${s}`) },
        );
        expect(found, `planted network ${planted.id} (${planted.via})`).toBe(1);
      }
    });
  });

  describe('kill -9 while the outbox is sending', () => {
    const MESSAGES = 240;
    let aPort: number;
    let aEnv: Record<string, string>;
    let aDb: Database;
    let bDb: Database;
    let b: RunningNode;
    const startA = () => processes.spawn(['start'], aEnv, 'node A');

    beforeAll(async () => {
      aPort = await freePort();
      const bPort = await freePort();
      const common = (id: string, port: number, uri: string) => ({
        PALISADE_ENV: 'test',
        PALISADE_NODE_ID: id,
        PALISADE_NODE_NAME: `Node ${id}`,
        PALISADE_ROLE: 'brand',
        PALISADE_PORT: String(port),
        PALISADE_PUBLIC_URL: `http://127.0.0.1:${port}`,
        PALISADE_DATA_DIR: join(root, id),
        NEO4J_URI: uri,
        NEO4J_USER: 'neo4j',
        NEO4J_PASSWORD: PASSWORD,
        PALISADE_FEDERATION_SEND_INTERVAL_MS: '100',
        PALISADE_FEDERATION_MAX_BACKOFF_MS: '1000',
        LOG_LEVEL: 'warn',
      });
      aEnv = common('brand-a', aPort, neo4j!.uris.get('a')!);
      b = await startNode(loadConfig(common('brand-b', bPort, neo4j!.uris.get('b')!)), {
        logger,
      });
      nodes.push(b);
      aDb = db(neo4j!.uris.get('a')!);
      bDb = db(neo4j!.uris.get('b')!);
    });

    it('delivers every queued message exactly once across two kills and restarts', async () => {
      let a = startA();
      await untilReady(aPort);
      const [aKeys, bKeys] = await Promise.all(
        ['brand-a', 'brand-b'].map((id) => readKeyFile(join(root, id, 'keys', 'node-keys.json'))),
      );
      const pin = async (on: Database, selfId: string, url: string, keys: KeyFile) =>
        new PeerService(on, new PeerStore(on), new AuditLog(on), {
          id: selfId,
          requireHttps: false,
        }).add({ url, fingerprint: await fingerprint(keys.current.signing), role: 'partner' });
      const pins = await Promise.all([
        pin(aDb, 'brand-a', b.url, bKeys!),
        pin(bDb, 'brand-b', `http://127.0.0.1:${aPort}`, aKeys!),
      ]);
      for (const p of pins) expect(p.ok, JSON.stringify(p)).toBe(true);

      // A queues every message in one transaction, as a domain change would; its sender starts
      // draining them to B at once.
      const outbox = new Outbox(aDb, new PeerStore(aDb));
      const ids = await aDb.writeTransaction(async (tx) => {
        const queued: string[] = [];
        for (let i = 0; i < MESSAGES; i++) {
          queued.push(
            ...(await outbox.enqueue(tx, {
              peerId: 'brand-b',
              messageType: TEST_NOTE_TYPE,
              payload: { text: `note ${i}` },
            })),
          );
        }
        return queued;
      });
      const notesOnB = () => count(bDb, 'MATCH (n:FederationTestNote) RETURN count(n) AS n');
      const pendingOnA = () =>
        count(aDb, "MATCH (o:FederationOutbox {status: 'pending'}) RETURN count(o) AS n");

      // Kill A -9 twice while it delivers, at a sixth and at about half of the queue.
      for (const share of [1 / 6, 1 / 2]) {
        await waitFor(
          `B to hold ${Math.ceil(MESSAGES * share)} notes`,
          async () => (await notesOnB()) >= MESSAGES * share,
          90_000,
          50,
        );
        await processes.kill9(a);
        expect(a.child.signalCode).toBe('SIGKILL');
        expect(await pendingOnA(), 'A was killed with its queue not yet drained').toBeGreaterThan(
          0,
        );
        a = startA();
        await untilReady(aPort);
      }

      await waitFor('A to drain its outbox', async () => (await pendingOnA()) === 0, 90_000, 200);

      // B applied each message once: one note and one receipt per message id.
      const perJti = await bDb.runSchemaStatement(
        `UNWIND $ids AS jti
         OPTIONAL MATCH (n:FederationTestNote {jti: jti})
         WITH jti, count(n) AS notes
         OPTIONAL MATCH (r:FederationReceipt {jti: jti})
         RETURN jti, notes, count(r) AS receipts`,
        { ids },
      );
      const wrong = perJti.filter((r) => r['notes'] !== 1 || r['receipts'] !== 1);
      expect(wrong, 'messages not applied exactly once on B').toEqual([]);
      expect(await notesOnB()).toBe(MESSAGES);

      // A's outbox: everything delivered with B's signed acknowledgement, nothing failed or held.
      const statuses = await aDb.runSchemaStatement(
        'MATCH (o:FederationOutbox) RETURN o.status AS status, count(*) AS n, count(o.ack) AS acked',
      );
      expect(statuses).toEqual([{ status: 'delivered', n: MESSAGES, acked: MESSAGES }]);
      // How often a kill fell between B applying a message and A recording it (B then answered
      // the re-sent envelope with its original receipt), and how many attempts A made in all.
      console.info(
        JSON.stringify({
          outboxCrash: {
            messages: MESSAGES,
            replaysAnsweredWithReceipt: await count(
              bDb,
              "MATCH (e:FederationAuditEntry {kind: 'refused', reason: 'REPLAY'}) RETURN count(e) AS n",
            ),
            attempts: await count(aDb, 'MATCH (o:FederationOutbox) RETURN sum(o.attempts) AS n'),
          },
        }),
      );
      // Both audit chains survived the kills intact.
      expect(await new AuditLog(aDb).verify()).toMatchObject({ ok: true });
      expect(await new AuditLog(bDb).verify()).toMatchObject({ ok: true });

      await processes.stop(a);
      expect(a.child.exitCode).toBe(0);
    });
  });
});
