// The only code that runs cypher/customs/*: trademarks, recordations expiring soon, seizures with
// the marks they infringe.
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { toGraphObject } from '../graph/model.js';

const Props = z.record(z.string(), z.unknown());
const NodeRow = z.object({ labels: z.array(z.string()), props: Props });
const WithMarks = NodeRow.extend({ trademarks: z.array(NodeRow) });
const Total = z.object({ total: z.number().int() });

type Obj = Record<string, unknown>;
type Page = { offset: number; limit: number };

const node = (r: z.infer<typeof NodeRow>): Obj[] => {
  const o = toGraphObject(r.labels, r.props);
  return o ? [o] : [];
};

export class CustomsStore {
  constructor(private readonly db: Database) {}

  async trademarks(mark: string | null, page: Page): Promise<Obj[]> {
    return (await this.db.read('customs/trademarks', { mark, ...page })).flatMap((r) =>
      node(NodeRow.parse(r)),
    );
  }

  async countTrademarks(mark: string | null): Promise<number> {
    return total(await this.db.read('customs/trademarks-count', { mark }));
  }

  async expiring(
    today: string,
    until: string,
    page: Page,
  ): Promise<Array<{ recordation: Obj; trademarks: Obj[] }>> {
    const rows = await this.db.read('customs/expiring-recordations', { today, until, ...page });
    return rows.flatMap((raw) => {
      const r = WithMarks.parse(raw);
      const [recordation] = node(r);
      return recordation ? [{ recordation, trademarks: r.trademarks.flatMap(node) }] : [];
    });
  }

  async countExpiring(today: string, until: string): Promise<number> {
    return total(await this.db.read('customs/expiring-recordations-count', { today, until }));
  }

  async seizures(
    trademarkUid: string | null,
    page: Page,
  ): Promise<Array<{ action: Obj; trademarks: Obj[] }>> {
    const rows = await this.db.read('customs/seizures', { trademarkUid, ...page });
    return rows.flatMap((raw) => {
      const r = WithMarks.parse(raw);
      const [action] = node(r);
      return action ? [{ action, trademarks: r.trademarks.flatMap(node) }] : [];
    });
  }

  async countSeizures(trademarkUid: string | null): Promise<number> {
    return total(await this.db.read('customs/seizures-count', { trademarkUid }));
  }
}

function total(rows: unknown[]): number {
  const [row] = rows;
  return row ? Total.parse(row).total : 0;
}
