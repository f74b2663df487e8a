// Client routes under /app/ (History API); the node serves index.html for each of them.
export type Route =
  | { name: 'search'; query: string }
  | { name: 'explore'; focus: string | null }
  | { name: 'network'; id: string }
  | { name: 'case'; id: string }
  | { name: 'not-found'; path: string };

export const BASE = '/app/';

/** The route of a location (path + search). Pure. */
export function parseRoute(pathname: string, search: string): Route {
  const params = new URLSearchParams(search);
  const rest = pathname.startsWith(BASE)
    ? pathname.slice(BASE.length)
    : pathname.replace(/^\//, '');
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const [head, id] = parts;
  if (parts.length === 0 || head === 'search')
    return { name: 'search', query: params.get('q') ?? '' };
  if (head === 'explore' && parts.length === 1)
    return { name: 'explore', focus: params.get('focus') };
  if (head === 'networks' && id && parts.length === 2) return { name: 'network', id };
  if (head === 'cases' && id && parts.length === 2) return { name: 'case', id };
  return { name: 'not-found', path: pathname };
}

/** The URL of a route. Pure. */
export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'search':
      return route.query ? `${BASE}search?q=${encodeURIComponent(route.query)}` : BASE;
    case 'explore':
      return route.focus
        ? `${BASE}explore?focus=${encodeURIComponent(route.focus)}`
        : `${BASE}explore`;
    case 'network':
      return `${BASE}networks/${encodeURIComponent(route.id)}`;
    case 'case':
      return `${BASE}cases/${encodeURIComponent(route.id)}`;
    case 'not-found':
      return BASE;
  }
}

export function navigate(route: Route, onChange: () => void, replace = false): void {
  const url = hrefOf(route);
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  onChange();
}
