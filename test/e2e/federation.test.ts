// Three nodes on loopback (brand A, brand B, association C), each with its own Neo4j instance in one
// launcher JVM. A and B run as real child processes so they can be killed and restarted.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactEncrypt, CompactSign, compactDecrypt, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { CypherLibrary } from '../../src/db/cypher.js';
import { Database } from '../../src/db/database.js';
import { freePort, startManagedNeo4j, type ManagedNeo4j } from '../../src/db/managed-neo4j.js';
import { AuditLog } from '../../src/federation/audit-log.js';
import { sealEnvelope, signRequestToken, newJti } from '../../src/federation/envelope.js';
import {
  fingerprint,
  generateNodeKeys,
  readKeyFile,
  type KeyFile,
} from '../../src/federation/keys.js';
import { toPublicJwk } from '../../src/federation/jwk-import.js';
import { Outbox } from '../../src/federation/outbox.js';
import { PeerStore } from '../../src/federation/peer-store.js';
import { PeerService } from '../../src/federation/peers.js';
import { readTestNotes, TEST_NOTE_TYPE } from '../../src/federation/test-note.js';
import { startNode, type RunningNode } from '../../src/main.js';
import { createLogger } from '../../src/server/logger.js';

const PASSWORD = 'palisade-e2e-federation';
const MAX_BYTES = 65_536;
const logger = createLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface NodeSpec {
  id: string;
  role: 'brand' | 'association';
  port: number;
  publicUrl: string;
  dataDir: string;
  uri: string;
}

function envFor(n: NodeSpec): Record<string, string> {
  return {
    PALISADE_ENV: 'test',
    PALISADE_NODE_ID: n.id,
    PALISADE_NODE_NAME: `Node ${n.id}`,
    PALISADE_ROLE: n.role,
    PALISADE_PORT: String(n.port),
    PALISADE_PUBLIC_URL: n.publicUrl,
    PALISADE_DATA_DIR: n.dataDir,
    NEO4J_URI: n.uri,
    NEO4J_PASSWORD: PASSWORD,
    PALISADE_FEDERATION_SEND_INTERVAL_MS: '100',
    PALISADE_FEDERATION_MAX_BACKOFF_MS: '1000',
    PALISADE_FEDERATION_MAX_BYTES: String(MAX_BYTES),
    LOG_LEVEL: 'warn',
  };
}

function spawnNode(n: NodeSpec): ChildProcess {
  const child = spawn(process.execPath, ['src/bin/palisade.js', 'start'], {
    env: { ...process.env, ...envFor(n) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => {
    if (process.env['E2E_DEBUG']) process.stderr.write(`[${n.id}] ${d.toString()}`);
  });
  return child;
}

async function ready(port: number): Promise<void> {
  await waitFor(
    `node on ${port}`,
    async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
    90_000,
  );
}

function openDb(uri: string): Database {
  return new Database({
    uri,
    user: 'neo4j',
    password: PASSWORD,
    connectTimeoutMs: 30_000,
    maxPoolSize: 10,
    logger,
    cypher: CypherLibrary.load(),
  });
}

async function stopChild(
  child: ChildProcess | undefined,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await Promise.race([exited, sleep(15_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Decrypts an envelope with the recipient's key file and returns the signed claims (unverified). */
async function peek(envelope: string, keys: KeyFile): Promise<Record<string, unknown>> {
  const key = await importJWK(keys.current.encryption, 'ECDH-ES+A256KW');
  const { plaintext } = await compactDecrypt(envelope, key);
  const jws = new TextDecoder().decode(plaintext);
  return JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('federation between brand A, brand B and association C', () => {
  const root = mkdtempSync(join(tmpdir(), 'palisade-e2e-fed-'));
  let neo4j: ManagedNeo4j | undefined;
  let a: NodeSpec, b: NodeSpec, c: NodeSpec;
  let aProc: ChildProcess | undefined;
  let bProc: ChildProcess | undefined;
  let cNode: RunningNode | undefined;
  let proxy: Server | undefined;
  const dbs: Database[] = [];
  /** Every envelope that went to B's inbox through the proxy in front of B. */
  const toB: string[] = [];
  let aKeys: KeyFile, bKeys: KeyFile, cKeys: KeyFile;

  beforeAll(async () => {
    neo4j = await startManagedNeo4j({
      home: join(root, 'neo4j'),
      instances: [
        { name: 'a', port: 0 },
        { name: 'b', port: 0 },
        { name: 'c', port: 0 },
      ],
      password: PASSWORD,
      heap: '768m',
      pageCache: '48m',
    });
    const [pa, pb, pc, pproxy] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    a = {
      id: 'brand-a',
      role: 'brand',
      port: pa,
      publicUrl: `http://127.0.0.1:${pa}`,
      dataDir: join(root, 'a'),
      uri: neo4j.uris.get('a')!,
    };
    // B is reached through a recording proxy, so the test sees every envelope A sends it.
    b = {
      id: 'brand-b',
      role: 'brand',
      port: pb,
      publicUrl: `http://127.0.0.1:${pproxy}`,
      dataDir: join(root, 'b'),
      uri: neo4j.uris.get('b')!,
    };
    c = {
      id: 'assoc-c',
      role: 'association',
      port: pc,
      publicUrl: `http://127.0.0.1:${pc}`,
      dataDir: join(root, 'c'),
      uri: neo4j.uris.get('c')!,
    };
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (req.url === '/federation/inbox') toB.push(body.toString('latin1'));
        fetch(`http://127.0.0.1:${b.port}${req.url}`, {
          method: req.method,
          headers: { 'content-type': req.headers['content-type'] ?? 'application/octet-stream' },
          ...(req.method === 'POST' && { body }),
        }).then(
          async (r) => {
            res.writeHead(r.status, {
              'content-type': r.headers.get('content-type') ?? 'text/plain',
            });
            res.end(Buffer.from(await r.arrayBuffer()));
          },
          () => {
            res.writeHead(502);
            res.end();
          },
        );
      });
    });
    await new Promise<void>((r) => proxy!.listen(pproxy, '127.0.0.1', () => r()));
    aProc = spawnNode(a);
    bProc = spawnNode(b);
    cNode = await startNode(loadConfig(envFor(c)), { logger });
    await Promise.all([ready(a.port), ready(b.port)]);
    for (const n of [a, b, c]) dbs.push(openDb(n.uri));
    const keyFiles = await Promise.all(
      [a, b, c].map((n) => readKeyFile(join(n.dataDir, 'keys', 'node-keys.json'))),
    );
    [aKeys, bKeys, cKeys] = [keyFiles[0]!, keyFiles[1]!, keyFiles[2]!];
  });

  afterAll(async () => {
    await Promise.all(dbs.map((d) => d.close().catch(() => undefined)));
    await Promise.all([stopChild(aProc), stopChild(bProc), cNode?.stop()]);
    proxy?.close();
    await neo4j?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const [dbA, dbB, dbC] = [() => dbs[0]!, () => dbs[1]!, () => dbs[2]!];
  const service = (db: Database, selfId: string) =>
    new PeerService(db, new PeerStore(db), new AuditLog(db), { id: selfId, requireHttps: false });

  it('pins peers by the fingerprint read out of band, and refuses a wrong one', async () => {
    const fp = async (k: KeyFile) => fingerprint(k.current.signing);
    const wrong = await service(dbA(), a.id).add({
      url: b.publicUrl,
      fingerprint: await fp(cKeys),
      role: 'partner',
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'FINGERPRINT_MISMATCH' } });
    const roleMismatch = await service(dbA(), a.id).add({
      url: c.publicUrl,
      fingerprint: await fp(cKeys),
      role: 'partner',
    });
    expect(roleMismatch).toMatchObject({ ok: false, error: { code: 'ROLE_MISMATCH' } });
    const pins = await Promise.all([
      service(dbA(), a.id).add({
        url: b.publicUrl,
        fingerprint: await fp(bKeys),
        role: 'partner',
        policy: { maxTlp: 'AMBER', audiences: [], transforms: [] },
      }),
      service(dbA(), a.id).add({
        url: c.publicUrl,
        fingerprint: await fp(cKeys),
        role: 'association',
      }),
      service(dbB(), b.id).add({ url: a.publicUrl, fingerprint: await fp(aKeys), role: 'partner' }),
      service(dbB(), b.id).add({
        url: c.publicUrl,
        fingerprint: await fp(cKeys),
        role: 'association',
      }),
      service(dbC(), c.id).add({ url: a.publicUrl, fingerprint: await fp(aKeys), role: 'partner' }),
    ]);
    for (const p of pins) expect(p.ok, JSON.stringify(p)).toBe(true);
    const bOnA = await new PeerStore(dbA()).get(b.id);
    expect(bOnA?.inboxUrl).toBe(`${b.publicUrl}/federation/inbox`);
  });

  async function send(text: string, extra: Record<string, unknown> = {}): Promise<string> {
    const outbox = new Outbox(dbA(), new PeerStore(dbA()));
    const [id] = await dbA().writeTransaction((tx) =>
      outbox.enqueue(tx, {
        peerId: b.id,
        messageType: TEST_NOTE_TYPE,
        payload: { text, ...extra },
      }),
    );
    return id!;
  }
  const delivered = (id: string) =>
    waitFor(
      `delivery of ${id}`,
      async () => (await new Outbox(dbA(), new PeerStore(dbA())).get(id))?.status === 'delivered',
    );
  const notesOnB = async () => readTestNotes(dbB());

  it('delivers a message from A to B exactly once, across a B restart', async () => {
    const m1 = await send('first');
    await delivered(m1);
    await stopChild(bProc);
    const m2 = await send('while B is down');
    const m3 = await send('also while B is down');
    await sleep(1500); // A retries and backs off while B is away
    expect((await new Outbox(dbA(), new PeerStore(dbA())).get(m2))?.status).toBe('pending');
    bProc = spawnNode(b);
    await ready(b.port);
    await Promise.all([delivered(m2), delivered(m3)]);
    const notes = await notesOnB();
    for (const id of [m1, m2, m3]) expect(notes.filter((n) => n.jti === id)).toHaveLength(1);
  });

  it('still delivers exactly once when the sender is killed -9 mid-delivery and restarted', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await send(`batch ${i}`));
    await waitFor(
      'the first deliveries',
      async () => (await notesOnB()).filter((n) => ids.includes(n.jti)).length >= 3,
    );
    aProc!.kill('SIGKILL');
    await new Promise((r) => aProc!.once('exit', r));
    // The window that matters: B applied a message whose delivery A never recorded.
    const [someDelivered] = await dbA().read('federation/outbox-list', {
      status: 'delivered',
      peerId: b.id,
      limit: 1,
      offset: 0,
    });
    const forgotten = String((someDelivered!['message'] as { id: string }).id);
    await dbA().runSchemaStatement(
      "MATCH (o:FederationOutbox {id: $id}) SET o.status = 'pending', o.nextAttemptAt = 0",
      { id: forgotten },
    );
    aProc = spawnNode(a);
    await ready(a.port);
    await Promise.all([...ids, forgotten].map(delivered));
    const notes = await notesOnB();
    for (const id of [...ids, forgotten]) expect(notes.filter((n) => n.jti === id)).toHaveLength(1);
    // B answered the re-sent message with its original receipt, refusing it as a replay.
    const refused = await new AuditLog(dbB()).page({ kind: 'refused', limit: 200, offset: 0 });
    expect(refused.some((e) => e.jti === forgotten && e.reason === 'REPLAY')).toBe(true);
  });

  it('never lets a RED item leave, even when it was re-marked after the message was queued', async () => {
    await dbA().runSchemaStatement(
      "CREATE (:Shareable {shareRef: 'ind-red', tlp: 'RED'}), (:Shareable {shareRef: 'ind-green', tlp: 'GREEN'}), (:Shareable {shareRef: 'ind-late', tlp: 'GREEN'})",
    );
    const outbox = new Outbox(dbA(), new PeerStore(dbA()));
    // Pause A's sender by suspending B on A while we queue and re-mark.
    await service(dbA(), a.id).setStatus(b.id, 'suspended');
    const [bundle, onlyRed, late] = await dbA().writeTransaction(async (tx) => [
      ...(await outbox.enqueue(tx, {
        peerId: b.id,
        messageType: TEST_NOTE_TYPE,
        payload: {
          text: 'bundle',
          items: [
            { ref: 'ind-red', token: 'SECRET-RED-TOKEN' },
            { ref: 'ind-green', token: 'green-token' },
          ],
        },
        items: [
          { ref: 'ind-red', tlp: 'RED' },
          { ref: 'ind-green', tlp: 'GREEN' },
        ],
      })),
      ...(await outbox.enqueue(tx, {
        peerId: b.id,
        messageType: TEST_NOTE_TYPE,
        payload: { text: 'SECRET-RED-ONLY' },
        items: [{ ref: 'ind-red', tlp: 'RED' }],
      })),
      ...(await outbox.enqueue(tx, {
        peerId: b.id,
        messageType: TEST_NOTE_TYPE,
        payload: { text: 'SECRET-LATE-RED' },
        items: [{ ref: 'ind-late', tlp: 'GREEN' }],
      })),
    ]);
    await dbA().runSchemaStatement("MATCH (s:Shareable {shareRef: 'ind-late'}) SET s.tlp = 'RED'");
    await service(dbA(), a.id).setStatus(b.id, 'active');
    await delivered(bundle!);
    const o = new Outbox(dbA(), new PeerStore(dbA()));
    await waitFor(
      'withheld',
      async () =>
        (await o.get(onlyRed!))?.status === 'withheld' &&
        (await o.get(late!))?.status === 'withheld',
    );
    expect(toB.length).toBeGreaterThan(30);
    for (const envelope of toB) {
      let claims: Record<string, unknown>;
      try {
        claims = await peek(envelope, bKeys);
      } catch {
        continue; // the refusal tests below post garbage on purpose
      }
      expect(JSON.stringify(claims)).not.toMatch(/SECRET-|"RED"/);
    }
    const policy = await new AuditLog(dbA()).page({ kind: 'policy', limit: 100, offset: 0 });
    expect(policy.find((e) => e.jti === late)?.detail['decision']).toBe('withheld');
    expect(policy.find((e) => e.jti === onlyRed)?.reason).toBe('RED');
  });

  it('lets a pinned peer run a partner query with a signed request token, once per token', async () => {
    const token = await signRequestToken({
      issuerId: c.id,
      signingKey: cKeys.current.signing,
      audienceId: b.id,
    });
    const ask = () =>
      fetch(`http://127.0.0.1:${b.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ federationWhoAmI { nodeId role } }' }),
      });
    const first = await ask();
    expect(await first.json()).toEqual({
      data: { federationWhoAmI: { nodeId: c.id, role: 'ASSOCIATION' } },
    });
    expect((await ask()).status).toBe(401);
  });

  it('refuses forged, misaddressed, expired, replayed, unknown, revoked, oversized and truncated envelopes, and audits each', async () => {
    const inbox = `http://127.0.0.1:${b.port}/federation/inbox`;
    const post = async (body: string) => {
      const r = await fetch(inbox, {
        method: 'POST',
        headers: { 'content-type': 'application/jose' },
        body,
      });
      return { status: r.status, reason: ((await r.json()) as { reason?: string }).reason };
    };
    const bEnc = toPublicJwk(bKeys.current.encryption);
    const seal = (over: Partial<Parameters<typeof sealEnvelope>[0]> = {}) =>
      sealEnvelope({
        senderId: a.id,
        senderSigningKey: aKeys.current.signing,
        recipientId: b.id,
        recipientEncryptionPublicJwk: bEnc,
        messageType: TEST_NOTE_TYPE,
        payload: { text: 'probe' },
        ttlSeconds: 120,
        ...over,
      });
    // A forged signature: A's kid and claims, signature bytes changed, encrypted properly for B.
    const claims = {
      iss: a.id,
      aud: b.id,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 60,
      jti: newJti(),
      mt: TEST_NOTE_TYPE,
      payload: { text: 'forged' },
    };
    const other = await generateNodeKeys();
    const signed = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'EdDSA', kid: aKeys.current.signing.kid, typ: 'palisade-msg+jwt' })
      .sign(await importJWK({ ...other.signing, kid: undefined }, 'EdDSA'));
    const forged = await new CompactEncrypt(new TextEncoder().encode(signed))
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: bEnc.kid, cty: 'JWT' })
      .encrypt(await importJWK(bEnc, 'ECDH-ES+A256KW'));
    const valid = await seal();
    await service(dbB(), b.id).setStatus(c.id, 'revoked');
    const cases: [string, string, number][] = [
      [forged, 'BAD_SIGNATURE', 401],
      [await seal({ recipientId: 'someone-else' }), 'WRONG_AUDIENCE', 403],
      [await seal({ now: new Date(Date.now() - 7200_000) }), 'EXPIRED', 401],
      [
        await seal({ senderId: 'stranger', senderSigningKey: other.signing }),
        'UNKNOWN_SENDER',
        401,
      ],
      [
        await seal({ senderId: c.id, senderSigningKey: cKeys.current.signing }),
        'SENDER_REVOKED',
        403,
      ],
      ['x'.repeat(MAX_BYTES + 1), 'TOO_LARGE', 413],
      [valid.slice(0, Math.floor(valid.length / 2)), 'MALFORMED', 400],
    ];
    for (const [body, reason, status] of cases) {
      expect(await post(body), reason).toEqual({ status, reason });
    }
    expect((await post(valid)).status).toBe(200);
    expect(await post(valid)).toEqual({ status: 409, reason: 'REPLAY' });
    const refused = await new AuditLog(dbB()).page({ kind: 'refused', limit: 500, offset: 0 });
    const reasons = new Set(refused.map((e) => e.reason));
    for (const [, reason] of cases) expect(reasons).toContain(reason);
    expect(reasons).toContain('REPLAY');
  });

  it('keeps an audit log on every node that verifies, and detects an edit', async () => {
    for (const db of [dbA(), dbB(), dbC()]) expect((await new AuditLog(db).verify()).ok).toBe(true);
    await dbB().runSchemaStatement(
      "MATCH (a:FederationAuditEntry {seq: 2}) SET a.peer = 'someone-else'",
    );
    expect(await new AuditLog(dbB()).verify()).toMatchObject({
      ok: false,
      seq: 2,
      problem: 'edited',
    });
  });
});
