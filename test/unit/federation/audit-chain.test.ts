import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendEntry,
  AuditEntryError,
  GENESIS_HASH,
  hashEntry,
  verifyChain,
  type AuditEntry,
  type AuditFields,
} from '../../../src/federation/audit-chain.js';

const T0 = Date.parse('2026-11-20T12:00:00Z');

function chain(n: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    const fields: AuditFields = {
      at: new Date(T0 + i * 1000),
      kind: i % 3 === 0 ? 'refused' : 'received',
      peer: 'brand-a',
      messageType: 'indicator.share',
      jti: `jti-${i}`,
      ...(i % 3 === 0 ? { reason: 'BAD_SIGNATURE' } : {}),
      detail: { indicators: i, bytes: 100 + i },
    };
    entries.push(appendEntry(entries.at(-1) ?? null, fields));
  }
  return entries;
}

describe('the audit hash chain', () => {
  it('numbers entries from 1 and links each to the previous hash', () => {
    const c = chain(3);
    expect(c.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(c[0]!.prevHash).toBe(GENESIS_HASH);
    expect(c[1]!.prevHash).toBe(c[0]!.hash);
    expect(c[2]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyChain(c)).toEqual({ ok: true, head: { seq: 3, hash: c[2]!.hash } });
    expect(verifyChain([])).toEqual({ ok: true, head: null });
  });

  it('hashes the same whatever the key order of detail', () => {
    const a = appendEntry(null, {
      at: '2026-11-20T12:00:00Z',
      kind: 'sent',
      peer: 'b',
      messageType: 'm',
      jti: 'j',
      detail: { x: 1, y: 2 },
    });
    const b = appendEntry(null, {
      at: '2026-11-20T12:00:00Z',
      kind: 'sent',
      peer: 'b',
      messageType: 'm',
      jti: 'j',
      detail: { y: 2, x: 1 },
    });
    expect(a.hash).toBe(b.hash);
  });

  it('detects an edited entry', () => {
    const c = chain(5);
    c[2] = { ...c[2]!, detail: { indicators: 999, bytes: 102 } };
    expect(verifyChain(c)).toEqual({ ok: false, seq: 3, index: 2, problem: 'edited' });
  });

  it('detects an edited entry whose hash was recomputed: the next link breaks', () => {
    const c = chain(5);
    const edited = { ...c[2]!, reason: 'NONE' };
    c[2] = { ...edited, hash: hashEntry(edited) };
    expect(verifyChain(c)).toEqual({ ok: false, seq: 4, index: 3, problem: 'broken-link' });
  });

  it('detects a deleted entry', () => {
    const c = chain(5);
    c.splice(2, 1);
    expect(verifyChain(c)).toEqual({ ok: false, seq: 4, index: 2, problem: 'gap' });
    expect(verifyChain(chain(5).slice(1))).toMatchObject({ ok: false, seq: 2, problem: 'gap' });
  });

  it('detects reordered entries', () => {
    const c = chain(5);
    [c[1], c[2]] = [c[2]!, c[1]!];
    expect(verifyChain(c)).toEqual({ ok: false, seq: 3, index: 1, problem: 'reordered' });
    const d = chain(3);
    expect(verifyChain([d[0]!, d[1]!, d[1]!, d[2]!])).toMatchObject({
      ok: false,
      problem: 'reordered',
    });
  });

  it('detects deleted newest entries, and a rewritten chain, against a head kept elsewhere', () => {
    const c = chain(5);
    const head = { seq: 5, hash: c[4]!.hash };
    expect(verifyChain(c.slice(0, 4))).toMatchObject({ ok: true });
    expect(verifyChain(c.slice(0, 4), { head })).toMatchObject({
      ok: false,
      seq: 5,
      problem: 'truncated',
    });
    // Rewrite everything from entry 3 on: consistent by itself, but not with the head.
    const rewritten = c.slice(0, 2);
    for (const e of c.slice(2)) {
      rewritten.push(appendEntry(rewritten.at(-1)!, { ...e, detail: { tampered: true } }));
    }
    expect(verifyChain(rewritten)).toMatchObject({ ok: true });
    expect(verifyChain(rewritten, { head })).toMatchObject({
      ok: false,
      seq: 5,
      problem: 'edited',
    });
  });

  it('verifies a page of entries from an anchor', () => {
    const c = chain(6);
    expect(verifyChain(c.slice(3), { anchor: { seq: 3, hash: c[2]!.hash } })).toMatchObject({
      ok: true,
      head: { seq: 6 },
    });
    expect(verifyChain(c.slice(3), { anchor: { seq: 3, hash: c[1]!.hash } })).toMatchObject({
      ok: false,
      problem: 'broken-link',
    });
  });

  it('detects any single deletion, swap or field edit (property)', () => {
    const editable = [
      'at',
      'kind',
      'peer',
      'messageType',
      'jti',
      'reason',
      'detail',
      'prevHash',
      'seq',
    ] as const;
    const tamper = fc.oneof(
      fc.record({ op: fc.constant('delete' as const), i: fc.nat() }),
      fc.record({ op: fc.constant('swap' as const), i: fc.nat(), j: fc.nat() }),
      fc.record({
        op: fc.constant('edit' as const),
        i: fc.nat(),
        field: fc.constantFrom(...editable),
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), tamper, (n, t) => {
        const c = chain(n);
        // Deleting the newest entry needs a head kept elsewhere (tested above); edits and swaps do not.
        const i = t.i % (t.op === 'delete' ? n - 1 : n);
        if (t.op === 'delete') c.splice(i, 1);
        if (t.op === 'swap') {
          const j = t.j % n;
          fc.pre(i !== j);
          [c[i], c[j]] = [c[j]!, c[i]!];
        }
        if (t.op === 'edit') {
          const e = c[i]! as unknown as Record<string, unknown>;
          e[t.field] =
            t.field === 'seq' ? (e.seq as number) + 1 : t.field === 'detail' ? { x: 1 } : 'changed';
        }
        expect(verifyChain(c).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses fields that would make a bad entry', () => {
    const base: AuditFields = {
      at: new Date(T0),
      kind: 'policy',
      peer: null,
      messageType: null,
      jti: null,
    };
    expect(() => appendEntry(null, { ...base, detail: { blob: 'x'.repeat(3000) } })).toThrow(
      AuditEntryError,
    );
    expect(() => appendEntry(null, { ...base, kind: 'deleted' as AuditFields['kind'] })).toThrow(
      AuditEntryError,
    );
    expect(() => appendEntry(null, { ...base, at: 'not a date' })).toThrow(AuditEntryError);
    expect(appendEntry(null, base).detail).toEqual({});
  });
});
