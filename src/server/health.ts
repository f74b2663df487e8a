// /healthz (the process answers) and /readyz (Neo4j reachable and migrated).
import type { Database } from '../db/database.js';
import { json, type Route } from './routes.js';

export interface Readiness {
  check(): Promise<{ ready: boolean; checks: Record<string, boolean> }>;
}

export function createReadiness(db: Database, isMigrated: () => Promise<boolean>): Readiness {
  let migrated = false;
  return {
    async check() {
      let neo4j = false;
      try {
        neo4j = await withTimeout(db.ping(), 2_000);
      } catch {
        neo4j = false;
      }
      if (neo4j && !migrated) {
        try {
          migrated = await withTimeout(isMigrated(), 2_000);
        } catch {
          migrated = false;
        }
      }
      return { ready: neo4j && migrated, checks: { neo4j, migrated } };
    },
  };
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(readiness: Readiness, isDraining: () => boolean): Route[] {
  return [
    { method: 'GET', path: '/healthz', handle: () => json({ status: 'ok' }) },
    {
      method: 'GET',
      path: '/readyz',
      async handle() {
        if (isDraining()) return json({ status: 'draining', checks: {} }, 503);
        const { ready, checks } = await readiness.check();
        return json({ status: ready ? 'ready' : 'not ready', checks }, ready ? 200 : 503);
      },
    },
  ];
}
