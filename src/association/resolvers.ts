// Thin resolvers for the association domain and the STIX export query.
import type { IResolvers } from '@graphql-tools/utils';
import { isTlp } from '../federation/sharing-policy.js';
import type { StixExporter } from '../interop/stix/export.js';
import type { GraphQLContext } from '../server/context.js';
import { BadUserInputError } from '../server/errors.js';
import type { Association } from './association.js';
import type { OwnTokenPlace } from './store.js';

const place = (p: OwnTokenPlace) => ({
  kind: p.kind,
  entityUids: p.entities,
  localNetworkIds: p.networks,
});

export function createAssociationResolvers(deps: {
  association: Association;
  stix: StixExporter;
}): IResolvers<unknown, GraphQLContext> {
  return {
    Query: {
      async associationReport(_: unknown, args: { period?: string | null }) {
        const mapped = await deps.association.latest(args.period ?? null);
        if (!mapped) return null;
        const { report } = mapped;
        const own = new Map(mapped.ownNetworks.map((o) => [o.networkId, o.places]));
        return {
          period: report.period,
          version: report.version,
          k: report.k,
          indicatorCount: report.indicators.length,
          ownIndicators: mapped.ownIndicators.map(place),
          networks: report.networks.map((n) => ({ ...n, own: (own.get(n.id) ?? []).map(place) })),
          statistics: report.statistics.map((s) => ({
            platform: s.platform,
            region: s.region,
            category: s.category,
            members: s.members,
            takedownSuccessRate: s.takedownSuccessRate,
            ...s.totals,
          })),
        };
      },
      async stixExport(
        _: unknown,
        args: { tlpMax?: string | null; includeRaw?: boolean | null },
        ctx,
      ) {
        const tlpMax = args.tlpMax ?? 'AMBER';
        if (!isTlp(tlpMax))
          throw new BadUserInputError('tlpMax must be CLEAR, GREEN, AMBER, AMBER+STRICT or RED');
        const bundle = await deps.stix.export(
          { tlpMax, includeRaw: args.includeRaw === true },
          ctx.principal,
        );
        return JSON.stringify(bundle);
      },
    },
    Mutation: {
      sendMemberReport: (_: unknown, args: { period: string }) =>
        deps.association.sendReport(args.period),
      publishAssociationReport: (_: unknown, args: { period: string }) =>
        deps.association.publish(args.period),
    },
  };
}
