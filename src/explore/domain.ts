// Builds the analyst's exploration domains (explore, networks, damages, cases, customs) over one
// database: their stores, the network service whose hook ingest calls, and their resolvers.
import type { IResolvers } from '@graphql-tools/utils';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../server/logger.js';
import type { NodeRegistry } from '../server/node-registry.js';
import { CaseStore } from '../cases/store.js';
import { createCaseResolvers } from '../cases/resolvers.js';
import { CustomsStore } from '../customs/store.js';
import { createCustomsResolvers } from '../customs/resolvers.js';
import { DamagesStore } from '../damages/store.js';
import { createDamagesResolvers } from '../damages/resolvers.js';
import { createNetworkResolvers } from '../networks/resolvers.js';
import { NetworkService } from '../networks/service.js';
import { NetworkStore } from '../networks/store.js';
import { createExploreResolvers } from './resolvers.js';
import { ExploreStore } from './store.js';

export interface ExplorationDomains {
  networks: NetworkService;
  resolvers: IResolvers[];
}

export function createExplorationDomains(deps: {
  config: Config;
  db: Database;
  logger: Logger;
  nodes: NodeRegistry;
}): ExplorationDomains {
  const networks = new NetworkService({
    db: deps.db,
    logger: deps.logger,
    settings: deps.config.networks,
    defaultRegion: deps.config.ingest.defaultRegion,
  });
  const explore = new ExploreStore(deps.db);
  const networkStore = new NetworkStore(deps.db);
  return {
    networks,
    resolvers: [
      createExploreResolvers({ store: explore, defaultRegion: deps.config.ingest.defaultRegion }),
      createNetworkResolvers({
        store: networkStore,
        service: networks,
        explore,
        nodes: deps.nodes,
      }),
      createDamagesResolvers({ store: new DamagesStore(deps.db), networks: networkStore }),
      createCaseResolvers({ store: new CaseStore(deps.db) }),
      createCustomsResolvers({ store: new CustomsStore(deps.db) }),
    ] as IResolvers[],
  };
}
