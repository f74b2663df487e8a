import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  generateNodeKeys,
  publicJwks,
  fingerprint,
  type NodeKeys,
} from '../../../src/federation/keys.js';
import {
  createStatementSigner,
  DOSSIER_MANIFEST_TYP,
  type StatementSigner,
} from '../../../src/federation/signed-statements.js';
import { readArchive, writeArchive, type ArchiveEntry } from '../../../src/evidence/archive.js';
import { nextCustodyEntry } from '../../../src/evidence/custody-chain.js';
import {
  DOSSIER_FORMAT,
  keepForVerify,
  manifestBytes,
  verifyDossierEntries,
  type DossierManifest,
} from '../../../src/evidence/dossier-manifest.js';
import {
  checkFileAgainstStatement,
  signCaptureStatement,
} from '../../../src/evidence/statement.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const enc = (s: string) => new TextEncoder().encode(s);

let keys: NodeKeys;
let signer: StatementSigner;
beforeAll(async () => {
  keys = await generateNodeKeys();
  signer = createStatementSigner({
    signingKey: () => Promise.resolve(keys.signing),
    jwks: () => Promise.resolve(publicJwks(keys)),
  });
});

const FILE = enc('a screenshot of listing 42');

async function statementFor(file: Uint8Array) {
  return signCaptureStatement(signer, {
    v: 1,
    type: 'palisade.evidence.capture',
    evidenceId: `sha256-${sha(file)}`,
    sha256: sha(file),
    size: file.length,
    mediaType: 'text/plain',
    capturedAt: '2026-11-29T00:00:00.000Z',
    capturedBy: 'analyst',
    sourceUrl: 'https://item.jd.com/42.html',
    nodeId: 'brand-a',
    signedAt: '2026-11-29T00:00:01.000Z',
  });
}

describe('signed capture statements', () => {
  it('verify a file offline with the public JWKS alone', async () => {
    const { jws } = await statementFor(FILE);
    const check = await checkFileAgainstStatement(Readable.from([FILE]), jws, publicJwks(keys));
    expect(check).toMatchObject({ ok: true, sha256: sha(FILE), statement: { nodeId: 'brand-a' } });
  });

  it('detect one flipped byte in the file', async () => {
    const { jws } = await statementFor(FILE);
    const flipped = Uint8Array.from(FILE);
    flipped[3] = flipped[3]! ^ 0x01;
    const check = await checkFileAgainstStatement(Readable.from([flipped]), jws, publicJwks(keys));
    expect(check).toMatchObject({ ok: false, problem: expect.stringMatching(/SHA-256/) });
  });

  it('detect one changed character in the statement, and a different key', async () => {
    const { jws } = await statementFor(FILE);
    const [h, p, s] = jws.split('.') as [string, string, string];
    const payload = Buffer.from(p, 'base64url').toString('utf8').replace('"size":', '"size": ');
    const edited = `${h}.${Buffer.from(payload).toString('base64url')}.${s}`;
    expect(
      await checkFileAgainstStatement(Readable.from([FILE]), edited, publicJwks(keys)),
    ).toMatchObject({ ok: false });
    const sigFlip = `${h}.${p}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`;
    expect(
      await checkFileAgainstStatement(Readable.from([FILE]), sigFlip, publicJwks(keys)),
    ).toMatchObject({ ok: false });
    const other = await generateNodeKeys();
    expect(
      await checkFileAgainstStatement(Readable.from([FILE]), jws, publicJwks(other)),
    ).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/no key with kid/),
    });
  });
});

/** A small dossier built the way DossierService builds one, as tar bytes. */
async function dossier(
  mutate: (entries: ArchiveEntry[], manifest: DossierManifest) => void = () => undefined,
) {
  const { jws } = await statementFor(FILE);
  const item = `Evidence:sha256-${sha(FILE)}`;
  const log = [
    nextCustodyEntry(item, null, { at: new Date(0), action: 'CAPTURE', actor: 'analyst' }),
  ];
  const files: [string, Uint8Array][] = [
    [`evidence/${sha(FILE)}`, FILE],
    [
      'custody/x.json',
      enc(JSON.stringify({ item, head: { seq: 1, hash: log[0]!.hash }, entries: log })),
    ],
    [
      'evidence/index.json',
      enc(
        JSON.stringify([
          { uid: item, sha256: sha(FILE), path: `evidence/${sha(FILE)}`, statementJws: jws },
        ]),
      ),
    ],
    ['graph.json', enc('{"nodes":[],"links":[]}')],
    ['jwks.json', enc(JSON.stringify(publicJwks(keys)))],
  ];
  const manifest: DossierManifest = {
    format: DOSSIER_FORMAT,
    dossierId: 'd1',
    nodeId: 'brand-a',
    createdAt: '2026-11-29T00:00:00.000Z',
    createdBy: 'analyst',
    subject: { kind: 'case', uid: 'Case:C1' },
    tlpCeiling: 'AMBER',
    withheld: { evidence: 1, entities: 0, links: 0 },
    files: files.map(([path, b]) => ({ path, sha256: sha(b), size: b.length })),
  };
  const bytes = manifestBytes(manifest);
  const sig = await signer.sign(bytes, DOSSIER_MANIFEST_TYP);
  const entries: ArchiveEntry[] = [
    { path: 'manifest.json', size: bytes.length, content: bytes },
    { path: 'manifest.jws', size: sig.jws.length, content: enc(sig.jws) },
    ...files.map(([path, b]) => ({ path, size: b.length, content: b })),
  ];
  mutate(entries, manifest);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeArchive(out, entries);
  return Buffer.concat(chunks);
}

const verify = async (tar: Buffer, options: { jwks?: unknown; fingerprint?: string } = {}) =>
  verifyDossierEntries(await readArchive(Readable.from([tar]), keepForVerify), options);

const replace = (entries: ArchiveEntry[], path: string, fn: (b: Uint8Array) => Uint8Array) => {
  const i = entries.findIndex((e) => e.path === path);
  const b = fn(entries[i]!.content as Uint8Array);
  entries[i] = { path, size: b.length, content: b };
};
const flipByte = (b: Uint8Array) => {
  const c = Uint8Array.from(b);
  c[5] = c[5]! ^ 0x20;
  return c;
};

describe('dossier verification with the public key alone', () => {
  it('accepts an untouched dossier with the JWKS, or with its fingerprint', async () => {
    const tar = await dossier();
    expect(await verify(tar, { jwks: publicJwks(keys) })).toMatchObject({ ok: true, problems: [] });
    const fp = await fingerprint(keys.signing);
    expect(await verify(tar, { fingerprint: fp })).toMatchObject({
      ok: true,
      keySource: 'fingerprint',
    });
  });

  it('fails after a flipped byte in an evidence file', async () => {
    const tar = await dossier((e) => replace(e, `evidence/${sha(FILE)}`, flipByte));
    const v = await verify(tar, { jwks: publicJwks(keys) });
    expect(v.ok).toBe(false);
    expect(v.problems.join('\n')).toMatch(/SHA-256 differs/);
  });

  it('fails after a flipped byte in the manifest', async () => {
    const tar = await dossier((e) =>
      replace(e, 'manifest.json', (b) =>
        enc(new TextDecoder().decode(b).replace('"evidence":1', '"evidence":0')),
      ),
    );
    expect((await verify(tar, { jwks: publicJwks(keys) })).problems).toContain(
      'manifest.json is not the manifest that was signed',
    );
  });

  it('fails after a changed custody log, an added file and a removed file', async () => {
    const custody = await dossier((e) => replace(e, 'custody/x.json', flipByte));
    expect((await verify(custody, { jwks: publicJwks(keys) })).ok).toBe(false);
    const added = await dossier((e) => e.push({ path: 'extra.txt', size: 1, content: enc('x') }));
    expect((await verify(added, { jwks: publicJwks(keys) })).problems).toContain(
      'extra.txt: not listed in the manifest',
    );
    const removed = await dossier((e) =>
      e.splice(
        e.findIndex((x) => x.path === 'graph.json'),
        1,
      ),
    );
    expect((await verify(removed, { jwks: publicJwks(keys) })).problems).toContain(
      'graph.json: listed in the manifest but missing',
    );
  });

  it('fails when signed by another key, or when the embedded JWKS does not have the pinned fingerprint', async () => {
    const tar = await dossier();
    const other = await generateNodeKeys();
    expect((await verify(tar, { jwks: publicJwks(other) })).ok).toBe(false);
    expect((await verify(tar, { fingerprint: await fingerprint(other.signing) })).ok).toBe(false);
  });

  it('fails on a byte flipped anywhere in the archive data', async () => {
    const tar = await dossier();
    // Flip one byte inside the evidence file's data block in the raw tar bytes.
    const at = tar.indexOf(Buffer.from(FILE));
    const bad = Buffer.from(tar);
    bad[at + 2] = bad[at + 2]! ^ 0x01;
    expect((await verify(bad, { jwks: publicJwks(keys) })).ok).toBe(false);
  });
});
