// A STIX 2.1 bundle → what the ingest path should store, object by object, and why the rest is not
// stored. Pure: no database, so what a MISP or OpenCTI export means is testable alone.
//
// What maps (everything else is reported as skipped with the reason):
// - observables (email-addr, domain-name, hostname, url, OpenCTI's phone-number, bank-account and
//   cryptocurrency-wallet, user-account of a messaging platform, MISP's x-misp-attribute, custom
//   `x-…` observables such as x-palisade-phone, a location with a street address) → identifier nodes
//   (a URL → a Listing keyed by it), not linked to anyone: STIX says what was seen, not whose it is;
// - an indicator whose STIX pattern states literal values of those (`[phone-number:value = '…']`) →
//   the same nodes;
// - an identity (organization → Company, individual → Person), unless it only authored the others;
// - a relationship between an identity and an observable / indicator / location → the party uses
//   the identifier (a URL: the party operates the listing); between two identities → a party link;
// - TLP: the strictest of an object's own markings, those of the reports/groupings/observed-data
//   that contain it and, for a relationship, those of its ends. RED is never stored; the level is
//   kept on what is stored. `created_by_ref` becomes the source of what the author said.
import type { Tlp } from '../../federation/sharing-policy.js';
import type { NodeIdentifierKind } from '../../graph/model.js';
import { IDENTIFIER_KIND_VALUE } from '../../graph/model.js';
import { resolveMessagingPlatform } from '../../identifiers/index.js';
import type { EntityRefInput, PartyRelation } from '../../ingest/model.js';
import { partyKey, type ObservationInput } from '../../ingest/plan.js';
import { checkObject, type BundleEnvelope, type ParsedObject } from './import-model.js';
import { FALLBACK_TIME } from './mapping.js';
import {
  parsePattern,
  patternEqualities,
  StixPatternError,
  type PatternEquality,
} from './pattern.js';
import { stricter, tlpOfMarkingDefinition, tlpOfMarkingId } from './tlp.js';

/** A value Palisade keys a node by: an identifier, or a URL (which keys a Listing). */
export type Observable =
  { kind: NodeIdentifierKind; value: string; provider?: string } | { kind: 'url'; value: string };

/** The value handed to ingest as an `entity` record (validated there like any other record). */
export interface EntityRecordValue {
  source: string;
  observedAt: string;
  confidence?: number;
  kind: 'COMPANY' | 'PERSON';
  name: string;
  description?: string;
  identifiers?: Array<{ kind: string; value: string; provider?: string }>;
  links?: Array<{
    relation: PartyRelation;
    target: { kind: 'COMPANY' | 'PERSON' | 'LISTING'; key: string };
  }>;
}

export type PlannedWrite =
  { kind: 'entity'; record: EntityRecordValue } | { kind: 'observation'; input: ObservationInput };

export interface PlanItem {
  /** Position in the bundle's `objects`. */
  index: number;
  id: string | null;
  type: string | null;
  status: 'write' | 'skipped' | 'rejected';
  reason: string | null;
  /** The marking kept on what this object stores; null = none given (the node's default applies). */
  tlp: Tlp | null;
  write?: PlannedWrite;
  /** Objects this one needs stored (a relationship's ends): if one fails, this is skipped. */
  dependsOn: number[];
}

export interface ImportPlan {
  bundleId: string;
  items: PlanItem[];
}

export interface PlanOptions {
  /** Source of objects whose author is not named (default `stix:<bundle id>`). */
  fallbackSource?: string;
}

const CONTAINERS = new Set(['report', 'grouping', 'observed-data', 'note', 'opinion']);
const OBSERVABLE_TYPES = new Set([
  'email-addr',
  'domain-name',
  'hostname',
  'url',
  'phone-number',
  'cryptocurrency-wallet',
  'user-account',
  'bank-account',
  'x-misp-attribute',
  'location',
]);
/** Relationship types that say a party has an identifier (either direction). */
const USES_RELATIONS = new Set([
  'related-to',
  'belongs-to',
  'uses',
  'owns',
  'located-at',
  'attributed-to',
]);
/** Relationship types between two parties, as Palisade's party links. */
const PARTY_RELATIONS: Readonly<Record<string, PartyRelation>> = {
  'related-to': 'AFFILIATED_WITH',
  'part-of': 'AFFILIATED_WITH',
  'attributed-to': 'AFFILIATED_WITH',
  owns: 'OWNS',
};

const PSEUDONYM_TYPE = 'x-palisade-token';

const obs = {
  phone: (value: string): Observable => ({ kind: 'phone', value }),
  email: (value: string): Observable => ({ kind: 'email', value }),
  domain: (value: string): Observable => ({ kind: 'domain', value }),
  url: (value: string): Observable => ({ kind: 'url', value }),
  waybill: (value: string): Observable => ({ kind: 'waybill', value }),
  payment:
    (provider: string) =>
    (value: string): Observable => ({ kind: 'paymentAccount', value, provider }),
  handle:
    (provider: string) =>
    (value: string): Observable => ({ kind: 'messagingHandle', value, provider }),
};

/** MISP attribute types (x-misp-attribute's x_misp_type) Palisade keeps. */
const MISP_TYPES: Readonly<Record<string, (v: string) => Observable>> = {
  'phone-number': obs.phone,
  'whois-registrant-phone': obs.phone,
  email: obs.email,
  'email-src': obs.email,
  'email-dst': obs.email,
  'email-reply-to': obs.email,
  'whois-registrant-email': obs.email,
  'target-email': obs.email,
  domain: obs.domain,
  hostname: obs.domain,
  url: obs.url,
  link: obs.url,
  uri: obs.url,
  iban: obs.payment('bank'),
  'bank-account-nr': obs.payment('bank'),
  btc: obs.payment('other'),
  xmr: obs.payment('other'),
};

/** Custom observable names (`x-<name>` or `x-<vendor>-<name>`, read by `value`). */
const CUSTOM_NAMES: Readonly<Record<string, (v: string) => Observable>> = {
  phone: obs.phone,
  'phone-number': obs.phone,
  'mobile-phone': obs.phone,
  telephone: obs.phone,
  email: obs.email,
  'email-addr': obs.email,
  'email-address': obs.email,
  domain: obs.domain,
  'domain-name': obs.domain,
  hostname: obs.domain,
  url: obs.url,
  waybill: obs.waybill,
  'tracking-number': obs.waybill,
  wechat: obs.handle('wechat'),
  'wechat-id': obs.handle('wechat'),
  whatsapp: obs.handle('whatsapp'),
  telegram: obs.handle('telegram'),
  qq: obs.handle('qq'),
  'line-id': obs.handle('line'),
  skype: obs.handle('skype'),
  signal: obs.handle('signal'),
  viber: obs.handle('viber'),
  zalo: obs.handle('zalo'),
  kakaotalk: obs.handle('kakaotalk'),
  alipay: obs.payment('alipay'),
  wechatpay: obs.payment('wechatpay'),
  'wechat-pay': obs.payment('wechatpay'),
  paypal: obs.payment('paypal'),
  unionpay: obs.payment('unionpay'),
  iban: obs.payment('bank'),
  'bank-account': obs.payment('bank'),
};

function customKind(type: string): ((v: string) => Observable) | undefined {
  const name = type.slice(2);
  const dash = name.indexOf('-');
  return CUSTOM_NAMES[name] ?? (dash > 0 ? CUSTOM_NAMES[name.slice(dash + 1)] : undefined);
}

/** Object paths of STIX patterns whose literal values Palisade keeps (user-account aside). */
const PATTERN_PATHS: Readonly<Record<string, (v: string) => Observable>> = {
  'email-addr:value': obs.email,
  'email-message:from_ref.value': obs.email,
  'email-message:sender_ref.value': obs.email,
  'domain-name:value': obs.domain,
  'hostname:value': obs.domain,
  'url:value': obs.url,
  'phone-number:value': obs.phone,
  'bank-account:iban': obs.payment('bank'),
  'bank-account:account_number': obs.payment('bank'),
  'cryptocurrency-wallet:value': obs.payment('other'),
};

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

type Found = { found: Observable[]; why?: string };

/** What an observable object names. */
function observablesOfObject(o: ParsedObject): Found {
  const p = o.props;
  switch (o.type) {
    case 'email-addr':
      return { found: [obs.email(str(p['value'])!)] };
    case 'domain-name':
    case 'hostname':
      return { found: [obs.domain(str(p['value'])!)] };
    case 'url':
      return { found: [obs.url(str(p['value'])!)] };
    case 'phone-number':
      return { found: [obs.phone(str(p['value'])!)] };
    case 'cryptocurrency-wallet':
      return { found: [obs.payment('other')(str(p['value'])!)] };
    case 'bank-account': {
      const v = str(p['iban']) ?? str(p['account_number']);
      return v
        ? { found: [obs.payment('bank')(v)] }
        : { found: [], why: 'it has no iban or account_number' };
    }
    case 'user-account': {
      const type = str(p['account_type']);
      const platform = type !== undefined ? resolveMessagingPlatform(type) : undefined;
      const handle = str(p['account_login']) ?? str(p['user_id']);
      if (!platform) {
        return {
          found: [],
          why: `account_type ${JSON.stringify(type ?? null)} is not a messaging platform Palisade keeps handles of`,
        };
      }
      return handle
        ? { found: [obs.handle(platform)(handle)] }
        : { found: [], why: 'it has no account_login or user_id' };
    }
    case 'x-misp-attribute': {
      const kind = MISP_TYPES[str(p['x_misp_type']) ?? ''];
      return kind
        ? { found: [kind(str(p['x_misp_value'])!)] }
        : {
            found: [],
            why: `MISP attribute type ${JSON.stringify(p['x_misp_type'])} has no Palisade counterpart`,
          };
    }
    case 'location': {
      const street = str(p['street_address']);
      if (!street) {
        return {
          found: [],
          why: 'a location without a street address is too coarse to be an address',
        };
      }
      const parts = [street, p['city'], p['region'], p['postal_code'], p['country']].filter(
        (x): x is string => typeof x === 'string',
      );
      return { found: [{ kind: 'address', value: parts.join(', ') }] };
    }
    default:
      break;
  }
  if (o.type === PSEUDONYM_TYPE) {
    return {
      found: [],
      why: 'a pseudonymous Palisade token cannot be turned back into an identifier',
    };
  }
  const custom = o.type.startsWith('x-') ? customKind(o.type) : undefined;
  const v = str(p['value']);
  if (custom && v !== undefined) return { found: [custom(v)] };
  return { found: [], why: `type ${o.type} has no counterpart in Palisade` };
}

/** What an indicator's pattern names; user-accounts count when their account_type is a platform. */
function observablesOfPattern(equalities: readonly PatternEquality[]): Found {
  const found: Observable[] = [];
  const ignored = new Set<string>();
  const accountTypes = new Map<number, string[]>();
  for (const e of equalities) {
    if (e.objectType === 'user-account' && e.property === 'account_type') {
      accountTypes.set(e.observation, [...(accountTypes.get(e.observation) ?? []), e.value]);
    }
  }
  for (const e of equalities) {
    const path = `${e.objectType}:${e.property}`;
    if (e.objectType === 'user-account') {
      if (e.property === 'account_type') continue;
      if (e.property === 'account_login' || e.property === 'user_id') {
        const platforms = (accountTypes.get(e.observation) ?? []).flatMap(
          (t) => resolveMessagingPlatform(t) ?? [],
        );
        if (platforms.length > 0) {
          for (const platform of new Set(platforms)) found.push(obs.handle(platform)(e.value));
          continue;
        }
      }
      ignored.add(path);
      continue;
    }
    const mapped =
      PATTERN_PATHS[path] ??
      (e.objectType.startsWith('x-') && e.objectType !== PSEUDONYM_TYPE && e.property === 'value'
        ? customKind(e.objectType)
        : undefined);
    if (mapped) found.push(mapped(e.value));
    else ignored.add(path);
  }
  // One value named twice (e.g. by both sides of an OR) is one observable.
  const seen = new Set<string>();
  const unique = found.filter((f) => {
    const k = `${f.kind}\u0000${'provider' in f ? (f.provider ?? '') : ''}\u0000${f.value}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  if (unique.length > 0) return { found: unique };
  const names = [...ignored].slice(0, 5).join(', ');
  if (equalities.some((e) => e.objectType === PSEUDONYM_TYPE)) {
    return {
      found: [],
      why: 'its pattern names a pseudonymous Palisade token, which cannot be turned back into an identifier',
    };
  }
  return {
    found: [],
    why: names
      ? `its pattern names nothing Palisade keeps (${names})`
      : 'its pattern states no literal value (only ranges, negations or regular expressions)',
  };
}

const isoMax = (a: string, b: string): string => (Date.parse(b) > Date.parse(a) ? b : a);

/** "identity--…" of the author: created_by_ref, or where OpenCTI keeps it on observables. */
function authorOf(o: ParsedObject): string | undefined {
  if (o.created_by_ref) return o.created_by_ref;
  if (o.x_opencti_created_by_ref) return o.x_opencti_created_by_ref;
  for (const ext of Object.values(o.extensions ?? {})) {
    const ref =
      typeof ext === 'object' && ext !== null
        ? (ext as Record<string, unknown>)['created_by_ref']
        : undefined;
    if (typeof ref === 'string' && /^identity--[0-9a-f-]{36}$/i.test(ref)) return ref;
  }
  return undefined;
}

const IDENTITY_KINDS: Readonly<Record<string, 'COMPANY' | 'PERSON'>> = {
  organization: 'COMPANY',
  individual: 'PERSON',
};

/** Reads a bundle's objects into per-object decisions. */
export function planImport(bundle: BundleEnvelope, options: PlanOptions = {}): ImportPlan {
  const items: PlanItem[] = [];
  const chosen = new Map<string, ParsedObject & { index: number }>();
  const parsed: Array<(ParsedObject & { index: number }) | undefined> = [];

  bundle.objects.forEach((entry, index) => {
    const check = checkObject(entry);
    if (!check.ok) {
      items.push({
        index,
        id: check.id,
        type: check.type,
        status: 'rejected',
        reason: check.reason,
        tlp: null,
        dependsOn: [],
      });
      parsed.push(undefined);
      return;
    }
    const o = { ...check.object, index };
    parsed.push(o);
    items.push({
      index,
      id: o.id,
      type: o.type,
      status: 'write',
      reason: null,
      tlp: null,
      dependsOn: [],
    });
    // Several versions of one object may travel together: the newest one counts.
    const prev = chosen.get(o.id);
    if (!prev) {
      chosen.set(o.id, o);
      return;
    }
    const newer =
      o.modified !== undefined &&
      (prev.modified === undefined || Date.parse(o.modified) > Date.parse(prev.modified));
    const [keep, drop] = newer ? [o, prev] : [prev, o];
    chosen.set(o.id, keep);
    Object.assign(items[drop.index]!, {
      status: 'skipped',
      reason:
        keep.modified !== drop.modified
          ? `an older version of ${o.id} (objects[${keep.index}] is newer)`
          : `a duplicate of objects[${keep.index}]`,
    });
  });

  const live = [...chosen.values()];
  const byId = (id: string) => chosen.get(id);

  // Markings: bundle definitions by content (and canonical ids), others by canonical id only.
  const markingTlp = new Map<string, Tlp | undefined>();
  for (const o of live) {
    if (o.type === 'marking-definition') markingTlp.set(o.id, tlpOfMarkingDefinition(o.raw));
  }
  const tlpOfRef = (ref: string): Tlp | undefined =>
    markingTlp.has(ref) ? markingTlp.get(ref) : tlpOfMarkingId(ref);
  const own = new Map<string, Tlp>();
  for (const o of live) {
    const levels = [
      ...(o.object_marking_refs ?? []),
      ...(o.granular_markings ?? []).flatMap((g) => g.marking_ref ?? []),
    ].flatMap((r) => tlpOfRef(r) ?? []);
    if (levels.length > 0) own.set(o.id, levels.reduce(stricter));
  }
  // What a report, grouping or observed-data is marked with covers what it contains.
  const effective = new Map(own);
  for (let pass = 0; pass < 4; pass++) {
    let changed = false;
    for (const c of live) {
      const t = effective.get(c.id);
      if (!CONTAINERS.has(c.type) || t === undefined) continue;
      for (const ref of (c.props['object_refs'] as string[] | undefined) ?? []) {
        const before = effective.get(ref);
        const after = before === undefined ? t : stricter(before, t);
        if (after !== before) {
          effective.set(ref, after);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  const tlpOf = (id: string): Tlp | null => effective.get(id) ?? null;

  // When each object was last said to be true: its own times, else when something citing it was.
  let bundleTime: string | undefined;
  const referencedAt = new Map<string, string>();
  for (const o of live) {
    const t = o.modified ?? o.created ?? (o.props['last_observed'] as string | undefined);
    if (t === undefined) continue;
    bundleTime = bundleTime === undefined ? t : isoMax(bundleTime, t);
    const cited =
      o.type === 'relationship'
        ? [o.props['source_ref'] as string, o.props['target_ref'] as string]
        : ((o.props['object_refs'] as string[] | undefined) ?? []);
    for (const ref of cited) {
      const prev = referencedAt.get(ref);
      referencedAt.set(ref, prev === undefined ? t : isoMax(prev, t));
    }
  }
  const timeOf = (o: ParsedObject): string =>
    new Date(
      o.modified ?? o.created ?? referencedAt.get(o.id) ?? bundleTime ?? FALLBACK_TIME,
    ).toISOString();

  // Observables rarely name their author; the report or observed-data listing them does.
  const containerAuthor = new Map<string, string>();
  for (const c of live) {
    const author = CONTAINERS.has(c.type) ? authorOf(c) : undefined;
    if (author === undefined) continue;
    for (const ref of (c.props['object_refs'] as string[] | undefined) ?? []) {
      if (!containerAuthor.has(ref)) containerAuthor.set(ref, author);
    }
  }
  const fallbackSource = (options.fallbackSource ?? `stix:${bundle.id}`).slice(0, 200);
  const sourceOf = (o: ParsedObject): string => {
    const author = authorOf(o) ?? containerAuthor.get(o.id);
    if (author === undefined) return fallbackSource;
    const a = byId(author);
    const name = a?.type === 'identity' ? (a.props['name'] as string).slice(0, 120) : undefined;
    return `stix:${name !== undefined ? `${name} ` : ''}${author}`.slice(0, 200);
  };
  const confidenceOf = (o: ParsedObject) =>
    o.confidence !== undefined ? { confidence: o.confidence / 100 } : {};

  const authors = new Set(live.flatMap((o) => authorOf(o) ?? []));
  const inRelationship = new Set(
    live
      .filter((o) => o.type === 'relationship')
      .flatMap((o) => [o.props['source_ref'] as string, o.props['target_ref'] as string]),
  );

  const observables = new Map<string, Found>();
  const set = (o: { index: number }, patch: Partial<PlanItem>) =>
    Object.assign(items[o.index]!, patch);
  const skip = (o: { index: number }, reason: string) => set(o, { status: 'skipped', reason });

  // Identities, observables and indicators first: relationships lean on what they resolved to.
  for (const o of live) {
    if (o.type === 'identity') {
      const kind = IDENTITY_KINDS[str(o.props['identity_class']) ?? ''];
      if (!kind) {
        skip(
          o,
          `identity_class ${JSON.stringify(o.props['identity_class'] ?? null)} is neither organization nor individual`,
        );
      } else if (authors.has(o.id) && !inRelationship.has(o.id)) {
        skip(o, 'the author of objects in this bundle: recorded as their source, not as a party');
      } else {
        const record: EntityRecordValue = {
          source: sourceOf(o),
          observedAt: timeOf(o),
          ...confidenceOf(o),
          kind,
          name: o.props['name'] as string,
          ...(typeof o.props['description'] === 'string' &&
            o.props['description'].trim() !== '' && { description: o.props['description'] }),
        };
        set(o, { write: { kind: 'entity', record } });
      }
    } else if (o.type === 'indicator') {
      const patternType = str(o.props['pattern_type']) ?? 'stix';
      if (o.revoked === true) {
        skip(o, 'revoked by its producer');
        continue;
      }
      if (patternType !== 'stix') {
        skip(o, `pattern_type ${JSON.stringify(patternType)}: only STIX patterns are read`);
        continue;
      }
      let found: Found;
      try {
        found = observablesOfPattern(patternEqualities(parsePattern(o.props['pattern'] as string)));
      } catch (e) {
        if (!(e instanceof StixPatternError)) throw e;
        set(o, { status: 'rejected', reason: `pattern: ${e.message}` });
        continue;
      }
      observables.set(o.id, found);
      if (found.found.length === 0)
        skip(o, found.why ?? 'its pattern names nothing Palisade keeps');
    } else if (
      OBSERVABLE_TYPES.has(o.type) ||
      (o.type.startsWith('x-') && !CONTAINERS.has(o.type))
    ) {
      const found = observablesOfObject(o);
      observables.set(o.id, found);
      if (found.found.length === 0)
        skip(o, found.why ?? `type ${o.type} has no counterpart in Palisade`);
    } else if (o.type === 'marking-definition') {
      const t = markingTlp.get(o.id);
      skip(
        o,
        t
          ? `marking definition (TLP:${t}): applied to the objects that reference it`
          : 'not a TLP marking: ignored',
      );
    } else if (CONTAINERS.has(o.type)) {
      skip(
        o,
        `a container (${o.type}): the objects it lists are read on their own, under its TLP marking and author`,
      );
    } else if (o.type !== 'relationship') {
      skip(o, `type ${o.type} has no counterpart in Palisade`);
    }
    const item = items[o.index]!;
    if (o.type !== 'relationship' && item.status === 'write' && !item.write) {
      const found = observables.get(o.id)?.found ?? [];
      set(o, {
        write: {
          kind: 'observation',
          input: observation(found, sourceOf(o), timeOf(o), confidenceOf(o)),
        },
      });
    }
  }

  for (const o of live) {
    if (o.type !== 'relationship') continue;
    const type = o.props['relationship_type'] as string;
    const ends = [o.props['source_ref'] as string, o.props['target_ref'] as string];
    const [s, t] = ends.map(byId);
    if (!s || !t) {
      const missing = ends.find((e) => !byId(e))!;
      const refused = items.find((i) => i.id === missing && i.status === 'rejected');
      if (refused) {
        skip(o, `depends on ${missing}, which was rejected: ${refused.reason ?? ''}`);
        continue;
      }
      skip(
        o,
        `${missing === ends[0] ? 'source_ref' : 'target_ref'} names ${missing}, which is not in this bundle`,
      );
      continue;
    }
    const failed = [s, t].find((e) => items[e.index]!.status !== 'write');
    if (failed) {
      skip(
        o,
        `depends on ${failed.id}, which was ${items[failed.index]!.status}: ${items[failed.index]!.reason ?? ''}`,
      );
      continue;
    }
    const tlps = [o.id, s.id, t.id].flatMap((id) => tlpOf(id) ?? []);
    set(o, {
      dependsOn: [s.index, t.index],
      tlp: tlps.length > 0 ? tlps.reduce(stricter) : null,
    });
    const party = (x: typeof s) => items[x.index]!.write?.kind === 'entity';
    const base = (p: typeof s) => {
      const r = (items[p.index]!.write as { record: EntityRecordValue }).record;
      return {
        source: sourceOf(o),
        observedAt: timeOf(o),
        ...confidenceOf(o),
        kind: r.kind,
        name: r.name,
      };
    };
    if (party(s) && party(t)) {
      const relation = PARTY_RELATIONS[type];
      if (!relation) {
        skip(o, `relationship type ${type} between two parties has no Palisade counterpart`);
        continue;
      }
      const target = (items[t.index]!.write as { record: EntityRecordValue }).record;
      const record: EntityRecordValue = {
        ...base(s),
        links: [
          { relation, target: { kind: target.kind, key: partyKey({ name: target.name }, '') } },
        ],
      };
      set(o, { write: { kind: 'entity', record } });
      continue;
    }
    if (party(s) === party(t)) {
      skip(
        o,
        'it links two observables: Palisade links identifiers only through the parties that use them',
      );
      continue;
    }
    if (!USES_RELATIONS.has(type)) {
      skip(o, `relationship type ${type} does not say that a party uses an identifier`);
      continue;
    }
    const [p, other] = party(s) ? [s, t] : [t, s];
    const found = observables.get(other.id)?.found ?? [];
    const record: EntityRecordValue = {
      ...base(p),
      identifiers: found.flatMap((f) =>
        f.kind === 'url'
          ? []
          : [
              {
                kind: IDENTIFIER_KIND_VALUE[f.kind],
                value: f.value,
                ...('provider' in f && f.provider !== undefined && { provider: f.provider }),
              },
            ],
      ),
      links: found.flatMap((f) =>
        f.kind === 'url'
          ? [{ relation: 'OPERATES' as const, target: { kind: 'LISTING' as const, key: f.value } }]
          : [],
      ),
    };
    set(o, { write: { kind: 'entity', record } });
  }

  // The marking of what stays; RED never enters the graph.
  for (const item of items) {
    if (item.status !== 'write' || item.id === null) continue;
    if (item.type !== 'relationship') item.tlp = tlpOf(item.id);
    if (item.tlp === 'RED') {
      Object.assign(item, {
        status: 'skipped',
        reason:
          own.get(item.id) === 'RED'
            ? 'marked TLP:RED: never stored'
            : 'marked TLP:RED (by what contains or links it): never stored',
        write: undefined,
      });
    }
  }
  // A relationship whose end turned out RED goes with it.
  for (const item of items) {
    if (item.status !== 'write') continue;
    const dead = item.dependsOn.find((d) => items[d]!.status !== 'write');
    if (dead !== undefined) {
      Object.assign(item, {
        status: 'skipped',
        reason: `depends on ${items[dead]!.id}, which was ${items[dead]!.status}`,
        write: undefined,
      });
    }
  }
  return { bundleId: bundle.id, items };
}

function observation(
  found: readonly Observable[],
  source: string,
  observedAt: string,
  confidence: { confidence?: number },
): ObservationInput {
  const refs: EntityRefInput[] = found.flatMap((f) =>
    f.kind === 'url' ? [{ kind: 'LISTING' as const, key: f.value }] : [],
  );
  return {
    source,
    observedAt,
    ...confidence,
    identifiers: found.flatMap((f) =>
      f.kind === 'url'
        ? []
        : [
            {
              kind: f.kind,
              value: f.value,
              ...('provider' in f && f.provider !== undefined && { provider: f.provider }),
            },
          ],
    ),
    refs,
  };
}
