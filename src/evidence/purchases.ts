// Test purchases as first-class records: the order, what was paid (exact decimal text), the
// delivery's waybill, photos of what arrived, and the authentication verdict with who gave it.
// Stored as EnforcementAction(kind TEST_PURCHASE):TestPurchase nodes on the graph model's keys.
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { toGraphObject } from '../graph/model.js';
import { normalizeWaybill } from '../identifiers/waybill.js';
import { toGlobalId } from '../server/relay.js';
import { uidOfGlobalId, toRecord } from './evidence-service.js';

export const AUTHENTICATION_RESULTS = ['GENUINE', 'COUNTERFEIT', 'INCONCLUSIVE'] as const;

export const TestPurchaseInput = z.object({
  platform: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be a platform code such as jd or taobao'),
  orderNumber: z.string().trim().min(1).max(200),
  sellerId: z.string().min(1),
  amountPaid: z
    .string()
    .trim()
    .regex(/^\d{1,15}(\.\d{1,6})?$/, 'must be a decimal amount such as 129.00'),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
  purchasedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  waybill: z.string().trim().min(1).max(200).nullish(),
  carrier: z.string().trim().min(1).max(100).nullish(),
  caseId: z.string().min(1).nullish(),
  evidenceIds: z.array(z.string().min(1)).max(200).nullish(),
});
export type TestPurchaseInput = z.infer<typeof TestPurchaseInput>;

export type PurchaseResult =
  | { ok: true; testPurchase: Record<string, unknown> }
  | { ok: false; code: string; message: string };

const Row = z.object({
  props: z.record(z.string(), z.unknown()),
  sellerLabels: z.array(z.string()).nullable(),
  seller: z.record(z.string(), z.unknown()).nullable(),
  caseProps: z.record(z.string(), z.unknown()).nullable(),
  evidence: z.array(z.record(z.string(), z.unknown())),
});

const refuse = (code: string, message: string): PurchaseResult => ({ ok: false, code, message });

export class TestPurchaseStore {
  constructor(private readonly db: Database) {}

  async record(raw: unknown): Promise<PurchaseResult> {
    const parsed = TestPurchaseInput.safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      return refuse('BAD_USER_INPUT', `${i.path.join('.')}: ${i.message}`);
    }
    const input = parsed.data;
    let sellerUid: string;
    let caseUid: string | null = null;
    let evidenceUids: string[];
    try {
      sellerUid = uidOfGlobalId(input.sellerId);
      if (input.caseId) caseUid = uidOfGlobalId(input.caseId);
      evidenceUids = (input.evidenceIds ?? []).map(uidOfGlobalId);
    } catch {
      return refuse('BAD_USER_INPUT', 'an id is not valid');
    }
    if (caseUid !== null && !caseUid.startsWith('Case:'))
      return refuse('BAD_USER_INPUT', 'caseId: not a case');
    let waybill: { key: string; display: string; raw: string; normalized: boolean } | null = null;
    if (input.waybill) {
      const n = normalizeWaybill(input.waybill, input.carrier ? { provider: input.carrier } : {});
      waybill = n.ok
        ? { key: n.key, display: n.display, raw: n.raw, normalized: true }
        : { key: input.waybill, display: input.waybill, raw: input.waybill, normalized: false };
    }
    const key = `test-purchase:${input.platform}:${input.orderNumber}`;
    const uid = `EnforcementAction:${key}`;
    const rows = await this.db.write('evidence/purchase-record', {
      uid,
      key,
      sellerUid,
      caseUid,
      platform: input.platform,
      orderNumber: input.orderNumber,
      amountPaid: input.amountPaid,
      currency: input.currency,
      purchasedOn: input.purchasedOn,
      carrier: input.carrier ?? null,
      waybillKey: waybill?.key ?? null,
      waybillDisplay: waybill?.display ?? null,
      waybillRaw: waybill?.raw ?? null,
      waybillNormalized: waybill?.normalized ?? false,
      evidenceUids,
      source: 'test-purchase',
      now: new Date().toISOString(),
    });
    if (rows.length === 0)
      return refuse('NOT_FOUND', `sellerId: no record has id ${input.sellerId}`);
    return this.one(uid);
  }

  async authenticate(
    id: string,
    result: (typeof AUTHENTICATION_RESULTS)[number],
    by: string,
    at: string,
  ): Promise<PurchaseResult> {
    let uid: string;
    try {
      uid = uidOfGlobalId(id);
    } catch {
      return refuse('BAD_USER_INPUT', 'id: not a valid id');
    }
    const rows = await this.db.write('evidence/purchase-authenticate', { uid, result, by, at });
    if (rows.length === 0) return refuse('NOT_FOUND', `no test purchase has id ${id}`);
    return this.one(uid);
  }

  async list(filter: {
    uid?: string;
    caseUid?: string;
    sellerUid?: string;
  }): Promise<Record<string, unknown>[]> {
    const rows = await this.db.read('evidence/purchase-get', {
      uid: filter.uid ?? null,
      caseUid: filter.caseUid ?? null,
      sellerUid: filter.sellerUid ?? null,
    });
    return rows.map((raw) => {
      const r = Row.parse(raw);
      const p = r.props;
      return {
        ...p,
        __typename: 'TestPurchase',
        id: toGlobalId('EnforcementAction', String(p['key'])),
        purchasedOn: p['date'] ?? null,
        seller: r.seller && r.sellerLabels ? toGraphObject(r.sellerLabels, r.seller) : null,
        case: r.caseProps ? toGraphObject(['Case'], r.caseProps) : null,
        evidence: r.evidence.map(toRecord),
      };
    });
  }

  private async one(uid: string): Promise<PurchaseResult> {
    const [p] = await this.list({ uid });
    return p ? { ok: true, testPurchase: p } : refuse('NOT_FOUND', 'the test purchase vanished');
  }
}
