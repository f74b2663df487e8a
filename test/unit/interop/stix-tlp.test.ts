// The TLP marking definitions Palisade exports and recognises are the published ones, character for
// character: TLP 1.0 of the STIX 2.1 specification §7.2.1.4 (as the OASIS stix2 library defines
// TLP_WHITE…TLP_RED), TLP 2.0 of the OASIS extension (cti-stix-common-objects, tlp-2.0), and the id
// OpenCTI uses for TLP:AMBER+STRICT. Imports also read a marking by its content, never loosening it.
import { describe, expect, it } from 'vitest';
import {
  OPENCTI_AMBER_STRICT_ID,
  TLP1_MARKING_IDS,
  TLP2_EXTENSION_ID,
  TLP_ORDER,
  stricter,
  tlpMarkingDefinition,
  tlpMarkingId,
  tlpOfMarkingDefinition,
  tlpOfMarkingId,
  tlpOfName,
} from '../../../src/interop/stix/tlp.js';

// STIX 2.1 §7.2.1.4, as published (and as stix2/v21/common.py builds them).
const TLP1_SPEC = [
  '{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:WHITE","definition":{"tlp":"white"}}',
  '{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:GREEN","definition":{"tlp":"green"}}',
  '{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:AMBER","definition":{"tlp":"amber"}}',
  '{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:RED","definition":{"tlp":"red"}}',
];

// The OASIS TLP 2.0 marking definitions (extension-definition-specifications/tlp-2.0).
const TLP2_OASIS = {
  CLEAR:
    '{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487","created":"2022-10-01T00:00:00.000Z","name":"TLP:CLEAR","extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension","tlp_2_0":"clear"}}}',
  GREEN:
    '{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb","created":"2022-10-01T00:00:00.000Z","name":"TLP:GREEN","extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension","tlp_2_0":"green"}}}',
  AMBER:
    '{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421","created":"2022-10-01T00:00:00.000Z","name":"TLP:AMBER","extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension","tlp_2_0":"amber"}}}',
  'AMBER+STRICT':
    '{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003","created":"2022-10-01T00:00:00.000Z","name":"TLP:AMBER+STRICT","extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension","tlp_2_0":"amber+strict"}}}',
  RED: '{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1","created":"2022-10-01T00:00:00.000Z","name":"TLP:RED","extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension","tlp_2_0":"red"}}}',
} as const;

describe('TLP 2.0 marking definitions (exported)', () => {
  it.each(TLP_ORDER)('TLP:%s is the OASIS object byte for byte', (tlp) => {
    expect(JSON.stringify(tlpMarkingDefinition(tlp))).toBe(TLP2_OASIS[tlp]);
    expect(tlpMarkingId(tlp)).toBe((JSON.parse(TLP2_OASIS[tlp]) as { id: string }).id);
  });
  it('names the OASIS TLP 2.0 extension', () => {
    expect(TLP2_EXTENSION_ID).toBe('extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d');
  });
  it.each(TLP_ORDER)('reads TLP:%s back from its id and from its content', (tlp) => {
    const object = JSON.parse(TLP2_OASIS[tlp]) as Record<string, unknown>;
    expect(tlpOfMarkingId(object['id'] as string)).toBe(tlp);
    expect(
      tlpOfMarkingDefinition({
        ...object,
        id: 'marking-definition--00000000-0000-4000-8000-000000000000',
      }),
    ).toBe(tlp);
  });
});

describe('TLP 1.0 marking definitions of STIX 2.1 §7.2.1.4 (imported)', () => {
  it('has the specification ids', () => {
    expect(Object.values(TLP1_MARKING_IDS)).toEqual(
      TLP1_SPEC.map((s) => (JSON.parse(s) as { id: string }).id),
    );
  });
  it.each([
    [0, 'CLEAR'],
    [1, 'GREEN'],
    [2, 'AMBER'],
    [3, 'RED'],
  ] as const)('reads specification object %i as TLP:%s, by id and by content', (i, tlp) => {
    const object = JSON.parse(TLP1_SPEC[i]!) as Record<string, unknown>;
    expect(tlpOfMarkingId(object['id'] as string)).toBe(tlp);
    expect(tlpOfMarkingDefinition(object)).toBe(tlp);
  });
});

describe('markings other tools write', () => {
  it('reads OpenCTI’s fixed TLP:AMBER+STRICT id and its x_opencti_definition', () => {
    expect(OPENCTI_AMBER_STRICT_ID).toBe(
      'marking-definition--826578e1-40ad-459f-bc73-ede076f81f37',
    );
    expect(tlpOfMarkingId(OPENCTI_AMBER_STRICT_ID)).toBe('AMBER+STRICT');
    expect(
      tlpOfMarkingDefinition({
        type: 'marking-definition',
        id: 'marking-definition--3a0a9c59-7c1e-4a7b-9d49-3b0d7cf1f1a1',
        definition_type: 'statement',
        definition: { statement: 'custom' },
        x_opencti_definition_type: 'TLP',
        x_opencti_definition: 'TLP:AMBER+STRICT',
      }),
    ).toBe('AMBER+STRICT');
  });
  it('reads MISP’s tlp:… statement markings and OpenCTI’s upper-case definition_type', () => {
    expect(
      tlpOfMarkingDefinition({
        definition_type: 'statement',
        definition: { statement: 'tlp:amber+strict' },
      }),
    ).toBe('AMBER+STRICT');
    expect(tlpOfMarkingDefinition({ definition_type: 'TLP', definition: { tlp: 'amber' } })).toBe(
      'AMBER',
    );
  });
  it('ignores markings that are not TLP', () => {
    expect(
      tlpOfMarkingDefinition({
        definition_type: 'statement',
        definition: { statement: 'Copyright 2026 Acme' },
      }),
    ).toBeUndefined();
  });
  it('lets the stricter level win when a bundle relabels a canonical id', () => {
    expect(
      tlpOfMarkingDefinition({
        id: TLP1_MARKING_IDS.RED,
        definition_type: 'tlp',
        definition: { tlp: 'white' },
      }),
    ).toBe('RED');
  });
  it('reads names in any case and WHITE as CLEAR', () => {
    expect(tlpOfName('TLP:WHITE')).toBe('CLEAR');
    expect(tlpOfName('tlp:Amber+Strict')).toBe('AMBER+STRICT');
    expect(tlpOfName('pink')).toBeUndefined();
    expect(stricter('GREEN', 'AMBER')).toBe('AMBER');
  });
});
