import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CYPHER_DIR, CypherLibrary } from '../../../src/db/cypher.js';
import { readMigrations, splitStatements } from '../../../src/db/migrations.js';

describe('the Cypher library', () => {
  it('loads every named statement and refuses unknown names', () => {
    const lib = CypherLibrary.load();
    expect(lib.names()).toContain('db/acquire-lock');
    expect(() => lib.get('no/such-statement')).toThrow(
      /No Cypher statement named no\/such-statement/,
    );
  });

  it('starts every statement file with a comment saying what it answers', () => {
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? walk(join(d, e.name))
          : e.name.endsWith('.cypher')
            ? [join(d, e.name)]
            : [],
      );
    for (const file of walk(CYPHER_DIR)) {
      expect(readFileSync(file, 'utf8').trimStart().startsWith('//'), file).toBe(true);
    }
  });

  it('splits migration files on semicolons at line ends and skips comments', () => {
    expect(splitStatements('// a\nCREATE A;\n// b\nCREATE B;\n')).toEqual(['CREATE A', 'CREATE B']);
    expect(readMigrations().map((m) => m.id)[0]).toBe('0001-node-meta');
  });

  it('specializes a template per label or type and refuses anything but a plain name', () => {
    const lib = CypherLibrary.load();
    const text = lib.specialize('ingest/merge-entity-links', { TYPE: 'USES_PHONE' });
    expect(text).toContain('MERGE (a)-[r:USES_PHONE]->(b)');
    expect(text).not.toContain('{{');
    // The same specialization is the same text (the server caches the plan by text).
    expect(lib.specialize('ingest/merge-entity-links', { TYPE: 'USES_PHONE' })).toBe(text);
    expect(() =>
      lib.specialize('ingest/merge-entity-links', { TYPE: 'X]->() DETACH DELETE (' }),
    ).toThrow(/plain identifier/);
    expect(() => lib.specialize('ingest/merge-entity-links', { Label: 'Phone' })).toThrow(
      /no slot Label/,
    );
    expect(() => lib.specialize('ingest/merge-identifier-links', { TYPE: 'USES_PHONE' })).toThrow(
      /needs a value for slot Label/,
    );
  });
});
