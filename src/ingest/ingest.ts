// Ingest logic: validate and plan every record before anything is written, write the valid
// ones of a batch in one transaction, and answer per record (created/merged counts, errors,
// identifiers kept raw). A batch the database refuses is replayed record by record so one bad
// record is reported and the good ones of its batch are still written whole.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../server/logger.js';
import { isAppError } from '../server/errors.js';
import { foldBatch, zeroCounts, type BatchParams, type Counts } from './batch.js';
import { parseRecord, type RecordError, type RecordKind } from './model.js';
import { memoizedNormalizer } from '../identifiers/memo.js';
import { planRecord, type IdentifierWarning, type RecordPatch } from './plan.js';
import type { Config } from '../config.js';
import type { Database, Tx } from '../db/database.js';
import { IngestStore, type IngestStoreOptions } from './store.js';

export interface RecordResult extends Counts {
  /** Position of the record in the request, or its line in a file. */
  index: number;
  kind: RecordKind;
  ok: boolean;
  errors: RecordError[];
  /** The stored record's primary node, as a uid (see graph/model.ts). */
  uid?: string;
  /** Identifiers that could not be normalized: stored raw, flagged, and reported here. */
  warnings: IdentifierWarning[];
}

export interface IngestSummary extends Counts {
  records: number;
  accepted: number;
  rejected: number;
  unnormalizedIdentifiers: number;
  batches: number;
}

export const emptySummary = (): IngestSummary => ({
  records: 0,
  accepted: 0,
  rejected: 0,
  unnormalizedIdentifiers: 0,
  batches: 0,
  ...zeroCounts(),
});

export function addToSummary(summary: IngestSummary, result: RecordResult): void {
  summary.records += 1;
  if (result.ok) summary.accepted += 1;
  else summary.rejected += 1;
  summary.unnormalizedIdentifiers += result.warnings.length;
  summary.nodesCreated += result.nodesCreated;
  summary.nodesMerged += result.nodesMerged;
  summary.relationshipsCreated += result.relationshipsCreated;
  summary.relationshipsMerged += result.relationshipsMerged;
}

/** One input record: its kind, the raw value (from GraphQL, CSV or JSONL) and its position. */
export interface IncomingRecord {
  index: number;
  kind: RecordKind;
  value: unknown;
}

type Prepared =
  | { ok: true; index: number; kind: RecordKind; patch: RecordPatch }
  | { ok: false; index: number; kind: RecordKind; errors: RecordError[] };

export interface IngestorOptions {
  store: IngestStore;
  logger: Logger;
  /** Records per transaction. */
  batchSize: number;
  /** Phone region for records that name none. */
  defaultRegion: string;
  /** Called after each batch commits with what it wrote (networks keep themselves current). */
  afterBatch?: AfterBatchHook;
}

export type AfterBatchHook = (batch: BatchParams) => Promise<void>;

export class Ingestor {
  private readonly normalize = memoizedNormalizer();

  constructor(private readonly options: IngestorOptions) {}

  get batchSize(): number {
    return this.options.batchSize;
  }

  /** Validates and plans one record (pure; no database). */
  prepare(record: IncomingRecord): Prepared {
    const parsed = parseRecord(record.kind, record.value);
    if (!parsed.ok)
      return { ok: false, index: record.index, kind: record.kind, errors: parsed.errors };
    const planned = planRecord(parsed.record, {
      defaultRegion: this.options.defaultRegion,
      normalize: this.normalize,
    });
    if (!planned.ok)
      return { ok: false, index: record.index, kind: record.kind, errors: planned.errors };
    return { ok: true, index: record.index, kind: record.kind, patch: planned.patch };
  }

  /** Ingests records given in memory (a GraphQL mutation), batch by batch, pipelined as a
   * stream is (the next batch is validated and planned while one writes). */
  async ingest(
    records: IncomingRecord[],
  ): Promise<{ summary: IngestSummary; results: RecordResult[] }> {
    const results: RecordResult[] = [];
    const summary = await this.ingestStream(records, (r) => {
      results.push(r);
    });
    return { summary, results };
  }

  /**
   * Ingests a stream in batches with one batch writing while the next is read and validated
   * (bounded memory: at most two batches are held). Results come to `onResult` in input order.
   */
  async ingestStream(
    records: AsyncIterable<IncomingRecord> | Iterable<IncomingRecord>,
    onResult: (result: RecordResult) => void | Promise<void>,
  ): Promise<IngestSummary> {
    const summary = emptySummary();
    let inFlight: Promise<void> | undefined;
    const submit = async (batch: Prepared[]) => {
      if (inFlight) await inFlight;
      inFlight = (async () => {
        for (const r of await this.writePrepared(batch)) {
          addToSummary(summary, r);
          await onResult(r);
        }
        summary.batches += 1;
      })();
      // Surface a failure at the next await rather than as an unhandled rejection.
      inFlight.catch(() => undefined);
    };
    let batch: Prepared[] = [];
    for await (const record of records) {
      batch.push(this.prepare(record));
      // Planning is synchronous: let the batch in flight take its round trips now and then, so
      // the database works while the next batch is planned.
      if (inFlight && batch.length % 50 === 0) await new Promise(setImmediate);
      if (batch.length >= this.options.batchSize) {
        await submit(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await submit(batch);
    if (inFlight) await inFlight;
    return summary;
  }

  /** Writes the valid records of one batch in one transaction; the invalid ones are reported. */
  async writePrepared(batch: Prepared[]): Promise<RecordResult[]> {
    const valid = batch.filter((p): p is Extract<Prepared, { ok: true }> => p.ok);
    let counts: Map<number, Counts> | undefined;
    const failed = new Map<number, RecordError>();
    if (valid.length > 0) {
      try {
        counts = await this.write(valid);
      } catch (e) {
        if (isUnavailable(e)) throw e;
        this.options.logger.warn(
          { code: errorCode(e), records: valid.length },
          'batch refused; writing its records one by one',
        );
        counts = new Map();
        for (const one of valid) {
          try {
            for (const [rec, c] of await this.write([one])) counts.set(rec, c);
          } catch (err) {
            if (isUnavailable(err)) throw err;
            failed.set(one.index, {
              code: 'REJECTED_BY_DATABASE',
              message: `the database refused the record (${errorCode(err)})`,
            });
          }
        }
      }
    }
    return batch.map((p): RecordResult => {
      if (!p.ok) {
        return {
          index: p.index,
          kind: p.kind,
          ok: false,
          errors: p.errors,
          warnings: [],
          ...zeroCounts(),
        };
      }
      const error = failed.get(p.index);
      if (error) {
        return {
          index: p.index,
          kind: p.kind,
          ok: false,
          errors: [error],
          warnings: [],
          ...zeroCounts(),
        };
      }
      return {
        index: p.index,
        kind: p.kind,
        ok: true,
        errors: [],
        uid: p.patch.primaryUid,
        warnings: p.patch.warnings,
        ...(counts?.get(p.index) ?? zeroCounts()),
      };
    });
  }

  /**
   * Writes planned patches in ONE transaction, all or nothing: no record-by-record replay when the
   * database refuses it (an import that must never be half-stored, such as a STIX bundle). `within`
   * runs in the same transaction after the merges; networks follow after the commit as for every
   * batch. Counts per patch index.
   */
  writeAtomic(
    patches: ReadonlyArray<{ index: number; patch: RecordPatch }>,
    within?: (tx: Tx) => Promise<void>,
  ): Promise<Map<number, Counts>> {
    return this.write(patches, within);
  }

  private async write(
    valid: ReadonlyArray<{ index: number; patch: RecordPatch }>,
    within?: (tx: Tx) => Promise<void>,
  ): Promise<Map<number, Counts>> {
    const folded = foldBatch(valid.map((v) => ({ rec: v.index, patch: v.patch })));
    const counts = await this.options.store.writeBatch(folded.params, randomUUID(), within);
    await this.options.afterBatch?.(folded.params);
    for (const v of valid) {
      const c = counts.get(v.index) ?? zeroCounts();
      const extra = folded.absorbed.get(v.index);
      if (extra) {
        c.nodesMerged += extra.nodesMerged;
        c.relationshipsMerged += extra.relationshipsMerged;
      }
      counts.set(v.index, c);
    }
    return counts;
  }
}

function isUnavailable(e: unknown): boolean {
  return isAppError(e) && e.code === 'UNAVAILABLE';
}

/** A code safe to show and log: driver messages may quote property values (identifiers). */
function errorCode(e: unknown): string {
  if (isAppError(e)) return e.code;
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string')
    return e.code;
  return e instanceof Error ? e.name : 'unknown';
}

/** The ingestor of a node: its store on the node's database, sized by config.ingest. */
export function createIngestor(
  deps: { db: Database; config: Config; logger: Logger; afterBatch?: AfterBatchHook },
  storeOptions: IngestStoreOptions = {},
): Ingestor {
  return new Ingestor({
    store: new IngestStore(deps.db, storeOptions),
    logger: deps.logger,
    batchSize: deps.config.ingest.batchSize,
    defaultRegion: deps.config.ingest.defaultRegion,
    ...(deps.afterBatch && { afterBatch: deps.afterBatch }),
  });
}
