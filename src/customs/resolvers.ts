// Thin resolvers of schema/customs.graphql: trademarks, recordations expiring within N days,
// seizures with the marks they infringe.
import { refOfId } from '../explore/refs.js';
import { BadUserInputError } from '../server/errors.js';
import { toConnection, toPage, type PageArgs } from '../server/relay.js';
import type { CustomsStore } from './store.js';

const DAY_MS = 86_400_000;

export function createCustomsResolvers(deps: { store: CustomsStore; now?: () => Date }) {
  const { store } = deps;
  return {
    Query: {
      trademarks: async (_: unknown, args: PageArgs & { mark?: string | null }) => {
        const page = toPage(args);
        const mark = args.mark ?? null;
        const [items, total] = await Promise.all([
          store.trademarks(mark, { offset: page.offset, limit: page.limit + 1 }),
          store.countTrademarks(mark),
        ]);
        return toConnection(items, page, total);
      },
      expiringRecordations: async (_: unknown, args: PageArgs & { withinDays: number }) => {
        if (!Number.isInteger(args.withinDays) || args.withinDays < 0 || args.withinDays > 3650) {
          throw new BadUserInputError('withinDays must be a whole number from 0 to 3650', {
            argument: 'withinDays',
          });
        }
        const page = toPage(args);
        const now = deps.now?.() ?? new Date();
        const today = now.toISOString().slice(0, 10);
        const until = new Date(now.getTime() + args.withinDays * DAY_MS).toISOString().slice(0, 10);
        const [items, total] = await Promise.all([
          store.expiring(today, until, { offset: page.offset, limit: page.limit + 1 }),
          store.countExpiring(today, until),
        ]);
        return toConnection(items, page, total);
      },
      seizures: async (_: unknown, args: PageArgs & { trademark?: string | null }) => {
        let trademarkUid: string | null = null;
        if (args.trademark) {
          const ref = refOfId(args.trademark, 'trademark');
          if (!('uid' in ref) || !ref.uid.startsWith('Trademark:')) {
            throw new BadUserInputError('trademark must be the id of a trademark', {
              argument: 'trademark',
            });
          }
          trademarkUid = ref.uid;
        }
        const page = toPage(args);
        const [items, total] = await Promise.all([
          store.seizures(trademarkUid, { offset: page.offset, limit: page.limit + 1 }),
          store.countSeizures(trademarkUid),
        ]);
        return toConnection(items, page, total);
      },
    },
  };
}
