// STIX 2.1 export and TAXII 2.1 on a real graph: the exported bundle validates under the OASIS
// stix2-validator, carries no raw identifier unless a local analyst asks, and taxii2-client (PyPI)
// lists the collections and pages through the objects with HTTP Basic (password = API token).
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../src/db/managed-neo4j.js';
import { type IncomingRecord } from '../../../src/ingest/ingest.js';
import type { RecordKind } from '../../../src/ingest/model.js';
import type { StixBundle } from '../../../src/interop/stix/mapping.js';
import { taxiiCollectionId } from '../../../src/interop/taxii/routes.js';
import { startNode, type RunningNode } from '../../../src/main.js';
import { tokenFor } from '../../support/auth.js';
import { stixValidatorAvailable, validateStix } from '../../support/stix-validator.js';
import { networkedIngestor, useTestGraph } from '../../support/test-graph.js';

const graph = useTestGraph();
const taxiiClientAvailable =
  spawnSync('python3', ['-c', 'import taxii2client'], { stdio: 'ignore' }).status === 0;

/** Runs python3 without blocking the event loop (the node under test answers in this process). */
function python(
  script: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

const RAW = ['+8613100000001', 'fake-shop@example.com', '13100000001'];

const listing = (account: string, identifiers: Array<Record<string, string>>) => ({
  record: 'listing',
  source: 'analyst',
  observedAt: '2026-04-02T00:00:00Z',
  platform: 'taobao',
  seller: { accountId: account, displayName: `Shop ${account}` },
  identifiers,
});

describe('STIX export and TAXII collections', () => {
  let node: RunningNode;
  let bundle: StixBundle;

  beforeAll(async () => {
    const { ingestor } = networkedIngestor(graph);
    const rows = [
      listing('s1', [{ kind: 'PHONE', value: '+86 131 0000 0001' }]),
      listing('s2', [
        { kind: 'PHONE', value: '13100000001' },
        { kind: 'EMAIL', value: 'fake-shop@example.com' },
      ]),
      ...Array.from({ length: 12 }, (_, i) =>
        listing(`solo-${i}`, [{ kind: 'EMAIL', value: `solo${i}@example.net` }]),
      ),
    ];
    const records: IncomingRecord[] = rows.map(({ record, ...value }, index) => ({
      index,
      kind: record as RecordKind,
      value,
    }));
    const { summary } = await ingestor.ingest(records);
    expect(summary.rejected).toBe(0);
    const port = await freePort();
    // An association evaluates OPRF tokens itself, so the node needs no peer to tokenize.
    node = await startNode(
      graph.config({
        PALISADE_ROLE: 'association',
        PALISADE_NODE_ID: 'stix-node',
        PALISADE_NODE_NAME: 'STIX test node',
        PALISADE_PORT: String(port),
        PALISADE_PUBLIC_URL: `http://127.0.0.1:${port}`,
        PALISADE_TAXII_PAGE_SIZE: '4',
        PALISADE_FEDERATION_SENDER: 'false',
      }),
      { logger: graph.logger },
    );
    await node.privacy.tokenizeAll();
    bundle = await node.interop.stix.export({ tlpMax: 'AMBER' });
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('exports indicators, a network grouping and the identity, with TLP markings', () => {
    const types = bundle.objects.map((o) => o.type);
    expect(types.filter((t) => t === 'indicator')).toHaveLength(14);
    expect(types).toContain('grouping');
    expect(types).toContain('identity');
    expect(types).toContain('marking-definition');
    for (const o of bundle.objects.filter((x) => x.type === 'indicator')) {
      expect(o['object_marking_refs']).toEqual([
        'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
      ]);
    }
  });

  it('never carries a raw identifier in the default export', () => {
    const text = JSON.stringify(bundle);
    for (const raw of RAW) expect(text).not.toContain(raw);
  });

  it('re-exports the same bundle byte for byte', async () => {
    expect(JSON.stringify(await node.interop.stix.export({ tlpMax: 'AMBER' }))).toBe(
      JSON.stringify(bundle),
    );
  });

  it('refuses raw observables to a partner and gives them to an analyst', async () => {
    await expect(
      node.interop.stix.export(
        { tlpMax: 'AMBER', includeRaw: true },
        { subject: 'p', role: 'partner', peerId: 'p' },
      ),
    ).rejects.toThrow(/analysts/);
    const raw = await node.interop.stix.export(
      { tlpMax: 'AMBER', includeRaw: true },
      { subject: 'a', role: 'analyst' },
    );
    expect(raw.objects.some((o) => o.type === 'email-addr')).toBe(true);
    if (stixValidatorAvailable) expect(validateStix(raw).errors).toEqual([]);
  });

  it.skipIf(!stixValidatorAvailable)(
    'validates under the OASIS stix2-validator (skipped: python3 -m pip install stix2-validator)',
    () => {
      const result = validateStix(bundle);
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
    },
    120_000,
  );

  it('answers TAXII with the TAXII media type and refuses a caller without credentials', async () => {
    const anon = await fetch(`${node.url}/taxii2/`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('content-type')).toBe('application/taxii+json;version=2.1');
    const token = await tokenFor(node, 'partner');
    const ok = await fetch(`${node.url}/taxii2/`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/taxii+json;version=2.1' },
    });
    expect(ok.status).toBe(200);
    const discovery = (await ok.json()) as { api_roots: string[] };
    expect(discovery.api_roots).toEqual([`${node.url}/taxii2/palisade/`]);
  });

  it.skipIf(!taxiiClientAvailable)(
    'taxii2-client lists the collections and pages through every object (skipped: pip install taxii2-client)',
    async () => {
      const token = await tokenFor(node, 'partner');
      const script = `
import json, sys
from taxii2client.v21 import Server, as_pages
server = Server(sys.argv[1], user='peer', password=sys.argv[2])
root = server.default
cols = root.collections
ids, pages = [], 0
for envelope in as_pages(cols[0].get_objects, per_request=4):
    pages += 1
    ids.extend(o['id'] for o in envelope.get('objects', []))
manifest = cols[0].get_manifest()
print(json.dumps({'collections': [c.id for c in cols], 'title': cols[0].title, 'ids': ids,
                  'pages': pages, 'manifest': len(manifest.get('objects', []))}))
`;
      const out = await python(script, [`${node.url}/taxii2/`, token]);
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      const r = JSON.parse(out.stdout) as {
        collections: string[];
        ids: string[];
        pages: number;
        manifest: number;
      };
      expect(r.collections).toEqual([taxiiCollectionId('stix-node')]);
      expect(r.pages).toBeGreaterThan(2);
      // TAXII serves up to AMBER; this graph holds nothing stricter, so it is the whole export.
      expect([...r.ids].sort()).toEqual(bundle.objects.map((o) => o.id).sort());
      expect(r.manifest).toBe(4);
    },
    120_000,
  );

  it('filters by match[type] and added_after', async () => {
    const token = await tokenFor(node, 'analyst');
    const base = `${node.url}/taxii2/palisade/collections/${taxiiCollectionId('stix-node')}/objects/`;
    const res = await fetch(`${base}?match[type]=grouping`, {
      headers: { authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` },
    });
    const body = (await res.json()) as { objects: { type: string }[]; more: boolean };
    expect(body.objects.map((o) => o.type)).toEqual(['grouping']);
    expect(res.headers.get('x-taxii-date-added-first')).toMatch(/^\d{4}-/);
    const later = await fetch(`${base}?added_after=2999-01-01T00:00:00.000Z`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await later.json()).toEqual({ more: false });
  });
});
