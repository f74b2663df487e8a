// The cross-brand report with k-anonymity, computed from each member's latest report for a period.
// Only what at least k DISTINCT members reported is published: tokens, cross-brand networks (tokens
// linked by co-occurring in members' networks, union-find) and enforcement statistics (per cell
// and per rollup). Nothing below k appears at all, and no output field can name a member: members
// enter only as counts. Pure and deterministic.
import { createHash } from 'node:crypto';
import {
  ASSOCIATION_REPORT_TYPE,
  ENFORCEMENT_MEASURES,
  type AssociationReport,
  type EnforcementMeasure,
  type MemberReport,
  type PublishedIndicator,
  type PublishedNetwork,
  type PublishedStatistic,
} from './report.js';
import { UnionFind } from './union-find.js';

export interface MemberSubmission {
  member: string;
  report: MemberReport;
}

/** What every member receives, and per member the mapping of its own tokens onto networks. */
export interface Aggregate {
  shared: Omit<AssociationReport, 'own'>;
  own: Map<string, AssociationReport['own']>;
}

interface TokenFacts {
  kind: string;
  members: Set<string>;
  platforms: Set<string>;
  categories: Set<string>;
  firstSeen: string | null;
  lastSeen: string | null;
}

const minDay = (a: string | null, b: string | null) =>
  a === null ? b : b === null ? a : a < b ? a : b;
const maxDay = (a: string | null, b: string | null) =>
  a === null ? b : b === null ? a : a > b ? a : b;

/** A network id that depends only on its tokens (the same cluster keeps its id across versions). */
export function networkId(tokens: readonly string[]): string {
  return createHash('sha256')
    .update([...tokens].sort().join('\n'))
    .digest('base64url')
    .slice(0, 22);
}

function facts(submissions: readonly MemberSubmission[]): Map<string, TokenFacts> {
  const byToken = new Map<string, TokenFacts>();
  const touch = (token: string, kind: string, member: string): TokenFacts => {
    let f = byToken.get(token);
    if (!f) {
      f = {
        kind,
        members: new Set(),
        platforms: new Set(),
        categories: new Set(),
        firstSeen: null,
        lastSeen: null,
      };
      byToken.set(token, f);
    }
    f.members.add(member);
    return f;
  };
  for (const { member, report } of submissions) {
    const kinds = new Map(report.indicators.map((i) => [i.token, i.kind]));
    for (const i of report.indicators) {
      const f = touch(i.token, i.kind, member);
      i.platforms.forEach((p) => f.platforms.add(p));
      i.categories.forEach((c) => f.categories.add(c));
      f.firstSeen = minDay(f.firstSeen, i.firstSeen);
      f.lastSeen = maxDay(f.lastSeen, i.lastSeen);
    }
    // A network token the member did not list as an indicator still counts as reported by it.
    for (const n of report.networks)
      for (const t of n.tokens) touch(t, kinds.get(t) ?? byToken.get(t)?.kind ?? 'other', member);
  }
  return byToken;
}

function clusters(
  submissions: readonly MemberSubmission[],
  byToken: Map<string, TokenFacts>,
  k: number,
) {
  const uf = new UnionFind();
  for (const { report } of submissions) {
    for (const n of report.networks) {
      const [first, ...rest] = n.tokens;
      if (first === undefined) continue;
      uf.add(first);
      for (const t of rest) uf.union(first, t);
    }
  }
  const out: { network: PublishedNetwork; tokens: string[] }[] = [];
  for (const tokens of uf.sets()) {
    if (tokens.length < 2) continue;
    const members = new Set<string>();
    const platforms = new Set<string>();
    const categories = new Set<string>();
    let firstSeen: string | null = null;
    let lastSeen: string | null = null;
    for (const t of tokens) {
      const f = byToken.get(t);
      if (!f) continue;
      f.members.forEach((m) => members.add(m));
      f.platforms.forEach((p) => platforms.add(p));
      f.categories.forEach((c) => categories.add(c));
      firstSeen = minDay(firstSeen, f.firstSeen);
      lastSeen = maxDay(lastSeen, f.lastSeen);
    }
    if (members.size < k) continue;
    out.push({
      tokens,
      network: {
        id: networkId(tokens),
        size: tokens.length,
        brandCount: members.size,
        platforms: [...platforms].sort(),
        categories: [...categories].sort(),
        firstSeen,
        lastSeen,
      },
    });
  }
  return out;
}

const zeroTotals = (): Record<EnforcementMeasure, number> =>
  Object.fromEntries(ENFORCEMENT_MEASURES.map((m) => [m, 0])) as Record<EnforcementMeasure, number>;

/** Rollups published beside the full cells: (platform), (region), (category) and the grand total. */
const ROLLUPS: readonly (readonly ('platform' | 'region' | 'category')[])[] = [
  ['platform', 'region', 'category'],
  ['platform'],
  ['region'],
  ['category'],
  [],
];

function statistics(submissions: readonly MemberSubmission[], k: number): PublishedStatistic[] {
  const cells = new Map<
    string,
    {
      key: Record<'platform' | 'region' | 'category', string>;
      members: Set<string>;
      totals: Record<EnforcementMeasure, number>;
    }
  >();
  for (const { member, report } of submissions) {
    for (const c of report.enforcement) {
      for (const dims of ROLLUPS) {
        const key = {
          platform: dims.includes('platform') ? c.platform : '*',
          region: dims.includes('region') ? c.region : '*',
          category: dims.includes('category') ? c.category : '*',
        };
        const id = `${key.platform}|${key.region}|${key.category}`;
        let cell = cells.get(id);
        if (!cell) {
          cell = { key, members: new Set(), totals: zeroTotals() };
          cells.set(id, cell);
        }
        cell.members.add(member);
        for (const m of ENFORCEMENT_MEASURES) cell.totals[m] += c[m];
      }
    }
  }
  return [...cells.entries()]
    .filter(([, c]) => c.members.size >= k)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, c]) => ({
      ...c.key,
      members: c.members.size,
      totals: c.totals,
      takedownSuccessRate:
        c.totals.takedownsRequested > 0
          ? Math.min(1, c.totals.takedownsSucceeded / c.totals.takedownsRequested)
          : null,
    }));
}

/**
 * Aggregates one period. `submissions` must hold each member's latest report for the period only
 * (the store keeps nothing else); a member appearing twice is counted once.
 */
export function aggregate(input: {
  period: string;
  version: number;
  k: number;
  submissions: readonly MemberSubmission[];
}): Aggregate {
  if (!Number.isInteger(input.k) || input.k < 2) throw new RangeError('k must be an integer ≥ 2');
  const submissions = input.submissions.filter((s) => s.report.period === input.period);
  const byToken = facts(submissions);
  const indicators: PublishedIndicator[] = [...byToken.entries()]
    .filter(([, f]) => f.members.size >= input.k)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([token, f]) => ({
      token,
      kind: f.kind,
      brandCount: f.members.size,
      platforms: [...f.platforms].sort(),
      categories: [...f.categories].sort(),
      firstSeen: f.firstSeen,
      lastSeen: f.lastSeen,
    }));
  const nets = clusters(submissions, byToken, input.k);
  // Each member learns only where ITS OWN tokens sit: other members' tokens below k stay unseen.
  const own = new Map<string, AssociationReport['own']>();
  for (const { member, report } of submissions) {
    const mine = new Set([
      ...report.indicators.map((i) => i.token),
      ...report.networks.flatMap((n) => n.tokens),
    ]);
    own.set(
      member,
      nets
        .map((n) => ({ networkId: n.network.id, tokens: n.tokens.filter((t) => mine.has(t)) }))
        .filter((x) => x.tokens.length > 0),
    );
  }
  return {
    shared: {
      schema: ASSOCIATION_REPORT_TYPE,
      period: input.period,
      version: input.version,
      k: input.k,
      indicators: indicators.filter((i) => i.kind !== 'other'),
      networks: nets.map((n) => n.network),
      statistics: statistics(submissions, input.k),
    },
    own,
  };
}
