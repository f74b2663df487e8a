// Access tokens: what the node issues verifies; every way a token can be wrong is refused with its
// own error class; the issuer key file is private.
import { mkdtempSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createAccessTokenVerifier,
  createTokenIssuer,
  IssuerKeyFileError,
  loadOrCreateIssuerKey,
  publicIssuerJwk,
  TokenAlgorithmError,
  TokenAudienceError,
  TokenExpiredError,
  TokenIssuerError,
  TokenMalformedError,
  TokenNotYetValidError,
  TokenRoleError,
  TokenSignatureError,
  TokenTypeError,
  TokenUnknownKeyError,
} from '../../../src/federation/access-tokens.js';

const ISS = 'https://brand-a.example';
const AUD = 'palisade:brand-a';
const dir = mkdtempSync(join(tmpdir(), 'palisade-at-'));

async function setup() {
  const keyFile = await loadOrCreateIssuerKey(join(dir, `k-${Math.random()}`, 'issuer.json'));
  const issuer = await createTokenIssuer(keyFile, {
    issuer: ISS,
    audience: AUD,
    maxTtlSeconds: 86_400,
  });
  const verifier = createAccessTokenVerifier({
    local: { issuer: ISS, audience: AUD, publicJwk: publicIssuerJwk(keyFile) },
  });
  const privateKey = keyFile.key;
  return { issuer, verifier, keyFile, privateKey };
}

async function signWith(
  key: JWK,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
  alg = 'EdDSA',
) {
  const { importJWK } = await import('jose');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'analyst', ...claims })
    .setProtectedHeader({ alg, typ: 'at+jwt', kid: key.kid, ...header })
    .setIssuer((claims['iss'] as string) ?? ISS)
    .setAudience((claims['aud'] as string) ?? AUD)
    .setSubject('alice')
    .setIssuedAt(now)
    .setExpirationTime((claims['exp'] as number) ?? now + 600)
    .sign(await importJWK(key, alg));
}

describe('access tokens', () => {
  it('verifies what the node issues, with subject, role and peer', async () => {
    const { issuer, verifier } = await setup();
    const token = await issuer.issue({
      role: 'partner',
      subject: 'svc',
      ttlSeconds: 60,
      peerId: 'brand-b',
    });
    await expect(verifier.verify(token)).resolves.toMatchObject({
      subject: 'svc',
      role: 'partner',
      peerId: 'brand-b',
      via: 'local',
    });
  });

  it('keeps the issuer key in a 0600 file and refuses one others can read', async () => {
    const path = join(dir, 'private', 'issuer.json');
    const first = await loadOrCreateIssuerKey(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect((await loadOrCreateIssuerKey(path)).key.kid).toBe(first.key.kid);
    chmodSync(path, 0o644);
    await expect(loadOrCreateIssuerKey(path)).rejects.toThrow(IssuerKeyFileError);
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, '{"format":"other"}', { mode: 0o600 });
    await expect(loadOrCreateIssuerKey(junk)).rejects.toThrow(IssuerKeyFileError);
  });

  it('refuses every kind of bad token with its own error', async () => {
    const { issuer, verifier, privateKey } = await setup();
    const now = Math.floor(Date.now() / 1000);
    const good = await issuer.issue({ role: 'viewer', subject: 'bob', ttlSeconds: 60 });
    const [h, p, s] = good.split('.') as [string, string, string];
    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const otherJwk = { ...(await exportJWK(other.privateKey)), kid: privateKey.kid };
    const hmacKey: JWK = { kty: 'oct', k: Buffer.alloc(32, 1).toString('base64url'), kid: 'h' };
    const cases: Array<[string, Promise<string> | string, new (...a: never[]) => Error]> = [
      ['not a JWT', 'garbage', TokenMalformedError],
      [
        'alg none',
        `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${p}.`,
        TokenAlgorithmError,
      ],
      ['HS256', signWith(hmacKey, {}, {}, 'HS256'), TokenAlgorithmError],
      [
        'tampered payload',
        `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), role: 'admin' })).toString('base64url')}.${s}`,
        TokenSignatureError,
      ],
      ['another key, same kid', signWith(otherJwk, {}), TokenSignatureError],
      ['unknown kid', signWith({ ...otherJwk, kid: 'nope' }, {}), TokenUnknownKeyError],
      ['expired', signWith(privateKey, { exp: now - 3600 }), TokenExpiredError],
      ['not yet valid', signWith(privateKey, { nbf: now + 3600 }), TokenNotYetValidError],
      ['wrong audience', signWith(privateKey, { aud: 'palisade:brand-b' }), TokenAudienceError],
      ['unknown issuer', signWith(privateKey, { iss: 'https://evil.example' }), TokenIssuerError],
      ['wrong typ', signWith(privateKey, {}, { typ: 'JWT' }), TokenTypeError],
      ['peer envelope typ', signWith(privateKey, {}, { typ: 'palisade-msg+jwt' }), TokenTypeError],
      ['unknown role', signWith(privateKey, { role: 'root' }), TokenRoleError],
      ['missing role', signWith(privateKey, { role: undefined }), TokenRoleError],
    ];
    for (const [name, token, expected] of cases) {
      await expect(verifier.verify(await token), name).rejects.toBeInstanceOf(expected);
    }
  });

  it('refuses to mint beyond the maximum lifetime or for an unknown role', async () => {
    const { issuer } = await setup();
    await expect(issuer.issue({ role: 'admin', subject: 'a', ttlSeconds: 86_401 })).rejects.toThrow(
      /at most/,
    );
    await expect(
      issuer.issue({ role: 'root' as 'admin', subject: 'a', ttlSeconds: 60 }),
    ).rejects.toThrow(/role/);
  });

  describe('an external OIDC issuer', () => {
    const OIDC = {
      issuer: 'https://idp.example',
      jwksUrl: 'https://idp.example/jwks',
      audience: 'palisade-api',
      roleClaim: 'palisade_role',
    };

    async function oidcSetup(alg: 'RS256' | 'ES256' | 'PS256') {
      const { keyFile } = await setup();
      const pair = await generateKeyPair(alg, { extractable: true });
      const pub = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg };
      const verifier = createAccessTokenVerifier({
        local: { issuer: ISS, audience: AUD, publicJwk: publicIssuerJwk(keyFile) },
        oidc: OIDC,
        oidcKeys: createLocalJWKSet({ keys: [pub] }),
      });
      const sign = (claims: Record<string, unknown>, typ = 'at+jwt') =>
        new SignJWT(claims)
          .setProtectedHeader({ alg, typ, kid: 'idp-1' })
          .setIssuer(OIDC.issuer)
          .setAudience(OIDC.audience)
          .setSubject('carol@corp')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(pair.privateKey);
      return { verifier, sign };
    }

    it('accepts RS256 and ES256 access tokens with a staff role', async () => {
      for (const alg of ['RS256', 'ES256'] as const) {
        const { verifier, sign } = await oidcSetup(alg);
        await expect(
          verifier.verify(await sign({ palisade_role: 'analyst' })),
        ).resolves.toMatchObject({
          subject: 'carol@corp',
          role: 'analyst',
          via: 'oidc',
        });
      }
    });

    it('refuses algorithms outside the allow-list, peer roles and plain ID-token typ', async () => {
      const ps = await oidcSetup('PS256');
      await expect(
        ps.verifier.verify(await ps.sign({ palisade_role: 'analyst' })),
      ).rejects.toBeInstanceOf(TokenAlgorithmError);
      const rs = await oidcSetup('RS256');
      await expect(
        rs.verifier.verify(await rs.sign({ palisade_role: 'partner' })),
      ).rejects.toBeInstanceOf(TokenRoleError);
      await expect(
        rs.verifier.verify(await rs.sign({ palisade_role: 'admin' }, 'JWT')),
      ).rejects.toBeInstanceOf(TokenTypeError);
    });
  });
});
