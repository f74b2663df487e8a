// The chain of custody of one evidence item as a hash chain: each entry commits to the one before
// (canonical JSON, SHA-256, as the federation audit chain does), so an edited, removed or reordered
// entry shows on verification. Pure; the Neo4j store is custody-store.ts.
import { createHash } from 'node:crypto';
import { canonicalJson, type JsonValue } from '../federation/canonical-json.js';
import { GENESIS_HASH } from '../federation/audit-chain.js';

export const CUSTODY_ACTIONS = [
  'CAPTURE',
  'VIEW',
  'EXPORT',
  'TRANSFER',
  'DELETION_REQUEST',
] as const;
export type CustodyAction = (typeof CUSTODY_ACTIONS)[number];

// Domain separation: a custody hash is never mistaken for an audit hash or a file hash.
const HASH_PREFIX = 'palisade-custody-v1\n';
const HEX64 = /^[0-9a-f]{64}$/;

export interface CustodyFields {
  at: Date;
  action: CustodyAction;
  /** Who acted: the principal's subject (an analyst, `cli:<user>`, a peer). */
  actor: string;
  detail?: { [key: string]: JsonValue };
}

export interface CustodyEntry {
  /** The evidence item's uid ("Evidence:<key>"): an entry cannot be moved to another item. */
  item: string;
  seq: number;
  /** ISO 8601. */
  at: string;
  action: CustodyAction;
  actor: string;
  detail: { [key: string]: JsonValue };
  prevHash: string;
  hash: string;
}

export type CustodyProblem =
  'edited' | 'gap' | 'reordered' | 'broken-link' | 'truncated' | 'foreign';

export type CustodyVerdict =
  | { ok: true; entries: number; head: { seq: number; hash: string } | null }
  | { ok: false; entries: number; seq: number; problem: CustodyProblem };

export function hashCustodyEntry(entry: Omit<CustodyEntry, 'hash'>): string {
  const body = {
    item: entry.item,
    seq: entry.seq,
    at: entry.at,
    action: entry.action,
    actor: entry.actor,
    detail: entry.detail,
    prevHash: entry.prevHash,
  };
  return createHash('sha256')
    .update(HASH_PREFIX + canonicalJson(body), 'utf8')
    .digest('hex');
}

/** The entry that follows `prev` in `item`'s chain (or starts it when `prev` is null). */
export function nextCustodyEntry(
  item: string,
  prev: { seq: number; hash: string } | null,
  fields: CustodyFields,
): CustodyEntry {
  const body: Omit<CustodyEntry, 'hash'> = {
    item,
    seq: prev ? prev.seq + 1 : 1,
    at: fields.at.toISOString(),
    action: fields.action,
    actor: fields.actor,
    detail: fields.detail ?? {},
    prevHash: prev ? prev.hash : GENESIS_HASH,
  };
  return { ...body, hash: hashCustodyEntry(body) };
}

function intact(entry: CustodyEntry): boolean {
  if (!HEX64.test(entry.hash) || !(CUSTODY_ACTIONS as readonly string[]).includes(entry.action)) {
    return false;
  }
  try {
    return hashCustodyEntry(entry) === entry.hash;
  } catch {
    return false;
  }
}

/**
 * Verifies an item's whole chain in seq order. With `head` (kept on the item node, or in a signed
 * manifest) removing the newest entries is detected too.
 */
export function verifyCustodyChain(
  item: string,
  entries: readonly CustodyEntry[],
  head?: { seq: number; hash: string } | null,
): CustodyVerdict {
  let prev: { seq: number; hash: string } | null = null;
  const present = new Set(entries.map((e) => e.seq));
  for (const entry of entries) {
    const fail = (problem: CustodyProblem): CustodyVerdict => ({
      ok: false,
      entries: entries.length,
      seq: entry.seq,
      problem,
    });
    if (entry.item !== item) return fail('foreign');
    if (!intact(entry)) return fail('edited');
    const expected: number = prev ? prev.seq + 1 : 1;
    if (entry.seq !== expected) {
      return fail(entry.seq < expected || present.has(expected) ? 'reordered' : 'gap');
    }
    if (entry.prevHash !== (prev ? prev.hash : GENESIS_HASH)) return fail('broken-link');
    prev = { seq: entry.seq, hash: entry.hash };
  }
  if (head !== undefined) {
    const wanted = head ?? null;
    if (
      (wanted?.seq ?? 0) !== (prev?.seq ?? 0) ||
      (wanted?.hash ?? null) !== (prev?.hash ?? null)
    ) {
      return {
        ok: false,
        entries: entries.length,
        seq: (prev?.seq ?? 0) + 1,
        problem: (wanted?.seq ?? 0) > (prev?.seq ?? 0) ? 'truncated' : 'edited',
      };
    }
  }
  return { ok: true, entries: entries.length, head: prev };
}
