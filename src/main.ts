// The composition root: builds config-driven parts (Neo4j, stores, server) and wires them.
// Nothing else in the code base starts work or registers itself.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { IResolvers } from '@graphql-tools/utils';
import type { Config } from './config.js';
import { CypherLibrary } from './db/cypher.js';
import { Database } from './db/database.js';
import { isMigrated, migrate, readMigrations } from './db/migrations.js';
import { managedPassword, startManagedNeo4j, type ManagedNeo4j } from './db/managed-neo4j.js';
import type { PeerAuthenticator } from './auth/principal.js';
import { RateLimiter } from './auth/rate-limiter.js';
import { createSecurity } from './auth/security.js';
import type { AccessTokenIssuer } from './federation/access-tokens.js';
import { createFederation, type Federation } from './federation/federation.js';
import { MissingKeysError } from './federation/key-ring.js';
import { createApp } from './server/app.js';
import { createReadiness, healthRoutes } from './server/health.js';
import { createLogger, type Logger } from './server/logger.js';
import { Metrics } from './server/metrics.js';
import { NodeRegistry } from './server/node-registry.js';
import { TrustedDocumentsError } from './server/use-trusted-documents.js';
import type { Route } from './server/routes.js';
import type { Yoga } from './server/yoga.js';
import { createSystemResolvers } from './system/resolvers.js';
import { createGraphResolvers } from './graph/resolvers.js';
import { createIngestor, type Ingestor } from './ingest/ingest.js';
import { createIngestResolvers } from './ingest/resolvers.js';
import { createExplorationDomains } from './explore/domain.js';
import { createPrivacy, type Privacy } from './privacy/privacy.js';
import { createPrivacyResolvers } from './privacy/resolvers.js';
import { createInterop, type Interop } from './interop/interop.js';
import { createAssociation, type Association } from './association/association.js';
import { createAssociationResolvers } from './association/resolvers.js';
import { createStixExporter } from './interop/stix/export.js';
import { principalOf } from './server/use-authentication.js';
import { webRoutes } from './web/serve.js';
import { createEvidenceDomain } from './evidence/domain.js';

export class StartupError extends Error {
  override name = 'StartupError';
}

export interface RunningNode {
  config: Config;
  logger: Logger;
  db: Database;
  yoga: Yoga;
  /** The node's Prometheus registry and recorders. */
  metrics: Metrics;
  /** Mints this node's access tokens (the CLI's `token create`; tests use it to call the node). */
  tokens: AccessTokenIssuer;
  /** Keys, peers, inbox/outbox and audit (issue 6). */
  federation: Federation;
  /** OPRF tokens, shared indicators, cross-brand matches, PSI (issue 7). */
  privacy: Privacy;
  /** STIX 2.1 export and import, and the TAXII 2.1 server (issue 8). */
  interop: Interop;
  /** Member reports, k-anonymous cross-brand reports (issue 8). */
  association: Association;
  /** The base URL the HTTP server listens on. */
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Skip listening on a port (in-process tests use yoga.fetch). */
  listen?: boolean;
}

/** Connects to Neo4j (starting the managed one when NEO4J_URI is unset) and waits for it. */
export async function connectDatabase(
  config: Config,
  logger: Logger,
): Promise<{ db: Database; cypher: CypherLibrary; managed?: ManagedNeo4j }> {
  const cypher = CypherLibrary.load();
  let managed: ManagedNeo4j | undefined;
  let uri = config.neo4j.uri;
  let password = config.neo4j.password;
  if (uri === undefined) {
    const home = join(config.dataDir, 'neo4j');
    password = managedPassword(home);
    logger.info({ home }, 'starting the managed Neo4j');
    const startedAt = Date.now();
    managed = await startManagedNeo4j({
      home,
      instances: [{ name: 'graph', port: config.neo4j.managed.boltPort }],
      password,
      heap: config.neo4j.managed.heap,
      pageCache: config.neo4j.managed.pageCache,
      jit: config.neo4j.managed.jit,
      onLog: (line) => logger.debug({ neo4j: line }, 'neo4j'),
    });
    uri = managed.uris.get('graph');
    logger.info({ uri, ms: Date.now() - startedAt }, 'managed Neo4j ready');
  }
  const db = new Database({
    uri: uri!,
    user: config.neo4j.user,
    password,
    ...(config.neo4j.database !== undefined && { database: config.neo4j.database }),
    connectTimeoutMs: config.neo4j.connectTimeoutMs,
    maxPoolSize: config.neo4j.maxPoolSize,
    logger,
    cypher,
  });
  try {
    await db.verifyConnectivity(config.neo4j.connectTimeoutMs);
  } catch (e) {
    await db.close();
    await managed?.stop();
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new StartupError(
      config.neo4j.uri !== undefined
        ? `NEO4J_URI ${config.neo4j.uri} is unreachable (or NEO4J_USER/NEO4J_PASSWORD are wrong): ${why}`
        : `The managed Neo4j did not answer: ${why}`,
    );
  }
  return { db, cypher, ...(managed && { managed }) };
}

/** Every domain's resolvers and routes; the one list to extend when a domain is added. */
function buildDomains(deps: {
  config: Config;
  db: Database;
  logger: Logger;
  nodes: NodeRegistry;
  metrics: Metrics;
  federation: Federation;
}): {
  resolvers: IResolvers[];
  routes: Route[];
  /** Verifies signed peer request tokens (federation); absent until that domain provides it. */
  peers?: PeerAuthenticator;
  /** OPRF tokens, shared indicators, matches, PSI (issue 7). */
  privacy: Privacy;
  /** Member reports and k-anonymous aggregation (issue 8). */
  association: Association;
  /** The node's ingestor, networks following its batches (the STIX import writes through it). */
  ingestor: Ingestor;
} {
  const privacy = createPrivacy({ ...deps, principalOf });
  const exploration = createExplorationDomains(deps);
  const evidence = createEvidenceDomain({ ...deps, keys: deps.federation.keys });
  const association = createAssociation({ ...deps, privacy });
  // Networks follow every committed batch (the one hook ingest calls).
  const ingestor = createIngestor({ ...deps, afterBatch: exploration.networks.afterBatch });
  return {
    privacy,
    association,
    ingestor,
    resolvers: [
      createSystemResolvers(deps),
      createGraphResolvers(deps),
      createIngestResolvers({ ingestor, nodes: deps.nodes }),
      ...exploration.resolvers,
      deps.federation.resolvers,
      createPrivacyResolvers({ privacy, nodes: deps.nodes }),
      evidence.resolvers,
      createAssociationResolvers({ association, stix: createStixExporter(deps) }),
    ],
    routes: [
      ...deps.federation.routes,
      ...privacy.routes,
      ...evidence.routes(principalOf),
      ...webRoutes(),
    ],
    peers: deps.federation.authenticatePeer,
  };
}

export async function startNode(config: Config, options: StartOptions = {}): Promise<RunningNode> {
  const logger = options.logger ?? createLogger(config.logLevel, { node: config.node.id });
  const { db, cypher, managed } = await connectDatabase(config, logger);
  let server: Server | undefined;
  try {
    await migrate({ db, cypher, logger });
    db.startHealthLoop();
    const migrations = readMigrations();
    let draining = false;
    const nodes = new NodeRegistry();
    const metrics = new Metrics({ database: () => db.stats() });
    // One set of token buckets: a peer's signed requests and its access tokens share its bucket.
    const limiter = new RateLimiter();
    const federation = await createFederation({
      config,
      db,
      logger,
      limiter,
      metrics: { onRefused: (reason) => metrics.envelopeRefusals.inc({ reason }) },
    }).catch((e: unknown) => {
      throw e instanceof MissingKeysError ? new StartupError(e.message) : e;
    });
    metrics.setOutboxProbe(() => federation.outbox.stats());
    const domains = buildDomains({ config, db, logger, nodes, metrics, federation });
    const security = await createSecurity({
      config,
      logger,
      metrics,
      limiter,
      ...(domains.peers && { peers: domains.peers }),
    }).catch((e: unknown) => {
      throw e instanceof TrustedDocumentsError ? new StartupError(e.message) : e;
    });
    // TAXII authenticates itself (it also takes HTTP Basic), so it is built after security.
    const interop = createInterop({
      config,
      db,
      logger,
      authenticate: security.authenticateLimited,
      ingestor: domains.ingestor,
    });
    const readiness = createReadiness(db, () => isMigrated(db, migrations));
    const yoga = createApp({
      logger,
      graphiql: config.http.graphiql,
      resolvers: [...domains.resolvers, interop.resolvers],
      routes: [
        ...healthRoutes(readiness, () => draining),
        ...security.routes,
        ...domains.routes,
        ...interop.routes,
      ],
      plugins: security.plugins,
      authenticate: (request) => security.principalOf(request),
      corsOrigins: config.http.corsOrigins,
      batchLimit: config.limits.maxBatch,
    });

    let url = config.http.publicUrl;
    if (options.listen !== false) {
      // yoga is a Node request listener; its returned promise is handled inside yoga.
      server = createServer((req, res) => void yoga(req, res));
      server.requestTimeout = 60_000;
      server.headersTimeout = 15_000;
      await new Promise<void>((resolve, reject) => {
        server!.once('error', (e: NodeJS.ErrnoException) =>
          reject(
            new StartupError(
              e.code === 'EADDRINUSE'
                ? `PALISADE_PORT ${config.http.port} is already in use on ${config.http.host}`
                : `Cannot listen on ${config.http.host}:${config.http.port} (PALISADE_HOST/PALISADE_PORT): ${e.message}`,
            ),
          ),
        );
        server!.listen(config.http.port, config.http.host, () => resolve());
      });
      const address = server.address();
      if (typeof address === 'object' && address !== null) {
        url = `http://${config.http.host}:${address.port}`;
      }
      logger.info(
        { url, role: config.node.role, nodeId: config.node.id },
        'palisade node listening',
      );
    }
    federation.start();

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        draining = true;
        logger.info('draining requests');
        if (server) {
          const closed = new Promise<void>((r) => server!.close(() => r()));
          server.closeIdleConnections();
          const force = setTimeout(() => server!.closeAllConnections(), 10_000);
          await closed;
          clearTimeout(force);
        }
        await federation.stop();
        await domains.privacy.stop();
        await db.close();
        await managed?.stop();
        logger.info('stopped');
      })();
      return stopping;
    };
    return {
      config,
      logger,
      db,
      yoga,
      metrics,
      tokens: security.issuer,
      federation,
      privacy: domains.privacy,
      interop,
      association: domains.association,
      url,
      stop,
    };
  } catch (e) {
    server?.close();
    await db.close();
    await managed?.stop();
    throw e;
  }
}
