// npm run bench: which benchmarks BENCH_ONLY picks, and the JSON read off each one's output.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lastJsonDocument, selectBenches } from '../../bench/run-all.js';

describe('npm run bench', () => {
  it('runs every benchmark unless BENCH_ONLY picks some, in its fixed order', () => {
    expect(selectBenches(undefined)).toEqual([
      'envelopes',
      'federation',
      'load',
      'ingest',
      'explore',
    ]);
    expect(selectBenches(' explore, ingest ')).toEqual(['ingest', 'explore']);
  });

  it('runs each one by its own npm script, which exists', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    for (const bench of selectBenches(undefined)) {
      expect(scripts[`bench:${bench}`], `bench:${bench}`).toMatch(/^tsx test\/bench\/.+\.ts$/);
    }
  });

  it('refuses a benchmark it does not know, naming it and the known ones', () => {
    expect(() => selectBenches('ingest,exploer')).toThrow(
      'BENCH_ONLY: unknown benchmark exploer (known: envelopes, federation, load, ingest, explore)',
    );
  });

  it("reads a benchmark's last JSON document, past lines printed before it", () => {
    const out = 'warming up\n{"old": 1}\n{\n  "rows": 2,\n  "nested": {"a": [1]}\n}\n';
    expect(lastJsonDocument(out)).toEqual({ rows: 2, nested: { a: [1] } });
  });

  it('names output that holds no JSON document', () => {
    expect(() => lastJsonDocument('Error: Neo4j did not start\n')).toThrow('printed no JSON');
    expect(() => lastJsonDocument('{"cut": ')).toThrow('printed no JSON');
  });
});
