// Thin resolvers of schema/explore.graphql: unpack and validate arguments (BAD_USER_INPUT naming
// the argument), call the store, shape connections.
import { IDENTIFIER_LABELS, type NodeIdentifierKind } from '../graph/model.js';
import { normalizeIdentifier } from '../identifiers/index.js';
import { BadUserInputError, NotFoundError } from '../server/errors.js';
import { toConnection, toPage, type PageArgs } from '../server/relay.js';
import { refOfId } from './refs.js';
import { toLuceneQuery } from './search-query.js';
import type { ExploreStore, HubFilter } from './store.js';

const KIND_OF_ENUM: Readonly<Record<string, NodeIdentifierKind>> = {
  PHONE: 'phone',
  EMAIL: 'email',
  ADDRESS: 'address',
  PAYMENT_ACCOUNT: 'paymentAccount',
  DOMAIN: 'domain',
  MESSAGING_HANDLE: 'messagingHandle',
  WAYBILL: 'waybill',
};

const LABEL_OF_SEARCH_KIND: Readonly<Record<string, string>> = {
  SELLER: 'Seller',
  STOREFRONT: 'Storefront',
  LISTING: 'Listing',
  PRODUCT: 'Product',
  TRADEMARK: 'Trademark',
  FACTORY: 'Factory',
  COMPANY: 'Company',
  PERSON: 'Person',
  PLATFORM: 'Platform',
  IDENTIFIER: 'Identifier',
  CASE: 'Case',
  EVIDENCE: 'Evidence',
  ENFORCEMENT_ACTION: 'EnforcementAction',
  SHIPMENT: 'Shipment',
  LOGISTICS_ROUTE: 'LogisticsRoute',
};

const HUB_KINDS: Readonly<Record<string, NodeIdentifierKind | 'factory'>> = {
  FACTORY: 'factory',
  ADDRESS: 'address',
  PAYMENT_ACCOUNT: 'paymentAccount',
  PHONE: 'phone',
  EMAIL: 'email',
  MESSAGING_HANDLE: 'messagingHandle',
  DOMAIN: 'domain',
};

export const MAX_EXPAND_BUDGET = 2000;
const SEARCH_COUNT_CAP = 10_000;

function intIn(value: number, lo: number, hi: number, argument: string): number {
  if (!Number.isInteger(value) || value < lo || value > hi) {
    throw new BadUserInputError(`${argument} must be a whole number from ${lo} to ${hi}`, {
      argument,
    });
  }
  return value;
}

/** The hub filter of a hubs query (every hub kind when none is given). */
export function hubFilter(kinds: string[] | null | undefined, network: string | null): HubFilter {
  const chosen = kinds && kinds.length > 0 ? kinds : Object.keys(HUB_KINDS);
  const mapped = chosen.map((k) => HUB_KINDS[k]).filter((k) => k !== undefined);
  return {
    kinds: mapped.filter((k) => k !== 'factory'),
    factories: mapped.includes('factory'),
    network,
  };
}

export function createExploreResolvers(deps: { store: ExploreStore; defaultRegion: string }) {
  const { store } = deps;
  return {
    Query: {
      search: async (
        _: unknown,
        args: PageArgs & { query: string; kinds?: string[] | null; platform?: string | null },
      ) => {
        const query = toLuceneQuery(args.query);
        if (query === null || args.query.length > 500) {
          throw new BadUserInputError('query must hold 1–500 characters of text', {
            argument: 'query',
          });
        }
        const page = toPage(args, 20);
        const filter = {
          labels:
            args.kinds && args.kinds.length > 0
              ? args.kinds.map((k) => LABEL_OF_SEARCH_KIND[k]!).filter(Boolean)
              : null,
          platform: args.platform ?? null,
        };
        const [hits, total] = await Promise.all([
          store.search(query, filter, { offset: page.offset, limit: page.limit + 1 }),
          store.searchCount(query, filter, SEARCH_COUNT_CAP),
        ]);
        return toConnection(hits, page, total);
      },
      identifierLookup: async (
        _: unknown,
        args: { value: string; kind?: string | null; region?: string | null },
      ) => {
        if (args.value.trim() === '' || args.value.length > 1000) {
          throw new BadUserInputError('value must hold 1–1000 characters', { argument: 'value' });
        }
        const kinds = args.kind
          ? [KIND_OF_ENUM[args.kind]!]
          : (Object.keys(IDENTIFIER_LABELS) as NodeIdentifierKind[]);
        const refs = kinds.flatMap((kind) => {
          const n = normalizeIdentifier({
            kind,
            value: args.value,
            region: args.region ?? deps.defaultRegion,
          });
          // Values no normalizer accepts are stored under raw:<text>; look for that too.
          return [{ kind, key: n.ok ? n.key : `raw:${args.value.trim()}` }];
        });
        return store.identifiers(refs);
      },
      expand: async (
        _: unknown,
        args: {
          id: string;
          depth: number;
          budget: number;
          types?: string[] | null;
          identifierKinds?: string[] | null;
          hubDegree: number;
          expandHubs: boolean;
        },
      ) => {
        const start = refOfId(args.id, 'id');
        const result = await store.expand(start, {
          depth: intIn(args.depth, 1, 4, 'depth'),
          budget: intIn(args.budget, 1, MAX_EXPAND_BUDGET, 'budget'),
          types: args.types && args.types.length > 0 ? args.types : null,
          kinds:
            args.identifierKinds && args.identifierKinds.length > 0
              ? args.identifierKinds.map((k) => KIND_OF_ENUM[k]!)
              : null,
          hubDegree: intIn(args.hubDegree, 1, 1_000_000, 'hubDegree'),
          expandHubs: args.expandHubs,
        });
        if (!result) throw new NotFoundError('No node has this id');
        return result;
      },
      linkPaths: (
        _: unknown,
        args: {
          from: string;
          to: string;
          maxLength: number;
          types?: string[] | null;
          maxDegree: number;
          first: number;
        },
      ) =>
        store.paths(refOfId(args.from, 'from'), refOfId(args.to, 'to'), {
          maxLength: intIn(args.maxLength, 1, 6, 'maxLength'),
          types: args.types && args.types.length > 0 ? args.types : null,
          maxDegree: intIn(args.maxDegree, 1, 1_000_000, 'maxDegree'),
          limit: intIn(args.first, 1, 100, 'first'),
        }),
      hubs: async (
        _: unknown,
        args: PageArgs & { kinds?: string[] | null; networkId?: string | null },
      ) => {
        const page = toPage(args, 20);
        const filter = hubFilter(args.kinds, args.networkId ?? null);
        const [items, total] = await Promise.all([
          store.hubs(filter, { offset: page.offset, limit: page.limit + 1 }),
          store.hubCount(filter),
        ]);
        return toConnection(items, page, total);
      },
    },
  };
}
