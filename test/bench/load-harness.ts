// A bounded loopback load test: a normal client's latency alone, then beside hostile clients (deep
// queries, alias floods, oversized bodies, a rate-limit hammer) that the node refuses. Used by the
// benchmark (test/bench/load.bench.ts) and, smaller, by the e2e test.
import autocannon from 'autocannon';
import { aliasQuery, deepQuery, NORMAL } from '../support/hostile.js';

/** What the normal client asks: a read that goes to Neo4j. */
const NORMAL_WITH_DB = 'query Normal { nodeInfo { nodeId neo4j { version migrations } } }';

export interface LoadOptions {
  url: string;
  normalToken: string;
  /** One token per hostile client kind (each its own rate-limit bucket). */
  hostileTokens: { depth: string; aliases: string; body: string; hammer: string };
  durationSeconds: number;
  /** Requests per second the normal client sends (it stays under its rate limit). */
  normalRate: number;
  connections: number;
}

export interface LoadFigures {
  requests: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

function figures(r: autocannon.Result): LoadFigures {
  return {
    requests: r.requests.total,
    p50Ms: r.latency.p50,
    p95Ms: r.latency.p97_5 !== undefined ? percentile95(r) : r.latency.p90,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

// autocannon reports p90, p97.5 and p99; p95 lies between p90 and p97.5: interpolate.
function percentile95(r: autocannon.Result): number {
  const { p90, p97_5 } = r.latency;
  return Math.round((p90 + ((p97_5 - p90) * 5) / 7.5) * 100) / 100;
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err: unknown, result) =>
      err ? reject(err instanceof Error ? err : new Error('autocannon failed')) : resolve(result),
    );
  });
}

const post = (url: string, token: string, body: string, extra: Partial<autocannon.Options> = {}) =>
  ({
    url: `${url}/graphql`,
    method: 'POST' as const,
    headers: {
      'content-type': 'application/json',
      // GraphQL-over-HTTP: with this media type, refused requests get 4xx (application/json: 200).
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${token}`,
    },
    body,
    ...extra,
  }) satisfies autocannon.Options;

export async function loadTest(options: LoadOptions) {
  const { url, durationSeconds: duration, connections } = options;
  const normal = () =>
    run({
      ...post(url, options.normalToken, JSON.stringify({ query: NORMAL_WITH_DB })),
      duration,
      connections,
      overallRate: options.normalRate,
    });

  const baseline = figures(await normal());

  const hostile = Promise.all([
    run({
      ...post(url, options.hostileTokens.depth, JSON.stringify({ query: deepQuery(100) })),
      duration,
      connections: 4,
    }),
    run({
      ...post(url, options.hostileTokens.aliases, JSON.stringify({ query: aliasQuery(10_000) })),
      duration,
      connections: 4,
    }),
    run({
      ...post(url, options.hostileTokens.body, 'x'.repeat(2 * 1024 * 1024)),
      duration,
      connections: 2,
    }),
    run({
      ...post(url, options.hostileTokens.hammer, JSON.stringify({ query: NORMAL })),
      duration,
      connections: 8,
    }),
  ]);
  const underAttack = figures(await normal());
  const [depth, aliases, body, hammer] = await hostile;
  const refused = (r: autocannon.Result) => ({
    requests: r.requests.total,
    refused: r.non2xx,
    status: Object.fromEntries(
      Object.entries(r.statusCodeStats ?? {}).map(([code, v]) => [code, v.count]),
    ),
    p95Ms: percentile95(r),
  });
  return {
    baseline,
    underAttack,
    hostile: {
      depth100: refused(depth),
      aliases10k: refused(aliases),
      body2MB: refused(body),
      overRateLimit: refused(hammer),
    },
  };
}
