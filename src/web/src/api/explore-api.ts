// What the screens ask of the node, independent of how its schema spells it: search, expand,
// networks with damages and risk, dossiers. The implementation (api/explore.ts) maps it to the
// node's GraphQL and falls back to plain links where a domain is not served.
import type { NodeSummary } from './node-summary.js';
import type { Expansion } from '../graph/model.js';
import type { IdentifierKind } from '../kinds.js';
import type { DamagesData } from './explore-operations.js';

export interface SearchHit {
  node: NodeSummary;
  /** Why it matched: "exact identifier", "name", "title"… */
  matched?: string;
  /** The network the node belongs to, when the server says. */
  networkId?: string | null;
}

export interface ExpandOptions {
  depth: number;
  /** Only through these identifier kinds (all when empty). */
  through: readonly IdentifierKind[];
  /** The most nodes the server may return. */
  budget: number;
}

export interface DamagesParams {
  profitRate: number;
  ipContribution: number;
  punitiveMultiplier: number;
}

/** The seed's court formula: sales × 30% profit × 50% IP contribution × 2 punitive. */
export const DEFAULT_DAMAGES: DamagesParams = {
  profitRate: 0.3,
  ipContribution: 0.5,
  punitiveMultiplier: 2,
};

export interface DamagesLine {
  currency: string | null;
  listings: number;
  unitsSold: number;
  /** Decimal strings, exact as the server computed them. */
  grossSales: string;
  profit: string;
  ipShare: string;
  damages: string;
}

export interface DamagesEstimate {
  params: DamagesParams;
  /** One line per currency (currencies are never added together). */
  lines: DamagesLine[];
  /** How the server rounded, in words. */
  rounding?: string;
}

export interface TimelineEvent {
  date: string;
  kind: 'SEEN' | 'LISTING' | 'CASE' | 'ENFORCEMENT' | 'OTHER';
  label: string;
  nodeId?: string;
}

export interface Hub {
  node: NodeSummary;
  /** Sellers tied to it directly. */
  degree: number;
  /** Sellers within two sharing steps (the server's centrality). */
  centrality?: number | null;
  crossBrand?: number;
}

export interface NetworkDetail {
  id: string;
  name: string;
  size: number;
  members: NodeSummary[];
  hubs: Hub[];
  platforms: Array<{ code: string; sellers: number }>;
  firstSeen: string | null;
  lastSeen: string | null;
  cases: NodeSummary[];
  actions: NodeSummary[];
  timeline: TimelineEvent[];
  risk: { score: number; reasons: string[] } | null;
  damages: DamagesEstimate | null;
  crossBrandMatches: number | null;
}

export interface DossierResult {
  id: string;
  /** Where GET /dossiers/:id serves the archive. */
  url: string;
  fileName: string;
  sha256?: string | null;
}

export interface CustodyEntry {
  seq: number;
  at: string;
  action: string;
  actor: string | null;
  hash: string | null;
}

export interface EvidenceCustody {
  verified: boolean | null;
  problem: string | null;
  entries: CustodyEntry[];
}

/** A feature the node does not serve: the screen says so instead of failing. */
export class NotServedError extends Error {
  override name = 'NotServedError';
  constructor(readonly feature: string) {
    super(`This node does not serve ${feature} yet.`);
  }
}

export interface ExploreApi {
  readonly features: ReadonlySet<string>;
  search(query: string, kinds?: readonly string[]): Promise<SearchHit[]>;
  expand(id: string, options: ExpandOptions): Promise<Expansion>;
  /** The network a node is in (null when none). */
  networkOf(id: string): Promise<string | null>;
  network(id: string, damages: DamagesParams): Promise<NetworkDetail>;
  /** The network's damages with these parameters (null when the node does not estimate them). */
  damages(id: string, params: DamagesParams): Promise<DamagesData | null>;
  custody(evidenceId: string): Promise<EvidenceCustody>;
  /** A signed dossier of the network that `memberId` belongs to, restricted to `tlp`. */
  exportDossier(memberId: string, tlp?: string): Promise<DossierResult>;
  /** Identifier id → how many other brands reported it (empty when the node does not match). */
  crossBrandCounts(): Promise<Map<string, number>>;
}
