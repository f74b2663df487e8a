// The TAXII 2.1 read-only server (discovery, API root, collections, objects, manifest) serving the
// node's pseudonymous STIX export to authenticated callers. TAXII clients (taxii2-client, MISP,
// OpenCTI) send HTTP Basic, so Basic with any username and an API token as password is accepted
// beside Bearer; either way the token goes through the node's own authenticator.
import type { Authenticate } from '../../auth/principal.js';
import type { Tlp } from '../../federation/sharing-policy.js';
import type { Principal } from '../../server/context.js';
import { isAppError } from '../../server/errors.js';
import type { Logger } from '../../server/logger.js';
import type { Route } from '../../server/routes.js';
import { uuidv5, PALISADE_NAMESPACE } from '../stix/ids.js';
import { STIX_MEDIA_TYPE, type StixBundle } from '../stix/mapping.js';
import {
  page,
  parseTimestamp,
  TaxiiQueryError,
  toEntries,
  type CollectionEntry,
} from './envelope.js';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const TAXII_PREFIX = '/taxii2/';
const API_ROOT = 'palisade';

/** Roles that may read the collections: the node's staff and authenticated peers. */
const READERS: ReadonlySet<Principal['role']> = new Set([
  'admin',
  'analyst',
  'viewer',
  'partner',
  'association',
]);

export interface TaxiiOptions {
  node: { id: string; name: string };
  publicUrl: string;
  /** The most restrictive TLP served (RED never is). */
  tlpMax: Tlp;
  /** Largest page; also the default `limit`. */
  maxPage: number;
  maxContentLength: number;
  /** Verifies `Authorization: Bearer <token>` as the GraphQL endpoint does. */
  authenticate: Authenticate;
  exportBundle: (tlpMax: Tlp) => Promise<StixBundle>;
  logger: Logger;
  /** How long one export is reused across page requests. @default 5000 */
  cacheMs?: number;
}

class TaxiiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    description?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description ?? title);
  }
}

function taxii(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': TAXII_MEDIA_TYPE, ...headers },
  });
}

function errorResponse(e: TaxiiError): Response {
  return taxii(
    { title: e.title, description: e.message, http_status: String(e.status) },
    e.status,
    e.status === 401
      ? { 'www-authenticate': 'Basic realm="palisade-taxii", charset="UTF-8"' }
      : e.headers,
  );
}

/** The API token of a Basic (password) or Bearer credential, or null. */
export function credentialOf(request: Request): string | null {
  const header = request.headers.get('authorization')?.trim();
  if (!header) return null;
  const bearer = /^Bearer +(\S+)$/i.exec(header);
  if (bearer) return bearer[1]!;
  const basic = /^Basic +([A-Za-z0-9+/]+=*)$/i.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon >= 0 ? decoded.slice(colon + 1) : '';
  return password.length > 0 ? password : null;
}

function acceptsTaxii(request: Request): boolean {
  const accept = request.headers.get('accept');
  if (!accept) return true;
  return accept
    .split(',')
    .map((p) => p.trim().split(';')[0]!.trim().toLowerCase())
    .some((t) => t === 'application/taxii+json' || t === '*/*' || t === 'application/*');
}

function listParam(url: URL, name: string): string[] {
  return url.searchParams
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

export function taxiiRoutes(options: TaxiiOptions): Route[] {
  const base = `${options.publicUrl}${TAXII_PREFIX}`;
  const collectionId = uuidv5(PALISADE_NAMESPACE, `taxii-collection\u0000${options.node.id}`);
  const collection = {
    id: collectionId,
    title: `${options.node.name}: shared indicators`,
    description:
      'Pseudonymous indicators (OPRF tokens), infringer networks and enforcement actions, TLP-marked.',
    can_read: true,
    can_write: false,
    media_types: [STIX_MEDIA_TYPE],
  };
  const cacheMs = options.cacheMs ?? 5000;
  let cached: { at: number; entries: Promise<CollectionEntry[]> } | undefined;
  const entries = (): Promise<CollectionEntry[]> => {
    if (!cached || Date.now() - cached.at > cacheMs) {
      const p = options.exportBundle(options.tlpMax).then((b) => toEntries(b.objects));
      p.catch(() => (cached = undefined));
      cached = { at: Date.now(), entries: p };
    }
    return cached.entries;
  };

  /** Authenticates, checks Accept and runs the handler; every failure is a TAXII error message. */
  const guarded =
    (handler: (url: URL, params: Record<string, string>) => Promise<Response> | Response) =>
    async (request: Request, params: Record<string, string>): Promise<Response> => {
      try {
        const token = credentialOf(request);
        if (token === null)
          throw new TaxiiError(
            401,
            'Unauthorized',
            'send HTTP Basic (password = API token) or Bearer',
          );
        let principal: Principal;
        try {
          principal = await options.authenticate(
            new Request(request.url, {
              method: request.method,
              headers: { authorization: `Bearer ${token}` },
            }),
          );
        } catch (e) {
          if (isAppError(e) && e.code === 'RATE_LIMITED') {
            const after = e.extensions['retryAfter'];
            const retryAfter = typeof after === 'number' ? String(after) : '1';
            throw new TaxiiError(429, 'Too Many Requests', `retry after ${retryAfter} s`, {
              'retry-after': retryAfter,
            });
          }
          if (isAppError(e) && e.code === 'UNAVAILABLE')
            throw new TaxiiError(503, 'Service Unavailable', 'try again shortly', {
              'retry-after': '5',
            });
          if (isAppError(e)) throw new TaxiiError(401, 'Unauthorized', 'the token was refused');
          throw e;
        }
        if (!READERS.has(principal.role)) throw new TaxiiError(403, 'Forbidden');
        if (!acceptsTaxii(request)) {
          throw new TaxiiError(406, 'Not Acceptable', `this server answers ${TAXII_MEDIA_TYPE}`);
        }
        return await handler(new URL(request.url), params);
      } catch (e) {
        if (e instanceof TaxiiError) return errorResponse(e);
        if (e instanceof TaxiiQueryError)
          return errorResponse(new TaxiiError(400, 'Bad Request', e.message));
        options.logger.error({ err: e }, 'taxii request failed');
        return errorResponse(new TaxiiError(500, 'Internal Error'));
      }
    };

  const checkCollection = (params: Record<string, string>) => {
    if (params['root'] !== API_ROOT) throw new TaxiiError(404, 'Not Found', 'no such API root');
    if (params['collection'] !== undefined && params['collection'] !== collectionId) {
      throw new TaxiiError(404, 'Not Found', 'no such collection');
    }
  };

  const pageQuery = (url: URL) => {
    const limitText = url.searchParams.get('limit');
    let limit = options.maxPage;
    if (limitText !== null) {
      const n = Number(limitText);
      if (!Number.isInteger(n) || n < 1)
        throw new TaxiiQueryError('limit must be a positive integer');
      limit = Math.min(n, options.maxPage);
    }
    const addedAfter = url.searchParams.get('added_after');
    const next = url.searchParams.get('next');
    return {
      limit,
      ...(addedAfter !== null && { addedAfter: parseTimestamp(addedAfter, 'added_after') }),
      ...(next !== null && { next }),
      types: listParam(url, 'match[type]'),
      ids: listParam(url, 'match[id]'),
      versions: listParam(url, 'match[version]'),
    };
  };

  const rangeHeaders = (rows: readonly CollectionEntry[]): Record<string, string> =>
    rows.length === 0
      ? {}
      : {
          'x-taxii-date-added-first': rows[0]!.dateAdded,
          'x-taxii-date-added-last': rows[rows.length - 1]!.dateAdded,
        };

  const root = `(?<root>[^/]+)`;
  const coll = `${root}/collections/(?<collection>[^/]+)`;
  return [
    {
      method: 'GET',
      path: /^\/taxii2\/?$/,
      handle: guarded(() =>
        taxii({
          title: `Palisade TAXII 2.1 — ${options.node.name}`,
          description: 'Read-only collections of this Palisade node’s shareable STIX 2.1 content.',
          default: `${base}${API_ROOT}/`,
          api_roots: [`${base}${API_ROOT}/`],
        }),
      ),
    },
    {
      method: 'GET',
      path: new RegExp(`^/taxii2/${root}/?$`),
      handle: guarded((_url, params) => {
        checkCollection(params);
        return taxii({
          title: `${options.node.name}`,
          versions: [TAXII_MEDIA_TYPE],
          max_content_length: options.maxContentLength,
        });
      }),
    },
    {
      method: 'GET',
      path: new RegExp(`^/taxii2/${root}/collections/?$`),
      handle: guarded((_url, params) => {
        checkCollection(params);
        return taxii({ collections: [collection] });
      }),
    },
    {
      method: 'GET',
      path: new RegExp(`^/taxii2/${coll}/?$`),
      handle: guarded((_url, params) => {
        checkCollection(params);
        return taxii(collection);
      }),
    },
    {
      method: 'GET',
      path: new RegExp(`^/taxii2/${coll}/objects/?$`),
      handle: guarded(async (url, params) => {
        checkCollection(params);
        const p = page(await entries(), pageQuery(url));
        return taxii(
          {
            more: p.more,
            ...(p.next !== undefined && { next: p.next }),
            ...(p.entries.length > 0 && { objects: p.entries.map((e) => e.object) }),
          },
          200,
          rangeHeaders(p.entries),
        );
      }),
    },
    {
      method: 'GET',
      path: new RegExp(`^/taxii2/${coll}/objects/(?<object>[^/]+)/?$`),
      handle: guarded(async (url, params) => {
        checkCollection(params);
        const id = decodeURIComponent(params['object'] ?? '');
        const p = page(await entries(), { ...pageQuery(url), ids: [id] });
        if (p.entries.length === 0) throw new TaxiiError(404, 'Not Found', 'no such object');
        return taxii(
          { more: p.more, objects: p.entries.map((e) => e.object) },
          200,
          rangeHeaders(p.entries),
        );
      }),
    },
    {
      method: 'GET',
      path: new RegExp(`^/taxii2/${coll}/manifest/?$`),
      handle: guarded(async (url, params) => {
        checkCollection(params);
        const p = page(await entries(), pageQuery(url));
        return taxii(
          {
            more: p.more,
            ...(p.next !== undefined && { next: p.next }),
            ...(p.entries.length > 0 && {
              objects: p.entries.map((e) => ({
                id: e.object.id,
                date_added: e.dateAdded,
                version: e.version,
                media_type: STIX_MEDIA_TYPE,
              })),
            }),
          },
          200,
          rangeHeaders(p.entries),
        );
      }),
    },
  ];
}

/** The collection id a node serves (clients and tests address it). */
export const taxiiCollectionId = (nodeId: string): string =>
  uuidv5(PALISADE_NAMESPACE, `taxii-collection\u0000${nodeId}`);
