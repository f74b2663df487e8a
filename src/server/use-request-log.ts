// One pino line per HTTP request: method, path, status, duration, request id.
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from './logger.js';
import { pathOf } from './request-path.js';

const started = new WeakMap<Request, { at: bigint; id: string }>();

export function requestIdOf(request: Request): string {
  return started.get(request)?.id ?? 'unknown';
}

export function useRequestLog(logger: Logger): Plugin {
  return {
    onRequest({ request }) {
      const given = request.headers.get('x-request-id');
      const id = given && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
      started.set(request, { at: process.hrtime.bigint(), id });
    },
    onResponse({ request, response, serverContext: _ }) {
      const s = started.get(request);
      response.headers.set('x-request-id', s?.id ?? 'unknown');
      if (!logger.isLevelEnabled('info')) return;
      const durationMs = s ? Number(process.hrtime.bigint() - s.at) / 1e6 : undefined;
      // Query strings may carry identifiers; only the path is logged.
      logger.info(
        {
          requestId: s?.id,
          method: request.method,
          path: pathOf(request),
          status: response.status,
          durationMs: durationMs !== undefined ? Math.round(durationMs * 100) / 100 : undefined,
        },
        'request',
      );
    },
  };
}
