// Keeps infringer networks current, safely across processes. Every change runs in one write
// transaction that first takes the network lock (a lock node: Neo4j serializes the transactions of
// every process on it), so two processes never decide about the same members at once and a
// network node cannot vanish between a read and a write. A change costs what it touches:
// - growth (new records, a restored link): a search from the touched members that stops at members
//   already in a network (the network joins whole); networks that meet merge, the smaller ones
//   relabelled into the largest (union by size);
// - a removed link, or a connector that became a hub: searches from the ends, in step, inside the
//   network only, that stop once at most one is left (see search.ts): only the parts that broke off
//   are walked and relabelled.
// The full recompute rebuilds everything from a snapshot of the whole graph (the baseline, and the
// repair) under a lease; changes arriving meanwhile are queued and applied when it finishes.
import { randomUUID } from 'node:crypto';
import { ConflictError } from '../server/errors.js';
import type { Logger } from '../server/logger.js';
import { assignNetworks, type ExistingNetwork } from './assign.js';
import { Components } from './components.js';
import type {
  Change,
  LinkKey,
  LinkParams,
  LinkStore,
  LinkTx,
  LockState,
  NeighbourStep,
} from './link-store.js';
import {
  GrowthSearch,
  planGrowth,
  planSplit,
  SplitSearch,
  type NeighbourRow,
  type NetworkInfo,
} from './search.js';

/** What a change touched: record uids and identifiers (kind + normalized key). */
export interface Touched {
  uids: string[];
  identifiers: Array<{ kind: string; key: string }>;
  /** Relationships the change wrote; any that an analyst removed are deleted again. */
  links?: LinkKey[];
}

export interface UpdateSummary {
  /** Members whose links were read. */
  visited: number;
  created: string[];
  kept: string[];
  absorbed: Array<{ from: string; into: string }>;
  dissolved: string[];
  detached: number;
  /** A full recompute was running: the change is queued and applied when it finishes. */
  deferred: boolean;
}

export class ComponentTooLargeError extends Error {
  override name = 'ComponentTooLargeError';
}

/** Another process (or request) is running a full recompute. */
export class RecomputeRunningError extends ConflictError {
  constructor() {
    super('A full network recompute is already running; try again when it has finished');
  }
}

/** The recompute lost its lease (it ran longer than the lease and another one took over). */
export class RecomputeLeaseLostError extends Error {
  override name = 'RecomputeLeaseLostError';
}

export interface MaintainerOptions {
  store: LinkStore;
  logger: Logger;
  minSellers: number;
  maxComponentMembers: number;
  now?: () => Date;
  newId?: () => string;
  /** How long the recompute's lease lasts without renewal (it renews at every write). */
  recomputeLeaseMs?: number;
}

/** Networks per transaction of the full recompute: no transaction holds the whole graph. */
const SLICE = 2000;
/** Queued changes applied per transaction. */
const PENDING_PER_TX = 50;

/** The running totals of one change. */
class Outcome {
  visited = 0;
  readonly created = new Set<string>();
  readonly touched = new Set<string>();
  readonly absorbed: Array<{ from: string; into: string }> = [];
  readonly dissolved = new Set<string>();
  detached = 0;
  /** Memberships the growth writes (with its absorbs and the summaries, in one statement). */
  readonly assigned: Array<{ id: string; members: string[] }> = [];

  summary(deferred = false): UpdateSummary {
    const gone = new Set([...this.absorbed.map((a) => a.from), ...this.dissolved]);
    const alive = (ids: Iterable<string>) => [...ids].filter((id) => !gone.has(id)).sort();
    return {
      visited: this.visited,
      created: alive(this.created),
      kept: alive([...this.touched].filter((id) => !this.created.has(id))),
      absorbed: this.absorbed,
      dissolved: [...this.dissolved].sort(),
      detached: this.detached,
      deferred,
    };
  }

  /** Networks whose summaries the change must refresh. */
  refresh(): string[] {
    const gone = new Set([...this.absorbed.map((a) => a.from), ...this.dissolved]);
    return [...new Set([...this.created, ...this.touched])].filter((id) => !gone.has(id));
  }
}

const emptySummary = (deferred = false): UpdateSummary => new Outcome().summary(deferred);

/** What the first flight of a change answers: members of new hubs, and the members it touched. */
interface ChangeHead {
  hubs: Array<{ member: string; network: string }>;
  seeds: string[];
  /** The link-graph step of the change's own members, when it was read with the head. */
  steps?: NeighbourStep[];
}

/** A full recompute holds the lease: changes queue themselves until it finishes. */
const leaseHeld = (lock: LockState, now: Date): boolean =>
  lock.holder !== null && lock.expiresAt > now.getTime();

/** Rolls an update's first transaction back when it finds the lease held (see update). */
class LeaseHeld extends Error {
  override name = 'LeaseHeld';
}

export class NetworkMaintainer {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: MaintainerOptions) {}

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  private newId(): string {
    return this.o.newId?.() ?? `nw-${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  }

  /** Updates the networks around what a change (an ingest batch) touched. */
  update(touched: Touched): Promise<UpdateSummary> {
    const change: Change = { uids: touched.uids, identifiers: touched.identifiers, ends: [] };
    const links = touched.links ?? [];
    return this.serial(async () => {
      try {
        return await this.o.store.write(async (t) => {
          const now = this.now();
          // One statement takes the lock and does the change's first reads and writes (the server
          // spends a fixed round of work on each statement, more than these cost it). Should a
          // recompute hold the lease, the transaction is rolled back and the change queued in a
          // new one. The first step of the growth search is read in it (after the hub flags, so it
          // already passes over new hubs): its rows name the change's members (the seeds), and
          // are used as they are when nothing moves before growth.
          const { lock, hubs, steps } = await t.changeHead(change, links, now.toISOString());
          const seeds = steps.map((s) => s.member);
          if (leaseHeld(lock, now)) throw new LeaseHeld();
          return this.applyChange(t, change, lock, now, { hubs, seeds, steps });
        });
      } catch (e) {
        if (!(e instanceof LeaseHeld)) throw e;
        return this.o.store.write(async (t) => {
          const lock = await t.lock();
          const now = this.now();
          if (lock.tombstones) await t.suppressTombstoned(links, now.toISOString());
          return this.applyChange(t, change, lock, now);
        });
      }
    });
  }

  /** Removes a wrong link (leaving a tombstone) and splits what it held together. */
  retract(link: LinkParams): Promise<{ removed: number; update: UpdateSummary }> {
    return this.serial(() =>
      this.o.store.write(async (t) => {
        const lock = await t.lock();
        const now = this.now();
        const { removed, ends } = await t.retractLink(link, now.toISOString());
        if (removed === 0) return { removed, update: emptySummary() };
        const update = await this.applyChange(t, { uids: [], identifiers: [], ends }, lock, now);
        return { removed, update };
      }),
    );
  }

  /** Restores a link removed earlier (drops its tombstone) and merges what it links. */
  restore(link: LinkParams): Promise<{ restored: number; update: UpdateSummary }> {
    return this.serial(() =>
      this.o.store.write(async (t) => {
        const lock = await t.lock();
        const { restored, ends } = await t.restoreLink(link);
        if (restored === 0) return { restored, update: emptySummary() };
        const change = { uids: [], identifiers: [], ends };
        const update = await this.applyChange(t, change, lock, this.now());
        return { restored, update };
      }),
    );
  }

  /** Changes of one process run one after another (the lock would serialize them anyway). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Applies a change (and some changes queued during a recompute) under the lock, or queues it
   * while a recompute holds the lease.
   */
  private async applyChange(
    t: LinkTx,
    change: Change,
    lock: LockState,
    now: Date,
    head?: ChangeHead,
  ): Promise<UpdateSummary> {
    if (leaseHeld(lock, now)) {
      await t.defer(change, now.toISOString());
      return emptySummary(true);
    }
    const queued = lock.pending > 0 ? await t.takePending(PENDING_PER_TX) : [];
    const outcome = new Outcome();
    if (queued.length === 0) {
      await this.process(t, change, outcome, now.toISOString(), head);
      return outcome.summary();
    }
    const rest: Change = {
      uids: queued.flatMap((c) => c.uids),
      identifiers: queued.flatMap((c) => c.identifiers),
      ends: queued.flatMap((c) => c.ends),
    };
    // The change's head was read already: only the queued changes' part is still to read.
    const restHead = head && (await this.readHead(t, rest));
    const all: Change = {
      uids: [...change.uids, ...rest.uids],
      identifiers: [...change.identifiers, ...rest.identifiers],
      ends: [...change.ends, ...rest.ends],
    };
    const both = head &&
      restHead && {
        hubs: [...head.hubs, ...restHead.hubs],
        seeds: [...head.seeds, ...restHead.seeds],
      };
    await this.process(t, all, outcome, now.toISOString(), both);
    return outcome.summary();
  }

  /** The first statements of a change, sent in one flight. */
  private async readHead(t: LinkTx, change: Change): Promise<ChangeHead> {
    const [hubs, seeds] = await Promise.all([t.flagNewHubs(change), t.seedMembers(change.uids)]);
    return { hubs, seeds };
  }

  private async process(
    t: LinkTx,
    change: Change,
    out: Outcome,
    now: string,
    read?: ChangeHead,
  ): Promise<void> {
    const head = read ?? (await this.readHead(t, change));
    // 1. Connectors that just became hubs link nobody any more: their networks may split.
    const sources = new Map<string, Set<string>>();
    const addSource = (network: string, member: string) => {
      const set = sources.get(network) ?? new Set<string>();
      set.add(member);
      sources.set(network, set);
    };
    for (const { member, network } of head.hubs) addSource(network, member);
    // 2. The ends of removed links: what they held together may split; a hub they leave may link
    //    again. The ends of a restored link are searched from as well (they may merge).
    const reopened = await t.reopenHubs(change.ends);
    const near = await t.nearMembers(change.ends);
    for (const { member, network } of await t.memberships(near)) addSource(network, member);
    await this.split(t, sources, out, now);
    // 3. Growth from every member the change touched.
    const seeds = [...head.seeds, ...reopened, ...near];
    // Steps read with the head are current only if nothing moved since: no split, no ends.
    const steps = sources.size === 0 && change.ends.length === 0 ? head.steps : undefined;
    await this.grow(t, seeds, out, steps);
    // The growth's writes and the summaries that follow them go as one statement.
    const { absorbed, assigned } = out;
    await t.applyGrowth({ absorbed, assigned, refresh: out.refresh() }, now);
  }

  private checkBound(visited: number): void {
    if (visited > this.o.maxComponentMembers) {
      throw new ComponentTooLargeError(
        `a network update reached more than ${this.o.maxComponentMembers} members (PALISADE_NETWORK_MAX_MEMBERS); check the hub limit`,
      );
    }
  }

  private async grow(
    t: LinkTx,
    seeds: string[],
    out: Outcome,
    steps?: NeighbourStep[],
  ): Promise<void> {
    if (seeds.length === 0) return;
    const search = new GrowthSearch(seeds);
    const info = new Map<string, NetworkInfo>();
    let known = new Map((steps ?? []).map((s) => [s.member, s]));
    while (search.frontier.length > 0) {
      const missing = search.frontier.filter((uid) => !known.has(uid));
      const rows = [
        ...search.frontier.flatMap((uid) => known.get(uid) ?? []),
        ...(await t.neighbours(missing)),
      ];
      known = new Map();
      for (const row of rows) for (const n of row.networks) info.set(n.id, n);
      search.visit(rows);
      this.checkBound(out.visited + search.visited);
    }
    out.visited += search.visited;
    const clusters = search.clusters();
    // Every network a cluster reaches was named by a row; the lookup is a safety net.
    const unknown = clusters.flatMap((c) => c.networks).filter((id) => !info.has(id));
    for (const [id, n] of await t.networkInfo(unknown)) info.set(id, n);
    const plan = planGrowth({
      clusters,
      info,
      minSellers: this.o.minSellers,
      newId: () => this.newId(),
    });
    // Written by the caller, with the summaries that follow (one statement).
    out.assigned.push(...plan.create, ...plan.add);
    plan.create.forEach((n) => out.created.add(n.id));
    plan.kept.forEach((id) => out.touched.add(id));
    out.absorbed.push(...plan.absorb);
  }

  private async split(
    t: LinkTx,
    sources: ReadonlyMap<string, ReadonlySet<string>>,
    out: Outcome,
    now: string,
  ): Promise<void> {
    const searches = [...sources].map(([network, members]) => new SplitSearch(network, members));
    let running = searches.filter((s) => !s.done);
    while (running.length > 0) {
      const rows = await t.neighbours([...new Set(running.flatMap((s) => s.frontier))]);
      const byMember = new Map<string, NeighbourRow>(rows.map((r) => [r.member, r]));
      running.forEach((s) => s.visit(byMember));
      this.checkBound(out.visited + searches.reduce((n, s) => n + s.visited, 0));
      running = running.filter((s) => !s.done);
    }
    out.visited += searches.reduce((n, s) => n + s.visited, 0);
    const info = await t.networkInfo(searches.map((s) => s.network));
    for (const search of searches) {
      const network = info.get(search.network);
      if (!network) continue;
      const plan = planSplit({
        search,
        info: network,
        minSellers: this.o.minSellers,
        newId: () => this.newId(),
      });
      if (plan.unchanged) {
        out.touched.add(network.id);
        continue;
      }
      const create = [...plan.create];
      const detach = [...plan.detach];
      if (plan.rest && plan.rest.action !== 'keep') {
        const walked = search.result().parts.flat();
        const rest = await t.remainder(network.id, walked);
        if (plan.rest.action === 'create') create.push({ id: plan.rest.id, members: rest });
        else detach.push(...rest);
      }
      await t.assign(create, now);
      await t.detach(detach);
      create.forEach((n) => out.created.add(n.id));
      out.detached += detach.length;
      if (plan.kept) out.touched.add(network.id);
      else {
        await t.dissolve([network.id]);
        out.dissolved.add(network.id);
      }
    }
  }

  /**
   * Recomputes every network from the whole graph, keeping ids where members stayed together, and
   * refreshes every summary. Holds a lease meanwhile (changes queue themselves), writes only the
   * memberships that differ, then applies the queued changes and gives the lease back.
   */
  async recomputeAll(): Promise<UpdateSummary> {
    const store = this.o.store;
    const holder = randomUUID();
    const ttl = this.o.recomputeLeaseMs ?? 10 * 60_000;
    await store.write(async (t) => {
      const lease = await t.lock();
      const now = this.now().getTime();
      if (lease.holder !== null && lease.expiresAt > now) throw new RecomputeRunningError();
      await t.recomputeLease(holder, now, ttl);
    });
    // Each write renews the lease and proves it is still ours.
    const leased = <T>(fn: (t: LinkTx) => Promise<T>) =>
      store.write(async (t) => {
        await t.lock();
        const lease = await t.recomputeLease(holder, this.now().getTime(), ttl);
        if (lease.holder !== holder) throw new RecomputeLeaseLostError('recompute lease lost');
        return fn(t);
      });
    let released = false;
    try {
      const summary = await this.recomputeUnderLease(leased);
      // Changes queued meanwhile; the lease goes in the transaction that finds none left, so a
      // change cannot queue itself after the last look.
      while (!released) {
        released = await leased(async (t) => {
          const changes = await t.takePending(PENDING_PER_TX);
          if (changes.length === 0) {
            await t.releaseLease(holder);
            return true;
          }
          const change: Change = {
            uids: changes.flatMap((c) => c.uids),
            identifiers: changes.flatMap((c) => c.identifiers),
            ends: changes.flatMap((c) => c.ends),
          };
          await this.process(t, change, new Outcome(), this.now().toISOString());
          return false;
        });
      }
      return summary;
    } finally {
      if (!released) {
        await store
          .write(async (t) => {
            await t.lock();
            await t.releaseLease(holder);
          })
          .catch((e: unknown) =>
            this.o.logger.warn(
              { err: e instanceof Error ? e.name : 'unknown' },
              'could not give the network recompute lease back; it expires by itself',
            ),
          );
      }
    }
  }

  private async recomputeUnderLease(
    leased: <T>(fn: (t: LinkTx) => Promise<T>) => Promise<T>,
  ): Promise<UpdateSummary> {
    const store = this.o.store;
    const components = new Components();
    const setFlags: string[] = [];
    const clearFlags: string[] = [];
    for (const c of await store.allConnectorMembers()) {
      if (c.hub !== c.flagged) (c.hub ? setFlags : clearFlags).push(c.connector);
      if (c.hub) continue;
      const [first, ...rest] = c.members;
      if (first === undefined) continue;
      components.add(first);
      for (const m of rest) components.union(first, m);
    }
    for (const p of await store.allPartyLinks()) components.union(p.member, p.other);
    const membership = new Map<string, string>();
    const networks = new Map<string, ExistingNetwork>();
    for (const r of await store.allMemberships()) {
      membership.set(r.member, r.network.id);
      networks.set(r.network.id, r.network);
    }
    const groups = components.groups();
    const assignment = assignNetworks({
      components: groups,
      membership,
      networks,
      minSellers: this.o.minSellers,
      newId: () => this.newId(),
    });
    // Networks with no member at all (left over from a bad state) go too.
    const accounted = new Set([
      ...assignment.networks.map((n) => n.id),
      ...assignment.absorbed.map((a) => a.from),
      ...assignment.dissolved,
    ]);
    for (const id of await store.allNetworkIds()) {
      if (!accounted.has(id)) assignment.dissolved.push(id);
    }
    const now = this.now().toISOString();
    // 1. Memberships that differ from the snapshot (nothing else changes them under the lease).
    const moves = assignment.networks
      .map((n) => ({ id: n.id, members: n.members.filter((m) => membership.get(m) !== n.id) }))
      .filter((n) => n.members.length > 0);
    for (let i = 0; i < moves.length; i += SLICE) {
      await leased((t) => t.assign(moves.slice(i, i + SLICE), now));
    }
    // 2. Merged, dissolved and left networks, hub flags.
    await leased(async (t) => {
      await t.absorb(assignment.absorbed, now);
      await t.detach(assignment.detached);
      await t.dissolve(assignment.dissolved);
      await t.setHubFlags(setFlags, clearFlags);
    });
    // 3. Every network's summary and risk, from its final members.
    const ids = assignment.networks.map((n) => n.id);
    for (let i = 0; i < ids.length; i += SLICE) {
      await leased((t) => t.refreshSummaries(ids.slice(i, i + SLICE)));
    }
    this.o.logger.debug(
      {
        networks: ids.length,
        moved: moves.reduce((n, m) => n + m.members.length, 0),
        absorbed: assignment.absorbed.length,
        dissolved: assignment.dissolved.length,
      },
      'networks recomputed',
    );
    return {
      visited: groups.reduce((n, g) => n + g.length, 0),
      created: assignment.networks.filter((n) => n.created).map((n) => n.id),
      kept: assignment.networks.filter((n) => !n.created).map((n) => n.id),
      absorbed: assignment.absorbed,
      dissolved: assignment.dissolved.sort(),
      detached: assignment.detached.length,
      deferred: false,
    };
  }
}
