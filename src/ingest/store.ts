// The only code that runs cypher/ingest/*: writes one folded batch in one transaction (the
// driver retries it whole on transient errors; every statement is a MERGE, so a retry never
// duplicates) and answers created/merged counts per record.
import { z } from 'zod';
import type { Database, Tx } from '../db/database.js';
import { zeroCounts, type BatchParams, type Counts } from './batch.js';

const CountRow = z.object({
  rec: z.number().int(),
  created: z.number().int(),
  merged: z.number().int(),
});

/** Called inside the transaction after the batch's statements ran, before commit. Tests use it
 * to inject a transient failure (a thrown error rolls the transaction back). */
export type FaultHook = (batch: {
  batchId: string;
  attempt: number;
  records: number;
}) => void | Promise<void>;

export interface IngestStoreOptions {
  /** Raw spellings kept per identifier node (search finds each of them). */
  maxRawVariants?: number;
  faultHook?: FaultHook;
}

export class IngestStore {
  private readonly maxRawVariants: number;
  private readonly faultHook: FaultHook | undefined;

  constructor(
    private readonly db: Database,
    options: IngestStoreOptions = {},
  ) {
    this.maxRawVariants = options.maxRawVariants ?? 50;
    this.faultHook = options.faultHook;
  }

  /** Writes one batch in one transaction; counts per record index. */
  async writeBatch(params: BatchParams, batchId: string): Promise<Map<number, Counts>> {
    let attempt = 0;
    const records = new Set(params.nodes.map((n) => n.rec)).size;
    return this.db.writeTransaction(async (tx) => {
      attempt += 1;
      const counts = new Map<number, Counts>();
      const add = (rows: unknown[], created: keyof Counts, merged: keyof Counts) => {
        for (const raw of rows) {
          const row = CountRow.parse(raw);
          const c = counts.get(row.rec) ?? zeroCounts();
          c[created] += row.created;
          c[merged] += row.merged;
          counts.set(row.rec, c);
        }
      };
      add(
        await run(tx, 'ingest/merge-nodes', { nodes: params.nodes, batch: batchId }),
        'nodesCreated',
        'nodesMerged',
      );
      add(
        await run(tx, 'ingest/merge-identifiers', {
          identifiers: params.identifiers,
          batch: batchId,
          maxRawVariants: this.maxRawVariants,
        }),
        'nodesCreated',
        'nodesMerged',
      );
      add(
        await run(tx, 'ingest/merge-entity-links', { links: params.entityLinks, batch: batchId }),
        'relationshipsCreated',
        'relationshipsMerged',
      );
      add(
        await run(tx, 'ingest/merge-identifier-links', {
          links: params.identifierLinks,
          batch: batchId,
        }),
        'relationshipsCreated',
        'relationshipsMerged',
      );
      await this.faultHook?.({ batchId, attempt, records });
      return counts;
    });
  }
}

async function run(
  tx: Tx,
  name: string,
  params: Record<string, unknown> & { [k: string]: unknown },
) {
  const rows = Object.values(params).find(Array.isArray);
  // An empty UNWIND does nothing; skipping it saves a round trip.
  if (rows !== undefined && rows.length === 0) return [];
  return tx.run(name, params);
}
