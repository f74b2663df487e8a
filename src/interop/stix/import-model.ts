// What a STIX 2.1 bundle from another tool must look like before anything of it is read: the
// envelope (bounded in bytes and objects; a broken one refuses the whole bundle with a clear error)
// and, per object, the properties the importer reads, as zod schemas. A bad object is named with
// its position, id and field and refused alone; unknown properties are ignored. Pure.
import { z } from 'zod';
import { BadUserInputError } from '../../server/errors.js';

export interface ImportLimits {
  /** Largest bundle read, in bytes of JSON text. */
  maxBytes: number;
  /** Most objects in one bundle (all are written in one transaction). */
  maxObjects: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxBytes: 16 * 1024 * 1024,
  maxObjects: 20_000,
};

/** The bundle itself cannot be read: nothing of it is imported. */
export class StixBundleError extends BadUserInputError {
  constructor(message: string) {
    super(`STIX bundle refused: ${message}`, { argument: 'bundle' });
    this.name = 'StixBundleError';
  }
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** STIX 2.1 §2.7 type names (3–250 characters, lowercase, digits and single hyphens). */
export const TYPE_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-?$/;
const ID = new RegExp(`^([a-z][a-z0-9-]*)--${UUID}$`);

const idOf = (type?: string) =>
  z
    .string()
    .max(300)
    .refine(
      (v) => {
        const m = ID.exec(v);
        return m !== null && (type === undefined || m[1] === type);
      },
      `must be a STIX identifier${type ? ` of a ${type}` : ''} (${type ?? 'type'}--<uuid>)`,
    );

/** RFC 3339 in UTC, as STIX requires (seconds, optional fraction, Z). */
const timestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/, 'must be an RFC 3339 UTC timestamp')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'is not a real instant');

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
/** Long free text is cut rather than refused: a verbose description is no reason to drop a party. */
const prose = (max: number) =>
  z
    .string()
    .max(1_000_000)
    .transform((v) => (v.length > max ? `${v.slice(0, max - 1)}…` : v));

/** Properties every object may carry that the importer reads. */
export const CommonProperties = z.object({
  type: z
    .string()
    .min(3, 'must be a STIX type name')
    .max(250)
    .regex(TYPE_NAME, 'must be a STIX type name'),
  id: idOf(),
  spec_version: z.string().max(10).optional(),
  created_by_ref: idOf('identity').optional(),
  created: timestamp.optional(),
  modified: timestamp.optional(),
  object_marking_refs: z.array(idOf('marking-definition')).max(100).optional(),
  granular_markings: z
    .array(z.object({ marking_ref: idOf('marking-definition').optional() }))
    .max(1000)
    .optional(),
  confidence: z.number().int().min(0).max(100).optional(),
  revoked: z.boolean().optional(),
  /** OpenCTI keeps the author of an observable here (SCOs have no created_by_ref in STIX). */
  x_opencti_created_by_ref: idOf('identity').optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
});
export type CommonProperties = z.infer<typeof CommonProperties>;

const refs = (max: number) => z.array(idOf()).min(1, 'must list at least one object').max(max);

const value = text(2000);

/** Per type, what the importer reads of it (besides the common properties). */
export const TYPE_SCHEMAS = {
  identity: z.object({
    name: text(500),
    description: prose(4000).optional(),
    identity_class: z.string().max(100).optional(),
  }),
  indicator: z.object({
    pattern: z.string().min(1, 'must not be empty').max(10_000),
    pattern_type: z.string().max(100).optional(),
    valid_from: timestamp.optional(),
  }),
  relationship: z.object({
    relationship_type: z
      .string()
      .max(250)
      .regex(/^[a-z0-9-]+$/, 'must be a relationship type such as related-to'),
    source_ref: idOf(),
    target_ref: idOf(),
  }),
  location: z.object({
    name: text(500).optional(),
    street_address: text(1000).optional(),
    city: text(200).optional(),
    region: text(200).optional(),
    postal_code: text(50).optional(),
    country: text(100).optional(),
  }),
  'email-addr': z.object({ value }),
  'domain-name': z.object({ value }),
  hostname: z.object({ value }),
  url: z.object({ value }),
  'phone-number': z.object({ value }),
  'cryptocurrency-wallet': z.object({ value }),
  'user-account': z.object({
    account_type: text(100).optional(),
    account_login: text(500).optional(),
    user_id: text(500).optional(),
  }),
  'bank-account': z.object({
    iban: text(100).optional(),
    account_number: text(100).optional(),
  }),
  'x-misp-attribute': z.object({
    x_misp_type: text(100),
    x_misp_value: value,
  }),
  'observed-data': z.object({
    object_refs: refs(100_000).optional(),
    last_observed: timestamp.optional(),
  }),
  report: z.object({ object_refs: refs(100_000) }),
  grouping: z.object({ object_refs: refs(100_000) }),
  note: z.object({ object_refs: refs(100_000) }),
  opinion: z.object({ object_refs: refs(100_000) }),
} as const;

export type KnownType = keyof typeof TYPE_SCHEMAS;
export type TypedProperties<T extends KnownType> = z.infer<(typeof TYPE_SCHEMAS)[T]>;

/** Custom observables (`x-…`) read by their `value`. */
const CustomObservable = z.object({ value: value.optional() });

export type ParsedObject = CommonProperties & {
  /** The object as given, for properties no schema names (marking definitions are read loosely). */
  raw: Record<string, unknown>;
  props: Record<string, unknown>;
};

export type ObjectCheck =
  | { ok: true; object: ParsedObject }
  | { ok: false; id: string | null; type: string | null; reason: string };

const issueText = (issues: readonly z.core.$ZodIssue[]): string =>
  issues
    .slice(0, 5)
    .map((i) => {
      const path = i.path.map(String).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');

/** Checks one entry of `objects`: the common properties, then those of its type. */
export function checkObject(entry: unknown): ObjectCheck {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return { ok: false, id: null, type: null, reason: 'must be a JSON object' };
  }
  const raw = entry as Record<string, unknown>;
  const id = typeof raw['id'] === 'string' ? raw['id'].slice(0, 300) : null;
  const type = typeof raw['type'] === 'string' ? raw['type'].slice(0, 250) : null;
  const common = CommonProperties.safeParse(raw);
  if (!common.success) return { ok: false, id, type, reason: issueText(common.error.issues) };
  const c = common.data;
  if (!c.id.startsWith(`${c.type}--`)) {
    return { ok: false, id, type, reason: `id: must start with "${c.type}--", its type` };
  }
  if (c.spec_version !== undefined && c.spec_version !== '2.1') {
    return {
      ok: false,
      id,
      type,
      reason: `spec_version: ${JSON.stringify(c.spec_version.slice(0, 10))} is not 2.1`,
    };
  }
  const schema: z.ZodType | undefined =
    c.type in TYPE_SCHEMAS
      ? TYPE_SCHEMAS[c.type as KnownType]
      : c.type.startsWith('x-')
        ? CustomObservable
        : undefined;
  let props: Record<string, unknown> = {};
  if (schema) {
    const typed = schema.safeParse(raw);
    if (!typed.success) return { ok: false, id, type, reason: issueText(typed.error.issues) };
    props = typed.data as Record<string, unknown>;
  }
  return { ok: true, object: { ...c, raw, props } };
}

const Envelope = z.object({
  type: z.literal('bundle', { error: 'type must be "bundle"' }),
  id: idOf('bundle'),
  spec_version: z.string().optional(),
  objects: z.array(z.unknown(), { error: 'objects must be a list' }).optional(),
});

export interface BundleEnvelope {
  id: string;
  objects: unknown[];
}

/** Reads the bundle's JSON text (or an already parsed value) within the limits. */
export function parseBundle(
  input: unknown,
  limits: ImportLimits = DEFAULT_IMPORT_LIMITS,
): BundleEnvelope {
  let value: unknown = input;
  if (typeof input === 'string') {
    const bytes = Buffer.byteLength(input, 'utf8');
    if (bytes > limits.maxBytes) {
      throw new StixBundleError(`it is ${bytes} bytes; at most ${limits.maxBytes} are read`);
    }
    try {
      value = JSON.parse(input);
    } catch (e) {
      const why = e instanceof SyntaxError ? e.message : 'nesting too deep';
      throw new StixBundleError(`not valid JSON (${why.slice(0, 200)})`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StixBundleError('it must be a JSON object with type "bundle"');
  }
  const parsed = Envelope.safeParse(value);
  if (!parsed.success) throw new StixBundleError(issueText(parsed.error.issues));
  if (parsed.data.spec_version !== undefined) {
    // spec_version on the bundle is STIX 2.0's; 2.1 moved it onto the objects.
    throw new StixBundleError(
      `spec_version ${JSON.stringify(parsed.data.spec_version.slice(0, 10))} on the bundle is STIX 2.0; only STIX 2.1 bundles are read`,
    );
  }
  const objects = parsed.data.objects ?? [];
  if (objects.length > limits.maxObjects) {
    throw new StixBundleError(
      `it holds ${objects.length} objects; at most ${limits.maxObjects} are read in one import`,
    );
  }
  return { id: parsed.data.id, objects };
}
