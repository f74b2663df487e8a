import { describe, expect, it } from 'vitest';
import { fromGlobalId, toConnection, toGlobalId, toPage } from '../../../src/server/relay.js';
import { AppError } from '../../../src/server/errors.js';

describe('Relay global ids and cursors', () => {
  it('round-trips a type and a key that contains colons', () => {
    const id = toGlobalId('Seller', 'taobao:shop:42');
    expect(fromGlobalId(id)).toEqual({ type: 'Seller', key: 'taobao:shop:42' });
  });

  it('refuses ids that are not ours with BAD_USER_INPUT', () => {
    for (const bad of [
      '',
      'not base64!',
      Buffer.from('nocolon').toString('base64url'),
      'x'.repeat(5000),
    ]) {
      expect(() => fromGlobalId(bad)).toThrow(AppError);
    }
  });

  it('pages with opaque cursors and reports whether more follow', () => {
    const page = toPage({ first: 2 });
    const conn = toConnection(['a', 'b', 'c'], page, 3);
    expect(conn.edges.map((e) => e.node)).toEqual(['a', 'b']);
    expect(conn.pageInfo.hasNextPage).toBe(true);
    const next = toPage({ first: 2, after: conn.pageInfo.endCursor });
    expect(next.offset).toBe(2);
  });

  it('refuses page sizes past the limit and forged cursors', () => {
    expect(() => toPage({ first: 100000 })).toThrow(/first must be between/);
    expect(() => toPage({ after: 'garbage' })).toThrow(/not a valid cursor/);
  });
});
