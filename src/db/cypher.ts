// Loads every named Cypher statement from cypher/<domain>/<name>.cypher once, at start.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CYPHER_DIR = fileURLToPath(new URL('../../cypher/', import.meta.url));

export class CypherLibrary {
  private constructor(private readonly statements: ReadonlyMap<string, string>) {}

  /** Reads all statements except migrations (which the migrator reads itself). */
  static load(dir: string = CYPHER_DIR): CypherLibrary {
    const map = new Map<string, string>();
    const walk = (d: string): void => {
      for (const entry of readdirSync(d)) {
        const full = join(d, entry);
        if (statSync(full).isDirectory()) {
          if (entry !== 'migrations') walk(full);
        } else if (entry.endsWith('.cypher')) {
          const name = relative(dir, full)
            .split(sep)
            .join('/')
            .replace(/\.cypher$/, '');
          map.set(name, readFileSync(full, 'utf8'));
        }
      }
    };
    walk(dir);
    return new CypherLibrary(map);
  }

  /** The text of a named statement, e.g. `get('ingest/merge-listings')`. */
  get(name: string): string {
    const text = this.statements.get(name);
    if (text === undefined) throw new Error(`No Cypher statement named ${name} in cypher/`);
    return text;
  }

  names(): string[] {
    return [...this.statements.keys()].sort();
  }
}
