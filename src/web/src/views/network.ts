// The network page: members, hubs, platforms, a timeline of listings/cases/enforcement, the risk
// score with its reasons, the damages estimate with editable parameters (re-queried on change),
// and exports: takedown complaint packages per platform and the signed dossier.
import { describeError } from '../api/client.js';
import {
  DEFAULT_DAMAGES,
  type DamagesEstimate,
  type DamagesParams,
  type NetworkDetail,
} from '../api/explore-api.js';
import { damagesOf } from '../api/network-detail.js';
import { labelOf, platformOf, type NodeSummary } from '../api/node-summary.js';
import type { AppContext } from '../context.js';
import { h, notice, render } from '../dom.js';
import { complaintCsv, complaintFileName, complaintJson } from '../export/complaint.js';
import { downloadBlob, downloadText } from '../export/download.js';
import { complaintPackagesFor } from '../export/network-export.js';
import { formatDate, formatMoney, formatPercent, parseRate } from '../format.js';
import { humanKind } from '../kinds.js';

let damages: DamagesParams = { ...DEFAULT_DAMAGES };

function table(caption: string, head: string[], rows: Array<Array<Node | string>>): HTMLElement {
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { aria: { sort: 'none' } }, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  );
}

function damagesCard(estimate: DamagesEstimate | null, onChange: (p: DamagesParams) => void) {
  const field = (id: keyof DamagesParams, label: string, value: string, help: string) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `dmg-${id}` }, label),
      h('input', {
        id: `dmg-${id}`,
        name: id,
        type: 'text',
        value,
        aria: { describedby: `dmg-${id}-help` },
      }),
      h('span', { id: `dmg-${id}-help`, class: 'help' }, help),
    );
  const form = h(
    'form',
    {
      class: 'damages-params',
      onSubmit: (e) => {
        e.preventDefault();
        const data = new FormData(e.target as HTMLFormElement);
        const field = (name: string): string => {
          const v = data.get(name);
          return typeof v === 'string' ? v : '';
        };
        const profitRate = parseRate(field('profitRate'));
        const ipContribution = parseRate(field('ipContribution'));
        const punitiveMultiplier = Number(field('punitiveMultiplier'));
        if (![profitRate, ipContribution, punitiveMultiplier].every(Number.isFinite)) return;
        onChange({ profitRate, ipContribution, punitiveMultiplier });
      },
      onChange: (e) => (e.currentTarget as HTMLFormElement).requestSubmit(),
    },
    field('profitRate', 'Profit rate', formatPercent(damages.profitRate), 'e.g. 30%'),
    field('ipContribution', 'IP contribution', formatPercent(damages.ipContribution), 'e.g. 50%'),
    field(
      'punitiveMultiplier',
      'Punitive multiplier',
      String(damages.punitiveMultiplier),
      'e.g. 2',
    ),
    h('button', { type: 'submit', class: 'secondary' }, 'Recalculate'),
  );
  const figure = estimate
    ? h(
        'div',
        { class: 'damages-figure' },
        h(
          'p',
          { class: 'big', id: 'damages-total' },
          estimate.lines.map((l) => formatMoney(Number(l.damages), l.currency)).join(' + ') ||
            'No sales recorded',
        ),
        h(
          'table',
          { class: 'compact' },
          h('caption', { class: 'visually-hidden' }, 'Damages inputs per currency'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...[
                'Currency',
                'Listings',
                'Units',
                'Gross sales',
                'Profit',
                'IP share',
                'Damages',
              ].map((c) => h('th', {}, c)),
            ),
          ),
          h(
            'tbody',
            {},
            ...estimate.lines.map((l) =>
              h(
                'tr',
                {},
                ...[
                  l.currency ?? '—',
                  String(l.listings),
                  l.unitsSold.toLocaleString('en-US'),
                  l.grossSales,
                  l.profit,
                  l.ipShare,
                  l.damages,
                ].map((c) => h('td', {}, c)),
              ),
            ),
          ),
        ),
        h(
          'p',
          { class: 'muted' },
          `Gross sales × ${formatPercent(estimate.params.profitRate)} profit × ${formatPercent(estimate.params.ipContribution)} IP contribution × ${estimate.params.punitiveMultiplier} punitive.`,
          estimate.rounding ? ` ${estimate.rounding}` : '',
        ),
      )
    : notice('warning', 'This node does not estimate damages for networks yet.');
  return h(
    'section',
    { class: 'card damages', aria: { labelledby: 'damages-h' } },
    h('h2', { id: 'damages-h' }, 'Damages estimate'),
    figure,
    form,
  );
}

function exportsCard(ctx: AppContext, network: NetworkDetail): HTMLElement {
  const out = h('div', { aria: { live: 'polite' } });
  const complaints = h(
    'button',
    {
      type: 'button',
      onClick: () => {
        render(out, notice('info', 'Collecting listings, marks and evidence…'));
        complaintPackagesFor(ctx.client, network)
          .then((packages) => {
            if (packages.length === 0) {
              render(out, notice('info', 'No sellers in this network to complain about.'));
              return;
            }
            render(
              out,
              h(
                'ul',
                { class: 'downloads' },
                ...packages.map((p) =>
                  h(
                    'li',
                    {},
                    h('strong', {}, p.platform),
                    ` — ${p.sellers} seller(s), ${p.listings} listing(s) `,
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'small',
                        onClick: () =>
                          downloadText(complaintCsv(p), complaintFileName(p, 'csv'), 'text/csv'),
                      },
                      'CSV',
                    ),
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'small',
                        onClick: () =>
                          downloadText(
                            complaintJson(p),
                            complaintFileName(p, 'json'),
                            'application/json',
                          ),
                      },
                      'JSON',
                    ),
                  ),
                ),
              ),
            );
          })
          .catch((e: unknown) => render(out, notice('error', describeError(e))));
      },
    },
    'Takedown complaint packages',
  );
  const dossier = h(
    'button',
    {
      type: 'button',
      id: 'export-dossier',
      onClick: () => {
        render(out, notice('info', 'Building the signed dossier…'));
        const member = network.members[0];
        if (!member) {
          render(out, notice('error', 'The network has no members to export.'));
          return;
        }
        ctx.api
          .exportDossier(member.id, tlp.value)
          .then(async (d) => {
            const res = await fetch(d.url, { headers: authHeaders() });
            if (!res.ok) throw new Error(`The node answered ${res.status} for the dossier`);
            downloadBlob(await res.blob(), d.fileName);
            render(
              out,
              notice(
                'info',
                `Dossier ${d.fileName} downloaded${d.sha256 ? ` (SHA-256 ${d.sha256})` : ''}. Check it with: palisade dossier verify ${d.fileName}`,
              ),
            );
          })
          .catch((e: unknown) => render(out, notice('error', describeError(e))));
      },
    },
    'Signed dossier',
  );
  const tlp = h(
    'select',
    { id: 'dossier-tlp', name: 'tlp' },
    ...['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'].map((t) =>
      h('option', { value: t }, `TLP:${t.replace('_', '+')}`),
    ),
  );
  tlp.value = 'AMBER';
  return h(
    'section',
    { class: 'card', aria: { labelledby: 'export-h' } },
    h('h2', { id: 'export-h' }, 'Export'),
    h(
      'div',
      { class: 'actions' },
      complaints,
      h('label', { for: 'dossier-tlp' }, 'Dossier up to'),
      tlp,
      dossier,
    ),
    out,
  );
}

/** The session's Authorization header for plain downloads (set by main.ts). */
let authHeaders: () => Record<string, string> = () => ({});
export function setDownloadAuth(headers: () => Record<string, string>): void {
  authHeaders = headers;
}

function memberRow(ctx: AppContext, m: NodeSummary): Array<Node | string> {
  return [
    humanKind(m.__typename),
    ctx.link({ name: 'explore', focus: m.id }, labelOf(m)),
    platformOf(m) ?? '—',
    formatDate(m.firstSeen),
    formatDate(m.lastSeen),
  ];
}

function networkBody(ctx: AppContext, n: NetworkDetail): HTMLElement[] {
  // Only the damages card is asked again when a parameter changes.
  const damagesSlot = h('div', { aria: { live: 'polite' } });
  const showDamages = (estimate: DamagesEstimate | null) => {
    const focused = document.activeElement?.id;
    render(damagesSlot, damagesCard(estimate, onChange));
    if (focused) document.getElementById(focused)?.focus();
  };
  const onChange = (p: DamagesParams) => {
    damages = p;
    ctx.api
      .damages(n.id, p)
      .then((d) => showDamages(damagesOf(d)))
      .catch((e: unknown) => render(damagesSlot, notice('error', describeError(e))));
  };
  showDamages(n.damages);
  const risk = n.risk
    ? h(
        'section',
        { class: 'card risk', aria: { labelledby: 'risk-h' } },
        h('h2', { id: 'risk-h' }, 'Risk'),
        h('p', { class: 'big' }, `${Math.round(n.risk.score)} / 100`),
        h('ul', {}, ...n.risk.reasons.map((r) => h('li', {}, r))),
      )
    : null;
  return [
    h(
      'header',
      { class: 'page-head' },
      h('h1', {}, n.name),
      h(
        'p',
        { class: 'muted' },
        `${n.size} members · first seen ${formatDate(n.firstSeen)} · last seen ${formatDate(n.lastSeen)}`,
        n.crossBrandMatches ? ' · ' : '',
        n.crossBrandMatches
          ? h('span', { class: 'badge-cross' }, `${n.crossBrandMatches} cross-brand match(es)`)
          : null,
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onClick: () => {
              ctx.graph.clear();
              ctx.go({ name: 'explore', focus: n.members[0]?.id ?? null });
            },
          },
          'Show on canvas',
        ),
      ),
    ),
    h('div', { class: 'grid' }, damagesSlot, risk ?? h('span')),
    exportsCard(ctx, n),
    table(
      'Members',
      ['Kind', 'Name', 'Platform', 'First seen', 'Last seen'],
      n.members.map((m) => memberRow(ctx, m)),
    ),
    table(
      'Hubs',
      ['Kind', 'Identifier or party', 'Sellers', 'Reach (sellers within two steps)'],
      n.hubs.map((hub) => [
        humanKind(hub.node.__typename),
        h(
          'span',
          {},
          ctx.link({ name: 'explore', focus: hub.node.id }, labelOf(hub.node)),
          hub.crossBrand
            ? h('span', { class: 'badge-cross' }, `known to ${hub.crossBrand} other brand(s)`)
            : null,
        ),
        String(hub.degree),
        hub.centrality !== null && hub.centrality !== undefined ? String(hub.centrality) : '—',
      ]),
    ),
    table(
      'Platforms',
      ['Platform', 'Sellers'],
      n.platforms.map((p) => [p.code, String(p.sellers)]),
    ),
    h(
      'section',
      { class: 'card', aria: { labelledby: 'timeline-h' } },
      h('h2', { id: 'timeline-h' }, 'Timeline'),
      n.timeline.length === 0
        ? h('p', { class: 'muted' }, 'No dated events.')
        : h(
            'ol',
            { class: 'timeline' },
            ...n.timeline.map((t) =>
              h(
                'li',
                { dataset: { kind: t.kind } },
                h('time', {}, formatDate(t.date)),
                h('span', { class: 'tag' }, humanKind(t.kind)),
                t.kind === 'CASE' && t.nodeId
                  ? ctx.link({ name: 'case', id: t.nodeId }, t.label)
                  : t.label,
              ),
            ),
          ),
    ),
    h(
      'section',
      { class: 'card', aria: { labelledby: 'cases-h' } },
      h('h2', { id: 'cases-h' }, 'Cases'),
      n.cases.length === 0
        ? h('p', { class: 'muted' }, 'No cases yet.')
        : h(
            'ul',
            {},
            ...n.cases.map((c) => h('li', {}, ctx.link({ name: 'case', id: c.id }, labelOf(c)))),
          ),
    ),
  ];
}

export function networkView(ctx: AppContext, id: string): HTMLElement {
  const page = h('div', { class: 'network-page' }, notice('info', 'Loading the network…'));
  const load = () => {
    ctx.api
      .network(id, damages)
      .then((n) => render(page, ...networkBody(ctx, n)))
      .catch((e: unknown) =>
        render(page, h('h1', {}, 'Network'), notice('error', describeError(e))),
      );
  };
  load();
  return page;
}
