// Node properties converted when read: whoever holds one sees the same object the eager
// conversion gives (fields, values, key order, JSON), while fields nobody reads are never converted.
import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { toPlain } from '../../../src/db/database.js';
import { lazyProperties, withFields } from '../../../src/db/lazy-properties.js';
import { toGraphObject } from '../../../src/graph/model.js';

const { DateTime } = neo4j.types;

/** Properties as the driver hands them over: Integers, DateTimes, lists, nulls. */
function driverProps(): Record<string, unknown> {
  return {
    uid: 'Seller:taobao:acct-1',
    displayName: 'Acme Outlet',
    unitsSold: neo4j.int(1200),
    firstSeen: new DateTime(2026, 5, 1, 8, 30, 0, 0, 0),
    lastSeen: new DateTime(2026, 6, 1, 9, 0, 0, 0, 3600),
    sources: ['brand-a', 'brand-b'],
    rating: 4.5,
    legalName: null,
  };
}

/** A converter that counts what it was asked to convert. */
function counting() {
  const asked: unknown[] = [];
  return {
    asked,
    convert: (v: unknown) => {
      asked.push(v);
      return toPlain(v);
    },
  };
}

describe('lazyProperties', () => {
  it('converts a field when it is read, once, and no other', () => {
    const c = counting();
    const props = lazyProperties(driverProps(), c.convert);
    expect(props['unitsSold']).toBe(1200);
    expect(props['unitsSold']).toBe(1200);
    expect(props['firstSeen']).toBe('2026-05-01T08:30:00Z');
    expect(c.asked).toHaveLength(2);
    expect(props['missing']).toBeUndefined();
    expect(c.asked).toHaveLength(2);
  });

  it('is the eagerly converted object under keys, spread, JSON and equality', () => {
    const eager = toPlain(driverProps()) as Record<string, unknown>;
    const lazy = lazyProperties(driverProps(), toPlain);
    expect(lazy['displayName']).toBe('Acme Outlet'); // one field read first: order must not change
    expect(Object.keys(lazy)).toEqual(Object.keys(eager));
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager));
    expect({ ...lazy }).toEqual(eager);
    expect(lazy).toEqual(eager);
    expect('legalName' in lazy).toBe(true);
    expect('missing' in lazy).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(lazy, 'sources')).toBe(true);
    expect(Object.prototype.toString.call(lazy)).toBe('[object Object]');
  });

  it('takes changes like a plain object', () => {
    const lazy = lazyProperties(driverProps(), toPlain);
    expect(lazy['rating']).toBe(4.5);
    lazy['rating'] = 5;
    delete lazy['legalName'];
    lazy['note'] = 'checked';
    expect(lazy['rating']).toBe(5);
    expect(lazy['unitsSold']).toBe(1200);
    expect('legalName' in lazy).toBe(false);
    expect(Object.keys(lazy)).toEqual([
      'uid',
      'displayName',
      'unitsSold',
      'firstSeen',
      'lastSeen',
      'sources',
      'rating',
      'note',
    ]);
  });
});

describe('withFields', () => {
  it('puts the fields over a plain object in a copy, leaving the original alone', () => {
    const props = { uid: 'u', id: 'old', name: 'n' };
    const out = withFields(props, { __typename: 'Seller', id: 'new' });
    expect(out).toEqual({ uid: 'u', id: 'new', name: 'n', __typename: 'Seller' });
    expect(Object.keys(out)).toEqual(['uid', 'id', 'name', '__typename']);
    expect(props).toEqual({ uid: 'u', id: 'old', name: 'n' });
  });

  it('keeps lazy properties lazy and shares what was converted', () => {
    const c = counting();
    const props = lazyProperties(driverProps(), c.convert);
    expect(props['uid']).toBe('Seller:taobao:acct-1');
    const out = withFields(props, { __typename: 'Seller', id: 'abc' });
    expect(out['__typename']).toBe('Seller');
    expect(out['uid']).toBe('Seller:taobao:acct-1');
    expect(c.asked).toHaveLength(1);
    expect(out['lastSeen']).toBe('2026-06-01T09:00:00+01:00');
    expect(c.asked).toHaveLength(2);
  });

  it('gives a graph object equal, key for key, to the one built from converted properties', () => {
    const eager = toGraphObject(['Entity', 'Seller'], toPlain(driverProps()) as never);
    const lazy = toGraphObject(['Entity', 'Seller'], lazyProperties(driverProps(), toPlain));
    expect(lazy?.['id']).toBe(eager?.['id']);
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager));
  });
});

describe('toPlain with a lazy key', () => {
  it('gives the same rows as the eager conversion, with the properties under the key lazy', () => {
    const row: {
      nodes: Array<{ props: Record<string, unknown> } & Record<string, unknown>>;
    } & Record<string, unknown> = {
      nodes: [
        {
          element: '4:x:1',
          labels: ['Entity', 'Seller'],
          props: driverProps(),
          depth: neo4j.int(0),
        },
        { element: '4:x:2', labels: ['Identifier', 'Phone'], props: { key: '+8613800138000' } },
      ],
      truncated: false,
    };
    // Counts reads of one property of the first node, as the driver's map hands it over.
    let lastSeenReads = 0;
    const first = row.nodes[0]!.props;
    const lastSeen = first['lastSeen'];
    Object.defineProperty(first, 'lastSeen', {
      enumerable: true,
      get: () => {
        lastSeenReads += 1;
        return lastSeen;
      },
    });
    const lazy = toPlain(row, 'props') as { nodes: Array<{ props: Record<string, unknown> }> };
    expect(lazy.nodes[0]!.props['unitsSold']).toBe(1200);
    expect(lastSeenReads).toBe(0);
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(toPlain(row)));
    expect(lazy).toEqual(toPlain(row));
  });
});
