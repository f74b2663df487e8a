// The federation audit log in Neo4j: entries hashed into a chain by audit-chain.ts, appended one
// writer at a time (the head node is locked inside the appending transaction), verified end to end.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database, Tx } from '../db/database.js';
import {
  appendEntry,
  verifyChain,
  type AuditEntry,
  type AuditFields,
  type AuditKind,
  type ChainVerdict,
} from './audit-chain.js';
import type { JsonValue } from './canonical-json.js';

export type AuditInput = Omit<AuditFields, 'at' | 'peer' | 'messageType' | 'jti'> & {
  at?: Date;
  peer?: string | null;
  messageType?: string | null;
  jti?: string | null;
};

const headRow = z.object({ seq: z.number().int(), hash: z.string().nullable() });
const entryRow = z.object({
  seq: z.number().int(),
  at: z.string(),
  kind: z.string(),
  peer: z.string().nullable().optional(),
  messageType: z.string().nullable().optional(),
  jti: z.string().nullable().optional(),
  reason: z.string().nullable().optional(),
  detail: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});

function toEntry(value: unknown): AuditEntry {
  const r = entryRow.parse(value);
  let detail: { [key: string]: JsonValue } = {};
  try {
    detail = JSON.parse(r.detail) as { [key: string]: JsonValue };
  } catch {
    // An edited detail that is no longer JSON: keep the text so the hash check fails on it.
    detail = { unreadable: r.detail };
  }
  return {
    seq: r.seq,
    at: r.at,
    kind: r.kind as AuditKind,
    peer: r.peer ?? null,
    messageType: r.messageType ?? null,
    jti: r.jti ?? null,
    ...(r.reason != null ? { reason: r.reason } : {}),
    detail,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

export type AuditVerdict = ChainVerdict & { entries: number };

export interface AuditPageFilter {
  kind?: AuditKind | null;
  peer?: string | null;
  limit: number;
  offset: number;
}

/** Called after each append (metrics); must not throw. */
export type AuditListener = (entry: AuditEntry) => void;

export class AuditLog {
  constructor(
    private readonly db: Database,
    private readonly listener?: AuditListener,
  ) {}

  /** Appends inside the caller's transaction: the entry commits or rolls back with its cause. */
  async append(tx: Tx, input: AuditInput): Promise<AuditEntry> {
    const [head] = await tx.run('federation/audit-lock-head', { nonce: randomUUID() });
    const h = headRow.parse(head);
    const prev =
      h.seq > 0 && h.hash !== null
        ? ({ seq: h.seq, hash: h.hash } as Pick<AuditEntry, 'seq' | 'hash'>)
        : null;
    const entry = appendEntry(prev as AuditEntry | null, {
      at: input.at ?? new Date(),
      kind: input.kind,
      peer: input.peer ?? null,
      messageType: input.messageType ?? null,
      jti: input.jti ?? null,
      ...(input.reason !== undefined && { reason: input.reason }),
      ...(input.detail !== undefined && { detail: input.detail }),
    });
    await tx.run('federation/audit-append', {
      ...entry,
      reason: entry.reason ?? null,
      detail: JSON.stringify(entry.detail),
    });
    this.listener?.(entry);
    return entry;
  }

  /** Appends in a transaction of its own (refusals: their cause rolled back). */
  record(input: AuditInput): Promise<AuditEntry> {
    return this.db.writeTransaction((tx) => this.append(tx, input));
  }

  /** Walks the whole chain in batches against the head kept on its own node. */
  async verify(batch = 5000): Promise<AuditVerdict> {
    const [headRaw] = await this.db.read('federation/audit-head');
    const head = headRaw ? headRow.parse(headRaw) : { seq: 0, hash: null };
    const entries: AuditEntry[] = [];
    for (let from = 1; ;) {
      const rows = await this.db.read('federation/audit-entries', { fromSeq: from, limit: batch });
      entries.push(...rows.map((r) => toEntry(r['entry'])));
      if (rows.length < batch) break;
      from = entries[entries.length - 1]!.seq + 1;
    }
    const verdict =
      head.seq > 0 && head.hash !== null
        ? verifyChain(entries, { head: { seq: head.seq, hash: head.hash } })
        : entries.length === 0
          ? ({ ok: true, head: null } as ChainVerdict)
          : verifyChain(entries);
    return { ...verdict, entries: entries.length };
  }

  async page(filter: AuditPageFilter): Promise<AuditEntry[]> {
    const rows = await this.db.read('federation/audit-page', {
      kind: filter.kind ?? null,
      peer: filter.peer ?? null,
      offset: filter.offset,
      limit: filter.limit,
    });
    return rows.map((r) => toEntry(r['entry']));
  }
}
