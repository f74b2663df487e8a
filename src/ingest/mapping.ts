// The mapping file of `palisade import`: which column feeds which model field, the record kind,
// defaults (source, region, observation time) and CSV options. See MAPPING.md.
import { z } from 'zod';
import { RECORD_KINDS, RECORD_SCHEMAS, type RecordKind } from './model.js';

const PATH = /^[A-Za-z][A-Za-z0-9]*(\.(\d{1,3}|[A-Za-z][A-Za-z0-9]*))*$/;

const fieldPath = z.string().regex(PATH, 'must be a dotted model path such as seller.accountId');

export const Mapping = z
  .object({
    /** The record kind of every row; JSONL lines may instead carry a "record" field. */
    record: z.enum(RECORD_KINDS).optional(),
    format: z.enum(['csv', 'jsonl']).optional(),
    /** Source name for rows that have none. */
    source: z.string().trim().min(1).max(200).optional(),
    /** Phone region for rows that have none (ISO 3166 alpha-2). */
    defaultRegion: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as CN')
      .optional(),
    /** Observation time for rows that have none (default: the file's modification time). */
    observedAt: z.string().optional(),
    csv: z
      .object({
        delimiter: z.string().min(1).max(4).default(','),
        quote: z.string().length(1).default('"'),
      })
      .strict()
      .optional(),
    /** model path → column (CSV header, or a dotted path into a JSONL line). */
    columns: z.record(fieldPath, z.string().min(1)).optional(),
    /** model path → fixed value (e.g. "platform": "jd", "identifiers.0.kind": "PHONE"). */
    constants: z.record(fieldPath, z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .strict();
export type Mapping = z.infer<typeof Mapping>;

export class MappingError extends Error {
  override name = 'MappingError';
}

/** Parses and checks a mapping: every path must start with a field of its record kind. */
export function parseMapping(value: unknown): Mapping {
  const parsed = Mapping.safeParse(value);
  if (!parsed.success) {
    throw new MappingError(
      `Invalid mapping: ${parsed.error.issues
        .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  const mapping = parsed.data;
  if (mapping.record !== undefined) {
    const fields = new Set(Object.keys(RECORD_SCHEMAS[mapping.record].shape));
    const paths = [...Object.keys(mapping.columns ?? {}), ...Object.keys(mapping.constants ?? {})];
    const unknown = paths.filter((p) => !fields.has(p.split('.')[0]!));
    if (unknown.length > 0) {
      throw new MappingError(
        `Invalid mapping: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a field of a ${mapping.record} record (fields: ${[...fields].join(', ')})`,
      );
    }
  }
  if (mapping.format === 'csv' || (mapping.columns && !mapping.record)) {
    if (mapping.record === undefined) {
      throw new MappingError(
        'Invalid mapping: record is required for CSV files and column mappings',
      );
    }
  }
  return mapping;
}

function getPath(row: Record<string, unknown>, path: string): unknown {
  if (path in row) return row[path];
  let cur: unknown = row;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Record<string, unknown> | unknown[] = target;
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const key: string | number = /^\d+$/.test(part) ? Number(part) : part;
    const container = cur as Record<string | number, unknown>;
    if (last) {
      container[key] = value;
      return;
    }
    const nextIsIndex = /^\d+$/.test(parts[i + 1]!);
    container[key] ??= nextIsIndex ? [] : {};
    cur = container[key] as Record<string, unknown> | unknown[];
  });
}

const isBlank = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Drops holes left by array elements whose columns were all empty. */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compact);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v)]));
  }
  return value;
}

export interface MappedRow {
  kind: RecordKind;
  value: Record<string, unknown>;
}

/**
 * One source row (CSV columns or a JSONL object) → a record in the model's shape. Array elements
 * exist only when one of their columns has a value, so "identifiers.1.kind": "EMAIL" as a
 * constant adds nothing to rows whose email column is empty.
 */
export function applyMapping(
  mapping: Mapping,
  row: Record<string, unknown>,
  defaults: { source?: string; region?: string; observedAt?: string } = {},
): MappedRow | { error: string } {
  let value: Record<string, unknown>;
  let kind = mapping.record;
  if (mapping.columns) {
    value = {};
    for (const [path, column] of Object.entries(mapping.columns)) {
      const v = getPath(row, column);
      if (!isBlank(v)) setPath(value, path, v);
    }
  } else {
    const { record, ...rest } = row;
    if (record !== undefined) {
      if (typeof record !== 'string' || !(RECORD_KINDS as readonly string[]).includes(record)) {
        return { error: `record must be one of ${RECORD_KINDS.join(', ')}` };
      }
      kind = record as RecordKind;
    }
    value = rest;
  }
  if (kind === undefined) {
    return { error: `the row names no record kind (add "record" to the row or the mapping)` };
  }
  for (const [path, constant] of Object.entries(mapping.constants ?? {})) {
    const element = /^(.*?\.\d+)\./.exec(path)?.[1];
    if (element !== undefined && getPath(value, element) === undefined) continue;
    if (getPath(value, path) === undefined) setPath(value, path, constant);
  }
  const source = mapping.source ?? defaults.source;
  const region = mapping.defaultRegion ?? defaults.region;
  const observedAt = mapping.observedAt ?? defaults.observedAt;
  if (value['source'] === undefined && source !== undefined) value['source'] = source;
  if (value['region'] === undefined && region !== undefined) value['region'] = region;
  if (value['observedAt'] === undefined && observedAt !== undefined) {
    value['observedAt'] = observedAt;
  }
  return { kind, value: compact(value) as Record<string, unknown> };
}
