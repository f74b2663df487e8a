// Thin resolvers of schema/networks.graphql: lists and lookups through NetworkStore, removal and
// restoration of a link and the full recompute through NetworkService, risk through risk.ts.
import { refOfId } from '../explore/refs.js';
import type { ExploreStore } from '../explore/store.js';
import { hubFilter } from '../explore/resolvers.js';
import { BadUserInputError } from '../server/errors.js';
import type { NodeRegistry } from '../server/node-registry.js';
import { toConnection, toGlobalId, toPage, type PageArgs } from '../server/relay.js';
import type { UpdateSummary } from './maintainer.js';
import { scoreRisk } from './risk.js';
import type { NetworkService } from './service.js';
import type { NetworkRecord, NetworkListFilter, NetworkStore } from './store.js';

const MEMBER_LABELS: Readonly<Record<string, string>> = {
  SELLER: 'Seller',
  FACTORY: 'Factory',
  COMPANY: 'Company',
  PERSON: 'Person',
};

/** The GraphQL object of a network: its record plus Relay id. */
const toObject = (n: NetworkRecord) => ({ ...n, networkId: n.id, __typename: 'Network' });
type NetworkObject = ReturnType<typeof toObject>;

const summaryObject = (s: UpdateSummary) => ({ ...s, merged: s.absorbed });

export function createNetworkResolvers(deps: {
  store: NetworkStore;
  service: NetworkService;
  explore: ExploreStore;
  nodes: NodeRegistry;
}) {
  const { store } = deps;
  deps.nodes.register('Network', async (key) => {
    const n = await store.byId(key);
    return n ? toObject(n) : null;
  });
  return {
    Query: {
      networks: async (
        _: unknown,
        args: PageArgs & {
          orderBy: NetworkListFilter['orderBy'];
          minSize?: number | null;
          platform?: string | null;
        },
      ) => {
        const page = toPage(args, 20);
        const filter: NetworkListFilter = {
          orderBy: args.orderBy,
          minSize: args.minSize ?? null,
          platform: args.platform ?? null,
        };
        const [items, total] = await Promise.all([
          store.list(filter, { offset: page.offset, limit: page.limit + 1 }),
          store.count(filter),
        ]);
        return toConnection(items.map(toObject), page, total);
      },
      network: async (_: unknown, args: { networkId: string }) => {
        const n = await store.byId(args.networkId);
        return n ? toObject(n) : null;
      },
      networkOf: async (_: unknown, args: { id: string }) => {
        const ref = refOfId(args.id, 'id');
        if (!('uid' in ref)) return null;
        const n = await store.of(ref.uid);
        return n ? toObject(n) : null;
      },
    },
    Mutation: {
      removeLink: async (_: unknown, args: { from: string; type: string; to: string }) => {
        if (args.from === args.to) {
          throw new BadUserInputError('from and to must be different nodes', { argument: 'to' });
        }
        const r = await deps.service.retract(
          refOfId(args.from, 'from'),
          args.type,
          refOfId(args.to, 'to'),
        );
        return { removed: r.removed, networks: summaryObject(r.update) };
      },
      restoreLink: async (_: unknown, args: { from: string; type: string; to: string }) => {
        if (args.from === args.to) {
          throw new BadUserInputError('from and to must be different nodes', { argument: 'to' });
        }
        const r = await deps.service.restore(
          refOfId(args.from, 'from'),
          args.type,
          refOfId(args.to, 'to'),
        );
        return { restored: r.restored, networks: summaryObject(r.update) };
      },
      recomputeNetworks: async () => summaryObject(await deps.service.recompute()),
    },
    Network: {
      id: (n: NetworkObject) => toGlobalId('Network', n.id),
      sellerCount: (n: NetworkObject) => n.sellers,
      risk: (n: NetworkObject) => scoreRisk(n.riskFactors),
      members: async (n: NetworkObject, args: PageArgs & { types?: string[] | null }) => {
        const page = toPage(args);
        const labels =
          args.types && args.types.length > 0 ? args.types.map((t) => MEMBER_LABELS[t]!) : null;
        const [items, total] = await Promise.all([
          store.members(n.id, labels, { offset: page.offset, limit: page.limit + 1 }),
          store.countMembers(n.id, labels),
        ]);
        return toConnection(items, page, total);
      },
      cases: (n: NetworkObject) => store.cases(n.id),
      enforcementActions: (n: NetworkObject) => store.actions(n.id),
      topHubs: (n: NetworkObject, args: { first: number }) => {
        if (!Number.isInteger(args.first) || args.first < 1 || args.first > 50) {
          throw new BadUserInputError('first must be a whole number from 1 to 50', {
            argument: 'first',
          });
        }
        return deps.explore.hubs(hubFilter(null, n.id), { offset: 0, limit: args.first });
      },
    },
  };
}
