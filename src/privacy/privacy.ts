// Builds the privacy domain at composition time (main.ts): on an association, the OPRF evaluator
// service; on every node, the tokenizer with its per-identifier cache, sharing of indicator
// bundles through the federation outbox, the inbound bundle handler, cross-brand matches, the
// partner query and PSI. Nothing here runs until called.
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { RateLimiter } from '../auth/rate-limiter.js';
import { signRequestToken } from '../federation/envelope.js';
import type { Federation } from '../federation/federation.js';
import type { CurrentMarking } from '../federation/sharing-policy.js';
import { PayloadRejectedError } from '../federation/message-handlers.js';
import type { Principal } from '../server/context.js';
import { RateLimitedError, BadUserInputError } from '../server/errors.js';
import type { Logger } from '../server/logger.js';
import type { Route } from '../server/routes.js';
import {
  buildBundles,
  bundlePayloadSchema,
  INDICATOR_KINDS,
  INDICATORS_MESSAGE_TYPE,
  knownIndicators,
  type BundleItem,
  type ShareRow,
} from './indicators.js';
import { OprfKeySource } from './oprf-keys.js';
import { oprfRoutes, OprfService } from './oprf-service.js';
import { psiRoutes, runPsi } from './psi-service.js';
import { PrivacyStore } from './store.js';
import { parseToken } from './token.js';
import { httpEvaluator, localEvaluator, Tokenizer, type OprfEvaluator } from './tokenizer.js';

const TOKENIZE_PAGE = 1000;
const SHARE_PAGE = 5000;
/** Tokens one partner query may ask about. */
export const MAX_QUERY_TOKENS = 1000;

export interface ShareResult {
  keyId: string;
  version: number;
  items: number;
  peers: string[];
  messages: number;
}

export interface Privacy {
  store: PrivacyStore;
  tokenizer: Tokenizer;
  routes: Route[];
  /** Tokenizes every identifier that has no token under the association's current key. */
  tokenizeAll(): Promise<{ keyId: string; tokenized: number }>;
  /** tokenizeAll, then forgets tokens of earlier keys. */
  retokenize(): Promise<{ keyId: string; tokenized: number; dropped: number }>;
  /** Tokenizes what is missing and queues the bundle to each peer (default: every active peer). */
  share(options?: { peerIds?: readonly string[] }): Promise<ShareResult>;
  /** The partner query: which of these tokens the node knows, with coarse context. */
  lookup(principal: Principal, tokens: readonly string[]): Promise<BundleItem[]>;
  /** PSI with a partner brand, as initiator. */
  psi(
    peerId: string,
    kinds: readonly string[],
  ): Promise<{ ourSize: number; theirSize: number; shared: { kind: string; key: string }[] }>;
  stop(): Promise<void>;
}

export interface PrivacyDeps {
  config: Config;
  db: Database;
  logger: Logger;
  federation: Federation;
  principalOf: (request: Request) => Principal;
  /** Replaces the association client (tests, benchmarks). */
  evaluator?: OprfEvaluator;
  fetch?: typeof fetch;
}

export function createPrivacy(deps: PrivacyDeps): Privacy {
  const { config, db, logger, federation } = deps;
  const p = config.privacy;
  const store = new PrivacyStore(db);
  const limiter = new RateLimiter();
  const isAssociation = config.node.role === 'association';
  const keys = isAssociation
    ? new OprfKeySource({
        path: p.oprfSecretFile,
        period: p.oprfPeriod,
        create: config.env !== 'production',
      })
    : undefined;

  /** A registered, active peer and a signer of single-use request tokens addressed to it. */
  const peerEndpoint = async (peerId: string, role?: 'association' | 'partner') => {
    const peer = await federation.peers.get(peerId);
    if (!peer || peer.status !== 'active' || (role !== undefined && peer.role !== role)) {
      throw new BadUserInputError(
        `${peerId} is not an active ${role ?? ''} peer`.replace('  ', ' '),
      );
    }
    return {
      baseUrl: peer.baseUrl,
      requestToken: async () =>
        signRequestToken({
          issuerId: config.node.id,
          signingKey: await federation.keys.signingKey(),
          audienceId: peer.id,
        }),
    };
  };
  const associationId = async (): Promise<string> => {
    if (p.oprfAssociation !== undefined) return p.oprfAssociation;
    const { peers } = await federation.peers.list({ status: 'active', limit: 500, offset: 0 });
    const a = peers.find((x) => x.role === 'association');
    if (!a) throw new BadUserInputError('no active association peer evaluates this node’s tokens');
    return a.id;
  };
  const evaluator =
    deps.evaluator ??
    (keys
      ? localEvaluator(keys)
      : httpEvaluator({
          association: async () => peerEndpoint(await associationId(), 'association'),
          ...(deps.fetch && { fetch: deps.fetch }),
        }));
  const tokenizer = new Tokenizer(evaluator);

  // Inbound bundles from any peer; receivers keep only tokens and the coarse context.
  federation.handlers.register(INDICATORS_MESSAGE_TYPE, {
    from: ['partner', 'association'],
    async handle(tx, message) {
      const parsed = bundlePayloadSchema.safeParse(message.payload);
      if (!parsed.success) throw new PayloadRejectedError('not a valid indicator bundle');
      const matches = await store.applyBundle(tx, message.senderId, parsed.data);
      // Counts only: never tokens.
      logger.info(
        {
          peer: message.senderId,
          items: parsed.data.items.length,
          part: parsed.data.part,
          matches,
        },
        matches === null ? 'stale indicator bundle ignored' : 'indicator bundle applied',
      );
    },
  });
  // The exit point re-reads each indicator's marking from its identifier just before sending.
  federation.markings.register('ind', async (tx, refs) => {
    const rows = await tx.run('privacy/markings-read', {
      refs: [...refs],
      defaultTlp: p.shareDefaultTlp,
    });
    const out = new Map<string, CurrentMarking>();
    for (const r of rows) {
      out.set(String(r['ref']), {
        tlp: String(r['tlp']),
        audiences: Array.isArray(r['audiences']) ? r['audiences'].map(String) : [],
      });
    }
    return out;
  });

  const tokenizeAll = async (): Promise<{ keyId: string; tokenized: number }> => {
    let keyId = await tokenizer.currentKeyId();
    let tokenized = 0;
    for (;;) {
      const todo = await store.identifiersWithoutToken(keyId, TOKENIZE_PAGE);
      if (todo.length === 0) return { keyId, tokenized };
      const batch = await tokenizer.tokenize(todo);
      if (batch.keyId !== keyId) {
        // The association moved to a new period meanwhile: start over under the new key.
        keyId = batch.keyId;
        continue;
      }
      await store.storeOwnTokens(
        keyId,
        todo.map((t, i) => ({ kind: t.kind, key: t.key, token: batch.tokens[i] ?? '' })),
      );
      tokenized += todo.length;
    }
  };

  const routes: Route[] = [];
  if (keys) {
    const service = new OprfService({
      keys,
      limiter,
      pointsPerHour: p.oprfPointsPerHour,
      audit: federation.audit,
      logger,
    });
    routes.push(...oprfRoutes(service, keys, deps.principalOf));
  }
  routes.push(
    ...psiRoutes({
      store,
      audit: federation.audit,
      limiter,
      maxItems: p.psiMaxItems,
      principalOf: deps.principalOf,
    }),
  );

  return {
    store,
    tokenizer,
    routes,
    tokenizeAll,
    async retokenize() {
      const done = await tokenizeAll();
      const dropped = await store.dropOtherKeyTokens(done.keyId);
      return { ...done, dropped };
    },
    async share(options = {}) {
      const { keyId } = await tokenizeAll();
      const rows: ShareRow[] = [];
      for (let offset = 0; ; offset += SHARE_PAGE) {
        const page = await store.shareRows(keyId, { offset, limit: SHARE_PAGE });
        rows.push(...page);
        if (page.length < SHARE_PAGE) break;
      }
      let peerIds = options.peerIds ? [...options.peerIds] : undefined;
      if (!peerIds) {
        const { peers } = await federation.peers.list({ status: 'active', limit: 500, offset: 0 });
        peerIds = peers.map((x) => x.id);
      }
      const version = Date.now();
      let messages = 0;
      let items = 0;
      for (const peerId of peerIds) {
        const bundles = buildBundles({
          rows,
          keyId,
          version,
          discloseIdentity:
            p.discloseIdentityTo.includes('*') || p.discloseIdentityTo.includes(peerId),
          defaultTlp: p.shareDefaultTlp,
        });
        items = bundles.reduce((n, b) => n + b.payload.items.length, 0);
        await db.writeTransaction(async (tx) => {
          for (const b of bundles) {
            await federation.outbox.enqueue(tx, {
              peerId,
              messageType: INDICATORS_MESSAGE_TYPE,
              payload: b.payload,
              items: b.items,
            });
          }
        });
        messages += bundles.length;
      }
      logger.info({ peers: peerIds.length, items, messages }, 'indicator bundles queued');
      return { keyId, version, items, peers: peerIds, messages };
    },
    async lookup(principal, tokens) {
      const peer = principal.peerId ?? principal.subject;
      if (tokens.length > MAX_QUERY_TOKENS) {
        throw new BadUserInputError(`at most ${MAX_QUERY_TOKENS} tokens per query`);
      }
      for (const t of tokens) parseToken(t);
      const hourly = p.partnerQueryTokensPerHour;
      const taken = limiter.take(
        `pq:${peer}`,
        { perSecond: hourly / 3600, burst: hourly },
        Math.max(1, tokens.length),
      );
      if (!taken.ok) {
        await federation.audit.record({
          kind: 'query',
          peer,
          messageType: 'palisade.indicators.lookup',
          reason: 'RATE_LIMITED',
          detail: { tokens: tokens.length },
        });
        throw new RateLimitedError(taken.retryAfterSeconds);
      }
      const rows = await store.knownTokens([...new Set(tokens)], p.shareDefaultTlp);
      const known = knownIndicators(rows, p.shareDefaultTlp);
      await federation.audit.record({
        kind: 'query',
        peer,
        messageType: 'palisade.indicators.lookup',
        reason: 'ANSWERED',
        detail: { tokens: tokens.length, known: known.length },
      });
      return known;
    },
    async psi(peerId, kinds) {
      for (const k of kinds) {
        if (!(INDICATOR_KINDS as readonly string[]).includes(k)) {
          throw new BadUserInputError(`unknown identifier kind ${k}`);
        }
      }
      return runPsi(
        {
          store,
          maxItems: p.psiMaxItems,
          peer: await peerEndpoint(peerId, 'partner'),
          ...(deps.fetch && { fetch: deps.fetch }),
        },
        kinds,
      );
    },
    async stop() {
      await keys?.dispose();
    },
  };
}
