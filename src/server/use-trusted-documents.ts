// Trusted documents (PALISADE_TRUSTED_DOCUMENTS): with a manifest of id → operation text configured,
// the node runs only the operations in it, named by `extensions.persistedQuery.sha256Hash` or
// `documentId`; any other request is refused before its text is parsed. Off by default.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { parse, type GraphQLError } from 'graphql';
import type { GraphQLParams } from 'graphql-yoga';
import { AppError } from './errors.js';
import type { YogaPlugin } from './yoga.js';

/** A manifest the node cannot use; the node does not start with it. */
export class TrustedDocumentsError extends Error {
  override name = 'TrustedDocumentsError';
}

/** Why a request was refused, as `extensions.reason` (the code is FORBIDDEN or BAD_USER_INPUT). */
export type TrustedDocumentRefusal =
  'TRUSTED_DOCUMENTS_ONLY' | 'UNKNOWN_DOCUMENT' | 'DOCUMENT_ID_REQUIRED';

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
const MAX_DOCUMENTS = 20_000;
const ID = /^(?:sha256:)?[A-Za-z0-9_.:-]{1,128}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Ids are looked up without the `sha256:` prefix the GraphQL-over-HTTP draft puts on them. */
const bare = (id: string) => (id.startsWith('sha256:') ? id.slice(7) : id);

/**
 * Reads a manifest: a JSON object of id → operation text (GraphQL Codegen's persisted documents), or
 * Apollo's persisted query manifest (`{ operations: [{ id, body }] }`). Every text must parse, and an
 * id that is a sha256 must be the sha256 of its text, so that an id names exactly one operation.
 */
export function parseTrustedDocuments(raw: unknown, source: string): ReadonlyMap<string, string> {
  const fail = (why: string): never => {
    throw new TrustedDocumentsError(`PALISADE_TRUSTED_DOCUMENTS ${source}: ${why}`);
  };
  let entries: Array<[unknown, unknown]>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail('must be a JSON object of id → operation text');
  }
  const operations = (raw as { operations?: unknown }).operations;
  if (Array.isArray(operations)) {
    entries = operations.map((o: unknown) => {
      const op = (typeof o === 'object' && o !== null ? o : {}) as { id?: unknown; body?: unknown };
      return [op.id, op.body];
    });
  } else {
    entries = Object.entries(raw);
  }
  if (entries.length === 0) fail('holds no operations');
  if (entries.length > MAX_DOCUMENTS) fail(`holds more than ${MAX_DOCUMENTS} operations`);
  const documents = new Map<string, string>();
  for (const [id, text] of entries) {
    if (typeof id !== 'string' || !ID.test(id)) {
      return fail(`${JSON.stringify(id)} is not a document id (1–128 letters, digits, _.:-)`);
    }
    if (typeof text !== 'string' || text.trim() === '') {
      return fail(`the operation of ${id} is not a non-empty string`);
    }
    try {
      parse(text);
    } catch (e) {
      return fail(`the operation of ${id} does not parse: ${(e as GraphQLError).message}`);
    }
    const key = bare(id);
    if (SHA256_HEX.test(key) && createHash('sha256').update(text).digest('hex') !== key) {
      return fail(`${id} is not the sha256 of its operation text`);
    }
    if (documents.has(key) && documents.get(key) !== text) {
      return fail(`${id} names two different operations`);
    }
    documents.set(key, text);
  }
  return documents;
}

/** Loads the manifest file named by PALISADE_TRUSTED_DOCUMENTS (once, at start). */
export async function loadTrustedDocuments(path: string): Promise<ReadonlyMap<string, string>> {
  let text: string;
  try {
    if ((await stat(path)).size > MAX_MANIFEST_BYTES) {
      throw new TrustedDocumentsError(
        `PALISADE_TRUSTED_DOCUMENTS ${path} is larger than ${MAX_MANIFEST_BYTES} bytes`,
      );
    }
    text = await readFile(path, 'utf8');
  } catch (e) {
    if (e instanceof TrustedDocumentsError) throw e;
    throw new TrustedDocumentsError(
      `PALISADE_TRUSTED_DOCUMENTS ${path} cannot be read: ${(e as Error).message}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TrustedDocumentsError(`PALISADE_TRUSTED_DOCUMENTS ${path} is not valid JSON`);
  }
  return parseTrustedDocuments(raw, path);
}

/** The document id of a request: the APQ extension's sha256Hash, or the `documentId` field. */
export function documentIdOf(params: GraphQLParams): string | null {
  const pq: unknown = params.extensions?.['persistedQuery'];
  if (typeof pq === 'object' && pq !== null) {
    const hash = (pq as { sha256Hash?: unknown }).sha256Hash;
    if (typeof hash === 'string') return hash;
  }
  const documentId = (params as GraphQLParams & { documentId?: unknown }).documentId;
  return typeof documentId === 'string' ? documentId : null;
}

export interface TrustedDocumentsOptions {
  documents: ReadonlyMap<string, string>;
  onRefused?: (reason: TrustedDocumentRefusal) => void;
}

/** Runs only the manifest's operations; refuses the rest with a code and a reason. */
export function useTrustedDocuments(options: TrustedDocumentsOptions): YogaPlugin {
  const refusal =
    (code: 'FORBIDDEN' | 'BAD_USER_INPUT', reason: TrustedDocumentRefusal, message: string) =>
    () => {
      options.onRefused?.(reason);
      return new AppError(code, message, { reason });
    };
  return usePersistedOperations({
    allowArbitraryOperations: false,
    extractPersistedOperationId: (params) => documentIdOf(params),
    getPersistedOperation: (id) => options.documents.get(bare(id)) ?? null,
    customErrors: {
      persistedQueryOnly: refusal(
        'FORBIDDEN',
        'TRUSTED_DOCUMENTS_ONLY',
        'This node runs trusted documents only: send extensions.persistedQuery.sha256Hash or documentId, not the query text',
      ),
      notFound: refusal(
        'FORBIDDEN',
        'UNKNOWN_DOCUMENT',
        'No trusted document has this id on this node',
      ),
      keyNotFound: refusal(
        'BAD_USER_INPUT',
        'DOCUMENT_ID_REQUIRED',
        'Send extensions.persistedQuery.sha256Hash or documentId',
      ),
    },
  });
}
