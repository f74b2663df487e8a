// Thin resolvers of schema/damages.graphql: a case's or a network's damages estimate.
import { uidToId } from '../graph/model.js';
import { BadUserInputError } from '../server/errors.js';
import type { NetworkStore } from '../networks/store.js';
import { estimateDamages, type DamagesEstimate, type DamagesParameters } from './estimate.js';
import type { DamagesStore } from './store.js';
import { refOfId } from '../explore/refs.js';

type Args = { parameters?: Partial<DamagesParameters> | null };

export function createDamagesResolvers(deps: { store: DamagesStore; networks: NetworkStore }) {
  const forCase = async (uid: string, args: Args): Promise<DamagesEstimate> =>
    estimateDamages(await deps.store.caseListings(uid), args.parameters);
  const forNetwork = async (id: string, args: Args): Promise<DamagesEstimate> =>
    estimateDamages(await deps.store.networkListings(id), args.parameters);
  return {
    Query: {
      caseDamages: (_: unknown, args: Args & { caseId: string }) => {
        const ref = refOfId(args.caseId, 'caseId');
        if (!('uid' in ref) || !ref.uid.startsWith('Case:')) {
          throw new BadUserInputError('caseId must be the id of a case', { argument: 'caseId' });
        }
        return forCase(ref.uid, args);
      },
      networkDamages: async (_: unknown, args: Args & { networkId: string }) => {
        const network = await deps.networks.byId(args.networkId);
        return network ? forNetwork(network.id, args) : null;
      },
    },
    Case: {
      damages: (obj: { uid: string }, args: Args) => forCase(obj.uid, args),
    },
    Network: {
      damages: (obj: { id: string }, args: Args) => forNetwork(obj.id, args),
    },
    DamagesListingInput: {
      id: (l: { uid: string }) => uidToId(l.uid),
    },
  };
}
