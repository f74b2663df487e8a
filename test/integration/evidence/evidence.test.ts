import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../../src/main.js';
import { readArchive, writeArchive, type ArchiveEntry } from '../../../src/evidence/archive.js';
import { keepForVerify, verifyDossierEntries } from '../../../src/evidence/dossier-manifest.js';
import { checkFileAgainstStatement } from '../../../src/evidence/statement.js';
import { toGlobalId } from '../../../src/server/relay.js';
import { gqlAs, tokenFor } from '../../support/auth.js';
import { testConfig, testLogger, workerUri } from '../../support/test-graph.js';
import type { Role } from '../../../src/auth/matrix.js';

const MAX = 64 * 1024;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from(`png body ${randomUUID()}`),
]);
const RUN = randomUUID().slice(0, 8);
const CASE_UID = `Case:ev-${RUN}`;
const SELLER_UID = `Seller:jd:ev-${RUN}`;
const LISTING_UID = `Listing:ev-${RUN}`;
const SECRET_LISTING_UID = `Listing:ev-red-${RUN}`;
const idOf = (uid: string) => Buffer.from(uid, 'utf8').toString('base64url');

let node: RunningNode;
let evidenceDir: string;

async function upload(
  fields: Record<string, string>,
  file: { bytes: Uint8Array; name: string; type?: string } | null,
  role: Role = 'analyst',
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file)
    form.append(
      'file',
      new Blob([Buffer.from(file.bytes)], { type: file.type ?? 'application/pdf' }),
      file.name,
    );
  const res = await node.yoga.fetch('http://palisade.test/evidence', {
    method: 'POST',
    headers: { authorization: `Bearer ${await tokenFor(node, role)}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const blobFiles = (): string[] => {
  const root = join(evidenceDir, 'sha256');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name);
};
const stagingFiles = () =>
  existsSync(join(evidenceDir, 'tmp')) ? readdirSync(join(evidenceDir, 'tmp')) : [];
const evidenceCount = async () =>
  Number((await node.db.runSchemaStatement('MATCH (e:Evidence) RETURN count(e) AS n'))[0]!['n']);

beforeAll(async () => {
  evidenceDir = mkdtempSync(join(tmpdir(), 'palisade-evidence-'));
  node = await startNode(
    testConfig(workerUri(), {
      PALISADE_NODE_ID: 'brand-ev',
      PALISADE_EVIDENCE_DIR: evidenceDir,
      PALISADE_DOSSIER_DIR: join(evidenceDir, 'dossiers'),
      PALISADE_EVIDENCE_MAX_BYTES: String(MAX),
    }),
    { listen: false, logger: testLogger() },
  );
  await node.db.runSchemaStatement(
    `CREATE (c:Entity:Case {uid: $case, key: $caseKey, title: 'Battery fakes', sources: ['t']})
     CREATE (s:Entity:Seller {uid: $seller, key: $sellerKey, platform: 'jd', accountId: $sellerKey, sources: ['t']})
     CREATE (l:Entity:Listing {uid: $listing, key: $listingKey, title: 'Battery', unitsSold: 1000, price: 19.9, currency: 'CNY', sources: ['t']})
     CREATE (r:Entity:Listing {uid: $red, key: $redKey, title: 'Informant tip', unitsSold: 5, price: 10, currency: 'CNY', tlp: 'RED', sources: ['t']})
     CREATE (s)-[:PART_OF_CASE]->(c), (s)-[:LISTS]->(l), (s)-[:LISTS]->(r)`,
    {
      case: CASE_UID,
      caseKey: CASE_UID.slice(5),
      seller: SELLER_UID,
      sellerKey: SELLER_UID.slice(7),
      listing: LISTING_UID,
      listingKey: LISTING_UID.slice(8),
      red: SECRET_LISTING_UID,
      redKey: SECRET_LISTING_UID.slice(8),
    },
  );
});
afterAll(async () => node?.stop());

describe('evidence upload over HTTP', () => {
  let evidenceId: string;

  it('stores a file content-addressed, sniffs its type and signs a statement that verifies offline', async () => {
    const { status, body } = await upload(
      { for: idOf(LISTING_UID), sourceUrl: 'https://item.jd.com/1.html', tlp: 'AMBER' },
      { bytes: PNG, name: 'listing.pdf', type: 'application/pdf' },
    );
    expect(status).toBe(201);
    expect(body['evidence']).toMatchObject({
      sha256: sha(PNG),
      size: PNG.length,
      mediaType: 'image/png',
      declaredMediaType: 'application/pdf',
      filename: 'listing.pdf',
    });
    evidenceId = body['evidence']['id'];
    const path = join(evidenceDir, 'sha256', sha(PNG).slice(0, 2), sha(PNG).slice(2, 4), sha(PNG));
    expect(sha(readFileSync(path))).toBe(sha(PNG));
    const check = await checkFileAgainstStatement(
      Readable.from([PNG]),
      body['evidence']['statement'],
      await node.federation.keys.jwks(),
    );
    expect(check).toMatchObject({
      ok: true,
      statement: {
        capturedBy: 'test-analyst',
        nodeId: 'brand-ev',
        sourceUrl: 'https://item.jd.com/1.html',
      },
    });
  });

  it('stores the same file uploaded twice once', async () => {
    const before = blobFiles().length;
    const nodes = await evidenceCount();
    const { status, body } = await upload(
      { for: idOf(CASE_UID) },
      { bytes: PNG, name: 'again.png' },
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ created: false, blobCreated: false });
    expect(blobFiles().length).toBe(before);
    expect(await evidenceCount()).toBe(nodes);
  });

  it('refuses a file above the limit with 413 while streaming, and stores nothing', async () => {
    const blobs = blobFiles().length;
    const nodes = await evidenceCount();
    const big = Buffer.alloc(MAX + 1, 0x41);
    const { status, body } = await upload(
      { for: idOf(LISTING_UID) },
      { bytes: big, name: 'big.txt' },
    );
    expect(status).toBe(413);
    expect(body['errors'][0]['extensions']).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'TOO_LARGE',
    });
    expect(body['errors'][0]['message']).toMatch(/larger than the limit/);
    expect(blobFiles().length).toBe(blobs);
    expect(stagingFiles()).toEqual([]);
    expect(await evidenceCount()).toBe(nodes);
  });

  it('refuses a declared Content-Length above the limit before reading the body', async () => {
    const res = await node.yoga.fetch('http://palisade.test/evidence', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await tokenFor(node, 'analyst')}`,
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(MAX * 10),
      },
      body: Buffer.alloc(10),
    });
    expect(res.status).toBe(413);
  });

  it.each(['../evil.png', 'dir/evil.png', 'dir\\evil.png', 'nul\u0001.png'])(
    'refuses the file name %j with a clear error and stores nothing',
    async (name) => {
      const blobs = blobFiles().length;
      const nodes = await evidenceCount();
      const bytes = Buffer.from(`distinct ${name} ${randomUUID()}`);
      const { status, body } = await upload({ for: idOf(LISTING_UID) }, { bytes, name });
      expect(status).toBe(400);
      // A raw control character in a part header is already malformed multipart for the parser.
      expect(['BAD_FILENAME', 'NOT_MULTIPART']).toContain(
        body['errors'][0]['extensions']['reason'],
      );
      expect(body['errors'][0]['message']).toMatch(/Refused file name|Malformed multipart/);
      expect(blobFiles().length).toBe(blobs);
      expect(stagingFiles()).toEqual([]);
      expect(await evidenceCount()).toBe(nodes);
    },
  );

  it('refuses an unknown target and bad metadata, storing nothing', async () => {
    const blobs = blobFiles().length;
    const bytes = Buffer.from(`orphan ${randomUUID()}`);
    const unknown = await upload({ for: idOf('Listing:nope') }, { bytes, name: 'a.txt' });
    expect(unknown.status).toBe(400);
    expect(unknown.body['errors'][0]['extensions']['reason']).toBe('UNKNOWN_TARGET');
    const badTlp = await upload(
      { for: idOf(LISTING_UID), tlp: 'PURPLE' },
      { bytes, name: 'a.txt' },
    );
    expect(badTlp.body['errors'][0]['extensions']).toMatchObject({
      reason: 'BAD_METADATA',
      field: 'tlp',
    });
    expect(blobFiles().length).toBe(blobs);
    expect(stagingFiles()).toEqual([]);
  });

  it('lets only analysts and admins upload', async () => {
    const { status } = await upload(
      { for: idOf(LISTING_UID) },
      { bytes: PNG, name: 'x.png' },
      'viewer',
    );
    expect(status).toBe(403);
    const anonymous = await node.yoga.fetch('http://palisade.test/evidence', {
      method: 'POST',
      body: new FormData(),
    });
    expect(anonymous.status).toBe(401);
  });

  it('keeps a custody chain: capture, view, transfer; a changed entry is detected', async () => {
    const q = `query($id: ID!) { node(id: $id) { ... on Evidence { sha256 tlp statement { jws } custody { verified problem entries { seq action actor } } } } }`;
    const first = await gqlAs(node, 'analyst', q, { id: evidenceId });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.node.tlp).toBe('AMBER');
    const transfer = await gqlAs(
      node,
      'analyst',
      `mutation($id: ID!) { transferEvidence(input: {id: $id, authority: "Shenzhen Customs", reference: "SZ-2026-1"}) { ok error { code } } }`,
      { id: evidenceId },
    );
    expect(transfer.body.data.transferEvidence).toEqual({ ok: true, error: null });
    const custodyOnly = `query($id: ID!) { node(id: $id) { ... on Evidence { custody { verified problem entries { seq action actor } } } } }`;
    const second = await gqlAs(node, 'analyst', custodyOnly, { id: evidenceId });
    const actions = second.body.data.node.custody.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['CAPTURE', 'CAPTURE', 'VIEW', 'TRANSFER']);
    expect(second.body.data.node.custody.verified).toBe(true);

    await node.db.runSchemaStatement(
      `MATCH (c:CustodyEntry {item: $item, seq: 4}) SET c.detail = replace(c.detail, 'Shenzhen', 'Shenzhan')`,
      { item: `Evidence:sha256-${sha(PNG)}` },
    );
    const third = await gqlAs(node, 'analyst', custodyOnly, { id: evidenceId });
    expect(third.body.data.node.custody).toMatchObject({
      verified: false,
      problem: 'edited at entry 4',
    });
    // Put it back for the dossier tests below.
    await node.db.runSchemaStatement(
      `MATCH (c:CustodyEntry {item: $item, seq: 4}) SET c.detail = replace(c.detail, 'Shenzhan', 'Shenzhen')`,
      { item: `Evidence:sha256-${sha(PNG)}` },
    );
  });

  it('re-hashes a stored file on verification and detects one flipped byte', async () => {
    const bytes = Buffer.from(`to be damaged ${randomUUID()}`);
    const { body } = await upload({ for: idOf(LISTING_UID) }, { bytes, name: 'd.txt' });
    const q = `query($id: ID!) { verifyEvidence(id: $id) { fileIntact statementValid custodyVerified problems } }`;
    const ok = await gqlAs(node, 'analyst', q, { id: body['evidence']['id'] });
    expect(ok.body.data.verifyEvidence).toEqual({
      fileIntact: true,
      statementValid: true,
      custodyVerified: true,
      problems: [],
    });
    const path = join(
      evidenceDir,
      'sha256',
      sha(bytes).slice(0, 2),
      sha(bytes).slice(2, 4),
      sha(bytes),
    );
    const damaged = readFileSync(path);
    damaged[0] = damaged[0]! ^ 0x01;
    writeFileSync(path, damaged);
    const bad = await gqlAs(node, 'analyst', q, { id: body['evidence']['id'] });
    expect(bad.body.data.verifyEvidence.fileIntact).toBe(false);
    damaged[0] = damaged[0] ^ 0x01;
    writeFileSync(path, damaged);
  });
});

describe('test purchases', () => {
  it('records an order with its waybill, photos and authentication verdict', async () => {
    const photo = Buffer.from(`received item ${randomUUID()}`);
    const up = await upload(
      { for: idOf(SELLER_UID), kind: 'PHOTO' },
      { bytes: photo, name: 'item.jpg' },
    );
    const r = await gqlAs(
      node,
      'analyst',
      `mutation($in: TestPurchaseInput!) { recordTestPurchase(input: $in) { ok error { code message } testPurchase { id orderNumber amountPaid currency waybill seller { id } case { id } evidence { id } } } }`,
      {
        in: {
          platform: 'jd',
          orderNumber: `ORD-${RUN}`,
          sellerId: idOf(SELLER_UID),
          amountPaid: '129.00',
          currency: 'cny',
          purchasedOn: '2026-11-20',
          waybill: 'SF1234567890123',
          carrier: '顺丰',
          caseId: idOf(CASE_UID),
          evidenceIds: [up.body['evidence']['id']],
        },
      },
    );
    expect(r.body.errors).toBeUndefined();
    const p = r.body.data.recordTestPurchase;
    expect(p).toMatchObject({
      ok: true,
      testPurchase: {
        amountPaid: '129.00',
        currency: 'CNY',
        seller: { id: idOf(SELLER_UID) },
        case: { id: idOf(CASE_UID) },
      },
    });
    expect(p.testPurchase.evidence).toHaveLength(1);
    const a = await gqlAs(
      node,
      'analyst',
      `mutation($id: ID!) { authenticateTestPurchase(input: {id: $id, result: COUNTERFEIT, authenticatedBy: "Brand lab"}) { ok testPurchase { authenticationResult authenticatedBy authenticatedAt } } }`,
      { id: p.testPurchase.id },
    );
    expect(a.body.data.authenticateTestPurchase.testPurchase).toMatchObject({
      authenticationResult: 'COUNTERFEIT',
      authenticatedBy: 'Brand lab',
    });
    const list = await gqlAs(
      node,
      'viewer',
      `query($c: ID) { testPurchases(caseId: $c) { orderNumber } }`,
      { c: idOf(CASE_UID) },
    );
    expect(list.body.data.testPurchases).toEqual([{ orderNumber: `ORD-${RUN}` }]);
  });
});

describe('dossiers', () => {
  let tar: Buffer;
  let redSha: string;

  beforeAll(async () => {
    // RED evidence on the case: it must never leave in an AMBER dossier.
    const red = Buffer.from(`informant statement ${randomUUID()}`);
    redSha = sha(red);
    const up = await upload(
      { for: idOf(CASE_UID), tlp: 'RED' },
      { bytes: red, name: 'informant.txt' },
    );
    expect(up.status).toBe(201);
    const r = await gqlAs(
      node,
      'analyst',
      `mutation($id: ID!) { exportDossier(input: {kind: CASE, id: $id, tlp: AMBER}) { ok error { code message } dossier { id downloadPath sha256 withheldEvidence withheldEntities } } }`,
      { id: idOf(CASE_UID) },
    );
    expect(r.body.errors).toBeUndefined();
    const d = r.body.data.exportDossier.dossier;
    expect(d.withheldEvidence).toBe(1);
    expect(d.withheldEntities).toBeGreaterThanOrEqual(1);
    const res = await node.yoga.fetch(`http://palisade.test${d.downloadPath}`, {
      headers: { authorization: `Bearer ${await tokenFor(node, 'analyst')}` },
    });
    expect(res.status).toBe(200);
    tar = Buffer.from(await res.arrayBuffer());
    expect(sha(tar)).toBe(d.sha256);
  });

  const entriesOf = (bytes: Buffer) => readArchive(Readable.from([bytes]), () => true);
  const verify = async (bytes: Buffer) =>
    verifyDossierEntries(await readArchive(Readable.from([bytes]), keepForVerify), {
      jwks: await node.federation.keys.jwks(),
    });

  async function rewrite(fn: (entries: ArchiveEntry[]) => void): Promise<Buffer> {
    const entries: ArchiveEntry[] = (await entriesOf(tar)).map((e) => ({
      path: e.path,
      size: e.size,
      content: new Uint8Array(e.bytes!),
    }));
    fn(entries);
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeArchive(out, entries);
    return Buffer.concat(chunks);
  }
  const flip = (entries: ArchiveEntry[], pred: (p: string) => boolean) => {
    const i = entries.findIndex((e) => pred(e.path));
    const b = Uint8Array.from(entries[i]!.content as Uint8Array);
    b[b.length - 3] = b[b.length - 3]! ^ 0x01;
    entries[i] = { ...entries[i]!, content: b };
  };

  it('verifies with the node public key alone and holds evidence, custody logs, graph and damages', async () => {
    const v = await verify(tar);
    expect(v.problems, v.problems.join('\n')).toEqual([]);
    expect(v.ok).toBe(true);
    const paths = (await entriesOf(tar)).map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'manifest.json',
        'manifest.jws',
        'jwks.json',
        'graph.json',
        'damages.json',
        'evidence/index.json',
        `evidence/${sha(PNG)}`,
      ]),
    );
    const damages = JSON.parse(
      (await entriesOf(tar)).find((e) => e.path === 'damages.json')!.bytes!.toString(),
    );
    expect(JSON.stringify(damages)).toContain('19900');
  });

  it('verifies with `palisade dossier verify --jwks` and fails it after a change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-dossier-cli-'));
    writeFileSync(join(dir, 'd.tar'), tar);
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify(await node.federation.keys.jwks()));
    const run = (file: string) =>
      spawnSync(
        'npx',
        ['tsx', 'src/cli.ts', 'dossier', 'verify', file, '--jwks', join(dir, 'jwks.json')],
        {
          encoding: 'utf8',
          env: { ...process.env, PALISADE_DATA_DIR: dir },
        },
      );
    const ok = run(join(dir, 'd.tar'));
    expect(ok.stdout).toMatch(/^OK /);
    expect(ok.status).toBe(0);
    writeFileSync(join(dir, 'bad.tar'), await rewrite((e) => flip(e, (p) => p === 'graph.json')));
    const bad = run(join(dir, 'bad.tar'));
    expect(bad.stdout).toMatch(/FAILED[\s\S]*graph.json: SHA-256 differs/);
    expect(bad.status).toBe(1);
  });

  it('contains nothing above its TLP ceiling', async () => {
    const entries = await entriesOf(tar);
    expect(entries.map((e) => e.path)).not.toContain(`evidence/${redSha}`);
    const all = entries.map((e) => e.bytes?.toString('utf8') ?? '').join('\n');
    expect(all).not.toContain(redSha);
    expect(all).not.toContain(SECRET_LISTING_UID);
    expect(all).not.toContain('Informant tip');
  });

  it('records an export custody entry for each included item', async () => {
    const q = `query($id: ID!) { node(id: $id) { ... on Evidence { custody { entries { action detail } } } } }`;
    const r = await gqlAs(node, 'analyst', q, { id: toGlobalId('Evidence', `sha256-${sha(PNG)}`) });
    expect(r.body.data.node.custody.entries.map((e: { action: string }) => e.action)).toContain(
      'EXPORT',
    );
    const red = await gqlAs(node, 'analyst', q, { id: toGlobalId('Evidence', `sha256-${redSha}`) });
    expect(
      red.body.data.node.custody.entries.map((e: { action: string }) => e.action),
    ).not.toContain('EXPORT');
  });

  it('fails after any change: evidence byte, manifest, custody log, added file, removed file', async () => {
    expect(
      (await verify(await rewrite((e) => flip(e, (p) => p === `evidence/${sha(PNG)}`)))).ok,
    ).toBe(false);
    expect((await verify(await rewrite((e) => flip(e, (p) => p === 'manifest.json')))).ok).toBe(
      false,
    );
    expect((await verify(await rewrite((e) => flip(e, (p) => p.startsWith('custody/'))))).ok).toBe(
      false,
    );
    expect(
      (
        await verify(
          await rewrite((e) =>
            e.push({ path: 'note.txt', size: 2, content: new Uint8Array([104, 105]) }),
          ),
        )
      ).ok,
    ).toBe(false);
    expect(
      (
        await verify(
          await rewrite((e) =>
            e.splice(
              e.findIndex((x) => x.path === 'graph.json'),
              1,
            ),
          ),
        )
      ).ok,
    ).toBe(false);
    // The untouched rewrite still verifies: the failures above are the changes, not the rewriting.
    expect((await verify(await rewrite(() => undefined))).ok).toBe(true);
  });
});
