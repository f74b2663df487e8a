// `palisade stix export|import` and `palisade report send|publish`: run against the node's graph as
// the node's operator (a local export may include raw observables only with --raw).
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../config.js';
import { isTlp } from '../federation/sharing-policy.js';
import { DEFAULT_IMPORT_LIMITS, StixBundleError } from '../interop/stix/import-model.js';
import type { StixImportResult } from '../interop/stix/import.js';
import { startNode, type RunningNode } from '../main.js';
import { createLogger } from '../server/logger.js';

async function withNode<T>(cfg: Config, fn: (node: RunningNode) => Promise<T>): Promise<T> {
  const node = await startNode(cfg, { listen: false, logger: createLogger('warn') });
  try {
    return await fn(node);
  } finally {
    await node.stop();
  }
}

export function registerInteropCommands(program: Command, config: () => Config): void {
  const stix = program.command('stix').description('STIX 2.1 export and import');
  stix
    .command('export')
    .description(
      'write this node’s shareable content as a STIX 2.1 bundle (pseudonymous; RED never)',
    )
    .requiredOption('--out <file>', 'where to write the bundle')
    .option(
      '--tlp-max <tlp>',
      'most restrictive TLP exported: CLEAR, GREEN, AMBER, AMBER+STRICT',
      'AMBER',
    )
    .option(
      '--raw',
      'local analyst export: include raw observables (never give this file to peers)',
    )
    .action(async (opts: { out: string; tlpMax: string; raw?: boolean }) => {
      const tlpMax = opts.tlpMax.toUpperCase();
      if (!isTlp(tlpMax)) throw new Error('--tlp-max must be CLEAR, GREEN, AMBER or AMBER+STRICT');
      const bundle = await withNode(config(), (n) =>
        n.interop.stix.export({ tlpMax, includeRaw: opts.raw === true }),
      );
      writeFileSync(opts.out, `${JSON.stringify(bundle, null, 2)}\n`, { mode: 0o600 });
      console.log(`${bundle.objects.length} STIX objects written to ${opts.out}`);
    });

  stix
    .command('import')
    .description(
      'store a STIX 2.1 bundle (MISP, OpenCTI, another node) in this node’s graph, in one transaction',
    )
    .argument('<file>', 'the bundle (JSON)')
    .option('--source <name>', 'source of objects whose author the bundle does not name')
    .option('--json', 'print the full per-object result as JSON')
    .action(async (file: string, opts: { source?: string; json?: boolean }) => {
      const size = statSync(file).size;
      if (size > DEFAULT_IMPORT_LIMITS.maxBytes) {
        throw new StixBundleError(
          `${file} is ${size} bytes; at most ${DEFAULT_IMPORT_LIMITS.maxBytes} are read`,
        );
      }
      const text = readFileSync(file, 'utf8');
      const result = await withNode(config(), (n) =>
        n.interop.stixImport.import(text, {
          ...(opts.source !== undefined && { source: opts.source }),
        }),
      );
      if (opts.json) console.log(JSON.stringify(result, null, 2));
      else printImport(result);
      if (result.rejected > 0) process.exitCode = 4;
    });

  const report = program.command('report').description('association member reports');
  report
    .command('send')
    .description('brand: build the member report for a month and queue it to the association')
    .requiredOption('--period <yyyy-mm>', 'the reporting month, e.g. 2026-11')
    .action(async (opts: { period: string }) => {
      const r = await withNode(config(), (n) => n.association.sendReport(opts.period));
      console.log(
        `member report v${r.version} queued: ${r.indicators} indicators, ${r.networks} networks, ${r.cells} enforcement cells`,
      );
    });
  report
    .command('publish')
    .description('association: aggregate a month with k-anonymity and queue the report to members')
    .requiredOption('--period <yyyy-mm>', 'the reporting month, e.g. 2026-11')
    .action(async (opts: { period: string }) => {
      const r = await withNode(config(), (n) => n.association.publish(opts.period));
      console.log(
        `report v${r.version} from ${r.members} members queued to ${r.recipients}: ${r.indicators} indicators, ${r.networks} networks`,
      );
    });
}

function printImport(r: StixImportResult): void {
  console.log(
    `${r.bundleId}: ${r.objects} objects — ${r.imported} imported, ${r.merged} merged, ` +
      `${r.skipped} skipped, ${r.rejected} rejected (${r.nodesCreated} nodes and ` +
      `${r.relationshipsCreated} relationships created)`,
  );
  for (const o of r.results) {
    if (o.status === 'imported' || o.status === 'merged') {
      if (o.reason !== null)
        console.log(`  ${o.status} ${o.id ?? `objects[${o.index}]`}: ${o.reason}`);
      continue;
    }
    console.log(`  ${o.status} ${o.id ?? `objects[${o.index}]`}: ${o.reason ?? ''}`);
  }
}
