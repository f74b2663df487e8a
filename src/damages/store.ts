// The only code that runs cypher/damages/*: the listings (units sold, price, currency) a case's
// or a network's damages are computed from.
import { z } from 'zod';
import type { Database } from '../db/database.js';
import type { ListingSale } from './estimate.js';

const Row = z.object({
  uid: z.string(),
  url: z.string().nullable(),
  title: z.string().nullable(),
  unitsSold: z.number().nullable(),
  price: z.number().nullable(),
  currency: z.string().nullable(),
});

export class DamagesStore {
  constructor(private readonly db: Database) {}

  async caseListings(caseUid: string): Promise<ListingSale[]> {
    return (await this.db.read('damages/case-listings', { uid: caseUid })).map((r) => Row.parse(r));
  }

  async networkListings(networkId: string): Promise<ListingSale[]> {
    return (await this.db.read('damages/network-listings', { id: networkId })).map((r) =>
      Row.parse(r),
    );
  }
}
