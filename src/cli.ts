// The `palisade` command line: start the node, manage the local Neo4j, migrate.
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig, type Config } from './config.js';
import { buildLauncher } from './db/managed-neo4j.js';
import { migrate } from './db/migrations.js';
import { connectDatabase, startNode, StartupError } from './main.js';
import { createLogger } from './server/logger.js';
import { daemonStart, daemonStatus, daemonStop } from './cli/neo4j-daemon.js';

function config(): Config {
  return loadConfig(process.env);
}

const program = new Command();
program
  .name('palisade')
  .description('Palisade anti-counterfeiting intelligence node')
  .exitOverride();

program
  .command('start')
  .description('start the node (and a managed Neo4j when NEO4J_URI is unset)')
  .action(async () => {
    const node = await startNode(config());
    let signalled = false;
    const shutdown = (signal: string) => {
      if (signalled) return;
      signalled = true;
      node.logger.info({ signal }, 'shutting down');
      node.stop().then(
        () => process.exit(0),
        (e: unknown) => {
          node.logger.error({ err: e }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  });

program
  .command('migrate')
  .description('apply pending schema migrations and exit')
  .action(async () => {
    const cfg = config();
    const logger = createLogger(cfg.logLevel);
    const { db, cypher, managed } = await connectDatabase(cfg, logger);
    try {
      const applied = await migrate({ db, cypher, logger });
      console.log(applied.length ? `applied ${applied.join(', ')}` : 'schema is up to date');
    } finally {
      await db.close();
      await managed?.stop();
    }
  });

const neo4j = program.command('neo4j').description('the managed local Neo4j');
neo4j
  .command('build')
  .description('build the Neo4j launcher with Maven (downloads Neo4j the first time)')
  .option('--force', 'rebuild even if up to date')
  .action((opts: { force?: boolean }) => {
    buildLauncher({ force: opts.force === true });
    console.log('Neo4j launcher is built');
  });
neo4j
  .command('start')
  .description('start the managed Neo4j in the background')
  .action(async () => console.log(await daemonStart(config())));
neo4j
  .command('stop')
  .description('stop the background managed Neo4j')
  .action(async () => console.log(await daemonStop(config())));
neo4j
  .command('status')
  .description('show whether the background managed Neo4j runs')
  .action(async () => {
    const status = await daemonStatus(config());
    console.log(status.text);
    process.exitCode = status.running ? 0 : 3;
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode;
  } else if (e instanceof ConfigError || e instanceof StartupError) {
    console.error(`palisade: ${e.message}`);
    process.exitCode = 2;
  } else {
    console.error(`palisade: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
