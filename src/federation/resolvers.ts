// Thin GraphQL resolvers for federation: unpack arguments, call one function, shape the answer.
import type { GraphQLContext } from '../server/context.js';
import { ForbiddenError } from '../server/errors.js';
import { fromGlobalId, toConnection, toGlobalId, toPage, type PageArgs } from '../server/relay.js';
import type { AuditLog } from './audit-log.js';
import type { AuditKind } from './audit-chain.js';
import type { Outbox, OutboxStatus } from './outbox.js';
import type { Peer, PeerStatus, PeerStore } from './peer-store.js';
import type { PeerResult, PeerService } from './peers.js';
import type { FieldAction, SharingPolicy } from './sharing-policy.js';

const tlpIn = (t: string) => (t === 'AMBER_STRICT' ? 'AMBER+STRICT' : t);
const tlpOut = (t: string) => (t === 'AMBER+STRICT' ? 'AMBER_STRICT' : t);

function peerOut(p: Peer) {
  return {
    id: toGlobalId('Peer', p.id),
    nodeId: p.id,
    name: p.name,
    url: p.baseUrl,
    role: p.role.toUpperCase(),
    status: p.status.toUpperCase(),
    fingerprint: p.fingerprint,
    limits: p.limits,
    policy: { ...p.policy, maxTlp: tlpOut(p.policy.maxTlp) },
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

const payload = (r: PeerResult) =>
  r.ok
    ? { ok: true, peer: peerOut(r.peer), error: null }
    : { ok: false, peer: null, error: r.error };

/** A Peer global id, or a bare node id (the CLI passes those). */
function peerKey(id: string): string {
  try {
    const g = fromGlobalId(id);
    if (g.type === 'Peer') return g.key;
  } catch {
    /* a bare node id */
  }
  return id;
}

interface PolicyInput {
  maxTlp: string;
  audiences?: string[] | null;
  transforms?: { field: string; action: FieldAction }[] | null;
}
interface LimitsInput {
  ratePerSecond?: number | null;
  burst?: number | null;
}

const policyIn = (p: PolicyInput): SharingPolicy =>
  ({
    maxTlp: tlpIn(p.maxTlp),
    audiences: p.audiences ?? [],
    transforms: p.transforms ?? [],
  }) as SharingPolicy;
const limitsIn = (l?: LimitsInput | null) => ({
  ratePerSecond: l?.ratePerSecond ?? null,
  burst: l?.burst ?? null,
});

export function createFederationResolvers(deps: {
  peers: PeerStore;
  peerService: PeerService;
  audit: AuditLog;
  outbox: Outbox;
}) {
  const { peers, peerService, audit, outbox } = deps;
  return {
    Query: {
      peers: async (_: unknown, args: PageArgs & { status?: string | null }) => {
        const page = toPage(args);
        const status = args.status ? (args.status.toLowerCase() as PeerStatus) : null;
        const { peers: list, total } = await peers.list({
          status,
          limit: page.limit + 1,
          offset: page.offset,
        });
        return toConnection(list.map(peerOut), page, total);
      },
      peer: async (_: unknown, args: { id: string }) => {
        const p = await peers.get(peerKey(args.id));
        return p ? peerOut(p) : null;
      },
      federationAudit: async (
        _: unknown,
        args: PageArgs & { kind?: string | null; peer?: string | null },
      ) => {
        const page = toPage(args);
        const entries = await audit.page({
          kind: (args.kind ?? null) as AuditKind | null,
          peer: args.peer ?? null,
          limit: page.limit,
          offset: page.offset,
        });
        return entries;
      },
      verifyFederationAudit: async () => {
        const v = await audit.verify();
        return v.ok
          ? { ok: true, entries: v.entries, problem: null, seq: null }
          : { ok: false, entries: v.entries, problem: v.problem, seq: v.seq };
      },
      federationOutbox: async (_: unknown, args: PageArgs & { status?: string | null }) => {
        const page = toPage(args);
        const list = await outbox.list({
          status: (args.status ?? null) as OutboxStatus | null,
          limit: page.limit,
          offset: page.offset,
        });
        return list.map((m) => ({
          id: m.id,
          peer: m.peerId,
          messageType: m.messageType,
          status: m.status,
          attempts: m.attempts,
          lastError: m.lastError,
          createdAt: new Date(m.createdAt).toISOString(),
        }));
      },
      federationWhoAmI: (_: unknown, __: unknown, ctx: GraphQLContext) => {
        const p = ctx.principal;
        if ((p.role !== 'partner' && p.role !== 'association') || !p.peerId) {
          throw new ForbiddenError('Only a peer calling with a signed request token');
        }
        return { nodeId: p.peerId, role: p.role.toUpperCase() };
      },
    },
    Mutation: {
      addPeer: async (
        _: unknown,
        args: {
          input: {
            url: string;
            fingerprint: string;
            role: string;
            limits?: LimitsInput | null;
            policy?: PolicyInput | null;
          };
        },
      ) =>
        payload(
          await peerService.add({
            url: args.input.url,
            fingerprint: args.input.fingerprint,
            role: args.input.role === 'ASSOCIATION' ? 'association' : 'partner',
            limits: limitsIn(args.input.limits),
            ...(args.input.policy && { policy: policyIn(args.input.policy) }),
          }),
        ),
      suspendPeer: async (_: unknown, a: { id: string }) =>
        payload(await peerService.setStatus(peerKey(a.id), 'suspended')),
      revokePeer: async (_: unknown, a: { id: string }) =>
        payload(await peerService.setStatus(peerKey(a.id), 'revoked')),
      reinstatePeer: async (_: unknown, a: { id: string }) =>
        payload(await peerService.setStatus(peerKey(a.id), 'active')),
      setPeerPolicy: async (
        _: unknown,
        a: { id: string; policy: PolicyInput; limits?: LimitsInput | null },
      ) =>
        payload(await peerService.setPolicy(peerKey(a.id), policyIn(a.policy), limitsIn(a.limits))),
      refreshPeerKeys: async (_: unknown, a: { id: string }) =>
        payload(await peerService.refreshKeys(peerKey(a.id))),
    },
  };
}
