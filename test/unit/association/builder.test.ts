// A brand's member report, built from its own graph rows: only shareable tokens of the current key
// go in (never RED, never raw values or free text), networks are reduced to what is shared, and
// enforcement is counted per platform, region and category with outcomes read conservatively (an
// outcome that says it failed never counts as a success).
import { describe, expect, it } from 'vitest';
import {
  buildMemberReport,
  enforcementCells,
  periodRange,
  type EnforcementFact,
} from '../../../src/association/builder.js';
import { memberReportSchema } from '../../../src/association/report.js';
import type { ShareRow } from '../../../src/privacy/indicators.js';

const tok = (n: number, keyId = '2026-11') =>
  `${keyId}.${Buffer.alloc(64, n).toString('base64url')}`;
const row = (n: number, extra: Partial<ShareRow> = {}): ShareRow => ({
  kind: 'phone',
  token: tok(n),
  platforms: ['JD', 'taobao'],
  categories: ['Batteries'],
  firstSeen: '2026-11-02T10:11:12Z',
  lastSeen: '2026-11-20T01:00:00Z',
  listings: 3,
  tlp: 'GREEN',
  ...extra,
});
const fact = (kind: string, extra: Partial<EnforcementFact> = {}): EnforcementFact => ({
  kind,
  jurisdiction: 'CN',
  outcome: null,
  itemsSeized: null,
  arrests: null,
  platforms: ['jd'],
  categories: ['batteries'],
  ...extra,
});
const build = (parts: {
  rows?: ShareRow[];
  networks?: string[][];
  facts?: EnforcementFact[];
  defaultTlp?: 'GREEN' | 'RED';
}) =>
  buildMemberReport({
    period: '2026-11',
    version: 4,
    keyId: '2026-11',
    rows: parts.rows ?? [],
    networks: parts.networks ?? [],
    facts: parts.facts ?? [],
    defaultTlp: parts.defaultTlp ?? 'GREEN',
  });

describe('reporting periods', () => {
  it('spans the calendar month, December into the next year', () => {
    expect(periodRange('2026-02')).toEqual({ from: '2026-02-01', to: '2026-03-01' });
    expect(periodRange('2026-12')).toEqual({ from: '2026-12-01', to: '2027-01-01' });
  });
});

describe('the member report’s indicators', () => {
  it('carries tokens with coarse context only, and validates as a strict member report', () => {
    const report = build({ rows: [row(1)] });
    expect(report.indicators).toEqual([
      {
        token: tok(1),
        kind: 'phone',
        platforms: ['jd', 'taobao'],
        categories: ['batteries'],
        firstSeen: '2026-11-02',
        lastSeen: '2026-11-20',
      },
    ]);
    expect(() => memberReportSchema.parse(report)).not.toThrow();
    expect(report).toMatchObject({ schema: 'palisade.report.v1', period: '2026-11', version: 4 });
  });

  it('leaves out RED rows, rows of another OPRF key and kinds that are not indicators', () => {
    const report = build({
      rows: [
        row(1, { tlp: 'RED' }),
        row(2, { token: tok(2, '2026-10') }),
        row(3, { kind: 'listingUrl' }),
        row(4, { token: 'not-a-token' }),
        row(5),
      ],
    });
    expect(report.indicators.map((i) => i.token)).toEqual([tok(5)]);
  });

  it('shares nothing unmarked when the node’s default marking is RED', () => {
    const report = build({
      rows: [row(1, { tlp: null }), row(2, { tlp: 'AMBER' })],
      defaultTlp: 'RED',
    });
    expect(report.indicators.map((i) => i.token)).toEqual([tok(2)]);
  });

  it('coarsens unknown platforms and categories to "other"', () => {
    const [i] = build({
      rows: [row(1, { platforms: ['my-own-shop.example'], categories: ['secret project'] })],
    }).indicators;
    expect(i?.platforms).toEqual(['other']);
    expect(i?.categories).toEqual(['other']);
  });
});

describe('the member report’s networks', () => {
  it('keeps only shared tokens, once each, sorted, and drops networks left with one token', () => {
    const report = build({
      rows: [row(1), row(2), row(3), row(4, { tlp: 'RED' })],
      networks: [
        [tok(2), tok(1), tok(1), tok(9)],
        [tok(3), tok(4)],
        [tok(4), tok(8)],
      ],
    });
    expect(report.networks).toEqual([{ tokens: [tok(1), tok(2)].sort() }]);
  });
});

describe('enforcement cells', () => {
  it('counts each kind of action per platform, region and category', () => {
    const cells = enforcementCells([
      fact('TAKEDOWN', { outcome: 'Removed by platform' }),
      fact('TAKEDOWN', { outcome: 'pending review' }),
      fact('TEST_PURCHASE'),
      fact('RAID', { itemsSeized: 2_000_000.7, arrests: 16 }),
      fact('SEIZURE', { itemsSeized: 120 }),
      fact('CUSTOMS_DETENTION', { itemsSeized: -5, arrests: null }),
      fact('CRIMINAL_CASE', { outcome: 'defendants sentenced to 3 years' }),
      fact('CIVIL_SUIT', { outcome: 'judgment for the plaintiff, damages awarded' }),
      fact('ARREST', { arrests: 2 }),
    ]);
    expect(cells).toHaveLength(1);
    expect(cells[0]).toMatchObject({
      platform: 'jd',
      region: 'CN',
      category: 'batteries',
      takedownsRequested: 2,
      takedownsSucceeded: 1,
      testPurchases: 1,
      raids: 1,
      seizures: 2,
      itemsSeized: 2_000_120,
      arrests: 18,
      civilCases: 1,
      civilWon: 1,
      criminalCases: 1,
      criminalConvictions: 1,
    });
  });

  it.each([
    ['TAKEDOWN', 'unsuccessful: the platform refused', 'takedownsSucceeded'],
    ['TAKEDOWN', 'listing not removed', 'takedownsSucceeded'],
    ['TAKEDOWN', 'takedown request rejected', 'takedownsSucceeded'],
    ['CIVIL_SUIT', 'judgment for the defendant', 'civilWon'],
    ['CIVIL_SUIT', 'lost; no damages awarded', 'civilWon'],
    ['CRIMINAL_CASE', 'acquitted, not guilty', 'criminalConvictions'],
  ] as const)('does not count %s “%s” as a success', (kind, outcome, measure) => {
    const [cell] = enforcementCells([fact(kind, { outcome })]);
    expect(cell?.[measure]).toBe(0);
  });

  it('files actions without a known platform, region or category under "other"', () => {
    const [cell] = enforcementCells([
      fact('RAID', { platforms: [null, 'somewhere'], categories: [], jurisdiction: 'Guangdong' }),
    ]);
    expect(cell).toMatchObject({ platform: 'other', region: 'other', category: 'other', raids: 1 });
  });

  it('picks a known platform over "other" and sorts the cells', () => {
    const cells = enforcementCells([
      fact('RAID', { platforms: ['unknown-shop', 'taobao'] }),
      fact('RAID', { platforms: ['amazon'], jurisdiction: 'US' }),
    ]);
    expect(cells.map((c) => `${c.platform}|${c.region}`)).toEqual(['amazon|US', 'taobao|CN']);
  });

  it('puts its cells into the report without any outcome text', () => {
    const report = build({
      facts: [
        fact('TAKEDOWN', { outcome: 'seller Zhang San removed after complaint, see case 42' }),
      ],
    });
    expect(JSON.stringify(report)).not.toMatch(/Zhang|complaint|case 42/);
    expect(report.enforcement[0]?.takedownsSucceeded).toBe(1);
  });
});
