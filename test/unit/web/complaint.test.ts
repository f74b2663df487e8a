// Takedown complaint packages: one per platform, every listing a row, CSV that spreadsheets read
// as data (quoted where needed, formulas defused), built from what the SellerPackage query returns.
import { describe, expect, it } from 'vitest';
import {
  buildComplaintPackages,
  complaintCsv,
  complaintFileName,
  complaintJson,
  complaintSellerOf,
  csvCell,
  type ComplaintSeller,
} from '../../../src/web/src/export/complaint.js';

const mark = {
  mark: 'VOLTARA',
  jurisdiction: 'CN',
  registrationNumber: '12345678',
  class: 9,
  customsRecordationNumber: 'T2020-12345',
};

const seller = (platform: string, accountId: string, listings: number): ComplaintSeller => ({
  platform,
  accountId,
  displayName: `Shop ${accountId}`,
  legalName: null,
  businessLicenceNumber: null,
  storefrontUrls: [`https://shop.example/${accountId}`],
  evidenceSha256: ['e'.repeat(64)],
  listings: Array.from({ length: listings }, (_, i) => ({
    url: `https://item.example/${accountId}/${i}`,
    title: `Power bank, "original", ${i}`,
    unitsSold: 100 + i,
    price: 59.9,
    currency: 'CNY',
    trademarks: [mark],
    evidenceSha256: [String(i).repeat(64).slice(0, 64)],
  })),
});

describe('complaint packages', () => {
  const packages = buildComplaintPackages(
    { id: 'nw-1', name: 'Network nw-1' },
    [seller('taobao', 's2', 1), seller('jd', 's1', 2), seller('jd', 's3', 0)],
    '2026-04-01T00:00:00.000Z',
  );

  it('makes one package per platform, alphabetically, with a row per listing', () => {
    expect(packages.map((p) => p.platform)).toEqual(['jd', 'taobao']);
    const jd = packages[0]!;
    expect(jd).toMatchObject({ sellers: 2, listings: 2, format: 'palisade.takedown-complaint/1' });
    // A seller without listings still gets a row, so the complaint names it.
    expect(jd.rows.map((r) => r.listingUrl)).toEqual([
      'https://item.example/s1/0',
      'https://item.example/s1/1',
      '',
    ]);
    expect(jd.trademarks).toEqual([mark]);
  });

  it('carries seller ids, trademark registrations, recordations and evidence hashes on each row', () => {
    const row = packages[0]!.rows[0]!;
    expect(row).toMatchObject({
      platform: 'jd',
      sellerAccountId: 's1',
      storefrontUrl: 'https://shop.example/s1',
      trademarkRegistrations: 'CN 12345678 cl.9',
      customsRecordations: 'T2020-12345',
      price: '59.90 CNY',
      unitsSold: '100',
    });
    expect(row.evidenceSha256.split(' ')).toEqual(['0'.repeat(64), 'e'.repeat(64)]);
  });

  it('writes RFC 4180 CSV with a header and quoted cells', () => {
    const csv = complaintCsv(packages[1]!);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'platform,sellerAccountId,sellerName,sellerLegalName,businessLicenceNumber,storefrontUrl,listingUrl,listingTitle,unitsSold,price,trademarkRegistrations,customsRecordations,evidenceSha256',
    );
    expect(lines[1]).toContain('"Power bank, ""original"", 0"');
    expect(lines).toHaveLength(3); // header, one row, and the final CRLF
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('defuses spreadsheet formulas but leaves phone numbers alone', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('+86 186 0000 0000')).toBe('+86 186 0000 0000');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(' padded ')).toBe('" padded "');
  });

  it('names files safely and round-trips the JSON', () => {
    expect(complaintFileName(packages[0]!, 'csv')).toBe('palisade-takedown-network-nw-1-jd.csv');
    expect(JSON.parse(complaintJson(packages[0]!))).toEqual(packages[0]);
  });

  it('reads a seller out of the SellerPackage answer and ignores anything else', () => {
    const s = complaintSellerOf(
      {
        node: {
          __typename: 'Seller',
          id: 'U2VsbGVy',
          accountId: '1000000',
          sellerPlatform: 'jd',
          displayName: 'Digital Lucky Store 0',
          listings: {
            edges: [
              {
                node: {
                  node: {
                    __typename: 'Listing',
                    id: 'l1',
                    url: 'https://item.jd.com/10000000.html',
                    title: '正品 20000mAh power bank',
                    unitsSold: 12,
                    price: { amount: 39.75, currency: 'CNY' },
                  },
                },
              },
            ],
          },
        },
      },
      new Map([
        [
          'l1',
          {
            node: {
              __typename: 'Listing',
              id: 'l1',
              marks: {
                edges: [
                  {
                    node: {
                      node: {
                        __typename: 'Trademark',
                        id: 'tm',
                        mark: mark.mark,
                        markJurisdiction: mark.jurisdiction,
                        registrationNumber: mark.registrationNumber,
                        class: mark.class,
                        customsRecordationNumber: mark.customsRecordationNumber,
                      },
                    },
                  },
                ],
              },
            },
          },
        ],
      ]),
      {
        node: {
          __typename: 'Seller',
          id: 'U2VsbGVy',
          storefronts: {
            edges: [
              {
                node: {
                  node: {
                    __typename: 'Storefront',
                    id: 'sf',
                    url: 'https://mall.jd.com/index-1000000.html',
                  },
                },
              },
            ],
          },
          evidence: {
            edges: [
              { node: { node: { __typename: 'Evidence', id: 'ev', sha256: 'f'.repeat(64) } } },
            ],
          },
        },
      },
    );
    expect(s).toMatchObject({
      platform: 'jd',
      accountId: '1000000',
      storefrontUrls: ['https://mall.jd.com/index-1000000.html'],
      evidenceSha256: ['f'.repeat(64)],
      listings: [{ url: 'https://item.jd.com/10000000.html', price: 39.75, trademarks: [mark] }],
    });
    expect(complaintSellerOf({ node: { __typename: 'Listing', id: 'x' } })).toBeNull();
    expect(complaintSellerOf({ node: null })).toBeNull();
  });
});
