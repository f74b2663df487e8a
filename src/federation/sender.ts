// The outbox sender loop: per peer, oldest first, evaluates the sharing policy at the exit against
// the items' current markings, seals, POSTs to the peer's inbox, and marks a message delivered only
// on the peer's verified signed acknowledgement. Failures back off exponentially with full jitter,
// per peer; nothing is dropped, so a peer down for an hour gets everything when it is back.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import type { Logger } from '../server/logger.js';
import type { AuditLog } from './audit-log.js';
import { sealEnvelope, verifyAcknowledgement, type Acknowledgement } from './envelope.js';
import type { KeyRing } from './key-ring.js';
import type { MarkingReaders } from './markings.js';
import { toOutboxMessage, type OutboxMessage } from './outbox.js';
import { currentSigningKeys, type Peer, type PeerStore } from './peer-store.js';
import { decideAtExit, type TransformHooks } from './sharing-policy.js';

/** Peer refusals that no retry will change. */
const PERMANENT = new Set([
  'TOO_LARGE',
  'MALFORMED',
  'MESSAGE_TYPE_NOT_ALLOWED',
  'PAYLOAD_REJECTED',
]);

export interface SenderOptions {
  db: Database;
  peers: PeerStore;
  audit: AuditLog;
  keys: KeyRing;
  markings: MarkingReaders;
  hooks: TransformHooks;
  selfId: string;
  ttlSeconds: number;
  intervalMs: number;
  maxBackoffMs: number;
  /** @default 500 */
  baseBackoffMs?: number;
  /** Messages read per pass. @default 200 */
  batch?: number;
  logger: Logger;
  fetch?: typeof fetch;
  /** Told how each attempt ended (metrics). */
  onOutcome?: (outcome: AttemptOutcome) => void;
}

export type AttemptOutcome =
  'delivered' | 'withheld' | 'failed' | 'refused' | 'unreachable' | 'held';

interface Backoff {
  failures: number;
  until: number;
}

/** Exponential backoff with full jitter: a random wait in [0, min(max, base·2^failures)). */
export function backoffMs(failures: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(failures, 30));
  return Math.max(baseMs / 2, Math.floor(Math.random() * ceiling));
}

const dueRow = z.object({ id: z.string(), peerId: z.string() });

const hashOf = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);

type Prepared =
  | { kind: 'send'; peer: Peer; message: OutboxMessage; payload: unknown }
  | { kind: 'done'; outcome: AttemptOutcome };

export class OutboxSender {
  readonly #o: SenderOptions;
  readonly #backoff = new Map<string, Backoff>();
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<void> | undefined;
  #stopped = false;

  constructor(options: SenderOptions) {
    this.#o = options;
  }

  start(): void {
    if (this.#timer) return;
    this.#stopped = false;
    const loop = () => {
      if (this.#stopped) return;
      this.#pass = this.runOnce()
        .then(() => undefined)
        .catch((e: unknown) => this.#o.logger.warn({ err: e }, 'outbox pass failed'))
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(loop, this.#o.intervalMs);
        });
    };
    this.#timer = setTimeout(loop, 0);
  }

  /** Stops the loop and waits for the pass in flight (its messages stay pending if cut short). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#pass;
  }

  /** Sends what is due now, peer by peer in parallel, each peer's messages in order. */
  async runOnce(): Promise<number> {
    const now = Date.now();
    const rows = await this.#o.db.read('federation/outbox-due', {
      now,
      limit: this.#o.batch ?? 200,
    });
    const byPeer = new Map<string, string[]>();
    for (const r of rows) {
      const { id, peerId } = dueRow.parse(r);
      const b = this.#backoff.get(peerId);
      if (b && b.until > now) continue;
      const ids = byPeer.get(peerId);
      if (ids) ids.push(id);
      else byPeer.set(peerId, [id]);
    }
    let sent = 0;
    await Promise.all(
      [...byPeer.entries()].map(async ([peerId, ids]) => {
        for (const id of ids) {
          if (this.#stopped) return;
          const outcome = await this.#attempt(id);
          this.#o.onOutcome?.(outcome);
          if (outcome === 'delivered') {
            sent++;
            this.#backoff.delete(peerId);
          } else if (outcome === 'unreachable' || outcome === 'refused' || outcome === 'held') {
            // The peer is down or refusing: leave its other messages for after the backoff.
            const failures = (this.#backoff.get(peerId)?.failures ?? 0) + 1;
            const wait = backoffMs(failures, this.#o.baseBackoffMs ?? 500, this.#o.maxBackoffMs);
            this.#backoff.set(peerId, { failures, until: Date.now() + wait });
            await this.#o.db.write('federation/outbox-record-attempt', {
              id,
              now: Date.now(),
              nextAttemptAt: Date.now() + wait,
              error: outcome,
            });
            return;
          }
        }
      }),
    );
    return sent;
  }

  /** One attempt for one message: exit decision (its own transaction), then seal and POST. */
  async #attempt(id: string): Promise<AttemptOutcome> {
    const prepared = await this.#o.db.writeTransaction((tx) => this.#prepare(tx, id));
    if (prepared.kind === 'done') return prepared.outcome;
    const { peer, message, payload } = prepared;
    const envelope = await sealEnvelope({
      senderId: this.#o.selfId,
      senderSigningKey: await this.#o.keys.signingKey(),
      recipientId: peer.id,
      recipientEncryptionPublicJwk: peer.encryptionKey,
      messageType: message.messageType,
      payload,
      ttlSeconds: this.#o.ttlSeconds,
      // The outbox id is the jti: a re-sent message keeps its idempotency key at the receiver.
      jti: message.id,
    });
    let response: Response;
    let body: unknown;
    try {
      response = await (this.#o.fetch ?? fetch)(peer.inboxUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/jose' },
        body: envelope,
        signal: AbortSignal.timeout(15_000),
      });
      body = await response.json().catch(() => null);
    } catch (e) {
      this.#o.logger.debug({ peer: peer.id, err: e }, 'peer unreachable');
      return 'unreachable';
    }
    const b = (typeof body === 'object' && body !== null ? body : {}) as {
      ack?: unknown;
      reason?: unknown;
    };
    const reason = typeof b.reason === 'string' ? b.reason.slice(0, 64) : null;
    // A REPLAY refusal carrying our receipt means an earlier attempt arrived: delivered.
    if (response.ok || (response.status === 409 && reason === 'REPLAY' && b.ack)) {
      const ack = await this.#verifyAck(peer, message.id, b.ack);
      if (!ack) return this.#refused(peer, message, response.status, 'BAD_ACKNOWLEDGEMENT');
      await this.#o.db.writeTransaction(async (tx) => {
        await tx.run('federation/outbox-finish', {
          id: message.id,
          status: 'delivered',
          now: Date.now(),
          ack: String(b.ack),
          error: null,
          attempted: 1,
        });
        await this.#o.audit.append(tx, {
          kind: 'acknowledged',
          peer: peer.id,
          messageType: message.messageType,
          jti: message.id,
          detail: {
            status: ack.status,
            httpStatus: response.status,
            attempt: message.attempts + 1,
          },
        });
      });
      return 'delivered';
    }
    if (response.status >= 500 || reason === null) return 'unreachable';
    return this.#refused(peer, message, response.status, reason);
  }

  async #refused(
    peer: Peer,
    message: OutboxMessage,
    httpStatus: number,
    reason: string,
  ): Promise<AttemptOutcome> {
    const permanent = PERMANENT.has(reason);
    await this.#o.db.writeTransaction(async (tx) => {
      await this.#o.audit.append(tx, {
        kind: 'sent',
        peer: peer.id,
        messageType: message.messageType,
        jti: message.id,
        reason,
        detail: { outcome: 'refused-by-peer', httpStatus, permanent },
      });
      if (permanent) {
        await tx.run('federation/outbox-finish', {
          id: message.id,
          status: 'failed',
          now: Date.now(),
          ack: null,
          error: reason,
          attempted: 1,
        });
      }
    });
    return permanent ? 'failed' : 'refused';
  }

  async #verifyAck(peer: Peer, jti: string, token: unknown): Promise<Acknowledgement | null> {
    if (typeof token !== 'string') return null;
    try {
      return await verifyAcknowledgement(token, {
        selfId: this.#o.selfId,
        peerId: peer.id,
        peerSigningKeys: currentSigningKeys(peer),
        expectedJti: jti,
      });
    } catch {
      return null;
    }
  }

  /**
   * Re-reads the message, its peer and its items' current markings, and decides at the exit. The
   * decision is audited whenever it differs from the last one recorded for this message.
   */
  async #prepare(tx: Parameters<Parameters<Database['writeTransaction']>[0]>[0], id: string) {
    const [row] = await tx.run('federation/outbox-get', { id });
    if (!row) return { kind: 'done', outcome: 'failed' } as Prepared;
    const message = toOutboxMessage(row['message']);
    if (message.status !== 'pending') return { kind: 'done', outcome: 'delivered' } as Prepared;
    const peer = await this.#o.peers.get(message.peerId, tx);
    const finish = async (status: 'withheld' | 'failed', rule: string, detail = {}) => {
      await this.#o.audit.append(tx, {
        kind: 'policy',
        peer: message.peerId,
        messageType: message.messageType,
        jti: message.id,
        reason: rule,
        detail: { decision: status, ...detail },
      });
      await tx.run('federation/outbox-finish', {
        id,
        status,
        now: Date.now(),
        ack: null,
        error: rule,
        attempted: 0,
      });
      return { kind: 'done', outcome: status } as Prepared;
    };
    if (!peer) return finish('failed', 'UNKNOWN_PEER');
    if (peer.status === 'revoked') return finish('withheld', 'PEER_REVOKED');
    if (peer.status === 'suspended') return { kind: 'done', outcome: 'held' } as Prepared;
    const markings = await this.#o.markings.read(
      tx,
      message.items.map((i) => i.ref),
    );
    const decision = await decideAtExit({
      peerId: peer.id,
      payload: message.payload,
      items: message.items,
      markings,
      policy: peer.policy,
      hooks: this.#o.hooks,
    });
    const verdicts = decision.verdicts.map((v) =>
      v.allowed ? { ref: v.ref, allowed: true } : { ref: v.ref, allowed: false, rule: v.rule },
    );
    if (!decision.send) {
      return finish('withheld', decision.rule, { verdicts: verdicts.slice(0, 20) });
    }
    const key = `send:${hashOf(decision.payload)}`;
    if (key !== message.decision) {
      await this.#o.audit.append(tx, {
        kind: 'policy',
        peer: peer.id,
        messageType: message.messageType,
        jti: message.id,
        reason: decision.removed.length > 0 ? 'PARTIAL' : 'ALLOWED',
        detail: {
          decision: 'send',
          maxTlp: peer.policy.maxTlp,
          removed: decision.removed.slice(0, 20),
          payloadHash: key.slice(5),
        },
      });
      await tx.run('federation/outbox-set-decision', { id, decision: key });
    }
    return { kind: 'send', peer, message, payload: decision.payload } as Prepared;
  }
}
