// A lean entry for `palisade import` and `palisade generate`: the same commands as src/cli.ts,
// without loading the GraphQL server, auth and federation (≈130 MB of modules), so that
// importing a million rows stays well under 300 MB of resident memory.
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { MappingError } from '../ingest/mapping.js';
import { registerIngestCommands } from './ingest.js';

const program = new Command()
  .name('palisade')
  .description('Palisade anti-counterfeiting intelligence node')
  .exitOverride();
registerIngestCommands(program, () => loadConfig(process.env));

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode;
  } else if (e instanceof ConfigError || e instanceof MappingError) {
    console.error(`palisade: ${e.message}`);
    process.exitCode = 2;
  } else {
    console.error(`palisade: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
