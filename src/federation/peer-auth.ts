// Partner queries: verifies a peer's signed request token (registry lookup, active status,
// audience = this node, short expiry, single use) and turns it into a Principal with the peer's
// role; rate-limited per peer and audited. The auth layer calls this for palisade-peer+jwt tokens.
import type { Principal } from '../server/context.js';
import { RateLimitedError } from '../server/errors.js';
import type { AuditLog } from './audit-log.js';
import {
  EnvelopeRefusedError,
  verifyRequestToken,
  type ReplayGuard,
  type SenderRecord,
} from './envelope.js';
import { currentSigningKeys, type PeerStore } from './peer-store.js';

/** The per-peer limiter; the auth domain's RateLimiter fits. */
export interface PeerRateLimiter {
  take(
    key: string,
    limits: { perSecond: number; burst: number },
  ): { ok: true } | { ok: false; retryAfterSeconds: number };
}

export interface PeerAuthOptions {
  selfId: string;
  peers: PeerStore;
  replayGuard: ReplayGuard;
  audit: AuditLog;
  maxClockSkewSeconds: number;
  limiter?: PeerRateLimiter;
  defaultLimits: { perSecond: number; burst: number };
  onRefused?: (reason: string) => void;
}

export type PeerAuthenticator = (token: string, request?: Request) => Promise<Principal>;

export function createPeerAuthenticator(o: PeerAuthOptions): PeerAuthenticator {
  return async (token) => {
    let verified;
    try {
      verified = await verifyRequestToken(token, {
        selfId: o.selfId,
        maxClockSkewSeconds: o.maxClockSkewSeconds,
        replayGuard: o.replayGuard,
        lookupSender: async (iss): Promise<SenderRecord | null> => {
          const peer = await o.peers.get(iss);
          return peer
            ? { status: peer.status, role: peer.role, signingKeys: currentSigningKeys(peer) }
            : null;
        },
      });
    } catch (e) {
      if (e instanceof EnvelopeRefusedError) {
        o.onRefused?.(e.reason);
        await o.audit.record({
          kind: 'query',
          peer: e.senderId ?? null,
          jti: e.jti ?? null,
          reason: e.reason,
          detail: { outcome: 'refused' },
        });
      }
      throw e;
    }
    const peer = await o.peers.get(verified.senderId);
    const role = verified.sender.role === 'association' ? 'association' : 'partner';
    if (o.limiter && peer) {
      const limits = {
        perSecond: peer.limits.ratePerSecond ?? o.defaultLimits.perSecond,
        burst: peer.limits.burst ?? o.defaultLimits.burst,
      };
      const taken = o.limiter.take(`peer:${peer.id}`, limits);
      if (!taken.ok) {
        await o.audit.record({
          kind: 'query',
          peer: peer.id,
          jti: verified.jti,
          reason: 'RATE_LIMITED',
          detail: { outcome: 'refused' },
        });
        throw new RateLimitedError(taken.retryAfterSeconds);
      }
    }
    await o.audit.record({
      kind: 'query',
      peer: verified.senderId,
      jti: verified.jti,
      detail: { outcome: 'accepted' },
    });
    return { subject: `peer:${verified.senderId}`, role, peerId: verified.senderId, via: 'peer' };
  };
}
