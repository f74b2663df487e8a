// Keeps infringer networks current. An incremental update recomputes only the clusters a change
// touched (the touched members, every member of their networks, and whatever is linked to them),
// then assigns stable ids through assign.ts; the full recompute does the same over the whole
// graph (the baseline, and the repair). Updates run one at a time in this process.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../server/logger.js';
import { assignNetworks, type Assignment, type ExistingNetwork } from './assign.js';
import { Components } from './components.js';
import type { LinkStore } from './link-store.js';
import { scoreRisk } from './risk.js';

/** What a change touched: record uids and identifiers (kind + normalized key). */
export interface Touched {
  uids: string[];
  identifiers: Array<{ kind: string; key: string }>;
  /** Connectors (element ids) whose members must be re-examined (a retracted link's end). */
  connectors?: string[];
}

export interface UpdateSummary {
  /** Members whose clusters were recomputed. */
  visited: number;
  created: string[];
  kept: string[];
  absorbed: Array<{ from: string; into: string }>;
  dissolved: string[];
  detached: number;
}

export class ComponentTooLargeError extends Error {
  override name = 'ComponentTooLargeError';
}

export interface MaintainerOptions {
  store: LinkStore;
  logger: Logger;
  minSellers: number;
  maxComponentMembers: number;
  now?: () => string;
  newId?: () => string;
}

export class NetworkMaintainer {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: MaintainerOptions) {}

  /** Recomputes the networks around what a change touched. */
  update(touched: Touched): Promise<UpdateSummary> {
    return this.serial(() => this.runUpdate(touched));
  }

  /** Recomputes every network from the graph, keeping ids where members stayed together. */
  recomputeAll(): Promise<UpdateSummary> {
    return this.serial(() => this.runRecompute());
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runUpdate(touched: Touched): Promise<UpdateSummary> {
    const store = this.o.store;
    const seeds = new Set(await store.seedMembers(touched.uids));
    for (const c of await store.membersOf(touched.connectors ?? [])) {
      if (!c.hub) c.members.forEach((m) => seeds.add(m));
    }
    const stale = (touched.connectors ?? []).length > 0;
    if (stale) await store.clearHubFlags(touched.connectors ?? []);
    const hubbed = await store.newlyHubNetworks(touched.identifiers, touched.uids);
    const seedNetworks = new Set(hubbed);
    for (const m of await store.memberships([...seeds])) seedNetworks.add(m.network.id);
    for (const uid of await store.membersOfNetworks([...seedNetworks])) seeds.add(uid);
    if (seeds.size === 0) return emptySummary();

    const components = await this.explore([...seeds]);
    const members = components.groups().flat();
    const rows = await store.memberships(members);
    const membership = new Map<string, string>();
    const networks = new Map<string, ExistingNetwork>();
    for (const r of rows) {
      membership.set(r.member, r.network.id);
      networks.set(r.network.id, r.network);
    }
    const assignment = assignNetworks({
      components: components.groups(),
      membership,
      networks,
      minSellers: this.o.minSellers,
      newId: this.o.newId ?? newNetworkId,
    });
    await this.apply(assignment);
    return summarize(assignment, members.length);
  }

  /** Breadth-first over the link graph from the seeds; answers the clusters it reached. */
  private async explore(seeds: string[]): Promise<Components> {
    const store = this.o.store;
    const components = new Components();
    const seenMembers = new Set<string>(seeds);
    const seenConnectors = new Set<string>();
    let frontier = seeds;
    seeds.forEach((s) => components.add(s));
    while (frontier.length > 0) {
      const next: string[] = [];
      const reach = (uid: string) => {
        if (seenMembers.has(uid)) return;
        seenMembers.add(uid);
        next.push(uid);
      };
      const [pairs, parties] = await Promise.all([
        store.connectorsOf(frontier),
        store.partyNeighbours(frontier),
      ]);
      for (const p of parties) {
        components.union(p.member, p.other);
        reach(p.other);
      }
      const fresh = [...new Set(pairs.map((p) => p.connector))].filter(
        (c) => !seenConnectors.has(c),
      );
      fresh.forEach((c) => seenConnectors.add(c));
      for (const c of await store.membersOf(fresh)) {
        if (c.hub) continue;
        const [first, ...rest] = c.members;
        if (first === undefined) continue;
        for (const m of rest) components.union(first, m);
        c.members.forEach(reach);
      }
      if (seenMembers.size > this.o.maxComponentMembers) {
        throw new ComponentTooLargeError(
          `a network update reached more than ${this.o.maxComponentMembers} members (PALISADE_NETWORK_MAX_MEMBERS); check the hub limit`,
        );
      }
      frontier = next;
    }
    return components;
  }

  private async runRecompute(): Promise<UpdateSummary> {
    const store = this.o.store;
    const components = new Components();
    const hubs: string[] = [];
    for (const c of await store.allConnectorMembers()) {
      if (c.hub) {
        hubs.push(c.connector);
        continue;
      }
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
      newId: this.o.newId ?? newNetworkId,
    });
    // Networks with no member at all (left over from a bad state) go too.
    const kept = new Set([
      ...assignment.networks.map((n) => n.id),
      ...assignment.absorbed.map((a) => a.from),
      ...assignment.dissolved,
    ]);
    for (const id of await store.allNetworkIds()) if (!kept.has(id)) assignment.dissolved.push(id);
    await store.setHubFlags(hubs);
    await this.apply(assignment);
    return summarize(
      assignment,
      groups.reduce((n, g) => n + g.length, 0),
    );
  }

  private async apply(assignment: Assignment): Promise<void> {
    const now = this.o.now?.() ?? new Date().toISOString();
    // Large recomputes are written in slices so no transaction holds the whole graph.
    const slice = 2000;
    const { networks } = assignment;
    for (let i = 0; i === 0 || i < networks.length; i += slice) {
      const part: Assignment =
        i === 0
          ? { ...assignment, networks: networks.slice(0, slice) }
          : { networks: networks.slice(i, i + slice), absorbed: [], dissolved: [], detached: [] };
      await this.o.store.apply(part, (s) => scoreRisk(s).score, now);
    }
    this.o.logger.debug(
      {
        networks: networks.length,
        absorbed: assignment.absorbed.length,
        dissolved: assignment.dissolved.length,
      },
      'networks updated',
    );
  }
}

function newNetworkId(): string {
  return `nw-${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

function emptySummary(): UpdateSummary {
  return { visited: 0, created: [], kept: [], absorbed: [], dissolved: [], detached: 0 };
}

function summarize(a: Assignment, visited: number): UpdateSummary {
  return {
    visited,
    created: a.networks.filter((n) => n.created).map((n) => n.id),
    kept: a.networks.filter((n) => !n.created).map((n) => n.id),
    absorbed: a.absorbed,
    dissolved: a.dissolved,
    detached: a.detached.length,
  };
}
