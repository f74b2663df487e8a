// The only code that runs cypher/networks/*: reads the link graph (members, connectors, party
// relations, memberships) and writes network assignments in one transaction. Rows are parsed with
// zod at this boundary.
import { z } from 'zod';
import type { Database } from '../db/database.js';
import type { ExistingNetwork, Assignment } from './assign.js';
import type { RiskFactors } from './risk.js';

const MemberConnector = z.object({ member: z.string(), connector: z.string() });
const ConnectorMembers = z.object({
  connector: z.string(),
  members: z.array(z.string()),
  hub: z.boolean(),
});
const Party = z.object({ member: z.string(), other: z.string() });
const Uid = z.object({ uid: z.string() });
const Membership = z.object({
  member: z.string(),
  network: z.string(),
  createdAt: z.string().nullable(),
  size: z.number().int(),
});
const NetworkIdRow = z.object({ network: z.string() });
const IdRow = z.object({ id: z.string() });
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

/** What the link queries need to know about the settings. */
export interface LinkScope {
  kinds: string[];
  routes: boolean;
  parties: boolean;
  /** "kind:key" of identifiers that never link. */
  excluded: string[];
  hubLimit: number;
}

export interface MembershipRow {
  member: string;
  network: ExistingNetwork;
}

export interface NetworkSummary extends RiskFactors {
  id: string;
  size: number;
}

export class LinkStore {
  constructor(
    private readonly db: Database,
    private readonly scope: LinkScope,
  ) {}

  async connectorsOf(uids: string[]): Promise<Array<z.infer<typeof MemberConnector>>> {
    if (uids.length === 0) return [];
    const rows = await this.db.read('networks/connectors-of-members', {
      uids,
      kinds: this.scope.kinds,
      routes: this.scope.routes,
      excluded: this.scope.excluded,
    });
    return rows.map((r) => MemberConnector.parse(r));
  }

  async membersOf(connectors: string[]): Promise<Array<z.infer<typeof ConnectorMembers>>> {
    if (connectors.length === 0) return [];
    const rows = await this.db.read('networks/members-of-connectors', {
      connectors,
      cap: this.scope.hubLimit + 1,
      hubLimit: this.scope.hubLimit,
    });
    return rows.map((r) => ConnectorMembers.parse(r));
  }

  async partyNeighbours(uids: string[]): Promise<Array<z.infer<typeof Party>>> {
    if (uids.length === 0 || !this.scope.parties) return [];
    const rows = await this.db.read('networks/party-neighbours', { uids });
    return rows.map((r) => Party.parse(r));
  }

  async seedMembers(uids: string[]): Promise<string[]> {
    if (uids.length === 0) return [];
    const rows = await this.db.read('networks/seed-members', { uids });
    return rows.map((r) => Uid.parse(r).uid);
  }

  /** Flags connectors that just became hubs; the networks that may have depended on them. */
  async newlyHubNetworks(
    identifiers: Array<{ kind: string; key: string }>,
    uids: string[],
  ): Promise<string[]> {
    if (identifiers.length === 0 && uids.length === 0) return [];
    const rows = await this.db.write('networks/newly-hub-networks', {
      identifiers,
      uids,
      kinds: this.scope.kinds,
      routes: this.scope.routes,
      cap: this.scope.hubLimit + 1,
      hubLimit: this.scope.hubLimit,
    });
    return rows.map((r) => NetworkIdRow.parse(r).network);
  }

  async clearHubFlags(connectors: string[]): Promise<void> {
    if (connectors.length > 0) await this.db.write('networks/clear-hub-flags', { connectors });
  }

  async memberships(uids: string[]): Promise<MembershipRow[]> {
    if (uids.length === 0) return [];
    return (await this.db.read('networks/memberships', { uids })).map(toMembership);
  }

  async allMemberships(): Promise<MembershipRow[]> {
    return (await this.db.read('networks/all-memberships')).map(toMembership);
  }

  async allNetworkIds(): Promise<string[]> {
    return (await this.db.read('networks/all-network-ids')).map((r) => IdRow.parse(r).id);
  }

  async membersOfNetworks(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.read('networks/members-of-networks', { ids });
    return rows.map((r) => Uid.parse(r).uid);
  }

  async allConnectorMembers(): Promise<Array<z.infer<typeof ConnectorMembers>>> {
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

  async setHubFlags(hubs: string[]): Promise<void> {
    await this.db.write('networks/set-hub-flags', { hubs });
  }

  /**
   * Writes an assignment in one transaction and refreshes the summaries of the networks it kept
   * or created; `score` turns a summary into the stored risk score.
   */
  async apply(
    a: Assignment,
    score: (s: NetworkSummary) => number,
    now: string,
  ): Promise<NetworkSummary[]> {
    return this.db.writeTransaction(async (tx) => {
      const networks = a.networks.map((n) => ({ id: n.id, members: n.members }));
      if (networks.length > 0) await tx.run('networks/upsert-networks', { networks, now });
      if (a.absorbed.length > 0) {
        await tx.run('networks/absorb-networks', { absorbed: a.absorbed, now });
      }
      if (networks.length > 0) await tx.run('networks/set-members', { networks });
      if (a.detached.length > 0) await tx.run('networks/detach-members', { uids: a.detached });
      if (a.dissolved.length > 0) await tx.run('networks/dissolve-networks', { ids: a.dissolved });
      const ids = networks.map((n) => n.id);
      if (ids.length === 0) return [];
      const summaries = (await tx.run('networks/refresh-summaries', { ids })).map((r) =>
        Summary.parse(r),
      );
      await tx.run('networks/set-risk', {
        scores: summaries.map((s) => ({ id: s.id, score: score(s) })),
      });
      return summaries;
    });
  }
}

function toMembership(raw: unknown): MembershipRow {
  const r = Membership.parse(raw);
  return {
    member: r.member,
    network: { id: r.network, createdAt: r.createdAt ?? '', size: r.size },
  };
}
