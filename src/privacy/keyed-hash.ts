// Keyed BLAKE2b pseudonyms, for HIGH-ENTROPY values and LOCAL indexes ONLY.
//
// Anyone holding the key can hash candidate values offline, so a keyed hash of a phone number
// or an email is a dictionary lookup away from the raw value: such indicators go through the
// OPRF (oprf.ts), whose key the association holds and rate-limits. This module is for values
// that cannot be enumerated (random ids, document hashes, long opaque references) and for the
// node's own lookup indexes, where the key never leaves the node.
//
// Keys: one subkey per (kind, period), derived from the node secret with keyed BLAKE2b over a
// length-prefixed, versioned label, so rotating the period or changing the kind gives unrelated
// pseudonyms, and a leaked subkey reveals neither the node secret nor other subkeys.
import { Buffer } from 'node:buffer';
import { getSodium, type Sodium } from './sodium.js';

/** A node secret, kind, period or value that cannot be used. */
export class KeyedHashError extends Error {
  readonly code = 'INVALID_KEYED_HASH';
  override readonly name = 'KeyedHashError';
}

/** The node secret: 32 to 64 bytes (BLAKE2b's key size limit is 64). */
export const NODE_SECRET_MIN_BYTES = 32;
export const NODE_SECRET_MAX_BYTES = 64;
/** Subkey and digest length: 256 bits. */
export const KEYED_HASH_BYTES = 32;

const encoder = new TextEncoder();
const KDF_LABEL = encoder.encode('Palisade-keyed-hash-v1');
// Enough for every kind × a few years of periods; a bound so a caller looping over periods
// cannot grow the cache without end.
const MAX_CACHED_SUBKEYS = 1024;

function lengthPrefixed(what: string, value: string): Uint8Array {
  if (typeof value !== 'string' || value.length === 0) {
    throw new KeyedHashError(`${what} must be a non-empty string`);
  }
  const bytes = encoder.encode(value);
  if (bytes.length > 0xffff) throw new KeyedHashError(`${what} is longer than 65535 bytes`);
  const out = new Uint8Array(2 + bytes.length);
  out[0] = bytes.length >>> 8;
  out[1] = bytes.length & 0xff;
  out.set(bytes, 2);
  return out;
}

function checkNodeSecret(nodeSecret: Uint8Array): void {
  if (
    !(nodeSecret instanceof Uint8Array) ||
    nodeSecret.length < NODE_SECRET_MIN_BYTES ||
    nodeSecret.length > NODE_SECRET_MAX_BYTES
  ) {
    throw new KeyedHashError(
      `node secret must be ${NODE_SECRET_MIN_BYTES} to ${NODE_SECRET_MAX_BYTES} bytes`,
    );
  }
}

function deriveWith(s: Sodium, nodeSecret: Uint8Array, kind: string, period: string): Uint8Array {
  const k = lengthPrefixed('kind', kind);
  const p = lengthPrefixed('period', period);
  const msg = new Uint8Array(KDF_LABEL.length + k.length + p.length);
  msg.set(KDF_LABEL, 0);
  msg.set(k, KDF_LABEL.length);
  msg.set(p, KDF_LABEL.length + k.length);
  return s.crypto_generichash(KEYED_HASH_BYTES, msg, nodeSecret);
}

function hashWith(s: Sodium, subkey: Uint8Array, value: Uint8Array | string): Uint8Array {
  return s.crypto_generichash(
    KEYED_HASH_BYTES,
    typeof value === 'string' ? encoder.encode(value) : value,
    subkey,
  );
}

/** The subkey for (kind, period): BLAKE2b-256 keyed by the node secret. */
export async function deriveKeyedHashKey(
  nodeSecret: Uint8Array,
  kind: string,
  period: string,
): Promise<Uint8Array> {
  checkNodeSecret(nodeSecret);
  return deriveWith(await getSodium(), nodeSecret, kind, period);
}

/** BLAKE2b-256 of `value` (UTF-8 when a string) keyed by a subkey from deriveKeyedHashKey. */
export async function keyedHash(
  subkey: Uint8Array,
  value: Uint8Array | string,
): Promise<Uint8Array> {
  if (!(subkey instanceof Uint8Array) || subkey.length !== KEYED_HASH_BYTES) {
    throw new KeyedHashError(`subkey must be ${KEYED_HASH_BYTES} bytes`);
  }
  return hashWith(await getSodium(), subkey, value);
}

/** A synchronous hasher for hot loops (indexing many values): subkeys derived once and cached. */
export interface KeyedHasher {
  /** Keyed BLAKE2b-256 of `value` under the (kind, period) subkey. */
  hash(kind: string, period: string, value: Uint8Array | string): Uint8Array;
  /** The same, as unpadded base64url (43 characters). */
  hashBase64url(kind: string, period: string, value: Uint8Array | string): string;
  /** Wipes the copy of the node secret and every cached subkey; the hasher is then unusable. */
  dispose(): void;
}

/** Builds a KeyedHasher over a copy of the node secret. */
export async function createKeyedHasher(nodeSecret: Uint8Array): Promise<KeyedHasher> {
  checkNodeSecret(nodeSecret);
  const s = await getSodium();
  const secret = nodeSecret.slice();
  const subkeys = new Map<string, Uint8Array>();
  let disposed = false;

  const subkeyFor = (kind: string, period: string): Uint8Array => {
    if (disposed) throw new KeyedHashError('keyed hasher has been disposed');
    const cacheKey = JSON.stringify([kind, period]);
    let subkey = subkeys.get(cacheKey);
    if (subkey === undefined) {
      subkey = deriveWith(s, secret, kind, period);
      if (subkeys.size >= MAX_CACHED_SUBKEYS) {
        const oldest = subkeys.keys().next();
        if (oldest.done !== true) {
          s.memzero(subkeys.get(oldest.value) ?? new Uint8Array());
          subkeys.delete(oldest.value);
        }
      }
      subkeys.set(cacheKey, subkey);
    }
    return subkey;
  };

  const hash = (kind: string, period: string, value: Uint8Array | string): Uint8Array =>
    hashWith(s, subkeyFor(kind, period), value);

  return {
    hash,
    hashBase64url: (kind, period, value) =>
      Buffer.from(hash(kind, period, value)).toString('base64url'),
    dispose: () => {
      disposed = true;
      s.memzero(secret);
      for (const k of subkeys.values()) s.memzero(k);
      subkeys.clear();
    },
  };
}
