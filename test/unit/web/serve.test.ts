// Serving the built web app: files under /app/ with content types and caching, client routes get
// index.html, traversal is refused, / goes to /app/, and a missing build says how to make it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Route } from '../../../src/server/routes.js';
import { resolveAppFile, webRoutes } from '../../../src/web/serve.js';

const dist = mkdtempSync(join(tmpdir(), 'palisade-web-dist-'));
mkdirSync(join(dist, 'assets'));
writeFileSync(
  join(dist, 'index.html'),
  '<!doctype html><script type="module" src="/app/assets/a.js"></script>',
);
writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
afterAll(() => rmSync(dist, { recursive: true, force: true }));

async function get(routes: Route[], path: string): Promise<Response> {
  for (const route of routes) {
    const m =
      typeof route.path === 'string' ? (route.path === path ? {} : null) : route.path.exec(path);
    if (m) return route.handle(new Request(`http://node${path}`), {});
  }
  return new Response(null, { status: 599 });
}

describe('the web app routes', () => {
  const routes = webRoutes({ distDir: dist });

  it('sends / to /app/', async () => {
    const res = await get(routes, '/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/app/');
  });

  it('serves hashed assets with a year of caching and the right type', async () => {
    const res = await get(routes, '/app/assets/index-abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers client routes with index.html, revalidated, under a CSP without inline scripts', async () => {
    const res = await get(routes, '/app/networks/nw-1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('404s a missing asset instead of handing out index.html', async () => {
    expect((await get(routes, '/app/assets/nope.js')).status).toBe(404);
  });

  it('refuses paths that climb out of the build directory', async () => {
    expect((await get(routes, '/app/..%2f..%2fpackage.json')).status).toBe(400);
    expect((await get(routes, '/app/%2e%2e/secret')).status).toBe(400);
    expect(resolveAppFile(dist, '/app/a%00b')).toBeNull();
    expect(resolveAppFile(dist, '/app/..\\x')).toBeNull();
    expect(resolveAppFile(dist, '/app/%E0%A4%A')).toBeNull();
    expect(resolveAppFile(dist, '/app/assets/x.js')).toBe(join(dist, 'assets', 'x.js'));
  });

  it('says how to build the app when it is not built', async () => {
    const res = await get(webRoutes({ distDir: join(dist, 'missing') }), '/app/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build:web');
  });
});
