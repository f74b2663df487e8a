// The infringer graph's vocabulary shared by ingest (writes) and graph (reads): node labels,
// identifier labels, relationship types and how a natural key becomes a uid / Relay id.
import { withFields } from '../db/lazy-properties.js';
import type { IdentifierKind } from '../identifiers/types.js';
import { toGlobalId } from '../server/relay.js';

/** Record nodes: each also carries :Entity with uid = "<label>:<natural key>". */
export const ENTITY_LABELS = [
  'Platform',
  'Seller',
  'Storefront',
  'Listing',
  'Product',
  'Trademark',
  'CustomsRecordation',
  'Factory',
  'Company',
  'Person',
  'Shipment',
  'LogisticsRoute',
  'Case',
  'Evidence',
  'EnforcementAction',
] as const;
export type EntityLabel = (typeof ENTITY_LABELS)[number];

/** The identifier kinds that become graph nodes (a URL keys a Listing/Storefront instead). */
export type NodeIdentifierKind = Exclude<IdentifierKind, 'url'>;

export const IDENTIFIER_LABELS: Readonly<Record<NodeIdentifierKind, string>> = {
  phone: 'Phone',
  email: 'Email',
  address: 'Address',
  paymentAccount: 'PaymentAccount',
  domain: 'Domain',
  messagingHandle: 'MessagingHandle',
  waybill: 'Waybill',
};
export type IdentifierLabel =
  'Phone' | 'Email' | 'Address' | 'PaymentAccount' | 'Domain' | 'MessagingHandle' | 'Waybill';

const KIND_BY_LABEL = new Map<string, NodeIdentifierKind>(
  Object.entries(IDENTIFIER_LABELS).map(([kind, label]) => [label, kind as NodeIdentifierKind]),
);

export function identifierKindOfLabel(label: string): NodeIdentifierKind | undefined {
  return KIND_BY_LABEL.get(label);
}

export function isEntityLabel(label: string): label is EntityLabel {
  return (ENTITY_LABELS as readonly string[]).includes(label);
}

/** The uid of a record node: the payload of its Relay global id. */
export function entityUid(label: EntityLabel, key: string): string {
  return `${label}:${key}`;
}

/** Natural keys made of several parts are joined with ':' (parts never start the uid). */
export function sellerKey(platform: string, accountId: string): string {
  return `${platform}:${accountId}`;
}

export function trademarkKey(
  jurisdiction: string,
  registrationNumber: string,
  cls: number,
): string {
  return `${jurisdiction}:${registrationNumber}:${cls}`;
}

export function recordationKey(jurisdiction: string, number: string): string {
  return `${jurisdiction}:${number}`;
}

/** The GraphQL type, Relay id and fields of a node read from the graph. */
export function toGraphObject(
  labels: readonly string[],
  props: Record<string, unknown>,
): Record<string, unknown> | null {
  for (const label of labels) {
    if (isEntityLabel(label) && typeof props['uid'] === 'string') {
      return withFields(props, { __typename: label, id: uidToId(props['uid']) });
    }
    if (identifierKindOfLabel(label) && typeof props['key'] === 'string') {
      return withFields(props, { __typename: label, id: toGlobalId(label, props['key']) });
    }
  }
  return null;
}

/** The Relay id of a record node from its uid. */
export function uidToId(uid: string): string {
  return Buffer.from(uid, 'utf8').toString('base64url');
}

/** GraphQL spells identifier kinds as enum values; the graph and src/identifiers in camelCase. */
export const IDENTIFIER_KIND_VALUE: Readonly<Record<NodeIdentifierKind, string>> = {
  phone: 'PHONE',
  email: 'EMAIL',
  address: 'ADDRESS',
  paymentAccount: 'PAYMENT_ACCOUNT',
  domain: 'DOMAIN',
  messagingHandle: 'MESSAGING_HANDLE',
  waybill: 'WAYBILL',
};
