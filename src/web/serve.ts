// Serves the built analyst web app (src/web/dist) at /app/: static files with their content types,
// index.html for client routes, long-lived caching for hashed assets, a strict CSP, no traversal.
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Route } from '../server/routes.js';

/** Where `npm run build:web` writes the app. */
export const DEFAULT_WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), 'dist');

/** The URL prefix the app lives under (vite's `base`). */
export const APP_BASE = '/app/';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Cytoscape injects one small stylesheet (`position: relative` on its container); its hash lets
 * exactly that text in. The app's own CSS carries the same rule, so a newer Cytoscape whose text
 * differs only logs a CSP warning.
 */
const CYTOSCAPE_STYLE_HASH = "'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8='";

/**
 * No inline scripts, no inline styles but Cytoscape's one, nothing from other origins; GraphQL and
 * downloads only from here. Element styles set through the CSSOM are not inline styles to CSP.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' ${CYTOSCAPE_STYLE_HASH}`,
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export interface WebRoutesOptions {
  /** The built app's directory. @default src/web/dist */
  distDir?: string;
}

/**
 * The file a request path maps to inside `root`, or null when the path is malformed or escapes it
 * (encoded dots, backslashes, NUL). Pure; exported for tests.
 */
export function resolveAppFile(root: string, pathname: string): string | null {
  if (!pathname.startsWith(APP_BASE)) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(pathname.slice(APP_BASE.length));
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  const parts = rel.split('/').filter((p) => p.length > 0);
  if (parts.some((p) => p === '..' || p === '.')) return null;
  const base = resolve(root);
  const file = resolve(base, ...parts);
  return file === base || file.startsWith(base + sep) ? file : null;
}

/** Hashed build output never changes under its name; everything else is revalidated. */
export function cacheControlFor(pathname: string): string {
  return pathname.startsWith(`${APP_BASE}assets/`)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache';
}

function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS, ...headers },
  });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function fileResponse(path: string, cacheControl: string, head: boolean): Promise<Response> {
  const body = await readFile(path);
  const type = CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  return new Response(head ? null : body, {
    status: 200,
    headers: {
      'content-type': type,
      'content-length': String(body.byteLength),
      'cache-control': cacheControl,
      ...SECURITY_HEADERS,
    },
  });
}

/** GET / → /app/, GET /app/... → the built app (index.html for client routes). */
export function webRoutes(options: WebRoutesOptions = {}): Route[] {
  const root = options.distDir ?? DEFAULT_WEB_DIST;
  const index = join(root, 'index.html');
  return [
    {
      method: 'GET',
      path: '/',
      handle: () => new Response(null, { status: 302, headers: { location: APP_BASE } }),
    },
    {
      method: 'GET',
      path: '/app',
      handle: () => new Response(null, { status: 301, headers: { location: APP_BASE } }),
    },
    {
      method: 'GET',
      path: /^\/app\/.*$/,
      async handle(request) {
        const head = request.method === 'HEAD';
        if (!(await isFile(index))) {
          return text(503, 'The web app is not built: run `npm run build:web`.\n', {
            'cache-control': 'no-store',
          });
        }
        const { pathname } = new URL(request.url);
        const file = resolveAppFile(root, pathname);
        if (file === null) return text(400, 'Bad path\n');
        if (await isFile(file)) return fileResponse(file, cacheControlFor(pathname), head);
        // A missing asset is a 404; any other path is a client route the app itself renders.
        if (pathname.startsWith(`${APP_BASE}assets/`) || extname(pathname) !== '') {
          return text(404, 'Not found\n');
        }
        return fileResponse(index, 'no-cache', head);
      },
    },
  ];
}
