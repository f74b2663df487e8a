// Thin resolvers of the interop domain: the STIX import mutation (the export query lives with the
// association resolvers, schema/association.graphql).
import type { IResolvers } from '@graphql-tools/utils';
import type { GraphQLContext } from '../server/context.js';
import { BadUserInputError } from '../server/errors.js';
import type { StixImporter } from './stix/import.js';

export function createInteropResolvers(deps: {
  importer: StixImporter;
}): IResolvers<unknown, GraphQLContext> {
  return {
    Mutation: {
      async importStixBundle(_: unknown, args: { bundle: string; source?: string | null }) {
        const source = args.source?.trim();
        if (source !== undefined && (source === '' || source.length > 200)) {
          throw new BadUserInputError('source must be 1 to 200 characters', { argument: 'source' });
        }
        const r = await deps.importer.import(args.bundle, {
          ...(source !== undefined && { source }),
        });
        return {
          ...r,
          results: r.results.map((o) => ({
            index: o.index,
            stixId: o.id,
            type: o.type,
            status: o.status.toUpperCase(),
            reason: o.reason,
            tlp: o.tlp,
            nodeIds: o.nodes,
            unnormalizedIdentifiers: o.unnormalized,
          })),
        };
      },
    },
  };
}
