// The only code that runs cypher/ingest/*: writes one folded batch in one transaction (the
// driver retries it whole on transient errors; every statement is a MERGE, so a retry never
// duplicates) and answers created/merged counts per record.
import { z } from 'zod';
import type { Database, Tx } from '../db/database.js';
import { toDate, toDateTime } from '../db/temporal.js';
import { IDENTIFIER_LABELS } from '../graph/model.js';
import { zeroCounts, type BatchParams, type Counts, type NodeRow } from './batch.js';

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

  /**
   * Writes one batch in one transaction; counts per record index. `within` runs in the same
   * transaction after the merges (an importer's own bookkeeping commits or rolls back with them).
   */
  async writeBatch(
    params: BatchParams,
    batchId: string,
    within?: (tx: Tx) => Promise<void>,
  ): Promise<Map<number, Counts>> {
    let attempt = 0;
    const records = new Set(params.nodes.map((n) => n.rec)).size;
    const statements = batchStatements(params, this.maxRawVariants);
    return this.db.writeTransaction(async (tx) => {
      attempt += 1;
      const counts = new Map<number, Counts>();
      for (const st of statements) {
        const rows = await tx.runSpecialized(st.name, st.slots, st.params);
        for (const raw of rows) {
          const row = CountRow.parse(raw);
          const c = counts.get(row.rec) ?? zeroCounts();
          c[st.counts === 'nodes' ? 'nodesCreated' : 'relationshipsCreated'] += row.created;
          c[st.counts === 'nodes' ? 'nodesMerged' : 'relationshipsMerged'] += row.merged;
          counts.set(row.rec, c);
        }
      }
      await within?.(tx);
      await this.faultHook?.({ batchId, attempt, records });
      return counts;
    });
  }
}

export interface Statement {
  name: string;
  slots: Record<string, string>;
  params: Record<string, unknown>;
  counts: 'nodes' | 'relationships';
}

/** Groups rows by label or type, one static statement each, in the order the graph needs them:
 * nodes, then identifiers, then the relationships between them. */
export function batchStatements(params: BatchParams, maxRawVariants: number): Statement[] {
  const out: Statement[] = [];
  for (const [label, rows] of groupBy(params.nodes, (n) => n.label)) {
    out.push({
      name: 'ingest/merge-entities',
      slots: { Label: label },
      counts: 'nodes',
      params: {
        nodes: rows.map((n) => ({
          rec: n.rec,
          uid: n.uid,
          keys: n.keys,
          attrs: attributes(n),
          firstSeen: toDateTime(n.firstSeen),
          lastSeen: toDateTime(n.lastSeen),
          sources: n.sources,
        })),
      },
    });
  }
  for (const [label, rows] of groupBy(params.identifiers, (i) => i.label)) {
    out.push({
      name: 'ingest/merge-identifiers',
      slots: { Label: label },
      counts: 'nodes',
      params: {
        maxRawVariants,
        identifiers: rows.map((i) => ({
          ...i,
          firstSeen: toDateTime(i.firstSeen),
          lastSeen: toDateTime(i.lastSeen),
        })),
      },
    });
  }
  for (const [type, rows] of groupBy(params.entityLinks, (l) => l.type)) {
    out.push({
      name: 'ingest/merge-entity-links',
      slots: { TYPE: type },
      counts: 'relationships',
      params: { links: rows.map(observed) },
    });
  }
  for (const rows of groupBy(params.identifierLinks, (l) => `${l.type} ${l.kind}`).values()) {
    const first = rows[0]!;
    out.push({
      name: 'ingest/merge-identifier-links',
      slots: { TYPE: first.type, Label: IDENTIFIER_LABELS[first.kind] },
      counts: 'relationships',
      params: { links: rows.map(observed) },
    });
  }
  return out;
}

/** A node's attributes with dates and instants as Neo4j values, in one map. */
function attributes(n: NodeRow): Record<string, unknown> {
  const attrs: Record<string, unknown> = { ...n.props };
  for (const [k, v] of Object.entries(n.dates)) attrs[k] = toDate(v);
  for (const [k, v] of Object.entries(n.datetimes)) attrs[k] = toDateTime(v);
  return attrs;
}

function observed<L extends { firstObserved: string; lastObserved: string }>(l: L) {
  return {
    ...l,
    firstObserved: toDateTime(l.firstObserved),
    lastObserved: toDateTime(l.lastObserved),
  };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
