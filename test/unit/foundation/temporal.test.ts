// ISO text in, Neo4j temporals out: instants land in UTC whatever offset they were written with,
// bad text is refused by name, and converting many rows with shared instants gives each the same
// value it would get alone.
import { describe, expect, it } from 'vitest';
import { toDate, toDateTime } from '../../../src/db/temporal.js';

describe('toDateTime', () => {
  it('writes an instant in UTC, to the millisecond', () => {
    expect(toDateTime('2026-05-01T10:30:00+02:00').toString()).toBe('2026-05-01T08:30:00Z');
    expect(toDateTime('2026-05-01T08:30:00.250Z').toString()).toBe(
      '2026-05-01T08:30:00.250000000Z',
    );
  });

  it('gives every row its own instant when many rows repeat a few', () => {
    const texts = Array.from({ length: 2000 }, (_, i) => {
      const second = String(i % 60).padStart(2, '0');
      const minute = String(Math.floor(i / 60) % 60).padStart(2, '0');
      return `2026-05-01T10:${minute}:${second}Z`;
    });
    // Twice over, so the second pass meets values converted (and some evicted) in the first.
    for (const text of [...texts, ...texts.reverse()]) {
      expect(toDateTime(text).toString()).toBe(text);
    }
  });

  it('refuses text that is not an instant, naming it', () => {
    expect(() => toDateTime('yesterday')).toThrow(/not an ISO 8601 date-time: "yesterday"/);
  });
});

describe('toDate', () => {
  it('keeps a calendar date and refuses anything else', () => {
    expect(toDate('2026-11-29').toString()).toBe('2026-11-29');
    expect(() => toDate('29/11/2026')).toThrow(/not a YYYY-MM-DD date/);
  });
});
