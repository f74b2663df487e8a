// The `palisade import` and `palisade generate` commands: file import with a progress bar,
// summary and rejects file; synthetic data with planted networks and their manifest.
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import type { Config } from '../config.js';
import { migrate } from '../db/migrations.js';
import { join } from 'node:path';
import { CypherLibrary } from '../db/cypher.js';
import { Database } from '../db/database.js';
import { managedPassword, startManagedNeo4j, type ManagedNeo4j } from '../db/managed-neo4j.js';
import { createLogger, type Logger } from '../server/logger.js';
import { generate } from '../ingest/generate.js';
import { importFile, type ImportSummary } from '../ingest/import.js';
import { createIngestor } from '../ingest/ingest.js';
import { NetworkService } from '../networks/service.js';
import { MappingError, parseMapping, type Mapping } from '../ingest/mapping.js';
import { holdMemoryNear } from './memory-ceiling.js';

/** Resident memory an import is kept near (its target is 300 MB for a million rows). */
const IMPORT_MEMORY_CEILING = 200 * 1024 * 1024;

interface ImportFlags {
  mapping?: string;
  format?: 'csv' | 'jsonl';
  rejects?: string;
  source?: string;
  region?: string;
  batchSize?: string;
  progress: boolean;
  json?: boolean;
}

function readMapping(path: string | undefined): Mapping {
  if (path === undefined) return parseMapping({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new MappingError(
      `Cannot read the mapping file ${path}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return parseMapping(raw);
}

/**
 * Connects like the node does (the managed Neo4j when NEO4J_URI is unset) without loading the
 * server: an import of a million rows keeps the process small.
 */
async function connect(
  cfg: Config,
  logger: Logger,
): Promise<{ db: Database; cypher: CypherLibrary; managed?: ManagedNeo4j }> {
  const cypher = CypherLibrary.load();
  let managed: ManagedNeo4j | undefined;
  let uri = cfg.neo4j.uri;
  let password = cfg.neo4j.password;
  if (uri === undefined) {
    const home = join(cfg.dataDir, 'neo4j');
    password = managedPassword(home);
    managed = await startManagedNeo4j({
      home,
      instances: [{ name: 'graph', port: cfg.neo4j.managed.boltPort }],
      password,
      heap: cfg.neo4j.managed.heap,
      pageCache: cfg.neo4j.managed.pageCache,
      jit: cfg.neo4j.managed.jit,
    });
    uri = managed.uris.get('graph') ?? '';
  }
  const db = new Database({
    uri,
    user: cfg.neo4j.user,
    password,
    ...(cfg.neo4j.database !== undefined && { database: cfg.neo4j.database }),
    connectTimeoutMs: cfg.neo4j.connectTimeoutMs,
    maxPoolSize: cfg.neo4j.maxPoolSize,
    logger,
    cypher,
  });
  try {
    await db.verifyConnectivity(cfg.neo4j.connectTimeoutMs);
  } catch (e) {
    await db.close();
    await managed?.stop();
    throw e;
  }
  return { db, cypher, ...(managed && { managed }) };
}

function printSummary(s: ImportSummary): void {
  console.log(
    [
      `imported ${s.file} (${s.format}) in ${s.seconds.toFixed(1)} s, ${s.recordsPerSecond} records/s`,
      `  records ${s.records}: accepted ${s.accepted}, rejected ${s.rejected}`,
      `  nodes created ${s.nodesCreated}, merged ${s.nodesMerged}`,
      `  relationships created ${s.relationshipsCreated}, merged ${s.relationshipsMerged}`,
      `  identifiers kept raw (not normalizable) ${s.unnormalizedIdentifiers}`,
      s.rejectsFile ? `  rejects and warnings: ${s.rejectsFile}` : '  no rejects',
    ].join('\n'),
  );
}

export function registerIngestCommands(program: Command, config: () => Config): void {
  program
    .command('import')
    .description('import a CSV or JSONL file into the graph (streamed, batched, idempotent)')
    .argument('<file>', 'the CSV or JSONL file')
    .option('-m, --mapping <file>', 'mapping file (JSON): columns → model fields; see MAPPING.md')
    .addOption(
      new Option('--format <format>', 'file format (default: by extension)').choices([
        'csv',
        'jsonl',
      ]),
    )
    .option('--rejects <file>', 'where refused rows go (default: <file>.rejects.jsonl)')
    .option('--source <name>', 'source name for rows and mapping that give none')
    .option('--region <code>', 'default phone region for rows that give none')
    .option('--batch-size <n>', 'records per transaction (default PALISADE_INGEST_BATCH_SIZE)')
    .option('--no-progress', 'no progress bar')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, flags: ImportFlags) => {
      const mapping = readMapping(flags.mapping);
      const cfg = config();
      const batchSize =
        flags.batchSize !== undefined ? Number(flags.batchSize) : cfg.ingest.batchSize;
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50_000) {
        throw new MappingError('--batch-size must be a whole number from 1 to 50000');
      }
      const logger = createLogger(cfg.logLevel === 'info' ? 'warn' : cfg.logLevel);
      const releaseMemory = holdMemoryNear(IMPORT_MEMORY_CEILING);
      const { db, cypher, managed } = await connect(cfg, logger);
      const bar =
        flags.progress && process.stderr.isTTY
          ? new cliProgress.SingleBar(
              {
                format:
                  'importing [{bar}] {percentage}% | {records} records, {rejected} rejected | {eta_formatted} left',
                stream: process.stderr,
                hideCursor: true,
              },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
      try {
        await migrate({ db, cypher, logger });
        const ingestor = createIngestor({
          db,
          logger,
          config: { ...cfg, ingest: { ...cfg.ingest, batchSize } },
          // Networks follow every committed batch, as they do for the GraphQL mutations.
          afterBatch: new NetworkService({
            db,
            logger,
            settings: cfg.networks,
            defaultRegion: cfg.ingest.defaultRegion,
          }).afterBatch,
        });
        bar?.start(1, 0, { records: 0, rejected: 0 });
        const summary = await importFile(ingestor, {
          file,
          mapping,
          ...(flags.format !== undefined && { format: flags.format }),
          rejectsFile: flags.rejects ?? `${file}.rejects.jsonl`,
          ...(flags.source !== undefined && { source: flags.source }),
          ...(flags.region !== undefined && { region: flags.region.toUpperCase() }),
          ...(bar && {
            onProgress: (p) => {
              bar.setTotal(Math.max(p.totalBytes, 1));
              bar.update(p.bytesRead, { records: p.records, rejected: p.rejected });
            },
          }),
        });
        bar?.stop();
        if (flags.json) console.log(JSON.stringify(summary));
        else printSummary(summary);
        if (summary.rejected > 0) process.exitCode = 4;
      } finally {
        bar?.stop();
        releaseMemory();
        await db.close();
        await managed?.stop();
      }
    });

  program
    .command('generate')
    .description('write deterministic synthetic JSONL with planted infringer networks')
    .requiredOption('--sellers <n>', 'number of sellers')
    .option('--seed <n>', 'random seed', '1')
    .option('--listings-per-seller <n>', 'listings per seller', '2')
    .option('--out <file>', 'output JSONL (default: stdout)')
    .option('--manifest <file>', 'where the planted networks go (default: <out>.manifest.json)')
    .action(
      async (flags: {
        sellers: string;
        seed: string;
        listingsPerSeller: string;
        out?: string;
        manifest?: string;
      }) => {
        const sellers = Number(flags.sellers);
        const seed = Number(flags.seed);
        const listingsPerSeller = Number(flags.listingsPerSeller);
        if (!Number.isInteger(sellers) || sellers < 1 || !Number.isInteger(seed)) {
          throw new MappingError(
            '--sellers must be a positive whole number and --seed a whole number',
          );
        }
        const { manifest, rows } = generate({ sellers, seed, listingsPerSeller });
        const out = flags.out !== undefined ? createWriteStream(flags.out) : process.stdout;
        for (const row of rows()) {
          if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
        }
        if (flags.out !== undefined) {
          out.end();
          await once(out, 'finish');
        }
        const manifestPath =
          flags.manifest ?? (flags.out !== undefined ? `${flags.out}.manifest.json` : undefined);
        if (manifestPath !== undefined) {
          writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
          console.error(
            `wrote ${manifest.rows} rows, ${manifest.networks.length} planted networks (${manifestPath})`,
          );
        }
      },
    );
}
