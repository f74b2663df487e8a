// Search: one box over entities and identifiers (a phone in any format finds its E.164 node),
// results grouped by kind, each a way into the graph, its network or its case.
import { describeError } from '../api/client.js';
import { NotServedError, type SearchHit } from '../api/explore-api.js';
import { labelOf } from '../api/node-summary.js';
import type { AppContext } from '../context.js';
import { h, notice, render } from '../dom.js';
import { colourOf, humanKind } from '../kinds.js';

/** Hits grouped by GraphQL type, groups in first-hit order. Pure. */
export function groupByKind(hits: readonly SearchHit[]): Array<[string, SearchHit[]]> {
  const groups = new Map<string, SearchHit[]>();
  for (const hit of hits) {
    const kind = hit.node.__typename;
    groups.set(kind, [...(groups.get(kind) ?? []), hit]);
  }
  return [...groups.entries()];
}

function hitItem(ctx: AppContext, hit: SearchHit): HTMLElement {
  const n = hit.node;
  return h(
    'li',
    { class: 'hit' },
    h('span', { class: 'swatch', aria: { hidden: 'true' }, dataset: { kind: n.__typename } }),
    h('span', { class: 'hit-label' }, labelOf(n)),
    hit.matched ? h('span', { class: 'muted' }, ` — matched ${hit.matched}`) : null,
    h(
      'span',
      { class: 'hit-actions' },
      ctx.link({ name: 'explore', focus: n.id }, 'Explore', { class: 'button small' }),
      hit.networkId
        ? ctx.link({ name: 'network', id: hit.networkId }, 'Network', { class: 'button small' })
        : null,
      n.__typename === 'Case'
        ? ctx.link({ name: 'case', id: n.id }, 'Case', { class: 'button small' })
        : null,
    ),
  );
}

export function searchView(ctx: AppContext, initialQuery: string): HTMLElement {
  const results = h('section', { class: 'results', aria: { live: 'polite', label: 'Results' } });
  const input = h('input', {
    id: 'q',
    name: 'q',
    type: 'search',
    value: initialQuery,
    autocomplete: 'off',
    placeholder: 'Phone, e-mail, address, account, seller, shop, listing title or URL',
  });

  async function run(query: string): Promise<void> {
    if (!query.trim()) {
      render(results);
      return;
    }
    render(results, notice('info', 'Searching…'));
    try {
      const hits = await ctx.api.search(query);
      if (hits.length === 0) {
        render(results, notice('info', `Nothing found for “${query}”.`));
        return;
      }
      render(
        results,
        h('p', { class: 'muted' }, `${hits.length} result${hits.length === 1 ? '' : 's'}`),
        ...groupByKind(hits).map(([kind, group]) =>
          h(
            'section',
            { class: 'hit-group' },
            h('h2', {}, `${humanKind(kind)} (${group.length})`),
            h('ul', { class: 'hits' }, ...group.map((hit) => hitItem(ctx, hit))),
          ),
        ),
      );
      for (const sw of results.querySelectorAll<HTMLElement>('.swatch')) {
        sw.style.backgroundColor = colourOf(sw.dataset['kind'] ?? '');
      }
    } catch (e) {
      render(
        results,
        notice(
          e instanceof NotServedError ? 'warning' : 'error',
          e instanceof NotServedError
            ? `${e.message} Paste a node id to open it, or explore from a case.`
            : describeError(e),
        ),
      );
    }
  }

  const form = h(
    'form',
    {
      class: 'search-form',
      role: 'search',
      onSubmit: (e) => {
        e.preventDefault();
        history.replaceState(null, '', `?q=${encodeURIComponent(input.value)}`);
        void run(input.value);
      },
    },
    h('label', { for: 'q', class: 'visually-hidden' }, 'Search'),
    input,
    h('button', { type: 'submit' }, 'Search'),
  );
  if (initialQuery) void run(initialQuery);
  queueMicrotask(() => input.focus());
  return h(
    'div',
    { class: 'search-page' },
    h('h1', {}, 'Search'),
    h(
      'p',
      { class: 'muted' },
      'Identifiers match in any format: “138-0013-8000”, “+86 138 0013 8000” and “0086 13800138000” are one phone.',
    ),
    form,
    results,
  );
}
