// Builds the interop domain at composition time (main.ts): the STIX exporter, the TAXII 2.1 routes in
// front of it, and the STIX importer (through the node's ingestor) with its mutation. Nothing runs
// until a request or a command calls it.
import type { IResolvers } from '@graphql-tools/utils';
import type { Authenticate } from '../auth/principal.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Ingestor } from '../ingest/ingest.js';
import type { Logger } from '../server/logger.js';
import type { Route } from '../server/routes.js';
import { createInteropResolvers } from './resolvers.js';
import { createStixExporter, type StixExporter } from './stix/export.js';
import { createStixImporter, type StixImporter } from './stix/import.js';
import { taxiiRoutes } from './taxii/routes.js';

export interface Interop {
  stix: StixExporter;
  stixImport: StixImporter;
  routes: Route[];
  resolvers: IResolvers;
}

export function createInterop(deps: {
  config: Config;
  db: Database;
  logger: Logger;
  /** The node's authenticator of `Authorization: Bearer` requests (src/auth/security.ts). */
  authenticate: Authenticate;
  /** The node's ingestor (networks follow its batches): imports write through it. */
  ingestor: Ingestor;
}): Interop {
  const { config } = deps;
  const stix = createStixExporter(deps);
  const routes = taxiiRoutes({
    node: { id: config.node.id, name: config.node.name },
    publicUrl: config.http.publicUrl,
    tlpMax: config.interop.taxiiTlpMax,
    maxPage: config.interop.taxiiPageSize,
    maxContentLength: config.limits.maxBodyBytes,
    authenticate: deps.authenticate,
    // Peers only ever get the pseudonymous form.
    exportBundle: (tlpMax) => stix.export({ tlpMax, includeRaw: false }),
    logger: deps.logger,
  });
  const stixImport = createStixImporter(deps);
  return {
    stix,
    stixImport,
    routes,
    resolvers: createInteropResolvers({ importer: stixImport }),
  };
}
