import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/federation/audit-log.js';
import { generateNodeKeys } from '../../../src/federation/keys.js';
import { KeyRing } from '../../../src/federation/key-ring.js';
import { MarkingReaders } from '../../../src/federation/markings.js';
import { Outbox } from '../../../src/federation/outbox.js';
import { PeerStore } from '../../../src/federation/peer-store.js';
import { Neo4jReplayGuard } from '../../../src/federation/replay-store.js';
import { OutboxSender } from '../../../src/federation/sender.js';
import { toPublicJwk } from '../../../src/federation/jwk-import.js';
import { openEnvelope, MemoryReplayGuard } from '../../../src/federation/envelope.js';
import { useTestGraph } from '../../support/test-graph.js';

const graph = useTestGraph();

describe('federation storage in Neo4j', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-fed-int-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the replay guard lets exactly one of many concurrent claims of a jti through', async () => {
    const guard = new Neo4jReplayGuard(graph.db);
    const keep = Math.floor(Date.now() / 1000) + 600;
    for (let round = 0; round < 3; round++) {
      const jti = `concurrent-${round}-${Math.random()}`;
      const seen = await Promise.all(Array.from({ length: 16 }, () => guard.seen(jti, keep)));
      expect(seen.filter((s) => !s)).toHaveLength(1);
    }
    // An entry past its retention is free again (its token is refused as expired anyway).
    const old = `old-${Math.random()}`;
    expect(await guard.seen(old, Math.floor(Date.now() / 1000) - 1)).toBe(false);
    expect(await guard.seen(old, keep)).toBe(false);
    expect(await guard.seen(old, keep)).toBe(true);
  });

  it('an outbox row commits with the transaction that caused it, and rolls back with it', async () => {
    const outbox = new Outbox(graph.db, new PeerStore(graph.db));
    const [committed] = await graph.db.writeTransaction((tx) =>
      outbox.enqueue(tx, {
        peerId: 'peer-x',
        messageType: 'palisade.test.note',
        payload: { text: 'a' },
      }),
    );
    let rolledBack: string | undefined;
    await expect(
      graph.db.writeTransaction(async (tx) => {
        [rolledBack] = await outbox.enqueue(tx, {
          peerId: 'peer-x',
          messageType: 'palisade.test.note',
          payload: { text: 'b' },
        });
        throw new Error('the causing change failed');
      }),
    ).rejects.toThrow('the causing change failed');
    expect((await outbox.get(committed!))?.status).toBe('pending');
    expect(rolledBack).toBeDefined();
    expect(await outbox.get(rolledBack!)).toBeNull();
  });

  it('the exit policy withholds items re-marked RED or above the peer’s TLP before sending, and audits it', async () => {
    const keyFile = join(dir, 'keys.json');
    const keys = await KeyRing.open({ path: keyFile, create: true });
    const peerKeys = await generateNodeKeys();
    const peers = new PeerStore(graph.db);
    await peers.create({
      id: 'peer-policy',
      name: 'Peer',
      baseUrl: 'http://127.0.0.1:9',
      inboxUrl: 'http://127.0.0.1:9/federation/inbox',
      role: 'partner',
      fingerprint: peerKeys.signing.kid,
      signing: toPublicJwk(peerKeys.signing),
      encryption: toPublicJwk(peerKeys.encryption),
      limits: { ratePerSecond: null, burst: null },
      policy: {
        maxTlp: 'GREEN',
        audiences: [],
        transforms: [{ field: 'address', action: 'COARSEN_TO_CITY' }],
      },
    });
    await graph.db.runSchemaStatement(
      "UNWIND ['i-red','i-amber','i-green','i-ok'] AS r CREATE (:Shareable {shareRef: r, tlp: 'GREEN'})",
    );
    const audit = new AuditLog(graph.db);
    const outbox = new Outbox(graph.db, peers);
    const ids = await graph.db.writeTransaction(async (tx) => [
      ...(await outbox.enqueue(tx, {
        peerId: 'peer-policy',
        messageType: 'palisade.test.note',
        payload: { text: 'red later' },
        items: [{ ref: 'i-red', tlp: 'GREEN' }],
      })),
      ...(await outbox.enqueue(tx, {
        peerId: 'peer-policy',
        messageType: 'palisade.test.note',
        payload: { text: 'amber later' },
        items: [{ ref: 'i-amber', tlp: 'GREEN' }],
      })),
      ...(await outbox.enqueue(tx, {
        peerId: 'peer-policy',
        messageType: 'palisade.test.note',
        payload: {
          text: 'bundle',
          items: [
            { ref: 'i-green', value: 'tok-1', address: '1 Main Road, Shenzhen' },
            { ref: 'i-ok', value: 'tok-2' },
          ],
        },
        items: [
          { ref: 'i-green', tlp: 'GREEN' },
          { ref: 'i-ok', tlp: 'GREEN' },
        ],
      })),
    ]);
    // Markings change after enqueue, before the sender runs.
    await graph.db.runSchemaStatement("MATCH (s:Shareable {shareRef: 'i-red'}) SET s.tlp = 'RED'");
    await graph.db.runSchemaStatement(
      "MATCH (s:Shareable {shareRef: 'i-amber'}) SET s.tlp = 'AMBER'",
    );
    await graph.db.runSchemaStatement(
      "MATCH (s:Shareable {shareRef: 'i-green'}) SET s.tlp = 'RED'",
    );

    const sent: string[] = [];
    const sender = new OutboxSender({
      db: graph.db,
      peers,
      audit,
      keys,
      markings: new MarkingReaders(),
      hooks: { coarsenAddress: () => 'shenzhen' },
      selfId: 'self-node',
      ttlSeconds: 60,
      intervalMs: 50,
      maxBackoffMs: 1000,
      logger: graph.logger,
      fetch: (_url, init) => {
        sent.push(init?.body as string);
        return Promise.resolve(
          new Response(JSON.stringify({ reason: 'UNKNOWN_SENDER' }), { status: 401 }),
        );
      },
    });
    await sender.runOnce();
    expect((await outbox.get(ids[0]!))?.status).toBe('withheld');
    expect((await outbox.get(ids[1]!))?.status).toBe('withheld');
    expect(sent).toHaveLength(1);
    const opened = await openEnvelope(sent[0]!, {
      selfId: 'peer-policy',
      decryptionKeys: [peerKeys.encryption],
      lookupSender: async () => ({
        status: 'active',
        role: 'partner',
        signingKeys: (await keys.jwks()).keys.filter((k) => k.use === 'sig'),
      }),
      allowedMessageTypes: () => new Set(['palisade.test.note']),
      maxBytes: 1e6,
      maxClockSkewSeconds: 60,
      maxTtlSeconds: 600,
      replayGuard: new MemoryReplayGuard(),
    });
    expect(opened.payload).toEqual({ text: 'bundle', items: [{ ref: 'i-ok', value: 'tok-2' }] });
    const policy = await audit.page({ kind: 'policy', limit: 50, offset: 0 });
    const byJti = new Map(policy.map((e) => [e.jti, e]));
    expect(byJti.get(ids[0]!)?.detail['decision']).toBe('withheld');
    expect(byJti.get(ids[1]!)?.detail['decision']).toBe('withheld');
    expect(byJti.get(ids[2]!)?.reason).toBe('PARTIAL');
  });

  it('the audit chain verifies, and detects an edited and a deleted entry', async () => {
    const audit = new AuditLog(graph.db);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        audit.record({ kind: 'peer', peer: `p${i}`, reason: 'ADDED' }),
      ),
    );
    const ok = await audit.verify();
    expect(ok.ok).toBe(true);
    await graph.db.runSchemaStatement(
      "MATCH (a:FederationAuditEntry {seq: 3}) SET a.original = a.reason, a.reason = 'TAMPERED'",
    );
    expect(await audit.verify()).toMatchObject({ ok: false, seq: 3, problem: 'edited' });
    await graph.db.runSchemaStatement(
      'MATCH (a:FederationAuditEntry {seq: 3}) SET a.reason = a.original REMOVE a.original',
    );
    expect((await audit.verify()).ok).toBe(true);
    await graph.db.runSchemaStatement('MATCH (a:FederationAuditEntry {seq: 5}) DELETE a');
    expect(await audit.verify()).toMatchObject({ ok: false, problem: 'gap' });
    await graph.db.runSchemaStatement(
      'MATCH (a:FederationAuditEntry) WITH max(a.seq) AS top MATCH (b:FederationAuditEntry {seq: top}) DELETE b',
    );
    expect((await audit.verify()).ok).toBe(false);
  });
});
