// Applies cypher/migrations/NNNN-*.cypher in order, once each, recorded in the graph; a lease
// keeps two nodes starting at once from running them together.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Neo4jError } from 'neo4j-driver';
import type { Logger } from '../server/logger.js';
import { CYPHER_DIR, type CypherLibrary } from './cypher.js';
import type { Database } from './database.js';

export interface Migration {
  id: string;
  checksum: string;
  statements: string[];
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

const FILE_PATTERN = /^(\d{4})-[a-z0-9-]+\.cypher$/;

/** Splits a migration file into statements: `;` at the end of a line ends one; `//` lines are comments. */
export function splitStatements(text: string): string[] {
  const withoutComments = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');
  return withoutComments
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function readMigrations(dir: string = join(CYPHER_DIR, 'migrations')): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cypher'))
    .sort();
  const seen = new Set<string>();
  return files.map((file) => {
    const match = FILE_PATTERN.exec(file);
    if (!match?.[1]) {
      throw new MigrationError(`Migration file ${file} must be named NNNN-name.cypher`);
    }
    if (seen.has(match[1])) throw new MigrationError(`Two migrations are numbered ${match[1]}`);
    seen.add(match[1]);
    const text = readFileSync(join(dir, file), 'utf8');
    return {
      id: file.replace(/\.cypher$/, ''),
      checksum: createHash('sha256').update(text).digest('hex'),
      statements: splitStatements(text),
    };
  });
}

function isEquivalentSchemaRule(e: unknown): boolean {
  return (
    e instanceof Neo4jError &&
    (e.code === 'Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists' ||
      e.code === 'Neo.ClientError.Schema.IndexAlreadyExists' ||
      e.code === 'Neo.ClientError.Schema.ConstraintAlreadyExists')
  );
}

export interface MigrateOptions {
  db: Database;
  cypher: CypherLibrary;
  logger: Logger;
  migrations?: Migration[];
  lockTtlMs?: number;
  waitMs?: number;
}

/** Brings the schema up to date; returns the ids applied by this call. Safe to call concurrently. */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  const { db, cypher, logger } = options;
  const migrations = options.migrations ?? readMigrations();
  const lockTtlMs = options.lockTtlMs ?? 120_000;
  const deadline = Date.now() + (options.waitMs ?? 180_000);
  const holder = randomUUID();

  for (const name of ['db/bootstrap-migration-constraint', 'db/bootstrap-lock-constraint']) {
    await runSchema(db, cypher.get(name));
  }

  // Take the lease; another migrator holds it only while it works, or until it expires.
  for (;;) {
    const [row] = await db.write('db/acquire-lock', {
      name: 'migrations',
      holder,
      now: Date.now(),
      ttlMs: lockTtlMs,
    });
    if (row?.['holder'] === holder) break;
    if (Date.now() > deadline) {
      throw new MigrationError('Timed out waiting for another node to finish migrating');
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  const applied: string[] = [];
  try {
    const done = new Map(
      (await db.read('db/applied-migrations')).map((r) => [String(r['id']), String(r['checksum'])]),
    );
    for (const migration of migrations) {
      const previous = done.get(migration.id);
      if (previous !== undefined) {
        if (previous !== migration.checksum) {
          throw new MigrationError(
            `Migration ${migration.id} was changed after it was applied; add a new migration instead`,
          );
        }
        continue;
      }
      for (const statement of migration.statements) await runSchema(db, statement);
      await db.write('db/record-migration', { id: migration.id, checksum: migration.checksum });
      applied.push(migration.id);
      logger.info({ migration: migration.id }, 'migration applied');
    }
  } finally {
    await db.write('db/release-lock', { name: 'migrations', holder });
  }
  return applied;
}

/** Whether every known migration is recorded as applied. */
export async function isMigrated(
  db: Database,
  migrations: Migration[] = readMigrations(),
): Promise<boolean> {
  const done = new Set((await db.read('db/applied-migrations')).map((r) => String(r['id'])));
  return migrations.every((m) => done.has(m.id));
}

async function runSchema(db: Database, statement: string): Promise<void> {
  try {
    await db.runSchemaStatement(statement);
  } catch (e) {
    // Two migrators racing on IF NOT EXISTS can still see the other's rule appear mid-flight.
    if (!isEquivalentSchemaRule(e)) throw e;
  }
}
