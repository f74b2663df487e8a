// The synthetic data generator: deterministic, and its manifest names exactly the sellers that
// share something — nothing is shared by accident.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizeIdentifier } from '../../../src/identifiers/index.js';
import type { IdentifierKind } from '../../../src/identifiers/types.js';
import { generate, plantedPhoneFormats, type GeneratedRow } from '../../../src/ingest/generate.js';
import { parseRecord } from '../../../src/ingest/model.js';
import { routeKey } from '../../../src/ingest/plan.js';

const digest = (rows: Iterable<GeneratedRow>) => {
  const h = createHash('sha256');
  for (const r of rows) h.update(JSON.stringify(r));
  return h.digest('hex');
};

const KINDS: Record<string, IdentifierKind> = {
  PHONE: 'phone',
  EMAIL: 'email',
  ADDRESS: 'address',
  PAYMENT_ACCOUNT: 'paymentAccount',
  MESSAGING_HANDLE: 'messagingHandle',
};

describe('the generator', () => {
  it('yields the same rows for the same seed and other rows for another seed', () => {
    const a = generate({ sellers: 300, seed: 42 });
    expect(digest(a.rows())).toBe(digest(generate({ sellers: 300, seed: 42 }).rows()));
    expect(digest(a.rows())).not.toBe(digest(generate({ sellers: 300, seed: 43 }).rows()));
    expect([...a.rows()]).toHaveLength(a.manifest.rows);
  });

  it('writes every row as a valid record', () => {
    for (const { record, ...value } of generate({ sellers: 200, seed: 3 }).rows()) {
      const r = parseRecord(record, value);
      expect(r.ok ? [] : r.errors).toEqual([]);
    }
  });

  it('plants a phone in three spellings', () => {
    expect(plantedPhoneFormats(0)).toEqual([
      '186 0000 0000',
      '+86 186-0000-0000',
      '0086 18600000000',
    ]);
  });

  it('lists exactly the groups of sellers that share an identifier, a factory or a route', () => {
    const { manifest, rows } = generate({ sellers: 500, seed: 9 });
    expect(new Set(manifest.networks.map((n) => n.via))).toEqual(
      new Set(['phone', 'returnAddress', 'factory', 'route']),
    );
    // Who points at what: identifier keys (normalized), factories and routes.
    const holders = new Map<string, Set<string>>();
    const hold = (thing: string, seller: string) => {
      const set = holders.get(thing) ?? new Set<string>();
      set.add(seller);
      holders.set(thing, set);
    };
    for (const row of rows()) {
      const r = row as any;
      if (row.record === 'listing') {
        const seller = `${r.platform}:${r.seller.accountId}`;
        for (const id of r.identifiers ?? []) {
          const n = normalizeIdentifier({
            kind: KINDS[id.kind]!,
            value: id.value,
            region: 'CN',
            provider: id.provider,
          });
          expect(n.ok).toBe(true);
          if (n.ok) hold(`${n.kind}:${n.key}`, seller);
        }
      } else if (row.record === 'entity') {
        for (const l of r.links ?? [])
          hold(`factory:${r.key}`, `${l.target.platform}:${l.target.key}`);
        for (const id of r.identifiers ?? []) hold(`factory-id:${id.value}`, r.key);
      } else if (row.record === 'shipment' && r.route) {
        hold(`route:${routeKey(r.route)}`, `${r.sender.platform}:${r.sender.key}`);
      }
    }
    const shared = [...holders.values()]
      .filter((s) => s.size > 1)
      .map((s) => [...s].sort().join(' '))
      .sort();
    const planted = manifest.networks.map((n) => [...n.sellers].sort().join(' ')).sort();
    expect(shared).toEqual(planted);
  });
});
