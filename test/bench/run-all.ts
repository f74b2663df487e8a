// Every benchmark, one after another (npm run bench; JSON on stdout). Each runs alone through its
// own npm script (bench:<name>, package.json), so that no two share the machine's two cores or a
// Neo4j. BENCH_ONLY=ingest,explore picks some; the other BENCH_* settings pass through to each.
// Exits non-zero, naming the benchmark, when one fails or prints no JSON.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const BENCHES = ['envelopes', 'federation', 'load', 'ingest', 'explore'] as const;
type Bench = (typeof BENCHES)[number];

/** The benchmarks BENCH_ONLY names (all when unset); an unknown name is refused with the list. */
export function selectBenches(only: string | undefined): Bench[] {
  if (only === undefined || only.trim() === '') return [...BENCHES];
  const names = only
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(BENCHES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_ONLY: unknown benchmark ${unknown.join(', ')} (known: ${BENCHES.join(', ')})`,
    );
  }
  return BENCHES.filter((b) => names.includes(b));
}

/** The JSON document a benchmark printed: the last one starting at the beginning of a line. */
export function lastJsonDocument(stdout: string): unknown {
  const starts = [...stdout.matchAll(/^[{[]/gm)].map((m) => m.index);
  for (let i = starts.length - 1; i >= 0; i--) {
    try {
      return JSON.parse(stdout.slice(starts[i]));
    } catch {
      // Not a whole document from here: try the one before.
    }
  }
  throw new Error('printed no JSON');
}

async function runOne(bench: Bench): Promise<unknown> {
  const child = spawn('npm', ['run', '--silent', `bench:${bench}`], {
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (out += d));
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  if (code !== 0) throw new Error(`exited with ${signal ?? `code ${code}`}`);
  return lastJsonDocument(out);
}

async function main(): Promise<number> {
  const results: Record<string, unknown> = {};
  const failed: Record<string, string> = {};
  for (const bench of selectBenches(process.env['BENCH_ONLY'])) {
    const started = Date.now();
    process.stderr.write(`bench: ${bench}…\n`);
    try {
      results[bench] = await runOne(bench);
    } catch (e) {
      failed[bench] = e instanceof Error ? e.message : String(e);
    }
    process.stderr.write(`bench: ${bench} took ${Math.round((Date.now() - started) / 1000)} s\n`);
  }
  console.log(
    JSON.stringify({ results, ...(Object.keys(failed).length > 0 && { failed }) }, null, 2),
  );
  return Object.keys(failed).length > 0 ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = await main();
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}
