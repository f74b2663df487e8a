// The analyst web app's entry: session, client, capabilities, the shell and the router.
import { createClient, type GraphQLClient } from './api/client.js';
import { createExploreApi, loadFeatures } from './api/explore.js';
import { NODE_INFO } from './api/operations.js';
import type { AppContext } from './context.js';
import { h, render } from './dom.js';
import { GraphState } from './graph/model.js';
import { hrefOf, navigate, parseRoute, type Route } from './router.js';
import { clearSession, DEV_SESSION, loadSession, saveSession, tokenClaims } from './session.js';
import { caseView } from './views/case.js';
import { exploreView } from './views/explore.js';
import { loginView } from './views/login.js';
import { networkView, setDownloadAuth } from './views/network.js';
import { searchView } from './views/search.js';

const root = document.getElementById('root')!;
const graph = new GraphState();
let ctx: AppContext | null = null;

const tokenOf = (): string | null => {
  const s = loadSession();
  return s && s.token !== DEV_SESSION ? s.token : null;
};

function logout(): void {
  clearSession();
  graph.clear();
  ctx = null;
  history.replaceState(null, '', '/app/');
  start();
}

function link(route: Route, label: string, attrs: { class?: string } = {}): HTMLAnchorElement {
  return h(
    'a',
    {
      href: hrefOf(route),
      ...(attrs.class !== undefined && { class: attrs.class }),
      onClick: (e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(route, show);
      },
    },
    label,
  );
}

function shell(client: GraphQLClient, main: HTMLElement): HTMLElement {
  const nodeName = h('span', { class: 'node-name' });
  void client
    .request(NODE_INFO, {})
    .then((d) => render(nodeName, `${d.nodeInfo.name} (${d.nodeInfo.nodeId})`))
    .catch(() => undefined);
  const token = tokenOf();
  const who = token ? tokenClaims(token) : { sub: 'development', role: 'admin' };
  return h(
    'div',
    { class: 'app' },
    h(
      'header',
      { class: 'topbar' },
      h('span', { class: 'brand' }, 'Palisade'),
      h(
        'nav',
        { aria: { label: 'Main' } },
        link({ name: 'search', query: '' }, 'Search'),
        link({ name: 'explore', focus: null }, 'Explore'),
      ),
      nodeName,
      h('span', { class: 'who' }, `${who.sub ?? 'analyst'} · ${who.role ?? ''}`),
      h('button', { type: 'button', class: 'secondary small', onClick: logout }, 'Log out'),
    ),
    main,
  );
}

function show(): void {
  if (!ctx) return;
  const route = parseRoute(location.pathname, location.search);
  const main = h('main', { id: 'main', tabindex: '-1' });
  switch (route.name) {
    case 'search':
      render(main, searchView(ctx, route.query));
      break;
    case 'explore':
      render(main, exploreView(ctx, route.focus));
      break;
    case 'network':
      render(main, networkView(ctx, route.id));
      break;
    case 'case':
      render(main, caseView(ctx, route.id));
      break;
    case 'not-found':
      render(main, h('h1', {}, 'Not found'), link({ name: 'search', query: '' }, 'Back to search'));
      break;
  }
  render(root, shell(ctx.client, main));
  document.title = `Palisade — ${route.name === 'not-found' ? 'not found' : route.name}`;
}

function start(): void {
  const session = loadSession();
  if (!session) {
    render(
      root,
      loginView((token) => {
        saveSession(token);
        start();
      }),
    );
    return;
  }
  const client = createClient({ token: tokenOf, onUnauthenticated: logout });
  setDownloadAuth((): Record<string, string> => {
    const t = tokenOf();
    return t ? { authorization: `Bearer ${t}` } : {};
  });
  render(root, h('p', { class: 'notice' }, 'Loading…'));
  void loadFeatures(client).then((features) => {
    ctx = {
      client,
      api: createExploreApi(client, features),
      go: (route) => navigate(route, show),
      link,
      graph,
    };
    show();
  });
}

window.addEventListener('popstate', show);
start();
