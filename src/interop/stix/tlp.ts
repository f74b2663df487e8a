// TLP as STIX: the canonical TLP 2.0 marking-definition objects (the FIRST TLP 2.0 STIX extension,
// extension-definition--60a3c5c5-…) that exports reference, plus the TLP 1.0 ids of the STIX 2.1
// spec (§7.2.1.4) that imports from older tools (MISP, OpenCTI) still carry. Copied verbatim:
// consumers recognise these by id, so they must never be re-generated.
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

const TLP2: Readonly<Record<Tlp, { id: string; value: string }>> = {
  CLEAR: { id: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', value: 'clear' },
  GREEN: { id: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', value: 'green' },
  AMBER: { id: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', value: 'amber' },
  'AMBER+STRICT': {
    id: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
    value: 'amber+strict',
  },
  RED: { id: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', value: 'red' },
};

/** TLP 1.0 marking definitions of the STIX 2.1 specification (WHITE reads as CLEAR). */
const TLP1: Readonly<Record<string, Tlp>> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'CLEAR',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'GREEN',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'AMBER',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'RED',
};

/** Most permissive first: a higher rank may reach fewer people. */
export const TLP_ORDER: readonly Tlp[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];
export const tlpRank = (tlp: Tlp): number => TLP_ORDER.indexOf(tlp);
/** The more restrictive of two markings. */
export const stricter = (a: Tlp, b: Tlp): Tlp => (tlpRank(a) >= tlpRank(b) ? a : b);

export function tlpMarkingId(tlp: Tlp): string {
  return TLP2[tlp].id;
}

/** The canonical marking-definition object for a TLP level (created 2022-10-01, as published). */
export function tlpMarkingDefinition(tlp: Tlp): MarkingDefinition {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2[tlp].id,
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${tlp}`,
    extensions: {
      [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: TLP2[tlp].value },
    },
  };
}

/** The TLP a marking-definition id stands for (TLP 2.0 or 1.0), or undefined. */
export function tlpOfMarkingId(id: string): Tlp | undefined {
  for (const [tlp, m] of Object.entries(TLP2) as [Tlp, { id: string }][]) {
    if (m.id === id) return tlp;
  }
  return TLP1[id];
}
