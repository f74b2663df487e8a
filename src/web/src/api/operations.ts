// The operations on what every node serves today (schema/system, graph): node info, one node,
// its links (the fallback expansion), a case with evidence and actions, and what a seller lists.
import { operation } from './client.js';
import { NODE_SUMMARY, type NodeSummary } from './node-summary.js';

export interface NodeInfoData {
  nodeInfo: { nodeId: string; name: string; role: string; version: string };
}
export const NODE_INFO = operation<NodeInfoData>(
  'NodeInfo',
  /* GraphQL */ `
    query NodeInfo {
      nodeInfo {
        nodeId
        name
        role
        version
      }
    }
  `,
);

export interface CapabilitiesData {
  __schema: {
    queryType: { fields: Array<{ name: string; args: Array<{ name: string }> }> };
    mutationType: { fields: Array<{ name: string }> } | null;
  };
}
/** Which root fields this node offers, so screens adapt to the domains it runs. */
export const CAPABILITIES = operation<CapabilitiesData>(
  'Capabilities',
  /* GraphQL */ `
    query Capabilities {
      __schema {
        queryType {
          fields {
            name
            args {
              name
            }
          }
        }
        mutationType {
          fields {
            name
          }
        }
      }
    }
  `,
);

export interface NodeData {
  node: NodeSummary | null;
}
export const NODE = operation<NodeData, { id: string }>(
  'Node',
  /* GraphQL */ `
    query Node($id: ID!) {
      node(id: $id) {
        ...NodeSummary
      }
    }
    ${NODE_SUMMARY}
  `,
);

export interface LinkSummary {
  type: string;
  direction: 'OUT' | 'IN' | 'BOTH';
  confidence: number | null;
  node: NodeSummary & { degree?: { totalCount: number } };
}
export interface LinksData {
  node:
    | (NodeSummary & {
        links: { totalCount: number; edges: Array<{ node: LinkSummary }> };
      })
    | null;
}
/** One hop around a node, each neighbour with its own link count (its degree, for hub size). */
export const LINKS = operation<LinksData, { id: string; first: number; types?: string[] | null }>(
  'Links',
  /* GraphQL */ `
    query Links($id: ID!, $first: Int!, $types: [LinkType!]) {
      node(id: $id) {
        ...NodeSummary
        ... on GraphNode {
          links(first: $first, types: $types) {
            totalCount
            edges {
              node {
                type
                direction
                confidence
                node {
                  ...NodeSummary
                  degree: links(first: 0) {
                    totalCount
                  }
                }
              }
            }
          }
        }
      }
    }
    ${NODE_SUMMARY}
  `,
);

export interface EvidenceSummary {
  id: string;
  title: string | null;
  evidenceKind: string | null;
  description: string | null;
  capturedAt: string | null;
  sha256: string | null;
  notarized: boolean | null;
}
export interface ActionSummary {
  id: string;
  actionKind: string;
  date: string | null;
  jurisdiction: string | null;
  authority: string | null;
  locations: string[];
  itemsSeized: number | null;
  itemsSeizedAtLeast: boolean | null;
  arrests: number | null;
  amount: { amount: number; currency: string | null } | null;
  amountBasis: string | null;
  outcome: string | null;
}
export interface CaseData {
  node:
    | (NodeSummary & {
        key?: string;
        jurisdiction?: string | null;
        openedOn?: string | null;
        closedOn?: string | null;
        summary?: string | null;
        evidence?: EvidenceSummary[];
        enforcementActions?: ActionSummary[];
        entities?: NodeSummary[];
        damages?: {
          lines: Array<{
            currency: string;
            listings: number;
            unitsSold: number;
            grossSales: string;
            damages: string;
          }>;
        };
      })
    | null;
}
export const CASE = operation<CaseData, { id: string }>(
  'Case',
  /* GraphQL */ `
    query Case($id: ID!) {
      node(id: $id) {
        ...NodeSummary
        ... on Case {
          key
          jurisdiction
          openedOn
          closedOn
          summary
          evidence {
            id
            title
            evidenceKind: kind
            description
            capturedAt
            sha256
            notarized
          }
          enforcementActions {
            id
            actionKind: kind
            date
            jurisdiction
            authority
            locations
            itemsSeized
            itemsSeizedAtLeast
            arrests
            amount {
              amount
              currency
            }
            amountBasis
            outcome
          }
          entities {
            ...NodeSummary
          }
          damages {
            lines {
              currency
              listings
              unitsSold
              grossSales
              damages
            }
          }
        }
      }
    }
    ${NODE_SUMMARY}
  `,
);

interface Page<T> {
  edges: Array<{ node: { node: T } }>;
}
export interface SellerPackageData {
  node:
    | (NodeSummary & {
        businessLicenceNumber?: string | null;
        storefronts?: Page<NodeSummary>;
        evidence?: Page<NodeSummary>;
        listings?: Page<NodeSummary & { marks?: Page<NodeSummary>; evidence?: Page<NodeSummary> }>;
      })
    | null;
}
/** What a takedown complaint needs of one seller: storefronts, listings, marks and evidence. */
export const SELLER_PACKAGE = operation<SellerPackageData, { id: string }>(
  'SellerPackage',
  /* GraphQL */ `
    query SellerPackage($id: ID!) {
      node(id: $id) {
        __typename
        id
        ... on Seller {
          accountId
          displayName
          legalName
          businessLicenceNumber
          sellerPlatform: platformCode
          listings: links(first: 100, types: [LISTS], direction: OUT) {
            edges {
              node {
                node {
                  __typename
                  id
                  ... on Listing {
                    url
                    title
                    unitsSold
                    price {
                      amount
                      currency
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  `,
);

export interface SellerExtrasData {
  node: (NodeSummary & { storefronts?: Page<NodeSummary>; evidence?: Page<NodeSummary> }) | null;
}
/** A seller's storefronts and the evidence about it. */
export const SELLER_EXTRAS = operation<SellerExtrasData, { id: string }>(
  'SellerExtras',
  /* GraphQL */ `
    query SellerExtras($id: ID!) {
      node(id: $id) {
        __typename
        id
        ... on Seller {
          storefronts: links(first: 20, types: [OPERATES], direction: OUT) {
            edges {
              node {
                node {
                  __typename
                  id
                  ... on Storefront {
                    url
                  }
                }
              }
            }
          }
          evidence: links(first: 50, types: [CONCERNS], direction: IN) {
            edges {
              node {
                node {
                  __typename
                  id
                  ... on Evidence {
                    sha256
                  }
                }
              }
            }
          }
        }
      }
    }
  `,
);

export interface ListingExtrasData {
  node: (NodeSummary & { marks?: Page<NodeSummary>; evidence?: Page<NodeSummary> }) | null;
}
/** The marks a listing infringes and the evidence about it (asked per listing: query cost). */
export const LISTING_EXTRAS = operation<ListingExtrasData, { id: string }>(
  'ListingExtras',
  /* GraphQL */ `
    query ListingExtras($id: ID!) {
      node(id: $id) {
        __typename
        id
        ... on Listing {
          marks: links(first: 20, types: [INFRINGES], direction: OUT) {
            edges {
              node {
                node {
                  __typename
                  id
                  ... on Trademark {
                    mark
                    registrationNumber
                    class
                    markJurisdiction: jurisdiction
                    customsRecordationNumber
                  }
                }
              }
            }
          }
          evidence: links(first: 50, types: [CONCERNS], direction: IN) {
            edges {
              node {
                node {
                  __typename
                  id
                  ... on Evidence {
                    sha256
                  }
                }
              }
            }
          }
        }
      }
    }
  `,
);

export interface CrossBrandData {
  crossBrandMatches: {
    totalCount: number;
    edges: Array<{ node: { brandCount: number; identifier: { id: string } } }>;
  };
}
/** The node's identifiers other brands reported (schema/privacy.graphql). */
export const CROSS_BRAND = operation<CrossBrandData, { first: number }>(
  'CrossBrand',
  /* GraphQL */ `
    query CrossBrand($first: Int!) {
      crossBrandMatches(first: $first) {
        totalCount
        edges {
          node {
            brandCount
            identifier {
              id
            }
          }
        }
      }
    }
  `,
);
