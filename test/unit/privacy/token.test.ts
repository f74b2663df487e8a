// The indicator-token format: the OPRF input encoding and the compact `keyId.value` form.
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { deriveKeyPair, evaluate } from '../../../src/privacy/oprf.js';
import {
  formatToken,
  parseToken,
  tokenFromOutput,
  tokenInput,
  TokenFormatError,
  TokenInputError,
  tokenOutput,
} from '../../../src/privacy/token.js';

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function formatErrorOf(f: () => unknown): TokenFormatError {
  try {
    f();
  } catch (e) {
    if (e instanceof TokenFormatError) return e;
    throw e;
  }
  throw new Error('expected a TokenFormatError');
}

describe('tokenInput', () => {
  it('is utf8(kind) ‖ 0x00 ‖ utf8(value)', () => {
    expect(toHex(tokenInput('phone', '+8613800138000'))).toBe(
      toHex(Buffer.from('phone\u0000+8613800138000', 'utf8')),
    );
    expect(toHex(tokenInput('地址', '上海'))).toBe(toHex(Buffer.from('地址\u0000上海', 'utf8')));
  });

  it('keeps the same value under two kinds apart', () => {
    expect(toHex(tokenInput('email', 'a@b.cn'))).not.toBe(toHex(tokenInput('phone', 'a@b.cn')));
  });

  it('refuses a kind containing U+0000, empty parts and lone surrogates', () => {
    expect(() => tokenInput('ph\u0000one', 'x')).toThrow(TokenInputError);
    expect(() => tokenInput('ph\u0000one', 'x')).toThrow(/kind must not contain U\+0000/);
    expect(() => tokenInput('', 'x')).toThrow(/kind must be a non-empty string/);
    expect(() => tokenInput('phone', '')).toThrow(/value for kind phone must be a non-empty/);
    expect(() => tokenInput('phone', 'a\ud800b')).toThrow(/lone surrogate/);
    expect(() => tokenInput('phone', 'x'.repeat(70_000))).toThrow(/at most 65535/);
    // A well-formed surrogate pair is fine.
    expect(tokenInput('handle', '😀')).toHaveLength('handle'.length + 1 + 4);
  });

  it('allows U+0000 in the value: the first zero byte always ends the kind', () => {
    const bytes = tokenInput('a', '\u0000b');
    expect(toHex(bytes)).toBe('61000062');
    expect(bytes.indexOf(0)).toBe(1); // the kind is recovered unambiguously
    expect(toHex(bytes)).not.toBe(toHex(tokenInput('a', 'b')));
  });
});

describe('the compact token form', () => {
  it('round-trips an OPRF output through keyId.value', async () => {
    const { secretKey } = await deriveKeyPair(new Uint8Array(32).fill(5), '2026-11');
    const output = await evaluate(secretKey, tokenInput('phone', '+8613800138000'));
    const token = tokenFromOutput('assoc-2026-11', output);
    expect(token.value).toHaveLength(86);
    const compact = formatToken(token);
    expect(compact).toBe(`assoc-2026-11.${token.value}`);
    const parsed = parseToken(compact);
    expect(parsed).toEqual(token);
    expect(toHex(tokenOutput(parsed))).toBe(toHex(output));
  });

  it('names what is wrong', () => {
    const value = 'A'.repeat(86);
    expect(parseToken(`k1.${value}`)).toEqual({ keyId: 'k1', value });
    const cases: [string, RegExp][] = [
      [value, /form keyId\.value \(no "\." found\)/],
      [`a.b.${value}`, /more than one "\."/],
      [`.${value}`, /key id must be 1 to 64 characters/],
      [`k/1.${value}`, /key id must be 1 to 64 characters/],
      [`${'k'.repeat(65)}.${value}`, /key id/],
      ['k1.', /must be 86 base64url characters \(64 bytes\), got 0/],
      [`k1.${value}A`, /got 87/],
      [`k1.${'A'.repeat(84)}==`, /unpadded base64url/],
      [`k1.${'A'.repeat(85)}+`, /unpadded base64url/],
      // The last character carries 2 data bits; 'B' sets one of the 4 bits that must be zero.
      [`k1.${'A'.repeat(85)}B`, /not canonical base64url/],
    ];
    for (const [compact, message] of cases) {
      const err = formatErrorOf(() => parseToken(compact));
      expect(err.code).toBe('INVALID_TOKEN');
      expect(err.message).toMatch(message);
    }
  });

  it('refuses to build a token from a wrong-sized output or a bad key id', () => {
    expect(() => tokenFromOutput('k', new Uint8Array(32))).toThrow(/OPRF output must be 64 bytes/);
    expect(() => tokenFromOutput('k.1', new Uint8Array(64))).toThrow(/key id/);
    expect(() => formatToken({ keyId: 'k', value: 'short' })).toThrow(TokenFormatError);
  });
});
