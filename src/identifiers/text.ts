// Input hygiene shared by every kind: length cap, broken Unicode, invisible characters, NFKC,
// and the result constructors, so no normalizer has to repeat them or can forget them.
import type { IdentifierKind, NormalizedFailure, NormalizedOk } from './types.js';

/** Longer values are refused before any parsing, so hostile input costs nothing. */
export const MAX_INPUT_LENGTH = 2048;

// Characters that are invisible in every UI and only ever get in by copy-paste (or by intent, in
// spoofing): soft hyphen, zero-width characters, bidi marks and overrides, the BOM.
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

export type Prepared = { ok: true; text: string } | { ok: false; reason: string };

function isControl(code: number): boolean {
  // Tab, LF and CR are whitespace in pasted multi-line values (addresses); other C0/C1 are not text.
  if (code === 0x09 || code === 0x0a || code === 0x0d) return false;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

function hex(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Rejects what no identifier can contain, then NFKC-normalizes and trims. */
export function prepare(value: unknown, noun: string): Prepared {
  if (typeof value !== 'string') return { ok: false, reason: `${noun} must be a string` };
  if (value.length > MAX_INPUT_LENGTH) {
    return {
      ok: false,
      reason: `${noun} is ${value.length} characters long; the limit is ${MAX_INPUT_LENGTH}`,
    };
  }
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return { ok: false, reason: `${noun} contains broken Unicode (an unpaired surrogate)` };
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
      return { ok: false, reason: `${noun} contains broken Unicode (an unpaired surrogate)` };
    }
    if (isControl(code)) {
      return { ok: false, reason: `${noun} contains a control character (${hex(code)})` };
    }
  }
  const text = value.replace(INVISIBLE, '').normalize('NFKC').trim();
  if (text === '') return { ok: false, reason: `${noun} is empty` };
  return { ok: true, text };
}

/** The raw value to echo back; a non-string (from untyped callers) has no raw text. */
export function rawOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function success(
  kind: IdentifierKind,
  raw: string,
  key: string,
  display: string,
  details?: Record<string, string>,
): NormalizedOk {
  const result: NormalizedOk = { ok: true, kind, key, display, raw };
  if (details !== undefined && Object.keys(details).length > 0) result.details = details;
  return result;
}

export function failure(kind: IdentifierKind, raw: string, reason: string): NormalizedFailure {
  return { ok: false, kind, raw, reason };
}

/**
 * The form aliases are compared in: "WeChat Pay", "wechat-pay" and fullwidth "ＷｅＣｈａｔＰａｙ" all
 * become "wechatpay". Letters and digits of every script survive, so "支付宝" stays itself.
 */
export function aliasSlug(value: string): string {
  return (
    value
      .normalize('NFKC')
      .toLowerCase()
      // Lowercasing can leave a string that is no longer NFKC ('İ'): normalize again so the slug
      // of a slug is itself.
      .normalize('NFKC')
      .replace(/[\s\p{P}\p{S}]+/gu, '')
  );
}

/** Builds an alias → canonical name lookup from a table of canonical names and their aliases. */
export function aliasIndex(
  table: Readonly<Record<string, readonly string[]>>,
): Map<string, string> {
  const index = new Map<string, string>();
  for (const [canonical, aliases] of Object.entries(table)) {
    index.set(aliasSlug(canonical), canonical);
    for (const alias of aliases) index.set(aliasSlug(alias), canonical);
  }
  return index;
}

/** Quotes one offending character for a reason message, making invisible ones visible. */
export function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return /\s/u.test(ch) ? `whitespace (${hex(code)})` : `'${ch}'`;
}
