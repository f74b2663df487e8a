// What an analyst types becomes a safe Lucene query.
import { describe, expect, it } from 'vitest';
import { toLuceneQuery } from '../../../src/explore/search-query.js';

describe('search text to Lucene', () => {
  it('escapes syntax, requires every term and prefix-matches the last', () => {
    expect(toLuceneQuery('Volt  Power')).toBe('volt AND (power OR power*)');
    expect(toLuceneQuery('+86 (138)')).toBe('\\+86 AND (\\(138\\) OR \\(138\\)*)');
    expect(toLuceneQuery('AND OR')).toBe('and AND (or OR or*)');
    expect(toLuceneQuery('   ')).toBeNull();
  });
});
