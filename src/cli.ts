// The `palisade` command line: start the node, manage the local Neo4j, migrate.
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig, type Config } from './config.js';
import { buildLauncher } from './db/managed-neo4j.js';
import { migrate } from './db/migrations.js';
import { connectDatabase, startNode, StartupError } from './main.js';
import { createLogger } from './server/logger.js';
import { daemonStart, daemonStatus, daemonStop } from './cli/neo4j-daemon.js';
import { registerIngestCommands } from './cli/ingest.js';
import { registerNetworkCommands } from './cli/networks.js';
import { EvidenceCliError, registerEvidenceCommands } from './cli/evidence.js';
import { registerFederationCommands } from './cli/federation.js';
import { registerPrivacyCommands } from './cli/privacy.js';
import { registerInteropCommands } from './cli/interop.js';
import { MappingError } from './ingest/mapping.js';
import { createToken, parseTtl } from './cli/token.js';

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

const token = program.command('token').description('API access tokens');
token
  .command('create')
  .description('print a new access token (at+jwt) signed by this node’s issuer key')
  .requiredOption('--role <role>', 'admin, analyst, viewer, partner or association')
  .option('--ttl <duration>', 'lifetime, e.g. 30m, 8h, 7d', '8h')
  .option('--subject <name>', 'who the token is for (logged with every request)', 'cli-user')
  .option('--peer <nodeId>', 'for partner/association service tokens: the peer node id')
  .action(async (opts: { role: string; ttl: string; subject: string; peer?: string }) => {
    console.log(
      await createToken(config(), {
        role: opts.role,
        ttlSeconds: parseTtl(opts.ttl),
        subject: opts.subject,
        ...(opts.peer !== undefined && { peerId: opts.peer }),
      }),
    );
  });

registerIngestCommands(program, config);
registerNetworkCommands(program, config);
registerEvidenceCommands(program, config);
registerFederationCommands(program, config);
registerPrivacyCommands(program, config);
registerInteropCommands(program, config);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode;
  } else if (
    e instanceof ConfigError ||
    e instanceof StartupError ||
    e instanceof MappingError ||
    e instanceof EvidenceCliError
  ) {
    console.error(`palisade: ${e.message}`);
    process.exitCode = 2;
  } else {
    console.error(`palisade: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
