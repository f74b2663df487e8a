// The one request-body limit of the GraphQL endpoint. A declared body over the limit is refused with
// 413 before a byte of it is read; a chunked body (no Content-Length) is counted while GraphQL reads
// it and cut off at the same limit. Yoga's own limiter is off (see yoga.ts): it wrapped every body,
// declared or not, in a counting stream, which cost more per request than the rest of the guards.
import type { Plugin } from 'graphql-yoga';
import { AppError, BadUserInputError } from './errors.js';
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

/** Only one non-negative decimal integer is a Content-Length (lists are a smuggling attempt). */
const CONTENT_LENGTH = /^\d+$/;

/** The request with its body counted as it is read: reading fails once the count passes limit. */
function withCountedBody(
  request: Request,
  limit: number,
  fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream },
  onRefused?: () => void,
): Request {
  const body = request.body;
  if (!body) return request;
  // A native stream must be piped through a native TransformStream, a ponyfilled one through the
  // ponyfill's: the two do not mix.
  const Transform =
    body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let read = 0;
  const counted = body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read <= limit) {
          controller.enqueue(chunk);
          return;
        }
        onRefused?.();
        controller.error(new PayloadTooLargeError(limit));
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body: counted,
    // Required by the fetch API for a streamed request body.
    duplex: 'half',
  } as RequestInit);
}

export function useBodyLimit(maxBytes: number, onRefused?: () => void): Plugin {
  return {
    onRequest(payload) {
      const { request, url } = payload;
      if (request.method === 'POST' && OWN_LIMIT_PATHS.includes(url.pathname)) return;
      const declared = request.headers.get('content-length');
      if (declared === null) return;
      if (!CONTENT_LENGTH.test(declared)) {
        payload.endResponse(
          refusalResponse(new BadUserInputError('The Content-Length header is not a byte count'), {
            connection: 'close',
          }),
        );
        return;
      }
      if (Number(declared) > maxBytes) {
        onRefused?.();
        // Close the connection: otherwise node would read (and discard) the whole body to keep it alive.
        payload.endResponse(
          refusalResponse(new PayloadTooLargeError(maxBytes), { connection: 'close' }),
        );
      }
    },
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      // A declared length was checked above, and HTTP framing stops the body there.
      if (request.headers.has('content-length') || !request.body || !requestParser) return;
      const parse = requestParser;
      setRequestParser((req) => parse(withCountedBody(req, maxBytes, fetchAPI, onRefused)));
    },
  };
}
