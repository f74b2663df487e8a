// Builds the interop domain at composition time (main.ts): the STIX exporter and the TAXII 2.1
// routes in front of it. Nothing runs until a request or a command calls it.
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Principal } from '../server/context.js';
import type { Logger } from '../server/logger.js';
import type { Route } from '../server/routes.js';
import { createStixExporter, type StixExporter } from './stix/export.js';
import { taxiiRoutes } from './taxii/routes.js';

export interface Interop {
  stix: StixExporter;
  routes: Route[];
}

export function createInterop(deps: {
  config: Config;
  db: Database;
  logger: Logger;
  /** The node's authenticator of `Authorization: Bearer` requests (src/auth/security.ts). */
  authenticate: (request: Request) => Promise<Principal>;
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
  return { stix, routes };
}
