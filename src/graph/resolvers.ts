// Resolvers of the infringer graph's types: node(id) loaders for every type, links of any node,
// and the few derived fields (money, the platform of a seller, a mark's customs recordation).
import type { Database } from '../db/database.js';
import type { NodeRegistry } from '../server/node-registry.js';
import { toConnection, toPage, type PageArgs } from '../server/relay.js';
import {
  ENTITY_LABELS,
  entityUid,
  IDENTIFIER_KIND_VALUE,
  IDENTIFIER_LABELS,
  type NodeIdentifierKind,
} from './model.js';
import { GraphStore, type GraphObject, type LinkFilter, type NodeRef } from './store.js';

type Obj = Record<string, unknown>;

/** How the links query addresses the node a resolver is called on. */
export function nodeRef(obj: Obj): NodeRef {
  if (typeof obj['uid'] === 'string') return { uid: obj['uid'] };
  return { kind: obj['kind'] as NodeIdentifierKind, key: String(obj['key']) };
}

const money = (amount: unknown, currency: unknown) =>
  typeof amount === 'number'
    ? { amount, currency: typeof currency === 'string' ? currency : null }
    : null;

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export function createGraphResolvers(deps: { db: Database; nodes: NodeRegistry }) {
  const store = new GraphStore(deps.db);
  for (const label of ENTITY_LABELS) {
    deps.nodes.register(label, (key) => store.entity(entityUid(label, key)));
  }
  for (const [kind, label] of Object.entries(IDENTIFIER_LABELS)) {
    deps.nodes.register(label, (key) => store.identifier(kind as NodeIdentifierKind, key));
  }

  /** Every neighbour through some link types (for short typed lists such as a case's actions). */
  const neighbours = async (obj: Obj, filter: LinkFilter): Promise<GraphObject[]> =>
    (await store.links(nodeRef(obj), filter, { limit: 1000, offset: 0 })).map((l) => l.node);

  const recordations = (obj: Obj) =>
    neighbours(obj, { types: ['RECORDED_AS'], labels: ['CustomsRecordation'], direction: 'OUT' });

  /** The recordation valid longest stands for the mark in the customs table. */
  const currentRecordation = async (obj: Obj): Promise<GraphObject | null> => {
    const all = await recordations(obj);
    all.sort((a, b) => text(b['validUntil']).localeCompare(text(a['validUntil'])));
    return all[0] ?? null;
  };

  const resolveType = (obj: { __typename?: string }) => obj.__typename ?? null;

  return {
    GraphNode: {
      __resolveType: resolveType,
      sources: (obj: Obj) => list(obj['sources']),
      links: async (
        obj: Obj,
        args: PageArgs & { types?: string[] | null; direction?: 'OUT' | 'IN' | 'BOTH' | null },
      ) => {
        const page = toPage(args);
        const filter: LinkFilter = {
          types: args.types ?? null,
          direction: args.direction ?? 'BOTH',
        };
        const ref = nodeRef(obj);
        const [items, total] = await Promise.all([
          store.links(ref, filter, { limit: page.limit + 1, offset: page.offset }),
          store.countLinks(ref, filter),
        ]);
        return toConnection(items, page, total);
      },
    },
    Identifier: {
      __resolveType: resolveType,
      kind: (obj: Obj) => IDENTIFIER_KIND_VALUE[obj['kind'] as NodeIdentifierKind] ?? null,
      rawVariants: (obj: Obj) => list(obj['rawVariants']),
      normalized: (obj: Obj) => obj['normalized'] === true,
    },
    Seller: {
      platformCode: (obj: Obj) => obj['platform'],
      platform: (obj: Obj) => store.entity(entityUid('Platform', String(obj['platform']))),
    },
    Storefront: { platformCode: (obj: Obj) => obj['platform'] ?? null },
    Listing: {
      platformCode: (obj: Obj) => obj['platform'] ?? null,
      price: (obj: Obj) => money(obj['price'], obj['currency']),
    },
    Trademark: {
      recordations,
      customsRecordationNumber: async (obj: Obj) =>
        (await currentRecordation(obj))?.['number'] ?? null,
      recordationValidFrom: async (obj: Obj) =>
        (await currentRecordation(obj))?.['validFrom'] ?? null,
      recordationValidUntil: async (obj: Obj) =>
        (await currentRecordation(obj))?.['validUntil'] ?? null,
    },
    CustomsRecordation: {
      trademarks: (obj: Obj) =>
        neighbours(obj, { types: ['RECORDED_AS'], labels: ['Trademark'], direction: 'IN' }),
    },
    Shipment: { declaredValue: (obj: Obj) => money(obj['declaredValue'], obj['currency']) },
    LogisticsRoute: { via: (obj: Obj) => list(obj['via']) },
    Case: {
      enforcementActions: (obj: Obj) =>
        neighbours(obj, {
          types: ['PART_OF_CASE'],
          labels: ['EnforcementAction'],
          direction: 'IN',
        }),
      evidence: (obj: Obj) =>
        neighbours(obj, { types: ['EVIDENCE_FOR'], labels: ['Evidence'], direction: 'IN' }),
    },
    EnforcementAction: {
      locations: (obj: Obj) => list(obj['locations']),
      amount: (obj: Obj) => money(obj['amount'], obj['currency']),
    },
  };
}

export type GraphResolvers = ReturnType<typeof createGraphResolvers>;
export { GraphStore };
