// The case page: what the case is, the entities in it, its evidence (hashes, custody chain and
// whether it verifies) and its enforcement actions in date order.
import { describeError } from '../api/client.js';
import type { EvidenceCustody } from '../api/explore-api.js';
import { NotServedError } from '../api/explore-api.js';
import { labelOf } from '../api/node-summary.js';
import { CASE, type ActionSummary, type EvidenceSummary } from '../api/operations.js';
import type { AppContext } from '../context.js';
import { h, notice, render } from '../dom.js';
import { formatDate, formatMoney } from '../format.js';
import { humanKind } from '../kinds.js';

function custodyCell(ctx: AppContext, e: EvidenceSummary): HTMLElement {
  const cell = h('div', {}, h('span', { class: 'muted' }, 'Checking…'));
  ctx.api
    .custody(e.id)
    .then((c: EvidenceCustody) =>
      render(
        cell,
        h(
          'p',
          { class: c.verified ? 'ok' : c.verified === false ? 'bad' : 'muted' },
          c.verified
            ? '✔ verified'
            : c.verified === false
              ? `✘ broken: ${c.problem ?? 'unknown'}`
              : 'not verified',
        ),
        c.entries.length > 0
          ? h(
              'details',
              {},
              h(
                'summary',
                {},
                `${c.entries.length} custody entr${c.entries.length === 1 ? 'y' : 'ies'}`,
              ),
              h(
                'ol',
                { class: 'custody' },
                ...c.entries.map((x) =>
                  h(
                    'li',
                    {},
                    `${formatDate(x.at)} ${x.action}${x.actor ? ` by ${x.actor}` : ''}`,
                    x.hash ? h('code', { class: 'hash' }, ` ${x.hash.slice(0, 16)}…`) : null,
                  ),
                ),
              ),
            )
          : null,
      ),
    )
    .catch((err: unknown) =>
      render(
        cell,
        h(
          'span',
          { class: 'muted' },
          err instanceof NotServedError ? 'custody not served' : describeError(err),
        ),
      ),
    );
  return cell;
}

function actionText(a: ActionSummary): string {
  const parts = [
    a.authority,
    a.locations.length > 0 ? a.locations.join(', ') : null,
    a.itemsSeized !== null
      ? `${a.itemsSeizedAtLeast ? 'more than ' : ''}${a.itemsSeized.toLocaleString('en-US')} items seized`
      : null,
    a.arrests !== null ? `${a.arrests} arrest(s)` : null,
    a.amount
      ? `${formatMoney(a.amount.amount, a.amount.currency)}${a.amountBasis ? ` (${a.amountBasis})` : ''}`
      : null,
    a.outcome,
  ];
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join(' · ');
}

export function caseView(ctx: AppContext, id: string): HTMLElement {
  const page = h('div', { class: 'case-page' }, notice('info', 'Loading the case…'));
  ctx.client
    .request(CASE, { id })
    .then(({ node }) => {
      if (!node || node.__typename !== 'Case') {
        render(page, h('h1', {}, 'Case'), notice('error', 'No case has this id.'));
        return;
      }
      const actions = [...(node.enforcementActions ?? [])].sort((a, b) =>
        (a.date ?? '').localeCompare(b.date ?? ''),
      );
      const evidence = node.evidence ?? [];
      const entities = node.entities ?? [];
      const damages = node.damages?.lines ?? [];
      render(
        page,
        h(
          'header',
          { class: 'page-head' },
          h('h1', {}, node.title ?? node.key ?? 'Case'),
          h(
            'p',
            { class: 'muted' },
            [
              node.caseStatus ? humanKind(node.caseStatus) : null,
              node.jurisdiction,
              `opened ${formatDate(node.openedOn)}`,
              node.closedOn ? `closed ${formatDate(node.closedOn)}` : null,
            ]
              .filter(Boolean)
              .join(' · '),
          ),
          node.summary ? h('p', {}, node.summary) : null,
          damages.length > 0
            ? h(
                'p',
                { id: 'case-damages' },
                'Damages estimate (30% × 50% × 2): ',
                h(
                  'strong',
                  {},
                  damages.map((l) => formatMoney(Number(l.damages), l.currency)).join(' + '),
                ),
                ` from ${damages.map((l) => `${l.unitsSold.toLocaleString('en-US')} units`).join(', ')}`,
              )
            : null,
        ),
        h(
          'section',
          { class: 'card', aria: { labelledby: 'evidence-h' } },
          h('h2', { id: 'evidence-h' }, `Evidence (${evidence.length})`),
          evidence.length === 0
            ? h('p', { class: 'muted' }, 'No evidence recorded.')
            : h(
                'table',
                {},
                h(
                  'thead',
                  {},
                  h(
                    'tr',
                    {},
                    ...['Evidence', 'Kind', 'Captured', 'SHA-256', 'Custody'].map((c) =>
                      h('th', {}, c),
                    ),
                  ),
                ),
                h(
                  'tbody',
                  {},
                  ...evidence.map((e) =>
                    h(
                      'tr',
                      {},
                      h(
                        'td',
                        {},
                        e.title ?? '—',
                        e.notarized ? h('span', { class: 'tag' }, 'notarized') : null,
                      ),
                      h('td', {}, e.evidenceKind ? humanKind(e.evidenceKind) : '—'),
                      h('td', {}, formatDate(e.capturedAt)),
                      h('td', {}, e.sha256 ? h('code', { class: 'hash' }, e.sha256) : '—'),
                      h('td', {}, custodyCell(ctx, e)),
                    ),
                  ),
                ),
              ),
        ),
        h(
          'section',
          { class: 'card', aria: { labelledby: 'actions-h' } },
          h('h2', { id: 'actions-h' }, `Enforcement actions (${actions.length})`),
          actions.length === 0
            ? h('p', { class: 'muted' }, 'No enforcement actions.')
            : h(
                'ol',
                { class: 'timeline' },
                ...actions.map((a) =>
                  h(
                    'li',
                    {},
                    h('time', {}, formatDate(a.date)),
                    h('span', { class: 'tag' }, humanKind(a.actionKind)),
                    actionText(a),
                  ),
                ),
              ),
        ),
        h(
          'section',
          { class: 'card', aria: { labelledby: 'entities-h' } },
          h('h2', { id: 'entities-h' }, `In this case (${entities.length})`),
          h(
            'ul',
            {},
            ...entities.map((n) =>
              h(
                'li',
                {},
                `${humanKind(n.__typename)}: `,
                ctx.link({ name: 'explore', focus: n.id }, labelOf(n)),
              ),
            ),
          ),
        ),
      );
    })
    .catch((e: unknown) => render(page, h('h1', {}, 'Case'), notice('error', describeError(e))));
  return page;
}
