// The peer registry in the graph: pinned keys, role, status, limits and sharing policy per peer.
// Read fresh for every message and request (no cache), so suspension and revocation act at once.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database, Row, Tx } from '../db/database.js';
import {
  encryptionPublicJwkSchema,
  parseJwk,
  signingPublicJwkSchema,
  type EncryptionPublicJwk,
  type SigningPublicJwk,
} from './jwk-import.js';
import { DEFAULT_POLICY, sharingPolicySchema, type SharingPolicy } from './sharing-policy.js';

export const PEER_ROLES = ['partner', 'association'] as const;
export type PeerRole = (typeof PEER_ROLES)[number];
export const PEER_STATUSES = ['active', 'suspended', 'revoked'] as const;
export type PeerStatus = (typeof PEER_STATUSES)[number];

/** A pinned signing key; a key retired by a rotation stays valid until notAfter (epoch seconds). */
export interface PinnedSigningKey {
  jwk: SigningPublicJwk;
  notAfter?: number;
}

export interface PeerLimits {
  /** Partner queries per second; null = the node default (PALISADE_PEER_RATE_LIMIT_PER_SECOND). */
  ratePerSecond: number | null;
  burst: number | null;
}

export interface Peer {
  id: string;
  name: string;
  baseUrl: string;
  inboxUrl: string;
  role: PeerRole;
  status: PeerStatus;
  /** Thumbprint of the current pinned signing key. */
  fingerprint: string;
  signingKeys: PinnedSigningKey[];
  encryptionKey: EncryptionPublicJwk;
  limits: PeerLimits;
  policy: SharingPolicy;
  createdAt: string;
  updatedAt: string;
}

const row = z.object({
  id: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  inboxUrl: z.string(),
  role: z.enum(PEER_ROLES),
  status: z.enum(PEER_STATUSES),
  fingerprint: z.string(),
  signingKeys: z.string(),
  encryptionKey: z.string(),
  rateLimitPerSecond: z.number().nullable().optional(),
  rateLimitBurst: z.number().nullable().optional(),
  maxTlp: z.string().nullable().optional(),
  audiences: z.array(z.string()).nullable().optional(),
  transforms: z.string().nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const pinnedKeys = z.array(z.object({ jwk: z.unknown(), notAfter: z.number().optional() }));

function toPeer(value: unknown): Peer {
  const r = row.parse(value);
  const keys = pinnedKeys.parse(JSON.parse(r.signingKeys));
  const policy = sharingPolicySchema.safeParse({
    maxTlp: r.maxTlp ?? DEFAULT_POLICY.maxTlp,
    audiences: r.audiences ?? [],
    transforms: r.transforms ? (JSON.parse(r.transforms) as unknown) : [],
  });
  return {
    id: r.id,
    name: r.name,
    baseUrl: r.baseUrl,
    inboxUrl: r.inboxUrl,
    role: r.role,
    status: r.status,
    fingerprint: r.fingerprint,
    signingKeys: keys.map((k) => ({
      jwk: parseJwk(signingPublicJwkSchema, k.jwk, 'signingKeys', true),
      ...(k.notAfter !== undefined && { notAfter: k.notAfter }),
    })),
    encryptionKey: parseJwk(
      encryptionPublicJwkSchema,
      JSON.parse(r.encryptionKey),
      'encryptionKey',
      true,
    ),
    limits: { ratePerSecond: r.rateLimitPerSecond ?? null, burst: r.rateLimitBurst ?? null },
    // A policy that no longer parses fails closed: nothing above CLEAR... and no audiences.
    policy: policy.success ? policy.data : { maxTlp: 'CLEAR', audiences: [], transforms: [] },
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

const peerOf = (rows: Row[]): Peer | null => (rows[0] ? toPeer(rows[0]['peer']) : null);

/** The signing keys a peer may sign with now: the current one and rotated ones in overlap. */
export function currentSigningKeys(peer: Peer, now: Date = new Date()): SigningPublicJwk[] {
  const t = Math.floor(now.getTime() / 1000);
  return peer.signingKeys
    .filter((k) => k.notAfter === undefined || k.notAfter > t)
    .map((k) => k.jwk);
}

export interface NewPeer {
  id: string;
  name: string;
  baseUrl: string;
  inboxUrl: string;
  role: PeerRole;
  fingerprint: string;
  signing: SigningPublicJwk;
  encryption: EncryptionPublicJwk;
  limits: PeerLimits;
  policy: SharingPolicy;
}

type Runner = Pick<Tx, 'run'>;

export class PeerStore {
  constructor(private readonly db: Database) {}

  /** Creates the peer, or returns null when the id is already registered. */
  async create(p: NewPeer, now: Date = new Date()): Promise<Peer | null> {
    const [r] = await this.db.write('federation/peer-create', {
      id: p.id,
      name: p.name,
      baseUrl: p.baseUrl,
      inboxUrl: p.inboxUrl,
      role: p.role,
      fingerprint: p.fingerprint,
      signingKeys: JSON.stringify([{ jwk: p.signing }]),
      encryptionKey: JSON.stringify(p.encryption),
      ratePerSecond: p.limits.ratePerSecond,
      rateBurst: p.limits.burst,
      maxTlp: p.policy.maxTlp,
      audiences: p.policy.audiences,
      transforms: JSON.stringify(p.policy.transforms),
      now: now.toISOString(),
      nonce: randomUUID(),
    });
    return r && r['created'] === true ? toPeer(r['peer']) : null;
  }

  async get(id: string, tx?: Runner): Promise<Peer | null> {
    const rows = tx
      ? await tx.run('federation/peer-get', { id })
      : await this.db.read('federation/peer-get', { id });
    return peerOf(rows);
  }

  async list(filter: {
    status?: PeerStatus | null;
    limit: number;
    offset: number;
  }): Promise<{ peers: Peer[]; total: number }> {
    const status = filter.status ?? null;
    const [rows, count] = await Promise.all([
      this.db.read('federation/peer-list', { status, limit: filter.limit, offset: filter.offset }),
      this.db.read('federation/peer-count', { status }),
    ]);
    return {
      peers: rows.map((r) => toPeer(r['peer'])),
      total: Number(count[0]?.['total'] ?? 0),
    };
  }

  async idsByRole(tx: Runner, role: PeerRole | null): Promise<string[]> {
    const rows = await tx.run('federation/peer-ids-by-role', { role });
    return rows.map((r) => String(r['id']));
  }

  async setStatus(tx: Runner, id: string, status: PeerStatus): Promise<Peer | null> {
    return peerOf(
      await tx.run('federation/peer-set-status', { id, status, now: new Date().toISOString() }),
    );
  }

  async setKeys(
    tx: Runner,
    id: string,
    keys: { signingKeys: PinnedSigningKey[]; encryption: EncryptionPublicJwk; fingerprint: string },
  ): Promise<Peer | null> {
    return peerOf(
      await tx.run('federation/peer-set-keys', {
        id,
        signingKeys: JSON.stringify(keys.signingKeys),
        encryptionKey: JSON.stringify(keys.encryption),
        fingerprint: keys.fingerprint,
        now: new Date().toISOString(),
      }),
    );
  }

  async setPolicy(
    tx: Runner,
    id: string,
    policy: SharingPolicy,
    limits: PeerLimits,
  ): Promise<Peer | null> {
    return peerOf(
      await tx.run('federation/peer-set-policy', {
        id,
        maxTlp: policy.maxTlp,
        audiences: policy.audiences,
        transforms: JSON.stringify(policy.transforms),
        ratePerSecond: limits.ratePerSecond,
        rateBurst: limits.burst,
        now: new Date().toISOString(),
      }),
    );
  }
}
