import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../../src/main.js';
import { gqlAs } from '../../support/auth.js';
import { testConfig, testLogger, workerUri } from '../../support/test-graph.js';

const gql = (node: RunningNode, query: string, variables: Record<string, unknown> = {}) =>
  gqlAs(node, 'analyst', query, variables);

describe('the GraphQL node, in process', () => {
  let node: RunningNode;
  beforeAll(async () => {
    node = await startNode(
      testConfig(workerUri(), { PALISADE_NODE_ID: 'brand-a', PALISADE_ROLE: 'brand' }),
      {
        listen: false,
        logger: testLogger(),
      },
    );
  });
  afterAll(async () => node?.stop());

  it('answers nodeInfo with its id, role, version and the Neo4j behind it', async () => {
    const { body } = await gql(
      node,
      '{ nodeInfo { id nodeId role version neo4j { version edition migrations } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.nodeInfo).toMatchObject({
      nodeId: 'brand-a',
      role: 'BRAND',
      version: '0.1.0',
    });
    expect(body.data.nodeInfo.neo4j.version).toMatch(/^5\.|^20\d\d\./);
    expect(body.data.nodeInfo.neo4j.migrations).toContain('0001-node-meta');
  });

  it('resolves node(id) from the global id it handed out, and null for an unknown one', async () => {
    const { body: info } = await gql(node, '{ nodeInfo { id } }');
    const { body } = await gql(
      node,
      'query($id: ID!) { node(id: $id) { id ... on NodeInfo { nodeId } } }',
      {
        id: info.data.nodeInfo.id,
      },
    );
    expect(body.data.node).toEqual({ id: info.data.nodeInfo.id, nodeId: 'brand-a' });
    const unknown = await gql(node, 'query($id: ID!) { node(id: $id) { id } }', {
      id: Buffer.from('Nothing:here').toString('base64url'),
    });
    expect(unknown.body.data.node).toBeNull();
  });

  it('answers a malformed id with BAD_USER_INPUT, not a server error', async () => {
    const { body } = await gql(node, '{ node(id: "%%%") { id } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a request without a token with UNAUTHENTICATED', async () => {
    const { status, body } = await gqlAs(node, null, '{ nodeInfo { nodeId } }');
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('reports health and readiness', async () => {
    const health = await node.yoga.fetch('http://palisade.test/healthz');
    expect(health.status).toBe(200);
    const ready = await node.yoga.fetch('http://palisade.test/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { neo4j: true, migrated: true },
    });
  });
});
