// What rows look like once they leave the database layer: driver Integers, temporals, nodes and
// relationships become plain JSON-friendly values, however deeply they are nested.
import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { dateTimeText, toPlain } from '../../../src/db/database.js';

const { DateTime, Date: Neo4jDate, Duration, Node, Relationship, Point } = neo4j.types;

describe('toPlain', () => {
  it('keeps strings, numbers and booleans, and turns undefined into null', () => {
    expect(toPlain('a')).toBe('a');
    expect(toPlain(1.5)).toBe(1.5);
    expect(toPlain(false)).toBe(false);
    expect(toPlain(undefined)).toBeNull();
  });

  it('turns Integers into numbers, and those beyond 2^53 into exact strings', () => {
    expect(toPlain(neo4j.int(42))).toBe(42);
    expect(toPlain(neo4j.int('9223372036854775807'))).toBe('9223372036854775807');
  });

  it('writes temporals as ISO 8601 text', () => {
    expect(toPlain(new DateTime(2026, 5, 1, 8, 30, 0, 0, 0))).toBe('2026-05-01T08:30:00Z');
    expect(toPlain(new Neo4jDate(2026, 11, 29))).toBe('2026-11-29');
    const duration = new Duration(1, 3, 3600, 0);
    expect(toPlain(duration)).toBe(duration.toString());
    expect(typeof toPlain(duration)).toBe('string');
  });

  it('writes every DateTime exactly as the driver does, in its own fast case and out of it', () => {
    const values = [];
    for (const year of [999, 1000, 1970, 2026, 9999, 10000])
      for (const [month, day, hour, minute, second] of [
        [1, 2, 3, 4, 5],
        [12, 31, 23, 59, 59],
        [10, 10, 10, 10, 10],
      ] as const)
        for (const nanosecond of [0, 5, 123_000_000])
          for (const offset of [0, 3600, -1800]) {
            const parts = [year, month, day, hour, minute, second, nanosecond, offset] as const;
            values.push(new DateTime(...parts));
            values.push(
              new DateTime(...(parts.map((p) => neo4j.int(p)) as unknown as typeof parts)),
            );
          }
    values.push(new DateTime(2026, 5, 1, 8, 30, 0, 0, undefined, 'Europe/Paris'));
    values.push(new DateTime(2026, 5, 1, 8, 30, 0, 0, 7200, 'Europe/Paris'));
    for (const v of values) expect(dateTimeText(v)).toBe(v.toString());
    expect(values.length).toBe(326);
  });

  it('converts values nested in lists and maps, as the statements return them', () => {
    const row = {
      nodes: [{ depth: neo4j.int(2), seen: [new Neo4jDate(2026, 1, 2)], props: { n: null } }],
    };
    expect(toPlain(row)).toEqual({
      nodes: [{ depth: 2, seen: ['2026-01-02'], props: { n: null } }],
    });
  });

  it('turns nodes, relationships and points into plain objects', () => {
    const node = new Node(neo4j.int(1), ['Seller'], { uid: 'Seller:x', units: neo4j.int(7) }, 'e1');
    expect(toPlain(node)).toEqual({
      labels: ['Seller'],
      properties: { uid: 'Seller:x', units: 7 },
      elementId: 'e1',
    });
    const rel = new Relationship(
      neo4j.int(5),
      neo4j.int(1),
      neo4j.int(2),
      'USES_PHONE',
      { confidence: 0.9 },
      'r5',
      'e1',
      'e2',
    );
    expect(toPlain(rel)).toEqual({
      type: 'USES_PHONE',
      properties: { confidence: 0.9 },
      elementId: 'r5',
      start: 'e1',
      end: 'e2',
    });
    expect(toPlain(new Point(neo4j.int(4326), 1, 2))).toEqual({ x: 1, y: 2, srid: 4326 });
  });
});
