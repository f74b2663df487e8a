// The only code that runs cypher/privacy/*: cached own tokens, share rows, peers' indicators and
// bundles, cross-brand matches and partner lookups, parsed at the boundary into typed records.
import { z } from 'zod';
import type { Database, Tx } from '../db/database.js';
import { toGraphObject } from '../graph/model.js';
import type { ReceivedBundle, ShareRow } from './indicators.js';
import { INDICATOR_KINDS } from './indicators.js';

const KeyRow = z.object({ kind: z.string(), key: z.string() });
const TokenRow = z.object({ kind: z.string(), key: z.string(), token: z.string() });
/** One shareable identifier row as the share statements return it (also read by the STIX export). */
export const ShareRowSchema = z.object({
  kind: z.string(),
  token: z.string(),
  platforms: z.array(z.unknown()),
  categories: z.array(z.unknown()),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  listings: z.number(),
  tlp: z.unknown(),
});
const MatchRow = z.object({
  kind: z.string(),
  key: z.string(),
  labels: z.array(z.string()),
  props: z.record(z.string(), z.unknown()),
  keyId: z.string(),
  brandCount: z.number().int(),
  disclosed: z.array(z.string()),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  listings: z.number(),
  categories: z.array(z.string()),
  platforms: z.array(z.string()),
});

/** A cross-brand match: an own identifier other nodes reported, described without naming them. */
export interface CrossBrandMatch {
  kind: string;
  key: string;
  /** The identifier as a GraphQL object (the analyst's own data). */
  identifier: Record<string, unknown> | null;
  keyId: string;
  brandCount: number;
  disclosedBrands: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  listings: number;
  categories: string[];
  platforms: string[];
}

/** Which matches to read: all, or those of some identifiers, one entity or one network. */
export interface MatchFilter {
  kinds?: readonly string[] | null;
  identifiers?: readonly { kind: string; key: string }[] | null;
  uid?: string | null;
  networkId?: string | null;
}

export class PrivacyStore {
  constructor(private readonly db: Database) {}

  async identifiersWithoutToken(
    keyId: string,
    limit: number,
  ): Promise<{ kind: string; key: string }[]> {
    const rows = await this.db.read('privacy/identifiers-without-token', {
      keyId,
      kinds: [...INDICATOR_KINDS],
      limit,
    });
    return rows.map((r) => KeyRow.parse(r));
  }

  async storeOwnTokens(
    keyId: string,
    rows: readonly { kind: string; key: string; token: string }[],
  ): Promise<void> {
    await this.db.write('privacy/store-own-tokens', { keyId, rows: [...rows] });
  }

  async ownTokensFor(
    keyId: string,
    items: readonly { kind: string; key: string }[],
  ): Promise<Map<string, string>> {
    const rows = await this.db.read('privacy/own-tokens-for', { keyId, items: [...items] });
    const out = new Map<string, string>();
    for (const r of rows) {
      const t = TokenRow.parse(r);
      out.set(`${t.kind}\u0000${t.key}`, t.token);
    }
    return out;
  }

  async dropOtherKeyTokens(keyId: string): Promise<number> {
    let total = 0;
    for (;;) {
      const [r] = await this.db.write('privacy/drop-other-key-tokens', { keyId });
      const n = Number(r?.['dropped'] ?? 0);
      total += n;
      if (n < 10_000) return total;
    }
  }

  async shareRows(keyId: string, page: { offset: number; limit: number }): Promise<ShareRow[]> {
    const rows = await this.db.read('privacy/share-rows', { keyId, ...page });
    return rows.map((r) => ShareRowSchema.parse(r));
  }

  async knownTokens(tokens: readonly string[], defaultTlp: string): Promise<ShareRow[]> {
    const rows = await this.db.read('privacy/known-tokens', { tokens: [...tokens], defaultTlp });
    return rows.map((r) => ShareRowSchema.parse(r));
  }

  async psiItems(
    kinds: readonly string[],
    limit: number,
  ): Promise<{ kind: string; key: string }[]> {
    const rows = await this.db.read('privacy/psi-items', { kinds: [...kinds], limit });
    return rows.map((r) => KeyRow.parse(r));
  }

  /**
   * Applies one part of a peer's bundle inside the inbox transaction: an older version than the
   * one stored is ignored, a newer one first drops the peer's earlier indicators. Returns how many
   * of the bundle's tokens are tokens of this node's own identifiers (null when ignored). Two
   * round trips whatever the size of the part: the receiving side of sharing is one UNWIND.
   */
  async applyBundle(tx: Tx, peer: string, bundle: ReceivedBundle): Promise<number | null> {
    const [current] = await tx.run('privacy/bundle-get', { peer });
    const stored = typeof current?.['version'] === 'number' ? current['version'] : -1;
    if (bundle.version < stored) return null;
    const [applied] = await tx.run('privacy/bundle-apply', {
      peer,
      version: bundle.version,
      keyId: bundle.keyId,
      discloseIdentity: bundle.discloseIdentity,
      parts: bundle.parts,
      items: bundle.items.map((i) => ({
        token: i.token,
        kind: i.kind,
        platforms: i.platforms,
        categories: i.categories,
        firstSeen: i.firstSeen,
        lastSeen: i.lastSeen,
        listings: i.listings,
        tlp: i.tlp,
      })),
    });
    return Number(applied?.['matches'] ?? 0);
  }

  async matches(
    filter: MatchFilter,
    page: { offset: number; limit: number },
  ): Promise<CrossBrandMatch[]> {
    const rows = await this.db.read('privacy/matches', { ...params(filter), ...page });
    return rows.map((raw) => {
      const r = MatchRow.parse(raw);
      return {
        kind: r.kind,
        key: r.key,
        identifier: toGraphObject(r.labels, r.props),
        keyId: r.keyId,
        brandCount: r.brandCount,
        disclosedBrands: r.disclosed,
        firstSeen: r.firstSeen,
        lastSeen: r.lastSeen,
        listings: r.listings,
        categories: [...r.categories].sort(),
        platforms: [...r.platforms].sort(),
      };
    });
  }

  async countMatches(filter: MatchFilter): Promise<number> {
    const [r] = await this.db.read('privacy/matches-count', params(filter));
    return Number(r?.['total'] ?? 0);
  }
}

function params(filter: MatchFilter): Record<string, unknown> {
  return {
    kinds: filter.kinds && filter.kinds.length > 0 ? [...filter.kinds] : null,
    identifiers: filter.identifiers
      ? filter.identifiers.map((i) => ({ kind: i.kind, key: i.key }))
      : null,
    uid: filter.uid ?? null,
    networkId: filter.networkId ?? null,
  };
}
