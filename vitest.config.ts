// Test levels: unit (pure, no Neo4j), integration (one managed Neo4j per run), e2e (several nodes).
import { defineConfig } from 'vitest/config';

// graphql ships CommonJS (main) and ESM (module) builds. Node, and so every dependency (yoga,
// graphql-tools, graphql-armor), loads the CommonJS one; vite would hand our sources the ESM one, and
// two graphql instances break instanceof checks (TypeInfo, isObjectType) across them. One instance:
const graphqlOnce = {
  alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
};

export default defineConfig({
  resolve: graphqlOnce,
  test: {
    projects: [
      {
        resolve: graphqlOnce,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          // Levels run one after the other: unit, then integration, then e2e.
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve: graphqlOnce,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/neo4j-global-setup.ts'],
          // Test instances are small and short-lived: start them fast rather than run them fast.
          env: { PALISADE_NEO4J_JIT: 'quick-start' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          // One suite at a time: each suite wipes and owns the graph while it runs.
          maxWorkers: 1,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: graphqlOnce,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          env: { PALISADE_NEO4J_JIT: 'quick-start' },
          testTimeout: 300_000,
          hookTimeout: 360_000,
          pool: 'forks',
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
          fileParallelism: false,
        },
      },
    ],
  },
});
