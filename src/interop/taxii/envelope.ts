// TAXII 2.1 paging over one collection's objects: filters (added_after, match[type|id|version]),
// a stable cursor (`next` = the last (date_added, id) returned, so new objects do not shift pages)
// and the date-added range of a page. Pure.
import type { StixObject } from '../stix/mapping.js';

export interface CollectionEntry {
  object: StixObject;
  /** When the object (this version) entered the collection: its `modified` (or `created`). */
  dateAdded: string;
  version: string;
}

export interface PageQuery {
  limit: number;
  next?: string;
  addedAfter?: string;
  types?: readonly string[];
  ids?: readonly string[];
  versions?: readonly string[];
}

export interface Page {
  entries: CollectionEntry[];
  more: boolean;
  next?: string;
}

/** A query parameter TAXII defines that is malformed (answered 400). */
export class TaxiiQueryError extends Error {
  override readonly name = 'TaxiiQueryError';
}

export function toEntries(objects: readonly StixObject[]): CollectionEntry[] {
  return objects
    .map((object) => {
      const stamp = object['modified'] ?? object['created'];
      const version = typeof stamp === 'string' ? stamp : '';
      return { object, dateAdded: version, version };
    })
    .sort((a, b) =>
      a.dateAdded === b.dateAdded
        ? a.object.id < b.object.id
          ? -1
          : 1
        : a.dateAdded < b.dateAdded
          ? -1
          : 1,
    );
}

const encodeCursor = (e: CollectionEntry): string =>
  Buffer.from(`${e.dateAdded}\n${e.object.id}`, 'utf8').toString('base64url');

function decodeCursor(next: string): { dateAdded: string; id: string } {
  const text = Buffer.from(next, 'base64url').toString('utf8');
  const [dateAdded, id, extra] = text.split('\n');
  if (!dateAdded || !id || extra !== undefined) throw new TaxiiQueryError('next is not a cursor');
  return { dateAdded, id };
}

export function parseTimestamp(value: string, name: string): string {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(d.getTime())) {
    throw new TaxiiQueryError(`${name} must be a STIX timestamp`);
  }
  return d.toISOString();
}

export function page(all: readonly CollectionEntry[], q: PageQuery): Page {
  let rows = all;
  if (q.addedAfter !== undefined) {
    const after = q.addedAfter;
    rows = rows.filter((e) => e.dateAdded > after);
  }
  if (q.types && q.types.length > 0) {
    const types = new Set(q.types);
    rows = rows.filter((e) => types.has(e.object.type));
  }
  if (q.ids && q.ids.length > 0) {
    const ids = new Set(q.ids);
    rows = rows.filter((e) => ids.has(e.object.id));
  }
  // Each object has exactly one version here, so first/last/all all keep it; a timestamp selects.
  const stamps = (q.versions ?? []).filter((v) => !['first', 'last', 'all'].includes(v));
  if (stamps.length > 0) {
    const wanted = new Set(stamps.map((v) => parseTimestamp(v, 'match[version]')));
    rows = rows.filter((e) => wanted.has(e.version));
  }
  if (q.next !== undefined) {
    const c = decodeCursor(q.next);
    rows = rows.filter(
      (e) => e.dateAdded > c.dateAdded || (e.dateAdded === c.dateAdded && e.object.id > c.id),
    );
  }
  const entries = rows.slice(0, q.limit);
  const more = rows.length > entries.length;
  const last = entries[entries.length - 1];
  return { entries, more, ...(more && last && { next: encodeCursor(last) }) };
}
