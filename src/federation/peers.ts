// Peer management: pin a peer from its URL and the fingerprint read out of band, change its status,
// follow its key rotations (only when signed by the pinned key), set its policy. Every change is
// audited. Expected failures come back as data ({ ok: false, error }).
import type { Database } from '../db/database.js';
import type { AuditLog } from './audit-log.js';
import { verifyRotation } from './keys.js';
import { PinRefusedError, verifyNodeDocument } from './node-document.js';
import {
  type Peer,
  type PeerLimits,
  type PeerRole,
  type PeerStatus,
  type PeerStore,
} from './peer-store.js';
import { DEFAULT_POLICY, sharingPolicySchema, type SharingPolicy } from './sharing-policy.js';

export type PeerErrorCode =
  | 'INVALID_URL'
  | 'UNREACHABLE'
  | 'MALFORMED'
  | 'FINGERPRINT_MISMATCH'
  | 'BAD_SIGNATURE'
  | 'NO_ENCRYPTION_KEY'
  | 'ROLE_MISMATCH'
  | 'SELF'
  | 'ALREADY_EXISTS'
  | 'NOT_FOUND'
  | 'INVALID_TRANSITION'
  | 'NO_ROTATION'
  | 'ROTATION_REFUSED'
  | 'INVALID_POLICY';

export type PeerResult =
  { ok: true; peer: Peer } | { ok: false; error: { code: PeerErrorCode; message: string } };

const fail = (code: PeerErrorCode, message: string): PeerResult => ({
  ok: false,
  error: { code, message },
});

export interface AddPeerInput {
  url: string;
  fingerprint: string;
  role: PeerRole;
  limits?: Partial<PeerLimits>;
  policy?: SharingPolicy;
}

const MAX_DOC_BYTES = 64 * 1024;

export class PeerService {
  constructor(
    private readonly db: Database,
    private readonly store: PeerStore,
    private readonly audit: AuditLog,
    private readonly self: { id: string; requireHttps: boolean },
    private readonly fetcher: typeof fetch = fetch,
  ) {}

  async #fetchText(url: string): Promise<string> {
    const res = await this.fetcher(url, {
      signal: AbortSignal.timeout(10_000),
      redirect: 'error',
    });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    const text = await res.text();
    if (text.length > MAX_DOC_BYTES) throw new Error(`${url} is too large`);
    return text;
  }

  #baseUrl(url: string): string | null {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return null;
    }
    if (u.protocol !== 'https:' && (this.self.requireHttps || u.protocol !== 'http:')) return null;
    return u.origin + u.pathname.replace(/\/$/, '');
  }

  async add(input: AddPeerInput): Promise<PeerResult> {
    const base = this.#baseUrl(input.url);
    if (!base) {
      return fail(
        'INVALID_URL',
        this.self.requireHttps
          ? 'the peer URL must be https://'
          : 'the peer URL must be http(s)://',
      );
    }
    let docText: string;
    let jwks: unknown;
    try {
      [docText, jwks] = await Promise.all([
        this.#fetchText(`${base}/.well-known/palisade-node`),
        this.#fetchText(`${base}/.well-known/jwks.json`).then((t) => JSON.parse(t) as unknown),
      ]);
    } catch (e) {
      return fail(
        'UNREACHABLE',
        `cannot read the peer's well-known documents: ${(e as Error).message}`,
      );
    }
    let pinned;
    try {
      pinned = await verifyNodeDocument(docText, jwks, input.fingerprint.trim());
    } catch (e) {
      if (e instanceof PinRefusedError) return fail(e.reason, e.message);
      throw e;
    }
    const expectedRole = pinned.document.role === 'association' ? 'association' : 'partner';
    if (expectedRole !== input.role) {
      return fail(
        'ROLE_MISMATCH',
        `the peer describes itself as a ${pinned.document.role} node, not as a ${input.role}`,
      );
    }
    if (pinned.document.id === this.self.id) return fail('SELF', 'that is this node');
    const policy = input.policy ?? DEFAULT_POLICY;
    const peer = await this.store.create({
      id: pinned.document.id,
      name: pinned.document.name,
      baseUrl: base,
      inboxUrl: pinned.document.endpoints.inbox,
      role: input.role,
      fingerprint: pinned.fingerprint,
      signing: pinned.signing,
      encryption: pinned.encryption,
      limits: {
        ratePerSecond: input.limits?.ratePerSecond ?? null,
        burst: input.limits?.burst ?? null,
      },
      policy,
    });
    if (!peer) return fail('ALREADY_EXISTS', `peer ${pinned.document.id} is already registered`);
    await this.audit.record({
      kind: 'peer',
      peer: peer.id,
      reason: 'ADDED',
      detail: { role: peer.role, fingerprint: peer.fingerprint },
    });
    return { ok: true, peer };
  }

  async setStatus(id: string, status: PeerStatus): Promise<PeerResult> {
    return this.db.writeTransaction(async (tx) => {
      const current = await this.store.get(id, tx);
      if (!current) return fail('NOT_FOUND', `no peer ${id}`);
      if (current.status === 'revoked' && status !== 'revoked') {
        return fail(
          'INVALID_TRANSITION',
          'a revoked peer stays revoked; add it again under a new id',
        );
      }
      const peer = await this.store.setStatus(tx, id, status);
      await this.audit.append(tx, {
        kind: 'peer',
        peer: id,
        reason: status.toUpperCase(),
        detail: { from: current.status, to: status },
      });
      return { ok: true, peer: peer! };
    });
  }

  async setPolicy(id: string, policy: SharingPolicy, limits: PeerLimits): Promise<PeerResult> {
    const parsed = sharingPolicySchema.safeParse(policy);
    if (!parsed.success)
      return fail('INVALID_POLICY', 'the policy is invalid (RED is never allowed)');
    return this.db.writeTransaction(async (tx) => {
      const peer = await this.store.setPolicy(tx, id, parsed.data, limits);
      if (!peer) return fail('NOT_FOUND', `no peer ${id}`);
      await this.audit.append(tx, {
        kind: 'peer',
        peer: id,
        reason: 'POLICY',
        detail: {
          maxTlp: parsed.data.maxTlp,
          audiences: parsed.data.audiences,
          transforms: parsed.data.transforms.map((t) => `${t.field}:${t.action}`),
        },
      });
      return { ok: true, peer };
    });
  }

  /** Fetches the peer's rotation statement and re-pins only if the pinned key signed it. */
  async refreshKeys(id: string): Promise<PeerResult> {
    const peer = await this.store.get(id);
    if (!peer) return fail('NOT_FOUND', `no peer ${id}`);
    let statement: unknown;
    try {
      statement = JSON.parse(
        await this.#fetchText(`${peer.baseUrl}/.well-known/palisade-key-rotation`),
      );
    } catch (e) {
      return fail(
        'NO_ROTATION',
        `the peer publishes no readable rotation statement: ${(e as Error).message}`,
      );
    }
    const pinned = peer.signingKeys.find((k) => k.notAfter === undefined) ?? peer.signingKeys[0];
    if (!pinned) return fail('ROTATION_REFUSED', 'no pinned key');
    const result = await verifyRotation(statement, pinned.jwk, { expectedIssuer: peer.id });
    if (!result.ok) {
      await this.audit.record({ kind: 'keys', peer: id, reason: `ROTATION_${result.reason}` });
      return fail('ROTATION_REFUSED', result.message);
    }
    if (peer.signingKeys.some((k) => k.jwk.kid === result.signing.kid)) return { ok: true, peer };
    return this.db.writeTransaction(async (tx) => {
      const updated = await this.store.setKeys(tx, id, {
        signingKeys: [
          { jwk: result.signing },
          { jwk: pinned.jwk, notAfter: Math.floor(result.previousNotAfter.getTime() / 1000) },
        ],
        encryption: result.encryption,
        fingerprint: result.signing.kid,
      });
      await this.audit.append(tx, {
        kind: 'keys',
        peer: id,
        reason: 'ROTATED',
        detail: { from: pinned.jwk.kid, to: result.signing.kid },
      });
      return { ok: true, peer: updated! };
    });
  }
}
