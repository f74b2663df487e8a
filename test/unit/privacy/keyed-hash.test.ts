// Keyed BLAKE2b: per-(kind, period) subkeys from the node secret, for local indexes only.
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  createKeyedHasher,
  deriveKeyedHashKey,
  keyedHash,
  KeyedHashError,
} from '../../../src/privacy/keyed-hash.js';
import { getSodium } from '../../../src/privacy/sodium.js';

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const secret = new Uint8Array(32).fill(0x42);

describe('keyed BLAKE2b', () => {
  it('is BLAKE2b-256 keyed by a BLAKE2b-derived subkey over a length-prefixed label', async () => {
    const s = await getSodium();
    const label = Buffer.concat([
      Buffer.from('Palisade-keyed-hash-v1'),
      Buffer.from([0, 5]),
      Buffer.from('phone'),
      Buffer.from([0, 7]),
      Buffer.from('2026-11'),
    ]);
    const expectedKey = s.crypto_generichash(32, label, secret);
    const subkey = await deriveKeyedHashKey(secret, 'phone', '2026-11');
    expect(toHex(subkey)).toBe(toHex(expectedKey));
    expect(toHex(await keyedHash(subkey, 'v'))).toBe(
      toHex(s.crypto_generichash(32, new TextEncoder().encode('v'), expectedKey)),
    );
  });

  it('separates kinds, periods and secrets, without ambiguity between them', async () => {
    const h = async (sec: Uint8Array, kind: string, period: string) =>
      toHex(await keyedHash(await deriveKeyedHashKey(sec, kind, period), 'value'));
    const base = await h(secret, 'ab', 'c');
    expect(await h(secret, 'ab', 'c')).toBe(base);
    expect(await h(secret, 'a', 'bc')).not.toBe(base);
    expect(await h(secret, 'ab', 'd')).not.toBe(base);
    expect(await h(new Uint8Array(32).fill(0x43), 'ab', 'c')).not.toBe(base);
  });

  it('the cached hasher agrees with the one-shot functions', async () => {
    const hasher = await createKeyedHasher(secret);
    const subkey = await deriveKeyedHashKey(secret, 'doc', '2026');
    const bytes = new Uint8Array([1, 2, 3]);
    expect(toHex(hasher.hash('doc', '2026', bytes))).toBe(toHex(await keyedHash(subkey, bytes)));
    expect(hasher.hashBase64url('doc', '2026', bytes)).toBe(
      Buffer.from(await keyedHash(subkey, bytes)).toString('base64url'),
    );
    hasher.dispose();
    expect(() => hasher.hash('doc', '2026', bytes)).toThrow(/disposed/);
  });

  it('refuses short or long node secrets and empty kinds or periods', async () => {
    await expect(createKeyedHasher(new Uint8Array(16))).rejects.toBeInstanceOf(KeyedHashError);
    await expect(deriveKeyedHashKey(new Uint8Array(65), 'k', 'p')).rejects.toThrow(
      /32 to 64 bytes/,
    );
    await expect(deriveKeyedHashKey(secret, '', 'p')).rejects.toThrow(/kind must be a non-empty/);
    await expect(deriveKeyedHashKey(secret, 'k', '')).rejects.toThrow(/period must be a non-empty/);
    await expect(keyedHash(new Uint8Array(16), 'v')).rejects.toThrow(/subkey must be 32 bytes/);
  });
});
