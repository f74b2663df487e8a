// A bounded memo in front of normalizeIdentifier for bulk ingest: a seller's phone, address and
// storefront URL come back on every one of its listing rows, and parsing them (libphonenumber,
// the public-suffix list) is most of the cost of planning a row. Normalization is pure, so a
// cached answer is the answer; the memo forgets everything when full to stay bounded.
import { normalizeIdentifier } from './index.js';
import type { IdentifierInput, NormalizedIdentifier } from './types.js';

export type Normalizer = (input: IdentifierInput) => NormalizedIdentifier;

export function memoizedNormalizer(capacity = 20_000): Normalizer {
  const memo = new Map<string, NormalizedIdentifier>();
  return (input) => {
    const key = `${input.kind}\u0000${input.region ?? ''}\u0000${input.provider ?? ''}\u0000${input.value}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const result = Object.freeze(normalizeIdentifier(input));
    if (memo.size >= capacity) memo.clear();
    memo.set(key, result);
    return result;
  };
}
