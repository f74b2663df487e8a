// Thin GraphQL resolvers of the evidence domain: unpack arguments, call one service function,
// shape the payload. Reading a statement is a VIEW in the item's chain of custody.
import type { GraphQLContext } from '../server/context.js';
import { BadUserInputError } from '../server/errors.js';
import type { DossierService } from './dossier.js';
import { uidOfGlobalId, type EvidenceService } from './evidence-service.js';
import type { TestPurchaseStore } from './purchases.js';
import { tlpFromGraphQL, tlpToGraphQL } from './tlp.js';

type Obj = Record<string, unknown>;

const error = (code: string, message: string) => ({ code, message });

function uidOf(id: string): string {
  try {
    return uidOfGlobalId(id);
  } catch {
    throw new BadUserInputError('Not a valid id', { argument: 'id' });
  }
}

export function createEvidenceResolvers(deps: {
  evidence: EvidenceService;
  dossiers: DossierService;
  purchases: TestPurchaseStore;
}) {
  const { evidence, dossiers, purchases } = deps;
  const evidencePayload = async (uid: string, run: () => Promise<unknown>) => {
    if (!uid.startsWith('Evidence:') || !(await evidence.get(uid))) {
      return { ok: false, evidence: null, error: error('NOT_FOUND', 'no evidence has this id') };
    }
    await run();
    return { ok: true, evidence: await evidence.get(uid), error: null };
  };

  return {
    Evidence: {
      tlp: (obj: Obj) => (typeof obj['tlp'] === 'string' ? tlpToGraphQL(obj['tlp']) : null),
      statement: async (obj: Obj, _: unknown, ctx: GraphQLContext) => {
        if (typeof obj['statementJws'] !== 'string') return null;
        await evidence.recordCustody(String(obj['uid']), 'VIEW', ctx.principal.subject, {
          what: 'statement',
          requestId: ctx.requestId,
        });
        return {
          jws: obj['statementJws'],
          kid: obj['statementKid'] ?? null,
          rfc3161Token: obj['tsaToken'] ?? null,
          rfc3161Time: obj['tsaGenTime'] ?? null,
          rfc3161Error: obj['tsaError'] ?? null,
        };
      },
      custody: async (obj: Obj) => {
        const v = await evidence.custody.verify(String(obj['uid']));
        return {
          verified: v.ok,
          problem: v.ok ? null : `${v.problem} at entry ${v.seq}`,
          entries: v.log.entries.map((e) => ({ ...e, detail: JSON.stringify(e.detail) })),
        };
      },
      contentPath: (obj: Obj) =>
        typeof obj['sha256'] === 'string' ? `/evidence/${String(obj['id'])}/content` : null,
    },
    TestPurchase: {
      amountPaid: (obj: Obj) => obj['amountPaid'] ?? null,
    },
    Query: {
      verifyEvidence: (_: unknown, args: { id: string }) => evidence.verify(uidOf(args.id)),
      testPurchases: (_: unknown, args: { caseId?: string | null; sellerId?: string | null }) =>
        purchases.list({
          ...(args.caseId && { caseUid: uidOf(args.caseId) }),
          ...(args.sellerId && { sellerUid: uidOf(args.sellerId) }),
        }),
    },
    Mutation: {
      updateEvidence: async (
        _: unknown,
        {
          input,
        }: {
          input: {
            id: string;
            title?: string | null;
            description?: string | null;
            tlp?: string | null;
          };
        },
      ) => {
        const uid = uidOf(input.id);
        if ((input.title?.length ?? 0) > 500 || (input.description?.length ?? 0) > 4000) {
          return {
            ok: false,
            evidence: null,
            error: error('BAD_USER_INPUT', 'title ≤ 500, description ≤ 4000 characters'),
          };
        }
        return evidencePayload(uid, () =>
          evidence.updateMetadata(uid, {
            title: input.title ?? null,
            description: input.description ?? null,
            tlp: input.tlp ? tlpFromGraphQL(input.tlp) : null,
          }),
        );
      },
      transferEvidence: async (
        _: unknown,
        {
          input,
        }: {
          input: { id: string; authority: string; reference?: string | null; note?: string | null };
        },
        ctx: GraphQLContext,
      ) => {
        const uid = uidOf(input.id);
        if (input.authority.trim() === '' || input.authority.length > 500) {
          return {
            ok: false,
            evidence: null,
            error: error('BAD_USER_INPUT', 'authority: 1–500 characters'),
          };
        }
        return evidencePayload(uid, () =>
          evidence.recordCustody(uid, 'TRANSFER', ctx.principal.subject, {
            authority: input.authority.trim(),
            reference: input.reference?.slice(0, 500) ?? null,
            note: input.note?.slice(0, 1000) ?? null,
          }),
        );
      },
      requestEvidenceDeletion: async (
        _: unknown,
        { input }: { input: { id: string; reason: string } },
        ctx: GraphQLContext,
      ) => {
        const uid = uidOf(input.id);
        if (input.reason.trim() === '') {
          return { ok: false, evidence: null, error: error('BAD_USER_INPUT', 'reason: required') };
        }
        // A request only: evidence is never silently destroyed; an admin acts on it out of band.
        return evidencePayload(uid, () =>
          evidence.recordCustody(uid, 'DELETION_REQUEST', ctx.principal.subject, {
            reason: input.reason.slice(0, 2000),
          }),
        );
      },
      recordTestPurchase: async (_: unknown, { input }: { input: Obj }) => {
        const r = await purchases.record(input);
        return r.ok
          ? { ok: true, testPurchase: r.testPurchase, error: null }
          : { ok: false, testPurchase: null, error: error(r.code, r.message) };
      },
      authenticateTestPurchase: async (
        _: unknown,
        {
          input,
        }: {
          input: {
            id: string;
            result: 'GENUINE' | 'COUNTERFEIT' | 'INCONCLUSIVE';
            authenticatedBy?: string | null;
            authenticatedAt?: string | null;
          };
        },
        ctx: GraphQLContext,
      ) => {
        const r = await purchases.authenticate(
          input.id,
          input.result,
          input.authenticatedBy?.trim() || ctx.principal.subject,
          input.authenticatedAt ?? new Date().toISOString(),
        );
        return r.ok
          ? { ok: true, testPurchase: r.testPurchase, error: null }
          : { ok: false, testPurchase: null, error: error(r.code, r.message) };
      },
      exportDossier: async (
        _: unknown,
        { input }: { input: { kind: 'CASE' | 'NETWORK'; id: string; tlp: string } },
        ctx: GraphQLContext,
      ) => {
        const r = await dossiers.export(
          { kind: input.kind === 'CASE' ? 'case' : 'network', id: input.id },
          tlpFromGraphQL(input.tlp),
          ctx.principal.subject,
        );
        if (!r.ok) return { ok: false, dossier: null, error: error(r.code, r.message) };
        const d = r.dossier;
        return {
          ok: true,
          error: null,
          dossier: {
            id: d.id,
            downloadPath: `/dossiers/${d.id}`,
            sha256: d.sha256,
            size: d.size,
            evidenceCount: d.manifest.files.filter((f) => f.path.startsWith('custody/')).length,
            withheldEvidence: d.manifest.withheld.evidence,
            withheldEntities: d.manifest.withheld.entities,
            withheldLinks: d.manifest.withheld.links,
          },
        };
      },
    },
  };
}
