// The login screen: paste an access token (`palisade token create --role analyst --ttl 8h`), or
// continue without one when the node runs with PALISADE_DEV_AUTH=off.
import { createClient, describeError } from '../api/client.js';
import { CAPABILITIES, NODE_INFO } from '../api/operations.js';
import { h, notice, render } from '../dom.js';
import { cleanToken, DEV_SESSION } from '../session.js';

export function loginView(onLogin: (token: string) => void): HTMLElement {
  const status = h('div', { aria: { live: 'polite' } });
  const input = h('textarea', {
    id: 'token',
    name: 'token',
    autocomplete: 'off',
    required: true,
    aria: { describedby: 'token-help' },
  });
  input.rows = 4;
  input.spellcheck = false;
  const devButton = h(
    'button',
    { type: 'button', class: 'secondary', hidden: true, onClick: () => onLogin(DEV_SESSION) },
    'Continue without a token (development node)',
  );

  async function tryToken(token: string): Promise<void> {
    render(status, notice('info', 'Checking the token…'));
    const client = createClient({ token: () => token });
    try {
      await client.request(NODE_INFO, {});
      onLogin(token);
    } catch (e) {
      render(status, notice('error', describeError(e)));
      input.focus();
    }
  }

  // A node with authentication off answers staff-only questions without a token: offer to go in.
  void createClient({ token: () => null })
    .request(CAPABILITIES, {})
    .then(() => (devButton.hidden = false))
    .catch(() => undefined);

  const form = h(
    'form',
    {
      class: 'login card',
      onSubmit: (e) => {
        e.preventDefault();
        const token = cleanToken(input.value);
        if (token) void tryToken(token);
      },
    },
    h('h1', {}, 'Palisade'),
    h('p', {}, 'Sign in to this node with your analyst access token.'),
    h('label', { for: 'token' }, 'Access token'),
    input,
    h(
      'p',
      { id: 'token-help', class: 'help' },
      'Ask an administrator, or run ',
      h('code', {}, 'palisade token create --role analyst --ttl 8h'),
      '. The token stays in this browser tab only.',
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in'), devButton),
    status,
  );
  return h('main', { id: 'main', class: 'login-page' }, form);
}
