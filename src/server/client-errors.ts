// Every client error carries one of our codes: parse, validation and limit errors that graphql, yoga
// or graphql-armor raise without one (or with their own, e.g. GRAPHQL_VALIDATION_FAILED) get
// BAD_USER_INPUT, their original code kept as `reason`.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ERROR_CODES } from './errors.js';

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/**
 * A client error without one of our codes gets BAD_USER_INPUT (keeping its HTTP status). A request
 * error (no path: parse, validation, limits) without a status gets 400 the GraphQL-over-HTTP way:
 * `spec` makes yoga apply it to application/graphql-response+json and answer 200 to application/json.
 */
export function withClientCode(error: GraphQLError): GraphQLError {
  // graphql-jit's own errors (variables it cannot coerce) come without an extensions object.
  const extensions: Record<string, unknown> = error.extensions ?? {};
  const code = extensions['code'];
  const needsStatus = error.path === undefined && extensions['http'] === undefined;
  if (typeof code === 'string' && CODES.has(code) && !needsStatus) return error;
  return new GraphQLError(error.message, {
    ...(error.nodes && { nodes: error.nodes }),
    ...(error.source && { source: error.source }),
    ...(error.positions && { positions: error.positions }),
    ...(error.path && { path: error.path }),
    extensions: {
      ...extensions,
      ...(needsStatus && { http: { status: 400, spec: true } }),
      code: typeof code === 'string' && CODES.has(code) ? code : 'BAD_USER_INPUT',
      ...(typeof code === 'string' && !CODES.has(code) && { reason: code }),
    },
  });
}

/** Recodes validation errors (returned as a result, so yoga's error masking never sees them). */
export function useClientErrorCodes(): Plugin {
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length > 0) {
          setResult(
            result.map((e: unknown) =>
              e instanceof GraphQLError ? withClientCode(e) : (e as Error),
            ),
          );
        }
      };
    },
  };
}
