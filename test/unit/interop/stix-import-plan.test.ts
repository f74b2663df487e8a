// What a MISP event and an OpenCTI report become (no Neo4j): every object gets an answer, the
// observables and parties Palisade keeps go to the ingest path with their author as source and
// their TLP, RED stays out, and hostile bundles are refused naming the object and the field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../../src/ingest/model.js';
import { planObservation, planRecord } from '../../../src/ingest/plan.js';
import {
  parseBundle,
  StixBundleError,
  type ImportLimits,
} from '../../../src/interop/stix/import-model.js';
import {
  planImport,
  type ImportPlan,
  type PlanItem,
} from '../../../src/interop/stix/import-plan.js';
import { TLP1_MARKING_IDS } from '../../../src/interop/stix/tlp.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/stix/${name}.json`, import.meta.url), 'utf8');
const plan = (bundle: unknown): ImportPlan => planImport(parseBundle(bundle));
const byId = (p: ImportPlan, id: string): PlanItem => {
  const item = p.items.find((i) => i.id === id);
  if (!item) throw new Error(`no item ${id}`);
  return item;
};
/** The normalized keys an item's write would store, through the ingest planner. */
function keysOf(item: PlanItem): string[] {
  const w = item.write;
  if (!w) return [];
  const planned =
    w.kind === 'observation'
      ? planObservation(w.input, { defaultRegion: 'CN' })
      : (() => {
          const parsed = parseRecord('entity', w.record);
          if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
          return planRecord(parsed.record, { defaultRegion: 'CN' });
        })();
  if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
  return [
    ...planned.patch.nodes.map((n) => n.uid),
    ...planned.patch.identifiers.map((i) => `${i.kind}:${i.key}`),
  ];
}

const MISP_AUTHOR = 'identity--2bfd2fcd-5444-470f-b4a0-1c620a169167';
const OCTI_AUTHOR = 'identity--e1736687-04af-44cf-9975-84e6c1dd0caa';

describe('a MISP event (misp-stix 2.1 export)', () => {
  const text = fixture('misp-event');
  const p = plan(text);

  it('answers for every object of the bundle', () => {
    expect(p.items.map((i) => i.index)).toEqual(
      (JSON.parse(text) as { objects: unknown[] }).objects.map((_, i) => i),
    );
    expect(p.items.every((i) => i.status !== 'write' || i.write !== undefined)).toBe(true);
  });

  it('stores the phone of the unspaced MISP pattern in E.164, as said by the event’s author', () => {
    const phone = byId(p, 'indicator--bcbcfac6-d48c-4939-90f8-02279496876f');
    expect(phone.status).toBe('write');
    expect(keysOf(phone)).toEqual(['phone:+8613800138000']);
    expect(phone.write?.kind === 'observation' && phone.write.input.source).toBe(
      `stix:Battery Brands Anti-Counterfeiting Group ${MISP_AUTHOR}`,
    );
    expect(phone.write?.kind === 'observation' && phone.write.input.observedAt).toBe(
      '2026-03-02T08:20:00.000Z',
    );
  });

  it('keeps the event’s TLP:GREEN on what it stores', () => {
    const stored = p.items.filter((i) => i.status === 'write');
    expect(stored.map((i) => i.tlp)).toEqual(stored.map(() => 'GREEN'));
  });

  it('reads email, domain, listing URL, Telegram account and the IBAN attribute', () => {
    expect(keysOf(byId(p, 'indicator--c915e561-a9a4-4cd2-8807-9b437efa66b1'))).toEqual([
      'email:sales@power-cell-outlet.top',
    ]);
    const web = keysOf(byId(p, 'indicator--628c0978-54bf-40bc-82b6-ffd8e701ae99'));
    expect(web).toContain('domain:power-cell-outlet.top');
    // The tracking parameter goes; the listing is keyed by its URL.
    expect(web.some((k) => k.startsWith('Listing:') && !k.includes('utm_source'))).toBe(true);
    expect(keysOf(byId(p, 'indicator--6f722ff7-c5e0-41c5-8b97-c7e5221b4a37'))).toEqual([
      'messagingHandle:telegram:powercell_sales',
    ]);
    expect(keysOf(byId(p, 'x-misp-attribute--58936923-9f9b-4a9b-b549-00d5e3478794'))).toEqual([
      'paymentAccount:bank:GB82WEST12345698765432',
    ]);
  });

  it('credits an observable listed by observed-data to the observed-data’s author', () => {
    const email = byId(p, 'email-addr--40209d85-1631-4fd5-aa3c-0998e91e3d6b');
    expect(email.write?.kind === 'observation' && email.write.input.source).toContain(MISP_AUTHOR);
  });

  it('skips, with the reason, what it does not store', () => {
    const reason = (id: string) => {
      const i = byId(p, id);
      expect(i.status).toBe('skipped');
      return i.reason;
    };
    expect(reason(MISP_AUTHOR)).toMatch(/author/);
    expect(reason('indicator--700b9622-f140-4b52-9647-d60801553212')).toMatch(/ipv4-addr:value/);
    expect(reason('indicator--d1f4cba3-9738-4ca7-a264-336485a830be')).toMatch(/TLP:RED/);
    expect(reason('indicator--d77dfcfd-5e17-4b09-9d19-d4c48667933a')).toMatch(/sigma/);
    expect(reason('threat-actor--6d0fb949-c23a-451c-a573-337df1c5f79a')).toMatch(/no counterpart/);
    expect(reason('report--06b65ee1-d2f0-4f71-8d28-22c3fc035890')).toMatch(/container/);
  });

  it('never plans the RED informant number', () => {
    expect(JSON.stringify(p.items.map((i) => i.write))).not.toContain('0000 1111');
  });
});

describe('an OpenCTI report export', () => {
  const p = plan(fixture('opencti-report'));
  const company = 'identity--73faadce-0245-4e3a-b184-da1323cdba1a';
  const person = 'identity--cadb99e3-3bfe-4197-b26b-1d35f3dc9013';

  it('maps the organization to a Company and the individual to a Person', () => {
    expect(keysOf(byId(p, company))).toEqual([
      'Company:name:shenzhen huaqiang power technology co., ltd.',
    ]);
    expect(keysOf(byId(p, person))).toEqual(['Person:name:li wei']);
  });

  it('turns relationships into the party using the identifier', () => {
    expect(keysOf(byId(p, 'relationship--625e2e1d-7af2-4494-9646-8700e16c0c56'))).toEqual([
      'Company:name:shenzhen huaqiang power technology co., ltd.',
      'phone:+8613922334455',
    ]);
    const located = byId(p, 'relationship--a604f2e3-643e-4db1-bfb5-4578d37ae643');
    expect(located.write?.kind === 'entity' && located.write.record.identifiers?.[0]?.kind).toBe(
      'ADDRESS',
    );
    const url = byId(p, 'relationship--0d9e7d5b-d382-4bf5-9f19-51890a65f550');
    expect(url.write?.kind === 'entity' && url.write.record.links?.[0]?.relation).toBe('OPERATES');
    const partOf = byId(p, 'relationship--4edc399f-8fd0-48dd-8380-f04a05726da3');
    expect(partOf.write?.kind === 'entity' && partOf.write.record.links).toEqual([
      {
        relation: 'AFFILIATED_WITH',
        target: { kind: 'COMPANY', key: 'name:shenzhen huaqiang power technology co., ltd.' },
      },
    ]);
  });

  it('reads OpenCTI’s TLP markings, AMBER+STRICT included, and spreads them along links', () => {
    expect(byId(p, company).tlp).toBe('AMBER');
    expect(byId(p, 'user-account--8bb7bce3-89b7-47be-8c1e-4b0198e673e4').tlp).toBe('AMBER+STRICT');
    expect(byId(p, 'relationship--43db2ee7-b5ed-42f2-b664-47b87330cf4a').tlp).toBe('AMBER+STRICT');
  });

  it('takes the author from OpenCTI’s x_opencti_created_by_ref on observables', () => {
    const phone = byId(p, 'phone-number--25bb5b3b-8f73-454e-a8a3-690db4f3e5d2');
    expect(phone.write?.kind === 'observation' && phone.write.input.source).toBe(
      `stix:Acme Brand Protection ${OCTI_AUTHOR}`,
    );
  });

  it('skips links between two observables and links to objects it was not given', () => {
    expect(byId(p, 'relationship--f71fc67e-a3ce-4e13-b594-46f48501b7f1').reason).toMatch(
      /two observables/,
    );
    expect(byId(p, 'relationship--5d6c541f-98e5-4db1-ab0f-a3379bc04b90').reason).toMatch(
      /not in this bundle/,
    );
    expect(byId(p, 'malware--0dc7299a-9873-4a36-8ed9-3810dc2b47b6').status).toBe('skipped');
  });
});

const ID = (type: string, n: number) =>
  `${type}--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const bundle = (objects: unknown[]) => ({ type: 'bundle', id: ID('bundle', 0), objects });
const identity = (n: number, extra: Record<string, unknown> = {}) => ({
  type: 'identity',
  spec_version: '2.1',
  id: ID('identity', n),
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  name: `Party ${n}`,
  identity_class: 'organization',
  ...extra,
});
const email = (n: number, extra: Record<string, unknown> = {}) => ({
  type: 'email-addr',
  spec_version: '2.1',
  id: ID('email-addr', n),
  value: `seller${n}@shop.example`,
  ...extra,
});
const rel = (n: number, source: string, target: string, extra: Record<string, unknown> = {}) => ({
  type: 'relationship',
  spec_version: '2.1',
  id: ID('relationship', n),
  created: '2026-01-02T00:00:00.000Z',
  modified: '2026-01-02T00:00:00.000Z',
  relationship_type: 'related-to',
  source_ref: source,
  target_ref: target,
  ...extra,
});

describe('hostile and broken bundles', () => {
  const refused = (input: unknown, limits?: ImportLimits) => {
    try {
      parseBundle(input, limits);
    } catch (e) {
      expect(e).toBeInstanceOf(StixBundleError);
      expect((e as StixBundleError).extensions['code']).toBe('BAD_USER_INPUT');
      return (e as Error).message;
    }
    throw new Error('the bundle was accepted');
  };

  it('refuses a bundle it cannot read as a whole, saying why', () => {
    expect(refused('{"type": "bundle", ')).toMatch(/not valid JSON/);
    expect(refused('[1, 2]')).toMatch(/JSON object/);
    expect(refused({ type: 'report', id: ID('bundle', 1), objects: [] })).toMatch(/bundle/);
    expect(refused({ type: 'bundle', id: 'bundle--nope', objects: [] })).toMatch(/id/);
    expect(
      refused({ type: 'bundle', id: ID('bundle', 1), spec_version: '2.0', objects: [] }),
    ).toMatch(/STIX 2\.0/);
    expect(refused({ type: 'bundle', id: ID('bundle', 1), objects: {} })).toMatch(/objects/);
  });

  it('bounds the size and the number of objects', () => {
    const limits = { maxBytes: 1000, maxObjects: 3 };
    expect(
      refused(JSON.stringify(bundle([email(1), email(2), email(3), email(4)])), limits),
    ).toMatch(/4 objects; at most 3/);
    expect(
      refused(JSON.stringify(bundle([identity(1, { description: 'x'.repeat(2000) })])), limits),
    ).toMatch(/at most 1000/);
  });

  it('refuses one bad object naming its position, id and field, and keeps the rest', () => {
    const p = plan(
      bundle([
        'not an object',
        { type: 'email-addr', spec_version: '2.1', value: 'x@y.example' },
        identity(1, { name: undefined }),
        {
          type: 'indicator',
          spec_version: '2.1',
          id: ID('indicator', 1),
          created: '2026-01-01T00:00:00.000Z',
          modified: '2026-01-01T00:00:00.000Z',
          pattern: "[email-addr:value = 'a@b.example' AND]",
          pattern_type: 'stix',
          valid_from: '2026-01-01T00:00:00Z',
        },
        email(2, { id: ID('domain-name', 9) }),
        email(3, { object_marking_refs: ['not-a-marking'] }),
        email(4, { spec_version: '2.0' }),
        email(5),
        rel(1, ID('identity', 1), ID('email-addr', 5)),
      ]),
    );
    const at = (i: number) => p.items[i]!;
    expect(at(0)).toMatchObject({ status: 'rejected', reason: 'must be a JSON object' });
    expect(at(1).status).toBe('rejected');
    expect(at(1).reason).toMatch(/^id: /);
    expect(at(2)).toMatchObject({ status: 'rejected', id: ID('identity', 1) });
    expect(at(2).reason).toMatch(/^name: /);
    expect(at(3).status).toBe('rejected');
    expect(at(3).reason).toMatch(/^pattern: expected an object type .* at column 38/);
    expect(at(4).reason).toMatch(/must start with "email-addr--"/);
    expect(at(5).reason).toMatch(/^object_marking_refs\.0: must be a STIX identifier/);
    expect(at(6).reason).toMatch(/spec_version/);
    expect(at(7).status).toBe('write');
    // The relationship needs the refused identity: it is not half-stored.
    expect(at(8).status).toBe('skipped');
    expect(at(8).reason).toMatch(/depends on identity--.*rejected/);
  });

  it('counts the newest version of an object once and says so for the others', () => {
    const p = plan(
      bundle([
        identity(1, { modified: '2026-02-01T00:00:00.000Z', name: 'New name' }),
        identity(1),
        rel(1, ID('identity', 1), ID('email-addr', 1)),
        email(1),
      ]),
    );
    expect(p.items[1]).toMatchObject({ status: 'skipped' });
    expect(p.items[1]!.reason).toMatch(/older version .*objects\[0\]/);
    const record = p.items[0]!.write?.kind === 'entity' ? p.items[0]!.write.record : undefined;
    expect(record?.name).toBe('New name');
  });

  it('treats what a RED report lists as RED, and drops links to RED objects', () => {
    const p = plan(
      bundle([
        {
          type: 'report',
          spec_version: '2.1',
          id: ID('report', 1),
          created: '2026-01-01T00:00:00.000Z',
          modified: '2026-01-01T00:00:00.000Z',
          name: 'internal',
          published: '2026-01-01T00:00:00.000Z',
          object_refs: [ID('email-addr', 1)],
          object_marking_refs: [TLP1_MARKING_IDS.RED],
        },
        email(1),
        identity(2),
        rel(1, ID('identity', 2), ID('email-addr', 1)),
      ]),
    );
    expect(p.items[1]).toMatchObject({ status: 'skipped' });
    expect(p.items[1]!.reason).toMatch(/RED/);
    expect(p.items[2]!.status).toBe('write');
    expect(p.items[3]!.status).toBe('skipped');
  });

  it('never lets a bundle relabel a canonical RED marking as WHITE', () => {
    const p = plan(
      bundle([
        {
          type: 'marking-definition',
          spec_version: '2.1',
          id: TLP1_MARKING_IDS.RED,
          created: '2017-01-20T00:00:00.000Z',
          definition_type: 'tlp',
          name: 'TLP:WHITE',
          definition: { tlp: 'white' },
        },
        email(1, { object_marking_refs: [TLP1_MARKING_IDS.RED] }),
      ]),
    );
    expect(p.items[1]!.status).toBe('skipped');
  });

  it('reads custom x- observables by name and refuses to reverse Palisade tokens', () => {
    const p = plan(
      bundle([
        {
          type: 'x-palisade-phone',
          spec_version: '2.1',
          id: ID('x-palisade-phone', 1),
          value: '+8613800138000',
        },
        {
          type: 'x-acme-wechat',
          spec_version: '2.1',
          id: ID('x-acme-wechat', 1),
          value: 'shop_boss',
        },
        {
          type: 'indicator',
          spec_version: '2.1',
          id: ID('indicator', 1),
          created: '2026-01-01T00:00:00.000Z',
          modified: '2026-01-01T00:00:00.000Z',
          pattern: "[x-palisade-token:value = '2026-11.abc']",
          pattern_type: 'stix',
          valid_from: '2026-01-01T00:00:00Z',
        },
        { type: 'x-acme-widget', spec_version: '2.1', id: ID('x-acme-widget', 1), value: 'w' },
      ]),
    );
    expect(keysOf(p.items[0]!)).toEqual(['phone:+8613800138000']);
    expect(keysOf(p.items[1]!)).toEqual(['messagingHandle:wechat:shop_boss']);
    expect(p.items[2]!.reason).toMatch(/pseudonymous Palisade token/);
    expect(p.items[3]!.reason).toMatch(/x-acme-widget has no counterpart/);
  });
});
