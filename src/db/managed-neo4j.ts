// Starts and stops the project's own Neo4j (deploy/neo4j-launcher): one JVM serving one or
// more independent instances, each with its own directory and loopback Bolt port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const LAUNCHER_DIR = fileURLToPath(new URL('../../deploy/neo4j-launcher/', import.meta.url));
const MAIN_CLASS = 'org.palisade.neo4j.Launcher';

export class ManagedNeo4jError extends Error {
  override name = 'ManagedNeo4jError';
}

export interface InstanceSpec {
  name: string;
  /** 0 picks a free loopback port. */
  port: number;
}

export interface ManagedNeo4jOptions {
  /** Directory holding one sub-directory per instance. */
  home: string;
  instances: InstanceSpec[];
  password: string;
  heap?: string;
  pageCache?: string;
  /** See JitMode; defaults to PALISADE_NEO4J_JIT, else 'throughput'. */
  jit?: JitMode;
  startTimeoutMs?: number;
  /** Called with each line the JVM writes to stderr (its log). */
  onLog?: (line: string) => void;
}

export interface ManagedNeo4j {
  readonly pid: number;
  /** Bolt URI per instance name. */
  readonly uris: ReadonlyMap<string, string>;
  startInstance(spec: InstanceSpec): Promise<string>;
  stopInstance(name: string): Promise<void>;
  stop(): Promise<void>;
}

function hasCommand(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

function launcherIsBuilt(): boolean {
  const classes = join(
    LAUNCHER_DIR,
    'target',
    'classes',
    'org',
    'palisade',
    'neo4j',
    'Launcher.class',
  );
  const lib = join(LAUNCHER_DIR, 'target', 'lib');
  if (!existsSync(classes) || !existsSync(lib) || readdirSync(lib).length === 0) return false;
  const source = join(
    LAUNCHER_DIR,
    'src',
    'main',
    'java',
    'org',
    'palisade',
    'neo4j',
    'Launcher.java',
  );
  const pom = join(LAUNCHER_DIR, 'pom.xml');
  const builtAt = statSync(classes).mtimeMs;
  return statSync(source).mtimeMs <= builtAt && statSync(pom).mtimeMs <= builtAt;
}

/** Builds the launcher with Maven unless it is already built and up to date. */
export function buildLauncher(options: { force?: boolean; quiet?: boolean } = {}): void {
  if (!hasCommand('java', ['-version'])) {
    throw new ManagedNeo4jError(
      'Java was not found on PATH: the managed Neo4j needs a JDK 17+ (or set NEO4J_URI to a running Neo4j)',
    );
  }
  if (!options.force && launcherIsBuilt()) return;
  if (!hasCommand('mvn', ['-v'])) {
    throw new ManagedNeo4jError(
      'Maven (mvn) was not found on PATH: it builds the managed Neo4j launcher (or set NEO4J_URI to a running Neo4j)',
    );
  }
  const r = spawnSync('mvn', ['-B', '-q', 'package', '-DskipTests'], {
    cwd: LAUNCHER_DIR,
    stdio: options.quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    const detail = options.quiet
      ? `\n${(r.stdout ?? '').slice(-2000)}${(r.stderr ?? '').slice(-2000)}`
      : '';
    throw new ManagedNeo4jError(`Building the Neo4j launcher with Maven failed${detail}`);
  }
}

/** A free loopback port (the OS picks it; a tiny race remains until Neo4j binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * 'quick-start' stops the JIT at C1 and uses the serial collector: Neo4j is up sooner and
 * smaller, which suits short-lived test instances on a 2-core machine, but steady-state Cypher
 * runs several times slower. 'throughput' (the default) leaves the JVM's own choices.
 */
export type JitMode = 'quick-start' | 'throughput';

export function jitModeFromEnv(env: NodeJS.ProcessEnv = process.env): JitMode {
  const value = env['PALISADE_NEO4J_JIT'];
  if (value === undefined || value === '') return 'throughput';
  if (value === 'quick-start' || value === 'throughput') return value;
  throw new ManagedNeo4jError(
    `PALISADE_NEO4J_JIT must be "quick-start" or "throughput", not ${JSON.stringify(value)}`,
  );
}

export function launcherCommand(options: {
  home: string;
  instances: InstanceSpec[];
  heap: string;
  pageCache: string;
  jit?: JitMode;
  detached?: boolean;
}): { command: string; args: string[] } {
  const cp = [
    join(LAUNCHER_DIR, 'target', 'classes'),
    join(LAUNCHER_DIR, 'target', 'lib', '*'),
  ].join(':');
  const args = [
    `-Xmx${options.heap}`,
    ...((options.jit ?? 'throughput') === 'quick-start'
      ? ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1']
      : []),
    '-Xss2m',
    '-cp',
    cp,
    MAIN_CLASS,
    '--home',
    resolve(options.home),
    '--pagecache',
    options.pageCache,
    ...options.instances.flatMap((i) => ['--instance', `${i.name}:${i.port}`]),
    ...(options.detached ? ['--detached'] : []),
  ];
  return { command: 'java', args };
}

/** Starts the JVM and waits until every instance answers on its Bolt port. */
export async function startManagedNeo4j(options: ManagedNeo4jOptions): Promise<ManagedNeo4j> {
  buildLauncher({ quiet: true });
  mkdirSync(options.home, { recursive: true });
  const instances: InstanceSpec[] = [];
  for (const spec of options.instances) {
    instances.push({ name: spec.name, port: spec.port === 0 ? await freePort() : spec.port });
  }
  const { command, args } = launcherCommand({
    home: options.home,
    instances,
    heap: options.heap ?? '1g',
    pageCache: options.pageCache ?? '128m',
    jit: options.jit ?? jitModeFromEnv(),
  });
  const child: ChildProcess = spawn(command, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PALISADE_NEO4J_PASSWORD: options.password },
  });
  const uris = new Map<string, string>();
  const waiters: Array<(line: string) => boolean> = [];
  let exited = false;
  const stderrTail: string[] = [];

  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 30) stderrTail.shift();
    options.onLog?.(line);
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const started = /^STARTED (\S+) (\S+)$/.exec(line);
    if (started?.[1] && started[2]) uris.set(started[1], started[2]);
    const stopped = /^STOPPED (\S+)$/.exec(line);
    if (stopped?.[1]) uris.delete(stopped[1]);
    for (let i = 0; i < waiters.length; i++) {
      if (waiters[i]!(line)) {
        waiters.splice(i, 1);
        i--;
      }
    }
  });
  const exitPromise = new Promise<void>((r) =>
    child.on('exit', () => {
      exited = true;
      for (const w of waiters.splice(0)) w('EXIT');
      r();
    }),
  );
  // If this process dies, the JVM sees its stdin close and shuts itself down.
  const onExit = () => child.kill('SIGTERM');
  process.once('exit', onExit);

  const waitFor = (match: (line: string) => boolean, what: string, timeoutMs: number) =>
    new Promise<string>((resolveLine, reject) => {
      if (exited) {
        reject(new ManagedNeo4jError(`Neo4j exited before ${what}:\n${stderrTail.join('\n')}`));
        return;
      }
      const timer = setTimeout(() => {
        reject(new ManagedNeo4jError(`Neo4j did not report ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.push((line) => {
        if (line === 'EXIT') {
          clearTimeout(timer);
          reject(new ManagedNeo4jError(`Neo4j exited before ${what}:\n${stderrTail.join('\n')}`));
          return true;
        }
        const err = /^ERROR (\S+) (.*)$/.exec(line);
        if (err) {
          clearTimeout(timer);
          reject(new ManagedNeo4jError(`Neo4j instance ${err[1]} failed: ${err[2]}`));
          return true;
        }
        if (match(line)) {
          clearTimeout(timer);
          resolveLine(line);
          return true;
        }
        return false;
      });
    });

  const timeout = options.startTimeoutMs ?? 180_000;
  try {
    await waitFor((l) => l === 'READY', 'READY', timeout);
  } catch (e) {
    child.kill('SIGKILL');
    process.removeListener('exit', onExit);
    throw e;
  }

  const send = (line: string) => {
    if (!exited) child.stdin!.write(`${line}\n`);
  };

  return {
    pid: child.pid ?? -1,
    uris,
    async startInstance(spec) {
      const port = spec.port === 0 ? await freePort() : spec.port;
      const started = waitFor(
        (l) => l.startsWith(`STARTED ${spec.name} `),
        `start of ${spec.name}`,
        timeout,
      );
      send(`start ${spec.name} ${port}`);
      const line = await started;
      return line.split(' ')[2] ?? '';
    },
    async stopInstance(name) {
      const stopped = waitFor((l) => l === `STOPPED ${name}`, `stop of ${name}`, 60_000);
      send(`stop ${name}`);
      await stopped;
    },
    async stop() {
      process.removeListener('exit', onExit);
      if (exited) return;
      send('shutdown');
      child.stdin!.end();
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exitPromise;
      clearTimeout(killTimer);
    },
  };
}

/** The managed Neo4j's password: generated once per data directory, kept in a 0600 file. */
export function managedPassword(home: string): string {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const file = join(home, 'password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return password;
}
