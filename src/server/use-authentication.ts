// Authenticates every request except the public paths, before routes and GraphQL run: a missing or
// invalid token is answered 401 UNAUTHENTICATED without parsing the body; a peer over its rate limit
// 429 RATE_LIMITED with Retry-After.
import type { Plugin } from 'graphql-yoga';
import type { Authenticate } from '../auth/principal.js';
import type { Principal } from './context.js';
import { isAppError, UnauthenticatedError, type ErrorCode } from './errors.js';
import type { Logger } from './logger.js';
import { refusalResponse } from './refusal.js';

/**
 * Paths anyone may call: probes, published keys, the federation inbox (peers authenticate by the
 * signed envelope) and /metrics (which checks its own scrape token or an admin token).
 */
export const PUBLIC_PATHS: readonly (string | RegExp)[] = [
  '/healthz',
  '/readyz',
  /^\/\.well-known\//,
  '/federation/inbox',
  '/metrics',
  // The analyst web app's static files (no data; its GraphQL calls carry the token) and / → /app/.
  '/',
  /^\/app(\/|$)/,
  // TAXII 2.1 (src/interop/taxii) authenticates itself: its clients send HTTP Basic.
  /^\/taxii2(\/|$)/,
];

const principals = new WeakMap<Request, Principal>();
const ANONYMOUS: Principal = { subject: 'anonymous', role: 'anonymous' };

/** The principal the plugin resolved for this request (anonymous on public paths). */
export function principalOf(request: Request): Principal {
  return principals.get(request) ?? ANONYMOUS;
}

export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.some((p) => (typeof p === 'string' ? p === path : p.test(path)));
}

export interface AuthenticationOptions {
  authenticate: Authenticate;
  logger: Logger;
  graphqlEndpoint: string;
  /** When GraphiQL is on, its HTML page (GET with Accept: text/html) loads without a token. */
  graphiql: boolean;
  /** Told the code of every refusal (UNAUTHENTICATED, or RATE_LIMITED for a peer over its limit). */
  onRefused?: (code: ErrorCode) => void;
}

export function useAuthentication(options: AuthenticationOptions): Plugin {
  return {
    onRequest(payload) {
      const { request, url } = payload;
      if (request.method === 'OPTIONS' || isPublicPath(url.pathname)) return undefined;
      if (
        options.graphiql &&
        request.method === 'GET' &&
        url.pathname === options.graphqlEndpoint &&
        (request.headers.get('accept') ?? '').includes('text/html')
      ) {
        return undefined; // the page itself holds no data; its queries carry the token
      }
      // A token verified moments ago is answered at once: the request goes on without a wait.
      let outcome: Principal | Promise<Principal>;
      try {
        outcome = options.authenticate(request);
      } catch (e) {
        refuse(options, payload, e);
        return undefined;
      }
      if (!(outcome instanceof Promise)) {
        principals.set(request, outcome);
        return undefined;
      }
      return outcome.then(
        (principal) => {
          principals.set(request, principal);
        },
        (e: unknown) => refuse(options, payload, e),
      );
    },
  };
}

/** Answers a request whose caller could not be authenticated (or is over its rate limit). */
function refuse(
  options: AuthenticationOptions,
  payload: { endResponse(response: Response): void },
  e: unknown,
): void {
  if (!isAppError(e)) options.logger.error({ err: e }, 'authentication failed unexpectedly');
  const error = isAppError(e) ? e : new UnauthenticatedError();
  options.onRefused?.(error.code);
  payload.endResponse(
    refusalResponse(
      error,
      // Only a refused credential is a challenge; a rate limit or an outage carries its own
      // status and Retry-After.
      error.code === 'UNAUTHENTICATED'
        ? { 'www-authenticate': 'Bearer realm="palisade", error="invalid_token"' }
        : {},
    ),
  );
}
