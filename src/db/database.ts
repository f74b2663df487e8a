// The node's handle on Neo4j: named, parameterized statements run in managed read/write
// transactions (so a cluster can route them), plain JS values out, typed errors on failure.
import neo4j, {
  type BookmarkManager,
  type DateTime,
  type Driver,
  type Integer,
  type ManagedTransaction,
  type Record as Neo4jRecord,
  isDate,
  isDateTime,
  isDuration,
  isInt,
  isLocalDateTime,
  isLocalTime,
  isNode,
  isPath,
  isRelationship,
  isTime,
  isPoint,
} from 'neo4j-driver';
import type { Logger } from '../server/logger.js';
import { UnavailableError } from '../server/errors.js';
import type { CypherLibrary } from './cypher.js';
import { isUnavailable, translateDatabaseError } from './errors.js';
import { lazyProperties } from './lazy-properties.js';

export type Params = Record<string, unknown>;
export type Row = Record<string, unknown>;

export interface DatabaseOptions {
  uri: string;
  user: string;
  password: string;
  database?: string;
  connectTimeoutMs: number;
  maxPoolSize: number;
  logger: Logger;
  cypher: CypherLibrary;
}

/** How a statement's rows become plain values. */
export interface RowOptions {
  /**
   * The key under which the statement returns node properties (`props: properties(n)`): each such
   * map is converted field by field when read (see lazy-properties.ts), not all at once.
   */
  lazyProperties?: string;
}

/** The statements of one transaction; every call names a statement in cypher/. */
export interface Tx {
  run(name: string, params?: Params, options?: RowOptions): Promise<Row[]>;
  /** Runs a template statement specialized for one label or type (see CypherLibrary.specialize). */
  runSpecialized(
    name: string,
    slots: Readonly<Record<string, string>>,
    params?: Params,
  ): Promise<Row[]>;
}

/** A Tx over one managed transaction: statements by name, rows out as plain values. */
class NamedStatements implements Tx {
  constructor(
    private readonly mtx: ManagedTransaction,
    private readonly cypher: CypherLibrary,
  ) {}

  async run(name: string, params: Params = {}, options?: RowOptions): Promise<Row[]> {
    const result = await this.mtx.run(this.cypher.get(name), params);
    const lazyKey = options?.lazyProperties;
    return result.records.map((record) => recordToRow(record, lazyKey));
  }

  async runSpecialized(
    name: string,
    slots: Readonly<Record<string, string>>,
    params: Params = {},
  ): Promise<Row[]> {
    const result = await this.mtx.run(this.cypher.specialize(name, slots), params);
    return result.records.map((record) => recordToRow(record));
  }
}

/**
 * Converts driver values (Integers, temporals, nodes) into plain JSON-friendly values. A map found
 * under `lazyKey` (at any depth) is node properties, converted when each field is first read.
 */
export function toPlain(value: unknown, lazyKey?: string): unknown {
  // Most values are strings, numbers, lists and maps: they are settled before the driver's type
  // checks, which would otherwise run on every one of them.
  if (value === null || value === undefined) return null;
  const type = typeof value;
  if (type !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = toPlain(value[i], lazyKey);
    return out;
  }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    // A map from the driver: own string keys only (its prototype is Object.prototype).
    const map = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k in map) {
      const v = map[k];
      out[k] =
        k === lazyKey && isDriverMap(v) ? lazyProperties(v, toPlainValue) : toPlain(v, lazyKey);
    }
    return out;
  }
  return driverValue(value);
}

const toPlainValue = (value: unknown): unknown => toPlain(value);
const isDriverMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

const num = (v: number | bigint | Integer): number =>
  typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v.toNumber();
const two = (v: number): string => (v < 10 ? `0${v}` : String(v));

/**
 * ISO 8601 text of a DateTime, as the driver's toString writes it. Observations are mostly dated
 * to the second in UTC, and every node read converts two or more of them (first and last seen):
 * that case is written here, at a fraction of the driver's cost; any other (a zone, an offset, a
 * fraction of a second, a year outside 1000–9999) is left to the driver.
 */
export function dateTimeText(value: DateTime<number | bigint | Integer>): string {
  if (
    value.timeZoneId == null &&
    value.timeZoneOffsetSeconds != null &&
    num(value.timeZoneOffsetSeconds) === 0 &&
    num(value.nanosecond) === 0
  ) {
    const year = num(value.year);
    if (year >= 1000 && year <= 9999) {
      return `${year}-${two(num(value.month))}-${two(num(value.day))}T${two(num(value.hour))}:${two(num(value.minute))}:${two(num(value.second))}Z`;
    }
  }
  return value.toString();
}

/** A value of one of the driver's own classes. */
function driverValue(value: object): unknown {
  if (isInt(value)) return value.inSafeRange() ? value.toNumber() : value.toString();
  if (isDateTime(value)) return dateTimeText(value);
  if (
    isDate(value) ||
    isLocalDateTime(value) ||
    isTime(value) ||
    isLocalTime(value) ||
    isDuration(value)
  ) {
    return value.toString();
  }
  if (isPoint(value)) return { x: value.x, y: value.y, srid: toPlain(value.srid) };
  if (isNode(value)) {
    return {
      labels: value.labels,
      properties: toPlain(value.properties),
      elementId: value.elementId,
    };
  }
  if (isRelationship(value)) {
    return {
      type: value.type,
      properties: toPlain(value.properties),
      elementId: value.elementId,
      start: value.startNodeElementId,
      end: value.endNodeElementId,
    };
  }
  if (isPath(value)) return value.segments.map((s) => toPlain(s.relationship));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
}

/** Whether the driver routes (neo4j://, neo4j+s://, neo4j+ssc://) rather than talks to one server. */
export function isRoutingUri(uri: string): boolean {
  return /^neo4j(\+s|\+ssc)?:\/\//i.test(uri);
}

function recordToRow(record: Neo4jRecord, lazyKey?: string): Row {
  const row: Row = {};
  for (const key of record.keys) row[String(key)] = toPlain(record.get(key), lazyKey);
  return row;
}

/** Counters the node keeps around driver work (the driver exposes no pool metrics); for /metrics. */
export interface DatabaseStats {
  available: boolean;
  maxPoolSize: number;
  /** Transactions currently holding (or waiting for) a pooled connection. */
  inFlight: { read: number; write: number };
  /** Completed transactions by outcome since start. */
  completed: { ok: number; failed: number; unavailable: number; refusedFast: number };
}

export class Database {
  readonly driver: Driver;
  private available = true;
  private readonly counters: DatabaseStats;
  private healthTimer: NodeJS.Timeout | undefined;
  private readonly database: string | undefined;
  private readonly logger: Logger;
  private readonly cypher: CypherLibrary;
  /** Chains this process's sessions causally; only needed when reads may go to another server. */
  private readonly bookmarkManager: BookmarkManager | undefined;

  constructor(options: DatabaseOptions) {
    this.database = options.database;
    this.logger = options.logger;
    this.cypher = options.cypher;
    this.counters = {
      available: true,
      maxPoolSize: options.maxPoolSize,
      inFlight: { read: 0, write: 0 },
      completed: { ok: 0, failed: 0, unavailable: 0, refusedFast: 0 },
    };
    this.driver = neo4j.driver(options.uri, neo4j.auth.basic(options.user, options.password), {
      maxConnectionPoolSize: options.maxPoolSize,
      connectionTimeout: Math.min(options.connectTimeoutMs, 5_000),
      connectionAcquisitionTimeout: 5_000,
      // Fail fast when the server is gone: requests answer UNAVAILABLE instead of hanging.
      maxTransactionRetryTime: 3_000,
      disableLosslessIntegers: false,
      userAgent: 'palisade',
      logging: {
        level: 'warn',
        logger: (level, message) => this.logger.warn({ neo4jLevel: level }, message),
      },
    });
    // Through a routing URI (neo4j://) a read may be served by a follower that has not yet applied
    // the write just committed; the bookmarks make it wait. One server (bolt://) always answers
    // with every committed write, and bookmarks there only cost each transaction a round of work.
    this.bookmarkManager = isRoutingUri(options.uri)
      ? this.driver.executeQueryBookmarkManager
      : undefined;
  }

  /** Whether the last contact with the server succeeded; requests fail fast while it is false. */
  get isAvailable(): boolean {
    return this.available;
  }

  /** A snapshot of the transaction counters (a copy: callers cannot change them). */
  stats(): DatabaseStats {
    return {
      ...this.counters,
      available: this.available,
      inFlight: { ...this.counters.inFlight },
      completed: { ...this.counters.completed },
    };
  }

  /** Waits until the server answers, up to the timeout. */
  async verifyConnectivity(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        await this.driver.verifyConnectivity(
          this.database !== undefined ? { database: this.database } : {},
        );
        this.available = true;
        return;
      } catch (e) {
        lastError = e;
        if (!isUnavailable(e)) break;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    this.available = false;
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }

  /** One cheap round trip without driver retries; updates availability. */
  async ping(timeoutMs = 1_500): Promise<boolean> {
    const session = this.session('READ');
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        session.run('RETURN 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('connect timeout')), timeoutMs);
        }),
      ]);
      this.available = true;
    } catch (e) {
      if (isUnavailable(e) || (e instanceof Error && e.message === 'connect timeout')) {
        this.available = false;
      } else {
        throw e;
      }
    } finally {
      clearTimeout(timer);
      void session.close().catch(() => undefined);
    }
    return this.available;
  }

  private probing: Promise<unknown> | undefined;

  private probeInBackground(): void {
    this.probing ??= this.ping()
      .catch(() => undefined)
      .finally(() => {
        this.probing = undefined;
      });
  }

  /** Pings in the background so that requests fail fast while the server is gone. */
  startHealthLoop(intervalMs = 1_000): void {
    if (this.healthTimer) return;
    this.healthTimer = setInterval(() => {
      void this.ping().catch(() => undefined);
    }, intervalMs);
    this.healthTimer.unref();
  }

  async read(name: string, params: Params = {}, options?: RowOptions): Promise<Row[]> {
    return this.readTransaction((tx) => tx.run(name, params, options));
  }

  async write(name: string, params: Params = {}): Promise<Row[]> {
    return this.writeTransaction((tx) => tx.run(name, params));
  }

  /** Runs fn in one read transaction (retried by the driver on transient errors). */
  async readTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.transaction('READ', fn);
  }

  /** Runs fn in one write transaction; the driver retries it whole on transient errors,
   * so fn must be idempotent (every Palisade write is MERGE-based). */
  async writeTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.transaction('WRITE', fn);
  }

  /** Runs raw statement text outside the named library: only for migrations and test set-up. */
  async runSchemaStatement(text: string, params: Params = {}): Promise<Row[]> {
    const session = this.session('WRITE');
    try {
      const result = await session.run(text, params);
      return result.records.map((record) => recordToRow(record));
    } catch (e) {
      throw translateDatabaseError(e);
    } finally {
      await session.close();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.healthTimer);
    this.healthTimer = undefined;
    await this.driver.close();
  }

  private session(mode: 'READ' | 'WRITE') {
    return this.driver.session({
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
      ...(this.bookmarkManager && { bookmarkManager: this.bookmarkManager }),
      ...(this.database !== undefined && { database: this.database }),
    });
  }

  private async transaction<T>(mode: 'READ' | 'WRITE', fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (!this.available) {
      // Someone (the health loop) saw the server gone: answer at once, and probe in the background
      // (one probe at a time: a burst of refused requests must not become a burst of connects).
      this.probeInBackground();
      this.counters.completed.refusedFast++;
      throw new UnavailableError();
    }
    const lane = mode === 'READ' ? 'read' : 'write';
    this.counters.inFlight[lane]++;
    const session = this.session(mode);
    const work = (mtx: ManagedTransaction): Promise<T> => fn(new NamedStatements(mtx, this.cypher));
    try {
      const result =
        mode === 'READ' ? await session.executeRead(work) : await session.executeWrite(work);
      this.counters.completed.ok++;
      return result;
    } catch (e) {
      if (isUnavailable(e)) {
        this.available = false;
        this.counters.completed.unavailable++;
      } else {
        this.counters.completed.failed++;
      }
      throw translateDatabaseError(e);
    } finally {
      this.counters.inFlight[lane]--;
      await session.close().catch(() => undefined);
    }
  }
}
