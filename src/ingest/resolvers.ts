// Thin resolvers of the ingest mutations: unpack the records, call the ingestor, shape results.
import { uidToId } from '../graph/model.js';
import type { GraphQLContext } from '../server/context.js';
import { BadUserInputError } from '../server/errors.js';
import type { NodeRegistry } from '../server/node-registry.js';
import type { IngestSummary, Ingestor, RecordResult } from './ingest.js';
import type { RecordKind } from './model.js';

/** Larger sets belong in `palisade import`; this keeps one request's memory and time bounded. */
export const MAX_RECORDS_PER_CALL = 5000;

export interface RecordResultObject extends Omit<RecordResult, 'uid' | 'warnings' | 'kind'> {
  error: RecordResult['errors'][number] | null;
  id: string | null;
  unnormalizedIdentifiers: RecordResult['warnings'];
}

export function toResultObject(r: RecordResult): RecordResultObject {
  return {
    index: r.index,
    ok: r.ok,
    error: r.errors[0] ?? null,
    errors: r.errors,
    id: r.uid !== undefined ? uidToId(r.uid) : null,
    nodesCreated: r.nodesCreated,
    nodesMerged: r.nodesMerged,
    relationshipsCreated: r.relationshipsCreated,
    relationshipsMerged: r.relationshipsMerged,
    unnormalizedIdentifiers: r.warnings,
  };
}

export function createIngestResolvers(deps: { ingestor: Ingestor; nodes: NodeRegistry }) {
  const record =
    (kind: RecordKind) =>
    async (
      _: unknown,
      args: { records: unknown[] },
    ): Promise<{ ok: boolean; summary: IngestSummary; results: RecordResultObject[] }> => {
      if (args.records.length > MAX_RECORDS_PER_CALL) {
        throw new BadUserInputError(
          `At most ${MAX_RECORDS_PER_CALL} records per call; use palisade import for more`,
          { argument: 'records' },
        );
      }
      const { summary, results } = await deps.ingestor.ingest(
        args.records.map((value, index) => ({ index, kind, value })),
      );
      return { ok: summary.rejected === 0, summary, results: results.map(toResultObject) };
    };
  const load = (id: string | null, ctx: GraphQLContext) => (id ? deps.nodes.load(id, ctx) : null);

  return {
    Mutation: {
      recordListingObservations: record('listing'),
      recordEntities: record('entity'),
      recordShipments: record('shipment'),
      recordCases: record('case'),
      recordTrademarks: record('trademark'),
    },
    RecordResult: {
      node: (r: RecordResultObject, _: unknown, ctx: GraphQLContext) => load(r.id, ctx),
    },
    UnnormalizedIdentifier: {
      identifier: (w: { id: string }, _: unknown, ctx: GraphQLContext) => load(w.id, ctx),
    },
  };
}
