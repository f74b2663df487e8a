import { describe, expect, it } from 'vitest';
import { migrate, MigrationError, readMigrations } from '../../../src/db/migrations.js';
import { useTestGraph, wipe } from '../../support/test-graph.js';

describe('schema migrations on a real Neo4j', () => {
  const graph = useTestGraph();

  it('applies nothing the second time', async () => {
    const again = await migrate({ db: graph.db, cypher: graph.cypher, logger: graph.logger });
    expect(again).toEqual([]);
    const rows = await graph.db.read('db/applied-migrations');
    expect(rows.map((r) => r['id'])).toEqual(readMigrations().map((m) => m.id));
  });

  it('lets two nodes migrate at once without conflict or double records', async () => {
    await wipe(graph.db);
    const runs = await Promise.all([
      migrate({ db: graph.db, cypher: graph.cypher, logger: graph.logger }),
      migrate({ db: graph.db, cypher: graph.cypher, logger: graph.logger }),
      migrate({ db: graph.db, cypher: graph.cypher, logger: graph.logger }),
    ]);
    // Exactly one of them applied each migration; the others found them done.
    expect(runs.flat().sort()).toEqual(
      readMigrations()
        .map((m) => m.id)
        .sort(),
    );
    const rows = await graph.db.read('db/applied-migrations');
    expect(rows).toHaveLength(readMigrations().length);
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(
      migrate({ db: graph.db, cypher: graph.cypher, logger: graph.logger, migrations: edited }),
    ).rejects.toThrow(MigrationError);
    // The lease was given back: a normal run still works.
    await expect(
      migrate({ db: graph.db, cypher: graph.cypher, logger: graph.logger }),
    ).resolves.toEqual([]);
  });
});
