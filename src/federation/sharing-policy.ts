// The sharing policy applied at the exit point: TLP ceilings, named audiences and per-field
// transforms, evaluated against the items' CURRENT markings just before a message is sealed. Pure.
import { z } from 'zod';

export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];
const rank = (t: Tlp): number => TLP_LEVELS.indexOf(t);

export const FIELD_ACTIONS = ['DROP', 'COARSEN_TO_CITY', 'PSEUDONYMIZE'] as const;
export type FieldAction = (typeof FIELD_ACTIONS)[number];

export interface FieldTransform {
  /** A member name, matched wherever it appears in the payload. */
  field: string;
  action: FieldAction;
}

/** What one peer may receive. RED is never allowed, whatever maxTlp says. */
export interface SharingPolicy {
  maxTlp: Exclude<Tlp, 'RED'>;
  /** Named audiences the peer belongs to; an item with audiences goes only to a member of one. */
  audiences: string[];
  transforms: FieldTransform[];
}

export const DEFAULT_POLICY: SharingPolicy = { maxTlp: 'GREEN', audiences: [], transforms: [] };

export const sharingPolicySchema = z.object({
  maxTlp: z.enum(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT']),
  audiences: z.array(z.string().min(1).max(100)).max(100),
  transforms: z
    .array(z.object({ field: z.string().min(1).max(100), action: z.enum(FIELD_ACTIONS) }))
    .max(100),
});

/** An item a message refers to, as the domain marked it when enqueuing. */
export interface ItemRef {
  ref: string;
  tlp: Tlp;
  audiences?: string[];
}

/** An item's marking as re-read from the graph at send time; null = the item is gone. */
export interface CurrentMarking {
  /** As stored: anything that is not a TLP level is refused. */
  tlp: string;
  audiences: string[];
}

export type ItemVerdict =
  | { ref: string; allowed: true }
  | {
      ref: string;
      allowed: false;
      rule: 'RED' | 'TLP_ABOVE_PEER' | 'AUDIENCE' | 'ITEM_GONE' | 'UNKNOWN_TLP';
    };

export function isTlp(value: unknown): value is Tlp {
  return typeof value === 'string' && (TLP_LEVELS as readonly string[]).includes(value);
}

/** Judges one item by its current marking (falling back to nothing: a missing marking is refused). */
export function judgeItem(
  ref: string,
  current: CurrentMarking | null,
  policy: SharingPolicy,
): ItemVerdict {
  if (!current) return { ref, allowed: false, rule: 'ITEM_GONE' };
  if (!isTlp(current.tlp)) return { ref, allowed: false, rule: 'UNKNOWN_TLP' };
  if (current.tlp === 'RED') return { ref, allowed: false, rule: 'RED' };
  if (rank(current.tlp) > rank(policy.maxTlp))
    return { ref, allowed: false, rule: 'TLP_ABOVE_PEER' };
  if (
    current.audiences.length > 0 &&
    !current.audiences.some((a) => policy.audiences.includes(a))
  ) {
    return { ref, allowed: false, rule: 'AUDIENCE' };
  }
  return { ref, allowed: true };
}

/** True when any object in the value is marked `tlp: "RED"`: a last check before anything leaves. */
export function containsRed(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsRed);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([k, v]) => (k === 'tlp' && v === 'RED') || containsRed(v));
  }
  return false;
}

export interface TransformHooks {
  coarsenAddress(value: string): string | null;
  /** Provided by the privacy domain; without it PSEUDONYMIZE drops the field (fail closed). */
  pseudonymize?: (field: string, value: string, peerId: string) => Promise<string>;
}

/** Applies the policy's field transforms wherever the named members appear. */
export async function applyTransforms(
  value: unknown,
  transforms: readonly FieldTransform[],
  hooks: TransformHooks,
  peerId: string,
): Promise<unknown> {
  if (transforms.length === 0) return value;
  const byField = new Map(transforms.map((t) => [t.field, t.action]));
  const walk = async (v: unknown): Promise<unknown> => {
    if (Array.isArray(v)) return Promise.all(v.map(walk));
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v)) {
      const action = byField.get(k);
      if (action === undefined) {
        out[k] = await walk(child);
      } else if (action === 'DROP') {
        continue;
      } else if (typeof child !== 'string') {
        continue; // only text can be coarsened or pseudonymized; anything else is dropped
      } else if (action === 'COARSEN_TO_CITY') {
        const city = hooks.coarsenAddress(child);
        if (city !== null) out[k] = city;
      } else if (hooks.pseudonymize) {
        out[k] = await hooks.pseudonymize(k, child, peerId);
      }
    }
    return out;
  };
  return walk(value);
}

export type ExitDecision =
  | { send: true; payload: unknown; verdicts: ItemVerdict[]; removed: string[] }
  | { send: false; verdicts: ItemVerdict[]; rule: string };

/**
 * Decides what of a message may leave for one peer. Items refused by the policy are removed from
 * a payload of the shape `{ items: [{ ref, ... }] }`; in any other shape one refused item withholds
 * the whole message. A message left with no items, or with anything marked RED, is withheld.
 */
export async function decideAtExit(input: {
  peerId: string;
  payload: unknown;
  items: readonly ItemRef[];
  markings: ReadonlyMap<string, CurrentMarking>;
  policy: SharingPolicy;
  hooks: TransformHooks;
}): Promise<ExitDecision> {
  const verdicts = input.items.map((i) =>
    judgeItem(i.ref, input.markings.get(i.ref) ?? null, input.policy),
  );
  const refused = new Set(verdicts.filter((v) => !v.allowed).map((v) => v.ref));
  let payload = input.payload;
  if (refused.size > 0) {
    const p = payload;
    const itemised =
      typeof p === 'object' &&
      p !== null &&
      !Array.isArray(p) &&
      Array.isArray((p as { items?: unknown }).items);
    if (!itemised) {
      // Name the gravest rule: RED first, then whatever refused the first item.
      const rules = verdicts.flatMap((v) => (v.allowed ? [] : [v.rule]));
      return {
        send: false,
        verdicts,
        rule: rules.includes('RED') ? 'RED' : (rules[0] ?? 'ITEM_REFUSED'),
      };
    }
    const items = (p as { items: unknown[] }).items;
    const kept = items.filter((it) => {
      const ref = typeof it === 'object' && it !== null ? (it as { ref?: unknown }).ref : undefined;
      return !(typeof ref === 'string' && refused.has(ref));
    });
    if (kept.length === 0) return { send: false, verdicts, rule: 'NOTHING_LEFT' };
    payload = { ...(p as Record<string, unknown>), items: kept };
  }
  payload = await applyTransforms(payload, input.policy.transforms, input.hooks, input.peerId);
  if (containsRed(payload)) return { send: false, verdicts, rule: 'RED' };
  return { send: true, payload, verdicts, removed: [...refused] };
}
