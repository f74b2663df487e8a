// Bilateral private set intersection by commutative Diffie-Hellman over ristretto255.
//
// Party A holds items X and a fresh secret scalar a; party B holds Y and b. H is hash-to-group
// (expand_message_xmd SHA-512 → ristretto255) with the DST "Palisade-PSI-v1".
//
//   round 1   A → B: { a·H(x) : x ∈ X }, shuffled        B → A: { b·H(y) : y ∈ Y }, shuffled
//   round 2   A → B: a·(b·H(y)) for each element B sent, in the order B sent them
//             B → A: b·(a·H(x)) for each element A sent, in the order A sent them
//   result    A: x ∈ X is shared iff b·a·H(x) (found at x's own round-1 position) is among the
//             a·b·H(y) A computed in round 2 — and symmetrically for B.
//
// What each party learns: the intersection (as its own items) and the other party's set size;
// nothing else. Set sizes are the only leak beyond the intersection itself. Elements outside the
// intersection are seen only as k·H(item) under the other party's secret scalar, which (DDH in
// ristretto255, H a random oracle) looks random and cannot be tested against guesses offline.
// Round-1 shuffling keeps the order of a party's list (insertion order, sorted order) from
// saying anything.
//
// Limits, stated plainly: this is secure against honest-but-curious peers. A malicious peer can
// always choose the set it submits (it learns the intersection with *that* set, so cap the
// peer's set size with `maxPeerItems`), can lie in round 2 to make our result wrong, and can stop
// after learning its result (no fairness). Each party is single-use: its scalar is fresh, and
// secondRound runs once, so a peer gets one bounded query, not an oracle for a·P. Every received
// element is validated (canonical encoding, not the identity); duplicates, reflected elements
// and a round-2 list whose length differs from our round 1 are refused as tampering.
import { Buffer } from 'node:buffer';
import { randomInt } from 'node:crypto';
import {
  deserializeElement,
  hashToGroupWith,
  InvalidPointError,
  randomScalar,
  scalarMultWith,
} from './oprf.js';
import { getSodium } from './sodium.js';

export { InvalidPointError };

/** Domain separation tag for PSI's hash-to-group: PSI elements never collide with OPRF ones. */
export const PSI_DST = 'Palisade-PSI-v1';

/** The peer's messages break the protocol (lengths, duplicates, reflection) or are out of order. */
export class PsiProtocolError extends Error {
  readonly code = 'PSI_PROTOCOL';
  override readonly name = 'PsiProtocolError';
}

export interface PsiOptions {
  /** Refuse a peer round 1 longer than this: the peer learns the intersection with its set. */
  maxPeerItems?: number;
}

export interface PsiParty {
  /** The number of distinct items this party holds (the peer learns it). */
  readonly size: number;
  /** Round 1: k·H(item) for each distinct item, in a random order. The same list on every call. */
  firstRound(): Uint8Array[];
  /** Round 2: k·P for each element of the peer's round 1, same order. Runs once per party. */
  secondRound(peerFirst: readonly Uint8Array[]): Uint8Array[];
  /** The result: our items (in the order given) that the peer also holds. */
  intersect(peerSecondOfMine: readonly Uint8Array[]): Uint8Array[];
  /** Wipes the secret scalar; the party cannot be used afterwards. */
  dispose(): void;
}

const hex = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** Fisher-Yates with node's CSPRNG (randomInt is unbiased). */
function shuffledIndexes(n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

function checkList(list: unknown, what: string): asserts list is readonly Uint8Array[] {
  if (!Array.isArray(list)) throw new PsiProtocolError(`${what} must be a list of elements`);
}

/**
 * A PSI party over `items` (byte strings, e.g. token inputs). Duplicate items are merged so
 * multiplicities are not revealed. The secret scalar is drawn here and never leaves the party.
 */
export async function createPsiParty(
  items: readonly Uint8Array[],
  options: PsiOptions = {},
): Promise<PsiParty> {
  const s = await getSodium();
  const maxPeerItems = options.maxPeerItems ?? Number.POSITIVE_INFINITY;

  const distinct: Uint8Array[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (!(item instanceof Uint8Array)) throw new TypeError('PSI items must be Uint8Array');
    const key = hex(item);
    if (!seen.has(key)) {
      seen.add(key);
      distinct.push(item.slice());
    }
  }

  const secret = randomScalar(s);
  let disposed = false;
  const live = (): void => {
    if (disposed) throw new PsiProtocolError('PSI party has been disposed');
  };

  // round1[i] = k·H(distinct[order[i]])
  const order = shuffledIndexes(distinct.length);
  const round1 = order.map((idx) =>
    scalarMultWith(s, secret, hashToGroupWith(s, distinct[idx] as Uint8Array, PSI_DST)),
  );
  const round1Keys = new Set(round1.map(hex));

  // The double-exponentiated peer elements, once secondRound has run.
  let peerDouble: Set<string> | undefined;

  /** Validates a received list: every element a point, no duplicates; returns their hex keys. */
  const validated = (list: readonly Uint8Array[], what: string): string[] => {
    const keys: string[] = [];
    const unique = new Set<string>();
    list.forEach((e, i) => {
      deserializeElement(s, e, i);
      const key = hex(e);
      if (unique.has(key)) throw new PsiProtocolError(`${what} repeats an element (at index ${i})`);
      unique.add(key);
      keys.push(key);
    });
    return keys;
  };

  return {
    size: distinct.length,

    firstRound() {
      live();
      return round1.map((e) => e.slice());
    },

    secondRound(peerFirst) {
      live();
      checkList(peerFirst, "peer's round 1");
      if (peerDouble !== undefined) {
        throw new PsiProtocolError(
          'secondRound already ran: a PSI party answers one peer set only',
        );
      }
      if (peerFirst.length > maxPeerItems) {
        throw new PsiProtocolError(
          `peer's round 1 has ${peerFirst.length} elements; at most ${maxPeerItems} accepted`,
        );
      }
      const keys = validated(peerFirst, "peer's round 1");
      // Our own round 1 sent back as the peer's: nothing an honest peer would do.
      const reflected = keys.findIndex((k) => round1Keys.has(k));
      if (reflected >= 0) {
        throw new PsiProtocolError(
          `peer's round 1 reflects our own element (at index ${reflected})`,
        );
      }
      const answer = peerFirst.map((e) => scalarMultWith(s, secret, e));
      peerDouble = new Set(answer.map(hex));
      return answer;
    },

    intersect(peerSecondOfMine) {
      live();
      checkList(peerSecondOfMine, "peer's round 2");
      if (peerDouble === undefined) {
        throw new PsiProtocolError('intersect needs secondRound to have run on the peer round 1');
      }
      if (peerSecondOfMine.length !== round1.length) {
        throw new PsiProtocolError(
          `peer's round 2 has ${peerSecondOfMine.length} elements; our round 1 had ${round1.length}`,
        );
      }
      const keys = validated(peerSecondOfMine, "peer's round 2");
      const shared: number[] = [];
      keys.forEach((key, i) => {
        if (peerDouble?.has(key) === true) shared.push(order[i] as number);
      });
      shared.sort((x, y) => x - y);
      return shared.map((idx) => (distinct[idx] as Uint8Array).slice());
    },

    dispose() {
      disposed = true;
      s.memzero(secret);
    },
  };
}
