// Bilateral PSI between two brands over HTTP, without an association (psi.ts does the crypto).
//
//   initiator → POST /privacy/psi/sessions        { kinds, elements: a·H(x) }
//   responder ← { session, elements: b·H(y), answer: b·a·H(x) }
//   initiator → POST /privacy/psi/sessions/<id>   { answer: a·b·H(y) }
//
// Both then know which of their own identifiers the other holds, and nothing else about the
// other's set EXCEPT ITS SIZE: each side sees how many elements the other sent. That leak is
// inherent to this protocol; pad sets if sizes are sensitive. Items are tokenInput(kind, key) of
// normalized identifiers, so a phone written differently on each side still matches. A peer
// learns the intersection with whatever set it submits, so sets are capped (PALISADE_PSI_MAX_ITEMS)
// and sessions are single-use, expire after a minute, and are rate-limited and audited.
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { RateLimiter } from '../auth/rate-limiter.js';
import type { AuditLog } from '../federation/audit-log.js';
import type { Principal } from '../server/context.js';
import {
  BadUserInputError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  type AppError,
} from '../server/errors.js';
import { refusalResponse } from '../server/refusal.js';
import { json, type Route } from '../server/routes.js';
import { INDICATOR_KINDS } from './indicators.js';
import { createPsiParty, PsiProtocolError, type PsiParty } from './psi.js';
import { InvalidPointError } from './oprf.js';
import type { PrivacyStore } from './store.js';
import { tokenInput } from './token.js';

export const PSI_SESSIONS_PATH = '/privacy/psi/sessions';
const SESSION_PATH = /^\/privacy\/psi\/sessions\/(?<id>[0-9a-f-]{36})$/;
const SESSION_TTL_MS = 60_000;
const SESSIONS_PER_HOUR = 20;
const AUDIT_TYPE = 'palisade.psi';

interface Session {
  peer: string;
  party: PsiParty;
  expires: number;
}

const b64 = (e: Uint8Array): string => Buffer.from(e).toString('base64url');
function decodeList(v: unknown, max: number, what: string): Uint8Array[] {
  if (!Array.isArray(v)) throw new BadUserInputError(`${what} must be a list of points`);
  if (v.length > max) throw new BadUserInputError(`${what}: at most ${max} elements`);
  return v.map((e, i) => {
    if (typeof e !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(e)) {
      throw new BadUserInputError(`${what}[${i}] is not a base64url point`);
    }
    return new Uint8Array(Buffer.from(e, 'base64url'));
  });
}

function kindsOf(v: unknown): string[] {
  const kinds = Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string') : [];
  if (
    kinds.length === 0 ||
    kinds.some((k) => !(INDICATOR_KINDS as readonly string[]).includes(k))
  ) {
    throw new BadUserInputError(`kinds must be some of ${INDICATOR_KINDS.join(', ')}`);
  }
  return [...new Set(kinds)].sort();
}

/** Where a party reads its own normalized identifiers (the privacy store). */
export type PsiItemSource = Pick<PrivacyStore, 'psiItems'>;

/** The node's own PSI items: tokenInput bytes, and how to map them back to identifiers. */
async function ownItems(
  store: PsiItemSource,
  kinds: readonly string[],
  max: number,
): Promise<{ items: Uint8Array[]; byHex: Map<string, { kind: string; key: string }> }> {
  const rows = await store.psiItems(kinds, max);
  const byHex = new Map<string, { kind: string; key: string }>();
  const items = rows.map((r) => {
    const input = tokenInput(r.kind, r.key);
    byHex.set(Buffer.from(input).toString('hex'), r);
    return input;
  });
  return { items, byHex };
}

export interface PsiServiceOptions {
  store: PsiItemSource;
  audit: Pick<AuditLog, 'record'>;
  limiter: RateLimiter;
  maxItems: number;
  principalOf: (request: Request) => Principal;
}

/** The responder's two routes. */
export function psiRoutes(o: PsiServiceOptions): Route[] {
  const sessions = new Map<string, Session>();
  const sweep = () => {
    const now = Date.now();
    for (const [id, s] of sessions) {
      if (s.expires < now) {
        s.party.dispose();
        sessions.delete(id);
      }
    }
  };
  const peerOf = (request: Request): string | AppError => {
    const p = o.principalOf(request);
    if (p.role === 'anonymous') return new UnauthenticatedError();
    if (p.via !== 'peer' || p.role !== 'partner' || p.peerId === undefined) {
      return new ForbiddenError('Only partner nodes (signed peer requests) may run PSI');
    }
    return p.peerId;
  };
  const guard = async (run: () => Promise<Response>): Promise<Response> => {
    try {
      return await run();
    } catch (e) {
      if (e instanceof BadUserInputError || e instanceof NotFoundError) return refusalResponse(e);
      if (e instanceof PsiProtocolError || e instanceof InvalidPointError) {
        return refusalResponse(new BadUserInputError(e.message));
      }
      throw e;
    }
  };
  return [
    {
      method: 'POST',
      path: PSI_SESSIONS_PATH,
      handle: (request) =>
        guard(async () => {
          const peer = peerOf(request);
          if (typeof peer !== 'string') return refusalResponse(peer);
          const taken = o.limiter.take(`psi:${peer}`, {
            perSecond: SESSIONS_PER_HOUR / 3600,
            burst: SESSIONS_PER_HOUR,
          });
          if (!taken.ok) return refusalResponse(new RateLimitedError(taken.retryAfterSeconds));
          sweep();
          const body = (await request.json().catch(() => null)) as {
            kinds?: unknown;
            elements?: unknown;
          } | null;
          const kinds = kindsOf(body?.kinds);
          const theirs = decodeList(body?.elements, o.maxItems, 'elements');
          const { items } = await ownItems(o.store, kinds, o.maxItems);
          const party = await createPsiParty(items, { maxPeerItems: o.maxItems });
          const answer = party.secondRound(theirs);
          const id = randomUUID();
          sessions.set(id, { peer, party, expires: Date.now() + SESSION_TTL_MS });
          await o.audit.record({
            kind: 'query',
            peer,
            messageType: AUDIT_TYPE,
            reason: 'PSI_STARTED',
            detail: { kinds, theirSize: theirs.length, ourSize: party.size },
          });
          return json({
            session: id,
            elements: party.firstRound().map(b64),
            answer: answer.map(b64),
          });
        }),
    },
    {
      method: 'POST',
      path: SESSION_PATH,
      handle: (request, params) =>
        guard(async () => {
          const peer = peerOf(request);
          if (typeof peer !== 'string') return refusalResponse(peer);
          sweep();
          const id = params['id'] ?? '';
          const session = sessions.get(id);
          if (!session || session.peer !== peer) throw new NotFoundError('no such PSI session');
          sessions.delete(id);
          try {
            const body = (await request.json().catch(() => null)) as { answer?: unknown } | null;
            const shared = session.party.intersect(decodeList(body?.answer, o.maxItems, 'answer'));
            // The responder learns the intersection too; what it keeps of it is the count.
            await o.audit.record({
              kind: 'query',
              peer,
              messageType: AUDIT_TYPE,
              reason: 'PSI_FINISHED',
              detail: { shared: shared.length },
            });
            return json({ status: 'done' });
          } finally {
            session.party.dispose();
          }
        }),
    },
  ];
}

export interface PsiClientOptions {
  store: PsiItemSource;
  maxItems: number;
  /** The partner's base URL and a fresh signed peer request token for it. */
  peer: { baseUrl: string; requestToken: () => Promise<string> };
  fetch?: typeof fetch;
}

/** Runs PSI with a partner as initiator; returns the own identifiers the partner also holds. */
export async function runPsi(
  o: PsiClientOptions,
  kinds: readonly string[],
): Promise<{ ourSize: number; theirSize: number; shared: { kind: string; key: string }[] }> {
  const k = kindsOf(kinds);
  const { items, byHex } = await ownItems(o.store, k, o.maxItems);
  const party = await createPsiParty(items);
  const post = async (path: string, body: unknown): Promise<unknown> => {
    const res = await (o.fetch ?? fetch)(`${o.peer.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await o.peer.requestToken()}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const parsed = (await res.json().catch(() => null)) as unknown;
    if (!res.ok) throw new Error(`the partner refused the PSI request (HTTP ${res.status})`);
    return parsed;
  };
  try {
    const started = (await post(PSI_SESSIONS_PATH, {
      kinds: k,
      elements: party.firstRound().map(b64),
    })) as { session?: unknown; elements?: unknown; answer?: unknown };
    if (typeof started.session !== 'string') throw new Error('the partner sent no PSI session');
    const theirs = decodeList(started.elements, o.maxItems, 'elements');
    const myAnswer = party.secondRound(theirs);
    const shared = party.intersect(decodeList(started.answer, items.length, 'answer'));
    await post(`${PSI_SESSIONS_PATH}/${started.session}`, { answer: myAnswer.map(b64) });
    return {
      ourSize: party.size,
      theirSize: theirs.length,
      shared: shared.flatMap((s) => {
        const id = byHex.get(Buffer.from(s).toString('hex'));
        return id ? [id] : [];
      }),
    };
  } finally {
    party.dispose();
  }
}
