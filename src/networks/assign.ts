// Decides which network each cluster of the full recompute is (pure): an existing network keeps its
// id in the cluster that holds most of its members; when several existing networks end up in one
// cluster the largest (then oldest) survives and the others become its aliases; a cluster no network
// claims gets a new id; a network that claims no cluster is dissolved. The incremental changes
// (search.ts) follow the same rules, so the two agree.
import { isSellerUid } from './components.js';
import { survivorOrder } from './search.js';

export interface ExistingNetwork {
  id: string;
  /** ISO 8601; of two equal-sized networks, the older survives a merge. */
  createdAt: string;
  size: number;
}

export interface AssignInput {
  /** Clusters of members (uids), as recomputed. */
  components: string[][];
  /** The network each member is in now (only members of the recomputed area). */
  membership: ReadonlyMap<string, string>;
  networks: ReadonlyMap<string, ExistingNetwork>;
  minSellers: number;
  newId: () => string;
}

export interface AssignedNetwork {
  id: string;
  members: string[];
  created: boolean;
}

export interface Assignment {
  networks: AssignedNetwork[];
  /** Networks merged into another: `from` becomes an alias of `into`. */
  absorbed: Array<{ from: string; into: string }>;
  /** Networks that no longer exist (their members fell apart below the threshold). */
  dissolved: string[];
  /** Members that were in a network and are in none now. */
  detached: string[];
}

export function assignNetworks(input: AssignInput): Assignment {
  const eligible = input.components.filter((c) => c.filter(isSellerUid).length >= input.minSellers);
  const componentOf = new Map<string, number>();
  eligible.forEach((c, i) => c.forEach((uid) => componentOf.set(uid, i)));

  // Votes: how many of each existing network's members sit in each eligible cluster.
  const votes = new Map<string, Map<number, number>>();
  for (const [uid, net] of input.membership) {
    const perNet = votes.get(net) ?? new Map<number, number>();
    votes.set(net, perNet);
    const ci = componentOf.get(uid);
    if (ci !== undefined) perNet.set(ci, (perNet.get(ci) ?? 0) + 1);
  }
  const claims = new Map<number, ExistingNetwork[]>();
  const dissolved: string[] = [];
  for (const [net, perNet] of votes) {
    let best: number | undefined;
    let bestVotes = 0;
    for (const [ci, n] of perNet) {
      if (n > bestVotes || (n === bestVotes && best !== undefined && ci < best)) {
        best = ci;
        bestVotes = n;
      }
    }
    if (best === undefined) {
      dissolved.push(net);
      continue;
    }
    const info = input.networks.get(net) ?? { id: net, createdAt: '', size: 0 };
    const list = claims.get(best) ?? [];
    list.push(info);
    claims.set(best, list);
  }

  const networks: AssignedNetwork[] = [];
  const absorbed: Assignment['absorbed'] = [];
  eligible.forEach((members, ci) => {
    const claimants = (claims.get(ci) ?? []).sort(survivorOrder);
    const survivor = claimants[0];
    if (!survivor) {
      networks.push({ id: input.newId(), members, created: true });
      return;
    }
    networks.push({ id: survivor.id, members, created: false });
    for (const other of claimants.slice(1)) absorbed.push({ from: other.id, into: survivor.id });
  });
  const detached = [...input.membership.keys()].filter((uid) => !componentOf.has(uid)).sort();
  return { networks, absorbed, dissolved: dissolved.sort(), detached };
}
