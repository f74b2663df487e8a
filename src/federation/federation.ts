// Builds the federation domain from config and the database: keys, registry, inbox, outbox and its
// sender, audit, well-known routes, resolvers, peer authentication. main.ts calls this once.
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { RateLimiter } from '../auth/rate-limiter.js';
import { coarsenAddressToCity } from '../identifiers/address.js';
import type { Logger } from '../server/logger.js';
import type { Route } from '../server/routes.js';
import { AuditLog, type AuditListener } from './audit-log.js';
import { inboxRoute } from './inbox.js';
import { KeyRing } from './key-ring.js';
import { MarkingReaders } from './markings.js';
import { MessageHandlers } from './message-handlers.js';
import { Outbox } from './outbox.js';
import {
  createPeerAuthenticator,
  type PeerAuthenticator,
  type PeerRateLimiter,
} from './peer-auth.js';
import { PeerStore } from './peer-store.js';
import { PeerService } from './peers.js';
import { Neo4jReplayGuard, startPruneLoop } from './replay-store.js';
import { createFederationResolvers } from './resolvers.js';
import { wellKnownRoutes } from './well-known.js';
import { OutboxSender, type AttemptOutcome } from './sender.js';
import type { TransformHooks } from './sharing-policy.js';
import { TEST_NOTE_TYPE, testNoteHandler } from './test-note.js';

/** Counters the metrics layer may read or be told about. */
export interface FederationMetricsHooks {
  onRefused?: (reason: string) => void;
  onOutcome?: (outcome: AttemptOutcome) => void;
  onAudit?: AuditListener;
}

export interface Federation {
  keys: KeyRing;
  peers: PeerStore;
  peerService: PeerService;
  audit: AuditLog;
  outbox: Outbox;
  /** Domains register inbound message types here at composition time. */
  handlers: MessageHandlers;
  /** Domains whose items are not :Shareable nodes register their marking readers here. */
  markings: MarkingReaders;
  /** Set by the privacy domain; without it PSEUDONYMIZE transforms drop the field. */
  hooks: TransformHooks;
  sender: OutboxSender;
  routes: Route[];
  resolvers: ReturnType<typeof createFederationResolvers>;
  authenticatePeer: PeerAuthenticator;
  /** Starts the sender and prune loops (not in `listen: false` tests unless asked). */
  start(): void;
  stop(): Promise<void>;
}

export async function createFederation(deps: {
  config: Config;
  db: Database;
  logger: Logger;
  limiter?: PeerRateLimiter;
  metrics?: FederationMetricsHooks;
  fetch?: typeof fetch;
}): Promise<Federation> {
  const { config, db, logger } = deps;
  const f = config.federation;
  const keys = await KeyRing.open({ path: f.keyFile, create: f.createKeysOnStart });
  const peers = new PeerStore(db);
  const audit = new AuditLog(db, deps.metrics?.onAudit);
  const outbox = new Outbox(db, peers);
  const handlers = new MessageHandlers();
  if (f.testMessages) handlers.register(TEST_NOTE_TYPE, testNoteHandler);
  const markings = new MarkingReaders();
  const hooks: TransformHooks = { coarsenAddress: (v) => coarsenAddressToCity(v) };
  const peerService = new PeerService(
    db,
    peers,
    audit,
    { id: config.node.id, requireHttps: f.requireHttps },
    deps.fetch,
  );
  const sender = new OutboxSender({
    db,
    peers,
    audit,
    keys,
    markings,
    hooks,
    selfId: config.node.id,
    ttlSeconds: f.ttlSeconds,
    intervalMs: f.sendIntervalMs,
    maxBackoffMs: f.maxBackoffMs,
    logger,
    ...(deps.fetch && { fetch: deps.fetch }),
    ...(deps.metrics?.onOutcome && { onOutcome: deps.metrics.onOutcome }),
  });
  const onRefused = deps.metrics?.onRefused;
  const inbox = inboxRoute({
    db,
    peers,
    audit,
    keys,
    handlers,
    selfId: config.node.id,
    maxBytes: f.maxBytes,
    maxClockSkewSeconds: f.maxClockSkewSeconds,
    maxTtlSeconds: f.maxTtlSeconds,
    receiptRetentionSeconds: f.receiptRetentionSeconds,
    logger,
    ...(onRefused && { onRefused }),
  });
  const authenticatePeer = createPeerAuthenticator({
    selfId: config.node.id,
    peers,
    replayGuard: new Neo4jReplayGuard(db),
    audit,
    maxClockSkewSeconds: f.maxClockSkewSeconds,
    // Signed peer requests are rate-limited here, never unlimited (use-rate-limit skips them).
    limiter: deps.limiter ?? new RateLimiter(),
    defaultLimits: config.limits.peerRate,
    ...(onRefused && { onRefused }),
  });
  let prune: { stop(): void } | undefined;
  return {
    keys,
    peers,
    peerService,
    audit,
    outbox,
    handlers,
    markings,
    hooks,
    sender,
    routes: [...wellKnownRoutes(config, keys), inbox],
    resolvers: createFederationResolvers({ peers, peerService, audit, outbox }),
    authenticatePeer,
    start() {
      if (f.sender) sender.start();
      prune ??= startPruneLoop(db, {
        intervalMs: 60_000,
        onError: (e) => logger.warn({ err: e }, 'federation prune failed'),
      });
    },
    async stop() {
      prune?.stop();
      await sender.stop();
    },
  };
}
