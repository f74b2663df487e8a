// The fields every screen shows of a graph node, as one fragment, and how a node is labelled.

/** Selected on any GraphNode; kinds/statuses are aliased because their enum types differ. */
export const NODE_SUMMARY = /* GraphQL */ `
  fragment NodeSummary on GraphNode {
    __typename
    id
    firstSeen
    lastSeen
    ... on Identifier {
      identifierKind: kind
      display
    }
    ... on Seller {
      accountId
      displayName
      legalName
      sellerPlatform: platformCode
    }
    ... on Storefront {
      name
      url
      platformCode
    }
    ... on Listing {
      title
      url
      unitsSold
      platformCode
      listingStatus: status
      price {
        amount
        currency
      }
    }
    ... on Platform {
      code
      name
    }
    ... on Product {
      sku
      name
    }
    ... on Trademark {
      mark
      registrationNumber
      class
      markJurisdiction: jurisdiction
      customsRecordationNumber
    }
    ... on CustomsRecordation {
      number
    }
    ... on Factory {
      name
    }
    ... on Company {
      name
    }
    ... on Person {
      name
    }
    ... on Shipment {
      shipmentId
      carrier
    }
    ... on LogisticsRoute {
      origin
      destination
    }
    ... on Case {
      title
      caseStatus: status
    }
    ... on Evidence {
      title
      sha256
      evidenceKind: kind
    }
    ... on EnforcementAction {
      actionKind: kind
      date
    }
  }
`;

/** A smaller selection for long lists (network members, hubs), within the query cost limit. */
export const NODE_BRIEF = /* GraphQL */ `
  fragment NodeBrief on GraphNode {
    __typename
    id
    firstSeen
    lastSeen
    ... on Identifier {
      identifierKind: kind
      display
    }
    ... on Seller {
      accountId
      displayName
      sellerPlatform: platformCode
    }
    ... on Factory {
      name
    }
    ... on Company {
      name
    }
    ... on Person {
      name
    }
    ... on Case {
      title
      caseStatus: status
    }
    ... on EnforcementAction {
      actionKind: kind
      date
    }
  }
`;

export interface Money {
  amount: number;
  currency: string | null;
}

/** A graph node as NodeSummary selects it (fields absent on other types). */
export interface NodeSummary {
  __typename: string;
  id: string;
  firstSeen?: string | null;
  lastSeen?: string | null;
  identifierKind?: string | null;
  display?: string | null;
  accountId?: string | null;
  displayName?: string | null;
  legalName?: string | null;
  platformCode?: string | null;
  /** Seller.platformCode (non-null there, so aliased apart from the nullable ones). */
  sellerPlatform?: string | null;
  name?: string | null;
  url?: string | null;
  title?: string | null;
  unitsSold?: number | null;
  listingStatus?: string | null;
  price?: Money | null;
  code?: string | null;
  sku?: string | null;
  mark?: string | null;
  registrationNumber?: string | null;
  class?: number | null;
  /** Trademark.jurisdiction (non-null there). */
  markJurisdiction?: string | null;
  customsRecordationNumber?: string | null;
  number?: string | null;
  shipmentId?: string | null;
  carrier?: string | null;
  origin?: string | null;
  destination?: string | null;
  caseStatus?: string | null;
  sha256?: string | null;
  evidenceKind?: string | null;
  actionKind?: string | null;
  date?: string | null;
}

const first = (...values: Array<string | null | undefined>): string | undefined =>
  values.find((v): v is string => typeof v === 'string' && v.length > 0);

/** A short human label for a node of any kind. */
export function labelOf(n: NodeSummary): string {
  switch (n.__typename) {
    case 'Seller':
      return `${first(n.displayName, n.legalName) ?? 'Seller'} (${n.sellerPlatform ?? '?'}:${n.accountId ?? '?'})`;
    case 'Listing':
      return first(n.title, n.url) ?? 'Listing';
    case 'Trademark':
      return `${n.mark ?? 'Mark'} ${n.markJurisdiction ?? ''} ${n.registrationNumber ?? ''}`.trim();
    case 'CustomsRecordation':
      return `Recordation ${n.number ?? ''}`.trim();
    case 'Shipment':
      return `Shipment ${first(n.shipmentId, n.carrier) ?? ''}`.trim();
    case 'LogisticsRoute':
      return `${n.origin ?? '?'} → ${n.destination ?? '?'}`;
    case 'Evidence':
      return first(n.title, n.sha256?.slice(0, 12)) ?? 'Evidence';
    case 'EnforcementAction':
      return `${n.actionKind ?? 'Action'} ${n.date ?? ''}`.trim();
    case 'Platform':
      return first(n.name, n.code) ?? 'Platform';
    case 'Product':
      return first(n.name, n.sku) ?? 'Product';
    default:
      return first(n.display, n.name, n.title, n.url) ?? n.__typename;
  }
}

/** The platform code of a seller, storefront or listing. */
export function platformOf(n: NodeSummary): string | undefined {
  return n.sellerPlatform ?? n.platformCode ?? undefined;
}
