// Bilateral DH-PSI: both parties learn exactly the overlap; tampered messages are refused.
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { hashToGroupWith } from '../../../src/privacy/oprf.js';
import {
  createPsiParty,
  InvalidPointError,
  PSI_DST,
  PsiProtocolError,
  type PsiParty,
} from '../../../src/privacy/psi.js';
import { getSodium } from '../../../src/privacy/sodium.js';
import { tokenInput } from '../../../src/privacy/token.js';

const items = (...values: string[]): Uint8Array[] => values.map((v) => tokenInput('phone', v));
const text = (list: Uint8Array[]): string[] =>
  list.map((b) => Buffer.from(b).toString('utf8').split('\u0000')[1] ?? '');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Runs the full two-round protocol between A and B and returns what each learns. */
function run(a: PsiParty, b: PsiParty): { a: Uint8Array[]; b: Uint8Array[] } {
  const aFirst = a.firstRound();
  const bFirst = b.firstRound();
  const aSecond = a.secondRound(bFirst); // A's answer to B's set
  const bSecond = b.secondRound(aFirst); // B's answer to A's set
  return { a: a.intersect(bSecond), b: b.intersect(aSecond) };
}

describe('PSI by commutative ECDH over ristretto255', () => {
  it('both parties learn exactly the overlap, as their own items', async () => {
    const a = await createPsiParty(items('+861', '+862', '+863', '+864', '+865'));
    const b = await createPsiParty(items('+869', '+864', '+862', '+868'));
    const result = run(a, b);
    expect(text(result.a)).toEqual(['+862', '+864']);
    expect(text(result.b)).toEqual(['+864', '+862']);
  });

  it('gives an empty result for disjoint sets and for an empty set', async () => {
    expect(run(await createPsiParty(items('1', '2')), await createPsiParty(items('3'))).a).toEqual(
      [],
    );
    const r = run(await createPsiParty([]), await createPsiParty(items('3')));
    expect(r.a).toEqual([]);
    expect(r.b).toEqual([]);
  });

  it('merges duplicates, so the peer sees neither multiplicities nor more than the set size', async () => {
    const a = await createPsiParty(items('1', '1', '2'));
    expect(a.size).toBe(2);
    expect(a.firstRound()).toHaveLength(2);
    const b = await createPsiParty(items('1'));
    expect(text(run(a, b).a)).toEqual(['1']);
  });

  it('sends nothing the peer can test its own guesses against', async () => {
    const s = await getSodium();
    const secretItems = items('+8613800000001', '+8613800000002');
    const a = await createPsiParty(secretItems);
    const sent = new Set(a.firstRound().map(hex));
    // Neither the plain hash of an item nor its OPRF-domain hash appears on the wire.
    for (const it of secretItems) {
      expect(sent.has(hex(hashToGroupWith(s, it, PSI_DST)))).toBe(false);
    }
    // A fresh party over the same items sends unrelated elements (sessions are unlinkable).
    const again = await createPsiParty(secretItems);
    expect(again.firstRound().some((e) => sent.has(hex(e)))).toBe(false);
    // B, holding a guess that A does not hold, learns nothing about A's other items.
    const b = await createPsiParty(items('+8613800000009'));
    const r = run(a, b);
    expect(r.a).toEqual([]);
    expect(r.b).toEqual([]);
  });

  it('returns the same round-1 list on every call', async () => {
    const a = await createPsiParty(items('1', '2', '3'));
    expect(a.firstRound().map(hex)).toEqual(a.firstRound().map(hex));
  });

  it('works on a few hundred items each', async () => {
    const shared = Array.from({ length: 50 }, (_, i) => `s${i}`);
    const a = await createPsiParty(
      items(...shared, ...Array.from({ length: 200 }, (_, i) => `a${i}`)),
    );
    const b = await createPsiParty(
      items(...Array.from({ length: 150 }, (_, i) => `b${i}`), ...shared),
    );
    const r = run(a, b);
    expect(text(r.a)).toEqual(shared);
    expect(text(r.b)).toEqual(shared);
  }, 30_000);
});

describe('PSI refuses tampering', () => {
  const identity = new Uint8Array(32);
  const nonCanonical = new Uint8Array(
    Buffer.from('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'hex'),
  );

  it('refuses invalid points in round 1 and round 2', async () => {
    const a = await createPsiParty(items('1', '2'));
    const b = await createPsiParty(items('2', '3'));
    const bFirst = b.firstRound();
    expect(() => a.secondRound([bFirst[0]!, identity])).toThrow(InvalidPointError);
    expect(() => a.secondRound([nonCanonical, bFirst[1]!])).toThrow(InvalidPointError);
    expect(() => a.secondRound([bFirst[0]!.subarray(1)])).toThrow(InvalidPointError);

    const aFresh = await createPsiParty(items('1', '2'));
    aFresh.secondRound(bFirst);
    const bSecond = b.secondRound(aFresh.firstRound());
    expect(() => aFresh.intersect([bSecond[0]!, identity])).toThrow(InvalidPointError);
    const flipped = bSecond.map((e) => e.slice());
    flipped[1]![31]! |= 0x80; // bit 255 set: never a canonical encoding
    expect(() => aFresh.intersect(flipped)).toThrow(InvalidPointError);
    expect(text(aFresh.intersect(bSecond))).toEqual(['2']);
  });

  it('refuses duplicated, reflected, over-long and mis-sized messages', async () => {
    const a = await createPsiParty(items('1', '2'), { maxPeerItems: 3 });
    const b = await createPsiParty(items('2', '3'));
    const bFirst = b.firstRound();
    expect(() => a.secondRound([bFirst[0]!, bFirst[0]!])).toThrow(/repeats an element/);
    expect(() => a.secondRound(a.firstRound())).toThrow(/reflects our own element/);
    const big = await createPsiParty(items('1', '2', '3', '4'));
    expect(() => a.secondRound(big.firstRound())).toThrow(/at most 3 accepted/);
    expect(() => a.intersect([])).toThrow(/needs secondRound/);

    a.secondRound(bFirst);
    expect(() => a.secondRound(bFirst)).toThrow(/already ran/);
    const bSecond = b.secondRound(a.firstRound());
    expect(() => a.intersect(bSecond.slice(0, 1))).toThrow(PsiProtocolError);
    expect(() => a.intersect([bSecond[0]!, bSecond[0]!])).toThrow(/repeats an element/);
  });

  it('cannot be used after dispose', async () => {
    const a = await createPsiParty(items('1'));
    a.dispose();
    expect(() => a.firstRound()).toThrow(/disposed/);
  });
});
