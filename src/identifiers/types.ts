// The identifier kinds Palisade keys graph nodes by, and the shape every normalizer answers with.

export const IDENTIFIER_KINDS = [
  'phone',
  'email',
  'address',
  'paymentAccount',
  'domain',
  'url',
  'messagingHandle',
  'waybill',
] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export function isIdentifierKind(value: unknown): value is IdentifierKind {
  return typeof value === 'string' && (IDENTIFIER_KINDS as readonly string[]).includes(value);
}

export interface IdentifierInput {
  kind: IdentifierKind;
  value: string;
  /** ISO 3166 alpha-2 default region of the source (e.g. 'CN'); used for phone numbers. */
  region?: string;
  /** Payment provider, messaging platform or waybill carrier, depending on the kind. */
  provider?: string;
}

export interface NormalizedOk {
  ok: true;
  kind: IdentifierKind;
  /** Natural key of the graph node: equal keys mean the same real-world identifier. */
  key: string;
  /** What an analyst should see. */
  display: string;
  /** The value exactly as it was given. */
  raw: string;
  details?: Record<string, string>;
}

export interface NormalizedFailure {
  ok: false;
  kind: IdentifierKind;
  raw: string;
  /** Names what is wrong; never repeats the value, so it is safe to log. */
  reason: string;
}

export type NormalizedIdentifier = NormalizedOk | NormalizedFailure;
