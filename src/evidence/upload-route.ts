// POST /evidence: a multipart upload (one `file` part plus metadata fields) streamed to staging with
// the size limit enforced while it streams (413 the moment it is passed), the name checked, the type
// sniffed, then captured. Any refusal leaves nothing behind: no blob, no node.
import { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Principal } from '../server/context.js';
import { AppError, BadUserInputError, ConflictError, ForbiddenError } from '../server/errors.js';
import type { Logger } from '../server/logger.js';
import { refusalResponse } from '../server/refusal.js';
import { json, type Route } from '../server/routes.js';
import { parseCaptureMetadata } from './capture-metadata.js';
import type { EvidenceService } from './evidence-service.js';
import { checkFilename } from './filename.js';
import { FileTooLargeError, stageFile, type StagedFile } from './staging.js';

/** Roles that may add evidence: the node's analysts and admins. */
export const EVIDENCE_WRITERS: ReadonlySet<Principal['role']> = new Set(['admin', 'analyst']);

/** The one access check of the evidence routes; throws FORBIDDEN for any other role. */
export function assertEvidenceWriter(principal: Principal): void {
  if (!EVIDENCE_WRITERS.has(principal.role)) {
    throw new ForbiddenError('Only analysts and admins may handle evidence files');
  }
}

export class EvidenceTooLargeError extends AppError {
  constructor(limit: number) {
    super('BAD_USER_INPUT', `The file is larger than the limit of ${limit} bytes`, {
      reason: 'TOO_LARGE',
      limit,
      http: { status: 413 },
    });
  }
}

/** Multipart framing around one file: boundaries, part headers and the metadata fields. */
const MULTIPART_OVERHEAD = 64 * 1024;
const MAX_FIELDS = 16;
const MAX_FIELD_BYTES = 8 * 1024;

/**
 * The body's chunks through its reader: yoga may hand us its ponyfill stream, which
 * Readable.fromWeb refuses. Returning early (a refusal) cancels the stream.
 */
async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

interface Parsed {
  fields: Record<string, string>;
  file: StagedFile | null;
  filename: string | null;
  declaredMediaType: string | null;
}

/** Reads the multipart body: fields into memory (small, bounded), the file into staging. */
async function readMultipart(
  request: Request,
  stagingDir: string,
  maxBytes: number,
): Promise<Parsed> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(contentType) || !request.body) {
    throw new BadUserInputError('Send the evidence as multipart/form-data with a `file` part', {
      reason: 'NOT_MULTIPART',
    });
  }
  const parser = busboy({
    headers: { 'content-type': contentType },
    limits: {
      files: 1,
      fields: MAX_FIELDS,
      fieldSize: MAX_FIELD_BYTES,
      fileSize: maxBytes + 1,
      parts: MAX_FIELDS + 1,
    },
    defParamCharset: 'utf8',
    // The raw name, not busboy's basename of it: a name holding a path is refused, not trimmed.
    preservePath: true,
  });
  const body = Readable.from(chunksOf(request.body));
  const parsed: Parsed = { fields: {}, file: null, filename: null, declaredMediaType: null };
  // Set from parser callbacks: held in an object so that the checks after the await see them.
  const state: { failure: unknown; staging: Promise<void> | null } = {
    failure: null,
    staging: null,
  };
  let finish = () => undefined as void;
  const fail = (e: unknown) => {
    state.failure ??= e;
    body.unpipe(parser);
    body.destroy();
    // Stop waiting for the parser: after a refusal the rest of the body is never read.
    finish();
  };
  await new Promise<void>((resolve) => {
    finish = resolve;
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated)
        fail(new BadUserInputError(`The field ${name} is too long`, { reason: 'BAD_METADATA' }));
      else parsed.fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || parsed.file !== null || state.staging !== null) {
        stream.resume();
        fail(
          new BadUserInputError('Send exactly one file, in the part named `file`', {
            reason: 'BAD_FILE_PART',
          }),
        );
        return;
      }
      const checked = checkFilename(info.filename ?? '');
      if (!checked.ok) {
        stream.resume();
        fail(
          new BadUserInputError(`Refused file name: ${checked.reason}`, { reason: 'BAD_FILENAME' }),
        );
        return;
      }
      parsed.filename = checked.name;
      parsed.declaredMediaType = info.mimeType || null;
      state.staging = stageFile(stream, stagingDir, maxBytes).then(
        (file) => {
          if (state.failure) void file.discard();
          else parsed.file = file;
        },
        (e: unknown) => {
          stream.resume();
          fail(e instanceof FileTooLargeError ? new EvidenceTooLargeError(maxBytes) : e);
        },
      );
    });
    parser.on('filesLimit', () =>
      fail(new BadUserInputError('Send exactly one file', { reason: 'BAD_FILE_PART' })),
    );
    parser.on('fieldsLimit', () =>
      fail(new BadUserInputError('Too many fields', { reason: 'BAD_METADATA' })),
    );
    parser.on('partsLimit', () =>
      fail(new BadUserInputError('Too many parts', { reason: 'BAD_METADATA' })),
    );
    parser.on('error', (e: unknown) => {
      fail(
        new BadUserInputError(
          `Malformed multipart body: ${e instanceof Error ? e.message : 'unreadable'}`,
          { reason: 'NOT_MULTIPART' },
        ),
      );
      resolve();
    });
    parser.on('close', () => resolve());
    body.on('error', () => resolve());
    body.pipe(parser);
  });
  if (state.staging) await state.staging;
  if (state.failure) {
    if (parsed.file) await parsed.file.discard();
    throw state.failure instanceof Error ? state.failure : new Error('upload failed');
  }
  return parsed;
}

export interface UploadRouteDeps {
  service: EvidenceService;
  stagingDir: string;
  maxBytes: number;
  principalOf: (request: Request) => Principal;
  logger: Logger;
}

export function evidenceUploadRoute(deps: UploadRouteDeps): Route {
  return {
    method: 'POST',
    path: '/evidence',
    async handle(request) {
      try {
        const principal = deps.principalOf(request);
        assertEvidenceWriter(principal);
        const declared = Number(request.headers.get('content-length') ?? 'NaN');
        if (Number.isFinite(declared) && declared > deps.maxBytes + MULTIPART_OVERHEAD) {
          // Refused before a byte is read; the connection closes so the body is never drained.
          return refusalResponse(new EvidenceTooLargeError(deps.maxBytes), { connection: 'close' });
        }
        const parsed = await readMultipart(request, deps.stagingDir, deps.maxBytes);
        const file = parsed.file;
        if (!file || parsed.filename === null) {
          throw new BadUserInputError('The upload has no `file` part', { reason: 'MISSING_FILE' });
        }
        const meta = parseCaptureMetadata(parsed.fields);
        if (!meta.ok) {
          await file.discard();
          throw new BadUserInputError(meta.message, { reason: 'BAD_METADATA', field: meta.field });
        }
        const result = await deps.service.capture(
          {
            ...meta.value,
            filename: parsed.filename,
            declaredMediaType: parsed.declaredMediaType,
            actor: principal.subject,
          },
          file,
        );
        if (!result.ok) {
          throw result.code === 'CONFLICT'
            ? new ConflictError(result.message)
            : new BadUserInputError(result.message, { reason: result.code, field: 'for' });
        }
        const e = result.evidence;
        deps.logger.info(
          {
            evidence: e.uid,
            size: e['size'],
            created: result.created,
            blobCreated: result.blobCreated,
          },
          'evidence captured',
        );
        return json(
          {
            ok: true,
            created: result.created,
            blobCreated: result.blobCreated,
            evidence: {
              id: e['id'],
              key: e.key,
              sha256: e['sha256'],
              size: e['size'],
              mediaType: e['mediaType'],
              declaredMediaType: e['declaredMediaType'],
              filename: e['filename'],
              tlp: e['tlp'],
              statement: e['statementJws'],
            },
          },
          result.created ? 201 : 200,
        );
      } catch (e) {
        if (e instanceof AppError) {
          return refusalResponse(e, e.httpStatus === 413 ? { connection: 'close' } : {});
        }
        deps.logger.error({ err: e }, 'evidence upload failed');
        return json(
          { errors: [{ message: 'Unexpected error', extensions: { code: 'INTERNAL' } }] },
          500,
        );
      }
    },
  };
}
