// Shared indicators: what a brand may tell peers about its own identifiers, and nothing more.
// A bundle item is an OPRF token plus coarse context from closed vocabularies — identifier kind,
// platform codes from a fixed list, product categories from a fixed list, first/last seen as a
// day, a count of listings, a TLP marking. No field ever carries text the analyst typed or the
// graph stored (values, names, URLs, descriptions): anything outside the vocabularies becomes
// "other", so an odd platform code or a category holding a shop's name cannot leak. Receivers
// validate the same rules strictly and refuse anything else. Pure.
import { z } from 'zod';
import { isTlp, type ItemRef, type Tlp } from '../federation/sharing-policy.js';
import { parseToken, TokenFormatError } from './token.js';

export const INDICATORS_MESSAGE_TYPE = 'palisade.indicators.v1';

/** The identifier kinds that become tokens (the graph's identifier node kinds). */
export const INDICATOR_KINDS = [
  'phone',
  'email',
  'address',
  'paymentAccount',
  'domain',
  'messagingHandle',
  'waybill',
] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/** Marketplaces and platforms named by code; a shop's own website is "website", others "other". */
export const PLATFORM_CODES = [
  'jd',
  'taobao',
  'tmall',
  'pinduoduo',
  'douyin',
  'kuaishou',
  'xiaohongshu',
  'wechat',
  'weibo',
  '1688',
  'alibaba',
  'aliexpress',
  'amazon',
  'ebay',
  'shopee',
  'lazada',
  'temu',
  'shein',
  'walmart',
  'etsy',
  'mercadolibre',
  'rakuten',
  'coupang',
  'facebook',
  'instagram',
  'tiktok',
  'telegram',
  'whatsapp',
  'dhgate',
  'website',
  'other',
] as const;

/** Product categories, coarse enough to say nothing about a brand's catalogue. */
export const CATEGORIES = [
  'apparel',
  'footwear',
  'bags',
  'accessories',
  'watches',
  'jewelry',
  'cosmetics',
  'fragrance',
  'personal-care',
  'electronics',
  'batteries',
  'phones',
  'computers',
  'toys',
  'sporting-goods',
  'auto-parts',
  'industrial',
  'pharmaceuticals',
  'medical-devices',
  'food',
  'beverages',
  'alcohol',
  'tobacco',
  'home',
  'software',
  'media',
  'other',
] as const;

const PLATFORM_SET: ReadonlySet<string> = new Set(PLATFORM_CODES);
const CATEGORY_SET: ReadonlySet<string> = new Set(CATEGORIES);
/** At most this many platforms / categories per item. */
const MAX_TAGS = 8;
/** Items per message: one envelope stays well under the inbox's 1 MiB. */
export const BUNDLE_PART_ITEMS = 1000;
const MAX_LISTINGS = 1_000_000;

const slug = (v: string): string =>
  v
    .normalize('NFKC')
    .toLowerCase()
    .trim()
    .replace(/[\s_]+/g, '-');

/** A platform code as shared: known codes as they are, everything else "other". */
export function coarsePlatform(code: unknown): string {
  if (typeof code !== 'string') return 'other';
  const s = slug(code);
  return PLATFORM_SET.has(s) ? s : 'other';
}

/** A category as shared: a known category (or its plural/singular), else "other". */
export function coarseCategory(category: unknown): string {
  if (typeof category !== 'string') return 'other';
  const s = slug(category);
  if (CATEGORY_SET.has(s)) return s;
  if (CATEGORY_SET.has(`${s}s`)) return `${s}s`;
  if (s.endsWith('s') && CATEGORY_SET.has(s.slice(0, -1))) return s.slice(0, -1);
  return 'other';
}

/** An instant coarsened to its UTC day, or null. */
export function coarseDay(value: unknown): string | null {
  if (typeof value !== 'string' && !(value instanceof Date)) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().slice(0, 10);
}

function tags(values: readonly unknown[], coarsen: (v: unknown) => string): string[] {
  return [...new Set(values.map(coarsen))].sort().slice(0, MAX_TAGS);
}

/** One own identifier, as the store reads it (it may hold anything; the builder keeps little). */
export interface ShareRow {
  kind: string;
  token: string;
  platforms: readonly unknown[];
  categories: readonly unknown[];
  firstSeen: unknown;
  lastSeen: unknown;
  listings: unknown;
  tlp: unknown;
}

export interface BundleItem {
  ref: string;
  token: string;
  kind: IndicatorKind;
  platforms: string[];
  categories: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  listings: number;
  tlp: Exclude<Tlp, 'RED'>;
}

export interface BundlePayload {
  schema: typeof INDICATORS_MESSAGE_TYPE;
  /** Increases with every share; a newer version replaces the sender's earlier bundle. */
  version: number;
  part: number;
  parts: number;
  keyId: string;
  /** The sender lets the receiver's analysts see its name on matches. */
  discloseIdentity: boolean;
  items: BundleItem[];
}

/** The item ref the exit policy reads the current marking of. */
export const indicatorRef = (token: string): string => `ind:${token}`;

/** Builds one shareable item, or null when the row may not be shared (RED, bad token or kind). */
export function toBundleItem(row: ShareRow, keyId: string, defaultTlp: Tlp): BundleItem | null {
  if (!(INDICATOR_KINDS as readonly string[]).includes(row.kind)) return null;
  try {
    if (parseToken(row.token).keyId !== keyId) return null;
  } catch (e) {
    if (e instanceof TokenFormatError) return null;
    throw e;
  }
  const tlp = isTlp(row.tlp) ? row.tlp : defaultTlp;
  if (tlp === 'RED') return null;
  const listings =
    typeof row.listings === 'number' && Number.isFinite(row.listings)
      ? Math.min(MAX_LISTINGS, Math.max(0, Math.floor(row.listings)))
      : 0;
  return {
    ref: indicatorRef(row.token),
    token: row.token,
    kind: row.kind as IndicatorKind,
    platforms: tags(row.platforms, coarsePlatform),
    categories: tags(row.categories, coarseCategory),
    firstSeen: coarseDay(row.firstSeen),
    lastSeen: coarseDay(row.lastSeen),
    listings,
    tlp,
  };
}

/**
 * What a partner query may confirm about the node's own tokens it was asked about: the same items
 * and rules as a bundle (RED never confirmed, context coarsened), each under its token's own key id.
 */
export function knownIndicators(rows: readonly ShareRow[], defaultTlp: Tlp): BundleItem[] {
  return rows.flatMap((r) => {
    let keyId: string;
    try {
      keyId = parseToken(r.token).keyId;
    } catch (e) {
      if (e instanceof TokenFormatError) return [];
      throw e;
    }
    const item = toBundleItem(r, keyId, defaultTlp);
    return item ? [item] : [];
  });
}

/** Splits a share into message payloads (parts) and the item refs each one carries. */
export function buildBundles(input: {
  rows: readonly ShareRow[];
  keyId: string;
  version: number;
  discloseIdentity: boolean;
  defaultTlp: Tlp;
  partItems?: number;
}): { payload: BundlePayload; items: ItemRef[] }[] {
  const items = input.rows
    .map((r) => toBundleItem(r, input.keyId, input.defaultTlp))
    .filter((i): i is BundleItem => i !== null);
  const size = input.partItems ?? BUNDLE_PART_ITEMS;
  const parts = Math.max(1, Math.ceil(items.length / size));
  const out: { payload: BundlePayload; items: ItemRef[] }[] = [];
  for (let p = 0; p < parts; p++) {
    const slice = items.slice(p * size, (p + 1) * size);
    out.push({
      payload: {
        schema: INDICATORS_MESSAGE_TYPE,
        version: input.version,
        part: p + 1,
        parts,
        keyId: input.keyId,
        discloseIdentity: input.discloseIdentity,
        items: slice,
      },
      items: slice.map((i) => ({ ref: i.ref, tlp: i.tlp })),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// What a receiver accepts: exactly these members, exactly these vocabularies.

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .nullable();
const itemSchema = z
  .object({
    ref: z.string().max(256),
    token: z.string().max(200),
    kind: z.enum(INDICATOR_KINDS),
    platforms: z.array(z.enum(PLATFORM_CODES)).max(MAX_TAGS),
    categories: z.array(z.enum(CATEGORIES)).max(MAX_TAGS),
    firstSeen: day,
    lastSeen: day,
    listings: z.number().int().min(0).max(MAX_LISTINGS),
    tlp: z.enum(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT']),
  })
  .strict();

export const bundlePayloadSchema = z
  .object({
    schema: z.literal(INDICATORS_MESSAGE_TYPE),
    version: z.number().int().min(0),
    part: z.number().int().min(1),
    parts: z.number().int().min(1).max(100_000),
    keyId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    discloseIdentity: z.boolean(),
    items: z.array(itemSchema).max(BUNDLE_PART_ITEMS * 5),
  })
  .strict()
  .superRefine((b, ctx) => {
    for (const [i, item] of b.items.entries()) {
      let keyId: string;
      try {
        keyId = parseToken(item.token).keyId;
      } catch {
        ctx.addIssue({ code: 'custom', path: ['items', i, 'token'], message: 'not a token' });
        continue;
      }
      if (keyId !== b.keyId) {
        ctx.addIssue({ code: 'custom', path: ['items', i, 'token'], message: 'key id differs' });
      }
      if (item.ref !== indicatorRef(item.token)) {
        ctx.addIssue({ code: 'custom', path: ['items', i, 'ref'], message: 'ref differs' });
      }
    }
  });

export type ReceivedBundle = z.infer<typeof bundlePayloadSchema>;
