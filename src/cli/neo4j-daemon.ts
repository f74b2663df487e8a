// `palisade neo4j start|stop|status`: the managed Neo4j as a background process with a pid file.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { buildLauncher, launcherCommand, managedPassword } from '../db/managed-neo4j.js';

function paths(config: Config) {
  const home = join(config.dataDir, 'neo4j');
  return {
    home,
    pid: join(home, 'launcher.pid'),
    out: join(home, 'launcher.out'),
    err: join(home, 'launcher.log'),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function runningPid(config: Config): number | null {
  const p = paths(config);
  if (!existsSync(p.pid)) return null;
  const pid = Number(readFileSync(p.pid, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
}

export async function daemonStart(config: Config): Promise<string> {
  const p = paths(config);
  const existing = runningPid(config);
  if (existing)
    return `already running (pid ${existing}) on bolt://127.0.0.1:${config.neo4j.managed.boltPort}`;
  buildLauncher({ quiet: false });
  const password = managedPassword(p.home);
  const { command, args } = launcherCommand({
    home: p.home,
    instances: [{ name: 'graph', port: config.neo4j.managed.boltPort }],
    heap: config.neo4j.managed.heap,
    pageCache: config.neo4j.managed.pageCache,
    jit: config.neo4j.managed.jit,
    detached: true,
  });
  const out = openSync(p.out, 'w');
  const err = openSync(p.err, 'a');
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', out, err],
    env: { ...process.env, PALISADE_NEO4J_PASSWORD: password },
  });
  closeSync(out);
  closeSync(err);
  child.unref();
  writeFileSync(p.pid, String(child.pid));
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const text = existsSync(p.out) ? readFileSync(p.out, 'utf8') : '';
    if (/^READY$/m.test(text)) {
      return `started (pid ${child.pid}) on bolt://127.0.0.1:${config.neo4j.managed.boltPort}; user neo4j, password in ${join(p.home, 'password')}`;
    }
    const failed = /^ERROR .*$/m.exec(text);
    if (failed || !alive(child.pid!)) {
      rmSync(p.pid, { force: true });
      throw new Error(`Neo4j failed to start: ${failed?.[0] ?? `see ${p.err}`}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Neo4j did not become ready within 180 s; see ${p.err}`);
}

export async function daemonStop(config: Config): Promise<string> {
  const p = paths(config);
  const pid = runningPid(config);
  if (!pid) {
    rmSync(p.pid, { force: true });
    return 'not running';
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(p.pid, { force: true });
  return `stopped (pid ${pid})`;
}

export async function daemonStatus(config: Config): Promise<{ running: boolean; text: string }> {
  const pid = runningPid(config);
  if (!pid) return { running: false, text: 'not running' };
  const port = config.neo4j.managed.boltPort;
  const listening = await new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  return {
    running: listening,
    text: listening
      ? `running (pid ${pid}) on bolt://127.0.0.1:${port}`
      : `process ${pid} alive but Bolt port ${port} is closed`,
  };
}
