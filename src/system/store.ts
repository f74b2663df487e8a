// Reads facts about the Neo4j server and the schema version.
import type { Database } from '../db/database.js';
import { z } from 'zod';

const ComponentRow = z.object({ name: z.string(), version: z.string(), edition: z.string() });
const MigrationRow = z.object({ id: z.string() });

export interface ServerInfo {
  version: string;
  edition: string;
  migrations: string[];
}

export class SystemStore {
  constructor(private readonly db: Database) {}

  async serverInfo(): Promise<ServerInfo> {
    const [components, migrations] = await Promise.all([
      this.db.read('system/server-components'),
      this.db.read('db/applied-migrations'),
    ]);
    const kernel = components
      .map((r) => ComponentRow.parse(r))
      .find((c) => c.name === 'Neo4j Kernel');
    return {
      version: kernel?.version ?? 'unknown',
      edition: kernel?.edition ?? 'unknown',
      migrations: migrations.map((r) => MigrationRow.parse(r).id),
    };
  }
}
