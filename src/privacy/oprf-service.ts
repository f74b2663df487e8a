// The association's OPRF evaluator: `POST /privacy/oprf/evaluate` takes a member's blinded points
// (at most 1000 per request, every one validated), multiplies them by the current period key and
// answers with the key id. Only registered, active member peers (role partner) calling with a
// signed peer request token get an answer; each member has a points-per-hour budget, so no member
// can run a dictionary of phone numbers through the association; every request is audited.
// `GET /privacy/oprf/key` tells a member which key id evaluations use now.
import { Buffer } from 'node:buffer';
import type { RateLimiter } from '../auth/rate-limiter.js';
import type { AuditLog } from '../federation/audit-log.js';
import type { Principal } from '../server/context.js';
import {
  BadUserInputError,
  ForbiddenError,
  RateLimitedError,
  UnauthenticatedError,
  type AppError,
} from '../server/errors.js';
import type { Logger } from '../server/logger.js';
import { refusalResponse } from '../server/refusal.js';
import { json, type Route } from '../server/routes.js';
import { blindEvaluateBatch, ELEMENT_BYTES, InvalidPointError } from './oprf.js';
import type { OprfKeySource } from './oprf-keys.js';

/** The most points one request may carry. */
export const MAX_OPRF_BATCH = 1000;
export const OPRF_EVALUATE_PATH = '/privacy/oprf/evaluate';
export const OPRF_KEY_PATH = '/privacy/oprf/key';
const AUDIT_TYPE = 'palisade.oprf.evaluate';

export type EvaluationResult =
  { ok: true; keyId: string; evaluated: string[] } | { ok: false; error: AppError; reason: string };

export interface OprfServiceOptions {
  keys: OprfKeySource;
  limiter: RateLimiter;
  pointsPerHour: number;
  audit: Pick<AuditLog, 'record'>;
  logger: Logger;
}

const ELEMENT_CHARS = Math.ceil((ELEMENT_BYTES * 8) / 6);

function decodeElements(value: unknown): Uint8Array[] | string {
  if (typeof value !== 'object' || value === null) return 'the body must be {"elements": [...]}';
  const elements = (value as { elements?: unknown }).elements;
  if (!Array.isArray(elements) || elements.length === 0) {
    return 'elements must be a non-empty list of base64url points';
  }
  if (elements.length > MAX_OPRF_BATCH) {
    return `at most ${MAX_OPRF_BATCH} points per request, got ${elements.length}`;
  }
  const out: Uint8Array[] = [];
  for (const [i, e] of elements.entries()) {
    if (typeof e !== 'string' || e.length !== ELEMENT_CHARS || !/^[A-Za-z0-9_-]+$/.test(e)) {
      return `element ${i} is not a base64url ristretto255 point`;
    }
    out.push(new Uint8Array(Buffer.from(e, 'base64url')));
  }
  return out;
}

export class OprfService {
  constructor(private readonly o: OprfServiceOptions) {}

  /** Evaluates a member's request; refusals come back as data and are audited. */
  async evaluate(memberId: string, body: unknown): Promise<EvaluationResult> {
    const refuse = async (
      error: AppError,
      reason: string,
      points: number,
    ): Promise<EvaluationResult> => {
      await this.o.audit.record({
        kind: 'query',
        peer: memberId,
        messageType: AUDIT_TYPE,
        reason,
        detail: { outcome: 'refused', points },
      });
      return { ok: false, error, reason };
    };
    const decoded = decodeElements(body);
    if (typeof decoded === 'string') {
      return refuse(new BadUserInputError(decoded), 'BAD_REQUEST', 0);
    }
    const hourly = this.o.pointsPerHour;
    const taken = this.o.limiter.take(
      `oprf:${memberId}`,
      { perSecond: hourly / 3600, burst: hourly },
      decoded.length,
    );
    if (!taken.ok) {
      return refuse(new RateLimitedError(taken.retryAfterSeconds), 'RATE_LIMITED', decoded.length);
    }
    const { keyId, pair } = await this.o.keys.current();
    let evaluated: Uint8Array[];
    try {
      evaluated = await blindEvaluateBatch(pair.secretKey, decoded);
    } catch (e) {
      if (e instanceof InvalidPointError) {
        return refuse(
          new BadUserInputError(e.message, { index: e.index ?? null }),
          'INVALID_POINT',
          decoded.length,
        );
      }
      throw e;
    }
    await this.o.audit.record({
      kind: 'query',
      peer: memberId,
      messageType: AUDIT_TYPE,
      reason: 'EVALUATED',
      detail: { outcome: 'accepted', points: decoded.length, keyId },
    });
    return {
      ok: true,
      keyId,
      evaluated: evaluated.map((e) => Buffer.from(e).toString('base64url')),
    };
  }
}

/** Members are partner peers that authenticated with a signed peer request token. */
function memberOf(principal: Principal): string | AppError {
  if (principal.role === 'anonymous') return new UnauthenticatedError();
  if (principal.via !== 'peer' || principal.role !== 'partner' || principal.peerId === undefined) {
    return new ForbiddenError('Only member nodes (signed peer requests) may evaluate tokens');
  }
  return principal.peerId;
}

/** The two routes of the association's OPRF service. */
export function oprfRoutes(
  service: OprfService,
  keys: OprfKeySource,
  principalOf: (request: Request) => Principal,
): Route[] {
  return [
    {
      method: 'GET',
      path: OPRF_KEY_PATH,
      async handle(request) {
        const member = memberOf(principalOf(request));
        if (typeof member !== 'string') return refusalResponse(member);
        return json({ keyId: await keys.currentKeyId() });
      },
    },
    {
      method: 'POST',
      path: OPRF_EVALUATE_PATH,
      async handle(request) {
        const member = memberOf(principalOf(request));
        if (typeof member !== 'string') return refusalResponse(member);
        let body: unknown;
        try {
          body = await request.json();
        } catch {
          return refusalResponse(new BadUserInputError('the body must be JSON'));
        }
        const result = await service.evaluate(member, body);
        if (!result.ok) return refusalResponse(result.error);
        return json({ keyId: result.keyId, evaluated: result.evaluated });
      },
    },
  ];
}
