#!/usr/bin/env node
// Set-up that `npm run setup` and `npm test` rely on: npm packages, the Neo4j launcher (Maven),
// and the Python checkers the interop tests call. Idempotent; quick when all is in place.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  return r.status === 0 && !r.error;
};
const has = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0 && !r.error;
};

// 1. npm packages, when missing or older than the lock file.
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  if (!run('npm', ['ci', '--no-audit', '--no-fund'])) {
    console.error('setup: npm ci failed');
    process.exit(1);
  }
}

// 2. The managed Neo4j launcher (skipped when NEO4J_URI points at a server of your own).
if (!process.env.NEO4J_URI) {
  for (const [cmd, args, what] of [
    ['java', ['-version'], 'a JDK 17+ (java)'],
    ['mvn', ['-v'], 'Maven (mvn)'],
  ]) {
    if (!has(cmd, args)) {
      console.error(
        `setup: ${what} is needed to run the managed Neo4j; install it or set NEO4J_URI`,
      );
      process.exit(1);
    }
  }
  if (!run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'neo4j', 'build'])) process.exit(1);
}

// 3. Python checkers for interop tests (optional: those tests say so and skip without them).
const pyModules = ['jwcrypto', 'nacl', 'stix2validator', 'taxii2client'];
const pyPackages = ['jwcrypto', 'pynacl', 'stix2-validator', 'taxii2-client'];
if (has('python3', ['--version'])) {
  const missing = pyModules
    .map((m, i) => [m, pyPackages[i]])
    .filter(([m]) => !has('python3', ['-c', `import ${m}`]))
    .map(([, p]) => p);
  if (missing.length > 0) {
    const ok = run('python3', [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      ...missing,
    ]);
    if (!ok)
      console.warn(`setup: could not install ${missing.join(', ')}; interop tests will skip`);
  }
}

// 4. The analyst web app (served at /app/), when it has not been built yet.
if (!existsSync(join(root, 'src', 'web', 'dist', 'index.html'))) {
  if (!run('npm', ['run', 'build:web']))
    console.warn('setup: the web app did not build; /app/ will say so');
}
