// The only code that runs cypher/interop/export-*: reads the node's shareable content for a STIX
// export and coarsens it at the boundary (the same vocabularies as indicator bundles).
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { isTlp, type Tlp } from '../../federation/sharing-policy.js';
import { coarseCategory, coarseDay, coarsePlatform } from '../../privacy/indicators.js';
import { ShareRowSchema } from '../../privacy/store.js';
import type { ExportAction, ExportIndicator, ExportNetwork } from './mapping.js';

/** The most items of each kind one export reads (a bound on memory, not a page). */
export const EXPORT_LIMIT = 200_000;

// The same row as a share row, plus the raw value an analyst's local export may ask for.
const IndicatorRow = ShareRowSchema.extend({ raw: z.string().nullable() });
const NetworkRow = z.object({ id: z.string(), tokens: z.array(z.string()), tlp: z.unknown() });
const ActionRow = z.object({
  key: z.string(),
  kind: z.string(),
  date: z.string().nullable(),
  jurisdiction: z.string().nullable(),
  platforms: z.array(z.unknown()),
  itemsSeized: z.number().nullable(),
  arrests: z.number().nullable(),
  tokens: z.array(z.string()),
  tlp: z.unknown(),
});

const tags = (values: readonly unknown[], coarsen: (v: unknown) => string): string[] =>
  [...new Set(values.filter((v) => v !== null).map(coarsen))].sort();
// An unknown marking value is treated as RED: what we cannot read, we do not send.
const tlpOf = (v: unknown): Tlp => (isTlp(v) ? v : 'RED');
const count = (v: number | null): number | null =>
  v === null || !Number.isFinite(v) ? null : Math.max(0, Math.floor(v));

export class StixExportStore {
  constructor(
    private readonly db: Database,
    private readonly defaultTlp: Tlp,
  ) {}

  async indicators(includeRaw: boolean): Promise<ExportIndicator[]> {
    const rows = await this.db.read('interop/export-indicators', {
      defaultTlp: this.defaultTlp,
      includeRaw,
      limit: EXPORT_LIMIT,
    });
    return rows.map((raw) => {
      const r = IndicatorRow.parse(raw);
      return {
        token: r.token,
        kind: r.kind,
        platforms: tags(r.platforms, coarsePlatform),
        categories: tags(r.categories, coarseCategory),
        firstSeen: coarseDay(r.firstSeen),
        lastSeen: coarseDay(r.lastSeen),
        listings: Math.max(0, Math.floor(r.listings)),
        tlp: tlpOf(r.tlp),
        ...(includeRaw && r.raw !== null && { raw: { kind: r.kind, value: r.raw } }),
      };
    });
  }

  async networks(): Promise<ExportNetwork[]> {
    const rows = await this.db.read('interop/export-networks', {
      defaultTlp: this.defaultTlp,
      limit: EXPORT_LIMIT,
    });
    return rows.map((raw) => {
      const r = NetworkRow.parse(raw);
      return { id: r.id, tokens: r.tokens, tlp: tlpOf(r.tlp) };
    });
  }

  async actions(): Promise<ExportAction[]> {
    const rows = await this.db.read('interop/export-actions', {
      defaultTlp: this.defaultTlp,
      limit: EXPORT_LIMIT,
    });
    return rows.map((raw) => {
      const r = ActionRow.parse(raw);
      return {
        key: r.key,
        kind: r.kind,
        date: coarseDay(r.date),
        jurisdiction:
          r.jurisdiction !== null && /^[A-Z]{2,5}$/.test(r.jurisdiction) ? r.jurisdiction : null,
        platforms: tags(r.platforms, coarsePlatform),
        itemsSeized: count(r.itemsSeized),
        arrests: count(r.arrests),
        tokens: r.tokens,
        tlp: tlpOf(r.tlp),
      };
    });
  }
}
