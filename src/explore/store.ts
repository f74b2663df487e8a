// The only code that runs cypher/explore/*: search, exact identifier lookup, bounded expansion,
// shortest paths and hub rankings, each row parsed with zod into GraphQL-ready objects.
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { toGraphObject } from '../graph/model.js';
import { refParams, type GraphRef } from './refs.js';

// A node's properties: a map whose values GraphQL reads field by field (checking each key here
// would cost more than the rest of the row's parsing, for what Neo4j already guarantees).
const Props = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'properties must be a map',
);
const NodeRow = z.object({ labels: z.array(z.string()), props: Props });
const SearchRow = NodeRow.extend({ score: z.number() });
const Total = z.object({ total: z.number().int() });
const ExpandRow = z.object({
  nodes: z.array(
    z.object({
      element: z.string(),
      labels: z.array(z.string()),
      props: Props,
      depth: z.number().int(),
      degree: z.number().int(),
    }),
  ),
  edges: z.array(
    z.object({ id: z.string(), type: z.string(), source: z.string(), target: z.string() }),
  ),
  truncated: z.boolean(),
});
const PathRow = z.object({
  nodes: z.array(z.object({ element: z.string(), labels: z.array(z.string()), props: Props })),
  rels: z.array(z.object({ type: z.string(), source: z.string() })),
});
const HubRow = NodeRow.extend({
  sellers: z.number().int(),
  listings: z.number().int(),
  reach: z.number().int(),
});

export type GraphObject = Record<string, unknown>;

export interface ExpandOptions {
  depth: number;
  budget: number;
  types: string[] | null;
  kinds: string[] | null;
  hubDegree: number;
  expandHubs: boolean;
}

export interface Expansion {
  nodes: Array<{ node: GraphObject; depth: number; degree: number; hub: boolean }>;
  edges: Array<{ id: string; type: string; source: string; target: string }>;
  truncated: boolean;
  budget: number;
}

export interface PathHop {
  type: string;
  direction: 'FORWARD' | 'BACKWARD';
  from: GraphObject;
  to: GraphObject;
}

export interface HubRecord {
  node: GraphObject;
  sellers: number;
  listings: number;
  reach: number;
}

export interface HubFilter {
  kinds: string[];
  factories: boolean;
  network: string | null;
}

/** Sellers sampled per hub for its reach, and the degree above which an identifier is skipped. */
const REACH_SAMPLE = 500;
const REACH_MAX_DEGREE = 1000;

const obj = (labels: string[], props: Record<string, unknown>) => toGraphObject(labels, props);

export class ExploreStore {
  constructor(private readonly db: Database) {}

  async search(
    query: string,
    filter: { labels: string[] | null; platform: string | null },
    page: { offset: number; limit: number },
  ): Promise<Array<{ node: GraphObject; score: number }>> {
    const rows = await this.db.read('explore/search', { query, ...filter, ...page });
    return rows.flatMap((raw) => {
      const r = SearchRow.parse(raw);
      const node = obj(r.labels, r.props);
      return node ? [{ node, score: r.score }] : [];
    });
  }

  async searchCount(
    query: string,
    filter: { labels: string[] | null; platform: string | null },
    cap: number,
  ): Promise<number> {
    const [row] = await this.db.read('explore/search-count', { query, ...filter, cap });
    return row ? Total.parse(row).total : 0;
  }

  async identifiers(refs: Array<{ kind: string; key: string }>): Promise<GraphObject[]> {
    if (refs.length === 0) return [];
    const rows = await this.db.read('explore/identifiers-by-key', { refs });
    return rows.flatMap((raw) => {
      const r = NodeRow.parse(raw);
      const node = obj(r.labels, r.props);
      return node ? [node] : [];
    });
  }

  /** The expansion's statement parameters (the benchmark runs the same statement directly). */
  static expandParams(start: GraphRef, o: ExpandOptions): Record<string, unknown> {
    // Spelled out: a spread followed by more fields is slow to build in V8, on every request.
    const { uid, kind, key } = refParams(start);
    return {
      uid,
      kind,
      key,
      depth: o.depth,
      budget: o.budget,
      perNode: o.budget + 1,
      hopCap: o.budget + 1,
      types: o.types,
      kinds: o.kinds,
      hubDegree: o.hubDegree,
      expandHubs: o.expandHubs,
    };
  }

  async expand(start: GraphRef, o: ExpandOptions): Promise<Expansion | null> {
    // A client reads a few fields of each drawn node: the rest are never converted.
    const [raw] = await this.db.read('explore/expand', ExploreStore.expandParams(start, o), {
      lazyProperties: 'props',
    });
    if (!raw) return null;
    const r = ExpandRow.parse(raw);
    const idOf = new Map<string, string>();
    const nodes: Expansion['nodes'] = [];
    for (const n of r.nodes) {
      const node = obj(n.labels, n.props);
      if (!node) continue;
      idOf.set(n.element, String(node['id']));
      nodes.push({
        node,
        depth: n.depth,
        degree: n.degree,
        hub: n.depth > 0 && !o.expandHubs && n.degree > o.hubDegree,
      });
    }
    const edges = r.edges.flatMap((e) => {
      const source = idOf.get(e.source);
      const target = idOf.get(e.target);
      return source && target ? [{ id: e.id, type: e.type, source, target }] : [];
    });
    return { nodes, edges, truncated: r.truncated, budget: o.budget };
  }

  async paths(
    from: GraphRef,
    to: GraphRef,
    o: { maxLength: number; types: string[] | null; maxDegree: number; limit: number },
  ): Promise<Array<{ length: number; hops: PathHop[] }>> {
    const f = refParams(from);
    const t = refParams(to);
    const rows = await this.db.read('explore/paths', {
      fromUid: f.uid,
      fromKind: f.kind,
      fromKey: f.key,
      toUid: t.uid,
      toKind: t.kind,
      toKey: t.key,
      ...o,
    });
    return rows.flatMap((raw) => {
      const r = PathRow.parse(raw);
      const nodes = r.nodes.map((n) => ({ element: n.element, node: obj(n.labels, n.props) }));
      const hops: PathHop[] = [];
      for (let i = 0; i < r.rels.length; i++) {
        const a = nodes[i];
        const b = nodes[i + 1];
        const rel = r.rels[i]!;
        if (!a?.node || !b?.node) return [];
        hops.push({
          type: rel.type,
          direction: rel.source === a.element ? 'FORWARD' : 'BACKWARD',
          from: a.node,
          to: b.node,
        });
      }
      return [{ length: hops.length, hops }];
    });
  }

  async hubs(filter: HubFilter, page: { offset: number; limit: number }): Promise<HubRecord[]> {
    const rows = await this.db.read('explore/hubs', {
      ...filter,
      ...page,
      sample: REACH_SAMPLE,
      maxDegree: REACH_MAX_DEGREE,
    });
    return rows.flatMap((raw) => {
      const r = HubRow.parse(raw);
      const node = obj(r.labels, r.props);
      return node ? [{ node, sellers: r.sellers, listings: r.listings, reach: r.reach }] : [];
    });
  }

  async hubCount(filter: HubFilter): Promise<number> {
    const [row] = await this.db.read('explore/hubs-count', { ...filter });
    return row ? Total.parse(row).total : 0;
  }
}
