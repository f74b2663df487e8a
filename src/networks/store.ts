// The only code that runs the network read statements (cypher/networks/list, by-id, members…):
// networks and their members parsed at the boundary into GraphQL-ready objects.
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { toGraphObject } from '../graph/model.js';

const Props = z.record(z.string(), z.unknown());
const NetworkRow = z.object({ props: Props, aliases: z.array(z.string()).optional() });
const NodeRow = z.object({ labels: z.array(z.string()), props: Props });
const Total = z.object({ total: z.number().int() });

export interface NetworkRecord {
  id: string;
  aliases: string[];
  size: number;
  sellers: number;
  platforms: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  createdAt: string | null;
  riskFactors: {
    sellers: number;
    platformCount: number;
    cases: number;
    actions: number;
    activeAfterTakedown: number;
    sharedFactories: number;
  };
  riskScore: number;
}

export interface NetworkListFilter {
  minSize: number | null;
  platform: string | null;
  orderBy: 'SIZE' | 'RISK' | 'LAST_SEEN';
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const str = (v: unknown) => (typeof v === 'string' ? v : null);

function toNetwork(raw: unknown): NetworkRecord {
  const { props: p, aliases } = NetworkRow.parse(raw);
  const platforms = Array.isArray(p['platforms']) ? p['platforms'].map(String) : [];
  return {
    id: String(p['id']),
    aliases: aliases ?? [],
    size: num(p['size']),
    sellers: num(p['sellers']),
    platforms,
    firstSeen: str(p['firstSeen']),
    lastSeen: str(p['lastSeen']),
    createdAt: str(p['createdAt']),
    riskFactors: {
      sellers: num(p['sellers']),
      platformCount: platforms.length,
      cases: num(p['cases']),
      actions: num(p['actions']),
      activeAfterTakedown: num(p['activeAfterTakedown']),
      sharedFactories: num(p['sharedFactories']),
    },
    riskScore: num(p['riskScore']),
  };
}

const toNodes = (rows: unknown[]) =>
  rows.flatMap((raw) => {
    const r = NodeRow.parse(raw);
    const o = toGraphObject(r.labels, r.props);
    return o ? [o] : [];
  });

export class NetworkStore {
  constructor(private readonly db: Database) {}

  /** A network by id, or by the id of a network merged into it. */
  async byId(id: string): Promise<NetworkRecord | null> {
    const [row] = await this.db.read('networks/by-id', { id });
    return row ? toNetwork(row) : null;
  }

  async of(uid: string): Promise<NetworkRecord | null> {
    const [row] = await this.db.read('networks/network-of', { uid });
    return row ? toNetwork(row) : null;
  }

  async list(
    filter: NetworkListFilter,
    page: { offset: number; limit: number },
  ): Promise<NetworkRecord[]> {
    const rows = await this.db.read('networks/list', { ...filter, ...page });
    return rows.map(toNetwork);
  }

  async count(filter: NetworkListFilter): Promise<number> {
    const [row] = await this.db.read('networks/count', { ...filter });
    return row ? Total.parse(row).total : 0;
  }

  async members(
    id: string,
    labels: string[] | null,
    page: { offset: number; limit: number },
  ): Promise<Array<Record<string, unknown>>> {
    return toNodes(await this.db.read('networks/members', { id, labels, ...page }));
  }

  async countMembers(id: string, labels: string[] | null): Promise<number> {
    const [row] = await this.db.read('networks/count-members', { id, labels });
    return row ? Total.parse(row).total : 0;
  }

  async cases(id: string): Promise<Array<Record<string, unknown>>> {
    return toNodes(await this.db.read('networks/cases', { id }));
  }

  async actions(id: string): Promise<Array<Record<string, unknown>>> {
    return toNodes(await this.db.read('networks/actions', { id }));
  }
}
