// Resolves Relay global ids: each domain registers, at composition time, how to load its types.
import type { GraphQLContext } from './context.js';
import { fromGlobalId } from './relay.js';

export type NodeLoader = (
  key: string,
  ctx: GraphQLContext,
) => Promise<Record<string, unknown> | null>;

export class NodeRegistry {
  private readonly loaders = new Map<string, NodeLoader>();

  register(typeName: string, loader: NodeLoader): void {
    if (this.loaders.has(typeName)) throw new Error(`Node type ${typeName} registered twice`);
    this.loaders.set(typeName, loader);
  }

  /** The object behind a global id, tagged with its GraphQL type, or null when unknown. */
  async load(id: string, ctx: GraphQLContext): Promise<Record<string, unknown> | null> {
    const { type, key } = fromGlobalId(id);
    const loader = this.loaders.get(type);
    if (!loader) return null;
    const found = await loader(key, ctx);
    return found ? { ...found, __typename: type } : null;
  }
}
