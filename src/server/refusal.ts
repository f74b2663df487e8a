// A typed error as a complete HTTP response, for plugins that refuse a request before GraphQL runs.
import type { AppError } from './errors.js';

/** The GraphQL-over-HTTP error shape, with the status and headers the error carries. */
export function refusalResponse(error: AppError, headers: Record<string, string> = {}): Response {
  const http = error.extensions['http'];
  const { http: _http, ...extensions } = error.extensions;
  return new Response(JSON.stringify({ errors: [{ message: error.message, extensions }] }), {
    status: http?.status ?? error.httpStatus,
    headers: {
      'content-type': 'application/graphql-response+json; charset=utf-8',
      ...(http?.headers ?? {}),
      ...headers,
    },
  });
}
