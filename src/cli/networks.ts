// The `palisade networks recompute` command: recomputes every infringer network from the graph
// (the baseline the incremental updates are measured against, and the repair after a failure).
import type { Command } from 'commander';
import type { Config } from '../config.js';
import { migrate } from '../db/migrations.js';
import { connectDatabase } from '../main.js';
import { NetworkService } from '../networks/service.js';
import { createLogger } from '../server/logger.js';

export function registerNetworkCommands(program: Command, config: () => Config): void {
  const networks = program.command('networks').description('infringer networks');
  networks
    .command('recompute')
    .description('recompute every network from the graph (ids kept where members stay together)')
    .action(async () => {
      const cfg = config();
      const logger = createLogger(cfg.logLevel === 'info' ? 'warn' : cfg.logLevel);
      const { db, cypher, managed } = await connectDatabase(cfg, logger);
      try {
        await migrate({ db, cypher, logger });
        const started = Date.now();
        const service = new NetworkService({
          db,
          logger,
          settings: cfg.networks,
          defaultRegion: cfg.ingest.defaultRegion,
        });
        const s = await service.recompute();
        console.log(
          JSON.stringify({
            ms: Date.now() - started,
            members: s.visited,
            created: s.created.length,
            kept: s.kept.length,
            merged: s.absorbed.length,
            dissolved: s.dissolved.length,
            detached: s.detached,
          }),
        );
      } finally {
        await db.close();
        await managed?.stop();
      }
    });
}
