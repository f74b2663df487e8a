// The mapping file: what it accepts, and how a flat row becomes a record in the model's shape.
import { describe, expect, it } from 'vitest';
import { applyMapping, MappingError, parseMapping } from '../../../src/ingest/mapping.js';

describe('a mapping file', () => {
  it('is refused when a column feeds a field its record kind does not have', () => {
    expect(() => parseMapping({ record: 'listing', columns: { sellr: 'seller_id' } })).toThrow(
      /sellr is not a field of a listing record/,
    );
  });

  it('is refused with unknown settings, bad paths, or columns without a record kind', () => {
    expect(() => parseMapping({ record: 'listing', colums: {} })).toThrow(MappingError);
    expect(() => parseMapping({ record: 'listing', columns: { 'seller..x': 'a' } })).toThrow(
      /seller\.\.x/,
    );
    expect(() => parseMapping({ columns: { platform: 'p' } })).toThrow(/record is required/);
    expect(() => parseMapping({ record: 'nonsense' })).toThrow(MappingError);
  });

  it('builds nested records, adds constants only to array elements that have values, and fills defaults', () => {
    const mapping = parseMapping({
      record: 'listing',
      source: 'jd-2026',
      defaultRegion: 'CN',
      constants: { platform: 'jd', 'identifiers.0.kind': 'PHONE', 'identifiers.1.kind': 'EMAIL' },
      columns: {
        'seller.accountId': 'id',
        'listing.price': 'price',
        'identifiers.0.value': 'phone',
        'identifiers.1.value': 'email',
      },
    });
    const mapped = applyMapping(
      mapping,
      { id: 'A1', price: '9.90', phone: '', email: 'a@qq.com' },
      {
        observedAt: '2026-01-01T00:00:00.000Z',
      },
    );
    expect(mapped).toEqual({
      kind: 'listing',
      value: {
        platform: 'jd',
        seller: { accountId: 'A1' },
        listing: { price: '9.90' },
        identifiers: [{ kind: 'EMAIL', value: 'a@qq.com' }],
        source: 'jd-2026',
        region: 'CN',
        observedAt: '2026-01-01T00:00:00.000Z',
      },
    });
  });

  it('takes model-shaped JSONL lines as they are, with the record kind from the line', () => {
    expect(
      applyMapping(parseMapping({}), { record: 'entity', kind: 'FACTORY', name: 'F' }),
    ).toEqual({
      kind: 'entity',
      value: { kind: 'FACTORY', name: 'F' },
    });
    expect(applyMapping(parseMapping({}), { name: 'F' })).toEqual({
      error: expect.stringMatching(/no record kind/),
    });
  });
});
