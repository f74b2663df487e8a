// Plain HTTP routes beside /graphql (health, well-known documents, federation inbox, ...).
import type { Plugin } from 'graphql-yoga';

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Exact path, or a pattern whose named groups become params. */
  path: string | RegExp;
  handle(request: Request, params: Record<string, string>): Promise<Response> | Response;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

function match(route: Route, method: string, path: string): Record<string, string> | null {
  if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) return null;
  if (typeof route.path === 'string') return route.path === path ? {} : null;
  const m = route.path.exec(path);
  return m ? { ...(m.groups ?? {}) } : null;
}

async function serve(
  route: Route,
  request: Request,
  params: Record<string, string>,
  payload: { endResponse(response: Response): void },
): Promise<void> {
  payload.endResponse(await route.handle(request, params));
}

/** Serves the routes ahead of GraphQL; unknown paths fall through to yoga (which answers 404).
 * Every GraphQL request passes through here: when no route matches, the hook returns at once,
 * without a promise for yoga to wait on. */
export function useRoutes(routes: Route[]): Plugin {
  return {
    onRequest(payload) {
      const { request, url } = payload;
      for (const route of routes) {
        const params = match(route, request.method, url.pathname);
        if (params) return serve(route, request, params, payload);
      }
      return undefined;
    },
  };
}
