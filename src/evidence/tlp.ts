// TLP 2.0 markings of evidence and entities, and the ceiling a dossier is restricted to. Stored and
// signed in the TLP spelling (AMBER+STRICT); GraphQL spells it AMBER_STRICT.
import { isTlp, TLP_LEVELS, type Tlp } from '../federation/sharing-policy.js';

export type { Tlp };
export { TLP_LEVELS };

export const tlpRank = (t: Tlp): number => TLP_LEVELS.indexOf(t);

/** True when an item marked `marking` may go into something restricted to `ceiling`. */
export function withinCeiling(marking: Tlp, ceiling: Tlp): boolean {
  return tlpRank(marking) <= tlpRank(ceiling);
}

/** The stored marking of an item; unmarked (or unreadable) items count as `fallback`. */
export function markingOf(value: unknown, fallback: Tlp): Tlp {
  return isTlp(value) ? value : fallback;
}

export const tlpFromGraphQL = (v: string): Tlp =>
  v === 'AMBER_STRICT' ? 'AMBER+STRICT' : (v as Tlp);
export const tlpToGraphQL = (t: string): string => (t === 'AMBER+STRICT' ? 'AMBER_STRICT' : t);

/** Parses a TLP written by a person (CLI, form field): "amber", "TLP:AMBER", "amber+strict". */
export function parseTlp(text: string): Tlp | null {
  const t = text.trim().toUpperCase().replace(/^TLP:/, '').replace('_', '+');
  return isTlp(t) ? t : null;
}
