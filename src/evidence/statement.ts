// The capture statement the node signs for every evidence file, and the offline check of a file
// against it (`palisade evidence verify`): the signature with the public key alone, then the bytes.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../federation/canonical-json.js';
import {
  EVIDENCE_STATEMENT_TYP,
  verifyStatement,
  type StatementSigner,
} from '../federation/signed-statements.js';

export const CaptureStatementSchema = z
  .object({
    v: z.literal(1),
    type: z.literal('palisade.evidence.capture'),
    evidenceId: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    size: z.number().int().nonnegative(),
    mediaType: z.string(),
    capturedAt: z.string(),
    capturedBy: z.string(),
    sourceUrl: z.string().nullable(),
    nodeId: z.string(),
    signedAt: z.string(),
  })
  .strict();
export type CaptureStatement = z.infer<typeof CaptureStatementSchema>;

/** Signs the statement over its canonical JSON: one byte string per statement. */
export async function signCaptureStatement(
  signer: StatementSigner,
  statement: CaptureStatement,
): Promise<{ jws: string; kid: string }> {
  return signer.sign(new TextEncoder().encode(canonicalJson(statement)), EVIDENCE_STATEMENT_TYP);
}

export type StatementCheck =
  | { ok: true; statement: CaptureStatement; kid: string }
  | { ok: false; problem: string; statement?: CaptureStatement };

/** Verifies the JWS with the given public keys and parses what it states. */
export async function readCaptureStatement(
  jws: string,
  jwks: unknown,
  pinnedFingerprint?: string,
): Promise<StatementCheck> {
  const verdict = await verifyStatement(jws, jwks, {
    typ: EVIDENCE_STATEMENT_TYP,
    ...(pinnedFingerprint !== undefined && { pinnedFingerprint }),
  });
  if (!verdict.ok) return { ok: false, problem: `statement: ${verdict.message}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(verdict.payload));
  } catch {
    return { ok: false, problem: 'statement: the payload is not JSON' };
  }
  const statement = CaptureStatementSchema.safeParse(parsed);
  if (!statement.success) return { ok: false, problem: 'statement: not a capture statement' };
  return { ok: true, statement: statement.data, kid: verdict.kid };
}

/** Checks file bytes against a signed statement: signature first, then size and SHA-256. */
export async function checkFileAgainstStatement(
  file: AsyncIterable<Uint8Array | string>,
  jws: string,
  jwks: unknown,
  pinnedFingerprint?: string,
): Promise<StatementCheck & { sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of file) {
    const buf = Buffer.from(chunk);
    size += buf.length;
    hash.update(buf);
  }
  const sha256 = hash.digest('hex');
  const read = await readCaptureStatement(jws, jwks, pinnedFingerprint);
  if (!read.ok) return { ...read, sha256, size };
  if (read.statement.size !== size) {
    return {
      ok: false,
      problem: `the file has ${size} bytes; the statement says ${read.statement.size}`,
      statement: read.statement,
      sha256,
      size,
    };
  }
  if (read.statement.sha256 !== sha256) {
    return {
      ok: false,
      problem: `the file's SHA-256 is ${sha256}; the statement says ${read.statement.sha256}`,
      statement: read.statement,
      sha256,
      size,
    };
  }
  return { ...read, sha256, size };
}
