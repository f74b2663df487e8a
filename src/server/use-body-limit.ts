// Refuses a request whose declared body is over the limit with 413, before a byte of it is read.
// Chunked bodies (no Content-Length) are cut off by yoga's maxRequestBodySize at the same limit.
import type { Plugin } from 'graphql-yoga';
import { AppError } from './errors.js';
import { refusalResponse } from './refusal.js';

export class PayloadTooLargeError extends AppError {
  constructor(limit: number) {
    super('BAD_USER_INPUT', `The request body is larger than ${limit} bytes`, {
      limit,
      http: { status: 413 },
    });
  }
}

/**
 * Routes that take files and enforce their own, larger limit while streaming (evidence uploads:
 * PALISADE_EVIDENCE_MAX_BYTES); the general body limit would refuse every real screenshot.
 */
export const OWN_LIMIT_PATHS: readonly string[] = ['/evidence'];

export function useBodyLimit(maxBytes: number, onRefused?: () => void): Plugin {
  return {
    onRequest(payload) {
      const { request, url } = payload;
      if (request.method === 'POST' && OWN_LIMIT_PATHS.includes(url.pathname)) return;
      const length = Number(request.headers.get('content-length') ?? '0');
      if (Number.isFinite(length) && length > maxBytes) {
        onRefused?.();
        // Close the connection: otherwise node would read (and discard) the whole body to keep it alive.
        payload.endResponse(
          refusalResponse(new PayloadTooLargeError(maxBytes), { connection: 'close' }),
        );
      }
    },
  };
}
