// The node's identity keys: generation, the published JWKS, the 0600 key file, and rotation
// statements that let a peer move its pin from an old key to a new one without trusting the network.
import { exportJWK, flattenedVerify, GeneralSign, generateKeyPair } from 'jose';
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import {
  decodeJsonSegment,
  decodeSegment,
  hasOnlyMembers,
  isCanonicalBase64url,
  parseJsonObject,
  utf8,
} from './compact.js';
import {
  assertKidIsThumbprint,
  assertPrivateMatchesPublic,
  encryptionPrivateJwkSchema,
  encryptionPublicJwkSchema,
  importSigningPrivateKey,
  importSigningPublicKey,
  JwkError,
  jwkThumbprint,
  parseJwk,
  SIGNING_ALG,
  signingPrivateJwkSchema,
  signingPublicJwkSchema,
  toPublicJwk,
  type EncryptionPrivateJwk,
  type EncryptionPublicJwk,
  type PublicJwk,
  type SigningPrivateJwk,
  type SigningPublicJwk,
} from './jwk-import.js';

export type {
  EncryptionPrivateJwk,
  EncryptionPublicJwk,
  PrivateJwk,
  PublicJwk,
  SigningPrivateJwk,
  SigningPublicJwk,
} from './jwk-import.js';

/** One generation of node keys. `notAfter` is set once a rotation retires it: usable until then. */
export interface NodeKeys {
  signing: SigningPrivateJwk;
  encryption: EncryptionPrivateJwk;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; end of the rotation overlap. Absent on the current set. */
  notAfter?: string;
}

export const KEY_FILE_FORMAT = 'palisade-node-keys/v1';

/** What the key file holds: the current set and the retired sets still inside their overlap. */
export interface KeyFile {
  format: typeof KEY_FILE_FORMAT;
  current: NodeKeys;
  previous: NodeKeys[];
}

export interface Jwks {
  keys: PublicJwk[];
}

/** Generate a fresh Ed25519 signing key and X25519 encryption key, each with kid = thumbprint. */
export async function generateNodeKeys(now: Date = new Date()): Promise<NodeKeys> {
  const sig = await generateKeyPair(SIGNING_ALG, { crv: 'Ed25519', extractable: true });
  const enc = await generateKeyPair('ECDH-ES+A256KW', { crv: 'X25519', extractable: true });
  const sigJwk = await exportJWK(sig.privateKey);
  const encJwk = await exportJWK(enc.privateKey);
  if (!sigJwk.x || !sigJwk.d || !encJwk.x || !encJwk.d)
    throw new Error('key generation returned an incomplete JWK');
  const signing: SigningPrivateJwk = {
    kty: 'OKP',
    crv: 'Ed25519',
    x: sigJwk.x,
    d: sigJwk.d,
    kid: await jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: sigJwk.x }),
    alg: 'EdDSA',
    use: 'sig',
  };
  const encryption: EncryptionPrivateJwk = {
    kty: 'OKP',
    crv: 'X25519',
    x: encJwk.x,
    d: encJwk.d,
    kid: await jwkThumbprint({ kty: 'OKP', crv: 'X25519', x: encJwk.x }),
    alg: 'ECDH-ES+A256KW',
    use: 'enc',
  };
  return { signing, encryption, createdAt: now.toISOString() };
}

/** A new key file holding one fresh key set (what `palisade init` writes). */
export async function createKeyFile(now: Date = new Date()): Promise<KeyFile> {
  return { format: KEY_FILE_FORMAT, current: await generateNodeKeys(now), previous: [] };
}

/** The current set first, then retired sets whose overlap has not ended. */
export function activeKeySets(file: KeyFile, now: Date = new Date()): NodeKeys[] {
  const t = now.getTime();
  return [
    file.current,
    ...file.previous.filter((k) => k.notAfter !== undefined && Date.parse(k.notAfter) > t),
  ];
}

/** The private encryption keys to open envelopes with: current and those still in overlap. */
export function decryptionKeys(file: KeyFile, now: Date = new Date()): EncryptionPrivateJwk[] {
  return activeKeySets(file, now).map((k) => k.encryption);
}

/**
 * The JWKS to publish at /.well-known/jwks.json: public members only, built from an allowlist.
 * A key file contributes its active sets; retired signing keys stay listed during the overlap so
 * envelopes sealed before the rotation still verify.
 */
export function publicJwks(
  keys: KeyFile | NodeKeys | readonly NodeKeys[],
  now: Date = new Date(),
): Jwks {
  const sets: readonly NodeKeys[] = Array.isArray(keys)
    ? keys
    : 'format' in keys
      ? activeKeySets(keys, now)
      : [keys as NodeKeys];
  return { keys: sets.flatMap((k) => [toPublicJwk(k.signing), toPublicJwk(k.encryption)]) };
}

/** The value an admin reads out of band to pin a peer: the RFC 7638 SHA-256 thumbprint, base64url. */
export function fingerprint(jwk: PublicJwk): Promise<string> {
  return jwkThumbprint(jwk);
}

// ---------------------------------------------------------------------------------------------
// Key file

export type KeyFileProblem =
  | 'NOT_FOUND'
  | 'UNREADABLE'
  | 'NOT_A_FILE'
  | 'INSECURE_PERMISSIONS'
  | 'TOO_LARGE'
  | 'INVALID'
  | 'EXISTS';

/** A key file that cannot be used. Messages name the file and the member, never key material. */
export class KeyFileError extends Error {
  constructor(
    readonly problem: KeyFileProblem,
    message: string,
  ) {
    super(message);
    this.name = 'KeyFileError';
  }
}

const MAX_KEY_FILE_BYTES = 64 * 1024;
const isoDate = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

const nodeKeysSchema = z.object({
  signing: signingPrivateJwkSchema,
  encryption: encryptionPrivateJwkSchema,
  createdAt: isoDate,
  notAfter: isoDate.optional(),
});

const keyFileSchema = z.object({
  format: z.literal(KEY_FILE_FORMAT, { error: `format must be "${KEY_FILE_FORMAT}"` }),
  current: nodeKeysSchema.refine((k) => k.notAfter === undefined, {
    message: 'the current key set must not have notAfter',
    path: ['notAfter'],
  }),
  previous: z.array(
    nodeKeysSchema.refine((k) => k.notAfter !== undefined, {
      message: 'a retired key set needs notAfter (the end of its overlap)',
      path: ['notAfter'],
    }),
  ),
});

/** Validate key-file content (from the file or from the environment); every problem is named. */
export async function parseKeyFile(value: unknown, source = 'key file'): Promise<KeyFile> {
  const parsed = keyFileSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`,
    );
    throw new KeyFileError('INVALID', `${source} is invalid: ${problems.join('; ')}`);
  }
  const file: KeyFile = { ...parsed.data, format: KEY_FILE_FORMAT };
  const sets: [string, NodeKeys][] = [
    ['current', file.current],
    ...file.previous.map((k, i): [string, NodeKeys] => [`previous.${i}`, k]),
  ];
  const kids = new Set<string>();
  try {
    for (const [path, set] of sets) {
      for (const [member, jwk] of [
        ['signing', set.signing],
        ['encryption', set.encryption],
      ] as const) {
        await assertKidIsThumbprint(jwk, `${path}.${member}`);
        assertPrivateMatchesPublic(jwk, `${path}.${member}`);
        if (kids.has(jwk.kid))
          throw new JwkError('the same key appears twice', `${path}.${member}.kid`);
        kids.add(jwk.kid);
      }
      if (set.notAfter !== undefined && Date.parse(set.notAfter) <= Date.parse(set.createdAt)) {
        throw new JwkError('notAfter must be after createdAt', `${path}.notAfter`);
      }
    }
  } catch (e) {
    if (e instanceof JwkError)
      throw new KeyFileError('INVALID', `${source} is invalid: ${e.message}`);
    throw e;
  }
  return file;
}

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string'
    ? e.code
    : undefined;
}

/**
 * Write a key file readable by its owner only (0600). Refuses to replace an existing file unless
 * `overwrite` is set; the file appears complete or not at all (written aside, then linked/renamed).
 */
export async function writeKeyFile(
  path: string,
  keyFile: KeyFile,
  options: { overwrite?: boolean } = {},
): Promise<void> {
  // Never write what readKeyFile would refuse.
  const valid = await parseKeyFile(keyFile, 'key file to write');
  const text = `${JSON.stringify(valid, null, 2)}\n`;
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.chmod(0o600); // the mode given to open is filtered by umask; state it outright
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    if (options.overwrite) {
      await rename(tmp, path);
    } else {
      await link(tmp, path); // fails with EEXIST instead of replacing: no check-then-write race
      await unlink(tmp);
    }
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    if (errnoCode(e) === 'EEXIST') {
      throw new KeyFileError('EXISTS', `${path} already exists; refusing to overwrite a key file`);
    }
    throw e;
  }
}

/** Read and validate a key file; refuses files that group or others may access. */
export async function readKeyFile(path: string): Promise<KeyFile> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') throw new KeyFileError('NOT_FOUND', `${path} does not exist`);
    throw new KeyFileError('UNREADABLE', `${path} cannot be opened (${errnoCode(e) ?? 'error'})`);
  }
  let text: string;
  try {
    // Checked on the open descriptor, so the file judged is the file read.
    const st = await fh.stat();
    if (!st.isFile()) throw new KeyFileError('NOT_A_FILE', `${path} is not a regular file`);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      throw new KeyFileError(
        'INSECURE_PERMISSIONS',
        `${path} has mode ${mode}: a key file must not be accessible to group or others (chmod 600 ${path})`,
      );
    }
    if (st.size > MAX_KEY_FILE_BYTES)
      throw new KeyFileError('TOO_LARGE', `${path} is larger than a key file can be`);
    text = await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
  const value = parseJsonObject(text);
  if (value === null) throw new KeyFileError('INVALID', `${path} is not a JSON object`);
  return parseKeyFile(value, path);
}

// ---------------------------------------------------------------------------------------------
// Rotation

export const ROTATION_TYP = 'palisade-key-rotation+json';
const DEFAULT_OVERLAP_SECONDS = 7 * 24 * 3600;
const MAX_STATEMENT_BYTES = 16 * 1024;

/**
 * A general JWS JSON serialization with two signatures over the same claims: the first by the old
 * signing key (the peer's pin vouches for the change), the second by the new one (proof that the
 * node holds it, so nobody can announce another node's public key as its own).
 */
export interface KeyRotationStatement {
  payload: string;
  signatures: { protected: string; signature: string }[];
}

export interface KeyRotationClaims {
  iss: string;
  iat: number;
  previousKid: string;
  /** Epoch seconds: until when the old keys stay valid. */
  previousNotAfter: number;
  keys: { signing: SigningPublicJwk; encryption: EncryptionPublicJwk };
  thumbprints: { signing: string; encryption: string };
}

export interface RotateOptions {
  /** This node's id, the statement's issuer. */
  nodeId: string;
  /** How long the old keys stay valid after the rotation. @default 604800 (7 days) */
  overlapSeconds?: number;
  now?: Date;
}

/**
 * Generate the next key set: the current one moves to `previous` with `notAfter` = now + overlap,
 * retired sets whose overlap ended are dropped, and the statement for peers is signed old → new.
 */
export async function rotateKeys(
  current: KeyFile,
  options: RotateOptions,
): Promise<{ keyFile: KeyFile; next: NodeKeys; statement: KeyRotationStatement }> {
  const now = options.now ?? new Date();
  const overlap = options.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS;
  if (!Number.isInteger(overlap) || overlap < 0)
    throw new RangeError('overlapSeconds must be a whole number ≥ 0');
  const next = await generateNodeKeys(now);
  const iat = Math.floor(now.getTime() / 1000);
  const notAfter = iat + overlap;
  const claims: KeyRotationClaims = {
    iss: options.nodeId,
    iat,
    previousKid: current.current.signing.kid,
    previousNotAfter: notAfter,
    keys: { signing: toPublicJwk(next.signing), encryption: toPublicJwk(next.encryption) },
    thumbprints: { signing: next.signing.kid, encryption: next.encryption.kid },
  };
  const jws = await new GeneralSign(new TextEncoder().encode(JSON.stringify(claims)))
    .addSignature(await importSigningPrivateKey(current.current.signing))
    .setProtectedHeader({ alg: SIGNING_ALG, kid: current.current.signing.kid, typ: ROTATION_TYP })
    .addSignature(await importSigningPrivateKey(next.signing))
    .setProtectedHeader({ alg: SIGNING_ALG, kid: next.signing.kid, typ: ROTATION_TYP })
    .sign();
  const statement: KeyRotationStatement = {
    payload: jws.payload,
    signatures: jws.signatures.map((s) => ({
      protected: s.protected ?? '',
      signature: s.signature,
    })),
  };
  const retired: NodeKeys = {
    ...current.current,
    notAfter: new Date(notAfter * 1000).toISOString(),
  };
  const keyFile: KeyFile = {
    format: KEY_FILE_FORMAT,
    current: next,
    previous: [retired, ...current.previous].filter(
      (k) => k.notAfter !== undefined && Date.parse(k.notAfter) > now.getTime(),
    ),
  };
  return { keyFile, next, statement };
}

export type RotationRefusal =
  | 'MALFORMED'
  | 'NOT_SIGNED_BY_PINNED_KEY'
  | 'BAD_SIGNATURE'
  | 'THUMBPRINT_MISMATCH'
  | 'NO_PROOF_OF_POSSESSION'
  | 'WRONG_ISSUER';

export type RotationResult =
  | {
      ok: true;
      issuer: string;
      issuedAt: Date;
      signing: SigningPublicJwk;
      encryption: EncryptionPublicJwk;
      previousKid: string;
      /** Keep the old signing key pinned until then. */
      previousNotAfter: Date;
    }
  | { ok: false; reason: RotationRefusal; message: string };

const rotationClaimsSchema = z.object({
  iss: z.string().min(1),
  iat: z.number().int(),
  previousKid: z.string(),
  previousNotAfter: z.number().int(),
  keys: z.object({ signing: z.unknown(), encryption: z.unknown() }),
  thumbprints: z.object({ signing: z.string(), encryption: z.string() }),
});

const refuse = (reason: RotationRefusal, message: string): RotationResult => ({
  ok: false,
  reason,
  message,
});

interface StatementSignature {
  protected: string;
  signature: string;
  kid: string;
}

function readStatement(
  statement: unknown,
): { payload: string; signatures: StatementSignature[] } | null {
  let value: unknown = statement;
  if (typeof value === 'string') {
    if (value.length > MAX_STATEMENT_BYTES) return null;
    value = parseJsonObject(value);
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (!hasOnlyMembers(v, ['payload', 'signatures'])) return null;
  if (
    typeof v.payload !== 'string' ||
    !isCanonicalBase64url(v.payload) ||
    v.payload.length > MAX_STATEMENT_BYTES
  )
    return null;
  if (!Array.isArray(v.signatures) || v.signatures.length !== 2) return null;
  const signatures: StatementSignature[] = [];
  for (const s of v.signatures as unknown[]) {
    if (typeof s !== 'object' || s === null) return null;
    const sig = s as Record<string, unknown>;
    // No unprotected header: everything a verifier reads must be signed.
    if (!hasOnlyMembers(sig, ['protected', 'signature'])) return null;
    if (typeof sig.protected !== 'string' || typeof sig.signature !== 'string') return null;
    if (!isCanonicalBase64url(sig.protected) || !isCanonicalBase64url(sig.signature)) return null;
    const header = decodeJsonSegment(sig.protected);
    if (!header || !hasOnlyMembers(header, ['alg', 'kid', 'typ'])) return null;
    if (header.alg !== SIGNING_ALG || header.typ !== ROTATION_TYP || typeof header.kid !== 'string')
      return null;
    signatures.push({ protected: sig.protected, signature: sig.signature, kid: header.kid });
  }
  return { payload: v.payload, signatures };
}

async function verifies(
  payload: string,
  sig: StatementSignature,
  key: CryptoKey,
): Promise<boolean> {
  try {
    await flattenedVerify({ payload, protected: sig.protected, signature: sig.signature }, key, {
      algorithms: [SIGNING_ALG],
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Check a peer's rotation statement against the signing key pinned for it. Returns the new public
 * keys, or the reason the change is refused (a key change the peer did not sign with its old key).
 * Throws JwkError only when the pinned key itself is not a valid public signing key.
 */
export async function verifyRotation(
  statement: unknown,
  pinnedOldPublicJwk: SigningPublicJwk,
  options: { expectedIssuer?: string } = {},
): Promise<RotationResult> {
  const pinned = parseJwk(signingPublicJwkSchema, pinnedOldPublicJwk, 'pinnedKey', true);
  const pinnedKey = await importSigningPublicKey(pinnedOldPublicJwk, 'pinnedKey');
  const read = readStatement(statement);
  if (!read) return refuse('MALFORMED', 'not a key rotation statement');
  const [bySigner, byNew] = read.signatures as [StatementSignature, StatementSignature];
  if (bySigner.kid !== pinned.kid) {
    return refuse('NOT_SIGNED_BY_PINNED_KEY', 'the statement is not signed by the pinned key');
  }
  if (!(await verifies(read.payload, bySigner, pinnedKey))) {
    return refuse('BAD_SIGNATURE', 'the signature by the pinned key does not verify');
  }
  const text = utf8(decodeSegment(read.payload));
  const claims = rotationClaimsSchema.safeParse(text === null ? null : parseJsonObject(text));
  if (!claims.success) return refuse('MALFORMED', 'the statement claims are malformed');
  const c = claims.data;
  if (c.previousKid !== pinned.kid) {
    return refuse('NOT_SIGNED_BY_PINNED_KEY', 'the statement rotates away from another key');
  }
  let signing: SigningPublicJwk;
  let encryption: EncryptionPublicJwk;
  try {
    signing = parseJwk(signingPublicJwkSchema, c.keys.signing, 'keys.signing', true);
    encryption = parseJwk(encryptionPublicJwkSchema, c.keys.encryption, 'keys.encryption', true);
  } catch (e) {
    if (e instanceof JwkError) return refuse('MALFORMED', `the new keys are malformed (${e.path})`);
    throw e;
  }
  const [sigPrint, encPrint] = await Promise.all([
    jwkThumbprint(signing),
    jwkThumbprint(encryption),
  ]);
  if (
    sigPrint !== signing.kid ||
    encPrint !== encryption.kid ||
    c.thumbprints.signing !== sigPrint ||
    c.thumbprints.encryption !== encPrint
  ) {
    return refuse(
      'THUMBPRINT_MISMATCH',
      'the new keys do not match the thumbprints the statement names',
    );
  }
  if (signing.kid === pinned.kid)
    return refuse('MALFORMED', 'the statement rotates to the same key');
  if (
    byNew.kid !== signing.kid ||
    !(await verifies(read.payload, byNew, await importSigningPublicKey(signing)))
  ) {
    return refuse('NO_PROOF_OF_POSSESSION', 'the statement is not signed by the new signing key');
  }
  if (options.expectedIssuer !== undefined && c.iss !== options.expectedIssuer) {
    return refuse('WRONG_ISSUER', 'the statement is issued by another node');
  }
  return {
    ok: true,
    issuer: c.iss,
    issuedAt: new Date(c.iat * 1000),
    signing,
    encryption,
    previousKid: c.previousKid,
    previousNotAfter: new Date(c.previousNotAfter * 1000),
  };
}
