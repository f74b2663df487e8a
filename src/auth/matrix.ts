// THE authorization matrix: which role may run which root operation, which fields only the node's own
// staff may read, and which types peers may see at all. Data only; src/auth/authorize.ts enforces it.
//
// To add an operation: add its coordinate ('Query.x', 'Mutation.y', 'Subscription.z') with the roles
// that may call it. A root field missing here is refused for everyone, and test/unit/auth fails until
// it is listed. Raw identifiers (phones, e-mails, addresses, accounts, URLs, names of sellers...) are
// either on types peers never see (anything not in PEER_VISIBLE_TYPES) or listed in SENSITIVE /
// marked `@sensitive` in the SDL.

export const ROLES = ['admin', 'analyst', 'viewer', 'partner', 'association'] as const;
export type Role = (typeof ROLES)[number];

const ALL: readonly Role[] = ROLES;
/** The node's own people: they see raw data. */
const STAFF: readonly Role[] = ['admin', 'analyst', 'viewer'];
/** Who changes the graph. */
const WRITERS: readonly Role[] = ['admin', 'analyst'];
/** Other nodes, calling with signed peer tokens: only their own small surfaces. */
export const PEER_ROLES: readonly Role[] = ['partner', 'association'];

/** Root operation coordinate → roles allowed to select it. Default deny. */
export const OPERATIONS: Readonly<Record<string, readonly Role[]>> = {
  // system
  'Query.nodeInfo': ALL,
  // Relay's node(id) reaches every Node type; peers get purpose-built fields instead.
  'Query.node': STAFF,
  'Mutation._ping': WRITERS,
  // ingest (schema/ingest.graphql)
  'Mutation.recordListingObservations': WRITERS,
  'Mutation.recordEntities': WRITERS,
  'Mutation.recordShipments': WRITERS,
  'Mutation.recordCases': WRITERS,
  'Mutation.recordTrademarks': WRITERS,
  // exploration (schema/explore, networks, damages, customs .graphql): staff read, writers edit
  'Query.search': STAFF,
  'Query.identifierLookup': STAFF,
  'Query.expand': STAFF,
  'Query.linkPaths': STAFF,
  'Query.hubs': STAFF,
  'Query.networks': STAFF,
  'Query.network': STAFF,
  'Query.networkOf': STAFF,
  'Query.caseDamages': STAFF,
  'Query.networkDamages': STAFF,
  'Query.trademarks': STAFF,
  'Query.expiringRecordations': STAFF,
  'Query.seizures': STAFF,
  'Mutation.removeLink': WRITERS,
  'Mutation.restoreLink': WRITERS,
  'Mutation.recomputeNetworks': ['admin'],
  // evidence (schema/evidence.graphql): staff read; analysts and admins handle evidence
  'Query.verifyEvidence': STAFF,
  'Query.testPurchases': STAFF,
  'Mutation.updateEvidence': WRITERS,
  'Mutation.transferEvidence': WRITERS,
  'Mutation.requestEvidenceDeletion': WRITERS,
  'Mutation.recordTestPurchase': WRITERS,
  'Mutation.authenticateTestPurchase': WRITERS,
  'Mutation.exportDossier': WRITERS,
  // federation (schema/federation.graphql): peer management and the audit log are admin-only
  'Query.peers': ['admin'],
  'Query.peer': ['admin'],
  'Query.federationAudit': ['admin'],
  'Query.verifyFederationAudit': ['admin'],
  'Query.federationOutbox': ['admin'],
  'Query.federationWhoAmI': PEER_ROLES,
  'Mutation.addPeer': ['admin'],
  'Mutation.suspendPeer': ['admin'],
  'Mutation.revokePeer': ['admin'],
  'Mutation.reinstatePeer': ['admin'],
  'Mutation.setPeerPolicy': ['admin'],
  'Mutation.refreshPeerKeys': ['admin'],
  // privacy (schema/privacy.graphql): analysts see matches; peers only the partner query
  'Query.crossBrandMatches': STAFF,
  'Query.indicatorsKnown': PEER_ROLES,
  'Mutation.shareIndicators': ['admin'],
  'Mutation.retokenizeIdentifiers': ['admin'],
  'Mutation.privateSetIntersection': WRITERS,
  // associations and STIX (schema/association.graphql, issue 8); TAXII has its own routes
  'Query.associationReport': STAFF,
  'Query.stixExport': STAFF,
  'Mutation.sendMemberReport': ['admin'],
  'Mutation.publishAssociationReport': ['admin'],
  // STIX import (schema/interop.graphql): it writes the graph
  'Mutation.importStixBundle': WRITERS,
};

/**
 * Coordinates only SENSITIVE_READERS may select, wherever they appear in a selection: 'Type.field',
 * or 'Type.*' for every field of a type. Fields marked `@sensitive` in the SDL count too, and a
 * sensitive field of an implementation makes the interface field sensitive.
 */
export const SENSITIVE: readonly string[] = [
  // Raw identifier values (schema/graph.graphql); an interface entry covers every implementation.
  'Identifier.key',
  'Identifier.display',
  'Identifier.raw',
  'Identifier.rawVariants',
  'Identifier.normalizationError',
];

export const SENSITIVE_READERS: readonly Role[] = STAFF;

/**
 * Object, interface and union types whose fields peers may select (besides the root types, which the
 * operation list governs). Everything else is invisible to partner and association callers, so a new
 * domain type never leaks to peers by accident.
 */
export const PEER_VISIBLE_TYPES: readonly string[] = [
  'NodeInfo',
  'PageInfo',
  'PeerSelf',
  'IndicatorLookup',
  'KnownIndicator',
];

/** Who may query __schema / __type when introspection is on (PALISADE_INTROSPECTION). */
export const INTROSPECTION_ROLES: readonly Role[] = STAFF;

/** Field names that look like raw identifiers: on a peer-visible type they must be classified. */
export const IDENTIFIER_LIKE =
  /phone|e?mail|address|account|iban|card|wechat|whatsapp|telegram|qq|url|domain|handle|storefront|passport|licen[cs]e|tax|raw|plain|contact|person/i;

/** Identifier-looking fields on peer-visible types reviewed as safe to share, with why. */
export const NOT_SENSITIVE: Readonly<Record<string, string>> = {};

export interface AccessMatrix {
  operations: Readonly<Record<string, readonly Role[]>>;
  sensitive: readonly string[];
  sensitiveReaders: readonly Role[];
  peerRoles: readonly Role[];
  peerVisibleTypes: readonly string[];
  introspectionRoles: readonly Role[];
}

export const MATRIX: AccessMatrix = {
  operations: OPERATIONS,
  sensitive: SENSITIVE,
  sensitiveReaders: SENSITIVE_READERS,
  peerRoles: PEER_ROLES,
  peerVisibleTypes: PEER_VISIBLE_TYPES,
  introspectionRoles: INTROSPECTION_ROLES,
};
