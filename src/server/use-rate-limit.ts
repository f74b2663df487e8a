// Per-caller rate limits: one token bucket per token subject, and per peer node for partner and
// association callers; over the limit → 429 RATE_LIMITED with Retry-After, before any work is done.
// Peers that sign their requests were charged already, when their token was verified, against the
// limits their registry entry sets (federation/peer-auth.ts): they are not charged again here, nor
// penalized, which would size their bucket by the node default instead.
import type { Plugin } from 'graphql-yoga';
import type { BucketLimits, RateLimiter } from '../auth/rate-limiter.js';
import type { Principal } from './context.js';
import { RateLimitedError } from './errors.js';
import { refusalResponse } from './refusal.js';

export interface RateLimitOptions {
  limiter: RateLimiter;
  /** Tokens of people and services. */
  perSubject: BucketLimits;
  /** Partner and association nodes (one bucket per peer node, whatever token it presents). */
  perPeer: BucketLimits;
  principalOf: (request: Request) => Principal;
  onRefused?: () => void;
  /**
   * Extra tokens a request costs when it was refused as malformed or over a limit (400, 403, 413):
   * a client sending hostile queries reaches its rate limit, and is then refused before parsing.
   * @default 5
   */
  refusalPenalty?: number;
}

const PENALIZED = new Set([400, 403, 413]);

export function bucketKeyOf(principal: Principal): { key: string; peer: boolean } | null {
  if (principal.role === 'anonymous' || principal.via === 'peer') return null;
  if (
    principal.peerId !== undefined ||
    principal.role === 'partner' ||
    principal.role === 'association'
  ) {
    return { key: `peer:${principal.peerId ?? principal.subject}`, peer: true };
  }
  return { key: `sub:${principal.via ?? 'local'}:${principal.subject}`, peer: false };
}

export function useRateLimit(options: RateLimitOptions): Plugin {
  return {
    onRequest(payload) {
      const { request } = payload;
      const bucket = bucketKeyOf(options.principalOf(request));
      if (!bucket) return; // public paths and anonymous probes are not counted
      const taken = options.limiter.take(
        bucket.key,
        bucket.peer ? options.perPeer : options.perSubject,
      );
      if (!taken.ok) {
        options.onRefused?.();
        payload.endResponse(refusalResponse(new RateLimitedError(taken.retryAfterSeconds)));
      }
    },
    onResponse({ request, response }) {
      if (!PENALIZED.has(response.status)) return;
      const bucket = bucketKeyOf(options.principalOf(request));
      if (!bucket) return;
      options.limiter.take(
        bucket.key,
        bucket.peer ? options.perPeer : options.perSubject,
        options.refusalPenalty ?? 5,
      );
    },
  };
}
