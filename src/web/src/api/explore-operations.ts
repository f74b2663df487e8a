// Operations on the exploration, networks, damages, cases and evidence domains
// (schema/explore.graphql, networks.graphql, damages.graphql, cases.graphql, evidence.graphql).
import { operation } from './client.js';
import { NODE_BRIEF, NODE_SUMMARY, type NodeSummary } from './node-summary.js';

export interface SearchData {
  search: { totalCount: number; edges: Array<{ node: { score: number; node: NodeSummary } }> };
}
export const SEARCH = operation<SearchData, { query: string; first: number }>(
  'Search',
  /* GraphQL */ `
    query Search($query: String!, $first: Int!) {
      search(query: $query, first: $first) {
        totalCount
        edges {
          node {
            score
            node {
              ...NodeSummary
            }
          }
        }
      }
    }
    ${NODE_SUMMARY}
  `,
);

export interface LookupData {
  identifierLookup: NodeSummary[];
}
/** Exact lookup of an identifier typed in any format. */
export const IDENTIFIER_LOOKUP = operation<LookupData, { value: string }>(
  'IdentifierLookup',
  /* GraphQL */ `
    query IdentifierLookup($value: String!) {
      identifierLookup(value: $value) {
        ...NodeSummary
      }
    }
    ${NODE_SUMMARY}
  `,
);

export interface ExpandData {
  expand: {
    truncated: boolean;
    budget: number;
    nodes: Array<{ depth: number; degree: number; hub: boolean; node: NodeSummary }>;
    edges: Array<{ id: string; type: string; source: string; target: string }>;
  };
}
export const EXPAND = operation<
  ExpandData,
  { id: string; depth: number; budget: number; identifierKinds: string[] | null }
>(
  'Expand',
  /* GraphQL */ `
    query Expand($id: ID!, $depth: Int!, $budget: Int!, $identifierKinds: [IdentifierKind!]) {
      expand(id: $id, depth: $depth, budget: $budget, identifierKinds: $identifierKinds) {
        truncated
        budget
        nodes {
          depth
          degree
          hub
          node {
            ...NodeSummary
          }
        }
        edges {
          id
          type
          source
          target
        }
      }
    }
    ${NODE_SUMMARY}
  `,
);

export interface NetworkOfData {
  networkOf: { networkId: string } | null;
}
export const NETWORK_OF = operation<NetworkOfData, { id: string }>(
  'NetworkOf',
  /* GraphQL */ `
    query NetworkOf($id: ID!) {
      networkOf(id: $id) {
        networkId
      }
    }
  `,
);

export interface DamagesData {
  parameters: { profitRate: string; ipContributionRate: string; punitiveMultiplier: string };
  lines: Array<{
    currency: string;
    listings: number;
    unitsSold: number;
    grossSales: string;
    profit: string;
    ipShare: string;
    damages: string;
  }>;
  rounding: string;
}

type Dated = NodeSummary & { openedOn?: string | null; closedOn?: string | null };

export interface NetworkCore {
  id: string;
  networkId: string;
  size: number;
  sellerCount: number;
  platforms: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  risk: { score: number; reasons: Array<{ code: string; weight: number; description: string }> };
}
export interface NetworkData {
  network: NetworkCore | null;
}
/** A network's figures and risk (its lists come in separate queries, within the cost limit). */
export const NETWORK = operation<NetworkData, { networkId: string }>(
  'Network',
  /* GraphQL */ `
    query Network($networkId: String!) {
      network(networkId: $networkId) {
        id
        networkId
        size
        sellerCount
        platforms
        firstSeen
        lastSeen
        risk {
          score
          reasons {
            code
            weight
            description
          }
        }
      }
    }
  `,
);

export interface NetworkMembersData {
  network: { members: { totalCount: number; edges: Array<{ node: NodeSummary }> } } | null;
}
export const NETWORK_MEMBERS = operation<NetworkMembersData, { networkId: string; first: number }>(
  'NetworkMembers',
  /* GraphQL */ `
    query NetworkMembers($networkId: String!, $first: Int!) {
      network(networkId: $networkId) {
        members(first: $first) {
          totalCount
          edges {
            node {
              ...NodeBrief
            }
          }
        }
      }
    }
    ${NODE_BRIEF}
  `,
);

export interface NetworkLinkedData {
  network: {
    cases: Dated[];
    enforcementActions: NodeSummary[];
    topHubs: Array<{ sellers: number; listings: number; reach: number; node: NodeSummary }>;
  } | null;
}
export const NETWORK_LINKED = operation<NetworkLinkedData, { networkId: string }>(
  'NetworkLinked',
  /* GraphQL */ `
    query NetworkLinked($networkId: String!) {
      network(networkId: $networkId) {
        cases {
          ...NodeBrief
          openedOn
          closedOn
        }
        enforcementActions {
          ...NodeBrief
        }
        topHubs(first: 10) {
          sellers
          listings
          reach
          node {
            ...NodeBrief
          }
        }
      }
    }
    ${NODE_BRIEF}
  `,
);

export interface NetworkDamagesData {
  networkDamages: DamagesData | null;
}
/** Asked again whenever the analyst changes a parameter. */
export const NETWORK_DAMAGES = operation<
  NetworkDamagesData,
  {
    networkId: string;
    parameters: { profitRate: number; ipContributionRate: number; punitiveMultiplier: number };
  }
>(
  'NetworkDamages',
  /* GraphQL */ `
    query NetworkDamages($networkId: String!, $parameters: DamagesParameters) {
      networkDamages(networkId: $networkId, parameters: $parameters) {
        parameters {
          profitRate
          ipContributionRate
          punitiveMultiplier
        }
        lines {
          currency
          listings
          unitsSold
          grossSales
          profit
          ipShare
          damages
        }
        rounding
      }
    }
  `,
);

export interface CustodyData {
  node: {
    __typename: string;
    custody?: {
      verified: boolean;
      problem: string | null;
      entries: Array<{ seq: number; at: string; action: string; actor: string; hash: string }>;
    };
  } | null;
}
export const CUSTODY = operation<CustodyData, { id: string }>(
  'Custody',
  /* GraphQL */ `
    query Custody($id: ID!) {
      node(id: $id) {
        __typename
        ... on Evidence {
          custody {
            verified
            problem
            entries {
              seq
              at
              action
              actor
              hash
            }
          }
        }
      }
    }
  `,
);

export interface ExportDossierData {
  exportDossier: {
    ok: boolean;
    error: { code: string; message: string } | null;
    dossier: { id: string; downloadPath: string; sha256: string; size: number } | null;
  };
}
export const EXPORT_DOSSIER = operation<
  ExportDossierData,
  { input: { kind: 'CASE' | 'NETWORK'; id: string; tlp: string } }
>(
  'ExportDossier',
  /* GraphQL */ `
    mutation ExportDossier($input: ExportDossierInput!) {
      exportDossier(input: $input) {
        ok
        error {
          code
          message
        }
        dossier {
          id
          downloadPath
          sha256
          size
        }
      }
    }
  `,
);
