import { calculateJwkThumbprint, GeneralSign, importJWK } from 'jose';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPublicJwk } from '../../../src/federation/jwk-import.js';
import {
  activeKeySets,
  createKeyFile,
  decryptionKeys,
  fingerprint,
  generateNodeKeys,
  KeyFileError,
  publicJwks,
  readKeyFile,
  rotateKeys,
  verifyRotation,
  writeKeyFile,
  type KeyFile,
  type KeyRotationStatement,
} from '../../../src/federation/keys.js';

const NOW = new Date('2026-11-20T12:00:00Z');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'palisade-keys-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function keyFileProblem(p: Promise<unknown>): Promise<KeyFileError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KeyFileError) return e;
    throw e;
  }
  throw new Error('expected a KeyFileError');
}

describe('node keys', () => {
  it('are an Ed25519 signing key and an X25519 encryption key whose kid is their RFC 7638 thumbprint', async () => {
    const k = await generateNodeKeys(NOW);
    expect(k.signing).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(k.encryption).toMatchObject({
      kty: 'OKP',
      crv: 'X25519',
      alg: 'ECDH-ES+A256KW',
      use: 'enc',
    });
    expect(k.signing.kid).toBe(await calculateJwkThumbprint(k.signing, 'sha256'));
    expect(k.encryption.kid).toBe(await calculateJwkThumbprint(k.encryption, 'sha256'));
    expect(k.createdAt).toBe(NOW.toISOString());
  });

  it('have the fingerprint RFC 8037 gives for its Ed25519 example key', async () => {
    const rfc8037 = {
      kty: 'OKP',
      crv: 'Ed25519',
      x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
      kid: 'x',
      alg: 'EdDSA',
      use: 'sig',
    } as const;
    expect(await fingerprint(rfc8037)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it('publish only public members in the JWKS', async () => {
    const k = await generateNodeKeys(NOW);
    const jwks = publicJwks(k);
    expect(jwks.keys.map((j) => j.kid)).toEqual([k.signing.kid, k.encryption.kid]);
    for (const j of jwks.keys)
      expect(Object.keys(j).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    expect(JSON.stringify(jwks)).not.toContain(k.signing.d);
    expect(JSON.stringify(jwks)).not.toContain(k.encryption.d);
  });
});

describe('the key file', () => {
  it('is written with mode 0600 and reads back the same keys', async () => {
    const file = await createKeyFile(NOW);
    const path = join(dir, 'node-keys.json');
    await writeKeyFile(path, file);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readKeyFile(path)).toEqual(file);
  });

  it('is not overwritten unless asked, and stays 0600 when it is', async () => {
    const path = join(dir, 'once.json');
    const first = await createKeyFile(NOW);
    await writeKeyFile(path, first);
    const e = await keyFileProblem(writeKeyFile(path, await createKeyFile(NOW)));
    expect(e.problem).toBe('EXISTS');
    expect((await readKeyFile(path)).current.signing.kid).toBe(first.current.signing.kid);
    const second = await createKeyFile(NOW);
    await chmod(path, 0o644);
    await writeKeyFile(path, second, { overwrite: true });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readKeyFile(path)).current.signing.kid).toBe(second.current.signing.kid);
  });

  it('is refused when group or others can read it (0644, 0640), saying how to fix it', async () => {
    const path = join(dir, 'open.json');
    await writeKeyFile(path, await createKeyFile(NOW));
    for (const mode of [0o644, 0o640, 0o604]) {
      await chmod(path, mode);
      const e = await keyFileProblem(readKeyFile(path));
      expect(e.problem).toBe('INSECURE_PERMISSIONS');
      expect(e.message).toContain(`mode 0${mode.toString(8)}`);
      expect(e.message).toContain('chmod 600');
    }
  });

  it('names a missing file', async () => {
    expect((await keyFileProblem(readKeyFile(join(dir, 'nope.json')))).problem).toBe('NOT_FOUND');
  });

  async function problemWith(mutate: (f: KeyFile) => unknown): Promise<string> {
    const file = await createKeyFile(NOW);
    const path = join(dir, `bad-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(path, JSON.stringify(mutate(structuredClone(file))), { mode: 0o600 });
    const e = await keyFileProblem(readKeyFile(path));
    expect(e.problem).toBe('INVALID');
    // The message names the problem, never the key material.
    expect(e.message).not.toContain(file.current.signing.d);
    expect(e.message).not.toContain(file.current.encryption.d);
    return e.message;
  }

  it('is validated, and each problem names the member that is wrong', async () => {
    expect(
      await problemWith((f) => ({
        ...f,
        current: { ...f.current, signing: { ...f.current.signing, crv: 'P-256' } },
      })),
    ).toMatch(/current\.signing\.crv: crv must be "Ed25519"/);
    expect(await problemWith((f) => ({ ...f, format: 'v0' }))).toMatch(
      /format must be "palisade-node-keys\/v1"/,
    );
    expect(
      await problemWith((f) => ({ ...f, current: { ...f.current, createdAt: 'yesterday' } })),
    ).toMatch(/current\.createdAt/);
    expect(await problemWith((f) => ({ ...f, previous: [f.current] }))).toMatch(
      /previous\.0\.notAfter/,
    );
    expect(
      await problemWith((f) => ({
        ...f,
        current: { ...f.current, signing: { ...f.current.signing, kid: 'A'.repeat(43) } },
      })),
    ).toMatch(/current\.signing\.kid: kid is not the RFC 7638 thumbprint/);
    expect(
      await problemWith((f) => ({
        ...f,
        current: { ...f.current, encryption: { ...f.current.encryption, d: f.current.signing.d } },
      })),
    ).toMatch(/current\.encryption\.d: d does not belong to x/);
    expect(await problemWith(() => [1, 2])).toMatch(/not a JSON object/);
  });
});

describe('key rotation', () => {
  it('signs the new keys with the old key; a peer pinning the old key gets the new public keys', async () => {
    const file = await createKeyFile(NOW);
    const { keyFile, next, statement } = await rotateKeys(file, {
      nodeId: 'brand-a',
      overlapSeconds: 3600,
      now: NOW,
    });
    const r = await verifyRotation(statement, toPublicJwk(file.current.signing), {
      expectedIssuer: 'brand-a',
    });
    expect(r).toMatchObject({
      ok: true,
      issuer: 'brand-a',
      signing: toPublicJwk(next.signing),
      encryption: toPublicJwk(next.encryption),
      previousKid: file.current.signing.kid,
      previousNotAfter: new Date(NOW.getTime() + 3600_000),
    });
    // The statement travels as JSON.
    expect(
      (await verifyRotation(JSON.stringify(statement), toPublicJwk(file.current.signing))).ok,
    ).toBe(true);
    expect(keyFile.current).toBe(next);
    expect(keyFile.previous[0]).toMatchObject({
      signing: file.current.signing,
      notAfter: '2026-11-20T13:00:00.000Z',
    });
  });

  it('keeps the old keys valid until the overlap ends, then drops them', async () => {
    const file = await createKeyFile(NOW);
    const { keyFile } = await rotateKeys(file, {
      nodeId: 'brand-a',
      overlapSeconds: 3600,
      now: NOW,
    });
    const during = new Date(NOW.getTime() + 1800_000);
    const after = new Date(NOW.getTime() + 3600_000);
    expect(decryptionKeys(keyFile, during).map((k) => k.kid)).toEqual([
      keyFile.current.encryption.kid,
      file.current.encryption.kid,
    ]);
    expect(publicJwks(keyFile, during).keys).toHaveLength(4);
    expect(activeKeySets(keyFile, after)).toEqual([keyFile.current]);
    expect(publicJwks(keyFile, after).keys).toHaveLength(2);
    const path = join(dir, 'rotated.json');
    await writeKeyFile(path, keyFile);
    expect(await readKeyFile(path)).toEqual(keyFile);
  });

  it('is refused when the statement is signed by an unrelated key', async () => {
    const victim = await createKeyFile(NOW);
    const attacker = await createKeyFile(NOW);
    const { statement } = await rotateKeys(attacker, { nodeId: 'brand-a', now: NOW });
    const pinned = toPublicJwk(victim.current.signing);
    expect(await verifyRotation(statement, pinned)).toMatchObject({
      ok: false,
      reason: 'NOT_SIGNED_BY_PINNED_KEY',
    });
    // Same forgery, with the victim's kid written into the attacker's header.
    const header = Buffer.from(
      JSON.stringify({ alg: 'EdDSA', kid: pinned.kid, typ: 'palisade-key-rotation+json' }),
    ).toString('base64url');
    const relabelled: KeyRotationStatement = {
      payload: statement.payload,
      signatures: [{ ...statement.signatures[0]!, protected: header }, statement.signatures[1]!],
    };
    expect(await verifyRotation(relabelled, pinned)).toMatchObject({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
  });

  it('cannot be rolled back: an older statement does not verify against the newer pin', async () => {
    const file = await createKeyFile(NOW);
    const first = await rotateKeys(file, { nodeId: 'brand-a', now: NOW });
    expect(await verifyRotation(first.statement, toPublicJwk(first.next.signing))).toMatchObject({
      ok: false,
      reason: 'NOT_SIGNED_BY_PINNED_KEY',
    });
  });

  it('needs proof that the node holds the new key, and thumbprints that match', async () => {
    const file = await createKeyFile(NOW);
    const pinned = toPublicJwk(file.current.signing);
    const a = await rotateKeys(file, { nodeId: 'brand-a', now: NOW });
    const b = await rotateKeys(file, { nodeId: 'brand-a', now: NOW });
    const spliced = {
      payload: a.statement.payload,
      signatures: [a.statement.signatures[0]!, b.statement.signatures[1]!],
    };
    expect(await verifyRotation(spliced, pinned)).toMatchObject({
      ok: false,
      reason: 'NO_PROOF_OF_POSSESSION',
    });

    // Signed properly by both keys, but naming a thumbprint that is not the new key's.
    const other = await generateNodeKeys(NOW);
    const claims = {
      iss: 'brand-a',
      iat: 1,
      previousKid: pinned.kid,
      previousNotAfter: 2,
      keys: { signing: toPublicJwk(a.next.signing), encryption: toPublicJwk(a.next.encryption) },
      thumbprints: { signing: a.next.signing.kid, encryption: other.encryption.kid },
    };
    const jws = await new GeneralSign(new TextEncoder().encode(JSON.stringify(claims)))
      .addSignature(await importJWK(file.current.signing, 'EdDSA'))
      .setProtectedHeader({ alg: 'EdDSA', kid: pinned.kid, typ: 'palisade-key-rotation+json' })
      .addSignature(await importJWK(a.next.signing, 'EdDSA'))
      .setProtectedHeader({
        alg: 'EdDSA',
        kid: a.next.signing.kid,
        typ: 'palisade-key-rotation+json',
      })
      .sign();
    expect(await verifyRotation(jws, pinned)).toMatchObject({
      ok: false,
      reason: 'THUMBPRINT_MISMATCH',
    });
  });

  it('refuses malformed statements and another issuer', async () => {
    const file = await createKeyFile(NOW);
    const pinned = toPublicJwk(file.current.signing);
    const { statement } = await rotateKeys(file, { nodeId: 'brand-a', now: NOW });
    for (const bad of [
      null,
      'nope',
      '{}',
      { ...statement, signatures: [statement.signatures[0]] },
      { ...statement, header: {} },
    ]) {
      expect(await verifyRotation(bad, pinned)).toMatchObject({ ok: false, reason: 'MALFORMED' });
    }
    expect(await verifyRotation(statement, pinned, { expectedIssuer: 'brand-b' })).toMatchObject({
      ok: false,
      reason: 'WRONG_ISSUER',
    });
  });
});

it('the key file on disk holds no more than the documented members', async () => {
  const path = join(dir, 'members.json');
  await writeKeyFile(path, await createKeyFile(NOW));
  const raw = JSON.parse(await readFile(path, 'utf8'));
  expect(Object.keys(raw).sort()).toEqual(['current', 'format', 'previous']);
  expect(Object.keys(raw.current).sort()).toEqual(['createdAt', 'encryption', 'signing']);
});
