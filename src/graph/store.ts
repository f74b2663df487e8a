// The only code that runs cypher/graph/*: reads nodes of the infringer graph by key and their
// relationships, parsed at the boundary into GraphQL-ready objects.
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { toGraphObject, type NodeIdentifierKind } from './model.js';

const NodeRow = z.object({ labels: z.array(z.string()), props: z.record(z.string(), z.unknown()) });
const LinkRow = z.object({
  type: z.string(),
  outgoing: z.boolean(),
  rel: z.record(z.string(), z.unknown()),
  labels: z.array(z.string()),
  props: z.record(z.string(), z.unknown()),
});
const CountRow = z.object({ total: z.number().int() });

export type GraphObject = Record<string, unknown>;

/** A node of the graph as the links query addresses it. */
export type NodeRef = { uid: string } | { kind: NodeIdentifierKind; key: string };

export interface LinkFilter {
  types?: readonly string[] | null;
  labels?: readonly string[] | null;
  direction: 'OUT' | 'IN' | 'BOTH';
}

export interface LinkObject {
  type: string;
  direction: 'OUT' | 'IN';
  node: GraphObject;
  source: unknown;
  sources: unknown;
  observedAt: unknown;
  lastObservedAt: unknown;
  confidence: unknown;
}

export class GraphStore {
  constructor(private readonly db: Database) {}

  async entity(uid: string): Promise<GraphObject | null> {
    const [row] = await this.db.read('graph/entity-by-uid', { uid });
    return row ? this.toObject(row) : null;
  }

  async identifier(kind: NodeIdentifierKind, key: string): Promise<GraphObject | null> {
    const [row] = await this.db.read('graph/identifier-by-key', { kind, key });
    return row ? this.toObject(row) : null;
  }

  async links(
    node: NodeRef,
    filter: LinkFilter,
    page: { limit: number; offset: number },
  ): Promise<LinkObject[]> {
    const rows = await this.db.read(
      'graph/links',
      Object.assign(this.params(node, filter), { offset: page.offset, limit: page.limit }),
    );
    return rows.flatMap((raw) => {
      const row = LinkRow.parse(raw);
      const other = toGraphObject(row.labels, row.props);
      if (!other) return [];
      return [
        {
          type: row.type,
          direction: row.outgoing ? 'OUT' : 'IN',
          node: other,
          source: row.rel['source'] ?? null,
          sources: row.rel['sources'] ?? [],
          observedAt: row.rel['observedAt'] ?? null,
          lastObservedAt: row.rel['lastObservedAt'] ?? null,
          confidence: row.rel['confidence'] ?? null,
        } satisfies LinkObject,
      ];
    });
  }

  async countLinks(node: NodeRef, filter: LinkFilter): Promise<number> {
    const [row] = await this.db.read('graph/count-links', this.params(node, filter));
    return row ? CountRow.parse(row).total : 0;
  }

  private params(node: NodeRef, filter: LinkFilter) {
    return {
      uid: 'uid' in node ? node.uid : null,
      kind: 'kind' in node ? node.kind : null,
      key: 'key' in node ? node.key : null,
      types: filter.types && filter.types.length > 0 ? filter.types : null,
      labels: filter.labels && filter.labels.length > 0 ? filter.labels : null,
      direction: filter.direction,
    };
  }

  private toObject(raw: unknown): GraphObject | null {
    const row = NodeRow.parse(raw);
    return toGraphObject(row.labels, row.props);
  }
}
