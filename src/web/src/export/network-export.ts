// Gathers what a network's takedown complaints need (one SellerPackage query per seller, a few at
// a time) and builds the per-platform packages.
import type { GraphQLClient } from '../api/client.js';
import type { NetworkDetail } from '../api/explore-api.js';
import {
  LISTING_EXTRAS,
  SELLER_EXTRAS,
  SELLER_PACKAGE,
  type ListingExtrasData,
} from '../api/operations.js';
import {
  buildComplaintPackages,
  complaintSellerOf,
  type ComplaintPackage,
  type ComplaintSeller,
} from './complaint.js';

/** Runs `task` over `items`, at most `limit` at once, keeping order. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function complaintPackagesFor(
  client: GraphQLClient,
  network: Pick<NetworkDetail, 'id' | 'name' | 'members'>,
  now: Date = new Date(),
): Promise<ComplaintPackage[]> {
  const sellers = network.members.filter((m) => m.__typename === 'Seller');
  const loaded = await mapLimited(sellers, 4, async (s) => {
    const [data, sellerExtras] = await Promise.all([
      client.request(SELLER_PACKAGE, { id: s.id }),
      client.request(SELLER_EXTRAS, { id: s.id }),
    ]);
    const listings = (data.node?.listings?.edges ?? []).map((e) => e.node.node.id);
    const extras = await mapLimited(listings, 4, (id) => client.request(LISTING_EXTRAS, { id }));
    return complaintSellerOf(
      data,
      new Map<string, ListingExtrasData>(listings.map((id, i) => [id, extras[i]!])),
      sellerExtras,
    );
  });
  return buildComplaintPackages(
    { id: network.id, name: network.name },
    loaded.filter((s): s is ComplaintSeller => s !== null),
    now.toISOString(),
  );
}
