// The two searches an incremental network change runs over the link graph, and what each decides
// (pure: the maintainer feeds them the rows of networks/neighbours, level by level).
//
// Invariant they rely on: the members of a network are exactly one connected cluster of the link
// graph. So a growing change need not walk into a network it reaches (the whole network joins),
// and a removed link can only split the one network it was in.
import { Components, isSellerUid } from './components.js';

/** One member's step of the link graph: its network and the members it is linked to. */
export interface NeighbourRow {
  member: string;
  network: string | null;
  others: Array<{ uid: string; network: string | null }>;
}

/** What the maintainer knows about a network from its node. */
export interface NetworkInfo {
  id: string;
  /** ISO 8601; the older of two equal-sized networks survives a merge. */
  createdAt: string;
  size: number;
  sellers: number;
}

const sellerCount = (uids: Iterable<string>): number => {
  let n = 0;
  for (const u of uids) if (isSellerUid(u)) n++;
  return n;
};

// Network ids share the union-find with member uids; uids start with a capitalized label.
const NET = 'network\u0000';
const netKey = (id: string) => NET + id;

/**
 * Breadth-first from the members a change touched, walking only through members that are in no
 * network: a member in a network stands for its whole network (invariant above). Touched members
 * are always expanded, since the new links start at them.
 */
export class GrowthSearch {
  private readonly components = new Components();
  /** Every member seen, with its network (null: in none). */
  private readonly seen = new Map<string, string | null>();
  private current: string[];

  constructor(seeds: Iterable<string>) {
    this.current = [...new Set(seeds)];
  }

  get frontier(): readonly string[] {
    return this.current;
  }

  get visited(): number {
    return this.seen.size;
  }

  /** Takes the rows of the current frontier and moves to the next one. */
  visit(rows: readonly NeighbourRow[]): void {
    for (const row of rows) {
      this.seen.set(row.member, row.network);
      this.components.add(row.member);
      if (row.network !== null) this.components.union(row.member, netKey(row.network));
    }
    const next: string[] = [];
    for (const row of rows) {
      for (const o of row.others) {
        this.components.union(row.member, o.uid);
        if (this.seen.has(o.uid)) continue;
        this.seen.set(o.uid, o.network);
        if (o.network !== null) this.components.union(o.uid, netKey(o.network));
        else next.push(o.uid);
      }
    }
    this.current = next;
  }

  /** The clusters found: the networks each one reaches and its members that are in none. */
  clusters(): Array<{ networks: string[]; fresh: string[] }> {
    return this.components.groups().map((group) => {
      const networks: string[] = [];
      const fresh: string[] = [];
      for (const key of group) {
        if (key.startsWith(NET)) networks.push(key.slice(NET.length));
        else if (this.seen.get(key) === null) fresh.push(key);
      }
      return { networks, fresh };
    });
  }
}

export interface GrowthPlan {
  /** New networks and their members. */
  create: Array<{ id: string; members: string[] }>;
  /** Smaller networks folded into the largest one they now touch. */
  absorb: Array<{ from: string; into: string }>;
  /** Members in no network that join an existing one. */
  add: Array<{ id: string; members: string[] }>;
  /** Existing networks the change reached (their summaries are refreshed). */
  kept: string[];
}

/** Union by size: the largest network survives; then the older; then the smaller id. */
export function survivorOrder(
  a: Pick<NetworkInfo, 'id' | 'createdAt' | 'size'>,
  b: Pick<NetworkInfo, 'id' | 'createdAt' | 'size'>,
): number {
  if (a.size !== b.size) return b.size - a.size;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** What a growth search's clusters mean for the networks. */
export function planGrowth(input: {
  clusters: ReadonlyArray<{ networks: string[]; fresh: string[] }>;
  info: ReadonlyMap<string, NetworkInfo>;
  minSellers: number;
  newId: () => string;
}): GrowthPlan {
  const plan: GrowthPlan = { create: [], absorb: [], add: [], kept: [] };
  for (const cluster of input.clusters) {
    const networks = cluster.networks
      .map((id) => input.info.get(id))
      .filter((n): n is NetworkInfo => n !== undefined)
      .sort(survivorOrder);
    const [survivor, ...others] = networks;
    if (!survivor) {
      if (sellerCount(cluster.fresh) >= input.minSellers) {
        plan.create.push({ id: input.newId(), members: [...cluster.fresh].sort() });
      }
      continue;
    }
    plan.kept.push(survivor.id);
    for (const other of others) plan.absorb.push({ from: other.id, into: survivor.id });
    if (cluster.fresh.length > 0) {
      plan.add.push({ id: survivor.id, members: [...cluster.fresh].sort() });
    }
  }
  return plan;
}

/**
 * After links were removed inside a network: one breadth-first search per member at an end of a
 * removed link, all in step, inside that network only. Searches that meet join; one that runs out
 * of members has found a complete part that broke off. The search stops as soon as at most one is
 * still running — that one is in the rest of the network, which it need not walk — so the work is
 * bounded by the parts that broke off, not by the network.
 */
export class SplitSearch {
  private readonly parent: number[] = [];
  private readonly owner = new Map<string, number>();
  private frontiers = new Map<number, string[]>();

  constructor(
    readonly network: string,
    sources: Iterable<string>,
  ) {
    for (const uid of new Set(sources)) {
      const g = this.parent.length;
      this.parent.push(g);
      this.owner.set(uid, g);
      this.frontiers.set(g, [uid]);
    }
  }

  private find(g: number): number {
    let root = g;
    while (this.parent[root] !== root) root = this.parent[root]!;
    while (this.parent[g] !== root) {
      const next = this.parent[g]!;
      this.parent[g] = root;
      g = next;
    }
    return root;
  }

  private roots(): number[] {
    return [...new Set(this.parent.map((_, g) => this.find(g)))];
  }

  /** Searches still running. */
  private active(): number[] {
    return this.roots().filter((r) => (this.frontiers.get(r) ?? []).length > 0);
  }

  get done(): boolean {
    return this.active().length <= 1;
  }

  get visited(): number {
    return this.owner.size;
  }

  /** The members to expand next (the frontiers of the searches still running). */
  get frontier(): string[] {
    return this.active().flatMap((r) => this.frontiers.get(r) ?? []);
  }

  /** Takes rows (any superset of the frontier's) and moves every running search one step. */
  visit(rows: ReadonlyMap<string, NeighbourRow>): void {
    const next = new Map<number, string[]>();
    for (const r of this.active()) {
      for (const uid of this.frontiers.get(r) ?? []) {
        const row = rows.get(uid);
        if (!row) continue;
        for (const o of row.others) {
          // Links out of the network are a growth for another change to handle, not this split.
          if (o.network !== this.network) continue;
          const g = this.find(this.owner.get(uid)!);
          const h = this.owner.get(o.uid);
          if (h === undefined) {
            this.owner.set(o.uid, g);
            next.set(g, [...(next.get(g) ?? []), o.uid]);
          } else if (this.find(h) !== g) {
            this.parent[this.find(h)] = g;
          }
        }
      }
    }
    const merged = new Map<number, string[]>();
    for (const [g, uids] of next) {
      const r = this.find(g);
      merged.set(r, [...(merged.get(r) ?? []), ...uids]);
    }
    this.frontiers = merged;
  }

  /** The parts that broke off (complete), and whether a search is left in the rest. */
  result(): { parts: string[][]; rest: boolean } {
    const running = new Set(this.active());
    const byRoot = new Map<number, string[]>();
    for (const [uid, g] of this.owner) {
      const r = this.find(g);
      if (running.has(r)) continue;
      byRoot.set(r, [...(byRoot.get(r) ?? []), uid]);
    }
    return { parts: [...byRoot.values()].map((p) => p.sort()), rest: running.size > 0 };
  }
}

export interface SplitPlan {
  /** Nothing broke off: the network stays as it is. */
  unchanged: boolean;
  /** Parts that become new networks. */
  create: Array<{ id: string; members: string[] }>;
  /** Members that leave every network (their part has too few sellers). */
  detach: string[];
  /**
   * What happens to the part the search did not walk (the network minus the parts that broke
   * off): it keeps the id, or must be read and become a new network, or leaves every network.
   */
  rest: { action: 'keep' } | { action: 'create'; id: string } | { action: 'detach' } | null;
  /** The network keeps its id (in the rest or in one of the parts); false: it is dissolved. */
  kept: boolean;
}

/**
 * What a finished split search means: the largest part with enough sellers keeps the network's id
 * (as in the full recompute: the cluster holding most of its members), other parts with enough
 * sellers become new networks, the others leave. The rest's size is the network's minus the parts.
 */
export function planSplit(input: {
  search: SplitSearch;
  info: NetworkInfo;
  minSellers: number;
  newId: () => string;
}): SplitPlan {
  const { parts, rest: running } = input.search.result();
  if (parts.length === 0) {
    return { unchanged: true, create: [], detach: [], rest: null, kept: true };
  }
  const partSize = parts.reduce((n, p) => n + p.length, 0);
  const partSellers = parts.reduce((n, p) => n + sellerCount(p), 0);
  const restSize = Math.max(input.info.size - partSize, running ? 1 : 0);
  const restSellers = Math.max(input.info.sellers - partSellers, 0);
  type Piece = { members: string[] | null; size: number; sellers: number };
  const pieces: Piece[] = parts.map((p) => ({
    members: p,
    size: p.length,
    sellers: sellerCount(p),
  }));
  const rest: Piece | null =
    restSize > 0 ? { members: null, size: restSize, sellers: restSellers } : null;
  const candidates = [...(rest ? [rest] : []), ...pieces].filter(
    (p) => p.sellers >= input.minSellers,
  );
  // Largest first; the rest wins ties (it needs no move), then the part with the smaller uid.
  const keeper = candidates.sort(
    (a, b) =>
      b.size - a.size ||
      (a.members === null ? -1 : b.members === null ? 1 : a.members[0]! < b.members[0]! ? -1 : 1),
  )[0];
  const plan: SplitPlan = {
    unchanged: false,
    create: [],
    detach: [],
    rest: null,
    kept: keeper !== undefined,
  };
  for (const piece of pieces) {
    if (piece === keeper) continue;
    if (piece.sellers >= input.minSellers) {
      plan.create.push({ id: input.newId(), members: piece.members! });
    } else {
      plan.detach.push(...piece.members!);
    }
  }
  if (rest) {
    plan.rest =
      rest === keeper
        ? { action: 'keep' }
        : rest.sellers >= input.minSellers
          ? { action: 'create', id: input.newId() }
          : { action: 'detach' };
  }
  return plan;
}
