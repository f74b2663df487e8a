// TLP as STIX: the canonical TLP 2.0 marking-definition objects (the OASIS TLP 2.0 extension,
// extension-definition--60a3c5c5-…) that exports reference, plus what imports must recognise: the
// TLP 1.0 ids of the STIX 2.1 spec (§7.2.1.4) that MISP and OpenCTI still carry, OpenCTI's fixed id
// for TLP:AMBER+STRICT, and marking content (a TLP 1.0 `definition`, the TLP 2.0 extension,
// OpenCTI's `x_opencti_definition`, MISP's `tlp:…` statements) whatever the id. Ids copied verbatim
// from the published objects (checked in test/unit/interop/stix-tlp.test.ts): consumers recognise
// these by id, so they must never be re-generated.
import type { Tlp } from '../../federation/sharing-policy.js';

export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

export interface MarkingDefinition {
  type: 'marking-definition';
  spec_version: '2.1';
  id: string;
  created: string;
  name: string;
  extensions: Record<string, { extension_type: 'property-extension'; tlp_2_0: string }>;
}

/** The OASIS TLP 2.0 marking definitions (cti-stix-common-objects, tlp-2.0), by level. */
export const TLP2_MARKINGS: Readonly<Record<Tlp, { id: string; value: string }>> = {
  CLEAR: { id: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', value: 'clear' },
  GREEN: { id: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', value: 'green' },
  AMBER: { id: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', value: 'amber' },
  'AMBER+STRICT': {
    id: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
    value: 'amber+strict',
  },
  RED: { id: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', value: 'red' },
};

/** TLP 1.0 marking definitions of the STIX 2.1 specification §7.2.1.4 (WHITE reads as CLEAR). */
export const TLP1_MARKING_IDS: Readonly<Record<'WHITE' | 'GREEN' | 'AMBER' | 'RED', string>> = {
  WHITE: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  GREEN: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  AMBER: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  RED: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
};

/** OpenCTI's fixed id for TLP:AMBER+STRICT (TLP 1.0 has none; OpenCTI exports TLP:CLEAR as WHITE). */
export const OPENCTI_AMBER_STRICT_ID = 'marking-definition--826578e1-40ad-459f-bc73-ede076f81f37';

const KNOWN_IDS: ReadonlyMap<string, Tlp> = new Map<string, Tlp>([
  ...(Object.entries(TLP2_MARKINGS) as [Tlp, { id: string }][]).map(
    ([tlp, m]) => [m.id, tlp] as [string, Tlp],
  ),
  [TLP1_MARKING_IDS.WHITE, 'CLEAR'],
  [TLP1_MARKING_IDS.GREEN, 'GREEN'],
  [TLP1_MARKING_IDS.AMBER, 'AMBER'],
  [TLP1_MARKING_IDS.RED, 'RED'],
  [OPENCTI_AMBER_STRICT_ID, 'AMBER+STRICT'],
]);

/** Most permissive first: a higher rank may reach fewer people. */
export const TLP_ORDER: readonly Tlp[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];
export const tlpRank = (tlp: Tlp): number => TLP_ORDER.indexOf(tlp);
/** The more restrictive of two markings. */
export const stricter = (a: Tlp, b: Tlp): Tlp => (tlpRank(a) >= tlpRank(b) ? a : b);

export function tlpMarkingId(tlp: Tlp): string {
  return TLP2_MARKINGS[tlp].id;
}

/** The canonical marking-definition object for a TLP level (created 2022-10-01, as published). */
export function tlpMarkingDefinition(tlp: Tlp): MarkingDefinition {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKINGS[tlp].id,
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${tlp}`,
    extensions: {
      [TLP2_EXTENSION_ID]: {
        extension_type: 'property-extension',
        tlp_2_0: TLP2_MARKINGS[tlp].value,
      },
    },
  };
}

/** The TLP a well-known marking-definition id stands for (TLP 2.0, TLP 1.0, OpenCTI), or undefined. */
export function tlpOfMarkingId(id: string): Tlp | undefined {
  return KNOWN_IDS.get(id);
}

/** "white", "TLP:AMBER+STRICT", "tlp:clear" → the level; anything else → undefined. */
export function tlpOfName(value: unknown): Tlp | undefined {
  if (typeof value !== 'string') return undefined;
  const level = value
    .trim()
    .replace(/^tlp\s*:\s*/i, '')
    .toUpperCase();
  if (level === 'WHITE') return 'CLEAR';
  return (TLP_ORDER as readonly string[]).includes(level) ? (level as Tlp) : undefined;
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;

/**
 * The TLP a marking-definition object states, by id or by content; when both speak and disagree
 * the stricter wins (a bundle may not relabel a canonical id to loosen it). Undefined: not TLP.
 */
export function tlpOfMarkingDefinition(object: Record<string, unknown>): Tlp | undefined {
  const found: Tlp[] = [];
  const byId = typeof object['id'] === 'string' ? tlpOfMarkingId(object['id']) : undefined;
  if (byId) found.push(byId);
  const definitionType =
    typeof object['definition_type'] === 'string' ? object['definition_type'].toLowerCase() : '';
  const definition = record(object['definition']);
  if (definitionType === 'tlp') {
    const t = tlpOfName(definition?.['tlp']);
    if (t) found.push(t);
  }
  if (definitionType === 'statement') {
    const statement = definition?.['statement'];
    // MISP exports the TLP tags stix2 has no constant for (tlp:clear, tlp:amber+strict) this way.
    if (typeof statement === 'string' && /^\s*tlp\s*:/i.test(statement)) {
      const t = tlpOfName(statement);
      if (t) found.push(t);
    }
  }
  const tlp2 = record(record(object['extensions'])?.[TLP2_EXTENSION_ID])?.['tlp_2_0'];
  const t2 = tlpOfName(tlp2);
  if (t2) found.push(t2);
  if (String(object['x_opencti_definition_type']).toUpperCase() === 'TLP') {
    const t = tlpOfName(object['x_opencti_definition']);
    if (t) found.push(t);
  }
  return found.length === 0 ? undefined : found.reduce(stricter);
}
