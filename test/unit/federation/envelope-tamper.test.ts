// Property: no change to an envelope, anywhere, gets past openEnvelope, and every refusal is typed.
import fc from 'fast-check';
import { compactDecrypt, importJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeRefusedError, openEnvelope } from '../../../src/federation/envelope.js';
import { encryptRaw, makeWorld, type World } from './fixtures.js';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const anyChar = fc.oneof(
  fc.constantFrom(...B64URL.split('')),
  fc.constantFrom('.', '=', '+', '/', ' ', '\n', '\u00e9', '\u0000', '"', '{'),
);

type Mutation = (token: string, other: string) => string;

const onSegment = (token: string, i: number, f: (seg: string) => string): string => {
  const parts = token.split('.');
  const k = i % parts.length;
  parts[k] = f(parts[k]!);
  return parts.join('.');
};

/** Mutations of a compact token: characters, bits in decoded segments, cuts, splices, swaps. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), anyChar).map(([p, c]): Mutation => (t) => {
    const i = p % t.length;
    return t.slice(0, i) + c + t.slice(i + 1);
  }),
  fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 7 })).map(
    ([s, b, bit]): Mutation =>
      (t) =>
        onSegment(t, s, (seg) => {
          const bytes = Buffer.from(seg, 'base64url');
          if (bytes.length === 0) return 'AA';
          const i = b % bytes.length;
          bytes[i] = bytes[i]! ^ (1 << bit);
          return bytes.toString('base64url');
        }),
  ),
  fc.nat().map(
    (n): Mutation =>
      (t) =>
        t.slice(0, n % t.length),
  ),
  fc.nat().map(
    (n): Mutation =>
      (t) =>
        t.slice(n % t.length),
  ),
  fc.tuple(fc.nat(), anyChar).map(([p, c]): Mutation => (t) => {
    const i = p % (t.length + 1);
    return t.slice(0, i) + c + t.slice(i);
  }),
  fc.nat().map((p): Mutation => (t) => {
    const i = p % t.length;
    return t.slice(0, i) + t.slice(i + 1);
  }),
  fc.nat().map(
    (s): Mutation =>
      (t, other) =>
        onSegment(t, s, () => other.split('.')[s % other.split('.').length]!),
  ),
  fc.tuple(fc.nat(), fc.nat()).map(([x, y]): Mutation => (t) => {
    const parts = t.split('.');
    const i = x % parts.length;
    const j = y % parts.length;
    [parts[i], parts[j]] = [parts[j]!, parts[i]!];
    return parts.join('.');
  }),
  fc.nat().map(
    (s): Mutation =>
      (t) =>
        onSegment(t, s, (seg) => seg + seg),
  ),
  fc.nat().map(
    (s): Mutation =>
      (t) =>
        onSegment(t, s, () => ''),
  ),
  fc.string({ maxLength: 8 }).map(
    (suffix): Mutation =>
      (t) =>
        t + suffix,
  ),
  // Same bytes, other spelling: set the unused low bits of a segment's last character.
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 15 })).map(
    ([s, k]): Mutation =>
      (t) =>
        onSegment(t, s, (seg) => {
          const slack = seg.length % 4 === 2 ? 15 : seg.length % 4 === 3 ? 3 : 0;
          const last = B64URL.indexOf(seg.at(-1) ?? 'A');
          return slack === 0 ? `${seg}A` : seg.slice(0, -1) + B64URL[last ^ (k & slack || 1)];
        }),
  ),
  fc.nat().map((s): Mutation => (t) => {
    const parts = t.split('.');
    parts.splice(s % (parts.length + 1), 0, parts[s % parts.length]!);
    return parts.join('.');
  }),
);

/** Several mutations in a row, so that combined changes are covered too. */
const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

let w: World;
let original: string;
let other: string;
let innerOriginal: string;
let innerOther: string;

beforeAll(async () => {
  w = await makeWorld();
  original = await w.seal();
  other = await w.seal({ payload: { indicators: [], tlp: 'AMBER' } });
  const key = await importJWK(w.b.encryption, 'ECDH-ES+A256KW');
  const decrypt = async (c: string) =>
    new TextDecoder().decode((await compactDecrypt(c, key)).plaintext);
  innerOriginal = await decrypt(original);
  innerOther = await decrypt(other);
});

async function outcome(envelope: string): Promise<string> {
  try {
    await openEnvelope(envelope, w.ctx());
    return 'ACCEPTED';
  } catch (e) {
    if (e instanceof EnvelopeRefusedError) return e.reason;
    return `UNTYPED ${e instanceof Error ? e.name : typeof e}`;
  }
}

describe('tampered envelopes', () => {
  it('the untouched envelopes open (so refusals below are caused by the tampering)', async () => {
    expect(await outcome(original)).toBe('ACCEPTED');
    expect(await outcome(other)).toBe('ACCEPTED');
  });

  it('refuses 1500 tampered variants of the JWE, each with an EnvelopeRefusedError', async () => {
    const reasons = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(mutations, async (ms) => {
        const variant = ms.reduce((t, m) => m(t, other), original);
        fc.pre(variant !== original && variant !== other);
        const r = await outcome(variant);
        reasons.set(r, (reasons.get(r) ?? 0) + 1);
        expect(r).not.toBe('ACCEPTED');
        expect(r).not.toMatch(/^UNTYPED/);
      }),
      { numRuns: 1500 },
    );
    expect([...reasons.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1500);
    expect(reasons.has('MALFORMED') && reasons.has('DECRYPT_FAILED')).toBe(true);
  });

  it('refuses 600 tampered inner JWTs re-encrypted correctly to B (anyone can encrypt to B)', async () => {
    const reasons = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(mutations, async (ms) => {
        const inner = ms.reduce((t, m) => m(t, innerOther), innerOriginal);
        fc.pre(inner !== innerOriginal && inner !== innerOther);
        const r = await outcome(await encryptRaw(inner, w.bEncryptionPublic));
        reasons.set(r, (reasons.get(r) ?? 0) + 1);
        expect(r).not.toBe('ACCEPTED');
        expect(r).not.toMatch(/^UNTYPED/);
      }),
      { numRuns: 600 },
    );
    expect(reasons.has('BAD_SIGNATURE') && reasons.has('MALFORMED')).toBe(true);
  });
});
