// Strict reading of JOSE compact serializations, done before jose sees a token: jose decodes
// base64url leniently (whitespace, non-zero padding bits), which would let a changed token mean
// the same bytes; here every token has exactly one accepted spelling.

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** True when `s` is base64url without padding and is the one encoding of the bytes it decodes to. */
export function isCanonicalBase64url(s: string): boolean {
  if (!BASE64URL.test(s) || s.length % 4 === 1) return false;
  return Buffer.from(s, 'base64url').toString('base64url') === s;
}

/** Base64url-decode a segment that has passed `isCanonicalBase64url`. */
export function decodeSegment(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64url'));
}

/** Decode strict UTF-8, or null on any invalid sequence. */
export function utf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Parse a JSON text that must be an object, or null. */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** Split a compact token into exactly `count` canonical base64url segments, or null. */
export function splitCompact(token: string, count: 3 | 5): string[] | null {
  const parts = token.split('.');
  if (parts.length !== count) return null;
  return parts.every(isCanonicalBase64url) ? parts : null;
}

/** Decode a base64url segment holding a JSON object (a protected header or JWT claims), or null. */
export function decodeJsonSegment(segment: string): Record<string, unknown> | null {
  const text = utf8(decodeSegment(segment));
  return text === null ? null : parseJsonObject(text);
}

/** True when the header has only the listed members: unknown members (crit, b64, zip, jku, …) are refused. */
export function hasOnlyMembers(
  header: Record<string, unknown>,
  allowed: readonly string[],
): boolean {
  return Object.keys(header).every((k) => allowed.includes(k));
}
