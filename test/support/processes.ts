// Real `palisade` child processes for end-to-end tests: start one with an environment, wait for it,
// kill it (-9 when a crash is the point), and make sure none outlives the suite that started it.
import { spawn, type ChildProcess } from 'node:child_process';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls fn until it yields a truthy value; fn throwing counts as "not yet". */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false | null>,
  ms = 60_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export interface PalisadeProcess {
  child: ChildProcess;
  /** Everything written to stdout / stderr so far (for results and failure messages). */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code, or the signal that ended the process. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Every process the suites started, so that afterAll can kill the ones a failed test left behind.
 */
export class ProcessGroup {
  readonly #all = new Set<ChildProcess>();

  /** Runs `palisade ARGS` (src/bin/palisade.js) with the test's environment on top of this one's. */
  spawn(
    args: string[],
    env: Record<string, string>,
    label = args[0] ?? 'palisade',
  ): PalisadeProcess {
    const child = spawn(process.execPath, ['src/bin/palisade.js', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#all.add(child);
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (process.env['E2E_DEBUG']) process.stderr.write(`[${label}] ${d.toString()}`);
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.once('exit', (code, signal) => {
        this.#all.delete(child);
        r({ code, signal });
      }),
    );
    return { child, stdout: () => out, stderr: () => err, exited };
  }

  /** kill -9: the process gets no chance to finish anything it was doing. */
  async kill9(p: PalisadeProcess): Promise<void> {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await p.exited;
  }

  /** A clean stop (SIGTERM), escalating to SIGKILL after graceMs. */
  async stop(p: PalisadeProcess | undefined, graceMs = 15_000): Promise<void> {
    if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
    p.child.kill('SIGTERM');
    await Promise.race([p.exited, sleep(graceMs)]);
    await this.kill9(p);
  }

  /** For afterAll: SIGKILLs whatever is still running and waits for each to be gone. */
  async killAll(): Promise<void> {
    const left = [...this.#all];
    await Promise.all(
      left.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await Promise.race([gone, sleep(5_000)]);
      }),
    );
  }
}

/** Waits until the node on this port answers /readyz with 200. */
export async function untilReady(port: number, ms = 90_000): Promise<void> {
  await waitFor(
    `the node on port ${port} to be ready`,
    async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
    ms,
    200,
  );
}
