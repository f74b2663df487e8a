import { describe, expect, it } from 'vitest';
import {
  nextCustodyEntry,
  verifyCustodyChain,
  type CustodyEntry,
} from '../../../src/evidence/custody-chain.js';

const ITEM = 'Evidence:sha256-abc';

function chain(n: number): CustodyEntry[] {
  const out: CustodyEntry[] = [];
  const actions = ['CAPTURE', 'VIEW', 'EXPORT', 'TRANSFER', 'DELETION_REQUEST'] as const;
  for (let i = 0; i < n; i++) {
    out.push(
      nextCustodyEntry(ITEM, out[i - 1] ?? null, {
        at: new Date(Date.UTC(2026, 10, 29, 0, i)),
        action: actions[i % actions.length]!,
        actor: `analyst-${i}`,
        detail: { n: i },
      }),
    );
  }
  return out;
}

const headOf = (c: CustodyEntry[]) => ({ seq: c[c.length - 1]!.seq, hash: c[c.length - 1]!.hash });

describe('the chain of custody', () => {
  it('verifies an intact chain against its head', () => {
    const c = chain(5);
    expect(verifyCustodyChain(ITEM, c, headOf(c))).toMatchObject({ ok: true, entries: 5 });
  });

  it('detects an edited entry (one changed character of its detail)', () => {
    const c = chain(4);
    c[1] = { ...c[1]!, actor: 'analyst-X' };
    expect(verifyCustodyChain(ITEM, c, headOf(c))).toMatchObject({
      ok: false,
      seq: 2,
      problem: 'edited',
    });
  });

  it('detects a flipped byte in a stored hash', () => {
    const c = chain(3);
    const h = c[2]!.hash;
    c[2] = { ...c[2]!, hash: (h[0] === 'a' ? 'b' : 'a') + h.slice(1) };
    expect(verifyCustodyChain(ITEM, c)).toMatchObject({ ok: false, problem: 'edited' });
  });

  it('detects a removed entry in the middle (a gap)', () => {
    const c = chain(4);
    const head = headOf(c);
    c.splice(1, 1);
    expect(verifyCustodyChain(ITEM, c, head)).toMatchObject({ ok: false, seq: 3, problem: 'gap' });
  });

  it('detects removed newest entries against the head', () => {
    const c = chain(4);
    const head = headOf(c);
    expect(verifyCustodyChain(ITEM, c.slice(0, 3), head)).toMatchObject({
      ok: false,
      problem: 'truncated',
    });
  });

  it('detects a rewritten chain whose entries were all re-hashed', () => {
    const c = chain(3);
    const head = headOf(c);
    const forged: CustodyEntry[] = [];
    for (const e of c)
      forged.push(
        nextCustodyEntry(ITEM, forged[forged.length - 1] ?? null, {
          at: new Date(e.at),
          action: e.action,
          actor: 'forger',
          detail: e.detail,
        }),
      );
    expect(verifyCustodyChain(ITEM, forged)).toMatchObject({ ok: true });
    expect(verifyCustodyChain(ITEM, forged, head)).toMatchObject({ ok: false });
  });

  it('refuses an entry moved in from another item', () => {
    const c = chain(2);
    const other = nextCustodyEntry('Evidence:other', c[0]!, {
      at: new Date(),
      action: 'VIEW',
      actor: 'a',
    });
    expect(verifyCustodyChain(ITEM, [c[0]!, other])).toMatchObject({
      ok: false,
      problem: 'foreign',
    });
  });
});
