// One managed Neo4j JVM per test run, with one instance per test worker (or NEO4J_URI when set).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startManagedNeo4j } from '../../src/db/managed-neo4j.js';

export const TEST_PASSWORD = 'palisade-test-password';
const WORKERS = 1;

declare module 'vitest' {
  export interface ProvidedContext {
    neo4j: { uris: string[]; user: string; password: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env['NEO4J_URI'];
  if (external) {
    project.provide('neo4j', {
      uris: [external],
      user: process.env['NEO4J_USER'] ?? 'neo4j',
      password: process.env['NEO4J_PASSWORD'] ?? '',
    });
    return () => Promise.resolve();
  }
  const home = mkdtempSync(join(tmpdir(), 'palisade-test-neo4j-'));
  const managed = await startManagedNeo4j({
    home,
    instances: Array.from({ length: WORKERS }, (_, i) => ({ name: `w${i + 1}`, port: 0 })),
    password: TEST_PASSWORD,
    heap: '1g',
    pageCache: '64m',
    // Short-lived and small: start fast rather than run fast.
    jit: 'quick-start',
  });
  project.provide('neo4j', {
    uris: Array.from({ length: WORKERS }, (_, i) => managed.uris.get(`w${i + 1}`)!),
    user: 'neo4j',
    password: TEST_PASSWORD,
  });
  return async () => {
    await managed.stop();
    rmSync(home, { recursive: true, force: true });
  };
}
