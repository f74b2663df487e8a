// The five record kinds analysts feed the node with, as zod schemas: the one validation of a
// record whether it came from a GraphQL mutation, a CSV row or a JSONL line.
import { z } from 'zod';

export const RECORD_KINDS = ['listing', 'entity', 'shipment', 'case', 'trademark'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

// Files and GraphQL spell optional values differently (absent, null, ""): all mean "not given".
const absent = (v: unknown): unknown =>
  v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v;

/** "paymentAccount", "payment account", "PAYMENT_ACCOUNT" → "PAYMENT_ACCOUNT". */
export function enumSpelling(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  return v
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toUpperCase();
}

const opt = <T extends z.ZodType>(schema: T) => z.preprocess(absent, schema.optional());

const text = (max = 500) => z.string().trim().min(1, 'must not be empty').max(max);

const numeric = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  const cleaned = v.trim().replace(/[,_\s]/g, '');
  return cleaned === '' ? undefined : Number(cleaned);
};
const num = () => z.preprocess(numeric, z.number({ error: 'must be a number' }).finite());
const count = () =>
  z.preprocess(
    numeric,
    z
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must not be negative'),
  );

const bool = () =>
  z.preprocess(
    (v) => (typeof v === 'string' ? ['true', '1', 'yes', 'y'].includes(v.trim().toLowerCase()) : v),
    z.boolean(),
  );

const DATE = /^(\d{4})[-/](\d{2})[-/](\d{2})$/;

/** A calendar date, YYYY-MM-DD (slashes accepted), checked to exist. */
const date = () =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      const m = DATE.exec(v);
      const iso = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
      const d = new Date(`${iso}T00:00:00Z`);
      if (!m || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) {
        ctx.addIssue({ code: 'custom', message: 'must be a date such as 2026-03-31' });
        return z.NEVER;
      }
      return iso;
    });

/** An instant: an ISO date-time (with zone; UTC assumed without) or a date (midnight UTC). */
const dateTime = () =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      const iso = DATE.test(v)
        ? `${v.replace(/\//g, '-')}T00:00:00Z`
        : /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)
          ? `${v.replace(' ', 'T')}Z`
          : v;
      const d = new Date(iso);
      if (!/^\d{4}-\d{2}-\d{2}/.test(iso) || Number.isNaN(d.getTime())) {
        ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 date-time' });
        return z.NEVER;
      }
      return d.toISOString();
    });

const choice = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(enumSpelling, z.enum(values, { error: `must be one of ${values.join(', ')}` }));

const region = () =>
  z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as CN');

const currency = () =>
  z
    .string()
    .trim()
    .toUpperCase()
    .transform((v) => (v === 'RMB' ? 'CNY' : v))
    .pipe(z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CNY'));

/** Platform codes are lowercase slugs (jd, douyin, amazon) or a website's host. */
const platformCode = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9.-]{0,62}$/, 'must be a platform code such as jd, taobao or amazon');

/** Every record says who reported it and when; confidence 0–1 (default 1). */
const provenance = {
  source: text(200),
  observedAt: dateTime(),
  confidence: opt(z.preprocess(numeric, z.number().min(0).max(1, 'must be between 0 and 1'))),
  region: opt(region()),
};

export const IDENTIFIER_KIND_VALUES = [
  'PHONE',
  'EMAIL',
  'ADDRESS',
  'PAYMENT_ACCOUNT',
  'DOMAIN',
  'MESSAGING_HANDLE',
  'WAYBILL',
] as const;
export type IdentifierKindValue = (typeof IDENTIFIER_KIND_VALUES)[number];

export const IDENTIFIER_ROLES = [
  'REGISTERED',
  'RETURN',
  'SHIPS_FROM',
  'LOCATION',
  'CONTACT',
] as const;
export type IdentifierRole = (typeof IDENTIFIER_ROLES)[number];

export const IdentifierInput = z.object({
  kind: choice(IDENTIFIER_KIND_VALUES),
  value: z.string().trim().min(1, 'must not be empty').max(2000),
  /** Payment provider, messaging app or carrier. */
  provider: opt(text(100)),
  region: opt(region()),
  /** For addresses: what the address is to the entity (default LOCATION; RETURN for sellers). */
  role: opt(choice(IDENTIFIER_ROLES)),
});
export type IdentifierInput = z.infer<typeof IdentifierInput>;

export const ENTITY_REF_KINDS = [
  'SELLER',
  'STOREFRONT',
  'LISTING',
  'PRODUCT',
  'FACTORY',
  'COMPANY',
  'PERSON',
  'SHIPMENT',
] as const;
export type EntityRefKind = (typeof ENTITY_REF_KINDS)[number];

/** Points at a record by its natural key: sellers by platform + account id, listings and
 * storefronts by URL, products by SKU, the others by their key. */
export const EntityRefInput = z
  .object({
    kind: choice(ENTITY_REF_KINDS),
    key: text(2000),
    platform: opt(platformCode()),
  })
  .refine((r) => r.kind !== 'SELLER' || r.platform !== undefined, {
    message: 'a SELLER reference needs its platform',
    path: ['platform'],
  });
export type EntityRefInput = z.infer<typeof EntityRefInput>;

export const TrademarkRefInput = z.object({
  jurisdiction: region().or(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2,5}$/),
  ),
  registrationNumber: text(100),
  class: z.preprocess(numeric, z.number().int().min(1).max(45, 'must be a Nice class 1–45')),
});
export type TrademarkRefInput = z.infer<typeof TrademarkRefInput>;

export const ProductInput = z.object({
  sku: text(200),
  name: opt(text(500)),
  brand: opt(text(200)),
  category: opt(text(200)),
});
export type ProductInput = z.infer<typeof ProductInput>;

export const LISTING_STATUSES = ['ACTIVE', 'REMOVED', 'TAKEN_DOWN', 'SOLD_OUT', 'UNKNOWN'] as const;
export const PLATFORM_KINDS = ['MARKETPLACE', 'SOCIAL', 'WEBSITE', 'OTHER'] as const;

export const ListingObservationInput = z.object({
  ...provenance,
  platform: platformCode(),
  platformName: opt(text(200)),
  platformKind: opt(choice(PLATFORM_KINDS)),
  seller: z.object({
    accountId: text(500),
    displayName: opt(text(500)),
    /** Entity details the platform disclosed. */
    legalName: opt(text(500)),
    businessLicenceNumber: opt(text(100)),
    registeredAddress: opt(text(2000)),
    status: opt(text(100)),
  }),
  storefront: opt(z.object({ url: text(4000), name: opt(text(500)) })),
  listing: opt(
    z.object({
      url: text(4000),
      title: opt(text(2000)),
      price: opt(num()),
      currency: opt(currency()),
      unitsSold: opt(count()),
      status: opt(choice(LISTING_STATUSES)),
      product: opt(ProductInput),
      trademarks: opt(z.array(TrademarkRefInput).max(50)),
    }),
  ),
  identifiers: opt(z.array(IdentifierInput).max(100)),
});
export type ListingObservationInput = z.infer<typeof ListingObservationInput>;

export const PARTY_KINDS = ['FACTORY', 'COMPANY', 'PERSON'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];
export const PARTY_RELATIONS = [
  'SUPPLIES',
  'OPERATES',
  'OWNS',
  'OFFICER_OF',
  'EMPLOYED_BY',
  'AFFILIATED_WITH',
] as const;
export type PartyRelation = (typeof PARTY_RELATIONS)[number];

export const EntityRecordInput = z.object({
  ...provenance,
  kind: choice(PARTY_KINDS),
  /** The analyst's key; without it: the registration number, else the normalized name. */
  key: opt(text(500)),
  name: text(500),
  legalName: opt(text(500)),
  registrationNumber: opt(text(100)),
  jurisdiction: opt(region()),
  description: opt(text(4000)),
  role: opt(text(200)),
  identifiers: opt(z.array(IdentifierInput).max(100)),
  links: opt(
    z.array(z.object({ relation: choice(PARTY_RELATIONS), target: EntityRefInput })).max(1000),
  ),
});
export type EntityRecordInput = z.infer<typeof EntityRecordInput>;

export const TRANSPORT_MODES = ['AIR', 'SEA', 'ROAD', 'RAIL', 'POST', 'EXPRESS'] as const;

export const RouteInput = z.object({
  origin: text(200),
  via: opt(z.array(text(200)).max(20)),
  destination: text(200),
  carrier: opt(text(200)),
  port: opt(text(200)),
  mode: opt(choice(TRANSPORT_MODES)),
});
export type RouteInput = z.infer<typeof RouteInput>;

export const ShipmentRecordInput = z
  .object({
    ...provenance,
    shipmentId: opt(text(200)),
    waybill: opt(text(200)),
    carrier: opt(text(200)),
    shippedAt: opt(dateTime()),
    declaredContents: opt(text(2000)),
    quantity: opt(count()),
    weightKg: opt(num()),
    declaredValue: opt(num()),
    currency: opt(currency()),
    sender: opt(EntityRefInput),
    senderAddress: opt(text(2000)),
    recipientAddress: opt(text(2000)),
    route: opt(RouteInput),
  })
  .refine((s) => s.shipmentId !== undefined || s.waybill !== undefined, {
    message: 'a shipment needs a shipmentId or a waybill',
    path: ['shipmentId'],
  });
export type ShipmentRecordInput = z.infer<typeof ShipmentRecordInput>;

export const CASE_STATUSES = [
  'OPEN',
  'UNDER_INVESTIGATION',
  'REFERRED',
  'IN_COURT',
  'CLOSED',
] as const;
export const EVIDENCE_KINDS = [
  'SCREENSHOT',
  'WEB_CAPTURE',
  'TEST_PURCHASE',
  'NOTARIZED_RECORD',
  'PHOTO',
  'DOCUMENT',
  'PLATFORM_DISCLOSURE',
  'OTHER',
] as const;
export const ENFORCEMENT_KINDS = [
  'TAKEDOWN',
  'TEST_PURCHASE',
  'RAID',
  'SEIZURE',
  'ARREST',
  'CUSTOMS_DETENTION',
  'CIVIL_SUIT',
  'CRIMINAL_CASE',
] as const;

export const EvidenceInput = z.object({
  evidenceId: text(200),
  kind: choice(EVIDENCE_KINDS),
  title: opt(text(500)),
  description: opt(text(4000)),
  capturedAt: opt(dateTime()),
  sha256: opt(
    z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits'),
  ),
  storageUri: opt(text(4000)),
  notarized: opt(bool()),
  concerns: opt(z.array(EntityRefInput).max(1000)),
});
export type EvidenceInput = z.infer<typeof EvidenceInput>;

export const EnforcementActionInput = z.object({
  actionId: text(200),
  kind: choice(ENFORCEMENT_KINDS),
  date: opt(date()),
  jurisdiction: opt(region()),
  authority: opt(text(500)),
  /** Cities or places where it happened. */
  locations: opt(z.array(text(200)).max(100)),
  itemsSeized: opt(count()),
  /** True when itemsSeized is a lower bound ("more than 2 million"). */
  itemsSeizedAtLeast: opt(bool()),
  seizedGoods: opt(text(1000)),
  suspects: opt(count()),
  arrests: opt(count()),
  amount: opt(num()),
  currency: opt(currency()),
  /** What the amount measures: case value, fine, damages awarded, … */
  amountBasis: opt(text(200)),
  outcome: opt(text(4000)),
  description: opt(text(4000)),
  targets: opt(z.array(EntityRefInput).max(1000)),
  trademarks: opt(z.array(TrademarkRefInput).max(100)),
});
export type EnforcementActionInput = z.infer<typeof EnforcementActionInput>;

export const CaseRecordInput = z
  .object({
    ...provenance,
    caseId: text(200),
    title: text(500),
    status: opt(choice(CASE_STATUSES)),
    jurisdiction: opt(region()),
    openedOn: opt(date()),
    closedOn: opt(date()),
    summary: opt(text(8000)),
    entities: opt(z.array(EntityRefInput).max(5000)),
    evidence: opt(z.array(EvidenceInput).max(1000)),
    actions: opt(z.array(EnforcementActionInput).max(1000)),
  })
  .refine((c) => !c.openedOn || !c.closedOn || c.openedOn <= c.closedOn, {
    message: 'closedOn is before openedOn',
    path: ['closedOn'],
  });
export type CaseRecordInput = z.infer<typeof CaseRecordInput>;

export const TrademarkRecordInput = z
  .object({
    ...provenance,
    mark: text(500),
    registrationNumber: text(100),
    class: z.preprocess(numeric, z.number().int().min(1).max(45, 'must be a Nice class 1–45')),
    jurisdiction: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2,5}$/, 'must be a jurisdiction code such as CN, EU or WIPO'),
    owner: opt(text(500)),
    validFrom: opt(date()),
    validUntil: opt(date()),
    goods: opt(text(4000)),
    products: opt(z.array(ProductInput).max(1000)),
    recordation: opt(
      z.object({
        number: text(100),
        /** Defaults to the trademark's jurisdiction. */
        jurisdiction: opt(region()),
        authority: opt(text(500)),
        validFrom: opt(date()),
        validUntil: opt(date()),
      }),
    ),
  })
  .refine((t) => !t.validFrom || !t.validUntil || t.validFrom <= t.validUntil, {
    message: 'validUntil is before validFrom',
    path: ['validUntil'],
  })
  .refine(
    (t) =>
      !t.recordation?.validFrom ||
      !t.recordation.validUntil ||
      t.recordation.validFrom <= t.recordation.validUntil,
    { message: 'validUntil is before validFrom', path: ['recordation', 'validUntil'] },
  );
export type TrademarkRecordInput = z.infer<typeof TrademarkRecordInput>;

export const RECORD_SCHEMAS = {
  listing: ListingObservationInput,
  entity: EntityRecordInput,
  shipment: ShipmentRecordInput,
  case: CaseRecordInput,
  trademark: TrademarkRecordInput,
} as const;

export type RecordInputs = {
  listing: ListingObservationInput;
  entity: EntityRecordInput;
  shipment: ShipmentRecordInput;
  case: CaseRecordInput;
  trademark: TrademarkRecordInput;
};

/** A validated record of any kind. */
export type AnyRecord = { [K in RecordKind]: { kind: K; input: RecordInputs[K] } }[RecordKind];

export interface RecordError {
  code: 'INVALID' | 'UNUSABLE_KEY' | 'REJECTED_BY_DATABASE';
  message: string;
  /** The field at fault, dotted (e.g. "listing.price"). */
  path?: string;
}

/** Validates one record; every problem is named with its field path. */
export function parseRecord(
  kind: RecordKind,
  value: unknown,
): { ok: true; record: AnyRecord } | { ok: false; errors: RecordError[] } {
  const parsed = RECORD_SCHEMAS[kind].safeParse(value);
  if (parsed.success) return { ok: true, record: { kind, input: parsed.data } as AnyRecord };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      return {
        code: 'INVALID' as const,
        message: path ? `${path}: ${issue.message}` : issue.message,
        ...(path && { path }),
      };
    }),
  };
}
