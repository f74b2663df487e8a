// The indicator-token format. An indicator (a phone, an email, a payment account…) enters the
// OPRF as `utf8(kind) ‖ 0x00 ‖ utf8(normalized value)`, so the same value under two kinds gives
// two unrelated tokens; the OPRF output travels as `keyId.value`, where keyId names the OPRF key
// (one per period) and value is the unpadded base64url of the 64-byte output.
import { Buffer } from 'node:buffer';
import { MAX_INPUT_BYTES, OUTPUT_BYTES } from './oprf.js';

/** The kind or value cannot be encoded as a token input. */
export class TokenInputError extends Error {
  readonly code = 'INVALID_TOKEN_INPUT';
  override readonly name = 'TokenInputError';
}

/** A token (compact or structured) is malformed; the message names the part that is wrong. */
export class TokenFormatError extends Error {
  readonly code = 'INVALID_TOKEN';
  override readonly name = 'TokenFormatError';
}

/** A pseudonymous indicator: which OPRF key produced it, and the output in base64url. */
export interface IndicatorToken {
  keyId: string;
  /** base64url (no padding) of the 64-byte OPRF output: always 86 characters. */
  value: string;
}

/** Key ids are short and URL-safe, and never contain the '.' that separates the compact form. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const VALUE_CHARS = Math.ceil((OUTPUT_BYTES * 8) / 6);
const VALUE_PATTERN = /^[A-Za-z0-9_-]+$/;
// With the `u` flag a surrogate pair is one code point, so this matches only lone surrogates,
// which TextEncoder would silently turn into U+FFFD (two strings, one token).
const LONE_SURROGATE = /\p{Cs}/u;

const encoder = new TextEncoder();

/**
 * The OPRF input for one indicator: utf8(kind) ‖ 0x00 ‖ utf8(normalizedValue). The kind may not
 * contain U+0000, so the first zero byte always ends it and no (kind, value) pair can pose as
 * another. The value is expected to be normalized already (identifiers/ does that).
 */
export function tokenInput(kind: string, normalizedValue: string): Uint8Array {
  if (typeof kind !== 'string' || kind.length === 0) {
    throw new TokenInputError('indicator kind must be a non-empty string');
  }
  if (kind.includes('\u0000')) throw new TokenInputError('indicator kind must not contain U+0000');
  if (LONE_SURROGATE.test(kind)) {
    throw new TokenInputError('indicator kind is not well-formed Unicode (lone surrogate)');
  }
  if (typeof normalizedValue !== 'string' || normalizedValue.length === 0) {
    throw new TokenInputError(`indicator value for kind ${kind} must be a non-empty string`);
  }
  if (LONE_SURROGATE.test(normalizedValue)) {
    throw new TokenInputError(
      `indicator value for kind ${kind} is not well-formed Unicode (lone surrogate)`,
    );
  }
  const k = encoder.encode(kind);
  const v = encoder.encode(normalizedValue);
  const out = new Uint8Array(k.length + 1 + v.length);
  out.set(k, 0);
  out[k.length] = 0x00;
  out.set(v, k.length + 1);
  if (out.length > MAX_INPUT_BYTES) {
    throw new TokenInputError(
      `indicator of kind ${kind} is ${out.length} bytes encoded; at most ${MAX_INPUT_BYTES}`,
    );
  }
  return out;
}

function checkKeyId(keyId: unknown): asserts keyId is string {
  if (typeof keyId !== 'string' || !KEY_ID_PATTERN.test(keyId)) {
    throw new TokenFormatError('token key id must be 1 to 64 characters of A-Z a-z 0-9 _ -');
  }
}

/** Decodes and checks a token value: exactly 86 canonical unpadded base64url characters. */
function decodeValue(value: unknown): Uint8Array {
  if (typeof value !== 'string') throw new TokenFormatError('token value must be a string');
  if (value.length !== VALUE_CHARS) {
    throw new TokenFormatError(
      `token value must be ${VALUE_CHARS} base64url characters (${OUTPUT_BYTES} bytes), got ${value.length}`,
    );
  }
  if (!VALUE_PATTERN.test(value)) {
    throw new TokenFormatError('token value must be unpadded base64url (A-Z a-z 0-9 - _)');
  }
  const buf = Buffer.from(value, 'base64url');
  // Node's decoder ignores stray low bits in the last character; re-encoding catches that, so
  // one output has exactly one spelling and tokens can be compared as strings.
  if (buf.length !== OUTPUT_BYTES || buf.toString('base64url') !== value) {
    throw new TokenFormatError('token value is not canonical base64url');
  }
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Wraps a 64-byte OPRF output produced under the key `keyId`. */
export function tokenFromOutput(keyId: string, output: Uint8Array): IndicatorToken {
  checkKeyId(keyId);
  if (!(output instanceof Uint8Array) || output.length !== OUTPUT_BYTES) {
    throw new TokenFormatError(`OPRF output must be ${OUTPUT_BYTES} bytes`);
  }
  return {
    keyId,
    value: Buffer.from(output.buffer, output.byteOffset, output.byteLength).toString('base64url'),
  };
}

/** The 64 output bytes of a token (after checking it). */
export function tokenOutput(token: IndicatorToken): Uint8Array {
  checkKeyId(token.keyId);
  return decodeValue(token.value);
}

/** The compact form `keyId.value`. */
export function formatToken(token: IndicatorToken): string {
  checkKeyId(token.keyId);
  decodeValue(token.value);
  return `${token.keyId}.${token.value}`;
}

/** Parses and validates `keyId.value`; TokenFormatError says which part is wrong. */
export function parseToken(compact: string): IndicatorToken {
  if (typeof compact !== 'string') throw new TokenFormatError('token must be a string');
  const dot = compact.indexOf('.');
  if (dot < 0) throw new TokenFormatError('token must have the form keyId.value (no "." found)');
  if (compact.indexOf('.', dot + 1) >= 0) {
    throw new TokenFormatError('token must have the form keyId.value (more than one ".")');
  }
  const keyId = compact.slice(0, dot);
  const value = compact.slice(dot + 1);
  checkKeyId(keyId);
  decodeValue(value);
  return { keyId, value };
}
