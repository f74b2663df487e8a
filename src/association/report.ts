// The member report a brand sends its association (`palisade.report.v1`) and the association's
// published cross-brand report (`palisade.association-report.v1`): shapes and strict validation.
// A member report carries tokens and closed-vocabulary context only, plus counts; no names, no
// free text. The published report never names a member. Pure.
import { z } from 'zod';
import { CATEGORIES, INDICATOR_KINDS, PLATFORM_CODES } from '../privacy/indicators.js';
import { parseToken } from '../privacy/token.js';

export const MEMBER_REPORT_TYPE = 'palisade.report.v1';
export const ASSOCIATION_REPORT_TYPE = 'palisade.association-report.v1';

/** A reporting period: a calendar month. */
export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .nullable();
const token = z
  .string()
  .max(200)
  .refine((t) => {
    try {
      parseToken(t);
      return true;
    } catch {
      return false;
    }
  }, 'not an indicator token');
const count = z.number().int().min(0).max(1e12);
/** Regions are ISO 3166 alpha-2 codes or "other"; anything finer would identify a case. */
const region = z.string().regex(/^([A-Z]{2}|other)$/);

export const reportIndicatorSchema = z
  .object({
    token,
    kind: z.enum(INDICATOR_KINDS),
    platforms: z.array(z.enum(PLATFORM_CODES)).max(8),
    categories: z.array(z.enum(CATEGORIES)).max(8),
    firstSeen: day,
    lastSeen: day,
  })
  .strict();

export const ENFORCEMENT_MEASURES = [
  'takedownsRequested',
  'takedownsSucceeded',
  'testPurchases',
  'raids',
  'seizures',
  'itemsSeized',
  'arrests',
  'civilCases',
  'civilWon',
  'criminalCases',
  'criminalConvictions',
] as const;
export type EnforcementMeasure = (typeof ENFORCEMENT_MEASURES)[number];

export const enforcementCellSchema = z
  .object({
    platform: z.enum(PLATFORM_CODES),
    region,
    category: z.enum(CATEGORIES),
    ...(Object.fromEntries(ENFORCEMENT_MEASURES.map((m) => [m, count])) as Record<
      EnforcementMeasure,
      typeof count
    >),
  })
  .strict();
export type EnforcementCell = z.infer<typeof enforcementCellSchema>;

export const memberReportSchema = z
  .object({
    schema: z.literal(MEMBER_REPORT_TYPE),
    period: z.string().regex(PERIOD),
    /** Increases with every send for the period; a later version replaces the earlier one. */
    version: z.number().int().min(0),
    keyId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    indicators: z.array(reportIndicatorSchema).max(200_000),
    /** "These tokens belong to one network of mine": the member's networks as sets of tokens. */
    networks: z.array(z.object({ tokens: z.array(token).min(1).max(10_000) }).strict()).max(50_000),
    enforcement: z.array(enforcementCellSchema).max(10_000),
  })
  .strict();
export type MemberReport = z.infer<typeof memberReportSchema>;
export type ReportIndicator = z.infer<typeof reportIndicatorSchema>;

/** One item of the published report: what ≥ k members reported, described without naming them. */
export interface PublishedIndicator {
  token: string;
  kind: string;
  brandCount: number;
  platforms: string[];
  categories: string[];
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface PublishedNetwork {
  /** Stable for the same set of tokens. */
  id: string;
  size: number;
  brandCount: number;
  platforms: string[];
  categories: string[];
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface PublishedStatistic {
  /** '*' = all values of that dimension. */
  platform: string;
  region: string;
  category: string;
  members: number;
  totals: Record<EnforcementMeasure, number>;
  /** takedownsSucceeded / takedownsRequested, or null when none were requested. */
  takedownSuccessRate: number | null;
}

export interface AssociationReport {
  schema: typeof ASSOCIATION_REPORT_TYPE;
  period: string;
  /** Increases with every publication for the period. */
  version: number;
  k: number;
  indicators: PublishedIndicator[];
  networks: PublishedNetwork[];
  statistics: PublishedStatistic[];
  /** Per recipient: which published networks hold which of the recipient's OWN tokens. */
  own: { networkId: string; tokens: string[] }[];
}

const published = z
  .object({
    token,
    kind: z.enum(INDICATOR_KINDS),
    brandCount: z.number().int().min(1),
    platforms: z.array(z.enum(PLATFORM_CODES)),
    categories: z.array(z.enum(CATEGORIES)),
    firstSeen: day,
    lastSeen: day,
  })
  .strict();
const publishedNetwork = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    size: z.number().int().min(1),
    brandCount: z.number().int().min(1),
    platforms: z.array(z.enum(PLATFORM_CODES)),
    categories: z.array(z.enum(CATEGORIES)),
    firstSeen: day,
    lastSeen: day,
  })
  .strict();
const statistic = z
  .object({
    platform: z.union([z.enum(PLATFORM_CODES), z.literal('*')]),
    region: z.union([region, z.literal('*')]),
    category: z.union([z.enum(CATEGORIES), z.literal('*')]),
    members: z.number().int().min(1),
    totals: z
      .object(
        Object.fromEntries(ENFORCEMENT_MEASURES.map((m) => [m, count])) as Record<
          EnforcementMeasure,
          typeof count
        >,
      )
      .strict(),
    takedownSuccessRate: z.number().min(0).max(1).nullable(),
  })
  .strict();

export const associationReportSchema = z
  .object({
    schema: z.literal(ASSOCIATION_REPORT_TYPE),
    period: z.string().regex(PERIOD),
    version: z.number().int().min(0),
    k: z.number().int().min(2),
    indicators: z.array(published).max(500_000),
    networks: z.array(publishedNetwork).max(100_000),
    statistics: z.array(statistic).max(100_000),
    own: z
      .array(z.object({ networkId: z.string(), tokens: z.array(token).max(10_000) }).strict())
      .max(100_000),
  })
  .strict();
