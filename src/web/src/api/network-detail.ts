// The Network query's answer → the network page's model: platforms counted from the members,
// a timeline from first sightings, cases and enforcement actions, damages per currency. Pure.
import type { NetworkDetail, TimelineEvent } from './explore-api.js';
import type {
  DamagesData,
  NetworkCore,
  NetworkLinkedData,
  NetworkMembersData,
} from './explore-operations.js';
import { labelOf, type NodeSummary } from './node-summary.js';

type NetworkRecord = NetworkCore &
  NonNullable<NetworkMembersData['network']> &
  NonNullable<NetworkLinkedData['network']>;

const PARTY_TYPES = new Set(['Seller', 'Factory', 'Company', 'Person']);

/** The server's damages (decimal strings) → the page's estimate; null when none was computed. */
export function damagesOf(d: DamagesData | null): NetworkDetail['damages'] {
  if (!d) return null;
  const p = d.parameters;
  return {
    params: {
      profitRate: Number(p.profitRate),
      ipContribution: Number(p.ipContributionRate),
      punitiveMultiplier: Number(p.punitiveMultiplier),
    },
    lines: d.lines.map((l) => ({ ...l })),
    rounding: d.rounding,
  };
}

export function networkDetailOf(
  n: NetworkRecord,
  damages: DamagesData | null,
  crossBrand: ReadonlyMap<string, number> = new Map(),
): NetworkDetail {
  const members: NodeSummary[] = n.members.edges.map((e) => e.node);
  const perPlatform = new Map<string, number>();
  for (const code of n.platforms) perPlatform.set(code, 0);
  for (const m of members) {
    if (m.__typename === 'Seller' && m.sellerPlatform) {
      perPlatform.set(m.sellerPlatform, (perPlatform.get(m.sellerPlatform) ?? 0) + 1);
    }
  }
  const timeline: TimelineEvent[] = [];
  for (const m of members) {
    if (PARTY_TYPES.has(m.__typename) && m.firstSeen) {
      timeline.push({
        date: m.firstSeen,
        kind: 'SEEN',
        label: `${labelOf(m)} first seen`,
        nodeId: m.id,
      });
    }
  }
  for (const c of n.cases) {
    const opened = c.openedOn ?? c.firstSeen;
    if (opened)
      timeline.push({
        date: opened,
        kind: 'CASE',
        label: `Case opened: ${labelOf(c)}`,
        nodeId: c.id,
      });
    if (c.closedOn)
      timeline.push({
        date: c.closedOn,
        kind: 'CASE',
        label: `Case closed: ${labelOf(c)}`,
        nodeId: c.id,
      });
  }
  for (const a of n.enforcementActions) {
    const date = a.date ?? a.firstSeen;
    if (date) timeline.push({ date, kind: 'ENFORCEMENT', label: labelOf(a), nodeId: a.id });
  }
  timeline.sort((a, b) => a.date.localeCompare(b.date));
  const hubIds = n.topHubs.map((h) => h.node.id);
  const matched = hubIds.filter((id) => (crossBrand.get(id) ?? 0) > 0).length;
  return {
    id: n.networkId,
    name: `Network ${n.networkId}`,
    size: n.size,
    members,
    hubs: n.topHubs.map((h) => ({
      node: h.node,
      degree: h.sellers,
      centrality: h.reach,
      ...(crossBrand.has(h.node.id) && { crossBrand: crossBrand.get(h.node.id) }),
    })),
    platforms: [...perPlatform.entries()]
      .map(([code, sellers]) => ({ code, sellers }))
      .sort((a, b) => b.sellers - a.sellers || a.code.localeCompare(b.code)),
    firstSeen: n.firstSeen,
    lastSeen: n.lastSeen,
    cases: n.cases,
    actions: n.enforcementActions,
    timeline,
    risk: {
      score: n.risk.score,
      reasons: n.risk.reasons.map((r) => `${r.description} (+${r.weight})`),
    },
    damages: damagesOf(damages),
    crossBrandMatches: crossBrand.size > 0 ? matched : null,
  };
}
