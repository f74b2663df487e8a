// STIX 2.1 import on a real graph: a MISP event and an OpenCTI report land as identifiers and
// parties through the ingest path (a phone written "+86 138-0013-8000" is the seller's 13800138000),
// with their TLP and author; re-importing changes nothing; a bundle with a bad object reports it and
// stores nothing half-written; a failed transaction stores nothing at all; and the node's export
// still validates under the OASIS stix2-validator afterwards (and re-imports as a no-op).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ingestor, type IncomingRecord } from '../../../src/ingest/ingest.js';
import { IngestStore } from '../../../src/ingest/store.js';
import { createStixImporter, type StixImportResult } from '../../../src/interop/stix/import.js';
import { startNode, type RunningNode } from '../../../src/main.js';
import { gqlAs } from '../../support/auth.js';
import { stixValidatorAvailable, validateStix } from '../../support/stix-validator.js';
import { networkedIngestor, useTestGraph } from '../../support/test-graph.js';

const graph = useTestGraph();
const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/stix/${name}.json`, import.meta.url), 'utf8');
const MISP = fixture('misp-event');
const OPENCTI = fixture('opencti-report');
const MISP_SOURCE =
  'stix:Battery Brands Anti-Counterfeiting Group identity--2bfd2fcd-5444-470f-b4a0-1c620a169167';

const IMPORT = /* GraphQL */ `
  mutation Import($bundle: String!, $source: String) {
    importStixBundle(bundle: $bundle, source: $source) {
      bundleId
      objects
      imported
      merged
      skipped
      rejected
      nodesCreated
      relationshipsCreated
      results {
        index
        stixId
        type
        status
        reason
        tlp
        nodeIds
        unnormalizedIdentifiers
      }
    }
  }
`;

async function rows(statement: string, params: Record<string, unknown> = {}) {
  return graph.db.runSchemaStatement(statement, params);
}

/**
 * Every node and relationship with all its properties: equal fingerprints = nothing changed. The
 * node's own bookkeeping (migrations, the networks lock's version counter) is not graph content.
 */
async function fingerprint(): Promise<string> {
  const nodes = await rows(
    `MATCH (n) WHERE NONE(l IN labels(n) WHERE l STARTS WITH 'Palisade')
     RETURN labels(n) AS l, properties(n) AS p ORDER BY elementId(n)`,
  );
  const rels = await rows(
    'MATCH (a)-[r]->(b) RETURN elementId(a) AS a, type(r) AS t, properties(r) AS p, elementId(b) AS b ORDER BY elementId(r)',
  );
  return JSON.stringify({ nodes, rels });
}

const statusOf = (r: StixImportResult, id: string) => r.results.find((o) => o.id === id)?.status;

describe('STIX 2.1 import', () => {
  let node: RunningNode;
  let ingestor: Ingestor;

  beforeAll(async () => {
    ingestor = networkedIngestor(graph).ingestor;
    // The analyst's own finding: a JD seller whose phone is written the local way.
    const seller: IncomingRecord = {
      index: 0,
      kind: 'listing',
      value: {
        source: 'jd-disclosure-2026-02',
        observedAt: '2026-02-10T00:00:00Z',
        platform: 'jd',
        seller: { accountId: 'jd-88123', displayName: 'Power Cell Flagship' },
        identifiers: [{ kind: 'PHONE', value: '13800138000' }],
      },
    };
    const { summary } = await ingestor.ingest([seller]);
    expect(summary.rejected).toBe(0);
    // An association evaluates OPRF tokens itself, so the export round trip needs no peer.
    node = await startNode(
      graph.config({
        PALISADE_ROLE: 'association',
        PALISADE_NODE_ID: 'stix-import-node',
        PALISADE_FEDERATION_SENDER: 'false',
      }),
      { logger: graph.logger, listen: false },
    );
  });
  afterAll(async () => {
    await node?.stop();
  });

  let misp: StixImportResult;

  it('imports a MISP event through GraphQL for an analyst, object by object', async () => {
    const res = await gqlAs(node, 'analyst', IMPORT, { bundle: MISP });
    expect(res.body.errors).toBeUndefined();
    const r = res.body.data.importStixBundle as {
      objects: number;
      rejected: number;
      results: Array<{ stixId: string; status: string; reason: string | null; tlp: string | null }>;
    };
    expect(r.objects).toBe(15);
    expect(r.rejected).toBe(0);
    const status = Object.fromEntries(r.results.map((o) => [o.stixId, o.status]));
    expect(status['indicator--bcbcfac6-d48c-4939-90f8-02279496876f']).toBe('MERGED');
    expect(status['indicator--c915e561-a9a4-4cd2-8807-9b437efa66b1']).toBe('IMPORTED');
    expect(status['indicator--d1f4cba3-9738-4ca7-a264-336485a830be']).toBe('SKIPPED');
    expect(status['threat-actor--6d0fb949-c23a-451c-a573-337df1c5f79a']).toBe('SKIPPED');
    expect(r.results.filter((o) => o.status === 'IMPORTED').every((o) => o.tlp === 'GREEN')).toBe(
      true,
    );
    misp = await node.interop.stixImport.import(MISP);
  });

  it('merges "+86 138-0013-8000" into the seller’s phone 13800138000 and names the source', async () => {
    const [phone] = await rows(
      `MATCH (s:Seller {accountId: 'jd-88123'})-[:USES_PHONE]->(p:Phone)
       RETURN p.key AS key, p.sources AS sources, p.rawVariants AS raws, p.tlp AS tlp`,
    );
    expect(phone).toMatchObject({ key: '+8613800138000' });
    expect(phone!['sources']).toEqual(['jd-disclosure-2026-02', MISP_SOURCE]);
    expect(phone!['raws']).toContain('+86 138-0013-8000');
    // GREEN is no stricter than the node's default: the seller's phone keeps its marking.
    expect(phone!['tlp']).toBeNull();
    const [count] = await rows('MATCH (p:Phone) RETURN count(p) AS n');
    expect(count!['n']).toBe(1);
  });

  it('stores the event’s e-mails, domain, listing, Telegram handle and IBAN, marked GREEN', async () => {
    const stored = await rows(
      `MATCH (i:Identifier) WHERE $source IN i.sources
       RETURN i.kind + ':' + i.key AS k, i.tlp AS tlp ORDER BY k`,
      { source: MISP_SOURCE },
    );
    expect(stored.map((r) => r['k'])).toEqual([
      'domain:power-cell-outlet.top',
      'email:sales@power-cell-outlet.top',
      'email:support@power-cell-outlet.top',
      'messagingHandle:telegram:powercell_sales',
      'paymentAccount:bank:GB82WEST12345698765432',
      'phone:+8613800138000',
    ]);
    expect(stored.filter((r) => r['k'] !== 'phone:+8613800138000').map((r) => r['tlp'])).toEqual(
      Array(5).fill('GREEN'),
    );
    const [listing] = await rows(
      `MATCH (l:Listing) WHERE $source IN l.sources RETURN l.url AS url, l.tlp AS tlp`,
      { source: MISP_SOURCE },
    );
    expect(listing).toEqual({
      url: 'https://power-cell-outlet.top/shop/18650-3500mah',
      tlp: 'GREEN',
    });
  });

  it('never stores the RED informant number', async () => {
    const [red] = await rows(`MATCH (p:Phone {key: '+8613900001111'}) RETURN count(p) AS n`);
    expect(red!['n']).toBe(0);
  });

  it('imports an OpenCTI report: a company using the identifiers, its manager, markings kept', async () => {
    const r = await node.interop.stixImport.import(OPENCTI);
    expect(r.rejected).toBe(0);
    expect(r.imported).toBeGreaterThan(5);
    const links = await rows(
      `MATCH (c:Company {key: 'name:shenzhen huaqiang power technology co., ltd.'})-[r]->(x)
       RETURN type(r) AS t, coalesce(x.key, x.uid) AS k ORDER BY t, k`,
    );
    expect(links.map((l) => `${String(l['t'])} ${String(l['k'])}`)).toEqual([
      expect.stringMatching(/^LOCATED_AT .*1002 huaqiang north road/i),
      'OPERATES https://mall.jd.com/index-1000123456.html',
      'USES_EMAIL sales@power-cell-outlet.top',
      'USES_PHONE +8613922334455',
    ]);
    const [person] = await rows(
      `MATCH (p:Person {key: 'name:li wei'})-[:AFFILIATED_WITH]->(:Company)
       MATCH (p)-[:USES_HANDLE]->(h:MessagingHandle)
       RETURN p.tlp AS tlp, h.key AS handle, h.tlp AS handleTlp`,
    );
    expect(person).toEqual({
      tlp: 'AMBER+STRICT',
      handle: 'wechat:hq_power_liwei',
      handleTlp: 'AMBER+STRICT',
    });
    // The e-mail MISP had marked GREEN is AMBER in OpenCTI: an import tightens, never loosens.
    const [email] = await rows(
      `MATCH (e:Email {key: 'sales@power-cell-outlet.top'}) RETURN e.tlp AS tlp, e.sources AS sources`,
    );
    expect(email!['tlp']).toBe('AMBER');
    expect(email!['sources']).toHaveLength(2);
    expect(statusOf(r, 'relationship--5d6c541f-98e5-4db1-ab0f-a3379bc04b90')).toBe('skipped');
  });

  it('changes nothing when the same bundles are imported again', async () => {
    const before = await fingerprint();
    for (const bundle of [MISP, OPENCTI]) {
      const again = await node.interop.stixImport.import(bundle);
      expect(again.imported).toBe(0);
      expect(again.nodesCreated).toBe(0);
      expect(again.relationshipsCreated).toBe(0);
      expect(again.merged).toBeGreaterThan(0);
    }
    expect(await fingerprint()).toBe(before);
    expect(statusOf(misp, 'indicator--c915e561-a9a4-4cd2-8807-9b437efa66b1')).toBe('merged');
  });

  const ID = (type: string, n: number) =>
    `${type}--10000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const badBundle = {
    type: 'bundle',
    id: ID('bundle', 1),
    objects: [
      {
        type: 'identity',
        spec_version: '2.1',
        id: ID('identity', 1),
        created: '2026-04-01T00:00:00.000Z',
        modified: '2026-04-01T00:00:00.000Z',
        identity_class: 'organization',
        name: '',
      },
      {
        type: 'phone-number',
        spec_version: '2.1',
        id: ID('phone-number', 1),
        value: '+86 137 0000 7777',
      },
      {
        type: 'relationship',
        spec_version: '2.1',
        id: ID('relationship', 1),
        created: '2026-04-01T00:00:00.000Z',
        modified: '2026-04-01T00:00:00.000Z',
        relationship_type: 'related-to',
        source_ref: ID('phone-number', 1),
        target_ref: ID('identity', 1),
      },
    ],
  };

  it('reports a bad object, stores the good one whole and nothing half-written', async () => {
    const r = await node.interop.stixImport.import(JSON.stringify(badBundle), {
      source: 'partner-feed-7',
    });
    expect(r.results.map((o) => o.status)).toEqual(['rejected', 'imported', 'skipped']);
    expect(r.results[0]!.reason).toMatch(/^name: /);
    expect(r.results[2]!.reason).toMatch(/depends on identity--.*rejected/);
    const [phone] = await rows(
      `MATCH (p:Phone {key: '+8613700007777'}) RETURN p.sources AS s, COUNT { (p)<--() } AS users`,
    );
    expect(phone).toEqual({ s: ['partner-feed-7'], users: 0 });
    const [companies] = await rows(
      `MATCH (c:Company) WHERE 'partner-feed-7' IN c.sources RETURN count(c) AS n`,
    );
    expect(companies!['n']).toBe(0);
  });

  it('stores nothing at all when the transaction fails', async () => {
    const failing = new Ingestor({
      store: new IngestStore(graph.db, {
        faultHook: () => {
          throw new Error('disk full');
        },
      }),
      logger: graph.logger,
      batchSize: 50,
      defaultRegion: 'CN',
    });
    const importer = createStixImporter({
      config: node.config,
      ingestor: failing,
      logger: graph.logger,
    });
    const bundle = {
      ...badBundle,
      id: ID('bundle', 2),
      objects: [
        { ...badBundle.objects[0], name: 'Dongguan Cells Ltd' },
        { ...badBundle.objects[1], value: '+86 137 0000 8888' },
        badBundle.objects[2],
      ],
    };
    await expect(importer.import(bundle, { source: 'partner-feed-8' })).rejects.toThrow();
    const [left] = await rows(`MATCH (n) WHERE 'partner-feed-8' IN n.sources RETURN count(n) AS n`);
    expect(left!['n']).toBe(0);
  });

  it('refuses an unreadable bundle with BAD_USER_INPUT, and the mutation to a viewer', async () => {
    const bad = await gqlAs(node, 'analyst', IMPORT, { bundle: '{"type":"bundle","objects":[' });
    expect(bad.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(bad.body.errors?.[0]?.message).toMatch(/STIX bundle refused: not valid JSON/);
    const viewer = await gqlAs(node, 'viewer', IMPORT, { bundle: MISP });
    expect(viewer.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('still exports a bundle the OASIS validator accepts, whose observables re-import onto the same nodes', async () => {
    await node.privacy.tokenizeAll();
    const exported = await node.interop.stix.export(
      { tlpMax: 'AMBER+STRICT', includeRaw: true },
      { subject: 'a', role: 'analyst' },
    );
    expect(exported.objects.some((o) => o.type === 'email-addr')).toBe(true);
    expect(exported.objects.some((o) => o.type === 'x-palisade-phone')).toBe(true);
    if (stixValidatorAvailable) {
      const v = validateStix(exported);
      expect(v.errors).toEqual([]);
      expect(v.valid).toBe(true);
    }
    const back = await node.interop.stixImport.import(exported);
    expect(back.rejected).toBe(0);
    expect(back.nodesCreated).toBe(0);
    const observables = back.results.filter((o) =>
      ['email-addr', 'domain-name', 'x-palisade-phone'].includes(o.type ?? ''),
    );
    expect(observables.length).toBeGreaterThan(0);
    expect(observables.every((o) => o.status === 'merged')).toBe(true);
    // Pseudonymous indicators cannot become identifiers again.
    const tokens = back.results.filter((o) => o.type === 'indicator');
    expect(tokens.every((o) => o.status === 'skipped' && /pseudonymous/.test(o.reason ?? ''))).toBe(
      true,
    );
  });
});
