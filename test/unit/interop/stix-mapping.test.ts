// STIX mapping: deterministic ids and bundles, canonical TLP 2.0 markings, RED never exported, the
// TLP cap respected, raw observables only on request; the bundle validates under stix2-validator.
import { describe, expect, it } from 'vitest';
import { isStixId, stixId, uuidv5 } from '../../../src/interop/stix/ids.js';
import { buildBundle, type ExportInput } from '../../../src/interop/stix/mapping.js';
import { tlpMarkingId, tlpOfMarkingId } from '../../../src/interop/stix/tlp.js';
import { page, toEntries } from '../../../src/interop/taxii/envelope.js';
import { stixValidatorAvailable, validateStix } from '../../support/stix-validator.js';

const tok = (c: string) => `2026-11.${c.repeat(86)}`;
const input: ExportInput = {
  node: { id: 'brand-a', name: 'Brand A', role: 'brand' },
  indicators: [
    {
      token: tok('A'),
      kind: 'phone',
      platforms: ['jd'],
      categories: ['batteries'],
      firstSeen: '2026-01-02',
      lastSeen: '2026-03-04',
      listings: 2,
      tlp: 'GREEN',
      raw: { kind: 'email', value: 'seller@example.com' },
    },
    {
      token: tok('B'),
      kind: 'email',
      platforms: [],
      categories: [],
      firstSeen: null,
      lastSeen: null,
      listings: 0,
      tlp: 'AMBER',
    },
    {
      token: tok('C'),
      kind: 'phone',
      platforms: [],
      categories: [],
      firstSeen: '2026-02-01',
      lastSeen: null,
      listings: 0,
      tlp: 'RED',
      raw: { kind: 'phone', value: '+8613100000009' },
    },
  ],
  networks: [{ id: 'net-1', tokens: [tok('A'), tok('B'), tok('C')], tlp: 'CLEAR' }],
  actions: [
    {
      key: 'act-1',
      kind: 'TAKEDOWN',
      date: '2026-02-01',
      jurisdiction: 'CN',
      platforms: ['jd'],
      itemsSeized: null,
      arrests: 2,
      tokens: [tok('A')],
      tlp: 'GREEN',
    },
  ],
};

describe('STIX ids', () => {
  it('computes RFC 9562 UUIDv5 (the DNS-namespace example)', () => {
    expect(uuidv5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
  it('is deterministic per type and key', () => {
    expect(stixId('indicator', 'x')).toBe(stixId('indicator', 'x'));
    expect(stixId('indicator', 'x')).not.toBe(
      stixId('grouping', 'x').replace('grouping', 'indicator'),
    );
    expect(isStixId(stixId('grouping', 'n'), 'grouping')).toBe(true);
  });
});

describe('STIX bundle', () => {
  const bundle = buildBundle(input, { tlpMax: 'AMBER' });
  const text = JSON.stringify(bundle);

  it('is identical when built twice', () => {
    expect(JSON.stringify(buildBundle(input, { tlpMax: 'AMBER' }))).toBe(text);
  });

  it('never exports RED, even when the cap allows it', () => {
    const red = JSON.stringify(buildBundle(input, { tlpMax: 'RED' }));
    expect(red).not.toContain(tok('C'));
    expect(red).not.toContain(tlpMarkingId('RED'));
  });

  it('marks objects with the canonical TLP 2.0 definitions and includes them', () => {
    const ind = bundle.objects.find(
      (o) => o.type === 'indicator' && String(o['pattern']).includes(tok('A')),
    );
    expect(ind?.['object_marking_refs']).toEqual([
      'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
    ]);
    const markings = bundle.objects.filter((o) => o.type === 'marking-definition').map((o) => o.id);
    expect(markings.sort()).toEqual([tlpMarkingId('GREEN'), tlpMarkingId('AMBER')].sort());
    expect(tlpOfMarkingId('marking-definition--f88d31f6-486f-44da-b317-01333bde0b82')).toBe(
      'AMBER',
    );
  });

  it('marks a grouping with the strictest marking of what it lists', () => {
    const g = bundle.objects.find((o) => o.type === 'grouping');
    expect(g?.['object_marking_refs']).toEqual([tlpMarkingId('AMBER')]);
    expect(g?.['object_refs']).toHaveLength(2);
  });

  it('drops what is above the cap', () => {
    const green = buildBundle(input, { tlpMax: 'GREEN' });
    expect(JSON.stringify(green)).not.toContain(tok('B'));
    // The grouping lists only what the cap lets out.
    expect(green.objects.find((o) => o.type === 'grouping')?.['object_refs']).toHaveLength(1);
  });

  it('carries raw observables only when asked', () => {
    expect(text).not.toContain('seller@example.com');
    const raw = buildBundle(input, { tlpMax: 'AMBER', includeRaw: true });
    expect(raw.objects.find((o) => o.type === 'email-addr')?.['value']).toBe('seller@example.com');
    expect(JSON.stringify(raw)).not.toContain('+8613100000009');
  });

  it('never exports a value that was kept raw (unnormalized) as an observable', () => {
    const raw = buildBundle(
      {
        ...input,
        indicators: [
          { ...input.indicators[0]!, raw: { kind: 'email', value: 'raw:seller at example' } },
        ],
      },
      { tlpMax: 'AMBER', includeRaw: true },
    );
    expect(raw.objects.some((o) => o.type === 'email-addr')).toBe(false);
    expect(raw.objects.some((o) => o.type === 'indicator')).toBe(true);
  });

  it.skipIf(!stixValidatorAvailable)(
    'validates under stix2-validator (skipped: pip install stix2-validator)',
    () => {
      for (const b of [bundle, buildBundle(input, { tlpMax: 'AMBER', includeRaw: true })]) {
        const r = validateStix(b);
        expect(r.errors).toEqual([]);
        expect(r.valid).toBe(true);
      }
    },
    60_000,
  );
});

describe('TAXII paging', () => {
  const entries = toEntries(buildBundle(input, { tlpMax: 'AMBER' }).objects);
  it('pages with a stable cursor through every object exactly once', () => {
    const seen: string[] = [];
    let next: string | undefined;
    for (let i = 0; i < 10; i++) {
      const p = page(entries, { limit: 2, ...(next !== undefined && { next }) });
      seen.push(...p.entries.map((e) => e.object.id));
      if (!p.more) break;
      next = p.next;
    }
    expect(seen).toEqual(entries.map((e) => e.object.id));
  });
  it('filters by type and added_after', () => {
    expect(page(entries, { limit: 10, types: ['grouping'] }).entries).toHaveLength(1);
    expect(page(entries, { limit: 10, addedAfter: '2999-01-01T00:00:00.000Z' }).entries).toEqual(
      [],
    );
  });
});
