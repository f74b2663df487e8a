// The dossier's manifest (every file's path, SHA-256 and size; the node; the TLP ceiling; how much
// was withheld) and the offline verification of an archive against it with the public key alone:
// any changed byte, added, removed or duplicated file, or changed manifest fails. Pure over entries.
import { z } from 'zod';
import { canonicalJson } from '../federation/canonical-json.js';
import { DOSSIER_MANIFEST_TYP, verifyStatement } from '../federation/signed-statements.js';
import type { ReadEntry } from './archive.js';
import { verifyCustodyChain, type CustodyEntry } from './custody-chain.js';
import { readCaptureStatement } from './statement.js';

export const MANIFEST_PATH = 'manifest.json';
export const SIGNATURE_PATH = 'manifest.jws';
export const JWKS_PATH = 'jwks.json';
export const DOSSIER_FORMAT = 'palisade-dossier/v1';

const FileEntry = z.object({
  path: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
});
export const ManifestSchema = z.object({
  format: z.literal(DOSSIER_FORMAT),
  dossierId: z.string(),
  nodeId: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  subject: z.object({ kind: z.enum(['case', 'network']), uid: z.string() }),
  tlpCeiling: z.string(),
  withheld: z.object({
    evidence: z.number().int(),
    entities: z.number().int(),
    links: z.number().int(),
  }),
  files: z.array(FileEntry),
});
export type DossierManifest = z.infer<typeof ManifestSchema>;

/** The manifest's bytes as signed: canonical JSON, so the same manifest always signs the same. */
export function manifestBytes(manifest: DossierManifest): Uint8Array {
  return new TextEncoder().encode(canonicalJson(manifest));
}

/** A path the builder may write: relative, no `..`, no backslashes or control characters. */
export function isSafeArchivePath(path: string): boolean {
  return (
    /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(path) &&
    !path.split('/').some((p) => p === '..' || p === '.')
  );
}

export interface DossierVerdict {
  ok: boolean;
  problems: string[];
  manifest?: DossierManifest;
  /** Which key verified: the kid, and whether it was pinned (a JWKS file or a fingerprint). */
  kid?: string;
  keySource: 'jwks-file' | 'fingerprint' | 'embedded-unpinned';
  checked: { files: number; statements: number; custodyLogs: number };
}

/** Small JSON entries the verifier reads whole. */
export const keepForVerify = (path: string): boolean =>
  path === MANIFEST_PATH ||
  path === SIGNATURE_PATH ||
  path === JWKS_PATH ||
  path === 'evidence/index.json' ||
  path.startsWith('custody/');

const CustodyFile = z.object({
  item: z.string(),
  head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  entries: z.array(z.unknown()),
});
const EvidenceIndex = z.array(
  z
    .object({
      uid: z.string(),
      sha256: z.string().nullable(),
      path: z.string().nullable(),
      statementJws: z.string().nullable(),
    })
    .passthrough(),
);

/**
 * Verifies a dossier's entries. Keys: a JWKS the recipient holds (`jwks`), or the archive's own
 * jwks.json pinned by `fingerprint`; with neither, the embedded keys are used and the verdict says
 * the key was not pinned (integrity only, not origin).
 */
export async function verifyDossierEntries(
  entries: readonly ReadEntry[],
  options: { jwks?: unknown; fingerprint?: string } = {},
): Promise<DossierVerdict> {
  const problems: string[] = [];
  const keySource: DossierVerdict['keySource'] =
    options.jwks !== undefined
      ? 'jwks-file'
      : options.fingerprint !== undefined
        ? 'fingerprint'
        : 'embedded-unpinned';
  const checked = { files: 0, statements: 0, custodyLogs: 0 };
  const byPath = new Map<string, ReadEntry>();
  for (const e of entries) {
    if (e.type !== 'file') problems.push(`${e.path}: not a regular file (${e.type})`);
    if (!isSafeArchivePath(e.path)) problems.push(`${e.path}: unsafe path`);
    if (byPath.has(e.path)) problems.push(`${e.path}: appears twice`);
    byPath.set(e.path, e);
  }
  const fail = () => ({ ok: false, problems, keySource, checked });
  const manifestEntry = byPath.get(MANIFEST_PATH);
  const signatureEntry = byPath.get(SIGNATURE_PATH);
  if (!manifestEntry?.bytes) problems.push('manifest.json is missing');
  if (!signatureEntry?.bytes) problems.push('manifest.jws is missing');
  if (!manifestEntry?.bytes || !signatureEntry?.bytes) return fail();

  let keys: unknown = options.jwks;
  if (keys === undefined) {
    const embedded = byPath.get(JWKS_PATH)?.bytes;
    if (!embedded) {
      problems.push('jwks.json is missing and no JWKS was given');
      return fail();
    }
    try {
      keys = JSON.parse(embedded.toString('utf8'));
    } catch {
      problems.push('jwks.json is not JSON');
      return fail();
    }
  }
  const verdict = await verifyStatement(signatureEntry.bytes.toString('utf8'), keys, {
    typ: DOSSIER_MANIFEST_TYP,
    ...(options.fingerprint !== undefined && { pinnedFingerprint: options.fingerprint }),
  });
  if (!verdict.ok) {
    problems.push(`manifest signature: ${verdict.message}`);
    return fail();
  }
  if (!Buffer.from(verdict.payload).equals(manifestEntry.bytes)) {
    problems.push('manifest.json is not the manifest that was signed');
    return { ...fail(), kid: verdict.kid };
  }
  let manifest: DossierManifest;
  try {
    manifest = ManifestSchema.parse(JSON.parse(manifestEntry.bytes.toString('utf8')));
  } catch {
    problems.push('manifest.json is not a dossier manifest');
    return { ...fail(), kid: verdict.kid };
  }
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    const e = byPath.get(f.path);
    checked.files++;
    if (!e) problems.push(`${f.path}: listed in the manifest but missing`);
    else if (e.size !== f.size)
      problems.push(`${f.path}: ${e.size} bytes, the manifest says ${f.size}`);
    else if (e.sha256 !== f.sha256) problems.push(`${f.path}: SHA-256 differs from the manifest`);
  }
  for (const path of byPath.keys()) {
    if (path !== MANIFEST_PATH && path !== SIGNATURE_PATH && !listed.has(path)) {
      problems.push(`${path}: not listed in the manifest`);
    }
  }
  // Deeper checks: every evidence statement and custody chain inside holds up on its own.
  const index = byPath.get('evidence/index.json')?.bytes;
  if (index) {
    const parsed = EvidenceIndex.safeParse(safeJson(index));
    if (!parsed.success) problems.push('evidence/index.json is unreadable');
    else {
      for (const item of parsed.data) {
        if (item.statementJws === null) continue;
        checked.statements++;
        const read = await readCaptureStatement(item.statementJws, keys, options.fingerprint);
        if (!read.ok) problems.push(`${item.uid}: ${read.problem}`);
        else if (item.path !== null && byPath.get(item.path)?.sha256 !== read.statement.sha256) {
          problems.push(`${item.uid}: the file does not match its signed statement`);
        }
      }
    }
  }
  for (const [path, e] of byPath) {
    if (!path.startsWith('custody/') || !e.bytes) continue;
    checked.custodyLogs++;
    const parsed = CustodyFile.safeParse(safeJson(e.bytes));
    if (!parsed.success) {
      problems.push(`${path}: not a custody log`);
      continue;
    }
    const chain = verifyCustodyChain(
      parsed.data.item,
      parsed.data.entries as CustodyEntry[],
      parsed.data.head,
    );
    if (!chain.ok) problems.push(`${path}: custody chain ${chain.problem} at entry ${chain.seq}`);
  }
  return { ok: problems.length === 0, problems, manifest, kid: verdict.kid, keySource, checked };
}

function safeJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
}
