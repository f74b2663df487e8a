// k-anonymous aggregation and federated clustering: what ≥ k members report is published with its
// brand count, what fewer report is absent entirely, networks join across members through shared
// tokens, statistics appear only where k members contribute, and no member is ever named.
import { describe, expect, it } from 'vitest';
import { aggregate, type MemberSubmission } from '../../../src/association/aggregate.js';
import {
  associationReportSchema,
  ENFORCEMENT_MEASURES,
  memberReportSchema,
  type EnforcementCell,
  type MemberReport,
} from '../../../src/association/report.js';
import { UnionFind } from '../../../src/association/union-find.js';

const tok = (n: number) => `2026-11.${Buffer.alloc(64, n).toString('base64url')}`;
const ind = (n: number, platform = 'jd') => ({
  token: tok(n),
  kind: 'phone' as const,
  platforms: [platform as 'jd'],
  categories: ['batteries' as const],
  firstSeen: '2026-11-02',
  lastSeen: '2026-11-20',
});
const cell = (platform: string, requested: number, succeeded: number): EnforcementCell =>
  ({
    platform: platform as 'jd',
    region: 'CN',
    category: 'batteries',
    ...(Object.fromEntries(ENFORCEMENT_MEASURES.map((m) => [m, 0])) as Record<string, number>),
    takedownsRequested: requested,
    takedownsSucceeded: succeeded,
  }) as EnforcementCell;

const report = (parts: Partial<MemberReport>): MemberReport =>
  memberReportSchema.parse({
    schema: 'palisade.report.v1',
    period: '2026-11',
    version: 1,
    keyId: '2026-11',
    indicators: [],
    networks: [],
    enforcement: [],
    ...parts,
  });

const MEMBERS = ['brand-alpha', 'brand-beta', 'brand-gamma', 'brand-delta'];

describe('union-find', () => {
  it('joins transitively and keeps disjoint sets apart', () => {
    const uf = new UnionFind();
    uf.union('a', 'b');
    uf.union('c', 'd');
    uf.union('b', 'c');
    uf.add('z');
    expect(uf.sets()).toEqual([['a', 'b', 'c', 'd'], ['z']]);
    expect(uf.find('a')).toBe(uf.find('d'));
  });
  it('handles long chains', () => {
    const uf = new UnionFind();
    for (let i = 0; i < 10_000; i++) uf.union(`n${i}`, `n${i + 1}`);
    expect(uf.sets()).toHaveLength(1);
  });
});

describe('k-anonymous aggregation (k = 3)', () => {
  const submissions: MemberSubmission[] = [
    {
      member: MEMBERS[0]!,
      report: report({
        indicators: [ind(1), ind(2), ind(9)],
        networks: [{ tokens: [tok(1), tok(10)] }],
        enforcement: [cell('jd', 10, 8)],
      }),
    },
    {
      member: MEMBERS[1]!,
      report: report({
        indicators: [ind(1, 'taobao'), ind(2)],
        networks: [{ tokens: [tok(10), tok(11)] }],
        enforcement: [cell('jd', 5, 1)],
      }),
    },
    {
      member: MEMBERS[2]!,
      report: report({
        indicators: [ind(1)],
        networks: [{ tokens: [tok(11), tok(12)] }],
        enforcement: [cell('jd', 5, 5), cell('taobao', 3, 3)],
      }),
    },
    {
      member: MEMBERS[3]!,
      report: report({
        indicators: [ind(3)],
        networks: [{ tokens: [tok(20), tok(21)] }],
        enforcement: [cell('taobao', 1, 0)],
      }),
    },
  ];
  const result = aggregate({ period: '2026-11', version: 7, k: 3, submissions });

  it('publishes a token reported by three members with brand count 3 and merged context', () => {
    const one = result.shared.indicators.find((i) => i.token === tok(1));
    expect(one).toMatchObject({
      brandCount: 3,
      platforms: ['jd', 'taobao'],
      categories: ['batteries'],
    });
  });

  it('publishes nothing about tokens reported by fewer than three members', () => {
    const text = JSON.stringify(result.shared);
    for (const n of [2, 3, 9, 20, 21]) expect(text).not.toContain(tok(n));
  });

  it('links networks across members through shared tokens and reports them at brand count ≥ k', () => {
    expect(result.shared.networks).toHaveLength(1);
    expect(result.shared.networks[0]).toMatchObject({ size: 4, brandCount: 3 });
  });

  it('tells each member only which of its own tokens sit in which network', () => {
    const id = result.shared.networks[0]!.id;
    expect(result.own.get(MEMBERS[0]!)).toEqual([{ networkId: id, tokens: [tok(1), tok(10)] }]);
    expect(result.own.get(MEMBERS[3]!)).toEqual([]);
  });

  it('publishes statistics only where three members contribute', () => {
    const jd = result.shared.statistics.find((s) => s.platform === 'jd' && s.region === '*');
    expect(jd).toMatchObject({ members: 3, takedownSuccessRate: 14 / 20 });
    expect(result.shared.statistics.some((s) => s.platform === 'taobao')).toBe(false);
    const all = result.shared.statistics.find(
      (s) => s.platform === '*' && s.region === '*' && s.category === '*',
    );
    expect(all?.members).toBe(4);
  });

  it('never names a member and validates as a published report', () => {
    const text = JSON.stringify(result.shared);
    for (const m of MEMBERS) expect(text).not.toContain(m);
    expect(() => associationReportSchema.parse({ ...result.shared, own: [] })).not.toThrow();
  });

  it('counts a member once however many times it appears', () => {
    const twice = aggregate({
      period: '2026-11',
      version: 1,
      k: 3,
      submissions: [submissions[0]!, submissions[0]!, submissions[1]!],
    });
    expect(twice.shared.indicators).toEqual([]);
    expect(twice.shared.statistics).toEqual([]);
  });

  it('refuses k below 2', () => {
    expect(() => aggregate({ period: '2026-11', version: 1, k: 1, submissions })).toThrow(
      RangeError,
    );
  });
});
