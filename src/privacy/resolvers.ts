// Thin resolvers of schema/privacy.graphql: each unpacks its arguments and calls the privacy
// domain or its store. Authorization is the matrix's job (src/auth/matrix.ts).
import { IDENTIFIER_KIND_VALUE, type NodeIdentifierKind } from '../graph/model.js';
import type { GraphQLContext } from '../server/context.js';
import { BadUserInputError } from '../server/errors.js';
import type { NodeRegistry } from '../server/node-registry.js';
import { fromGlobalId, toConnection, toGlobalId, toPage, type PageArgs } from '../server/relay.js';
import type { BundleItem } from './indicators.js';
import type { Privacy } from './privacy.js';
import type { CrossBrandMatch } from './store.js';

type Obj = Record<string, unknown>;

const KIND_BY_VALUE = new Map<string, string>(
  Object.entries(IDENTIFIER_KIND_VALUE).map(([kind, value]) => [value, kind]),
);
const kindsOf = (values: readonly string[] | null | undefined): string[] | null =>
  values ? values.map((v) => KIND_BY_VALUE.get(v) ?? v) : null;
const kindValue = (kind: string): string | null =>
  IDENTIFIER_KIND_VALUE[kind as NodeIdentifierKind] ?? null;

const matchObject = (m: CrossBrandMatch) => ({
  ...m,
  __typename: 'CrossBrandMatch',
  id: toGlobalId('CrossBrandMatch', `${m.kind}:${m.key}`),
  kind: kindValue(m.kind),
});

const knownObject = (i: BundleItem) => ({ ...i, kind: kindValue(i.kind) });

export function createPrivacyResolvers(deps: { privacy: Privacy; nodes: NodeRegistry }) {
  const { privacy } = deps;
  const store = privacy.store;
  deps.nodes.register('CrossBrandMatch', async (key) => {
    const colon = key.indexOf(':');
    if (colon <= 0) return null;
    const [m] = await store.matches(
      { identifiers: [{ kind: key.slice(0, colon), key: key.slice(colon + 1) }] },
      { offset: 0, limit: 1 },
    );
    return m ? matchObject(m) : null;
  });
  const ofEntity = async (obj: Obj) =>
    typeof obj['uid'] === 'string'
      ? (await store.matches({ uid: obj['uid'] }, { offset: 0, limit: 200 })).map(matchObject)
      : [];

  return {
    Query: {
      crossBrandMatches: async (
        _: unknown,
        args: PageArgs & { kinds?: string[] | null; entity?: string | null },
      ) => {
        const page = toPage(args);
        let uid: string | null = null;
        if (args.entity) {
          const g = fromGlobalId(args.entity);
          uid = `${g.type}:${g.key}`;
        }
        const filter = { kinds: kindsOf(args.kinds), uid };
        const [items, total] = await Promise.all([
          store.matches(filter, { offset: page.offset, limit: page.limit + 1 }),
          store.countMatches(filter),
        ]);
        return toConnection(items.map(matchObject), page, total);
      },
      indicatorsKnown: async (_: unknown, args: { tokens: string[] }, ctx: GraphQLContext) => {
        const known = await privacy.lookup(ctx.principal, args.tokens).catch((e: unknown) => {
          if (e instanceof Error && e.name === 'TokenFormatError') {
            throw new BadUserInputError(e.message, { argument: 'tokens' });
          }
          throw e;
        });
        return { asked: args.tokens.length, known: known.map(knownObject) };
      },
    },
    Mutation: {
      shareIndicators: (_: unknown, args: { peers?: string[] | null }) =>
        privacy.share(args.peers ? { peerIds: args.peers } : {}),
      retokenizeIdentifiers: () => privacy.retokenize(),
      privateSetIntersection: async (
        _: unknown,
        args: { peer: string; kinds: string[] },
        ctx: GraphQLContext,
      ) => {
        const result = await privacy.psi(args.peer, kindsOf(args.kinds) ?? []);
        const shared = await Promise.all(
          result.shared.map((s) => deps.nodes.load(toGlobalId(labelOf(s.kind), s.key), ctx)),
        );
        return { ...result, shared: shared.filter((s) => s !== null) };
      },
    },
    Identifier: {
      crossBrandMatch: async (obj: Obj) => {
        const [m] = await store.matches(
          { identifiers: [{ kind: String(obj['kind']), key: String(obj['key']) }] },
          { offset: 0, limit: 1 },
        );
        return m ? matchObject(m) : null;
      },
    },
    Network: {
      crossBrandMatches: async (obj: Obj, args: PageArgs) => {
        const page = toPage(args);
        const filter = { networkId: String(obj['networkId']) };
        const [items, total] = await Promise.all([
          store.matches(filter, { offset: page.offset, limit: page.limit + 1 }),
          store.countMatches(filter),
        ]);
        return toConnection(items.map(matchObject), page, total);
      },
    },
    Seller: { crossBrandMatches: ofEntity },
    Storefront: { crossBrandMatches: ofEntity },
    Factory: { crossBrandMatches: ofEntity },
    Company: { crossBrandMatches: ofEntity },
    Person: { crossBrandMatches: ofEntity },
  };
}

const LABELS: Readonly<Record<string, string>> = {
  phone: 'Phone',
  email: 'Email',
  address: 'Address',
  paymentAccount: 'PaymentAccount',
  domain: 'Domain',
  messagingHandle: 'MessagingHandle',
  waybill: 'Waybill',
};
const labelOf = (kind: string): string => LABELS[kind] ?? kind;
