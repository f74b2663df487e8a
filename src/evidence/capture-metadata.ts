// What a capture says about its file besides the bytes: what it proves (`for`), when and where it
// was captured, its marking. Checked before anything is stored; failures are data. Pure.
import { z } from 'zod';
import { EVIDENCE_KINDS } from '../ingest/model.js';
import { parseTlp, type Tlp } from './tlp.js';

export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface CaptureMetadata {
  /** Relay global id of the listing, seller, shipment, case… the file proves. */
  forId: string;
  /** The evidence record's key; absent: `sha256-<hash>` (one record per distinct file). */
  evidenceId?: string;
  kind?: EvidenceKind;
  title?: string;
  description?: string;
  capturedAt?: string;
  sourceUrl?: string;
  tlp?: Tlp;
}

export type MetadataVerdict =
  { ok: true; value: CaptureMetadata } | { ok: false; field: string; message: string };

const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const Fields = z
  .object({
    for: z.string().min(1, 'is required').max(4096),
    evidenceId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, 'must be 1–200 characters of A-Z, 0-9, . _ : -')
      .optional(),
    kind: z
      .enum(EVIDENCE_KINDS, { error: `must be one of ${EVIDENCE_KINDS.join(', ')}` })
      .optional(),
    title: z.string().max(500).optional(),
    description: z.string().max(4000).optional(),
    capturedAt: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone' })
      .optional(),
    sourceUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(4000)
      .optional(),
    tlp: z.string().optional(),
  })
  .strict();

/** Parses the text fields of an upload (multipart fields, CLI flags); unknown fields are refused. */
export function parseCaptureMetadata(
  fields: Record<string, string | undefined>,
  now: Date = new Date(),
): MetadataVerdict {
  const cleaned = Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = Fields.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field =
      issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || 'fields';
    const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
    return { ok: false, field, message: `${field}: ${message}` };
  }
  const f = parsed.data;
  let tlp: Tlp | undefined;
  if (f.tlp !== undefined) {
    const t = parseTlp(f.tlp);
    if (t === null) {
      return {
        ok: false,
        field: 'tlp',
        message: 'tlp: must be CLEAR, GREEN, AMBER, AMBER+STRICT or RED',
      };
    }
    tlp = t;
  }
  if (f.capturedAt !== undefined && Date.parse(f.capturedAt) > now.getTime() + MAX_CLOCK_SKEW_MS) {
    return { ok: false, field: 'capturedAt', message: 'capturedAt: is in the future' };
  }
  return {
    ok: true,
    value: {
      forId: f.for,
      ...(f.evidenceId !== undefined && { evidenceId: f.evidenceId }),
      ...(f.kind !== undefined && { kind: f.kind }),
      ...(f.title !== undefined && { title: f.title }),
      ...(f.description !== undefined && { description: f.description }),
      ...(f.capturedAt !== undefined && { capturedAt: new Date(f.capturedAt).toISOString() }),
      ...(f.sourceUrl !== undefined && { sourceUrl: f.sourceUrl }),
      ...(tlp !== undefined && { tlp }),
    },
  };
}

/** A sensible kind when the analyst gave none. */
export function defaultKind(mediaType: string): EvidenceKind {
  if (mediaType.startsWith('image/')) return 'SCREENSHOT';
  if (mediaType === 'text/html' || mediaType === 'multipart/related') return 'WEB_CAPTURE';
  if (mediaType === 'application/pdf') return 'DOCUMENT';
  return 'OTHER';
}
