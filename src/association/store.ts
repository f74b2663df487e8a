// The only code that runs cypher/association/*: members' latest reports (association side), the
// published reports a brand received, and the brand's own data the member report is built from.
import { z } from 'zod';
import type { Database, Tx } from '../db/database.js';
import type { EnforcementFact } from './builder.js';

const VersionRow = z.object({ version: z.number() });
const MemberRow = z.object({ member: z.string(), payload: z.string() });
const ReceivedRow = z.object({ association: z.string(), period: z.string(), payload: z.string() });
const OwnRow = z.object({
  token: z.string(),
  kind: z.string(),
  entities: z.array(z.string()),
  networks: z.array(z.string()),
});
const FactRow = z.object({
  kind: z.string(),
  jurisdiction: z.string().nullable(),
  outcome: z.string().nullable(),
  itemsSeized: z.number().nullable(),
  arrests: z.number().nullable(),
  platforms: z.array(z.unknown()),
  categories: z.array(z.unknown()),
});

export interface OwnTokenPlace {
  token: string;
  kind: string;
  entities: string[];
  networks: string[];
}

export class AssociationStore {
  constructor(private readonly db: Database) {}

  /** Stores a member's report unless one of the same or a later version is held; true if stored. */
  async putMemberReport(
    tx: Tx,
    r: { member: string; period: string; version: number; payload: string },
  ): Promise<boolean> {
    const [row] = await tx.run('association/member-report-version', r);
    if (row && VersionRow.parse(row).version >= r.version) return false;
    await tx.run('association/member-report-set', r);
    return true;
  }

  async memberReports(period: string): Promise<{ member: string; payload: string }[]> {
    const rows = await this.db.read('association/member-reports', { period });
    return rows.map((r) => MemberRow.parse(r));
  }

  async putReceivedReport(
    tx: Tx,
    r: { association: string; period: string; version: number; payload: string },
  ): Promise<boolean> {
    const [row] = await tx.run('association/received-report-version', r);
    if (row && VersionRow.parse(row).version >= r.version) return false;
    await tx.run('association/received-report-set', r);
    return true;
  }

  async latestReceived(
    period: string | null,
  ): Promise<{ association: string; period: string; payload: string } | null> {
    const [row] = await this.db.read('association/received-report-latest', { period });
    return row ? ReceivedRow.parse(row) : null;
  }

  async ownPlaces(tokens: readonly string[]): Promise<OwnTokenPlace[]> {
    if (tokens.length === 0) return [];
    const rows = await this.db.read('association/own-entities', { tokens: [...tokens] });
    return rows.map((r) => OwnRow.parse(r));
  }

  async networkTokenSets(keyId: string, defaultTlp: string): Promise<string[][]> {
    const rows = await this.db.read('association/report-networks', { keyId, defaultTlp });
    return rows.map((r) => z.object({ tokens: z.array(z.string()) }).parse(r).tokens);
  }

  async enforcementFacts(from: string, to: string, defaultTlp: string): Promise<EnforcementFact[]> {
    const rows = await this.db.read('association/report-enforcement', { from, to, defaultTlp });
    return rows.map((r) => FactRow.parse(r));
  }
}
