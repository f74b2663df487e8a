// A tiny DOM builder: elements from a tag, attributes/handlers and children; text is always text.
export type Child = Node | string | number | null | undefined | false;

type Handler<K extends keyof HTMLElementEventMap> = (event: HTMLElementEventMap[K]) => void;

export interface Attrs {
  class?: string;
  id?: string;
  role?: string;
  href?: string;
  type?: string;
  name?: string;
  value?: string;
  for?: string;
  title?: string;
  hidden?: boolean;
  disabled?: boolean;
  checked?: boolean;
  required?: boolean;
  placeholder?: string;
  autocomplete?: string;
  step?: string;
  min?: string;
  max?: string;
  tabindex?: string;
  dataset?: Record<string, string>;
  aria?: Record<string, string>;
  onClick?: Handler<'click'>;
  onSubmit?: Handler<'submit'>;
  onChange?: Handler<'change'>;
  onInput?: Handler<'input'>;
  onKeydown?: Handler<'keydown'>;
}

const BOOLEAN_ATTRS = ['hidden', 'disabled', 'checked', 'required'] as const;
const STRING_ATTRS = [
  'class',
  'id',
  'role',
  'href',
  'type',
  'name',
  'value',
  'for',
  'title',
  'placeholder',
  'autocomplete',
  'step',
  'min',
  'max',
  'tabindex',
] as const;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const name of STRING_ATTRS) {
    const v = attrs[name];
    if (v !== undefined) el.setAttribute(name, v);
  }
  for (const name of BOOLEAN_ATTRS) {
    if (attrs[name] === true) el.setAttribute(name, '');
  }
  if (attrs.value !== undefined && el instanceof HTMLInputElement) el.value = attrs.value;
  if (attrs.checked !== undefined && el instanceof HTMLInputElement) el.checked = attrs.checked;
  for (const [k, v] of Object.entries(attrs.dataset ?? {})) el.dataset[k] = v;
  for (const [k, v] of Object.entries(attrs.aria ?? {})) el.setAttribute(`aria-${k}`, v);
  const target: HTMLElement = el;
  if (attrs.onClick) target.addEventListener('click', attrs.onClick);
  if (attrs.onSubmit) target.addEventListener('submit', attrs.onSubmit);
  if (attrs.onChange) target.addEventListener('change', attrs.onChange);
  if (attrs.onInput) target.addEventListener('input', attrs.onInput);
  if (attrs.onKeydown) target.addEventListener('keydown', attrs.onKeydown);
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? text(String(c)) : c);
  }
}

export function text(value: string): Text {
  return document.createTextNode(value);
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Replaces an element's content. */
export function render(el: Element, ...children: Child[]): void {
  clear(el);
  append(el, ...children);
}

/** A status line for screen readers and sighted users alike. */
export function notice(kind: 'info' | 'warning' | 'error', message: string): HTMLElement {
  return h(
    'p',
    { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    message,
  );
}
