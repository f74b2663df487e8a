// The GraphQL server: yoga over the executable schema, with typed errors and request logs.
import { useGraphQlJit } from '@envelop/graphql-jit';
import {
  createYoga,
  type CORSOptions,
  type YogaServerInstance,
  type YogaServerOptions,
} from 'graphql-yoga';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphQLSchema } from 'graphql';
import { GraphQLError } from 'graphql';
import type { Authenticate } from '../auth/principal.js';
import type { GraphQLContext, Principal } from './context.js';
import { useClientErrorCodes, withClientCode } from './client-errors.js';
import { ERROR_CODES } from './errors.js';
import type { Logger } from './logger.js';
import { useRoutes, type Route } from './routes.js';
import { requestIdOf, useRequestLog } from './use-request-log.js';

export type Yoga = YogaServerInstance<Record<string, unknown>, GraphQLContext>;
/** A plugin of any shape yoga accepts (its own, envelop's such as graphql-armor, ours). */
export type YogaPlugin = NonNullable<
  YogaServerOptions<Record<string, unknown>, GraphQLContext>['plugins']
>[number];

export interface YogaOptions {
  schema: GraphQLSchema;
  logger: Logger;
  graphiql: boolean;
  routes: Route[];
  /** Run before the routes (authentication, rate limits, body size must see every request). */
  plugins?: YogaPlugin[];
  /** Works out who is calling (the authentication plugin already has, for every request: the node
   * passes a lookup that answers at once, so that building a context waits for nothing). */
  authenticate?: Authenticate;
  /** Origins whose browser pages may call the node (CORS); none when absent. */
  corsOrigins?: readonly string[];
  /** Operations per batched request; 0 or absent: batching off. */
  batchLimit?: number;
}

const ANONYMOUS: Principal = { subject: 'anonymous', role: 'anonymous' };

export function createGraphQLServer(options: YogaOptions): Yoga {
  const { logger } = options;
  return createYoga<Record<string, unknown>, GraphQLContext>({
    schema: options.schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: false,
    graphiql: options.graphiql ? { title: 'Palisade' } : false,
    renderGraphiQL,
    maskedErrors: {
      maskError(error, message) {
        // Typed errors carry one of our codes (checked by shape: graphql can be loaded twice,
        // as CommonJS and as ESM, which defeats instanceof).
        const typed = typedErrorOf(error);
        if (typed) return typed;
        if (
          error instanceof GraphQLError &&
          error.originalError === undefined &&
          error.path === undefined
        ) {
          // A GraphQL validation or syntax error, a variable that does not fit its type (or yoga's
          // own request errors): part of the API, given one of our codes so that every client error
          // carries one. An error with a path arose while executing a field (the compiled executor
          // reports a null in a non-null field this way): a bug, not the client's.
          return withClientCode(error);
        }
        // Anything else is a bug or an outage: log it whole, show the client a code only.
        const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
        logger.error({ err: original }, 'unexpected error');
        return new GraphQLError(message, { extensions: { code: 'INTERNAL' } });
      },
    },
    context: ({ request }) => {
      const principal = options.authenticate ? options.authenticate(request) : ANONYMOUS;
      const requestId = requestIdOf(request);
      return principal instanceof Promise
        ? principal.then((p) => ({ logger, requestId, principal: p }))
        : { logger, requestId, principal };
    },
    cors: corsPolicy(options.corsOrigins ?? []),
    // The body limit is useBodyLimit's (security.ts): yoga's own would wrap every body in a stream.
    maxRequestBodySize: false,
    batching: options.batchLimit ? { limit: options.batchLimit } : false,
    // Files come in through the evidence route (POST /evidence), never through GraphQL: no GraphQL
    // multipart parser for a stranger's body to reach.
    multipart: false,
    // Guards (auth, limits) come before the routes so that they see every request.
    plugins: [
      useRequestLog(logger),
      useClientErrorCodes(),
      ...(options.plugins ?? []),
      useRoutes(options.routes),
      // Each operation is compiled once into a function (cached with its parsed document, which
      // yoga reuses for the same query text): executing it then costs a fraction of the
      // interpreter's walk over the document, field by field, on every request.
      // An operation that does not compile (an unknown operationName) is the client's mistake:
      // its errors go back as the result, and the log only notes it.
      useGraphQlJit(
        {},
        { onError: (r) => logger.warn({ errors: r.errors?.length }, 'operation not compiled') },
      ),
    ],
  });
}

/**
 * Cross-origin browser access: none unless origins are configured (yoga's default would answer
 * every origin, credentials allowed, so that any page an analyst opens could read what the
 * browser's stored TAXII Basic credentials unlock). A listed origin may send the node's own
 * headers, never credentials: its requests carry a bearer token.
 */
function corsPolicy(origins: readonly string[]): CORSOptions | false {
  if (origins.length === 0) return false;
  // With one origin listed, yoga names it to every caller (a browser elsewhere then refuses the
  // answer); with several, the caller's own when listed and "null" otherwise.
  return {
    origin: [...origins],
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'accept', 'x-palisade-csrf'],
    credentials: false,
    maxAge: 600,
  };
}

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

function hasCode(e: unknown): e is GraphQLError {
  if (typeof e !== 'object' || e === null || !('extensions' in e)) return false;
  const ext = (e as { extensions?: { code?: unknown } }).extensions;
  return typeof ext?.code === 'string' && CODES.has(ext.code) && ext.code !== 'INTERNAL';
}

function typedErrorOf(error: unknown): GraphQLError | null {
  const original =
    typeof error === 'object' && error !== null && 'originalError' in error
      ? error.originalError
      : undefined;
  const source = hasCode(original) ? original : hasCode(error) ? error : null;
  if (!source) return null;
  const located = error instanceof GraphQLError ? error : undefined;
  return new GraphQLError(source.message, {
    ...(located?.nodes && { nodes: located.nodes }),
    ...(located?.path && { path: located.path }),
    extensions: source.extensions,
  });
}
