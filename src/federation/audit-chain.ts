// The federation audit log as a hash chain: each entry commits to the one before, so an edited,
// deleted or reordered entry shows when the chain is verified. Pure; the Neo4j store is elsewhere.
import { createHash } from 'node:crypto';
import { canonicalJson, type JsonValue } from './canonical-json.js';

export const AUDIT_KINDS = [
  'sent',
  'received',
  'refused',
  'acknowledged',
  'policy',
  'query',
  'peer',
  'keys',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** The prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);
// Domain separation: an audit hash can never be mistaken for a hash of anything else we compute.
const HASH_PREFIX = 'palisade-audit-v1\n';
const MAX_DETAIL_BYTES = 2048;
const HEX64 = /^[0-9a-f]{64}$/;

/** What the caller supplies for a new entry. `detail` is small and holds no raw identifiers. */
export interface AuditFields {
  at: Date | string;
  kind: AuditKind;
  /** Peer node id, or null for local events. */
  peer: string | null;
  messageType: string | null;
  jti: string | null;
  /** A refusal reason code or policy rule. */
  reason?: string;
  detail?: { [key: string]: JsonValue };
}

export interface AuditEntry {
  seq: number;
  /** ISO 8601. */
  at: string;
  kind: AuditKind;
  peer: string | null;
  messageType: string | null;
  jti: string | null;
  reason?: string;
  detail: { [key: string]: JsonValue };
  prevHash: string;
  /** Lowercase hex SHA-256 over the canonical JSON of every other member. */
  hash: string;
}

/** A (seq, hash) pair kept outside the log, e.g. in a signed checkpoint. */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

export type ChainProblem = 'edited' | 'gap' | 'reordered' | 'broken-link' | 'truncated';
export type ChainVerdict =
  | { ok: true; head: ChainAnchor | null }
  | { ok: false; seq: number; index: number; problem: ChainProblem };

/** A programming mistake in the fields given to appendEntry. */
export class AuditEntryError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'AuditEntryError';
  }
}

function hashable(entry: Omit<AuditEntry, 'hash'>): Record<string, unknown> {
  // Only the known members: a store may add its own (an internal id) without changing the hash.
  return {
    seq: entry.seq,
    at: entry.at,
    kind: entry.kind,
    peer: entry.peer,
    messageType: entry.messageType,
    jti: entry.jti,
    reason: entry.reason,
    detail: entry.detail,
    prevHash: entry.prevHash,
  };
}

/** The hash an entry must carry. */
export function hashEntry(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256')
    .update(HASH_PREFIX + canonicalJson(hashable(entry)), 'utf8')
    .digest('hex');
}

function boundedOrNull(value: unknown, name: string, max: number): void {
  if (value !== null && (typeof value !== 'string' || value.length === 0 || value.length > max)) {
    throw new AuditEntryError(`${name} must be null or a string of 1–${max} characters`);
  }
}

/** The entry that follows `prev` (or starts the chain when `prev` is null). */
export function appendEntry(prev: AuditEntry | null, fields: AuditFields): AuditEntry {
  const at = typeof fields.at === 'string' ? new Date(fields.at) : fields.at;
  if (Number.isNaN(at.getTime())) throw new AuditEntryError('at must be a valid date');
  if (!(AUDIT_KINDS as readonly string[]).includes(fields.kind))
    throw new AuditEntryError('unknown audit kind');
  boundedOrNull(fields.peer, 'peer', 256);
  boundedOrNull(fields.messageType, 'messageType', 128);
  boundedOrNull(fields.jti, 'jti', 64);
  if (fields.reason !== undefined) boundedOrNull(fields.reason, 'reason', 64);
  const detail = fields.detail ?? {};
  if (Buffer.byteLength(canonicalJson(detail)) > MAX_DETAIL_BYTES) {
    throw new AuditEntryError(`detail must stay under ${MAX_DETAIL_BYTES} bytes of JSON`);
  }
  const body: Omit<AuditEntry, 'hash'> = {
    seq: prev ? prev.seq + 1 : 1,
    at: at.toISOString(),
    kind: fields.kind,
    peer: fields.peer,
    messageType: fields.messageType,
    jti: fields.jti,
    ...(fields.reason !== undefined ? { reason: fields.reason } : {}),
    detail,
    prevHash: prev ? prev.hash : GENESIS_HASH,
  };
  return { ...body, hash: hashEntry(body) };
}

function contentIntact(entry: AuditEntry): boolean {
  if (typeof entry !== 'object' || entry === null) return false;
  if (!Number.isSafeInteger(entry.seq) || typeof entry.hash !== 'string' || !HEX64.test(entry.hash))
    return false;
  try {
    return hashEntry(entry) === entry.hash;
  } catch {
    return false; // values with no canonical form were not written by appendEntry
  }
}

/**
 * Verify a run of entries in the order the store returned them (by seq). Without `anchor` the run
 * must start at seq 1. Deleting the newest entries is only detectable against a `head` kept
 * elsewhere; rewriting the whole chain after an edit only against an anchor or head.
 */
export function verifyChain(
  entries: readonly AuditEntry[],
  options: { anchor?: ChainAnchor; head?: ChainAnchor } = {},
): ChainVerdict {
  const present = new Set(entries.map((e) => e.seq));
  let prev: ChainAnchor | null = options.anchor ?? null;
  let atHead: AuditEntry | undefined;
  for (const [index, entry] of entries.entries()) {
    if (!contentIntact(entry)) return { ok: false, seq: entry.seq, index, problem: 'edited' };
    const expected = prev ? prev.seq + 1 : 1;
    if (entry.seq !== expected) {
      // A missing seq that turns up later was moved; one that never appears was deleted.
      const problem = entry.seq < expected || present.has(expected) ? 'reordered' : 'gap';
      return { ok: false, seq: entry.seq, index, problem };
    }
    if (entry.prevHash !== (prev ? prev.hash : GENESIS_HASH)) {
      return { ok: false, seq: entry.seq, index, problem: 'broken-link' };
    }
    if (options.head && entry.seq === options.head.seq) atHead = entry;
    prev = { seq: entry.seq, hash: entry.hash };
  }
  if (options.head) {
    if (!atHead) {
      return { ok: false, seq: (prev?.seq ?? 0) + 1, index: entries.length, problem: 'truncated' };
    }
    if (atHead.hash !== options.head.hash) {
      return { ok: false, seq: atHead.seq, index: entries.indexOf(atHead), problem: 'edited' };
    }
  }
  return { ok: true, head: prev };
}
