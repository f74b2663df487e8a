// The graph's shareable content → one STIX 2.1 bundle. Pure and deterministic: ids are UUIDv5 over
// natural keys and timestamps come from the data, so the same input gives byte-identical output.
//
// Mapping (chosen so the OASIS stix2-validator accepts the bundle in its default, non-strict mode,
// where custom content is allowed when its names carry the `x-` prefix):
// - the node (a brand or association) → `identity` (class organization), `created_by_ref` of all;
// - a pseudonymous indicator token → `indicator` with pattern `[x-palisade-token:value = '<token>']`
//   (a custom cyber-observable type in the pattern; the token is base64url, so quoting is trivial),
//   coarse context as `x_palisade_*` properties;
// - an infringer network → `grouping` (context suspicious-activity) over its members' indicators;
// - an enforcement action → custom SDO `x-palisade-enforcement-action` (no STIX core type fits a
//   takedown or a raid; `note`/`report` would need free text we do not share);
// - TLP → the canonical TLP 2.0 marking definitions via object_marking_refs; RED never appears;
// - raw observables (email-addr, domain-name, url, x-palisade-phone) only in a local analyst export
//   that asks for them (`includeRaw`), never in what peers get.
import type { Tlp } from '../../federation/sharing-policy.js';
import { scoValueId, stixId } from './ids.js';
import { stricter, tlpMarkingDefinition, tlpMarkingId, tlpRank } from './tlp.js';

export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
export const TOKEN_TYPE = 'x-palisade-token';
export const ACTION_TYPE = 'x-palisade-enforcement-action';
/** Used when an item carries no date: fixed, so re-exports stay identical. */
export const FALLBACK_TIME = '2020-01-01T00:00:00.000Z';

export type StixObject = Record<string, unknown> & { type: string; id: string };

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

export interface ExportIndicator {
  token: string;
  kind: string;
  platforms: readonly string[];
  categories: readonly string[];
  firstSeen: string | null;
  lastSeen: string | null;
  listings: number;
  tlp: Tlp;
  /** The raw normalized value: only read when the export includes raw observables. */
  raw?: { kind: string; value: string };
}

export interface ExportNetwork {
  /** The node-local network id (hashed into the grouping id, never shown). */
  id: string;
  tokens: readonly string[];
  tlp: Tlp;
}

export interface ExportAction {
  key: string;
  kind: string;
  date: string | null;
  jurisdiction: string | null;
  platforms: readonly string[];
  itemsSeized: number | null;
  arrests: number | null;
  /** Tokens of the identifiers of the action's targets (links the action to groupings/indicators). */
  tokens: readonly string[];
  tlp: Tlp;
}

export interface ExportInput {
  node: { id: string; name: string; role: string };
  indicators: readonly ExportIndicator[];
  networks: readonly ExportNetwork[];
  actions: readonly ExportAction[];
}

export interface ExportOptions {
  /** The most restrictive TLP exported; RED is never exported whatever this says. */
  tlpMax: Tlp;
  /** Local analyst exports only: add the raw observables of the indicators. */
  includeRaw?: boolean;
}

/** A day or instant as a STIX timestamp with millisecond precision. */
export function stixTime(value: string | null | undefined, fallback = FALLBACK_TIME): string {
  if (!value) return fallback;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value);
  return Number.isNaN(d.getTime()) ? fallback : d.toISOString();
}

/** STIX forbids empty lists: an empty one is left out. */
const nonEmpty = (name: string, values: readonly string[]): Record<string, string[]> =>
  values.length > 0 ? { [name]: [...values].sort() } : {};

const maxTime = (a: string, b: string): string => (a >= b ? a : b);

/** Single quotes and backslashes escaped for a STIX pattern string literal. */
export function patternLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Raw kinds that have a STIX observable (others stay pseudonymous even in analyst exports). */
const RAW_SCO: Readonly<Record<string, string>> = {
  email: 'email-addr',
  domain: 'domain-name',
  url: 'url',
  phone: 'x-palisade-phone',
};

export function buildBundle(input: ExportInput, options: ExportOptions): StixBundle {
  // RED is never exported; the cap can only lower the ceiling.
  const cap = Math.min(tlpRank(options.tlpMax), tlpRank('AMBER+STRICT'));
  const allowed = (tlp: Tlp) => tlpRank(tlp) <= cap;
  const identityId = stixId('identity', input.node.id);
  const used = new Set<Tlp>();
  const objects: StixObject[] = [];
  const indicatorIds = new Map<string, string>();
  let identityTime = FALLBACK_TIME;

  const sorted = [...input.indicators].sort((a, b) => (a.token < b.token ? -1 : 1));
  for (const i of sorted) {
    if (!allowed(i.tlp) || indicatorIds.has(i.token)) continue;
    const id = stixId('indicator', i.token);
    const created = stixTime(i.firstSeen);
    const modified = maxTime(created, stixTime(i.lastSeen, created));
    indicatorIds.set(i.token, id);
    used.add(i.tlp);
    identityTime = maxTime(identityTime, modified);
    objects.push({
      type: 'indicator',
      spec_version: '2.1',
      id,
      created_by_ref: identityId,
      created,
      modified,
      name: `Pseudonymous ${i.kind} indicator`,
      indicator_types: ['malicious-activity'],
      pattern: `[${TOKEN_TYPE}:value = ${patternLiteral(i.token)}]`,
      pattern_type: 'stix',
      valid_from: created,
      object_marking_refs: [tlpMarkingId(i.tlp)],
      description: 'An OPRF pseudonym of an identifier seen in counterfeit trade (not reversible).',
      x_palisade_kind: i.kind,
      ...nonEmpty('x_palisade_platforms', i.platforms),
      ...nonEmpty('x_palisade_categories', i.categories),
      x_palisade_listings: i.listings,
    });
    // A value kept raw (`raw:…`, never normalized) is no valid observable value: it stays out.
    if (options.includeRaw && i.raw && !i.raw.value.startsWith('raw:')) {
      const scoType = RAW_SCO[i.raw.kind];
      if (scoType) {
        objects.push({
          type: scoType,
          spec_version: '2.1',
          id:
            scoType === 'x-palisade-phone'
              ? stixId(scoType, i.raw.value)
              : scoValueId(scoType, i.raw.value),
          value: i.raw.value,
          object_marking_refs: [tlpMarkingId(i.tlp)],
        });
      }
    }
  }

  // Looked up per network member: maps, not scans (exports reach 200 000 indicators).
  const tlpOfToken = new Map<string, Tlp>();
  for (const i of sorted)
    if (indicatorIds.has(i.token) && !tlpOfToken.has(i.token)) tlpOfToken.set(i.token, i.tlp);
  const timesOf = new Map<string, readonly [string, string]>();
  for (const o of objects) {
    if (o.type === 'indicator') timesOf.set(o.id, [String(o['created']), String(o['modified'])]);
  }

  for (const n of [...input.networks].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const refs = [...new Set(n.tokens)].flatMap((t) => indicatorIds.get(t) ?? []).sort();
    if (refs.length === 0) continue;
    // A grouping is at least as restricted as what it lists.
    let tlp = n.tlp;
    for (const t of n.tokens) {
      const member = tlpOfToken.get(t);
      if (member !== undefined) tlp = stricter(tlp, member);
    }
    if (!allowed(tlp)) continue;
    used.add(tlp);
    const times = refs
      .map((id) => timesOf.get(id))
      .filter((t): t is readonly [string, string] => t !== undefined);
    const created = times.reduce((m, [c]) => (c < m ? c : m), times[0]?.[0] ?? FALLBACK_TIME);
    const modified = times.reduce((m, [, x]) => maxTime(m, x), created);
    objects.push({
      type: 'grouping',
      spec_version: '2.1',
      id: stixId('grouping', n.id),
      created_by_ref: identityId,
      created,
      modified,
      name: `Infringer network of ${refs.length} indicators`,
      context: 'suspicious-activity',
      object_refs: refs,
      object_marking_refs: [tlpMarkingId(tlp)],
    });
  }

  for (const a of [...input.actions].sort((x, y) => (x.key < y.key ? -1 : 1))) {
    if (!allowed(a.tlp)) continue;
    used.add(a.tlp);
    const created = stixTime(a.date);
    const targets = [...new Set(a.tokens)].flatMap((t) => indicatorIds.get(t) ?? []).sort();
    objects.push({
      type: ACTION_TYPE,
      spec_version: '2.1',
      id: stixId(ACTION_TYPE, a.key),
      created_by_ref: identityId,
      created,
      modified: created,
      x_palisade_action_kind: a.kind.toLowerCase().replace(/_/g, '-'),
      ...(a.jurisdiction !== null && { x_palisade_jurisdiction: a.jurisdiction }),
      ...nonEmpty('x_palisade_platforms', a.platforms),
      ...(a.itemsSeized !== null && { x_palisade_items_seized: a.itemsSeized }),
      ...(a.arrests !== null && { x_palisade_arrests: a.arrests }),
      ...(targets.length > 0 && { x_palisade_target_refs: targets }),
      object_marking_refs: [tlpMarkingId(a.tlp)],
    });
  }

  const identity: StixObject = {
    type: 'identity',
    spec_version: '2.1',
    id: identityId,
    created: FALLBACK_TIME,
    modified: identityTime,
    name: input.node.name,
    identity_class: 'organization',
    x_palisade_role: input.node.role,
  };
  const markings = [...used].sort((a, b) => tlpRank(a) - tlpRank(b)).map(tlpMarkingDefinition);
  const all: StixObject[] = [...(markings as unknown as StixObject[]), identity, ...objects];
  // The bundle id follows its content, so an unchanged graph re-exports the same bundle.
  const digest = all
    .map((o) => `${o.id}@${typeof o['modified'] === 'string' ? o['modified'] : ''}`)
    .join('\n');
  return { type: 'bundle', id: stixId('bundle', `${input.node.id}\n${digest}`), objects: all };
}
