// Takedown complaint packages, one per platform, built from a network's sellers: the rows a
// platform's IP-protection desk asks for (listing URLs, seller ids, trademark registrations,
// evidence hashes), as CSV (RFC 4180, spreadsheet-formula safe) and as JSON. Pure functions.
import type { NodeSummary } from '../api/node-summary.js';
import type { ListingExtrasData, SellerExtrasData, SellerPackageData } from '../api/operations.js';

export interface TrademarkRef {
  mark: string | null;
  jurisdiction: string | null;
  registrationNumber: string;
  class: number | null;
  customsRecordationNumber: string | null;
}

export interface ComplaintListing {
  url: string;
  title: string | null;
  unitsSold: number | null;
  price: number | null;
  currency: string | null;
  trademarks: TrademarkRef[];
  evidenceSha256: string[];
}

export interface ComplaintSeller {
  platform: string;
  accountId: string;
  displayName: string | null;
  legalName: string | null;
  businessLicenceNumber: string | null;
  storefrontUrls: string[];
  listings: ComplaintListing[];
  evidenceSha256: string[];
}

export interface ComplaintRow {
  platform: string;
  sellerAccountId: string;
  sellerName: string;
  sellerLegalName: string;
  businessLicenceNumber: string;
  storefrontUrl: string;
  listingUrl: string;
  listingTitle: string;
  unitsSold: string;
  price: string;
  trademarkRegistrations: string;
  customsRecordations: string;
  evidenceSha256: string;
}

export interface ComplaintPackage {
  format: 'palisade.takedown-complaint/1';
  network: { id: string; name: string };
  platform: string;
  generatedAt: string;
  sellers: number;
  listings: number;
  trademarks: TrademarkRef[];
  rows: ComplaintRow[];
}

export const CSV_COLUMNS: ReadonlyArray<keyof ComplaintRow> = [
  'platform',
  'sellerAccountId',
  'sellerName',
  'sellerLegalName',
  'businessLicenceNumber',
  'storefrontUrl',
  'listingUrl',
  'listingTitle',
  'unitsSold',
  'price',
  'trademarkRegistrations',
  'customsRecordations',
  'evidenceSha256',
];

const uniq = <T>(items: Iterable<T>): T[] => [...new Set(items)];

const markLabel = (t: TrademarkRef): string =>
  `${t.jurisdiction ?? ''} ${t.registrationNumber}${t.class !== null ? ` cl.${t.class}` : ''}`.trim();

function markKey(t: TrademarkRef): string {
  return `${t.jurisdiction ?? ''}|${t.registrationNumber}|${t.class ?? ''}`;
}

/** One package per platform the sellers are on, platforms in alphabetical order. */
export function buildComplaintPackages(
  network: { id: string; name: string },
  sellers: readonly ComplaintSeller[],
  generatedAt: string,
): ComplaintPackage[] {
  const byPlatform = new Map<string, ComplaintSeller[]>();
  for (const s of sellers) byPlatform.set(s.platform, [...(byPlatform.get(s.platform) ?? []), s]);
  return [...byPlatform.keys()].sort().map((platform) => {
    const group = byPlatform.get(platform) ?? [];
    const rows: ComplaintRow[] = [];
    const marks = new Map<string, TrademarkRef>();
    let listings = 0;
    for (const s of group) {
      const sellerRow = {
        platform,
        sellerAccountId: s.accountId,
        sellerName: s.displayName ?? '',
        sellerLegalName: s.legalName ?? '',
        businessLicenceNumber: s.businessLicenceNumber ?? '',
        storefrontUrl: s.storefrontUrls.join(' '),
      };
      const items: Array<ComplaintListing | null> = s.listings.length > 0 ? s.listings : [null];
      for (const l of items) {
        if (l) listings += 1;
        for (const t of l?.trademarks ?? []) marks.set(markKey(t), t);
        rows.push({
          ...sellerRow,
          listingUrl: l?.url ?? '',
          listingTitle: l?.title ?? '',
          unitsSold: l?.unitsSold !== null && l?.unitsSold !== undefined ? String(l.unitsSold) : '',
          price:
            l?.price !== null && l?.price !== undefined
              ? `${l.price.toFixed(2)}${l.currency ? ` ${l.currency}` : ''}`
              : '',
          trademarkRegistrations: uniq((l?.trademarks ?? []).map(markLabel)).join('; '),
          customsRecordations: uniq(
            (l?.trademarks ?? []).flatMap((t) =>
              t.customsRecordationNumber ? [t.customsRecordationNumber] : [],
            ),
          ).join('; '),
          evidenceSha256: uniq([...(l?.evidenceSha256 ?? []), ...s.evidenceSha256]).join(' '),
        });
      }
    }
    return {
      format: 'palisade.takedown-complaint/1',
      network,
      platform,
      generatedAt,
      sellers: group.length,
      listings,
      trademarks: [...marks.values()],
      rows,
    };
  });
}

/**
 * One CSV cell: quoted when needed; a cell a spreadsheet would run as a formula (=, @, +/- not
 * followed by a digit, tab, CR) is prefixed with an apostrophe. Phone-like "+86…" stays as it is.
 */
export function csvCell(value: string): string {
  const risky = /^[=@\t\r]/.test(value) || /^[+-](?![\d\s])/.test(value);
  const safe = risky ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The package's rows as CSV with a header line, CRLF line ends (RFC 4180). */
export function complaintCsv(pkg: ComplaintPackage): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of pkg.rows) lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function complaintJson(pkg: ComplaintPackage): string {
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** A file name safe on every OS: palisade-takedown-<network>-<platform>.<ext>. */
export function complaintFileName(pkg: ComplaintPackage, ext: 'csv' | 'json'): string {
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'x';
  return `palisade-takedown-${slug(pkg.network.name)}-${slug(pkg.platform)}.${ext}`;
}

const nodesOf = <T>(page: { edges: Array<{ node: { node: T } }> } | undefined): T[] =>
  (page?.edges ?? []).map((e) => e.node.node);

const hashesOf = (nodes: NodeSummary[]): string[] =>
  uniq(nodes.flatMap((n) => (n.__typename === 'Evidence' && n.sha256 ? [n.sha256] : [])));

function trademarkOf(n: NodeSummary): TrademarkRef | null {
  if (n.__typename !== 'Trademark' || !n.registrationNumber) return null;
  return {
    mark: n.mark ?? null,
    jurisdiction: n.markJurisdiction ?? null,
    registrationNumber: n.registrationNumber,
    class: n.class ?? null,
    customsRecordationNumber: n.customsRecordationNumber ?? null,
  };
}

/**
 * A seller as the SellerPackage query returns it, with each listing's ListingExtras (by listing
 * id) → the complaint's view of it; null when the node is not a seller.
 */
export function complaintSellerOf(
  data: SellerPackageData,
  extras: ReadonlyMap<string, ListingExtrasData> = new Map(),
  sellerExtras: SellerExtrasData = { node: null },
): ComplaintSeller | null {
  const s = data.node;
  if (!s || s.__typename !== 'Seller' || !s.accountId) return null;
  return {
    platform: s.sellerPlatform ?? 'unknown',
    accountId: s.accountId,
    displayName: s.displayName ?? null,
    legalName: s.legalName ?? null,
    businessLicenceNumber: s.businessLicenceNumber ?? null,
    storefrontUrls: uniq(
      nodesOf(sellerExtras.node?.storefronts).flatMap((f) => (f.url ? [f.url] : [])),
    ),
    evidenceSha256: hashesOf(nodesOf(sellerExtras.node?.evidence)),
    listings: nodesOf(s.listings)
      .filter((l) => l.__typename === 'Listing' && l.url)
      .map((l) => ({
        url: l.url ?? '',
        title: l.title ?? null,
        unitsSold: l.unitsSold ?? null,
        price: l.price?.amount ?? null,
        currency: l.price?.currency ?? null,
        trademarks: nodesOf(extras.get(l.id)?.node?.marks).flatMap((m) => {
          const t = trademarkOf(m);
          return t ? [t] : [];
        }),
        evidenceSha256: hashesOf(nodesOf(extras.get(l.id)?.node?.evidence)),
      })),
  };
}
