// The environment → one typed, validated configuration object. Pure: reads only the map it is given.
import { parseNetworkSettings, type NetworkSettings } from './networks/settings.js';
import { z } from 'zod';

export const NODE_ROLES = ['brand', 'association'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

const port = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be between 1 and 65535`)
    .max(65535, `${name} must be between 1 and 65535`);

const bool = (name: string) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: `${name} must be true or false` })
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const size = (name: string) =>
  z.string().regex(/^\d+[kmg]$/i, `${name} must be a size such as 512m or 1g`);

const num = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

const int = (name: string, min: number, max: number) =>
  num(name, min, max).int(`${name} must be a whole number`);

const EnvSchema = z.object({
  PALISADE_ENV: z
    .enum(['development', 'production', 'test'], {
      error: 'PALISADE_ENV must be development, production or test',
    })
    .default('development'),
  PALISADE_HOST: z.string().min(1).default('127.0.0.1'),
  PALISADE_PORT: port('PALISADE_PORT').default(4000),
  PALISADE_PUBLIC_URL: z.url({ error: 'PALISADE_PUBLIC_URL must be an absolute URL' }).optional(),
  PALISADE_ROLE: z
    .enum(NODE_ROLES, { error: `PALISADE_ROLE must be one of ${NODE_ROLES.join(', ')}` })
    .default('brand'),
  PALISADE_NODE_ID: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,62}$/,
      'PALISADE_NODE_ID must be 2–63 characters of a-z, 0-9, dot and dash',
    )
    .default('palisade-local'),
  PALISADE_NODE_NAME: z.string().min(1).max(200).default('Palisade node'),
  PALISADE_DATA_DIR: z.string().min(1).default('.palisade'),
  NEO4J_URI: z
    .string()
    .regex(
      /^(bolt|bolt\+s|bolt\+ssc|neo4j|neo4j\+s|neo4j\+ssc):\/\/[^\s]+$/,
      'NEO4J_URI must be a bolt://, bolt+s://, neo4j:// or neo4j+s:// URI',
    )
    .optional(),
  NEO4J_USER: z.string().min(1).default('neo4j'),
  NEO4J_PASSWORD: z.string().optional(),
  NEO4J_DATABASE: z.string().min(1).optional(),
  NEO4J_CONNECT_TIMEOUT_MS: z.coerce
    .number({ error: 'NEO4J_CONNECT_TIMEOUT_MS must be a number' })
    .int()
    .min(100, 'NEO4J_CONNECT_TIMEOUT_MS must be at least 100')
    .max(600_000)
    .default(15_000),
  NEO4J_MAX_POOL_SIZE: z.coerce
    .number({ error: 'NEO4J_MAX_POOL_SIZE must be a number' })
    .int()
    .min(1, 'NEO4J_MAX_POOL_SIZE must be at least 1')
    .max(1000)
    .default(50),
  PALISADE_NEO4J_BOLT_PORT: port('PALISADE_NEO4J_BOLT_PORT').default(7687),
  PALISADE_NEO4J_HEAP: size('PALISADE_NEO4J_HEAP').default('1g'),
  PALISADE_NEO4J_PAGECACHE: size('PALISADE_NEO4J_PAGECACHE').default('512m'),
  PALISADE_NEO4J_JIT: z
    .enum(['quick-start', 'throughput'], {
      error: 'PALISADE_NEO4J_JIT must be "quick-start" or "throughput"',
    })
    .default('throughput'),
  PALISADE_GRAPHIQL: bool('PALISADE_GRAPHIQL').optional(),
  PALISADE_CORS_ORIGINS: z.string().optional(),
  PALISADE_INGEST_BATCH_SIZE: z.coerce
    .number({ error: 'PALISADE_INGEST_BATCH_SIZE must be a number' })
    .int()
    .min(1, 'PALISADE_INGEST_BATCH_SIZE must be at least 1')
    .max(50_000, 'PALISADE_INGEST_BATCH_SIZE must be at most 50000')
    .default(1000),
  PALISADE_DEFAULT_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, 'PALISADE_DEFAULT_REGION must be an ISO 3166 alpha-2 code such as CN')
    .default('CN'),
  // --- access control and limits (issue 5) ---
  PALISADE_TOKEN_ISSUER: z
    .url({ error: 'PALISADE_TOKEN_ISSUER must be an absolute URL' })
    .optional(),
  PALISADE_TOKEN_AUDIENCE: z.string().min(1).max(200).optional(),
  PALISADE_TOKEN_ISSUER_KEY_FILE: z.string().min(1).optional(),
  PALISADE_TOKEN_MAX_TTL_SECONDS: int('PALISADE_TOKEN_MAX_TTL_SECONDS', 60, 31_536_000).default(
    30 * 86_400,
  ),
  PALISADE_OIDC_ISSUER: z.url({ error: 'PALISADE_OIDC_ISSUER must be an absolute URL' }).optional(),
  PALISADE_OIDC_JWKS_URL: z
    .url({ error: 'PALISADE_OIDC_JWKS_URL must be an absolute URL' })
    .optional(),
  PALISADE_OIDC_AUDIENCE: z.string().min(1).max(200).optional(),
  PALISADE_OIDC_ROLE_CLAIM: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_.:/-]{0,99}$/, 'PALISADE_OIDC_ROLE_CLAIM must be a claim name')
    .default('palisade_role'),
  PALISADE_DEV_AUTH: z
    .enum(['on', 'off'], { error: 'PALISADE_DEV_AUTH must be on or off' })
    .default('on'),
  PALISADE_METRICS_TOKEN: z
    .string()
    .min(32, 'PALISADE_METRICS_TOKEN must be at least 32 characters')
    .optional(),
  PALISADE_INTROSPECTION: bool('PALISADE_INTROSPECTION').optional(),
  PALISADE_MAX_BODY_BYTES: int('PALISADE_MAX_BODY_BYTES', 1024, 100 * 1024 * 1024).default(
    1_048_576,
  ),
  PALISADE_MAX_BATCH: int('PALISADE_MAX_BATCH', 0, 100).default(10),
  PALISADE_GRAPHQL_MAX_DEPTH: int('PALISADE_GRAPHQL_MAX_DEPTH', 2, 100).default(12),
  PALISADE_GRAPHQL_MAX_ALIASES: int('PALISADE_GRAPHQL_MAX_ALIASES', 0, 1000).default(30),
  PALISADE_GRAPHQL_MAX_DIRECTIVES: int('PALISADE_GRAPHQL_MAX_DIRECTIVES', 0, 9).default(9),
  PALISADE_GRAPHQL_MAX_TOKENS: int('PALISADE_GRAPHQL_MAX_TOKENS', 50, 100_000).default(5_000),
  PALISADE_GRAPHQL_MAX_COST: int('PALISADE_GRAPHQL_MAX_COST', 10, 1_000_000).default(20_000),
  PALISADE_GRAPHQL_MAX_INPUT_DEPTH: int('PALISADE_GRAPHQL_MAX_INPUT_DEPTH', 1, 64).default(8),
  PALISADE_RATE_LIMIT_PER_SECOND: num('PALISADE_RATE_LIMIT_PER_SECOND', 0.01, 1_000_000).default(
    50,
  ),
  PALISADE_RATE_LIMIT_BURST: int('PALISADE_RATE_LIMIT_BURST', 1, 1_000_000).default(100),
  PALISADE_PEER_RATE_LIMIT_PER_SECOND: num(
    'PALISADE_PEER_RATE_LIMIT_PER_SECOND',
    0.01,
    1_000_000,
  ).default(5),
  PALISADE_PEER_RATE_LIMIT_BURST: int('PALISADE_PEER_RATE_LIMIT_BURST', 1, 1_000_000).default(20),
  PALISADE_TRUSTED_DOCUMENTS: z
    .string()
    .min(1, 'PALISADE_TRUSTED_DOCUMENTS must be the path of a JSON manifest')
    .optional(),
  // --- federation (issue 6) ---
  PALISADE_KEY_FILE: z.string().min(1).optional(),
  PALISADE_FEDERATION_MAX_BYTES: int(
    'PALISADE_FEDERATION_MAX_BYTES',
    1024,
    64 * 1024 * 1024,
  ).default(1_048_576),
  PALISADE_FEDERATION_CLOCK_SKEW_SECONDS: int(
    'PALISADE_FEDERATION_CLOCK_SKEW_SECONDS',
    0,
    3600,
  ).default(60),
  PALISADE_FEDERATION_MAX_TTL_SECONDS: int(
    'PALISADE_FEDERATION_MAX_TTL_SECONDS',
    10,
    86_400,
  ).default(3600),
  PALISADE_FEDERATION_TTL_SECONDS: int('PALISADE_FEDERATION_TTL_SECONDS', 10, 86_400).default(300),
  PALISADE_FEDERATION_RECEIPT_RETENTION_SECONDS: int(
    'PALISADE_FEDERATION_RECEIPT_RETENTION_SECONDS',
    60,
    10 * 365 * 86_400,
  ).default(30 * 86_400),
  PALISADE_FEDERATION_SENDER: bool('PALISADE_FEDERATION_SENDER').default(true),
  PALISADE_FEDERATION_SEND_INTERVAL_MS: int(
    'PALISADE_FEDERATION_SEND_INTERVAL_MS',
    20,
    600_000,
  ).default(1000),
  PALISADE_FEDERATION_MAX_BACKOFF_MS: int(
    'PALISADE_FEDERATION_MAX_BACKOFF_MS',
    100,
    3_600_000,
  ).default(60_000),
  PALISADE_FEDERATION_TEST_MESSAGES: bool('PALISADE_FEDERATION_TEST_MESSAGES').optional(),
  PALISADE_KEY_ROTATION_OVERLAP_SECONDS: int(
    'PALISADE_KEY_ROTATION_OVERLAP_SECONDS',
    0,
    365 * 86_400,
  ).default(7 * 86_400),
  // --- privacy: OPRF tokens, shared indicators, partner queries, PSI (issue 7) ---
  PALISADE_OPRF_SECRET_FILE: z.string().min(1).optional(),
  PALISADE_OPRF_PERIOD: z
    .enum(['month', 'quarter', 'year'], {
      error: 'PALISADE_OPRF_PERIOD must be month, quarter or year',
    })
    .default('month'),
  PALISADE_OPRF_POINTS_PER_HOUR: int('PALISADE_OPRF_POINTS_PER_HOUR', 1, 100_000_000).default(
    200_000,
  ),
  PALISADE_OPRF_ASSOCIATION: z.string().min(1).max(200).optional(),
  PALISADE_SHARE_DEFAULT_TLP: z
    .enum(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'], {
      error: 'PALISADE_SHARE_DEFAULT_TLP must be CLEAR, GREEN, AMBER, AMBER+STRICT or RED',
    })
    .default('GREEN'),
  PALISADE_SHARE_DISCLOSE_IDENTITY_TO: z.string().max(10_000).optional(),
  PALISADE_PARTNER_QUERY_TOKENS_PER_HOUR: int(
    'PALISADE_PARTNER_QUERY_TOKENS_PER_HOUR',
    1,
    100_000_000,
  ).default(10_000),
  PALISADE_PSI_MAX_ITEMS: int('PALISADE_PSI_MAX_ITEMS', 1, 10_000_000).default(100_000),
  // --- evidence (issue 10) ---
  PALISADE_EVIDENCE_STORE: z
    .enum(['directory', 's3'], { error: 'PALISADE_EVIDENCE_STORE must be directory or s3' })
    .default('directory'),
  PALISADE_EVIDENCE_DIR: z.string().min(1).optional(),
  PALISADE_EVIDENCE_MAX_BYTES: int('PALISADE_EVIDENCE_MAX_BYTES', 1, 2_147_483_647).default(
    100 * 1024 * 1024,
  ),
  PALISADE_EVIDENCE_DEFAULT_TLP: z
    .enum(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'], {
      error: 'PALISADE_EVIDENCE_DEFAULT_TLP must be CLEAR, GREEN, AMBER, AMBER+STRICT or RED',
    })
    .default('AMBER'),
  PALISADE_EVIDENCE_S3_BUCKET: z.string().min(3).max(63).optional(),
  PALISADE_EVIDENCE_S3_REGION: z.string().min(1).optional(),
  PALISADE_EVIDENCE_S3_ENDPOINT: z
    .url({ error: 'PALISADE_EVIDENCE_S3_ENDPOINT must be an absolute URL' })
    .optional(),
  PALISADE_EVIDENCE_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  PALISADE_EVIDENCE_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  PALISADE_EVIDENCE_S3_FORCE_PATH_STYLE: bool('PALISADE_EVIDENCE_S3_FORCE_PATH_STYLE').default(
    true,
  ),
  PALISADE_EVIDENCE_S3_PREFIX: z.string().max(200).optional(),
  PALISADE_TSA_URL: z.url({ error: 'PALISADE_TSA_URL must be an absolute URL' }).optional(),
  PALISADE_TSA_TIMEOUT_MS: int('PALISADE_TSA_TIMEOUT_MS', 100, 120_000).default(10_000),
  PALISADE_DOSSIER_DIR: z.string().min(1).optional(),
  // --- interop (STIX 2.1, TAXII 2.1) and associations (issue 8) ---
  PALISADE_TAXII_TLP_MAX: z
    .enum(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'], {
      error:
        'PALISADE_TAXII_TLP_MAX must be CLEAR, GREEN, AMBER or AMBER+STRICT (RED is never exported)',
    })
    .default('AMBER'),
  PALISADE_TAXII_PAGE_SIZE: int('PALISADE_TAXII_PAGE_SIZE', 1, 10_000).default(500),
  PALISADE_ASSOCIATION_K: int('PALISADE_ASSOCIATION_K', 2, 1000).default(3),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  version: string;
  http: {
    host: string;
    port: number;
    publicUrl: string;
    graphiql: boolean;
    /** Browser origins (scheme://host[:port]) whose pages may call this node; none by default. */
    corsOrigins: string[];
  };
  node: { id: string; name: string; role: NodeRole };
  dataDir: string;
  neo4j: {
    /** Absent: the node starts and stops its own managed Neo4j. */
    uri?: string;
    user: string;
    password: string;
    database?: string;
    connectTimeoutMs: number;
    maxPoolSize: number;
    managed: {
      boltPort: number;
      heap: string;
      pageCache: string;
      /** quick-start: C1-only JIT, starts sooner but runs Cypher slower (test instances). */
      jit: 'quick-start' | 'throughput';
    };
  };
  ingest: { batchSize: number; defaultRegion: string };
  /** Infringer networks (src/networks/settings.ts: PALISADE_NETWORK_*). */
  networks: NetworkSettings;
  auth: AuthConfig;
  limits: LimitsConfig;
  federation: FederationConfig;
  privacy: PrivacyConfig;
  evidence: EvidenceConfig;
  /** STIX 2.1 / TAXII 2.1 (issue 8). */
  interop: InteropConfig;
  /** Member reports and k-anonymous aggregation (issue 8). */
  association: AssociationConfig;
  logLevel: string;
}

/** OPRF tokens, shared indicators, partner queries and PSI (issue 7). */
export interface PrivacyConfig {
  /** The association's OPRF secret (0600). @default <data dir>/keys/oprf-secret */
  oprfSecretFile: string;
  /** How long one OPRF key lives; tokens carry the period as their key id. @default month */
  oprfPeriod: 'month' | 'quarter' | 'year';
  /** Points one member may have evaluated per hour (association). @default 200000 */
  oprfPointsPerHour: number;
  /** The association peer that evaluates this brand's tokens. @default the first active association peer */
  oprfAssociation?: string;
  /** TLP of an identifier that carries none, when shared. @default GREEN */
  shareDefaultTlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
  /** Peer ids whose bundles name this node ('*' = every peer). @default none */
  discloseIdentityTo: string[];
  /** Tokens one peer may ask about per hour in partner queries. @default 10000 */
  partnerQueryTokensPerHour: number;
  /** Largest set a PSI peer may submit. @default 100000 */
  psiMaxItems: number;
}

/** Node keys, envelopes, inbox and outbox (issue 6). */
export interface FederationConfig {
  /** The node's key file (0600), written by `palisade init`. @default <data dir>/keys/node-keys.json */
  keyFile: string;
  /** Create the key file on first start when missing: only in development and test. */
  createKeysOnStart: boolean;
  /** Largest envelope the inbox accepts, in bytes. @default 1048576 */
  maxBytes: number;
  maxClockSkewSeconds: number;
  /** Longest envelope lifetime (exp - iat) the inbox accepts. @default 3600 */
  maxTtlSeconds: number;
  /** Lifetime of the envelopes this node seals. @default 300 */
  ttlSeconds: number;
  /** How long inbox receipts are kept (re-deliveries within it get the original acknowledgement). */
  receiptRetentionSeconds: number;
  /** Whether this process runs the outbox sender loop. @default true */
  sender: boolean;
  sendIntervalMs: number;
  maxBackoffMs: number;
  /** Accept and send the `palisade.test.note` message type. @default true only in test */
  testMessages: boolean;
  /** How long retired keys stay valid after `palisade keys rotate`. @default 604800 */
  rotationOverlapSeconds: number;
  /** Peers must be reached over https:// (production). */
  requireHttps: boolean;
}

/** STIX export and the TAXII 2.1 server (issue 8). */
export interface InteropConfig {
  /** The most restrictive TLP the TAXII collections serve; RED never is. @default AMBER */
  taxiiTlpMax: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT';
  /** Largest TAXII page (and the default `limit`). @default 500 */
  taxiiPageSize: number;
}

/** The association role's aggregation (issue 8). */
export interface AssociationConfig {
  /** Items, networks and statistics are published only when at least k members report them. @default 3 */
  k: number;
}

/** Evidence files, signed capture statements, timestamps and dossiers (issue 10). */
export interface EvidenceConfig {
  /** Where blobs live. @default directory */
  store: 'directory' | 's3';
  /** The directory store's root (and the staging area of uploads). @default <data dir>/evidence */
  dir: string;
  /** Largest evidence file accepted, in bytes; uploads are cut off at it. @default 104857600 */
  maxBytes: number;
  /** The marking of evidence and entities that carry none. @default AMBER */
  defaultTlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
  /** Required when store is s3. */
  s3?: {
    bucket: string;
    region: string;
    endpoint?: string;
    accessKeyId?: string;
    secretAccessKey?: string;
    forcePathStyle: boolean;
    prefix?: string;
  };
  /** An RFC 3161 time-stamping authority asked at every capture. */
  tsa?: { url: string; timeoutMs: number };
  /** Where exported dossiers are kept for download. @default <data dir>/dossiers */
  dossierDir: string;
}

/** Who may call the node and how their tokens are checked (issue 5). */
export interface AuthConfig {
  /** `iss` of the tokens this node issues. @default PALISADE_PUBLIC_URL */
  issuer: string;
  /** `aud` the node's own tokens carry and require. @default `palisade:<node id>` */
  audience: string;
  /** The Ed25519 issuer key (created on first use, 0600). @default <data dir>/keys/token-issuer.json */
  issuerKeyFile: string;
  maxTokenTtlSeconds: number;
  /** An external OpenID Connect issuer whose `at+jwt` access tokens are also accepted. */
  oidc?: { issuer: string; jwksUrl: string; audience: string; roleClaim: string };
  /** Development only, explicit opt-in (PALISADE_DEV_AUTH=off): every caller is a dev admin. */
  disabled: boolean;
  /** A separate bearer secret for Prometheus scrapes of /metrics. */
  metricsToken?: string;
  /** Whether __schema/__type may be queried (never in production). */
  introspection: boolean;
}

/** Limits on what one request may ask for, and how often (issue 5). */
export interface LimitsConfig {
  maxBodyBytes: number;
  /** Operations per batched request; 0 turns batching off. */
  maxBatch: number;
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  /** How deeply lists and input objects may nest in arguments and variables. */
  maxInputDepth: number;
  rate: { perSecond: number; burst: number };
  peerRate: { perSecond: number; burst: number };
  /**
   * A JSON manifest of id (sha256 of the text) → operation; when set, only these operations run.
   * @default unset (any operation the other limits allow)
   */
  trustedDocumentsFile?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const PACKAGE_VERSION = '0.1.0';

/** Builds the configuration from an environment map; throws ConfigError naming every wrong setting. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as unset, the way shells and .env files usually mean them.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = issue.path.join('.');
        return issue.message.includes(key) ? issue.message : `${key}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.NEO4J_URI && e.NEO4J_PASSWORD === undefined) {
    problems.push('NEO4J_PASSWORD is required when NEO4J_URI is set');
  }
  if (e.PALISADE_ENV === 'production' && e.PALISADE_GRAPHIQL === true) {
    problems.push('PALISADE_GRAPHIQL cannot be true when PALISADE_ENV is production');
  }
  if (e.PALISADE_ENV === 'production' && e.PALISADE_INTROSPECTION === true) {
    problems.push('PALISADE_INTROSPECTION cannot be true when PALISADE_ENV is production');
  }
  if (e.PALISADE_DEV_AUTH === 'off' && e.PALISADE_ENV !== 'development') {
    problems.push('PALISADE_DEV_AUTH=off is only allowed when PALISADE_ENV is development');
  }
  const oidc = [e.PALISADE_OIDC_ISSUER, e.PALISADE_OIDC_JWKS_URL, e.PALISADE_OIDC_AUDIENCE];
  if (oidc.some((v) => v !== undefined) && oidc.some((v) => v === undefined)) {
    problems.push(
      'PALISADE_OIDC_ISSUER, PALISADE_OIDC_JWKS_URL and PALISADE_OIDC_AUDIENCE must be set together',
    );
  }
  if (
    e.PALISADE_OIDC_JWKS_URL !== undefined &&
    e.PALISADE_ENV === 'production' &&
    !e.PALISADE_OIDC_JWKS_URL.startsWith('https://')
  ) {
    problems.push('PALISADE_OIDC_JWKS_URL must be https:// when PALISADE_ENV is production');
  }
  if (e.PALISADE_FEDERATION_TTL_SECONDS > e.PALISADE_FEDERATION_MAX_TTL_SECONDS) {
    problems.push(
      'PALISADE_FEDERATION_TTL_SECONDS must not exceed PALISADE_FEDERATION_MAX_TTL_SECONDS',
    );
  }
  if (e.PALISADE_ENV === 'production' && e.PALISADE_FEDERATION_TEST_MESSAGES === true) {
    problems.push(
      'PALISADE_FEDERATION_TEST_MESSAGES cannot be true when PALISADE_ENV is production',
    );
  }
  if (e.PALISADE_EVIDENCE_STORE === 's3') {
    for (const name of ['PALISADE_EVIDENCE_S3_BUCKET', 'PALISADE_EVIDENCE_S3_REGION'] as const) {
      if (e[name] === undefined)
        problems.push(`${name} is required when PALISADE_EVIDENCE_STORE is s3`);
    }
  }
  if (
    (e.PALISADE_EVIDENCE_S3_ACCESS_KEY_ID === undefined) !==
    (e.PALISADE_EVIDENCE_S3_SECRET_ACCESS_KEY === undefined)
  ) {
    problems.push(
      'PALISADE_EVIDENCE_S3_ACCESS_KEY_ID and PALISADE_EVIDENCE_S3_SECRET_ACCESS_KEY must be set together',
    );
  }
  const corsOrigins = parseCorsOrigins(e.PALISADE_CORS_ORIGINS, problems);
  const networks = parseNetworkSettings(cleaned);
  if (!networks.ok) problems.push(...networks.problems);
  if (problems.length > 0 || !networks.ok) throw new ConfigError(problems);
  const publicUrl = (
    e.PALISADE_PUBLIC_URL ?? `http://${e.PALISADE_HOST}:${e.PALISADE_PORT}`
  ).replace(/\/$/, '');

  return {
    env: e.PALISADE_ENV,
    version: PACKAGE_VERSION,
    http: {
      host: e.PALISADE_HOST,
      port: e.PALISADE_PORT,
      publicUrl,
      graphiql: e.PALISADE_GRAPHIQL ?? e.PALISADE_ENV === 'development',
      corsOrigins,
    },
    node: { id: e.PALISADE_NODE_ID, name: e.PALISADE_NODE_NAME, role: e.PALISADE_ROLE },
    dataDir: e.PALISADE_DATA_DIR,
    neo4j: {
      ...(e.NEO4J_URI !== undefined && { uri: e.NEO4J_URI }),
      user: e.NEO4J_USER,
      // The managed Neo4j gets a password derived per data dir by the launcher module.
      password: e.NEO4J_PASSWORD ?? '',
      ...(e.NEO4J_DATABASE !== undefined && { database: e.NEO4J_DATABASE }),
      connectTimeoutMs: e.NEO4J_CONNECT_TIMEOUT_MS,
      maxPoolSize: e.NEO4J_MAX_POOL_SIZE,
      managed: {
        boltPort: e.PALISADE_NEO4J_BOLT_PORT,
        heap: e.PALISADE_NEO4J_HEAP,
        pageCache: e.PALISADE_NEO4J_PAGECACHE,
        jit: e.PALISADE_NEO4J_JIT,
      },
    },
    ingest: { batchSize: e.PALISADE_INGEST_BATCH_SIZE, defaultRegion: e.PALISADE_DEFAULT_REGION },
    networks: networks.settings,
    auth: {
      issuer: e.PALISADE_TOKEN_ISSUER ?? publicUrl,
      audience: e.PALISADE_TOKEN_AUDIENCE ?? `palisade:${e.PALISADE_NODE_ID}`,
      issuerKeyFile:
        e.PALISADE_TOKEN_ISSUER_KEY_FILE ?? `${e.PALISADE_DATA_DIR}/keys/token-issuer.json`,
      maxTokenTtlSeconds: e.PALISADE_TOKEN_MAX_TTL_SECONDS,
      ...(e.PALISADE_OIDC_ISSUER !== undefined &&
        e.PALISADE_OIDC_JWKS_URL !== undefined &&
        e.PALISADE_OIDC_AUDIENCE !== undefined && {
          oidc: {
            issuer: e.PALISADE_OIDC_ISSUER,
            jwksUrl: e.PALISADE_OIDC_JWKS_URL,
            audience: e.PALISADE_OIDC_AUDIENCE,
            roleClaim: e.PALISADE_OIDC_ROLE_CLAIM,
          },
        }),
      disabled: e.PALISADE_DEV_AUTH === 'off',
      ...(e.PALISADE_METRICS_TOKEN !== undefined && { metricsToken: e.PALISADE_METRICS_TOKEN }),
      introspection: e.PALISADE_INTROSPECTION ?? e.PALISADE_ENV !== 'production',
    },
    limits: {
      maxBodyBytes: e.PALISADE_MAX_BODY_BYTES,
      maxBatch: e.PALISADE_MAX_BATCH,
      maxDepth: e.PALISADE_GRAPHQL_MAX_DEPTH,
      maxAliases: e.PALISADE_GRAPHQL_MAX_ALIASES,
      maxDirectives: e.PALISADE_GRAPHQL_MAX_DIRECTIVES,
      maxTokens: e.PALISADE_GRAPHQL_MAX_TOKENS,
      maxCost: e.PALISADE_GRAPHQL_MAX_COST,
      maxInputDepth: e.PALISADE_GRAPHQL_MAX_INPUT_DEPTH,
      rate: { perSecond: e.PALISADE_RATE_LIMIT_PER_SECOND, burst: e.PALISADE_RATE_LIMIT_BURST },
      peerRate: {
        perSecond: e.PALISADE_PEER_RATE_LIMIT_PER_SECOND,
        burst: e.PALISADE_PEER_RATE_LIMIT_BURST,
      },
      ...(e.PALISADE_TRUSTED_DOCUMENTS !== undefined && {
        trustedDocumentsFile: e.PALISADE_TRUSTED_DOCUMENTS,
      }),
    },
    federation: {
      keyFile: e.PALISADE_KEY_FILE ?? `${e.PALISADE_DATA_DIR}/keys/node-keys.json`,
      createKeysOnStart: e.PALISADE_ENV !== 'production',
      maxBytes: e.PALISADE_FEDERATION_MAX_BYTES,
      maxClockSkewSeconds: e.PALISADE_FEDERATION_CLOCK_SKEW_SECONDS,
      maxTtlSeconds: e.PALISADE_FEDERATION_MAX_TTL_SECONDS,
      ttlSeconds: e.PALISADE_FEDERATION_TTL_SECONDS,
      receiptRetentionSeconds: e.PALISADE_FEDERATION_RECEIPT_RETENTION_SECONDS,
      sender: e.PALISADE_FEDERATION_SENDER,
      sendIntervalMs: e.PALISADE_FEDERATION_SEND_INTERVAL_MS,
      maxBackoffMs: e.PALISADE_FEDERATION_MAX_BACKOFF_MS,
      testMessages: e.PALISADE_FEDERATION_TEST_MESSAGES ?? e.PALISADE_ENV === 'test',
      rotationOverlapSeconds: e.PALISADE_KEY_ROTATION_OVERLAP_SECONDS,
      requireHttps: e.PALISADE_ENV === 'production',
    },
    privacy: {
      oprfSecretFile: e.PALISADE_OPRF_SECRET_FILE ?? `${e.PALISADE_DATA_DIR}/keys/oprf-secret`,
      oprfPeriod: e.PALISADE_OPRF_PERIOD,
      oprfPointsPerHour: e.PALISADE_OPRF_POINTS_PER_HOUR,
      ...(e.PALISADE_OPRF_ASSOCIATION !== undefined && {
        oprfAssociation: e.PALISADE_OPRF_ASSOCIATION,
      }),
      shareDefaultTlp: e.PALISADE_SHARE_DEFAULT_TLP,
      discloseIdentityTo: (e.PALISADE_SHARE_DISCLOSE_IDENTITY_TO ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0),
      partnerQueryTokensPerHour: e.PALISADE_PARTNER_QUERY_TOKENS_PER_HOUR,
      psiMaxItems: e.PALISADE_PSI_MAX_ITEMS,
    },
    evidence: {
      store: e.PALISADE_EVIDENCE_STORE,
      dir: e.PALISADE_EVIDENCE_DIR ?? `${e.PALISADE_DATA_DIR}/evidence`,
      maxBytes: e.PALISADE_EVIDENCE_MAX_BYTES,
      defaultTlp: e.PALISADE_EVIDENCE_DEFAULT_TLP,
      ...(e.PALISADE_EVIDENCE_STORE === 's3' &&
        e.PALISADE_EVIDENCE_S3_BUCKET !== undefined &&
        e.PALISADE_EVIDENCE_S3_REGION !== undefined && {
          s3: {
            bucket: e.PALISADE_EVIDENCE_S3_BUCKET,
            region: e.PALISADE_EVIDENCE_S3_REGION,
            ...(e.PALISADE_EVIDENCE_S3_ENDPOINT !== undefined && {
              endpoint: e.PALISADE_EVIDENCE_S3_ENDPOINT,
            }),
            ...(e.PALISADE_EVIDENCE_S3_ACCESS_KEY_ID !== undefined && {
              accessKeyId: e.PALISADE_EVIDENCE_S3_ACCESS_KEY_ID,
            }),
            ...(e.PALISADE_EVIDENCE_S3_SECRET_ACCESS_KEY !== undefined && {
              secretAccessKey: e.PALISADE_EVIDENCE_S3_SECRET_ACCESS_KEY,
            }),
            forcePathStyle: e.PALISADE_EVIDENCE_S3_FORCE_PATH_STYLE,
            ...(e.PALISADE_EVIDENCE_S3_PREFIX !== undefined && {
              prefix: e.PALISADE_EVIDENCE_S3_PREFIX,
            }),
          },
        }),
      ...(e.PALISADE_TSA_URL !== undefined && {
        tsa: { url: e.PALISADE_TSA_URL, timeoutMs: e.PALISADE_TSA_TIMEOUT_MS },
      }),
      dossierDir: e.PALISADE_DOSSIER_DIR ?? `${e.PALISADE_DATA_DIR}/dossiers`,
    },
    interop: { taxiiTlpMax: e.PALISADE_TAXII_TLP_MAX, taxiiPageSize: e.PALISADE_TAXII_PAGE_SIZE },
    association: { k: e.PALISADE_ASSOCIATION_K },
    logLevel: e.LOG_LEVEL,
  };
}

/**
 * PALISADE_CORS_ORIGINS: the origins of browser apps served elsewhere that may call this node,
 * comma-separated, each exactly as a browser sends it in Origin (no path, no trailing slash).
 * A wildcard is refused: the node's data is for named callers, and TAXII's HTTP Basic is a
 * credential a browser would send along.
 */
function parseCorsOrigins(value: string | undefined, problems: string[]): string[] {
  const origins: string[] = [];
  for (const raw of (value ?? '').split(',')) {
    const origin = raw.trim();
    if (origin === '') continue;
    if (origin === '*' || origin === 'null') {
      problems.push(
        `PALISADE_CORS_ORIGINS cannot hold ${origin}: list each origin that may call the node`,
      );
      continue;
    }
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      problems.push(
        `PALISADE_CORS_ORIGINS: "${origin}" is not an origin (https://host or https://host:port, no path)`,
      );
      continue;
    }
    origins.push(origin);
  }
  return origins;
}
