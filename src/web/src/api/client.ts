// A small GraphQL-over-HTTP client: typed operations, the Bearer token, and errors that keep the
// server's extensions.code (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, RATE_LIMITED…).

/** A named GraphQL document with the types of its variables and result (phantom fields). */
export interface Operation<TData, TVars> {
  readonly name: string;
  readonly document: string;
  readonly _types?: { data: TData; vars: TVars };
}

/** Declares an operation; the document's operation name must equal `name`. */
export function operation<TData, TVars = Record<string, never>>(
  name: string,
  document: string,
): Operation<TData, TVars> {
  return { name, document };
}

export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string } & Record<string, unknown>;
}

/** A failed request: the first error's code and message, every error kept. */
export class GraphQLRequestError extends Error {
  override name = 'GraphQLRequestError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly errors: readonly GraphQLErrorEntry[] = [],
  ) {
    super(message);
  }
}

export interface ClientOptions {
  /** The GraphQL endpoint. @default '/graphql' */
  endpoint?: string;
  /** The access token; null sends no Authorization header (a dev-auth node). */
  token: () => string | null;
  /** Called when the server says the token is missing, invalid or expired. */
  onUnauthenticated?: () => void;
  fetch?: typeof fetch;
}

export interface GraphQLClient {
  request<TData, TVars>(op: Operation<TData, TVars>, variables: TVars): Promise<TData>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function errorsOf(body: unknown): GraphQLErrorEntry[] {
  if (!isRecord(body) || !Array.isArray(body['errors'])) return [];
  return body['errors'].filter(isRecord).map((e) => ({
    message: typeof e['message'] === 'string' ? e['message'] : 'Unknown error',
    ...(Array.isArray(e['path']) && { path: e['path'] as Array<string | number> }),
    ...(isRecord(e['extensions']) && { extensions: e['extensions'] }),
  }));
}

/** The client error of a response (status + body), or null when it carries data and no errors. */
export function toRequestError(status: number, body: unknown): GraphQLRequestError | null {
  const errors = errorsOf(body);
  const first = errors[0];
  if (first) {
    const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL';
    return new GraphQLRequestError(code, first.message, status, errors);
  }
  if (status === 401) return new GraphQLRequestError('UNAUTHENTICATED', 'Please log in', status);
  if (status >= 400 || !isRecord(body) || !isRecord(body['data'])) {
    return new GraphQLRequestError(
      status === 429 ? 'RATE_LIMITED' : status >= 500 ? 'UNAVAILABLE' : 'INTERNAL',
      `The server answered ${status}`,
      status,
    );
  }
  return null;
}

export function createClient(options: ClientOptions): GraphQLClient {
  const endpoint = options.endpoint ?? '/graphql';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  return {
    async request<TData, TVars>(op: Operation<TData, TVars>, variables: TVars): Promise<TData> {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
      };
      const token = options.token();
      if (token !== null) headers['authorization'] = `Bearer ${token}`;
      let response: Response;
      try {
        response = await doFetch(endpoint, {
          method: 'POST',
          headers,
          body: JSON.stringify({ operationName: op.name, query: op.document, variables }),
        });
      } catch (e) {
        throw new GraphQLRequestError(
          'UNAVAILABLE',
          `The node is unreachable: ${e instanceof Error ? e.message : String(e)}`,
          0,
        );
      }
      let body: unknown = null;
      try {
        body = await response.json();
      } catch {
        body = null;
      }
      const error = toRequestError(response.status, body);
      if (error) {
        if (error.code === 'UNAUTHENTICATED') options.onUnauthenticated?.();
        throw error;
      }
      return (body as { data: TData }).data;
    },
  };
}

/** A one-line message for the UI: the code in words, then the server's message. */
export function describeError(e: unknown): string {
  if (e instanceof GraphQLRequestError) {
    const words: Record<string, string> = {
      UNAUTHENTICATED: 'Not logged in',
      FORBIDDEN: 'Not allowed',
      NOT_FOUND: 'Not found',
      BAD_USER_INPUT: 'Check the input',
      RATE_LIMITED: 'Too many requests, wait a moment',
      UNAVAILABLE: 'Service unavailable',
    };
    return `${words[e.code] ?? e.code}: ${e.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}
