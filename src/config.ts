// The environment → one typed, validated configuration object. Pure: reads only the map it is given.
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
  PALISADE_GRAPHIQL: bool('PALISADE_GRAPHIQL').optional(),
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
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  version: string;
  http: { host: string; port: number; publicUrl: string; graphiql: boolean };
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
    managed: { boltPort: number; heap: string; pageCache: string };
  };
  ingest: { batchSize: number; defaultRegion: string };
  logLevel: string;
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
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: e.PALISADE_ENV,
    version: PACKAGE_VERSION,
    http: {
      host: e.PALISADE_HOST,
      port: e.PALISADE_PORT,
      publicUrl: (e.PALISADE_PUBLIC_URL ?? `http://${e.PALISADE_HOST}:${e.PALISADE_PORT}`).replace(
        /\/$/,
        '',
      ),
      graphiql: e.PALISADE_GRAPHIQL ?? e.PALISADE_ENV === 'development',
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
      },
    },
    ingest: { batchSize: e.PALISADE_INGEST_BATCH_SIZE, defaultRegion: e.PALISADE_DEFAULT_REGION },
    logLevel: e.LOG_LEVEL,
  };
}
