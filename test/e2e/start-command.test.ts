import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/db/managed-neo4j.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function javaPidsUnder(home: string): number[] {
  const out = execSync('ps -eo pid,args', { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes('org.palisade.neo4j.Launcher') && l.includes(home))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

describe('`palisade start` with no NEO4J_URI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'palisade-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('brings up the node with a managed Neo4j, becomes ready, and SIGTERM stops both', async () => {
    const [httpPort, boltPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, ['src/bin/palisade.js', 'start'], {
      env: {
        ...process.env,
        NEO4J_URI: '',
        PALISADE_DATA_DIR: dataDir,
        PALISADE_PORT: String(httpPort),
        PALISADE_NEO4J_BOLT_PORT: String(boltPort),
        PALISADE_NEO4J_HEAP: '512m',
        PALISADE_NEO4J_PAGECACHE: '32m',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      let ready = false;
      for (let i = 0; i < 240 && !ready; i++) {
        try {
          ready = (await fetch(`http://127.0.0.1:${httpPort}/readyz`)).status === 200;
        } catch {
          /* not listening yet */
        }
        if (!ready) await new Promise((r) => setTimeout(r, 500));
      }
      expect(ready, stderr).toBe(true);
      const jvms = javaPidsUnder(dataDir);
      expect(jvms).toHaveLength(1);

      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(jvms.filter(alive)).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      for (const pid of javaPidsUnder(dataDir)) process.kill(pid, 'SIGKILL');
    }
  });

  it('fails fast, naming the setting, when NEO4J_URI is unreachable', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['src/bin/palisade.js', 'start'], {
      env: {
        ...process.env,
        NEO4J_URI: `bolt://127.0.0.1:${port}`,
        NEO4J_PASSWORD: 'x',
        NEO4J_CONNECT_TIMEOUT_MS: '1500',
        PALISADE_PORT: String(await freePort()),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(stderr).toMatch(/NEO4J_URI bolt:\/\/127\.0\.0\.1:\d+ is unreachable/);
  });

  it('refuses a bad role before starting anything', async () => {
    const child = spawn(process.execPath, ['src/bin/palisade.js', 'start'], {
      env: { ...process.env, PALISADE_ROLE: 'police', PALISADE_PORT: '99999' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(stderr).toMatch(/PALISADE_ROLE must be one of/);
    expect(stderr).toMatch(/PALISADE_PORT must be between 1 and 65535/);
  });
});
