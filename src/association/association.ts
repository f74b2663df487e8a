// Builds the association domain at composition time (main.ts). On an association node: accepts
// members' `palisade.report.v1` (each member's latest version per period), aggregates with
// k-anonymity and publishes `palisade.association-report.v1` to every active member through the
// outbox (signed and encrypted by the federation). On a brand node: builds and sends its member
// report, stores the association's reports and maps them back onto its own entities.
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Federation } from '../federation/federation.js';
import { PayloadRejectedError } from '../federation/message-handlers.js';
import type { Privacy } from '../privacy/privacy.js';
import type { ShareRow } from '../privacy/indicators.js';
import { BadUserInputError } from '../server/errors.js';
import type { Logger } from '../server/logger.js';
import { aggregate, type MemberSubmission } from './aggregate.js';
import { buildMemberReport, periodRange } from './builder.js';
import {
  ASSOCIATION_REPORT_TYPE,
  associationReportSchema,
  MEMBER_REPORT_TYPE,
  memberReportSchema,
  PERIOD,
  type AssociationReport,
} from './report.js';
import { AssociationStore, type OwnTokenPlace } from './store.js';

const SHARE_PAGE = 5000;

export interface MappedReport {
  report: AssociationReport;
  association: string;
  /** Each published network holding own tokens, with the own entities and local networks behind them. */
  ownNetworks: { networkId: string; places: OwnTokenPlace[] }[];
  /** Own tokens among the published indicators. */
  ownIndicators: OwnTokenPlace[];
}

export interface Association {
  store: AssociationStore;
  /** Brand: builds the member report for a period and queues it to the association. */
  sendReport(
    period: string,
  ): Promise<{ version: number; indicators: number; networks: number; cells: number }>;
  /** Association: aggregates the period and queues the signed report to every active member. */
  publish(period: string): Promise<{
    version: number;
    members: number;
    recipients: number;
    indicators: number;
    networks: number;
  }>;
  /** Brand: the latest report received, mapped onto own entities. */
  latest(period: string | null): Promise<MappedReport | null>;
}

function checkPeriod(period: string): void {
  if (!PERIOD.test(period)) throw new BadUserInputError('period must be a month such as 2026-11');
}

export function createAssociation(deps: {
  config: Config;
  db: Database;
  logger: Logger;
  federation: Federation;
  privacy: Privacy;
}): Association {
  const { config, db, logger, federation, privacy } = deps;
  const store = new AssociationStore(db);
  const defaultTlp = config.privacy.shareDefaultTlp;

  if (config.node.role === 'association') {
    federation.handlers.register(MEMBER_REPORT_TYPE, {
      from: ['partner'],
      async handle(tx, message) {
        const parsed = memberReportSchema.safeParse(message.payload);
        if (!parsed.success) throw new PayloadRejectedError('not a valid member report');
        const r = parsed.data;
        const stored = await store.putMemberReport(tx, {
          member: message.senderId,
          period: r.period,
          version: r.version,
          payload: JSON.stringify(r),
        });
        // Counts only: never tokens.
        logger.info(
          {
            peer: message.senderId,
            period: r.period,
            version: r.version,
            indicators: r.indicators.length,
          },
          stored ? 'member report stored' : 'older member report ignored',
        );
      },
    });
  } else {
    federation.handlers.register(ASSOCIATION_REPORT_TYPE, {
      from: ['association'],
      async handle(tx, message) {
        const parsed = associationReportSchema.safeParse(message.payload);
        if (!parsed.success) throw new PayloadRejectedError('not a valid association report');
        const r = parsed.data;
        const stored = await store.putReceivedReport(tx, {
          association: message.senderId,
          period: r.period,
          version: r.version,
          payload: JSON.stringify(r),
        });
        logger.info(
          { peer: message.senderId, period: r.period, networks: r.networks.length },
          stored ? 'association report stored' : 'older association report ignored',
        );
      },
    });
  }

  return {
    store,
    async sendReport(period) {
      checkPeriod(period);
      if (config.node.role === 'association')
        throw new BadUserInputError('an association sends no member report');
      const { keyId } = await privacy.tokenizeAll();
      const rows: ShareRow[] = [];
      for (let offset = 0; ; offset += SHARE_PAGE) {
        const page = await privacy.store.shareRows(keyId, { offset, limit: SHARE_PAGE });
        rows.push(...page);
        if (page.length < SHARE_PAGE) break;
      }
      const { from, to } = periodRange(period);
      const report = buildMemberReport({
        period,
        version: Date.now(),
        keyId,
        rows,
        networks: await store.networkTokenSets(keyId, defaultTlp),
        facts: await store.enforcementFacts(from, to, defaultTlp),
        defaultTlp,
      });
      await db.writeTransaction(async (tx) => {
        await federation.outbox.enqueue(tx, {
          ...(config.privacy.oprfAssociation !== undefined
            ? { peerId: config.privacy.oprfAssociation }
            : { audience: 'association' }),
          messageType: MEMBER_REPORT_TYPE,
          payload: report,
        });
      });
      logger.info({ period, indicators: report.indicators.length }, 'member report queued');
      return {
        version: report.version,
        indicators: report.indicators.length,
        networks: report.networks.length,
        cells: report.enforcement.length,
      };
    },
    async publish(period) {
      checkPeriod(period);
      if (config.node.role !== 'association')
        throw new BadUserInputError('only an association publishes reports');
      const submissions: MemberSubmission[] = [];
      for (const row of await store.memberReports(period)) {
        const parsed = memberReportSchema.safeParse(JSON.parse(row.payload));
        if (parsed.success) submissions.push({ member: row.member, report: parsed.data });
      }
      const version = Date.now();
      const result = aggregate({ period, version, k: config.association.k, submissions });
      const { peers } = await federation.peers.list({ status: 'active', limit: 500, offset: 0 });
      const members = peers.filter((p) => p.role === 'partner');
      await db.writeTransaction(async (tx) => {
        for (const m of members) {
          const payload: AssociationReport = { ...result.shared, own: result.own.get(m.id) ?? [] };
          await federation.outbox.enqueue(tx, {
            peerId: m.id,
            messageType: ASSOCIATION_REPORT_TYPE,
            payload,
          });
        }
      });
      logger.info(
        {
          period,
          members: submissions.length,
          recipients: members.length,
          networks: result.shared.networks.length,
        },
        'association report queued',
      );
      return {
        version,
        members: submissions.length,
        recipients: members.length,
        indicators: result.shared.indicators.length,
        networks: result.shared.networks.length,
      };
    },
    async latest(period) {
      if (period !== null) checkPeriod(period);
      const row = await store.latestReceived(period);
      if (!row) return null;
      const report = associationReportSchema.parse(JSON.parse(row.payload));
      const ownTokens = [...new Set(report.own.flatMap((o) => o.tokens))];
      const indicatorTokens = report.indicators.map((i) => i.token);
      const places = await store.ownPlaces([...new Set([...ownTokens, ...indicatorTokens])]);
      const byToken = new Map(places.map((p) => [p.token, p]));
      return {
        report,
        association: row.association,
        ownNetworks: report.own.map((o) => ({
          networkId: o.networkId,
          places: o.tokens.flatMap((t) => byToken.get(t) ?? []),
        })),
        ownIndicators: indicatorTokens.flatMap((t) => byToken.get(t) ?? []),
      };
    },
  };
}
