// Payment accounts → `provider:account`: the provider from a fixed alias table, the account by the
// rules of what it is (email, phone, IBAN, or an opaque id), so one wallet written several ways
// is one node.
import validator from 'validator';
import { normalizeEmail } from './email.js';
import { normalizePhone, parseRegion } from './phone.js';
import { aliasIndex, aliasSlug, failure, prepare, rawOf, success } from './text.js';
import type { NormalizedIdentifier } from './types.js';

/** Canonical provider names and the spellings analysts and platform exports use for them. */
export const PAYMENT_PROVIDER_ALIASES = {
  alipay: ['支付宝', '支付寶', 'ali pay', 'alipay hk', 'alipayhk'],
  wechatpay: ['wechat pay', 'weixin pay', 'wxpay', '微信支付', 'tenpay', '财付通', '財付通'],
  paypal: ['pay pal', '贝宝'],
  bank: ['bank account', 'bank transfer', 'wire', 'iban', '银行', '银行卡', '银行账户', '銀行'],
  unionpay: ['union pay', 'china unionpay', 'cup', '银联', '銀聯'],
  stripe: [],
  payoneer: ['派安盈'],
  wise: ['transferwise'],
  skrill: [],
  venmo: [],
  cashapp: ['cash app', 'square cash'],
  zelle: [],
  westernunion: ['western union', 'wu', '西联汇款'],
  moneygram: ['money gram'],
  other: [],
} as const satisfies Record<string, readonly string[]>;

export type PaymentProvider = keyof typeof PAYMENT_PROVIDER_ALIASES;
export const PAYMENT_PROVIDERS = Object.keys(
  PAYMENT_PROVIDER_ALIASES,
) as readonly PaymentProvider[];

const PROVIDER_INDEX = aliasIndex(PAYMENT_PROVIDER_ALIASES);

/** The canonical provider for a name or alias ("WeChat Pay", "支付宝"), or undefined. */
export function resolvePaymentProvider(name: string): PaymentProvider | undefined {
  return PROVIDER_INDEX.get(aliasSlug(name)) as PaymentProvider | undefined;
}

// Bank-side accounts are digit strings that may look like phone numbers; never read them as one.
const BANK_STYLE: ReadonlySet<PaymentProvider> = new Set(['bank', 'unionpay']);

const PHONE_LIKE = /^\+?[\d\s().-]{6,24}$/;
const IBAN_LIKE = /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/;

export interface PaymentAccountOptions {
  /** Payment provider or alias; required (or give the value as `provider:account`). */
  provider?: string;
  /** Default region for accounts that are phone numbers. */
  region?: string;
}

type AccountResult =
  | { ok: true; account: string; accountType: string; details?: Record<string, string> }
  | { ok: false; reason: string };

function normalizeAccount(
  text: string,
  provider: PaymentProvider,
  region: string | undefined,
): AccountResult {
  const compact = text.replace(/[\s-]+/g, '').toUpperCase();
  if (IBAN_LIKE.test(compact)) {
    if (!validator.isIBAN(compact)) {
      return {
        ok: false,
        reason: 'account looks like an IBAN but its checksum or length is wrong',
      };
    }
    return { ok: true, account: compact, accountType: 'iban' };
  }
  if (BANK_STYLE.has(provider)) {
    return { ok: true, account: compact, accountType: 'bank' };
  }
  if (text.includes('@')) {
    const email = normalizeEmail(text);
    if (!email.ok) return { ok: false, reason: `account ${email.reason}` };
    return { ok: true, account: email.key, accountType: 'email' };
  }
  if (PHONE_LIKE.test(text)) {
    const phone = normalizePhone(text, { region });
    // A digit string that is not a valid phone number is still a plausible account id.
    if (phone.ok)
      return { ok: true, account: phone.key, accountType: 'phone', details: phone.details };
  }
  return { ok: true, account: text.replace(/\s+/gu, '').toLowerCase(), accountType: 'account' };
}

/**
 * Normalizes a payment account to `provider:account` (`alipay:user@x.com`,
 * `wechatpay:+8613800138000`, `bank:GB82WEST12345698765432`). Unknown providers are refused
 * rather than guessed; `other` is the explicit catch-all.
 */
export function normalizePaymentAccount(
  value: string,
  options: PaymentAccountOptions = {},
): NormalizedIdentifier {
  const raw = rawOf(value);
  const prepared = prepare(value, 'payment account');
  if (!prepared.ok) return failure('paymentAccount', raw, prepared.reason);
  let text = prepared.text;

  let provider: PaymentProvider | undefined;
  const providerName = typeof options.provider === 'string' ? options.provider.trim() : '';
  if (providerName !== '') {
    provider = resolvePaymentProvider(providerName);
    if (provider === undefined) {
      return failure(
        'paymentAccount',
        raw,
        `unknown payment provider; use one of ${PAYMENT_PROVIDERS.join(', ')}`,
      );
    }
  }
  // Accept a key back as input: a canonical provider name before the first ':'.
  const prefixed = /^([a-z]+):(.+)$/su.exec(text);
  const prefixProvider = prefixed === null ? undefined : resolvePaymentProvider(prefixed[1] ?? '');
  if (
    prefixed !== null &&
    prefixProvider === prefixed[1] &&
    (provider ?? prefixProvider) === prefixProvider
  ) {
    provider = prefixProvider;
    text = (prefixed[2] ?? '').trim();
  }
  if (provider === undefined) {
    return failure(
      'paymentAccount',
      raw,
      'a payment account needs its provider (alipay, paypal, bank…)',
    );
  }
  if (text === '') return failure('paymentAccount', raw, 'payment account is empty');

  const region = parseRegion(options.region);
  if (!region.ok) return failure('paymentAccount', raw, region.reason);
  const account = normalizeAccount(text, provider, region.region);
  if (!account.ok) return failure('paymentAccount', raw, account.reason);
  if (!/[\p{L}\p{N}]/u.test(account.account)) {
    return failure('paymentAccount', raw, 'payment account has no letters or digits');
  }
  const key = `${provider}:${account.account}`;
  return success('paymentAccount', raw, key, key, {
    ...account.details,
    provider,
    accountType: account.accountType,
  });
}
