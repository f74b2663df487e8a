// The ExploreApi over this node's GraphQL: the exploration, networks, damages, evidence and
// privacy domains' fields when the node serves them (found by introspection), plain links where
// it does not (expansion), and a clear "not served" otherwise.
import { GraphQLRequestError, type GraphQLClient } from './client.js';
import {
  NotServedError,
  type DamagesParams,
  type DossierResult,
  type EvidenceCustody,
  type ExpandOptions,
  type ExploreApi,
  type NetworkDetail,
  type SearchHit,
} from './explore-api.js';
import {
  CUSTODY,
  EXPAND,
  EXPORT_DOSSIER,
  IDENTIFIER_LOOKUP,
  NETWORK,
  NETWORK_DAMAGES,
  NETWORK_LINKED,
  NETWORK_MEMBERS,
  NETWORK_OF,
  SEARCH,
} from './explore-operations.js';
import { networkDetailOf } from './network-detail.js';
import { CAPABILITIES, CROSS_BRAND, LINKS, NODE } from './operations.js';
import { edgeId, expansionFromLinks, nodeView, type Expansion } from '../graph/model.js';

/** Link types that reach an identifier of each kind (for the `through` filter of the fallback). */
const LINK_TYPES_OF_KIND: Readonly<Record<string, readonly string[]>> = {
  PHONE: ['USES_PHONE'],
  EMAIL: ['USES_EMAIL'],
  ADDRESS: ['LOCATED_AT', 'REGISTERED_AT', 'RETURNS_TO', 'SHIPS_FROM', 'SENT_FROM', 'DELIVERED_TO'],
  PAYMENT_ACCOUNT: ['PAID_TO'],
  DOMAIN: ['USES_DOMAIN'],
  MESSAGING_HANDLE: ['USES_HANDLE'],
  WAYBILL: ['USES_WAYBILL', 'HAS_WAYBILL'],
};

/** The sensitivity marking a dossier is restricted to unless the analyst picks another. */
export const DEFAULT_DOSSIER_TLP = 'AMBER';

/** Root fields this node serves ("Query.search", "Mutation.exportDossier"…), or null if unknown. */
export async function loadFeatures(client: GraphQLClient): Promise<Set<string> | null> {
  try {
    const data = await client.request(CAPABILITIES, {});
    return new Set([
      ...data.__schema.queryType.fields.map((f) => `Query.${f.name}`),
      ...(data.__schema.mutationType?.fields ?? []).map((f) => `Mutation.${f.name}`),
    ]);
  } catch {
    return null; // introspection off (production): try the fields and show what fails
  }
}

// Only text that decodes to "Type:key" is tried as an id, so typed phone numbers never are.
const looksLikeGlobalId = (s: string): boolean => {
  if (!/^[A-Za-z0-9_-]{8,}$/.test(s)) return false;
  try {
    const padded = s.replace(/-/g, '+').replace(/_/g, '/');
    return /^[A-Z][A-Za-z]*:./.test(atob(padded + '='.repeat((4 - (padded.length % 4)) % 4)));
  } catch {
    return false;
  }
};

/** Search text may trip the full-text parser; such input is simply not a text match. */
const isInputError = (e: unknown): boolean =>
  e instanceof GraphQLRequestError &&
  e.code === 'BAD_USER_INPUT' &&
  e.errors.some((x) => x.path !== undefined); // a resolver refused it, not query validation

export function createExploreApi(client: GraphQLClient, features: Set<string> | null): ExploreApi {
  const has = (f: string) => features === null || features.has(f);
  const served = features ?? new Set<string>();
  let crossBrand: Promise<Map<string, number>> | null = null;

  async function fallbackExpand(id: string, options: ExpandOptions): Promise<Expansion> {
    const types = options.through.flatMap((k) => LINK_TYPES_OF_KIND[k] ?? []);
    const first = Math.min(options.budget, 500);
    const data = await client.request(LINKS, {
      id,
      first,
      types: types.length > 0 ? types : null,
    });
    return expansionFromLinks(data, first);
  }

  return {
    features: served,

    async search(query: string): Promise<SearchHit[]> {
      const q = query.trim();
      if (q.length === 0) return [];
      const hits: SearchHit[] = [];
      if (looksLikeGlobalId(q)) {
        const { node } = await client.request(NODE, { id: q }).catch(() => ({ node: null }));
        if (node) hits.push({ node, matched: 'id' });
      }
      if (!has('Query.search') && !has('Query.identifierLookup')) {
        if (hits.length > 0) return hits;
        throw new NotServedError('search');
      }
      const [exact, text] = await Promise.all([
        has('Query.identifierLookup')
          ? client.request(IDENTIFIER_LOOKUP, { value: q }).then(
              (d) => d.identifierLookup,
              (e: unknown) => {
                if (isInputError(e)) return [];
                throw e;
              },
            )
          : [],
        has('Query.search')
          ? client.request(SEARCH, { query: q, first: 50 }).then(
              (d) => d.search.edges.map((e) => e.node.node),
              (e: unknown) => {
                if (isInputError(e)) return [];
                throw e;
              },
            )
          : [],
      ]);
      const seen = new Set(hits.map((h) => h.node.id));
      for (const node of exact) {
        if (!seen.has(node.id)) hits.push({ node, matched: 'exact identifier' });
        seen.add(node.id);
      }
      for (const node of text) {
        if (!seen.has(node.id)) hits.push({ node, matched: 'text' });
        seen.add(node.id);
      }
      return hits;
    },

    async expand(id: string, options: ExpandOptions): Promise<Expansion> {
      if (!has('Query.expand')) return fallbackExpand(id, options);
      const { expand } = await client.request(EXPAND, {
        id,
        depth: options.depth,
        budget: options.budget,
        identifierKinds: options.through.length > 0 ? [...options.through] : null,
      });
      return {
        nodes: expand.nodes.map((n) => nodeView(n.node, n.degree)),
        edges: expand.edges.map((e) => ({
          id: e.id || edgeId(e.source, e.type, e.target),
          source: e.source,
          target: e.target,
          type: e.type,
        })),
        truncated: expand.truncated,
      };
    },

    async networkOf(id: string): Promise<string | null> {
      if (!has('Query.networkOf')) throw new NotServedError('infringer networks');
      return (await client.request(NETWORK_OF, { id })).networkOf?.networkId ?? null;
    },

    async network(id: string, damages: DamagesParams): Promise<NetworkDetail> {
      if (!has('Query.network')) throw new NotServedError('infringer networks');
      const [core, members, linked, damagesData, counts] = await Promise.all([
        client.request(NETWORK, { networkId: id }),
        client.request(NETWORK_MEMBERS, { networkId: id, first: 200 }),
        client.request(NETWORK_LINKED, { networkId: id }),
        this.damages(id, damages),
        this.crossBrandCounts(),
      ]);
      if (!core.network || !members.network || !linked.network) {
        throw new GraphQLRequestError('NOT_FOUND', `No network ${id}`, 200);
      }
      return networkDetailOf(
        { ...core.network, ...members.network, ...linked.network },
        damagesData,
        counts,
      );
    },

    async damages(id: string, params: DamagesParams) {
      if (!has('Query.networkDamages')) return null;
      const d = await client.request(NETWORK_DAMAGES, {
        networkId: id,
        parameters: {
          profitRate: params.profitRate,
          ipContributionRate: params.ipContribution,
          punitiveMultiplier: params.punitiveMultiplier,
        },
      });
      return d.networkDamages;
    },

    async custody(evidenceId: string): Promise<EvidenceCustody> {
      const { node } = await client.request(CUSTODY, { id: evidenceId }).catch((e: unknown) => {
        // A node without the evidence domain has no Evidence.custody field at all.
        if (e instanceof GraphQLRequestError && e.code === 'GRAPHQL_VALIDATION_FAILED') {
          throw new NotServedError('custody chains');
        }
        throw e;
      });
      const c = node?.custody;
      if (!c) throw new NotServedError('custody chains');
      return {
        verified: c.verified,
        problem: c.problem,
        entries: c.entries.map((x) => ({
          seq: x.seq,
          at: x.at,
          action: x.action,
          actor: x.actor,
          hash: x.hash,
        })),
      };
    },

    async exportDossier(memberId: string, tlp = DEFAULT_DOSSIER_TLP): Promise<DossierResult> {
      if (!has('Mutation.exportDossier')) throw new NotServedError('signed dossiers');
      const { exportDossier: r } = await client.request(EXPORT_DOSSIER, {
        input: { kind: 'NETWORK', id: memberId, tlp },
      });
      if (!r.ok || !r.dossier) {
        throw new GraphQLRequestError(
          r.error?.code ?? 'INTERNAL',
          r.error?.message ?? 'The dossier was not built',
          200,
        );
      }
      return {
        id: r.dossier.id,
        url: r.dossier.downloadPath,
        fileName: `palisade-dossier-${r.dossier.id.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40)}.tar`,
        sha256: r.dossier.sha256,
      };
    },

    crossBrandCounts(): Promise<Map<string, number>> {
      if (!has('Query.crossBrandMatches')) return Promise.resolve(new Map<string, number>());
      crossBrand ??= client
        .request(CROSS_BRAND, { first: 500 })
        .then(
          (d) =>
            new Map(
              d.crossBrandMatches.edges.map((e) => [e.node.identifier.id, e.node.brandCount]),
            ),
        )
        .catch(() => new Map<string, number>());
      return crossBrand;
    },
  };
}
