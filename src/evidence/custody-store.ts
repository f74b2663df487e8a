// The only code that runs the custody statements: appends inside the caller's write transaction
// (under the item's lock, so one item's chain never forks) and reads and verifies a chain.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database, Tx } from '../db/database.js';
import type { JsonValue } from '../federation/canonical-json.js';
import {
  CUSTODY_ACTIONS,
  nextCustodyEntry,
  verifyCustodyChain,
  type CustodyEntry,
  type CustodyFields,
  type CustodyVerdict,
} from './custody-chain.js';

const HeadRow = z.object({ seq: z.number().int(), hash: z.string().nullable() });
const EntryProps = z.object({
  item: z.string(),
  seq: z.number().int(),
  at: z.string(),
  action: z.enum(CUSTODY_ACTIONS),
  actor: z.string(),
  detail: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});
const ChainRow = z.object({
  headSeq: z.number().int().nullable(),
  headHash: z.string().nullable(),
  entries: z.array(z.unknown()),
});

export interface CustodyLog {
  item: string;
  head: { seq: number; hash: string } | null;
  entries: CustodyEntry[];
}

export class CustodyStore {
  constructor(private readonly db: Database) {}

  /** Appends to `item`'s chain inside `tx`: it commits or rolls back with what it records. */
  async append(tx: Tx, item: string, fields: CustodyFields): Promise<CustodyEntry> {
    const [raw] = await tx.run('evidence/custody-lock-head', { uid: item, nonce: randomUUID() });
    if (!raw) throw new Error(`custody append for a missing item ${item}`);
    const head = HeadRow.parse(raw);
    const prev = head.seq > 0 && head.hash !== null ? { seq: head.seq, hash: head.hash } : null;
    const entry = nextCustodyEntry(item, prev, fields);
    await tx.run('evidence/custody-append', { ...entry, detail: JSON.stringify(entry.detail) });
    return entry;
  }

  /** Appends in a transaction of its own (views, transfers, deletion requests). */
  record(item: string, fields: CustodyFields): Promise<CustodyEntry> {
    return this.db.writeTransaction((tx) => this.append(tx, item, fields));
  }

  async log(item: string): Promise<CustodyLog> {
    const [raw] = await this.db.read('evidence/custody-entries', { item });
    const row = ChainRow.parse(raw ?? { headSeq: null, headHash: null, entries: [] });
    return {
      item,
      head:
        row.headSeq !== null && row.headSeq > 0 && row.headHash !== null
          ? { seq: row.headSeq, hash: row.headHash }
          : null,
      entries: row.entries.map(toEntry),
    };
  }

  async verify(item: string): Promise<CustodyVerdict & { log: CustodyLog }> {
    const log = await this.log(item);
    return { ...verifyCustodyChain(item, log.entries, log.head), log };
  }
}

function toEntry(raw: unknown): CustodyEntry {
  const p = EntryProps.parse(raw);
  let detail: { [key: string]: JsonValue };
  try {
    detail = JSON.parse(p.detail) as { [key: string]: JsonValue };
  } catch {
    // Unparseable detail cannot hash right: verification reports the entry as edited.
    detail = { unreadable: p.detail };
  }
  return { ...p, detail };
}
