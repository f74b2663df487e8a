// Builds the evidence domain from config, database and the node's key ring: blob store (directory
// or S3), TSA client, services, routes and resolvers. Used by main.ts and by the CLI commands.
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { createStatementSigner, type StatementSigner } from '../federation/signed-statements.js';
import type { Jwks } from '../federation/keys.js';
import type { SigningPrivateJwk } from '../federation/jwk-import.js';
import type { Principal } from '../server/context.js';
import type { Logger } from '../server/logger.js';
import type { Route } from '../server/routes.js';
import { DirectoryBlobStore, type BlobStore } from './blob-store.js';
import { DossierService } from './dossier.js';
import { evidenceDownloadRoutes } from './download-routes.js';
import { EvidenceService } from './evidence-service.js';
import { TestPurchaseStore } from './purchases.js';
import { createEvidenceResolvers } from './resolvers.js';
import { createS3Client, S3BlobStore } from './s3-blob-store.js';
import { createTsaClient } from './tsa.js';
import { evidenceUploadRoute } from './upload-route.js';
import { join } from 'node:path';

export interface EvidenceDomain {
  evidence: EvidenceService;
  dossiers: DossierService;
  purchases: TestPurchaseStore;
  signer: StatementSigner;
  /** Where uploads are staged (inside the directory store, so moves are atomic renames). */
  stagingDir: string;
  resolvers: ReturnType<typeof createEvidenceResolvers>;
  routes(principalOf: (request: Request) => Principal): Route[];
}

export function createEvidenceDomain(deps: {
  config: Config;
  db: Database;
  logger: Logger;
  keys: { signingKey(): Promise<SigningPrivateJwk>; jwks(): Promise<Jwks> };
  store?: BlobStore;
}): EvidenceDomain {
  const { config, db, logger } = deps;
  const cfg = config.evidence;
  const directory = new DirectoryBlobStore(cfg.dir);
  const store =
    deps.store ??
    (cfg.store === 's3' && cfg.s3 ? new S3BlobStore(createS3Client(cfg.s3), cfg.s3) : directory);
  const stagingDir = store === directory ? directory.stagingDir : join(cfg.dir, 'tmp');
  const signer = createStatementSigner(deps.keys);
  const evidence = new EvidenceService({
    db,
    store,
    signer,
    nodeId: config.node.id,
    defaultTlp: cfg.defaultTlp,
    logger,
    ...(cfg.tsa && { tsa: createTsaClient(cfg.tsa) }),
  });
  const dossiers = new DossierService({
    db,
    evidence,
    signer,
    nodeId: config.node.id,
    defaultTlp: cfg.defaultTlp,
    dir: cfg.dossierDir,
    logger,
  });
  const purchases = new TestPurchaseStore(db);
  return {
    evidence,
    dossiers,
    purchases,
    signer,
    stagingDir,
    resolvers: createEvidenceResolvers({ evidence, dossiers, purchases }),
    routes: (principalOf) => [
      evidenceUploadRoute({
        service: evidence,
        stagingDir,
        maxBytes: cfg.maxBytes,
        principalOf,
        logger,
      }),
      ...evidenceDownloadRoutes({ evidence, dossiers, principalOf, logger }),
    ],
  };
}
