// Loads every named Cypher statement from cypher/<domain>/<name>.cypher once, at start.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CYPHER_DIR = fileURLToPath(new URL('../../cypher/', import.meta.url));

export class CypherLibrary {
  private readonly specialized = new Map<string, string>();

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
    return new CypherLibrary(resolveIncludes(map));
  }

  /** The text of a named statement, e.g. `get('ingest/merge-listings')`. */
  get(name: string): string {
    const text = this.statements.get(name);
    if (text === undefined) throw new Error(`No Cypher statement named ${name} in cypher/`);
    return text;
  }

  /**
   * A statement written once for every label or relationship type of a closed vocabulary: the
   * template names slots as {{Slot}}, and each specialization is a static statement the planner
   * caches on its own (dynamic labels and types plan and run markedly slower on bulk writes).
   * Values must be plain identifiers, so a slot can never carry Cypher.
   */
  specialize(name: string, slots: Readonly<Record<string, string>>): string {
    const key = `${name}\u0000${Object.entries(slots)
      .map(([k, v]) => `${k}=${v}`)
      .join('\u0000')}`;
    const cached = this.specialized.get(key);
    if (cached !== undefined) return cached;
    let text = this.get(name);
    for (const [slot, value] of Object.entries(slots)) {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(value))
        throw new Error(`Cypher slot ${slot} of ${name} must be a plain identifier`);
      const marker = `{{${slot}}}`;
      if (!text.includes(marker)) throw new Error(`Cypher statement ${name} has no slot ${slot}`);
      text = text.replaceAll(marker, value);
    }
    const left = /\{\{(\w+)\}\}/.exec(text);
    if (left) throw new Error(`Cypher statement ${name} needs a value for slot ${left[1]}`);
    this.specialized.set(key, text);
    return text;
  }

  names(): string[] {
    return [...this.statements.keys()].sort();
  }
}

// A line `{{include domain/name}}` stands for that statement's whole text (indented as the line is):
// a statement that runs several others as subqueries, so that the server runs them as one (each
// statement costs it a fixed round of work), without a second copy of any of them to keep in step.
const INCLUDE = /^([ \t]*)\{\{include ([\w/-]+)\}\}[ \t]*$/gm;

function resolveIncludes(raw: ReadonlyMap<string, string>): Map<string, string> {
  const done = new Map<string, string>();
  const resolve = (name: string, via: string[]): string => {
    const finished = done.get(name);
    if (finished !== undefined) return finished;
    if (via.includes(name)) {
      throw new Error(`Cypher statement ${name} includes itself (${[...via, name].join(' → ')})`);
    }
    const text = raw.get(name);
    if (text === undefined) {
      throw new Error(
        `Cypher statement ${via.at(-1) ?? name} includes ${name}, which does not exist`,
      );
    }
    const resolved = text.replace(INCLUDE, (_line, indent: string, included: string) =>
      resolve(included, [...via, name])
        .trimEnd()
        .split('\n')
        .map((l) => (l === '' ? l : indent + l))
        .join('\n'),
    );
    done.set(name, resolved);
    return resolved;
  };
  for (const name of raw.keys()) resolve(name, []);
  return done;
}
