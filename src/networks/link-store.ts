// The only code that runs the network maintenance statements of cypher/networks/*: the link graph
// read step by step inside one write transaction that holds the network lock (LinkTx), the full
// recompute's snapshot reads, and the writes of assignments, tombstones and the change queue. Rows
// are parsed with zod at this boundary.
import { z } from 'zod';
import type { Database, Tx } from '../db/database.js';
import { RISK_WEIGHTS, type RiskFactors } from './risk.js';
import type { NeighbourRow, NetworkInfo } from './search.js';

const NetworkId = z.string().nullable();
const Info = z.object({
  id: z.string(),
  createdAt: z.string().nullable(),
  size: z.number().int(),
  sellers: z.number().int(),
});
const Neighbour = z.object({
  member: z.string(),
  network: NetworkId,
  others: z.array(z.object({ uid: z.string(), network: NetworkId })),
  networks: z.array(Info),
});
const ConnectorMembers = z.object({
  connector: z.string(),
  members: z.array(z.string()),
  hub: z.boolean(),
  flagged: z.boolean(),
});
const Party = z.object({ member: z.string(), other: z.string() });
const Uid = z.object({ uid: z.string() });
const MemberNetwork = z.object({ member: z.string(), network: z.string() });
const Membership = z.object({
  member: z.string(),
  network: z.string(),
  createdAt: z.string().nullable(),
  size: z.number().int(),
});
const IdRow = z.object({ id: z.string() });
const Lease = z.object({ holder: z.string().nullable(), expiresAt: z.number().nullable() });
const Lock = Lease.extend({ pending: z.number().int(), tombstones: z.boolean() });
const Head = Lock.extend({
  suppressed: z.number().int(),
  hubs: z.array(MemberNetwork),
  steps: z.array(Neighbour),
});
const Pending = z.object({
  uids: z.array(z.string()).nullable(),
  identifierKinds: z.array(z.string()).nullable(),
  identifierKeys: z.array(z.string()).nullable(),
  ends: z.array(z.string()).nullable(),
});
const Removed = z.object({ removed: z.number().int(), ends: z.array(z.string().nullable()) });
const Restored = z.object({ restored: z.number().int(), ends: z.array(z.string().nullable()) });
const Suppressed = z.object({ suppressed: z.number().int() });
const Summary = z.object({
  id: z.string(),
  size: z.number().int(),
  sellers: z.number().int(),
  platformCount: z.number().int(),
  cases: z.number().int(),
  actions: z.number().int(),
  activeAfterTakedown: z.number().int(),
  sharedFactories: z.number().int(),
});

const toStep = (r: z.infer<typeof Neighbour>): NeighbourStep => ({
  ...r,
  networks: r.networks.map((n) => ({ ...n, createdAt: n.createdAt ?? '' })),
});

/** What the link queries need to know about the settings. */
export interface LinkScope {
  kinds: string[];
  routes: boolean;
  parties: boolean;
  /** "kind:key" of identifiers that never link. */
  excluded: string[];
  hubLimit: number;
}

/**
 * What a change touched, as the maintainer works on it: record uids, identifiers (kind +
 * normalized key), and the element ids of the ends of links removed or restored.
 */
export interface Change {
  uids: string[];
  identifiers: Array<{ kind: string; key: string }>;
  ends: string[];
}

/** A relationship as ingest names its ends: a record's uid, an identifier's "kind:key". */
export interface LinkKey {
  from: string;
  type: string;
  to: string;
}

/** Two nodes and a relationship type, as removeLink/restoreLink address them. */
export interface LinkParams {
  fromUid: string | null;
  fromKind: string | null;
  fromKey: string | null;
  toUid: string | null;
  toKind: string | null;
  toKey: string | null;
  type: string;
}

/** A row of networks/neighbours: the step, and the networks it names. */
export interface NeighbourStep extends NeighbourRow {
  networks: NetworkInfo[];
}

/** What the first flight of a change answers (see LinkTx.changeHead). */
export interface ChangeHeadRows {
  lock: LockState;
  hubs: Array<{ member: string; network: string }>;
  steps: NeighbourStep[];
}

export interface MembershipRow {
  member: string;
  network: { id: string; createdAt: string; size: number };
}

export interface ConnectorRow {
  connector: string;
  members: string[];
  hub: boolean;
  flagged: boolean;
}

export interface NetworkSummary extends RiskFactors {
  id: string;
  size: number;
}

export interface LeaseState {
  holder: string | null;
  /** Epoch ms. */
  expiresAt: number;
}

export interface LockState extends LeaseState {
  /** Changes queued during a recompute. */
  pending: number;
  /** Whether any link was ever removed (so ingested links must be checked). */
  tombstones: boolean;
}

/** The maintenance statements of one write transaction that holds the network lock. */
export class LinkTx {
  constructor(
    private readonly tx: Tx,
    private readonly scope: LinkScope,
  ) {}

  private get cap(): number {
    return this.scope.hubLimit + 1;
  }

  /** The settings every statement that walks links takes (a statement ignores those it lacks). */
  private get linkParams() {
    const { kinds, routes, parties, excluded, hubLimit } = this.scope;
    return { kinds, routes, parties, excluded, hubLimit, cap: this.cap };
  }

  /** Takes the network lock (held until commit); answers a full recompute's lease. */
  async lock(): Promise<LockState> {
    const [row] = await this.tx.run('networks/lock');
    const lock = Lock.parse(row);
    return { ...lock, expiresAt: lock.expiresAt ?? 0 };
  }

  /** Takes or renews the recompute lease; answers the holder after the attempt. */
  async recomputeLease(holder: string, now: number, ttlMs: number): Promise<LeaseState> {
    const [row] = await this.tx.run('networks/recompute-lease', { holder, now, ttlMs });
    const lease = Lease.parse(row);
    return { holder: lease.holder, expiresAt: lease.expiresAt ?? 0 };
  }

  async releaseLease(holder: string): Promise<void> {
    await this.tx.run('networks/release-recompute-lease', { holder });
  }

  async defer(change: Change, now: string): Promise<void> {
    await this.tx.run('networks/defer-change', {
      now,
      uids: change.uids,
      identifierKinds: change.identifiers.map((i) => i.kind),
      identifierKeys: change.identifiers.map((i) => i.key),
      ends: change.ends,
    });
  }

  /** Takes (and deletes) up to `limit` queued changes, oldest first. */
  async takePending(limit: number): Promise<Change[]> {
    const rows = await this.tx.run('networks/take-pending', { limit });
    return rows.map((raw) => {
      const p = Pending.parse(raw);
      const kinds = p.identifierKinds ?? [];
      const keys = p.identifierKeys ?? [];
      return {
        uids: p.uids ?? [],
        identifiers: kinds.map((kind, i) => ({ kind, key: keys[i] ?? '' })),
        ends: p.ends ?? [],
      };
    });
  }

  async seedMembers(uids: string[]): Promise<string[]> {
    if (uids.length === 0) return [];
    const rows = await this.tx.run('networks/seed-members', { uids });
    return rows.map((r) => Uid.parse(r).uid);
  }

  /**
   * One step of the link graph from each member (one row per member found; uids of other records
   * are passed over), with what is known about the networks each row names.
   */
  async neighbours(uids: readonly string[]): Promise<NeighbourStep[]> {
    if (uids.length === 0) return [];
    const rows = await this.tx.run('networks/neighbours', {
      uids,
      ...this.linkParams,
    });
    return rows.map((raw) => toStep(Neighbour.parse(raw)));
  }

  /**
   * The first flight of a change in one statement: the lock, tombstoned links deleted again, new
   * hubs flagged (their members in a network, by network) and the link-graph step of the change's
   * own uids (as neighbours answers it).
   */
  async changeHead(change: Change, links: LinkKey[], now: string): Promise<ChangeHeadRows> {
    const [row] = await this.tx.run('networks/change-head', {
      links,
      now,
      identifiers: change.identifiers,
      uids: change.uids,
      ends: change.ends,
      ...this.linkParams,
    });
    const head = Head.parse(row);
    return {
      lock: {
        holder: head.holder,
        expiresAt: head.expiresAt ?? 0,
        pending: head.pending,
        tombstones: head.tombstones,
      },
      hubs: head.hubs,
      steps: head.steps.map(toStep),
    };
  }

  /** Flags connectors the change made hubs; their members that are in a network, by network. */
  async flagNewHubs(change: Change): Promise<Array<{ member: string; network: string }>> {
    if (change.identifiers.length === 0 && change.uids.length === 0 && change.ends.length === 0) {
      return [];
    }
    const rows = await this.tx.run('networks/flag-new-hubs', {
      identifiers: change.identifiers,
      uids: change.uids,
      ends: change.ends,
      ...this.linkParams,
    });
    return rows.map((r) => MemberNetwork.parse(r));
  }

  /** Unflags ends that are hubs no more; answers their members. */
  async reopenHubs(ends: string[]): Promise<string[]> {
    if (ends.length === 0) return [];
    const rows = await this.tx.run('networks/reopen-hubs', {
      ends,
      hubLimit: this.scope.hubLimit,
      cap: this.cap,
    });
    return rows.map((r) => Uid.parse(r).uid);
  }

  /** The members whose links ran through the given nodes. */
  async nearMembers(ends: string[]): Promise<string[]> {
    if (ends.length === 0) return [];
    const rows = await this.tx.run('networks/near-members', { ends, cap: this.cap });
    return rows.map((r) => Uid.parse(r).uid);
  }

  async memberships(uids: string[]): Promise<Array<{ member: string; network: string }>> {
    if (uids.length === 0) return [];
    return (await this.tx.run('networks/memberships', { uids })).map((r) => MemberNetwork.parse(r));
  }

  async networkInfo(ids: Iterable<string>): Promise<Map<string, NetworkInfo>> {
    const list = [...new Set(ids)];
    if (list.length === 0) return new Map();
    const rows = await this.tx.run('networks/network-info', { ids: list });
    return new Map(
      rows.map((raw) => {
        const r = Info.parse(raw);
        return [r.id, { ...r, createdAt: r.createdAt ?? '' }];
      }),
    );
  }

  /** The members of a network other than `except`. */
  async remainder(id: string, except: string[]): Promise<string[]> {
    const rows = await this.tx.run('networks/network-remainder', { id, except });
    return rows.map((r) => Uid.parse(r).uid);
  }

  /** Puts members into networks (created when new); a member leaves any other network. */
  async assign(networks: Array<{ id: string; members: string[] }>, now: string): Promise<void> {
    if (networks.length > 0) await this.tx.run('networks/assign-members', { networks, now });
  }

  async absorb(absorbed: Array<{ from: string; into: string }>, now: string): Promise<void> {
    if (absorbed.length > 0) await this.tx.run('networks/absorb-networks', { absorbed, now });
  }

  async detach(uids: string[]): Promise<void> {
    if (uids.length > 0) await this.tx.run('networks/detach-members', { uids });
  }

  async dissolve(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.tx.run('networks/dissolve-networks', { ids });
  }

  async setHubFlags(set: string[], clear: string[]): Promise<void> {
    if (set.length > 0 || clear.length > 0) {
      await this.tx.run('networks/set-hub-flags', { set, clear });
    }
  }

  /**
   * The writes of a growth and the summaries that follow, in one statement: absorbs, then
   * assignments, then the summaries of `refresh` (as refreshSummaries answers them).
   */
  async applyGrowth(
    growth: {
      absorbed: Array<{ from: string; into: string }>;
      assigned: Array<{ id: string; members: string[] }>;
      refresh: string[];
    },
    now: string,
  ): Promise<NetworkSummary[]> {
    const { absorbed, assigned, refresh } = growth;
    if (absorbed.length === 0 && assigned.length === 0) return this.refreshSummaries(refresh);
    const rows = await this.tx.run('networks/apply-growth', {
      absorbed,
      networks: assigned,
      ids: refresh,
      now,
      weights: RISK_WEIGHTS,
    });
    return rows.map((r) => Summary.parse(r));
  }

  /**
   * Recomputes the summaries (size, sellers, platforms, first/last seen, cases, actions…) of the
   * given networks and stores each one's risk score (the weights of risk.ts, in the same statement).
   */
  async refreshSummaries(ids: string[]): Promise<NetworkSummary[]> {
    if (ids.length === 0) return [];
    const rows = await this.tx.run('networks/refresh-summaries', { ids, weights: RISK_WEIGHTS });
    return rows.map((r) => Summary.parse(r));
  }

  /** Removes a link and leaves its tombstone; the element ids of both ends. */
  async retractLink(params: LinkParams, now: string): Promise<{ removed: number; ends: string[] }> {
    const [row] = await this.tx.run('networks/retract-link', { ...params, now });
    if (!row) return { removed: 0, ends: [] };
    const r = Removed.parse(row);
    return { removed: r.removed, ends: r.ends.filter((e): e is string => e !== null) };
  }

  /** Recreates removed links from their tombstones; the element ids of both ends. */
  async restoreLink(params: LinkParams): Promise<{ restored: number; ends: string[] }> {
    const [row] = await this.tx.run('networks/restore-link', { ...params });
    if (!row) return { restored: 0, ends: [] };
    const r = Restored.parse(row);
    return { restored: r.restored, ends: r.ends.filter((e): e is string => e !== null) };
  }

  /** Deletes the given links again where a tombstone names them; how many it deleted. */
  async suppressTombstoned(links: LinkKey[], now: string): Promise<number> {
    if (links.length === 0) return 0;
    const [row] = await this.tx.run('networks/suppress-tombstoned-links', { links, now });
    return row ? Suppressed.parse(row).suppressed : 0;
  }
}

export class LinkStore {
  constructor(
    private readonly db: Database,
    private readonly scope: LinkScope,
  ) {}

  /**
   * Runs fn in one write transaction (retried whole on transient errors such as a deadlock, so fn
   * must keep no state outside); fn's first statement must be `lock()`.
   */
  write<T>(fn: (t: LinkTx) => Promise<T>): Promise<T> {
    return this.db.writeTransaction((tx) => fn(new LinkTx(tx, this.scope)));
  }

  // The full recompute's snapshot, read outside the lock while its lease holds changes back.

  async allConnectorMembers(): Promise<ConnectorRow[]> {
    const rows = await this.db.read('networks/all-connector-members', {
      kinds: this.scope.kinds,
      routes: this.scope.routes,
      excluded: this.scope.excluded,
      cap: this.scope.hubLimit + 1,
      hubLimit: this.scope.hubLimit,
    });
    return rows.map((r) => ConnectorMembers.parse(r));
  }

  async allPartyLinks(): Promise<Array<z.infer<typeof Party>>> {
    if (!this.scope.parties) return [];
    return (await this.db.read('networks/all-party-links')).map((r) => Party.parse(r));
  }

  async allMemberships(): Promise<MembershipRow[]> {
    return (await this.db.read('networks/all-memberships')).map((raw) => {
      const r = Membership.parse(raw);
      return {
        member: r.member,
        network: { id: r.network, createdAt: r.createdAt ?? '', size: r.size },
      };
    });
  }

  async allNetworkIds(): Promise<string[]> {
    return (await this.db.read('networks/all-network-ids')).map((r) => IdRow.parse(r).id);
  }
}
