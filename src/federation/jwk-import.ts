// Node JWKs as types: shape checks, kid = RFC 7638 thumbprint, and import into CryptoKeys with the
// algorithm pinned. jose's JWKS helpers only resolve signature keys, so encryption keys come here too.
import { calculateJwkThumbprint, importJWK } from 'jose';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { isCanonicalBase64url } from './compact.js';

export const SIGNING_ALG = 'EdDSA';
export const KEY_MANAGEMENT_ALG = 'ECDH-ES+A256KW';
export const CONTENT_ENCRYPTION_ALG = 'A256GCM';

export interface SigningPublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}
export interface SigningPrivateJwk extends SigningPublicJwk {
  d: string;
}
export interface EncryptionPublicJwk {
  kty: 'OKP';
  crv: 'X25519';
  x: string;
  kid: string;
  alg: 'ECDH-ES+A256KW';
  use: 'enc';
}
export interface EncryptionPrivateJwk extends EncryptionPublicJwk {
  d: string;
}
export type PublicJwk = SigningPublicJwk | EncryptionPublicJwk;
export type PrivateJwk = SigningPrivateJwk | EncryptionPrivateJwk;

/** A JWK that is not a usable node key. The message names the member, never its value. */
export class JwkError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'JwkError';
  }
}

const key32 = (member: string) =>
  z
    .string({ error: `${member} must be a string` })
    .refine(
      (s) => s.length === 43 && isCanonicalBase64url(s),
      `${member} must be 32 bytes in base64url`,
    );
const kid = z
  .string({ error: 'kid must be a string' })
  .regex(/^[A-Za-z0-9_-]{43}$/, 'kid must be a SHA-256 JWK thumbprint (43 base64url characters)');

export const signingPublicJwkSchema: z.ZodType<SigningPublicJwk> = z.object({
  kty: z.literal('OKP', { error: 'kty must be "OKP"' }),
  crv: z.literal('Ed25519', { error: 'crv must be "Ed25519"' }),
  x: key32('x'),
  kid,
  alg: z.literal('EdDSA', { error: 'alg must be "EdDSA"' }),
  use: z.literal('sig', { error: 'use must be "sig"' }),
});
export const encryptionPublicJwkSchema: z.ZodType<EncryptionPublicJwk> = z.object({
  kty: z.literal('OKP', { error: 'kty must be "OKP"' }),
  crv: z.literal('X25519', { error: 'crv must be "X25519"' }),
  x: key32('x'),
  kid,
  alg: z.literal('ECDH-ES+A256KW', { error: 'alg must be "ECDH-ES+A256KW"' }),
  use: z.literal('enc', { error: 'use must be "enc"' }),
});
export const signingPrivateJwkSchema: z.ZodType<SigningPrivateJwk> = z.object({
  kty: z.literal('OKP', { error: 'kty must be "OKP"' }),
  crv: z.literal('Ed25519', { error: 'crv must be "Ed25519"' }),
  x: key32('x'),
  d: key32('d'),
  kid,
  alg: z.literal('EdDSA', { error: 'alg must be "EdDSA"' }),
  use: z.literal('sig', { error: 'use must be "sig"' }),
});
export const encryptionPrivateJwkSchema: z.ZodType<EncryptionPrivateJwk> = z.object({
  kty: z.literal('OKP', { error: 'kty must be "OKP"' }),
  crv: z.literal('X25519', { error: 'crv must be "X25519"' }),
  x: key32('x'),
  d: key32('d'),
  kid,
  alg: z.literal('ECDH-ES+A256KW', { error: 'alg must be "ECDH-ES+A256KW"' }),
  use: z.literal('enc', { error: 'use must be "enc"' }),
});

/** The RFC 7638 thumbprint (base64url SHA-256): over the required members only, so private and public agree. */
export function jwkThumbprint(jwk: Pick<PublicJwk, 'kty' | 'crv' | 'x'>): Promise<string> {
  return calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, 'sha256');
}

/** The public part of a node JWK, built from an allowlist so no private member can slip through. */
export function toPublicJwk(jwk: SigningPublicJwk): SigningPublicJwk;
export function toPublicJwk(jwk: EncryptionPublicJwk): EncryptionPublicJwk;
export function toPublicJwk(jwk: PublicJwk): PublicJwk;
export function toPublicJwk(jwk: PublicJwk): PublicJwk {
  return {
    kty: jwk.kty,
    crv: jwk.crv,
    x: jwk.x,
    kid: jwk.kid,
    alg: jwk.alg,
    use: jwk.use,
  } as PublicJwk;
}

function firstIssue(error: z.ZodError, path: string): JwkError {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `${path}.${issue.path.join('.')}` : path;
  return new JwkError(issue?.message ?? 'invalid JWK', where);
}

/** Check the shape of a JWK against a schema; a public key holding `d` is refused, not silently stripped. */
export function parseJwk<T>(
  schema: z.ZodType<T>,
  value: unknown,
  path: string,
  isPublic: boolean,
): T {
  if (isPublic && typeof value === 'object' && value !== null && 'd' in value) {
    throw new JwkError('a public key must not contain the private member d', path);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw firstIssue(parsed.error, path);
  return parsed.data;
}

/** Refuse a JWK whose kid is not its own thumbprint: pins and kid look-ups rely on it. */
export async function assertKidIsThumbprint(jwk: PublicJwk, path: string): Promise<void> {
  if ((await jwkThumbprint(jwk)) !== jwk.kid) {
    throw new JwkError('kid is not the RFC 7638 thumbprint of the key', `${path}.kid`);
  }
}

/** Refuse a private JWK whose `d` does not belong to its `x` (a hand-edited or mixed-up key file). */
export function assertPrivateMatchesPublic(jwk: PrivateJwk, path: string): void {
  let derived: unknown;
  try {
    const priv = createPrivateKey({
      key: { kty: jwk.kty, crv: jwk.crv, d: jwk.d, x: jwk.x },
      format: 'jwk',
    });
    derived = createPublicKey(priv).export({ format: 'jwk' }).x;
  } catch {
    throw new JwkError('d is not a valid private key', `${path}.d`);
  }
  if (derived !== jwk.x) throw new JwkError('d does not belong to x', `${path}.d`);
}

// Imports are cached per JWK object: peers' keys are looked up per message, and import + thumbprint
// is the expensive part of a cheap check. Callers treat JWK objects as immutable.
const imported = new WeakMap<object, Promise<CryptoKey>>();

function cachedImport(jwk: object, load: () => Promise<CryptoKey>): Promise<CryptoKey> {
  let promise = imported.get(jwk);
  if (!promise) {
    promise = load();
    imported.set(jwk, promise);
    promise.catch(() => imported.delete(jwk));
  }
  return promise;
}

async function importPinned(
  jwk: PublicJwk | PrivateJwk,
  alg: string,
  path: string,
): Promise<CryptoKey> {
  let key: unknown;
  try {
    key = await importJWK({ ...jwk }, alg, { extractable: false });
  } catch {
    throw new JwkError(`not importable as an ${alg} key`, path);
  }
  if (!(key instanceof CryptoKey)) throw new JwkError(`not importable as an ${alg} key`, path);
  return key;
}

/** A peer's Ed25519 verification key (shape, kid = thumbprint, no private part). */
export function importSigningPublicKey(
  jwk: SigningPublicJwk,
  path = 'signingKey',
): Promise<CryptoKey> {
  return cachedImport(jwk, async () => {
    const valid = parseJwk(signingPublicJwkSchema, jwk, path, true);
    await assertKidIsThumbprint(valid, path);
    return importPinned(toPublicJwk(valid), SIGNING_ALG, path);
  });
}

/** Our own Ed25519 signing key. */
export function importSigningPrivateKey(
  jwk: SigningPrivateJwk,
  path = 'signingKey',
): Promise<CryptoKey> {
  return cachedImport(jwk, async () => {
    const valid = parseJwk(signingPrivateJwkSchema, jwk, path, false);
    await assertKidIsThumbprint(valid, path);
    return importPinned(valid, SIGNING_ALG, path);
  });
}

/** A recipient's X25519 key, to encrypt to. */
export function importEncryptionPublicKey(
  jwk: EncryptionPublicJwk,
  path = 'encryptionKey',
): Promise<CryptoKey> {
  return cachedImport(jwk, async () => {
    const valid = parseJwk(encryptionPublicJwkSchema, jwk, path, true);
    await assertKidIsThumbprint(valid, path);
    return importPinned(toPublicJwk(valid), KEY_MANAGEMENT_ALG, path);
  });
}

/** One of our X25519 keys, to decrypt with. */
export function importEncryptionPrivateKey(
  jwk: EncryptionPrivateJwk,
  path = 'decryptionKey',
): Promise<CryptoKey> {
  return cachedImport(jwk, async () => {
    const valid = parseJwk(encryptionPrivateJwkSchema, jwk, path, false);
    await assertKidIsThumbprint(valid, path);
    return importPinned(valid, KEY_MANAGEMENT_ALG, path);
  });
}
