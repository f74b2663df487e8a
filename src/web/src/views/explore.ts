// The graph canvas screen: expand nodes (server budget), filter by identifier kind, colour by
// kind, hubs sized by degree, cross-brand matches outlined, a notice when a result was truncated.
// Every canvas action is also a button in the node list, so the screen works from the keyboard.
import { describeError } from '../api/client.js';
import type { AppContext } from '../context.js';
import { h, notice, render } from '../dom.js';
import type { GraphCanvas } from '../graph/canvas.js';
import type { GraphNodeView } from '../graph/model.js';
import {
  colourOf,
  humanKind,
  IDENTIFIER_KINDS,
  IDENTIFIER_TYPENAME,
  type IdentifierKind,
} from '../kinds.js';

const hidden = new Set<IdentifierKind>();
const settings = { budget: 200, depth: 1 };

export function exploreView(ctx: AppContext, focus: string | null): HTMLElement {
  const status = h('div', { class: 'graph-status', aria: { live: 'polite' } });
  const canvasBox = h('div', {
    class: 'canvas',
    role: 'img',
    aria: { label: 'Graph of the explored entities; the node list beside it has the same content' },
  });
  const details = h('section', { class: 'details', aria: { label: 'Selected node' } });
  const list = h('section', { class: 'node-list', aria: { label: 'Nodes on the canvas' } });
  let selected: string | null = focus;
  let canvas: GraphCanvas | null = null;

  const redraw = () => {
    const { nodes, edges } = ctx.graph.visible(hidden);
    canvas?.draw(nodes, edges, {
      degreeOf: (id) => ctx.graph.degreeOf(id),
      expanded: ctx.graph.expanded,
    });
    renderList(nodes);
    if (selected) {
      canvas?.select(selected);
      renderDetails(selected);
    }
  };

  async function expand(id: string): Promise<void> {
    render(status, notice('info', 'Expanding…'));
    try {
      const expansion = await ctx.api.expand(id, {
        depth: settings.depth,
        through:
          IDENTIFIER_KINDS.filter((k) => !hidden.has(k)).length === IDENTIFIER_KINDS.length
            ? []
            : IDENTIFIER_KINDS.filter((k) => !hidden.has(k)),
        budget: settings.budget,
      });
      const { added } = ctx.graph.merge(expansion, id);
      selected = id;
      render(
        status,
        expansion.truncated
          ? notice(
              'warning',
              `Truncated: the server stopped at its node budget (${settings.budget})` +
                (expansion.total !== undefined ? ` of ${expansion.total} neighbours` : '') +
                '. Filter by identifier kind or raise the budget to see more.',
            )
          : notice('info', `${added} new node${added === 1 ? '' : 's'}.`),
      );
      if (expansion.truncated) status.firstElementChild?.classList.add('truncated');
      redraw();
      void markCrossBrand();
    } catch (e) {
      render(status, notice('error', describeError(e)));
    }
  }

  /** Outlines identifiers other brands reported too (the privacy domain's matches). */
  async function markCrossBrand(): Promise<void> {
    const counts = await ctx.api.crossBrandCounts().catch(() => new Map<string, number>());
    let changed = false;
    for (const [id, brands] of counts) {
      const n = ctx.graph.nodes.get(id);
      if (n && n.crossBrand !== brands) {
        n.crossBrand = brands;
        changed = true;
      }
    }
    if (changed) redraw();
  }

  /** The node's network; for an identifier, the network of a party drawn next to it. */
  async function openNetwork(id: string): Promise<void> {
    const parties = new Set(['Seller', 'Factory', 'Company', 'Person']);
    const candidates = [id];
    for (const e of ctx.graph.edges.values()) {
      const other = e.source === id ? e.target : e.target === id ? e.source : null;
      const t = other ? ctx.graph.nodes.get(other)?.typename : undefined;
      if (other && t && parties.has(t)) candidates.push(other);
    }
    try {
      for (const c of candidates.slice(0, 10)) {
        const networkId = await ctx.api.networkOf(c);
        if (networkId) {
          ctx.go({ name: 'network', id: networkId });
          return;
        }
      }
      render(status, notice('info', 'This node is not part of an infringer network.'));
    } catch (e) {
      render(status, notice('error', describeError(e)));
    }
  }

  function renderDetails(id: string): void {
    const n = ctx.graph.nodes.get(id);
    if (!n) return render(details);
    render(
      details,
      h('h2', {}, n.label),
      h(
        'dl',
        {},
        h('dt', {}, 'Kind'),
        h('dd', {}, humanKind(n.typename)),
        h('dt', {}, 'Links'),
        h('dd', {}, String(ctx.graph.degreeOf(id))),
        n.crossBrand ? h('dt', {}, 'Cross-brand') : null,
        n.crossBrand
          ? h('dd', { class: 'badge-cross' }, `Known to ${n.crossBrand} other brand(s)`)
          : null,
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', onClick: () => void expand(id) }, 'Expand'),
        h(
          'button',
          { type: 'button', class: 'secondary', onClick: () => void openNetwork(id) },
          'Open network',
        ),
        n.typename === 'Case'
          ? ctx.link({ name: 'case', id }, 'Open case', { class: 'button secondary' })
          : null,
      ),
    );
  }

  function renderList(nodes: GraphNodeView[]): void {
    const sorted = [...nodes].sort((a, b) => ctx.graph.degreeOf(b.id) - ctx.graph.degreeOf(a.id));
    render(
      list,
      h('h2', {}, `Nodes (${nodes.length})`),
      h(
        'ul',
        {},
        ...sorted.map((n) => {
          const sw = h('span', { class: 'swatch', aria: { hidden: 'true' } });
          sw.style.backgroundColor = colourOf(n.typename);
          return h(
            'li',
            { class: n.id === selected ? 'current' : '' },
            sw,
            h(
              'button',
              {
                type: 'button',
                class: 'link',
                onClick: () => {
                  selected = n.id;
                  canvas?.select(n.id);
                  renderDetails(n.id);
                },
              },
              n.label,
            ),
            h(
              'span',
              { class: 'muted' },
              ` ${humanKind(n.typename)} · ${ctx.graph.degreeOf(n.id)}`,
            ),
            n.crossBrand
              ? h('span', { class: 'badge-cross', title: 'Cross-brand match' }, 'cross-brand')
              : null,
            ctx.graph.expanded.has(n.id)
              ? null
              : h(
                  'button',
                  {
                    type: 'button',
                    class: 'small',
                    aria: { label: `Expand ${n.label}` },
                    onClick: () => void expand(n.id),
                  },
                  'Expand',
                ),
          );
        }),
      ),
    );
  }

  const filters = h(
    'fieldset',
    { class: 'filters' },
    h('legend', {}, 'Identifier kinds'),
    ...IDENTIFIER_KINDS.map((k) => {
      const box = h('input', {
        type: 'checkbox',
        id: `kind-${k}`,
        checked: !hidden.has(k),
        onChange: (e) => {
          if ((e.target as HTMLInputElement).checked) hidden.delete(k);
          else hidden.add(k);
          redraw();
        },
      });
      const sw = h('span', { class: 'swatch', aria: { hidden: 'true' } });
      sw.style.backgroundColor = colourOf(IDENTIFIER_TYPENAME[k]);
      return h('label', { for: `kind-${k}`, class: 'check' }, box, sw, humanKind(k));
    }),
  );
  const budget = h('input', {
    id: 'budget',
    type: 'number',
    min: '10',
    max: '5000',
    step: '10',
    value: String(settings.budget),
    onChange: (e) => (settings.budget = Number((e.target as HTMLInputElement).value) || 200),
  });
  const controls = h(
    'aside',
    { class: 'controls', aria: { label: 'Graph controls' } },
    filters,
    h('label', { for: 'budget' }, 'Node budget'),
    budget,
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onClick: () => {
          ctx.graph.clear();
          selected = null;
          render(details);
          render(status);
          redraw();
        },
      },
      'Clear graph',
    ),
    h(
      'p',
      { class: 'help' },
      'Click a node to select it, double-click to expand. Red double outline: cross-brand match.',
    ),
  );

  const page = h(
    'div',
    { class: 'explore-page' },
    h('h1', { class: 'visually-hidden' }, 'Explore'),
    controls,
    h('div', { class: 'canvas-wrap' }, status, canvasBox),
    h('div', { class: 'side' }, details, list),
  );

  // Cytoscape is the bulk of the bundle: load it with the first graph screen, not at login.
  void import('../graph/canvas.js').then(({ GraphCanvas }) => {
    if (!canvasBox.isConnected) return;
    canvas = new GraphCanvas({
      container: canvasBox,
      onSelect: (id) => {
        selected = id;
        renderDetails(id);
      },
      onExpand: (id) => void expand(id),
    });
    if (focus && !ctx.graph.expanded.has(focus)) void expand(focus);
    else redraw();
    void markCrossBrand();
  });
  return page;
}
