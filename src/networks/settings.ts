// Which links make an infringer network, read from the environment (a pure function): the
// identifier kinds that link, identifiers excluded by value (a marketplace's shared warehouse),
// the over-correlation (hub) limit, and how many sellers make a network.
import { z } from 'zod';
import type { NodeIdentifierKind } from '../graph/model.js';

/** Link kinds: identifier kinds, plus `route` (shipments along one route) and `party`
 * (factory/company/person relations such as SUPPLIES, OPERATES, OWNS). */
export const LINK_KINDS = [
  'phone',
  'email',
  'paymentAccount',
  'address',
  'messagingHandle',
  'domain',
  'waybill',
  'route',
  'party',
] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export interface NetworkSettings {
  /** Identifier kinds whose shared nodes link members. */
  identifierKinds: NodeIdentifierKind[];
  /** Shipments of two members along one logistics route link them. */
  routes: boolean;
  /** Factory/company/person relations link members directly. */
  parties: boolean;
  /** An identifier shared by more members than this is a hub, not a link (MISP's over-correlation). */
  hubLimit: number;
  /** Identifiers that never link, as given (kind + value in any format); normalized at start. */
  excluded: Array<{ kind: NodeIdentifierKind; value: string }>;
  /** A cluster is a network when it holds at least this many sellers. */
  minSellers: number;
  /** A safety cap on the members one incremental update may visit. */
  maxComponentMembers: number;
}

const IDENTIFIER_KINDS: readonly NodeIdentifierKind[] = [
  'phone',
  'email',
  'paymentAccount',
  'address',
  'messagingHandle',
  'domain',
  'waybill',
];

const isIdentifierKind = (k: string): k is NodeIdentifierKind =>
  (IDENTIFIER_KINDS as readonly string[]).includes(k);

const DEFAULT_KINDS = LINK_KINDS.join(',');

const Env = z.object({
  PALISADE_NETWORK_LINK_KINDS: z
    .string()
    .default(DEFAULT_KINDS)
    .transform((s) =>
      s
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    )
    .refine((ks) => ks.every((k) => (LINK_KINDS as readonly string[]).includes(k)), {
      message: `PALISADE_NETWORK_LINK_KINDS must be a comma list of ${LINK_KINDS.join(', ')}`,
    }),
  PALISADE_NETWORK_HUB_LIMIT: z.coerce
    .number({ error: 'PALISADE_NETWORK_HUB_LIMIT must be a number' })
    .int('PALISADE_NETWORK_HUB_LIMIT must be a whole number')
    .min(2, 'PALISADE_NETWORK_HUB_LIMIT must be at least 2')
    .max(100_000, 'PALISADE_NETWORK_HUB_LIMIT must be at most 100000')
    .default(50),
  PALISADE_NETWORK_MIN_SELLERS: z.coerce
    .number({ error: 'PALISADE_NETWORK_MIN_SELLERS must be a number' })
    .int('PALISADE_NETWORK_MIN_SELLERS must be a whole number')
    .min(1, 'PALISADE_NETWORK_MIN_SELLERS must be at least 1')
    .max(1000, 'PALISADE_NETWORK_MIN_SELLERS must be at most 1000')
    .default(2),
  PALISADE_NETWORK_MAX_MEMBERS: z.coerce
    .number({ error: 'PALISADE_NETWORK_MAX_MEMBERS must be a number' })
    .int('PALISADE_NETWORK_MAX_MEMBERS must be a whole number')
    .min(100, 'PALISADE_NETWORK_MAX_MEMBERS must be at least 100')
    .default(200_000),
  /** `kind:value` entries separated by `;` (values may hold commas, as addresses do). */
  PALISADE_NETWORK_EXCLUDE: z.string().default(''),
});

export type SettingsResult =
  { ok: true; settings: NetworkSettings } | { ok: false; problems: string[] };

/** The network settings of an environment map, or the problems naming each wrong variable. */
export function parseNetworkSettings(env: Record<string, string | undefined>): SettingsResult {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => i.message) };
  }
  const e = parsed.data;
  const excluded: NetworkSettings['excluded'] = [];
  const problems: string[] = [];
  for (const entry of e.PALISADE_NETWORK_EXCLUDE.split(';').map((s) => s.trim())) {
    if (entry === '') continue;
    const colon = entry.indexOf(':');
    const kind = colon > 0 ? entry.slice(0, colon).trim() : '';
    const value = colon > 0 ? entry.slice(colon + 1).trim() : '';
    if (!isIdentifierKind(kind) || value === '') {
      problems.push(
        `PALISADE_NETWORK_EXCLUDE entries must be kind:value with kind one of ${IDENTIFIER_KINDS.join(', ')}`,
      );
      continue;
    }
    excluded.push({ kind, value });
  }
  if (problems.length > 0) return { ok: false, problems };
  const kinds = new Set(e.PALISADE_NETWORK_LINK_KINDS);
  return {
    ok: true,
    settings: {
      identifierKinds: IDENTIFIER_KINDS.filter((k) => kinds.has(k)),
      routes: kinds.has('route'),
      parties: kinds.has('party'),
      hubLimit: e.PALISADE_NETWORK_HUB_LIMIT,
      excluded,
      minSellers: e.PALISADE_NETWORK_MIN_SELLERS,
      maxComponentMembers: e.PALISADE_NETWORK_MAX_MEMBERS,
    },
  };
}

/** The settings with every default (tests and tools that build a service without config). */
export function defaultNetworkSettings(): NetworkSettings {
  const r = parseNetworkSettings({});
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.settings;
}
