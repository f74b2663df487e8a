// The dispatcher: every kind routed, bad input answered as data, keys stable under re-normalizing.
import { fc, test as propTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  IDENTIFIER_KINDS,
  isIdentifierKind,
  MAX_INPUT_LENGTH,
  normalizeIdentifier,
} from '../../../src/identifiers/index.js';
import type { IdentifierInput, IdentifierKind } from '../../../src/identifiers/index.js';
import { accepted, refused } from './helpers.js';

const kind = fc.constantFrom(...IDENTIFIER_KINDS);
// ASCII, any code point, and raw UTF-16 code units (lone surrogates included).
const anyText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
);
// Strings that look like identifiers, so the property reaches the accepting paths too.
const plausible = fc.oneof(
  fc.stringMatching(/^\+?[0-9 ()-]{5,20}$/),
  fc.stringMatching(/^[a-zA-Z0-9.+_-]{1,12}@[a-z0-9-]{1,10}\.(com|cn|co\.uk|xn--fiqs8s)$/),
  fc.stringMatching(/^([a-zA-Z0-9-]{1,10}\.){1,3}(com|org|cn|co\.uk|myshopify\.com)$/),
  fc.stringMatching(/^[A-Za-z0-9 -]{6,45}$/),
);
const region = fc.constantFrom(undefined, 'CN', 'US', 'GB', 'DE', 'xx', '');
const provider = fc.oneof(
  fc.constantFrom(undefined, 'alipay', 'WeChat', '顺丰', 'whatsapp', 'qq', 'bank', 'sf'),
  fc.string({ maxLength: 12 }),
);

describe('normalizeIdentifier', () => {
  it('lists every kind once and recognizes them', () => {
    expect(new Set(IDENTIFIER_KINDS).size).toBe(8);
    expect(IDENTIFIER_KINDS.every(isIdentifierKind)).toBe(true);
    expect(isIdentifierKind('ssn')).toBe(false);
  });

  it('routes each kind to its normalizer', () => {
    const cases: [IdentifierInput, string][] = [
      [{ kind: 'phone', value: '138 0013 8000', region: 'CN' }, '+8613800138000'],
      [{ kind: 'email', value: 'A.B@GMAIL.com' }, 'ab@gmail.com'],
      [{ kind: 'address', value: '18 Main St.' }, '18 main street'],
      [{ kind: 'paymentAccount', value: 'u@x.com', provider: 'Alipay' }, 'alipay:u@x.com'],
      [{ kind: 'domain', value: 'www.example.com' }, 'example.com'],
      [{ kind: 'url', value: 'example.com/?utm_source=x' }, 'https://example.com/'],
      [{ kind: 'messagingHandle', value: 'Abc123', provider: '微信' }, 'wechat:abc123'],
      [{ kind: 'waybill', value: 'sf1234 5678 9012', provider: 'SF' }, 'sf:SF123456789012'],
    ];
    for (const [input, key] of cases) {
      const result = accepted(normalizeIdentifier(input));
      expect(result.kind).toBe(input.kind);
      expect(result.key).toBe(key);
    }
  });

  it.each(IDENTIFIER_KINDS)('answers bad %s input with a reason, not an exception', (k) => {
    const tooLong = 'a'.repeat(MAX_INPUT_LENGTH + 1);
    expect(refused(normalizeIdentifier({ kind: k, value: tooLong })).reason).toMatch(
      /limit is 2048/,
    );
    expect(refused(normalizeIdentifier({ kind: k, value: '   ' })).reason).toMatch(/empty/);
    expect(refused(normalizeIdentifier({ kind: k, value: 'a\u0000b' })).reason).toMatch(/U\+0000/);
    expect(refused(normalizeIdentifier({ kind: k, value: 'ab\ud800' })).reason).toMatch(
      /surrogate/,
    );
    const untyped = { kind: k, value: 42 } as unknown as IdentifierInput;
    expect(refused(normalizeIdentifier(untyped)).reason).toMatch(/must be a string/);
  });

  it('throws only for a kind that does not exist (a caller bug)', () => {
    const bogus = { kind: 'ssn', value: 'x' } as unknown as IdentifierInput;
    expect(() => normalizeIdentifier(bogus)).toThrow(TypeError);
  });

  propTest.prop([kind, fc.oneof(anyText, plausible), region, provider], { numRuns: 2000 })(
    'never throws, and always answers with a key or a reason',
    (k, value, r, p) => {
      const result = normalizeIdentifier({ kind: k, value, region: r, provider: p });
      expect(result.kind).toBe(k);
      expect(result.raw).toBe(value);
      if (result.ok) expect(result.key.length).toBeGreaterThan(0);
      else expect(result.reason.length).toBeGreaterThan(0);
    },
  );

  const idempotentKinds: IdentifierKind[] = ['phone', 'email', 'domain', 'waybill'];
  propTest.prop(
    [fc.constantFrom(...idempotentKinds), fc.oneof(plausible, anyText), region, provider],
    { numRuns: 3000 },
  )('normalizing a normalized key gives the same key', (k, value, r, p) => {
    const first = normalizeIdentifier({ kind: k, value, region: r, provider: p });
    if (!first.ok) return;
    // The key carries everything: the carrier is in a waybill key, the country code in a phone key.
    const second = normalizeIdentifier({ kind: k, value: first.key });
    expect(second).toMatchObject({ ok: true, key: first.key });
  });

  it.each([
    ['phone', '+8613800138000'],
    ['email', 'fakeseller@gmail.com'],
    ['domain', 'xn--fsqu00a.xn--fiqs8s'],
    ['waybill', 'sf:SF123456789012'],
    ['paymentAccount', 'alipay:user@x.com'],
    ['messagingHandle', 'whatsapp:+8613800138000'],
    ['url', 'https://item.taobao.com/item.htm?id=6543210'],
    ['address', '广东省深圳市南山区科技园12号'],
  ] as const)('a %s key normalizes to itself', (k, key) => {
    expect(accepted(normalizeIdentifier({ kind: k, value: key })).key).toBe(key);
  });
});
