// Resolvers for the node's own identity: nodeInfo and the Relay node(id) entry point.
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { GraphQLContext } from '../server/context.js';
import type { NodeRegistry } from '../server/node-registry.js';
import { toGlobalId } from '../server/relay.js';
import { SystemStore } from './store.js';

export const NODE_INFO_KEY = 'self';

export function createSystemResolvers(deps: { config: Config; db: Database; nodes: NodeRegistry }) {
  const store = new SystemStore(deps.db);
  const nodeInfo = () => ({
    id: toGlobalId('NodeInfo', NODE_INFO_KEY),
    nodeId: deps.config.node.id,
    name: deps.config.node.name,
    role: deps.config.node.role.toUpperCase(),
    version: deps.config.version,
  });
  deps.nodes.register('NodeInfo', (key) =>
    Promise.resolve(key === NODE_INFO_KEY ? nodeInfo() : null),
  );
  return {
    Query: {
      node: (_: unknown, args: { id: string }, ctx: GraphQLContext) =>
        deps.nodes.load(args.id, ctx),
      nodeInfo,
    },
    Mutation: { _ping: () => true },
    Node: {
      __resolveType: (obj: { __typename?: string }) => obj.__typename ?? null,
    },
    NodeInfo: {
      neo4j: () => store.serverInfo(),
    },
  };
}
