// STIX export as a service: reads the graph through the store and maps it; peers (TAXII) always get
// the pseudonymous form, only a local analyst may ask for raw observables.
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import type { Tlp } from '../../federation/sharing-policy.js';
import type { Principal } from '../../server/context.js';
import { ForbiddenError } from '../../server/errors.js';
import { buildBundle, type StixBundle } from './mapping.js';
import { StixExportStore } from './store.js';

/** Who may see raw identifier values in an export: the node's own analysts and admins. */
const RAW_READERS: ReadonlySet<Principal['role']> = new Set(['admin', 'analyst']);

export interface ExportRequest {
  tlpMax: Tlp;
  /** Raw observables: refused unless the caller is the node's own analyst or admin. */
  includeRaw?: boolean;
}

export interface StixExporter {
  /** Exports for a caller; `principal` undefined = the local CLI (the operator of the node). */
  export(request: ExportRequest, principal?: Principal): Promise<StixBundle>;
}

export function createStixExporter(deps: { config: Config; db: Database }): StixExporter {
  const store = new StixExportStore(deps.db, deps.config.privacy.shareDefaultTlp);
  const node = {
    id: deps.config.node.id,
    name: deps.config.node.name,
    role: deps.config.node.role,
  };
  return {
    async export(request, principal) {
      const includeRaw = request.includeRaw === true;
      if (includeRaw && principal !== undefined && !RAW_READERS.has(principal.role)) {
        throw new ForbiddenError('raw observables are only exported to the node’s own analysts');
      }
      const [indicators, networks, actions] = await Promise.all([
        store.indicators(includeRaw),
        store.networks(),
        store.actions(),
      ]);
      return buildBundle(
        { node, indicators, networks, actions },
        { tlpMax: request.tlpMax, includeRaw },
      );
    },
  };
}
