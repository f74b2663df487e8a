// A brand's member report for one period, from its own graph: tokens with coarse context (the
// privacy module's bundle items, so RED and raw values never enter), networks as sets of tokens,
// and enforcement counted per (platform, region, category). Outcome texts are classified here
// and never leave. Pure.
import type { Tlp } from '../federation/sharing-policy.js';
import {
  coarseCategory,
  coarsePlatform,
  toBundleItem,
  type ShareRow,
} from '../privacy/indicators.js';
import {
  ENFORCEMENT_MEASURES,
  MEMBER_REPORT_TYPE,
  memberReportSchema,
  type EnforcementCell,
  type MemberReport,
} from './report.js';

export interface EnforcementFact {
  kind: string;
  jurisdiction: string | null;
  outcome: string | null;
  itemsSeized: number | null;
  arrests: number | null;
  platforms: readonly unknown[];
  categories: readonly unknown[];
}

/** [first day of the month, first day of the next) as ISO dates. */
export function periodRange(period: string): { from: string; to: string } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${period}-01`, to: `${next}-01` };
}

const SUCCEEDED = /success|removed|taken ?down|delisted|complete|done|closed by platform/i;
const WON =
  /\bwon\b|granted|in our favou?r|damages awarded|judgment for (?:the )?(?:plaintiff|claimant|us)\b|success/i;
const CONVICTED = /convict|guilty|sentenced|prison/i;
// "not removed", "unsuccessful", "acquitted, not guilty" contain the words above: an outcome that
// says it did not happen (or not yet) never counts, so published success rates are not inflated.
const NEGATED =
  /\b(?:not|no|never|unsuccessful(?:ly)?|fail(?:ed|s|ure)?|refused|rejected|denied|declined|dismissed|acquitt(?:ed|al)|lost|pending)\b/i;
const says = (positive: RegExp, outcome: string): boolean =>
  positive.test(outcome) && !NEGATED.test(outcome);

const first = (values: readonly unknown[], coarsen: (v: unknown) => string): string => {
  const known = values
    .filter((v) => v !== null)
    .map(coarsen)
    .sort();
  return known.find((v) => v !== 'other') ?? 'other';
};

export function enforcementCells(facts: readonly EnforcementFact[]): EnforcementCell[] {
  const cells = new Map<string, EnforcementCell>();
  for (const f of facts) {
    const platform = first(f.platforms, coarsePlatform);
    const region =
      f.jurisdiction !== null && /^[A-Z]{2}$/.test(f.jurisdiction) ? f.jurisdiction : 'other';
    const category = first(f.categories, coarseCategory);
    const key = `${platform}|${region}|${category}`;
    let c = cells.get(key);
    if (!c) {
      c = {
        platform,
        region,
        category,
        ...(Object.fromEntries(ENFORCEMENT_MEASURES.map((m) => [m, 0])) as Record<string, number>),
      } as EnforcementCell;
      cells.set(key, c);
    }
    const outcome = f.outcome ?? '';
    switch (f.kind) {
      case 'TAKEDOWN':
        c.takedownsRequested += 1;
        if (says(SUCCEEDED, outcome)) c.takedownsSucceeded += 1;
        break;
      case 'TEST_PURCHASE':
        c.testPurchases += 1;
        break;
      case 'RAID':
        c.raids += 1;
        break;
      case 'SEIZURE':
      case 'CUSTOMS_DETENTION':
        c.seizures += 1;
        break;
      case 'CIVIL_SUIT':
        c.civilCases += 1;
        if (says(WON, outcome)) c.civilWon += 1;
        break;
      case 'CRIMINAL_CASE':
        c.criminalCases += 1;
        if (says(CONVICTED, outcome)) c.criminalConvictions += 1;
        break;
      default:
        break;
    }
    if (f.itemsSeized !== null && f.itemsSeized > 0) c.itemsSeized += Math.floor(f.itemsSeized);
    if (f.arrests !== null && f.arrests > 0) c.arrests += Math.floor(f.arrests);
  }
  return [...cells.values()].sort((a, b) =>
    `${a.platform}|${a.region}|${a.category}` < `${b.platform}|${b.region}|${b.category}` ? -1 : 1,
  );
}

export function buildMemberReport(input: {
  period: string;
  version: number;
  keyId: string;
  rows: readonly ShareRow[];
  networks: readonly (readonly string[])[];
  facts: readonly EnforcementFact[];
  defaultTlp: Tlp;
}): MemberReport {
  const items = input.rows
    .map((r) => toBundleItem(r, input.keyId, input.defaultTlp))
    .filter((i) => i !== null);
  const shared = new Set(items.map((i) => i.token));
  return memberReportSchema.parse({
    schema: MEMBER_REPORT_TYPE,
    period: input.period,
    version: input.version,
    keyId: input.keyId,
    indicators: items.map((i) => ({
      token: i.token,
      kind: i.kind,
      platforms: i.platforms,
      categories: i.categories,
      firstSeen: i.firstSeen,
      lastSeen: i.lastSeen,
    })),
    // Only tokens that may be shared at all; a network of one token says nothing.
    networks: input.networks
      .map((n) => [...new Set(n)].filter((t) => shared.has(t)).sort())
      .filter((t) => t.length >= 2)
      .map((tokens) => ({ tokens })),
    enforcement: enforcementCells(input.facts),
  });
}
