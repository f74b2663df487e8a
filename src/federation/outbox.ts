// The outbox in Neo4j: domains enqueue messages inside their own write transaction, so a message
// exists exactly when the change that caused it committed. The sender loop (sender.ts) drains it.
import { z } from 'zod';
import type { Database, Tx } from '../db/database.js';
import { newJti } from './envelope.js';
import type { PeerRole, PeerStore } from './peer-store.js';
import { isTlp, type ItemRef, type Tlp } from './sharing-policy.js';

export interface EnqueueInput {
  /** One peer by node id, or … */
  peerId?: string;
  /** … every active peer of a role ('all' = every active peer), resolved now. */
  audience?: PeerRole | 'all';
  messageType: string;
  /** Any JSON value. With the shape `{ items: [{ ref, ... }] }`, refused items are cut at the exit. */
  payload: unknown;
  /** The shareable items the payload carries; their CURRENT markings are checked at send time. */
  items?: ItemRef[];
}

export class OutboxInputError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxInputError';
  }
}

export const OUTBOX_STATUSES = ['pending', 'delivered', 'withheld', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface OutboxMessage {
  id: string;
  peerId: string;
  messageType: string;
  payload: unknown;
  items: ItemRef[];
  status: OutboxStatus;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  decision: string | null;
  lastError: string | null;
  ack: string | null;
  finishedAt: number | null;
}

const MAX_PAYLOAD_CHARS = 4 * 1024 * 1024;

const messageRow = z.object({
  id: z.string(),
  peerId: z.string(),
  messageType: z.string(),
  payload: z.string(),
  items: z.string(),
  status: z.enum(OUTBOX_STATUSES),
  attempts: z.number(),
  createdAt: z.number(),
  nextAttemptAt: z.number(),
  decision: z.string().nullable().optional(),
  lastError: z.string().nullable().optional(),
  ack: z.string().nullable().optional(),
  finishedAt: z.number().nullable().optional(),
});

export function toOutboxMessage(value: unknown): OutboxMessage {
  const r = messageRow.parse(value);
  return {
    id: r.id,
    peerId: r.peerId,
    messageType: r.messageType,
    payload: JSON.parse(r.payload) as unknown,
    items: JSON.parse(r.items) as ItemRef[],
    status: r.status,
    attempts: r.attempts,
    createdAt: r.createdAt,
    nextAttemptAt: r.nextAttemptAt,
    decision: r.decision ?? null,
    lastError: r.lastError ?? null,
    ack: r.ack ?? null,
    finishedAt: r.finishedAt ?? null,
  };
}

function checkItems(items: ItemRef[]): ItemRef[] {
  return items.map((i) => {
    if (typeof i.ref !== 'string' || i.ref.length === 0 || i.ref.length > 256) {
      throw new OutboxInputError('every item needs a ref of 1–256 characters');
    }
    if (!isTlp(i.tlp)) throw new OutboxInputError(`item ${i.ref} has no valid TLP`);
    const tlp: Tlp = i.tlp;
    return { ref: i.ref, tlp, audiences: [...(i.audiences ?? [])] };
  });
}

export class Outbox {
  constructor(
    private readonly db: Database,
    private readonly peers: PeerStore,
  ) {}

  /**
   * Queues a message inside the caller's write transaction; returns the message ids (one per
   * peer), which are also the envelopes' jtis. Rolls back with the caller's transaction.
   */
  async enqueue(tx: Tx, input: EnqueueInput): Promise<string[]> {
    if ((input.peerId === undefined) === (input.audience === undefined)) {
      throw new OutboxInputError('give exactly one of peerId or audience');
    }
    if (typeof input.messageType !== 'string' || input.messageType.length === 0) {
      throw new OutboxInputError('messageType is required');
    }
    const payload = JSON.stringify(input.payload);
    if (payload === undefined) throw new OutboxInputError('payload must be a JSON value');
    if (payload.length > MAX_PAYLOAD_CHARS) throw new OutboxInputError('payload is too large');
    const items = JSON.stringify(checkItems(input.items ?? []));
    const peerIds =
      input.peerId !== undefined
        ? [input.peerId]
        : await this.peers.idsByRole(tx, input.audience === 'all' ? null : input.audience!);
    const ids: string[] = [];
    const now = Date.now();
    for (const peerId of peerIds) {
      const id = newJti();
      await tx.run('federation/outbox-enqueue', {
        id,
        peerId,
        messageType: input.messageType,
        payload,
        items,
        now,
      });
      ids.push(id);
    }
    return ids;
  }

  async get(id: string): Promise<OutboxMessage | null> {
    const [r] = await this.db.read('federation/outbox-get', { id });
    return r ? toOutboxMessage(r['message']) : null;
  }

  async list(filter: {
    status?: OutboxStatus | null;
    peerId?: string | null;
    limit: number;
    offset: number;
  }): Promise<OutboxMessage[]> {
    const rows = await this.db.read('federation/outbox-list', {
      status: filter.status ?? null,
      peerId: filter.peerId ?? null,
      limit: filter.limit,
      offset: filter.offset,
    });
    return rows.map((r) => toOutboxMessage(r['message']));
  }

  /** Pending messages and the age of the oldest, in seconds (for metrics). */
  async stats(): Promise<{ depth: number; oldestAgeSeconds: number }> {
    const [r] = await this.db.read('federation/outbox-stats');
    const oldest = typeof r?.['oldest'] === 'number' ? r['oldest'] : null;
    return {
      depth: Number(r?.['depth'] ?? 0),
      oldestAgeSeconds: oldest === null ? 0 : Math.max(0, (Date.now() - oldest) / 1000),
    };
  }
}
