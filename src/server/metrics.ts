// Prometheus metrics: one registry per node, built in main.ts and handed to the plugins and domains
// that record into it; served at /metrics to an admin token or PALISADE_METRICS_TOKEN.
import { timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Authenticate } from '../auth/principal.js';
import type { DatabaseStats } from '../db/database.js';
import { ForbiddenError, isAppError, UnauthenticatedError } from './errors.js';
import { json, type Route } from './routes.js';

/** Why a request was refused before (or instead of) running; the label of palisade_refusals_total. */
export type RefusalReason =
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'body_too_large'
  | 'batch_too_large'
  | 'depth'
  | 'aliases'
  | 'cost'
  | 'directives'
  | 'tokens'
  | 'input_depth'
  | 'introspection'
  | 'csrf';

export interface OutboxProbe {
  /** Messages waiting to be sent. */
  depth: number;
  /** Age of the oldest waiting message, 0 when none. */
  oldestAgeSeconds: number;
}

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATION_LABELS = 200;

export class Metrics {
  readonly registry = new Registry();
  readonly requests: Counter<'operation' | 'status'>;
  readonly duration: Histogram<'operation'>;
  readonly refusals: Counter<'reason'>;
  /** For the federation domain: envelopes refused at the inbox, by refusal reason code. */
  readonly envelopeRefusals: Counter<'reason'>;
  private readonly operationLabels = new Set<string>();
  private outboxProbe: (() => Promise<OutboxProbe>) | undefined;

  constructor(options: { database?: () => DatabaseStats; defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics !== false) {
      collectDefaultMetrics({ register: this.registry, prefix: 'palisade_' });
    }
    this.requests = new Counter({
      name: 'palisade_http_requests_total',
      help: 'HTTP requests by GraphQL operation name (or route) and status',
      labelNames: ['operation', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'palisade_http_request_duration_seconds',
      help: 'Request latency by GraphQL operation name (or route)',
      labelNames: ['operation'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.refusals = new Counter({
      name: 'palisade_refusals_total',
      help: 'Requests refused by authentication, authorization, limits or rate limits, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.envelopeRefusals = new Counter({
      name: 'palisade_federation_envelope_refusals_total',
      help: 'Federation envelopes and peer tokens refused, by refusal reason',
      labelNames: ['reason'],
      registers,
    });
    const probe = async () => {
      try {
        return (await this.outboxProbe?.()) ?? null;
      } catch {
        return null; // Neo4j down: the gauges keep their last value rather than failing the scrape.
      }
    };
    new Gauge({
      name: 'palisade_outbox_depth',
      help: 'Federation messages waiting in the outbox',
      registers,
      async collect() {
        const p = await probe();
        if (p) this.set(p.depth);
      },
    });
    new Gauge({
      name: 'palisade_outbox_oldest_age_seconds',
      help: 'Age of the oldest message waiting in the outbox',
      registers,
      async collect() {
        const p = await probe();
        if (p) this.set(p.oldestAgeSeconds);
      },
    });
    const database = options.database;
    if (database) {
      new Gauge({
        name: 'palisade_neo4j_transactions_in_flight',
        help: 'Neo4j transactions holding or waiting for a pooled connection',
        labelNames: ['mode'],
        registers,
        collect() {
          const s = database();
          this.set({ mode: 'read' }, s.inFlight.read);
          this.set({ mode: 'write' }, s.inFlight.write);
        },
      });
      new Gauge({
        name: 'palisade_neo4j_pool_max',
        help: 'Configured maximum Neo4j connection pool size (NEO4J_MAX_POOL_SIZE)',
        registers,
        collect() {
          this.set(database().maxPoolSize);
        },
      });
      new Gauge({
        name: 'palisade_neo4j_available',
        help: '1 while the last contact with Neo4j succeeded',
        registers,
        collect() {
          this.set(database().available ? 1 : 0);
        },
      });
      new Gauge({
        name: 'palisade_neo4j_transactions_completed',
        help: 'Neo4j transactions since start, by outcome (a counter read from the driver wrapper)',
        labelNames: ['outcome'],
        registers,
        collect() {
          const c = database().completed;
          this.set({ outcome: 'ok' }, c.ok);
          this.set({ outcome: 'failed' }, c.failed);
          this.set({ outcome: 'unavailable' }, c.unavailable);
          this.set({ outcome: 'refused_fast' }, c.refusedFast);
        },
      });
    }
  }

  /** The federation domain reports the outbox through this (read at scrape time). */
  setOutboxProbe(probe: () => Promise<OutboxProbe>): void {
    this.outboxProbe = probe;
  }

  refused(reason: RefusalReason): void {
    this.refusals.inc({ reason });
  }

  /**
   * A bounded label for an operation name: client-chosen names could otherwise grow the series
   * without limit, so odd names and names beyond the first 200 become 'other'.
   */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (this.operationLabels.has(name)) return name;
    if (this.operationLabels.size >= MAX_OPERATION_LABELS) return 'other';
    this.operationLabels.add(name);
    return name;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /metrics: for a scraper holding PALISADE_METRICS_TOKEN, or an admin access token. The route is
 * public to the authentication plugin and checks here, because the scrape secret is not a JWT.
 */
export function metricsRoute(options: {
  metrics: Metrics;
  metricsToken?: string;
  authenticate: Authenticate;
}): Route {
  return {
    method: 'GET',
    path: '/metrics',
    async handle(request) {
      const header = request.headers.get('authorization') ?? '';
      const bearer = /^Bearer +(\S+)$/i.exec(header)?.[1];
      let allowed =
        options.metricsToken !== undefined && bearer !== undefined
          ? sameSecret(bearer, options.metricsToken)
          : false;
      if (!allowed) {
        try {
          const principal = await options.authenticate(request);
          if (principal.role !== 'admin') throw new ForbiddenError('/metrics is for admins');
          allowed = true;
        } catch (e) {
          const error = isAppError(e) ? e : new UnauthenticatedError();
          options.metrics.refused(error.code === 'FORBIDDEN' ? 'forbidden' : 'unauthenticated');
          return json(
            { errors: [{ message: error.message, extensions: { code: error.code } }] },
            error.httpStatus,
            error.code === 'UNAUTHENTICATED' ? { 'www-authenticate': 'Bearer' } : {},
          );
        }
      }
      return new Response(await options.metrics.registry.metrics(), {
        status: 200,
        headers: { 'content-type': options.metrics.registry.contentType },
      });
    },
  };
}
