// Exact non-negative decimals (BigInt mantissa + scale) for money: sums and products never drift,
// and rounding happens once, half-up, where the caller says.

/** value = int / 10^scale */
export interface Dec {
  int: bigint;
  scale: number;
}

export class DecimalError extends Error {
  override name = 'DecimalError';
}

export const ZERO: Dec = { int: 0n, scale: 0 };

export function parseDec(text: string): Dec {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new DecimalError('not a non-negative decimal');
  const frac = m[2] ?? '';
  return { int: BigInt(m[1]! + frac), scale: frac.length };
}

/** A JS number as the shortest decimal that round-trips (47.57 → 47.57, never 47.5699…). */
export function decOfNumber(n: number): Dec {
  if (!Number.isFinite(n) || n < 0) throw new DecimalError('not a non-negative finite number');
  return parseDec(n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }));
}

const rescale = (d: Dec, scale: number): bigint => d.int * 10n ** BigInt(scale - d.scale);

export function addDec(a: Dec, b: Dec): Dec {
  const scale = Math.max(a.scale, b.scale);
  return { int: rescale(a, scale) + rescale(b, scale), scale };
}

export const mulDec = (a: Dec, b: Dec): Dec => ({ int: a.int * b.int, scale: a.scale + b.scale });

export function compareDec(a: Dec, b: Dec): number {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale);
  const y = rescale(b, scale);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Rounds half-up (away from zero; values are non-negative) to `digits` decimals. */
export function roundHalfUp(d: Dec, digits: number): Dec {
  if (d.scale <= digits) return { int: rescale(d, digits), scale: digits };
  const drop = 10n ** BigInt(d.scale - digits);
  const q = d.int / drop;
  const r = d.int % drop;
  return { int: r * 2n >= drop ? q + 1n : q, scale: digits };
}

/** Fixed-point text with exactly `digits` decimals ("1234.50"); rounds half-up first. */
export function formatFixed(d: Dec, digits: number): string {
  const r = roundHalfUp(d, digits);
  const s = r.int.toString().padStart(digits + 1, '0');
  return digits === 0 ? s : `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
}

/** Exact text, trailing fractional zeros removed ("0.30" → "0.3"). */
export function formatExact(d: Dec): string {
  const s = d.int.toString().padStart(d.scale + 1, '0');
  const whole = s.slice(0, s.length - d.scale);
  const frac = s.slice(s.length - d.scale).replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole;
}
