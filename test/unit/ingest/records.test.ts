// Record validation and planning: what a row must hold, and what it asserts in the graph.
import { describe, expect, it } from 'vitest';
import { foldBatch } from '../../../src/ingest/batch.js';
import { parseRecord, type AnyRecord } from '../../../src/ingest/model.js';
import { planRecord, type RecordPatch } from '../../../src/ingest/plan.js';

const base = { source: 's', observedAt: '2026-03-01T00:00:00Z' };

function plan(kind: AnyRecord['kind'], value: unknown): RecordPatch {
  const parsed = parseRecord(kind, value);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const planned = planRecord(parsed.record, { defaultRegion: 'CN' });
  if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
  return planned.patch;
}

describe('validating a record', () => {
  it('names every wrong field with its path', () => {
    const r = parseRecord('listing', {
      source: '',
      observedAt: 'last tuesday',
      platform: 'J D!',
      seller: {},
      listing: { url: 'x', price: 'cheap', currency: 'yuan' },
    });
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'source',
        'observedAt',
        'platform',
        'seller.accountId',
        'listing.price',
        'listing.currency',
      ]),
    );
  });

  it('reads what files hold: numbers with separators, enum spellings, dates, RMB', () => {
    const r = parseRecord('listing', {
      ...base,
      observedAt: '2026/03/01',
      platform: 'JD',
      seller: { accountId: ' 42 ' },
      listing: {
        url: 'https://item.jd.com/1.html',
        price: '1,299.00',
        unitsSold: '12 000',
        currency: 'rmb',
        status: 'taken down',
      },
      identifiers: [{ kind: 'paymentAccount', value: 'x', provider: 'alipay' }],
    });
    expect(r.ok).toBe(true);
    if (!r.ok || r.record.kind !== 'listing') return;
    expect(r.record.input).toMatchObject({
      observedAt: '2026-03-01T00:00:00.000Z',
      platform: 'jd',
      seller: { accountId: '42' },
      listing: { price: 1299, unitsSold: 12000, currency: 'CNY', status: 'TAKEN_DOWN' },
      identifiers: [{ kind: 'PAYMENT_ACCOUNT' }],
    });
  });

  it('refuses impossible dates and reversed validity', () => {
    const r = parseRecord('trademark', {
      ...base,
      mark: 'M',
      registrationNumber: '1',
      class: 9,
      jurisdiction: 'CN',
      validFrom: '2030-01-01',
      validUntil: '2020-02-30',
    });
    expect(r.ok).toBe(false);
  });
});

describe('planning a record', () => {
  it('gives three spellings of one phone one identifier key', () => {
    const keys = ['138 0013 8000', '+86 138-0013-8000', '0086 13800138000'].map(
      (value, i) =>
        plan('listing', {
          ...base,
          platform: 'jd',
          seller: { accountId: `s${i}` },
          identifiers: [{ kind: 'PHONE', value }],
        }).identifiers[0]!.key,
    );
    expect(new Set(keys)).toEqual(new Set(['+8613800138000']));
  });

  it('keeps an unnormalizable identifier raw and warns about it', () => {
    const p = plan('listing', {
      ...base,
      platform: 'jd',
      seller: { accountId: 'x' },
      identifiers: [{ kind: 'PHONE', value: '12' }],
    });
    expect(p.identifiers[0]).toMatchObject({ key: 'raw:12', normalized: false });
    expect(p.warnings).toEqual([expect.objectContaining({ path: 'identifiers.0', kind: 'PHONE' })]);
  });

  it('refuses a listing whose URL cannot key it', () => {
    const parsed = parseRecord('listing', {
      ...base,
      platform: 'jd',
      seller: { accountId: 'x' },
      listing: { url: 'no url' },
    });
    expect(parsed.ok && planRecord(parsed.record, { defaultRegion: 'CN' })).toMatchObject({
      ok: false,
      errors: [{ code: 'UNUSABLE_KEY', path: 'listing.url' }],
    });
  });

  it('stores "factory SUPPLIES seller" as the seller SUPPLIED_BY the factory', () => {
    const p = plan('entity', {
      ...base,
      kind: 'FACTORY',
      key: 'f1',
      name: 'F',
      links: [{ relation: 'SUPPLIES', target: { kind: 'SELLER', platform: 'jd', key: '7' } }],
    });
    expect(p.links).toContainEqual({
      from: 'Seller:jd:7',
      type: 'SUPPLIED_BY',
      to: { uid: 'Factory:f1' },
    });
  });
});

describe('folding a batch', () => {
  it('merges a node asserted by several records once, with all sources and the seen range', () => {
    const a = plan('listing', { ...base, source: 'a', platform: 'jd', seller: { accountId: '1' } });
    const b = plan('listing', {
      ...base,
      source: 'b',
      observedAt: '2026-04-01T00:00:00Z',
      platform: 'jd',
      seller: { accountId: '2' },
    });
    const { params, absorbed } = foldBatch([
      { rec: 0, patch: a },
      { rec: 1, patch: b },
    ]);
    const platforms = params.nodes.filter((n) => n.label === 'Platform');
    expect(platforms).toHaveLength(1);
    expect(platforms[0]).toMatchObject({
      rec: 0,
      sources: ['a', 'b'],
      firstSeen: '2026-03-01T00:00:00.000Z',
      lastSeen: '2026-04-01T00:00:00.000Z',
    });
    expect(absorbed.get(1)).toMatchObject({ nodesMerged: 1 });
  });

  it('merges a link seen twice once, with both sources and the observed range, to the same end', () => {
    const seller = { accountId: '1' };
    const phone = [{ kind: 'PHONE', value: '138 0013 8000' }];
    const a = plan('listing', { ...base, source: 'a', platform: 'jd', seller, identifiers: phone });
    const b = plan('listing', {
      ...base,
      source: 'b',
      observedAt: '2026-04-01T00:00:00Z',
      platform: 'jd',
      seller,
      identifiers: [{ kind: 'PHONE', value: '+86 138-0013-8000' }],
    });
    const { params, absorbed } = foldBatch([
      { rec: 0, patch: a },
      { rec: 1, patch: b },
    ]);
    const phoneLinks = params.identifierLinks.filter((l) => l.type === 'USES_PHONE');
    expect(phoneLinks).toEqual([
      {
        rec: 0,
        from: 'Seller:jd:1',
        type: 'USES_PHONE',
        firstObserved: '2026-03-01T00:00:00.000Z',
        lastObserved: '2026-04-01T00:00:00.000Z',
        confidence: expect.any(Number) as number,
        sources: ['a', 'b'],
        kind: 'phone',
        key: '+8613800138000',
      },
    ]);
    const platformLinks = params.entityLinks.filter((l) => l.type === 'ON_PLATFORM');
    expect(platformLinks).toHaveLength(1);
    expect(platformLinks[0]).toMatchObject({
      from: 'Seller:jd:1',
      to: 'Platform:jd',
      sources: ['a', 'b'],
    });
    expect(absorbed.get(1)?.relationshipsMerged).toBeGreaterThanOrEqual(2);
  });
});
