// Who is calling: turns an `Authorization: Bearer` header into a Principal, or refuses with
// UNAUTHENTICATED (RATE_LIMITED when a peer with a valid token is over its limit). Access tokens are
// verified by src/federation/access-tokens.ts; signed peer tokens (typ palisade-peer+jwt, issue 6)
// go to the PeerAuthenticator the federation domain provides.
import {
  AccessTokenError,
  bearerTokenType,
  type AccessTokenVerifier,
} from '../federation/access-tokens.js';
import type { Principal } from '../server/context.js';
import { isAppError, UnauthenticatedError, type ErrorCode } from '../server/errors.js';

/** The typ of the short-lived request tokens peers sign with their node key (see federation). */
export const PEER_TOKEN_TYP = 'palisade-peer+jwt';

/**
 * Verifies a peer's signed request token and returns its principal: role 'partner' or 'association'
 * (from the peer registry), subject and peerId = the peer's node id. Throws on any refusal.
 */
export type PeerAuthenticator = (token: string, request: Request) => Promise<Principal>;

export interface AuthenticatorOptions {
  verifier: AccessTokenVerifier;
  peers?: PeerAuthenticator;
  /** PALISADE_DEV_AUTH=off (development only): every caller is the dev admin. */
  disabled?: boolean;
  /** Told about every refusal, with a stable reason (metrics, logs); never sees the token. */
  onRefused?: (reason: string) => void;
  /** @default a fresh cache; `null` verifies every request. */
  cache?: VerifiedTokenCache | null;
}

/** The caller's principal: at once when nothing needs verifying (a token verified moments ago),
 * otherwise a promise. A refusal throws (or rejects) with an AppError. */
export type Authenticate = (request: Request) => Principal | Promise<Principal>;

/** Peer refusals that say "later", not "never": they keep their code and Retry-After. */
const PEER_BACK_OFF_CODES: ReadonlySet<ErrorCode> = new Set(['RATE_LIMITED', 'UNAVAILABLE']);

const DEV_PRINCIPAL: Principal = { subject: 'dev', role: 'admin', via: 'dev' };

/**
 * Tokens that verified recently, so that a client's every request does not cost an Ed25519
 * verification (~0.1–0.5 ms of CPU). Keyed by the exact token text; an entry lives at most
 * `maxAgeMs` and never past the token's exp. Only tokens that passed verification enter.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly maxAgeMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(token: string): Principal | undefined {
    const hit = this.entries.get(token);
    if (!hit) return undefined;
    if (hit.until <= this.now()) {
      this.entries.delete(token);
      return undefined;
    }
    return hit.principal;
  }

  set(token: string, principal: Principal, expiresAtSeconds: number): void {
    if (this.entries.size >= this.maxEntries) {
      // Drop the oldest entry (Map keeps insertion order).
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    const until = Math.min(this.now() + this.maxAgeMs, expiresAtSeconds * 1000);
    this.entries.set(token, { principal, until });
  }
}

/** The bearer token of a request, or null. Only the `Bearer` scheme (RFC 6750), one token. */
export function bearerOf(request: Request): string | null {
  const header = request.headers.get('authorization');
  if (!header) return null;
  const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  return m ? m[1]! : null;
}

export function createAuthenticator(options: AuthenticatorOptions): Authenticate {
  const refuse = (reason: string, message: string): never => {
    options.onRefused?.(reason);
    throw new UnauthenticatedError(message);
  };
  const cache = options.cache === undefined ? new VerifiedTokenCache() : options.cache;
  // A client sends the same token with every request: once verified, it is answered from the cache
  // without a promise, so that authenticating it adds no wait to the request.
  const verify = async (token: string, request: Request): Promise<Principal> => {
    if (bearerTokenType(token) === PEER_TOKEN_TYP) {
      if (!options.peers) return refuse('PEER_NOT_ACCEPTED', 'Peer tokens are not accepted here');
      try {
        return await options.peers(token, request);
      } catch (e) {
        // A peer over its rate limit (or a registry the database cannot answer) presented a good
        // token: it keeps its own code — 429 with Retry-After, 503 — so the peer backs off and
        // comes back instead of treating its key as refused.
        if (isAppError(e) && PEER_BACK_OFF_CODES.has(e.code)) {
          options.onRefused?.(`PEER_${e.code}`);
          throw e;
        }
        const reason =
          typeof e === 'object' && e !== null && 'reason' in e ? String(e.reason) : 'PEER';
        return refuse(`PEER_${reason}`, 'Invalid peer token');
      }
    }
    try {
      const verified = await options.verifier.verify(token);
      const principal: Principal = {
        subject: verified.subject,
        role: verified.role,
        via: verified.via,
        ...(verified.peerId !== undefined && { peerId: verified.peerId }),
      };
      cache?.set(token, principal, verified.expiresAt);
      return principal;
    } catch (e) {
      if (e instanceof AccessTokenError) {
        return refuse(e.reason, `Invalid access token: ${e.message}`);
      }
      throw e;
    }
  };
  return (request) => {
    if (options.disabled) return DEV_PRINCIPAL;
    const token = bearerOf(request);
    if (token === null) {
      return request.headers.has('authorization')
        ? refuse('MALFORMED', 'Authorization must be: Bearer <token>')
        : refuse('MISSING', 'Authentication required: send Authorization: Bearer <token>');
    }
    // Only verified access tokens are cached, so a hit needs no look at the token's type.
    return cache?.get(token) ?? verify(token, request);
  };
}
