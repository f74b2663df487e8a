// Email addresses → one key per mailbox: lowercase, ASCII domain, and the provider's own aliasing
// rules (Gmail dots, +tags) undone, so the throwaway variants a seller registers with meet again.
import { domainToUnicode } from 'node:url';
import validator from 'validator';
import { toAsciiHostname } from './domain.js';
import { failure, prepare, rawOf, success } from './text.js';
import type { NormalizedIdentifier } from './types.js';

interface MailboxRule {
  /** The provider's mailboxes answer at several domains: key them under this one. */
  canonicalDomain?: string;
  /** The provider ignores dots in the local part. */
  ignoreDots: boolean;
  /** Everything after the first '+' is a tag that reaches the same mailbox. */
  plusTags: boolean;
}

const GMAIL: MailboxRule = { canonicalDomain: 'gmail.com', ignoreDots: true, plusTags: true };
const MICROSOFT: MailboxRule = { ignoreDots: false, plusTags: true };
const LOWERCASE_ONLY: MailboxRule = { ignoreDots: false, plusTags: false };

/**
 * Provider table (domain → rule). Domains not listed are only lowercased: at an unknown provider a
 * '+' or '.' may be part of a distinct mailbox name, and merging two sellers wrongly is worse than
 * missing a link. Chinese providers are listed to pin that they are lowercase-only.
 *
 * | domains                                   | dots     | +tag     |
 * |-------------------------------------------|----------|----------|
 * | gmail.com, googlemail.com (→ gmail.com)   | removed  | removed  |
 * | outlook.com, hotmail.*, live.*, msn.com   | kept     | removed  |
 * | qq.com, foxmail.com, 163.com, 126.com,    | kept     | kept     |
 * | yeah.net, sina.com, sina.cn, sohu.com,    |          |          |
 * | aliyun.com, 139.com                       |          |          |
 */
const MAILBOX_RULES: ReadonlyMap<string, MailboxRule> = new Map([
  ['gmail.com', GMAIL],
  ['googlemail.com', GMAIL],
  ['outlook.com', MICROSOFT],
  ['hotmail.com', MICROSOFT],
  ['hotmail.co.uk', MICROSOFT],
  ['hotmail.fr', MICROSOFT],
  ['live.com', MICROSOFT],
  ['live.cn', MICROSOFT],
  ['msn.com', MICROSOFT],
  ['qq.com', LOWERCASE_ONLY],
  ['foxmail.com', LOWERCASE_ONLY],
  ['163.com', LOWERCASE_ONLY],
  ['126.com', LOWERCASE_ONLY],
  ['yeah.net', LOWERCASE_ONLY],
  ['sina.com', LOWERCASE_ONLY],
  ['sina.cn', LOWERCASE_ONLY],
  ['sohu.com', LOWERCASE_ONLY],
  ['aliyun.com', LOWERCASE_ONLY],
  ['139.com', LOWERCASE_ONLY],
]);

/**
 * Normalizes an email address to the key of its mailbox (`A.B+shop@GoogleMail.com` →
 * `ab@gmail.com`). IDN domains become ASCII (`用户@例子.中国` → `用户@xn--fsqu00a.xn--fiqs8s`).
 */
export function normalizeEmail(value: string): NormalizedIdentifier {
  const raw = rawOf(value);
  const prepared = prepare(value, 'email address');
  if (!prepared.ok) return failure('email', raw, prepared.reason);
  const text = prepared.text.replace(/^mailto:/i, '');
  const at = text.lastIndexOf('@');
  if (at < 0) return failure('email', raw, "email address has no '@'");
  const localPart = text.slice(0, at);
  if (localPart === '') return failure('email', raw, "email address has nothing before the '@'");
  const domainPart = text.slice(at + 1);
  if (domainPart === '') return failure('email', raw, "email address has no domain after the '@'");

  const host = toAsciiHostname(domainPart);
  if (!host.ok) return failure('email', raw, `email domain ${host.reason}`);
  const domain = host.ascii;
  let local = localPart.toLowerCase();
  if (!validator.isEmail(`${local}@${domain}`)) {
    return failure('email', raw, 'not a valid email address');
  }

  const rule = MAILBOX_RULES.get(domain) ?? LOWERCASE_ONLY;
  if (rule.plusTags) local = local.split('+', 1)[0] ?? '';
  if (rule.ignoreDots) local = local.replace(/\./g, '');
  if (local === '') {
    return failure('email', raw, 'email address has no mailbox name once its +tag is removed');
  }
  const keyDomain = rule.canonicalDomain ?? domain;
  const key = `${local}@${keyDomain}`;
  if (!validator.isEmail(key)) return failure('email', raw, 'not a valid email address');

  const display = `${localPart}@${domainToUnicode(domain) || domain}`;
  return success('email', raw, key, display, { domain: keyDomain });
}
