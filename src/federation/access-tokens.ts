// API access tokens (RFC 9068 `at+jwt`): the node's own Ed25519 issuer key (a 0600 key file), minting,
// and verification against that key or an external OpenID Connect issuer's JWKS, algorithms pinned.
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { z } from 'zod';

export const ACCESS_TOKEN_TYP = 'at+jwt';
/** The node's own tokens: Ed25519 only. */
export const LOCAL_ALGORITHMS = ['EdDSA'] as const;
/** What an external OIDC issuer may sign with; never `none`, never HMAC (no shared secrets). */
export const OIDC_ALGORITHMS = ['EdDSA', 'RS256', 'ES256'] as const;
export const TOKEN_ROLES = ['admin', 'analyst', 'viewer', 'partner', 'association'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];
/** People and services of this organisation; an external IdP may grant only these. */
export const OIDC_ROLES: readonly TokenRole[] = ['admin', 'analyst', 'viewer'];
const MAX_TOKEN_BYTES = 8192;

// ---------------------------------------------------------------------------------------------
// Refusals: one class per reason, each with a stable code for logs and metrics. Messages are fixed
// texts (never the token, never claim values an attacker chose).

export const ACCESS_TOKEN_REFUSALS = [
  'MALFORMED',
  'TOO_LARGE',
  'ALGORITHM_NOT_ALLOWED',
  'BAD_SIGNATURE',
  'UNKNOWN_KEY',
  'WRONG_TYPE',
  'UNKNOWN_ISSUER',
  'WRONG_AUDIENCE',
  'EXPIRED',
  'NOT_YET_VALID',
  'MISSING_CLAIM',
  'ROLE_NOT_ALLOWED',
  'ISSUER_UNREACHABLE',
] as const;
export type AccessTokenRefusal = (typeof ACCESS_TOKEN_REFUSALS)[number];

export abstract class AccessTokenError extends Error {
  abstract readonly reason: AccessTokenRefusal;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
export class TokenMalformedError extends AccessTokenError {
  readonly reason = 'MALFORMED';
}
export class TokenTooLargeError extends AccessTokenError {
  readonly reason = 'TOO_LARGE';
}
export class TokenAlgorithmError extends AccessTokenError {
  readonly reason = 'ALGORITHM_NOT_ALLOWED';
}
export class TokenSignatureError extends AccessTokenError {
  readonly reason = 'BAD_SIGNATURE';
}
export class TokenUnknownKeyError extends AccessTokenError {
  readonly reason = 'UNKNOWN_KEY';
}
export class TokenTypeError extends AccessTokenError {
  readonly reason = 'WRONG_TYPE';
}
export class TokenIssuerError extends AccessTokenError {
  readonly reason = 'UNKNOWN_ISSUER';
}
export class TokenAudienceError extends AccessTokenError {
  readonly reason = 'WRONG_AUDIENCE';
}
export class TokenExpiredError extends AccessTokenError {
  readonly reason = 'EXPIRED';
}
export class TokenNotYetValidError extends AccessTokenError {
  readonly reason = 'NOT_YET_VALID';
}
export class TokenMissingClaimError extends AccessTokenError {
  readonly reason = 'MISSING_CLAIM';
}
export class TokenRoleError extends AccessTokenError {
  readonly reason = 'ROLE_NOT_ALLOWED';
}
export class TokenIssuerUnreachableError extends AccessTokenError {
  readonly reason = 'ISSUER_UNREACHABLE';
}

/** A problem with the issuer key file itself (operator error, not a client's). */
export class IssuerKeyFileError extends Error {
  override name = 'IssuerKeyFileError';
}

// ---------------------------------------------------------------------------------------------
// The issuer key

const KEY_FILE_FORMAT = 'palisade-token-issuer/v1';
const issuerKeySchema = z.object({
  format: z.literal(KEY_FILE_FORMAT),
  createdAt: z.string(),
  key: z.object({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    x: z.string().min(43).max(43),
    d: z.string().min(43).max(43),
    kid: z.string().min(1),
    alg: z.literal('EdDSA').optional(),
  }),
});
type IssuerKeyFile = z.infer<typeof issuerKeySchema>;

async function generateIssuerKeyFile(): Promise<IssuerKeyFile> {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(pair.privateKey);
  if (jwk.x === undefined || jwk.d === undefined) throw new Error('incomplete Ed25519 JWK');
  const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x });
  return {
    format: KEY_FILE_FORMAT,
    createdAt: new Date().toISOString(),
    key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d, kid, alg: 'EdDSA' },
  };
}

/**
 * Reads the issuer key file, creating it (0600, in a 0700 directory) when absent. Refuses a file that
 * group or others can read: a leaked issuer key lets anyone mint admin tokens.
 */
export async function loadOrCreateIssuerKey(path: string): Promise<IssuerKeyFile> {
  try {
    const st = await stat(path);
    if ((st.mode & 0o077) !== 0) {
      throw new IssuerKeyFileError(
        `The token issuer key ${path} is readable by group or others; run: chmod 600 ${path}`,
      );
    }
    const parsed = issuerKeySchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    if (!parsed.success) {
      throw new IssuerKeyFileError(`The token issuer key ${path} is not a Palisade issuer key`);
    }
    return parsed.data;
  } catch (e) {
    if (!(e instanceof Error) || (e as NodeJS.ErrnoException).code !== 'ENOENT') {
      if (e instanceof SyntaxError) {
        throw new IssuerKeyFileError(`The token issuer key ${path} is not valid JSON`);
      }
      throw e;
    }
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const created = await generateIssuerKeyFile();
  try {
    // 'wx': when two processes race to create the key, exactly one wins and the other reads it.
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(created, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(path, 0o600);
    return created;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateIssuerKey(path);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Issuing

export interface IssueTokenInput {
  role: TokenRole;
  subject: string;
  ttlSeconds: number;
  /** For partner/association service tokens: the peer node id they stand for. */
  peerId?: string;
  now?: Date;
}

export interface AccessTokenIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly kid: string;
  issue(input: IssueTokenInput): Promise<string>;
}

export interface IssuerOptions {
  issuer: string;
  audience: string;
  maxTtlSeconds: number;
}

export async function createTokenIssuer(
  keyFile: IssuerKeyFile,
  options: IssuerOptions,
): Promise<AccessTokenIssuer> {
  const privateKey = await importJWK(keyFile.key, 'EdDSA');
  return {
    issuer: options.issuer,
    audience: options.audience,
    kid: keyFile.key.kid,
    async issue(input) {
      if (!(TOKEN_ROLES as readonly string[]).includes(input.role)) {
        throw new RangeError(`role must be one of ${TOKEN_ROLES.join(', ')}`);
      }
      if (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds < 1) {
        throw new RangeError('ttl must be a positive number of seconds');
      }
      if (input.ttlSeconds > options.maxTtlSeconds) {
        throw new RangeError(
          `ttl must be at most ${options.maxTtlSeconds} s (PALISADE_TOKEN_MAX_TTL_SECONDS)`,
        );
      }
      if (!/^[\w.@:+-]{1,128}$/.test(input.subject)) {
        throw new RangeError('subject must be 1–128 characters of letters, digits and ._@:+-');
      }
      const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
      return new SignJWT({
        role: input.role,
        ...(input.peerId !== undefined && { peer: input.peerId }),
      })
        .setProtectedHeader({ alg: 'EdDSA', typ: ACCESS_TOKEN_TYP, kid: keyFile.key.kid })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(input.subject)
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(iat + input.ttlSeconds)
        .setJti(randomUUID())
        .sign(privateKey);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Verifying

export interface VerifiedAccessToken {
  subject: string;
  role: TokenRole;
  issuer: string;
  /** Which trust anchor verified it. */
  via: 'local' | 'oidc';
  peerId?: string;
  expiresAt: number;
  jti?: string;
}

export interface VerifierOptions {
  local: { issuer: string; audience: string; publicJwk: JWK };
  oidc?: { issuer: string; jwksUrl: string; audience: string; roleClaim: string };
  /** @default 30 */
  clockToleranceSeconds?: number;
  /** Tests inject a JWKS instead of fetching one. */
  oidcKeys?: JWTVerifyGetKey;
  now?: () => Date;
}

export interface AccessTokenVerifier {
  verify(token: string): Promise<VerifiedAccessToken>;
}

/** The issuer key's public half, for verifiers (and for publishing, if an operator wants to). */
export function publicIssuerJwk(keyFile: IssuerKeyFile): JWK {
  const { kty, crv, x, kid } = keyFile.key;
  return { kty, crv, x, kid, alg: 'EdDSA', use: 'sig' };
}

/** Reads `typ` without verifying: only to route a bearer to the right verifier. */
export function bearerTokenType(token: string): string | undefined {
  try {
    const typ = decodeProtectedHeader(token).typ;
    return typeof typ === 'string' ? typ : undefined;
  } catch {
    return undefined;
  }
}

const claimsSchema = z.object({
  sub: z.string().min(1).max(256),
  exp: z.number(),
  iss: z.string(),
  jti: z.string().max(256).optional(),
  peer: z.string().max(128).optional(),
});

export function createAccessTokenVerifier(options: VerifierOptions): AccessTokenVerifier {
  const clockTolerance = options.clockToleranceSeconds ?? 30;
  const localKeys = createLocalJWKSet({ keys: [options.local.publicJwk] });
  const oidc = options.oidc;
  const oidcKeys =
    oidc &&
    (options.oidcKeys ??
      createRemoteJWKSet(new URL(oidc.jwksUrl), {
        timeoutDuration: 3_000,
        cooldownDuration: 30_000,
        cacheMaxAge: 600_000,
      }));

  return {
    async verify(token) {
      if (token.length > MAX_TOKEN_BYTES) throw new TokenTooLargeError('token is too large');
      let unverified: JWTPayload;
      try {
        // Only to pick the trust anchor; nothing from it is believed until jwtVerify passes.
        unverified = decodeJwt(token);
      } catch {
        throw new TokenMalformedError('token is not a JWT');
      }
      const anchor =
        unverified.iss === options.local.issuer
          ? {
              via: 'local' as const,
              keys: localKeys,
              issuer: options.local.issuer,
              audience: options.local.audience,
              algorithms: [...LOCAL_ALGORITHMS],
              roleClaim: 'role',
              roles: TOKEN_ROLES as readonly TokenRole[],
            }
          : oidc && oidcKeys && unverified.iss === oidc.issuer
            ? {
                via: 'oidc' as const,
                keys: oidcKeys,
                issuer: oidc.issuer,
                audience: oidc.audience,
                algorithms: [...OIDC_ALGORITHMS],
                roleClaim: oidc.roleClaim,
                roles: OIDC_ROLES,
              }
            : null;
      if (!anchor) throw new TokenIssuerError('token issuer is not trusted');

      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, anchor.keys, {
          algorithms: anchor.algorithms,
          issuer: anchor.issuer,
          audience: anchor.audience,
          typ: ACCESS_TOKEN_TYP,
          requiredClaims: ['exp', 'sub', 'iat'],
          clockTolerance,
          ...(options.now && { currentDate: options.now() }),
        }));
      } catch (e) {
        throw translateJoseError(e);
      }
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) throw new TokenMissingClaimError('token claims are incomplete');
      const role = payload[anchor.roleClaim];
      if (typeof role !== 'string' || !(anchor.roles as readonly string[]).includes(role)) {
        throw new TokenRoleError('token role is not allowed');
      }
      return {
        subject: claims.data.sub,
        role: role as TokenRole,
        issuer: claims.data.iss,
        via: anchor.via,
        expiresAt: claims.data.exp,
        ...(claims.data.jti !== undefined && { jti: claims.data.jti }),
        ...(anchor.via === 'local' &&
          claims.data.peer !== undefined && { peerId: claims.data.peer }),
      };
    },
  };
}

function translateJoseError(e: unknown): AccessTokenError {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
  const claim = typeof e === 'object' && e !== null && 'claim' in e ? String(e.claim) : '';
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new TokenExpiredError('token has expired');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return new TokenAlgorithmError('token algorithm is not allowed');
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new TokenSignatureError('token signature is invalid');
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new TokenUnknownKeyError('token key is not known');
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return new TokenIssuerUnreachableError('the token issuer keys could not be fetched');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'typ') return new TokenTypeError('token is not an at+jwt access token');
      if (claim === 'iss') return new TokenIssuerError('token issuer is not trusted');
      if (claim === 'aud') return new TokenAudienceError('token is for another audience');
      if (claim === 'nbf' || claim === 'iat') {
        return new TokenNotYetValidError('token is not valid yet');
      }
      return new TokenMissingClaimError('token claims are incomplete');
    default:
      if (e instanceof TypeError || /fetch|ECONN|network/i.test(String(e))) {
        return new TokenIssuerUnreachableError('the token issuer keys could not be fetched');
      }
      return new TokenMalformedError('token is malformed');
  }
}
