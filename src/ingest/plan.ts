// Turns one validated record into the nodes, identifiers and relationships it asserts (a
// "patch"): pure, so what a record means is testable without Neo4j. Natural keys are decided
// here; identifiers go through src/identifiers, and one that cannot be normalized is kept raw
// with a warning rather than dropped.
import { normalizeIdentifier } from '../identifiers/index.js';
import type { Normalizer } from '../identifiers/memo.js';
import type { IdentifierKind } from '../identifiers/types.js';
import {
  entityUid,
  IDENTIFIER_LABELS,
  recordationKey,
  sellerKey,
  trademarkKey,
  type EntityLabel,
  type NodeIdentifierKind,
} from '../graph/model.js';
import { toGlobalId } from '../server/relay.js';
import type {
  AnyRecord,
  CaseRecordInput,
  EntityRecordInput,
  EntityRefInput,
  IdentifierInput,
  IdentifierKindValue,
  IdentifierRole,
  ListingObservationInput,
  PartyRelation,
  RecordError,
  ShipmentRecordInput,
  TrademarkRecordInput,
  TrademarkRefInput,
} from './model.js';

export type PropValue = string | number | boolean | string[];

export interface NodeSpec {
  uid: string;
  label: EntityLabel;
  /** The natural-key properties, set when the node is created. */
  keys: Record<string, string | number>;
  props: Record<string, PropValue>;
  /** Calendar-date properties (YYYY-MM-DD), stored as Neo4j dates. */
  dates: Record<string, string>;
  /** Instant properties (ISO 8601), stored as Neo4j datetimes. */
  datetimes: Record<string, string>;
}

export interface IdentifierSpec {
  kind: NodeIdentifierKind;
  label: string;
  key: string;
  display: string;
  raw: string;
  normalized: boolean;
  reason?: string;
  /** Facts the normalizer derived (country, city, provider…): strings only. */
  props: Record<string, string>;
}

export type LinkTarget = { uid: string } | { kind: NodeIdentifierKind; key: string };

export interface LinkSpec {
  from: string;
  type: string;
  to: LinkTarget;
}

export interface IdentifierWarning {
  path: string;
  kind: IdentifierKindValue;
  reason: string;
  /** The Relay id of the raw identifier node that was stored. */
  id: string;
}

export interface RecordPatch {
  /** The node the record is about (its result carries this node's Relay id). */
  primaryUid: string;
  source: string;
  observedAt: string;
  confidence: number;
  nodes: NodeSpec[];
  identifiers: IdentifierSpec[];
  links: LinkSpec[];
  warnings: IdentifierWarning[];
}

export interface PlanOptions {
  /** Phone region for records that name none. */
  defaultRegion: string;
  /** How identifiers are normalized (bulk ingest passes a memoized one). */
  normalize?: Normalizer;
}

export type PlanResult = { ok: true; patch: RecordPatch } | { ok: false; errors: RecordError[] };

const KIND_OF_VALUE: Readonly<Record<IdentifierKindValue, NodeIdentifierKind>> = {
  PHONE: 'phone',
  EMAIL: 'email',
  ADDRESS: 'address',
  PAYMENT_ACCOUNT: 'paymentAccount',
  DOMAIN: 'domain',
  MESSAGING_HANDLE: 'messagingHandle',
  WAYBILL: 'waybill',
};

/** The relationship an entity has to each kind of identifier; addresses by their role. */
const LINK_OF_KIND: Readonly<Record<NodeIdentifierKind, string>> = {
  phone: 'USES_PHONE',
  email: 'USES_EMAIL',
  address: 'LOCATED_AT',
  paymentAccount: 'PAID_TO',
  domain: 'USES_DOMAIN',
  messagingHandle: 'USES_HANDLE',
  waybill: 'USES_WAYBILL',
};
const LINK_OF_ADDRESS_ROLE: Readonly<Record<IdentifierRole, string>> = {
  REGISTERED: 'REGISTERED_AT',
  RETURN: 'RETURNS_TO',
  SHIPS_FROM: 'SHIPS_FROM',
  LOCATION: 'LOCATED_AT',
  CONTACT: 'LOCATED_AT',
};

/** Party relations as stored: SUPPLIES is kept the way sellers are asked about (SUPPLIED_BY). */
const PARTY_LINKS: Readonly<Record<PartyRelation, { type: string; reversed: boolean }>> = {
  SUPPLIES: { type: 'SUPPLIED_BY', reversed: true },
  OPERATES: { type: 'OPERATES', reversed: false },
  OWNS: { type: 'OWNS', reversed: false },
  OFFICER_OF: { type: 'OFFICER_OF', reversed: false },
  EMPLOYED_BY: { type: 'EMPLOYED_BY', reversed: false },
  AFFILIATED_WITH: { type: 'AFFILIATED_WITH', reversed: false },
};

/** NFKC, lowercase, single spaces: how free-text parts of keys (names, places) are compared. */
export function keyText(value: string): string {
  return value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

function clean<T extends Record<string, unknown>>(obj: T): { [K in keyof T]: NonNullable<T[K]> } {
  return Object.fromEntries(
    Object.entries(obj).filter(([, v]) => v !== undefined && v !== null),
  ) as {
    [K in keyof T]: NonNullable<T[K]>;
  };
}

class RecordPlanner {
  readonly nodes = new Map<string, NodeSpec>();
  readonly identifiers = new Map<string, IdentifierSpec>();
  readonly links = new Map<string, LinkSpec>();
  readonly warnings: IdentifierWarning[] = [];
  readonly errors: RecordError[] = [];

  constructor(
    readonly region: string,
    readonly normalize: Normalizer = normalizeIdentifier,
  ) {}

  node(
    label: EntityLabel,
    key: string,
    keys: Record<string, string | number>,
    props: Record<string, PropValue | undefined> = {},
    dates: Record<string, string | undefined> = {},
    datetimes: Record<string, string | undefined> = {},
  ): string {
    const uid = entityUid(label, key);
    const existing = this.nodes.get(uid);
    const spec: NodeSpec = existing ?? { uid, label, keys, props: {}, dates: {}, datetimes: {} };
    Object.assign(spec.props, clean(props));
    Object.assign(spec.dates, clean(dates));
    Object.assign(spec.datetimes, clean(datetimes));
    this.nodes.set(uid, spec);
    return uid;
  }

  link(from: string, type: string, to: LinkTarget): void {
    const target = 'uid' in to ? to.uid : `${to.kind}\u0000${to.key}`;
    this.links.set(`${from}\u0000${type}\u0000${target}`, { from, type, to });
  }

  platform(code: string, props: Record<string, PropValue | undefined> = {}): string {
    return this.node('Platform', code, { code }, props);
  }

  seller(
    platform: string,
    accountId: string,
    props: Record<string, PropValue | undefined> = {},
  ): string {
    const platformUid = this.platform(platform);
    const uid = this.node('Seller', sellerKey(platform, accountId), { platform, accountId }, props);
    this.link(uid, 'ON_PLATFORM', { uid: platformUid });
    return uid;
  }

  /** A URL-keyed node (listing, storefront); undefined (with an error) when the URL is unusable. */
  urlKey(url: string, path: string): { key: string; display: string; domain?: string } | undefined {
    const n = this.normalize({ kind: 'url', value: url });
    if (!n.ok) {
      this.errors.push({ code: 'UNUSABLE_KEY', message: `${path}: ${n.reason}`, path });
      return undefined;
    }
    return {
      key: n.key,
      display: n.display,
      ...(n.details?.['domain'] && { domain: n.details['domain'] }),
    };
  }

  trademark(ref: TrademarkRefInput): string {
    return this.node(
      'Trademark',
      trademarkKey(ref.jurisdiction, ref.registrationNumber, ref.class),
      {
        jurisdiction: ref.jurisdiction,
        registrationNumber: ref.registrationNumber,
        class: ref.class,
      },
    );
  }

  /** The uid of a referenced record (merged as a stub when not yet known). */
  ref(ref: EntityRefInput, path: string): string | undefined {
    switch (ref.kind) {
      case 'SELLER':
        return this.seller(ref.platform ?? '', ref.key);
      case 'STOREFRONT':
      case 'LISTING': {
        const k = this.urlKey(ref.key, `${path}.key`);
        if (!k) return undefined;
        const label = ref.kind === 'LISTING' ? 'Listing' : 'Storefront';
        return this.node(label, k.key, { key: k.key }, { url: k.display });
      }
      case 'PRODUCT':
        return this.node('Product', ref.key, { sku: ref.key });
      case 'FACTORY':
        return this.node('Factory', ref.key, { key: ref.key });
      case 'COMPANY':
        return this.node('Company', ref.key, { key: ref.key });
      case 'PERSON':
        return this.node('Person', ref.key, { key: ref.key });
      case 'SHIPMENT':
        return this.node('Shipment', ref.key, { key: ref.key });
    }
  }

  /** Normalizes an identifier and links it from `from` (if any); unnormalizable values are kept raw. */
  identifier(
    from: string | undefined,
    input: { kind: NodeIdentifierKind; value: string; provider?: string; region?: string },
    path: string,
    linkType: string,
  ): void {
    const kind: IdentifierKind = input.kind;
    const n = this.normalize({
      kind,
      value: input.value,
      region: input.region ?? this.region,
      ...(input.provider !== undefined && { provider: input.provider }),
    });
    const label = IDENTIFIER_LABELS[input.kind];
    let spec: IdentifierSpec;
    if (n.ok) {
      const props: Record<string, string> = {};
      for (const [k, v] of Object.entries(n.details ?? {}))
        props[k === 'type' ? 'numberType' : k] = v;
      spec = {
        kind: input.kind,
        label,
        key: n.key,
        display: n.display,
        raw: n.raw,
        normalized: true,
        props,
      };
    } else {
      // Kept under a key no normalized value can have, so the same raw text still merges.
      const raw = input.value.trim();
      spec = {
        kind: input.kind,
        label,
        key: `raw:${raw}`,
        display: raw,
        raw: input.value,
        normalized: false,
        reason: n.reason,
        props: input.provider !== undefined ? { provider: input.provider } : {},
      };
      this.warnings.push({
        path,
        kind: kindValue(input.kind),
        reason: n.reason,
        id: toGlobalId(label, spec.key),
      });
    }
    const id = `${spec.kind}\u0000${spec.key}`;
    const existing = this.identifiers.get(id);
    if (!existing) this.identifiers.set(id, spec);
    if (from !== undefined) this.link(from, linkType, { kind: spec.kind, key: spec.key });
  }

  identifierInputs(
    from: string,
    inputs: IdentifierInput[] | undefined,
    path: string,
    defaultAddressRole: IdentifierRole,
  ): void {
    (inputs ?? []).forEach((input, i) => {
      const kind = KIND_OF_VALUE[input.kind];
      const type =
        kind === 'address'
          ? LINK_OF_ADDRESS_ROLE[input.role ?? defaultAddressRole]
          : LINK_OF_KIND[kind];
      this.identifier(
        from,
        {
          kind,
          value: input.value,
          ...(input.provider !== undefined && { provider: input.provider }),
          ...(input.region !== undefined && { region: input.region }),
        },
        `${path}.${i}`,
        type,
      );
    });
  }
}

function kindValue(kind: NodeIdentifierKind): IdentifierKindValue {
  const entry = Object.entries(KIND_OF_VALUE).find(([, k]) => k === kind);
  return (entry?.[0] ?? 'PHONE') as IdentifierKindValue;
}

/** The natural key of a factory, company or person (see MAPPING.md). */
export function partyKey(
  input: {
    key?: string | undefined;
    name: string;
    registrationNumber?: string | undefined;
    jurisdiction?: string | undefined;
  },
  region: string,
): string {
  if (input.key !== undefined) return input.key;
  if (input.registrationNumber !== undefined) {
    return `reg:${input.jurisdiction ?? region}:${input.registrationNumber.toUpperCase()}`;
  }
  return `name:${keyText(input.name)}`;
}

export function routeKey(route: {
  origin: string;
  via?: string[] | undefined;
  destination: string;
  carrier?: string | undefined;
  port?: string | undefined;
}): string {
  const path = [route.origin, ...(route.via ?? []), route.destination].map(keyText).join('>');
  return `${path}|${keyText(route.carrier ?? '')}|${keyText(route.port ?? '')}`;
}

function planListing(p: RecordPlanner, r: ListingObservationInput): string {
  const platformUid = p.platform(r.platform, { name: r.platformName, kind: r.platformKind });
  const s = r.seller;
  const sellerUid = p.seller(r.platform, s.accountId, {
    displayName: s.displayName,
    legalName: s.legalName,
    businessLicenceNumber: s.businessLicenceNumber,
    status: s.status,
  });
  // The entity a platform discloses behind a seller is a company of its own: two sellers
  // disclosing one licence number are one operator.
  if (s.businessLicenceNumber !== undefined || s.legalName !== undefined) {
    const companyKey = partyKey(
      {
        name: s.legalName ?? s.businessLicenceNumber ?? '',
        registrationNumber: s.businessLicenceNumber,
      },
      r.region ?? p.region,
    );
    const companyUid = p.node(
      'Company',
      companyKey,
      { key: companyKey },
      {
        name: s.legalName,
        registrationNumber: s.businessLicenceNumber,
      },
    );
    p.link(companyUid, 'OPERATES', { uid: sellerUid });
  }
  if (s.registeredAddress !== undefined) {
    p.identifier(
      sellerUid,
      { kind: 'address', value: s.registeredAddress },
      'seller.registeredAddress',
      'REGISTERED_AT',
    );
  }
  let storefrontUid: string | undefined;
  if (r.storefront) {
    const k = p.urlKey(r.storefront.url, 'storefront.url');
    if (k) {
      storefrontUid = p.node(
        'Storefront',
        k.key,
        { key: k.key },
        {
          url: k.display,
          name: r.storefront.name,
          platform: r.platform,
        },
      );
      p.link(sellerUid, 'OPERATES', { uid: storefrontUid });
      p.link(storefrontUid, 'ON_PLATFORM', { uid: platformUid });
    }
  }
  let primary = sellerUid;
  if (r.listing) {
    const l = r.listing;
    const k = p.urlKey(l.url, 'listing.url');
    if (k) {
      const listingUid = p.node(
        'Listing',
        k.key,
        { key: k.key },
        {
          url: k.display,
          title: l.title,
          price: l.price,
          currency: l.currency,
          unitsSold: l.unitsSold,
          status: l.status,
          platform: r.platform,
        },
      );
      primary = listingUid;
      p.link(sellerUid, 'LISTS', { uid: listingUid });
      if (storefrontUid) p.link(storefrontUid, 'LISTS', { uid: listingUid });
      if (l.product) {
        const productUid = p.node(
          'Product',
          l.product.sku,
          { sku: l.product.sku },
          {
            name: l.product.name,
            brand: l.product.brand,
            category: l.product.category,
          },
        );
        p.link(listingUid, 'COPIES', { uid: productUid });
      }
      for (const tm of l.trademarks ?? [])
        p.link(listingUid, 'INFRINGES', { uid: p.trademark(tm) });
    }
  }
  p.identifierInputs(sellerUid, r.identifiers, 'identifiers', 'RETURN');
  return primary;
}

function planEntity(p: RecordPlanner, r: EntityRecordInput): string {
  const label: EntityLabel =
    r.kind === 'FACTORY' ? 'Factory' : r.kind === 'COMPANY' ? 'Company' : 'Person';
  const key = partyKey(r, r.region ?? p.region);
  const uid = p.node(
    label,
    key,
    { key },
    {
      name: r.name,
      legalName: r.legalName,
      registrationNumber: r.registrationNumber,
      jurisdiction: r.jurisdiction,
      description: r.description,
      role: r.role,
    },
  );
  p.identifierInputs(uid, r.identifiers, 'identifiers', 'LOCATION');
  (r.links ?? []).forEach((link, i) => {
    const target = p.ref(link.target, `links.${i}.target`);
    if (!target) return;
    const { type, reversed } = PARTY_LINKS[link.relation];
    if (reversed) p.link(target, type, { uid });
    else p.link(uid, type, { uid: target });
  });
  return uid;
}

function planShipment(p: RecordPlanner, r: ShipmentRecordInput): string {
  let key = r.shipmentId;
  let waybill: { key: string } | undefined;
  if (r.waybill !== undefined) {
    const n = p.normalize({
      kind: 'waybill',
      value: r.waybill,
      ...(r.carrier !== undefined && { provider: r.carrier }),
    });
    waybill = { key: n.ok ? n.key : `raw:${r.waybill.trim()}` };
  }
  key ??= `waybill:${waybill?.key ?? ''}`;
  const uid = p.node(
    'Shipment',
    key,
    { key },
    {
      shipmentId: r.shipmentId,
      carrier: r.carrier,
      declaredContents: r.declaredContents,
      quantity: r.quantity,
      weightKg: r.weightKg,
      declaredValue: r.declaredValue,
      currency: r.currency,
    },
    {},
    { shippedAt: r.shippedAt },
  );
  if (r.waybill !== undefined) {
    p.identifier(
      uid,
      {
        kind: 'waybill',
        value: r.waybill,
        ...(r.carrier !== undefined && { provider: r.carrier }),
      },
      'waybill',
      'HAS_WAYBILL',
    );
  }
  if (r.sender) {
    const sender = p.ref(r.sender, 'sender');
    if (sender) p.link(uid, 'SHIPPED_BY', { uid: sender });
  }
  if (r.senderAddress !== undefined)
    p.identifier(uid, { kind: 'address', value: r.senderAddress }, 'senderAddress', 'SENT_FROM');
  if (r.recipientAddress !== undefined) {
    p.identifier(
      uid,
      { kind: 'address', value: r.recipientAddress },
      'recipientAddress',
      'DELIVERED_TO',
    );
  }
  if (r.route) {
    const rk = routeKey(r.route);
    const routeUid = p.node(
      'LogisticsRoute',
      rk,
      { key: rk },
      {
        origin: r.route.origin,
        via: r.route.via,
        destination: r.route.destination,
        carrier: r.route.carrier,
        port: r.route.port,
        mode: r.route.mode,
      },
    );
    p.link(uid, 'ALONG', { uid: routeUid });
  }
  return uid;
}

function planCase(p: RecordPlanner, r: CaseRecordInput): string {
  const uid = p.node(
    'Case',
    r.caseId,
    { key: r.caseId },
    {
      title: r.title,
      status: r.status,
      jurisdiction: r.jurisdiction,
      summary: r.summary,
    },
    { openedOn: r.openedOn, closedOn: r.closedOn },
  );
  (r.entities ?? []).forEach((ref, i) => {
    const target = p.ref(ref, `entities.${i}`);
    if (target) p.link(target, 'PART_OF_CASE', { uid });
  });
  (r.evidence ?? []).forEach((e, i) => {
    const evUid = p.node(
      'Evidence',
      e.evidenceId,
      { key: e.evidenceId },
      {
        kind: e.kind,
        title: e.title,
        description: e.description,
        sha256: e.sha256,
        storageUri: e.storageUri,
        notarized: e.notarized,
      },
      {},
      { capturedAt: e.capturedAt },
    );
    p.link(evUid, 'EVIDENCE_FOR', { uid });
    (e.concerns ?? []).forEach((ref, j) => {
      const target = p.ref(ref, `evidence.${i}.concerns.${j}`);
      if (target) p.link(evUid, 'CONCERNS', { uid: target });
    });
  });
  (r.actions ?? []).forEach((a, i) => {
    const actionUid = p.node(
      'EnforcementAction',
      a.actionId,
      { key: a.actionId },
      {
        kind: a.kind,
        jurisdiction: a.jurisdiction,
        authority: a.authority,
        locations: a.locations,
        itemsSeized: a.itemsSeized,
        itemsSeizedAtLeast: a.itemsSeizedAtLeast,
        seizedGoods: a.seizedGoods,
        suspects: a.suspects,
        arrests: a.arrests,
        amount: a.amount,
        currency: a.currency,
        amountBasis: a.amountBasis,
        outcome: a.outcome,
        description: a.description,
      },
      { date: a.date },
    );
    p.link(actionUid, 'PART_OF_CASE', { uid });
    (a.targets ?? []).forEach((ref, j) => {
      const target = p.ref(ref, `actions.${i}.targets.${j}`);
      if (target) p.link(actionUid, 'TARGETED', { uid: target });
    });
    for (const tm of a.trademarks ?? [])
      p.link(actionUid, 'INVOLVES_MARK', { uid: p.trademark(tm) });
  });
  return uid;
}

function planTrademark(p: RecordPlanner, r: TrademarkRecordInput): string {
  const uid = p.node(
    'Trademark',
    trademarkKey(r.jurisdiction, r.registrationNumber, r.class),
    { jurisdiction: r.jurisdiction, registrationNumber: r.registrationNumber, class: r.class },
    { mark: r.mark, owner: r.owner, goods: r.goods },
    { validFrom: r.validFrom, validUntil: r.validUntil },
  );
  for (const product of r.products ?? []) {
    const productUid = p.node(
      'Product',
      product.sku,
      { sku: product.sku },
      {
        name: product.name,
        brand: product.brand,
        category: product.category,
      },
    );
    p.link(productUid, 'PROTECTED_BY', { uid });
  }
  if (r.recordation) {
    const jurisdiction = r.recordation.jurisdiction ?? r.jurisdiction;
    const key = recordationKey(jurisdiction, r.recordation.number);
    const recUid = p.node(
      'CustomsRecordation',
      key,
      { jurisdiction, number: r.recordation.number },
      { authority: r.recordation.authority },
      { validFrom: r.recordation.validFrom, validUntil: r.recordation.validUntil },
    );
    p.link(uid, 'RECORDED_AS', { uid: recUid });
  }
  return uid;
}

/**
 * Identifiers and record references seen without a record that owns them: a STIX indicator or
 * observable names a phone or a listing URL, not whose it is. The caller validates the values.
 */
export interface ObservationInput {
  source: string;
  observedAt: string;
  confidence?: number;
  region?: string;
  identifiers?: ReadonlyArray<{
    kind: NodeIdentifierKind;
    value: string;
    provider?: string;
    region?: string;
  }>;
  /** Merged as stubs, as a case's references are (a LISTING by its URL…). */
  refs?: readonly EntityRefInput[];
}

/** What an observation asserts: the nodes alone, no links. `primaryUid` is the first ref's, or ''. */
export function planObservation(input: ObservationInput, options: PlanOptions): PlanResult {
  const p = new RecordPlanner(input.region ?? options.defaultRegion, options.normalize);
  const uids = (input.refs ?? []).map((ref, i) => p.ref(ref, `refs.${i}`));
  (input.identifiers ?? []).forEach((identifier, i) =>
    p.identifier(undefined, identifier, `identifiers.${i}`, LINK_OF_KIND[identifier.kind]),
  );
  if (p.errors.length > 0) return { ok: false, errors: p.errors };
  return {
    ok: true,
    patch: {
      primaryUid: uids.find((u) => u !== undefined) ?? '',
      source: input.source,
      observedAt: input.observedAt,
      confidence: input.confidence ?? 1,
      nodes: [...p.nodes.values()],
      identifiers: [...p.identifiers.values()],
      links: [...p.links.values()],
      warnings: p.warnings,
    },
  };
}

/** What one validated record asserts, or why it cannot be stored. */
export function planRecord(record: AnyRecord, options: PlanOptions): PlanResult {
  const p = new RecordPlanner(record.input.region ?? options.defaultRegion, options.normalize);
  let primaryUid: string;
  switch (record.kind) {
    case 'listing':
      primaryUid = planListing(p, record.input);
      break;
    case 'entity':
      primaryUid = planEntity(p, record.input);
      break;
    case 'shipment':
      primaryUid = planShipment(p, record.input);
      break;
    case 'case':
      primaryUid = planCase(p, record.input);
      break;
    case 'trademark':
      primaryUid = planTrademark(p, record.input);
      break;
  }
  if (p.errors.length > 0) return { ok: false, errors: p.errors };
  return {
    ok: true,
    patch: {
      primaryUid,
      source: record.input.source,
      observedAt: record.input.observedAt,
      confidence: record.input.confidence ?? 1,
      nodes: [...p.nodes.values()],
      identifiers: [...p.identifiers.values()],
      links: [...p.links.values()],
      warnings: p.warnings,
    },
  };
}
