// Where the exit point reads items' CURRENT markings. Built in: nodes labelled :Shareable with a
// unique `shareRef`, a `tlp` and optional `audiences`. Domains whose items live elsewhere register
// a reader for their ref prefix ("<prefix>:<key>").
import type { Tx } from '../db/database.js';
import type { CurrentMarking } from './sharing-policy.js';

export type MarkingReader = (
  tx: Tx,
  refs: readonly string[],
) => Promise<Map<string, CurrentMarking>>;

/** Reads :Shareable nodes; an unknown TLP value is passed on and refused by the policy. */
export const shareableNodeReader: MarkingReader = async (tx, refs) => {
  const rows = await tx.run('federation/markings-read', { refs: [...refs] });
  const out = new Map<string, CurrentMarking>();
  for (const r of rows) {
    const tlp = r['tlp'];
    const audiences = Array.isArray(r['audiences']) ? r['audiences'].map(String) : [];
    out.set(String(r['ref']), { tlp: typeof tlp === 'string' ? tlp : 'UNKNOWN', audiences });
  }
  return out;
};

export class MarkingReaders {
  readonly #byPrefix = new Map<string, MarkingReader>();

  constructor(private readonly fallback: MarkingReader = shareableNodeReader) {}

  /** Items whose ref starts with `<prefix>:` are read by this reader. */
  register(prefix: string, reader: MarkingReader): this {
    if (this.#byPrefix.has(prefix)) throw new Error(`marking reader ${prefix} registered twice`);
    this.#byPrefix.set(prefix, reader);
    return this;
  }

  async read(tx: Tx, refs: readonly string[]): Promise<Map<string, CurrentMarking>> {
    // Linear in the refs: a message may carry a thousand items.
    const groups = new Map<MarkingReader, string[]>();
    for (const ref of refs) {
      const colon = ref.indexOf(':');
      const reader = (colon > 0 && this.#byPrefix.get(ref.slice(0, colon))) || this.fallback;
      const group = groups.get(reader);
      if (group) group.push(ref);
      else groups.set(reader, [ref]);
    }
    const out = new Map<string, CurrentMarking>();
    for (const [reader, group] of groups) {
      // A reader answers only for refs it was asked about.
      const asked = new Set(group);
      for (const [k, v] of await reader(tx, group)) if (asked.has(k)) out.set(k, v);
    }
    return out;
  }
}
