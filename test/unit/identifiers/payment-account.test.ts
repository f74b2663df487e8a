// Payment accounts: provider aliases fold to one name, and the account is normalized by what it is.
import { describe, expect, it } from 'vitest';
import { normalizePaymentAccount, resolvePaymentProvider } from '../../../src/identifiers/index.js';
import { accepted, refused } from './helpers.js';

describe('payment accounts', () => {
  it.each([
    ['Alipay', 'alipay'],
    ['支付宝', 'alipay'],
    ['WeChat Pay', 'wechatpay'],
    ['微信支付', 'wechatpay'],
    ['PayPal', 'paypal'],
    ['银联', 'unionpay'],
    ['Western Union', 'westernunion'],
  ])('reads provider %s as %s', (name, provider) => {
    expect(resolvePaymentProvider(name)).toBe(provider);
  });

  it('keys an email account by provider and normalized email', () => {
    const result = accepted(normalizePaymentAccount(' User@X.com ', { provider: '支付宝' }));
    expect(result.key).toBe('alipay:user@x.com');
    expect(result.details).toMatchObject({ provider: 'alipay', accountType: 'email' });
    expect(
      accepted(normalizePaymentAccount('f.a.k.e+1@gmail.com', { provider: 'PayPal' })).key,
    ).toBe('paypal:fake@gmail.com');
  });

  it('keys a phone account by E.164, using the region', () => {
    expect(
      accepted(normalizePaymentAccount('138 0013 8000', { provider: 'WeChat Pay', region: 'CN' }))
        .key,
    ).toBe('wechatpay:+8613800138000');
  });

  it('compacts and checks IBANs', () => {
    expect(
      accepted(normalizePaymentAccount('gb82 west 1234 5698 7654 32', { provider: 'bank' })).key,
    ).toBe('bank:GB82WEST12345698765432');
    expect(
      refused(normalizePaymentAccount('GB83 WEST 1234 5698 7654 32', { provider: 'bank' })).reason,
    ).toMatch(/IBAN/);
  });

  it('never reads a bank card number as a phone number', () => {
    const result = accepted(
      normalizePaymentAccount('6222 0213 8001 3800', { provider: 'UnionPay', region: 'CN' }),
    );
    expect(result.key).toBe('unionpay:6222021380013800');
    expect(result.details?.accountType).toBe('bank');
  });

  it('lowercases and strips spaces from other account ids', () => {
    expect(accepted(normalizePaymentAccount('Acct 1234 AB', { provider: 'stripe' })).key).toBe(
      'stripe:acct1234ab',
    );
  });

  it('refuses an account with no letters or digits', () => {
    expect(refused(normalizePaymentAccount('- - -', { provider: 'bank' })).reason).toMatch(
      /no letters or digits/,
    );
  });

  it('needs a known provider', () => {
    expect(refused(normalizePaymentAccount('user@x.com')).reason).toMatch(/needs its provider/);
    expect(refused(normalizePaymentAccount('user@x.com', { provider: 'Foo Pay' })).reason).toMatch(
      /unknown payment provider/,
    );
    expect(accepted(normalizePaymentAccount('abc', { provider: 'other' })).key).toBe('other:abc');
  });

  it('accepts its own key back as input', () => {
    expect(accepted(normalizePaymentAccount('alipay:user@x.com')).key).toBe('alipay:user@x.com');
  });
});
