import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

  it('puts the whole text of an included statement in place of its include line, indented', () => {
    const dir = library({
      'a/inner': '// inner\nMATCH (n)\nRETURN n\n',
      'a/outer': '// outer\nCALL () {\n  {{include a/inner}}\n}\nRETURN count(*) AS n\n',
      'b/twice': '// twice\n{{include a/outer}}\nUNION\n{{include a/inner}}\n',
    });
    try {
      const lib = CypherLibrary.load(dir);
      expect(lib.get('a/outer')).toBe(
        '// outer\nCALL () {\n  // inner\n  MATCH (n)\n  RETURN n\n}\nRETURN count(*) AS n\n',
      );
      // Includes nest; the included statement itself is unchanged.
      expect(lib.get('b/twice')).toContain('CALL () {\n  // inner\n  MATCH (n)');
      expect(lib.get('b/twice')).toMatch(/UNION\n\/\/ inner\nMATCH \(n\)\nRETURN n\n$/);
      expect(lib.get('a/inner')).toBe('// inner\nMATCH (n)\nRETURN n\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an include of a missing statement and a statement that includes itself', () => {
    const missing = library({ 'a/x': '// x\n{{include a/nothing}}\n' });
    const cycle = library({ 'a/x': '// x\n{{include a/y}}\n', 'a/y': '// y\n{{include a/x}}\n' });
    try {
      expect(() => CypherLibrary.load(missing)).toThrow(/a\/x includes a\/nothing, which does not/);
      expect(() => CypherLibrary.load(cycle)).toThrow(/includes itself \(a\/x → a\/y → a\/x\)/);
    } finally {
      rmSync(missing, { recursive: true, force: true });
      rmSync(cycle, { recursive: true, force: true });
    }
  });

  it('builds the network change statements from the statements they run', () => {
    const lib = CypherLibrary.load();
    expectWhole(lib, 'networks/change-head', [
      'lock',
      'suppress-tombstoned-links',
      'flag-new-hubs',
      'neighbours',
    ]);
    expectWhole(lib, 'networks/apply-growth', [
      'absorb-networks',
      'assign-members',
      'refresh-summaries',
    ]);
  });
});

/** A statement directory of the given files (name → text), in a fresh temporary folder. */
function library(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cypher-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name.split('/')[0]!), { recursive: true });
    writeFileSync(join(dir, `${name}.cypher`), text);
  }
  return dir;
}

/** Every line of each of the network statements `parts` is in `name`, and no include is left. */
function expectWhole(lib: CypherLibrary, name: string, parts: string[]): void {
  const text = lib.get(name);
  for (const part of parts) {
    const lines = lib.get(`networks/${part}`).split('\n');
    for (const line of lines.filter((l) => l.trim() !== '')) expect(text, part).toContain(line);
  }
  expect(text).not.toContain('{{');
}
