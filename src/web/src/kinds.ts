// What each kind of graph node is called and how it is drawn: colour per kind, identifier kinds.
export const IDENTIFIER_KINDS = [
  'PHONE',
  'EMAIL',
  'ADDRESS',
  'PAYMENT_ACCOUNT',
  'DOMAIN',
  'MESSAGING_HANDLE',
  'WAYBILL',
] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** GraphQL type name of each identifier kind. */
export const IDENTIFIER_TYPENAME: Readonly<Record<IdentifierKind, string>> = {
  PHONE: 'Phone',
  EMAIL: 'Email',
  ADDRESS: 'Address',
  PAYMENT_ACCOUNT: 'PaymentAccount',
  DOMAIN: 'Domain',
  MESSAGING_HANDLE: 'MessagingHandle',
  WAYBILL: 'Waybill',
};

const KIND_OF_TYPENAME = new Map<string, IdentifierKind>(
  IDENTIFIER_KINDS.map((k) => [IDENTIFIER_TYPENAME[k], k]),
);

export function identifierKindOf(typename: string): IdentifierKind | undefined {
  return KIND_OF_TYPENAME.get(typename);
}

/** Colour per node type: identifiers warm, parties cool, records grey, legal work purple. */
export const KIND_COLOURS: Readonly<Record<string, string>> = {
  Seller: '#1f5fa8',
  Storefront: '#3b7dd8',
  Listing: '#6b9bd6',
  Platform: '#0f3d6e',
  Factory: '#2e7d32',
  Company: '#43a047',
  Person: '#66bb6a',
  Product: '#7a7a7a',
  Trademark: '#5d4037',
  CustomsRecordation: '#795548',
  Shipment: '#546e7a',
  LogisticsRoute: '#78909c',
  Phone: '#c62828',
  Email: '#d84315',
  Address: '#ef6c00',
  PaymentAccount: '#ad1457',
  Domain: '#f9a825',
  MessagingHandle: '#e65100',
  Waybill: '#8d6e63',
  Case: '#6a1b9a',
  Evidence: '#8e24aa',
  EnforcementAction: '#4a148c',
  Network: '#00695c',
};

export function colourOf(typename: string): string {
  return KIND_COLOURS[typename] ?? '#555555';
}

/** "PAYMENT_ACCOUNT" → "Payment account"; "PaymentAccount" → "Payment account". */
export function humanKind(kind: string): string {
  const words = kind.includes('_')
    ? kind.toLowerCase().split('_')
    : kind
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .toLowerCase()
        .split(' ');
  const s = words.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
