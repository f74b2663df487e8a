// Records every request's latency and status by GraphQL operation name (or by route for plain paths).
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from './metrics.js';
import { pathOf } from './request-path.js';

const KNOWN_ROUTES: readonly (string | RegExp)[] = [
  '/healthz',
  '/readyz',
  '/metrics',
  '/federation/inbox',
  /^\/\.well-known\/[\w.-]+$/,
];

function routeLabel(path: string): string {
  for (const r of KNOWN_ROUTES) {
    if (typeof r === 'string' ? r === path : r.test(path)) return `route:${path}`;
  }
  return 'route:other';
}

export function useMetrics(metrics: Metrics, graphqlEndpoint: string): Plugin {
  const started = new WeakMap<Request, bigint>();
  const operations = new WeakMap<Request, string>();
  return {
    onRequest({ request }) {
      started.set(request, process.hrtime.bigint());
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (!request) return;
      const document = args.document as DocumentNode;
      const operationName = args.operationName as string | null | undefined;
      const op = getOperationAST(document, operationName ?? undefined);
      operations.set(request, metrics.operationLabel(op?.name?.value));
    },
    onResponse({ request, response }) {
      const at = started.get(request);
      const path = pathOf(request);
      const operation =
        operations.get(request) ?? (path === graphqlEndpoint ? 'unexecuted' : routeLabel(path));
      metrics.requests.inc({ operation, status: String(response.status) });
      if (at !== undefined) {
        metrics.duration.observe({ operation }, Number(process.hrtime.bigint() - at) / 1e9);
      }
    },
  };
}
