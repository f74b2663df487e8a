// Interop: Python jwcrypto (an independent JOSE implementation) opens our envelopes, and we open its.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newJti, openEnvelope } from '../../../src/federation/envelope.js';
import { toPublicJwk } from '../../../src/federation/jwk-import.js';
import { makeWorld, NOW_S, type World } from './fixtures.js';

const SCRIPT = fileURLToPath(new URL('../../interop/jose_interop.py', import.meta.url));
const hasJwcrypto =
  spawnSync('python3', ['-c', 'import jwcrypto'], { stdio: 'ignore' }).status === 0;
if (!hasJwcrypto) {
  console.warn(
    'interop tests skipped: python3 with jwcrypto is not available (pip install jwcrypto)',
  );
}

function python(...args: string[]): string {
  const r = spawnSync('python3', [SCRIPT, ...args], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`jose_interop.py ${args[0]} failed: ${r.stderr}`);
  return r.stdout.trim();
}

let w: World;
let dir: string;
const file = async (name: string, value: unknown): Promise<string> => {
  const path = join(dir, name);
  await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value), { mode: 0o600 });
  return path;
};

beforeAll(async () => {
  w = await makeWorld();
  dir = await mkdtemp(join(tmpdir(), 'palisade-interop-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('JOSE interop with Python jwcrypto (skipped without python3 + jwcrypto: pip install jwcrypto)', () => {
  it.skipIf(!hasJwcrypto)(
    'jwcrypto decrypts and verifies an envelope sealed by Palisade',
    async () => {
      const envelope = await w.seal({ payload: { indicators: ['ü-✓'], n: 3 } });
      const out = JSON.parse(
        python(
          'open',
          await file('envelope.jwe', envelope),
          await file('b-enc-private.json', w.b.encryption),
          await file('a-sig-public.json', toPublicJwk(w.a.signing)),
        ),
      );
      expect(out.jwe_header).toMatchObject({
        alg: 'ECDH-ES+A256KW',
        enc: 'A256GCM',
        cty: 'JWT',
        kid: w.b.encryption.kid,
      });
      expect(out.jws_header).toEqual({
        alg: 'EdDSA',
        kid: w.a.signing.kid,
        typ: 'palisade-msg+jwt',
      });
      expect(out.claims).toMatchObject({
        iss: 'brand-a',
        aud: 'brand-b',
        mt: 'indicator.share',
        payload: { indicators: ['ü-✓'], n: 3 },
      });
      // Our kids are RFC 7638 thumbprints by jwcrypto's reckoning too.
      expect(out.thumbprints).toEqual({ recipient: w.b.encryption.kid, sender: w.a.signing.kid });
    },
  );

  it.skipIf(!hasJwcrypto)(
    'Palisade opens a nested JWT made by jwcrypto, and refuses it when replayed',
    async () => {
      const jti = newJti();
      const claims = {
        iss: 'brand-a',
        aud: 'brand-b',
        iat: NOW_S,
        exp: NOW_S + 120,
        jti,
        mt: 'match.alert',
        payload: { k: [1, 2] },
      };
      const envelope = python(
        'seal',
        await file('a-sig-private.json', w.a.signing),
        await file('b-enc-public.json', w.bEncryptionPublic),
        await file('claims.json', claims),
      );
      const ctx = w.ctx();
      const opened = await openEnvelope(envelope, ctx);
      expect(opened).toMatchObject({
        senderId: 'brand-a',
        messageType: 'match.alert',
        payload: { k: [1, 2] },
        jti,
      });
      await expect(openEnvelope(envelope, ctx)).rejects.toMatchObject({ reason: 'REPLAY' });
    },
  );

  it.skipIf(!hasJwcrypto)(
    'Palisade refuses a jwcrypto envelope signed by a key the sender does not hold',
    async () => {
      const claims = {
        iss: 'brand-a',
        aud: 'brand-b',
        iat: NOW_S,
        exp: NOW_S + 120,
        jti: newJti(),
        mt: 'match.alert',
        payload: {},
      };
      const envelope = python(
        'seal',
        await file('stranger-sig-private.json', w.stranger.signing),
        await file('b-enc-public.json', w.bEncryptionPublic),
        await file('claims2.json', claims),
      );
      await expect(openEnvelope(envelope, w.ctx())).rejects.toMatchObject({
        reason: 'UNKNOWN_KEY',
      });
    },
  );
});
